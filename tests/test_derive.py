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
