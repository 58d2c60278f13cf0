"""`run_all.py --sensitivity [SECTION …]`: every assumption of a section moved alone across its
plausible range (declared beside the parameter, with its justification: `plausible=` of
params.assumption), the others at their defaults; a tornado chart per headline result and a CSV,
into build/sensitivity/<section>/.

A named default (two_component) is replaced by the number it stood for in the default run only
where the models require it (moving one weight: the weights are both named or both numbers); see
`moved`. An end that the parameter models refuse with the others at their defaults
(e.g. weights summing above 1) is listed in the CSV with the reason, never silently dropped.

Also `--grid SECTION.KEY=V1,V2,…` (repeatable, shared.KEY for a shared parameter): the cartesian
product run as a sweep of the sections concerned, into build/sweeps/<name>/.
"""

from __future__ import annotations

import hashlib
import json
import math
from pathlib import Path

import matplotlib
import matplotlib.pyplot as plt
from matplotlib.patches import Patch, Rectangle

from .. import params as params_mod
from .. import sections
from ..errors import InputError, SectionFailed
from ..params import SHARED, ParameterError, parse_yaml, plausible_ranges
from ..plotting import PALETTE, new_figure, save
from . import build
from .collect import atomic_write
from .sweep import SweepSpec, plan_sweep
from .sweep_run import execute_plan
from .sweep_plot import SCREEN_DPI
from .sweep_summary import csv_text, read_results, resolved_parameters

# The results each tornado chart is drawn for: the section's answers to the report's verdicts
# (numbers as bars; verdicts as a grid of what each end gives).
HEADLINES = {
    "index_trend": ("dispute_change_without_proactive", "flat_tolerance_needed", "proactive_flat_verdict"),
    "ai_anticounterfeit": ("counterfeit_share_of_fall_pct", "index_2019_without_counterfeit_fall",
                           "counterfeit_largest_threshold_weight", "counterfeit_largest_under_assumed_weights"),
}
BASELINE = "baseline"
CSV_COLUMNS = ["section", "output", "unit", "parameter", "default", "default_value", "low", "high",
               "result_default", "result_low", "result_high", "change_low", "change_high", "swing", "note",
               "justification_en", "justification_zh"]


def ranges(section: str) -> dict[str, dict]:
    """{parameter as a sweep names it (shared.KEY for a shared one): plausible range} of a section."""
    shared = params_mod.shared_model().model_fields
    return {(f"{SHARED}.{k}" if k in shared else k): r
            for k, r in plausible_ranges(params_mod.MODELS[section]).items()}


def sections_with_ranges() -> list[str]:
    return [s for s in sections.names() if ranges(s) and s in HEADLINES]


def run_sensitivity(args) -> int:
    chosen = args.sensitivity or sections_with_ranges()
    problems = [s for s in chosen if s not in sections.SECTIONS or not ranges(s) or s not in HEADLINES]
    if problems:
        raise InputError(f"--sensitivity: {problems} name no section with declared plausible ranges and headline "
                         f"results; expected some of {sections_with_ranges()}")
    out_root = build.output_dir(args)
    failed = []
    for section in chosen:
        failed += sensitivity_of(args, section, out_root)
    if failed:
        raise SectionFailed(f"{len(failed)} variant(s) failed: {', '.join(failed)}")
    return 0


def _spec(section: str, variants: list[dict]) -> SweepSpec:
    outputs = [k for k in HEADLINES[section] if sections.get(section).declares_result(k)]
    return SweepSpec(section=section, variants=variants, outputs=outputs, skip_invalid=True)


def sensitivity_of(args, section: str, out_root: Path) -> list[str]:
    """Run the default and every end of every plausible range; write sensitivity.csv and the charts."""
    target = out_root / "sensitivity" / section
    declared = ranges(section)
    base = plan_sweep(f"sensitivity-{section}", _spec(section, [{}]))
    base.variants[0].variant_id = BASELINE
    execute_plan(args, base, target, out_root, noun="sensitivity", figure=False)
    payload = read_results(target / BASELINE / "results" / f"{section}.json")
    if payload is None:
        raise SectionFailed(f"{section}: the default run failed: nothing to compare the ends with")
    named = resolved_parameters(payload)  # two_component -> its numbers, …
    variants, ends = [], []
    for parameter, r in declared.items():
        for end in ("low", "high"):
            variants.append(moved(section, parameter, r[end], named))
            ends.append((parameter, end))
    plan = plan_sweep(f"sensitivity-{section}", _spec(section, variants))
    for v, (parameter, end) in zip(plan.variants, ends):
        v.variant_id = f"{parameter.removeprefix(SHARED + '.')}-{end}"
    status, outcomes, table, _, _ = execute_plan(args, plan, target, out_root, noun="sensitivity", figure=False)
    rows = sensitivity_rows(section, payload, plan, ends, target, declared, named)
    csv_path = write_csv(target / "sensitivity.csv", rows)
    figures = [draw(section, output, [r for r in rows if r["output"] == output], target, payload)
               for output in dict.fromkeys(r["output"] for r in rows)]
    print(f"sensitivity of {section}: {len(declared)} assumption(s) x 2 ends; {csv_path}")
    for f in figures:
        print(f"figure: {f}")
    return [o.label for o in outcomes if o.status == "failed"]


def moved(section: str, parameter: str, value, named: dict) -> dict:
    """The overrides that move `parameter` alone to `value`. Only when the models refuse that (the weights
    are both named or both numbers) are the named defaults of the same scope (shared, or the section) replaced
    by the numbers they stood for in the default run: a name can mean more than its number (report_december
    carries the printed rounding of the report's share), so none is replaced without need."""
    alone = {parameter: value}
    if _admissible(section, alone):
        return alone
    shared = params_mod.shared_model().model_fields
    scope = SHARED if parameter.startswith(f"{SHARED}.") else section
    partners = {(f"{SHARED}.{k}" if k in shared else k): v for k, v in named.items()
                if (k in shared) == (scope == SHARED)}
    return {**partners, parameter: value}


def _admissible(section: str, overrides: dict) -> bool:
    layer: dict = {}
    for key, value in overrides.items():
        scope, _, name = key.rpartition(".")
        layer.setdefault(scope or section, {})[name] = value
    defaults = params_mod.default_params_file()
    try:
        params_mod.apply_layers([section], [(str(defaults), params_mod.load_yaml(defaults)), ("sensitivity", layer)])
    except ParameterError:
        return False
    return True


def _result(target: Path, variant_id: str, section: str) -> dict | None:
    payload = read_results(target / variant_id / "results" / f"{section}.json")
    return None if payload is None else payload.get("results", {})


def _number(value):
    return value if isinstance(value, (int, float)) and not isinstance(value, bool) and not (
        isinstance(value, float) and math.isnan(value)) else None


def sensitivity_rows(section, payload, plan, ends, target, declared, named) -> list[dict]:
    """One row per headline result x assumption: the result at the default and at both ends."""
    base = payload.get("results", {})
    params = payload.get("parameters", {})
    rows = []
    for output in plan.spec.outputs:
        entry = base.get(output) or {}
        for parameter, r in declared.items():
            key = parameter.removeprefix(SHARED + ".")
            row = {"section": section, "output": output, "unit": entry.get("unit", ""), "parameter": parameter,
                   "default": _text(params.get(key)), "default_value": _text(named.get(key, params.get(key))),
                   "low": _text(r["low"]), "high": _text(r["high"]), "result_default": entry.get("value"),
                   "justification_en": r["en"], "justification_zh": r["zh"]}
            notes = []
            for v, (p, end) in zip(plan.variants, ends):
                if p != parameter:
                    continue
                replaced = [f"{k} = {x:.3g}" for k, x in v.overrides.items()
                            if k != parameter and isinstance(x, (int, float))]
                if replaced:
                    notes.append(f"{end} end: named default(s) replaced by their numbers ({', '.join(replaced)})")
                got = _result(target, v.variant_id, section) if v.models else None
                value = (got or {}).get(output, {}).get("value") if got is not None else None
                row[f"result_{end}"] = value
                if not v.models:
                    notes.append(f"{end} end ({r[end]}) inadmissible with the others at their defaults: "
                                 + " ".join(v.error.split()))
                elif got is None:
                    notes.append(f"{end} end: no result (the variant failed)")
                base_number, number = _number(row["result_default"]), _number(value)
                row[f"change_{end}"] = (number - base_number) if None not in (base_number, number) else ""
            changes = [abs(row[c]) for c in ("change_low", "change_high") if isinstance(row.get(c), (int, float))]
            row["swing"] = max(changes) if changes else ""
            row["note"] = "; ".join(notes)
            rows.append(row)
    return rows


def _text(value) -> str:
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


def write_csv(path: Path, rows: list[dict]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    return atomic_write(path, csv_text(CSV_COLUMNS, [{k: ("" if r.get(k) is None else r.get(k))
                                                        for k in CSV_COLUMNS} for r in rows]))


def draw(section: str, output: str, rows: list[dict], target: Path, payload: dict) -> Path:
    """tornado-<output>.png: a bar per assumption from the default result to each end's (largest swing on
    top); a verdict (text result) as a grid of what the default and each end give."""
    numeric = _number(rows[0]["result_default"]) is not None if rows else False
    fig = tornado(section, output, rows) if numeric else verdict_grid(section, output, rows)
    path = target / f"tornado-{output}.png"
    try:
        with matplotlib.rc_context({"savefig.dpi": SCREEN_DPI}):
            save(fig, path)
    finally:
        plt.close(fig)
    return path


def tornado(section: str, output: str, rows: list[dict]):
    """Bars from the default result to each end's (hatched: low end; plain: high end), the largest swing on
    top; an end with no value (inadmissible, failed) said so in place of its bar."""
    rows = sorted(rows, key=lambda r: r["swing"] if isinstance(r["swing"], (int, float)) else -1)
    fig, ax = new_figure(8.0, 1.9 + 0.6 * len(rows))
    base = rows[0]["result_default"]
    values = [base] + [v for r in rows for v in (_number(r.get("result_low")), _number(r.get("result_high")))
                       if v is not None]
    low, high = min(values), max(values)
    pad = (high - low) * 0.35 or abs(base) * 0.1 or 1.0
    ax.set_xlim(low - pad, high + pad)
    ends = (("low", PALETTE[1], "//", -0.18), ("high", PALETTE[0], "", 0.18))
    for i, r in enumerate(rows):
        for end, colour, hatch, dy in ends:
            value = _number(r.get(f"result_{end}"))
            if value is None:
                ax.annotate(f"{end} end {r[end]}: no value ({'inadmissible' if 'inadmissible' in r['note'] else 'see the CSV note'})",
                            (base, i + dy), xytext=(4, 0), textcoords="offset points", fontsize=6.5,
                            va="center", ha="left", color="#555555")
                continue
            ax.barh(i + dy, value - base, left=base, height=0.34, color=colour, hatch=hatch, edgecolor="black",
                    linewidth=0.5, alpha=0.85)
            ax.plot([value], [i + dy], marker="|", markersize=9, color="black", linestyle="none")  # a zero bar shows
            ax.annotate(f"= {r[end]}", (value, i + dy), xytext=(4 if value >= base else -4, 0),
                        textcoords="offset points", fontsize=6.5, va="center",
                        ha="left" if value >= base else "right")
    ax.axvline(base, color="black", linewidth=1)
    unit = rows[0]["unit"]
    ax.set_yticks(range(len(rows)), [f"{r['parameter']}\n(default {r['default']}"
                                     + (f" = {float(r['default_value']):.3g}" if r["default"] != r["default_value"]
                                        and _is_float(r["default_value"]) else "") + ")" for r in rows], fontsize=7)
    ax.set_ylim(-0.6, len(rows) - 0.4)
    ax.set_xlabel(f"{output}" + (f" ({unit})" if unit else "") + f"; at the defaults: {base:.4g}", fontsize=8)
    ax.set_title(f"{section}: {output}\neach assumption moved alone across its plausible range", fontsize=9)
    fig.legend([Patch(facecolor=c, hatch=h, edgecolor="black") for _, c, h, _ in ends],
               ["low end of the plausible range", "high end of the plausible range"], loc="outside lower center",
               ncol=2, fontsize=7, frameon=False)
    return fig


def _is_float(text) -> bool:
    try:
        float(text)
        return True
    except (TypeError, ValueError):
        return False


def verdict_grid(section: str, output: str, rows: list[dict]):
    """A verdict at the default and at each end, per assumption: coloured cells, each labelled."""
    fig, ax = new_figure(7.0, 1.2 + 0.45 * len(rows))
    values = [str(r.get(c)) for r in rows for c in ("result_low", "result_default", "result_high")]
    colours = {v: PALETTE[i % len(PALETTE)] for i, v in enumerate(sorted(set(values) - {"None", ""}))}
    for i, r in enumerate(rows):
        for j, c in enumerate(("result_low", "result_default", "result_high")):
            value = r.get(c)
            text = "—" if value in (None, "") else str(value)
            changed = c != "result_default" and value not in (None, "") and value != r["result_default"]
            ax.add_patch(Rectangle((j - 0.5, i - 0.5), 1, 1, facecolor=colours.get(str(value), "white"), alpha=0.85,
                                   edgecolor="black" if changed else "white", linewidth=2 if changed else 1))
            ax.text(j, i, text + (" (changed)" if changed else ""), ha="center", va="center", fontsize=7)
    ax.set_xlim(-0.5, 2.5)
    ax.set_ylim(-0.5, len(rows) - 0.5)
    ax.set_xticks(range(3), ["low end", "default", "high end"], fontsize=7)
    ax.set_yticks(range(len(rows)), [f"{r['parameter']} ({r['low']} – {r['high']})" for r in rows], fontsize=7)
    ax.grid(False)
    ax.set_title(f"{section}: {output}\nat each end of each assumption's plausible range (outlined: changed)",
                 fontsize=9)
    return fig


# --------------------------------------------------------------------------
# --grid SECTION.KEY=V1,V2,… on the command line: a sweep
# --------------------------------------------------------------------------

def grid_plan(expressions: list[str]):
    """A sweep from --grid expressions: the sections they name (every user of a shared key), their
    headline results (or every declared exact result key) as outputs."""
    grid: dict[str, list] = {}
    names: list[str] = []
    for expr in expressions:
        key, sep, raw = expr.partition("=")
        scope, dot, name = key.strip().partition(".")
        if not sep or not dot or not raw.strip():
            raise ParameterError(f"--grid {expr}: expected SECTION.KEY=V1,V2,… (or shared.KEY=…), "
                                 "e.g. --grid index_trend.proactive_share=0.05,0.09,0.15")
        values = [parse_yaml(v.strip(), f"--grid {expr}") for v in raw.split(",")]
        if scope == SHARED:
            names += params_mod.shared_users(name) or [scope]
        else:
            names.append(scope)
        grid[key.strip()] = values
    names = list(dict.fromkeys(names))
    unknown = [n for n in names if n not in sections.SECTIONS]
    if unknown:
        raise ParameterError(f"--grid: unknown section(s) {unknown}; expected some of {sections.names()} or shared")
    outputs = []
    for n in names:
        keys = HEADLINES.get(n) or [k for k in sections.get(n).result_keys if "*" not in k]
        outputs += [k if len(names) == 1 else f"{n}.{k}" for k in keys]
    if len(names) == 1:
        grid = {k.removeprefix(f"{names[0]}."): v for k, v in grid.items()}
    digest = hashlib.sha256(json.dumps(grid, sort_keys=True).encode()).hexdigest()[:6]
    name = "grid-" + "-".join(k.rpartition(".")[2] for k in grid)[:50] + f"-{digest}"
    spec = SweepSpec(sections=names, grid=grid, outputs=outputs)
    return plan_sweep(name, spec, where="--grid")
