"""Section 一(三), the models and the verdict rules: the designs (a year's lift;
the change of the lift across years), the fits (through ecrights.stats), the
placebo rule that decides whether a change is the promotion's own, the
single-month condition, and the coverage check of the intervals at the data's
sample sizes.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ...memo import memo
from ...stats import (LEVERAGE_ONE, NOT_IDENTIFIED, OK, TOO_FEW, Inference, coefficient, coverage_mcse, shortfall_se,
                      simulate_coverage)
from .periods import (Comparison, Promotion, _share_of, compare_years, comparison_rows, period_label, placebo_rows,
                      placebo_spans, promotions, usable_patterns)

# verdicts on "the promotions' pull weakened"
WEAKENED, STRENGTHENED, UNDETERMINED = "weakened", "strengthened", "undetermined"


def year_design(rows: pd.DataFrame) -> np.ndarray:
    """[1, s]: a year's level and its promotion lift."""
    return np.column_stack([np.ones(len(rows)), rows["s"].to_numpy(float)])


def trend_design(rows: pd.DataFrame, pattern: str) -> tuple[np.ndarray, int]:
    """Design of the change of the lift across years, and the trend's column.

    common pattern: period effects + year effects + s × (year − mean year): each
    period is compared with itself in other years (its seasonality drops out).
    own pattern: periods differ between years, so only year effects + s +
    s × (year − mean year)."""
    years = sorted(rows["year"].unique())
    year_fx = [(rows["year"] == y).to_numpy(float) for y in years[1:]]
    t = (rows["year"] - np.mean(years)).to_numpy(float)
    trend = rows["s"].to_numpy(float) * t
    if pattern == "common":
        periods = sorted(rows["period"].unique(), key=lambda p: int(p.split("-")[0]))
        cols = [(rows["period"] == p).to_numpy(float) for p in periods] + year_fx + [trend]
    else:
        cols = [np.ones(len(rows))] + year_fx + [rows["s"].to_numpy(float), trend]
    return np.column_stack(cols), len(cols) - 1


def _fit(rows: pd.DataFrame, X: np.ndarray, j: int, inference: Inference) -> dict:
    return coefficient(X, rows["y"].to_numpy(float), rows["weight"].to_numpy(float), j,
                       y_low=rows["y_low"].to_numpy(float), y_high=rows["y_high"].to_numpy(float),
                       **inference.kwargs())


def lifts_by_year(rows: pd.DataFrame, promotion: Promotion, inference: Inference) -> pd.DataFrame:
    """The lift of a full promotion month over the year's other periods, per
    year: estimate, interval (statistical ci_low..ci_high; with rounding
    low..high), n, degrees of freedom, status."""
    out = []
    for year, grp in rows.groupby("year"):
        if grp["s"].max() <= 0 or grp["s"].nunique() < 2:
            continue
        fit = _fit(grp, year_design(grp), 1, inference)
        out.append({"promotion": promotion.key, "year": int(year), **fit})
    columns = ["promotion", "year", "estimate", "se", "ci_low", "ci_high", "low", "high", "round_low", "round_high",
               "n", "df", "status"]
    return pd.DataFrame(out, columns=columns)


def lift_trend(rows: pd.DataFrame, comparison: Comparison, inference: Inference) -> dict:
    """The change of the lift per year across the compared years (see trend_design)."""
    base = {"promotion": comparison.promotion.key, "years": list(comparison.years), "n_years": len(comparison.years)}
    if len(comparison.years) < 2 or rows.empty:
        return {**base, "estimate": np.nan, "se": np.nan, "ci_low": np.nan, "ci_high": np.nan, "low": np.nan,
                "high": np.nan, "round_low": np.nan, "round_high": np.nan, "n": int(len(rows)), "df": 0,
                "status": TOO_FEW}
    X, j = trend_design(rows, comparison.pattern)
    return {**base, **_fit(rows, X, j, inference)}


def interval_verdict(trend: dict) -> str:
    """The sign of the change of the lift alone (its rounding-widened interval):
    below zero throughout: weakened; above: strengthened; across zero:
    undetermined; no interval: too_few. Not yet a verdict: see `verdict`."""
    if trend["status"] != OK or np.isnan(trend["low"]):
        return TOO_FEW
    if trend["high"] < 0:
        return WEAKENED
    if trend["low"] > 0:
        return STRENGTHENED
    return UNDETERMINED


# --------------------------------------------------------------------------
# Placebo periods: is a change specific to the promotion?
# --------------------------------------------------------------------------
#
# The change of the lift compares the promotion period with the year's other
# periods. A fall of its share can come from the promotion, or from the year's
# sales moving elsewhere (December growing, say): then the other periods move
# against each other as much. So the same estimate is made with each
# non-promotion period standing in for the promotion's, on the same years,
# release pattern and design; the promotion's change counts as its own only
# when it lies beyond those placebos.

@dataclass(frozen=True)
class Judgement:
    """A verdict and why: reason is "interval" (no interval: too_few, or it
    spans zero), "specific" (beyond the placebos), "not_specific" (placebos
    change as much), "no_placebo" (no period to compare with)."""

    verdict: str
    reason: str
    threshold: float = float("nan")


@memo  # pure, and the slowest step: a variant of a later choice (placebo_quantile, …) reuses it
def placebo_trends(rows: pd.DataFrame, comparison: Comparison, all_promotions: list[Promotion], placebo_months,
                   max_extra_months: int, inference: Inference) -> pd.DataFrame:
    """The change of the lift per year with each placebo in place of the
    promotion (same years, periods and design): one row per placebo, its
    estimate and range under rounding (round_low..round_high)."""
    columns = ["promotion", "placebo", "start_month", "month", "estimate", "round_low", "round_high", "n"]
    out, seen = [], set()
    if len(comparison.years) >= 2 and not rows.empty:
        for spans_ in placebo_spans(comparison, all_promotions, placebo_months, max_extra_months):
            # parts with the same share make (A, B) and (B, A) one placebo: count it once
            shares = [tuple(_share_of(pa + 1, pb, part) for y in comparison.years
                            for pa, pb in [comparison.spans(y)[k]]) for k, part in enumerate(comparison.promotion.parts)]
            key = frozenset(zip(spans_, shares))
            if key in seen:
                continue
            seen.add(key)
            prows = placebo_rows(rows, comparison, spans_)
            X, j = trend_design(prows, comparison.pattern)
            fit = _fit(prows, X, j, inference)
            if np.isnan(fit["estimate"]):
                continue
            out.append({"promotion": comparison.promotion.key,
                        "placebo": ",".join(f"{a + 1}-{b}" for a, b in spans_),
                        "start_month": spans_[0][0] + 1, "month": spans_[0][1], "estimate": fit["estimate"],
                        "round_low": fit["round_low"], "round_high": fit["round_high"], "n": fit["n"]})
    return pd.DataFrame(out, columns=columns)


def verdict(trend: dict, placebos: pd.DataFrame, quantile: float) -> Judgement:
    """Does the change of the lift support "the promotions' pull weakened"?

    Weakened only when its interval (rounding included) is below zero AND its
    estimate lies below the placebos: even at the top of its rounding range
    below the `quantile` of the placebos' lowest values (quantile 0: below every
    placebo). An interval below zero that placebos match: undetermined (the
    decline is not specific to the promotion). Strengthened mirrors it (above
    zero, above the 1 − quantile of the placebos). No placebo: undetermined."""
    sign = interval_verdict(trend)
    if sign in (TOO_FEW, UNDETERMINED):
        return Judgement(sign, "interval")
    placebos = placebos.dropna(subset=["estimate"])
    if placebos.empty:
        return Judgement(UNDETERMINED, "no_placebo")
    if sign == WEAKENED:
        threshold = float(np.quantile(placebos["round_low"], quantile))
        specific = trend["round_high"] < threshold
    else:
        threshold = float(np.quantile(placebos["round_high"], 1 - quantile))
        specific = trend["round_low"] > threshold
    return Judgement(sign if specific else UNDETERMINED, "specific" if specific else "not_specific", threshold)


@dataclass
class PromotionAnalysis:
    comparison: Comparison
    rows: pd.DataFrame
    lifts: pd.DataFrame
    trend: dict
    placebos: pd.DataFrame
    placebo_quantile: float  # params.placebo_quantile (its default lives in params/defaults.yaml)
    single: "PromotionAnalysis | None" = None  # the promotion's months alone (analyse_single_months)

    def promotion_spans(self) -> set[tuple[int, int]]:
        """The derived periods (a, b] holding the promotion in the compared years."""
        return {s for y in self.comparison.years for s in self.comparison.spans(y) if s}

    def period_text(self, language: str) -> str:
        """The months the compared promotion period covers: '10–11月' / 'Oct–Nov'."""
        spans_ = sorted(self.promotion_spans())
        return "、".join(period_label(a + 1, b, language) for a, b in spans_) if language == "zh" else \
            ", ".join(period_label(a + 1, b, language) for a, b in spans_)

    @property
    def diluted(self) -> bool:
        """Whether the compared period holds months other than the promotion's."""
        months = {m for part in self.comparison.promotion.parts for m in part}
        return any(b - a > len(months & set(range(a + 1, b + 1))) for a, b in self.promotion_spans())

    @property
    def judgement(self) -> Judgement:
        """The verdict against the placebos; a decline (or rise) of a period longer than the
        promotion is attributed to the promotion only if its months alone, compared on their own,
        give the same verdict (else the months around it may carry it: undetermined)."""
        j = verdict(self.trend, self.placebos, self.placebo_quantile)
        if j.verdict in (WEAKENED, STRENGTHENED) and self.diluted:
            if self.single is None or self.single.verdict == TOO_FEW:
                return Judgement(UNDETERMINED, "single_missing", j.threshold)
            if self.single.verdict != j.verdict:
                return Judgement(UNDETERMINED, "single_disagrees", j.threshold)
        return j

    @property
    def verdict(self) -> str:
        return self.judgement.verdict

    def neighbour_changes(self) -> pd.DataFrame:
        """The other months of a diluted compared period, each compared alone: their
        change per year as placebos of the single-month comparison (same years and
        design as the promotion's months alone). Empty when not diluted or not compared alone."""
        columns = ["placebo", "start_month", "month", "estimate"]
        if not self.diluted or self.single is None or self.single.placebos.empty:
            return pd.DataFrame(columns=columns)
        own = {m for part in self.comparison.promotion.parts for m in part}
        others = {m for a, b in self.promotion_spans() for m in range(a + 1, b + 1)} - own
        single = self.single.placebos
        mine = single[(single["start_month"] == single["month"]) & single["month"].isin(others)
                      & ~single["placebo"].str.contains(",")]
        return mine[columns].reset_index(drop=True)

    def placebo_facts(self) -> dict:
        """Numbers the answer quotes: how many placebos, their range, how many change as much as the promotion."""
        est = self.placebos["estimate"].dropna()
        j, e = self.judgement, self.trend["estimate"]
        as_far = int((est <= e).sum()) if e < 0 else int((est >= e).sum())
        return {"n_placebo": int(len(est)), "placebo_low": float(est.min()) if len(est) else np.nan,
                "placebo_high": float(est.max()) if len(est) else np.nan, "as_far": as_far,
                "threshold": j.threshold, "quantile": self.placebo_quantile}


def analyse_comparison(official: pd.DataFrame, params, comparison: Comparison, all_promotions: list[Promotion],
                       inference: Inference) -> PromotionAnalysis:
    """Rows, per-year lifts, the change of the lift and its placebos for one comparison."""
    rows = comparison_rows(official, params.series, comparison, params.outcome, all_promotions)
    placebos = placebo_trends(rows, comparison, all_promotions, params.placebo_months, params.max_extra_months,
                              inference)
    return PromotionAnalysis(comparison, rows, lifts_by_year(rows, comparison.promotion, inference),
                             lift_trend(rows, comparison, inference), placebos, params.placebo_quantile)


def analyse(official: pd.DataFrame, params) -> list[PromotionAnalysis]:
    """Every promotion (and the pooled one) of the parameters: comparison, rows, lifts, trend, placebos."""
    years = range(params.year_start, params.year_end + 1)
    patterns = usable_patterns(official, params.series, years, params.outcome)
    proms = promotions(params.promotion_months, params.window)
    inference = Inference.from_params(params)
    singles = {a.comparison.promotion.key: a for a in analyse_single_months(official, params)[0]}
    out = []
    for promotion in proms:
        a = analyse_comparison(official, params,
                               compare_years(patterns, promotion, params.max_extra_months, params.pattern),
                               proms, inference)
        a.single = singles.get(promotion.key)
        out.append(a)
    return out


def single_month_analyses(analyses: list[PromotionAnalysis]) -> list[PromotionAnalysis]:
    """The single-month analyses `analyse` made (analyse_single_months, one per promotion
    alone, not the pooled one), taken from its results rather than computed twice."""
    return [a.single for a in analyses if a.single is not None]


def analyse_single_months(official: pd.DataFrame, params) -> tuple[list[PromotionAnalysis], dict[int, tuple]]:
    """The same analysis on the years whose releases give each promotion's
    months as a period of their own (no other month in it: for window 1 the
    single month), all cut at the releases they share; each promotion alone
    (pooling adds nothing here). Returns the analyses and the release months
    of every year (to say what a missing year lacks)."""
    years = range(params.year_start, params.year_end + 1)
    patterns = usable_patterns(official, params.series, years, params.outcome)
    proms = promotions(params.promotion_months, params.window)
    inference = Inference.from_params(params)
    return [analyse_comparison(official, params, compare_years(patterns, promotion, 0, "common"), proms, inference)
            for promotion in proms if promotion.key != "pooled"], patterns


# --------------------------------------------------------------------------
# Coverage at the real sample sizes
# --------------------------------------------------------------------------

def standardized_residuals(rows: pd.DataFrame) -> np.ndarray:
    """Residuals of each year's fit (y on [1, s], weighted), scaled to a common
    variance (× √w / √(1 − h)), centred: the noise of the data as observed."""
    out = []
    for _, grp in rows.groupby("year"):
        X, w = year_design(grp), grp["weight"].to_numpy(float)
        root = np.sqrt(w)
        Xs, ys = X * root[:, None], grp["y"].to_numpy(float) * root
        if len(grp) <= np.linalg.matrix_rank(Xs):
            continue
        A = np.linalg.pinv(Xs.T @ Xs)
        h = np.einsum("ij,jk,ik->i", Xs, A, Xs)
        resid = ys - Xs @ (A @ Xs.T @ ys)
        keep = h < LEVERAGE_ONE
        out.append(resid[keep] / np.sqrt(1 - h[keep]))
    pool = np.concatenate(out) if out else np.array([])
    return pool - pool.mean() if pool.size else pool


def period_drift(rows: pd.DataFrame, deltas: np.ndarray, draws: int, seed: int) -> np.ndarray:
    """Structured error for the coverage check of the change of the lift: every
    period (the promotion's too) drifts linearly across the years, its change per
    year drawn from `deltas` (the placebo periods' changes: how much periods
    without a promotion did drift) on the scale of the promotion share, so the
    promotion period's drift is what its placebo's would be. n × draws."""
    rng = np.random.default_rng([seed, 1])  # its own stream: the cell noise stays as without drift
    periods = sorted(rows["period"].unique())
    index = rows["period"].map({p: k for k, p in enumerate(periods)}).to_numpy()
    t = (rows["year"] - rows["year"].mean()).to_numpy(float)
    scale = float(rows.loc[rows["s"] > 0, "s"].mean()) if (rows["s"] > 0).any() else 1.0
    drift = rng.choice(np.asarray(deltas, float), size=(len(periods), draws), replace=True)
    return drift[index] * scale * t[:, None]


def coverage_checks(analyses: list[PromotionAnalysis], inference: Inference, draws: int, seed: int = 0,
                    methods: tuple[str, ...] | None = None) -> pd.DataFrame:
    """Simulated coverage of every interval the section reports (per-year lifts
    and trends), at the sample sizes and designs of the data, the true lift
    being the estimate: one column per inference method (default: the one in
    use), cells' noise resampled independently. For the change of the lift
    also `drift`: the method in use when, besides, every period drifts across
    the years as the placebo periods did (period_drift), the threat to a trend
    that independent cells cannot show (NaN for a single year, which no drift
    across years touches). `mcse`: the Monte Carlo standard error at the
    nominal level; `shortfall_se`: how many of them the method in use lies
    below it (ecrights.stats)."""
    methods = methods or (inference.method,)
    out = []
    for a in analyses:
        noise = standardized_residuals(a.rows)
        if noise.size < 3:
            continue
        reported = set(a.lifts.loc[a.lifts["status"] != TOO_FEW, "year"])
        cases = [(f"{y}", grp, year_design(grp), 1) for y, grp in a.rows.groupby("year") if int(y) in reported]
        if a.trend["status"] not in (TOO_FEW, NOT_IDENTIFIED):
            X, j = trend_design(a.rows, a.comparison.pattern)
            cases.append(("trend", a.rows, X, j))
        deltas = a.placebos["estimate"].dropna().to_numpy(float)
        for label_, grp, X, j in cases:
            w = grp["weight"].to_numpy(float)
            root = np.sqrt(w)
            Xs = X * root[:, None]
            beta = np.linalg.lstsq(Xs, grp["y"].to_numpy(float) * root, rcond=None)[0]
            half = (grp["y_high"] - grp["y_low"]).to_numpy(float) / 2
            row = {"promotion": a.comparison.promotion.key, "case": label_, "n": len(grp),
                   "df": len(grp) - X.shape[1], "draws": draws}
            common = {"draws": draws, "confidence": inference.confidence, "half_width": half,
                      "hac_maxlags": inference.hac_maxlags, "seed": seed}
            for method in methods:
                row[method] = simulate_coverage(X, w, j, beta, noise, inference=method, **common)
            row["drift"] = np.nan
            if label_ == "trend" and deltas.size:
                row["drift"] = simulate_coverage(X, w, j, beta, noise, inference=inference.method,
                                                 shift=period_drift(grp, deltas, draws, seed), **common)
            out.append(row)
    frame = pd.DataFrame(out, columns=["promotion", "case", "n", "df", "draws", *methods, "drift"])
    frame["mcse"] = coverage_mcse(inference.confidence, draws)
    used = frame[inference.method] if inference.method in frame else np.nan
    frame["shortfall_se"] = shortfall_se(used, inference.confidence, draws)
    return frame


def coverage_shortfalls(coverage: pd.DataFrame, method: str, threshold_se: float = 2.0) -> pd.DataFrame:
    """The intervals whose simulated coverage (method in use, independent cells)
    lies more than `threshold_se` Monte Carlo standard errors below the nominal level."""
    return coverage[coverage["shortfall_se"] > threshold_se].dropna(subset=[method])


def overall_verdict(analyses: list[PromotionAnalysis]) -> str:
    """The pooled promotion's verdict when there is one, else the single promotion's."""
    pooled = [a for a in analyses if a.comparison.promotion.key == "pooled"]
    return (pooled or analyses)[0].verdict if analyses else TOO_FEW
