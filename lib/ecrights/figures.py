"""Section figures. Each function takes tidy inputs and returns a Figure;
saving and captions are the notebook's (through SectionRecord.figure).

Gaps in the data are drawn as gaps, with a visible marker, never bridged.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

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
