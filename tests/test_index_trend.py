"""lib/ecrights/sections/index_trend/analysis.py: proactive adjustment, reconstruction, seasonality."""

import numpy as np
import pandas as pd
import pytest

from ecrights.data import load_date_statements
from ecrights.sections.index_trend import analysis as it


def test_base_month_and_peak_months_come_from_the_dated_statements():
    dated = load_date_statements()
    assert it.base_month(dated) == dated.loc["it_base_period_2016_05", "period"]
    peaks = it.peak_months(dated)
    assert peaks == sorted(set(peaks)) and all(1 <= m <= 12 for m in peaks)
    for claim in ("it_peak_months_spring_festival", "it_peak_months_618", "it_peak_months_double11"):
        first, last = map(int, dated.loc[claim, "value"].split("-"))
        assert first in peaks and last in peaks


def test_proactive_adjustment_and_flat_condition():
    out = it.proactive_adjustment(0.09, 12, 100.0, 8.8)
    assert out["level_2019"] == pytest.approx(108.8)
    assert out["adjusted_change"] == pytest.approx(108.8 * 0.91 - 100)
    low, high = it.flat_condition(100.0, 1.0, 8.8)
    assert low == pytest.approx(7.8 / 108.8) and high == pytest.approx(9.8 / 108.8)
    # a removed share inside the range gives a change within the tolerance, outside it does not
    assert abs(it.proactive_adjustment((low + high) / 2, 12, 100.0, 8.8)["adjusted_change"]) <= 1.0
    assert abs(it.proactive_adjustment(high + 0.01, 12, 100.0, 8.8)["adjusted_change"]) > 1.0
    # applying the share to fewer months removes proportionally less
    assert it.proactive_adjustment(0.09, 1, 100.0, 8.8)["removed_fraction"] == pytest.approx(0.0075)


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
    months = it.months_between("2016-01", "2019-12")
    C, d, used, unused = it.constraints_from_statistics(_stats(), months, "2016-05", 100.0)
    assert used[-1].startswith("base 2016-05")
    assert unused == ["outside"]  # outside the window; sub-indices are not total-index constraints
    for smoothness in (0.1, 1.0, 10.0):
        path = it.reconstruct(months, C, d, smoothness)["index"].to_numpy()
        assert np.allclose(C @ path, d, atol=1e-6)
    assert it.reconstruct(months, C, d, 1.0)["index"]["2016-05"] == pytest.approx(100.0)
    assert it.constraints_per_year(C, months).to_dict() == {2016: 1, 2017: 1, 2018: 2, 2019: 1}


def test_the_base_value_is_a_parameter():
    months = it.months_between("2016-01", "2016-12")
    C, d, used, _ = it.constraints_from_statistics(_stats().iloc[:0], months, "2016-05", 50.0)
    assert it.reconstruct(months, C, d, 1.0)["index"]["2016-05"] == pytest.approx(50.0)
    assert "assumed" in used[-1]


def test_admissible_range_and_seasonality_are_honest_about_looseness():
    months = it.months_between("2016-01", "2019-12")
    C, d, _, _ = it.constraints_from_statistics(_stats(), months, "2016-05", 100.0)
    rng = it.admissible_range(months, C, d, 0.0, 200.0)
    assert rng.loc[pd.Period("2016-05", "M")].tolist() == pytest.approx([100.0, 100.0])
    assert (rng["admissible_low"] <= rng["admissible_high"] + 1e-9).all()
    band = it.reconstruction_band(months, C, d, [0.1, 10.0], 1.0)
    peaks = it.seasonal_peaks_test(months, C, d, [1, 2, 6, 7, 11, 12], 0.0, 200.0, band["central"])
    # a yearly mean alone cannot decide where the year's peaks are
    assert (peaks["verdict"] == "not determined by the published statistics").all()
    assert (peaks["peak_minus_rest_min"] < 0).all() and (peaks["peak_minus_rest_max"] > 0).all()


def test_tightly_constrained_year_gives_a_verdict():
    months = it.months_between("2016-01", "2016-12")
    stats = pd.DataFrame([{"stat_id": f"m{m}", "sub_index": "total", "kind": "single_month",
                           "period_start": f"2016-{m:02d}", "period_end": f"2016-{m:02d}", "compare_start": "",
                           "compare_end": "", "value": 120.0 if m in (1, 2, 6, 7, 11, 12) else 100.0}
                          for m in range(1, 13) if m != 5])
    C, d, _, _ = it.constraints_from_statistics(stats, months, "2016-05", 100.0)
    band = it.reconstruction_band(months, C, d, [1.0], 1.0)
    peaks = it.seasonal_peaks_test(months, C, d, [1, 2, 6, 7, 11, 12], 0.0, 200.0, band["central"])
    assert peaks["verdict"].iloc[0] == "peaks above the rest on every admissible path"
    assert peaks["peak_minus_rest_min"].iloc[0] == pytest.approx(20.0)
