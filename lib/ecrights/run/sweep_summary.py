"""A sweep's summary: what its variants recorded, tabulated.

summary.csv holds one row per variant (its swept parameters, a named default beside the number it
stood for, status, the outputs with interval bounds and n where a result has them, and a note for
every blank output); summary.columns.csv says what each column is (kind, unit, description);
summary.png draws the table (run/sweep_plot.py); print_summary_table shows it in the terminal, split
into tables no wider than the terminal.
"""

from __future__ import annotations

import csv
import io
import json
import math
import re
from dataclasses import dataclass, field
from fnmatch import fnmatchcase
from pathlib import Path

from .. import params as params_mod
from ..csvsafe import neutralised
from ..errors import shorten
from ..params import SHARED
from .collect import atomic_write
from .progress import print_table
from .sweep import Output, SweepPlan, qualify

TERMINAL_WIDTH = 100


@dataclass
class SummaryTable:
    columns: list[str]
    value_columns: list[str]  # the outputs and their interval bounds / n
    rows: list[dict]
    units: dict[str, str]  # output -> unit (from the results)
    descriptions: dict[str, str]
    references: dict[str, dict]  # output -> {"value", "band", "label"}
    notes: list[str]
    outputs: list[str] = field(default_factory=list)  # output columns, patterns expanded
    resolved: dict = field(default_factory=dict)  # (parameter, named value) -> the number it stood for
    shown: dict = field(default_factory=dict)  # (variant_id, parameter) -> "two_component (= 0.180)"
    measures: dict = field(default_factory=dict)  # (variant_id, output) -> (unit, description)
    unmatched: list[str] = field(default_factory=list)  # outputs recorded by no variant: an error


def _number(value):
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return None if isinstance(value, float) and math.isnan(value) else value


def resolved_parameters(payload: dict) -> dict[str, object]:
    """{parameter: number} for the named defaults a results JSON records as resolved (two_component,
    report_december…): the assumption's value where the parameter is a name and the value is not."""
    params = payload.get("parameters", {}) or {}
    out = {}
    for a in payload.get("assumptions", []) or []:
        name, value = a.get("name"), a.get("value")
        named = params.get(name)
        if isinstance(named, str) and value is not None and value != named and not isinstance(value, str):
            out[name] = value
    return out


def named_value(name: str, value, resolved: dict) -> str:
    """'two_component (= 0.180)' for a named default with a known number; the value as text otherwise."""
    number = resolved.get((name, json.dumps(value)))
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    return f"{text} (= {number:.3g})" if isinstance(number, (int, float)) else text


def read_results(path: Path) -> dict | None:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def _expand(outputs: list[Output], results: dict[str, dict[str, dict]], plan: SweepPlan) -> tuple[list, list]:
    """(column name, section, key) per output, patterns expanded to the keys the variants recorded (in natural
    order); and the errors: an exact name no variant recorded, a pattern that matched nothing."""
    columns, errors = [], []
    ran = bool(results)
    for o in outputs:
        recorded = list(dict.fromkeys(k for r in results.values() for k in r.get(o.section, {})))
        prefix = f"{o.section}." if len(plan.sections) > 1 else ""
        if o.pattern:
            matched = sorted((k for k in recorded if fnmatchcase(k, o.key)), key=_natural_key)
            columns += [(f"{prefix}{k}", o.section, k) for k in matched]
            if ran and not matched:
                errors.append(f"outputs: the pattern {o.name!r} matched no result of any variant; the variants "
                              f"recorded: {sorted(recorded)}")
        else:
            columns.append((o.name, o.section, o.key))
            if ran and o.key not in recorded:
                errors.append(f"outputs: {o.name!r} was recorded by no variant (names are matched exactly; write a "
                              f"pattern such as {o.key + '_*'!r} to match several); the variants recorded: "
                              f"{sorted(recorded)}")
    return columns, errors


def _natural_key(text: str):
    return [int(p) if p.isdigit() else p for p in re.split(r"(\d+)", text)]


def summary_rows(plan: SweepPlan, sweep_dir: Path, status: dict[str, str], defaults_dir: Path | None = None
                 ) -> SummaryTable:
    """One row per variant: its swept parameters, status, outputs (with interval
    bounds and n where a result has them) and a note for every blank output."""
    results: dict[str, dict[str, dict]] = {}  # variant -> section -> results
    claims: dict[str, dict] = {}
    resolved: dict = {}
    for v in plan.valid:
        if status.get(v.variant_id) not in ("done", "cached"):
            continue
        for s in plan.sections:
            payload = read_results(sweep_dir / v.variant_id / "results" / f"{s}.json")
            if payload is None:
                continue
            results.setdefault(v.variant_id, {})[s] = payload.get("results", {})
            for c in payload.get("claims", []):
                claims.setdefault(c.get("claim_id"), c)
            for name, number in resolved_parameters(payload).items():
                for shown in (name, f"{s}.{name}", f"shared.{name}"):
                    resolved[(shown, json.dumps((payload.get("parameters") or {}).get(name)))] = number
    # the default build's results resolve the defaults' names even when no variant ran with them
    for s in plan.sections:
        payload = read_results(Path(defaults_dir) / "results" / f"{s}.json") if defaults_dir else None
        if payload and payload.get("parameters") == plan.default_models[s].model_dump(mode="json"):
            for name, number in resolved_parameters(payload).items():
                for shown in (name, f"{s}.{name}", f"shared.{name}"):
                    resolved.setdefault((shown, json.dumps(payload["parameters"][name])), number)
    columns_out, unmatched = _expand(plan.outputs, results, plan)
    outputs = [c for c, _, _ in columns_out]

    def entry_of(variant_id, section, key):
        got = results.get(variant_id)
        return None if got is None else got.get(section, {}).get(key)

    entries = {(v.variant_id, c): entry_of(v.variant_id, s, k) for v in plan.valid for c, s, k in columns_out}
    has_interval = {c: any(isinstance(e, dict) and e.get("interval") for (_, cc), e in entries.items() if cc == c)
                    for c in outputs}
    has_n = {c: any(isinstance(e, dict) and e.get("n") is not None for (_, cc), e in entries.items() if cc == c)
             for c in outputs}
    value_columns = []
    for o in outputs:
        value_columns.append(o)
        if has_interval[o]:
            value_columns += [f"{o}_lower", f"{o}_upper"]
        if has_n[o]:
            value_columns.append(f"{o}_n")
    keys = plan.swept
    named_keys = [k for k in keys if any((k, json.dumps(v.overrides.get(k))) in resolved for v in plan.variants)]
    rows, shown, measures = [], {}, {}
    for v in plan.variants:
        row = {"variant_id": v.variant_id, **{k: _cell(v.overrides.get(k)) for k in keys}}
        for k in named_keys:  # a named default's number beside its name (tidy: one value per cell)
            number = resolved.get((k, json.dumps(v.overrides.get(k))))
            row[f"{k}_value"] = number if number is not None else (
                v.overrides.get(k) if _number(v.overrides.get(k)) is not None else "")
        for k in keys:
            shown[(v.variant_id, k)] = named_value(k, v.overrides.get(k), resolved)
        row["default"] = "yes" if plan.is_default(v) else ""
        row["status"] = status.get(v.variant_id, "invalid" if v.error else "not run")
        notes = [v.error] if v.error else []
        got = results.get(v.variant_id)
        for o in outputs:
            entry = entries.get((v.variant_id, o))
            value = entry.get("value") if isinstance(entry, dict) else None
            row[o] = value if value is not None else ""
            if isinstance(entry, dict):
                measures[(v.variant_id, o)] = (entry.get("unit") or "", entry.get("description") or "")
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
        if got is None and v.models:
            notes.append("no results: the variant failed" if row["status"] == "failed"
                         else "no results: the variant did not run")
        row["note"] = "; ".join(notes)
        rows.append(row)

    units, descriptions = {}, {}
    for (_, o), e in entries.items():
        if isinstance(e, dict):
            units.setdefault(o, e.get("unit") or "")
            descriptions.setdefault(o, e.get("description") or "")
    references = {}
    notes = []
    for o, ref in plan.spec.references.items():
        claim = claims.get(ref.claim)
        if claim is None or _number(claim.get("reported_value")) is None:
            if results:
                notes.append(f"reference {ref.claim} for {o}: not among the sections' claims with a "
                             "number: no reference line drawn")
            continue
        band = None
        assumed = False
        if ref.band:
            scope, name = qualify(ref.band, plan.sections)[0]
            model = plan.valid[0].models[scope if scope != SHARED else plan.section] if plan.valid else None
            band = getattr(model, name, None) if model is not None else plan.defaults.get(ref.band)
            # the band is a parameter; when it is an assumption (a reading of the claim's words,
            # e.g. flat_tolerance_points for 基本持平) the label says so
            assumed = model is not None and name in type(model).assumptions()
        band_label = f" ± {band:g} ({ref.band}{', assumed' if assumed else ''})" if band else ""
        references[o] = {"value": claim["reported_value"], "band": band, "quote": str(claim.get("quote", "")),
                         "assumed_band": assumed, "label": f"claim {ref.claim}: {claim['reported_value']:g}{band_label}"}
    for o in outputs:
        blanks = sum(1 for r in rows if r["status"] in ("done", "cached") and r[o] == "")
        ran = sum(1 for r in rows if r["status"] in ("done", "cached"))
        if ran and blanks == ran:
            notes.append(f"{o} is blank in every variant (see the note column of summary.csv)")
        elif blanks:
            notes.append(f"{o} is blank in {blanks} of {ran} variants (see the note column of summary.csv)")
    columns = ["variant_id", *keys, *[f"{k}_value" for k in named_keys], "default", "status", *value_columns, "note"]
    return SummaryTable(columns, value_columns, rows, units, descriptions, references, notes, outputs=outputs,
                        resolved=resolved, shown=shown, measures=measures, unmatched=unmatched)


def column_descriptions(plan: SweepPlan, table: SummaryTable) -> list[dict]:
    """What each column of summary.csv is: kind, unit, description (summary.columns.csv)."""
    out = [{"column": "variant_id", "kind": "id", "unit": "",
            "description": "the variant's directory under the sweep (its parameters and a hash)"}]
    for k in plan.swept:
        scope, name = plan.keys.get(next((key for key in plan.keys if plan.display(key) == k), k), (None, k))
        model = params_mod.shared_model() if scope == SHARED else params_mod.MODELS.get(scope)
        description = (model.model_fields[name].description or "") if model and name in model.model_fields else ""
        out.append({"column": k, "kind": "parameter (assumption)" if k in plan.assumed() else "parameter",
                    "unit": "", "description": description + (f" (default: {plan.defaults.get(k)})"
                                                               if k in plan.defaults else "")})
        if f"{k}_value" in table.columns:
            out.append({"column": f"{k}_value", "kind": "parameter value", "unit": "",
                        "description": f"the number {k} stood for (a named default such as two_component resolved "
                                       "by the notebook)"})
    out += [{"column": "default", "kind": "flag", "unit": "",
             "description": "yes: the variant runs with every default parameter (params/defaults.yaml)"},
            {"column": "status", "kind": "status", "unit": "",
             "description": "done, cached (from the cache), failed, invalid (refused by the parameter model), not run"}]
    for o in table.outputs:
        unit = table.units.get(o, "")
        out.append({"column": o, "kind": "result", "unit": unit, "description": table.descriptions.get(o, "")})
        for suffix, what in (("_lower", "lower bound of the interval"), ("_upper", "upper bound of the interval"),
                             ("_n", "number of observations")):
            if f"{o}{suffix}" in table.columns:
                out.append({"column": f"{o}{suffix}", "kind": "result " + what, "unit": "" if suffix == "_n" else unit,
                            "description": f"{what} of {o}"})
    out.append({"column": "note", "kind": "text", "unit": "",
                "description": "why an output is blank, or why the variant did not run"})
    return out


def csv_text(columns: list[str], rows: list[dict]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    for row in rows:  # a cell that a spreadsheet would read as a formula is neutralised (csvsafe)
        writer.writerow(neutralised({k: ("" if row.get(k) is None else row.get(k)) for k in columns}))
    return buffer.getvalue()


def write_summary(plan: SweepPlan, sweep_dir: Path, status: dict[str, str],
                  table: SummaryTable | None = None) -> Path:
    """summary.csv (one row per variant: its parameters, status, outputs and notes) and
    summary.columns.csv (each column's kind, unit and description), tidy both."""
    table = table or summary_rows(plan, sweep_dir, status)
    sweep_dir.mkdir(parents=True, exist_ok=True)
    atomic_write(sweep_dir / "summary.columns.csv",
                 csv_text(["column", "kind", "unit", "description"], column_descriptions(plan, table)))
    return atomic_write(sweep_dir / "summary.csv", csv_text(table.columns, table.rows))


def _cell(value) -> str:
    """A parameter value in summary.csv: text as it is (no JSON quotes), anything else as JSON."""
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


def cell_value(cell):
    """A summary cell as a number when it is one ("" and text stay as they are)."""
    if isinstance(cell, str) and cell:
        try:
            return float(cell)
        except ValueError:
            return cell
    return cell


def _short(value, width: int = 24) -> str:
    if isinstance(value, float):
        return f"{value:.4g}"
    text = value if isinstance(value, str) else shorten(value, width)
    return text if len(text) <= width else text[:width - 1] + "…"


def fit_columns(headers: list[str], rows: list[list[str]], width: int = TERMINAL_WIDTH, keep: int = 1
                ) -> list[tuple[list[str], list[list[str]]]]:
    """Split a table into tables no wider than `width`, each repeating the first `keep` columns."""
    widths = [max(len(str(x)) for x in column) for column in zip(headers, *rows)]
    fixed = sum(widths[:keep]) + 2 * keep
    chunks, current, used = [], [], fixed
    for i in range(keep, len(headers)):
        if current and used + widths[i] + 2 > width:
            chunks.append(current)
            current, used = [], fixed
        current.append(i)
        used += widths[i] + 2
    if current or not chunks:
        chunks.append(current)
    return [([headers[j] for j in [*range(keep), *c]], [[r[j] for j in [*range(keep), *c]] for r in rows])
            for c in chunks]


def print_summary_table(plan: SweepPlan, table: SummaryTable, width: int = TERMINAL_WIDTH) -> None:
    """The summary in the terminal, no wider than `width`: variants numbered (#), their full ids listed
    once, then the parameters and outputs in as many tables as it takes, each starting with #."""
    for i, r in enumerate(table.rows, 1):
        print(f"#{i:<3} {r['variant_id']}" + ("  (default)" if r["default"] == "yes" else ""))
    print()
    keys = plan.swept
    headers = ["#", *keys, "status", *table.value_columns]
    rows = [[f"#{i}", *[_short(table.shown.get((r["variant_id"], k), r[k])) for k in keys], r["status"],
             *[_short(cell_value(r[c])) for c in table.value_columns]] for i, r in enumerate(table.rows, 1)]
    for n, (h, part) in enumerate(fit_columns(headers, rows, width)):
        if n:
            print()
        print_table(h, part)
