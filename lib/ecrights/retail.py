"""Section 一(一)(二): retail growth and the shift online (pure functions).

Each `check_*` function compares the report's claims with the official data
and records a status in a ClaimBook; the method string says exactly what was
computed, so a reviewer can redo it by hand.
"""

from __future__ import annotations

import math

import pandas as pd

from . import derive
from .claims import ClaimBook
from .data import series


def official_value(official: pd.DataFrame, indicator: str, measure: str, start: str, end: str) -> float | None:
    """One printed value (canonical unit), or None when it is a gap or absent."""
    rows = official[(official["indicator"] == indicator) & (official["measure"] == measure)
                    & (official["period_start"] == pd.Period(start, "M"))
                    & (official["period_end"] == pd.Period(end, "M"))]
    if rows.empty or pd.isna(rows.iloc[0]["value"]):
        return None
    return float(rows.iloc[0]["value"])


def gap_reason(indicator: str, measure: str, start: str, end: str) -> str:
    return (f"the official value ({indicator} {measure} {start}..{end}) is a gap in data/official: "
            "the release that prints it was not found among the mirrored pages searched")


def check_against_official(book: ClaimBook, claim_id: str, official: pd.DataFrame, indicator: str,
                           measure: str, start: str, end: str, why_discrepant: str = "") -> None:
    value = official_value(official, indicator, measure, start, end)
    if value is None:
        book.not_reproducible(claim_id, gap_reason(indicator, measure, start, end))
        return
    book.check(claim_id, value, method=f"NBS printed {indicator} {measure} for {start}..{end}",
               why_discrepant=why_discrepant)


def check_difference(book: ClaimBook, claim_id: str, minuend: tuple[str, float | None],
                     subtrahend: tuple[str, float | None], fallback: tuple[str, str] | None = None) -> None:
    """A 'faster by N points' claim: official a − b, else the report's own numbers.

    minuend/subtrahend are (label, official value or None); fallback is a pair
    of claim ids whose stated values are used (an arithmetic-consistency
    check) when an official value is missing.
    """
    (label_a, a), (label_b, b) = minuend, subtrahend
    if a is not None and b is not None:
        book.check(claim_id, derive.percentage_point_difference(a, b),
                   method=f"official {label_a} ({a}) − {label_b} ({b})")
    elif fallback:
        sa, sb = book.stated(fallback[0]), book.stated(fallback[1])
        book.check(claim_id, derive.percentage_point_difference(sa, sb), basis="report",
                   method=f"arithmetic on the report's own figures: {fallback[0]} ({sa}) − {fallback[1]} ({sb}); "
                          "official data has a gap here")
    else:
        book.not_reproducible(claim_id, f"official {label_a} or {label_b} is a gap in data/official")


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
        "quantity": ["实物商品网上零售额 P", "社会消费品零售总额 T"],
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


def check_claims(book: ClaimBook, official: pd.DataFrame, forecasts: pd.DataFrame, year: int) -> None:
    """Every claim of section 一(一)(二) against the official data."""
    y0, y1, dec = f"{year}-01", f"{year}-12", f"{year}-12"
    prev0, prev1 = f"{year - 1}-01", f"{year - 1}-12"
    o = lambda cid, ind, meas, s=y0, e=y1: check_against_official(book, cid, official, ind, meas, s, e)  # noqa: E731
    o("rg_retail_total_2019_level", "retail_sales_total", "level")
    o("rg_retail_total_2019_yoy", "retail_sales_total", "yoy_pct")
    o("rg_retail_total_2019_real_yoy", "retail_sales_total", "yoy_real_pct")
    o("rg_retail_ex_auto_2019_level", "retail_sales_ex_auto", "level")
    o("rg_retail_ex_auto_2019_yoy", "retail_sales_ex_auto", "yoy_pct")
    o("rg_retail_total_2019_12_level", "retail_sales_total", "level", dec, dec)
    o("rg_retail_total_2019_12_yoy", "retail_sales_total", "yoy_pct", dec, dec)
    o("rg_retail_ex_auto_2019_12_level", "retail_sales_ex_auto", "level", dec, dec)
    o("rg_retail_ex_auto_2019_12_yoy", "retail_sales_ex_auto", "yoy_pct", dec, dec)
    o("rg_online_retail_2019_level", "online_retail_total", "level")
    o("rg_online_retail_2019_yoy", "online_retail_total", "yoy_pct")
    o("rg_physical_online_2019_level", "online_retail_physical", "level")
    o("rg_physical_online_2019_yoy", "online_retail_physical", "yoy_pct")
    o("rg_physical_online_share_2019", "online_retail_physical", "share_pct")
    o("rg_physical_online_share_2018", "online_retail_physical", "share_pct", prev0, prev1)
    o("rg_physical_online_food_2019_yoy", "online_retail_physical_food", "yoy_pct")
    o("rg_physical_online_clothing_2019_yoy", "online_retail_physical_clothing", "yoy_pct")
    o("rg_physical_online_daily_use_2019_yoy", "online_retail_physical_use", "yoy_pct")
    o("rg_physical_store_above_limit_2019_yoy", "store_retail_above_size", "yoy_pct")
    o("rg_supermarket_above_limit_2019_yoy", "store_format_supermarket", "yoy_pct")
    o("rg_convenience_above_limit_2019_yoy", "store_format_convenience", "yoy_pct")
    o("rg_above_limit_online_share_2019", "above_size_internet_retail", "share_pct")

    v = lambda ind, meas, s=y0, e=y1: official_value(official, ind, meas, s, e)  # noqa: E731
    check_difference(book, "rg_physical_online_growth_gap_2019_pp",
                     ("physical online growth", v("online_retail_physical", "yoy_pct")),
                     ("total retail growth", v("retail_sales_total", "yoy_pct")),
                     ("rg_physical_online_2019_yoy", "rg_retail_total_2019_yoy"))
    check_difference(book, "rg_physical_online_share_gain_2019_pp",
                     ("2019 share", v("online_retail_physical", "share_pct")),
                     ("2018 share", v("online_retail_physical", "share_pct", prev0, prev1)),
                     ("rg_physical_online_share_2019", "rg_physical_online_share_2018"))
    store = v("store_retail_above_size", "yoy_pct")
    check_difference(book, "rg_supermarket_growth_gap_2019_pp",
                     ("supermarket growth", v("store_format_supermarket", "yoy_pct")), ("store retail growth", store),
                     ("rg_supermarket_above_limit_2019_yoy", "rg_physical_store_above_limit_2019_yoy"))
    check_difference(book, "rg_convenience_growth_gap_2019_pp",
                     ("convenience growth", v("store_format_convenience", "yoy_pct")), ("store retail growth", store),
                     ("rg_convenience_above_limit_2019_yoy", "rg_physical_store_above_limit_2019_yoy"))
    check_difference(book, "rg_above_limit_online_share_gain_2019_pp",
                     ("2019 internet share", v("above_size_internet_retail", "share_pct")),
                     ("2018 internet share", v("above_size_internet_retail", "share_pct", prev0, prev1)))

    table = contribution_table(official, year)
    if table.empty:
        book.not_reproducible("rg_physical_online_contribution_2019_lb", "an input of the contribution is a gap")
    else:
        book.check("rg_physical_online_contribution_2019_lb", table["contribution_pct"].iloc[0],
                   method="(P − P/(1+gP)) / (T − T/(1+gT)) × 100 with NBS's printed full-year levels and growth "
                          "(comparable bases)")

    # The express-delivery numbers are the State Post Bureau's forecast: the
    # claim is checked against SPB's own forecast statement.
    for claim_id, indicator, measure in [
        ("rg_express_volume_2019_forecast", "express_volume", "level"),
        ("rg_express_revenue_2019_forecast", "express_revenue", "level"),
        ("rg_express_volume_2019_yoy_forecast", "express_volume", "yoy_pct"),
        ("rg_express_revenue_2019_yoy_forecast", "express_revenue", "yoy_pct"),
    ]:
        stated = forecast_value(forecasts, indicator, measure, year)
        if stated is None:
            book.not_reproducible(claim_id, "SPB's forecast statement was not found")
            continue
        final = official_value(official, indicator, measure, y0, y1)
        note = (f"SPB's final figure: {final:g}" if final is not None else "SPB's final figure is a gap in data/official")
        book.check(claim_id, stated, method="SPB forecast statement (data/published/spb_forecasts.csv)", note=note)


def forecast_value(forecasts: pd.DataFrame, indicator: str, measure: str, year: int) -> float | None:
    rows = forecasts[(forecasts["indicator"] == indicator) & (forecasts["measure"] == measure)
                     & (forecasts["period_start"] == f"{year}-01") & (forecasts["period_end"] == f"{year}-12")
                     & forecasts["statement_date"].str.startswith(str(year + 1))]
    if rows.empty:
        return None
    value = float(rows.iloc[0]["value"])
    return None if math.isnan(value) else value


def forecast_vs_final(official: pd.DataFrame, forecasts: pd.DataFrame, year: int) -> pd.DataFrame:
    """SPB's forecast for the year against its later final figure."""
    rows = []
    for indicator, measure, zh in [("express_volume", "level", "快递业务量 (亿件)"),
                                   ("express_revenue", "level", "快递业务收入 (亿元)"),
                                   ("express_volume", "yoy_pct", "快递业务量增长 (%)"),
                                   ("express_revenue", "yoy_pct", "快递业务收入增长 (%)")]:
        f = forecast_value(forecasts, indicator, measure, year)
        a = official_value(official, indicator, measure, f"{year}-01", f"{year}-12")
        rows.append({"quantity": zh, "forecast": f, "final": a,
                     "final_minus_forecast": None if f is None or a is None else a - f})
    return pd.DataFrame(rows)
