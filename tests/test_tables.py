"""ecrights.tables: the typeset tables notebooks show instead of pandas' repr."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from bs4 import BeautifulSoup

from ecrights.tables import Column, fits, format_value, is_typeset, table


def _cells(t) -> list[list[str]]:
    soup = BeautifulSoup(t._repr_html_(), "html.parser")
    return [[c.get_text() for c in tr.find_all(["th", "td"])] for tr in soup.find_all("tr")]


def test_no_index_headers_in_the_edition_language_with_units():
    df = pd.DataFrame({"level": [411649.0, 85239.04], "yoy_pct": [8.0, 19.5]}, index=[7, 9])
    cols = [Column("level", "零售额", "retail sales", kind="level", unit="亿元"),
            Column("yoy_pct", "同比增长", "growth", kind="percent")]
    assert _cells(table(df, cols, "zh")) == [["零售额（亿元）", "同比增长（%）"], ["411,649.0", "8.0"], ["85,239.0", "19.5"]]
    assert _cells(table(df, cols, "en"))[0] == ["retail sales (100 million yuan)", "growth (%)"]
    assert _cells(table(df, cols, "en", index=True))[0][0] == "index"  # only when asked


@pytest.mark.parametrize("value, kind, shown", [
    (None, "level", "—"), (float("nan"), "percent", "—"), (pd.NA, "count", "—"), ("", "text", "—"),
    (float("inf"), "percent", "∞"), (-math.inf, "pp", "−∞"), (float("inf"), "count", "—"),
    (-18.0, "points", "−18.0"), (-0.04, "percent", "0.0"), (1234567, "count", "1,234,567"),
    (0.000103, "number", "0.000103"), (8.9e-16, "number", "0"), (45.61542819, "number", "45.62"),
    (-1234.5678, "number", "−1,235"), (411649.3, "number", "411,649"), (99999.9, "number", "100,000"), (np.int64(3), "count", "3"), (True, "text", "是"),
])
def test_number_formats_by_kind(value, kind, shown):
    assert format_value(value, kind, language="zh") == shown


def test_no_truncation_and_identifiers_break_only_between_words():
    long_text = "国家统计局" * 30
    t = table([{"id": "rg_online_cum_yoy_change_2019", "note": long_text}],
              [Column("id", "编号", "id", kind="id"), Column("note", "说明", "note")], "zh")
    html = t._repr_html_()
    assert long_text in html and "..." not in html
    code = BeautifulSoup(html, "html.parser").find("code", class_="id")
    assert code.get_text() == "rg_online_cum_yoy_change_2019"
    assert [str(x) for x in code.contents if isinstance(x, str)] == ["rg_", "online_", "cum_", "yoy_", "change_",
                                                                      "2019"]


def test_marked_for_the_report_and_readable_in_a_terminal():
    t = table(pd.DataFrame({"a": ["甲", "乙"], "b": [1.5, None]}),
              [Column("a", "项目", "item"), Column("b", "数值", "value", kind="level")], "zh")
    assert is_typeset(t._repr_html_())
    assert not is_typeset(pd.DataFrame({"a": [1]}).to_html())
    text = repr(t).splitlines()
    assert text[0].split() == ["项目", "数值"]  # a level has no default unit
    assert text[2].split() == ["甲", "1.5"] and text[3].split() == ["乙", "—"]


def test_a_wide_table_is_transposed_or_split_to_fit_the_page_at_7pt():
    # the coverage table: 3 series × 24 months does not fit across; transposed it does
    months = [f"2018-{m:02d}" for m in range(1, 13)] + [f"2019-{m:02d}" for m in range(1, 13)]
    coverage = pd.DataFrame({"series": ["retail_sales_total", "online_retail_total", "online_retail_physical"],
                             **{m: ["✓", "缺口", "—"] for m in months}})
    plain = table(coverage, language="zh", reshape="none")
    assert not fits(plain, 7.0)
    t = table(coverage, language="zh")
    assert t.layout == "transposed" and fits(t, 7.0)
    rows = _cells(t)
    assert rows[0] == ["series", "retail_sales_total", "online_retail_total", "online_retail_physical"]
    assert rows[1] == ["2018-01", "✓", "缺口", "—"] and len(rows) == 25
    # 30 variants × 12 long numbers: split into column groups, each repeating the key column
    wide = pd.DataFrame({"variant": [f"v{i}" for i in range(30)],
                         **{f"implied_output_{k}": np.linspace(1e5, 2e5, 30) for k in range(12)}})
    t = table(wide, language="en")
    assert t.layout == "split" and len(t.parts) >= 2 and all(fits(p, 7.0) for p in t.parts)
    assert all(p.headers[0] == "variant" for p in t.parts)
    assert sorted(h for p in t.parts for h in p.headers[1:]) == sorted(wide.columns[1:])
    long = table(wide, language="en", reshape="long")
    assert long.layout == "long" and len(long.rows) == 30 * 12 and long.headers == ["variant", "item", "value"]


def test_bad_arguments_name_what_is_wrong():
    with pytest.raises(KeyError, match="no column \\['missing'\\]"):
        table(pd.DataFrame({"a": [1]}), [Column("missing")], "zh")
    with pytest.raises(ValueError, match="kind must be one of"):
        Column("a", kind="money")
    with pytest.raises(ValueError, match="language"):
        table(pd.DataFrame({"a": [1]}), None, "fr")


def test_settings_are_shown_as_readers_write_them():
    from ecrights.tables import reader_value

    assert reader_value("report") == "report"  # no Python quotes
    assert reader_value(None) == "—" and reader_value([]) == "—" and reader_value({}) == "—"
    assert reader_value(False, "zh") == "否" and reader_value(True, "en") == "yes"
    assert reader_value(0.30000000000000004) == "0.3" and reader_value(2019) == "2019" and reader_value(4) == "4"
    assert reader_value({"大家电": ["category_appliances"], "话费": ["a", "b"]}) == \
        "大家电: category_appliances; 话费: a, b"
    assert reader_value(-1.5) == "\u22121.5"


def test_numbers_and_units_do_not_run_together():
    from ecrights.tables import with_unit

    assert with_unit("411649", "亿元", "en") == "41,164.9 billion yuan"  # not "411649 100 mn yuan"
    assert with_unit("40", "万家", "en") == "400,000 shops"
    assert with_unit("411649", "亿元", "zh") == "411,649亿元"
    assert with_unit("2.30", "百分点", "en") == "2.30 pp"  # the printed digits kept
    assert with_unit(45.6, "%", "en") == "45.6%" and with_unit(1234.5, "点", "en") == "1,234 points"
    assert with_unit(None, "点", "zh") == "—" and with_unit("", "点", "en") == "—"  # no unit on nothing


@pytest.mark.parametrize("printed, unit, english", [
    ("411,649", "亿元", "41,164.9 billion yuan"),  # one decimal of billions: exactly the printed digits
    ("5.2", "亿件", "520 million parcels"),
    ("635.2", "亿件", "63.52 billion parcels"),
    ("630", "亿件", "63 billion parcels"),  # a whole number's trailing zeros are not read as significant
    ("500", "万人", "5 million people"),
    ("35", "万人次", "350,000 person-times"),  # under a million: the whole number
    ("\u22123.4", "亿元", "\u2212340 million yuan"),
    ("0.0103", "%", None), ("12", "亿元以上", None), ("about 5", "亿元", None),
])
def test_amounts_in_yi_and_wan_are_written_in_english_scales_exactly(printed, unit, english):
    from ecrights.tables import english_amount

    assert english_amount(printed, unit) == english


def test_period_ranges_are_printed_with_an_en_dash():
    t = table([{"period": "2019-01..2019-12", "id": "2019-01..2019-12"}],
              [Column("period", "期间", "period"), Column("id", "编号", "id", kind="id")], "zh")
    assert _cells(t)[1] == ["2019-01\u20132019-12", "2019-01..2019-12"]  # identifiers stay as written
