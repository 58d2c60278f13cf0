"""一(三): do the big promotions still lift online sales?"""

from ..registry import Section

SECTION = Section(
    name="promotion_effects", report_section="一(三)",
    title_zh="传统大促对网络销售的促进作用", title_en="Do big promotions still lift online sales?",
    claim_prefix="pe",
    data=("official/nbs_retail_*.csv", "published/report_figures.csv", "published/document_checks.csv"),
    params_model="PromotionEffectsParams",
    result_keys=("single_months_available", "derived_yoy_halfwidth_pp", "years_compared_*", "period_share_*",
                 "simulated_coverage", "simulated_coverage_drift", "lift_*", "verdict_*", "placebo_*", "promotion_answer"),
)
