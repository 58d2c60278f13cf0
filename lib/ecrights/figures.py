"""Section figures. Each function takes tidy inputs and returns a Figure;
saving and captions are the notebook's (through SectionRecord.figure).

Gaps in the data are drawn as gaps, with a visible marker, never bridged.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

import calendar

import matplotlib.pyplot as plt

from .plotting import PALETTE, label, new_figure, use_house_style

GAP_COLOR = "#bbbbbb"


def _month_labels(index: pd.PeriodIndex, language: str) -> list[str]:
    """'1-2月' for NBS's combined January–February, the year under each January."""
    out = []
    for i, p in enumerate(index):
        if p.month == 2 and (p - 1) not in index:
            text = label("1-2月", "Jan-Feb", language)
        else:
            text = f"{p.month}月" if language == "zh" else p.strftime("%b")
        if i == 0 or index[i - 1].year != p.year:
            text = f"{text}\n{p.year}"
        out.append(text)
    return out


def _mark_gaps(ax, x, values, y, language: str) -> int:
    gaps = [xi for xi, v in zip(x, values) if pd.isna(v)]
    if gaps:
        ax.scatter(gaps, [y] * len(gaps), marker="x", color=GAP_COLOR, zorder=5,
                   label=label("数据缺口（未找到发布稿）", "gap (release not found)", language))
    return len(gaps)


def retail_monthly_growth(panel: pd.DataFrame, language: str):
    """图1 社会消费品零售总额分月同比增长."""
    fig, ax = new_figure()
    x = np.arange(len(panel))
    y = panel["retail_total_month_yoy"]
    ax.bar(x, y, color=PALETTE[1], width=0.7, label=label("当月同比增长 (%)", "month YoY growth (%)", language))
    for xi, v in zip(x, y):
        if pd.notna(v):
            ax.text(xi, v + 0.15, f"{v:.1f}", ha="center", fontsize=7)
    _mark_gaps(ax, x, y, 0.3, language)
    ax.set_xticks(x, _month_labels(panel.index, language), fontsize=7)
    ax.set_ylim(0, max(12, np.nanmax(y) + 1.5))
    ax.set_ylabel("%")
    ax.set_title(label("图1 社会消费品零售总额分月同比增长", "Fig. 1 Total retail sales, monthly YoY growth", language))
    ax.legend(loc="upper right", fontsize=8)
    return fig


def online_retail_cumulative(panel: pd.DataFrame, language: str):
    """图2 全国网上零售额变动情况: cumulative level (bars) and growth (line)."""
    fig, ax = new_figure()
    x = np.arange(len(panel))
    level = panel["online_total_cum_level"]
    ax.bar(x, level, color=PALETTE[1], alpha=0.75, width=0.7,
           label=label("1至当月累计 (亿元)", "cumulative Jan–month (100 mn yuan)", language))
    _mark_gaps(ax, x, level, 0, language)
    ax.set_ylabel(label("亿元", "100 million yuan", language))
    ax2 = ax.twinx()
    growth = panel["online_total_cum_yoy"]
    ax2.plot(x, growth, color=PALETTE[0], marker="o", ms=3,
             label=label("累计同比增长 (%)", "cumulative YoY growth (%)", language))
    ax2.set_ylim(0, max(40, np.nanmax(growth) + 5))
    ax2.set_ylabel("%")
    ax2.grid(False)
    ax.set_xticks(x, _month_labels(panel.index, language), fontsize=7)
    ax.set_title(label("图2 全国网上零售额变动情况", "Fig. 2 Online retail sales, cumulative", language))
    h1, l1 = ax.get_legend_handles_labels()
    h2, l2 = ax2.get_legend_handles_labels()
    ax.legend(h1 + h2, l1 + l2, loc="upper left", fontsize=8)
    return fig


def physical_online_categories(panel: pd.DataFrame, language: str):
    """图3 实物商品网上零售额中 吃、穿、用 类累计增长."""
    fig, ax = new_figure()
    x = np.arange(len(panel))
    for col, zh, en, color in [("food_cum_yoy", "吃类", "food", PALETTE[2]),
                               ("clothing_cum_yoy", "穿类", "clothing", PALETTE[3]),
                               ("use_cum_yoy", "用类", "household use", PALETTE[4])]:
        ax.plot(x, panel[col], marker="o", ms=3, color=color, label=label(zh, en, language))
    _mark_gaps(ax, x, panel["food_cum_yoy"], 2, language)
    ax.set_xticks(x, _month_labels(panel.index, language), fontsize=7)
    ax.set_ylabel(label("累计同比增长 (%)", "cumulative YoY growth (%)", language))
    ax.set_title(label("图3 实物商品网上零售额中吃、穿、用类商品增长",
                       "Fig. 3 Physical-goods online sales by category, cumulative growth", language))
    ax.legend(fontsize=8, ncol=4)
    return fig


def physical_online_share(panel: pd.DataFrame, language: str):
    """图4: the printed share in total retail and the derived share in online retail."""
    use_house_style()
    fig, (ax1, ax2) = plt.subplots(2, 1, figsize=(8, 5.4), sharex=True, layout="constrained")
    x = np.arange(len(panel))
    ax1.plot(x, panel["physical_share_of_online"], marker="o", ms=3, color=PALETTE[0])
    ax1.set_ylabel("%")
    ax1.set_title(label("实物商品网上零售额占全国网上零售额比重（由累计额计算）",
                        "Physical goods as share of all online retail (computed from cumulative levels)", language),
                  fontsize=9)
    _mark_gaps(ax1, x, panel["physical_share_of_online"], np.nanmin(panel["physical_share_of_online"]), language)
    ax2.plot(x, panel["physical_share_of_retail"], marker="o", ms=3, color=PALETTE[1])
    ax2.set_ylabel("%")
    ax2.set_title(label("实物商品网上零售额占社会消费品零售总额比重（国家统计局公布）",
                        "Physical online sales as share of total retail (as printed by NBS)", language), fontsize=9)
    _mark_gaps(ax2, x, panel["physical_share_of_retail"], np.nanmin(panel["physical_share_of_retail"]), language)
    ax2.set_xticks(x, _month_labels(panel.index, language), fontsize=7)
    fig.suptitle(label("图4 实物商品网上零售额占比情况", "Fig. 4 Share of physical-goods online sales", language))
    return fig


# ---------------------------------------------------------------- promotions

def promotion_cumulative_growth(table: pd.DataFrame, language: str, threshold: float = 17.0):
    """The report's argument: 2019 cumulative online growth stays flat."""
    fig, ax = new_figure(8, 3.8)
    x = np.arange(len(table))
    ax.plot(x, table["cum_yoy_pct"], marker="o", color=PALETTE[0])
    for xi, v in zip(x, table["cum_yoy_pct"]):
        if pd.notna(v):
            ax.text(xi, v + 0.15, f"{v:.1f}", ha="center", fontsize=8)
    ax.axhline(threshold, color=GAP_COLOR, ls="--", lw=1)
    ax.text(x[-1], threshold + 0.1, label(f"{threshold:g}%", f"{threshold:g}%", language), ha="right", fontsize=8,
            color="#777777")
    labels = [p if language == "zh" else "Jan–" + calendar.month_abbr[int(p[2:-1])] for p in table["period"]]
    ax.set_xticks(x, labels, fontsize=8)
    ax.set_ylabel(label("累计同比增长 (%)", "cumulative YoY growth (%)", language))
    ax.set_title(label("2019年全国网上零售额累计增长", "Online retail sales 2019, cumulative growth", language))
    return fig


def promotion_single_months(panel: pd.DataFrame, promotion_months: list[int], outcome_column: str,
                            language: str):
    """Derived single-month values by year; promotion months shaded."""
    fig, ax = new_figure(8, 4.2)
    for m in promotion_months:
        ax.axvspan(m - 0.5, m + 0.5, color="#fdebd0", zorder=0)
    single = panel[(panel["months"] == 1) | panel["jan_feb"]]
    for i, (year, rows) in enumerate(single.groupby("year")):
        rows = rows.set_index("month").reindex(range(2, 13))
        ax.plot(rows.index, rows[outcome_column], marker="o", ms=3, color=PALETTE[i % len(PALETTE)], label=str(year))
    ax.set_xticks(range(2, 13), [label("1-2月", "Jan-Feb", language)] +
                  [label(f"{m}月", pd.Period(year=2019, month=m, freq="M").strftime("%b"), language)
                   for m in range(3, 13)], fontsize=8)
    ylabel = {"yoy_pct": label("当月同比增长 (%)（由累计值推算）", "single-month YoY growth (%) (derived)", language),
              "share_of_year": label("占全年比重 (%)（由累计值推算）", "share of the year (%) (derived)", language)}
    ax.set_ylabel(ylabel[outcome_column], fontsize=9)
    ax.set_title(label("网上零售额：由累计数推算的单月数据（阴影为大促月份）",
                       "Online retail: single months derived from cumulative figures (shaded: promotion months)",
                       language), fontsize=10)
    ax.legend(fontsize=8, ncol=5)
    return fig


def promotion_lifts(lifts: pd.DataFrame, language: str, unit_label: str):
    """Estimated promotion-month lift per year with its confidence interval."""
    fig, ax = new_figure(7, 3.8)
    if lifts.empty:
        ax.text(0.5, 0.5, label("数据不足，无法估计", "not enough data to estimate", language),
                ha="center", va="center", transform=ax.transAxes)
        return fig
    ax.errorbar(lifts["year"], lifts["lift"], yerr=[lifts["lift"] - lifts["ci_low"], lifts["ci_high"] - lifts["lift"]],
                fmt="o", color=PALETTE[0], capsize=4)
    ax.axhline(0, color="#777777", lw=1)
    ax.set_xticks(lifts["year"], [str(y) for y in lifts["year"]])
    ax.set_ylabel(unit_label, fontsize=9)
    ax.set_title(label("大促月份的提升（加权最小二乘，HAC 置信区间）", "Promotion-month lift (WLS, HAC confidence interval)",
                       language), fontsize=10)
    return fig


# ---------------------------------------------------------------- the index

def index_reconstruction(band: pd.DataFrame, admissible: pd.DataFrame, constraints: list[tuple[str, str, float]],
                         language: str):
    """图5 reconstructed from published statistics: never the platform's series."""
    from .plotting import mark_assumption

    fig, ax = new_figure(9, 4.4)
    x = band.index.to_timestamp()
    ax.fill_between(x, admissible["admissible_low"], admissible["admissible_high"], color="#eeeeee",
                    label=label("满足全部公开统计量的可行范围", "range admitted by the published statistics", language))
    ax.fill_between(x, band["low"], band["high"], color="#f5b7b1",
                    label=label("不同平滑强度下的重构区间", "range over regularisation strengths", language))
    ax.plot(x, band["central"], color=PALETTE[0], lw=1.8,
            label=label("重构路径（平滑+季节正则化）", "reconstructed path (smoothness + seasonal)", language))
    for i, (start, end, value) in enumerate(constraints):
        xs = pd.period_range(start, end, freq="M").to_timestamp()
        ax.hlines(value, xs[0], xs[-1] + pd.offsets.MonthEnd(0), color="black", lw=2.5,
                  label=label("公布的均值与基期", "published means and the base", language) if i == 0 else None)
    ax.axhline(100, color="#999999", lw=0.8, ls=":")
    ax.set_ylim(0, max(130, float(band["high"].max()) + 10))
    ax.set_ylabel(label("指数（2016年5月=100）", "index (May 2016 = 100)", language))
    ax.set_title(label("图5 电商消费维权指数：由公开统计量重构（非平台数据）",
                       "Fig. 5 The index reconstructed from published statistics (not the platform's series)",
                       language), fontsize=10)
    ax.legend(fontsize=7, loc="lower left")
    mark_assumption(ax, language)
    return fig


def index_weight_sensitivity(grid: pd.DataFrame, weights: tuple[float, float], language: str):
    """What the unnamed components must have done, over the assumed weights."""
    from .plotting import mark_assumption

    fig, ax = new_figure(7, 5)
    finite = grid[np.isfinite(grid["other_change"])]
    clipped = finite["other_change"].clip(-60, 60)
    sc = ax.scatter(finite["w_dispute"], finite["w_counterfeit"], c=clipped, cmap="RdBu_r", s=12, vmin=-60, vmax=60)
    fig.colorbar(sc, ax=ax, label=label("其余成分需变动（点）", "implied change of other components (points)", language))
    w = np.linspace(0, 1, 50)
    w_d2 = (-14 + 19) / (8.8 + 19)
    ax.plot([w_d2], [1 - w_d2], marker="*", color="black", ms=12,
            label=label("仅两项成分即可一致的权重", "the only two-component weights consistent", language))
    ax.plot(w, 1 - w, color="#555555", lw=0.8, ls="--")
    ax.plot([weights[0]], [weights[1]], marker="o", mfc="none", mec=PALETTE[3], ms=12, mew=2,
            label=label("当前假设", "current assumption", language))
    ax.set_xlabel(label("总纠纷率指数权重 w_d", "weight of the dispute-rate sub-index w_d", language))
    ax.set_ylabel(label("假货感知比率权重 w_c", "weight of counterfeit perception w_c", language))
    ax.set_title(label("权重敏感性：+8.8 与 −19 如何合成 −14", "Weights: how +8.8 and −19 can make −14", language),
                 fontsize=10)
    ax.legend(fontsize=8, loc="upper right")
    mark_assumption(ax, language)
    return fig


def proactive_adjustment_figure(levels_2018: list[float], tolerance: float, chosen_fraction: float, language: str):
    """Dispute-rate change without proactive cases, against the removed share."""
    from . import index_model
    from .plotting import mark_assumption

    fig, ax = new_figure(7.5, 4)
    p = np.linspace(0, 0.2, 101)
    for i, level in enumerate(levels_2018):
        changes = [index_model.proactive_adjustment(v, 12, level)["adjusted_change"] for v in p]
        ax.plot(p * 100, changes, color=PALETTE[i % len(PALETTE)],
                label=label(f"2018年纠纷率分指数={level:g}", f"2018 dispute-rate sub-index = {level:g}", language))
    ax.axhspan(-tolerance, tolerance, color="#d5f5e3",
               label=label("“基本持平”范围", "'basically flat' band", language))
    ax.axvline(chosen_fraction * 100, color="#555555", ls="--", lw=1)
    ax.set_xlabel(label("剔除的主动介入占全年纠纷比例 (%)", "proactive cases removed, share of the year's disputes (%)",
                        language))
    ax.set_ylabel(label("剔除后纠纷率分指数同比变动（点）", "dispute-rate change without them (points)", language))
    ax.set_title(label("剔除主动介入后的纠纷率变动", "Dispute-rate change without proactive intervention", language),
                 fontsize=10)
    ax.legend(fontsize=7)
    mark_assumption(ax, language)
    return fig


def counterfeit_share_figure(w_dispute: float, threshold: float, language: str):
    """Share of the −14 point fall attributable to counterfeit perception."""
    from .plotting import mark_assumption

    fig, ax = new_figure(7.5, 4)
    w_c = np.linspace(0, 1 - w_dispute, 101)
    share = w_c * -19 / -14 * 100
    ax.plot(w_c, share, color=PALETTE[0])
    ax.axhline(100, color="#999999", ls=":", lw=1)
    if np.isfinite(threshold):
        ax.axvline(threshold, color=PALETTE[3], ls="--",
                   label=label(f"w_c ≥ {threshold:.2f}：假货感知为最大贡献项",
                               f"w_c ≥ {threshold:.2f}: counterfeit perception is the largest contributor", language))
    ax.set_xlabel(label("假货感知比率权重 w_c", "weight of counterfeit perception w_c", language))
    ax.set_ylabel(label("占总指数降幅的比例 (%)", "share of the total fall (%)", language))
    ax.set_title(label(f"“主要原因”：假货感知下降对 −14 点的贡献（w_d={w_dispute:.2f}）",
                       f"'The main reason': counterfeit perception's share of the −14 points (w_d={w_dispute:.2f})",
                       language), fontsize=10)
    ax.legend(fontsize=8)
    mark_assumption(ax, language)
    return fig


def alibaba_infringement_figure(rows: pd.DataFrame, language: str):
    """Alibaba's public suspected-infringement figures per 10,000 orders/transactions."""
    fig, ax = new_figure(7, 3.6)
    rows = rows.sort_values("period")
    ax.plot(rows["period"].astype(int), rows["value"], marker="o", color=PALETTE[1])
    for _, r in rows.iterrows():
        ax.text(int(r["period"]), r["value"] + 0.04, f"{r['value']:g}", ha="center", fontsize=8)
    ax.set_xticks(rows["period"].astype(int))
    ax.set_ylim(0, rows["value"].max() * 1.25)
    ax.set_ylabel(label("每万笔疑似侵权", "suspected infringement per 10,000", language))
    ax.set_title(label("阿里巴巴知识产权保护年报：每万笔订单疑似侵权笔数",
                       "Alibaba IP-protection reports: suspected infringement per 10,000 orders", language),
                 fontsize=10)
    return fig


def demand_by_month(online: pd.DataFrame, express: pd.Series, peak_months: list[int], language: str):
    """Public demand signals by month: derived single-month online sales as a
    share of their year, and express-delivery volume, with the report's index
    peak months shaded."""
    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(10, 3.8), layout="constrained")
    use_house_style()
    for ax in (ax1, ax2):
        for m in peak_months:
            ax.axvspan(m - 0.5, m + 0.5, color="#fdebd0", zorder=0)
    single = online[(online["months"] == 1) | online["jan_feb"]].dropna(subset=["share_of_year"])
    for i, (year, rows) in enumerate(single.groupby("year")):
        share = pd.Series(np.where(rows["jan_feb"], rows["share_of_year"] / 2, rows["share_of_year"]),
                          index=rows["month"]).reindex(range(2, 13))  # NaN breaks the line at a gap
        ax1.plot(share.index, share.to_numpy(), marker="o", ms=3, color=PALETTE[i % len(PALETTE)], label=str(year))
    ax1.set_ylabel(label("单月占全年比重 (%)", "month's share of the year (%)", language), fontsize=9)
    ax1.set_title(label("网上零售额（由累计数推算；1-2月按月平均）", "Online retail (derived; Jan-Feb as a monthly mean)",
                        language), fontsize=9)
    ax1.legend(fontsize=7)
    if not express.empty:
        for i, (year, s) in enumerate(express.groupby(express.index.year)):
            s = pd.Series(s.to_numpy(), index=s.index.month).reindex(range(1, 13))
            ax2.plot(s.index, s.to_numpy(), marker="o", ms=3, color=PALETTE[i % len(PALETTE)], label=str(year))
        ax2.legend(fontsize=7)
    else:
        ax2.text(0.5, 0.5, label("无月度数据", "no monthly data", language), transform=ax2.transAxes, ha="center")
    ax2.set_ylabel(label("快递业务量 (亿件)", "express parcels (100 million)", language), fontsize=9)
    ax2.set_title(label("快递业务量（国家邮政局，当月）", "Express delivery volume (SPB, single months)", language), fontsize=9)
    for ax in (ax1, ax2):
        ax.set_xticks(range(1, 13), [str(m) for m in range(1, 13)], fontsize=7)
        ax.set_xlabel(label("月份（阴影：报告所说的指数高峰月）", "month (shaded: the report's index peak months)",
                            language), fontsize=8)
    return fig
