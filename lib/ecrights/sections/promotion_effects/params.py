from __future__ import annotations

from typing import Literal

from pydantic import model_validator

from ...params import Month, SectionParams, choice


class PromotionEffectsParams(SectionParams):
    year_start: int = choice("first year of the promotion-effect regression", ge=2015, le=2019)
    year_end: int = choice("last year of the promotion-effect regression", ge=2015, le=2019)
    promotion_months: list[Month] = choice("months of the big promotions (6·18, 双11)", min_length=1)
    window: int = choice("months counted as the promotion period, from the promotion month", ge=1, le=2)
    series: Literal["online_retail_total", "online_retail_physical"] = choice(
        "online series whose single months are derived")
    outcome: Literal["single_month_yoy", "share_of_year"] = choice(
        "regression outcome: a month's share of the year's sales (the lift's size), or its YoY growth (the lift's "
        "change)")
    periods: Literal["single_months", "all_periods"] = choice(
        "single months only, or also periods spanning a missing release (a promotion month counted by its share of "
        "the period)")
    hac_maxlags: int = choice("lags of the HAC (Newey-West) standard errors", ge=0, le=12)
    confidence: float = choice("confidence level of intervals", gt=0.5, lt=1.0)

    @model_validator(mode="after")
    def _years(self):
        if self.year_start > self.year_end:
            raise ValueError(f"year_start {self.year_start} is after year_end {self.year_end}")
        return self
