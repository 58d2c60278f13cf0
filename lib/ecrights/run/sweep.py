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
summary.png plots them.

This module plans a sweep (the file read and checked, every variant validated); running it is
run/sweep_run.py, its summary (CSV, terminal table) run/sweep_summary.py, its figure
run/sweep_plot.py.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import re
from dataclasses import dataclass, field
from fnmatch import fnmatchcase
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from .. import params as params_mod
from .. import sections
from ..errors import shorten
from ..params import SHARED, ParameterError, load_yaml_mapping

SWEEP_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]*")
GLOB_CHARS = set("*?[]")


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

    def is_default(self, v: Variant) -> bool:
        """A variant is the default when every parameter it runs with is the default's, the sweep's
        `base` included (not only the swept keys)."""
        if v.models:
            return all(m.model_dump() == self.default_models[s].model_dump() for s, m in v.models.items())
        return all(value == self.defaults.get(k) for k, value in v.overrides.items())

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


def qualify(key: str, names: list[str]) -> tuple[tuple[str, str] | None, str]:
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
        qualified, problem = qualify(key, names)
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
        band, problem = qualify(ref.band, names)
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
