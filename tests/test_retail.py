"""lib/ecrights/sections/retail_growth/analysis.py: panel, contribution, checks."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest

from conftest import official_row, write_official
from ecrights.claims import CONSISTENT, NOT_SOURCED, REPRODUCED, UNCHECKED, ClaimBook
from ecrights.data import load_date_statements, load_forecasts, load_official
from ecrights.sections.retail_growth import analysis, methods


def _year(directory, p, gp, t, gt):
    rows = []
    for indicator, level, growth in (("online_retail_physical", p, gp), ("retail_sales_total", t, gt)):
        quote = f"{level} {growth}"
        rows += [official_row(indicator=indicator, period_start="2019-01", period_end="2019-12", value=str(level),
                              quote=quote),
                 official_row(indicator=indicator, period_start="2019-01", period_end="2019-12", measure="yoy_pct",
                              value=str(growth), unit="%", quote=quote)]
    write_official(directory / "y.csv", rows)
    return load_official(directory)


def test_contribution_on_comparable_bases(tmp_path):
    # P grew 25% to 125 (base 100), T grew 10% to 1100 (base 1000): 25 / 100 = 25%
    official = _year(tmp_path, 125, 25, 1100, 10)
    table = analysis.contribution_table(official, 2019).set_index("quantity")
    assert table.loc["online_retail_physical", "comparable_base"] == pytest.approx(100.0)
    assert table.loc["online_retail_physical", "contribution_pct"] == pytest.approx(25.0)
    assert table.loc["retail_sales_total", "contribution_pct"] == pytest.approx(100.0)


def test_contribution_is_empty_when_an_input_is_missing(tmp_path):
    official = _year(tmp_path, 125, 25, 1100, 10)
    official = official[official["indicator"] != "retail_sales_total"]
    assert analysis.contribution_table(official, 2019).empty


def test_monthly_panel_keeps_gaps_and_drops_an_empty_january(official):
    panel = analysis.monthly_panel(official, "2018-01", "2019-12")
    assert pd.Period("2019-01", "M") not in panel.index  # NBS prints 1–2月, no January of its own
    assert pd.Period("2019-02", "M") in panel.index
    # the derived share within online retail is the ratio of the printed levels
    row = panel.loc[pd.Period("2019-12", "M")]
    assert row["physical_share_of_online"] == pytest.approx(row["physical_cum_level"] / row["online_total_cum_level"] * 100)
    assert panel["retail_total_month_yoy"].isna().any() == bool(panel["retail_total_month_yoy"].isna().sum())


def test_figure_periods_follow_the_report_or_the_parameters():
    dated = load_date_statements()
    from ecrights.params import resolve

    default = resolve(["retail_growth"])["retail_growth"]
    periods = analysis.figure_periods(default, dated)
    assert (periods["start"], periods["end"]) == tuple(dated.loc["rg_fig1_coverage", "period"].split(".."))
    assert periods["share_end"] == dated.loc["rg_fig4_coverage", "period"].split("..")[1]
    custom = resolve(["retail_growth"], overrides=["retail_growth.period_start=2019-03"])["retail_growth"]
    assert analysis.figure_periods(custom, dated)["start"] == "2019-03"


def test_every_claim_of_the_section_gets_a_status(official):
    book = ClaimBook("retail_growth")
    analysis.check_claims(book, official, load_forecasts())
    statuses = {c.claim_id: c.status for c in book.all_checks()}
    assert UNCHECKED not in statuses.values()
    # the headline NBS figures are reproduced from the releases
    for claim in ("rg_retail_total_2019_level", "rg_online_retail_2019_level", "rg_physical_online_share_2019"):
        assert statuses[claim] == REPRODUCED, claim
    # a public figure we have not transcribed is our gap, never "not reproducible"
    for claim, row in book.ledger.iterrows():
        if row["checkable"] == "public_data":
            assert statuses[claim] in (REPRODUCED, CONSISTENT, NOT_SOURCED, "discrepant"), claim
    contribution = book.checks["rg_physical_online_contribution_2019_lb"]
    assert contribution.status == REPRODUCED and contribution.reproduced_value > book.stated(contribution.claim_id)
    assert "P = " in contribution.method("en") and "P = " in contribution.method("zh")


def test_express_forecasts_matched_to_the_spbs_own_statement_are_consistent_not_reproduced(official):
    """The report quotes the State Post Bureau's forecast; the stored statement is that forecast itself:
    the same source, so a match is consistent, never reproduced."""
    book = ClaimBook("retail_growth")
    analysis.check_claims(book, official, load_forecasts())
    for claim_id in analysis.FORECAST_CHECKS:
        check = book.checks[claim_id]
        assert check.status in (CONSISTENT, NOT_SOURCED, "discrepant"), (claim_id, check.status)
        if check.status == CONSISTENT:
            assert "consistent, not reproduced" in check.method("en")
    assert any(book.checks[c].status == CONSISTENT for c in analysis.FORECAST_CHECKS)


def test_the_printed_share_gain_names_its_comparable_basis_value(official):
    """The report's share gain differences printed shares (its definition and the official bodies');
    its note gives the gain on the alternative comparable bases, with the rounding range."""
    book = ClaimBook("retail_growth")
    analysis.check_claims(book, official, load_forecasts())
    claim = book.checks["rg_physical_online_share_gain_2019_pp"]
    year = int(book.period(claim.claim_id)[0][:4])
    gains = analysis.share_gain_table(official, year).set_index("basis")
    comparable = gains.loc["comparable"]
    assert comparable["gain_pp"] < gains.loc["printed", "gain_pp"]
    for lang in ("zh", "en"):
        note = claim.explanations[lang]["note"]
        assert f"{comparable['gain_pp']:.2f}" in note, note
        assert f"{comparable['low']:.2f}–{comparable['high']:.2f}" in note, note


def test_a_difference_falls_back_to_the_reports_own_figures(tmp_path):
    """Without the official inputs, a 'faster by N points' claim is checked only
    against the report's own figures: consistent, never reproduced."""
    write_official(tmp_path / "x.csv", [official_row()])
    book = ClaimBook("retail_growth")
    analysis.check_claims(book, load_official(tmp_path), load_forecasts())
    gap = book.checks["rg_physical_online_growth_gap_2019_pp"]
    assert gap.status == CONSISTENT and "report" in gap.method("en")
    assert book.checks["rg_above_limit_online_share_gain_2019_pp"].status == NOT_SOURCED
    assert book.checks["rg_retail_total_2019_level"].status == NOT_SOURCED


def test_forecast_vs_final(official):
    table = analysis.forecast_vs_final(official, load_forecasts(), ("2019-01", "2019-12")).set_index(
        ["indicator", "measure"])
    volume = table.loc[("express_volume", "level")]
    assert volume["forecast"] is not None and volume["final"] is not None
    assert volume["final_minus_forecast"] == pytest.approx(volume["final"] - volume["forecast"])
    assert np.isfinite(volume["final_minus_forecast"])


# -- rounding, bases, the rest of online sales, real growth ----------------------

def test_contribution_carries_the_printed_rounding(tmp_path, official):
    table = analysis.contribution_table(_year(tmp_path, 125, 25, 1100, 10), 2019).iloc[0]
    assert table["contribution_low"] < 25.0 < table["contribution_high"]
    real = analysis.contribution_table(official, 2019).iloc[0]
    # the printed numbers leave it between about 45.3% and 46.0%: the report's "above 45%" holds throughout
    assert (round(real["contribution_low"], 1), round(real["contribution_high"], 1)) == (45.3, 46.0)


def test_share_gain_on_printed_and_comparable_bases(official):
    table = analysis.share_gain_table(official, 2019).set_index("basis")
    printed, comparable = table.loc["printed"], table.loc["comparable"]
    assert printed["gain_pp"] == pytest.approx(2.3) and (printed["low"], printed["high"]) == pytest.approx((2.2, 2.4))
    # last year's share on this year's comparable bases is higher than the printed one: the gain is smaller
    assert comparable["share_before"] > printed["share_before"]
    assert comparable["gain_pp"] == pytest.approx(2.0, abs=0.05)
    assert comparable["low"] <= comparable["gain_pp"] <= comparable["high"] < printed["low"]
    assert "1.99" in analysis.share_gain_sentence(analysis.share_gain_table(official, 2019), 2019, "en")


def test_non_physical_online_sales_by_hand(tmp_path):
    rows = []
    for indicator, level, growth in (("online_retail_total", 150, 50), ("online_retail_physical", 88, 10)):
        quote = f"{level} {growth}"
        rows += [official_row(indicator=indicator, period_start="2019-01", period_end="2019-12", value=str(level),
                              quote=quote),
                 official_row(indicator=indicator, period_start="2019-01", period_end="2019-12", measure="yoy_pct",
                              value=str(growth), unit="%", quote=quote)]
    write_official(tmp_path / "y.csv", rows)
    frame = analysis.non_physical_online(load_official(tmp_path), "2019-12", "2019-12")
    row = frame.loc[pd.Period("2019-12", "M")]
    # the rest is 62 on a comparable base of 100 − 80 = 20: +210%
    assert row["non_physical_level"] == 62 and row["non_physical_growth"] == pytest.approx(210.0)
    assert row["non_physical_growth_low"] < 210.0 < row["non_physical_growth_high"]
    # English prints trillions of yuan (1 万亿元 = 10,000 亿元): 62 亿元 = 0.0062 trillion
    assert "0.0062 trillion yuan" in analysis.non_physical_sentence(frame, "2019-12", "en")
    assert "62 亿元" in analysis.non_physical_sentence(frame, "2019-12", "zh")


def test_real_growth_beside_nominal(official):
    table = analysis.real_growth_table(official, "2019-01", "2019-12").set_index("period")
    year = table.loc["2019-01..2019-12"]
    assert year["kind"] == "cumulative"
    expected = ((1 + year["nominal_pct"] / 100) / (1 + year["real_pct"] / 100) - 1) * 100
    assert year["price_change_pct"] == pytest.approx(expected)
    assert year["price_low"] < year["price_change_pct"] < year["price_high"]


# -- checks of the project's method against other bodies' statements ------------

def _statements(rows: list[dict]) -> pd.DataFrame:
    frame = pd.DataFrame(rows)
    frame["body"] = "商务部"
    return frame.set_index("statement_id", drop=False)


def test_comparison_period_from_the_statement_id():
    assert methods.comparison_period("x_vs_q1", "2019-01", "2019-06") == ("2019-01", "2019-03")
    assert methods.comparison_period("x_vs_2016", "2017-01", "2017-12") == ("2016-01", "2016-12")
    assert methods.comparison_period("x_yoy", "2019-01", "2019-04") == ("2018-01", "2018-04")
    assert methods.comparison_period("x_contribution", "2019-01", "2019-04") is None


def test_method_checks_by_hand(tmp_path):
    # P 125 (+25%), T 1100 (+10%): contribution 25% on comparable bases
    official = _year(tmp_path, 125, 25, 1100, 10)
    statements = _statements([
        {"statement_id": "a_contribution", "metric": "physical_online_contribution_pct", "period_start": "2019-01",
         "period_end": "2019-12", "value": 25.0},
        {"statement_id": "b_contribution", "metric": "physical_online_contribution_pct", "period_start": "2019-01",
         "period_end": "2019-12", "value": 27.0},
        {"statement_id": "c_gap", "metric": "growth_gap_pp", "period_start": "2019-01", "period_end": "2019-12",
         "value": 15.0},
        {"statement_id": "d_change", "metric": "share_change_pp", "period_start": "2019-01", "period_end": "2019-12",
         "value": 1.4},
        {"statement_id": "e_change_yoy", "metric": "share_change_pp", "period_start": "2019-01",
         "period_end": "2019-12", "value": 1.4},
    ])
    checks = methods.method_checks(official, statements)
    primary = checks[checks["primary"]].set_index("statement_id")
    assert primary.loc["a_contribution", "status"] == "reproduced" and primary.loc["a_contribution", "method"] == "comparable"
    assert primary.loc["b_contribution", "status"] == "discrepant"
    assert primary.loc["c_gap", "status"] == "reproduced"
    assert primary.loc["d_change", "status"] == "not_understood"  # the id names no comparison period
    # a share's change is the difference of the printed shares (the report's and the bodies' definition);
    # last year's share on the comparable bases is an alternative: 11.36 − 10 = 1.36 → 1.4 as printed
    assert primary.loc["e_change_yoy", "method"] == "printed"
    alternative = checks[(checks["statement_id"] == "e_change_yoy") & (checks["method"] == "comparable")].iloc[0]
    assert alternative["status"] == "reproduced" and not alternative["primary"]
    levels = checks[(checks["statement_id"] == "a_contribution") & (checks["method"] == "levels")].iloc[0]
    assert levels["status"] == "inputs_missing" and "P 2018-01..2018-12" in levels["missing"]
    summary = methods.method_check_summary(checks)
    # no printed shares in this ledger: the change is reproduced only by the alternative (comparable)
    assert summary["total"] == 5 and summary["primary"] == 2 and summary["other"] == 1
    assert "5" in methods.method_check_sentence(summary, "en")
    for language in ("zh", "en"):  # one row per statement and method, words in the edition's language
        view = methods.method_check_view(checks, language)
        assert len(view) == len(checks) and list(view["statement_id"]) == list(checks["statement_id"])
    assert set(methods.method_check_view(checks, "en")["body"]) == {"Ministry of Commerce"}
    assert set(methods.method_check_view(checks, "zh")["body"]) == {"商务部"}
    facts = methods.method_check_facts(checks[checks["primary"]].iloc[0])
    assert (facts["status_zh"], facts["status_en"], facts["method_en"]) == (
        "重现", "reproduced", "comparable bases: last year = this year / (1 + growth)")


def test_method_checks_on_the_published_statements(official):
    from ecrights.data import load_method_statements

    checks = methods.method_checks(official, load_method_statements())
    by = checks.set_index(["statement_id", "method"])["status"]
    # MOFCOM's H1 2019 contribution is the project's arithmetic (comparable bases) ...
    assert by[("mofcom_2019h1_physical_online_contribution", "comparable")] == "reproduced"
    # ... its 2017 contribution is not: it measured the increase from 2016's printed levels
    assert by[("mofcom_2017_physical_online_contribution", "comparable")] == "discrepant"
    assert by[("mofcom_2017_physical_online_contribution", "levels")] == "reproduced"
    assert set(checks["status"]) <= set(methods.METHOD_STATUSES)
    assert checks.groupby("statement_id")["primary"].sum().le(1).all()  # one method is the project's


def test_the_share_gain_is_the_difference_of_printed_shares_and_the_comparable_basis_an_alternative(official):
    """The report's (and MOFCOM's, NBS's) definition first: 2.3 points in 2019; the comparable basis
    (1.99) as an alternative, not a correction; the bodies' own statements say which definition they use."""
    from ecrights.data import load_method_statements

    checks = methods.method_checks(official, load_method_statements())
    shares = checks[checks["metric"] == "share_change_pp"]
    assert set(shares.loc[shares["primary"], "method"]) == {"printed"}
    facts = methods.share_definition_facts(checks)
    assert facts["printed_reproduced"] == facts["n_printed"] == 7
    assert facts["comparable_reproduced"] < facts["n_comparable"]
    by = checks.set_index(["statement_id", "method"])["status"]
    assert by[("mofcom_2017_share_change_vs_2016", "printed")] == "reproduced"
    assert by[("mofcom_2017_share_change_vs_2016", "comparable")] == "discrepant"
    gains = analysis.share_gain_table(official, 2019).set_index("basis")
    assert gains.loc["printed", "gain_pp"] == pytest.approx(2.3)
    assert gains.loc["comparable", "gain_pp"] == pytest.approx(1.99, abs=0.005)
    en = analysis.share_gain_sentence(gains.reset_index(), 2019, "en", checks)
    assert en.startswith("As the report defines it, differencing the two years' printed shares, the share rose by 2.3")
    assert "not a correction of the report" in en and "7 reproduce as that difference, only 2 of 4" in en
    zh = analysis.share_gain_sentence(gains.reset_index(), 2019, "zh", checks)
    assert zh.startswith("按报告的口径") and "不是对报告的更正" in zh and "也应同口径比较" not in zh


# -- what the notebook shows: words in the edition's language ----------------------

@pytest.mark.parametrize("language", ["zh", "en"])
def test_views_speak_the_editions_language(official, language):
    from ecrights.data import coverage

    foreign = r"[\u4e00-\u9fff]" if language == "en" else r"[A-Za-z]{2,}"
    contribution = analysis.contribution_view(analysis.contribution_table(official, 2019), language)
    gains = analysis.share_gain_view(analysis.share_gain_table(official, 2019), language)
    real = analysis.real_growth_view(analysis.real_growth_table(official, "2019-01", "2019-12"), language)
    express = analysis.express_view(analysis.forecast_vs_final(official, load_forecasts(), ("2019-01", "2019-12")),
                                    language)
    cov = analysis.coverage_view(coverage(official, ["retail_sales_total", "online_retail_total", "online_retail_physical"],
                                          "yoy_pct", "cumulative").loc["2018-01":"2019-12"], language)
    assert (cov == ("缺口" if language == "zh" else "gap")).any().any()  # a recorded gap, said in the edition's words
    words = [*contribution["quantity"], *gains["basis"], *real["kind"], *express["indicator"], *express["measure"],
             *express["unit"], *cov.columns[1:], *cov.iloc[:, 1:].to_numpy().ravel()]
    assert words and not [w for w in words if re.search(foreign, str(w))]
    assert analysis.indicator_name("retail_sales_total", "zh") == "社会消费品零售总额"
    assert len(gains) == 2 and len(contribution) == 2


def test_the_english_claims_table_marks_the_chinese_titles_it_quotes(official, tmp_path):
    from ecrights.params import resolve
    from ecrights.report import language
    from ecrights.notebook import show_claims
    from ecrights.results import SectionRecord

    params = resolve(["retail_growth"])["retail_growth"]
    record = SectionRecord.open("retail_growth", params, str(tmp_path), language="en")
    analysis.check_claims(record.claims, official, load_forecasts())
    html = f'<html lang="en"><body>{show_claims(record).to_html()}</body></html>'
    assert 'lang="zh-Hans">“' in html  # a release title, quoted and marked as Chinese
    counted = language.count(html, "en")
    assert counted.foreign == 0, counted.passages[:5]


def test_a_period_outside_the_data_is_a_clear_parameter_error(official):
    """period_start past every official month: an error naming the parameter and the data's coverage,
    not a failed figure deep in matplotlib; start after end is caught once 'report' is resolved."""
    from ecrights.params import ParameterError, resolve

    dated = load_date_statements()
    late = resolve(["retail_growth"], overrides=["retail_growth.period_start=2035-01"])["retail_growth"]
    with pytest.raises(ParameterError, match=r"period_start = 2035-01 is after retail_growth\.period_end = \d{4}-\d{2} "
                                             r"\(after 'report' is resolved\)"):
        analysis.figure_periods(late, dated, official)
    future = resolve(["retail_growth"], overrides=["retail_growth.period_start=2035-01", "retail_growth.period_end=2035-06",
                                                    "retail_growth.share_period_end=2035-06"])["retail_growth"]
    with pytest.raises(ParameterError, match=r"2035-01\.\.2035-06: no official monthly data in that period; "
                                             r"data/official covers \d{4}-\d{2}\.\.\d{4}-\d{2}"):
        analysis.figure_periods(future, dated, official)
    assert analysis.figure_periods(resolve(["retail_growth"])["retail_growth"], dated, official)["start"]
