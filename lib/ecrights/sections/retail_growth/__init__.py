"""一(一)(二): retail growth and the shift of consumption online."""

from ..registry import Section

SECTION = Section(
    name="retail_growth", report_section="一(一)(二)",
    title_zh="网上零售规模与社会消费向线上转移", title_en="Retail growth and the shift of consumption online",
    claim_prefix="rg",
    data=("official/nbs_retail_*.csv", "official/spb_express.csv", "published/spb_forecasts.csv",
          "published/report_figures.csv", "published/method_statements.csv"),
    params_model="RetailGrowthParams",
    result_keys=("months_missing_fig1", "physical_online_contribution_pct", "express_volume_final_minus_forecast",
                 "physical_online_share_gain_printed_pp", "physical_online_share_gain_comparable_pp",
                 "non_physical_online_growth_pct", "non_physical_online_share_pct", "retail_real_growth_pct",
                 "retail_price_change_implied_pct", "method_checks_*", "method_check_*"),
)
