"""Figures of 一(三): the cumulative-growth argument, derived periods with their
rounding bands, the lifts with their intervals, the promotion periods' share."""

from __future__ import annotations

import calendar

import numpy as np
import pandas as pd

from ...figstore import stored_figure
from ...plotting import (BODY, GAP_COLOR, LABEL_BOX, MARKERS, PALETTE, PRINT_WIDTH, SMALL, TITLE, fit_title, fit_xlabel,
                         label, new_figure, new_subplots, series_style, signed, wrap)

from .analysis import series_name


@stored_figure
def promotion_cumulative_growth(table: pd.DataFrame, threshold: float, title: str | None, language: str):
    """The report's argument: the year's cumulative online growth, with the
    level it says growth never returned above (read from the ledger)."""
    fig, ax = new_figure(height=3.0)
    x = np.arange(len(table))
    ax.plot(x, table["cum_yoy_pct"], marker="o", color=PALETTE[0])
    for xi, v in zip(x, table["cum_yoy_pct"]):
        if pd.notna(v):
            ax.text(xi, v + 0.15, signed(v, ".1f"), ha="center", va="bottom", fontsize=BODY, bbox=LABEL_BOX)
    ax.axhline(threshold, color=GAP_COLOR, ls="--", lw=1)
    ax.text(x[-1], threshold + 0.1, f"{signed(threshold)}%", ha="right", va="bottom", fontsize=BODY, color="#555555",
            bbox=LABEL_BOX)
    labels = [f"1-{m}月" if language == "zh" else "Jan–" + calendar.month_abbr[m] for m in table["months"]]
    ax.set_xticks(x, labels, fontsize=BODY)
    ax.set_ylabel(label("累计同比增长（%）", "cumulative YoY growth (%)", language))
    if title:
        fit_title(ax, title, TITLE)
    return fig, table.assign(threshold_pct=threshold)


def _month_axis(ax, language: str) -> None:
    ax.set_xticks(range(1, 13), [label(f"{m}月", calendar.month_abbr[m], language) for m in range(1, 13)],
                  fontsize=BODY)
    ax.set_xlim(0.4, 12.6)


def _steps(ax, rows: pd.DataFrame, value: str, low: str, high: str, color: str, name: str, ls="-") -> None:
    """Each derived period as a step across its months, its rounding range as a band."""
    edges = np.r_[rows["start_month"].to_numpy(float) - 0.5, rows["month"].to_numpy(float)[-1] + 0.5]
    gaps = rows["start_month"].to_numpy()[1:] != rows["month"].to_numpy()[:-1] + 1
    if gaps.any():  # periods are contiguous within a year (cuts); say so if not
        raise ValueError("derived periods of a year must be contiguous")
    ax.stairs(rows[value].to_numpy(float), edges, baseline=None, color=color, lw=1.6, ls=ls, label=name)
    ax.fill_between(edges, np.r_[rows[low], rows[low].iloc[-1]], np.r_[rows[high], rows[high].iloc[-1]],
                    step="post", color=color, alpha=0.25, lw=0)


@stored_figure
def promotion_single_months(panel: pd.DataFrame, promotion_months: list[int], title: str, language: str):
    """Derived periods by year: share of the year per month (top) and growth
    (bottom), each period a step across its months, its range under the
    printed rounding a band; promotion months shaded."""
    fig, axes = new_subplots(2, 1, 4.9, sharex=True)
    data = panel.assign(share_per_month=panel["share_of_year"] / panel["months"],
                        share_per_month_low=panel["share_low"] / panel["months"],
                        share_per_month_high=panel["share_high"] / panel["months"])
    panels = [("share_per_month", "share_per_month_low", "share_per_month_high",
               label("每月占全年比重（%）", "share of the year per month (%)", language)),
              ("yoy_pct", "yoy_low", "yoy_high", label("同比增长（%）", "YoY growth (%)", language))]
    handles = {}
    for ax, (value, low, high, ylabel) in zip(axes, panels):
        for m in promotion_months:
            ax.axvspan(m - 0.5, m + 0.5, color="#fdebd0", zorder=0)
        for i, (year, rows) in enumerate(data.groupby("year")):
            rows = rows.dropna(subset=[value]).sort_values("month")
            if not rows.empty:
                style = series_style(i)  # no markers on steps: colour and line style
                _steps(ax, rows, value, low, high, style["color"], str(year), style["linestyle"])
        ax.set_ylabel(ylabel, fontsize=TITLE)
        handles.update(zip(*reversed(ax.get_legend_handles_labels())))
    if handles:  # one legend for both panels, beside them (it would hide a step inside)
        years = sorted(handles)
        fig.legend([handles[y] for y in years], years, loc="outside right upper", fontsize=BODY)
    _month_axis(axes[1], language)
    axes[0].set_title(title, fontsize=TITLE)
    drawn = data[["year", "start_month", "month", "months", "share_per_month", "share_per_month_low",
                  "share_per_month_high", "yoy_pct", "yoy_low", "yoy_high"]]
    return fig, drawn.reset_index(drop=True)


@stored_figure
def promotion_lifts(lifts: pd.DataFrame, names: dict[str, str], unit_label: str, notes: dict[str, str], title: str,
                    language: str):
    """The lift per year and promotion, with its interval (rounding included);
    n beside each estimate; where there is no interval (too few observations,
    HC3 undefined, …) a hollow marker and the note for its status."""
    fig, ax = new_figure(height=3.2)
    if lifts.empty:
        ax.text(0.5, 0.5, label("数据不足，无法估计", "not enough data to estimate", language),
                ha="center", va="center", transform=ax.transAxes)
        return fig, lifts
    keys = list(dict.fromkeys(lifts["promotion"]))
    offsets = np.linspace(-0.2, 0.2, len(keys)) if len(keys) > 1 else [0.0]
    for k, (key, dx) in enumerate(zip(keys, offsets)):
        rows = lifts[lifts["promotion"] == key]
        x = rows["year"].to_numpy(float) + dx
        ok = rows["status"].eq("ok").to_numpy()
        color, marker = PALETTE[k % len(PALETTE)], MARKERS[k % len(MARKERS)]
        ax.errorbar(x[ok], rows["estimate"][ok], yerr=[(rows["estimate"] - rows["low"])[ok],
                                                       (rows["high"] - rows["estimate"])[ok]],
                    fmt=marker, color=color, capsize=3, label=names.get(key, key))
        ax.scatter(x[~ok], rows["estimate"][~ok], marker=marker, facecolors="none", edgecolors=color)
        for xi, (_, r) in zip(x, rows.iterrows()):
            text = f"n={r['n']}" + ("" if r["status"] == "ok" else f"\n{notes.get(r['status'], r['status'])}")
            top = r["high"] if r["status"] == "ok" else r["estimate"]
            # clear of the error bar's cap (half its width is 3 points; the line is ~1.5 points)
            ax.annotate(text, (xi, top), textcoords="offset points", xytext=(0, 6), ha="center", va="bottom",
                        fontsize=SMALL, color=color, bbox=LABEL_BOX)
    ax.axhline(0, color="#777777", lw=1)
    years = sorted(lifts["year"].unique())
    ax.set_xticks(years, [str(y) for y in years])
    ax.set_ylabel(unit_label, fontsize=TITLE)
    fit_title(ax, title, TITLE)
    fig.legend(*ax.get_legend_handles_labels(), loc="outside right upper", fontsize=BODY)
    return fig, lifts


@stored_figure
def period_share_figure(table: pd.DataFrame, names: dict[str, str], spans: dict[str, str], title: str,
                        language: str):
    """Share of the year's sales in each promotion's period, by year, all and
    physical-goods online (rounding range as error bars); the share the period
    would hold in a flat year stands in each panel's title."""
    keys = list(dict.fromkeys(table["promotion"]))
    fig, axes = new_subplots(1, max(len(keys), 1), 3.2, squeeze=False)
    axes = axes[0]
    if table.empty:
        axes[0].text(0.5, 0.5, label("数据不足", "not enough data", language), ha="center", va="center",
                     transform=axes[0].transAxes)
        return fig, table
    for ax, key in zip(axes, keys):
        rows = table[table["promotion"] == key]
        for i, (name, grp) in enumerate(rows.groupby("series", sort=False)):
            grp = grp.sort_values("year")
            ax.errorbar(grp["year"], grp["share_pct"], yerr=[grp["share_pct"] - grp["low"],
                                                             grp["high"] - grp["share_pct"]],
                        capsize=3, **series_style(i + 1), label=series_name(name, language))
        years = sorted(rows["year"].unique())
        ax.set_xticks(years, [str(y) for y in years], fontsize=BODY)
        flat = label(f"平坦年份 {rows['neutral_pct'].iloc[0]:.1f}%", f"flat year {rows['neutral_pct'].iloc[0]:.1f}%",
                     language)
        fit_title(ax, f"{names.get(key, key)}\n{spans.get(key, '')}（{flat}）" if language == "zh"
                     else f"{names.get(key, key)}\n{spans.get(key, '')} ({flat})", TITLE)
        ax.set_ylabel(label("占全年比重（%）", "share of the year (%)", language), fontsize=BODY)
    axes[0].legend(fontsize=SMALL, loc="best")
    fig.suptitle(title, fontsize=TITLE)
    return fig, table


@stored_figure
def placebo_figure(table: pd.DataFrame, rows: dict[tuple[str, str], str], unit_label: str, title: str,
                   language: str):
    """The change of the lift per year of each promotion (diamond, with its
    interval) among the same estimate for the periods without a promotion
    (placebos, grey dots): one line per comparison and promotion (`rows`:
    (comparison, promotion) -> its label, top to bottom)."""
    fig, ax = new_figure(height=1.0 + 0.42 * max(len(rows), 1))
    if table.empty or not rows:
        ax.text(0.5, 0.5, label("数据不足，无法估计", "not enough data to estimate", language),
                ha="center", va="center", transform=ax.transAxes)
        return fig, table
    keys = list(rows)
    for i, key in enumerate(keys):
        y = len(keys) - 1 - i
        part = table[(table["comparison"] == key[0]) & (table["promotion"] == key[1])]
        placebo, own = part[part["kind"] == "placebo"], part[part["kind"] == "promotion"]
        ax.scatter(placebo["estimate"], np.full(len(placebo), y), color="#9e9e9e", s=18, zorder=2,
                   label=label("不含大促的期间（安慰剂）", "periods without a promotion (placebos)", language)
                   if i == 0 else None)
        for _, r in own.iterrows():
            ax.errorbar([r["estimate"]], [y], xerr=[[r["estimate"] - r["low"]], [r["high"] - r["estimate"]]],
                        fmt="D", color=PALETTE[0], capsize=3, zorder=3,
                        label=label("大促期间（区间含舍入）", "promotion period (interval, rounding included)",
                                    language) if i == 0 else None)
    ax.axvline(0, color="#777777", lw=1)
    ax.set_yticks(range(len(keys)), [rows[k] for k in reversed(keys)], fontsize=BODY)
    ax.set_ylim(-0.6, len(keys) - 0.4)
    fit_xlabel(ax, unit_label, TITLE)
    fig.suptitle(wrap(title, 0.95 * PRINT_WIDTH * 72, TITLE), fontsize=TITLE)  # over the row labels too
    fig.legend(*ax.get_legend_handles_labels(), loc="outside lower center", ncol=2, fontsize=SMALL)  # never over a dot
    return fig, table
