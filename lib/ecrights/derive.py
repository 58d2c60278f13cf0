"""Derivations from printed official figures (pure functions, no I/O).

NBS prints growth rates on a revised comparable base, so last year's
comparable level is recovered from this year's printed level and rate:

    base = level / (1 + growth / 100)

and never from last year's printed level (which differs after revisions).

Rounding is carried through: a printed value stands for every number that
rounds to it (levels printed to 1 亿元 stand for ±0.5 亿元, growth printed to
0.1% for ±0.05 points). `printed_half_unit` gives that half-width; the
`*_range` functions give the exact range of a derived quantity over the box of
its inputs' rounding intervals (see `vertex_range`). Intervals are (low, high)
pairs of floats or of aligned arrays/Series.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable, Mapping

import numpy as np
import pandas as pd

from .data import official_row, series
from .data.vocabulary import LEVEL_UNITS

Interval = tuple  # (low, high): floats, arrays or Series, aligned


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


def _contribution(p, gp, t, gt):
    return (p - comparable_base(p, gp)) / (t - comparable_base(t, gt)) * 100.0


def growth_of_difference_pct(a, ga, b, gb):
    """Growth of a − b (e.g. online minus physical-goods online sales: the
    non-physical part) on comparable bases: (a − b) / (a/(1+ga) − b/(1+gb)) − 1, in %."""
    return ((a - b) / (comparable_base(a, ga) - comparable_base(b, gb)) - 1.0) * 100.0


def comparable_prior_share_pct(part, part_growth_pct, total, total_growth_pct):
    """Last year's share of the part in the total on this year's comparable
    bases: (part/(1+gp)) / (total/(1+gt)) × 100."""
    return comparable_base(part, part_growth_pct) / comparable_base(total, total_growth_pct) * 100.0


def comparable_share_gain_pp(part, part_growth_pct, total, total_growth_pct):
    """This year's share minus last year's, both on the same comparable bases (points)."""
    return part / total * 100.0 - comparable_prior_share_pct(part, part_growth_pct, total, total_growth_pct)


# --------------------------------------------------------------------------
# Rounding intervals
# --------------------------------------------------------------------------

# decimals a printed value has at least: NBS prints growth and shares to 0.1
# point; levels to the unit they are printed in (亿元, or 0.1 十亿元 in English releases)
MIN_DECIMALS = {"%": 1}


def _decimals(value: float) -> int:
    text = np.format_float_positional(float(value), trim="-")
    return len(text.split(".")[1]) if "." in text else 0


def printed_half_unit(value_printed: float, unit_printed: str) -> float:
    """Half a unit of the last printed digit, in the canonical unit (亿元, 亿件, %).

    The digits printed are those of the value as transcribed (value_printed),
    at least MIN_DECIMALS for its unit: 12.3 (%) → 0.05; 41234 (亿元) → 0.5;
    3810.4 (十亿元) → 0.05 十亿元 = 0.5 亿元; 3.82 (万亿元) → 50 亿元. NaN for a gap."""
    if value_printed is None or pd.isna(value_printed):
        return float("nan")
    decimals = max(_decimals(value_printed), MIN_DECIMALS.get(unit_printed, 0))
    factor = LEVEL_UNITS.get(unit_printed, (unit_printed, 1.0))[1]
    return 0.5 * 10.0 ** (-decimals) * factor


def bounds(value, half_width) -> Interval:
    """(value − h, value + h)."""
    return value - half_width, value + half_width


def interval_add(a: Interval, b: Interval) -> Interval:
    return a[0] + b[0], a[1] + b[1]


def interval_sub(a: Interval, b: Interval) -> Interval:
    """a − b for independent a and b."""
    return a[0] - b[1], a[1] - b[0]


def interval_div(a: Interval, b: Interval) -> Interval:
    """a / b for independent a and b, b strictly positive (NaN where b reaches 0 or below)."""
    b_lo, b_hi = np.asarray(b[0], dtype=float), np.asarray(b[1], dtype=float)
    quotients = [np.asarray(x, dtype=float) / y for x in a for y in (b_lo, b_hi)]
    lo, hi = np.minimum.reduce(quotients), np.maximum.reduce(quotients)
    bad = ~(b_lo > 0)
    lo, hi = np.where(bad, np.nan, lo), np.where(bad, np.nan, hi)
    return (lo.item(), hi.item()) if lo.ndim == 0 else (lo, hi)


def vertex_range(func: Callable, *intervals: Interval) -> Interval:
    """Range of func over the box of its arguments' intervals, from its values at the box's corners.

    Exact when func is monotone in each argument with the others held fixed
    (the direction may depend on the others): every derivation here is (ratios
    and differences of positive levels, comparable bases). Vectorised: the
    interval ends may be aligned arrays/Series; NaN inputs give NaN."""
    values = [func(*corner) for corner in itertools.product(*[(lo, hi) for lo, hi in intervals])]
    stacked = np.stack([np.asarray(v, dtype=float) for v in values])
    with np.errstate(invalid="ignore"):
        lo, hi = stacked.min(axis=0), stacked.max(axis=0)
    first = values[0]
    if isinstance(first, pd.Series):
        return pd.Series(lo, index=first.index), pd.Series(hi, index=first.index)
    return (lo.item(), hi.item()) if lo.ndim == 0 else (lo, hi)


def contribution_range(part: Interval, part_growth_pct: Interval, total: Interval,
                       total_growth_pct: Interval) -> Interval:
    """Range of contribution_pct under the printed rounding of its four inputs."""
    return vertex_range(_contribution, part, part_growth_pct, total, total_growth_pct)


def share_range(part: Interval, total: Interval) -> Interval:
    """Range of part / total × 100."""
    return vertex_range(lambda p, t: p / t * 100.0, part, total)


def printed_interval(data: pd.DataFrame, indicator: str, measure: str, period_start: str,
                     period_end: str | None = None) -> tuple[float, float, float] | None:
    """(value, low, high) of one printed official value under its printed
    rounding, or None for a gap or an absent row."""
    row = official_row(data, indicator, measure, period_start, period_end)
    if row.value is None:
        return None
    end = period_end or period_start
    match = data[(data["indicator"] == indicator) & (data["measure"] == measure)
                 & (data["period_start"] == pd.Period(period_start, "M"))
                 & (data["period_end"] == pd.Period(end, "M"))].iloc[0]
    half = printed_half_unit(match["value_printed"], match["unit_printed"])
    return row.value, row.value - half, row.value + half


def series_bounds(data: pd.DataFrame, indicator: str, measure: str, kind: str) -> pd.DataFrame:
    """A series (see data.series) with the half-width of each value's printed rounding:
    columns value, half, low, high, indexed by the period's last month."""
    rows = data[(data["indicator"] == indicator) & (data["measure"] == measure)]
    half = [printed_half_unit(v, u) for v, u in zip(rows["value_printed"], rows["unit_printed"])]
    value = series(rows, indicator, measure, kind)
    halves = series(rows.assign(value=half), indicator, measure, kind)
    out = pd.DataFrame({"value": value, "half": halves})
    out["low"], out["high"] = out["value"] - out["half"], out["value"] + out["half"]
    return out


# --------------------------------------------------------------------------
# Single months from cumulative releases
# --------------------------------------------------------------------------

def _period_yoy(c, g, pc, pg):
    """Growth of the period between two cumulatives of a year (c, g) after (pc, pg), in %."""
    return ((c - pc) / (comparable_base(c, g) - comparable_base(pc, pg)) - 1.0) * 100.0


def single_months_from_cumulative(cum_level: pd.Series, cum_growth_pct: pd.Series,
                                  level_half: pd.Series | None = None,
                                  growth_half: pd.Series | None = None) -> pd.DataFrame:
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
    Returns columns period_start, period_end, current, base, yoy_pct; with the
    half-widths of the inputs' printed rounding (level_half, growth_half,
    aligned with the inputs) also current_low/high and yoy_low/high, the exact
    ranges under that rounding.
    """
    frame = pd.DataFrame({"cum": cum_level, "g": cum_growth_pct}).sort_index()
    if not isinstance(frame.index, pd.PeriodIndex):
        raise TypeError("cumulative series must be indexed by a monthly PeriodIndex")
    with_bounds = level_half is not None and growth_half is not None
    frame["hc"] = 0.0 if not with_bounds else level_half.reindex(frame.index).astype(float)
    frame["hg"] = 0.0 if not with_bounds else growth_half.reindex(frame.index).astype(float)
    frame["cum_base"] = frame["cum"] / (1.0 + frame["g"] / 100.0)
    rows = []
    for end, row in frame.iterrows():
        c, g = (row["cum"] - row["hc"], row["cum"] + row["hc"]), (row["g"] - row["hg"], row["g"] + row["hg"])
        earlier = frame[(frame.index.year == end.year) & (frame.index < end)]
        if earlier.empty:
            # the year's first cumulative is itself the first period (1–2月)
            rows.append((pd.Period(year=end.year, month=1, freq="M"), end, row["cum"], row["cum_base"],
                         c[0], c[1], g[0], g[1]))
            continue
        prev_end = earlier.index.max()
        prev = frame.loc[prev_end]
        pc = (prev["cum"] - prev["hc"], prev["cum"] + prev["hc"])
        pg = (prev["g"] - prev["hg"], prev["g"] + prev["hg"])
        current = interval_sub(c, pc)
        yoy = vertex_range(_period_yoy, c, g, pc, pg)
        # consecutive cumulatives give one month; a missing release in between
        # gives a longer period (prev_end+1 .. end), never a split guess
        rows.append((prev_end + 1, end, row["cum"] - prev["cum"], row["cum_base"] - prev["cum_base"],
                     current[0], current[1], yoy[0], yoy[1]))
    out = pd.DataFrame(rows, columns=["period_start", "period_end", "current", "base", "current_low", "current_high",
                                      "yoy_low", "yoy_high"])
    out["yoy_pct"] = (out["current"] / out["base"] - 1.0) * 100.0
    columns = ["period_start", "period_end", "current", "base", "yoy_pct"]
    if with_bounds:
        columns += ["current_low", "current_high", "yoy_low", "yoy_high"]
    return out[columns].set_index("period_end", drop=False)


def share_pct(part: pd.Series, total: pd.Series) -> pd.Series:
    """part / total × 100, aligned on the index (NaN where either is missing)."""
    return (part / total * 100.0).rename("share_pct")


def release_months(official: pd.DataFrame, indicator: str, years: Iterable[int]) -> dict[int, tuple[int, ...]]:
    """The months whose cumulative release (1–N月) of the indicator holds both
    a level and a growth rate, by year: what single periods can be derived from."""
    level = series(official, indicator, "level", "cumulative")
    growth = series(official, indicator, "yoy_pct", "cumulative")
    both = pd.DataFrame({"level": level[~level.index.duplicated()],
                         "growth": growth[~growth.index.duplicated()]}).dropna()
    out = {}
    for year in years:
        months = tuple(int(p.month) for p in both.index if p.year == year)
        if months:
            out[int(year)] = months
    return out


PANEL_COLUMNS = ["year", "month", "start_month", "months", "current", "base", "yoy_pct", "share_of_year", "jan_feb",
                 "current_low", "current_high", "yoy_low", "yoy_high", "share_low", "share_high"]


def single_month_panel(official: pd.DataFrame, indicator: str, years: Iterable[int],
                       cuts: Iterable[int] | Mapping[int, Iterable[int]] | None = None) -> pd.DataFrame:
    """Derived single periods of an online series, one row per period.

    Columns: year, month (last month of the period), start_month, months
    (length), current, base, yoy_pct, share_of_year (current / full-year
    cumulative × 100, NaN if December's cumulative is missing), jan_feb (NBS's
    combined period), and the ranges of current, yoy_pct and share_of_year
    under the printed rounding of the releases (…_low, …_high).

    `cuts` keeps only the cumulative releases ending in these months (one set
    for every year, or a set per year): the periods between them are longer,
    so years with different releases can be put on one common pattern.
    December's cumulative still gives the year's total for share_of_year.
    """
    level = series_bounds(official, indicator, "level", "cumulative")
    growth = series_bounds(official, indicator, "yoy_pct", "cumulative")
    level, growth = level[~level.index.duplicated()], growth[~growth.index.duplicated()]
    both = pd.DataFrame({"level": level["value"], "growth": growth["value"], "hl": level["half"],
                         "hg": growth["half"]}).dropna()
    both = both[both.index.year.isin(list(years))]
    annual = both[both.index.month == 12]
    annual_by_year = {p.year: (v, h) for p, v, h in zip(annual.index, annual["level"], annual["hl"])}
    if cuts is not None:
        keep = [p.month in (cuts.get(p.year, ()) if isinstance(cuts, Mapping) else set(cuts)) for p in both.index]
        both = both[keep]
    if both.empty:
        return pd.DataFrame(columns=PANEL_COLUMNS)
    derived = single_months_from_cumulative(both["level"], both["growth"], both["hl"], both["hg"])
    out = pd.DataFrame({
        "year": derived["period_end"].dt.year.to_numpy(),
        "month": derived["period_end"].dt.month.to_numpy(),
        "start_month": derived["period_start"].dt.month.to_numpy(),
        "months": ((derived["period_end"] - derived["period_start"]).map(lambda d: d.n) + 1).to_numpy(),
    })
    for col in ("current", "base", "yoy_pct", "current_low", "current_high", "yoy_low", "yoy_high"):
        out[col] = derived[col].to_numpy()
    out["jan_feb"] = (out["month"] == 2) & (out["months"] == 2)
    share, low, high = [], [], []
    for _, r in out.iterrows():
        if r["year"] not in annual_by_year:
            share.append(np.nan), low.append(np.nan), high.append(np.nan)
            continue
        total, h = annual_by_year[r["year"]]
        share.append(r["current"] / total * 100)
        if r["month"] == 12:  # December's period shares its end with the total: (A − prev) / A
            prev = ((total - r["current"]) - (r["current_high"] - r["current"] - h),
                    (total - r["current"]) + (r["current_high"] - r["current"] - h))
            lo_hi = vertex_range(lambda a, p: (a - p) / a * 100.0, (total - h, total + h), prev)
        else:
            lo_hi = interval_div((r["current_low"] * 100, r["current_high"] * 100), (total - h, total + h))
        low.append(lo_hi[0]), high.append(lo_hi[1])
    out["share_of_year"], out["share_low"], out["share_high"] = share, low, high
    return out[PANEL_COLUMNS]
