"""二(一)(二): the index — proactive-intervention adjustment, reconstruction
of Figure 5 from published statistics, seasonality on the admissible set,
and the section's claim checks.

The platform publishes neither the monthly index nor its weights. What is
public are statements: means over periods and changes between them. This
module turns them into explicit arithmetic (the composition of the total
change lives in ecrights.index_composition, shared with ai_anticounterfeit):

- proactive-intervention adjustment of the dispute-rate change;
- reconstruction of a monthly path from the published statistics, each a
  linear constraint, with a smoothness + seasonal regularisation (NOT the
  platform's series: one path consistent with what was published).
Every number of the report enters as an argument, read from data/.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ...claims import ClaimBook, ledger_period
from ...index_composition import IndexStatements


def base_month(dated: pd.DataFrame) -> str:
    """The base month the report prints (以2016年5月作为基期), from its dated statements."""
    return ledger_period(dated.loc["it_base_period_2016_05", "period"])[0]


def peak_months(dated: pd.DataFrame) -> list[int]:
    """The months the report says the index peaks in (一二月份, 六七月份, 十一和十二月份)."""
    months: list[int] = []
    for claim_id in ("it_peak_months_spring_festival", "it_peak_months_618", "it_peak_months_double11"):
        first, last = (int(m) for m in dated.loc[claim_id, "value"].split("-"))
        months += list(range(first, last + 1))
    return sorted(set(months))


def proactive_share_stated(book: ClaimBook) -> float:
    """The report's December 2019 share of proactive interventions, as a fraction."""
    return book.stated("it_proactive_intervention_share_2019_12") / 100.0


# ------------------------------------------------- proactive intervention

def proactive_adjustment(proactive_share: float, months: int, level_2018: float, change: float) -> dict:
    """Dispute-rate change without proactive cases.

    The 2019 sub-index mean is level_2018 + change; removing proactive cases
    (share p of disputes, in `months` of 12) scales it by (1 − p·months/12).
    """
    level_2019 = level_2018 + change
    fraction = proactive_share * months / 12.0
    adjusted = level_2019 * (1.0 - fraction)
    return {"level_2018": level_2018, "level_2019": level_2019, "removed_fraction": fraction,
            "level_2019_adjusted": adjusted, "adjusted_change": adjusted - level_2018}


def flat_condition(level_2018: float, tolerance: float, change: float) -> tuple[float, float]:
    """Range of the yearly removed fraction p·months/12 for which the adjusted
    change is within ±tolerance ('基本持平')."""
    level_2019 = level_2018 + change
    low = (change - tolerance) / level_2019
    high = (change + tolerance) / level_2019
    return max(low, 0.0), min(high, 1.0)


# ---------------------------------------------------------- reconstruction

def months_between(start: str, end: str) -> pd.PeriodIndex:
    return pd.period_range(start, end, freq="M")


def constraints_from_statistics(stats: pd.DataFrame, months: pd.PeriodIndex, base: str,
                                base_value: float) -> tuple[np.ndarray, np.ndarray, list[str], list[str]]:
    """Linear constraints C x = d on the monthly total index from published
    statistics of the total index (period means, single months, changes).
    Returns C, d, the stat_ids used and those outside the window (unused)."""
    pos = {p: i for i, p in enumerate(months)}
    rows, rhs, used, unused = [], [], [], []

    def mean_row(start, end):
        row = np.zeros(len(months))
        span = months_between(start, end)
        if any(p not in pos for p in span):
            return None
        for p in span:
            row[pos[p]] = 1.0 / len(span)
        return row

    for _, s in stats[stats["sub_index"] == "total"].iterrows():
        this = mean_row(s["period_start"], s["period_end"])
        if s["kind"] in ("period_mean", "single_month"):
            row = this
        elif s["kind"] in ("change_yoy", "change_prev_period"):
            other = mean_row(s["compare_start"], s["compare_end"]) if s["compare_start"] else None
            row = None if this is None or other is None else this - other
        else:
            row = None
        if row is None:
            unused.append(s["stat_id"])
            continue
        rows.append(row)
        rhs.append(float(s["value"]))
        used.append(s["stat_id"])
    row = np.zeros(len(months))
    row[pos[pd.Period(base, "M")]] = 1.0
    rows.append(row)
    rhs.append(base_value)
    used.append(f"base {base} = {base_value:g} (assumed)")
    return np.array(rows), np.array(rhs), used, unused


def reconstruct(months: pd.PeriodIndex, C: np.ndarray, d: np.ndarray, smoothness: float,
                seasonal_ridge: float = 1.0) -> pd.DataFrame:
    """Monthly path x = trend + seasonal satisfying C x = d exactly.

    Minimises smoothness·‖Δ trend‖² + seasonal_ridge·‖s‖² (s: 12 monthly
    effects summing to zero) subject to the constraints, by solving the KKT
    system with least squares (the minimum-norm solution when several fit).
    """
    n = len(months)
    # unknowns z = [trend (n), seasonal (12)]
    # first differences: the least-varying path; it extrapolates flat, not
    # along a trend, past the last constrained month
    D2 = np.zeros((n - 1, n))
    for i in range(n - 1):
        D2[i, i:i + 2] = [-1.0, 1.0]
    S = np.zeros((n, 12))
    for i, p in enumerate(months):
        S[i, p.month - 1] = 1.0
    H = np.zeros((n + 12, n + 12))
    H[:n, :n] = smoothness * D2.T @ D2 + 1e-8 * np.eye(n)
    H[n:, n:] = seasonal_ridge * np.eye(12)
    A = np.hstack([C @ np.eye(n), C @ S])  # constraints on x = trend + S s
    sum_zero = np.concatenate([np.zeros(n), np.ones(12)])[None, :]
    A = np.vstack([A, sum_zero])
    b = np.concatenate([d, [0.0]])
    k = A.shape[0]
    kkt = np.block([[2 * H, A.T], [A, np.zeros((k, k))]])
    rhs = np.concatenate([np.zeros(n + 12), b])
    sol = np.linalg.lstsq(kkt, rhs, rcond=None)[0]
    trend, seasonal = sol[:n], sol[n:n + 12]
    x = trend + S @ seasonal
    return pd.DataFrame({"index": x, "trend": trend, "seasonal": S @ seasonal}, index=months)


def reconstruction_band(months: pd.PeriodIndex, C: np.ndarray, d: np.ndarray, smoothness_values: list[float],
                        central: float) -> pd.DataFrame:
    """One admissible path per smoothness value (columns s=<value>), the
    central one, and the month-wise range over them (low, high)."""
    values = sorted(set(smoothness_values) | {central})
    frame = pd.DataFrame({f"s={v:g}": reconstruct(months, C, d, v)["index"] for v in values})
    paths = list(frame.columns)
    frame["central"] = frame[f"s={central:g}"]
    frame["low"] = frame[paths].min(axis=1)
    frame["high"] = frame[paths].max(axis=1)
    return frame


def constraint_residuals(x: np.ndarray, C: np.ndarray, d: np.ndarray, used: list[str]) -> pd.DataFrame:
    return pd.DataFrame({"statistic": used, "published": d, "reconstructed": C @ x,
                         "residual": C @ x - d})


def constraints_per_year(C: np.ndarray, months: pd.PeriodIndex) -> pd.Series:
    """How many constraints involve each year's months."""
    years = sorted(set(months.year))
    return pd.Series({y: int(sum(np.any(np.abs(row[months.year == y]) > 0) for row in C)) for y in years},
                     name="constraints")


def admissible_range(months: pd.PeriodIndex, C: np.ndarray, d: np.ndarray, lower: float,
                     upper: float) -> pd.DataFrame:
    """For each month, the lowest and highest value any path can take that
    meets every constraint exactly and stays within [lower, upper] (two linear
    programs per month): how loosely the statistics pin each month down."""
    from scipy.optimize import linprog

    n = len(months)
    out = []
    for i in range(n):
        c = np.zeros(n)
        c[i] = 1.0
        lo = linprog(c, A_eq=C, b_eq=d, bounds=[(lower, upper)] * n, method="highs")
        hi = linprog(-c, A_eq=C, b_eq=d, bounds=[(lower, upper)] * n, method="highs")
        out.append((lo.x[i] if lo.success else np.nan, hi.x[i] if hi.success else np.nan))
    return pd.DataFrame(out, index=months, columns=["admissible_low", "admissible_high"])


def seasonal_peaks_test(months: pd.PeriodIndex, C: np.ndarray, d: np.ndarray, peak_months: list[int],
                        lower: float, upper: float, central: pd.Series) -> pd.DataFrame:
    """Per year: peak months' mean minus the other months' mean — on the
    regularised path, and its minimum and maximum over ALL admissible paths
    (linear programs). The claim is confirmed only if the minimum is > 0."""
    from scipy.optimize import linprog

    rows = []
    for year in sorted(set(months.year)):
        in_year = months.year == year
        peak = in_year & months.month.isin(peak_months)
        rest = in_year & ~months.month.isin(peak_months)
        c = np.where(peak, 1.0 / peak.sum(), 0.0) - np.where(rest, 1.0 / rest.sum(), 0.0)
        lo = linprog(c, A_eq=C, b_eq=d, bounds=[(lower, upper)] * len(months), method="highs")
        hi = linprog(-c, A_eq=C, b_eq=d, bounds=[(lower, upper)] * len(months), method="highs")
        low, high = (lo.fun if lo.success else np.nan), (-hi.fun if hi.success else np.nan)
        verdict = ("peaks above the rest on every admissible path" if low > 0 else
                   "peaks below the rest on every admissible path" if high < 0 else
                   "not determined by the published statistics")
        rows.append({"year": int(year), "peak_minus_rest_regularised": float(c @ central.to_numpy()),
                     "peak_minus_rest_min": low, "peak_minus_rest_max": high, "verdict": verdict})
    return pd.DataFrame(rows)


# ---------------------------------------------------------------- claims

def check_claims(book: ClaimBook, stats: pd.DataFrame, statements: IndexStatements, proactive: dict,
                 flat_range: tuple[float, float], tolerance: float) -> None:
    """Claims of 二(一)(二): index level and changes, proactive intervention."""
    others = stats[~stats["publication"].str.contains("2019年度")]
    facts = {"n_other_statistics": len(others), "other_publications": "、".join(sorted(set(others["publication"]))),
             **statements.facts()}
    book.not_reproducible("it_index_mean_2019", "index_mean", facts)
    book.not_reproducible("it_index_change_2019_vs_2018", "index_change", facts)
    book.not_reproducible("it_total_dispute_rate_subindex_change_2019", "index_not_public", facts)
    book.not_reproducible("it_fake_perception_change_2019", "index_not_public", facts)
    book.not_reproducible("it_proactive_intervention_share_2019_12", "proactive_share", facts)
    holds = abs(proactive["adjusted_change"]) <= tolerance
    book.not_reproducible("it_dispute_share_ex_proactive_flat_2019", "flat_without_proactive",
                          {**facts, **proactive, "tolerance": tolerance, "flat_low": flat_range[0],
                           "flat_high": flat_range[1], "holds_zh": "在" if holds else "不在",
                           "holds_en": "within" if holds else "outside"})
