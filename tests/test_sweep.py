"""Sweeps: everything checked before anything runs; the summary (intervals,
blanks, references) and its figure; a real sweep in parallel, from the cache, on Dask."""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

import pytest

from conftest import PROJECT_ROOT, copy_built, run_all, show
from ecrights import sections
from ecrights.params import ParameterError
from ecrights.run import cli, sweep, sweep_plot, sweep_run, sweep_summary


def _write(tmp_path: Path, text: str, name: str = "s.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_grid_and_variants_expand_and_validate(tmp_path):
    plan = sweep.load_sweep(_write(tmp_path, """
section: index_trend
grid: {shared.weight_dispute_rate: [0.1, 0.5], shared.weight_counterfeit_perception: [0.3, 0.8]}
variants: [{proactive_share: 0.05}]
outputs: [implied_other_change]
skip_invalid: true
"""))
    assert len(plan.variants) == 5
    invalid = [v for v in plan.variants if v.params is None]
    # 0.5 + 0.8 > 1 is not an admissible pair of weights
    assert [v.overrides for v in invalid] == [{"shared.weight_dispute_rate": 0.5,
                                               "shared.weight_counterfeit_perception": 0.8}]
    assert "must not exceed 1" in invalid[0].error
    ids = [v.variant_id for v in plan.variants]
    assert len(set(ids)) == len(ids)
    # unchanged keys keep their defaults from params/defaults.yaml
    assert plan.valid[0].params.proactive_share == "report_december"
    assert plan.swept == ["shared.weight_dispute_rate", "shared.weight_counterfeit_perception", "proactive_share"]


@pytest.mark.parametrize("text, expected", [
    ("section: index_trend\ngrid: {colour: [1]}\noutputs: [implied_other_change]\n", "colour: unknown parameter"),
    ("section: nowhere\ngrid: {proactive_share: [0.1]}\noutputs: [x]\n", "section 'nowhere' unknown"),
    ("section: index_trend\noutputs: [implied_other_change]\n", "needs a grid or a list"),
    ("section: index_trend\ngrid: {proactive_share: [0.1]}\noutputs: []\n", "outputs"),
    ("section: index_trend\ngrid: {proactive_share: [0.1]}\noutputs: [implied_other_change]\nextra: 1\n", "extra"),
    ("section: index_trend\ngrid: {language: [en]}\noutputs: [implied_other_change]\n", "--lang"),
    # a typo in outputs: refused before anything runs, naming what the section records
    ("section: index_trend\ngrid: {proactive_share: [0.1]}\noutputs: [implied_other_chnage]\n",
     "'implied_other_chnage' is not a result of index_trend; expected one of .*implied_other_change"),
    ("section: index_trend\ngrid: {proactive_share: [0.1]}\noutputs: [implied_other_change]\n"
     "references: {dispute_change_without_proactive: {claim: x}}\n", "is not one of the outputs"),
    ("section: index_trend\ngrid: {proactive_share: [0.1], flat_tolerance_points: [1, 2]}\n"
     "outputs: [dispute_change_without_proactive]\n"
     "references: {dispute_change_without_proactive: {claim: x, band: flat_tolerance_points}}\n", "is swept"),
])
def test_bad_sweep_files_are_rejected_before_running(tmp_path, text, expected):
    with pytest.raises(ParameterError, match=expected):
        sweep.load_sweep(_write(tmp_path, text))


def test_invalid_variants_are_all_listed(tmp_path):
    path = _write(tmp_path, "section: index_trend\n"
                            "grid: {shared.weight_dispute_rate: [0.7, 0.9], shared.weight_counterfeit_perception: [0.5, 0.82]}\n"
                            "outputs: [implied_other_change]\n")
    with pytest.raises(ParameterError) as err:
        sweep.load_sweep(path)
    text = str(err.value)
    assert "every variant is invalid: nothing to run" in text
    for pair in ("0.7, 'shared.weight_counterfeit_perception': 0.5", "0.7, 'shared.weight_counterfeit_perception': 0.82",
                 "0.9, 'shared.weight_counterfeit_perception': 0.5", "0.9, 'shared.weight_counterfeit_perception': 0.82"):
        assert pair in text, text
    # with some valid points, the invalid ones are listed too unless skip_invalid drops them
    path = _write(tmp_path, "section: index_trend\n"
                            "grid: {shared.weight_dispute_rate: [0.1, 0.7, 0.9], shared.weight_counterfeit_perception: [0.5]}\n"
                            "outputs: [implied_other_change]\n")
    with pytest.raises(ParameterError, match=r"(?s)skip_invalid.*0\.7.*0\.9"):
        sweep.load_sweep(path)


# --------------------------------------------------------------------------
# Through the command line: exit 2, nothing run, nothing written
# --------------------------------------------------------------------------



@pytest.mark.parametrize("name, text, expected", [
    ("typo.yaml", "section: ai_anticounterfeit\ngrid: {weight_grid_points: [11, 21]}\n"
                  "outputs: [counterfeit_share_of_fal_pct]\n", ["counterfeit_share_of_fal_pct", "is not a result"]),
    ("...yaml", "section: ai_anticounterfeit\ngrid: {weight_grid_points: [11]}\n"
                "outputs: [counterfeit_share_of_fall_pct]\n", ["must give the sweep a name", "'..'"]),
    ("empty.yaml", "section: ai_anticounterfeit\ngrid: {weight_grid_points: []}\n"
                   "outputs: [counterfeit_share_of_fall_pct]\n", ["no values for ['weight_grid_points']"]),
    ("none.yaml", "section: ai_anticounterfeit\ngrid: {weight_grid_points: [1, 2, 3]}\nskip_invalid: true\n"
                  "outputs: [counterfeit_share_of_fall_pct]\n",
     ["nothing to run", "'weight_grid_points': 1}", "'weight_grid_points': 2}", "'weight_grid_points': 3}"]),
])
def test_a_sweep_that_cannot_run_exits_2_before_anything_runs(capsys, tmp_project, tmp_path, no_execution,
                                                             name, text, expected):
    spec = _write(tmp_path, text, name)
    out = tmp_path / "out"
    code = cli.main(["--sweep", str(spec), "--output-dir", str(out)])
    err = capsys.readouterr().err
    assert code == 2, err
    assert err.startswith("error: ")
    for part in expected:
        assert part in err, err
    assert not out.exists() and not (tmp_project / "build").exists()


def test_declared_result_keys_are_what_the_notebooks_record():
    """Each key a notebook records is declared, and each declared key (or pattern) is recorded.
    A key written as an f-string (lift_{promotion}_{year}) stands for any value of its fields."""
    from fnmatch import fnmatchcase

    for section in sections.SECTIONS.values():
        nb = json.loads(section.notebook.read_text(encoding="utf-8"))
        code = "\n".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "code")
        recorded = re.findall(r'record\.result\(\s*f?"([^"]+)"', code)
        assert recorded, section.name

        def matches(key: str, pattern: str) -> bool:
            as_regex = "".join(".+" if part.startswith("{") else re.escape(part)
                               for part in re.split(r"(\{[^}]*\})", key))
            return bool(re.fullmatch(as_regex, pattern)) or fnmatchcase(re.sub(r"\{[^}]*\}", "x", key), pattern)

        for key in recorded:
            assert any(matches(key, p) for p in section.result_keys), (section.name, key)
        for pattern in section.result_keys:
            assert any(matches(key, pattern) for key in recorded), (section.name, pattern)


# --------------------------------------------------------------------------
# The summary and its figure, from results written here (no execution)
# --------------------------------------------------------------------------

DEFAULTS = """\
promotion_effects: {year_start: 2015, window: 1}
index_trend: {proactive_share: 0.09, dispute_rate_level_2018: 100.0, flat_tolerance_points: 1.0}
"""


def _plan(tmp_path, grid: str, outputs: str, extra: str = "", section: str = "promotion_effects"):
    """A sweep over defaults written here (the figure's default marks do not follow params/defaults.yaml):
    the project's defaults with DEFAULTS laid over them."""
    import yaml

    from conftest import PROJECT_ROOT

    merged = yaml.safe_load((PROJECT_ROOT / "params" / "defaults.yaml").read_text(encoding="utf-8"))
    for name, values in yaml.safe_load(DEFAULTS).items():
        merged[name].update(values)
    defaults = _write(tmp_path, yaml.safe_dump(merged, allow_unicode=True), "defaults.yaml")
    return sweep.load_sweep(_write(tmp_path, f"section: {section}\ngrid: {grid}\noutputs: {outputs}\n{extra}"),
                            defaults_file=defaults)


def _results(sweep_dir: Path, plan, values: dict, claims=()):
    """Write each valid variant's results JSON: values(variant) -> {key: entry}."""
    status = {}
    for v in plan.valid:
        path = sweep_dir / v.variant_id / "results" / f"{plan.section}.json"
        path.parent.mkdir(parents=True)
        path.write_text(json.dumps({"results": values(v), "claims": list(claims)}), encoding="utf-8")
        status[v.variant_id] = "done"
    return status


def test_interval_results_are_tabulated_and_plotted_as_error_bars(tmp_path):
    from matplotlib.container import ErrorbarContainer

    plan = _plan(tmp_path, "{year_start: [2017, 2015, 2016], window: [1, 2]}", "[lift_trend_per_year]")

    def values(v):
        slope = -0.1 * v.overrides["year_start"] + 201.0 + v.overrides["window"]
        return {"lift_trend_per_year": {"value": slope, "interval": [slope - 1, slope + 2], "n": 4,
                                        "unit": "percentage points", "description": "slope"}}
    status = _results(tmp_path, plan, values)
    table = sweep_summary.summary_rows(plan, tmp_path, status)
    path = sweep_summary.write_summary(plan, tmp_path, status, table)
    rows = list(csv.DictReader(path.open(encoding="utf-8")))
    assert list(rows[0])[:4] == ["variant_id", "year_start", "window", "default"]
    for r in rows:
        value = float(r["lift_trend_per_year"])
        assert float(r["lift_trend_per_year_lower"]) == pytest.approx(value - 1)
        assert float(r["lift_trend_per_year_upper"]) == pytest.approx(value + 2)
        assert r["lift_trend_per_year_n"] == "4"
    fig = sweep_plot.summary_figure(plan, table)
    ax = fig.axes[0]
    bars = [c for c in ax.containers if isinstance(c, ErrorbarContainer)]
    assert len(bars) == 2  # one series per window
    x, y = bars[0].lines[0].get_data()
    assert [round(v) for v in x] == [2015, 2016, 2017]  # a numeric axis, in numeric order
    segments = bars[0].lines[2][0].get_segments()
    assert [(round(s[0][1] - yy, 6), round(s[1][1] - yy, 6)) for s, yy in zip(segments, y)] == [(-1, 2)] * 3
    assert ax.get_ylabel() == "lift_trend_per_year (percentage points)"
    assert [t.get_text() for t in fig.legends[0].get_texts()][:2] == ["window = 1 (default)", "window = 2"]


def test_an_axis_names_its_unit_in_the_figures_language_english(tmp_path):
    """The sweep figure's words are English: a result recorded in 年 is drawn in years."""
    plan = _plan(tmp_path, "{window: [1, 2]}", "[years_compared_pooled]")
    status = _results(tmp_path, plan, lambda v: {"years_compared_pooled": {"value": 3, "unit": "年"}})
    fig = sweep_plot.summary_figure(plan, sweep_summary.summary_rows(plan, tmp_path, status))
    assert fig.axes[0].get_ylabel() == "years_compared_pooled (years)"


def test_numeric_axis_natural_legend_default_and_reference(tmp_path):
    plan = _plan(tmp_path, "{proactive_share: [0.05, 0.09, 0.2], dispute_rate_level_2018: [100.0, 80.0, 120.0, 90.0]}",
                 "[dispute_change_without_proactive]",
                 "references: {dispute_change_without_proactive: "
                 "{claim: it_dispute_share_ex_proactive_flat_2019, band: flat_tolerance_points}}\n",
                 section="index_trend")
    claim = {"claim_id": "it_dispute_share_ex_proactive_flat_2019", "reported_value": 0.0, "quote": "基本和2018年持平"}
    status = _results(tmp_path, plan, lambda v: {"dispute_change_without_proactive": {
        "value": 8.8 - v.overrides["dispute_rate_level_2018"] * v.overrides["proactive_share"],
        "description": "points"}}, claims=[claim])
    table = sweep_summary.summary_rows(plan, tmp_path, status)
    fig = sweep_plot.summary_figure(plan, table)
    ax = fig.axes[0]
    series = [line for line in ax.get_lines() if line.get_label().startswith("dispute_rate_level_2018")]
    # natural order (80, 90, 100, 120 — not 100, 120, 80, 90), and each series drawn differently
    assert [line.get_label() for line in series] == ["dispute_rate_level_2018 = 80.0", "dispute_rate_level_2018 = 90.0",
                                                     "dispute_rate_level_2018 = 100.0 (default)",
                                                     "dispute_rate_level_2018 = 120.0"]
    assert len({(line.get_marker(), line.get_linestyle()) for line in series}) == 4
    assert list(series[0].get_xdata()) == [0.05, 0.09, 0.2]  # uneven values, evenly spaced no more
    # the default point is ringed, the default x marked, the claim drawn with its band
    ring = [line for line in ax.get_lines() if line.get_label() == "default parameters"]
    assert ring and list(ring[0].get_xdata()) == [0.09]
    assert any(t.get_text() == "default" for t in ax.texts)
    reference = [line for line in ax.get_lines() if line.get_label().startswith("claim it_dispute_share_ex")]
    assert reference and list(reference[0].get_ydata()) == [0.0, 0.0]
    assert reference[0].get_label() == "claim it_dispute_share_ex_proactive_flat_2019: 0 ± 1 (flat_tolerance_points, assumed)"
    # long labels wrapped (one column) so that none is cut at the figure's edge
    assert [t.get_text().replace("\n", " ") for t in fig.legends[0].get_texts()][2:] == [
        "dispute_rate_level_2018 = 100.0 (default)", "dispute_rate_level_2018 = 120.0", "default parameters",
        reference[0].get_label()]
    fig.canvas.draw()
    box = fig.legends[0].get_window_extent()
    assert box.x0 >= 0 and box.x1 <= fig.bbox.x1  # the whole legend inside the figure
    assert "assumed" in fig.get_suptitle()
    band = [p for p in ax.patches]
    assert band and band[0].get_extents().height > 0


def test_a_blank_output_is_explained(tmp_path):
    plan = _plan(tmp_path, "{year_start: [2015, 2016]}", "[lift_2015, single_months_available]")
    status = _results(tmp_path, plan, lambda v: {
        "single_months_available": {"value": None, "description": "no releases"},
        **({"lift_2015": {"value": 1.5}} if v.overrides["year_start"] == 2015 else {})})
    table = sweep_summary.summary_rows(plan, tmp_path, status)
    notes = {r["year_start"]: r["note"] for r in table.rows}
    assert "single_months_available: no value (the notebook recorded none: no releases)" in notes["2015"]
    assert "lift_2015: not recorded by this variant" in notes["2016"]
    assert "lift_2015: not recorded" not in notes["2015"]
    assert "single_months_available is blank in every variant (see the note column of summary.csv)" in table.notes
    assert "lift_2015 is blank in 1 of 2 variants (see the note column of summary.csv)" in table.notes
    fig = sweep_plot.summary_figure(plan, table)
    assert any("no values for single_months_available" in t.get_text() for t in fig.axes[1].texts)


def test_sweep_names_stay_under_sweeps(tmp_path):
    assert sweep.sweep_name(tmp_path / "proactive_share.yaml") == "proactive_share"
    for bad in ("...yaml", "..yaml", ".hidden.yaml", "a b.yaml"):
        with pytest.raises(ParameterError, match="must give the sweep a name"):
            sweep.sweep_name(tmp_path / bad)


# --------------------------------------------------------------------------
# Real sweeps
# --------------------------------------------------------------------------


def _sweep_weights(built, tmp_path, weights, *extra):
    """A sweep of ai_anticounterfeit over counterfeit weights on a copy of the shared
    build; returns (process, summary rows, project root)."""
    root = copy_built(built, tmp_path / "project") if not (tmp_path / "project").exists() else tmp_path / "project"
    spec = _write(tmp_path, "section: ai_anticounterfeit\n"
                            "base: {shared.weight_dispute_rate: 0.2}\n"
                            f"grid: {{shared.weight_counterfeit_perception: {list(weights)}}}\n"
                            "outputs: [counterfeit_share_of_fall_pct]\n")
    proc = run_all(["--sweep", str(spec), "--jobs", "2", *extra], root=root)
    assert proc.returncode == 0, show(proc)
    summary = root / "build" / "sweeps" / "s" / "summary.csv"
    return proc, list(csv.DictReader(summary.open(encoding="utf-8"))), root


@pytest.mark.integration
def test_sweep_runs_in_parallel_writes_summary_and_reuses_cache(built, tmp_path):
    proc, rows, root = _sweep_weights(built, tmp_path, [0.5, 0.7])
    share = {r["shared.weight_counterfeit_perception"]: float(r["counterfeit_share_of_fall_pct"]) for r in rows}
    # w_c x (-19) / (-14) x 100
    assert share == {"0.5": pytest.approx(67.857, abs=1e-3), "0.7": pytest.approx(95.0, abs=1e-3)}
    assert (root / "build" / "sweeps" / "s" / "summary.png").is_file()
    # the final table names variants as variants and shows their outputs
    table = proc.stdout[proc.stdout.index("\n#1 "):]
    assert "counterfeit_share_of_fall_pct" in table and "67.86" in table
    rows = table[:table.index("\n2 variant(s)")]  # the table (paths printed after it are as long as they are)
    assert max(len(line) for line in rows.splitlines()) <= 100
    assert "2 variant(s), 0 failed, 0 from cache" in table
    second = run_all(["--sweep", str(tmp_path / "s.yaml"), "--jobs", "2"], root=root)
    assert second.returncode == 0, show(second)
    assert second.stdout.count("cached   ") == 2 and "done     " not in second.stdout


@pytest.mark.integration
def test_later_variants_run_in_kernels_forked_ahead_and_none_falls_back(built, tmp_path):
    """Three variants per worker: the second and third kernels are forks (forkkernel.py) started
    while the previous variant ran. A fork used to die when that variant's staging directory,
    the worker's working directory then, was published before the fork began; it fell back to a
    kernel of its own, slowly, saying so only in its log."""
    _, rows, root = _sweep_weights(built, tmp_path, [0.5, 0.55, 0.6, 0.65, 0.7, 0.75])
    assert [r["status"] for r in rows] == ["done"] * 6
    logs = sorted((root / "build" / "sweeps" / "s").glob("*/logs/ai_anticounterfeit.log"))
    assert len(logs) == 6
    for log in logs:
        text = log.read_text(encoding="utf-8")
        assert "kernel started ahead" in text and "could not be used" not in text, log


@pytest.mark.integration
def test_dask_local_cluster_executes_variants(built, tmp_path):
    result, rows, _ = _sweep_weights(built, tmp_path, [0.55, 0.65], "--executor", "dask")
    assert "dask: local cluster of 2 workers" in result.stdout
    assert "running  " not in result.stdout  # no 'running' claimed at submission
    assert [r["status"] for r in rows] == ["done", "done"]


def test_the_shipped_sweeps_are_valid():
    for path in sorted((PROJECT_ROOT / "params" / "sweeps").glob("*.yaml")):
        plan = sweep.load_sweep(path)
        assert plan.valid, path


def test_a_variant_is_the_default_only_if_the_base_is_too(tmp_path):
    """`base` values apply to every variant: with base confidence 0.8 (default 0.95), no variant runs
    with the default parameters, even the one whose swept keys equal theirs."""
    plan = _plan(tmp_path, "{window: [1, 2]}", "[lift_trend_per_year]")
    (tmp_path / "based").mkdir()
    based = _plan(tmp_path / "based", "{window: [1, 2]}", "[lift_trend_per_year]", extra="base: {confidence: 0.8}")

    def values(v):
        return {"lift_trend_per_year": {"value": 1.0}}
    for p, where, flagged in ((plan, tmp_path / "a", ["yes", ""]), (based, tmp_path / "b", ["", ""])):
        status = _results(where, p, values)
        rows = sweep_summary.summary_rows(p, where, status).rows
        assert [r["default"] for r in rows] == flagged


# --------------------------------------------------------------------------
# Output names: exact unless written as a pattern; a name or pattern that matches nothing is an error
# --------------------------------------------------------------------------

LIFTS = {"lift_trend_jun": {"value": 1.0, "unit": "pp"}, "lift_trend_nov": {"value": 2.0, "unit": "pp"},
         "lift_trend_pooled": {"value": 1.5, "unit": "pp"}, "lift_2015": {"value": 0.5, "unit": "pp"}}


def test_output_names_are_matched_exactly(tmp_path):
    plan = _plan(tmp_path, "{window: [1, 2]}", "[lift_trend]")
    assert not plan.outputs[0].pattern
    table = sweep_summary.summary_rows(plan, tmp_path, _results(tmp_path, plan, lambda v: LIFTS))
    assert table.outputs == ["lift_trend"]  # not lift_trend_jun, lift_trend_nov, … (lift_* matched it before)
    assert all(r["lift_trend"] == "" for r in table.rows)
    assert len(table.unmatched) == 1
    assert "'lift_trend' was recorded by no variant" in table.unmatched[0]
    assert "lift_trend_jun" in table.unmatched[0]  # lists what the variants recorded


def test_a_typo_matching_a_declared_pattern_is_an_error_after_the_run(tmp_path):
    plan = _plan(tmp_path, "{window: [1, 2]}", "[lift_trend_jnu, lift_trend_nov]")
    table = sweep_summary.summary_rows(plan, tmp_path, _results(tmp_path, plan, lambda v: LIFTS))
    assert [u.split("'")[1] for u in table.unmatched] == ["lift_trend_jnu"]
    assert [r["lift_trend_nov"] for r in table.rows] == [2.0, 2.0]


def test_a_pattern_expands_to_the_recorded_keys_in_natural_order(tmp_path):
    plan = _plan(tmp_path, "{window: [1, 2]}", "['lift_trend_*', 'lift_nothing_*']")
    assert [o.pattern for o in plan.outputs] == [True, True]
    table = sweep_summary.summary_rows(plan, tmp_path, _results(tmp_path, plan, lambda v: LIFTS))
    assert table.outputs == ["lift_trend_jun", "lift_trend_nov", "lift_trend_pooled"]
    assert len(table.unmatched) == 1 and "the pattern 'lift_nothing_*' matched no result" in table.unmatched[0]


def test_an_unmatched_output_exits_2_after_writing_the_summary(tmp_path, tmp_project, monkeypatch, capsys):
    from ecrights.run import session
    from ecrights.run.tasks import Outcome

    def fake_execute(self, progress, on_outcome=None):  # the variants "ran": results written, no kernel
        out = []
        for t in self.tasks:
            path = Path(t.out_dir) / "results" / f"{t.section}.json"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(json.dumps({"results": LIFTS, "parameters": t.parameters}), encoding="utf-8")
            out.append(Outcome(t.label, t.section, "done", 0.0, t.out_dir))
        return out
    monkeypatch.setattr(session.Session, "execute", fake_execute)
    spec = _write(tmp_path, "section: promotion_effects\ngrid: {window: [1, 2]}\noutputs: [lift_trend_jnu]\n",
                  "typo.yaml")
    code = cli.main(["--sweep", str(spec), "--output-dir", str(tmp_path / "out"), "--jobs", "1"])
    captured = capsys.readouterr()
    assert code == 2, captured
    assert "'lift_trend_jnu' was recorded by no variant" in captured.err and "lift_trend_jun" in captured.err
    assert (tmp_path / "out" / "sweeps" / "typo" / "summary.csv").is_file()


def test_compare_resolves_named_defaults(tmp_path):
    """--compare shows a named default with the number it stood for: 'two_component (= 0.82)' vs 0.4."""
    from ecrights.run.compare import differences

    for name, weight, resolved in (("a", "two_component", 0.82), ("b", 0.4, 0.4)):
        (tmp_path / name / "results").mkdir(parents=True)
        (tmp_path / name / "results" / "ai_anticounterfeit.json").write_text(json.dumps({
            "parameters": {"weight_counterfeit_perception": weight},
            "assumptions": [{"name": "weight_counterfeit_perception", "value": resolved, "justification": ""}],
            "results": {"counterfeit_largest_under_assumed_weights": {"value": "yes" if resolved > 0.5 else "no"}}}),
            encoding="utf-8")
    rows = {(d.kind, d.key): (d.a, d.b) for d in differences(tmp_path / "a", tmp_path / "b")}
    assert rows[("parameter", "weight_counterfeit_perception")] == ("two_component (= 0.82)", "0.4")
    assert rows[("result", "counterfeit_largest_under_assumed_weights")] == ("yes", "no")


# --------------------------------------------------------------------------
# The figure of a 4-parameter sweep: facets, one measure per axis, verdicts as a grid
# --------------------------------------------------------------------------

def _four_parameter_table(tmp_path):
    plan = _plan(tmp_path, "{window: [1, 2], inference: [t, hc3], outcome: [share_of_year, single_month_yoy], "
                           "pattern: [common, own]}", "[lift_trend_pooled, verdict_pooled]")

    def values(v):
        o = v.overrides
        lift = 0.5 * o["window"] + (1.0 if o["outcome"] == "single_month_yoy" else 0.1) + (0.2 if o["pattern"] == "own" else 0)
        measure = "share of the year" if o["outcome"] == "share_of_year" else "year-on-year growth"
        return {"lift_trend_pooled": {"value": lift, "interval": [lift - 0.3, lift + 0.3], "unit": "pp",
                                      "description": f"change of the lift ({measure})"},
                "verdict_pooled": {"value": "weakened" if lift > 1.4 else "undetermined", "description": "verdict"}}
    status = _results(tmp_path, plan, values)
    return plan, sweep_summary.summary_rows(plan, tmp_path, status)


def test_a_four_parameter_sweep_puts_every_further_parameter_in_its_own_panel(tmp_path):

    plan, table = _four_parameter_table(tmp_path)
    ran = [r for r in table.rows if r["status"] == "done"]
    x_key, series_key, facets, *_ = sweep_plot.layout(plan, table, ran)
    # outcome changes what lift_trend_pooled measures: a facet, never a shared axis
    assert facets[0] == "outcome" and set(facets) == {"outcome", "pattern"}
    assert (x_key, series_key) == ("window", "inference")
    fig = sweep_plot.summary_figure(plan, table)
    numeric = [ax for ax in fig.axes if ax.get_title().startswith("lift_trend_pooled")]
    assert len(numeric) == 4  # outcome × pattern
    for ax in numeric:  # one measure per panel, no variant hidden behind another: 2 series × 2 windows
        points = [tuple(xy) for c in ax.containers if c.get_label().startswith("inference")
                  for xy in c.lines[0].get_xydata()]
        assert len(points) == 4 and len(set(points)) == 4
        assert "outcome = " in ax.get_title() and "pattern = " in ax.get_title()
    rings = [line for ax in numeric for line in ax.get_lines() if line.get_label() == "default parameters"]
    assert len(rings) == 1  # the default variant, once
    assert sum("(default)" in ax.get_title() for ax in numeric) == 1
    assert "panels: outcome, pattern" in fig.get_suptitle()


def test_verdicts_are_drawn_as_a_coloured_grid(tmp_path):
    plan, table = _four_parameter_table(tmp_path)
    fig = sweep_plot.summary_figure(plan, table)
    grids = [ax for ax in fig.axes if ax.get_title().startswith("verdict_pooled")]
    assert len(grids) == 4
    for ax in grids:
        assert not any("no values" in t.get_text() for t in ax.texts)
        cells = ax.patches
        assert len(cells) == 4  # window × inference
        assert {t.get_text() for t in ax.texts} <= {"weakened", "undetermined"}
    colours = {(t.get_text(), tuple(p.get_facecolor())) for ax in grids for t, p in zip(ax.texts, ax.patches)}
    assert len({c for _, c in colours}) == 2  # one colour per verdict
    labels = [t.get_text() for t in fig.legends[0].get_texts()]
    assert "weakened" in labels and "undetermined" in labels


def test_close_tick_values_do_not_overlap(tmp_path):
    plan = _plan(tmp_path, "{proactive_share: [0.05, 0.09, 0.263, 0.3, 0.31]}", "[dispute_change_without_proactive]",
                 section="index_trend")
    status = _results(tmp_path, plan, lambda v: {"dispute_change_without_proactive": {
        "value": 1 - v.overrides["proactive_share"], "unit": "points"}})
    fig = sweep_plot.summary_figure(plan, sweep_summary.summary_rows(plan, tmp_path, status))
    fig.canvas.draw()
    ax = fig.axes[0]
    boxes = [t.get_window_extent() for t in ax.get_xticklabels() if t.get_text()]
    assert len(boxes) >= 3
    assert not any(a.overlaps(b) for i, a in enumerate(boxes) for b in boxes[i + 1:])


def test_summary_columns_have_units_and_descriptions(tmp_path):
    plan, table = _four_parameter_table(tmp_path)
    sweep_summary.write_summary(plan, tmp_path, {}, table)
    columns = {r["column"]: r for r in csv.DictReader((tmp_path / "summary.columns.csv").open(encoding="utf-8"))}
    header = next(csv.reader((tmp_path / "summary.csv").open(encoding="utf-8")))
    assert list(columns) == header  # one description per column, in order
    assert columns["lift_trend_pooled"]["unit"] == "pp" and columns["lift_trend_pooled_lower"]["unit"] == "pp"
    assert columns["window"]["kind"] == "parameter" and "default: 1" in columns["window"]["description"]
    assert columns["verdict_pooled"]["description"] == "verdict"


def test_terminal_table_fits_100_columns(tmp_path, capsys):
    plan, table = _four_parameter_table(tmp_path)
    sweep_summary.print_summary_table(plan, table)
    out = capsys.readouterr().out
    assert max(len(line) for line in out.splitlines()) <= 100
    for r in table.rows:  # every variant id in full, once
        assert out.count(r["variant_id"]) == 1


def test_include_sweeps_names_where_it_looked_and_the_command(tmp_path, tmp_project, no_execution, capsys):
    built = tmp_project / "build" / "sweeps" / "index_weights"
    built.mkdir(parents=True)
    (built / "summary.csv").write_text("variant_id\n", encoding="utf-8")
    other = tmp_path / "variant"
    code = cli.main(["--output-dir", str(other), "--include-sweeps", "index_weights", "--no-pdf"])
    err = capsys.readouterr().err
    assert code == 2, err
    assert f"no {other / 'sweeps' / 'index_weights' / 'summary.csv'}" in err
    assert "it is in " in err and str(built) in err  # where it is
    assert f"--sweep params/sweeps/index_weights.yaml --output-dir {other}" in err  # how to build it there


def test_a_named_default_is_resolved_and_marked_on_the_axis(tmp_path):
    """report_december stands for the report's December share: the variant sits at that number on the x axis,
    labelled with both, and is the default point; the summary keeps the name with its number beside it."""
    plan = _plan(tmp_path, "{proactive_share: [0.05, report_december, 0.15]}", "[dispute_change_without_proactive]",
                 section="index_trend")
    # DEFAULTS here set proactive_share 0.09; the project's default is the name
    plan.defaults["proactive_share"] = "report_december"
    for v in plan.valid:
        if v.overrides["proactive_share"] == "report_december":
            plan.default_models = dict(v.models)

    def values(v):
        share = 0.09 if v.overrides["proactive_share"] == "report_december" else v.overrides["proactive_share"]
        return {"dispute_change_without_proactive": {"value": 1 - 10 * share, "unit": "points"}}
    status = _results(tmp_path, plan, values)
    for v in plan.valid:  # each variant's results say which number a name stood for
        path = tmp_path / v.variant_id / "results" / "index_trend.json"
        payload = json.loads(path.read_text(encoding="utf-8"))
        share = v.overrides["proactive_share"]
        payload.update(parameters={"proactive_share": share},
                       assumptions=[{"name": "proactive_share", "value": 0.09 if share == "report_december" else share}])
        path.write_text(json.dumps(payload), encoding="utf-8")
    table = sweep_summary.summary_rows(plan, tmp_path, status)
    row = next(r for r in table.rows if r["proactive_share"] == "report_december")
    assert row["proactive_share_value"] == 0.09 and row["default"] == "yes"
    assert table.shown[(row["variant_id"], "proactive_share")] == "report_december (= 0.09)"
    fig = sweep_plot.summary_figure(plan, table)
    ax = fig.axes[0]
    assert [round(x, 6) for x in ax.get_xticks()] == [0.05, 0.09, 0.15]
    assert [t.get_text() for t in ax.get_xticklabels()][1] == "0.09\n(report_december)"
    ring = [line for line in ax.get_lines() if line.get_label() == "default parameters"]
    assert ring and list(ring[0].get_xdata()) == [0.09]


def test_a_sweep_across_sections_reads_each_sections_results():
    """The shipped index_weights sweep runs both sections using the shared weights; outputs SECTION.KEY."""
    plan = sweep.load_sweep(PROJECT_ROOT / "params" / "sweeps" / "index_weights.yaml")
    assert plan.sections == ["index_trend", "ai_anticounterfeit"]
    v = plan.valid[0]
    assert set(v.models) == {"index_trend", "ai_anticounterfeit"}
    assert len({(m.weight_dispute_rate, m.weight_counterfeit_perception) for m in v.models.values()}) == 1
    assert [o.section for o in plan.outputs] == ["index_trend", "ai_anticounterfeit", "ai_anticounterfeit"]


def test_summary_of_a_sweep_across_sections(tmp_path):
    plan = sweep.plan_sweep("x", sweep.SweepSpec(
        sections=["index_trend", "ai_anticounterfeit"],
        grid={"shared.weight_dispute_rate": [0.1, 0.2], "shared.weight_counterfeit_perception": [0.5]},
        outputs=["index_trend.implied_other_change", "ai_anticounterfeit.counterfeit_largest_under_assumed_weights"]))
    status = {}
    for v in plan.valid:
        w_d = v.overrides["shared.weight_dispute_rate"]
        for section, results in (("index_trend", {"implied_other_change": {"value": -10 * w_d, "unit": "points"}}),
                                 ("ai_anticounterfeit", {"counterfeit_largest_under_assumed_weights":
                                                         {"value": "yes" if w_d < 0.15 else "no"}})):
            path = tmp_path / v.variant_id / "results" / f"{section}.json"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(json.dumps({"results": results}), encoding="utf-8")
        status[v.variant_id] = "done"
    table = sweep_summary.summary_rows(plan, tmp_path, status)
    assert not table.unmatched
    assert [(r["index_trend.implied_other_change"], r["ai_anticounterfeit.counterfeit_largest_under_assumed_weights"])
            for r in table.rows] == [(-1.0, "yes"), (-2.0, "no")]
    fig = sweep_plot.summary_figure(plan, table)
    assert [ax.get_title() for ax in fig.axes] == list(table.outputs)


def test_a_parameter_declared_to_change_the_measure_is_always_a_facet(tmp_path):
    """outcome (share of the year vs YoY growth) is declared measure=True beside the parameter: even when the
    results' unit and description read alike, its values never share an axis."""
    from ecrights import params

    assert "outcome" in params.measure_fields(params.MODELS["promotion_effects"])
    plan = _plan(tmp_path, "{outcome: [share_of_year, single_month_yoy], window: [1, 2], inference: [t, hc3]}",
                 "[lift_trend_pooled]")
    status = _results(tmp_path, plan, lambda v: {"lift_trend_pooled": {"value": float(v.overrides["window"]),
                                                                       "unit": "pp", "description": "same words"}})
    table = sweep_summary.summary_rows(plan, tmp_path, status)
    x_key, series_key, facets, *_ = sweep_plot.layout(plan, table, table.rows)
    assert facets == ["outcome"] and (x_key, series_key) == ("window", "inference")


def test_a_sweep_of_the_measure_alone_never_shares_an_axis(tmp_path):
    plan = _plan(tmp_path, "{outcome: [share_of_year, single_month_yoy]}", "[lift_trend_pooled]")
    status = _results(tmp_path, plan, lambda v: {"lift_trend_pooled": {"value": 1.0, "unit": "pp"}})
    fig = sweep_plot.summary_figure(plan, sweep_summary.summary_rows(plan, tmp_path, status))
    assert len(fig.axes) == 2
    for ax in fig.axes:  # one panel per measure, one point in each
        drawn = {x for line in ax.get_lines() if line.get_marker() not in (None, "None", "")
                 for x in line.get_xdata()}
        assert len(drawn) == 1, drawn


def test_a_probable_typo_is_warned_before_the_variants_run(tmp_path):
    plan = _plan(tmp_path, "{window: [1, 2]}", "[lift_trend_jnu, lift_trend_nov]")
    (tmp_path / "build" / "results").mkdir(parents=True)
    (tmp_path / "build" / "results" / "promotion_effects.json").write_text(json.dumps({"results": LIFTS}),
                                                                         encoding="utf-8")
    warnings = sweep_run.unrecorded_by_default_build(plan, tmp_path / "build")
    assert len(warnings) == 1 and "'lift_trend_jnu'" in warnings[0] and "lift_trend_jun" in warnings[0]
