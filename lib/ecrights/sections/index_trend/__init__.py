"""二(一)(二): the index — level, composition, seasonality, Figure 5."""

from ..registry import Section

SECTION = Section(
    name="index_trend", report_section="二(一)(二)",
    title_zh="电商消费维权指数变动", title_en="The index: level, composition and seasonality",
    claim_prefix="it",
    data=("published/index_statistics.csv", "published/report_figures.csv", "official/nbs_retail_*.csv",
          "official/spb_express.csv"),
    params_model="IndexTrendParams",
    result_keys=("two_component_weight_dispute", "implied_other_change", "dispute_change_without_proactive",
                 "dispute_change_without_proactive_*", "proactive_flat_verdict",
                 "proactive_flat_verdict_all_scenarios", "proactive_scenarios_flat", "flat_tolerance_needed", "flat_removed_share_low",
                 "flat_removed_share_high", "reconstruction_window", "statistics_used", "statistics_not_used",
                 "admissible_set_feasible", "max_constraint_excess", "lowest_admissible_upper_bound",
                 "lowest_admissible_upper_bound_month", "figure5_months_bounded_above",
                 "figure5_months_on_one_fragile_statistic", "figure5_fragile_months",
                 "years_with_determined_seasonality", "seasonal_comparisons_determined",
                 "prev_period_readings_feasible", "online_november_share_minus_other_months"),
)
