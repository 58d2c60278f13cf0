from __future__ import annotations

from typing import Literal

from pydantic import model_validator

from ...params import Month, SectionParams, assumption, choice


class PromotionEffectsParams(SectionParams):
    year_start: int = choice("first year compared (a year enters only when its releases bracket a promotion)",
                             ge=2015, le=2019)
    year_end: int = choice("last year compared", ge=2015, le=2019)
    promotion_months: list[Month] = choice("months of the big promotions (6·18, 双11); each is analysed alone, "
                                           "then all pooled", min_length=1)
    window: int = choice("months counted as the promotion period, from the promotion month (never past December)",
                         ge=1, le=2)
    series: Literal["online_retail_total", "online_retail_physical"] = choice(
        "online series whose single months are derived", measure=True)
    outcome: Literal["single_month_yoy", "share_of_year"] = choice(
        "regression outcome: a month's share of the year's sales (the lift's size), or its YoY growth (the lift's "
        "change)", measure=True)
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
    placebo_months: list[Month] | Literal["eligible"] = assumption(
        "months whose periods stand in for a promotion's in the placebo check of the verdict ('eligible': every "
        "period of the comparison holding no promotion month and no longer than a promotion period may be)",
        zh="把大促期间份额相对其他期间的下降归于大促，前提是不含大促的期间（按同样方式处理）没有同样下降；"
           "这些“安慰剂”期间被假定不受 6·18、双11 影响，只随全年销售在各月之间的转移而变动。"
           "默认取比较的期间构成允许同样处理的全部期间（其中 12 月有“双12”、1–2 月有年货节：它们若有自身的变化，"
           "只会让安慰剂的分布更宽，使“减弱”更难被判定，而不是更容易）。",
        en="A decline of the promotion period's share against the other periods is put down to the promotion only "
           "if periods without a promotion, treated the same way, do not decline as much; these placebo periods "
           "are assumed untouched by 6·18 and Double 11, moving only as the year's sales shift between months. "
           "By default every period the comparison's pattern lets us treat the same way (December has Double 12 "
           "and January–February the New Year shopping festival: changes of their own only widen the placebo "
           "distribution, making 'weakened' harder, not easier, to reach).",
        min_length=1)
    placebo_quantile: float = choice(
        "the promotion's change counts as its own when it lies below this quantile of the placebos' changes "
        "(0: below every placebo; with P placebos that is a rank of 1 in P + 1)", ge=0.0, lt=0.5)
    simulation_draws: int = choice("simulated samples in the coverage check of the intervals", ge=100, le=100000)

    @model_validator(mode="after")
    def _years(self):
        if self.year_start > self.year_end:
            raise ValueError(f"year_start {self.year_start} is after year_end {self.year_end}")
        if self.placebo_months != "eligible":
            promoted = {(m - 1 + k) % 12 + 1 for m in self.promotion_months for k in range(self.window)}
            overlap = sorted(set(self.placebo_months) & promoted)
            if overlap:
                raise ValueError(f"placebo_months {list(self.placebo_months)} include promotion months {overlap} "
                                 f"(promotion_months {list(self.promotion_months)}, window {self.window}): a "
                                 "placebo stands in for a promotion, so it must be a month without one")
        return self
