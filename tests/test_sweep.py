"""Sweeps: validation before anything runs, variants, summary, cache, executors."""

from __future__ import annotations

import csv
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import PROJECT_ROOT
from ecrights.params import ParameterError
from ecrights.run import sweep


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "s.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_grid_and_variants_expand_and_validate(tmp_path):
    plan = sweep.load_sweep(_write(tmp_path, """
section: index_trend
grid: {weight_dispute_rate: [0.1, 0.5], weight_counterfeit_perception: [0.3, 0.8]}
variants: [{proactive_share: 0.05}]
outputs: [implied_other_change]
skip_invalid: true
"""))
    assert len(plan.variants) == 5
    invalid = [v for v in plan.variants if v.params is None]
    # 0.5 + 0.8 > 1 is not an admissible pair of weights
    assert [v.overrides for v in invalid] == [{"weight_dispute_rate": 0.5, "weight_counterfeit_perception": 0.8}]
    assert "must not exceed 1" in invalid[0].error
    ids = [v.variant_id for v in plan.variants]
    assert len(set(ids)) == len(ids)
    # unchanged keys keep their defaults from params/defaults.yaml
    assert plan.valid[0].params.proactive_share == "report_december"


@pytest.mark.parametrize("text, expected", [
    ("section: index_trend\ngrid: {colour: [1]}\noutputs: [x]\n", "colour: unknown parameter"),
    ("section: nowhere\ngrid: {language: [en]}\noutputs: [x]\n", "section 'nowhere' unknown"),
    ("section: index_trend\noutputs: [x]\n", "needs a grid or a list"),
    ("section: index_trend\ngrid: {weight_dispute_rate: [0.9]}\n"
     "base: {weight_counterfeit_perception: 0.9}\noutputs: [x]\n", "is invalid"),
    ("section: index_trend\ngrid: {language: [en]}\noutputs: []\n", "outputs"),
    ("section: index_trend\ngrid: {language: [en]}\noutputs: [x]\nextra: 1\n", "extra"),
])
def test_bad_sweep_files_are_rejected_before_running(tmp_path, text, expected):
    with pytest.raises(ParameterError, match=expected):
        sweep.load_sweep(_write(tmp_path, text))


def _run(*args, cwd=PROJECT_ROOT):
    return subprocess.run([sys.executable, "run_all.py", *args], cwd=cwd, capture_output=True, text=True,
                          timeout=600)


def _sweep_weights(tmp_path, weights, *extra):
    """Run a sweep of ai_anticounterfeit over counterfeit weights; return (process, summary rows, out dir)."""
    spec = _write(tmp_path, "section: ai_anticounterfeit\n"
                            "base: {weight_dispute_rate: 0.2}\n"
                            f"grid: {{weight_counterfeit_perception: {list(weights)}}}\n"
                            "outputs: [counterfeit_share_of_fall_pct]\n")
    out = tmp_path / "build"
    proc = _run("--sweep", str(spec), "--output-dir", str(out), "--jobs", "2", *extra)
    assert proc.returncode == 0, proc.stderr
    summary = out / "sweeps" / "s" / "summary.csv"
    return proc, list(csv.DictReader(summary.open(encoding="utf-8"))), out


@pytest.mark.integration
def test_sweep_runs_in_parallel_writes_summary_and_reuses_cache(tmp_path):
    _, rows, out = _sweep_weights(tmp_path, [0.5, 0.7])
    share = {r["weight_counterfeit_perception"]: float(r["counterfeit_share_of_fall_pct"]) for r in rows}
    # w_c x (-19) / (-14) x 100
    assert share == {"0.5": pytest.approx(67.857, abs=1e-3), "0.7": pytest.approx(95.0, abs=1e-3)}
    assert (out / "sweeps" / "s" / "summary.png").is_file()
    second, _, _ = _sweep_weights(tmp_path, [0.5, 0.7])
    assert second.stdout.count("cached ") >= 2 and " done " not in second.stdout


@pytest.mark.integration
def test_dask_local_cluster_executes_variants(tmp_path):
    result, rows, _ = _sweep_weights(tmp_path, [0.55, 0.65], "--executor", "dask")
    assert "dask: local cluster of 2 workers" in result.stdout
    assert [r["status"] for r in rows] == ["done", "done"]
