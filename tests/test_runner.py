"""The runner: bad input is refused before anything runs; a real run; the cache; a failing section."""

from __future__ import annotations

import csv
import hashlib
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import PROJECT_ROOT, PYTHON, copy_project, official_row, write_official
from ecrights import data
from ecrights.run import cli

# --------------------------------------------------------------------------
# Bad input, in process (fast): exit 2, message on stderr, nothing run, nothing written
# --------------------------------------------------------------------------


@pytest.fixture
def no_execution(monkeypatch):
    """Fail the test if the runner gets as far as executing anything."""
    def forbidden(*args, **kwargs):
        raise AssertionError("the runner executed a task despite bad input")
    monkeypatch.setattr(cli, "execute", forbidden)
    monkeypatch.setattr(cli, "run_task", forbidden)


def _tree(directory: Path) -> dict[str, bytes]:
    return {p.relative_to(directory).as_posix(): p.read_bytes() for p in sorted(directory.rglob("*")) if p.is_file()}


def _bad(capsys, tmp_project, argv, *expected_in_stderr):
    out = tmp_project.parent / "out"
    previous = tmp_project.parent / "previous"
    previous.mkdir(exist_ok=True)
    (previous / "results").mkdir(exist_ok=True)
    (previous / "results" / "retail_growth.json").write_text('{"good": true}', encoding="utf-8")
    before = _tree(previous)
    code = cli.main(argv + ["--output-dir", str(out), "--no-report"])
    err = capsys.readouterr().err
    assert code == cli.EXIT_BAD_INPUT == 2, err
    assert err.startswith("error: ")
    for text in expected_in_stderr:
        assert text in err, err
    # nothing written: neither the requested output dir nor the default build/
    assert not out.exists()
    assert not (tmp_project / "build").exists()
    # and a build dir given as output is not touched
    code = cli.main(argv + ["--output-dir", str(previous), "--no-report"])
    capsys.readouterr()
    assert code == 2 and _tree(previous) == before
    return err


def test_unknown_section(capsys, tmp_project, no_execution):
    _bad(capsys, tmp_project, ["--sections", "retail_growth", "retail_grwoth"], "retail_grwoth", "retail_growth")


def test_unknown_forced_section(capsys, tmp_project, no_execution):
    _bad(capsys, tmp_project, ["--sections", "retail_growth", "--force", "nosuch"], "--force", "nosuch")


def test_malformed_set(capsys, tmp_project, no_execution):
    _bad(capsys, tmp_project, ["--sections", "retail_growth", "--set", "retail_growth.language"],
         "--set", "SECTION.KEY=VALUE")


def test_set_unknown_key(capsys, tmp_project, no_execution):
    _bad(capsys, tmp_project, ["--sections", "retail_growth", "--set", "retail_growth.colour=red"],
         "--set", "retail_growth.colour", "'red'", "unknown parameter")


def test_set_wrong_type_and_range(capsys, tmp_project, no_execution):
    _bad(capsys, tmp_project, ["--sections", "promotion_effects", "--set", "promotion_effects.window=abc"],
         "--set", "promotion_effects.window", "'abc'", "valid integer")
    _bad(capsys, tmp_project, ["--sections", "promotion_effects", "--set", "promotion_effects.window=3"],
         "--set", "promotion_effects.window = 3", "less than or equal to 2")


def test_set_for_a_section_not_run_is_still_checked(capsys, tmp_project, no_execution):
    # an override naming an unknown section is refused even when that section is not selected
    _bad(capsys, tmp_project, ["--sections", "retail_growth", "--set", "nosuch.window=1"], "nosuch")


def test_bad_scenario_file(capsys, tmp_project, no_execution, tmp_path):
    scenario = tmp_path / "scenario.yaml"
    scenario.write_text("retail_growth:\n  language: fr\n", encoding="utf-8")
    _bad(capsys, tmp_project, ["--sections", "retail_growth", "--params", str(scenario)],
         str(scenario), "retail_growth.language = 'fr'")
    missing = tmp_path / "missing.yaml"
    _bad(capsys, tmp_project, ["--sections", "retail_growth", "--params", str(missing)], str(missing), "not found")


def test_tampered_data_file(capsys, tmp_project, no_execution):
    target = tmp_project / "data" / "official" / "nbs_retail_2019.csv"
    target.write_text(target.read_text(encoding="utf-8").replace("411649", "411694"), encoding="utf-8")
    err = _bad(capsys, tmp_project, ["--sections", "retail_growth"], str(target), "MANIFEST.sha256")
    assert "--update-manifest" in err


def test_unlisted_data_file(capsys, tmp_project, no_execution):
    extra = write_official(tmp_project / "data" / "official" / "nbs_retail_2020.csv", [official_row()])
    _bad(capsys, tmp_project, ["--sections", "retail_growth"], str(extra), "not listed")


def test_invalid_data_even_with_a_matching_manifest(capsys, tmp_project, no_execution):
    target = tmp_project / "data" / "official" / "nbs_retail_2019.csv"
    lines = target.read_text(encoding="utf-8").splitlines(keepends=True)
    line_no = next(i for i, line in enumerate(lines, start=1) if line.startswith("retail_sales_total,2019-12,2019-12,level,"))
    lines[line_no - 1] = lines[line_no - 1].replace(",level,38777,", ",level,38778,", 1)
    target.write_text("".join(lines), encoding="utf-8")
    data.write_manifest(tmp_project / "data")  # a deliberate edit, manifest updated
    _bad(capsys, tmp_project, ["--sections", "retail_growth"], str(target), f"line {line_no}", "column 'quote'",
         "38778")


def test_jobs_must_be_positive(capsys, tmp_project, no_execution):
    _bad(capsys, tmp_project, ["--sections", "retail_growth", "--jobs", "0"], "--jobs")


def test_list_prints_effective_parameters(capsys, tmp_project, no_execution):
    code = cli.main(["--list", "--sections", "retail_growth", "promotion_effects",
                     "--set", "promotion_effects.window=2"])
    out = capsys.readouterr().out
    assert code == 0
    assert "retail_growth" in out and "notebooks/retail_growth.ipynb" in out
    assert "period_start = 'report'" in out and "# first month of Figures 1–4" in out
    assert "window = 2" in out and "promotion_months = [6, 11]" in out
    assert not (tmp_project / "build").exists()


def test_list_all_sections(capsys, tmp_project, no_execution):
    assert cli.main(["--list"]) == 0
    out = capsys.readouterr().out
    for name in ("retail_growth", "promotion_effects", "index_trend", "industry_breakdown", "ai_anticounterfeit"):
        assert f"{name}  (" in out


# --------------------------------------------------------------------------
# Real runs through run_all.py (subprocesses)
# --------------------------------------------------------------------------


def _run(args: list[str], root: Path | None = None, timeout: int = 300) -> tuple[subprocess.CompletedProcess, float]:
    env = {k: v for k, v in os.environ.items() if k != "ECRIGHTS_ROOT"}
    if root is not None:
        env["ECRIGHTS_ROOT"] = str(root)
    python = str(PYTHON) if PYTHON.exists() else sys.executable
    started = time.perf_counter()
    proc = subprocess.run([python, str(PROJECT_ROOT / "run_all.py"), *args], capture_output=True, text=True,
                          env=env, cwd=str(PROJECT_ROOT.parent), timeout=timeout)
    return proc, time.perf_counter() - started


def _inputs_fingerprint(section_name: str) -> str:
    """What the cache key of a section hashes (code, data, library), computed here."""
    from ecrights import sections
    from ecrights.run import cache

    section = sections.get(section_name)
    h = hashlib.sha256(cache.notebook_code_hash(section.notebook).encode() + cache.library_hash().encode())
    for path in section.data_files():
        h.update(path.read_bytes())
    return h.hexdigest()


def _show(proc) -> str:
    return f"exit {proc.returncode}\n--- stdout\n{proc.stdout[-4000:]}\n--- stderr\n{proc.stderr[-4000:]}"


@pytest.mark.integration
def test_retail_growth_end_to_end_then_from_cache(tmp_path, monkeypatch):
    monkeypatch.delenv("ECRIGHTS_ROOT", raising=False)
    out = tmp_path / "build"
    args = ["--sections", "retail_growth", "--no-report", "--output-dir", str(out)]

    fingerprint = _inputs_fingerprint("retail_growth")
    proc, _ = _run(args)
    assert proc.returncode == 0, _show(proc) + "\n(if the manifest differs: python run_all.py --update-manifest)"
    stable = fingerprint if fingerprint == _inputs_fingerprint("retail_growth") else None
    assert "done     retail_growth" in proc.stdout

    results = json.loads((out / "results" / "retail_growth.json").read_text(encoding="utf-8"))
    assert results["section"] == "retail_growth"
    checks = {c["claim_id"]: c for c in results["claims"]}
    assert checks["rg_retail_total_2019_level"]["status"] == "reproduced"
    assert checks["rg_retail_total_2019_level"]["reproduced_value"] == 411649
    assert checks["rg_physical_online_2019_yoy"]["status"] == "reproduced"
    assert checks["rg_physical_online_contribution_2019_lb"]["status"] == "reproduced"
    assert results["results"]["physical_online_contribution_pct"]["value"] == pytest.approx(45.6, abs=0.05)
    assert sum(results["claim_counts"].values()) == len(results["claims"])
    from ecrights.params import resolve
    assert results["parameters"] == resolve(["retail_growth"])["retail_growth"].model_dump(mode="json")

    figures = [out / f["file"] for f in results["figures"]]
    assert {f["report_figure"] for f in results["figures"]} >= {"图1", "图2", "图3", "图4"}
    for fig in figures:
        assert fig.is_file() and fig.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n", fig
    assert sorted(p.name for p in (out / "figures").glob("retail_growth-*.png")) == sorted(f.name for f in figures)
    assert all(f["sources"] and f["caption"] for f in results["figures"])

    with (out / "claims.csv").open(encoding="utf-8", newline="") as fh:
        rows = [r for r in csv.DictReader(fh) if r["section"] == "retail_growth"]
    ledger = data.load_claims(PROJECT_ROOT / "data" / "published" / "claims.csv")
    assert {r["claim_id"] for r in rows} == set(ledger.index[ledger["section"] == "retail_growth"])
    assert (out / "logs" / "retail_growth.log").is_file()
    executed = json.loads((out / "notebooks" / "retail_growth.ipynb").read_text(encoding="utf-8"))
    assert any(c.get("outputs") for c in executed["cells"] if c["cell_type"] == "code")
    run_record = json.loads((out / "run.json").read_text(encoding="utf-8"))
    assert run_record["sections"]["retail_growth"]["status"] == "done"
    assert not any((out / ".staging").iterdir())
    first_results = (out / "results" / "retail_growth.json").read_bytes()

    # Second run: from the cache. Colleagues edit lib/ and data/ while tests
    # run; the claim is only that two runs over unchanged inputs hit the
    # cache, so if the inputs moved around the previous run, run again.
    for _attempt in range(4):
        before = _inputs_fingerprint("retail_growth")
        proc, seconds = _run(args)
        after = _inputs_fingerprint("retail_growth")
        if "cached   retail_growth" in proc.stdout or stable == before == after:
            break
        stable = before if before == after else None
    assert proc.returncode == 0, _show(proc)
    assert "cached   retail_growth" in proc.stdout, _show(proc)
    assert "1 from cache" in proc.stdout
    assert seconds < 5, f"a cached run took {seconds:.1f} s"
    assert json.loads((out / "run.json").read_text(encoding="utf-8"))["sections"]["retail_growth"]["status"] == "cached"
    assert len(list((out / "figures").glob("retail_growth-*.png"))) == len(figures)
    if fingerprint == after:
        assert (out / "results" / "retail_growth.json").read_bytes() == first_results


FAILING_SOURCE = 'reason = "this cell fails on purpose"\nraise RuntimeError(f"deliberate failure: {reason}")'


@pytest.mark.integration
def test_failing_section_keeps_good_outputs(tmp_path, monkeypatch):
    monkeypatch.delenv("ECRIGHTS_ROOT", raising=False)
    root = copy_project(tmp_path / "project")
    out = tmp_path / "build"
    args = ["--sections", "retail_growth", "--no-report", "--output-dir", str(out)]

    proc, _ = _run(args, root=root)
    assert proc.returncode == 0, _show(proc)
    good = {p: p.read_bytes() for sub in ("results", "notebooks", "figures") for p in (out / sub).glob("retail_growth*")}
    recorded = json.loads((out / "results" / "retail_growth.json").read_text(encoding="utf-8"))["figures"]
    assert len(good) == 2 + 2 * len(recorded)  # results, executed notebook, the figures and the data each draws

    notebook = root / "notebooks" / "retail_growth.ipynb"
    nb = json.loads(notebook.read_text(encoding="utf-8"))
    first_code = next(i for i, c in enumerate(nb["cells"]) if c["cell_type"] == "code"
                      and "parameters" not in c.get("metadata", {}).get("tags", []))
    nb["cells"].insert(first_code + 1, {"cell_type": "code", "metadata": {}, "execution_count": None,
                                        "outputs": [], "source": FAILING_SOURCE})
    notebook.write_text(json.dumps(nb, ensure_ascii=False, indent=1), encoding="utf-8")

    proc, _ = _run(args, root=root)
    assert proc.returncode == 1, _show(proc)
    assert "FAILED   retail_growth" in proc.stdout
    err = proc.stderr
    assert "retail_growth failed: cell error" in err, _show(proc)
    for line in FAILING_SOURCE.splitlines():
        assert line in err, _show(proc)  # the failing cell's source
    assert "RuntimeError: deliberate failure: this cell fails on purpose" in err

    failed = out / "failed" / "retail_growth.ipynb"
    assert failed.is_file() and str(failed) in err
    kept = json.loads(failed.read_text(encoding="utf-8"))
    failing_cells = [c for c in kept["cells"] if "".join(c["source"]) == FAILING_SOURCE]
    assert failing_cells and any(o.get("output_type") == "error" for o in failing_cells[0]["outputs"])

    # the last good outputs of the section are untouched, byte for byte
    assert {p: p.read_bytes() for p in good} == good
    assert sorted((out / "figures").glob("retail_growth*")) == sorted(p for p in good if p.parent.name == "figures")
    assert "deliberate failure" in (out / "logs" / "retail_growth.log").read_text(encoding="utf-8")
    assert json.loads((out / "run.json").read_text(encoding="utf-8"))["sections"]["retail_growth"]["status"] == "failed"
    assert not any((out / ".staging").iterdir())

    # fixing the notebook brings the good run back (from the cache unless a
    # colleague changed lib/ meanwhile) and clears the kept failure
    nb["cells"].pop(first_code + 1)
    notebook.write_text(json.dumps(nb, ensure_ascii=False, indent=1), encoding="utf-8")
    proc, _ = _run(args, root=root)
    assert proc.returncode == 0, _show(proc)
    assert "cached   retail_growth" in proc.stdout or "done     retail_growth" in proc.stdout
    assert not failed.exists()


def test_set_for_a_section_not_selected_is_checked(capsys, tmp_project, no_execution):
    _bad(capsys, tmp_project, ["--sections", "retail_growth", "--set", "promotion_effects.windw=2"],
         "promotion_effects.windw", "unknown parameter")


@pytest.mark.integration
def test_runaway_cell_fails_fast_with_the_timeout(tmp_path, monkeypatch):
    monkeypatch.delenv("ECRIGHTS_ROOT", raising=False)
    root = copy_project(tmp_path / "project")
    notebook = root / "notebooks" / "retail_growth.ipynb"
    nb = json.loads(notebook.read_text(encoding="utf-8"))
    nb["cells"].insert(3, {"cell_type": "code", "metadata": {}, "execution_count": None, "outputs": [],
                           "source": "import time\ntime.sleep(300)  # runaway"})
    notebook.write_text(json.dumps(nb, ensure_ascii=False, indent=1), encoding="utf-8")
    out = tmp_path / "build"
    proc, seconds = _run(["--sections", "retail_growth", "--no-report", "--output-dir", str(out), "--timeout", "3"],
                         root=root, timeout=120)
    assert proc.returncode == 1, _show(proc)
    assert "retail_growth failed: cell timed out" in proc.stderr, _show(proc)
    assert "time.sleep(300)  # runaway" in proc.stderr
    assert seconds < 60
    assert (out / "failed" / "retail_growth.ipynb").is_file()
    assert not (out / "results" / "retail_growth.json").exists()


@pytest.mark.integration
def test_two_cold_builds_give_identical_results_and_claims(tmp_path):
    """Determinism: results JSON, claims and the executed notebook's outputs
    are byte-identical across two cold builds (volatile metadata stripped)."""
    outs = []
    for name in ("a", "b"):
        out = tmp_path / name
        proc = subprocess.run([PYTHON, "run_all.py", "--sections", "index_trend", "--no-report", "--force",
                               "--output-dir", str(out)], cwd=PROJECT_ROOT, capture_output=True, text=True,
                              timeout=600)
        assert proc.returncode == 0, proc.stderr
        outs.append(out)
    a, b = outs
    assert (a / "results" / "index_trend.json").read_bytes() == (b / "results" / "index_trend.json").read_bytes()
    assert (a / "claims.csv").read_bytes() == (b / "claims.csv").read_bytes()
    nb_a = json.loads((a / "notebooks" / "index_trend.ipynb").read_text(encoding="utf-8"))
    nb_b = json.loads((b / "notebooks" / "index_trend.ipynb").read_text(encoding="utf-8"))
    outputs = lambda nb: [c.get("outputs") for c in nb["cells"] if c["cell_type"] == "code"]  # noqa: E731
    assert outputs(nb_a) == outputs(nb_b)


@pytest.mark.integration
def test_report_prepared_while_sections_run_equals_one_built_afterwards(tmp_path, monkeypatch):
    """The runner lays out each section's report pages as it finishes (report_stage.py);
    the result must be what assembling the finished build/ gives."""
    from ecrights.report import assemble

    monkeypatch.delenv("ECRIGHTS_ROOT", raising=False)
    out = tmp_path / "build"
    proc, _ = _run(["--sections", "retail_growth", "ai_anticounterfeit", "--jobs", "2", "--output-dir", str(out)])
    assert proc.returncode == 0, _show(proc)
    assert (out / "report.pdf").is_file() and "report: " in proc.stdout
    again = tmp_path / "again"
    shutil.copytree(out, again)
    assemble.build_report(again)
    for name in ("report.html", "sections/retail_growth.html", "sections/ai_anticounterfeit.html"):
        assert (out / name).read_bytes() == (again / name).read_bytes(), name
    from pypdf import PdfReader

    texts = lambda path: [p.extract_text() for p in PdfReader(str(path)).pages]  # noqa: E731
    assert texts(out / "report.pdf") == texts(again / "report.pdf")


@pytest.mark.integration
def test_ctrl_c_stops_workers_and_kernels_and_starts_nothing_queued(tmp_path, monkeypatch):
    import signal

    monkeypatch.delenv("ECRIGHTS_ROOT", raising=False)
    out = tmp_path / "build"
    kernels_before = _kernels()
    python = str(PYTHON) if PYTHON.exists() else sys.executable
    proc = subprocess.Popen([python, str(PROJECT_ROOT / "run_all.py"), "--output-dir", str(out), "--jobs", "2",
                             "--no-report"], cwd=str(PROJECT_ROOT), stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    deadline = time.time() + 60
    while not list((out / ".staging").glob("*")) and time.time() < deadline:  # a section is running
        time.sleep(0.1)
    proc.send_signal(signal.SIGINT)
    stdout, stderr = proc.communicate(timeout=30)
    assert proc.returncode == 130, stdout + stderr
    assert "interrupted" in stderr and "Traceback" not in stderr
    assert not any((out / ".staging").iterdir())
    # the last sections in report order were queued behind the first two: never started
    assert not (out / "results" / "ai_anticounterfeit.json").exists()
    assert not (out / "run.json").exists()
    time.sleep(2)  # kernels of stopped workers are gone too
    assert _kernels() <= kernels_before


def _kernels() -> int:
    return len(subprocess.run(["pgrep", "-f", "ipykernel_launcher"], capture_output=True, text=True).stdout.split())
