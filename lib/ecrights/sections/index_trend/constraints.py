"""Section 二(一)(二), the index's published statistics as constraints: the
dated statements the reconstruction reads (base month, Figure 5's period, the
model revision, the peak months), each stored statistic read as a linear
constraint on the monthly total index (or why not), the admissible set
(admissible.py), period means, seasonality on the set, and every reading of
an unnamed 环比 base side by side. No sentences: presentation.py names things.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ...claims import ledger_period, printed_precision
from .admissible import AdmissibleSet, Constraint, contrast_verdict, mean_coefficients

# The report's dated statements this section reads (data/published/date_statements.csv)
FIGURE5_PERIOD = "it_fig5_coverage"
BASE_PERIOD = "it_base_period_2016_05"
MODEL_REVISION = "it_model_revision_2018_03"
PEAK_STATEMENTS = {"spring_festival": "it_peak_months_spring_festival", "618": "it_peak_months_618",
                   "double11": "it_peak_months_double11"}

# How a 环比 (change on the previous period) of a multi-month period is read
# when the article does not name its base: the preceding period of the same
# length (as stored: the previous quarterly report's months), the single month
# before the period, or not at all.
PREV_PERIOD_READINGS = ("preceding_period", "preceding_month", "unused")


def dated_period(dated: pd.DataFrame, claim_id: str) -> tuple[str, str]:
    if claim_id not in dated.index:
        raise KeyError(f"dated statement {claim_id!r} is not in data/published/date_statements.csv")
    return ledger_period(dated.loc[claim_id, "period"])


def base_month(dated: pd.DataFrame) -> str:
    """The base month the report prints (以2016年5月作为基期); its value is not printed."""
    return dated_period(dated, BASE_PERIOD)[0]


def figure5_period(dated: pd.DataFrame) -> tuple[str, str]:
    """The months Figure 5 covers, as its caption prints them."""
    return dated_period(dated, FIGURE5_PERIOD)


def model_revision_month(dated: pd.DataFrame) -> str:
    """The month the platform revised the index model (statistics published before it used another model)."""
    return dated_period(dated, MODEL_REVISION)[0]


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
                     "fragile": bool(s.get("fragile", False)), "used": not reason, "reason": reason})
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


def _span(a: str, b: str) -> str:
    return a if a == b else f"{a}..{b}"


# ------------------------------------------------- fragile statistics
# A statistic is fragile when its reading rests on something its source does not
# show (data/published/index_statistics.csv: fragile, fragile_reason). Figure 5's
# ranges are recomputed without each one the reconstruction uses: a month whose
# range changes rests on that single statistic.

def _same(a: float, b: float) -> bool:
    return (np.isinf(a) and np.isinf(b)) or bool(np.isclose(a, b, rtol=0.0, atol=1e-6))


def fragile_sensitivity(rec: Reconstruction, dated: pd.DataFrame, base_value: float,
                        upper: float | None) -> pd.DataFrame:
    """Per fragile statistic in use and month of Figure 5: the admissible range
    with every statistic (lower, upper) and without that one (lower_without,
    upper_without; NaN when the rest is infeasible), and which bound it moves."""
    columns = ["stat_id", "label", "month", "lower", "upper", "lower_without", "upper_without", "moves"]
    if not rec.feasible:
        return pd.DataFrame(columns=columns)
    frame = rec.frame.set_index("month")
    months = [m for m in frame.index if frame.loc[m, "in_figure5"]]
    rows = []
    for _, s in rec.read[rec.read["used"] & rec.read["fragile"]].iterrows():
        read = rec.read.assign(used=rec.read["used"] & (rec.read["stat_id"] != s["stat_id"]))
        aset = admissible_set(read, rec.window, base_month(dated), base_value, upper)
        without = aset.month_ranges().set_index("month") if aset.feasible() else None
        for m in months:
            low, high = float(frame.loc[m, "lower"]), float(frame.loc[m, "upper"])
            low_w, high_w = (np.nan, np.nan) if without is None else (float(without.loc[m, "lower"]),
                                                                       float(without.loc[m, "upper"]))
            moves = [name for name, a, b in (("lower", low, low_w), ("upper", high, high_w)) if not _same(a, b)]
            rows.append({"stat_id": s["stat_id"], "label": s["label"], "month": m, "lower": low, "upper": high,
                         "lower_without": low_w, "upper_without": high_w, "moves": "+".join(moves)})
    return pd.DataFrame(rows, columns=columns)


def months_on_one_fragile_statistic(sensitivity: pd.DataFrame) -> pd.DataFrame:
    """The months of Figure 5 whose admissible range changes when a single fragile
    statistic is dropped: month, the statistic (label, stat_id), which bound, and
    the range without it."""
    moved = sensitivity[sensitivity["moves"] != ""]
    return moved[["month", "label", "stat_id", "moves", "lower", "upper", "lower_without", "upper_without"]] \
        .sort_values(["month", "label"]).reset_index(drop=True)
