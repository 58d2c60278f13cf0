"""Figures of 二(一)(二): Figure 5 as what the published statistics imply, the
weights, the proactive scenarios, demand in public data. Every figure resting
on assumed parameters is stamped as such; each returns the data it draws."""

from __future__ import annotations

import textwrap

import matplotlib
from matplotlib import patheffects
import numpy as np
import pandas as pd
import matplotlib.pyplot as plt
from matplotlib.colors import ListedColormap
from matplotlib.lines import Line2D
from matplotlib.ticker import FuncFormatter
from matplotlib import dates as mdates
from matplotlib.patches import Patch, Rectangle

from ...figstore import stored_figure
from ...index_composition import IndexStatements, two_component_weights
from ...plotting import (BODY, LABEL_BOX, MARKERS, NOTE, PALETTE, PRINT_WIDTH, SMALL, TITLE, fit_title, fit_xlabel,
                         label, mark_assumption, new_figure, new_subplots, series_style, signed, use_house_style,
                         wrap)

STATED_COLOR, IMPLIED_COLOR, RANGE_COLOR, CONTEXT_COLOR = "black", PALETTE[1], "#a6cee3", "#e3e3e3"
FRAGILE_COLOR = PALETTE[0]
SCENARIO_COLORS = [PALETTE[k] for k in (0, 1, 4, 3)]
HATCHES = ["", "////", "\\\\\\\\", "...."]
FLAT_BAND = "#cfe6f5"  # 'basically flat': a pale blue band (no green beside red lines)


def _month_edges(start: str, end: str):
    """The first day of `start` and the first day after `end` (bars span whole months)."""
    return pd.Period(start, "M").to_timestamp(), (pd.Period(end, "M") + 1).to_timestamp()


def determined_caption(printed: str, figure_period: tuple[str, str], fragile: bool, language: str) -> str:
    """图5 for readers: its printed title, then what is drawn, named by shape and line style (a
    greyscale print keeps them apart; colour names would not)."""
    start, end = figure_period
    return label(f"{printed}。只画公开统计量所确定的：期间均值及其区间（实心黑条：统计量直接给出；虚线框：由统计量推出），"
                 "每月可能的范围（浅色柱；无上界的月份只画其下限短横和固定高度的空心三角，不画柱）"
                 + ("；交叉斜线为仅由一个读法存疑的统计量（其读法取决于来源未显示的内容）决定的月份" if fragile else "")
                 + f"；只画报告图5的时段 {start} 至 {end}；基期值为假设。这不是指数本身",
                 f"{printed}. Only what the published statistics determine: period means with their intervals "
                 "(solid black bars: stated by a statistic; dashed outlines: implied by them) and each month's "
                 "possible range (pale bars; a month with no upper bound is drawn as its lower-bound tick and an "
                 "open triangle at a fixed height, not as a bar)"
                 + ("; cross-hatched: months resting on one statistic of doubtful reading (its reading depends on what the "
                    "source does not show)" if fragile else "")
                 + f"; only Figure 5's period, {start} to {end}; the base value is assumed. This is not the index itself",
                 language)


@stored_figure
def index_determined(frame: pd.DataFrame, means: pd.DataFrame, figure_period: tuple[str, str], base: str,
                     base_value: float, language: str, fragile: list[str] | tuple = ()):
    """图5 for readers: only what the published statistics determine, over the report's figure period
    (`frame["in_figure5"]`; later months are the audit figure's context) — the period means with their
    intervals (stated: solid; implied: dashed outline), and each month's admissible band from every
    statistic, the months resting on a single fragile statistic marked (`fragile`: their 'YYYY-MM',
    analysis.months_on_one_fragile_statistic). No path: nothing a reader could take for the index
    itself. A month with no upper bound gets no bar (a bar would fill the plot as if it meant something):
    its lower bound as a tick and an open triangle at a fixed height. A bounded band taller than that
    height is cut there and ends in a filled triangle. Returns the figure and the data drawn."""
    fig, ax = new_figure(height=3.5)
    frame = frame[frame["in_figure5"].astype(bool)].reset_index(drop=True)
    p0, p1 = pd.Period(figure_period[0], "M"), pd.Period(figure_period[1], "M")
    means = means[[pd.Period(a, "M") <= p1 and pd.Period(b, "M") >= p0
                   for a, b in zip(means["period_start"], means["period_end"])]]
    x = pd.PeriodIndex(frame["month"], freq="M").to_timestamp() + pd.Timedelta(days=14)
    first, last = frame["month"].iloc[0], frame["month"].iloc[-1]
    ax.set_xlim(_month_edges(first, first)[0], _month_edges(last, last)[1])
    lower, upper = frame["lower"].to_numpy(dtype=float), frame["upper"].to_numpy(dtype=float)
    means_top = float(np.nanmax(np.r_[means["upper"].to_numpy(dtype=float), base_value])) if len(means) else base_value
    # the plot's top: room above the means that lie inside the period, and above any mean drawn
    inside_top = float(np.nanmax(np.r_[means.loc[[pd.Period(b, "M") <= p1 for b in means["period_end"]], "upper"]
                                       .to_numpy(dtype=float), base_value]))
    ceiling = max(inside_top * 1.6, means_top * 1.1)
    unbounded = ~np.isnan(lower) & ~np.isfinite(upper)
    shown = np.where(unbounded, np.nan, np.minimum(upper, ceiling))
    width = pd.Timedelta(days=22)
    bounded = ~unbounded
    ax.bar(x[bounded], (shown - lower)[bounded], bottom=lower[bounded], width=width, color=RANGE_COLOR, zorder=2,
           edgecolor="none", label=label("每月可能的范围（满足全部统计量的任何走势）",
                                         "each month's possible range (any series meeting all the statistics)",
                                         language))
    cut = bounded & ~np.isnan(lower) & (upper > ceiling)
    if cut.any():
        ax.plot(x[cut], np.full(cut.sum(), ceiling), ls="none", marker=6, ms=5, color="#4a4a4a", zorder=4,
                clip_on=False, label=label("范围超出图顶", "range runs past the top", language))
    if unbounded.any():
        ax.plot(x[unbounded], lower[unbounded], ls="none", marker="_", ms=7, mew=1.5, color="#4a4a4a", zorder=4,
                label=label("无上界的月份：下限", "month with no upper bound: its lower bound", language))
        ax.plot(x[unbounded], np.full(unbounded.sum(), ceiling), ls="none", marker="^", ms=5, mfc="white",
                mec="#4a4a4a", mew=1.0, zorder=4, clip_on=False,
                label=label("无上界（固定高度标记，非数值）", "no upper bound (marker at a fixed height, not a value)",
                            language))
    marked = np.isin(frame["month"].astype(str).to_numpy(), list(fragile))
    if (marked & bounded).any():
        ax.bar(x[marked & bounded], (shown - lower)[marked & bounded], bottom=lower[marked & bounded], width=width,
               color="none", edgecolor=FRAGILE_COLOR, hatch="xxx", lw=0.8, zorder=3,
               label=label("仅由一个读法存疑的统计量决定的月份", "month resting on one statistic of doubtful reading", language))
    if (marked & unbounded).any():  # no bar to hatch: its mark under the open triangle
        ax.plot(x[marked & unbounded], np.full((marked & unbounded).sum(), ceiling * 0.93), ls="none", marker="x",
                ms=4.5, mew=1.2, color=FRAGILE_COLOR, zorder=4,
                label=label("无上界且仅由一个读法存疑的统计量决定的月份", "no upper bound, resting on one statistic of doubtful reading",
                            language))
    halo = [patheffects.withStroke(linewidth=2.6, foreground="white")]  # apart from the pale bars in greyscale
    for _, m in means.iterrows():
        x0, x1 = _month_edges(m["period_start"], m["period_end"])
        height = max(m["upper"] - m["lower"], means_top * 0.012)  # a thin interval stays visible
        if m["stated"]:
            ax.add_patch(Rectangle((x0, m["lower"]), x1 - x0, height, facecolor=STATED_COLOR, edgecolor=STATED_COLOR,
                                   lw=0.8, zorder=5))
        else:
            ax.add_patch(Rectangle((x0, m["lower"]), x1 - x0, height, facecolor="none", edgecolor=IMPLIED_COLOR,
                                   lw=1.6, ls=(0, (4, 2)), zorder=5, path_effects=halo))
    bx0, bx1 = _month_edges(base, base)
    ax.plot([bx0 + (bx1 - bx0) / 2], [base_value], marker="D", color=PALETTE[3], mec="black", mew=0.6, ms=5,
            ls="none", zorder=6, label=label(f"基期 {base}（值 {base_value:g} 为假设）",
                                             f"base {base} (value {base_value:g} assumed)", language))
    handles, _ = ax.get_legend_handles_labels()
    handles += [Patch(facecolor=STATED_COLOR, edgecolor=STATED_COLOR,
                      label=label("报告统计量给出的期间均值（实心；高=印刷精度）",
                                  "period mean a statistic states (solid; height: its rounding)", language)),
                Line2D([], [], color=IMPLIED_COLOR, ls=(0, (4, 2)), lw=1.6,
                       label=label("统计量推出的期间均值（虚线框；最小–最大）",
                                   "period mean the statistics imply (dashed; min–max)", language))]
    ax.set_ylim(0, ceiling + 0.03 * ceiling)  # a little headroom above the highest bound
    ax.set_ylabel(label(f"指数（基期值 {base_value:g} 为假设）", f"index (base {base_value:g} assumed)", language))
    fig.legend(handles=handles, loc="outside lower center", ncol=2, fontsize=SMALL, frameon=False)
    if language == "zh":  # "2016年1月", not the ISO "2016-01", on a Chinese axis
        ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{mdates.num2date(v):%Y}年{mdates.num2date(v).month}月"))
    mark_assumption(ax, language)
    drawn = frame.assign(kind="month", fragile=marked, shown_upper=shown, unbounded=unbounded)
    period_rows = pd.DataFrame({"kind": "period_mean",
                                "month": [f"{a}..{b}" for a, b in zip(means["period_start"], means["period_end"])],
                                "lower": means["lower"], "upper": means["upper"], "constrained_by": means["statistics"],
                                "stated": means["stated"]})
    columns = ["kind", "month", "in_figure5", "lower", "upper", "shown_upper", "unbounded", "fragile", "binding_lower",
               "binding_upper", "constrained_by", "stated"]
    return fig, pd.concat([drawn, period_rows], ignore_index=True).reindex(columns=columns)


@stored_figure
def index_reconstruction(frame: pd.DataFrame, means: pd.DataFrame, figure_period: tuple[str, str], base: str,
                         base_value: float, language: str, conflict: list[str] | None = None):
    """图5 as the published statistics leave it: period means with their
    intervals (top), the admissible range of every month (bottom), one
    admissible path as an illustration, months after Figure 5's period greyed.
    No overall title: the report's caption carries the figure's number and
    title; each panel says what it shows. `conflict`: the conflicting
    constraints as the reader names them (when the set is empty).

    `frame`: per month (analysis.figure5_frame); `means`: analysis.period_means.
    Returns the figure and the data drawn: the monthly rows (kind 'month') and
    the period means (kind 'period_mean', month = 'start..end').
    """
    fig, (top, bottom) = new_subplots(2, 1, 6.4, sharex=True, height_ratios=[1.15, 1])
    x = pd.PeriodIndex(frame["month"], freq="M").to_timestamp() + pd.Timedelta(days=14)
    first, last = frame["month"].iloc[0], frame["month"].iloc[-1]
    context_start = (pd.Period(figure_period[1], "M") + 1)
    has_context = context_start <= pd.Period(last, "M")
    for ax in (top, bottom):
        if has_context:
            ax.axvspan(context_start.to_timestamp(), _month_edges(last, last)[1], color=CONTEXT_COLOR, alpha=0.6,
                       zorder=0, lw=0)
        ax.set_xlim(*_month_edges(first, first)[:1], _month_edges(last, last)[1])
    lower, upper = frame["lower"].to_numpy(dtype=float), frame["upper"].to_numpy(dtype=float)
    path = frame["path"].to_numpy(dtype=float)
    feasible = not np.isnan(lower).all()

    # -- top: the period means the statements imply -------------------------
    tops = [base_value]
    # one line of SMALL text in index points: the top panel is ~40% of the figure's height and its
    # axis runs to ~1.25 × the highest mean (labels above it, headroom)
    highest = max(means["upper"].max() if len(means) else base_value, base_value)
    step = 1.25 * highest * (1.35 * SMALL) / (0.4 * fig.get_figheight() * 72)
    # labels avoid the bars, the dashed path and each other: (x from, x to, y low, y high) in days and index points
    taken = [(*(t.toordinal() for t in _month_edges(m["period_start"], m["period_end"])), m["lower"] - 0.2 * step,
              m["upper"] + 0.2 * step) for _, m in means.iterrows()]
    days = [t.toordinal() for t in x]
    for a, b, ya, yb in zip(days, days[1:], path, path[1:]):  # each segment of the path, as its box
        if np.isfinite(ya) and np.isfinite(yb):
            taken.append((a, b, min(ya, yb) - 0.25 * step, max(ya, yb) + 0.25 * step))
    axis_end = _month_edges(last, last)[1].toordinal()
    axis_start = _month_edges(first, first)[0].toordinal()
    days_per_pt = (axis_end - axis_start) / (0.88 * PRINT_WIDTH * 72)  # the axes take ~88% of the width
    for _, m in means.sort_values("upper").iterrows():
        x0, x1 = _month_edges(m["period_start"], m["period_end"])
        color = STATED_COLOR if m["stated"] else IMPLIED_COLOR
        height = max(m["upper"] - m["lower"], 0.0)
        top.add_patch(Rectangle((x0, m["lower"]), x1 - x0, height, facecolor=color, edgecolor=color, lw=1.8,
                                alpha=0.85, zorder=3))
        text = f"{m['lower']:.2f}–{m['upper']:.2f} ({m['statistics']})"
        # a label starts at the bar's start or ends at its end (never closer than 20 days to the axes'
        # right edge); its width in days from the axis' scale (a Latin character is ~0.55 em)
        width = days_per_pt * 0.55 * SMALL * len(text)
        end_at = min(x1.toordinal(), axis_end - 20)
        spans = [(end_at - width, end_at, "right")]
        if x0.toordinal() + width <= axis_end - 20:
            spans.insert(0, (x0.toordinal(), x0.toordinal() + width, "left"))
        # the first free line next to the bar: above it, else below it, then further out
        above = [m["upper"] + step * (0.3 + k) for k in range(40)]
        below = [m["lower"] - step * (1.3 + k) for k in range(40)]
        candidates = [(y, span) for pair in zip(above, below) for y in pair if y > 0 for span in spans]
        y, (start, end, align) = next(
            (y, span) for y, span in candidates
            if not any(a < span[1] and span[0] < b and y < hi and lo < y + step for a, b, lo, hi in taken))
        taken.append((start, end, y, y + step))
        top.text(pd.Timestamp.fromordinal(int(end_at)) if align == "right" else x0, y, text, fontsize=SMALL, color=color,
                 va="bottom", ha=align, zorder=4, bbox=LABEL_BOX)
        tops.append(y + step)
    bx0, bx1 = _month_edges(base, base)
    top.plot([bx0 + (bx1 - bx0) / 2], [base_value], marker="D", color=PALETTE[3], ms=7, ls="none", zorder=4,
             label=label(f"基期 {base}（报告只印基期月份；值 {base_value:g} 为假设）",
                         f"base {base} (the report prints the month; the value {base_value:g} is assumed)", language))
    if feasible:
        top.plot(x, path, color=PALETTE[0], lw=1.1, ls="--", zorder=2,
                 label=label("一条可行路径（仅为示意：月间变动总和最小者）",
                             "one admissible path (illustration only: least total month-to-month change)", language))
        tops.append(np.nanmax(path))
    handles, _ = top.get_legend_handles_labels()
    handles += [Patch(color=STATED_COLOR, label=label("统计量直接给出的期间均值（高度=印刷精度内的区间）",
                                                      "period mean a statistic states (height: its printed rounding)",
                                                      language)),
                Patch(color=IMPLIED_COLOR, label=label("由统计量推出的期间均值（可行集上的最小–最大）",
                                                       "period mean the statistics imply (min–max over the admissible set)",
                                                       language))]
    top.legend(handles=handles, fontsize=SMALL, loc="upper left")
    top.set_ylim(0, max(tops) * 1.12)
    top.set_ylabel(label(f"指数（基期值 {base_value:g} 为假设）", f"index (base value {base_value:g} assumed)", language))
    fit_title(top, wrap(label("统计量所确定的：期间均值（标注所依据的统计量 S#）；虚线仅为示意",
                             "What the statistics determine: period means (labelled with the statistics S# they rest "
                             "on); the dashed path is an illustration only", language), PRINT_WIDTH * 72, BODY), BODY)
    mark_assumption(top, language)

    # -- bottom: per month, the admissible range ----------------------------
    finite = np.isfinite(upper)
    ymax = (np.nanmax(upper[finite]) if finite.any() else np.nanmax(np.r_[lower, base_value])) * 1.08
    in_figure = frame["in_figure5"].to_numpy(dtype=bool)
    colors = np.where(in_figure, RANGE_COLOR, "#bdbdbd")
    width = pd.Timedelta(days=24)
    shown_upper = np.where(finite, upper, ymax)
    bottom.bar(x, shown_upper - lower, bottom=lower, width=width, color=colors, zorder=2,
               hatch=None, edgecolor="none")
    if (~finite & ~np.isnan(lower)).any():
        bottom.bar(x[~finite], (ymax - lower)[~finite], bottom=lower[~finite], width=width, color="none",
                   edgecolor="#6b6b6b", hatch="///", lw=0, zorder=3)
    exact = np.isclose(lower, upper)  # a month the constraints fix (the base): a tick, not an invisible bar
    if exact.any():
        bottom.scatter(x[exact], lower[exact], marker="_", s=120, color="#08519c", zorder=5, lw=2.5)
    if feasible:
        bottom.plot(x, path, color=PALETTE[0], lw=1.0, ls="--", zorder=4)
    bottom.set_ylim(0, ymax)
    bottom.set_ylabel(label("指数", "index", language))
    fit_title(bottom, wrap(label("每月的可行范围：满足全部所用统计量（在其印刷精度内）、基期值且指数≥0 的所有路径在该月取到的最低与最高值",
                                "Per month, the admissible range: lowest and highest value of any path meeting every "
                                "statistic used (within its printed rounding), the base value and index ≥ 0",
                                language), PRINT_WIDTH * 72, BODY), BODY)
    range_handles = [Patch(color=RANGE_COLOR, label=label("可行范围（图5时段）", "admissible range (Figure 5's period)",
                                                          language)),
                     Patch(facecolor="white", edgecolor="#6b6b6b", hatch="///",
                           label=label("统计量未给出上界（条形延伸出坐标轴）",
                                       "no upper bound from the statistics (bar runs off the axis)", language))]
    if has_context:
        range_handles.append(Patch(color=CONTEXT_COLOR, label=label(
            f"{context_start}起：图5时段之后，仅作背景（其统计量仍约束前面的月份）",
            f"from {context_start}: after Figure 5's period, context only (its statistics still constrain earlier "
            "months)", language)))
    bottom.legend(handles=range_handles, fontsize=SMALL, loc="upper center", bbox_to_anchor=(0.5, -0.12),
                  ncol=2 if language == "zh" else 1, frameon=False)
    if not feasible:
        text = label("不存在可行路径：以下约束相互矛盾：", "no admissible path: these constraints conflict: ", language)
        for ax in (top, bottom):
            ax.text(0.5, 0.5, text + "; ".join(conflict or []), transform=ax.transAxes, ha="center", va="center",
                    fontsize=BODY, wrap=True, color=PALETTE[0])

    monthly = frame.assign(kind="month")
    period_rows = pd.DataFrame({"kind": "period_mean",
                                "month": [f"{a}..{b}" for a, b in zip(means["period_start"], means["period_end"])],
                                "in_figure5": [pd.Period(a, "M") <= pd.Period(figure_period[1], "M")
                                               for a in means["period_start"]],
                                "lower": means["lower"], "upper": means["upper"],
                                "path": [_period_mean(frame, a, b) for a, b in zip(means["period_start"],
                                                                                   means["period_end"])],
                                "binding_lower": "", "binding_upper": "",
                                "constrained_by": means["statistics"],
                                "stated": means["stated"]})
    drawn = pd.concat([monthly, period_rows], ignore_index=True)
    columns = ["kind", "month", "in_figure5", "lower", "upper", "path", "binding_lower", "binding_upper",
               "constrained_by", "stated"]
    return fig, drawn.reindex(columns=columns)


def _period_mean(frame: pd.DataFrame, start: str, end: str) -> float:
    months = {str(p) for p in pd.period_range(start, end, freq="M")}
    return float(frame.loc[frame["month"].isin(months), "path"].mean())


@stored_figure
def index_weight_sensitivity(grid: pd.DataFrame, weights: tuple[float, float], statements: IndexStatements,
                             interval: tuple[float, float], language: str):
    """What the unnamed components must have done, over the weights; the
    two-component solution with its interval from the printed rounding."""
    s = statements
    fig, ax = new_figure(height=4.2)
    finite = grid[np.isfinite(grid["other_change"])]
    clipped = finite["other_change"].clip(-60, 60)
    sc = ax.scatter(finite["w_dispute"], finite["w_counterfeit"], c=clipped, cmap="cividis", s=12, vmin=-60, vmax=60)  # lightness runs with the value: reads in greyscale
    bar = fig.colorbar(sc, ax=ax, label=label("其余成分需变动（点）", "implied change of other components (points)", language))
    bar.solids.set_rasterized(False)  # vector in the PDF (matplotlib rasterizes a colorbar's many-colour fill)
    w = np.linspace(0, 1, 50)
    w_d2, w_c2 = two_component_weights(s)
    ax.plot(w, 1 - w, color="#555555", lw=0.8, ls="--")
    ax.plot(list(interval), [1 - interval[0], 1 - interval[1]], color="black", lw=4, solid_capstyle="butt",
            label=label(f"两成分解在印刷精度内的区间 w_d ∈ [{interval[0]:.3f}, {interval[1]:.3f}]",
                        f"two-component solutions within the printed rounding, w_d ∈ [{interval[0]:.3f}, "
                        f"{interval[1]:.3f}]", language))
    ax.plot([w_d2], [w_c2], marker="*", color="black", ms=12, ls="none",
            label=label("按印刷值的两成分解", "two-component solution at the printed values", language))
    ax.plot([weights[0]], [weights[1]], marker="o", mfc="none", mec=PALETTE[3], ms=12, mew=2, ls="none",
            label=label("当前假设权重", "currently assumed weights", language))
    fit_xlabel(ax, label("总纠纷率指数权重 w_d", "weight of the dispute-rate sub-index w_d", language))
    ax.set_ylabel(label("假货感知比率权重 w_c", "weight of counterfeit perception w_c", language))
    d, c, t = (signed(v, "+g") for v in (s.dispute_change, s.counterfeit_change, s.total_change))
    fit_title(ax, label(f"权重敏感性：{d} 与 {c} 如何合成 {t}", f"Weights: how {d} and {c} can make {t}", language), TITLE)
    ax.legend(fontsize=NOTE, loc="upper right")
    mark_assumption(ax, language)
    drawn = grid.assign(two_component_low=interval[0], two_component_high=interval[1])
    return fig, drawn


@stored_figure
def proactive_adjustment_figure(curves: pd.DataFrame, scenario_labels: dict[str, str], tolerance: float,
                                stated_share: float, language: str, share_range: tuple[float, float] | None = None):
    """Dispute-rate change without proactive cases against the stated share,
    one line per scenario (profile × 2018 adjustment); `share_range`: what
    the printed share may have been (its rounding), shaded."""
    fig, ax = new_figure(height=3.4)
    if share_range is not None and share_range[1] > share_range[0]:
        ax.axvspan(share_range[0] * 100, share_range[1] * 100, color="#e5e5e5", zorder=0,
                   label=label(f"印刷精度内的份额 {share_range[0]:.1%}–{share_range[1]:.1%}",
                               f"the share within its printed rounding, {share_range[0]:.1%}–{share_range[1]:.1%}",
                               language))
    for i, (scenario, rows) in enumerate(curves.groupby("scenario", sort=False)):
        # line style: with or without 2018's adjustment; marker and colour: the profile
        ax.plot(rows["share"] * 100, rows["adjusted_change"], color=SCENARIO_COLORS[i % len(SCENARIO_COLORS)],
                ls="-" if "adjusted" not in scenario else "--", marker=MARKERS[i % len(MARKERS)], ms=4,
                markevery=max(len(rows) // 8, 1), label=scenario_labels.get(scenario, scenario))
    ax.axhspan(-tolerance, tolerance, color=FLAT_BAND,
               label=label(f"“基本持平”读作 ±{tolerance:g} 点（假设）", f"'basically flat' read as ±{tolerance:g} points "
                           "(assumed)", language))
    ax.axvline(stated_share * 100, color="#555555", ls=":", lw=1,
               label=label(f"报告所给12月份额 {stated_share:.0%}", f"the report's December share {stated_share:.0%}",
                           language))
    fit_xlabel(ax, label("主动介入占当月纠纷的份额（报告给出的月份）（%）",
                        "proactive share of the month's disputes, in the month the report gives it (%)", language))
    ax.set_ylabel(label("剔除后纠纷率分指数同比变动（点）", "dispute-rate change without them (points)", language))
    ax.set_xlim(curves["share"].min() * 100, curves["share"].max() * 100)
    fit_title(ax, label("剔除主动介入后的纠纷率变动：各情景", "Dispute-rate change without proactive intervention, by "
                       "scenario", language), TITLE)
    ax.legend(fontsize=SMALL)
    mark_assumption(ax, language)
    return fig, curves


@stored_figure
def demand_by_month(online: pd.DataFrame, express: pd.Series, peak_months: list[int], language: str):
    """Public demand signals by month: derived single-month online sales as a
    share of their year, and express-delivery volume, with the report's index
    peak months shaded."""
    fig, (ax1, ax2) = new_subplots(1, 2, 3.0)
    for ax in (ax1, ax2):
        for m in peak_months:
            ax.axvspan(m - 0.5, m + 0.5, color="#fdebd0", zorder=0)
    single = online[(online["months"] == 1) | online["jan_feb"]].dropna(subset=["share_of_year"])
    drawn = []
    for i, (year, rows) in enumerate(single.groupby("year")):
        share = pd.Series(np.where(rows["jan_feb"], rows["share_of_year"] / 2, rows["share_of_year"]),
                          index=rows["month"]).reindex(range(2, 13))  # NaN breaks the line at a gap
        drawn += [{"series": "online_share_of_year", "year": year, "month": m, "value": v} for m, v in share.items()]
        ax1.plot(share.index, share.to_numpy(), ms=4, **series_style(i), label=str(year))
    ax1.set_ylabel(label("单月占全年比重（%）", "month's share of the year (%)", language), fontsize=TITLE)
    fit_title(ax1, label("网上零售额（由累计数推算；1-2月按月平均）", "Online retail (derived; Jan-Feb as a monthly mean)",
                        language), TITLE)
    ax1.legend(fontsize=SMALL)
    if not express.empty:
        for i, (year, s) in enumerate(express.groupby(express.index.year)):
            s = pd.Series(s.to_numpy(), index=s.index.month).reindex(range(1, 13))
            drawn += [{"series": "express_volume", "year": year, "month": m, "value": v} for m, v in s.items()]
            ax2.plot(s.index, s.to_numpy(), ms=4, **series_style(i), label=str(year))
        ax2.legend(fontsize=SMALL)
    else:
        ax2.text(0.5, 0.5, label("无月度数据", "no monthly data", language), transform=ax2.transAxes, ha="center")
    ax2.set_ylabel(label("快递业务量（亿件）", "express parcels (100 million)", language), fontsize=TITLE)
    fit_title(ax2, label("快递业务量（国家邮政局，当月）", "Express delivery volume (SPB, single months)", language), TITLE)
    for ax in (ax1, ax2):
        ax.set_xticks(range(1, 13), [str(m) for m in range(1, 13)], fontsize=SMALL)
        fit_xlabel(ax, label("月份（阴影：报告所说的指数高峰月）", "month (shaded: the report's index peak months)",
                            language), BODY)
    return fig, pd.DataFrame(drawn)


# Okabe–Ito sky blue / yellow / vermillion: no red/green pair, and three distinct greys in greyscale
VERDICT_COLORS = {"consistent": "#56B4E9", "undecided": "#F0E442", "not_flat": "#D55E00"}


@stored_figure
def flat_verdict_figure(sweep: pd.DataFrame, vmap: pd.DataFrame, question, scenario_labels: dict[str, str],
                        verdict_labels: dict[str, str], language: str):
    """Where '基本持平' holds. Top: per scenario, the dispute-rate change
    without proactive cases over the printed rounding (a band) against the
    assumed 2018 level, with the ±tolerance band and the assumed level range.
    Bottom: per scenario, the verdict at every (level, tolerance), the
    assumed box (level range × tolerance) outlined.

    `sweep`: analysis.level_sweep; `vmap`: analysis.verdict_map; `question`:
    analysis.FlatQuestion. Returns the figure and the data drawn (kind 'band'
    or 'map')."""
    use_house_style()
    scenarios = list(dict.fromkeys(sweep["scenario"]))
    fig = plt.figure(figsize=(PRINT_WIDTH, 6.2), layout="constrained")
    grid = fig.add_gridspec(2, len(scenarios), height_ratios=[1.25, 1])
    top = fig.add_subplot(grid[0, :])
    q, tol = question, question.tolerance
    assumed = label("假设", "assumed", language)
    top.axvspan(*q.level_range, color="#eeeeee", zorder=0,
                label=label(f"2018年水平的假设范围 {q.level_range[0]:g}–{q.level_range[1]:g}",
                            f"assumed range of the 2018 level, {q.level_range[0]:g}–{q.level_range[1]:g}", language))
    top.axhspan(-tol, tol, color=FLAT_BAND, zorder=1,
                label=label(f"“基本持平”读作 ±{tol:g} 点（假设）", f"'basically flat' read as ±{tol:g} points (assumed)",
                            language))
    top.axvline(q.level, color="#555555", ls=":", lw=1,
                label=label(f"2018年水平默认值 {q.level:g}（{assumed}）", f"default 2018 level {q.level:g} ({assumed})",
                            language))
    colors = SCENARIO_COLORS
    for i, name in enumerate(scenarios):
        rows = sweep[sweep["scenario"] == name]
        color = colors[i % len(colors)]
        # a hatch per scenario: the bands stay apart in greyscale
        top.fill_between(rows["level_2018"], rows["low"], rows["high"], facecolor=matplotlib.colors.to_rgba(color, 0.3),
                         edgecolor=color, hatch=HATCHES[i % len(HATCHES)], lw=0, label=scenario_labels.get(name, name))
        for col in ("low", "high"):
            top.plot(rows["level_2018"], rows[col], color=color, lw=0.8, ls="-" if "adjusted" not in name else "--")
    top.axhline(0, color="#999999", lw=0.6)
    fit_xlabel(top, label("2018年纠纷率分指数水平（假设；基期=100）", "2018 dispute-rate level (assumed; base = 100)",
                         language))
    top.set_ylabel(label("剔除主动介入后的变动（点）", "change without proactive cases (points)", language))
    fit_title(top, label("每个情景的条带：份额与变动在印刷精度内取值时变动的范围",
                        "Each scenario's band: the change as the share and the change range over their printed rounding",
                        language), TITLE)
    top.legend(fontsize=SMALL, loc="upper right", ncol=2)
    mark_assumption(top, language)

    codes = {v: k for k, v in enumerate(VERDICT_COLORS)}
    cmap = ListedColormap(list(VERDICT_COLORS.values()))
    levels = np.sort(vmap["level_2018"].unique())
    tolerances = np.sort(vmap["tolerance"].unique())
    for i, name in enumerate(scenarios):
        ax = fig.add_subplot(grid[1, i])
        rows = vmap[vmap["scenario"] == name].pivot(index="tolerance", columns="level_2018", values="verdict")
        rows = rows.reindex(index=tolerances, columns=levels)
        ax.pcolormesh(levels, tolerances, rows.map(codes.get).to_numpy(dtype=float), cmap=cmap, vmin=-0.5,
                      vmax=len(codes) - 0.5, shading="nearest", edgecolors="face", lw=0)  # vector: no raster in the PDF
        ax.plot(list(q.level_range), [tol, tol], color="black", lw=2.5, solid_capstyle="butt")
        ax.plot([q.level], [tol], marker="o", color="black", ms=4)
        title = scenario_labels.get(name, name)  # four titles side by side: two lines at most
        title = title.replace("，", "，\n") if language == "zh" else textwrap.fill(title, 30, break_on_hyphens=False)
        fit_title(ax, title, NOTE)
        fit_xlabel(ax, label("2018年水平", "2018 level", language), BODY)
        if i == 0:
            ax.set_ylabel(label("“基本持平”的容差（点）", "tolerance of 'basically flat' (points)", language), fontsize=BODY)
        ax.tick_params(labelsize=SMALL)
    handles = [Patch(color=c, label=verdict_labels.get(v, v)) for v, c in VERDICT_COLORS.items()]
    handles.append(plt.Line2D([], [], color="black", lw=2.5, marker="o", ms=4,
                              label=label("假设：2018年水平范围 × 容差（圆点：默认水平）",
                                          "assumed: range of the 2018 level × tolerance (dot: default level)",
                                          language)))
    for h in handles:  # two columns across the figure
        h.set_label(wrap(h.get_label(), 0.45 * PRINT_WIDTH * 72, SMALL))
    fig.legend(handles=handles, loc="outside lower center", ncol=2, fontsize=SMALL, frameon=False)

    drawn = pd.concat([sweep.assign(kind="band", tolerance=tol),
                       vmap.assign(kind="map", low=np.nan, high=np.nan)], ignore_index=True)
    return fig, drawn.reindex(columns=["kind", "scenario", "level_2018", "tolerance", "low", "high", "verdict"])
