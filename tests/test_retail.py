"""lib/ecrights/sections/retail_growth/analysis.py: panel, contribution, checks."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from conftest import official_row, write_official
from ecrights.claims import CONSISTENT, NOT_SOURCED, REPRODUCED, UNCHECKED, ClaimBook
from ecrights.data import load_date_statements, load_forecasts, load_official
from ecrights.sections.retail_growth import analysis


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
