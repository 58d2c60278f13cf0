"""run_all.py --sensitivity and --grid: plausible ranges declared beside the parameters, one assumption
moved at a time, a CSV and a tornado chart per headline result (executions faked: no kernels)."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from ecrights import params, sections
from ecrights.params import ParameterError
from ecrights.run import cli, sensitivity, session
from ecrights.run.tasks import Outcome

RESOLVED = {"weight_dispute_rate": 0.18, "weight_counterfeit_perception": 0.82}


def test_plausible_ranges_are_declared_beside_the_parameters_with_their_justification():
    for section in sensitivity.sections_with_ranges():
        declared = sensitivity.ranges(section)
        assert declared, section
        model = params.MODELS[section]
        for name, r in declared.items():
            key = name.removeprefix("shared.")
            assert key in model.assumptions(), (section, name)  # only assumptions are moved
            assert r["zh"] and r["en"] and r["low"] != r["high"]
    assert set(sensitivity.ranges("ai_anticounterfeit")) == {"shared.weight_dispute_rate",
                                                               "shared.weight_counterfeit_perception"}
    for section, keys in sensitivity.HEADLINES.items():
        assert all(sections.get(section).declares_result(k) for k in keys)


def _fake(monkeypatch):
    """Variants 'run' instantly: results computed from the parameters, named weights resolved."""
    def execute(self, progress, on_outcome=None):
        out = []
        for t in self.tasks:
            p = t.parameters
            w_c = RESOLVED["weight_counterfeit_perception"] if p["weight_counterfeit_perception"] == "two_component" \
                else p["weight_counterfeit_perception"]
            results = {"counterfeit_share_of_fall_pct": {"value": w_c * 19 / 14 * 100, "unit": "%"},
                       "index_2019_without_counterfeit_fall": {"value": 81.6 + 19 * w_c, "unit": "points"},
                       "counterfeit_largest_threshold_weight": {"value": 0.41},
                       "counterfeit_largest_under_assumed_weights": {"value": "yes" if w_c >= 0.41 else "no"}}
            assumptions = [{"name": k, "value": RESOLVED[k] if p[k] == "two_component" else p[k]} for k in RESOLVED]
            path = Path(t.out_dir) / "results" / f"{t.section}.json"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(json.dumps({"results": results, "parameters": p, "assumptions": assumptions}),
                            encoding="utf-8")
            out.append(Outcome(t.label, t.section, "done", 0.0, t.out_dir))
        return out
    monkeypatch.setattr(session.Session, "execute", execute)


def test_sensitivity_writes_a_csv_and_a_tornado_per_headline(tmp_path, tmp_project, monkeypatch, capsys):
    _fake(monkeypatch)
    out = tmp_path / "out"
    code = cli.main(["--sensitivity", "ai_anticounterfeit", "--output-dir", str(out), "--jobs", "1"])
    captured = capsys.readouterr()
    assert code == 0, captured
    target = out / "sensitivity" / "ai_anticounterfeit"
    rows = list(csv.DictReader((target / "sensitivity.csv").open(encoding="utf-8")))
    headlines = sensitivity.HEADLINES["ai_anticounterfeit"]
    # one row per headline result x assumption
    assert [(r["output"], r["parameter"]) for r in rows] == [
        (o, p) for o in headlines for p in ("shared.weight_dispute_rate", "shared.weight_counterfeit_perception")]
    by = {(r["output"], r["parameter"]): r for r in rows}
    share = by[("counterfeit_share_of_fall_pct", "shared.weight_counterfeit_perception")]
    # the named default resolved, the low end moved alone (w_d at its number), both ends tabulated
    assert share["default"] == "two_component" and float(share["default_value"]) == pytest.approx(0.82)
    assert float(share["result_low"]) == pytest.approx(0.3 * 19 / 14 * 100)
    assert float(share["swing"]) == pytest.approx((0.82 - 0.3) * 19 / 14 * 100)
    assert share["justification_en"] and share["justification_zh"]
    # an end the model refuses with the others at their defaults is listed with the reason, not dropped
    dispute = by[("counterfeit_share_of_fall_pct", "shared.weight_dispute_rate")]
    assert dispute["result_high"] == "" and "inadmissible" in dispute["note"] and "must not exceed 1" in dispute["note"]
    verdict = by[("counterfeit_largest_under_assumed_weights", "shared.weight_counterfeit_perception")]
    assert (verdict["result_default"], verdict["result_low"], verdict["result_high"]) == ("yes", "no", "yes")
    for o in headlines:
        assert (target / f"tornado-{o}.png").is_file(), o


def test_tornado_orders_by_swing_and_marks_both_ends():
    rows = [{"section": "s", "output": "o", "unit": "%", "parameter": p, "default": "1", "default_value": "1",
             "low": "0", "high": "2", "result_default": 10.0, "result_low": 10.0 - d, "result_high": 10.0 + 2 * d,
             "change_low": -d, "change_high": 2 * d, "swing": 2 * d, "note": ""} for p, d in (("big", 3.0), ("small", 1.0))]
    fig = sensitivity.tornado("s", "o", rows)
    ax = fig.axes[0]
    assert [t.get_text().split("\n")[0] for t in ax.get_yticklabels()] == ["small", "big"]  # largest on top
    widths = sorted(round(abs(p.get_width()), 6) for p in ax.patches)
    assert widths == [1.0, 2.0, 3.0, 6.0]


@pytest.mark.parametrize("expr, expected", [
    ("index_trend.proactive_share", "expected SECTION.KEY=V1,V2"),
    ("nowhere.x=1,2", "unknown section"),
    ("index_trend.weight_dispute_rate=0.1,0.2", "shared parameter"),
])
def test_bad_grids_are_refused(expr, expected):
    with pytest.raises(ParameterError, match=expected):
        sensitivity.grid_plan([expr])


def test_a_grid_on_the_command_line_is_a_sweep_across_the_sections_it_touches():
    plan = sensitivity.grid_plan(["index_trend.proactive_share=0.05,0.09,0.15"])
    assert plan.sections == ["index_trend"] and plan.swept == ["proactive_share"]
    assert [v.overrides["proactive_share"] for v in plan.variants] == [0.05, 0.09, 0.15]
    both = sensitivity.grid_plan(["shared.weight_counterfeit_perception=0.5,0.7", "shared.weight_dispute_rate=0.2",
                                  "index_trend.proactive_share=0.05,0.1"])
    assert both.sections == ["index_trend", "ai_anticounterfeit"] and len(both.variants) == 4
    v = both.valid[0]
    assert {s: m.weight_counterfeit_perception for s, m in v.models.items()} == {"index_trend": 0.5,
                                                                                "ai_anticounterfeit": 0.5}
    assert all("." in o for o in both.spec.outputs)  # several sections: outputs named SECTION.KEY


def test_a_named_default_is_replaced_by_its_number_only_when_needed():
    """report_december carries the printed rounding of the report's share: moving another assumption keeps it
    named; moving one weight needs the other as a number (both named or both numbers)."""
    named = {"weight_dispute_rate": 0.18, "weight_counterfeit_perception": 0.82, "proactive_share": 0.09}
    assert sensitivity.moved("index_trend", "flat_tolerance_points", 2.0, named) == {"flat_tolerance_points": 2.0}
    assert sensitivity.moved("index_trend", "shared.weight_dispute_rate", 0.05, named) == {
        "shared.weight_dispute_rate": 0.05, "shared.weight_counterfeit_perception": 0.82}
