"""Derivations from printed official figures (pure functions, no I/O).

NBS prints growth rates on a revised comparable base, so last year's
comparable level is recovered from this year's printed level and rate:

    base = level / (1 + growth / 100)

and never from last year's printed level (which differs after revisions).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .data import series


def comparable_base(level, growth_pct):
    """Prior-year level on NBS's comparable base: level / (1 + g/100)."""
    return level / (1.0 + growth_pct / 100.0)


def percentage_point_difference(a: float, b: float) -> float:
    """a − b, for rates in %."""
    return float(a) - float(b)


def contribution_pct(part_level: float, part_growth_pct: float,
                     total_level: float, total_growth_pct: float) -> float:
    """Contribution of a part to the total's growth, in %:

        (part − part_base) / (total − total_base) × 100

    with both bases taken on the comparable basis (see comparable_base)."""
    part_increase = part_level - comparable_base(part_level, part_growth_pct)
    total_increase = total_level - comparable_base(total_level, total_growth_pct)
    if total_increase == 0:
        raise ZeroDivisionError("the total did not grow: a contribution is undefined")
    return float(part_increase / total_increase * 100.0)


def single_months_from_cumulative(cum_level: pd.Series, cum_growth_pct: pd.Series) -> pd.DataFrame:
    """Single-period values and growth from cumulative (1–N月) figures.

    Both inputs are indexed by the last month of the cumulative period
    (monthly PeriodIndex). Within a year, for consecutive cumulative periods
    ending at t−1 and t:

        current_t = cum_t − cum_{t−1}
        base_t    = cum_t / (1 + g_t) − cum_{t−1} / (1 + g_{t−1})
        yoy_t     = current_t / base_t − 1

    The first cumulative of a year is itself the first period (NBS's 1–2月
    when it ends in February: kept as one period, never split). When the
    previous month's cumulative is missing, the difference covers the longer
    period (period_start..period_end), it is not split into guessed months.
    Returns columns period_start, period_end, current, base, yoy_pct.
    """
    frame = pd.DataFrame({"cum": cum_level, "g": cum_growth_pct}).sort_index()
    if not isinstance(frame.index, pd.PeriodIndex):
        raise TypeError("cumulative series must be indexed by a monthly PeriodIndex")
    frame["cum_base"] = frame["cum"] / (1.0 + frame["g"] / 100.0)
    rows = []
    for end, row in frame.iterrows():
        earlier = frame[(frame.index.year == end.year) & (frame.index < end)]
        if earlier.empty:
            # the year's first cumulative is itself the first period (1–2月)
            rows.append((pd.Period(year=end.year, month=1, freq="M"), end, row["cum"], row["cum_base"]))
            continue
        prev_end = earlier.index.max()
        prev = frame.loc[prev_end]
        # consecutive cumulatives give one month; a missing release in between
        # gives a longer period (prev_end+1 .. end), never a split guess
        rows.append((prev_end + 1, end, row["cum"] - prev["cum"], row["cum_base"] - prev["cum_base"]))
    out = pd.DataFrame(rows, columns=["period_start", "period_end", "current", "base"])
    out["yoy_pct"] = (out["current"] / out["base"] - 1.0) * 100.0
    return out.set_index("period_end", drop=False)


def share_pct(part: pd.Series, total: pd.Series) -> pd.Series:
    """part / total × 100, aligned on the index (NaN where either is missing)."""
    return (part / total * 100.0).rename("share_pct")


def single_month_panel(official: pd.DataFrame, indicator: str, years: range) -> pd.DataFrame:
    """Derived single periods of an online series, one row per period.

    Columns: year, month (last month of the period), months (length), current,
    base, yoy_pct, share_of_year (current / full-year cumulative × 100, NaN if
    December's cumulative is missing), jan_feb (NBS's combined period).
    """
    level = series(official, indicator, "level", "cumulative")
    growth = series(official, indicator, "yoy_pct", "cumulative")
    both = pd.DataFrame({"level": level, "growth": growth}).dropna()
    both = both[both.index.year.isin(list(years))]
    if both.empty:
        return pd.DataFrame(columns=["year", "month", "months", "current", "base", "yoy_pct", "share_of_year",
                                     "jan_feb"])
    derived = single_months_from_cumulative(both["level"], both["growth"])
    out = pd.DataFrame({
        "year": derived["period_end"].dt.year.to_numpy(),
        "month": derived["period_end"].dt.month.to_numpy(),
        "months": ((derived["period_end"] - derived["period_start"]).map(lambda d: d.n) + 1).to_numpy(),
        "current": derived["current"].to_numpy(),
        "base": derived["base"].to_numpy(),
        "yoy_pct": derived["yoy_pct"].to_numpy(),
    })
    out["jan_feb"] = (out["month"] == 2) & (out["months"] == 2)
    annual = both["level"][both.index.month == 12]
    annual_by_year = {p.year: v for p, v in annual.items()}
    out["share_of_year"] = out.apply(lambda r: r["current"] / annual_by_year[r["year"]] * 100
                                     if r["year"] in annual_by_year else np.nan, axis=1)
    return out
