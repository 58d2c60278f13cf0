from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, model_validator

from ...params import Month, SectionParams, Share, assumption, choice

# "two_component": the weights for which the two named sub-indices alone give
# the report's total change (computed from the ledger, see index_composition)
Weight = Share | Literal["two_component"]


class IndexWeights(SectionParams):
    weight_dispute_rate: Weight = assumption(
        "weight of 总纠纷率指数 in the total index",
        zh="未公布。默认：仅由两个已命名分指数构成时唯一能得到报告总变动的权重（由报告数字计算）",
        en="not published; default: the only weight with which the two named sub-indices alone give the report's "
           "total change (computed from the report's figures)")
    weight_counterfeit_perception: Weight = assumption(
        "weight of 假货感知比率 in the total index",
        zh="未公布。默认：同上，两成分解",
        en="not published; default: as above, the two-component solution")

    @model_validator(mode="after")
    def _weights(self):
        w = (self.weight_dispute_rate, self.weight_counterfeit_perception)
        if (w[0] == "two_component") != (w[1] == "two_component"):
            raise ValueError("weight_dispute_rate and weight_counterfeit_perception are both 'two_component' or "
                             "both numbers")
        if w[0] != "two_component" and w[0] + w[1] > 1 + 1e-9:
            raise ValueError("weight_dispute_rate + weight_counterfeit_perception must not exceed 1 "
                             "(the rest is the weight of the unnamed components)")
        return self


class IndexTrendParams(IndexWeights):
    base_value: float = assumption(
        "value of the index in its base month",
        zh="报告只给出基期月份，未给出基期值；默认取指数惯例100",
        en="the report prints the base month, not its value; the default is the usual index convention, 100",
        gt=0)
    proactive_share: Share | Literal["report_december"] = assumption(
        "share of 2019 disputes that are proactive interventions",
        zh="报告只给出2019年12月的比例；默认取该值（由台账读取）",
        en="the report gives December 2019 only; the default takes that value (read from the ledger)")
    proactive_months: int = assumption(
        "number of 2019 months with that share",
        zh="报告只给出12月；默认假设全年皆然", en="the report gives December only; the default assumes all year",
        ge=1, le=12)
    dispute_rate_level_2018: float = assumption(
        "2018 mean of the dispute-rate sub-index (base May 2016 = 100)",
        zh="未公布；默认取基期水平", en="not published; the default takes the base level", gt=0)
    flat_tolerance_points: float = choice("what '基本持平' allows, in index points", ge=0)
    smoothness: float = choice("weight of the first-difference penalty in the reconstruction", gt=0)
    band_smoothness: list[Annotated[float, Field(gt=0)]] = choice(
        "smoothness values whose solutions span the band of Figure 5", min_length=2)
    admissible_low: float = choice("lowest value a month of the index may take (admissible set)", ge=0)
    admissible_high: float = assumption(
        "highest value a month of the index may take (admissible set)",
        zh="报告未给出；仅用于界定可行集", en="not in the report; only bounds the admissible set", gt=0)
    peak_months: list[Month] | Literal["report"] = choice(
        "months the report says peak (report: 春节, 6·18, 双11 and the month after, from its dated statements)")
