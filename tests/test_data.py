"""lib/ecrights/data/: loading, schema errors, the manifest, series().

The transcription check types values by hand from the wording of the report
(data/report/report_2019.zh-Hans.txt, 一(一)(二)) and of the NBS
release quotes (2018 months), and asserts data/official gives them back.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from conftest import PROJECT_ROOT, official_row, valid_rows, write_official
from ecrights import data
from ecrights.data import DataError
from ecrights.text import number_in_text

# --------------------------------------------------------------------------
# The real data
# --------------------------------------------------------------------------


def test_real_official_data_loads(official):
    assert len(official) > 1000
    assert set(official["indicator"]) <= set(data.INDICATORS)
    assert set(official["measure"]) <= data.MEASURES
    assert set(official["unit"]) <= {"亿元", "亿件", "%"}
    assert isinstance(official["period_start"].dtype, pd.PeriodDtype)
    for year in (2015, 2016, 2017, 2018, 2019):
        assert f"nbs_retail_{year}.csv" in set(official["source_file"])


def test_every_indicator_has_an_english_name():
    """The English edition names indicators in words, never by their identifiers."""
    from ecrights.data.vocabulary import INDICATORS, INDICATORS_EN

    assert set(INDICATORS_EN) == set(INDICATORS)
    assert all(name and "_" not in name for name in INDICATORS_EN.values())


def test_real_claims_ledger_loads():
    claims = data.load_claims(PROJECT_ROOT / "data" / "published" / "claims.csv")
    assert claims.index.is_unique
    assert (claims["section"] == "retail_growth").sum() >= 30
    assert claims.loc["rg_retail_total_2019_level", "value"] == 411649.0
    assert claims.loc["rg_retail_total_2019_yoy", "value_text"] == "8.0"


def test_the_claims_ledger_is_validated_once_while_unchanged_and_each_caller_gets_its_own_copy(tmp_path):
    """Every notebook and the report read the ledger: validated once per process, again when the
    file changes (its time stamp or size); a caller changing its frame changes nobody else's."""
    import os

    from ecrights.data import published

    ledger = tmp_path / "claims.csv"
    ledger.write_bytes((PROJECT_ROOT / "data" / "published" / "claims.csv").read_bytes())
    first = data.load_claims(ledger)
    first.loc["rg_retail_total_2019_level", "value"] = -1.0
    again = data.load_claims(ledger)
    assert again.loc["rg_retail_total_2019_level", "value"] == 411649.0
    assert published._claims_while_unchanged.cache_info().hits >= 1
    text = ledger.read_text(encoding="utf-8")
    ledger.write_text(text.replace(",411649,", ",411650,", 1), encoding="utf-8")
    os.utime(ledger, ns=(1, 1))  # another time stamp, whatever the clock's resolution
    with pytest.raises(DataError, match="does not appear in the quote"):
        data.load_claims(ledger)  # validated again: the changed value is not in its quote


# (indicator, measure, period_start, period_end, value as printed in 亿元 or %)
# 2019: typed from the report's text (一(一) and 一(二)), which quotes NBS.
REPORT_2019 = [
    ("retail_sales_total", "level", "2019-01", "2019-12", 411649),       # 社会消费品零售总额411649亿元
    ("retail_sales_total", "yoy_pct", "2019-01", "2019-12", 8.0),        # 名义增长8.0%
    ("retail_sales_total", "yoy_real_pct", "2019-01", "2019-12", 6.0),   # 实际增长6.0%
    ("retail_sales_ex_auto", "level", "2019-01", "2019-12", 372260),     # 除汽车以外的消费品零售额372260亿元
    ("retail_sales_ex_auto", "yoy_pct", "2019-01", "2019-12", 9.0),      # 增长9.0%
    ("retail_sales_total", "level", "2019-12", "2019-12", 38777),        # 12月份 38777亿元
    ("retail_sales_total", "yoy_pct", "2019-12", "2019-12", 8.0),        # 同比增长8.0%
    ("retail_sales_ex_auto", "level", "2019-12", "2019-12", 34349),      # 34349亿元
    ("retail_sales_ex_auto", "yoy_pct", "2019-12", "2019-12", 8.9),      # 增长8.9%
    ("online_retail_total", "level", "2019-01", "2019-12", 106324),      # 全国网上零售额106324亿元
    ("online_retail_total", "yoy_pct", "2019-01", "2019-12", 16.5),      # 增长16.5%
    ("online_retail_physical", "level", "2019-01", "2019-12", 85239),    # 实物商品网上零售额85239亿元
    ("online_retail_physical", "yoy_pct", "2019-01", "2019-12", 19.5),   # 增长19.5%
    ("online_retail_physical", "share_pct", "2019-01", "2019-12", 20.7),  # 比重为20.7%
    ("online_retail_physical", "share_pct", "2018-01", "2018-12", 18.4),  # 比上年的18.4%
    ("online_retail_physical_food", "yoy_pct", "2019-01", "2019-12", 30.9),      # 吃 30.9%
    ("online_retail_physical_clothing", "yoy_pct", "2019-01", "2019-12", 15.4),  # 穿 15.4%
    ("online_retail_physical_use", "yoy_pct", "2019-01", "2019-12", 19.8),       # 用 19.8%
]

# 2018 months: typed from the NBS release quotes as read on the mirrors
# (y.tt for March — Traditional characters —, lc123.net for July,
# epsnet.com.cn for October), the single month and the 1–N月 cumulative.
RELEASES_2018 = [
    # 2018年3月份,社會消費品零售總額29194億元,同比名義增長10.1%; 扣除價格因素實際增長8.6%
    ("retail_sales_total", "level", "2018-03", "2018-03", 29194),
    ("retail_sales_total", "yoy_pct", "2018-03", "2018-03", 10.1),
    ("retail_sales_total", "yoy_real_pct", "2018-03", "2018-03", 8.6),
    # 2018年1-3月份,社會消費品零售總額90275億元,同比增長9.8%
    ("retail_sales_total", "level", "2018-01", "2018-03", 90275),
    ("retail_sales_total", "yoy_pct", "2018-01", "2018-03", 9.8),
    # 全國網上零售額19318億元,同比增長35.4%; 實物商品網上零售額14567億元,增長34.4%; 比重為16.1%
    ("online_retail_total", "level", "2018-01", "2018-03", 19318),
    ("online_retail_total", "yoy_pct", "2018-01", "2018-03", 35.4),
    ("online_retail_physical", "level", "2018-01", "2018-03", 14567),
    ("online_retail_physical", "yoy_pct", "2018-01", "2018-03", 34.4),
    ("online_retail_physical", "share_pct", "2018-01", "2018-03", 16.1),
    # 2018年7月份,社会消费品零售总额30734亿元,同比名义增长8.8%; 实际增长6.5%
    ("retail_sales_total", "level", "2018-07", "2018-07", 30734),
    ("retail_sales_total", "yoy_pct", "2018-07", "2018-07", 8.8),
    ("retail_sales_total", "yoy_real_pct", "2018-07", "2018-07", 6.5),
    # 2018年1-7月份,社会消费品零售总额210752亿元,同比增长9.3%
    ("retail_sales_total", "level", "2018-01", "2018-07", 210752),
    ("retail_sales_total", "yoy_pct", "2018-01", "2018-07", 9.3),
    # 全国网上零售额47863亿元,同比增长29.3%; 实物商品网上零售额36461亿元,增长29.1%; 比重为17.3%
    ("online_retail_total", "level", "2018-01", "2018-07", 47863),
    ("online_retail_total", "yoy_pct", "2018-01", "2018-07", 29.3),
    ("online_retail_physical", "level", "2018-01", "2018-07", 36461),
    ("online_retail_physical", "yoy_pct", "2018-01", "2018-07", 29.1),
    ("online_retail_physical", "share_pct", "2018-01", "2018-07", 17.3),
    # 2018年10月份,社会消费品零售总额35534亿元,同比名义增长8.6%; 实际增长5.6%
    ("retail_sales_total", "level", "2018-10", "2018-10", 35534),
    ("retail_sales_total", "yoy_pct", "2018-10", "2018-10", 8.6),
    ("retail_sales_total", "yoy_real_pct", "2018-10", "2018-10", 5.6),
    # 2018年1-10月份,社会消费品零售总额309834亿元,同比增长9.2%
    ("retail_sales_total", "level", "2018-01", "2018-10", 309834),
    ("retail_sales_total", "yoy_pct", "2018-01", "2018-10", 9.2),
    # 全国网上零售额70539亿元,同比增长25.5%; 实物商品网上零售额54141亿元,增长26.7%; 比重为17.5%
    ("online_retail_total", "level", "2018-01", "2018-10", 70539),
    ("online_retail_total", "yoy_pct", "2018-01", "2018-10", 25.5),
    ("online_retail_physical", "level", "2018-01", "2018-10", 54141),
    ("online_retail_physical", "yoy_pct", "2018-01", "2018-10", 26.7),
    ("online_retail_physical", "share_pct", "2018-01", "2018-10", 17.5),
    # 2018年1-2月份 (one period): 61082亿元, 同比名义增长9.7%; 网上 12271亿元 37.3%; 实物 9073亿元 35.6%, 14.9%
    ("retail_sales_total", "level", "2018-01", "2018-02", 61082),
    ("retail_sales_total", "yoy_pct", "2018-01", "2018-02", 9.7),
    ("online_retail_total", "level", "2018-01", "2018-02", 12271),
    ("online_retail_total", "yoy_pct", "2018-01", "2018-02", 37.3),
    ("online_retail_physical", "level", "2018-01", "2018-02", 9073),
    ("online_retail_physical", "yoy_pct", "2018-01", "2018-02", 35.6),
    ("online_retail_physical", "share_pct", "2018-01", "2018-02", 14.9),
]


def _kind(start: str, end: str) -> str:
    if start == end:
        return "month"
    if start.endswith("-01") and end.endswith("-12"):
        return "year"
    return "cumulative"


@pytest.mark.parametrize("indicator, measure, start, end, expected", REPORT_2019 + RELEASES_2018,
                         ids=lambda v: v if isinstance(v, str) else None)
def test_transcription_value_by_value(official, indicator, measure, start, end, expected):
    prov = data.official_row(official, indicator, measure, start, end)
    assert prov.value == pytest.approx(expected, abs=1e-9), prov
    assert prov.unit == ("%" if measure.endswith("pct") else "亿元")
    # the value stands in the verbatim quote of its release, with a source
    printed = f"{expected:.1f}" if isinstance(expected, float) else str(expected)
    assert number_in_text(printed, prov.quote), prov.quote
    assert prov.source_url.startswith("http")
    assert prov.release_date[:4] in (start[:4], str(int(start[:4]) + 1))
    # series() gives the same value under the period's last month
    s = data.series(official, indicator, measure, _kind(start, end))
    assert s[pd.Period(end, "M")] == pytest.approx(expected, abs=1e-9)


def test_jan_feb_2018_is_one_period_in_the_real_data(official):
    month = data.series(official, "retail_sales_total", "level", "month")
    cumulative = data.series(official, "retail_sales_total", "level", "cumulative")
    feb = pd.Period("2018-02", "M")
    assert month[feb] == cumulative[feb] == 61082
    # no January of its own: NBS prints 1–2月 only
    assert pd.Period("2018-01", "M") not in month.index


# --------------------------------------------------------------------------
# A tiny valid file, then each kind of bad input
# --------------------------------------------------------------------------


def test_tiny_valid_file_loads_and_converts_units(official_dir):
    write_official(official_dir / "y.csv", [
        official_row(indicator="online_retail_total", value="1063.24", unit="十亿元",
                     quote="online retail sales 1063.24 billion yuan"),
        official_row(indicator="express_volume", value="6352000", unit="万件",
                     quote="快递业务量完成6352000万件"),
    ])
    out = data.load_official(official_dir)
    assert len(out) == 7
    online = out[out["indicator"] == "online_retail_total"].iloc[0]
    assert online["value"] == pytest.approx(10632.4)
    assert (online["unit"], online["unit_printed"], online["value_printed"]) == ("亿元", "十亿元", 1063.24)
    express = out[out["indicator"] == "express_volume"].iloc[0]
    assert express["value"] == pytest.approx(635.2) and express["unit"] == "亿件"
    gap = out[out["measure"] == "yoy_real_pct"].iloc[0]
    assert math.isnan(gap["value"])
    assert set(out["source_file"]) == {"x.csv", "y.csv"}


def _assert_names(exc: DataError, path, line: int | None, column: str | None):
    message = str(exc)
    assert str(path) in message, message
    if line is not None:
        assert f"line {line}" in message, message
    if column is not None:
        assert column in message, message


def _load_bad(directory, rows, header=None):
    path = write_official(directory / "bad.csv", rows, header=header)
    with pytest.raises(DataError) as info:
        data.load_official(directory)
    return path, info.value


def test_wrong_header(tmp_path):
    header = list(data.OFFICIAL_COLUMNS)
    header[9] = "quotation"
    path, exc = _load_bad(tmp_path, valid_rows(), header=header)
    _assert_names(exc, path, 1, "column 10: 'quotation' where 'quote' is expected")


def test_header_missing_a_column(tmp_path):
    path, exc = _load_bad(tmp_path, [], header=data.OFFICIAL_COLUMNS[:-1])
    _assert_names(exc, path, 1, "column 12: nothing where 'source_strength' is expected")


def test_wrong_field_count(tmp_path):
    rows = [list(official_row().values()), list(official_row().values())[:-2]]
    path, exc = _load_bad(tmp_path, rows)
    _assert_names(exc, path, 3, "column 'note'")
    assert "10 fields; expected 12" in str(exc)


def test_too_many_fields(tmp_path):
    # an unquoted comma inside the quote splits it
    rows = [list(official_row().values()) + ["同比增长8.0%"]]
    path, exc = _load_bad(tmp_path, rows)
    _assert_names(exc, path, 2, "column 'source_strength'")
    assert "13 fields; expected 12" in str(exc) and "double quotes" in str(exc)


@pytest.mark.parametrize("overrides, column, bad", [
    ({"measure": "yoy_pct", "value": "8.o", "unit": "%"}, "value", "8.o"),
    ({"measure": "yoy_pct", "value": "8,0", "unit": "%"}, "value", "8,0"),
    ({"indicator": "retail_sales_bogus"}, "indicator", "retail_sales_bogus"),
    ({"period_start": "2019-13", "period_end": "2019-13"}, "period_start", "2019-13"),
    ({"period_end": "2019/12"}, "period_end", "2019/12"),
    ({"measure": "yoy_nominal"}, "measure", "yoy_nominal"),
    ({"unit": "元"}, "unit", "元"),
    ({"release_date": "17.01.2020"}, "release_date", "17.01.2020"),
    ({"source_url": "fangchan.com/data/1.html"}, "source_url", "fangchan.com/data/1.html"),
])
def test_schema_errors_name_file_line_column(tmp_path, overrides, column, bad):
    bad_row = official_row(period_start="2019-11", period_end="2019-11")
    bad_row.update(overrides)
    rows = valid_rows() + [bad_row]
    path, exc = _load_bad(tmp_path, rows)
    _assert_names(exc, path, len(rows) + 1, f"column '{column}'")
    assert repr(bad) in str(exc)


def test_duplicate_key(tmp_path):
    rows = valid_rows() + [official_row(value="38778", quote="社会消费品零售总额38778亿元")]
    path, exc = _load_bad(tmp_path, rows)
    # the first copy is line 2, the duplicate the last line
    _assert_names(exc, path, 2, "column 'indicator'")
    _assert_names(exc, path, len(rows) + 1, "column 'period_end'")
    assert "uniqueness" in str(exc)


def test_duplicate_key_across_files(official_dir):
    write_official(official_dir / "z.csv", [official_row()])
    with pytest.raises(DataError) as info:
        data.load_official(official_dir)
    assert "x.csv" in str(info.value) and "z.csv" in str(info.value)
    assert "retail_sales_total" in str(info.value)


def test_value_not_in_quote(tmp_path):
    rows = valid_rows() + [official_row(measure="yoy_pct", value="8.1", unit="%", period_start="2019-11",
                                        period_end="2019-11")]
    path, exc = _load_bad(tmp_path, rows)
    _assert_names(exc, path, len(rows) + 1, "column 'quote'")
    assert "8.1" in str(exc)


def test_value_part_of_a_longer_number_is_not_in_quote(tmp_path):
    # 8.0 must not be "found" in 18.0
    rows = [official_row(measure="yoy_pct", value="8.0", unit="%", quote="同比增长18.0%")]
    path, exc = _load_bad(tmp_path, rows)
    _assert_names(exc, path, 2, "column 'quote'")


def test_empty_value_without_note(tmp_path):
    rows = valid_rows() + [official_row(measure="yoy_real_pct", value="", unit="%", quote="", source_url="")]
    path, exc = _load_bad(tmp_path, rows)
    _assert_names(exc, path, len(rows) + 1, "column 'note'")


def test_value_without_quote_or_url(tmp_path):
    rows = [official_row(source_url="")]
    path, exc = _load_bad(tmp_path, rows)
    _assert_names(exc, path, 2, "column 'source_url'")


def test_negative_level(tmp_path):
    rows = [official_row(value="-38777")]
    path, exc = _load_bad(tmp_path, rows)
    _assert_names(exc, path, 2, "column 'value'")


def test_period_across_years(tmp_path):
    rows = [official_row(period_start="2018-12", period_end="2019-01")]
    path, exc = _load_bad(tmp_path, rows)
    _assert_names(exc, path, 2, "column 'period_end'")


def test_every_problem_is_reported_not_only_the_first(tmp_path):
    rows = valid_rows() + [official_row(period_start="2019-10", period_end="2019-10", value="1"),
                           official_row(period_start="2019-09", period_end="2019-09", value="2")]
    path, exc = _load_bad(tmp_path, rows)
    assert "2 problem(s)" in str(exc)
    _assert_names(exc, path, len(rows), "quote")
    _assert_names(exc, path, len(rows) + 1, "quote")


def test_missing_file(tmp_path):
    missing = tmp_path / "nowhere.csv"
    with pytest.raises(DataError, match="file not found") as info:
        data.read_text_csv(missing, data.OFFICIAL_COLUMNS)
    assert str(missing) in str(info.value)
    with pytest.raises(DataError) as info:
        data.load_claims(missing)
    assert str(missing) in str(info.value)
    with pytest.raises(DataError) as info:
        data.load_official(tmp_path / "empty_dir")
    assert str(tmp_path / "empty_dir") in str(info.value)


def test_not_utf8(tmp_path):
    path = tmp_path / "gbk.csv"
    path.write_bytes(",".join(data.OFFICIAL_COLUMNS).encode() + "\n社会".encode("gbk"))
    with pytest.raises(DataError, match="not UTF-8") as info:
        data.load_official(tmp_path)
    assert str(path) in str(info.value)


# --------------------------------------------------------------------------
# The manifest (on a tmp copy of data/)
# --------------------------------------------------------------------------


def test_manifest_of_copy_matches(tmp_data):
    manifest = data.check_manifest(tmp_data)
    assert "official/nbs_retail_2019.csv" in manifest
    assert "published/claims.csv" in manifest


def test_manifest_changed_file(tmp_data):
    target = tmp_data / "official" / "nbs_retail_2019.csv"
    target.write_text(target.read_text(encoding="utf-8").replace("411649", "411650"), encoding="utf-8")
    with pytest.raises(DataError, match="content differs") as info:
        data.check_manifest(tmp_data)
    assert str(target) in str(info.value)
    assert "nbs_retail_2018.csv" not in str(info.value)


def test_manifest_missing_file(tmp_data):
    target = tmp_data / "official" / "spb_express.csv"
    target.unlink()
    with pytest.raises(DataError, match="missing") as info:
        data.check_manifest(tmp_data)
    assert str(target) in str(info.value)


def test_manifest_unlisted_file(tmp_data):
    extra = tmp_data / "official" / "nbs_retail_2020.csv"
    write_official(extra, [official_row()])
    with pytest.raises(DataError, match="not listed") as info:
        data.check_manifest(tmp_data)
    assert str(extra) in str(info.value)


def test_manifest_missing_manifest(tmp_data):
    (tmp_data / data.MANIFEST_NAME).unlink()
    with pytest.raises(DataError, match="manifest missing") as info:
        data.check_manifest(tmp_data)
    assert data.MANIFEST_NAME in str(info.value)


def test_manifest_update_after_deliberate_edit(tmp_data):
    target = tmp_data / "published" / "claims.csv"
    target.write_bytes(target.read_bytes() + b"\n")
    (tmp_data / "official" / "extra.csv").write_text("x\n", encoding="utf-8")
    with pytest.raises(DataError):
        data.check_manifest(tmp_data)
    data.write_manifest(tmp_data)
    assert "official/extra.csv" in data.check_manifest(tmp_data)


# --------------------------------------------------------------------------
# series()
# --------------------------------------------------------------------------


@pytest.fixture
def small(official_dir):
    write_official(official_dir / "y.csv", [
        official_row(period_start="2019-03", period_end="2019-03", value="31726",
                     quote="2019年3月份,社会消费品零售总额31726亿元"),
        official_row(period_start="2019-01", period_end="2019-03", value="97790",
                     quote="2019年1-3月份,社会消费品零售总额97790亿元"),
        official_row(period_start="2019-05", period_end="2019-05", value="", quote="", source_url="",
                     note="May release not found on any mirror"),
        official_row(period_start="2019-01", period_end="2019-12", value="411649",
                     quote="2019年,社会消费品零售总额411649亿元"),
    ])
    return data.load_official(official_dir)


def test_series_jan_feb_is_one_period_in_month_and_cumulative(small):
    month = data.series(small, "retail_sales_total", "level", "month")
    cumulative = data.series(small, "retail_sales_total", "level", "cumulative")
    feb, mar = pd.Period("2019-02", "M"), pd.Period("2019-03", "M")
    assert month[feb] == 66064 and cumulative[feb] == 66064
    assert pd.Period("2019-01", "M") not in month.index  # never split into January + February
    assert month[mar] == 31726 and cumulative[mar] == 97790
    assert month.index.is_monotonic_increasing
    assert isinstance(month.index, pd.PeriodIndex)


def test_series_gaps_stay_nan(small):
    month = data.series(small, "retail_sales_total", "level", "month")
    may = pd.Period("2019-05", "M")
    assert may in month.index and np.isnan(month[may])
    # an absent month is absent, never filled
    assert pd.Period("2019-04", "M") not in month.index
    real = data.series(small, "retail_sales_total", "yoy_real_pct", "month")
    assert np.isnan(real[pd.Period("2019-02", "M")])


def test_series_year_and_cumulative(small):
    year = data.series(small, "retail_sales_total", "level", "year")
    assert list(year.index) == [pd.Period("2019-12", "M")] and year.iloc[0] == 411649
    cumulative = data.series(small, "retail_sales_total", "level", "cumulative")
    assert cumulative[pd.Period("2019-12", "M")] == 411649
    month = data.series(small, "retail_sales_total", "level", "month")
    assert month[pd.Period("2019-12", "M")] == 38777  # the single month, not the year


def test_series_rejects_unknown_indicator_and_kind(small):
    with pytest.raises(KeyError, match="retail_sales_bogus"):
        data.series(small, "retail_sales_bogus", "level", "month")
    with pytest.raises(ValueError, match="kind"):
        data.series(small, "retail_sales_total", "level", "quarter")


def test_official_row_tells_gap_from_absent(small):
    absent = data.official_row(small, "retail_sales_total", "level", "2019-07", "2019-07")
    assert absent.absent and absent.value is None and not absent.found
    gap = data.official_row(small, "retail_sales_total", "yoy_real_pct", "2019-01", "2019-02")
    assert not gap.absent and gap.value is None and gap.note
    hit = data.official_row(small, "retail_sales_total", "level", "2019-12")  # a single month by default
    assert hit.found and hit.value == 38777 and hit.period == "2019-12"
    assert data.official_value(small, "retail_sales_total", "level", "2019-12") == 38777
    with pytest.raises(KeyError, match="retail_sales_bogus"):
        data.official_row(small, "retail_sales_bogus", "level", "2019-12")


def test_series_single_february_wins_over_jan_feb(official_dir):
    """The State Post Bureau prints both 2月 and 1–2月: "month" takes 2月, "cumulative" 1–2月 (never both)."""
    write_official(official_dir / "spb.csv", [
        official_row(indicator="express_volume", period_start="2019-01", period_end="2019-02", value="72.8",
                     unit="亿件", quote="1-2月,全国快递服务企业业务量累计完成72.8亿件"),
        official_row(indicator="express_volume", period_start="2019-02", period_end="2019-02", value="27.6",
                     unit="亿件", quote="2月,全国快递服务企业业务量完成27.6亿件"),
    ])
    loaded = data.load_official(official_dir)
    month = data.series(loaded, "express_volume", "level", "month")
    cumulative = data.series(loaded, "express_volume", "level", "cumulative")
    feb = pd.Period("2019-02", "M")
    assert list(month.index) == [feb] and month[feb] == pytest.approx(27.6)
    assert list(cumulative.index) == [feb] and cumulative[feb] == pytest.approx(72.8)
    # NBS's 1–2月 (no single February) still stands for February
    assert data.series(loaded, "retail_sales_total", "level", "month")[feb] == 66064


def test_real_series_have_one_value_per_period(official):
    for (indicator, measure), _ in official.groupby(["indicator", "measure"]):
        for kind in ("month", "cumulative", "year"):
            s = data.series(official, indicator, measure, kind)
            assert s.index.is_unique, (indicator, measure, kind, list(s.index[s.index.duplicated()]))


def test_every_quote_of_the_report_stands_in_its_text():
    """The ledger and the dated statements quote the report verbatim (after normalisation)."""
    from ecrights.text import normalise

    text = normalise((PROJECT_ROOT / "data" / "report" / "report_2019.zh-Hans.txt").read_text(encoding="utf-8"))
    for frame in (data.load_claims(), data.load_date_statements()):
        missing = [c for c, row in frame.iterrows() if normalise(row["quote"]) not in text]
        assert not missing, f"quotes not found in the report's text: {missing}"


def test_every_value_has_its_source_strength_and_the_weak_category_rows_say_so(official):
    """source_strength: primary (the release page or its verbatim mirror), reprint (news, English or
    Japanese pages), weak (machine-translated or unverified); none on a gap."""
    valued = official[official["value"].notna()]
    assert set(valued["source_strength"]) <= {"primary", "reprint", "weak"} and (valued["source_strength"] != "").all()
    assert (official.loc[official["value"].isna(), "source_strength"] == "").all()
    year = official[(official["period_start"] == "2019-01") & (official["period_end"] == "2019-12")]
    cosmetics = year[(year["indicator"] == "category_cosmetics") & (year["measure"] == "yoy_pct")].iloc[0]
    furniture = year[(year["indicator"] == "category_furniture") & (year["measure"] == "yoy_pct")].iloc[0]
    assert (cosmetics["value"], cosmetics["source_strength"]) == (12.6, "weak")  # a machine-translated page
    assert (furniture["value"], furniture["source_strength"]) == (5.4, "weak")  # not verified against NBS
    assert {"primary", "reprint", "weak"} <= set(valued["source_strength"])


@pytest.mark.parametrize("strength, value, message", [
    ("strong", "38777", "source_strength"), ("", "38777", "a value needs its source strength"),
    ("primary", "", "a gap has no source strength")])
def test_source_strength_is_checked(tmp_path, strength, value, message):
    row = official_row(value=value, source_strength=strength,
                       **({"source_url": "", "quote": "", "note": "not printed"} if not value else {}))
    path, exc = _load_bad(tmp_path, [row])
    _assert_names(exc, path, 2, "source_strength")
    assert message in str(exc)
