"""Parameters: loading, layering and validation (the models live with their
sections, lib/ecrights/sections/<name>/params.py).

Effective parameters = params/defaults.yaml (the ONE home of every default),
overlaid by an optional scenario file (only the keys that change), then by
`--set section.key=value` overrides. Everything is validated before any
notebook runs, strictly: a wrong type is an error, never converted (no
true → 1, no "2" → 2). Messages name the file, the key, a short prefix of the
bad value and what was expected.

A parameter that stands for something not public is an *assumption*: its
field carries the justification (both languages) as metadata, and the
section's record lists it from there (see `assumption` below).
"""

from __future__ import annotations

import re
import stat
from importlib import import_module
from pathlib import Path
from typing import Annotated, Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError

from . import paths
from . import sections as registry
from .errors import ParameterError, cut, shorten

SHARED = "shared"  # the pseudo-section of parameters several sections use (shared_params)

YearMonth = Annotated[str, StringConstraints(pattern=r"^\d{4}-(0[1-9]|1[0-2])$")]
Month = Annotated[int, Field(ge=1, le=12)]
Share = Annotated[float, Field(ge=0.0, le=1.0)]

# What the runner injects into every notebook beside the section's parameters
# (build options, never assumptions): the edition's language, where outputs go,
# the validated official table (a snapshot path; None: validate data/ in the kernel),
# and whether figures are drawn (False in sweep variants, which tabulate results).
BUILD_OPTIONS = ("language", "output_dir", "validated_data", "draw_figures")

# YAML guards: a parameter file is small; an alias bomb expands to millions of nodes
MAX_YAML_BYTES = 256 * 1024
MAX_YAML_NODES = 20_000
MAX_YAML_DEPTH = 32  # nesting of lists and mappings; far deeper would overflow the YAML composer's recursion
MERGE_TAG = "tag:yaml.org,2002:merge"


class SectionParams(BaseModel):
    """Base of every section's parameter model: unknown keys are errors, types
    are strict, values immutable once validated. Fields have no defaults here:
    params/defaults.yaml holds them."""

    # allow_inf_nan=False: a non-finite value (.inf, .nan, 1e309) is refused for every float
    # field of every section, nested ones included, here once rather than field by field
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True, allow_inf_nan=False)

    @classmethod
    def assumptions(cls) -> dict[str, dict[str, str]]:
        """{field: {"zh": justification, "en": justification}} for the fields that are assumptions."""
        out = {}
        for name, field in cls.model_fields.items():
            extra = field.json_schema_extra or {}
            if isinstance(extra, dict) and "assumption" in extra:
                out[name] = dict(extra["assumption"])
        return out


def assumption(description: str, zh: str, en: str, plausible: tuple | None = None, **constraints) -> Any:
    """A field for a quantity that is not public: what it is, and why its
    default is what it is (both languages; shown wherever the value is).
    `plausible` = (low, high, zh, en): the range `run_all.py --sensitivity`
    moves it across, and why that range (both languages)."""
    extra: dict = {"assumption": {"zh": zh, "en": en}}
    if plausible is not None:
        low, high, why_zh, why_en = plausible
        extra["plausible"] = {"low": low, "high": high, "zh": why_zh, "en": why_en}
    return Field(description=f"ASSUMED: {description}", json_schema_extra=extra, **constraints)


def plausible_ranges(model: type[SectionParams]) -> dict[str, dict]:
    """{field: {"low", "high", "zh", "en"}} for the assumptions that declare a plausible range."""
    out = {}
    for name, field in model.model_fields.items():
        extra = field.json_schema_extra or {}
        if isinstance(extra, dict) and "plausible" in extra:
            out[name] = dict(extra["plausible"])
    return out


def choice(description: str, measure: bool = False, **constraints) -> Any:
    """A field for an analysis choice (not a claim about the world). measure=True: its value changes what
    the section's results measure (e.g. a share of the year vs a growth rate), so a sweep never draws two
    of its values on one axis."""
    return Field(description=description, json_schema_extra={"measure": True} if measure else None, **constraints)


def measure_fields(model: type[SectionParams]) -> set[str]:
    """The fields declared with measure=True (see choice)."""
    return {name for name, field in model.model_fields.items()
            if isinstance(field.json_schema_extra, dict) and field.json_schema_extra.get("measure")}


def models() -> dict[str, type[SectionParams]]:
    """Each section's parameter model, the class its registry entry names in
    sections/<name>/params.py (imported by name: those modules import this one)."""
    return {name: getattr(import_module(f"{registry.__name__}.{name}.params"), section.params_model)
            for name, section in registry.SECTIONS.items()}


def shared_model() -> type[SectionParams]:
    """The model of the shared parameters (shared_params.py, imported by name: it imports this module)."""
    return import_module(f"{__package__}.shared_params").SharedParams


def shared_users(key: str) -> list[str]:
    """The sections whose model has the shared parameter `key` (it reaches each of them)."""
    return [name for name, model in models().items() if key in model.model_fields]


def local_copy_refused(origin: str, section: str, key: str) -> str:
    return (f"{origin}: {section}.{key} is a shared parameter (used by {', '.join(shared_users(key))}): "
            f"set it once as shared.{key} (in a parameter file under `shared:`, or --set shared.{key}=…), "
            "never per section, so that the sections cannot run on different values")


def __getattr__(name: str):  # MODELS: read when asked (the models' modules import this one)
    if name == "MODELS":
        return models()
    raise AttributeError(name)


# --------------------------------------------------------------------------
# Loading
# --------------------------------------------------------------------------

class _NoDuplicatesLoader(yaml.SafeLoader):
    """SafeLoader (no code execution) that also refuses duplicate keys."""


def _construct_mapping(loader, node, deep=False):
    seen = set()
    for key_node, _ in node.value:
        if key_node.tag == MERGE_TAG:
            raise yaml.constructor.ConstructorError(
                None, None, "a merge key (<<) is not supported here: write the keys out", key_node.start_mark)
        if not isinstance(key_node, yaml.ScalarNode):
            raise yaml.constructor.ConstructorError(
                None, None, f"a key must be a plain name, not a {'list' if isinstance(key_node, yaml.SequenceNode) else 'mapping'}",
                key_node.start_mark)
        key = loader.construct_object(key_node, deep=deep)
        if key in seen:
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key {shorten(key, 40)}", key_node.start_mark)
        seen.add(key)
    return yaml.SafeLoader.construct_mapping(loader, node, deep)


_NoDuplicatesLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def _expanded_size(node, memo: dict[int, int]) -> int:
    """Nodes the document would have with every alias expanded (memoised on the
    composed graph, so counting a bomb costs no more than reading it)."""
    key = id(node)
    if key in memo:
        return memo[key]
    memo[key] = MAX_YAML_NODES + 1  # a cycle (recursive alias) counts as too big
    if isinstance(node, yaml.MappingNode):
        size = 1 + sum(_expanded_size(k, memo) + _expanded_size(v, memo) for k, v in node.value)
    elif isinstance(node, yaml.SequenceNode):
        size = 1 + sum(_expanded_size(v, memo) for v in node.value)
    else:
        size = 1
    memo[key] = min(size, MAX_YAML_NODES + 1)
    return memo[key]


def _check_depth(text: str, where: str) -> None:
    """Refuse nesting deeper than MAX_YAML_DEPTH from the event stream (the parser is
    iterative; composing the document is recursive and would overflow first)."""
    depth = 0
    for event in yaml.parse(text, Loader=yaml.SafeLoader):
        if isinstance(event, (yaml.SequenceStartEvent, yaml.MappingStartEvent)):
            depth += 1
            if depth > MAX_YAML_DEPTH:
                raise ParameterError(f"{where}: lists or mappings nested more than {MAX_YAML_DEPTH} deep (line "
                                     f"{event.start_mark.line + 1}); a parameter file is a few flat lines")
        elif isinstance(event, (yaml.SequenceEndEvent, yaml.MappingEndEvent)):
            depth -= 1


def parse_yaml(text: str, where: str) -> Any:
    """YAML read safely: no code execution, no duplicate keys, no alias bomb."""
    if len(text.encode("utf-8")) > MAX_YAML_BYTES:
        raise ParameterError(f"{where}: larger than {MAX_YAML_BYTES // 1024} KiB; a parameter file is a few lines")
    try:
        _check_depth(text, where)
        loader = _NoDuplicatesLoader(text)
        try:
            node = loader.get_single_node()
            if node is not None and _expanded_size(node, {}) > MAX_YAML_NODES:
                raise ParameterError(f"{where}: expands to more than {MAX_YAML_NODES} values (YAML aliases "
                                     "nested too deep?); refused before building it")
            return loader.construct_document(node) if node is not None else None
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as exc:  # one line: where and what, no snippet of the text
        mark = exc.problem_mark or exc.context_mark
        lines = text.splitlines()
        shown = f" ({cut(lines[mark.line].strip(), 60)!r})" if mark and mark.line < len(lines) else ""
        at = f", line {mark.line + 1}, column {mark.column + 1}{shown}" if mark else ""
        what = "; ".join(x for x in (exc.context, exc.problem) if x)
        raise ParameterError(f"{where}{at}: not valid YAML: {cut(what)}") from None
    except yaml.YAMLError as exc:
        raise ParameterError(f"{where}: not valid YAML: {cut(' '.join(str(exc).split()))}") from None


def _regular_file(path: Path) -> None:
    """A parameter file must be a regular file given as itself: a symlink is refused
    unread (its target's content is never echoed), a directory, FIFO or device
    named as such."""
    try:
        info = path.lstat()
    except FileNotFoundError:
        raise ParameterError(f"{path}: parameter file not found") from None
    except OSError as exc:
        raise ParameterError(f"{path}: cannot be read ({exc.strerror})") from None
    kind = ("a symbolic link (give the file itself)" if stat.S_ISLNK(info.st_mode) else
            "a directory" if stat.S_ISDIR(info.st_mode) else
            "a FIFO (named pipe)" if stat.S_ISFIFO(info.st_mode) else
            "a socket" if stat.S_ISSOCK(info.st_mode) else
            "a device" if stat.S_ISCHR(info.st_mode) or stat.S_ISBLK(info.st_mode) else None)
    if kind:
        raise ParameterError(f"{path}: is {kind}; expected a regular YAML file")


def load_yaml_mapping(path: Path) -> dict:
    """A YAML file holding a mapping, read safely."""
    path = Path(path)
    _regular_file(path)
    if path.stat().st_size > MAX_YAML_BYTES:
        raise ParameterError(f"{path}: larger than {MAX_YAML_BYTES // 1024} KiB; a parameter file is a few lines")
    try:
        text = path.read_bytes().decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ParameterError(f"{path}: not UTF-8 text (byte {exc.start}); save the file as UTF-8") from None
    data = parse_yaml(text, str(path))
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise ParameterError(f"{path}: expected a mapping of section -> parameters, got {type(data).__name__}")
    return data


def load_yaml(path: Path) -> dict:
    """A parameter file: section name -> {parameter: value}."""
    path = Path(path)
    data = load_yaml_mapping(path)
    known = models()
    for section, values in data.items():
        if section not in known and section != SHARED:
            raise ParameterError(f"{path}: unknown section {shorten(section, 40)}; expected one of "
                                 f"{sorted(known)} or {SHARED!r} (parameters several sections use)")
        if values is None:
            data[section] = {}
        elif not isinstance(values, dict):
            raise ParameterError(f"{path}: section {section!r} must be a mapping of parameter -> value, "
                                 f"got {shorten(values)}")
        bad = [k for k in data[section] if not isinstance(k, str)]
        if bad:
            raise ParameterError(f"{path}: section {section!r}: a parameter name must be text, got "
                                 f"{type(bad[0]).__name__} {shorten(bad[0], 40)}")
    return data


_SET = re.compile(r"^(?P<section>[a-z_]+)\.(?P<key>[a-z_][a-z0-9_]*)=(?P<value>.*)$", re.S)


def parse_set(expr: str) -> tuple[str, str, Any]:
    """'promotion_effects.window=3' -> ('promotion_effects', 'window', 3).

    The value is read as YAML by the same guarded loader as the files, so 3
    is an int, 0.09 a float, [6, 11] a list and zh a string.
    """
    m = _SET.match(expr.strip())
    if not m:
        raise ParameterError(f"--set {shorten(expr)}: expected SECTION.KEY=VALUE, e.g. promotion_effects.window=3")
    section, key, raw = m.group("section"), m.group("key"), m.group("value")
    known = models()
    if section not in known and section != SHARED:
        raise ParameterError(f"--set {shorten(expr)}: unknown section {section!r}; expected one of {sorted(known)} "
                             f"or {SHARED!r} (parameters several sections use)")
    value = parse_yaml(raw, f"--set {shorten(expr)}") if raw.strip() else ""
    return section, key, value


def describe_expected(model: type[SectionParams], key: str) -> str:
    field = model.model_fields.get(key)
    if field is None:
        return f"one of the known parameters {sorted(model.model_fields)}"
    return f"{key}: {field.description or ''}"


def _validate(section: str, values: dict, origins: dict[str, str], defaults: str = "params/defaults.yaml"
              ) -> SectionParams:
    model = shared_model() if section == SHARED else models()[section]
    try:
        return model(**values)
    except ValidationError as exc:
        lines = []
        for err in exc.errors():
            key = str(err["loc"][0]) if err["loc"] else ""
            origin = origins.get(key, defaults)
            bad = shorten(err.get("input"))
            if err["type"] == "extra_forbidden":
                lines.append(f"{origin}: {section}.{key} = {bad}: unknown parameter; expected one of "
                             f"{sorted(model.model_fields)}")
            elif err["type"] == "missing":
                lines.append(f"{origin}: {section}.{key} is missing (every parameter has its default in "
                             f"{defaults})")
            else:
                if key:
                    where = f"{origin}: {section}.{key} = {bad}"
                else:  # a check across several keys
                    where = f"{', '.join(sorted(set(origins.values())) or ['defaults'])}: {section}"
                loc = ".".join(str(p) for p in err["loc"][1:])
                lines.append(f"{where}: {err['msg']}" + (f" (at {loc})" if loc else "")
                             + (f" — expected {describe_expected(model, key)}" if key else ""))
        raise ParameterError("invalid parameters:\n  " + "\n  ".join(lines)) from None


def from_namespace(section: str, namespace: dict) -> SectionParams:
    """Validate a notebook's parameters cell (run by papermill or by hand in
    JupyterLab) against the section's model."""
    model = models()[section]
    values = {k: namespace[k] for k in model.model_fields if k in namespace}
    return _validate(section, values, {k: "notebook parameters" for k in values})


def default_params_file() -> Path:
    return paths.params_dir() / "defaults.yaml"


def resolve(sections: list[str], defaults_file: Path | None = None, scenario_file: Path | None = None,
            overrides: list[str] = ()) -> dict[str, SectionParams]:
    """Effective, validated parameters for the given sections.

    Every section named anywhere (a scenario file, a --set) is validated too,
    run or not: a mistyped key or value never passes silently."""
    defaults_file = Path(defaults_file) if defaults_file else default_params_file()
    layers: list[tuple[str, dict]] = [(str(defaults_file), load_yaml(defaults_file))]
    if scenario_file:
        layers.append((str(scenario_file), load_yaml(Path(scenario_file))))
    sets: dict[str, dict] = {}
    for expr in overrides:
        section, key, value = parse_set(expr)
        sets.setdefault(section, {})[key] = value
    layers.append(("--set", sets))
    return apply_layers(sections, layers, str(defaults_file))


def apply_layers(sections: list[str], layers: list[tuple[str, dict]], defaults: str = "params/defaults.yaml"
                 ) -> dict[str, SectionParams]:
    """Validated parameters of `sections` from layers [(origin, {section or 'shared': {key: value}})], later
    layers overriding earlier ones. Shared parameters (shared_params) are taken from the `shared` mapping and
    injected into every section whose model has them; a section-local copy of one is refused. Every section
    named in a layer after the first is validated too; every problem is listed at once."""
    known = models()
    shared_fields = shared_model().model_fields
    named = [s for _, layer in layers[1:] for s in layer if s != SHARED]
    problems: list[str] = []
    shared_values: dict = {}
    shared_origins: dict[str, str] = {}
    for origin, layer in layers:
        for key, value in (layer.get(SHARED) or {}).items():
            shared_values[key] = value
            shared_origins[key] = origin
        for section, values in layer.items():
            for key in (values or {}) if section != SHARED else ():
                if key in shared_fields:
                    problems.append(local_copy_refused(origin, section, key))
    if not problems:
        try:
            _validate(SHARED, shared_values, shared_origins, defaults)
        except ParameterError as exc:
            problems.append(str(exc))
    shared_broken = bool(problems)
    out = {}
    for section in list(dict.fromkeys(list(sections) + named)):
        if section not in known:
            problems.append(f"unknown section {section!r}; expected one of {sorted(known)}")
            continue
        if shared_broken and set(shared_fields) & set(known[section].model_fields):
            continue  # a shared problem would be repeated by every section using it
        model = known[section]
        values = {k: v for k, v in shared_values.items() if k in model.model_fields}
        origins = {k: f"{shared_origins[k]} (shared.{k})" for k in values}
        for origin, layer in layers:
            for key, value in (layer.get(section) or {}).items():
                values[key] = value
                origins[key] = origin
        try:
            validated = _validate(section, values, origins, defaults)
        except ParameterError as exc:
            problems.append(str(exc))
            continue
        if section in sections:
            out[section] = validated
    if len(problems) == 1:
        raise ParameterError(problems[0])
    if problems:
        raise ParameterError(f"{len(problems)} problems in the parameters:\n" + "\n".join(problems))
    return out


def changed_from_defaults(effective: dict[str, SectionParams], defaults_file: Path | None = None) -> dict:
    """{section: {key: (default, effective)}} for every parameter that differs."""
    base = resolve(list(effective), defaults_file)
    out = {}
    for section, params in effective.items():
        diff = {k: (getattr(base[section], k), v) for k, v in params.model_dump().items()
                if getattr(base[section], k) != v}
        if diff:
            out[section] = diff
    return out
