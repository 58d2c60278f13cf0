"""Section 一(三): do the big promotions (6·18, 双11) still lift online sales?

Single periods are derived from NBS's cumulative releases on comparable bases
(derive.single_month_panel); a missing release leaves a longer period, never
split. Years differ in which releases were found, and a promotion month inside
a longer period is diluted: comparing a year of single months with a year of
two- and three-month periods compares the release pattern, not the promotion.
So years are compared like for like:

- a *comparison* (one per promotion: June, November, and both pooled) takes
  the years whose releases bracket the promotion closely enough
  (`max_extra_months`), and coarsens every year to the release months they all
  share (pattern "common"; "own" keeps each year's own releases, for contrast);
- the lift of a year: WLS of the monthly mean outcome of each period on the
  promotion share of its months (weights = months), per year;
- the change of the lift: the same periods across years, with period and year
  effects (a difference in differences: a promotion period against the same
  period of other years, relative to the other periods) and the promotion share
  times (year − mean year): the change per year.

Inference (see the notebook for why): by default the classical WLS variance
with a Student-t reference (exact under normal errors at any n); HC3 (with t)
and Newey–West (HAC, only from `hac_min_obs` observations) as options. Below
`min_observations` an estimate gets no interval ("too few observations").
Rounding is carried through: each outcome has its range under the printed
rounding of the releases; an estimate (linear in the outcomes) gets its range,
and the reported interval is the statistical one widened by it.

Two outcomes:
- share_of_year: a period's share of the year's online sales per month (%):
  the lift is the promotion month's excess share, its size;
- single_month_yoy: a period's growth on the same months a year earlier (%):
  the lift is the promotion months' excess growth, the change of the lift.
"""

from __future__ import annotations

import calendar
import itertools
import re
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ... import derive, i18n
from ...claims import ClaimBook, check_against_official
from ...data import series

SECTION = "promotion_effects"
OUTCOME_COLUMN = {"single_month_yoy": "yoy_pct", "share_of_year": "share_of_year"}
OUTCOME_BOUNDS = {"single_month_yoy": ("yoy_low", "yoy_high"), "share_of_year": ("share_low", "share_high")}
INFERENCES = ("t", "hc3", "hac")
LEVERAGE_ONE = 1 - 1e-8

# statuses of an estimate
OK, TOO_FEW, UNDEFINED, TOO_SHORT_FOR_HAC, NOT_IDENTIFIED = "ok", "too_few", "undefined", "too_short_for_hac", \
    "not_identified"
# verdicts on "the promotions' pull weakened"
WEAKENED, STRENGTHENED, UNDETERMINED = "weakened", "strengthened", "undetermined"


# --------------------------------------------------------------------------
# Promotions and the years that can be compared
# --------------------------------------------------------------------------

@dataclass(frozen=True)
class Promotion:
    """One promotion (its months: the promotion month and the `window` − 1
    months after it, within the year) or several pooled (`parts`)."""

    key: str
    parts: tuple[tuple[int, ...], ...]

    @property
    def months(self) -> tuple[int, ...]:
        return tuple(sorted({m for part in self.parts for m in part}))

    def name(self, language: str) -> str:
        if self.key == "pooled":
            return i18n.render("promotion.pooled", {}, language, SECTION)
        m = self.parts[0][0]
        return i18n.render("promotion.single", {"month": m, "month_en": calendar.month_name[m]}, language, SECTION)


def promotions(promotion_months: list[int], window: int) -> list[Promotion]:
    """One Promotion per promotion month, then all of them pooled (when more than one).
    A window never runs past December (the next January belongs to the next year)."""
    windows = [tuple(m + k for k in range(window) if m + k <= 12) for m in sorted(set(promotion_months))]
    out = [Promotion(calendar.month_abbr[w[0]].lower(), (w,)) for w in windows]
    if len(out) > 1:
        out.append(Promotion("pooled", tuple(windows)))
    return out


def usable_patterns(official: pd.DataFrame, series_names: list[str] | str, years, outcome: str) -> dict[int, tuple]:
    """Release months each year offers for the outcome (in every series given):
    a share of the year needs the year's total (December's cumulative)."""
    names = [series_names] if isinstance(series_names, str) else list(series_names)
    by_series = [derive.release_months(official, name, years) for name in names]
    out = {}
    for year in years:
        sets = [set(p.get(int(year), ())) for p in by_series]
        cuts = set.intersection(*sets) if sets else set()
        if outcome == "share_of_year" and 12 not in cuts:
            continue
        if cuts:
            out[int(year)] = tuple(sorted(cuts))
    return out


def _months_text(first: int, last: int, language: str) -> str:
    """'10–11月' / 'Oct–Nov' ('11月' / 'Nov' for one month)."""
    if language == "zh":
        return f"{first}月" if first == last else f"{first}–{last}月"
    names = calendar.month_abbr
    return names[first] if first == last else f"{names[first]}–{names[last]}"


def span(cuts, window: tuple[int, ...]) -> tuple[int, int] | None:
    """The shortest stretch (a, b] between release months that holds the window
    (a = 0: the year's start), or None when no release ends at or after it."""
    a = max([c for c in cuts if c < window[0]], default=0)
    after = [c for c in cuts if c >= window[-1]]
    return (a, min(after)) if after else None


def extra_months(cuts, promotion: Promotion) -> int | None:
    """Months outside the promotion that its periods include (the worst part), None if not bracketed."""
    worst = 0
    for window in promotion.parts:
        s = span(cuts, window)
        if s is None:
            return None
        worst = max(worst, s[1] - s[0] - len(window))
    return worst


@dataclass
class Comparison:
    """The years compared for one promotion and the release months each is cut at."""

    promotion: Promotion
    pattern: str
    years: list[int]
    cuts: dict[int, tuple[int, ...]]
    dropped: dict[int, str] = field(default_factory=dict)  # year -> why it is not compared

    def spans(self, year: int) -> list[tuple[int, int]]:
        return [span(self.cuts[year], w) for w in self.promotion.parts]


def compare_years(patterns: dict[int, tuple], promotion: Promotion, max_extra_months: int,
                  pattern: str = "common") -> Comparison:
    """Which years are compared for a promotion, on which release months.

    A year enters when its releases bracket the promotion with at most
    `max_extra_months` other months. With pattern "common", every compared
    year is cut at the release months they all share; of the sets of eligible
    years whose shared releases still bracket the promotion within the limit,
    the one that tells most about the change across years is compared: the
    most (years − 1) × (shared periods − 1) (the residual degrees of freedom
    of the year-and-period model, plus one), then more years, then the most
    observations (years × periods), then later years. A poorly released
    year that would coarsen every other year is so left out. Years enter by
    themselves as their releases appear in data/.
    """
    if pattern not in ("common", "own"):
        raise ValueError(f"pattern must be 'common' or 'own', got {pattern!r}")
    eligible, dropped = {}, {}
    for year, cuts in sorted(patterns.items()):
        extra = extra_months(cuts, promotion)
        if extra is None:
            dropped[year] = "no_release_after"
        elif extra > max_extra_months:
            dropped[year] = "period_too_long"
        else:
            eligible[year] = tuple(cuts)
    years = sorted(eligible)
    if pattern == "own":
        return Comparison(promotion, pattern, years, {y: eligible[y] for y in years}, dropped)
    best, best_score = [], None
    for r in range(len(years), 0, -1):
        for subset in itertools.combinations(years, r):
            shared = set.intersection(*[set(eligible[y]) for y in subset])
            extra = extra_months(shared, promotion)
            if extra is None or extra > max_extra_months:
                continue
            y, p = len(subset), len(shared)
            score = ((y - 1) * (p - 1), y, y * p, sum(subset))
            if best_score is None or score > best_score:
                best, best_score = list(subset), score
    for year in years:
        if year not in best:
            dropped[year] = "coarsens_the_others"
    shared = tuple(sorted(set.intersection(*[set(eligible[y]) for y in best]))) if best else ()
    return Comparison(promotion, pattern, best, {y: shared for y in best}, dict(sorted(dropped.items())))


def period_label(start: int, end: int, language: str) -> str:
    if language == "zh":
        return f"{start}月" if start == end else f"{start}–{end}月"
    names = calendar.month_abbr
    return names[start] if start == end else f"{names[start]}–{names[end]}"


def periods_text(cuts, language: str) -> str:
    """The derived periods of a release pattern: '1–2月, 3月, 4–6月, …'."""
    out, previous = [], 0
    for c in sorted(cuts):
        out.append(period_label(previous + 1, c, language))
        previous = c
    return ", ".join(out)


def release_pattern_table(official: pd.DataFrame, series_name: str, years, language: str = "en") -> pd.DataFrame:
    """Which years carry which months: the periods derivable from each year's
    releases (named in `language`), its single months (1–2月 aside), and
    whether its total (December) is there."""
    months = derive.release_months(official, series_name, years)
    rows = []
    for year in years:
        cuts = months.get(int(year), ())
        singles = [c for i, c in enumerate(cuts) if i > 0 and c - cuts[i - 1] == 1]
        rows.append({"year": int(year), "periods": periods_text(cuts, language) if cuts else "—",
                     "single_months": len(singles) + (1 if cuts and cuts[0] == 1 else 0),
                     "year_total": 12 in cuts})
    return pd.DataFrame(rows, columns=["year", "periods", "single_months", "year_total"])


# --------------------------------------------------------------------------
# Observations of a comparison
# --------------------------------------------------------------------------

def _share_of(start: int, end: int, window: tuple[int, ...]) -> float:
    months = range(start, end + 1)
    return sum(m in window for m in months) / len(months)


def comparison_rows(official: pd.DataFrame, series_name: str, comparison: Comparison, outcome: str,
                    all_promotions: list[Promotion]) -> pd.DataFrame:
    """The periods of the compared years with the outcome per month (y, and its
    range y_low..y_high under the printed rounding), weight = months, and the
    promotion share s of each period (the fraction of its months in the
    promotion). Periods holding only another promotion's months are left out
    (neither promotion nor baseline)."""
    columns = ["year", "start_month", "month", "months", "period", "y", "y_low", "y_high", "weight", "s"]
    if not comparison.years:
        return pd.DataFrame(columns=columns)
    panel = derive.single_month_panel(official, series_name, comparison.years, cuts=comparison.cuts)
    value, (low, high) = OUTCOME_COLUMN[outcome], OUTCOME_BOUNDS[outcome]
    per_month = panel["months"] if outcome == "share_of_year" else 1  # a monthly mean, comparable across lengths
    rows = pd.DataFrame({"year": panel["year"].astype(int), "start_month": panel["start_month"].astype(int),
                         "month": panel["month"].astype(int), "months": panel["months"].astype(int),
                         "y": panel[value] / per_month, "y_low": panel[low] / per_month,
                         "y_high": panel[high] / per_month})
    rows["period"] = [f"{a}-{b}" for a, b in zip(rows["start_month"], rows["month"])]
    rows["weight"] = rows["months"].astype(float)
    mine = set(comparison.promotion.months)
    others = {m for p in all_promotions for m in p.months} - mine
    rows["s"] = [_share_of(a, b, tuple(mine)) for a, b in zip(rows["start_month"], rows["month"])]
    other = [any(m in others for m in range(a, b + 1)) for a, b in zip(rows["start_month"], rows["month"])]
    rows = rows[~(np.array(other) & (rows["s"] == 0).to_numpy())]
    rows = rows.dropna(subset=["y"])
    return rows[columns].sort_values(["year", "month"]).reset_index(drop=True)


# --------------------------------------------------------------------------
# Weighted least squares with small-sample inference
# --------------------------------------------------------------------------

def _t_quantile(confidence: float, df) -> np.ndarray:
    from scipy.stats import t

    return t.ppf(0.5 + confidence / 2, df)


def coefficient(X: np.ndarray, y: np.ndarray, w: np.ndarray, j: int, *, inference: str, confidence: float,
                min_observations: int, hac_maxlags: int = 0, hac_min_obs: int = 30,
                y_low: np.ndarray | None = None, y_high: np.ndarray | None = None) -> dict:
    """Coefficient j of the WLS fit of y on X (weights w) with its interval.

    inference "t": classical variance, Student-t with n − p degrees of freedom;
    "hc3": HC3 variance, same t reference (undefined when an observation the
    coefficient rests on has leverage one: its residual is zero by construction);
    "hac": Newey–West with `hac_maxlags` lags over the rows' order, t reference,
    only from `hac_min_obs` observations. Fewer than `min_observations` (or no
    residual degree of freedom): no interval. With y_low/y_high, the estimate's
    range under rounding (it is linear in y) widens the interval to low..high.
    """
    if inference not in INFERENCES:
        raise ValueError(f"inference must be one of {INFERENCES}, got {inference!r}")
    X, y, w = np.asarray(X, float), np.asarray(y, float), np.asarray(w, float)
    n, p = X.shape
    out = {"estimate": np.nan, "se": np.nan, "ci_low": np.nan, "ci_high": np.nan, "low": np.nan, "high": np.nan,
           "round_low": np.nan, "round_high": np.nan, "n": int(n), "df": int(n - p), "status": OK}
    root = np.sqrt(w)
    Xs, ys = X * root[:, None], y * root
    if n < p or np.linalg.matrix_rank(Xs) < p:
        out["status"] = NOT_IDENTIFIED
        return out
    A = np.linalg.inv(Xs.T @ Xs)
    influence = (A @ Xs.T)[j]  # beta_j = influence @ ys
    beta = A @ Xs.T @ ys
    out["estimate"] = float(beta[j])
    if y_low is not None and y_high is not None:
        d = influence * root  # beta_j = d @ y
        lo, hi = np.asarray(y_low, float), np.asarray(y_high, float)
        out["round_low"] = float(np.sum(np.where(d > 0, d * lo, d * hi)))
        out["round_high"] = float(np.sum(np.where(d > 0, d * hi, d * lo)))
    else:
        out["round_low"] = out["round_high"] = out["estimate"]
    df = n - p
    if n < min_observations or df < 1:
        out["status"] = TOO_FEW
        return out
    resid = ys - Xs @ beta
    if inference == "t":
        var = resid @ resid / df * A[j, j]
    elif inference == "hc3":
        h = np.einsum("ij,jk,ik->i", Xs, A, Xs)
        if np.any((h >= LEVERAGE_ONE) & (np.abs(influence) > 1e-12)):
            out["status"] = UNDEFINED
            return out
        var = np.sum(influence ** 2 * resid ** 2 / (1 - h) ** 2)
    else:
        if n < hac_min_obs:
            out["status"] = TOO_SHORT_FOR_HAC
            return out
        var = float(hac_variance(influence, resid[:, None], hac_maxlags)[0])
    se = float(np.sqrt(var))
    q = float(_t_quantile(confidence, df))
    out.update(se=se, ci_low=out["estimate"] - q * se, ci_high=out["estimate"] + q * se)
    out["low"] = out["ci_low"] - (out["estimate"] - out["round_low"])
    out["high"] = out["ci_high"] + (out["round_high"] - out["estimate"])
    return out


def hac_variance(influence: np.ndarray, resid: np.ndarray, maxlags: int) -> np.ndarray:
    """Newey–West variance of a coefficient (Bartlett weights, rows in time
    order), as statsmodels' cov_type="HAC" computes it (no small-sample
    correction); resid is n × draws (vectorised over draws)."""
    n = len(influence)
    lags = np.abs(np.subtract.outer(np.arange(n), np.arange(n)))
    kernel = np.where(lags <= maxlags, 1 - lags / (maxlags + 1), 0.0)
    M = kernel * np.outer(influence, influence)
    return np.einsum("td,ts,sd->d", resid, M, resid)


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


@dataclass(frozen=True)
class Inference:
    method: str = "t"
    confidence: float = 0.95
    min_observations: int = 5
    hac_maxlags: int = 2
    hac_min_obs: int = 30

    @classmethod
    def from_params(cls, params) -> "Inference":
        return cls(params.inference, params.confidence, params.min_observations, params.hac_maxlags,
                   params.hac_min_obs)

    def kwargs(self) -> dict:
        return {"inference": self.method, "confidence": self.confidence, "min_observations": self.min_observations,
                "hac_maxlags": self.hac_maxlags, "hac_min_obs": self.hac_min_obs}


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


def common_spans(comparison: Comparison) -> list[tuple[int, int]]:
    """The periods (a, b] every compared year derives (all of them under the common pattern)."""
    sets = []
    for year in comparison.years:
        cuts, previous, spans_ = comparison.cuts[year], 0, set()
        for c in sorted(cuts):
            spans_.add((previous, c))
            previous = c
        sets.append(spans_)
    return sorted(set.intersection(*sets)) if sets else []


def placebo_spans(comparison: Comparison, all_promotions: list[Promotion], placebo_months, max_extra_months: int
                  ) -> list[tuple[tuple[int, int], ...]]:
    """The placebos of a comparison: for each part of its promotion, a period
    treated the same way. A period can stand in for a part when it holds no
    promotion month (of any promotion), holds the part's months' number or more
    with at most `max_extra_months` besides (the rule a promotion period
    obeys), and holds one of `placebo_months` ("eligible": any month). A pooled
    promotion's placebos are the ordered tuples of distinct such periods."""
    taken = {m for p in all_promotions for m in p.months}
    wanted = set(range(1, 13)) if placebo_months == "eligible" else set(placebo_months)
    candidates = [(a, b) for a, b in common_spans(comparison)
                  if not taken & set(range(a + 1, b + 1)) and wanted & set(range(a + 1, b + 1))]
    per_part = [[(a, b) for a, b in candidates if 0 <= (b - a) - len(part) <= max_extra_months]
                for part in comparison.promotion.parts]
    return [combo for combo in itertools.product(*per_part) if len(set(combo)) == len(combo)]


def placebo_label(spans_: tuple[tuple[int, int], ...], language: str) -> str:
    return " + ".join(period_label(a + 1, b, language) for a, b in spans_)


def placebo_rows(rows: pd.DataFrame, comparison: Comparison, spans_: tuple[tuple[int, int], ...]) -> pd.DataFrame:
    """The comparison's rows without the promotion's periods, each placebo
    period carrying the promotion share s its part has in that year: its
    estimate is then the same multiple of its period's relative change as the
    promotion's (a decline common to all months gives them the same estimate)."""
    out = rows[rows["s"] == 0].copy()
    for year in comparison.years:
        for (a, b), part, (pa, pb) in zip(spans_, comparison.promotion.parts, comparison.spans(year)):
            s = _share_of(pa + 1, pb, part)
            out.loc[(out["year"] == year) & (out["start_month"] == a + 1) & (out["month"] == b), "s"] = s
    return out


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


def verdict(trend: dict, placebos: pd.DataFrame, quantile: float = 0.0) -> Judgement:
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
    placebo_quantile: float = 0.0
    single: "PromotionAnalysis | None" = None  # the promotion's months alone (analyse_single_months)

    def promotion_spans(self) -> set[tuple[int, int]]:
        """The derived periods (a, b] holding the promotion in the compared years."""
        return {s for y in self.comparison.years for s in self.comparison.spans(y) if s}

    def period_text(self, language: str) -> str:
        """The months the compared promotion period covers: '10–11月' / 'Oct–Nov'."""
        spans_ = sorted(self.promotion_spans())
        return "、".join(_months_text(a + 1, b, language) for a, b in spans_) if language == "zh" else \
            ", ".join(_months_text(a + 1, b, language) for a, b in spans_)

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


def simulate_coverage(X: np.ndarray, w: np.ndarray, j: int, beta: np.ndarray, noise: np.ndarray, *,
                      draws: int, confidence: float, inference: str = "t", half_width: np.ndarray | None = None,
                      hac_maxlags: int = 2, seed: int = 0) -> float:
    """Share of simulated samples whose interval for coefficient j covers its true value.

    y = X β + e / √w + r: e resampled from `noise` (the data's own standardized
    residuals: their skew and tails), r uniform within each observation's
    printed rounding (half_width); intervals as `coefficient` builds them
    (statistical interval widened by the estimate's rounding range).
    Vectorised over draws. NaN when the interval is undefined (HC3 at leverage
    one, or no residual degree of freedom)."""
    if inference not in INFERENCES:
        raise ValueError(f"inference must be one of {INFERENCES}, got {inference!r}")
    rng = np.random.default_rng(seed)
    X, w = np.asarray(X, float), np.asarray(w, float)
    n, p = X.shape
    root = np.sqrt(w)
    Xs = X * root[:, None]
    A = np.linalg.inv(Xs.T @ Xs)
    influence = (A @ Xs.T)[j]
    half = np.zeros(n) if half_width is None else np.asarray(half_width, float)
    e = rng.choice(noise, size=(n, draws), replace=True)
    r = rng.uniform(-1, 1, size=(n, draws)) * half[:, None]
    Y = (X @ beta)[:, None] + e / root[:, None] + r
    Ys = Y * root[:, None]
    B = A @ Xs.T @ Ys
    resid = Ys - Xs @ B
    df = n - p
    if df < 1:
        return float("nan")
    if inference == "t":
        var = (resid ** 2).sum(axis=0) / df * A[j, j]
    elif inference == "hc3":
        h = np.einsum("ij,jk,ik->i", Xs, A, Xs)
        if np.any((h >= LEVERAGE_ONE) & (np.abs(influence) > 1e-12)):
            return float("nan")
        var = ((influence ** 2 / (1 - h) ** 2)[:, None] * resid ** 2).sum(axis=0)
    else:
        var = hac_variance(influence, resid, hac_maxlags)
    q = _t_quantile(confidence, df)
    rounding = np.sum(np.abs(influence * root) * half)
    covered = np.abs(B[j] - beta[j]) <= q * np.sqrt(var) + rounding
    return float(covered.mean())


def coverage_checks(analyses: list[PromotionAnalysis], inference: Inference, draws: int, seed: int = 0,
                    methods: tuple[str, ...] | None = None) -> pd.DataFrame:
    """Simulated coverage of every interval the section reports (per-year lifts
    and trends), at the sample sizes and designs of the data, the true lift
    being the estimate: one column per inference method (default: the one in use)."""
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
        for label_, grp, X, j in cases:
            w = grp["weight"].to_numpy(float)
            root = np.sqrt(w)
            Xs = X * root[:, None]
            beta = np.linalg.lstsq(Xs, grp["y"].to_numpy(float) * root, rcond=None)[0]
            half = (grp["y_high"] - grp["y_low"]).to_numpy(float) / 2
            row = {"promotion": a.comparison.promotion.key, "case": label_, "n": len(grp),
                   "df": len(grp) - X.shape[1], "draws": draws}
            for method in methods:
                row[method] = simulate_coverage(X, w, j, beta, noise, draws=draws, confidence=inference.confidence,
                                                inference=method, half_width=half, hac_maxlags=inference.hac_maxlags,
                                                seed=seed)
            out.append(row)
    return pd.DataFrame(out, columns=["promotion", "case", "n", "df", "draws", *methods])


def show_coverage(coverage: pd.DataFrame, names: dict[str, str], language: str):
    """The coverage checks as shown: promotion names, 'change per year' for the trend,
    coverage in percent ('—' where the interval is undefined)."""
    trend = i18n.render("table.case_trend", {}, language, SECTION)
    methods = [m for m in INFERENCES if m in coverage.columns]
    shown = coverage.assign(promotion=coverage["promotion"].map(lambda k: names.get(k, k)),
                            case=coverage["case"].replace({"trend": trend}),
                            **{m: coverage[m] * 100 for m in methods})
    return _table(shown, [_column("promotion"), _column("case"), _column("n", "count"), _column("df", "count"),
                          _column("draws", "count")] + [_column(m, "percent") for m in methods], language)


# --------------------------------------------------------------------------
# Like for like: the promotion periods' share of the year
# --------------------------------------------------------------------------

def period_shares(official: pd.DataFrame, series_names: list[str], promotion_months: list[int], window: int,
                  years, max_extra_months: int) -> tuple[pd.DataFrame, dict[str, Comparison]]:
    """Share of the year's sales in each promotion's period, by year and series,
    on the periods every compared year (and series) can derive.

    Columns: promotion, spans ("4-6" or, pooled, "4-6,10-11"), months, year, series,
    share_pct and its range under rounding (low, high; pooled: the sum of the
    parts' ranges), neutral_pct (months / 12 × 100: the share of a flat year).
    """
    patterns = usable_patterns(official, series_names, years, "share_of_year")
    out, comparisons = [], {}
    for promotion in promotions(promotion_months, window):
        comparison = compare_years(patterns, promotion, max_extra_months, "common")
        comparisons[promotion.key] = comparison
        if not comparison.years:
            continue
        spans = comparison.spans(comparison.years[0])
        for name in series_names:
            panel = derive.single_month_panel(official, name, comparison.years, cuts=comparison.cuts)
            for year, grp in panel.groupby("year"):
                inside = np.zeros(len(grp), bool)
                for a, b in spans:
                    inside |= ((grp["start_month"] > a) & (grp["month"] <= b)).to_numpy()
                part = grp[inside]
                out.append({"promotion": promotion.key, "spans": ",".join(f"{a + 1}-{b}" for a, b in spans),
                            "months": int(part["months"].sum()),
                            "year": int(year), "series": name, "share_pct": part["share_of_year"].sum(),
                            "low": part["share_low"].sum(), "high": part["share_high"].sum()})
    table = pd.DataFrame(out, columns=["promotion", "spans", "months", "year", "series",
                                       "share_pct", "low", "high"])
    table["neutral_pct"] = table["months"] / 12 * 100
    return table, comparisons


def share_changes(table: pd.DataFrame) -> pd.DataFrame:
    """share_change for every promotion and series of a period-share table."""
    out = []
    for (key, name), _ in table.groupby(["promotion", "series"], sort=False):
        c = share_change(table, key, name)
        if c:
            out.append({"promotion": key, "series": name, **c})
    return pd.DataFrame(out, columns=["promotion", "series", "first", "last", "change", "low", "high"])


def share_change(table: pd.DataFrame, promotion: str, series_name: str) -> dict | None:
    """First to last compared year: the change of a promotion period's share,
    with its range under rounding (interval arithmetic on the two shares)."""
    rows = table[(table["promotion"] == promotion) & (table["series"] == series_name)].sort_values("year")
    if len(rows) < 2:
        return None
    first, last = rows.iloc[0], rows.iloc[-1]
    low, high = derive.interval_sub((last["low"], last["high"]), (first["low"], first["high"]))
    return {"first": int(first["year"]), "last": int(last["year"]), "change": last["share_pct"] - first["share_pct"],
            "low": low, "high": high}


# --------------------------------------------------------------------------
# Texts
# --------------------------------------------------------------------------

def _years_text(years: list[int], language: str) -> str:
    return "、".join(str(y) for y in years) if language == "zh" else ", ".join(str(y) for y in years)


def comparison_sentence(comparison: Comparison, language: str) -> str:
    """Which years are compared for a promotion, on which periods, and which are left out (why)."""
    p = comparison.promotion
    facts = {"name": p.name(language), "n": len(comparison.years), "years": _years_text(comparison.years, language)}
    if not comparison.years:
        text = i18n.render("comparison.none", facts, language, SECTION)
    elif comparison.pattern == "common":
        cuts = comparison.cuts[comparison.years[0]]
        spans = [period_label(a + 1, b, language) for a, b in comparison.spans(comparison.years[0])]
        text = i18n.render("comparison.common", {**facts, "periods": periods_text(cuts, language),
                                                 "spans": ", ".join(spans)}, language, SECTION)
    else:
        text = i18n.render("comparison.own", facts, language, SECTION)
    for year, why in sorted(comparison.dropped.items()):
        text += " " + i18n.render(f"comparison.dropped.{why}", {"year": year}, language, SECTION)
    return sentence_case(text, language)


def sentence_case(text: str, language: str) -> str:
    """An English sentence begins with a capital letter (names begin with 'the …')."""
    return text[:1].upper() + text[1:] if language == "en" and text else text


def answer_part(a: PromotionAnalysis, outcome: str, confidence: float, language: str) -> str:
    """One promotion's verdict as a sentence, with its reason, from the numbers."""
    t, j = a.trend, a.judgement
    unit = i18n.render(f"answer.unit.{outcome}", {}, language, SECTION)
    facts = {"name": a.comparison.promotion.name(language), "years": _years_text(t["years"], language),
             "n_years": t["n_years"], "n": t["n"], "slope": t["estimate"], "low": t["low"], "high": t["high"],
             "confidence": confidence, "unit": unit, **a.placebo_facts(),
             "quantile_high": 1 - a.placebo_quantile}
    facts["period"] = a.period_text(language)
    facts["rank_of"] = facts["n_placebo"] + 1
    direction = "below" if interval_verdict(t) == WEAKENED else "above"
    if j.reason == "single_missing":
        key = f"answer.single_missing.{direction}"
    elif j.reason == "single_disagrees":
        s = a.single
        key = f"answer.single_disagrees.{direction}"
        facts.update({"single_period": s.period_text(language), "single_slope": s.trend["estimate"],
                      "single_low": s.trend["low"], "single_high": s.trend["high"],
                      "single_verdict": verdict_text(s.verdict, language),
                      "single_years": _years_text(s.trend["years"], language)})
    elif j.reason == "not_specific":
        key = f"answer.not_specific.{direction}"
    elif j.reason == "no_placebo":
        key = f"answer.no_placebo.{direction}"
    else:
        key = f"answer.{j.verdict}"
        if j.reason == "specific":
            which = "all" if a.placebo_quantile == 0 else "quantile"
            facts["placebo"] = i18n.render(f"answer.placebo.{direction}_{which}", facts, language, SECTION)
    return sentence_case(i18n.render(key, facts, language, SECTION), language)


def answer(analyses: list[PromotionAnalysis], outcome: str, confidence: float, language: str) -> str:
    """The report says the promotions' pull weakened: per promotion, whether the
    change of the lift (interval with rounding, against the placebo periods)
    supports, refutes or cannot decide it, and why."""
    parts = [i18n.render("answer.claim", {}, language, SECTION)]
    parts += [answer_part(a, outcome, confidence, language) for a in analyses]
    return ("" if language == "zh" else " ").join(parts)


def single_month_sentence(comparison: Comparison, patterns: dict[int, tuple], years, language: str) -> str:
    """Which years give the promotion's months as a period of their own, and
    what every other year lacks (the release that would cut the month out, or
    the year's total)."""
    p = comparison.promotion
    facts = {"name": p.name(language), "n": len(comparison.years), "years": _years_text(comparison.years, language)}
    if len(comparison.years) >= 2:
        facts["periods"] = periods_text(comparison.cuts[comparison.years[0]], language)
        text = i18n.render("single.compared", facts, language, SECTION)
    else:
        text = i18n.render("single.none", facts, language, SECTION)
    notes = []
    for year in years:
        year = int(year)
        if year in comparison.years:
            continue
        if year not in patterns:
            notes.append(i18n.render("single.no_total", {"year": year}, language, SECTION))
            continue
        cuts = patterns[year]
        for window in p.parts:
            s = span(cuts, window)
            if s is None:
                notes.append(i18n.render("single.no_release_after", {"year": year}, language, SECTION))
            elif s[1] - s[0] > len(window):
                missing = [c for c in (window[0] - 1, window[-1]) if c > 0 and c not in cuts]
                notes.append(i18n.render("single.inside", {
                    "year": year, "period": period_label(s[0] + 1, s[1], language),
                    "missing": ", ".join(period_label(1, c, language) for c in missing)}, language, SECTION))
            else:
                continue
            break
        else:
            notes.append(i18n.render("single.left_out", {"year": year}, language, SECTION))
    return sentence_case(" ".join([text, *notes]), language)


def overall_verdict(analyses: list[PromotionAnalysis]) -> str:
    """The pooled promotion's verdict when there is one, else the single promotion's."""
    pooled = [a for a in analyses if a.comparison.promotion.key == "pooled"]
    return (pooled or analyses)[0].verdict if analyses else TOO_FEW


def _interval_text(low: float, high: float) -> str:
    return "—" if np.isnan(low) or np.isnan(high) else f"[{low:+.2f}, {high:+.2f}]".replace("-", "\u2212")


# --------------------------------------------------------------------------
# What the notebook shows: typeset tables, and the facts of result descriptions
# (both languages: a result carries its description in each)
# --------------------------------------------------------------------------

def _column(key: str, kind: str = "text", **kwargs):
    """A column headed by texts.yaml's table.<key> (both languages)."""
    from ...tables import Column

    head = {language: i18n.render(f"table.{key}", {}, language, SECTION) for language in i18n.LANGUAGES}
    return Column(key, head["zh"], head["en"], kind=kind, **kwargs)


def _table(frame, columns, language: str, **kwargs):
    from ...tables import table

    return table(frame, columns, language, **kwargs)


def series_name(name: str, language: str) -> str:
    key = f"series.{name}"
    return i18n.render(key, {}, language, SECTION) if i18n.has(key, SECTION) else name


def show_release_patterns(patterns: pd.DataFrame, language: str):
    return _table(patterns.assign(year=patterns["year"].astype(str)),
                  [_column("year"), _column("periods"), _column("single_months", "count"), _column("year_total")],
                  language)


def show_cumulative(cumulative: pd.DataFrame, language: str):
    return _table(cumulative, [_column("period_end"), _column("cum_yoy_pct", "percent")], language,
                  reshape="transpose")  # one row of months, as the figure reads


def show_period_shares(shares: pd.DataFrame, names: dict[str, str], spans: dict[str, str], language: str):
    """The share of the year in each promotion's period, one column per year."""
    wide = shares.pivot_table(index=["promotion", "series"], columns="year", values="share_pct", sort=False)
    wide.columns = [str(y) for y in wide.columns]
    wide = wide.reset_index()
    years = [c for c in wide.columns if c not in ("promotion", "series")]
    wide.insert(1, "spans", [spans.get(k, "") for k in wide["promotion"]])
    wide["promotion"] = [names.get(k, k) for k in wide["promotion"]]
    wide["series"] = [series_name(n, language) for n in wide["series"]]
    from ...tables import Column

    return _table(wide, [_column("promotion"), _column("spans"), _column("series")]
                  + [Column(y, y, y, kind="percent", digits=2) for y in years], language)


def show_share_changes(changes: pd.DataFrame, names: dict[str, str], language: str):
    shown = changes.assign(promotion=[names.get(k, k) for k in changes["promotion"]],
                           series=[series_name(n, language) for n in changes["series"]],
                           first=changes["first"].astype(str), last=changes["last"].astype(str))
    return _table(shown.rename(columns={"change": "share_change"}),
                  [_column("promotion"), _column("series"), _column("first"), _column("last"),
                   _column("share_change", "pp", digits=2), _column("low", "pp", digits=2),
                   _column("high", "pp", digits=2)], language)


def show_lifts(lifts: pd.DataFrame, names: dict[str, str], language: str):
    """The per-year lifts as shown: estimate, interval with rounding (or why none), n, df."""
    shown = pd.DataFrame({
        "promotion": [names.get(k, k) for k in lifts["promotion"]], "year": lifts["year"].astype(int).astype(str),
        "estimate": lifts["estimate"], "interval": [_interval_text(a, b) for a, b in zip(lifts["low"], lifts["high"])],
        "n": lifts["n"], "df": lifts["df"],
        "note": ["" if s == OK else i18n.render(f"status.{s}", {}, language, SECTION) for s in lifts["status"]]})
    return _table(shown, [_column("promotion"), _column("year"), _column("estimate", "pp", digits=2),
                          _column("interval", unit="百分点"), _column("n", "count"), _column("df", "count"),
                          _column("note")], language)


def reason_text(a: PromotionAnalysis, language: str) -> str:
    j = a.judgement
    key = j.reason if j.reason != "interval" else ("spans_zero" if j.verdict == UNDETERMINED else "no_interval")
    return i18n.render(f"reason.{key}", {}, language, SECTION)


def verdict_text(token: str, language: str) -> str:
    return i18n.render(f"verdict.{token}", {}, language, SECTION)


def verdict_shown(token: str) -> dict[str, str]:
    """A verdict token as each edition shows it (the token itself stays in JSON/CSV)."""
    return {language: verdict_text(token, language) for language in i18n.LANGUAGES}


def trend_rows(analyses: list[PromotionAnalysis], names: dict[str, str], language: str) -> pd.DataFrame:
    """The change of the lift per year, per promotion: estimate, interval with
    rounding, n, df, the placebos' range, verdict and why."""
    rows = []
    for a in analyses:
        t, f = a.trend, a.placebo_facts()
        rows.append({"promotion": names.get(t["promotion"], t["promotion"]),
                     "years": _years_text(t["years"], language), "change": t["estimate"],
                     "interval": _interval_text(t["low"], t["high"]), "n": int(t["n"]), "df": int(t["df"]),
                     "n_placebo": f["n_placebo"], "placebo_range": _interval_text(f["placebo_low"], f["placebo_high"]),
                     "verdict": verdict_text(a.verdict, language), "reason": reason_text(a, language)})
    return pd.DataFrame(rows, columns=["promotion", "years", "change", "interval", "n", "df", "n_placebo",
                                       "placebo_range", "verdict", "reason"])


def show_trends(analyses: list[PromotionAnalysis], names: dict[str, str], language: str):
    return _table(trend_rows(analyses, names, language),
                  [_column("promotion"), _column("years"), _column("change", "pp", digits=3),
                   _column("interval", unit="百分点"), _column("n", "count"), _column("df", "count"),
                   _column("n_placebo", "count"), _column("placebo_range", unit="百分点"),
                   _column("verdict"), _column("reason")], language)


def placebo_table(analyses: list[PromotionAnalysis], language: str, comparison_name: str = "") -> pd.DataFrame:
    """Per promotion, its change of the lift beside each placebo's, lowest first
    (what the placebo figure draws): promotion, comparison, placebo (its key),
    period (named), kind (promotion / placebo), estimate, its range under
    rounding, and for the promotion its interval (low, high)."""
    rows = []
    for a in analyses:
        key, t = a.comparison.promotion.key, a.trend
        if np.isnan(t["estimate"]):
            continue
        rows.append({"promotion": key, "comparison": comparison_name, "placebo": "",
                     "period": ", ".join(period_label(s + 1, e, language) for s, e in a.comparison.spans(
                         a.comparison.years[0])), "kind": "promotion", "estimate": t["estimate"],
                     "round_low": t["round_low"], "round_high": t["round_high"], "low": t["low"], "high": t["high"]})
        for _, r in a.placebos.iterrows():
            spans_ = tuple((int(x.split("-")[0]) - 1, int(x.split("-")[1])) for x in r["placebo"].split(","))
            rows.append({"promotion": key, "comparison": comparison_name, "placebo": r["placebo"],
                         "period": placebo_label(spans_, language), "kind": "placebo", "estimate": r["estimate"],
                         "round_low": r["round_low"], "round_high": r["round_high"]})
    out = pd.DataFrame(rows, columns=["promotion", "comparison", "placebo", "period", "kind", "estimate",
                                      "round_low", "round_high", "low", "high"])
    return out.sort_values(["comparison", "promotion", "estimate"], kind="stable").reset_index(drop=True)


def show_placebos(table: pd.DataFrame, names: dict[str, str], language: str):
    """Each promotion's change of the lift among its placebos' (lowest first), in the edition's words."""
    shown = pd.DataFrame({"promotion": [names.get(k, k) for k in table["promotion"]], "placebo": table["period"],
                          "placebo_kind": [i18n.render(f"kind.{k}", {}, language, SECTION) for k in table["kind"]],
                          "change": table["estimate"]})
    return _table(shown, [_column("promotion"), _column("placebo"), _column("placebo_kind"),
                          _column("change", "pp", digits=3)], language)


def show_coverage_by_year(coverage: pd.DataFrame, language: str):
    """data.coverage's one series as a year × month grid (✓ value, gap, — not transcribed)."""
    from ...tables import Column

    series_ = coverage.iloc[:, 0]
    gap = i18n.render("coverage.gap", {}, language, SECTION)
    rows = []
    for year in sorted({p.year for p in series_.index}):
        row = {"year": str(year)}
        for m in range(1, 13):
            value = series_.get(pd.Period(f"{year}-{m:02d}", "M"), "—")
            row[str(m)] = gap if value == "gap" else value
        rows.append(row)
    months = [Column(str(m), period_label(m, m, "zh"), period_label(m, m, "en")) for m in range(1, 13)]
    return _table(rows, [_column("year")] + months, language)


def _both(render) -> dict:
    """{'<name>_zh': …, '<name>_en': …} from render(language) -> {name: text}."""
    out = {}
    for language in i18n.LANGUAGES:
        out.update({f"{k}_{language}": v for k, v in render(language).items()})
    return out


def lift_facts(promotion: Promotion, row) -> dict:
    def words(language):
        note = "" if row["status"] == OK else i18n.render(
            "results.lift_note", {"status": i18n.render(f"status.{row['status']}", {}, language, SECTION)},
            language, SECTION)
        return {"name": promotion.name(language), "note": note}
    return {**_both(words), "year": int(row["year"])}


def trend_facts(a: PromotionAnalysis) -> dict:
    return {**_both(lambda language: {"name": a.comparison.promotion.name(language),
                                      "years": _years_text(a.trend["years"], language),
                                      "verdict": verdict_text(a.verdict, language)}),
            "n_placebo": a.placebo_facts()["n_placebo"]}


def years_compared_facts(comparison: Comparison) -> dict:
    return _both(lambda language: {"name": comparison.promotion.name(language),
                                   "years": _years_text(comparison.years, language)})


def share_change_facts(change, promotion: Promotion) -> dict:
    return {**_both(lambda language: {"name": promotion.name(language),
                                      "series": series_name(change["series"], language)}),
            "first": int(change["first"]), "last": int(change["last"])}


def inference_facts(method: str, confidence: float) -> dict:
    return {**_both(lambda language: {"inference": i18n.render(f"inference.{method}", {}, language, SECTION)}),
            "confidence": confidence}


def answer_facts(analyses: list[PromotionAnalysis], outcome: str, confidence: float) -> dict:
    return _both(lambda language: {"answer": answer(analyses, outcome, confidence, language)})


# --------------------------------------------------------------------------
# The report's own numbers
# --------------------------------------------------------------------------

def count_listed_items(quote: str, marker: str = "方面") -> int:
    """Items listed before '<N>个方面' in a quote: separated by 、 and a final 和."""
    head = quote.split("从", 1)[-1]
    head = re.split(r"[一二三四五六七八九十\d]+个" + marker, head)[0]
    return len([p for p in re.split(r"、|和", head) if p.strip()])


# claims on 2019's cumulative online growth: stated levels and the upper bounds
# "never back above …%" (kind bound_upper); values and periods from the ledger
CUMULATIVE_CLAIMS = (
    "pe_online_cum_yoy_2019_jan_apr", "pe_online_cum_yoy_2019_jan_may", "pe_online_cum_yoy_2019_jan_jun",
    "pe_online_cum_yoy_2019_jan_jul", "pe_online_cum_yoy_2019_jan_aug", "pe_online_cum_yoy_2019_jan_nov",
    "pe_online_cum_yoy_2019_jan_sep_below17", "pe_online_cum_yoy_2019_jan_oct_below17",
    "pe_online_cum_yoy_2019_jan_nov_below17", "pe_online_cum_yoy_2019_jan_dec_below17",
)


def cumulative_growth(official: pd.DataFrame, year: int) -> pd.DataFrame:
    """The year's cumulative (1–N月) online growth as printed (Figure 2's line)."""
    cum = series(official, "online_retail_total", "yoy_pct", "cumulative")
    cum = cum[cum.index.year == year]
    return pd.DataFrame({"period_end": [str(p) for p in cum.index], "months": [p.month for p in cum.index],
                         "cum_yoy_pct": cum.to_numpy()})


def check_claims(book: ClaimBook, official: pd.DataFrame) -> None:
    """Every claim of section 一(三)."""
    for claim_id in CUMULATIVE_CLAIMS:
        check_against_official(book, claim_id, official, "online_retail_total", "yoy_pct")
    claim_id = "pe_online_cum_yoy_change_2019_jan_nov_pp"
    start, end = book.period(claim_id)
    previous = f"{end[:5]}{int(end[5:]) - 1:02d}"
    now = derive.printed_interval(official, "online_retail_total", "yoy_pct", start, end)
    before = derive.printed_interval(official, "online_retail_total", "yoy_pct", start, previous)
    facts = {"end": end, "previous": previous}
    if now is None or before is None:
        book.not_sourced(claim_id, "cumulative_change_not_sourced", facts)
    else:
        change = derive.percentage_point_difference(now[0], before[0])
        book.check(claim_id, change, explain="cumulative_change", interval=derive.interval_sub(now[1:], before[1:]),
                   facts={**facts, "now": now[0], "before": before[0]})
    quote = book.claim("pe_platform_economy_opinion_aspects")["quote"]
    book.check("pe_platform_economy_opinion_aspects", count_listed_items(quote), basis="report",
               explain="listed_items")
    book.not_reproducible_rest({"not_public": "platform_internal"})

