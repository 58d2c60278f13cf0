"""一(一)(二): retail growth and the shift online (pure functions).

Every claim of the section is checked against the official data through the
shared checks (ecrights.claims); each explanation is a template of the
section's texts.yaml filled with the facts computed here, so a reviewer can
redo the arithmetic by hand.
"""

from __future__ import annotations

import pandas as pd

from ... import derive
from ...claims import ClaimBook, check_against_official, ledger_period
from ...data import official_row, official_value, series

# claim -> (indicator, measure) of the printed official value that checks it
# (the period is the claim's own, from the ledger)
OFFICIAL_CHECKS = {
    "rg_retail_total_2019_level": ("retail_sales_total", "level"),
    "rg_retail_total_2019_yoy": ("retail_sales_total", "yoy_pct"),
    "rg_retail_total_2019_real_yoy": ("retail_sales_total", "yoy_real_pct"),
    "rg_retail_ex_auto_2019_level": ("retail_sales_ex_auto", "level"),
    "rg_retail_ex_auto_2019_yoy": ("retail_sales_ex_auto", "yoy_pct"),
    "rg_retail_total_2019_12_level": ("retail_sales_total", "level"),
    "rg_retail_total_2019_12_yoy": ("retail_sales_total", "yoy_pct"),
    "rg_retail_ex_auto_2019_12_level": ("retail_sales_ex_auto", "level"),
    "rg_retail_ex_auto_2019_12_yoy": ("retail_sales_ex_auto", "yoy_pct"),
    "rg_online_retail_2019_level": ("online_retail_total", "level"),
    "rg_online_retail_2019_yoy": ("online_retail_total", "yoy_pct"),
    "rg_physical_online_2019_level": ("online_retail_physical", "level"),
    "rg_physical_online_2019_yoy": ("online_retail_physical", "yoy_pct"),
    "rg_physical_online_share_2019": ("online_retail_physical", "share_pct"),
    "rg_physical_online_share_2018": ("online_retail_physical", "share_pct"),
    "rg_physical_online_food_2019_yoy": ("online_retail_physical_food", "yoy_pct"),
    "rg_physical_online_clothing_2019_yoy": ("online_retail_physical_clothing", "yoy_pct"),
    "rg_physical_online_daily_use_2019_yoy": ("online_retail_physical_use", "yoy_pct"),
    "rg_physical_store_above_limit_2019_yoy": ("store_retail_above_size", "yoy_pct"),
    "rg_supermarket_above_limit_2019_yoy": ("store_format_supermarket", "yoy_pct"),
    "rg_convenience_above_limit_2019_yoy": ("store_format_convenience", "yoy_pct"),
    "rg_above_limit_online_share_2019": ("above_size_internet_retail", "share_pct"),
}

# "faster by N points" claims: claim -> ((indicator, measure, year offset) of a and b, the claims
# stating a and b in the report (used when an official value is missing), labels)
DIFFERENCE_CHECKS = {
    "rg_physical_online_growth_gap_2019_pp": (
        ("online_retail_physical", "yoy_pct", 0), ("retail_sales_total", "yoy_pct", 0),
        ("rg_physical_online_2019_yoy", "rg_retail_total_2019_yoy")),
    "rg_physical_online_share_gain_2019_pp": (
        ("online_retail_physical", "share_pct", 0), ("online_retail_physical", "share_pct", -1),
        ("rg_physical_online_share_2019", "rg_physical_online_share_2018")),
    "rg_supermarket_growth_gap_2019_pp": (
        ("store_format_supermarket", "yoy_pct", 0), ("store_retail_above_size", "yoy_pct", 0),
        ("rg_supermarket_above_limit_2019_yoy", "rg_physical_store_above_limit_2019_yoy")),
    "rg_convenience_growth_gap_2019_pp": (
        ("store_format_convenience", "yoy_pct", 0), ("store_retail_above_size", "yoy_pct", 0),
        ("rg_convenience_above_limit_2019_yoy", "rg_physical_store_above_limit_2019_yoy")),
    "rg_above_limit_online_share_gain_2019_pp": (
        ("above_size_internet_retail", "share_pct", 0), ("above_size_internet_retail", "share_pct", -1), None),
}

FORECAST_CHECKS = {
    "rg_express_volume_2019_forecast": ("express_volume", "level"),
    "rg_express_revenue_2019_forecast": ("express_revenue", "level"),
    "rg_express_volume_2019_yoy_forecast": ("express_volume", "yoy_pct"),
    "rg_express_revenue_2019_yoy_forecast": ("express_revenue", "yoy_pct"),
}


def _shift_year(period: tuple[str, str], years: int) -> tuple[str, str]:
    return tuple(f"{int(p[:4]) + years}{p[4:]}" for p in period)


def figure_period(dated: pd.DataFrame, claim_id: str) -> tuple[str, str]:
    """The months a figure of the report covers (its title's period), from the dated statements."""
    return ledger_period(dated.loc[claim_id, "period"])


def figure_periods(params, dated: pd.DataFrame) -> dict[str, str]:
    """The months of Figures 1–4: the parameters, where 'report' means the
    period the report's own figure covers."""
    fig1 = figure_period(dated, "rg_fig1_coverage")
    fig4 = figure_period(dated, "rg_fig4_coverage")
    pick = lambda value, default: default if value == "report" else value  # noqa: E731
    return {"start": pick(params.period_start, fig1[0]), "end": pick(params.period_end, fig1[1]),
            "share_end": pick(params.share_period_end, fig4[1])}


def contribution_table(official: pd.DataFrame, year: int) -> pd.DataFrame:
    """Contribution of physical-goods online sales to total retail growth.

    contribution = (P − P/(1+gP)) / (T − T/(1+gT)), on NBS's comparable bases.
    """
    y0, y1 = f"{year}-01", f"{year}-12"
    p = official_value(official, "online_retail_physical", "level", y0, y1)
    gp = official_value(official, "online_retail_physical", "yoy_pct", y0, y1)
    t = official_value(official, "retail_sales_total", "level", y0, y1)
    gt = official_value(official, "retail_sales_total", "yoy_pct", y0, y1)
    if None in (p, gp, t, gt):
        return pd.DataFrame()
    p_base, t_base = derive.comparable_base(p, gp), derive.comparable_base(t, gt)
    return pd.DataFrame({
        "quantity": ["online_retail_physical", "retail_sales_total"],
        "level": [p, t], "growth_pct": [gp, gt],
        "comparable_base": [p_base, t_base],
        "increase": [p - p_base, t - t_base],
    }).assign(contribution_pct=lambda f: f["increase"] / f["increase"].iloc[1] * 100)


def monthly_panel(official: pd.DataFrame, start: str, end: str) -> pd.DataFrame:
    """The series behind Figures 1–4, indexed by month (gaps kept as NaN)."""
    months = pd.period_range(start, end, freq="M")
    cols = {
        "retail_total_month_yoy": series(official, "retail_sales_total", "yoy_pct", "month"),
        "retail_total_cum_yoy": series(official, "retail_sales_total", "yoy_pct", "cumulative"),
        "online_total_cum_level": series(official, "online_retail_total", "level", "cumulative"),
        "online_total_cum_yoy": series(official, "online_retail_total", "yoy_pct", "cumulative"),
        "physical_cum_level": series(official, "online_retail_physical", "level", "cumulative"),
        "physical_cum_yoy": series(official, "online_retail_physical", "yoy_pct", "cumulative"),
        "physical_share_of_retail": series(official, "online_retail_physical", "share_pct", "cumulative"),
        "food_cum_yoy": series(official, "online_retail_physical_food", "yoy_pct", "cumulative"),
        "clothing_cum_yoy": series(official, "online_retail_physical_clothing", "yoy_pct", "cumulative"),
        "use_cum_yoy": series(official, "online_retail_physical_use", "yoy_pct", "cumulative"),
    }
    panel = pd.DataFrame({k: v[~v.index.duplicated()] for k, v in cols.items()}).reindex(months)
    # derived (not data): the physical share within online retail (Figure 4's title)
    panel["physical_share_of_online"] = derive.share_pct(panel["physical_cum_level"], panel["online_total_cum_level"])
    # January has no release of its own (NBS prints 1–2月): drop it unless present
    return panel[~((panel.index.month == 1) & panel.isna().all(axis=1))]


def forecast_row(forecasts: pd.DataFrame, indicator: str, measure: str, period: tuple[str, str]) -> pd.Series | None:
    """The forecast statement for the period made after it ended (the report's: early the next year)."""
    start, end = period
    rows = forecasts[(forecasts["indicator"] == indicator) & (forecasts["measure"] == measure)
                     & (forecasts["period_start"] == start) & (forecasts["period_end"] == end)
                     & (forecasts["statement_date"] > end)]
    return None if rows.empty else rows.iloc[0]


def forecast_vs_final(official: pd.DataFrame, forecasts: pd.DataFrame, period: tuple[str, str]) -> pd.DataFrame:
    """SPB's forecast for the year against its later final figure."""
    rows = []
    for indicator, measure in [("express_volume", "level"), ("express_revenue", "level"),
                               ("express_volume", "yoy_pct"), ("express_revenue", "yoy_pct")]:
        f = forecast_row(forecasts, indicator, measure, period)
        a = official_value(official, indicator, measure, *period)
        forecast = None if f is None else float(f["value"])
        rows.append({"indicator": indicator, "measure": measure, "forecast": forecast, "final": a,
                     "final_minus_forecast": None if forecast is None or a is None else a - forecast})
    return pd.DataFrame(rows)


def check_claims(book: ClaimBook, official: pd.DataFrame, forecasts: pd.DataFrame) -> None:
    """Every claim of section 一(一)(二) against the official data."""
    for claim_id, (indicator, measure) in OFFICIAL_CHECKS.items():
        check_against_official(book, claim_id, official, indicator, measure)

    for claim_id, (a_spec, b_spec, stated_pair) in DIFFERENCE_CHECKS.items():
        period = book.period(claim_id)
        a = official_row(official, a_spec[0], a_spec[1], *_shift_year(period, a_spec[2]))
        b = official_row(official, b_spec[0], b_spec[1], *_shift_year(period, b_spec[2]))
        labels = {"label_a": f"{a.indicator} {a.measure} {a.period}", "label_b": f"{b.indicator} {b.measure} {b.period}",
                  "label_a_zh": f"{_zh(a)}（{a.period}）", "label_b_zh": f"{_zh(b)}（{b.period}）"}
        if a.found and b.found:
            book.check(claim_id, derive.percentage_point_difference(a.value, b.value), explain="difference_official",
                       facts={**labels, "a": a.value, "b": b.value})
        elif stated_pair:
            sa, sb = book.stated(stated_pair[0]), book.stated(stated_pair[1])
            book.check(claim_id, derive.percentage_point_difference(sa, sb), basis="report",
                       explain="difference_report",
                       facts={**labels, "a": sa, "b": sb, "claim_a": stated_pair[0], "claim_b": stated_pair[1]})
        else:
            book.not_sourced(claim_id, "difference_not_sourced", labels)

    claim_id = "rg_physical_online_contribution_2019_lb"
    year = int(book.period(claim_id)[0][:4])
    table = contribution_table(official, year)
    if table.empty:
        book.not_sourced(claim_id, "contribution_not_sourced", {"year": year})
    else:
        p, t = table.iloc[0], table.iloc[1]
        book.check(claim_id, p["contribution_pct"], explain="contribution",
                   facts={"p": p["level"], "gp": p["growth_pct"], "t": t["level"], "gt": t["growth_pct"]})

    # The express-delivery numbers are the State Post Bureau's forecast: the
    # claim is checked against SPB's own forecast statement.
    for claim_id, (indicator, measure) in FORECAST_CHECKS.items():
        period = book.period(claim_id)
        f = forecast_row(forecasts, indicator, measure, period)
        if f is None:
            book.not_sourced(claim_id, "forecast_not_sourced", {"indicator": indicator})
            continue
        final = official_value(official, indicator, measure, *period)
        book.check(claim_id, float(f["value"]), explain="forecast" if final is not None else "forecast_final_gap",
                   facts={"final": final, "statement_title": f["statement_title"],
                          "statement_date": f["statement_date"]})


def _zh(row) -> str:
    from ...claims import MEASURE_LABELS
    from ...data.vocabulary import INDICATORS

    return f"{INDICATORS[row.indicator]}{MEASURE_LABELS[row.measure][0]}"
