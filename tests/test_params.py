"""lib/ecrights/params.py: layering, validation and clear errors."""

from __future__ import annotations

import pytest

from conftest import PROJECT_ROOT
from ecrights import params, sections
from ecrights.params import MODELS, ParameterError, parse_set, resolve

DEFAULTS = PROJECT_ROOT / "params" / "defaults.yaml"


def _yaml(tmp_path, text: str, name: str = "scenario.yaml"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_defaults_resolve_for_every_section():
    effective = resolve(list(MODELS), defaults_file=DEFAULTS)
    assert set(effective) == set(MODELS)
    for name, value in effective.items():
        assert isinstance(value, MODELS[name])
    assert effective["retail_growth"].period_start == "report"
    assert effective["promotion_effects"].promotion_months == [6, 11]
    assert effective["index_trend"].weight_dispute_rate == "two_component"


def test_every_registered_section_has_a_model_and_defaults():
    assert set(sections.names()) == set(MODELS)
    assert set(params.load_yaml(DEFAULTS)) == set(MODELS) | {params.SHARED}


# --------------------------------------------------------------------------
# Shared parameters: declared once, set with one name, reaching every section that uses them
# --------------------------------------------------------------------------

def test_a_shared_parameter_is_set_once_and_reaches_every_section_using_it(tmp_path):
    from ecrights.shared_params import SharedParams

    users = {name for name in MODELS if "weight_counterfeit_perception" in MODELS[name].model_fields}
    assert users == {"index_trend", "ai_anticounterfeit"}
    assert params.shared_users("weight_counterfeit_perception") == [s for s in sections.names() if s in users]
    assert set(SharedParams.model_fields) <= set(MODELS["index_trend"].model_fields)
    sets = ["shared.weight_dispute_rate=0.3", "shared.weight_counterfeit_perception=0.5"]
    effective = resolve(sections.names(), defaults_file=DEFAULTS, overrides=sets)
    for name in users:
        assert (effective[name].weight_dispute_rate, effective[name].weight_counterfeit_perception) == (0.3, 0.5)
    # the same through a scenario file's `shared:` mapping
    scenario = _yaml(tmp_path, "shared:\n  weight_dispute_rate: 0.25\n  weight_counterfeit_perception: 0.6\n")
    layered = resolve(["ai_anticounterfeit"], defaults_file=DEFAULTS, scenario_file=scenario)
    assert layered["ai_anticounterfeit"].weight_counterfeit_perception == 0.6
    # the cache key of each section using it changes with it (it is part of the notebook's parameters)
    from ecrights.run.tasks import section_parameters

    base = resolve(sections.names(), defaults_file=DEFAULTS)
    for name in sections.names():
        changed = section_parameters(base[name]) != section_parameters(effective[name])
        assert changed == (name in users), name


@pytest.mark.parametrize("where", ["--set", "file"])
@pytest.mark.parametrize("section", ["index_trend", "ai_anticounterfeit"])
def test_a_section_local_copy_of_a_shared_parameter_is_refused(tmp_path, where, section):
    if where == "--set":
        call = dict(overrides=[f"{section}.weight_counterfeit_perception=0.5"])
    else:
        call = dict(scenario_file=_yaml(tmp_path, f"{section}:\n  weight_counterfeit_perception: 0.5\n"))
    with pytest.raises(ParameterError) as err:
        resolve([section], defaults_file=DEFAULTS, **call)
    text = str(err.value)
    assert f"{section}.weight_counterfeit_perception is a shared parameter" in text
    assert "shared.weight_counterfeit_perception" in text and "index_trend, ai_anticounterfeit" in text


def test_shared_parameters_are_validated_once_with_their_shared_name():
    with pytest.raises(ParameterError, match=r"shared: .*must not exceed 1") as err:
        resolve(["index_trend", "ai_anticounterfeit"], defaults_file=DEFAULTS,
                overrides=["shared.weight_dispute_rate=0.7", "shared.weight_counterfeit_perception=0.5"])
    assert str(err.value).count("must not exceed 1") == 1  # not once per section
    with pytest.raises(ParameterError, match="shared.weight_dispute_rate = 'heavy'"):
        resolve(["index_trend"], defaults_file=DEFAULTS, overrides=["shared.weight_dispute_rate=heavy"])
    with pytest.raises(ParameterError, match="unknown parameter"):
        resolve(["index_trend"], defaults_file=DEFAULTS, overrides=["shared.colour=1"])


def test_scenario_layer_changes_only_its_keys(tmp_path):
    scenario = _yaml(tmp_path, "promotion_effects:\n  window: 2\n  series: online_retail_physical\n")
    base = resolve(["promotion_effects"], defaults_file=DEFAULTS)["promotion_effects"]
    layered = resolve(["promotion_effects"], defaults_file=DEFAULTS, scenario_file=scenario)["promotion_effects"]
    assert (layered.window, layered.series) == (2, "online_retail_physical")
    assert layered.model_dump(exclude={"window", "series"}) == base.model_dump(exclude={"window", "series"})


def test_set_overrides_scenario_and_defaults(tmp_path):
    scenario = _yaml(tmp_path, "promotion_effects:\n  window: 2\n")
    out = resolve(["promotion_effects", "index_trend"], defaults_file=DEFAULTS, scenario_file=scenario,
                  overrides=["promotion_effects.window=1", "index_trend.proactive_share=0.12",
                             "promotion_effects.promotion_months=[11]"])
    assert out["promotion_effects"].window == 1
    assert out["promotion_effects"].promotion_months == [11]
    assert out["index_trend"].proactive_share == pytest.approx(0.12)


def test_changed_from_defaults_lists_only_changes():
    effective = resolve(["promotion_effects", "retail_growth"], defaults_file=DEFAULTS,
                        overrides=["promotion_effects.window=2"])
    assert params.changed_from_defaults(effective, DEFAULTS) == {"promotion_effects": {"window": (1, 2)}}


def test_from_namespace_validates_a_notebooks_parameters():
    ok = params.from_namespace("retail_growth", {"language": "en", "period_start": "2018-06", "period_end": "report",
                                                 "share_period_end": "report", "output_dir": None, "unrelated": 1})
    assert ok.period_start == "2018-06" and not hasattr(ok, "language")  # language is a build option
    with pytest.raises(ParameterError, match="notebook parameters: retail_growth.period_start = 'June'"):
        params.from_namespace("retail_growth", {"period_start": "June", "period_end": "report",
                                                "share_period_end": "report"})


def test_every_parameter_has_its_default_in_the_yaml_and_nowhere_else():
    # the models carry no defaults: a field missing from defaults.yaml is an error naming the file
    for name, model in MODELS.items():
        assert all(f.is_required() for f in model.model_fields.values()), name
    with pytest.raises(ParameterError) as info:
        params._validate("promotion_effects", {}, {})
    assert "promotion_effects.window is missing" in str(info.value) and "params/defaults.yaml" in str(info.value)


def test_assumptions_carry_their_justification_in_both_languages():
    for name, model in MODELS.items():
        for field, justification in model.assumptions().items():
            assert set(justification) == {"zh", "en"} and all(justification.values()), (name, field)
            assert model.model_fields[field].description.startswith("ASSUMED"), (name, field)
    assert "weight_dispute_rate" in MODELS["index_trend"].assumptions()


# -- errors: each names where (file or --set), the key, the value, the expectation --

def _message(**kwargs) -> str:
    with pytest.raises(ParameterError) as info:
        resolve(kwargs.pop("sections", ["promotion_effects", "retail_growth"]), defaults_file=DEFAULTS, **kwargs)
    return str(info.value)


def test_unknown_key_in_file(tmp_path):
    path = _yaml(tmp_path, "retail_growth:\n  colour: red\n")
    msg = _message(scenario_file=path)
    assert str(path) in msg and "retail_growth.colour" in msg and "'red'" in msg
    assert "unknown parameter" in msg and "period_start" in msg  # the known ones are listed


def test_unknown_key_in_set():
    msg = _message(overrides=["retail_growth.colour=red"])
    assert "--set" in msg and "retail_growth.colour" in msg and "'red'" in msg and "share_period_end" in msg


def test_wrong_type_in_file(tmp_path):
    path = _yaml(tmp_path, "promotion_effects:\n  hac_maxlags: many\n")
    msg = _message(scenario_file=path)
    assert str(path) in msg and "promotion_effects.hac_maxlags" in msg and "'many'" in msg
    assert "valid integer" in msg and "expected hac_maxlags" in msg


def test_wrong_type_in_set():
    msg = _message(overrides=["promotion_effects.window=abc"])
    assert "--set" in msg and "promotion_effects.window" in msg and "'abc'" in msg and "valid integer" in msg


def test_out_of_range_in_file(tmp_path):
    path = _yaml(tmp_path, "promotion_effects:\n  window: 3\n")
    msg = _message(scenario_file=path)
    assert str(path) in msg and "promotion_effects.window = 3" in msg
    assert "less than or equal to 2" in msg and "months counted as the promotion period" in msg


def test_out_of_range_in_set():
    msg = _message(overrides=["promotion_effects.promotion_months=[6, 13]"])
    assert "--set" in msg and "promotion_months" in msg and "13" in msg and "less than or equal to 12" in msg


def test_out_of_range_share_in_set():
    msg = _message(sections=["index_trend"], overrides=["index_trend.proactive_share=1.5"])
    assert "--set" in msg and "index_trend.proactive_share = 1.5" in msg and "less than or equal to 1" in msg


def test_literal_value_in_file(tmp_path):
    path = _yaml(tmp_path, "promotion_effects:\n  series: online_retail_everything\n")
    msg = _message(scenario_file=path)
    assert str(path) in msg and "promotion_effects.series = 'online_retail_everything'" in msg
    assert "'online_retail_total'" in msg and "'online_retail_physical'" in msg


def test_language_is_not_a_section_parameter(tmp_path):
    path = _yaml(tmp_path, "retail_growth:\n  language: en\n")
    msg = _message(scenario_file=path)
    assert "retail_growth.language" in msg and "unknown parameter" in msg


def test_cross_key_check_names_the_origins():
    msg = _message(overrides=["retail_growth.period_start=2020-01", "retail_growth.period_end=2019-12"])
    assert "--set" in msg and "retail_growth" in msg and "period_start 2020-01 is after period_end 2019-12" in msg


def test_unknown_section_in_file(tmp_path):
    path = _yaml(tmp_path, "retail_growt:\n  period_start: report\n")
    msg = _message(scenario_file=path)
    assert str(path) in msg and "'retail_growt'" in msg and "retail_growth" in msg


def test_unknown_section_in_set():
    msg = _message(overrides=["retail_growt.period_start=report"])
    assert "--set" in msg and "'retail_growt'" in msg and "expected one of" in msg


def test_unknown_section_requested():
    with pytest.raises(ParameterError, match="unknown section 'nosuch'"):
        resolve(["nosuch"], defaults_file=DEFAULTS)


def test_duplicate_yaml_key(tmp_path):
    path = _yaml(tmp_path, "promotion_effects:\n  window: 1\n  window: 2\n")
    msg = _message(scenario_file=path)
    assert str(path) in msg and "duplicate key 'window'" in msg and "window: 2" in msg and "line 3" in msg


def test_duplicate_section(tmp_path):
    path = _yaml(tmp_path, "retail_growth:\n  period_end: report\nretail_growth:\n  period_end: 2019-12\n")
    msg = _message(scenario_file=path)
    assert str(path) in msg and "duplicate key 'retail_growth'" in msg


def test_unsafe_yaml_tag_is_refused_not_executed(tmp_path):
    marker = tmp_path / "pwned"
    path = _yaml(tmp_path, f'promotion_effects:\n  window: !!python/object/apply:os.system ["touch {marker}"]\n')
    msg = _message(scenario_file=path)
    assert str(path) in msg and "python/object/apply:os.system" in msg and "window" in msg
    assert not marker.exists()


def test_not_a_mapping(tmp_path):
    path = _yaml(tmp_path, "- retail_growth\n")
    assert str(path) in _message(scenario_file=path)
    path = _yaml(tmp_path, "retail_growth: zh\n", name="flat.yaml")
    msg = _message(scenario_file=path)
    assert str(path) in msg and "'retail_growth'" in msg and "'zh'" in msg


def test_missing_scenario_file(tmp_path):
    path = tmp_path / "nope.yaml"
    msg = _message(scenario_file=path)
    assert str(path) in msg and "not found" in msg


def test_empty_file_and_empty_section_are_fine(tmp_path):
    empty = _yaml(tmp_path, "# nothing\n")
    section = _yaml(tmp_path, "retail_growth:\n", name="section.yaml")
    for path in (empty, section):
        assert resolve(["retail_growth"], defaults_file=DEFAULTS, scenario_file=path)["retail_growth"].period_end == "report"


# -- parse_set --

@pytest.mark.parametrize("expr, value, kind", [
    ("promotion_effects.window=3", 3, int),
    ("index_trend.proactive_share=0.09", 0.09, float),
    ("promotion_effects.promotion_months=[6, 11]", [6, 11], list),
    ("retail_growth.period_end=report", "report", str),
    ("retail_growth.period_start=2018-06", "2018-06", str),
    ("index_trend.band_smoothness=[0.1, 1, 10]", [0.1, 1, 10], list),
])
def test_parse_set_types(expr, value, kind):
    section, key, parsed = parse_set(expr)
    assert (section, key) == tuple(expr.split("=")[0].split("."))
    assert parsed == value and type(parsed) is kind


@pytest.mark.parametrize("expr", ["promotion_effects.window", "window=3", "promotion_effects.window=[1,",
                                  "nosuch.window=3", "Promotion.Window=3"])
def test_parse_set_rejects(expr):
    with pytest.raises(ParameterError) as info:
        parse_set(expr)
    assert "--set" in str(info.value) and repr(expr) in str(info.value)


def test_set_for_a_section_not_resolved_is_still_validated():
    # `--sections retail_growth --set promotion_effects.windw=2`: the typo is refused, not ignored
    msg = _message(sections=["retail_growth"], overrides=["promotion_effects.windw=2"])
    assert "--set" in msg and "promotion_effects.windw" in msg and "unknown parameter" in msg
    out = resolve(["retail_growth"], defaults_file=DEFAULTS, overrides=["promotion_effects.window=2"])
    assert list(out) == ["retail_growth"]


# -- strictness and guards (issue 18): wrong types are errors, never converted --

@pytest.mark.parametrize("override, fragment", [
    ("promotion_effects.window=true", "valid integer"),      # bool is not an int
    ('promotion_effects.window="2"', "valid integer"),       # a string is not an int
    ("promotion_effects.hac_maxlags=true", "valid integer"),
    ("promotion_effects.confidence=true", "valid number"),
])
def test_no_silent_conversion(override, fragment):
    msg = _message(overrides=[override])
    assert "--set" in msg and override.split("=")[0] in msg and fragment in msg


def test_wrong_type_in_a_file_is_not_converted(tmp_path):
    path = _yaml(tmp_path, "promotion_effects:\n  window: true\n")
    msg = _message(scenario_file=path)
    assert str(path) in msg and "promotion_effects.window = True" in msg


def test_duplicate_keys_inside_a_set_value():
    msg = _message(sections=["industry_breakdown"],
                   overrides=['industry_breakdown.category_mapping={食品: [category_beverage], 食品: []}'])
    assert "--set" in msg and "duplicate key" in msg


def test_scenario_file_is_validated_for_sections_not_run(tmp_path):
    path = _yaml(tmp_path, "index_trend:\n  proactive_shar: 0.1\n")
    msg = _message(sections=["retail_growth"], scenario_file=path)
    assert str(path) in msg and "index_trend.proactive_shar" in msg and "unknown parameter" in msg


def test_unknown_nbs_category_is_refused_before_any_kernel():
    msg = _message(sections=["industry_breakdown"],
                   overrides=["industry_breakdown.category_mapping={食品: [category_snacks]}"])
    assert "category_snacks" in msg and "category_beverage" in msg


def test_non_utf8_file_names_the_file(tmp_path):
    path = tmp_path / "gbk.yaml"
    path.write_bytes("promotion_effects:\n  window: 2  # 窗口\n".encode("gbk"))
    msg = _message(scenario_file=path)
    assert str(path) in msg and "not UTF-8" in msg


@pytest.mark.parametrize("where", ["category_mapping", "band_smoothness"])
def test_alias_bomb_is_refused_before_it_is_built(tmp_path, where):
    levels = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    for i in range(1, 9):
        levels.append(f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]")
    section = "industry_breakdown" if where == "category_mapping" else "index_trend"
    value = "{食品: *a8}" if where == "category_mapping" else "*a8"
    text = "anchors:\n" + "".join(f"  {line}\n" for line in levels) + f"{section}:\n  {where}: {value}\n"
    path = _yaml(tmp_path, text)
    msg = _message(sections=[section], scenario_file=path)
    assert str(path) in msg and "expands to more than" in msg and len(msg) < 500


def test_long_bad_values_are_quoted_short():
    msg = _message(overrides=["promotion_effects.series=" + "x" * 5000])
    assert "…" in msg and len(msg) < 1200


def test_problems_of_every_section_are_listed_at_once(tmp_path):
    """A params file with an unknown key in one section and a wrong type in another: both reported
    in one run, not the second only after the first is fixed."""
    bad = tmp_path / "bad.yaml"
    bad.write_text("index_trend:\n  flat_tolerence_points: 1.0\npromotion_effects:\n  placebo_quantile: '0.1'\n",
                   encoding="utf-8")
    with pytest.raises(ParameterError) as caught:
        resolve(["index_trend", "promotion_effects"], scenario_file=bad)
    message = str(caught.value)
    assert "2 problems" in message and "flat_tolerence_points" in message and "placebo_quantile" in message
