"""Promotion effects: single months from cumulative data, lift estimates, the claims."""

import numpy as np
import pandas as pd
import pytest

from ecrights.claims import ClaimBook
from ecrights.sections.promotion_effects import analysis as promotion


def _panel(lifts: dict[int, float]) -> pd.DataFrame:
    """Single months of several years: growth 10 + noise, promotion months + lift."""
    rng = np.random.default_rng(0)
    rows = []
    for year, lift in lifts.items():
        for month in range(2, 13):
            jan_feb = month == 2
            y = 10 + rng.normal(0, 0.1) + (lift if month in (6, 11) else 0)
            rows.append({"year": year, "month": month, "months": 2 if jan_feb else 1, "current": 1.0,
                         "base": 1.0, "yoy_pct": y, "share_of_year": np.nan, "jan_feb": jan_feb})
    return pd.DataFrame(rows)


def test_lift_per_year_and_trend_recover_known_values():
    rows = promotion.promotion_dataset(_panel({2016: 6.0, 2017: 4.0, 2018: 2.0}), [6, 11], 1, "single_month_yoy")
    assert set(rows.loc[rows["promo"], "month"]) == {6, 11}
    assert not rows.loc[rows["jan_feb"], "promo"].any()  # 1–2月 is never a promotion month
    lifts = promotion.fit_lift_by_year(rows, hac_maxlags=1, confidence=0.95).set_index("year")
    assert lifts.loc[2016, "lift"] == pytest.approx(6.0, abs=0.3)
    assert lifts.loc[2018, "lift"] == pytest.approx(2.0, abs=0.3)
    assert (lifts["ci_low"] < lifts["lift"]).all() and (lifts["lift"] < lifts["ci_high"]).all()
    trend = promotion.fit_lift_trend(rows, hac_maxlags=1, confidence=0.95)
    assert trend["slope"] == pytest.approx(-2.0, abs=0.3)
    assert trend["ci_high"] < 0
    assert "declined" in promotion.answer(trend, "single_month_yoy", 0.95, "en")
    assert "下降" in promotion.answer(trend, "single_month_yoy", 0.95, "zh")


def test_window_flags_the_month_after_and_longer_periods_are_dropped():
    panel = _panel({2019: 1.0})
    panel.loc[panel["month"] == 9, "months"] = 2  # a missing August release: Aug–Sep is one period
    rows = promotion.promotion_dataset(panel, [6, 11], 2, "single_month_yoy")
    assert set(rows.loc[rows["promo"], "month"]) == {6, 7, 11, 12}
    assert 9 not in set(rows["month"])


def test_too_few_years_gives_no_trend_and_says_so():
    rows = promotion.promotion_dataset(_panel({2019: 1.0}), [6, 11], 1, "single_month_yoy")
    trend = promotion.fit_lift_trend(rows, 1, 0.95)
    assert np.isnan(trend["slope"])
    assert "Fewer than three years" in promotion.answer(trend, "single_month_yoy", 0.95, "en")
    assert "不足三年" in promotion.answer(trend, "single_month_yoy", 0.95, "zh")


def test_count_listed_items():
    quote = "从优化完善准入条件、包容审慎监管、培育新增长点、优化发展环境和保护参与者合法权益五个方面指明了"
    assert promotion.count_listed_items(quote) == 5


def test_claims_on_real_data(official):
    book = ClaimBook("promotion_effects")
    promotion.check_claims(book, official)
    checks = {c.claim_id: c for c in book.all_checks()}
    assert checks["pe_online_cum_yoy_2019_jan_jun"].status == "reproduced"
    assert checks["pe_online_cum_yoy_2019_jan_aug"].reproduced_value == pytest.approx(16.8)
    change = checks["pe_online_cum_yoy_change_2019_jan_nov_pp"]
    assert change.status == "discrepant"
    assert change.reproduced_value == pytest.approx(0.2)
    assert not book.unchecked()


def test_all_periods_counts_a_promotion_month_by_its_share_of_a_longer_period():
    # monthly share 8 (+4 in June and November); May-June and Oct-Nov are two-month periods
    rows = []
    for year in (2016, 2017, 2018):
        lift = {2016: 4.0, 2017: 3.0, 2018: 2.0}[year]
        for month, months in [(2, 2), (3, 1), (4, 1), (6, 2), (7, 1), (8, 1), (9, 1), (11, 2), (12, 1)]:
            covered = [month - k for k in range(months)]
            share = sum(8 + (lift if m in (6, 11) else 0) for m in covered)
            rows.append({"year": year, "month": month, "months": months, "current": 1.0, "base": 1.0,
                         "yoy_pct": np.nan, "share_of_year": share, "jan_feb": month == 2 and months == 2})
    panel = pd.DataFrame(rows)
    single = promotion.promotion_dataset(panel, [6, 11], 1, "share_of_year", "single_months")
    assert single["promo_share"].max() == 0  # June and November never stand alone here
    data = promotion.promotion_dataset(panel, [6, 11], 1, "share_of_year", "all_periods")
    june = data[(data["month"] == 6)]
    assert (june["promo_share"] == 0.5).all() and (june["weight"] == 2).all()
    assert june.loc[june["year"] == 2016, "y"].item() == pytest.approx((8 + 12) / 2)  # a monthly mean
    lifts = promotion.fit_lift_by_year(data, 1, 0.95).set_index("year")["lift"]
    assert lifts.to_dict() == pytest.approx({2016: 4.0, 2017: 3.0, 2018: 2.0})
    trend = promotion.fit_lift_trend(data, 1, 0.95)
    assert trend["slope"] == pytest.approx(-1.0)
    with pytest.raises(ValueError, match="periods"):
        promotion.promotion_dataset(panel, [6, 11], 1, "share_of_year", "some")
