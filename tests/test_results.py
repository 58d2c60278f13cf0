"""lib/ecrights/results.py: what a notebook records, written where the runner expects it."""

from __future__ import annotations

import json

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

from ecrights import quotes, results  # noqa: E402
from ecrights.claims import REPRODUCED, UNCHECKED  # noqa: E402


def test_plain_is_json_safe_and_deterministic():
    value = results._plain({
        "a": np.float64(45.615428186412345), "b": np.int64(3), "c": float("nan"), "d": float("inf"),
        "e": [pd.Period("2019-02", "M"), (1.0, np.float32(0.5))], 7: "key becomes text",
    })
    assert value == {"a": 45.61542819, "b": 3, "c": None, "d": None, "e": ["2019-02", [1.0, 0.5]],
                     "7": "key becomes text"}
    assert type(value["b"]) is int
    json.dumps(value, allow_nan=False)


def test_output_dir_default_is_interactive(tmp_path, monkeypatch):
    monkeypatch.setenv("ECRIGHTS_ROOT", str(tmp_path))
    assert results.resolve_output_dir(None) == tmp_path / "build" / "interactive"
    assert results.resolve_output_dir(str(tmp_path / "x")) == (tmp_path / "x").resolve()


def _params(section="retail_growth"):
    from ecrights.params import resolve

    return resolve([section])[section]


def test_record_round_trip(tmp_path):
    record = results.SectionRecord.open("retail_growth", _params(), str(tmp_path / "staging"), language="en")
    record.result("physical_online_contribution_pct", np.float64(45.61542818641), "contribution", unit="%",
                  interval=(45.3, np.float64(46.0)), n=1)
    record.result("months_missing_fig1", np.int64(3), "months")
    record.claims.check("rg_retail_total_2019_level", record.claims.stated("rg_retail_total_2019_level"),
                        explain="official_value",
                        facts={"indicator": "retail_sales_total", "indicator_zh": "社会消费品零售总额",
                               "indicator_en": "total retail sales of consumer goods",
                               "measure": "level", "measure_zh": "数值", "period": "2019", "release_title": "t",
                               "release_date": "d", "official": 1.0, "strength_zh": "一手", "strength_en": "primary",
                               "release_title_en": "t"})
    fig, ax = plt.subplots()
    ax.plot([1, 2], [3, 4])
    drawn = pd.DataFrame({"x": [1, 2], "y": [3.0, 4.0]})
    path = record.figure("fig1_test", fig, drawn, caption="标题", sources=["data/official/nbs_retail_2019.csv"],
                         report_figure="图1")
    plt.close(fig)
    assert path == tmp_path / "staging" / "figures" / "retail_growth-fig1_test.svg"
    assert b"<svg" in path.read_bytes()[:1000]  # vector for HTML and PDF; a PNG beside it for Word
    assert path.with_suffix(".png").read_bytes()[:4] == b"\x89PNG"
    # the data drawn lies beside the figure
    pd.testing.assert_frame_equal(pd.read_csv(path.with_suffix(".csv")), drawn, check_dtype=False)

    saved = record.save()
    assert saved == tmp_path / "staging" / "results" / "retail_growth.json"
    loaded = results.load_results(tmp_path / "staging", "retail_growth")
    assert loaded["schema_version"] == results.RESULTS_SCHEMA_VERSION and loaded["language"] == "en"
    contribution = loaded["results"]["physical_online_contribution_pct"]
    assert contribution["value"] == pytest.approx(45.6154282) and contribution["interval"] == [45.3, 46.0]
    assert contribution["unit"] == "%" and contribution["n"] == 1
    assert loaded["results"]["months_missing_fig1"]["value"] == 3
    # figure paths are relative to the output dir, so a finished run can be moved
    assert loaded["figures"] == [{"file": "figures/retail_growth-fig1_test.svg",
                                  "data_file": "figures/retail_growth-fig1_test.csv", "caption": "标题",
                                  "sources": ["data/official/nbs_retail_2019.csv"], "report_figure": "图1",
                                  "raster": "figures/retail_growth-fig1_test.png"}]
    statuses = {c["claim_id"]: c["status"] for c in loaded["claims"]}
    assert statuses["rg_retail_total_2019_level"] == REPRODUCED
    assert set(statuses.values()) == {REPRODUCED, UNCHECKED}  # unchecked claims are listed, not dropped
    assert loaded["claim_counts"][REPRODUCED] == 1
    check = next(c for c in loaded["claims"] if c["claim_id"] == "rg_retail_total_2019_level")
    assert check["method"] == check["explanations"]["en"]["method"] and check["explanations"]["zh"]["method"]
    assert loaded["versions"]["pandas"] == pd.__version__
    assert not list((tmp_path / "staging" / "results").glob("*.tmp"))
    # deterministic: saving again gives the same bytes
    first = saved.read_bytes()
    record.save()
    assert saved.read_bytes() == first


def test_result_descriptions_come_from_the_sections_templates(tmp_path):
    record = results.SectionRecord.open("industry_breakdown", _params("industry_breakdown"), str(tmp_path),
                                        language="en")
    record.result("mapped_categories_with_value", 3, facts={"year": 2019, "of": 8})
    entry = record.results["mapped_categories_with_value"]
    assert entry["description"] == entry["descriptions"]["en"] and "2019" in entry["description"]
    assert "2019" in entry["descriptions"]["zh"] and entry["descriptions"]["zh"] != entry["descriptions"]["en"]
    with pytest.raises(KeyError, match="year"):
        record.result("mapped_categories_with_value", 3)  # the template's facts are missing


def test_keys_made_from_a_pattern_share_one_named_template(tmp_path):
    record = results.SectionRecord.open("index_trend", _params("index_trend"), str(tmp_path), language="zh")
    facts = {"scenario_zh": "情景甲", "scenario_en": "scenario A"}
    record.result("dispute_change_without_proactive_ramp", -1.0, facts=facts,
                  template="dispute_change_without_proactive_scenario")
    entry = record.results["dispute_change_without_proactive_ramp"]
    assert "情景甲" in entry["description"] and "scenario A" in entry["descriptions"]["en"]
    with pytest.raises(KeyError, match="dispute_change_without_proactive_ramp"):  # no template of the key's own name
        record.result("dispute_change_without_proactive_ramp", -1.0, facts=facts)


def test_source_words_are_marked_with_their_language():
    """A source's own words in the other language are a quote marked with its language (fonts,
    screen readers, the language check); the edition's own words stay as they are, so an
    untranslated word in them stays visible to the language check."""
    title = "Tropical Storm Lekima makes landfall"
    zh = str(quotes.source_words(title, "zh"))
    assert zh == '<span class="quote" lang="en">Tropical Storm Lekima makes landfall</span>'
    assert quotes.source_words("《电子商务法》1月1日起正式实施", "zh") == "《电子商务法》1月1日起正式实施"
    en = str(quotes.quotes_in_text("The law 《电子商务法》 took effect; a < b", "en"))
    assert '<span class="quote" lang="zh-Hans">《电子商务法》</span>' in en and "a &lt; b" in en
    assert quotes.quotes_in_text("Growth was 大家电 high", "en") == "Growth was 大家电 high"  # not a quote: as is


def test_undeclared_result_key_is_an_error(tmp_path):
    record = results.SectionRecord.open("retail_growth", _params(), str(tmp_path))
    with pytest.raises(KeyError, match="result_keys"):
        record.result("something_new", 1.0)


def test_assumptions_come_from_the_parameter_model(tmp_path):
    params = _params("index_trend")
    zh = results.SectionRecord.open("index_trend", params, str(tmp_path), language="zh")
    en = results.SectionRecord.open("index_trend", params, str(tmp_path), language="en")
    names = [a.name for a in zh.assumptions]
    # the parameters' assumptions, then the method's own (texts.yaml model_assumptions), in both languages
    assert names == [*type(params).assumptions(), "model_revision_series", "proactive_removal_model"]
    assert "weight_dispute_rate" in names
    model = {a.name: a for a in en.assumptions}["proactive_removal_model"]
    assert model.value.startswith("proportional") and "not published" in model.justification
    assert {a.name: a for a in zh.assumptions}["proactive_removal_model"].value.startswith("正比")
    by_name = {a.name: a for a in en.assumptions}
    assert by_name["weight_dispute_rate"].justification == type(params).assumptions()["weight_dispute_rate"]["en"]
    en.resolved("weight_dispute_rate", 0.2)
    assert by_name["weight_dispute_rate"].value == 0.2 and "two_component" in by_name["weight_dispute_rate"].justification
    with pytest.raises(KeyError):
        en.resolved("smoothness", 1.0)


def test_tables(tmp_path):
    record = results.SectionRecord.open("promotion_effects", _params("promotion_effects"), str(tmp_path))
    table = record.parameters_table()
    assert "promotion_months" in list(table["parameter"]) and "language" not in list(table["parameter"])
    assert list(record.assumptions_table().columns) == ["name", "value", "justification"]
    # promotion_effects: analysis choices, and one assumption (the placebo periods of its verdict)
    assert list(record.assumptions_table()["name"]) == ["placebo_months"]
    statements = record.statements_table()
    assert set(statements["claim_id"]) == set(record.claims.ledger.index)


def test_the_record_saves_and_hands_each_figure_to_whoever_shows_it(tmp_path):
    """The record shows nothing itself: a saved figure goes to `on_figure` (the notebook's
    display, installed by notebook.start in a kernel) with its path relative to the output."""
    record = results.SectionRecord.open("retail_growth", _params(), str(tmp_path))
    assert record.on_figure is None and record.dated == []
    shown = []
    record.on_figure = lambda path, rel: shown.append((path, rel))
    fig, ax = plt.subplots()
    ax.plot([1, 2], [3, 4])
    path = record.figure("fig1_test", fig, pd.DataFrame({"x": [1, 2]}), caption="c", sources=[])
    # shown as the PNG (a notebook viewer may lack the SVG's font), marked with the recorded SVG's path
    assert shown == [(path.with_suffix(".png"), "figures/retail_growth-fig1_test.svg")]
    assert not plt.fignum_exists(fig.number)  # closed: no second, automatic inline copy


def test_start_opens_the_record_with_the_sections_dated_statements(tmp_path):
    from ecrights import notebook
    from ecrights.claims import dated_statement_checks
    from ecrights.data import load_date_checks, load_date_statements

    namespace = {**_params().model_dump(), "output_dir": str(tmp_path), "language": "en"}  # a parameters cell
    params, record = notebook.start("retail_growth", namespace)
    assert record.language == "en" and record.output_dir == tmp_path.resolve()
    assert record.on_figure is None  # no kernel here: nothing to show figures in
    expected = dated_statement_checks("retail_growth", load_date_statements(), load_date_checks())
    assert record.dated == expected and expected
    shown = notebook.show_dates(record).to_html().replace("<wbr>", "")
    assert all(d["claim_id"] in shown for d in expected)
    assert notebook.show_claims(record).rows and notebook.show_parameters(record).rows
