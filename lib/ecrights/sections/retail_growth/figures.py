"""Figures of 一(一)(二): the report's Figures 1–4 redrawn from NBS releases.

Each function takes the monthly panel (analysis.monthly_panel) and returns the
figure and the data it draws. Gaps are drawn as gaps, with a visible marker.
The report's figures carry no title inside the image (the notebook passes
None): the caption gives their title (report_caption) and the report numbers
them; `title` draws one, for a look outside the report.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.ticker import FuncFormatter

from ...figstore import stored_figure
from ...plotting import (BODY, LABEL_BOX, PALETTE, SMALL, TITLE, break_at_years, fit_title, label, mark_gaps,  # noqa: F401
                         month_labels, new_figure, new_subplots, report_caption,  # report_caption: the notebook's import
                         series_style)
from ...tables import in_scale


def _months(index, language: str) -> list[str]:
    """Month tick labels; the English Jan-Feb on two lines (on one, it runs into its neighbours)."""
    return [t.replace("Jan-Feb", "Jan–\nFeb", 1) for t in month_labels(index, language)]


def _drawn(panel: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    out = panel[columns].copy()
    out.insert(0, "month", [str(p) for p in panel.index])
    return out.reset_index(drop=True)


@stored_figure
def retail_monthly_growth(panel: pd.DataFrame, title: str | None, language: str):
    """图1 社会消费品零售总额分月同比增长."""
    fig, ax = new_figure()
    x = np.arange(len(panel))
    y = panel["retail_total_month_yoy"]
    ax.bar(x, y, color=PALETTE[1], width=0.7, label=label("当月同比增长（%）", "month year-on-year growth (%)", language))
    for xi, v in zip(x, y):
        if pd.notna(v):
            ax.text(xi, v + 0.15, f"{v:.1f}", ha="center", va="bottom", fontsize=SMALL, bbox=LABEL_BOX)
    mark_gaps(ax, x, y, 0.3, language)
    ax.set_xticks(x, _months(panel.index, language), fontsize=SMALL)
    ax.set_ylim(0, max(12, np.nanmax(y) + 1.5))
    ax.set_ylabel("%")
    if title:
        fit_title(ax, title, TITLE)
    ax.legend(loc="upper right", fontsize=BODY)
    return fig, _drawn(panel, ["retail_total_month_yoy"])


@stored_figure
def online_retail_cumulative(panel: pd.DataFrame, title: str | None, language: str):
    """图2 全国网上零售额变动情况: cumulative level (bars) and growth (line)."""
    fig, ax = new_figure()
    x = np.arange(len(panel))
    level = panel["online_total_cum_level"]
    ax.bar(x, level, color=PALETTE[1], alpha=0.75, width=0.7,
           label=label("1至当月累计（亿元）", "cumulative Jan–month (trillion yuan)", language))
    mark_gaps(ax, x, level, 0, language)
    ax.set_ylim(0, np.nanmax(level) * 1.05)
    ax.set_ylabel(label("亿元", "trillion yuan", language))
    if language == "en":  # English has no word for 亿: the bars stay in 亿元, the axis reads in trillions
        ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{in_scale(v, '亿元', 'trillion'):g}"))
    ax2 = ax.twinx()
    growth = panel["online_total_cum_yoy"]
    ax2.plot(*break_at_years(x, growth, panel.index), color=PALETTE[0], marker="o", ms=4,
             label=label("累计同比增长（%）", "cumulative year-on-year growth (%)", language))
    ax2.set_ylim(0, max(40, np.nanmax(growth) + 5))
    ax2.set_ylabel("%")
    ax2.grid(False)
    ax.set_xticks(x, _months(panel.index, language), fontsize=SMALL)
    if title:
        fit_title(ax, title, TITLE)
    h1, l1 = ax.get_legend_handles_labels()
    h2, l2 = ax2.get_legend_handles_labels()
    # below the axes: inside them it covered the top tick of one axis and ran into the other's
    fig.legend(h1 + h2, l1 + l2, loc="outside lower center", ncol=3, fontsize=BODY)
    return fig, _drawn(panel, ["online_total_cum_level", "online_total_cum_yoy"])


@stored_figure
def physical_online_categories(panel: pd.DataFrame, title: str | None, language: str):
    """图3 实物商品网上零售额中 吃、穿、用 类累计增长."""
    fig, ax = new_figure()
    x = np.arange(len(panel))
    for i, (col, zh, en) in enumerate([("food_cum_yoy", "吃类", "food"), ("clothing_cum_yoy", "穿类", "clothing"),
                                       ("use_cum_yoy", "用类", "household use")]):
        ax.plot(*break_at_years(x, panel[col], panel.index), ms=4, **series_style(i), label=label(zh, en, language))
    mark_gaps(ax, x, panel["food_cum_yoy"], 2, language)
    ax.set_xticks(x, _months(panel.index, language), fontsize=SMALL)
    ax.set_ylabel(label("累计同比增长（%）", "cumulative year-on-year growth (%)", language))
    if title:
        fit_title(ax, title, TITLE)
    ax.legend(fontsize=BODY, ncol=4)
    return fig, _drawn(panel, ["food_cum_yoy", "clothing_cum_yoy", "use_cum_yoy"])


@stored_figure
def physical_online_share(panel: pd.DataFrame, title: str | None, language: str):
    """图4: the printed share in total retail and the derived share in online retail."""
    fig, (ax1, ax2) = new_subplots(2, 1, 4.3, sharex=True)
    x = np.arange(len(panel))
    ax1.plot(*break_at_years(x, panel["physical_share_of_online"], panel.index), marker="o", ms=4,
             color=PALETTE[0])
    ax1.set_ylabel("%")
    fit_title(ax1, label("实物商品网上零售额占全国网上零售额比重（由累计额计算）",
                        "Physical goods as share of all online retail (computed from cumulative levels)", language), TITLE)
    mark_gaps(ax1, x, panel["physical_share_of_online"], np.nanmin(panel["physical_share_of_online"]), language)
    ax2.plot(*break_at_years(x, panel["physical_share_of_retail"], panel.index), marker="o", ms=4,
             color=PALETTE[1])
    ax2.set_ylabel("%")
    fit_title(ax2, label("实物商品网上零售额占社会消费品零售总额比重（国家统计局公布）",
                        "Physical online sales as share of total retail (as printed by NBS)", language), TITLE)
    mark_gaps(ax2, x, panel["physical_share_of_retail"], np.nanmin(panel["physical_share_of_retail"]), language)
    ax2.set_xticks(x, _months(panel.index, language), fontsize=SMALL)
    if title:
        fig.suptitle(title, fontsize=TITLE)
    return fig, _drawn(panel, ["physical_share_of_online", "physical_share_of_retail"])


@stored_figure
def non_physical_online_growth(frame: pd.DataFrame, language: str):
    """Cumulative growth of all online sales and of physical goods online (as
    printed), and of the rest (services, virtual goods: derived, with its range
    under the printed rounding as a band)."""
    fig, ax = new_figure(height=3.6)
    x = np.arange(len(frame))
    ax.plot(*break_at_years(x, frame["online_growth"], frame.index), marker="o", ms=4, color=PALETTE[1],
            label=label("全国网上零售额（公布）", "all online retail (printed)", language))
    ax.plot(*break_at_years(x, frame["physical_growth"], frame.index), marker="^", ms=4, ls="--", color=PALETTE[2],
            label=label("实物商品网上零售额（公布）", "physical goods online (printed)", language))
    ax.plot(*break_at_years(x, frame["non_physical_growth"], frame.index), marker="s", ms=4, ls="-.", color=PALETTE[0],
            label=label("非实物商品网上零售额（推算）", "non-physical online (derived)", language))
    band_x, band_low = break_at_years(x, frame["non_physical_growth_low"], frame.index)
    ax.fill_between(band_x, band_low, break_at_years(x, frame["non_physical_growth_high"], frame.index)[1],
                    color=PALETTE[0], alpha=0.25, lw=0, label=label("推算值的舍入区间", "rounding range of the derived value", language))
    ax.axhline(0, color="#777777", lw=0.8)
    mark_gaps(ax, x, frame["non_physical_growth"], 0, language)
    ax.set_xticks(x, _months(frame.index, language), fontsize=SMALL)
    ax.set_ylabel(label("1 至当月累计同比增长（%）", "cumulative year-on-year growth (%)", language))
    fit_title(ax, label("非实物商品（服务等）网上零售额的累计增长：由全国与实物商品网上零售额推算",
                       "Non-physical (services etc.) online sales, cumulative growth: derived from all and "
                       "physical-goods online sales",
                       language), TITLE)
    ax.legend(fontsize=BODY, loc="upper right")
    return fig, _drawn(frame, ["online_level", "physical_level", "non_physical_level", "online_growth",
                               "physical_growth", "non_physical_growth", "non_physical_growth_low",
                               "non_physical_growth_high"])
