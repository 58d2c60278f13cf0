from __future__ import annotations

from typing import Literal

from pydantic import model_validator

from ...params import SectionParams, YearMonth, choice

# "report": the period the report's own figure covers (data/published/date_statements.csv)
Period = YearMonth | Literal["report"]


class RetailGrowthParams(SectionParams):
    period_start: Period = choice("first month of Figures 1–4 (report: as the report's Figure 1)")
    period_end: Period = choice("last month of Figures 1–3 (report: as the report's Figure 1)")
    share_period_end: Period = choice("last month of Figure 4 (report: as the report's Figure 4)")

    @model_validator(mode="after")
    def _ordered(self):
        if "report" not in (self.period_start, self.period_end) and self.period_start > self.period_end:
            raise ValueError(f"period_start {self.period_start} is after period_end {self.period_end}")
        return self
