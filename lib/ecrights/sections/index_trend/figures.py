"""Figures of 二(一)(二): Figure 5 reconstructed, the weights, the proactive
adjustment, demand in public data. Every figure resting on assumed
parameters is stamped as such."""

from __future__ import annotations

import numpy as np
import pandas as pd
import matplotlib.pyplot as plt

from ...index_composition import IndexStatements, two_component_weights
from ...plotting import PALETTE, label, mark_assumption, new_figure, use_house_style
from .analysis import proactive_adjustment


def index_reconstruction(band: pd.DataFrame, admissible: pd.DataFrame, constraints: list[tuple[str, str, float]],
                         base_value: float, title: str, language: str):
    """图5 reconstructed from published statistics: never the platform's series."""
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
                  label=label("公布的均值", "published means", language) if i == 0 else None)
    ax.axhline(base_value, color="#999999", lw=0.8, ls=":")
    ax.set_ylim(0, max(130, float(band["high"].max()) + 10))
    ax.set_ylabel(label(f"指数（基期={base_value:g}，假设）", f"index (base = {base_value:g}, assumed)", language))
    ax.set_title(title, fontsize=10)
    ax.legend(fontsize=7, loc="lower left")
    mark_assumption(ax, language)
    drawn = pd.DataFrame({"month": [str(p) for p in band.index], "path": band["central"].to_numpy(),
                          "band_low": band["low"].to_numpy(), "band_high": band["high"].to_numpy(),
                          "admissible_low": admissible["admissible_low"].to_numpy(),
                          "admissible_high": admissible["admissible_high"].to_numpy()})
    return fig, drawn


def index_weight_sensitivity(grid: pd.DataFrame, weights: tuple[float, float], statements: IndexStatements,
                             language: str):
    """What the unnamed components must have done, over the assumed weights."""
    s = statements
    fig, ax = new_figure(7, 5)
    finite = grid[np.isfinite(grid["other_change"])]
    clipped = finite["other_change"].clip(-60, 60)
    sc = ax.scatter(finite["w_dispute"], finite["w_counterfeit"], c=clipped, cmap="RdBu_r", s=12, vmin=-60, vmax=60)
    fig.colorbar(sc, ax=ax, label=label("其余成分需变动（点）", "implied change of other components (points)", language))
    w = np.linspace(0, 1, 50)
    w_d2, w_c2 = two_component_weights(s)
    ax.plot([w_d2], [w_c2], marker="*", color="black", ms=12,
            label=label("仅两项成分即可一致的权重", "the only two-component weights consistent", language))
    ax.plot(w, 1 - w, color="#555555", lw=0.8, ls="--")
    ax.plot([weights[0]], [weights[1]], marker="o", mfc="none", mec=PALETTE[3], ms=12, mew=2,
            label=label("当前假设", "current assumption", language))
    ax.set_xlabel(label("总纠纷率指数权重 w_d", "weight of the dispute-rate sub-index w_d", language))
    ax.set_ylabel(label("假货感知比率权重 w_c", "weight of counterfeit perception w_c", language))
    ax.set_title(label(f"权重敏感性：{s.dispute_change:+g} 与 {s.counterfeit_change:+g} 如何合成 {s.total_change:+g}",
                       f"Weights: how {s.dispute_change:+g} and {s.counterfeit_change:+g} can make {s.total_change:+g}",
                       language), fontsize=10)
    ax.legend(fontsize=8, loc="upper right")
    mark_assumption(ax, language)
    return fig, grid


def proactive_adjustment_figure(levels_2018: list[float], tolerance: float, chosen_fraction: float, change: float,
                                language: str):
    """Dispute-rate change without proactive cases, against the removed share."""
    fig, ax = new_figure(7.5, 4)
    p = np.linspace(0, 0.2, 101)
    rows = []
    for i, level in enumerate(levels_2018):
        changes = [proactive_adjustment(v, 12, level, change)["adjusted_change"] for v in p]
        rows += [{"level_2018": level, "removed_fraction": v, "adjusted_change": c} for v, c in zip(p, changes)]
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
    return fig, pd.DataFrame(rows)


def demand_by_month(online: pd.DataFrame, express: pd.Series, peak_months: list[int], language: str):
    """Public demand signals by month: derived single-month online sales as a
    share of their year, and express-delivery volume, with the report's index
    peak months shaded."""
    use_house_style()
    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(10, 3.8), layout="constrained")
    for ax in (ax1, ax2):
        for m in peak_months:
            ax.axvspan(m - 0.5, m + 0.5, color="#fdebd0", zorder=0)
    single = online[(online["months"] == 1) | online["jan_feb"]].dropna(subset=["share_of_year"])
    drawn = []
    for i, (year, rows) in enumerate(single.groupby("year")):
        share = pd.Series(np.where(rows["jan_feb"], rows["share_of_year"] / 2, rows["share_of_year"]),
                          index=rows["month"]).reindex(range(2, 13))  # NaN breaks the line at a gap
        drawn += [{"series": "online_share_of_year", "year": year, "month": m, "value": v} for m, v in share.items()]
        ax1.plot(share.index, share.to_numpy(), marker="o", ms=3, color=PALETTE[i % len(PALETTE)], label=str(year))
    ax1.set_ylabel(label("单月占全年比重 (%)", "month's share of the year (%)", language), fontsize=9)
    ax1.set_title(label("网上零售额（由累计数推算；1-2月按月平均）", "Online retail (derived; Jan-Feb as a monthly mean)",
                        language), fontsize=9)
    ax1.legend(fontsize=7)
    if not express.empty:
        for i, (year, s) in enumerate(express.groupby(express.index.year)):
            s = pd.Series(s.to_numpy(), index=s.index.month).reindex(range(1, 13))
            drawn += [{"series": "express_volume", "year": year, "month": m, "value": v} for m, v in s.items()]
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
    return fig, pd.DataFrame(drawn)
