"""The index (电商消费维权指数): composition, adjustments, reconstruction.

The platform publishes neither the monthly index nor its weights. What is
public are statements: means over periods and changes between them. This
module turns them into explicit arithmetic:

- composite model: Δtotal = w_d·Δdispute + w_c·Δcounterfeit + w_o·Δother,
  w_o = 1 − w_d − w_c (weights are ASSUMPTIONS, parameters);
- proactive-intervention adjustment of the dispute-rate change;
- reconstruction of a monthly path from the published statistics, each a
  linear constraint, with a smoothness + seasonal regularisation (NOT the
  platform's series: a path consistent with what was published).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

# The report's statements (2019 annual report, 二(一)), signed by their
# wording (降低/下降 = negative). `statements_match_ledger` and a test keep
# them equal to data/published/claims.csv, the single source.
LEDGER_SIGNS = {"it_index_mean_2019": ("TOTAL_MEAN_2019", 1), "it_index_change_2019_vs_2018": ("TOTAL_CHANGE_2019", -1),
                "it_total_dispute_rate_subindex_change_2019": ("DISPUTE_RATE_CHANGE_2019", 1),
                "it_fake_perception_change_2019": ("COUNTERFEIT_CHANGE_2019", -1)}
TOTAL_MEAN_2019 = 81.6
TOTAL_CHANGE_2019 = -14.0
DISPUTE_RATE_CHANGE_2019 = 8.8
COUNTERFEIT_CHANGE_2019 = -19.0
BASE_MONTH = "2016-05"
BASE_VALUE = 100.0
PRINTED_PRECISION_POINTS = 0.5  # the report prints whole points (−14, −19)


def statements_match_ledger(ledger: pd.DataFrame) -> dict[str, tuple[float, float]]:
    """{claim_id: (ledger value signed, module constant)} for any that differ."""
    out = {}
    for claim_id, (name, sign) in LEDGER_SIGNS.items():
        stated = sign * float(ledger.loc[claim_id, "value"])
        if abs(stated - globals()[name]) > 1e-9:
            out[claim_id] = (stated, globals()[name])
    return out


# ------------------------------------------------------------ composite model

def implied_other_change(w_dispute: float, w_counterfeit: float, total_change: float = TOTAL_CHANGE_2019,
                         dispute_change: float = DISPUTE_RATE_CHANGE_2019,
                         counterfeit_change: float = COUNTERFEIT_CHANGE_2019) -> float:
    """What the unnamed components must have done (their weighted-mean change)
    for the stated total; NaN when they have no weight."""
    w_other = 1.0 - w_dispute - w_counterfeit
    if w_other <= 1e-12:
        return np.nan  # no other components: their change is not defined
    rest = total_change - w_dispute * dispute_change - w_counterfeit * counterfeit_change
    return rest / w_other


def named_parts_consistent(w_dispute: float, w_counterfeit: float, total_change: float = TOTAL_CHANGE_2019,
                           dispute_change: float = DISPUTE_RATE_CHANGE_2019,
                           counterfeit_change: float = COUNTERFEIT_CHANGE_2019) -> bool:
    """With no weight left for other components, do the two named parts give
    the stated total within the precision it is printed with (−14: ±0.5)?"""
    rest = total_change - w_dispute * dispute_change - w_counterfeit * counterfeit_change
    return abs(rest) <= PRINTED_PRECISION_POINTS


def two_component_weights(total_change: float = TOTAL_CHANGE_2019, dispute_change: float = DISPUTE_RATE_CHANGE_2019,
                          counterfeit_change: float = COUNTERFEIT_CHANGE_2019) -> tuple[float, float]:
    """The only (w_d, w_c = 1 − w_d) for which the two named sub-indices alone
    give the stated total change: w_d = (Δtotal − Δc) / (Δd − Δc)."""
    w_d = (total_change - counterfeit_change) / (dispute_change - counterfeit_change)
    return w_d, 1.0 - w_d


def decomposition(w_dispute: float, w_counterfeit: float, total_change: float = TOTAL_CHANGE_2019,
                  dispute_change: float = DISPUTE_RATE_CHANGE_2019,
                  counterfeit_change: float = COUNTERFEIT_CHANGE_2019) -> pd.DataFrame:
    """Contributions (points) of each component to the total change, and shares."""
    w_other = 1.0 - w_dispute - w_counterfeit
    contrib_d = w_dispute * dispute_change
    contrib_c = w_counterfeit * counterfeit_change
    contrib_o = total_change - contrib_d - contrib_c
    return pd.DataFrame({
        "component": ["总纠纷率指数 dispute rate", "假货感知比率 counterfeit perception", "其他 other (implied)", "总指数 total"],
        "weight": [w_dispute, w_counterfeit, w_other, 1.0],
        "change_points": [dispute_change, counterfeit_change,
                          implied_other_change(w_dispute, w_counterfeit, total_change, dispute_change,
                                               counterfeit_change), total_change],
        "contribution_points": [contrib_d, contrib_c, contrib_o, total_change],
    }).assign(share_of_total_change_pct=lambda f: f["contribution_points"] / total_change * 100)


def weight_grid(points: int) -> pd.DataFrame:
    """Implied other-component change and the counterfeit share of the total
    change over admissible weights (w_d + w_c ≤ 1)."""
    grid = np.linspace(0, 1, points)
    rows = []
    for w_d in grid:
        for w_c in grid:
            if w_d + w_c > 1 + 1e-12:
                continue
            contrib_c = w_c * COUNTERFEIT_CHANGE_2019
            contrib_d = w_d * DISPUTE_RATE_CHANGE_2019
            contrib_o = TOTAL_CHANGE_2019 - contrib_c - contrib_d
            rows.append({"w_dispute": w_d, "w_counterfeit": w_c,
                         "other_change": implied_other_change(w_d, w_c),
                         "counterfeit_share_pct": contrib_c / TOTAL_CHANGE_2019 * 100,
                         "counterfeit_is_largest": abs(contrib_c) >= max(abs(contrib_d), abs(contrib_o))})
    return pd.DataFrame(rows)


def counterfeit_largest_threshold(w_dispute: float) -> float:
    """Smallest w_c (given w_d) at which the counterfeit fall is the largest
    contribution in absolute value (|w_c·Δc| ≥ |w_d·Δd| and ≥ |other|)."""
    for w_c in np.linspace(0, 1 - w_dispute, 2001):
        contrib_c = abs(w_c * COUNTERFEIT_CHANGE_2019)
        contrib_d = abs(w_dispute * DISPUTE_RATE_CHANGE_2019)
        contrib_o = abs(TOTAL_CHANGE_2019 - w_c * COUNTERFEIT_CHANGE_2019 - w_dispute * DISPUTE_RATE_CHANGE_2019)
        if contrib_c >= contrib_d and contrib_c >= contrib_o:
            return float(w_c)
    return np.nan


def counterfactual_without_counterfeit_fall(w_counterfeit: float, mean_2019: float = TOTAL_MEAN_2019) -> float:
    """2019 mean had the counterfeit-perception ratio not fallen."""
    return mean_2019 - w_counterfeit * COUNTERFEIT_CHANGE_2019


# ------------------------------------------------- proactive intervention

def proactive_adjustment(proactive_share: float, months: int, level_2018: float,
                         change: float = DISPUTE_RATE_CHANGE_2019) -> dict:
    """Dispute-rate change without proactive cases.

    The 2019 sub-index mean is level_2018 + change; removing proactive cases
    (share p of disputes, in `months` of 12) scales it by (1 − p·months/12).
    """
    level_2019 = level_2018 + change
    fraction = proactive_share * months / 12.0
    adjusted = level_2019 * (1.0 - fraction)
    return {"level_2018": level_2018, "level_2019": level_2019, "removed_fraction": fraction,
            "level_2019_adjusted": adjusted, "adjusted_change": adjusted - level_2018}


def flat_condition(level_2018: float, tolerance: float, change: float = DISPUTE_RATE_CHANGE_2019) -> tuple[float, float]:
    """Range of the yearly removed fraction p·months/12 for which the adjusted
    change is within ±tolerance ('基本持平')."""
    level_2019 = level_2018 + change
    low = (change - tolerance) / level_2019
    high = (change + tolerance) / level_2019
    return max(low, 0.0), min(high, 1.0)


# ---------------------------------------------------------- reconstruction

def _months(start: str, end: str) -> pd.PeriodIndex:
    return pd.period_range(start, end, freq="M")


def constraints_from_statistics(stats: pd.DataFrame, months: pd.PeriodIndex) -> tuple[np.ndarray, np.ndarray, list[str], list[str]]:
    """Linear constraints C x = d on the monthly total index from published
    statistics of the total index (period means, single months, changes).
    Returns C, d, the stat_ids used and those outside the window (unused)."""
    pos = {p: i for i, p in enumerate(months)}
    rows, rhs, used, unused = [], [], [], []

    def mean_row(start, end):
        row = np.zeros(len(months))
        span = _months(start, end)
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
    base = np.zeros(len(months))
    base[pos[pd.Period(BASE_MONTH, "M")]] = 1.0
    rows.append(base)
    rhs.append(BASE_VALUE)
    used.append(f"base {BASE_MONTH} = {BASE_VALUE:g}")
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

NOT_PUBLIC = ("the platform's index, its sub-indices and dispute data are not public; the only public source "
              "for this number is the report itself")


def check_index_claims(book, stats: pd.DataFrame, proactive: dict, flat_range: tuple[float, float],
                       tolerance: float) -> None:
    """Claims of 二(一)(二): index level and changes, proactive intervention."""
    others = stats[~stats["publication"].str.contains("2019年度")]
    note = (f"other published index statistics found: {len(others)} "
            f"({', '.join(sorted(set(others['publication'])))}); none states the 2018 annual mean")
    book.not_reproducible("it_index_mean_2019", f"{NOT_PUBLIC}. {note}.")
    book.not_reproducible("it_index_change_2019_vs_2018",
                          f"{NOT_PUBLIC}. Implied 2018 mean: {TOTAL_MEAN_2019 - TOTAL_CHANGE_2019:.1f}; "
                          "the 2018 annual report was not found to check it.")
    book.not_reproducible("it_total_dispute_rate_subindex_change_2019", NOT_PUBLIC)
    book.not_reproducible("it_fake_perception_change_2019", NOT_PUBLIC)
    book.not_reproducible("it_proactive_intervention_share_2019_12", NOT_PUBLIC + " (a December 2019 example only)")
    holds = abs(proactive["adjusted_change"]) <= tolerance
    book.not_reproducible(
        "it_dispute_share_ex_proactive_flat_2019",
        f"{NOT_PUBLIC}. Under the ASSUMPTIONS (share {proactive['removed_fraction']:.3f} of the year's disputes "
        f"removed, 2018 sub-index {proactive['level_2018']:g}) the adjusted change is "
        f"{proactive['adjusted_change']:+.1f} points, {'within' if holds else 'outside'} ±{tolerance:g}; "
        f"'基本持平' holds if the removed share of the year is between {flat_range[0]:.3f} and {flat_range[1]:.3f}.")


def check_ai_claims(book, alibaba: pd.DataFrame, w_dispute: float, w_counterfeit: float) -> None:
    """Claims of 二(二)4 and 二(四): infringement rate, IP brain, 店小蜜."""
    public = alibaba[(alibaba["metric"].str.startswith("suspected_infringement_per_10000"))
                     & (alibaba["period"] == "2019")]
    if public.empty:
        book.not_reproducible("ai_infringement_refund_rate_2019", "no public Alibaba figure for 2019 was found")
    else:
        row = public.iloc[0]
        book.check("ai_infringement_refund_rate_2019", row["value"] / 10000 * 100,
                   method=f"Alibaba's public figure {row['value']:g} per 10,000 ({row['publication']}) as a percentage",
                   note=f"Alibaba's 2019 wording counts suspected-infringing goods per 10,000 "
                        f"{row['unit'].split()[-1]}; the report calls it a refund proportion over orders. Alibaba's "
                        "2017 report defines the same series as refunds requested because the buyer suspected a "
                        "fake (0.0149%, 1.49 per 10,000 orders), so the two wordings name one statistic "
                        f"(data/published/alibaba_ip_protection.csv, {row['stat_id']})")
    book.check("ai_infringement_refunds_per_10k_orders_2019", book.stated("ai_infringement_refund_rate_2019") / 100 * 10000,
               basis="report", method="0.0103% × 10,000 / 100: the report's two statements of the same rate agree")
    threshold = counterfeit_largest_threshold(w_dispute)
    book.not_reproducible("ai_counterfeit_main_reason_2019",
                          f"the weights of the index are not published. Under the assumed w_c = {w_counterfeit:.2f} "
                          f"the counterfeit fall contributes {w_counterfeit * COUNTERFEIT_CHANGE_2019:+.1f} of the "
                          f"−14 points; see the weight sensitivity: it is the largest contributor only above a "
                          f"threshold weight (w_c ≥ {threshold:.2f} given w_d = {w_dispute:.2f}).")
    book.not_reproducible("ai_fake_perception_change_2019",
                          f"{NOT_PUBLIC}. Under the assumed weight w_c = {w_counterfeit:.2f} it contributes "
                          f"{w_counterfeit * COUNTERFEIT_CHANGE_2019:+.1f} of the −14 points.")
    book.not_reproducible_all({"not_public": "Alibaba internal figure (IP protection system, 店小蜜); no public "
                                             "source found",
                               "public_data": "no public source for this figure was found"})
