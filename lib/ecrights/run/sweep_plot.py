"""summary.png of a sweep: every output over the swept parameters, never misleading.

- the first swept parameter with numeric values on the x axis (a named default such as
  two_component at the number it stood for, labelled with both), the next one as series (each
  with its own marker and line style), every further parameter as a facet (one panel per
  combination of their values): no two variants ever share a point;
- a parameter that changes what an output measures (its unit or description, e.g. the promotion
  section's `outcome`) is always a facet, so two measures never share an axis; each panel's y axis
  names its output and unit;
- categorical results (verdicts) as a coloured grid of x × series, each cell labelled;
- intervals as error bars; the default variant ringed (a black outline in a grid), the default
  value of the x parameter marked on the axis, the default series and facet labelled "(default)";
- tick labels rotated or thinned where they would overlap; a claim's value (and band) where the
  sweep names one under `references`.
"""

from __future__ import annotations

import itertools
import json
import math
import os
import textwrap
from pathlib import Path

import matplotlib
import matplotlib.pyplot as plt
from matplotlib.patches import Patch, Rectangle
from matplotlib.ticker import MaxNLocator

from .. import params as params_mod
from ..formats import unit_label
from ..plotting import PALETTE, new_figure, save
from .sweep_summary import cell_value, named_value

MARKERS = ["o", "s", "^", "D", "v", "P", "X", "*"]
LINESTYLES = ["-", "--", "-.", ":"]
MAX_COLUMNS = 4
# summary.png and the tornado charts are read on screen (a sweep can have a dozen panels): saved at this
# resolution whatever the house style's print resolution is
SCREEN_DPI = 130
GREY = "#7f8c8d"


def _parsed(text):
    if not isinstance(text, str):
        return text
    try:
        return json.loads(text)
    except ValueError:
        return text


def _is_number(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and not (
        isinstance(value, float) and math.isnan(value))


def _natural(values: list) -> list:
    """Numbers in numeric order (1, 2, 6, 12, not 1, 12, 2, 6); anything else as first seen."""
    distinct = list(dict.fromkeys(json.dumps(v, sort_keys=True) for v in values))
    parsed = [json.loads(d) for d in distinct]
    if parsed and all(_is_number(v) for v in parsed):
        return sorted(parsed)
    return parsed


def _measure_keys(plan, table, ran: list[dict]) -> list[str]:
    """Swept parameters that change what an output measures: declared so beside the parameter (choice(...,
    measure=True)), or seen to change an output's unit or description. Facets, always."""
    out = [plan.display(key) for key, (scope, name) in plan.keys.items()
           if scope != params_mod.SHARED and name in params_mod.measure_fields(params_mod.MODELS[scope])
           and plan.display(key) in plan.swept]
    for o in table.outputs:
        measures = {table.measures.get((r["variant_id"], o)) for r in ran} - {None}
        if len(measures) < 2:
            continue
        for k in plan.swept:  # the first parameter that alone determines the measure
            groups: dict = {}
            for r in ran:
                m = table.measures.get((r["variant_id"], o))
                if m is not None:
                    groups.setdefault(r[k], set()).add(m)
            if all(len(g) == 1 for g in groups.values()):
                out.append(k)
                break
    return list(dict.fromkeys(out))


def layout(plan, table, ran: list[dict]):
    """(x_key, series_key, facet_keys, positions): what goes where, and each x value's position."""
    swept = list(plan.swept)
    measure = _measure_keys(plan, table, ran)
    rest = [k for k in swept if k not in measure]

    def number(k, cell):
        v = _parsed(cell)
        return v if _is_number(v) else table.resolved.get((k, json.dumps(v)))

    numeric = [k for k in rest if all(_is_number(number(k, r[k])) for r in ran)]
    if rest:
        x_key = numeric[0] if numeric else rest[0]
    else:  # only parameters that change the measure: each its own panel, one point in each
        x_key = measure[-1]
    others = [k for k in rest if k != x_key]
    series_key = others[0] if others else None
    facets = [*measure, *others[1:]]
    x_values = _natural([_parsed(r[x_key]) for r in ran])
    numeric_x = all(_is_number(number(x_key, json.dumps(v) if not isinstance(v, str) else v)) for v in x_values)
    positions = {}
    for i, v in enumerate(x_values):
        positions[json.dumps(v)] = (number(x_key, json.dumps(v) if not isinstance(v, str) else v)
                                    if numeric_x else i)
    if numeric_x:  # named values sorted among the numbers
        x_values = sorted(x_values, key=lambda v: positions[json.dumps(v)])
    return x_key, series_key, facets, x_values, positions, numeric_x


def plot_summary(plan, sweep_dir: Path, table) -> Path | None:
    """summary.png (see summary_figure); None when nothing ran."""
    fig = summary_figure(plan, table)
    if fig is None:
        return None
    path = sweep_dir / "summary.png"
    tmp = sweep_dir / ".summary.png.tmp"
    try:  # whole or not at all
        with matplotlib.rc_context({"savefig.dpi": SCREEN_DPI}):
            save(fig, tmp)
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
        plt.close(fig)
    return path


def _categorical(values: list) -> bool:
    present = [v for v in values if v not in ("", None)]
    return bool(present) and all(not _is_number(cell_value(v)) for v in present)


def summary_figure(plan, table):
    """The figure described in the module's docstring; None when nothing ran."""
    ran = [r for r in table.rows if r["status"] in ("done", "cached")]
    if not ran or not plan.swept:
        return None
    x_key, series_key, facet_keys, x_values, position, numeric_x = layout(plan, table, ran)
    series_values = _natural([_parsed(r[series_key]) for r in ran]) if series_key else [None]
    combos = [c for c in itertools.product(*[_natural([_parsed(r[k]) for r in ran]) for k in facet_keys])
              if any(all(_parsed(r[k]) == v for k, v in zip(facet_keys, c)) for r in ran)] or [()]
    defaults = plan.defaults
    default_series = defaults.get(series_key) if series_key else None

    outputs = table.outputs
    ncols = min(len(combos), MAX_COLUMNS)
    per_output = math.ceil(len(combos) / ncols)
    nrows = len(outputs) * per_output
    fig, first = new_figure(max(6.0, 4.2 * ncols), 1.2 + 3.1 * nrows)
    first.remove()
    legend: dict[str, object] = {}
    categories_seen: dict[str, str] = {}
    for p, output in enumerate(outputs):
        categorical = _categorical([r[output] for r in ran])
        categories = sorted({str(r[output]) for r in ran if r[output] not in ("", None)}) if categorical else []
        for c, combo in enumerate(combos):
            index = p * per_output * ncols + c + 1
            ax = fig.add_subplot(nrows, ncols, index)
            rows = [r for r in ran if all(_parsed(r[k]) == v for k, v in zip(facet_keys, combo))]
            parts = [f"{k} = {_shown(table, k, v)}" for k, v in zip(facet_keys, combo)]
            facet_title = (", " if sum(map(len, parts)) < 45 else "\n").join(parts)
            if combo and all(v == defaults.get(k) for k, v in zip(facet_keys, combo)):
                facet_title += " (default)"
            if categorical:
                _grid(ax, rows, output, x_key, series_key, x_values, series_values, categories, table, legend,
                      categories_seen)
            else:
                _lines(ax, rows, output, x_key, series_key, x_values, series_values, position, numeric_x,
                       default_series, table, legend, defaults)
            _x_axis(ax, fig, ncols, x_key, x_values, position, numeric_x, table, categorical)
            unit = unit_label(_panel_unit(table, output, rows), "en")  # the figure's words are English
            ax.set_ylabel(textwrap.fill(f"{output}" + (f" ({unit})" if unit else ""), 40), fontsize=8)
            ax.set_title(f"{output}" + (f"\n{facet_title}" if facet_title else ""), fontsize=8.5)
            ax.tick_params(labelsize=7)
    for name, colour in categories_seen.items():
        legend.setdefault(f"{name}", Patch(facecolor=colour, edgecolor="black", linewidth=0.5, label=name))
    if legend:  # one legend for every panel, below them; long labels wrapped, one column, so none is cut
        labels = [textwrap.fill(label, 48) for label in legend]
        long = any("\n" in label for label in labels)
        fig.legend(list(legend.values()), labels, loc="outside lower center", fontsize=7,
                   ncol=1 if long else min(2 if ncols == 1 else 3, len(legend)), frameon=False)
    assumed = plan.assumed()
    swept = list(plan.swept)
    if swept and set(swept) <= assumed:
        what = "assumed parameters varied"
    elif assumed & set(swept):
        what = "parameters varied; assumed: " + ", ".join(k for k in swept if k in assumed)
    else:
        what = "analysis choices varied, no assumption"
    where = ", ".join(plan.sections)
    facets = f"; panels: {', '.join(facet_keys)}" if facet_keys else ""
    if not any(r["default"] == "yes" for r in ran):  # "(default)" then marks default values, not a variant
        base = ", ".join(f"{k} = {v}" for k, v in plan.spec.base.items())
        facets += "; no variant runs with every default" + (f" (base: {base})" if base else "")
    fig.suptitle(textwrap.fill(f"sweep {plan.name}: {where} ({what}){facets}", 110), fontsize=10)
    return fig


def _shown(table, key, value) -> str:
    return named_value(key, value, table.resolved)


def _panel_unit(table, output, rows) -> str:
    units = {table.measures.get((r["variant_id"], output), ("", ""))[0] for r in rows} - {""}
    return next(iter(units)) if len(units) == 1 else table.units.get(output, "")


def _lines(ax, rows, output, x_key, series_key, x_values, series_values, position, numeric_x, default_series,
           table, legend, defaults):
    ring = None
    series = []
    for s, key in enumerate(series_values):
        mine = [r for r in rows if series_key is None or _parsed(r[series_key]) == key]
        points = sorted(((position[json.dumps(_parsed(r[x_key]))], r) for r in mine
                         if _is_number(cell_value(r[output]))), key=lambda t: t[0])
        if points:
            series.append((s, key, points))
    intervals = f"{output}_lower" in table.columns
    seen: dict = {}
    for _, _, points in series:
        for x, r in points:
            seen.setdefault(x, []).append(cell_value(r[output]))
    overlap = any(len(ys) != len({round(y, 9) for y in ys}) for ys in seen.values())
    span = (max(position.values()) - min(position.values())) if numeric_x and len(position) > 1 else 1
    for s, key, points in series:
        # coinciding points set apart; more when they carry intervals (bars must not hide each other)
        dodge = ((s - (len(series_values) - 1) / 2) * (0.04 if intervals else 0.012) * span
                 if (overlap or intervals) and len(series) > 1 else 0.0)
        xs = [x + dodge for x, _ in points]
        ys = [cell_value(r[output]) for _, r in points]
        label = None if key is None else (f"{series_key} = {_shown(table, series_key, key)}"
                                          + (" (default)" if key == default_series else ""))
        style = dict(marker=MARKERS[s % len(MARKERS)], linestyle=LINESTYLES[s % len(LINESTYLES)],
                     markersize=7 - min(s, 3), markerfacecolor="none" if s % 2 else None, label=label,
                     linewidth=1.4, alpha=0.9, color=f"C{s % 10}")
        if intervals:
            lower = [cell_value(r[f"{output}_lower"]) for _, r in points]
            upper = [cell_value(r[f"{output}_upper"]) for _, r in points]
            err = [[y - lo if _is_number(lo) else 0 for y, lo in zip(ys, lower)],
                   [hi - y if _is_number(hi) else 0 for y, hi in zip(ys, upper)]]
            handle = ax.errorbar(xs, ys, yerr=err, capsize=3, **style)
        else:
            handle, = ax.plot(xs, ys, **style)
        if label:
            legend.setdefault(label, handle)
        for x, y, (_, r) in zip(xs, ys, points):
            if r["default"] == "yes":
                ring, = ax.plot([x], [y], marker="o", markersize=13, markerfacecolor="none",
                                markeredgecolor="black", linestyle="none", zorder=5, label="default parameters")
    values = [cell_value(r[output]) for r in rows]
    blank = sum(not _is_number(v) for v in values)
    if blank == len(values):
        ax.text(0.5, 0.5, f"no values for {output}\n(see the note column of summary.csv)",
                ha="center", va="center", transform=ax.transAxes, fontsize=8, color=GREY)
    elif blank:
        ax.text(0.99, 0.01, f"no value in {blank} of {len(values)} variants (see summary.csv)",
                ha="right", va="bottom", transform=ax.transAxes, fontsize=7, color=GREY)
    numbers = [v for v in values if _is_number(v)]
    if numbers and all(float(v).is_integer() for v in numbers):
        ax.yaxis.set_major_locator(MaxNLocator(integer=True))  # counts: whole numbers
        if max(numbers) - min(numbers) < 2:  # room for whole-number ticks around a (near-)constant count
            ax.set_ylim(min(numbers) - 1, max(numbers) + 1)
    default_x = json.dumps(defaults.get(x_key))
    # the default's place on the axis: a swept value, or a named default's number (report_december = 0.09)
    at = position.get(default_x)
    if at is None and numeric_x:
        at = table.resolved.get((x_key, default_x))
    if at is not None:
        ax.axvline(at, color=GREY, linestyle=":", linewidth=1)
        named = defaults.get(x_key)
        text = "default" + (f" ({named} = {at:.3g})" if isinstance(named, str) and default_x not in position else "")
        ax.annotate(text, (at, 0.0), xycoords=("data", "axes fraction"),
                    fontsize=7, color=GREY, ha="left", va="bottom", xytext=(2, 2), textcoords="offset points")
    if ring is not None:
        legend.setdefault("default parameters", ring)
    ref = table.references.get(output)
    if ref is not None:
        line = ax.axhline(ref["value"], color="black", linewidth=1, linestyle="--", label=ref["label"])
        legend.setdefault(ref["label"], line)
        if ref["band"]:
            ax.axhspan(ref["value"] - ref["band"], ref["value"] + ref["band"], color=GREY, alpha=0.15)


def _grid(ax, rows, output, x_key, series_key, x_values, series_values, categories, table, legend, seen):
    """A categorical output: one cell per x value × series value, coloured by category and labelled."""
    colours = {c: seen.setdefault(c, PALETTE[len(seen) % len(PALETTE)]) for c in categories}
    for r in rows:
        x = x_values.index(_parsed(r[x_key]))
        y = series_values.index(_parsed(r[series_key])) if series_key else 0
        value = r[output]
        colour = colours.get(str(value), "white") if value not in ("", None) else "white"
        ax.add_patch(Rectangle((x - 0.5, y - 0.5), 1, 1, facecolor=colour, alpha=0.85,
                               edgecolor="black" if r["default"] == "yes" else "white",
                               linewidth=2.5 if r["default"] == "yes" else 1, zorder=2))
        ax.text(x, y, textwrap.fill(str(value) if value not in ("", None) else "—", 14), ha="center",
                va="center", fontsize=6.5, zorder=3)
        if r["default"] == "yes":
            legend.setdefault("default parameters (outlined cell)",
                              Rectangle((0, 0), 1, 1, facecolor="white", edgecolor="black", linewidth=2.5))
    ax.set_xlim(-0.5, len(x_values) - 0.5)
    ax.set_ylim(-0.5, len(series_values) - 0.5)
    ax.set_yticks(range(len(series_values)),
                  [f"{series_key} = {_shown(table, series_key, v)}" if series_key else "" for v in series_values])
    ax.grid(False)


def _x_axis(ax, fig, ncols, x_key, x_values, position, numeric_x, table, categorical):
    """Ticks at the swept values (never overlapping: rotated, then thinned), named values with their number."""
    labels = []
    for v in x_values:
        shown = _shown(table, x_key, v)
        if isinstance(v, str) and "(= " in shown:
            name, number = shown.split(" (= ")
            shown = f"{number.rstrip(')')}\n({name})"
        elif _is_number(v):
            shown = f"{v:g}"
        labels.append(shown)
    ticks = [position[json.dumps(v)] for v in x_values] if (numeric_x and not categorical) else list(range(len(x_values)))
    width_in = fig.get_figwidth() / ncols * 0.7
    span = (max(ticks) - min(ticks)) or 1
    if numeric_x and not categorical:  # every panel the same range, data or not (an empty one too)
        ax.set_xlim(min(ticks) - 0.06 * span, max(ticks) + 0.06 * span)
        span *= 1.12
    widths = [max(len(line) for line in label.split("\n")) * 0.06 for label in labels]  # inches at 7 pt
    order = sorted(range(len(ticks)), key=lambda i: ticks[i])
    crowded = any((ticks[j] - ticks[i]) / span * width_in < (widths[i] + widths[j]) / 2 + 0.05
                  for i, j in zip(order, order[1:]))
    rotation = 0
    if crowded:
        rotation = 90
        keep, last = [], None
        for i, t in enumerate(ticks):  # rotated labels need ~0.14 in each; thin the rest (keep their ticks)
            if last is None or (t - last) / span * width_in >= 0.14:
                keep.append(i)
                last = t
        labels = [label if i in keep else "" for i, label in enumerate(labels)]
    ax.set_xticks(ticks, labels, rotation=rotation, fontsize=7)
    ax.set_xlabel(x_key, fontsize=8)
