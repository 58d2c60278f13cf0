from __future__ import annotations

from typing import Literal

from pydantic import model_validator

from ...params import Month, Share, assumption, choice
from ...shared_params import SharedParams

# the index weights are shared with ai_anticounterfeit: declared once (shared_params), set as shared.<key>
IndexWeights = SharedParams


class IndexTrendParams(IndexWeights):
    base_value: float = assumption(
        "value of the index in its base month",
        zh="报告只给出基期月份，未给出基期值；默认取指数惯例100",
        en="the report prints the base month, not its value; the default is the usual index convention, 100",
        gt=0)
    prev_period_reading: Literal["preceding_period", "preceding_month", "unused"] = assumption(
        "reading of a 环比 (change on the previous period) of a multi-month mean whose base the article does not name",
        zh="文章未写明环比的基期。默认按季报惯例取前一个同长度期间（上一期季报的月份）；另两种读法（期前一个月、不作约束）"
           "同时运行并列表比较",
        en="the article does not name the period its change on the previous period compares with. Default: the "
           "preceding period of the same length (the previous quarterly report's months); the other readings (the "
           "month before the period; not a constraint) are run alongside and tabulated")
    index_upper_bound: float | None = assumption(
        "highest value a month of the index may take (None: no upper bound)",
        zh="本项目未掌握任何能为指数设上界的资料（报告图5的图像未收录），默认不设上界；统计量本身所要求的最低上界会被计算并报告",
        en="the project holds nothing that bounds the index from above (the image of the report's Figure 5 is not "
           "held), so by default there is none; the lowest upper bound the statistics allow is computed and reported",
        gt=0)
    proactive_share: Share | Literal["report_december"] = assumption(
        "share of disputes that are proactive interventions in the month the report gives it",
        zh="报告只给出2019年12月的比例；默认取该值（由台账读取）",
        en="the report gives December 2019 only; the default takes that value (read from the ledger)",
        plausible=(0.02, 0.16,
                   "任意选定、用于敏感性分析：从项目只触及少数纠纷（2%）到约为报告12月份额的两倍；与 params/sweeps/proactive_share.yaml 的范围相同",
                   "arbitrary, for the sensitivity analysis: from a programme reaching few disputes (2%) to about twice the "
                   "report's December share; the range of params/sweeps/proactive_share.yaml"))
    proactive_profile: Literal["constant", "ramp"] = assumption(
        "how the proactive share evolves from the programme's start (its dated statement) to that month",
        zh="报告只给出一个月的份额。默认：自项目开始起各月份额相同；另一情景：自项目开始线性增至报告所给月份的份额。"
           "两种情景（以及是否调整2018年）都会运行并列表",
        en="the report gives one month's share. Default: the same share in every month from the programme's start "
           "(constant); ramp: rising linearly from the start to the share of the month the report gives. Both, with "
           "and without 2018's adjustment, are run and tabulated",
        plausible=("constant", "ramp", "笔记本列表比较的两种情景", "the two profiles the notebook tabulates"))
    proactive_adjust_2018: bool = assumption(
        "also remove proactive cases from 2018's months after the programme's start",
        zh="项目始于2018年内（日期由报告给出），2018年的最后几个月同样含主动介入；默认不调整，与报告的比较方式一致；"
           "两者都列表",
        en="the programme started within 2018 (the report dates it), so 2018's last months contain proactive cases "
           "too; the default does not adjust them, as the report's comparison does not; both are tabulated",
        plausible=(False, True, "两者都列表", "both are tabulated"))
    dispute_rate_level_2018: float = assumption(
        "2018 mean of the dispute-rate sub-index (base May 2016 = 100)",
        zh="未公布；默认取基期水平", en="not published; the default takes the base level", gt=0,
        plausible=(75.0, 125.0, "判断“基本持平”所用的范围（dispute_rate_level_2018_range 的默认值）",
                   "the range 基本持平 is judged over (dispute_rate_level_2018_range's default)"))
    dispute_rate_level_2018_range: list[float] = assumption(
        "range of the 2018 dispute-rate level over which '基本持平' is judged (must contain dispute_rate_level_2018)",
        zh="纠纷率分指数的水平未公布，项目也没有它的任何数据：这一范围是任意选定、用来扫描的。默认在基期水平上下各取"
           "四分之一（参照：已存的总指数——另一序列——期间均值最低约为基期的四分之三）。判断要求“基本持平”在整个范围内都成立",
        en="the sub-index's level is not published and the project holds no figure of it: this range is arbitrary, "
           "chosen to be swept. Default: a quarter of the base either side of it (for scale only: the lowest stored "
           "period mean of the total index, a different series, is about three quarters of the base). The verdict "
           "asks 'basically flat' to hold over the whole range",
        min_length=2, max_length=2)
    flat_tolerance_points: float = assumption(
        "what '基本持平' allows, in index points (a reading of 基本持平)",
        zh="报告未给出“基本持平”的数值含义，项目中也没有能确定它的数字：默认 ±1 个点只是一种读法（报告印出总指数变动"
           "所用的单位；纠纷率分指数本身印到 0.1 点，而报告的说法针对的是占比）。判断在哪些容差下会改变，列于情景表中",
        en="the report gives 'basically flat' no number and nothing the project holds fixes one: the default ±1 point "
           "is one reading (the unit the report prints the total index's change in; the dispute-rate sub-index "
           "itself is printed to 0.1, and the report's statement is about a share). The scenario table gives the "
           "tolerances at which the verdict would change",
        ge=0,
        plausible=(0.5, 2.0, "默认读法 ±1 点的一半到两倍（报告未给出“基本持平”的数值）",
                   "half to twice the default reading of ±1 point (the report gives 基本持平 no number)"))

    @model_validator(mode="after")
    def _level_range(self):
        low, high = self.dispute_rate_level_2018_range
        if not 0 < low <= high:
            raise ValueError(f"dispute_rate_level_2018_range must be [low, high] with 0 < low ≤ high, got "
                             f"{list(self.dispute_rate_level_2018_range)}")
        if not low <= self.dispute_rate_level_2018 <= high:
            raise ValueError(f"dispute_rate_level_2018 = {self.dispute_rate_level_2018:g} lies outside "
                             f"dispute_rate_level_2018_range {list(self.dispute_rate_level_2018_range)}: the range "
                             "the verdict is judged over must contain the assumed level")
        return self

    peak_months: list[Month] | Literal["report"] = choice(
        "months the report says peak (report: 春节, 6·18, 双11 and the month after, from its dated statements)")
