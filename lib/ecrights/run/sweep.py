"""Sweeps: sections run over a grid (or list) of parameter values.

A sweep file (params/sweeps/<name>.yaml; <name> names the sweep):

    section: index_trend            # or sections: [index_trend, ai_anticounterfeit]
    description: what the sweep explores
    base: {proactive_profile: ramp} # optional: fixed values for every variant
    grid:                           # cartesian product …
      shared.weight_dispute_rate: [0.1, 0.18, 0.3]     # a shared parameter: reaches every section using it
      shared.weight_counterfeit_perception: [0.5, 0.82]
    variants:                       # … and/or an explicit list
      - {proactive_share: 0.05}
    outputs: [implied_other_change] # result keys, matched exactly; a key with * ? [ ] is a pattern
    references:                     # optional: a claim's value drawn across an output's panel
      dispute_change_without_proactive:
        claim: it_dispute_share_ex_proactive_flat_2019   # 基本持平
        band: flat_tolerance_points                      # ± this parameter around it
    skip_invalid: true              # drop grid points the parameter models reject (listed in the summary)

Keys: with one section, its parameters by name; with several, SECTION.KEY.
A shared parameter (lib/ecrights/shared_params.py) is always shared.KEY: a
section-local copy is refused, naming the shared key. Outputs likewise: KEY
with one section, SECTION.KEY with several. An output is matched exactly
unless written as a pattern (glob characters); an exact name must be a
declared result key of its section, and after the run an output that no
variant recorded, or a pattern that matched nothing anywhere, is an error
(exit 2) listing the keys the variants recorded.

Everything else is checked before any variant runs: the parameters of every
variant against the sections' models. Each variant runs every section of the
sweep as ordinary tasks into build/sweeps/<name>/<variant_id>/, sharing the
content-addressed cache. summary.csv tabulates the outputs (with interval
bounds and n when a result has them, and a note where a value is blank);
summary.columns.csv says what each column is (kind, unit, description);
summary.png plots them (run/sweep_plot.py).
"""

from __future__ import annotations

import csv
import hashlib
import io
import itertools
import json
import math
import re
import time
from dataclasses import dataclass, field
from fnmatch import fnmatchcase
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from .. import params as params_mod
from .. import sections
from ..csvsafe import neutralised
from ..errors import InputError, SectionFailed, shorten
from ..params import SHARED, ParameterError, load_yaml_mapping

SWEEP_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]*")
GLOB_CHARS = set("*?[]")
TERMINAL_WIDTH = 100


class Reference(BaseModel):
    model_config = ConfigDict(extra="forbid")
    claim: str
    band: str | None = None  # a parameter: the band is claim value ± its value


class SweepSpec(BaseModel):
    model_config = ConfigDict(extra="forbid")
    section: str | None = None
    sections: list[str] = Field(default_factory=list)
    description: str = ""
    base: dict = Field(default_factory=dict)
    grid: dict[str, list] = Field(default_factory=dict)
    variants: list[dict] = Field(default_factory=list)
    outputs: list[str] = Field(min_length=1)
    references: dict[str, Reference] = Field(default_factory=dict)
    skip_invalid: bool = False

    @model_validator(mode="after")
    def _one_way_to_name_sections(self):
        if (self.section is None) == (not self.sections):
            raise ValueError("name the section(s) once: `section: NAME` or `sections: [NAME, …]`")
        return self

    @property
    def names(self) -> list[str]:
        return [self.section] if self.section else list(dict.fromkeys(self.sections))


@dataclass
class Variant:
    variant_id: str
    overrides: dict  # parameter (as the sweep names it) -> value
    models: dict = field(default_factory=dict)  # section -> validated parameter model
    error: str = ""

    @property
    def params(self):
        """The validated model of the sweep's first section (None when invalid)."""
        return next(iter(self.models.values()), None)


@dataclass(frozen=True)
class Output:
    name: str  # as written in the sweep file
    section: str
    key: str  # the result key (or pattern) within the section

    @property
    def pattern(self) -> bool:
        return bool(GLOB_CHARS & set(self.key))


@dataclass
class SweepPlan:
    name: str
    spec: SweepSpec
    variants: list[Variant] = field(default_factory=list)
    defaults: dict = field(default_factory=dict)  # parameter (as the sweep names it) -> default value
    default_models: dict = field(default_factory=dict)  # section -> model with the defaults
    keys: dict = field(default_factory=dict)  # parameter as named -> (section or 'shared', field)
    outputs: list[Output] = field(default_factory=list)

    @property
    def sections(self) -> list[str]:
        return self.spec.names

    @property
    def section(self) -> str:
        return self.sections[0]

    @property
    def valid(self) -> list[Variant]:
        return [v for v in self.variants if v.models]

    @property
    def swept(self) -> list[str]:
        """Parameters that vary across variants, grid keys first."""
        keys = list(self.spec.grid) + [k for v in self.spec.variants for k in v if k not in self.spec.grid]
        return [self.display(k) for k in dict.fromkeys(keys)]

    def display(self, key: str) -> str:
        """A parameter as the summary names it: KEY for the single section's own, else SCOPE.KEY."""
        scope, name = self.keys.get(key, (None, key))
        return name if scope == self.section and len(self.sections) == 1 else f"{scope}.{name}"

    def assumed(self) -> set[str]:
        """The parameters (as named) that are assumptions."""
        out = set()
        for key, (scope, name) in self.keys.items():
            model = params_mod.shared_model() if scope == SHARED else params_mod.MODELS[scope]
            if name in model.assumptions():
                out.add(self.display(key))
        return out


def _variant_id(overrides: dict) -> str:
    text = json.dumps(overrides, sort_keys=True, ensure_ascii=False)
    slug = "_".join(f"{k.removeprefix('shared.')}={v}" for k, v in sorted(overrides.items()))
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
    """An exact output name is declared when it is a result key or matches a declared pattern (lift_*)."""
    if GLOB_CHARS & set(key):  # a pattern: it must be able to match something declared (a key, or a pattern's)
        return any(fnmatchcase(p, key) or fnmatchcase(key, p) for p in section.result_keys)
    return section.declares_result(key)


def _qualify(key: str, names: list[str]) -> tuple[tuple[str, str] | None, str]:
    """(scope, field) of a parameter as a sweep names it, or (None, the problem)."""
    shared = params_mod.shared_model().model_fields
    scope, _, name = key.rpartition(".")
    if key == "language" or name == "language":
        return None, f"{key}: the language is a build option: run the sweep with --lang"
    if scope == SHARED:
        if name not in shared:
            return None, f"{key}: unknown shared parameter; expected one of {[f'shared.{k}' for k in shared]}"
        users = [s for s in names if s in params_mod.shared_users(name)]
        if not users:
            return None, f"{key}: none of the sweep's sections {names} uses it (used by {params_mod.shared_users(name)})"
        return (SHARED, name), ""
    if not scope:
        if len(names) > 1:
            return None, f"{key}: with several sections name a parameter SECTION.KEY (or shared.KEY)"
        scope = names[0]
    if scope not in names:
        return None, f"{key}: section {scope!r} is not one of the sweep's sections {names}"
    model = params_mod.MODELS[scope]
    if name in shared:
        return None, params_mod.local_copy_refused("the sweep", scope, name)
    if name not in model.model_fields:
        return None, f"{scope}.{name}: unknown parameter; expected one of {sorted(model.model_fields)}"
    return (scope, name), ""


def _output(name: str, names: list[str]) -> tuple[Output | None, str]:
    scope, _, key = name.rpartition(".")
    if not scope:
        if len(names) > 1:
            return None, f"outputs: {name!r}: with several sections name an output SECTION.KEY"
        scope = names[0]
    if scope not in names:
        return None, f"outputs: {name!r}: section {scope!r} is not one of the sweep's sections {names}"
    section = sections.get(scope)
    if not declared(section, key):
        return None, (f"outputs: {name!r} is not a result of {scope}; expected one of "
                      f"{list(section.result_keys)}")
    return Output(name, scope, key), ""


def variant_layers(plan_keys: dict, overrides: dict) -> dict:
    """{scope: {field: value}} of a variant's overrides."""
    out: dict = {}
    for key, value in overrides.items():
        scope, name = plan_keys[key]
        out.setdefault(scope, {})[name] = value
    return out


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
    unknown = [s for s in spec.names if s not in sections.SECTIONS]
    if unknown:
        raise ParameterError(f"{path}: section {unknown[0]!r} unknown; expected one of {sections.names()}")
    return plan_sweep(name, spec, defaults_file, where=str(path))


def plan_sweep(name: str, spec: SweepSpec, defaults_file: Path | None = None, where: str = "the sweep",
               base_layers: list[tuple[str, dict]] | None = None) -> SweepPlan:
    """Check a sweep spec and validate every variant (see load_sweep). base_layers: parameter layers under
    the sweep's own values (default: params/defaults.yaml alone)."""
    names = spec.names
    problems = []
    keys: dict = {}
    for key in dict.fromkeys(list(spec.grid) + [k for v in spec.variants for k in v] + list(spec.base)):
        qualified, problem = _qualify(key, names)
        if qualified is None:
            problems.append(problem)
        else:
            keys[key] = qualified
    seen: dict = {}
    for key, q in keys.items():
        if q in seen:
            problems.append(f"{key} and {seen[q]} name the same parameter")
        seen[q] = key
    outputs = []
    for o in spec.outputs:
        out, problem = _output(o, names)
        if out is None:
            problems.append(problem)
        else:
            outputs.append(out)
    for output, ref in spec.references.items():
        if output not in spec.outputs:
            problems.append(f"references: {output!r} is not one of the outputs {spec.outputs}")
            continue
        if ref.band is None:
            continue
        band, problem = _qualify(ref.band, names)
        if band is None:
            problems.append(f"references.{output}.band: {ref.band!r} is not a parameter of {names}: {problem}")
        elif ref.band in spec.grid or any(ref.band in v for v in spec.variants):
            problems.append(f"references.{output}.band: {ref.band!r} is swept; a band needs one value")
    if not spec.grid and not spec.variants:
        problems.append("a sweep needs a grid or a list of variants")
    empty = [k for k, values in spec.grid.items() if not values]
    if empty:
        problems.append(f"grid: no values for {empty}: the grid has no points")
    if problems:
        what = "invalid grid" if where == "--grid" else "invalid sweep file"
        raise ParameterError(f"{where}: {what}:\n  " + "\n  ".join(problems))

    combos: list[dict] = []
    if spec.grid:
        grid_keys = list(spec.grid)
        combos += [dict(zip(grid_keys, values)) for values in itertools.product(*(spec.grid[k] for k in grid_keys))]
    combos += [dict(v) for v in spec.variants]

    if base_layers is None:
        defaults_file = Path(defaults_file) if defaults_file else params_mod.default_params_file()
        base_layers = [(str(defaults_file), params_mod.load_yaml(defaults_file))]
    default_models = params_mod.apply_layers(names, base_layers)
    plan = SweepPlan(name=name, spec=spec, default_models=default_models, keys=keys, outputs=outputs)
    for key, (scope, fname) in keys.items():
        model = default_models[next(s for s in names if fname in params_mod.MODELS[s].model_fields)] \
            if scope == SHARED else default_models[scope]
        plan.defaults[plan.display(key)] = getattr(model, fname)
    for combo in combos:
        overrides = {**spec.base, **combo}
        shown = {plan.display(k): v for k, v in overrides.items()}
        variant = Variant(_variant_id({plan.display(k): v for k, v in combo.items()}), shown)
        try:
            variant.models = params_mod.apply_layers(names, [*base_layers, ("the sweep", variant_layers(keys, overrides))])
        except ParameterError as exc:
            variant.error = "; ".join(line.strip() for line in str(exc).splitlines()[1:] or [str(exc)])
        plan.variants.append(variant)
    invalid = [v for v in plan.variants if not v.models]
    if invalid and (not spec.skip_invalid or not plan.valid):
        lines = [f"{shorten(v.overrides, 120)}: {v.error}" for v in invalid]
        why = ("every variant is invalid: nothing to run" if not plan.valid
               else "invalid variant(s) (skip_invalid: true would drop them)")
        raise ParameterError(f"{where}: {why}:\n  " + "\n  ".join(lines))
    return plan


# --------------------------------------------------------------------------
# Running
# --------------------------------------------------------------------------

def _is_default(v: Variant, plan: SweepPlan) -> bool:
    """A variant is the default when every parameter it runs with is the default's, the sweep's
    `base` included (not only the swept keys)."""
    if v.models:
        return all(m.model_dump() == plan.default_models[s].model_dump() for s, m in v.models.items())
    return all(value == plan.defaults.get(k) for k, value in v.overrides.items())


def run_sweep(args, plan: SweepPlan | None = None) -> int:
    """Execute every valid variant of a sweep (each of its sections), then write and print its summary."""
    from . import build
    from .progress import print_failure

    plan = plan or load_sweep(args.sweep)
    out_root = build.output_dir(args)
    for warning in unrecorded_by_default_build(plan, out_root):
        print(f"warning: {warning}")
    started = time.perf_counter()
    status, outcomes, table, summary, figure = execute_plan(args, plan, out_root / "sweeps" / plan.name, out_root)
    print()
    print_summary_table(plan, table)
    print(f"{len(plan.valid)} variant(s), {sum(s == 'failed' for s in status.values())} failed, "
          f"{sum(s == 'cached' for s in status.values())} from cache, {time.perf_counter() - started:.1f} s in all")
    for note in table.notes:
        print(f"note: {note}")
    print(f"summary: {summary} (columns: {summary.with_name('summary.columns.csv').name})"
          + (f"\nfigure: {figure}" if figure else ""))
    failed = [o for o in outcomes if o.status == "failed"]
    for o in failed:
        print_failure(o)
    if table.unmatched:
        raise InputError("\n".join(table.unmatched))
    if failed:
        raise SectionFailed(f"{len(failed)} variant(s) failed: {', '.join(o.label for o in failed)}")
    return 0


def unrecorded_by_default_build(plan: SweepPlan, out_root: Path) -> list[str]:
    """Exact outputs that only a declared pattern admits (lift_trend_jnu by lift_*) and that the build in
    out_root did not record: probably a typo, said before the variants run (the run still decides: an output
    no variant records is an error after it)."""
    out = []
    for o in plan.outputs:
        if o.pattern or o.key in sections.get(o.section).result_keys:
            continue
        payload = _read_results(Path(out_root) / "results" / f"{o.section}.json")
        if payload is not None and o.key not in payload.get("results", {}):
            known = sorted(k for k in payload.get("results", {}) if fnmatchcase(k, o.key.split("_")[0] + "_*"))
            out.append(f"outputs: {o.name!r} is not among the results of the build in {out_root} "
                       f"(similar: {known[:8]}); if no variant records it the sweep exits with code 2")
    return out


def execute_plan(args, plan: SweepPlan, sweep_dir: Path, out_root: Path, noun: str = "sweep", figure: bool = True):
    """Run a plan's variants into sweep_dir/<variant>/ and write summary.csv (+ summary.png):
    (status by variant, outcomes, summary table, summary path, figure path or None)."""
    from . import build, lock, outdir, validation
    from .progress import Progress
    from .session import Session, runtime_directory
    from .tasks import Planned, build_tasks, section_parameters

    pending = validation.begin(build.cache_root(out_root))
    with runtime_directory() as runtime:
        planned = [Planned(s, section_parameters(model), sweep_dir / v.variant_id, v.variant_id)
                   for v in plan.valid for s, model in v.models.items()]
        tasks = build_tasks(planned, language=args.lang, cache_root=build.cache_root(out_root), timeout=args.timeout,
                            forced=args.force is not None, runtime_dir=runtime,
                            validated_data=validation.snapshot_path(build.cache_root(out_root)),
                            draw_figures=bool(getattr(args, "sweep_figures", False)))  # results only
        with Session(tasks, args, pending) as session, lock.exclusive(sweep_dir):
            outdir.mark(out_root)
            skipped = [v for v in plan.variants if not v.models]
            print(f"{noun} {plan.name}: {len(plan.valid)} variant(s) of {', '.join(plan.sections)} into {sweep_dir}"
                  + (f", {len(skipped)} invalid point(s) skipped (listed in summary.csv)" if skipped else ""))
            session.interrupted_message = ("interrupted: variants that had finished are in place, running ones "
                                           "were stopped and queued ones never started; summary.csv and "
                                           "summary.png were not rewritten")
            outcomes = session.execute(Progress(tasks, noun="variant" if len(plan.sections) == 1 else "task"))
            status = combined_status(plan, planned, outcomes)
            table = summary_rows(plan, sweep_dir, status, defaults_dir=out_root)
            summary = write_summary(plan, sweep_dir, status, table)
            drawn = plot_summary(plan, sweep_dir, table) if figure else None
    return status, outcomes, table, summary, drawn


def combined_status(plan: SweepPlan, planned, outcomes) -> dict[str, str]:
    """A variant's status over its sections: failed if any failed, cached if all were, else done."""
    by_variant: dict[str, list[str]] = {}
    for p, o in zip(planned, outcomes):
        by_variant.setdefault(p.variant, []).append(o.status)
    out = {}
    for v, statuses in by_variant.items():
        out[v] = ("failed" if "failed" in statuses else "cached" if all(s == "cached" for s in statuses)
                  else "done")
    return out


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


def print_summary_table(plan: SweepPlan, table: "SummaryTable", width: int = TERMINAL_WIDTH) -> None:
    """The summary in the terminal, no wider than `width`: variants numbered (#), their full ids listed
    once, then the parameters and outputs in as many tables as it takes, each starting with #."""
    from .progress import print_table

    for i, r in enumerate(table.rows, 1):
        print(f"#{i:<3} {r['variant_id']}" + ("  (default)" if r["default"] == "yes" else ""))
    print()
    keys = plan.swept
    headers = ["#", *keys, "status", *table.value_columns]
    rows = [[f"#{i}", *[_short(table.shown.get((r["variant_id"], k), r[k])) for k in keys], r["status"],
             *[_short(_value(r[c])) for c in table.value_columns]] for i, r in enumerate(table.rows, 1)]
    for n, (h, part) in enumerate(fit_columns(headers, rows, width)):
        if n:
            print()
        print_table(h, part)


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


def _read_results(path: Path) -> dict | None:
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
            payload = _read_results(sweep_dir / v.variant_id / "results" / f"{s}.json")
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
        payload = _read_results(Path(defaults_dir) / "results" / f"{s}.json") if defaults_dir else None
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
        row["default"] = "yes" if _is_default(v, plan) else ""
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
            scope, name = _qualify(ref.band, plan.sections)[0]
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


def _csv_text(columns: list[str], rows: list[dict]) -> str:
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
    from .collect import atomic_write

    table = table or summary_rows(plan, sweep_dir, status)
    sweep_dir.mkdir(parents=True, exist_ok=True)
    atomic_write(sweep_dir / "summary.columns.csv",
                 _csv_text(["column", "kind", "unit", "description"], column_descriptions(plan, table)))
    return atomic_write(sweep_dir / "summary.csv", _csv_text(table.columns, table.rows))


def _cell(value) -> str:
    """A parameter value in summary.csv: text as it is (no JSON quotes), anything else as JSON."""
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


def _value(cell):
    """A summary cell as a number when it is one ("" and text stay as they are)."""
    if isinstance(cell, str) and cell:
        try:
            return float(cell)
        except ValueError:
            return cell
    return cell


def summary_figure(plan: SweepPlan, table: SummaryTable):
    """summary.png's figure (run/sweep_plot.py, which imports matplotlib: only when a figure is drawn)."""
    from .sweep_plot import summary_figure as draw

    return draw(plan, table)


def plot_summary(plan: SweepPlan, sweep_dir: Path, table: SummaryTable) -> Path | None:
    from .sweep_plot import plot_summary as draw

    return draw(plan, sweep_dir, table)
