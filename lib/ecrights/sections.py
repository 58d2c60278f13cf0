"""The registry of sections: name → notebook, parameters, order, titles, data.

One snake_case name per section everywhere: notebook file, params key,
results file, CLI, report anchor. Adding a section = a notebook + an entry
here + its parameter model in params.py.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from . import paths
from .params import MODELS, SectionParams


@dataclass(frozen=True)
class Section:
    name: str
    report_section: str  # numbering in the report
    title_zh: str
    title_en: str
    # data files the notebook reads, relative to data/ (globs); the cache key
    # hashes exactly these, so a change elsewhere does not re-run the section
    data: tuple[str, ...]
    # keys the notebook records with record.result (globs for per-year keys):
    # a sweep's `outputs` are checked against these before anything runs
    result_keys: tuple[str, ...] = ()

    @property
    def notebook(self) -> Path:
        return paths.notebooks_dir() / f"{self.name}.ipynb"

    @property
    def params_model(self) -> type[SectionParams]:
        return MODELS[self.name]

    def data_files(self, data_dir: Path | None = None) -> list[Path]:
        root = Path(data_dir) if data_dir else paths.data_dir()
        out: set[Path] = set()
        for pattern in self.data:
            out.update(p for p in root.glob(pattern) if p.is_file())
        return sorted(out)


# In the report's order.
SECTIONS: dict[str, Section] = {
    s.name: s
    for s in [
        Section("retail_growth", "一(一)(二)", "网上零售规模与社会消费向线上转移",
                "Retail growth and the shift of consumption online",
                ("official/nbs_retail_*.csv", "official/spb_express.csv", "published/spb_forecasts.csv",
                 "published/claims.csv"),
                ("months_missing_fig1", "physical_online_contribution_pct", "express_volume_final_minus_forecast")),
        Section("promotion_effects", "一(三)", "传统大促对网络销售的促进作用",
                "Do big promotions still lift online sales?",
                ("official/nbs_retail_*.csv", "published/claims.csv"),
                ("single_months_available", "lift_trend_per_year", "years_with_promotion_months",
                 "lift_[0-9][0-9][0-9][0-9]")),
        Section("index_trend", "二(一)(二)", "电商消费维权指数变动",
                "The index: level, composition and seasonality",
                ("published/index_statistics.csv", "published/claims.csv", "official/nbs_retail_*.csv",
                 "official/spb_express.csv"),
                ("two_component_weight_dispute", "implied_other_change", "dispute_change_without_proactive",
                 "flat_removed_share_low", "flat_removed_share_high", "max_constraint_residual", "statistics_used",
                 "statistics_outside_window", "years_with_determined_seasonality",
                 "online_november_share_minus_other_months")),
        Section("industry_breakdown", "二(三)", "分行业指数变动",
                "Industries: the report's statements against official category sales",
                ("published/industry_statements.csv", "published/claims.csv", "official/nbs_retail_*.csv",
                 "official/nbs_categories_*.csv"),
                ("statements_by_nature", "large_appliance_implied_2018_level", "mapped_categories_with_value",
                 "official_mean_pct_by_industry", "nbs_categories_at_or_above_threshold",
                 "ledger_statement_mismatches")),
        Section("ai_anticounterfeit", "二(二)4 · 二(四)", "人工智能与假货感知率",
                "AI anti-counterfeiting and the fall in counterfeit perception",
                ("published/claims.csv", "published/alibaba_ip_protection.csv", "published/index_statistics.csv"),
                ("counterfeit_share_of_fall_pct", "index_2019_without_counterfeit_fall",
                 "counterfeit_largest_threshold_weight", "share_of_admissible_weights_where_largest")),
    ]
}


def get(name: str) -> Section:
    if name not in SECTIONS:
        raise KeyError(f"unknown section {name!r}; expected one of {list(SECTIONS)}")
    return SECTIONS[name]


def names() -> list[str]:
    return list(SECTIONS)
