"""二(三): the report's industry statements against official category sales."""

from ..registry import Section

SECTION = Section(
    name="industry_breakdown", report_section="二(三)",
    title_zh="分行业指数变动", title_en="Industries: the report's statements against official category sales",
    claim_prefix="ib",
    data=("published/industry_statements.csv", "published/report_figures.csv", "official/nbs_retail_*.csv",
          "official/nbs_categories_*.csv"),
    params_model="IndustryBreakdownParams",
    result_keys=("statements_by_nature", "large_appliance_implied_2018_level", "mapped_categories_with_value",
                 "official_mean_pct_by_industry", "nbs_categories_at_or_above_threshold",
                 "ledger_statement_mismatches"),
)
