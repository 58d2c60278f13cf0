"""Small-sample inference for weighted least squares, shared by every section.

A hand-written WLS (not statsmodels) because the sections need what a fitted
model object does not give directly: the range of an estimate under the printed
rounding of its outcomes (it is linear in them), a refusal where an interval is
not valid (HC3 at leverage one, HAC below a few dozen observations, fewer
observations than `min_observations`), and a coverage simulation vectorised
over thousands of draws. tests/test_stats.py checks every variance against
statsmodels.

- `coefficient`: one coefficient of a WLS fit, its interval (classical, HC3 or
  Newey–West variance, Student-t reference) widened by its rounding range.
- `simulate_coverage`: how often such intervals cover the truth at the data's
  own design and noise (cells resampled independently, plus any structured
  error the caller draws, e.g. a period drifting across years), with its Monte
  Carlo standard error (`coverage_mcse`) and the shortfall in its units.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.stats import t as student_t

INFERENCES = ("t", "hc3", "hac")
LEVERAGE_ONE = 1 - 1e-8

# statuses of an estimate
OK, TOO_FEW, UNDEFINED, TOO_SHORT_FOR_HAC, NOT_IDENTIFIED = "ok", "too_few", "undefined", "too_short_for_hac", \
    "not_identified"


# --------------------------------------------------------------------------
# Weighted least squares with small-sample inference
# --------------------------------------------------------------------------

def t_quantile(confidence: float, df) -> np.ndarray:
    """The two-sided Student-t quantile of a `confidence` interval at `df` degrees of freedom."""
    return student_t.ppf(0.5 + confidence / 2, df)


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
    q = float(t_quantile(confidence, df))
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


@dataclass(frozen=True)
class Inference:
    """How intervals are built. No defaults here: they live in params/defaults.yaml
    (a section's parameters give them, `from_params`)."""

    method: str
    confidence: float
    min_observations: int
    hac_maxlags: int
    hac_min_obs: int

    @classmethod
    def from_params(cls, params) -> "Inference":
        return cls(params.inference, params.confidence, params.min_observations, params.hac_maxlags,
                   params.hac_min_obs)

    def kwargs(self) -> dict:
        return {"inference": self.method, "confidence": self.confidence, "min_observations": self.min_observations,
                "hac_maxlags": self.hac_maxlags, "hac_min_obs": self.hac_min_obs}


def simulate_coverage(X: np.ndarray, w: np.ndarray, j: int, beta: np.ndarray, noise: np.ndarray, *,
                      draws: int, confidence: float, inference: str = "t", half_width: np.ndarray | None = None,
                      hac_maxlags: int = 2, seed: int = 0, shift: np.ndarray | None = None) -> float:
    """Share of simulated samples whose interval for coefficient j covers its true value.

    y = X β + e / √w + r (+ shift): e resampled from `noise` (the data's own
    standardized residuals: their skew and tails), r uniform within each
    observation's printed rounding (half_width); `shift` (n × draws), when
    given, is structured error the caller draws (a period drifting across
    years, say: what independent cells cannot show). Intervals as
    `coefficient` builds them (statistical interval widened by the estimate's
    rounding range). Vectorised over draws. NaN when the interval is undefined
    (HC3 at leverage one, or no residual degree of freedom). Its Monte Carlo
    standard error: `coverage_mcse`."""
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
    if shift is not None:
        Y = Y + np.asarray(shift, float)
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
    q = t_quantile(confidence, df)
    rounding = np.sum(np.abs(influence * root) * half)
    covered = np.abs(B[j] - beta[j]) <= q * np.sqrt(var) + rounding
    return float(covered.mean())


def coverage_mcse(coverage, draws: int):
    """Monte Carlo standard error of a simulated coverage (a binomial share of `draws`)."""
    coverage = np.asarray(coverage, float)
    return np.sqrt(coverage * (1 - coverage) / draws)


def shortfall_se(coverage, confidence: float, draws: int):
    """How many Monte Carlo standard errors a simulated coverage lies below the
    nominal level (positive: below), the standard error taken at the nominal
    level (the null of a valid interval)."""
    return (confidence - np.asarray(coverage, float)) / np.sqrt(confidence * (1 - confidence) / draws)
