"""The index arithmetic: composition, proactive adjustment, reconstruction."""

import numpy as np
import pandas as pd
import pytest

from ecrights import index_model as im


def test_two_component_weights_reproduce_the_stated_total():
    w_d, w_c = im.two_component_weights()
    assert w_d == pytest.approx(5 / 27.8)
    assert w_d * 8.8 + w_c * -19 == pytest.approx(-14)


def test_implied_other_change_balances_the_total():
    # equal weights 0.4/0.4: 0.4*8.8 - 0.4*19 = -4.08; the rest (-9.92) over weight 0.2
    assert im.implied_other_change(0.4, 0.4) == pytest.approx(-9.92 / 0.2)
    # no weight left for other components: their change is not defined, and
    # the named parts must give -14 on their own (within its printed precision)
    assert np.isnan(im.implied_other_change(0.18, 0.82))
    assert im.named_parts_consistent(0.18, 0.82)
    assert not im.named_parts_consistent(0.5, 0.5)


def test_report_statements_equal_the_ledger():
    from ecrights.data import load_claims

    assert im.statements_match_ledger(load_claims()) == {}


def test_decomposition_contributions_sum_to_the_total():
    table = im.decomposition(0.3, 0.5)
    parts = table["contribution_points"].iloc[:3].sum()
    assert parts == pytest.approx(-14)
    assert table["share_of_total_change_pct"].iloc[1] == pytest.approx(0.5 * -19 / -14 * 100)


def test_counterfeit_threshold_and_counterfactual():
    threshold = im.counterfeit_largest_threshold(0.18)
    # at the threshold the counterfeit contribution is at least the others' in size
    c = threshold * 19
    assert c >= 0.18 * 8.8 - 1e-9
    assert c >= abs(-14 - (-19 * threshold) - 0.18 * 8.8) - 0.01
    assert im.counterfactual_without_counterfeit_fall(0.82) == pytest.approx(81.6 + 0.82 * 19)


def test_proactive_adjustment_and_flat_condition():
    out = im.proactive_adjustment(0.09, 12, 100.0)
    assert out["level_2019"] == pytest.approx(108.8)
    assert out["adjusted_change"] == pytest.approx(108.8 * 0.91 - 100)
    low, high = im.flat_condition(100.0, 1.0)
    assert low == pytest.approx(7.8 / 108.8) and high == pytest.approx(9.8 / 108.8)
    # a removed share inside the range gives a change within the tolerance
    mid = (low + high) / 2
    assert abs(im.proactive_adjustment(mid, 12, 100.0)["adjusted_change"]) <= 1.0
    # applying the share to fewer months removes proportionally less
    assert im.proactive_adjustment(0.09, 1, 100.0)["removed_fraction"] == pytest.approx(0.0075)


def _stats():
    return pd.DataFrame([
        {"stat_id": "mean_2018_06_08", "sub_index": "total", "kind": "period_mean", "period_start": "2018-06",
         "period_end": "2018-08", "compare_start": "", "compare_end": "", "value": 74.8},
        {"stat_id": "yoy_2018_06_08", "sub_index": "total", "kind": "change_yoy", "period_start": "2018-06",
         "period_end": "2018-08", "compare_start": "2017-06", "compare_end": "2017-08", "value": -18.0},
        {"stat_id": "mean_2019", "sub_index": "total", "kind": "period_mean", "period_start": "2019-01",
         "period_end": "2019-12", "compare_start": "", "compare_end": "", "value": 81.6},
        {"stat_id": "outside", "sub_index": "total", "kind": "period_mean", "period_start": "2020-03",
         "period_end": "2020-05", "compare_start": "", "compare_end": "", "value": 92.7},
        {"stat_id": "sub", "sub_index": "dispute_rate", "kind": "change_yoy", "period_start": "2019-01",
         "period_end": "2019-12", "compare_start": "2018-01", "compare_end": "2018-12", "value": 8.8},
    ])


def test_reconstruction_meets_every_published_statistic():
    months = im._months("2016-01", "2019-12")
    C, d, used, unused = im.constraints_from_statistics(_stats(), months)
    assert used[-1].startswith("base 2016-05")
    assert unused == ["outside"]  # outside the window; sub-indices are not total-index constraints
    for smoothness in (0.1, 1.0, 10.0):
        path = im.reconstruct(months, C, d, smoothness)["index"].to_numpy()
        assert np.allclose(C @ path, d, atol=1e-6)
    assert im.reconstruct(months, C, d, 1.0)["index"]["2016-05"] == pytest.approx(100.0)
    assert im.constraints_per_year(C, months).to_dict() == {2016: 1, 2017: 1, 2018: 2, 2019: 1}


def test_admissible_range_and_seasonality_are_honest_about_looseness():
    months = im._months("2016-01", "2019-12")
    C, d, _, _ = im.constraints_from_statistics(_stats(), months)
    rng = im.admissible_range(months, C, d, 0.0, 200.0)
    assert rng.loc[pd.Period("2016-05", "M")].tolist() == pytest.approx([100.0, 100.0])
    assert (rng["admissible_low"] <= rng["admissible_high"] + 1e-9).all()
    band = im.reconstruction_band(months, C, d, [0.1, 10.0], 1.0)
    peaks = im.seasonal_peaks_test(months, C, d, [1, 2, 6, 7, 11, 12], 0.0, 200.0, band["central"])
    # a yearly mean alone cannot decide where the year's peaks are
    assert (peaks["verdict"] == "not determined by the published statistics").all()
    assert (peaks["peak_minus_rest_min"] < 0).all() and (peaks["peak_minus_rest_max"] > 0).all()


def test_tightly_constrained_year_gives_a_verdict():
    months = im._months("2016-01", "2016-12")
    stats = pd.DataFrame([{"stat_id": f"m{m}", "sub_index": "total", "kind": "single_month",
                           "period_start": f"2016-{m:02d}", "period_end": f"2016-{m:02d}", "compare_start": "",
                           "compare_end": "", "value": 120.0 if m in (1, 2, 6, 7, 11, 12) else 100.0}
                          for m in range(1, 13) if m != 5])
    C, d, _, _ = im.constraints_from_statistics(stats, months)
    band = im.reconstruction_band(months, C, d, [1.0], 1.0)
    peaks = im.seasonal_peaks_test(months, C, d, [1, 2, 6, 7, 11, 12], 0.0, 200.0, band["central"])
    assert peaks["verdict"].iloc[0] == "peaks above the rest on every admissible path"
    assert peaks["peak_minus_rest_min"].iloc[0] == pytest.approx(20.0)
