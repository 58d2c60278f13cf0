"""Figures of 二(二)4 · 二(四): "the main reason" across weights; Alibaba's public figures."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ...figstore import stored_figure
from ...index_composition import IndexStatements
from ...plotting import (BODY, NOTE, PALETTE, SMALL, TITLE, fit_title, fit_xlabel, label, mark_assumption,
                         new_figure, signed)
from .analysis import DENOMINATORS

MARKERS = {"orders": "o", "transactions": "s", "trades": "^", "return_requests": "v", "orders_as_pct": "x"}


@stored_figure
def counterfeit_share_figure(w_dispute: float, threshold: float, min_threshold: float, statements: IndexStatements,
                             language: str, w_counterfeit: float | None = None, named: object = None,
                             largest: bool | None = None):
    """Share of the total change attributable to counterfeit perception, over
    w_c at the assumed w_d; the threshold where it becomes the largest
    contributor (given w_d) and the lowest such threshold over every w_d; and
    the assumed w_c (its name when a named default, e.g. two_component) with the
    direct answer there (`largest`, from analysis.main_reason_facts): the largest
    contributor under the assumed weights, yes or no."""
    s = statements
    fig, ax = new_figure(height=3.4)
    w_c = np.linspace(0, 1 - w_dispute, 101)
    share = w_c * s.counterfeit_change / s.total_change * 100
    ax.plot(w_c, share, color=PALETTE[0],
            label=label(f"假货感知的贡献份额（与 w_d 无关；画到 w_c = 1 − w_d = {1 - w_dispute:.2f}）",
                        f"counterfeit share of the change (independent of w_d; drawn to w_c = 1 − w_d = "
                        f"{1 - w_dispute:.2f})", language))
    ax.axhline(100, color="#999999", ls=":", lw=1)
    if np.isfinite(min_threshold):
        ax.axvspan(0, min_threshold, color="#eeeeee", zorder=0,
                   label=label(f"w_c < {min_threshold:.2f}：任何 w_d 下都不是最大贡献项",
                               f"w_c < {min_threshold:.2f}: not the largest contributor under any w_d", language))
    if np.isfinite(threshold):
        ax.axvline(threshold, color=PALETTE[3], ls="--",
                   label=label(f"w_c ≥ {threshold:.2f}：假设 w_d 下为最大贡献项",
                               f"w_c ≥ {threshold:.2f}: the largest contributor at the assumed w_d", language))
    if w_counterfeit is not None:
        mark_assumed_weight(ax, w_counterfeit, named, bool(largest), s, language)
    ax.legend(fontsize=NOTE, loc="upper left")
    fit_xlabel(ax, label("假货感知比率权重 w_c", "weight of counterfeit perception w_c", language))
    ax.set_ylabel(label("占总指数变动的比例（%，假设权重下）", "share of the total change\n(%, under assumed weights)",
                        language))
    total = signed(s.total_change, "+g")
    fit_title(ax, label(f"“主要原因”：假货感知变动对 {total} 点的贡献，随权重变化",
                       f"'The main reason': counterfeit perception's share of the {total} points, "
                       "across weights", language), TITLE)
    mark_assumption(ax, language)
    return fig, pd.DataFrame({"w_counterfeit": w_c, "counterfeit_share_pct": share, "w_dispute": w_dispute,
                              "threshold_given_w_dispute": threshold, "threshold_any_w_dispute": min_threshold,
                              "w_counterfeit_assumed": np.nan if w_counterfeit is None else w_counterfeit})


def mark_assumed_weight(ax, w_counterfeit: float, named, largest: bool, s: IndexStatements, language: str):
    """The assumed w_c on the share curve, with the direct answer there: the largest contributor under
    the assumed weights, yes or no (plain text, no mathtext: it prints at full size). A named default
    (e.g. two_component) is said in words, "the default assumption": a reader never sees a parameter code."""
    name_zh = "（默认假设）" if isinstance(named, str) else ""
    name_en = " (the default assumption)" if isinstance(named, str) else ""
    answer = label("是" if largest else "否", "yes" if largest else "no", language)
    ax.axvline(w_counterfeit, color="black", ls="-.", lw=1.1)
    ax.plot([w_counterfeit], [w_counterfeit * s.counterfeit_change / s.total_change * 100], marker="D",
            color="black", markersize=6, linestyle="none",
            label=label(f"假设的 w_c = {w_counterfeit:.3f}{name_zh}：最大贡献项？{answer}",
                        f"assumed w_c = {w_counterfeit:.3f}{name_en}: the largest contributor? {answer}", language))


@stored_figure
def alibaba_infringement_figure(rows: pd.DataFrame, line: pd.DataFrame, report_value: float, report_year: int,
                                language: str):
    """Alibaba's public suspected-infringement figures per 10,000, every stored
    year and every publication (marker: the denominator as worded), a line
    through one value per year, and the report's own figure beside them."""
    fig, ax = new_figure(height=3.3)
    # one value per year joined: solid only between years whose denominators are worded alike;
    # dotted where the wording changes (the two values may not measure the same ratio)
    denominator_of = rows.set_index("stat_id")["denominator"]
    points = line.assign(year=line["period"].astype(int), denominator=line["stat_id"].map(denominator_of))
    points = points.sort_values("year").reset_index(drop=True)
    for (_, a), (_, b) in zip(points.iloc[:-1].iterrows(), points.iloc[1:].iterrows()):
        alike = a["denominator"] == b["denominator"]
        ax.plot([a["year"], b["year"]], [a["value"], b["value"]], color=PALETTE[1], zorder=2,
                lw=1.2 if alike else 1.0, ls="-" if alike else ":")
    if (points["denominator"].iloc[:-1].to_numpy() != points["denominator"].iloc[1:].to_numpy()).any():
        ax.plot([], [], color=PALETTE[1], lw=1.0, ls=":",
                label=label("点线：相邻两年的分母措辞不同", "dotted: the denominator is worded differently", language))
    # within a year, the figures side by side (the same value printed several ways), the line's own in the middle
    rows = rows.assign(on_line=rows["stat_id"].isin(line["stat_id"]))
    x = pd.Series(0.0, index=rows.index)
    for _, year in rows.groupby("period"):
        order = list(year.sort_values("on_line", ascending=False).index)
        for k, i in enumerate(order):
            x[i] = int(year.loc[i, "period"]) + 0.09 * ((k + 1) // 2) * (1 if k % 2 else -1)
    for denominator, group in rows.groupby("denominator", sort=False):
        zh, en = DENOMINATORS.get(denominator, (denominator, denominator))
        ax.scatter(x[group.index], group["value"], marker=MARKERS.get(denominator, "o"), s=36,
                   color=PALETTE[1], facecolors="none" if MARKERS.get(denominator) != "x" else PALETTE[1], zorder=3,
                   label=label(f"阿里巴巴：每万笔{zh}", f"Alibaba: per 10,000 {en}", language))
    for _, r in line.iterrows():
        ax.text(int(r["period"]) - 0.3, r["value"], f"{r['value']:g}", fontsize=BODY, va="center", ha="right")
    ax.scatter([report_year + 0.3], [report_value], marker="*", s=140, color=PALETTE[0], zorder=4,
               label=label(f"本报告：{report_value:g}（每万笔订单）", f"this report: {report_value:g} (per 10,000 orders)",
                           language))
    years = sorted(set(rows["period"].astype(int)) | {report_year})
    ax.set_xticks(years)
    ax.set_xlim(years[0] - 0.6, years[-1] + 0.6)
    ax.set_ylim(0, max(rows["value"].max(), report_value) * 1.25)
    ax.set_ylabel(label("每万笔疑似侵权/假货", "suspected infringing/counterfeit per 10,000", language))
    fit_title(ax, label("阿里巴巴知识产权保护年报（平台自己的出版物）：每万笔疑似侵权笔数",
                       "Alibaba's IP-protection reports (the platform's own publications): suspected cases per 10,000",
                       language), TITLE)
    ax.legend(fontsize=SMALL, loc="upper right")
    drawn = rows[["period", "value", "printed", "denominator", "unit", "publication", "stat_id", "on_line"]].assign(
        series="alibaba", x=x)
    report = pd.DataFrame([{"period": str(report_year), "value": report_value, "printed": report_value,
                            "denominator": "orders", "unit": "per 10,000 orders", "publication": "report",
                            "stat_id": "", "series": "report", "on_line": False, "x": report_year + 0.3}])
    return fig, pd.concat([drawn, report], ignore_index=True)
