"""Section 二(一)(二), the proactive-intervention question: is the dispute rate
'基本持平' (basically flat) once proactive interventions are removed? The
share's profiles over time, the adjustment, and the verdict over intervals
(printed rounding and assumption ranges; what they leave open stays open).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import lru_cache

import numpy as np
import pandas as pd

from ...claims import ClaimBook
from ...i18n import render_both
from ...index_composition import IndexStatements
from ...memo import memo
from .constraints import dated_period

PROACTIVE_START = "it_proactive_service_start_2018_11"
PROACTIVE_SHARE = "it_proactive_intervention_share_2019_12"
PROACTIVE_PROFILES = ("constant", "ramp")
SECTION = "index_trend"


def proactive_start(dated: pd.DataFrame) -> str:
    """The month the proactive-service programme started (从2018年11月起)."""
    return dated_period(dated, PROACTIVE_START)[0]


def proactive_share_stated(book: ClaimBook) -> float:
    """The report's December 2019 share of proactive interventions, as a fraction."""
    return book.stated(PROACTIVE_SHARE) / 100.0


def proactive_reference_month(book: ClaimBook) -> str:
    """The month the report gives the share for (以2019年12月为例)."""
    return book.period(PROACTIVE_SHARE)[0]


def flat_question(book: ClaimBook, statements: IndexStatements, dated: pd.DataFrame,
                  share: float | str, level: float, level_range: tuple[float, float],
                  tolerance: float) -> "FlatQuestion":
    """The inputs of the 基本持平 verdict. The report's share ('report_december')
    and the dispute-rate change carry the rounding they are printed with (from
    the ledger); a share given as a number is an assumption, taken exactly."""
    if share == "report_december":
        value, precision = proactive_share_stated(book), book.precision(PROACTIVE_SHARE) / 100.0
        text = book.printed(PROACTIVE_SHARE)
    else:
        value, precision, text = float(share), 0.0, None
    return FlatQuestion(share=value, share_precision=precision, change=statements.dispute_change,
                        change_precision=statements.precision["dispute_change"], level=level,
                        level_range=(float(level_range[0]), float(level_range[1])), tolerance=tolerance,
                        start=proactive_start(dated), reference=proactive_reference_month(book), share_text=text)


# ------------------------------------------------- proactive intervention

def proactive_shares(share: float, profile: str, start: str, reference: str) -> pd.Series:
    """Monthly share of disputes that are proactive interventions, from the
    January of the programme's start year to the reference month:
    'constant' = the stated share in every month from the start; 'ramp' =
    rising linearly from zero (the month before the start) to the stated share
    in the reference month."""
    if profile not in PROACTIVE_PROFILES:
        raise ValueError(f"proactive profile must be one of {PROACTIVE_PROFILES}, got {profile!r}")
    months = pd.period_range(f"{start[:4]}-01", reference, freq="M")
    first, last = pd.Period(start, "M"), pd.Period(reference, "M")
    if first > last:
        raise ValueError(f"the programme starts ({start}) after the month the share is given for ({reference})")
    steps = (last - first).n + 1
    out = []
    for m in months:
        k = (m - first).n + 1 if m >= first else 0  # 1 in the start month, `steps` in the reference month
        out.append(0.0 if k == 0 else share if profile == "constant" else share * k / steps)
    return pd.Series(out, index=months, name="proactive_share")


def proactive_adjustment(shares: pd.Series, level_previous: float, change: float, adjust_previous: bool) -> dict:
    """Dispute-rate change without proactive cases, for the reference year and the one before.

    The sub-index is taken as proportional to disputes, at the same level
    every month of a year: removing proactive cases scales a year's mean by
    (1 − its mean monthly share). The report year's level is the previous
    year's plus the stated change; the previous year's is scaled too when
    `adjust_previous` (the programme started before the report year).
    """
    year = int(shares.index[-1].year)
    removed = float(shares[shares.index.year == year].mean())
    removed_previous = float(shares[shares.index.year == year - 1].mean()) if adjust_previous else 0.0
    level = level_previous + change
    adjusted = level * (1.0 - removed)
    adjusted_previous = level_previous * (1.0 - removed_previous)
    return {"level_2018": level_previous, "level_2019": level, "removed_fraction": removed,
            "removed_fraction_previous": removed_previous, "level_2019_adjusted": adjusted,
            "level_2018_adjusted": adjusted_previous, "adjusted_change": adjusted - adjusted_previous}


@lru_cache(maxsize=None)
def removed_per_unit_share(profile: str, start: str, reference: str) -> tuple[float, float]:
    """The removed fractions of the reference year and of the year before (as proactive_adjustment
    takes them) for a stated share of 1. Each month's share is the stated share times a weight
    of the profile, so both fractions are proportional to the share: a grid of shares needs
    one calendar of months, not one per share."""
    shares = proactive_shares(1.0, profile, start, reference)
    year = int(shares.index[-1].year)
    return float(shares[shares.index.year == year].mean()), float(shares[shares.index.year == year - 1].mean())


def adjusted_change(share: float, profile: str, start: str, reference: str, level_previous: float, change: float,
                    adjust_previous: bool) -> float:
    """proactive_adjustment(proactive_shares(share, …), …)["adjusted_change"] up to float rounding
    (share × mean weight is not always the same float as the mean of share × weight: a difference
    below 1e-13 points), by removed_per_unit_share."""
    per_share, per_share_previous = removed_per_unit_share(profile, start, reference)
    removed_previous = share * per_share_previous if adjust_previous else 0.0
    return (level_previous + change) * (1.0 - share * per_share) - level_previous * (1.0 - removed_previous)


# '基本持平' as a verdict over intervals: what the printed rounding and the
# assumption ranges leave open is reported as open, never decided by a point.
CONSISTENT, NOT_FLAT, UNDECIDED = "consistent", "not_flat", "undecided"
FLAT_VERDICTS = (CONSISTENT, NOT_FLAT, UNDECIDED)
_EPS = 1e-9  # float noise at the tolerance's edge (an exact 1.0 is within ±1.0)


def printed_range(value: float, precision: float) -> tuple[float, float]:
    """What a value printed to `precision` (half a unit of its last digit) may have been."""
    if precision < 0:
        raise ValueError(f"a printed precision is ≥ 0, got {precision}")
    return value - precision, value + precision


@dataclass(frozen=True)
class FlatQuestion:
    """Everything '基本持平 without proactive cases' is judged on.

    `share` and `change` are the report's printed values with half a unit of
    their last printed digit (`*_precision`, read from the ledger; 0 for a
    share given as a parameter); `level` the assumed 2018 level of the
    dispute-rate sub-index and `level_range` the assumed range it is swept
    over; `tolerance` the assumed reading of 基本持平 (± index points); `start`
    and `reference` the programme's first month and the month the share is
    given for; `share_text` the share as printed."""

    share: float
    share_precision: float
    change: float
    change_precision: float
    level: float
    level_range: tuple[float, float]
    tolerance: float
    start: str
    reference: str
    share_text: str | None = None  # the share as printed (None: a parameter's value)

    def __post_init__(self):
        low, high = self.level_range
        if not 0 < low <= high:
            raise ValueError(f"level_range must satisfy 0 < low ≤ high, got {self.level_range}")
        if not low <= self.level <= high:
            raise ValueError(f"the assumed level {self.level:g} lies outside the level range {self.level_range}")
        if self.tolerance < 0 or self.share_precision < 0 or self.change_precision < 0:
            raise ValueError("tolerance and precisions must be ≥ 0")

    @property
    def share_range(self) -> tuple[float, float]:
        low, high = printed_range(self.share, self.share_precision)
        return max(low, 0.0), min(high, 1.0)

    @property
    def change_range(self) -> tuple[float, float]:
        return printed_range(self.change, self.change_precision)

    def facts(self) -> dict:
        """For explanations: the inputs and their ranges."""
        return {"share": self.share, "share_low": self.share_range[0], "share_high": self.share_range[1],
                "change": self.change, "change_low": self.change_range[0], "change_high": self.change_range[1],
                "level": self.level, "level_low": self.level_range[0], "level_high": self.level_range[1],
                "tolerance": self.tolerance}


def adjusted_change_range(q: FlatQuestion, profile: str, adjust_previous: bool,
                          levels: tuple[float, float]) -> tuple[float, float]:
    """Lowest and highest adjusted change over the printed rounding of the
    share and of the change, and the 2018 levels in `levels`.

    With the profile fixed, each year's removed fraction is proportional to
    the share, so the adjusted change (L + Δ)(1 − a·s) − L(1 − b·s) is linear
    in each of s, Δ, L separately: its extremes over the box are at corners."""
    values = [adjusted_change(s, profile, q.start, q.reference, level, change, adjust_previous)
              for s in q.share_range for change in q.change_range for level in levels]
    return min(values), max(values)


def flat_verdict(low: float, high: float, tolerance: float) -> str:
    """'consistent' if the whole interval lies within ±tolerance, 'not_flat'
    if none of it does, else 'undecided'."""
    if low > high:
        raise ValueError(f"an interval's low end exceeds its high end: [{low}, {high}]")
    if -tolerance - _EPS <= low and high <= tolerance + _EPS:
        return CONSISTENT
    if high < -tolerance - _EPS or low > tolerance + _EPS:
        return NOT_FLAT
    return UNDECIDED


def combined_verdict(verdicts) -> str:
    """Across assumptions none of which the report fixes: decided only when all agree."""
    verdicts = set(verdicts)
    if not verdicts <= set(FLAT_VERDICTS):
        raise ValueError(f"unknown verdicts {sorted(verdicts - set(FLAT_VERDICTS))}")
    return verdicts.pop() if len(verdicts) == 1 else UNDECIDED


def tolerance_thresholds(low: float, high: float) -> tuple[float, float]:
    """(needed, floor): the verdict is 'consistent' for a tolerance ≥ needed,
    'not_flat' below floor, 'undecided' between."""
    needed = max(abs(low), abs(high))
    floor = 0.0 if low <= 0.0 <= high else min(abs(low), abs(high))
    return needed, floor


def proactive_scenarios(q: FlatQuestion) -> pd.DataFrame:
    """Every profile, with and without the previous year's adjustment: the
    adjusted change at the printed values and the assumed level, its range
    over the printed rounding (at the assumed level, and over the level
    range too), the verdict on each range, and the tolerances at which the
    verdict over both would change."""
    labels = scenario_labels(q.start, q.reference)
    rows = []
    for profile in PROACTIVE_PROFILES:
        for adjust in (False, True):
            out = proactive_adjustment(proactive_shares(q.share, profile, q.start, q.reference), q.level, q.change,
                                       adjust)
            # the point by the same arithmetic as its ranges (adjusted_change): it never falls outside them
            point = adjusted_change(q.share, profile, q.start, q.reference, q.level, q.change, adjust)
            name = scenario_name(profile, adjust)
            at_level = adjusted_change_range(q, profile, adjust, (q.level,))
            low, high = adjusted_change_range(q, profile, adjust, q.level_range)
            needed, floor = tolerance_thresholds(low, high)
            rows.append({"scenario": name, "label_zh": labels[name]["zh"], "label_en": labels[name]["en"],
                         "profile": profile, "adjust_2018": adjust,
                         "removed_2019": out["removed_fraction"], "removed_2018": out["removed_fraction_previous"],
                         "adjusted_change": point,
                         "rounding_low": at_level[0], "rounding_high": at_level[1],
                         "verdict_at_level": flat_verdict(*at_level, q.tolerance),
                         "low": low, "high": high, "verdict": flat_verdict(low, high, q.tolerance),
                         "tolerance_needed": needed, "tolerance_floor": floor})
    return pd.DataFrame(rows)


def level_sweep(q: FlatQuestion, levels: np.ndarray) -> pd.DataFrame:
    """Per scenario and assumed 2018 level: the adjusted change's range over
    the printed rounding, and the verdict at the assumed tolerance."""
    ranges = level_ranges(replace(q, tolerance=0.0), np.asarray(levels, dtype=float))
    return ranges.assign(verdict=[flat_verdict(low, high, q.tolerance) for low, high in zip(ranges["low"], ranges["high"])])


@memo  # the slow part; keyed without the tolerance (level_sweep sets it to 0), which a variant may move
def level_ranges(q: FlatQuestion, levels: np.ndarray) -> pd.DataFrame:
    """Per scenario and assumed 2018 level: the adjusted change's range over the printed rounding."""
    rows = []
    for profile in PROACTIVE_PROFILES:
        for adjust in (False, True):
            for level in levels:
                low, high = adjusted_change_range(q, profile, adjust, (float(level),))
                rows.append({"scenario": scenario_name(profile, adjust), "level_2018": float(level), "low": low,
                             "high": high})
    return pd.DataFrame(rows)


def verdict_map(sweep: pd.DataFrame, tolerances: np.ndarray) -> pd.DataFrame:
    """The verdict over the printed rounding at every (level, tolerance) of a grid, per scenario."""
    rows = [{"scenario": r.scenario, "level_2018": r.level_2018, "tolerance": float(t),
             "verdict": flat_verdict(r.low, r.high, float(t))}
            for r in sweep.itertuples() for t in tolerances]
    return pd.DataFrame(rows)


def sweep_grids(q: FlatQuestion, n: int = 61) -> tuple[np.ndarray, np.ndarray]:
    """Display grids: the level range and as much again either side (above
    zero; ±25 % of the level when the range is a point), tolerances from 0 to
    four times the assumed one (to 4 points when it is 0). Each grid holds
    the assumed value, so the figure's data show the verdict there."""
    low, high = q.level_range
    pad = high - low if high > low else 0.25 * q.level
    levels = np.linspace(max(low - pad, 0.5 * low), high + pad, n)
    tolerances = np.linspace(0.0, 4.0 * q.tolerance if q.tolerance > 0 else 4.0, n)
    return (np.unique(np.r_[levels, low, high, q.level]), np.unique(np.r_[tolerances, q.tolerance]))


def proactive_curves(shares: np.ndarray, start: str, reference: str, level_previous: float,
                     change: float) -> pd.DataFrame:
    """The adjusted change of every scenario over a grid of stated shares (for the figure)."""
    rows = []
    for profile in PROACTIVE_PROFILES:
        for adjust in (False, True):
            for share in shares:
                rows.append({"scenario": scenario_name(profile, adjust), "share": float(share),
                             "adjusted_change": adjusted_change(float(share), profile, start, reference,
                                                                level_previous, change, adjust)})
    return pd.DataFrame(rows)


def scenario_name(profile: str, adjust_previous: bool) -> str:
    return f"{profile}_adjusted_2018" if adjust_previous else profile


def flat_condition(level_2018: float, tolerance: float, change: float) -> tuple[float, float]:
    """Range of the 2019 removed fraction (2018 unadjusted) for which the
    adjusted change is within ±tolerance ('基本持平')."""
    level_2019 = level_2018 + change
    low = (change - tolerance) / level_2019
    high = (change + tolerance) / level_2019
    return max(low, 0.0), min(high, 1.0)


def scenario_labels(start: str, reference: str) -> dict[str, dict[str, str]]:
    """{scenario: {zh, en}}: what each proactive scenario assumes."""
    return {scenario_name(p, a): render_both(f"scenarios.{scenario_name(p, a)}",
                                             {"start": start, "reference": reference}, SECTION)
            for p in PROACTIVE_PROFILES for a in (False, True)}
