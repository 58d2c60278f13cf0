"""二(二)4 · 二(四): AI anti-counterfeiting and the fall in counterfeit perception."""

from ..registry import Section

SECTION = Section(
    name="ai_anticounterfeit", report_section="二(二)4 · 二(四)",
    title_zh="人工智能与假货感知率", title_en="AI anti-counterfeiting and the fall in counterfeit perception",
    claim_prefix="ai",
    data=("published/alibaba_ip_protection.csv", "published/index_statistics.csv"),
    params_model="AiAnticounterfeitParams",
    result_keys=("counterfeit_share_of_fall_pct", "index_2019_without_counterfeit_fall",
                 "counterfeit_largest_threshold_weight", "counterfeit_largest_min_weight",
                 "counterfeit_largest_under_assumed_weights", "assumed_weight_counterfeit",
                 "share_of_admissible_weights_where_largest", "alibaba_series_years"),
)
