"""Figures of 一(三): the cumulative-growth argument, derived single months, lifts."""

from __future__ import annotations

import calendar

import numpy as np
import pandas as pd

from ...plotting import GAP_COLOR, PALETTE, label, new_figure


def promotion_cumulative_growth(table: pd.DataFrame, threshold: float, title: str, language: str):
    """The report's argument: the year's cumulative online growth, with the
    level it says growth never returned above (read from the ledger)."""
    fig, ax = new_figure(8, 3.8)
    x = np.arange(len(table))
    ax.plot(x, table["cum_yoy_pct"], marker="o", color=PALETTE[0])
    for xi, v in zip(x, table["cum_yoy_pct"]):
        if pd.notna(v):
            ax.text(xi, v + 0.15, f"{v:.1f}", ha="center", fontsize=8)
    ax.axhline(threshold, color=GAP_COLOR, ls="--", lw=1)
    ax.text(x[-1], threshold + 0.1, f"{threshold:g}%", ha="right", fontsize=8, color="#777777")
    labels = [f"1-{m}月" if language == "zh" else "Jan–" + calendar.month_abbr[m] for m in table["months"]]
    ax.set_xticks(x, labels, fontsize=8)
    ax.set_ylabel(label("累计同比增长 (%)", "cumulative YoY growth (%)", language))
    ax.set_title(title, fontsize=10)
    return fig, table.assign(threshold_pct=threshold)


def promotion_single_months(panel: pd.DataFrame, promotion_months: list[int], outcome_column: str, title: str,
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
                  [label(f"{m}月", calendar.month_abbr[m], language) for m in range(3, 13)], fontsize=8)
    ylabel = {"yoy_pct": label("当月同比增长 (%)（由累计值推算）", "single-month YoY growth (%) (derived)", language),
              "share_of_year": label("占全年比重 (%)（由累计值推算）", "share of the year (%) (derived)", language)}
    ax.set_ylabel(ylabel[outcome_column], fontsize=9)
    ax.set_title(title, fontsize=10)
    ax.legend(fontsize=8, ncol=5)
    return fig, single[["year", "month", "months", outcome_column]].reset_index(drop=True)


def promotion_lifts(lifts: pd.DataFrame, unit_label: str, title: str, language: str):
    """Estimated promotion-month lift per year with its confidence interval."""
    fig, ax = new_figure(7, 3.8)
    if lifts.empty:
        ax.text(0.5, 0.5, label("数据不足，无法估计", "not enough data to estimate", language),
                ha="center", va="center", transform=ax.transAxes)
        return fig, lifts
    ax.errorbar(lifts["year"], lifts["lift"], yerr=[lifts["lift"] - lifts["ci_low"], lifts["ci_high"] - lifts["lift"]],
                fmt="o", color=PALETTE[0], capsize=4)
    ax.axhline(0, color="#777777", lw=1)
    ax.set_xticks(lifts["year"], [str(y) for y in lifts["year"]])
    ax.set_ylabel(unit_label, fontsize=9)
    ax.set_title(title, fontsize=10)
    return fig, lifts
