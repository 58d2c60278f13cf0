"""Sweeps: one section run over a grid (or list) of parameter values.

A sweep file (params/sweeps/<name>.yaml; <name> names the sweep):

    section: index_trend
    description: what the sweep explores
    base: {proactive_months: 12}    # optional: fixed values for every variant
    grid:                           # cartesian product …
      weight_dispute_rate: [0.1, 0.18, 0.3]
      weight_counterfeit_perception: [0.5, 0.82]
    variants:                       # … and/or an explicit list
      - {proactive_share: 0.05}
    outputs: [implied_other_change] # result keys compared (the section's declared result_keys)
    references:                     # optional: a claim's value drawn across an output's panel
      dispute_change_without_proactive:
        claim: it_dispute_share_ex_proactive_flat_2019   # 基本持平
        band: flat_tolerance_points                      # ± this parameter around it
    skip_invalid: true              # drop grid points the parameter model rejects (listed in the summary)

Everything is checked before any variant runs: the parameters of every
variant against the section's model, the outputs against the section's
declared result keys (sections.py). Each variant runs as an ordinary task
into build/sweeps/<name>/<variant_id>/, sharing the content-addressed cache,
so a variant already computed (by an earlier sweep or the main build) is not
executed again. summary.csv tabulates the outputs (with interval bounds and
n when a result has them, and a note where a value is blank); summary.png
plots them.
"""

from __future__ import annotations

import csv
import hashlib
import itertools
import json
import math
import os
import re
import time
from dataclasses import dataclass, field
from fnmatch import fnmatchcase
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from .. import params as params_mod
from .. import sections
from ..csvsafe import neutralised
from ..errors import SectionFailed, shorten
from ..params import ParameterError, load_yaml_mapping

SWEEP_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]*")


class Reference(BaseModel):
    model_config = ConfigDict(extra="forbid")
    claim: str
    band: str | None = None  # a parameter: the band is claim value ± its value


class SweepSpec(BaseModel):
    model_config = ConfigDict(extra="forbid")
    section: str
    description: str = ""
    base: dict = Field(default_factory=dict)
    grid: dict[str, list] = Field(default_factory=dict)
    variants: list[dict] = Field(default_factory=list)
    outputs: list[str] = Field(min_length=1)
    references: dict[str, Reference] = Field(default_factory=dict)
    skip_invalid: bool = False


@dataclass
class Variant:
    variant_id: str
    overrides: dict
    params: object = None  # validated model instance
    error: str = ""


@dataclass
class SweepPlan:
    name: str
    spec: SweepSpec
    variants: list[Variant] = field(default_factory=list)
    defaults: dict = field(default_factory=dict)  # the section's parameters from params/defaults.yaml

    @property
    def valid(self) -> list[Variant]:
        return [v for v in self.variants if v.params is not None]

    @property
    def swept(self) -> list[str]:
        """Parameters that vary across variants, grid keys first."""
        keys = list(self.spec.grid) + [k for v in self.spec.variants for k in v if k not in self.spec.grid]
        return list(dict.fromkeys(keys))


def _variant_id(overrides: dict) -> str:
    text = json.dumps(overrides, sort_keys=True, ensure_ascii=False)
    slug = "_".join(f"{k}={v}" for k, v in sorted(overrides.items()))
    slug = "".join(c if c.isalnum() or c in "=._-" else "-" for c in slug)[:60]
    return f"{slug}-{hashlib.sha256(text.encode()).hexdigest()[:6]}"


def sweep_name(path: Path) -> str:
    """The file's stem, if it can name a directory under sweeps/ (no '..', no path)."""
    name = Path(path).name.removesuffix(".yaml").removesuffix(".yml")
    if not SWEEP_NAME.fullmatch(name) or ".." in name:
        raise ParameterError(f"{path}: the file name must give the sweep a name (letters, digits, '_', '-', '.'; "
                             f"not starting with a dot), e.g. params/sweeps/my_sweep.yaml; got {name!r}")
    return name


def declared(section, key: str) -> bool:
    return any(fnmatchcase(key, pattern) for pattern in section.result_keys)


def load_sweep(path: Path, defaults_file: Path | None = None) -> SweepPlan:
    """Read and check a sweep file; every variant validated before any runs.
    Raises ParameterError (exit 2) listing every problem found."""
    path = Path(path)
    name = sweep_name(path)
    raw = load_yaml_mapping(path)
    try:
        spec = SweepSpec(**raw)
    except ValidationError as exc:
        lines = [f"{path}: {'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors()]
        raise ParameterError("invalid sweep file:\n  " + "\n  ".join(lines)) from None
    if spec.section not in sections.SECTIONS:
        raise ParameterError(f"{path}: section {spec.section!r} unknown; expected one of {sections.names()}")
    section = sections.get(spec.section)
    model = params_mod.MODELS[spec.section]
    problems = []
    for key in dict.fromkeys(list(spec.grid) + [k for v in spec.variants for k in v] + list(spec.base)):
        if key == "language":
            problems.append(f"{spec.section}.language: the language is a build option: run the sweep with --lang")
        elif key not in model.model_fields:
            problems.append(f"{spec.section}.{key}: unknown parameter; expected one of {sorted(model.model_fields)}")
    for output in spec.outputs:
        if not declared(section, output):
            problems.append(f"outputs: {output!r} is not a result of {spec.section}; expected one of "
                            f"{list(section.result_keys)}")
    for output, ref in spec.references.items():
        if output not in spec.outputs:
            problems.append(f"references: {output!r} is not one of the outputs {spec.outputs}")
        if ref.band is not None and ref.band not in model.model_fields:
            problems.append(f"references.{output}.band: {ref.band!r} is not a parameter of {spec.section}")
        elif ref.band is not None and ref.band in spec.grid:
            problems.append(f"references.{output}.band: {ref.band!r} is swept; a band needs one value")
    if not spec.grid and not spec.variants:
        problems.append("a sweep needs a grid or a list of variants")
    empty = [k for k, values in spec.grid.items() if not values]
    if empty:
        problems.append(f"grid: no values for {empty}: the grid has no points")
    if problems:
        raise ParameterError(f"{path}: invalid sweep file:\n  " + "\n  ".join(problems))

    combos: list[dict] = []
    if spec.grid:
        keys = list(spec.grid)
        combos += [dict(zip(keys, values)) for values in itertools.product(*(spec.grid[k] for k in keys))]
    combos += [dict(v) for v in spec.variants]

    defaults = params_mod.resolve([spec.section], defaults_file)[spec.section].model_dump()
    plan = SweepPlan(name=name, spec=spec, defaults=defaults)
    for combo in combos:
        overrides = {**spec.base, **combo}
        variant = Variant(_variant_id(combo), overrides)
        try:
            variant.params = model(**{**defaults, **overrides})
        except ValidationError as exc:
            variant.error = "; ".join(e["msg"] for e in exc.errors())
        plan.variants.append(variant)
    invalid = [v for v in plan.variants if v.params is None]
    if invalid and (not spec.skip_invalid or not plan.valid):
        lines = [f"{shorten(v.overrides, 120)}: {v.error}" for v in invalid]
        why = ("every variant is invalid: nothing to run" if not plan.valid
               else "invalid variant(s) (skip_invalid: true would drop them)")
        raise ParameterError(f"{path}: {why}:\n  " + "\n  ".join(lines))
    return plan


# --------------------------------------------------------------------------
# Running
# --------------------------------------------------------------------------

def _is_default(v: Variant, defaults: dict) -> bool:
    """A variant is the default when every parameter it runs with is the default's, the sweep's
    `base` included (not only the swept keys)."""
    if v.params is not None:
        return v.params.model_dump() == defaults
    return all(value == defaults.get(k) for k, value in v.overrides.items())


def run_sweep(args) -> int:
    """Execute every valid variant of a sweep, then write and print its summary."""
    from . import build, lock, outdir, validation
    from .progress import Progress, print_failure, print_table
    from .session import Session, runtime_directory
    from .tasks import Planned, build_tasks, section_parameters

    plan = load_sweep(args.sweep)
    out_root = build.output_dir(args)
    pending = validation.begin(build.cache_root(out_root))
    sweep_dir = out_root / "sweeps" / plan.name
    section = sections.get(plan.spec.section)
    started = time.perf_counter()
    with runtime_directory() as runtime:
        planned = [Planned(section.name, section_parameters(v.params), sweep_dir / v.variant_id, v.variant_id)
                   for v in plan.valid]
        tasks = build_tasks(planned, language=args.lang, cache_root=build.cache_root(out_root), timeout=args.timeout,
                            forced=args.force is not None, runtime_dir=runtime,
                            validated_data=validation.snapshot_path(build.cache_root(out_root)),
                            draw_figures=bool(getattr(args, "sweep_figures", False)))
        with Session(tasks, args, pending) as session, lock.exclusive(sweep_dir):
            outdir.mark(out_root)
            skipped = [v for v in plan.variants if v.params is None]
            print(f"sweep {plan.name}: {len(tasks)} variant(s) of {section.name} into {sweep_dir}"
                  + (f", {len(skipped)} invalid grid point(s) skipped (listed in summary.csv)" if skipped else ""))
            session.interrupted_message = ("interrupted: variants that had finished are in place, running ones "
                                           "were stopped and queued ones never started; summary.csv and "
                                           "summary.png were not rewritten")
            outcomes = session.execute(Progress(tasks, noun="variant"))
            status = {v.variant_id: o.status for v, o in zip(plan.valid, outcomes)}
            table = summary_rows(plan, sweep_dir, status)
            summary = write_summary(plan, sweep_dir, status, table)
            figure = plot_summary(plan, sweep_dir, table)
    print()
    keys = plan.swept
    headers = ["variant", *keys, "status", *[c for c in table.columns if c in table.value_columns]]
    print_table(headers, [[r["variant_id"], *[r[k] for k in keys], r["status"],
                           *[_short(r[c]) for c in table.value_columns]] for r in table.rows])
    print(f"{len(outcomes)} variant(s), {sum(o.status == 'failed' for o in outcomes)} failed, "
          f"{sum(o.status == 'cached' for o in outcomes)} from cache, {time.perf_counter() - started:.1f} s in all")
    for note in table.notes:
        print(f"note: {note}")
    print(f"summary: {summary}" + (f"\nfigure: {figure}" if figure else ""))
    failed = [o for o in outcomes if o.status == "failed"]
    for o in failed:
        print_failure(o)
    if failed:
        raise SectionFailed(f"{len(failed)} variant(s) failed: {', '.join(o.label for o in failed)}")
    return 0


def _short(value) -> str:
    if isinstance(value, float):
        return f"{value:.6g}"
    return shorten(value, 40) if not isinstance(value, str) else value[:40]


# --------------------------------------------------------------------------
# Summary
# --------------------------------------------------------------------------

@dataclass
class SummaryTable:
    columns: list[str]
    value_columns: list[str]  # the outputs and their interval bounds / n
    rows: list[dict]
    units: dict[str, str]  # output -> unit (from the results)
    descriptions: dict[str, str]
    references: dict[str, dict]  # output -> {"value", "band", "label"}
    notes: list[str]


def _number(value):
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return None if isinstance(value, float) and math.isnan(value) else value


def summary_rows(plan: SweepPlan, sweep_dir: Path, status: dict[str, str]) -> SummaryTable:
    """One row per variant: its swept parameters, status, outputs (with interval
    bounds and n where a result has them) and a note for every blank output."""
    outputs = plan.spec.outputs
    results: dict[str, dict] = {}
    claims: dict[str, dict] = {}
    for v in plan.valid:
        path = sweep_dir / v.variant_id / "results" / f"{plan.spec.section}.json"
        if status.get(v.variant_id) in ("done", "cached") and path.is_file():
            payload = json.loads(path.read_text(encoding="utf-8"))
            results[v.variant_id] = payload.get("results", {})
            for c in payload.get("claims", []):
                claims.setdefault(c.get("claim_id"), c)
    has_interval = {o: any(isinstance(r.get(o), dict) and r[o].get("interval") for r in results.values())
                    for o in outputs}
    has_n = {o: any(isinstance(r.get(o), dict) and r[o].get("n") is not None for r in results.values())
             for o in outputs}
    value_columns = []
    for o in outputs:
        value_columns.append(o)
        if has_interval[o]:
            value_columns += [f"{o}_lower", f"{o}_upper"]
        if has_n[o]:
            value_columns.append(f"{o}_n")
    keys = plan.swept
    rows = []
    for v in plan.variants:
        row = {"variant_id": v.variant_id, **{k: _cell(v.overrides.get(k)) for k in keys},
               "default": "yes" if _is_default(v, plan.defaults) else "",
               "status": status.get(v.variant_id, "invalid" if v.error else "not run")}
        notes = [v.error] if v.error else []
        got = results.get(v.variant_id)
        for o in outputs:
            entry = got.get(o) if got is not None else None
            value = entry.get("value") if isinstance(entry, dict) else None
            row[o] = value if value is not None else ""
            interval = entry.get("interval") if isinstance(entry, dict) else None
            if has_interval[o]:
                row[f"{o}_lower"], row[f"{o}_upper"] = (interval if interval else ("", ""))
            if has_n[o]:
                n = entry.get("n") if isinstance(entry, dict) else None
                row[f"{o}_n"] = "" if n is None else n
            if got is None:
                continue
            if entry is None:
                notes.append(f"{o}: not recorded by this variant (the notebook records it only for some "
                             "parameter values)")
            elif value is None:
                notes.append(f"{o}: no value (the notebook recorded none: {entry.get('description', '')})".rstrip())
        if got is None and v.params is not None:
            notes.append("no results: the variant failed or did not run")
        row["note"] = "; ".join(notes)
        rows.append(row)

    units, descriptions = {}, {}
    for o in outputs:
        for r in results.values():
            if isinstance(r.get(o), dict):
                units.setdefault(o, r[o].get("unit") or "")
                descriptions.setdefault(o, r[o].get("description") or "")
    references = {}
    notes = []
    for o, ref in plan.spec.references.items():
        claim = claims.get(ref.claim)
        if claim is None or _number(claim.get("reported_value")) is None:
            if results:
                notes.append(f"reference {ref.claim} for {o}: not among {plan.spec.section}'s claims with a "
                             "number: no reference line drawn")
            continue
        band = plan.defaults.get(ref.band) if ref.band else None
        band = plan.valid[0].params.model_dump().get(ref.band, band) if ref.band and plan.valid else band
        quote = str(claim.get("quote", ""))
        # the band is a parameter; when that parameter is an assumption (a reading of the claim's
        # words, e.g. flat_tolerance_points for 基本持平) the label says so
        assumed = bool(plan.valid) and ref.band in type(plan.valid[0].params).assumptions()
        band_label = f" ± {band:g} ({ref.band}{', assumed' if assumed else ''})" if band else ""
        references[o] = {"value": claim["reported_value"], "band": band, "quote": quote, "assumed_band": assumed,
                         "label": f"claim {ref.claim}: {claim['reported_value']:g}{band_label}"}
    for o in outputs:
        blanks = sum(1 for r in rows if r["status"] in ("done", "cached") and r[o] == "")
        ran = sum(1 for r in rows if r["status"] in ("done", "cached"))
        if ran and blanks == ran:
            notes.append(f"{o} is blank in every variant (see the note column of summary.csv)")
        elif blanks:
            notes.append(f"{o} is blank in {blanks} of {ran} variants (see the note column of summary.csv)")
    columns = ["variant_id", *keys, "default", "status", *value_columns, "note"]
    return SummaryTable(columns, value_columns, rows, units, descriptions, references, notes)


def write_summary(plan: SweepPlan, sweep_dir: Path, status: dict[str, str],
                  table: SummaryTable | None = None) -> Path:
    """summary.csv: one row per variant — its parameters, status, outputs and notes."""
    from .collect import atomic_write

    table = table or summary_rows(plan, sweep_dir, status)
    import io

    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=table.columns, lineterminator="\n")
    writer.writeheader()
    for row in table.rows:
        writer.writerow(neutralised({k: ("" if row.get(k) is None else row.get(k)) for k in table.columns}))
    sweep_dir.mkdir(parents=True, exist_ok=True)
    return atomic_write(sweep_dir / "summary.csv", buffer.getvalue())


# --------------------------------------------------------------------------
# Figure
# --------------------------------------------------------------------------

MARKERS = ["o", "s", "^", "D", "v", "P", "X", "*"]
LINESTYLES = ["-", "--", "-.", ":"]


def _cell(value) -> str:
    """A parameter value in summary.csv: text as it is (no JSON quotes), anything else as JSON."""
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


def _parsed(text: str):
    try:
        return json.loads(text)
    except (TypeError, ValueError):
        return text


def _is_number(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _natural(values: list) -> list:
    """Numbers in numeric order (1, 2, 6, 12, not 1, 12, 2, 6); anything else as first seen."""
    distinct = list(dict.fromkeys(json.dumps(v, sort_keys=True) for v in values))
    parsed = [json.loads(d) for d in distinct]
    if parsed and all(_is_number(v) for v in parsed):
        return sorted(parsed)
    return parsed


def plot_summary(plan: SweepPlan, sweep_dir: Path, table: SummaryTable | None = None) -> Path | None:
    """summary.png (see summary_figure); None when nothing ran."""
    import matplotlib.pyplot as plt

    from ..plotting import save

    table = table or summary_rows(plan, sweep_dir, {})
    fig = summary_figure(plan, table)
    if fig is None:
        return None
    path = sweep_dir / "summary.png"
    tmp = sweep_dir / ".summary.png.tmp"
    try:  # whole or not at all
        save(fig, tmp)
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
        plt.close(fig)
    return path


def summary_figure(plan: SweepPlan, table: SummaryTable):
    """The outputs across the grid: one panel per output, over the first swept
    parameter (a numeric axis when its values are numbers), one series per
    value of the second, in natural order, each with its own marker and line
    style; interval results as error bars; the default marked; a claim's
    value (and band) where the sweep names one. None when nothing ran."""
    from ..plotting import new_figure

    ran = [r for r in table.rows if r["status"] in ("done", "cached")]
    swept = plan.swept
    if not ran or not swept:
        return None
    x_key, series_key = swept[0], (swept[1] if len(swept) > 1 else None)
    x_values = _natural([_parsed(r[x_key]) for r in ran])
    numeric_x = all(_is_number(v) for v in x_values)
    position = {json.dumps(v): (v if numeric_x else i) for i, v in enumerate(x_values)}
    series_values = _natural([_parsed(r[series_key]) for r in ran]) if series_key else [None]
    default_x = plan.defaults.get(x_key)
    default_series = plan.defaults.get(series_key) if series_key else None

    outputs = plan.spec.outputs
    n = len(outputs)
    fig, first = new_figure(max(6.0, 4.4 * n), 4.6)
    first.remove()
    legend: dict[str, object] = {}  # label -> handle, in the order they should be read
    for p, output in enumerate(outputs):
        ax = fig.add_subplot(1, n, p + 1)
        ring = None
        series = []  # (index, key, [(x, row)]) with a number to draw
        for s, key in enumerate(series_values):
            rows = [r for r in ran if series_key is None or _parsed(r[series_key]) == key]
            points = sorted(((position[json.dumps(_parsed(r[x_key]))], r) for r in rows
                             if _number(_parsed_value(r[output])) is not None), key=lambda t: t[0])
            if points:
                series.append((s, key, points))
        intervals = f"{output}_lower" in table.columns
        # series that coincide somewhere (or carry intervals) are set apart by a small horizontal dodge
        seen: dict = {}
        for _, _, points in series:
            for x, r in points:
                seen.setdefault(x, []).append(_parsed_value(r[output]))
        overlap = any(len(ys) != len({round(y, 9) for y in ys}) for ys in seen.values())
        span = (max(position.values()) - min(position.values())) if numeric_x and len(position) > 1 else 1
        for s, key, points in series:
            dodge = ((s - (len(series_values) - 1) / 2) * 0.012 * span
                     if (overlap or intervals) and len(series) > 1 else 0.0)
            xs = [x + dodge for x, _ in points]
            ys = [_parsed_value(r[output]) for _, r in points]
            label = None if key is None else f"{series_key} = {key}" + (" (default)" if key == default_series else "")
            style = dict(marker=MARKERS[s % len(MARKERS)], linestyle=LINESTYLES[s % len(LINESTYLES)],
                         markersize=7 - min(s, 3), markerfacecolor="none" if s % 2 else None, label=label,
                         linewidth=1.4, alpha=0.9)
            if intervals:
                lower = [_parsed_value(r[f"{output}_lower"]) for _, r in points]
                upper = [_parsed_value(r[f"{output}_upper"]) for _, r in points]
                err = [[y - lo if _number(lo) is not None else 0 for y, lo in zip(ys, lower)],
                       [hi - y if _number(hi) is not None else 0 for y, hi in zip(ys, upper)]]
                handle = ax.errorbar(xs, ys, yerr=err, capsize=3, **style)
            else:
                handle, = ax.plot(xs, ys, **style)
            if label:
                legend.setdefault(label, handle)
            for x, y, (_, r) in zip(xs, ys, points):
                if r["default"] == "yes":
                    ring, = ax.plot([x], [y], marker="o", markersize=13, markerfacecolor="none",
                                    markeredgecolor="black", linestyle="none", zorder=5, label="default parameters")
        values = [_parsed_value(r[output]) for r in ran]
        blank = sum(_number(v) is None for v in values)
        if blank == len(values):
            ax.text(0.5, 0.5, f"no values for {output}\n(see the note column of summary.csv)",
                    ha="center", va="center", transform=ax.transAxes, fontsize=8, color="#7f8c8d")
        elif blank:
            ax.text(0.99, 0.01, f"no value in {blank} of {len(values)} variants (see summary.csv)",
                    ha="right", va="bottom", transform=ax.transAxes, fontsize=7, color="#7f8c8d")
        if blank < len(values) and all(isinstance(v, int) or (isinstance(v, float) and v.is_integer())
                                       for v in values if _number(v) is not None):
            from matplotlib.ticker import MaxNLocator

            ax.yaxis.set_major_locator(MaxNLocator(integer=True))  # counts: whole numbers
        if default_x is not None and json.dumps(default_x) in position:
            ax.axvline(position[json.dumps(default_x)], color="#7f8c8d", linestyle=":", linewidth=1)
            ax.annotate("default", (position[json.dumps(default_x)], 0.0), xycoords=("data", "axes fraction"),
                        fontsize=7, color="#7f8c8d", ha="left", va="bottom", xytext=(2, 2),
                        textcoords="offset points")
        if ring is not None:
            legend.setdefault("default parameters", ring)
        ref = table.references.get(output)
        if ref is not None:
            line = ax.axhline(ref["value"], color="black", linewidth=1, linestyle="--", label=ref["label"])
            legend.setdefault(ref["label"], line)
            if ref["band"]:
                ax.axhspan(ref["value"] - ref["band"], ref["value"] + ref["band"], color="#7f8c8d", alpha=0.15)
        if not numeric_x:
            ax.set_xticks(range(len(x_values)), [str(v) for v in x_values])
        else:
            ax.set_xticks(x_values)
        unit = table.units.get(output)
        ax.set_xlabel(x_key, fontsize=8)
        ax.set_ylabel(f"{output}" + (f" ({unit})" if unit else ""), fontsize=8)
        ax.set_title(output, fontsize=9)
        ax.tick_params(labelsize=7)
    if legend:  # one legend for every panel, below them; long labels wrapped, one column, so none is cut
        import textwrap

        labels = [textwrap.fill(label, 48) for label in legend]
        long = any("\n" in label for label in labels)
        fig.legend(list(legend.values()), labels, loc="outside lower center", fontsize=7,
                   ncol=1 if long else min(2 if n == 1 else 3, len(legend)), frameon=False)
    assumed = set(type(plan.valid[0].params).assumptions()) if plan.valid else set()
    swept = list(plan.swept)
    if swept and set(swept) <= assumed:
        what = "assumed parameters varied"
    elif assumed & set(swept):
        what = "parameters varied; assumed: " + ", ".join(k for k in swept if k in assumed)
    else:
        what = "analysis choices varied, no assumption"
    fig.suptitle(f"sweep {plan.name}: {plan.spec.section} ({what})", fontsize=10)
    return fig


def _parsed_value(value):
    """A summary cell as a number when it is one ("" and text stay as they are)."""
    if isinstance(value, str) and value:
        try:
            return float(value)
        except ValueError:
            return value
    return value
