"""Parameters: one pydantic model per section, safe YAML loading, overrides.

Effective parameters = the model's defaults, overlaid by params/defaults.yaml,
then by an optional scenario file (only the keys that change), then by
`--set section.key=value` overrides. Everything is validated before any
notebook runs; unknown keys, wrong types and out-of-range values are errors
that name the file, the key, the bad value and what was expected.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Annotated, Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError, model_validator

from . import paths

YearMonth = Annotated[str, StringConstraints(pattern=r"^\d{4}-(0[1-9]|1[0-2])$")]
Month = Annotated[int, Field(ge=1, le=12)]
Share = Annotated[float, Field(ge=0.0, le=1.0)]


class ParameterError(Exception):
    """Bad parameters; the message names file, key, value and expectation."""


class SectionParams(BaseModel):
    """Parameters every section has."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    language: Literal["zh", "en"] = Field("zh", description="language of figure labels and tables: zh or en")


class RetailGrowthParams(SectionParams):
    period_start: YearMonth = Field("2018-01", description="first month shown in Figures 1–4")
    period_end: YearMonth = Field("2019-12", description="last month shown in Figures 1–3")
    share_period_end: YearMonth = Field("2019-11", description="last month of Figure 4 (the report stops at 2019-11)")

    @model_validator(mode="after")
    def _ordered(self):
        if self.period_start > self.period_end:
            raise ValueError(f"period_start {self.period_start} is after period_end {self.period_end}")
        if self.share_period_end < self.period_start:
            raise ValueError(f"share_period_end {self.share_period_end} is before period_start {self.period_start}")
        return self


class PromotionEffectsParams(SectionParams):
    year_start: int = Field(2015, ge=2015, le=2019, description="first year of the promotion-effect regression")
    year_end: int = Field(2019, ge=2015, le=2019, description="last year of the promotion-effect regression")
    promotion_months: list[Month] = Field([6, 11], min_length=1, description="months of the big promotions (6·18, 双11)")
    window: int = Field(1, ge=1, le=2, description="months counted as the promotion period, from the promotion month")
    series: Literal["online_retail_total", "online_retail_physical"] = Field(
        "online_retail_total", description="online series whose single months are derived")
    outcome: Literal["single_month_yoy", "share_of_year"] = Field(
        "share_of_year", description="regression outcome: a month's share of the year's sales (the lift's size), "
                                     "or its YoY growth (the lift's change)")
    periods: Literal["single_months", "all_periods"] = Field(
        "all_periods", description="single months only, or also periods spanning a missing release "
                                   "(a promotion month counted by its share of the period)")
    hac_maxlags: int = Field(2, ge=0, le=12, description="lags of the HAC (Newey-West) standard errors")
    confidence: float = Field(0.95, gt=0.5, lt=1.0, description="confidence level of intervals")

    @model_validator(mode="after")
    def _years(self):
        if self.year_start > self.year_end:
            raise ValueError(f"year_start {self.year_start} is after year_end {self.year_end}")
        return self


class IndexWeights(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    # 0.18 / 0.82: the two-component weights (5/27.8, 22.8/27.8) at the precision of the report's figures
    weight_dispute_rate: Share = Field(0.18, description="ASSUMED weight of 总纠纷率指数 in the total index")
    weight_counterfeit_perception: Share = Field(0.82, description="ASSUMED weight of 假货感知比率")

    @model_validator(mode="after")
    def _sum(self):
        if self.weight_dispute_rate + self.weight_counterfeit_perception > 1 + 1e-9:
            raise ValueError("weight_dispute_rate + weight_counterfeit_perception must not exceed 1 "
                             "(the rest is the weight of the unnamed components)")
        return self


class IndexTrendParams(SectionParams, IndexWeights):
    proactive_share: Share = Field(0.09, description="ASSUMED share of disputes that are proactive interventions in 2019 "
                                                     "(report: about 9% in December 2019)")
    proactive_months: int = Field(12, ge=1, le=12, description="ASSUMED number of 2019 months with that share "
                                                             "(the report gives December only)")
    dispute_rate_level_2018: float = Field(100.0, gt=0, description="ASSUMED 2018 mean of the dispute-rate sub-index "
                                                                     "(base May 2016 = 100)")
    flat_tolerance_points: float = Field(1.0, ge=0, description="what '基本持平' allows, in index points")
    smoothness: float = Field(1.0, gt=0, description="weight of the second-difference penalty in the reconstruction")
    band_smoothness: list[Annotated[float, Field(gt=0)]] = Field(
        [0.1, 1.0, 10.0], min_length=2, description="smoothness values whose solutions span the band of Figure 5")
    admissible_low: float = Field(0.0, ge=0, description="lowest value a month of the index may take (admissible set)")
    admissible_high: float = Field(200.0, gt=0, description="highest value a month of the index may take "
                                                            "(admissible set)")
    peak_months: list[Month] = Field([1, 2, 6, 7, 11, 12], min_length=1,
                                     description="months the report says peak (春节, 6·18 and 双11 and the month after)")


class AiAnticounterfeitParams(SectionParams, IndexWeights):
    weight_grid_points: int = Field(101, ge=11, le=1001, description="grid size of the weight sensitivity")


class IndustryBreakdownParams(SectionParams):
    category_mapping: dict[str, list[str]] = Field(
        {"食品": ["category_grain_oil_food", "category_beverage"],
         "美妆": ["category_cosmetics"],
         "服装": ["category_clothing"],
         "大家电": ["category_appliances"],
         "百货": ["category_daily_use"],
         "装修定制": ["category_building_decoration", "category_furniture"]},
        description="report industry -> NBS commodity categories (a documented judgement; unmapped = no counterpart)")
    year: int = Field(2019, ge=2018, le=2019, description="year of the official category growth set against the industries")


# Registry of models by section name. sections.py pairs them with notebooks.
MODELS: dict[str, type[SectionParams]] = {
    "retail_growth": RetailGrowthParams,
    "index_trend": IndexTrendParams,
    "promotion_effects": PromotionEffectsParams,
    "industry_breakdown": IndustryBreakdownParams,
    "ai_anticounterfeit": AiAnticounterfeitParams,
}


# --------------------------------------------------------------------------
# Loading
# --------------------------------------------------------------------------

class _NoDuplicatesLoader(yaml.SafeLoader):
    """SafeLoader (no code execution) that also refuses duplicate keys."""


def _construct_mapping(loader, node, deep=False):
    seen = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=deep)
        if key in seen:
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key {key!r}", key_node.start_mark)
        seen.add(key)
    return yaml.SafeLoader.construct_mapping(loader, node, deep)


_NoDuplicatesLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def load_yaml_mapping(path: Path) -> dict:
    """A YAML file holding a mapping, read safely (no code execution, no duplicate keys)."""
    path = Path(path)
    if not path.is_file():
        raise ParameterError(f"{path}: parameter file not found")
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_NoDuplicatesLoader)
    except yaml.YAMLError as exc:
        raise ParameterError(f"{path}: not valid YAML: {exc}") from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise ParameterError(f"{path}: expected a mapping, got {type(data).__name__}")
    return data


def load_yaml(path: Path) -> dict:
    """A parameter file: section name -> {parameter: value}."""
    path = Path(path)
    data = load_yaml_mapping(path)
    for section, values in data.items():
        if section not in MODELS:
            raise ParameterError(f"{path}: unknown section {section!r}; expected one of {sorted(MODELS)}")
        if values is None:
            data[section] = {}
        elif not isinstance(values, dict):
            raise ParameterError(f"{path}: section {section!r} must be a mapping of parameter -> value, "
                                 f"got {values!r}")
    return data


_SET = re.compile(r"^(?P<section>[a-z_]+)\.(?P<key>[a-z_][a-z0-9_]*)=(?P<value>.*)$", re.S)


def parse_set(expr: str) -> tuple[str, str, Any]:
    """'promotion_effects.window=3' -> ('promotion_effects', 'window', 3).

    The value is read as YAML (safely), so 3 is an int, 0.09 a float,
    [6, 11] a list and zh a string.
    """
    m = _SET.match(expr.strip())
    if not m:
        raise ParameterError(f"--set {expr!r}: expected SECTION.KEY=VALUE, e.g. promotion_effects.window=3")
    section, key, raw = m.group("section"), m.group("key"), m.group("value")
    if section not in MODELS:
        raise ParameterError(f"--set {expr!r}: unknown section {section!r}; expected one of {sorted(MODELS)}")
    try:
        value = yaml.safe_load(raw) if raw.strip() else ""
    except yaml.YAMLError as exc:
        raise ParameterError(f"--set {expr!r}: value is not valid YAML: {exc}") from None
    return section, key, value


def describe_expected(model: type[SectionParams], key: str) -> str:
    field = model.model_fields.get(key)
    if field is None:
        return f"one of the known parameters {sorted(model.model_fields)}"
    text = field.description or ""
    return f"{key}: {text} (default {field.default!r})"


def _validate(section: str, values: dict, origins: dict[str, str]) -> SectionParams:
    model = MODELS[section]
    try:
        return model(**values)
    except ValidationError as exc:
        lines = []
        for err in exc.errors():
            key = str(err["loc"][0]) if err["loc"] else ""
            origin = origins.get(key, "parameters")
            if err["type"] == "extra_forbidden":
                lines.append(f"{origin}: {section}.{key} = {err['input']!r}: unknown parameter; expected one of "
                             f"{sorted(model.model_fields)}")
            else:
                bad = err.get("input")
                if key:
                    where = f"{origin}: {section}.{key} = {bad!r}"
                else:  # a check across several keys
                    where = f"{', '.join(sorted(set(origins.values())) or ['defaults'])}: {section}"
                lines.append(f"{where}: {err['msg']}" + (f" — expected {describe_expected(model, key)}" if key else ""))
        raise ParameterError("invalid parameters:\n  " + "\n  ".join(lines)) from None


def from_namespace(section: str, namespace: dict) -> SectionParams:
    """Validate a notebook's parameters cell (run by papermill or by hand in
    JupyterLab) against the section's model."""
    model = MODELS[section]
    values = {k: namespace[k] for k in model.model_fields if k in namespace}
    return _validate(section, values, {k: "notebook parameters" for k in values})


def resolve(sections: list[str], defaults_file: Path | None = None, scenario_file: Path | None = None,
            overrides: list[str] = ()) -> dict[str, SectionParams]:
    """Effective, validated parameters for the given sections."""
    defaults_file = Path(defaults_file) if defaults_file else paths.params_dir() / "defaults.yaml"
    layers: list[tuple[str, dict]] = [(str(defaults_file), load_yaml(defaults_file))]
    if scenario_file:
        layers.append((str(scenario_file), load_yaml(Path(scenario_file))))
    sets: dict[str, dict] = {}
    for expr in overrides:
        section, key, value = parse_set(expr)
        sets.setdefault(section, {})[key] = value
    layers.append(("--set", sets))

    out = {}
    # a --set for a section that is not run is validated too (and dropped):
    # a mistyped key or value must not pass silently
    for section in list(sections) + [s for s in sets if s not in sections]:
        if section not in MODELS:
            raise ParameterError(f"unknown section {section!r}; expected one of {sorted(MODELS)}")
        values: dict = {}
        origins: dict[str, str] = {}
        for origin, layer in layers:
            for key, value in layer.get(section, {}).items():
                values[key] = value
                origins[key] = origin
        validated = _validate(section, values, origins)
        if section in sections:
            out[section] = validated
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
