"""Figures of section 二(三) (图6–图9 and the industry/official comparison).

Each function takes encoded statements (analysis.encode_statements) and/or
official tables, and the title (the report's own, from
data/published/report_figures.csv, for 图6–图9), and returns the figure and
the data it draws (written beside the PNG as CSV). What the report does not quantify is
never given a length: a direction is an arrow of fixed size on an axis without
a scale, a bound is a tick with an open arrow towards the unknown side, a
"基本持平" is a marker at 0 with ≈. Artists carry a gid '<how>:<statement_id>'
so tests can check what was drawn.
"""

from __future__ import annotations

import textwrap

import numpy as np
import pandas as pd


from ...figstore import stored_figure
from ...data.vocabulary import STATEMENT_METRICS
from ...plotting import (BODY, LABEL_BOX, NOTE, PALETTE, SMALL, TITLE, axes_width_pt, fit_title, fit_xlabel, label,
                         new_figure, new_subplots, signed, wrap)
from .analysis import category_name, change_axis_limits

# official figures in a neutral dark grey: no green beside the vermillion of "up"
UP, DOWN, FLAT, OFFICIAL, GAP = PALETTE[0], PALETTE[1], PALETTE[5], "#333333", "#bbbbbb"


_TEXT_BOX = LABEL_BOX  # opaque: no gridline runs through a label


def _industry(row, language: str) -> str:
    return row["industry_zh"] if language == "zh" else row["industry_en"]


def _metric(metric: str, language: str) -> str:
    zh, en = STATEMENT_METRICS[metric]
    return label(zh, en, language)


def _category(indicator: str, zh: str, language: str) -> str:
    return zh if language == "zh" else category_name(indicator, language)


def _sign_color(sign: int) -> str:
    return {1: UP, -1: DOWN, 0: FLAT}[int(sign)]


def _wrap(text: str, language: str, width: int = 16) -> str:
    """Long English category names on two lines (side by side they run together)."""
    return text if language == "zh" else textwrap.fill(text, width, break_long_words=False)


# --------------------------------------------------------------------------
# Captions: what each figure draws, from the statements it draws
# --------------------------------------------------------------------------

def _join(items, language: str) -> str:
    return ("、" if language == "zh" else ", ").join(items)


def _by_metric(rows: pd.DataFrame, language: str) -> str:
    """'纠纷占比：航旅、美妆' per metric."""
    parts = []
    for metric, group in rows.groupby("metric", sort=False):
        names = _join([_industry(r, language) for _, r in group.iterrows()], language)
        parts.append(label(f"{_metric(metric, language)}：{names}", f"{_metric(metric, language)}: {names}", language))
    return ("；" if language == "zh" else "; ").join(parts)


def direction_caption(drawn: pd.DataFrame, language: str) -> str:
    """图6/图7: the industries named, rising or falling, and why the arrows are all alike."""
    rising = int(drawn["sign"].iloc[0]) > 0
    return label(f"报告二(三)点名的纠纷{'上升' if rising else '下降'}行业（{_by_metric(drawn, language)}）；"
                 "每个行业画一支等长箭头：报告只给出方向，未给出幅度",
                 f"The industries the report names with {'rising' if rising else 'falling'} disputes "
                 f"({_by_metric(drawn, language)}); one arrow of the same length each: the report gives the "
                 "direction only, no magnitude", language)


def key_industries_caption(drawn: pd.DataFrame, language: str) -> str:
    """图8: each statement, grouped by how much the report says (exact, flat, bound…)."""
    how = {"exact": ("柱为报告给出的变化", "bars, the changes it gives"),
           "approx": ("≈0 为“基本持平”，报告未给容差", "≈0, 'basically flat' with no tolerance given"),
           "lower_bound": ("刻度加开口箭头为下限，幅度未知", "tick and open arrow, a lower bound of unknown size"),
           "direction": ("箭头仅示方向", "arrow, direction only"),
           "ranking": ("仅有排名", "ranking only")}
    parts = []
    for nature, group in drawn.groupby("nature", sort=False):
        items = []
        for _, r in group.iterrows():
            item = label(f"{_industry(r, language)}{_metric(r['metric'], language)}",
                         f"{_industry(r, language)} {_metric(r['metric'], language)}", language)
            if nature in ("exact", "lower_bound"):
                item += " " + (r["label_zh"] if language == "zh" else r["label_en"])
            items.append(item)
        zh, en = how.get(nature, (nature, nature))
        parts.append(label(f"{zh}（{_join(items, language)}）", f"{en} ({_join(items, language)})", language))
    return label("报告所述重点行业2019年相对2018年的变化：", "Key industries' change 2019 on 2018 as the report states "
                 "it: ", language) + ("；" if language == "zh" else "; ").join(parts)


# --------------------------------------------------------------------------
# 图6 / 图7: direction only
# --------------------------------------------------------------------------

DRAWN_COLUMNS = ["statement_id", "industry_zh", "industry_en", "metric", "nature", "direction", "sign", "point",
                 "lower", "upper", "label_zh", "label_en", "figure"]


def _drawn(rows: pd.DataFrame) -> pd.DataFrame:
    return rows[[c for c in DRAWN_COLUMNS if c in rows.columns]].reset_index(drop=True)


@stored_figure
def direction_figure(statements: pd.DataFrame, figure: str, title: str | None, language: str = "zh"):
    """图6 or 图7: the industries named, each with an arrow of the same fixed
    length (up or down) — the report gives no magnitudes, so the y axis has
    no scale and arrow length carries no meaning."""
    rows = statements[statements["figure"] == figure]
    if rows.empty:
        raise ValueError(f"no statements for {figure}")
    if not rows["nature"].eq("direction").all():
        raise ValueError(f"{figure} is drawn from direction-only statements; got {sorted(set(rows['nature']))}")
    # one compact row: the report names industries and a direction, nothing a taller figure could show
    fig, ax = new_figure(height=1.45)
    sign = int(rows["sign"].iloc[0]) or 1
    for x, (sid, row) in enumerate(rows.iterrows()):
        own = int(row["sign"])
        arrow = ax.annotate("", xy=(x - 0.12, 0.8 * own), xytext=(x - 0.12, 0),
                            arrowprops=dict(arrowstyle="-|>,head_width=0.35,head_length=0.6", lw=2.5,
                                            color=_sign_color(own), shrinkA=0, shrinkB=0))
        arrow.set_gid(f"direction:{sid}")
        ax.text(x - 0.02, 0.4 * own, _metric(row["metric"], language), ha="left", va="center", fontsize=BODY,
                color="#333333")
    ax.axhline(0, color="#666666", lw=0.8)
    ax.set_xlim(-0.5, len(rows) - 0.5)
    ax.set_ylim((-0.2, 1.0) if sign > 0 else (-1.0, 0.2))
    ax.set_xticks(range(len(rows)), [_wrap(_industry(r, language), language) for _, r in rows.iterrows()],
                  fontsize=BODY)
    ax.set_yticks([])
    ax.grid(False)
    ax.set_ylabel(label("方向\n（无刻度）", "direction\n(no scale)", language), fontsize=SMALL)
    if title:  # in the report the caption carries the report's title (plotting.report_caption)
        fit_title(ax, title, TITLE)
    return fig, _drawn(rows)


# --------------------------------------------------------------------------
# 图8: key industries — values, bounds, flats
# --------------------------------------------------------------------------

def _draw_statement(ax, y: float, sid: str, row: pd.Series, xmax: float, xmin: float, language: str,
                    fontsize: float = BODY) -> None:
    """One statement on a horizontal change axis, drawn by its nature."""
    sign, nature = int(row["sign"]), row["nature"]
    color = _sign_color(sign)
    text = row["label_zh"] if language == "zh" else row["label_en"]
    if nature == "exact":
        bar = ax.barh(y, row["point"], color=color, height=0.55)
        bar.patches[0].set_gid(f"exact:{sid}")
        ax.text(row["point"] + (0.6 if row["point"] >= 0 else -0.6), y, text, va="center",
                ha="left" if row["point"] >= 0 else "right", fontsize=fontsize, bbox=_TEXT_BOX)
    elif nature == "lower_bound":
        bound = row["lower"] if sign > 0 else row["upper"]
        far = xmax if sign > 0 else xmin
        # from 0 to the bound: dotted (the change is at least this), then an
        # open arrow to the axis edge: the value lies somewhere beyond
        ax.plot([0, bound], [y, y], ls=":", lw=2, color=color)
        tick, = ax.plot([bound], [y], marker="|", ms=16, mew=2.5, color=color)
        tick.set_gid(f"bound:{sid}")
        ax.annotate("", xy=(far, y), xytext=(bound, y),
                    arrowprops=dict(arrowstyle="->", lw=1.6, ls="--", color=color, shrinkA=0, shrinkB=0))
        ax.text(0, y + 0.32, text + label("（下限，幅度未知）", " (bound; size unknown)", language),
                ha="left" if sign > 0 else "right", va="center", fontsize=fontsize, color=color, bbox=_TEXT_BOX)
    elif nature == "approx":
        marker, = ax.plot([0], [y], marker="o", ms=10, mfc="white", mew=2, color=color)
        marker.set_gid(f"approx:{sid}")
        ax.text(1.4, y, label("≈0（基本持平，容差未给出）", "≈0 (flat; no tolerance given)", language),
                va="center", ha="left", fontsize=fontsize, bbox=_TEXT_BOX)
    elif nature == "direction":
        arrow = ax.annotate("", xy=(4 * sign, y), xytext=(0, y),
                            arrowprops=dict(arrowstyle="-|>", lw=2.5, color=color, shrinkA=0, shrinkB=0))
        arrow.set_gid(f"direction:{sid}")
        ax.text(4.6 * sign, y, text + label("（仅方向）", " (direction only)", language), va="center",
                ha="left" if sign > 0 else "right", fontsize=fontsize, bbox=_TEXT_BOX)
    else:  # ranking: no position on a change axis
        t = ax.text(0.9, y, text, va="center", ha="left", fontsize=fontsize, bbox=_TEXT_BOX)
        t.set_gid(f"label:{sid}")


@stored_figure
def key_industries_figure(statements: pd.DataFrame, title: str | None, language: str = "zh",
                          points_note: pd.Series | None = None):
    """图8 重点行业消费维权指数同比: exact changes as bars, lower bounds as a
    tick with an open arrow, 基本持平 as ≈ at 0. `points_note`: the other
    statement of the 大家电 change (8个点), annotated next to its bar."""
    rows = statements[statements["figure"] == "图8"]
    if rows.empty:
        raise ValueError("no statements for 图8")
    fig, ax = new_figure(height=3.6)
    xmin, xmax = change_axis_limits(rows)
    n = len(rows)
    for i, (sid, row) in enumerate(rows.iterrows()):
        _draw_statement(ax, n - 1 - i, sid, row, xmax, xmin, language)
        if points_note is not None and row["industry_zh"] == points_note["industry_zh"] and row["nature"] == "exact":
            ax.text(row["point"] - 0.6, n - 1 - i - 0.38,
                    label(f"另处：“下降{points_note['value_text']}个点”", f"elsewhere: 'down {points_note['value_text']} points'",
                          language), ha="right", va="center", fontsize=NOTE, color="#a0522d", bbox=_TEXT_BOX)
    ax.axvline(0, color="#666666", lw=0.8)
    ax.grid(axis="y", visible=False)  # each row's labels sit on its centre line: a gridline there would strike them
    ax.set_xlim(xmin, xmax)
    ax.set_ylim(-0.7, n - 0.3)
    ax.set_yticks(range(n)[::-1], [f"{_industry(r, language)}（{_metric(r['metric'], language)}）" if language == "zh"
                                   else f"{_industry(r, language)} ({_metric(r['metric'], language)})"
                                   for _, r in rows.iterrows()], fontsize=TITLE)
    fit_xlabel(ax, label("2019年相对2018年的变化（%）；负值 = 纠纷减少 / 指数优化",
                        "change 2019 vs 2018 (%); negative = fewer disputes / index improved", language), TITLE)
    if title:
        fit_title(ax, title, TITLE)
    ax.text(0.01, 0.01, label("纠纷占比“超过…%”：相对变化还是百分点，报告未说明",
                              "dispute share 'more than …%': relative change or points is not stated", language),
            transform=ax.transAxes, ha="left", va="bottom", fontsize=NOTE, color="#a0522d", bbox=_TEXT_BOX)
    return fig, _drawn(rows)


# --------------------------------------------------------------------------
# Industries vs official category growth
# --------------------------------------------------------------------------

@stored_figure
def dispute_vs_official_figure(table: pd.DataFrame, categories: pd.DataFrame, year: int, language: str = "zh",
                               reference: tuple[str, float] | None = None):
    """Per industry: the report's dispute statement (left, as printed, no
    common scale: the metrics differ) next to the official full-year growth of
    the mapped NBS categories (right: a dot per category, a bar for their mean
    when all are known; gaps and unmapped industries are shown as such)."""
    n = len(table)
    fig, (left, right) = new_subplots(1, 2, 0.42 * n + 1.5, sharey=True, gridspec_kw={"width_ratios": [0.85, 1.6]})
    ys = np.arange(n)[::-1]
    for y, (_, row) in zip(ys, table.iterrows()):
        sign = row["headline_sign"]
        arrow = {1: "▲", -1: "▼", 0: "≈"}[sign]
        metric = _metric(row["headline_metric"], language)
        t = left.text(0.02, y, f"{arrow} {metric} {row['headline_label']}", va="center", ha="left", fontsize=TITLE,
                      color=_sign_color(sign))
        t.set_gid(f"{row['headline_nature']}:{row['headline_statement']}")
        cats = categories[categories["industry_zh"] == row["industry_zh"]]
        if cats.empty:
            right.text(0.5, y, label("无对应商品类别（未映射）", "no goods category (unmapped)", language), va="center",
                       ha="left", fontsize=BODY, color="#888888", bbox=_TEXT_BOX)
            continue
        for k, (_, c) in enumerate(cats.iterrows()):
            name = _category(c["indicator"], c["category_zh"], language)
            dy = 0.3 * (k - (len(cats) - 1) / 2)
            if c["status"] == "value":
                right.plot([c["yoy_pct"]], [y + dy], "o", color=OFFICIAL, ms=7, gid=f"official:{c['indicator']}")
                right.text(c["yoy_pct"] + 0.4, y + dy, f"{_wrap(name, language, 26)} {signed(c['yoy_pct'])}",
                           va="center", fontsize=SMALL, bbox=_TEXT_BOX)
            else:
                right.plot([0.3], [y + dy], "x", color=GAP, ms=7, mew=2, gid=f"gap:{c['indicator']}", clip_on=False)
                right.text(0.9, y + dy, label(f"{name}：{year}年数据缺口", _wrap(f"{name}: {year} gap", language, 30), language),
                           va="center", fontsize=NOTE, color="#888888", bbox=_TEXT_BOX)
        if pd.notna(row["official_mean_pct"]) and len(cats) > 1:
            right.plot([row["official_mean_pct"]], [y], marker="|", ms=18, mew=2.5, color="#333333",
                       gid=f"mean:{row['industry_zh']}")
    left.set_xlim(0, 1)
    left.set_xticks([])
    left.grid(False)
    left.set_yticks(ys, [_industry(r, language) for _, r in table.iterrows()], fontsize=TITLE)
    left.set_ylim(-0.7, n - 0.3)
    fit_title(left, label("报告：2019年纠纷变动（口径各异，不可比较长短）",
                         "Report: 2019 dispute change (metrics differ)", language), TITLE)
    values = categories.loc[categories["status"] == "value", "yoy_pct"]
    hi = max(15.0, float(values.max()) + 6) if not values.empty else 15.0
    lo = min(0.0, float(values.min()) - 2) if not values.empty else 0.0
    right.set_xlim(lo, hi)
    right.grid(axis="y", visible=False)  # a row's labels sit on its centre line: the row names on the left suffice
    right.axvline(0, color="#666666", lw=0.8)
    if reference is not None and pd.notna(reference[1]):
        right.axvline(reference[1], color="#999999", ls="--", lw=1)
        right.text(reference[1], n - 0.45, f"{reference[0]} {reference[1]:.1f}%", fontsize=NOTE, color="#666666",
                   ha="center")
    fit_xlabel(right, label(f"国家统计局限额以上商品零售额 {year}年全年同比增长（%）",
                           f"NBS above-size retail sales by category, {year} full-year growth (%)", language), TITLE)
    fit_title(right, label("官方：映射的商品类别（点 = 类别，竖线 = 均值）",
                          "Official: mapped categories (dot = category, tick = mean)", language), TITLE)
    fig.suptitle(label("分行业：平台纠纷变动与国家统计局商品类别销售增长",
                       "Industries: platform disputes next to NBS category sales growth", language), fontsize=TITLE)
    drawn = categories.merge(table[["industry_zh", "headline_statement", "headline_label", "headline_sign",
                                    "official_mean_pct"]], on="industry_zh", how="right")
    return fig, drawn[["industry_zh", "headline_statement", "headline_label", "headline_sign", "indicator",
                       "category_zh", "yoy_pct", "status", "official_mean_pct"]]


# --------------------------------------------------------------------------
# 图9: the champion and the official categories that bear on it
# --------------------------------------------------------------------------

def fig9_caption(industry: str, year: int, language: str) -> str:
    """图9's note: what each panel draws, named by shape and type (bold, hatched, dashed), not by
    colour alone, so that it holds in a greyscale print."""
    return label(f"左：报告所述（{industry}：成交增长超过图9的门槛且为冠军，幅度未给出）；右：国家统计局各商品类别 "
                 f"{year} 年全年增长；本项目判断与{industry}对应的类别名称前标{MAPPED_MARK}、柱为橙色带斜线（数据缺口则无柱，写“缺口”），"
                 "竖虚线为图9的门槛",
                 f"Left: what the report names ({industry}: turnover growth above Figure 9's threshold and the "
                 f"champion, size not given); right: NBS category growth in {year}; the categories this project "
                 f"matches to it are marked {MAPPED_MARK} and their bars orange with hatching (a gap has no bar and reads 'gap'); dashed vertical "
                 "line: Figure 9's threshold", language)


# labels of 图9 sit above its threshold line (zorder), each in an opaque box: the line never strikes a word
_ABOVE_LINE = {"bbox": LABEL_BOX, "zorder": 4}
_LINE_Z = 1.5
MAPPED_MARK = "▶"


@stored_figure
def fig9_figure(statements: pd.DataFrame, all_categories: pd.DataFrame, highlight: list[str], year: int,
                title: str | None, language: str = "zh"):
    """图9: what the report names (装修定制: turnover growth ≥ the figure's threshold,
    rank 1, no magnitude) next to every NBS category's full-year growth, the
    categories mapped to 装修定制 in bold with hatched bars and the threshold drawn.
    The left panel takes more than 40% of the width: its sentences are set at print size."""
    rows = statements[statements["figure"] == "图9"]
    bounds = rows[rows["nature"] == "lower_bound"]
    if bounds.empty:
        raise ValueError("图9 needs its threshold statement (a lower bound)")
    threshold = float(bounds["lower"].iloc[0])
    n = len(all_categories)
    fig, (left, right) = new_subplots(1, 2, 5.0, gridspec_kw={"width_ratios": [1.6, 1]})
    xmax = max(threshold + 15, float(all_categories["yoy_pct"].max(skipna=True) or 0) + 5)
    room = axes_width_pt(left) * 0.95  # a label's width: inside the left panel
    # left: only what the report says
    for sid, row in bounds.iterrows():
        _draw_statement(left, 1, sid, row, xmax, 0, language)
    for sid in rows.index[rows["nature"] == "ranking"]:
        t = left.text(0.03, 0.25, wrap(label("成交增幅冠军（第1名，幅度未给出）", "turnover-growth champion (rank 1, size not given)",
                                             language), room, TITLE), fontsize=TITLE, ha="left", va="center", color=UP,
                      transform=left.get_yaxis_transform(), **_ABOVE_LINE)
        t.set_gid(f"label:{sid}")
    left.text(0.03, -0.55, wrap(label("图9中的其他行业：报告正文未列出", "other industries of Figure 9: not named in the text",
                                      language), room, BODY), fontsize=BODY, color="#666666", va="center",
              transform=left.get_yaxis_transform(), **_ABOVE_LINE)
    left.text(0.03, 1.6, wrap(_industry(rows.iloc[0], language), room, TITLE), fontsize=TITLE, va="center",
              transform=left.get_yaxis_transform(), **_ABOVE_LINE)
    for t in left.texts:  # the bound's own label too (drawn by _draw_statement)
        t.set_zorder(_ABOVE_LINE["zorder"])
        if t.get_bbox_patch() is None:
            t.set_bbox(LABEL_BOX)
    left.axvline(threshold, color="#a0522d", ls="--", lw=1, zorder=_LINE_Z)
    left.set_xlim(0, xmax)
    left.set_ylim(-0.9, 1.9)
    left.set_yticks([])
    fit_xlabel(left, label("平台成交额同比增长（%）", "platform turnover growth (%)", language), TITLE)
    fit_title(left, label("报告所述（阿里巴巴平台）", "What the report names (Alibaba platforms)", language), TITLE)
    # right: NBS categories; a free row above the top one carries the threshold's label
    ys = np.arange(n)[::-1]
    for y, (_, c) in zip(ys, all_categories.iterrows()):
        mapped = c["indicator"] in highlight
        if pd.notna(c["yoy_pct"]):
            bar = right.barh(y, c["yoy_pct"], height=0.6, color=UP if mapped else "#9fb7c9",
                             hatch="////" if mapped else None, edgecolor="#333333" if mapped else "none", lw=0.6)
            bar.patches[0].set_gid(f"official:{c['indicator']}")
            right.text(c["yoy_pct"] + (0.3 if c["yoy_pct"] >= 0 else -0.3), y, signed(c["yoy_pct"]), va="center",
                       ha="left" if c["yoy_pct"] >= 0 else "right", fontsize=SMALL, **_ABOVE_LINE)
        else:  # the word alone: a marker beside it would print over it
            right.text(0.4, y, label("缺口", "gap", language), va="center", ha="left", fontsize=SMALL, color="#666666",
                       gid=f"gap:{c['indicator']}", **_ABOVE_LINE)
    right.axvline(threshold, color="#a0522d", ls="--", lw=1, zorder=_LINE_Z)
    right.text(threshold, n + 0.05, label(f"图9门槛 {threshold:g}%", f"Figure 9 threshold {threshold:g}%", language),
               fontsize=BODY, color="#a0522d", ha="center", va="center", **_ABOVE_LINE)
    right.axvline(0, color="#666666", lw=0.8, zorder=_LINE_Z)
    # a mapped category's name: MAPPED_MARK before it (the font has no bold; the mark survives greyscale)
    right.set_yticks(ys, [(MAPPED_MARK + " " if c["indicator"] in highlight else "")
                          + _wrap(_category(c["indicator"], c["category_zh"], language), language, 36)
                          for _, c in all_categories.iterrows()], fontsize=BODY if language == "zh" else SMALL)
    for tick, (_, c) in zip(right.get_yticklabels(), all_categories.iterrows()):
        if c["indicator"] in highlight:
            tick.set_color(UP)
    lo = min(0.0, float(all_categories["yoy_pct"].min(skipna=True)) - 2) if all_categories["yoy_pct"].notna().any() else 0
    right.set_xlim(lo, xmax)
    right.set_ylim(-0.7, n + 0.6)
    right.grid(axis="y", visible=False)  # each row's value sits on its centre line
    fit_xlabel(right, label(f"国家统计局限额以上商品零售额 {year}年全年同比增长（%）",
                            f"NBS above-size retail sales, {year} full-year growth (%)", language), BODY)
    fit_title(right, label(f"官方：商品类别（{MAPPED_MARK}、斜线柱 = 对应的类别）",
                           f"NBS categories ({MAPPED_MARK}, hatched = matched)", language), TITLE)
    if title:
        fig.suptitle(title, fontsize=TITLE)
    drawn = all_categories[["indicator", "category_zh", "yoy_pct"]].assign(
        mapped=all_categories["indicator"].isin(highlight), threshold_pct=threshold)
    return fig, pd.concat([_drawn(rows), drawn], ignore_index=True)
