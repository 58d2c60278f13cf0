"""Parameters that several sections use, declared once.

params/defaults.yaml holds their defaults under `shared:`; a scenario file sets
them under `shared:` and the command line with `--set shared.KEY=VALUE`. The
runner injects each into every section whose model has the field (the section
models inherit SharedParams' fields), so the sections can never run on
different values, and every such section's cache key includes it. Setting a
section-local copy (`index_trend.weight_dispute_rate`) is refused, naming the
shared key (params.resolve).
"""

from __future__ import annotations

from typing import Literal

from pydantic import model_validator

from .params import SHARED, SectionParams, Share, assumption  # noqa: F401  (SHARED: re-exported)

# "two_component": the weights for which the two named sub-indices alone give
# the report's total change (computed from the ledger, see index_composition)
Weight = Share | Literal["two_component"]

class SharedParams(SectionParams):
    """The index weights: parameters of index_trend and ai_anticounterfeit."""

    weight_dispute_rate: Weight = assumption(
        "weight of 总纠纷率指数 in the total index",
        zh="未公布。默认：仅由两个已命名分指数构成时唯一能得到报告总变动的权重（由报告数字计算）",
        en="not published; default: the only weight with which the two named sub-indices alone give the report's "
           "total change (computed from the report's figures)",
        plausible=(0.05, 0.5,
                   "任意选定、用于敏感性分析：两成分解约为0.18；上限0.5即纠纷率与假货感知同等重要",
                   "arbitrary, for the sensitivity analysis: the two-component solution is about 0.18; the upper end "
                   "0.5 makes the dispute rate as important as counterfeit perception"))
    weight_counterfeit_perception: Weight = assumption(
        "weight of 假货感知比率 in the total index",
        zh="未公布。默认：同上，两成分解",
        en="not published; default: as above, the two-component solution",
        plausible=(0.3, 0.82,
                   "任意选定、用于敏感性分析：上端为两成分解（约0.82，此时两分指数权重之和为1）；下端0.3即另有约一半权重属于"
                   "未命名的成分",
                   "arbitrary, for the sensitivity analysis: the upper end is the two-component solution (about 0.82, "
                   "where the two named weights sum to 1); the lower end 0.3 leaves about half of the weight to the "
                   "unnamed components"))

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


def shared_keys() -> list[str]:
    return list(SharedParams.model_fields)
