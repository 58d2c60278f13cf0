from __future__ import annotations

from pydantic import model_validator

from ...data.vocabulary import INDICATORS
from ...params import SectionParams, assumption, choice


class IndustryBreakdownParams(SectionParams):
    category_mapping: dict[str, list[str]] = assumption(
        "report industry -> NBS commodity categories (category_* indicators; unmapped = no counterpart)",
        zh="判断，不是数据：按内容选取最接近的国家统计局商品类别；国家统计局统计的是限额以上单位的全渠道零售，不是平台。"
           "服务（话费、航旅、网游&网服）与二手交易（闲置）没有对应的商品类别，不映射。",
        en="a judgement, not data: the closest NBS goods categories by content; NBS covers above-size units in all "
           "channels, not the platform. Services (phone top-up, air travel, online games & online services) and "
           "second-hand (idle) goods have no goods category and stay unmapped.")
    year: int = choice("year of the official category growth set against the industries", ge=2018, le=2019)

    @model_validator(mode="after")
    def _known_categories(self):
        known = sorted(k for k in INDICATORS if k.startswith("category_"))
        for industry, categories in self.category_mapping.items():
            unknown = [c for c in categories if c not in known]
            if unknown:
                raise ValueError(f"category_mapping[{industry!r}] names unknown NBS categories {unknown}; "
                                 f"expected some of {known}")
        return self
