"""lib/ecrights/derive.py: comparable bases, contributions, single months."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from ecrights import derive


def P(text: str) -> pd.Period:
    return pd.Period(text, "M")


def test_comparable_base():
    assert derive.comparable_base(110.0, 10.0) == pytest.approx(100.0)
    assert derive.comparable_base(95.0, -5.0) == pytest.approx(100.0)
    assert derive.comparable_base(411649, 8.0) == pytest.approx(381156.48, abs=0.01)
    # vectorised over Series
    out = derive.comparable_base(pd.Series([110.0, 120.0]), pd.Series([10.0, 20.0]))
    assert list(out) == pytest.approx([100.0, 100.0])


def test_comparable_base_is_not_last_years_printed_level():
    # NBS printed 2018 at 380987 亿元; the comparable base of 2019's +8.0% is higher
    assert derive.comparable_base(411649, 8.0) - 380987 > 100


def test_contribution_2019_printed_numbers():
    # 实物商品网上零售额 85239 (+19.5%), 社会消费品零售总额 411649 (+8.0%): the report says "超过45%"
    value = derive.contribution_pct(85239, 19.5, 411649, 8.0)
    assert value == pytest.approx(45.6, abs=0.05)
    assert value > 45


def test_contribution_by_hand():
    # part 110 from 100, total 220 from 200: the part gives 10 of 20
    assert derive.contribution_pct(110, 10.0, 220, 10.0) == pytest.approx(50.0)
    assert derive.contribution_pct(220, 10.0, 220, 10.0) == pytest.approx(100.0)


def test_contribution_undefined_when_total_flat():
    with pytest.raises(ZeroDivisionError):
        derive.contribution_pct(110, 10.0, 200, 0.0)


def test_percentage_point_difference():
    assert derive.percentage_point_difference(19.5, 8.0) == pytest.approx(11.5)
    assert derive.percentage_point_difference(20.7, 18.4) == pytest.approx(2.3)


def test_share_pct_aligns_and_keeps_gaps():
    part = pd.Series([10.0, 20.0], index=pd.PeriodIndex([P("2019-02"), P("2019-03")]))
    total = pd.Series([50.0, np.nan, 100.0], index=pd.PeriodIndex([P("2019-02"), P("2019-03"), P("2019-04")]))
    out = derive.share_pct(part, total)
    assert out[P("2019-02")] == pytest.approx(20.0)
    assert np.isnan(out[P("2019-03")]) and np.isnan(out[P("2019-04")])


# -- single months from cumulatives ----------------------------------------
#
# Hand-made cumulative series, chosen so every base is a round number:
#   end      cum   g%   cum/(1+g)
#   2019-02  110   10   100        1–2月: one period, 110 on 100 -> +10%
#   2019-03  168   12   150        March: 58 on 50 -> +16%
#   2019-04  230   15   200        April: 62 on 50 -> +24%
#   (2019-05 missing)
#   2019-06  360   20   300        May–June together: 130 on 100 -> +30%
#   2020-03  130   30   100        2020's first release is 1–3月: one period


@pytest.fixture
def singles() -> pd.DataFrame:
    index = pd.PeriodIndex([P("2019-03"), P("2019-02"), P("2019-04"), P("2019-06"), P("2020-03")])  # unsorted
    level = pd.Series([168.0, 110.0, 230.0, 360.0, 130.0], index=index)
    growth = pd.Series([12.0, 10.0, 15.0, 20.0, 30.0], index=index)
    return derive.single_months_from_cumulative(level, growth)


def test_jan_feb_is_one_period(singles):
    row = singles.loc[P("2019-02")]
    assert (row["period_start"], row["period_end"]) == (P("2019-01"), P("2019-02"))
    assert row["current"] == pytest.approx(110.0)
    assert row["base"] == pytest.approx(100.0)
    assert row["yoy_pct"] == pytest.approx(10.0)


def test_consecutive_months(singles):
    march, april = singles.loc[P("2019-03")], singles.loc[P("2019-04")]
    assert (march["period_start"], march["period_end"]) == (P("2019-03"), P("2019-03"))
    assert (march["current"], march["base"]) == (pytest.approx(58.0), pytest.approx(50.0))
    assert march["yoy_pct"] == pytest.approx(16.0)
    assert (april["period_start"], april["period_end"]) == (P("2019-04"), P("2019-04"))
    assert april["yoy_pct"] == pytest.approx(24.0)


def test_missing_month_gives_a_longer_period_never_split(singles):
    row = singles.loc[P("2019-06")]
    assert (row["period_start"], row["period_end"]) == (P("2019-05"), P("2019-06"))
    assert row["current"] == pytest.approx(130.0)
    assert row["base"] == pytest.approx(100.0)
    assert row["yoy_pct"] == pytest.approx(30.0)
    assert P("2019-05") not in singles.index  # no guessed May


def test_first_release_of_a_year_starts_in_january(singles):
    row = singles.loc[P("2020-03")]
    assert (row["period_start"], row["period_end"]) == (P("2020-01"), P("2020-03"))
    assert row["current"] == pytest.approx(130.0) and row["yoy_pct"] == pytest.approx(30.0)


def test_output_shape(singles):
    assert list(singles.columns) == ["period_start", "period_end", "current", "base", "yoy_pct"]
    assert list(singles.index) == [P("2019-02"), P("2019-03"), P("2019-04"), P("2019-06"), P("2020-03")]
    # the single periods of a year add up to its last cumulative
    assert singles.loc[P("2019-02"):P("2019-06"), "current"].sum() == pytest.approx(360.0)
    assert singles.loc[P("2019-02"):P("2019-06"), "base"].sum() == pytest.approx(300.0)


def test_yoy_is_from_bases_not_from_growth_rates(singles):
    # averaging the cumulative rates would give 12%/15%; the bases give 16%/24%
    assert singles.loc[P("2019-03"), "yoy_pct"] != pytest.approx(12.0)


def test_requires_period_index():
    level = pd.Series([110.0], index=pd.DatetimeIndex(["2019-02-28"]))
    with pytest.raises(TypeError, match="PeriodIndex"):
        derive.single_months_from_cumulative(level, level * 0 + 10)


def test_real_2019_online_retail(official):
    """From the printed 2019 cumulatives: the year's single periods add to the year's printed level."""
    from ecrights import data

    level = data.series(official, "online_retail_total", "level", "cumulative").loc["2019"]
    growth = data.series(official, "online_retail_total", "yoy_pct", "cumulative").loc["2019"]
    level, growth = level.dropna(), growth.reindex(level.dropna().index)
    out = derive.single_months_from_cumulative(level, growth)
    assert out.loc[P("2019-02"), "period_start"] == P("2019-01")
    assert out["current"].sum() == pytest.approx(level.iloc[-1])
    assert (out["current"] > 0).all()


# -- rounding intervals ------------------------------------------------------

def test_printed_half_unit_follows_the_printed_digits_and_unit():
    assert derive.printed_half_unit(17.8, "%") == pytest.approx(0.05)
    assert derive.printed_half_unit(20.0, "%") == pytest.approx(0.05)  # NBS prints growth to 0.1 point
    assert derive.printed_half_unit(17.85, "%") == pytest.approx(0.005)
    assert derive.printed_half_unit(38777.0, "亿元") == pytest.approx(0.5)
    assert derive.printed_half_unit(3810.4, "十亿元") == pytest.approx(0.5)  # 0.05 十亿元
    assert derive.printed_half_unit(3.82, "万亿元") == pytest.approx(50.0)
    assert np.isnan(derive.printed_half_unit(float("nan"), "%"))


def test_interval_arithmetic_by_hand():
    assert derive.interval_sub((5.0, 6.0), (1.0, 2.0)) == (3.0, 5.0)
    assert derive.interval_add((5.0, 6.0), (1.0, 2.0)) == (6.0, 8.0)
    assert derive.interval_div((6.0, 8.0), (2.0, 4.0)) == pytest.approx((1.5, 4.0))
    assert derive.interval_div((-2.0, 8.0), (2.0, 4.0)) == pytest.approx((-1.0, 4.0))
    lo, hi = derive.interval_div((1.0, 2.0), (-1.0, 1.0))  # a divisor reaching zero: no interval
    assert np.isnan(lo) and np.isnan(hi)
    assert derive.bounds(10.0, 0.5) == (9.5, 10.5)


def test_vertex_range_is_the_exact_range_of_a_monotone_derivation():
    # contribution with the 2019 printed inputs: corners give the range; a dense
    # grid inside the box never leaves it and reaches both ends
    box = [(85238.5, 85239.5), (19.45, 19.55), (411648.5, 411649.5), (7.95, 8.05)]
    low, high = derive.contribution_range(*box)
    grid = np.meshgrid(*[np.linspace(a, b, 7) for a, b in box], indexing="ij")
    values = derive._contribution(*grid)
    assert values.min() == pytest.approx(low) and values.max() == pytest.approx(high)
    # the printed numbers leave the contribution between about 45.3% and 46.0%
    assert (round(low, 1), round(high, 1)) == (45.3, 46.0)
    assert low < derive.contribution_pct(85239, 19.5, 411649, 8.0) < high


def test_vertex_range_is_vectorised_over_series():
    a = (pd.Series([1.0, 2.0]), pd.Series([1.5, 2.5]))
    b = (pd.Series([4.0, 4.0]), pd.Series([5.0, 6.0]))
    low, high = derive.vertex_range(lambda x, y: x / y, a, b)
    assert list(low) == pytest.approx([0.2, 2.0 / 6.0]) and list(high) == pytest.approx([1.5 / 4, 2.5 / 4])


def test_comparable_share_gain_and_growth_of_a_difference_by_hand():
    # P grew 25% to 125 (base 100), T grew 10% to 1100 (base 1000): 11.36% now, 10% on the comparable base
    assert derive.comparable_prior_share_pct(125, 25, 1100, 10) == pytest.approx(10.0)
    assert derive.comparable_share_gain_pp(125, 25, 1100, 10) == pytest.approx(125 / 1100 * 100 - 10)
    # online 150 (+50%: base 100), physical 88 (+10%: base 80): the rest 62 on a base of 20
    assert derive.growth_of_difference_pct(150, 50, 88, 10) == pytest.approx((62 / 20 - 1) * 100)


def test_single_months_carry_their_rounding_ranges(singles):
    assert "yoy_low" not in singles.columns  # without half-widths, the plain derivation
    index = pd.PeriodIndex([P("2019-02"), P("2019-03"), P("2019-04")])
    level, growth = pd.Series([110.0, 168.0, 230.0], index=index), pd.Series([10.0, 12.0, 15.0], index=index)
    out = derive.single_months_from_cumulative(level, growth, level * 0 + 0.5, growth * 0 + 0.05)
    march = out.loc[P("2019-03")]
    assert (march["current_low"], march["current_high"]) == (57.0, 59.0)  # 168 − 110, each ±0.5
    assert march["yoy_low"] < march["yoy_pct"] < march["yoy_high"]
    # the range holds every value the rounded inputs allow
    rng = np.random.default_rng(0)
    for _ in range(200):
        c, pc = 168 + rng.uniform(-0.5, 0.5), 110 + rng.uniform(-0.5, 0.5)
        g, pg = 12 + rng.uniform(-0.05, 0.05), 10 + rng.uniform(-0.05, 0.05)
        assert march["yoy_low"] - 1e-9 <= derive._period_yoy(c, g, pc, pg) <= march["yoy_high"] + 1e-9
    assert out.loc[P("2019-02"), "yoy_low"] == pytest.approx(9.95)  # the first period is the printed growth


def test_real_single_month_growth_moves_by_several_tenths_under_rounding(official):
    panel = derive.single_month_panel(official, "online_retail_total", [2019])
    half = (panel["yoy_high"] - panel["yoy_low"]) / 2
    single = panel["months"] == 1
    assert 0.2 < half[single].min() and half[single].max() < 1.0  # mostly ±0.4–0.9 points
    assert 0.4 < half[single].median() < 0.9
    assert ((panel["share_low"] <= panel["share_of_year"]) & (panel["share_of_year"] <= panel["share_high"])).all()
    assert (panel["share_high"] - panel["share_low"]).max() < 0.01  # shares hardly move


def test_cuts_put_a_year_on_another_years_pattern(official):
    full = derive.single_month_panel(official, "online_retail_total", [2019])
    cut = derive.single_month_panel(official, "online_retail_total", [2019], cuts={2, 3, 6, 7, 9, 11, 12})
    assert list(zip(cut["start_month"], cut["month"])) == [(1, 2), (3, 3), (4, 6), (7, 7), (8, 9), (10, 11), (12, 12)]
    april_june = full[(full["month"] >= 4) & (full["month"] <= 6)]
    row = cut[cut["month"] == 6].iloc[0]
    assert row["current"] == pytest.approx(april_june["current"].sum())
    assert row["share_of_year"] == pytest.approx(april_june["share_of_year"].sum())
    assert cut["share_of_year"].sum() == pytest.approx(100.0)
    per_year = derive.single_month_panel(official, "online_retail_total", [2019], cuts={2019: (6, 12)})
    assert list(per_year["months"]) == [6, 6]


def test_release_months_need_level_and_growth(official):
    months = derive.release_months(official, "online_retail_total", range(2015, 2020))
    assert months[2019] == tuple(range(2, 13))
    for year, cuts in months.items():
        level = data_series(official, "level")
        growth = data_series(official, "yoy_pct")
        for m in cuts:
            p = pd.Period(f"{year}-{m:02d}", "M")
            assert not np.isnan(level[p]) and not np.isnan(growth[p])


def data_series(official, measure):
    from ecrights import data

    s = data.series(official, "online_retail_total", measure, "cumulative")
    return s[~s.index.duplicated()]


def test_printed_interval_of_an_official_value(official):
    value, low, high = derive.printed_interval(official, "retail_sales_total", "yoy_pct", "2019-01", "2019-12")
    assert (low, high) == pytest.approx((value - 0.05, value + 0.05))
    assert derive.printed_interval(official, "retail_sales_total", "yoy_pct", "2030-01", "2030-12") is None
