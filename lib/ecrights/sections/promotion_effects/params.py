from __future__ import annotations

from typing import Literal

from pydantic import model_validator

from ...params import Month, SectionParams, choice


class PromotionEffectsParams(SectionParams):
    year_start: int = choice("first year compared (a year enters only when its releases bracket a promotion)",
                             ge=2015, le=2019)
    year_end: int = choice("last year compared", ge=2015, le=2019)
    promotion_months: list[Month] = choice("months of the big promotions (6·18, 双11); each is analysed alone, "
                                           "then all pooled", min_length=1)
    window: int = choice("months counted as the promotion period, from the promotion month (never past December)",
                         ge=1, le=2)
    series: Literal["online_retail_total", "online_retail_physical"] = choice(
        "online series whose single months are derived")
    outcome: Literal["single_month_yoy", "share_of_year"] = choice(
        "regression outcome: a month's share of the year's sales (the lift's size), or its YoY growth (the lift's "
        "change)")
    pattern: Literal["common", "own"] = choice(
        "common: every compared year cut at the release months all of them share (like for like); own: each year "
        "on its own releases (the release pattern then differs between years)")
    max_extra_months: int = choice(
        "months outside a promotion that its derived period may include for the year to be compared (a longer "
        "period dilutes the promotion too much)", ge=0, le=6)
    inference: Literal["t", "hc3", "hac"] = choice(
        "interval of each estimate: t = classical WLS variance with a Student-t reference (exact under normal "
        "errors at any n); hc3 = HC3 variance, t reference (undefined where an estimate rests on one period); "
        "hac = Newey-West, only from hac_min_obs observations")
    min_observations: int = choice("fewer observations than this: 'too few observations' instead of an interval",
                                   ge=3, le=30)
    hac_maxlags: int = choice("lags of the HAC (Newey-West) standard errors (inference = hac)", ge=0, le=12)
    hac_min_obs: int = choice("fewest observations for which a HAC interval is given (inference = hac)",
                              ge=10, le=200)
    confidence: float = choice("confidence level of intervals", gt=0.5, lt=1.0)
    simulation_draws: int = choice("simulated samples in the coverage check of the intervals", ge=100, le=100000)

    @model_validator(mode="after")
    def _years(self):
        if self.year_start > self.year_end:
            raise ValueError(f"year_start {self.year_start} is after year_end {self.year_end}")
        return self
