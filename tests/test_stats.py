"""ecrights.stats: the hand-written WLS against statsmodels, and the coverage simulation."""

import numpy as np
import pytest
import statsmodels.api as sm

from ecrights import stats


def test_coefficient_matches_statsmodels_for_every_inference():
    rng = np.random.default_rng(1)
    n = 24
    X = np.column_stack([np.ones(n), rng.normal(size=n), rng.normal(size=n)])
    y, w = X @ [1.0, 2.0, 3.0] + rng.normal(size=n), rng.uniform(1, 3, n)
    for method, kw in (("t", {}), ("hc3", {"cov_type": "HC3"}),
                       ("hac", {"cov_type": "HAC", "cov_kwds": {"maxlags": 2}})):
        ours = stats.coefficient(X, y, w, 1, inference=method, confidence=0.9, min_observations=5,
                                     hac_maxlags=2, hac_min_obs=20)
        ref = sm.WLS(y, X, weights=w).fit(use_t=True, **kw)
        assert ours["estimate"] == pytest.approx(ref.params[1])
        assert ours["se"] == pytest.approx(ref.bse[1])
        assert (ours["ci_low"], ours["ci_high"]) == pytest.approx(tuple(ref.conf_int(alpha=0.1)[1]))
        assert ours["df"] == n - 3 and ours["n"] == n


def test_simulated_coverage_is_nominal_for_normal_noise_and_short_when_intervals_are_too_narrow():
    # a year of ten periods (1–2月 … 11–12月), June one of them
    s = np.array([0, 0, 0, 0, 1, 0, 0, 0, 0, 0], float)
    X, w = np.column_stack([np.ones(len(s)), s]), np.array([2, 1, 1, 1, 1, 1, 1, 1, 1, 2], float)
    noise = np.random.default_rng(3).normal(size=5000)
    beta = np.array([8.0, 3.0])
    t = stats.simulate_coverage(X, w, 1, beta, noise, draws=4000, confidence=0.95, inference="t")
    assert t == pytest.approx(0.95, abs=0.015)
    narrow = stats.simulate_coverage(X, w, 1, beta, noise, draws=4000, confidence=0.5, inference="t")
    assert narrow == pytest.approx(0.5, abs=0.03)
    assert np.isnan(stats.simulate_coverage(X, w, 1, beta, noise, draws=100, confidence=0.95, inference="hc3"))


def test_a_structured_shift_enters_the_simulation_and_the_monte_carlo_error_is_binomial():
    s = np.array([0, 0, 0, 0, 1, 0, 0, 0, 0, 0], float)
    X, w = np.column_stack([np.ones(len(s)), s]), np.ones(len(s))
    noise = np.random.default_rng(4).normal(size=5000)
    beta = np.array([8.0, 3.0])
    level = stats.simulate_coverage(X, w, 1, beta, noise, draws=2000, confidence=0.95, shift=np.full((10, 2000), 5.0))
    plain = stats.simulate_coverage(X, w, 1, beta, noise, draws=2000, confidence=0.95)
    assert level == plain  # a shift of every cell alike is the intercept's: the lift's interval is untouched
    biased = stats.simulate_coverage(X, w, 1, beta, noise, draws=2000, confidence=0.95,
                                     shift=np.outer(s, np.full(2000, 10.0)))
    assert biased < 0.05  # a shift of the promotion's cell is a wrong lift: the interval misses it
    assert stats.coverage_mcse(0.95, 1000) == pytest.approx(0.00689, abs=1e-5)
    assert stats.shortfall_se(0.928, 0.95, 1000) == pytest.approx(3.19, abs=0.01)


def test_inference_settings_have_one_home():
    """The defaults live in params/defaults.yaml: the Inference dataclass and the placebo rule repeat none."""
    import dataclasses
    import inspect

    from ecrights.sections.promotion_effects import verdicts

    assert all(f.default is dataclasses.MISSING for f in dataclasses.fields(stats.Inference))
    assert inspect.signature(verdicts.verdict).parameters["quantile"].default is inspect.Parameter.empty
    assert all(f.default is dataclasses.MISSING for f in dataclasses.fields(verdicts.PromotionAnalysis)
               if f.name == "placebo_quantile")
