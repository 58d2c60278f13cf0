"""二(一)(二): the index — what its published statistics imply for Figure 5,
seasonality on the admissible set, the proactive-intervention adjustment, and
the section's claim checks.

The platform publishes neither the monthly index nor its weights. What is
public are statements: means over periods and changes between them, printed
to a finite precision. This module reads each stored statistic either as a
linear constraint on the monthly total index or says why it is not one; the
set of paths meeting them all (admissible.py) is the primary product: period
means with their intervals and per-month ranges. A single path is drawn only
as an illustration. The composition of the total change lives in
ecrights.index_composition (shared with ai_anticounterfeit). Every number of
the report enters as an argument, read from data/.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ...claims import ClaimBook, ledger_period, printed_precision
from ...i18n import label, render, render_both
from ...index_composition import IndexStatements
from ...tables import MINUS, Column, table, unit_label
from .admissible import AdmissibleSet, Constraint, contrast_verdict, mean_coefficients

SECTION = "index_trend"

# The report's dated statements this section reads (data/published/date_statements.csv)
FIGURE5_PERIOD = "it_fig5_coverage"
BASE_PERIOD = "it_base_period_2016_05"
MODEL_REVISION = "it_model_revision_2018_03"
PROACTIVE_START = "it_proactive_service_start_2018_11"
PEAK_STATEMENTS = {"spring_festival": "it_peak_months_spring_festival", "618": "it_peak_months_618",
                   "double11": "it_peak_months_double11"}
PROACTIVE_SHARE = "it_proactive_intervention_share_2019_12"

# How a 环比 (change on the previous period) of a multi-month period is read
# when the article does not name its base: the preceding period of the same
# length (as stored: the previous quarterly report's months), the single month
# before the period, or not at all.
PREV_PERIOD_READINGS = ("preceding_period", "preceding_month", "unused")
PROACTIVE_PROFILES = ("constant", "ramp")


def _dated_period(dated: pd.DataFrame, claim_id: str) -> tuple[str, str]:
    if claim_id not in dated.index:
        raise KeyError(f"dated statement {claim_id!r} is not in data/published/date_statements.csv")
    return ledger_period(dated.loc[claim_id, "period"])


def base_month(dated: pd.DataFrame) -> str:
    """The base month the report prints (以2016年5月作为基期); its value is not printed."""
    return _dated_period(dated, BASE_PERIOD)[0]


def figure5_period(dated: pd.DataFrame) -> tuple[str, str]:
    """The months Figure 5 covers, as its caption prints them."""
    return _dated_period(dated, FIGURE5_PERIOD)


def model_revision_month(dated: pd.DataFrame) -> str:
    """The month the platform revised the index model (statistics published before it used another model)."""
    return _dated_period(dated, MODEL_REVISION)[0]


def proactive_start(dated: pd.DataFrame) -> str:
    """The month the proactive-service programme started (从2018年11月起)."""
    return _dated_period(dated, PROACTIVE_START)[0]


def peak_pairs(dated: pd.DataFrame) -> dict[str, list[int]]:
    """The report's peak months by occasion (一二月份, 六七月份, 十一和十二月份)."""
    out = {}
    for name, claim_id in PEAK_STATEMENTS.items():
        first, last = (int(m) for m in dated.loc[claim_id, "value"].split("-"))
        out[name] = list(range(first, last + 1))
    return out


def peak_months(dated: pd.DataFrame) -> list[int]:
    """All the months the report says the index peaks in."""
    return sorted({m for months in peak_pairs(dated).values() for m in months})


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
    values = [proactive_adjustment(proactive_shares(s, profile, q.start, q.reference), level, change,
                                   adjust_previous)["adjusted_change"]
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
            name = scenario_name(profile, adjust)
            at_level = adjusted_change_range(q, profile, adjust, (q.level,))
            low, high = adjusted_change_range(q, profile, adjust, q.level_range)
            needed, floor = tolerance_thresholds(low, high)
            rows.append({"scenario": name, "label_zh": labels[name]["zh"], "label_en": labels[name]["en"],
                         "profile": profile, "adjust_2018": adjust,
                         "removed_2019": out["removed_fraction"], "removed_2018": out["removed_fraction_previous"],
                         "adjusted_change": out["adjusted_change"],
                         "rounding_low": at_level[0], "rounding_high": at_level[1],
                         "verdict_at_level": flat_verdict(*at_level, q.tolerance),
                         "low": low, "high": high, "verdict": flat_verdict(low, high, q.tolerance),
                         "tolerance_needed": needed, "tolerance_floor": floor})
    return pd.DataFrame(rows)


def level_sweep(q: FlatQuestion, levels: np.ndarray) -> pd.DataFrame:
    """Per scenario and assumed 2018 level: the adjusted change's range over
    the printed rounding, and the verdict at the assumed tolerance."""
    rows = []
    for profile in PROACTIVE_PROFILES:
        for adjust in (False, True):
            for level in levels:
                low, high = adjusted_change_range(q, profile, adjust, (float(level),))
                rows.append({"scenario": scenario_name(profile, adjust), "level_2018": float(level), "low": low,
                             "high": high, "verdict": flat_verdict(low, high, q.tolerance)})
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
                out = proactive_adjustment(proactive_shares(float(share), profile, start, reference), level_previous,
                                           change, adjust)
                rows.append({"scenario": scenario_name(profile, adjust), "share": float(share),
                             "adjusted_change": out["adjusted_change"]})
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


# ------------------------------------------- statistics as constraints

def months_between(start: str, end: str) -> pd.PeriodIndex:
    return pd.period_range(start, end, freq="M")


def reconstruction_window(stats: pd.DataFrame, figure_period: tuple[str, str]) -> pd.PeriodIndex:
    """Every month Figure 5 covers or any stored statistic touches (its
    period or the period it compares against)."""
    touched = [figure_period[0], figure_period[1]]
    for col in ("period_start", "period_end", "compare_start", "compare_end"):
        touched += [m for m in stats[col] if isinstance(m, str) and m]
    periods = [pd.Period(m, "M") for m in touched]
    return pd.period_range(min(periods), max(periods), freq="M")


def statistic_labels(stats: pd.DataFrame) -> dict[str, str]:
    """Short labels S1, S2, … in the order of the data file (stable across readings)."""
    return {sid: f"S{i}" for i, sid in enumerate(stats["stat_id"], start=1)}


def ambiguous_base(row) -> bool:
    """A 环比 of a multi-month period: the article names no base, and the
    preceding period of the same length is only one reading."""
    return row["kind"] == "change_prev_period" and row["period_start"] != row["period_end"]


def read_statistics(stats: pd.DataFrame, window: pd.PeriodIndex, reading: str, revision: str) -> pd.DataFrame:
    """Every stored statistic, as a constraint on the monthly total index or
    not, with the reason (a key of texts.yaml `reasons`) when not. The
    tolerance is half a unit of the last printed digit."""
    if reading not in PREV_PERIOD_READINGS:
        raise ValueError(f"reading must be one of {PREV_PERIOD_READINGS}, got {reading!r}")
    if "value_text" not in stats.columns:
        raise ValueError("index statistics need `value_text` (the value as printed) for their rounding")
    labels = statistic_labels(stats)
    rows = []
    for _, s in stats.iterrows():
        compare = (s["compare_start"], s["compare_end"])
        applied = ""
        if s["kind"] == "other":
            reason = "not_index_value"
        elif s["sub_index"] != "total":
            reason = "sub_index"
        elif s["unit"] != "点":
            reason = "unit"
        elif s["article_date"] and s["article_date"][:7] < revision:
            reason = "before_revision"
        else:
            reason = ""
            if ambiguous_base(s):
                applied = reading
                if reading == "unused":
                    reason = "ambiguous_unused"
                elif reading == "preceding_month":
                    before = str(pd.Period(s["period_start"], "M") - 1)
                    compare = (before, before)
            spans = [(s["period_start"], s["period_end"])] + ([compare] if s["kind"].startswith("change_") else [])
            if not reason and any(pd.Period(m, "M") not in window for span in spans for m in span):
                reason = "outside_window"
        rows.append({"label": labels[s["stat_id"]], "stat_id": s["stat_id"], "publication": s["publication"],
                     "sub_index": s["sub_index"], "kind": s["kind"], "period_start": s["period_start"],
                     "period_end": s["period_end"],
                     "compare_start": compare[0] if s["kind"].startswith("change_") else "",
                     "compare_end": compare[1] if s["kind"].startswith("change_") else "",
                     "value": float(s["value"]), "value_text": s["value_text"], "unit": s["unit"],
                     "tolerance": printed_precision(str(s["value_text"])), "reading": applied,
                     "used": not reason, "reason": reason})
    return pd.DataFrame(rows)


def base_constraint_name(base: str, base_value: float) -> str:
    return f"base {base} = {base_value:g} (assumed)"


def admissible_set(read: pd.DataFrame, window: pd.PeriodIndex, base: str, base_value: float,
                   upper: float | None) -> AdmissibleSet:
    """The set of monthly paths meeting every used statistic within its
    rounding, the assumed base value exactly, index ≥ 0 and ≤ upper (if any)."""
    constraints = []
    for _, s in read[read["used"]].iterrows():
        coef = mean_coefficients(window, s["period_start"], s["period_end"])
        if s["kind"].startswith("change_"):
            coef = coef - mean_coefficients(window, s["compare_start"], s["compare_end"])
        constraints.append(Constraint(s["stat_id"], coef, s["value"], s["tolerance"]))
    base_coef = mean_coefficients(window, base, base)
    constraints.append(Constraint(base_constraint_name(base, base_value), base_coef, base_value, 0.0))
    return AdmissibleSet(window, tuple(constraints), upper)


def period_means(aset: AdmissibleSet, read: pd.DataFrame) -> pd.DataFrame:
    """Every multi-month period a used statistic names (its own or the one it
    compares against): the range of the period's mean over the admissible
    set, whether a statistic states it directly, and which statistics involve it."""
    periods: dict[tuple[str, str], list[str]] = {}
    stated: set[tuple[str, str]] = set()
    for _, s in read[read["used"]].iterrows():
        own = (s["period_start"], s["period_end"])
        periods.setdefault(own, []).append(s["label"])
        if s["kind"] == "period_mean":
            stated.add(own)
        if s["kind"].startswith("change_"):
            periods.setdefault((s["compare_start"], s["compare_end"]), []).append(s["label"])
    rows = []
    for (start, end), labels in sorted(periods.items()):
        if start == end:
            continue  # single months are in the monthly ranges
        low, high = aset.mean_range(start, end)
        rows.append({"period_start": start, "period_end": end, "lower": low, "upper": high,
                     "stated": (start, end) in stated, "statistics": ", ".join(labels)})
    return pd.DataFrame(rows, columns=["period_start", "period_end", "lower", "upper", "stated", "statistics"])


def seasonality(aset: AdmissibleSet, pairs: dict[str, list[int]], years: list[int],
                path: np.ndarray | None = None) -> pd.DataFrame:
    """Per year and per peak pair: the pair's mean minus the mean of the
    year's non-peak months, its minimum and maximum over every admissible path
    (linear programs) and the verdict: 'higher' / 'lower' only if the sign is
    the same on every admissible path, else 'undetermined'. The last row of
    each year compares all peak months with the rest."""
    months = aset.months
    peak_set = sorted({m for ms in pairs.values() for m in ms})
    rows = []
    for year in years:
        in_year = months.year == year
        if in_year.sum() != 12:
            raise ValueError(f"{year} is not a full year of the window {months[0]}..{months[-1]}")
        rest = in_year & ~months.month.isin(peak_set)
        for name, ms in [*pairs.items(), ("all_peaks", peak_set)]:
            peak = in_year & months.month.isin(ms)
            c = np.where(peak, 1.0 / peak.sum(), 0.0) - np.where(rest, 1.0 / rest.sum(), 0.0)
            low, high = aset.range_of(c)
            rows.append({"year": int(year), "comparison": name, "peak_months": "-".join(map(str, ms)),
                         "minimum": low, "maximum": high,
                         "illustrative_path": float(c @ path) if path is not None else np.nan,
                         "verdict": contrast_verdict(low, high)})
    return pd.DataFrame(rows)


def full_years(months: pd.PeriodIndex, period: tuple[str, str]) -> list[int]:
    """The years whose twelve months lie in both the window and the period."""
    first, last = pd.Period(period[0], "M"), pd.Period(period[1], "M")
    inside = months[(months >= first) & (months <= last)]
    return [int(y) for y in sorted(set(inside.year)) if (inside.year == y).sum() == 12]


def reading_summary(stats: pd.DataFrame, window: pd.PeriodIndex, revision: str, base: str, base_value: float,
                    upper: float | None, figure_period: tuple[str, str], pairs: dict[str, list[int]]) -> pd.DataFrame:
    """The reconstruction under every reading of the ambiguous 环比 statistics:
    is the set non-empty (else which constraints conflict, and the least
    relaxation that reconciles them), what the ambiguous statistics' bases
    become, how many months of Figure 5 get a finite upper bound, how many
    seasonal comparisons are determined, and the lowest admissible upper bound."""
    rows = []
    first, last = pd.Period(figure_period[0], "M"), pd.Period(figure_period[1], "M")
    in_figure = (window >= first) & (window <= last)
    years = full_years(window, figure_period)
    for reading in PREV_PERIOD_READINGS:
        read = read_statistics(stats, window, reading, revision)
        aset = admissible_set(read, window, base, base_value, upper)
        feasible = aset.feasible()
        row = {"reading": reading, "constraints": int(read["used"].sum()), "feasible": feasible}
        ambiguous = read[read["reading"] != ""]
        bases = []
        for _, s in ambiguous.iterrows():
            if not s["used"]:
                bases.append(f"{s['label']}: —")
                continue
            shown = f"{s['label']}: {_span(s['compare_start'], s['compare_end'])}"
            if feasible:  # the range of the base period's mean over the admissible set
                low, high = aset.mean_range(s["compare_start"], s["compare_end"])
                shown += f" [{low:.2f}, {high:.2f}]"
            bases.append(shown)
        row["ambiguous_bases"] = "; ".join(bases)
        if feasible:
            highs = [aset.extreme(np.eye(len(window))[j], "max")[0] for j in np.flatnonzero(in_figure)]
            row["figure5_months_bounded_above"] = int(np.isfinite(highs).sum())
            season = seasonality(aset, pairs, years)
            row["seasonal_determined"] = int(season["verdict"].isin(["higher", "lower"]).sum())
            row["seasonal_tests"] = len(season)
            row["lowest_upper_bound"], row["lowest_upper_bound_month"] = aset.lowest_upper_bound()
            row["conflict"], row["least_relaxation"] = "", 0.0
        else:
            relax = aset.relaxation()
            row.update({"figure5_months_bounded_above": np.nan, "seasonal_determined": np.nan,
                        "seasonal_tests": np.nan, "lowest_upper_bound": np.nan, "lowest_upper_bound_month": "",
                        "conflict": "; ".join(aset.conflict()), "least_relaxation": float(relax["relaxation"].sum())})
        rows.append(row)
    return pd.DataFrame(rows)


def figure5_frame(aset: AdmissibleSet, ranges: pd.DataFrame, path: np.ndarray | None,
                  figure_period: tuple[str, str]) -> pd.DataFrame:
    """Per month of the window: the admissible range, the illustrative path,
    what binds, and whether the month is in Figure 5's period."""
    first, last = pd.Period(figure_period[0], "M"), pd.Period(figure_period[1], "M")
    out = ranges.copy()
    out.insert(1, "in_figure5", [(first <= m <= last) for m in aset.months])
    out.insert(4, "path", np.full(len(out), np.nan) if path is None else path)
    return out


@dataclass
class Reconstruction:
    """What the stored statistics imply for the monthly index, under one reading."""

    window: pd.PeriodIndex
    figure_period: tuple[str, str]
    read: pd.DataFrame  # every statistic: used or not, and why
    aset: AdmissibleSet
    feasible: bool
    ranges: pd.DataFrame | None  # per month: lower, upper, what binds
    path: np.ndarray | None  # one admissible path (illustration)
    means: pd.DataFrame  # period means the statistics name, with their ranges
    frame: pd.DataFrame  # Figure 5's monthly data
    conflict: list[str]  # an irreducible conflicting set when not feasible
    relaxation: float  # least total relaxation that reconciles the statistics (0 when feasible)
    lowest_upper_bound: tuple[float, str | None]

    @property
    def used(self) -> pd.DataFrame:
        return self.read[self.read["used"]]

    def residuals(self) -> pd.DataFrame:
        """How the illustrative path meets every constraint (within its rounding: excess 0)."""
        if self.path is None:
            return pd.DataFrame(columns=["constraint", "stated", "low", "high", "path", "residual", "excess"])
        return self.aset.residuals(self.path)

    def months_bounded_above(self) -> int:
        if self.ranges is None:
            return 0
        return int(np.isfinite(self.frame.loc[self.frame["in_figure5"], "upper"].to_numpy(dtype=float)).sum())


def reconstruct(stats: pd.DataFrame, dated: pd.DataFrame, base_value: float, reading: str,
                upper: float | None) -> Reconstruction:
    """The stored statistics as constraints over the window, and everything
    the notebook shows of them (one call; each part is a function above)."""
    period = figure5_period(dated)
    window = reconstruction_window(stats, period)
    read = read_statistics(stats, window, reading, model_revision_month(dated))
    aset = admissible_set(read, window, base_month(dated), base_value, upper)
    if aset.feasible():
        ranges, path = aset.month_ranges(), aset.least_change_path()
        means, conflict, relaxation = period_means(aset, read), [], 0.0
    else:
        ranges, path = None, None
        nan_ranges = pd.DataFrame({"month": [str(m) for m in window], "lower": np.nan, "upper": np.nan,
                                   "binding_lower": "", "binding_upper": "", "constrained_by": ""})
        means = period_means(aset, read).iloc[0:0]
        conflict, relaxation = aset.conflict(), float(aset.relaxation()["relaxation"].sum())
    frame = figure5_frame(aset, ranges if ranges is not None else nan_ranges, path, period)
    return Reconstruction(window, period, read, aset, ranges is not None, ranges, path, means, frame, conflict,
                          relaxation, aset.lowest_upper_bound())


# ------------------------------------------------------------ tables
# What the notebook shows, typeset in the edition's language (ecrights.tables).
# Internal names (stat ids, "index ≥ 0 (2019-03)", the base constraint) stay as
# they are in the data the figures write; readers see them through constraint_label.

BOUND_NAME = re.compile(r"^index (?P<sign>[≥≤]) (?P<bound>\S+) \((?P<months>[^)]*)\)$")
BASE_NAME = re.compile(r"^base (?P<month>\S+) = (?P<value>\S+) \(assumed\)$")


def constraint_label(name: str, labels: dict[str, str], language: str) -> str:
    """A constraint as a reader names it: a statistic by its label (S7), a
    bound of the index or the assumed base value in the edition's language."""
    if name in labels:
        return labels[name]
    m = BOUND_NAME.match(name)
    if m:
        return render("constraints.bound", m.groupdict(), language, SECTION)
    m = BASE_NAME.match(name)
    if m:
        return render("constraints.base", m.groupdict(), language, SECTION)
    return name


def constraint_labels(names: list[str], labels: dict[str, str], language: str) -> str:
    return label("；", "; ", language).join(constraint_label(n, labels, language) for n in names)


def _span(a: str, b: str) -> str:
    return a if a == b else f"{a}..{b}"


def _signed(text: str) -> str:
    return str(text).replace("-", MINUS)


def statistics_table(read: pd.DataFrame, revision: str, language: str):
    """Every stored statistic with its role: a constraint (as read) or the reason it is not one."""
    rows = [{"label": r["label"], "stat_id": r["stat_id"], "publication": r["publication"],
             "kind": render(f"kinds.{r['kind']}", {}, language, SECTION),
             "period": _span(r["period_start"], r["period_end"]),
             "compared_with": _span(r["compare_start"], r["compare_end"]) if r["compare_start"] else "",
             "value": f"{_signed(r['value_text'])} {unit_label(r['unit'], language)}",
             "rounding": "±" + np.format_float_positional(round(r["tolerance"], 12), trim="-"),  # ±0.00005, not 5e-05
             "role": render(f"reasons.{r['reason'] or 'used'}", {"revision": revision}, language, SECTION)}
            for _, r in read.iterrows()]
    return table(rows, [Column("label", "编号", "label", kind="id"), Column("stat_id", "统计量", "statistic", kind="id"),
                        Column("publication", "出处", "published in", lang="zh", quote=True),
                        Column("kind", "类型", "kind"), Column("period", "期间", "period"),
                        Column("compared_with", "比较期", "compared with"), Column("value", "印出值", "as printed"),
                        Column("rounding", "印刷精度", "rounding"), Column("role", "作用", "role")], language)


def residuals_table(residuals: pd.DataFrame, labels: dict[str, str], language: str):
    """How the illustrative path meets each constraint (excess beyond the printed rounding; 0: met)."""
    rows = residuals.assign(constraint=[constraint_label(n, labels, language) for n in residuals["constraint"]])
    points = {"kind": "points", "digits": 2}
    return table(rows, [Column("constraint", "约束", "constraint"), Column("stated", "印出值", "as printed", **points),
                        Column("low", "下限", "low", **points), Column("high", "上限", "high", **points),
                        Column("path", "示意路径", "illustrative path", **points),
                        Column("excess", "超出精度", "excess", kind="points", digits=3)], language)


def _interval(low: float, high: float, digits: int = 2) -> str:
    return f"[{low:.{digits}f}, {high:.{digits}f}]".replace("-", MINUS)


def verdict_label(verdict: str, language: str) -> str:
    return render(f"flat_verdicts.{verdict}", {}, language, SECTION)


def flat_verdict_shown(verdict: str) -> dict[str, str]:
    """A 基本持平 verdict token as each edition shows it (the token stays the value in JSON/CSV)."""
    return {language: verdict_label(verdict, language) for language in ("zh", "en")}


def scenarios_table(scenarios: pd.DataFrame, language: str):
    """The proactive scenarios: what each assumes, the shares removed, the
    adjusted change at the printed values, its range over the printed
    rounding (at the assumed level; and over the assumed level range), the
    verdict, and the tolerances at which that verdict would change."""
    rows = scenarios.assign(label=scenarios[f"label_{language}"], removed_2019=scenarios["removed_2019"] * 100,
                            removed_2018=scenarios["removed_2018"] * 100,
                            rounding=[_interval(a, b) for a, b in zip(scenarios["rounding_low"],
                                                                      scenarios["rounding_high"])],
                            verdict_at_level=[verdict_label(v, language) for v in scenarios["verdict_at_level"]],
                            interval=[_interval(a, b) for a, b in zip(scenarios["low"], scenarios["high"])],
                            verdict=[verdict_label(v, language) for v in scenarios["verdict"]])
    points = {"kind": "points", "digits": 2}
    return table(rows, [Column("label", "情景", "scenario"),
                        Column("removed_2019", "2019年平均剔除", "removed in 2019, mean", kind="percent"),
                        Column("removed_2018", "2018年平均剔除", "removed in 2018, mean", kind="percent"),
                        Column("adjusted_change", "按印出值的变动", "change at the printed values", **points),
                        Column("rounding", "印刷精度内（假设的2018年水平）",
                               "within the printed rounding (assumed 2018 level)"),
                        Column("verdict_at_level", "判断（仅印刷精度）", "verdict (rounding only)"),
                        Column("interval", "印刷精度内且2018年水平取假设范围", "within the rounding, over the assumed "
                               "2018 levels"),
                        Column("verdict", "判断", "verdict"),
                        Column("tolerance_needed", "相符所需的容差（至少）", "tolerance needed to be consistent",
                               **points),
                        Column("tolerance_floor", "低于此容差即不持平", "below this tolerance: not flat", **points)],
                 language)


def seasonality_table(season: pd.DataFrame, language: str):
    rows = season.assign(comparison=[render(f"comparisons.{c}", {}, language, SECTION) for c in season["comparison"]],
                         verdict=[render(f"verdicts.{v}", {}, language, SECTION) for v in season["verdict"]],
                         year=season["year"].astype(str))
    return table(rows, [Column("year", "年份", "year"), Column("comparison", "比较", "comparison"),
                        Column("minimum", "最小差值", "lowest difference", kind="points"),
                        Column("maximum", "最大差值", "highest difference", kind="points"),
                        Column("illustrative_path", "示意路径上", "on the illustrative path", kind="points"),
                        Column("verdict", "结论", "verdict")], language)


def reading_table(summary: pd.DataFrame, labels: dict[str, str], language: str):
    """Every reading of the unnamed 环比 base side by side (one column per reading)."""
    rows = summary.assign(
        meaning=[render(f"readings.{r}", {}, language, SECTION) for r in summary["reading"]],
        conflict=[constraint_labels(c.split("; "), labels, language) if c else "" for c in summary["conflict"]],
        seasonal=[f"{d:.0f} / {n:.0f}" if pd.notna(d) else "" for d, n in zip(summary["seasonal_determined"],
                                                                             summary["seasonal_tests"])])
    return table(rows, [Column("meaning", "读法", "reading"), Column("constraints", "约束个数", "constraints", kind="count"),
                        Column("feasible", "存在可行路径", "some path admissible"),
                        Column("ambiguous_bases", "未写明的比较期及其均值范围", "unnamed bases and their mean's range"),
                        Column("figure5_months_bounded_above", "图5时段有上界的月份", "months of Figure 5 bounded above",
                               kind="count"),
                        Column("seasonal", "确定的季节性比较", "seasonal comparisons determined"),
                        Column("lowest_upper_bound", "统计量允许的最低上界", "lowest upper bound allowed", kind="points"),
                        Column("lowest_upper_bound_month", "在该月", "binding in"),
                        Column("conflict", "相互矛盾的约束", "conflicting constraints"),
                        Column("least_relaxation", "最少放宽", "least relaxation", kind="points")],
                 language, reshape="transpose")


def scenario_labels(start: str, reference: str) -> dict[str, dict[str, str]]:
    """{scenario: {zh, en}}: what each proactive scenario assumes."""
    return {scenario_name(p, a): render_both(f"scenarios.{scenario_name(p, a)}",
                                             {"start": start, "reference": reference}, SECTION)
            for p in PROACTIVE_PROFILES for a in (False, True)}


# ---------------------------------------------------------------- claims

def flat_facts(q: FlatQuestion, scenarios: pd.DataFrame, chosen: str) -> dict:
    """What the 基本持平 explanation says, in both languages: the verdict of
    the assumed scenario and why (its interval against ±tolerance), the
    verdict at the assumed level alone, the tolerances at which it would
    change, and the verdicts of every scenario."""
    row = scenarios.set_index("scenario").loc[chosen]
    facts = {**q.facts(), "interval_low": row["low"], "interval_high": row["high"], "rounding_low": row["rounding_low"],
             "rounding_high": row["rounding_high"], "adjusted_change": row["adjusted_change"],
             "tolerance_needed": row["tolerance_needed"], "tolerance_floor": row["tolerance_floor"],
             "n_scenarios": len(scenarios), "overall": combined_verdict(scenarios["verdict"])}
    for v in FLAT_VERDICTS:
        facts[f"n_{v}"] = int((scenarios["verdict"] == v).sum())
    for lang in ("zh", "en"):
        facts[f"scenario_{lang}"] = row[f"label_{lang}"]
        facts[f"verdict_{lang}"] = verdict_label(row["verdict"], lang)
        facts[f"verdict_at_level_{lang}"] = verdict_label(row["verdict_at_level"], lang)
        facts[f"overall_{lang}"] = verdict_label(facts["overall"], lang)
        facts[f"why_{lang}"] = render(f"flat_reasons.{row['verdict']}", {**facts, "side": _side(row, lang)}, lang,
                                      SECTION)
        facts[f"share_basis_{lang}"] = render("flat_share." + ("assumed" if q.share_text is None else "printed"),
                                              {**facts, "share_text": q.share_text}, lang, SECTION)
        facts[f"thresholds_{lang}"] = render("flat_thresholds." + ("straddles_zero" if row["tolerance_floor"] == 0
                                                                   else "off_zero"), facts, lang, SECTION)
        facts[f"all_{lang}"] = label("；", "; ", lang).join(
            f"{r[f'label_{lang}']}: {verdict_label(r['verdict'], lang)}" for _, r in scenarios.iterrows())
    return facts


def _side(row, language: str) -> str:
    """Which side of the band a not-flat interval lies on."""
    if row["low"] > 0:
        return label("高于", "above", language)
    return label("低于", "below", language)


def check_claims(book: ClaimBook, stats: pd.DataFrame, statements: IndexStatements, question: FlatQuestion,
                 scenarios: pd.DataFrame, chosen: str) -> None:
    """Claims of 二(一)(二): index level and changes, proactive intervention.
    `chosen`: the scenario the parameters assume (scenario_name)."""
    others = stats[~stats["publication"].str.contains("2019年度")]
    spans = others.groupby("publication").agg(start=("period_start", "min"), end=("period_end", "max"))
    facts = {"n_other_statistics": len(others), "n_other_publications": len(spans),
             "other_publications_zh": "、".join(spans.index),  # the titles are Chinese: the English names their months
             "other_publications_en": " and ".join(f"{r.start}..{r.end}" for r in spans.itertuples()),
             **statements.facts()}
    book.not_reproducible("it_index_mean_2019", "index_mean", facts)
    book.not_reproducible("it_index_change_2019_vs_2018", "index_change", facts)
    book.not_reproducible("it_total_dispute_rate_subindex_change_2019", "index_not_public", facts)
    book.not_reproducible("it_fake_perception_change_2019", "index_not_public", facts)
    book.not_reproducible(PROACTIVE_SHARE, "proactive_share", facts)
    # not_reproducible whatever the verdict (the dispute rate is not public); the note says which and why
    book.not_reproducible("it_dispute_share_ex_proactive_flat_2019", "flat_without_proactive",
                          {**facts, **flat_facts(question, scenarios, chosen)})
