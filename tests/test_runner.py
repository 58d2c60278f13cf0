"""The runner: bad input is refused before anything runs; a real run; the cache; a failing section."""

from __future__ import annotations

import csv
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

from conftest import (BUILT_SECTIONS, PROJECT_ROOT, PYTHON, copy_built, official_row, run_all, show, tree_digest,
                      write_official)
from ecrights import data
from ecrights.run import cli

# --------------------------------------------------------------------------
# Bad input, in process (fast): exit 2, message on stderr, nothing run, nothing written
# --------------------------------------------------------------------------




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



def test_scheduler_needs_the_dask_executor(capsys, tmp_project, no_execution):
    _bad(capsys, tmp_project, ["--sections", "retail_growth", "--scheduler", "tcp://127.0.0.1:8786"],
         "--scheduler", "--executor dask")


def test_unreachable_scheduler_is_bad_input_after_a_short_timeout(capsys, tmp_project):
    # nothing listens on port 9 (discard) of this machine; the run stops before any kernel starts
    _bad(capsys, tmp_project, ["--sections", "retail_growth", "--executor", "dask",
                               "--scheduler", "tcp://127.0.0.1:9", "--scheduler-timeout", "1"],
         "cannot reach the scheduler at tcp://127.0.0.1:9", "waited 1 s")


# --------------------------------------------------------------------------
# Real runs (run_all.py in subprocesses), most on the session's shared build
# --------------------------------------------------------------------------


@pytest.mark.integration
def test_a_build_publishes_results_figures_claims_and_its_record(built):
    root, proc = built
    out = root / "build"
    for name in BUILT_SECTIONS:
        assert f"done     {name}" in proc.stdout, show(proc)
    results = json.loads((out / "results" / "retail_growth.json").read_text(encoding="utf-8"))
    assert results["section"] == "retail_growth"
    checks = {c["claim_id"]: c for c in results["claims"]}
    assert checks["rg_retail_total_2019_level"]["status"] == "reproduced"
    assert checks["rg_retail_total_2019_level"]["reproduced_value"] == 411649
    assert results["results"]["physical_online_contribution_pct"]["value"] == pytest.approx(45.6, abs=0.05)
    assert sum(results["claim_counts"].values()) == len(results["claims"])
    figures = [out / f["file"] for f in results["figures"]]
    assert {f["report_figure"] for f in results["figures"]} >= {"图1", "图2", "图3", "图4"}
    rasters = [out / f["raster"] for f in results["figures"]]
    for fig, raster in zip(figures, rasters):
        assert fig.suffix == ".svg" and b"<svg" in fig.read_bytes()[:1000], fig  # vector: HTML and PDF
        assert raster.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n", raster  # print resolution: Word
    assert sorted(p.name for p in (out / "figures").glob("retail_growth-*.svg")) == sorted(f.name for f in figures)
    assert sorted(p.name for p in (out / "figures").glob("retail_growth-*.png")) == sorted(f.name for f in rasters)

    with (out / "claims.csv").open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    ledger = data.load_claims(root / "data" / "published" / "claims.csv")
    for name in BUILT_SECTIONS:
        assert {r["claim_id"] for r in rows if r["section"] == name} == \
            set(ledger.index[ledger["section"] == name])
    record = json.loads((out / "run.json").read_text(encoding="utf-8"))
    assert {record["sections"][n]["status"] for n in BUILT_SECTIONS} == {"done"}
    assert record["language"] == "zh"
    assert all((out / "logs" / f"{n}.log").is_file() for n in BUILT_SECTIONS)
    assert not any((out / ".staging").iterdir())
    # the summary counts each section's claim checks by status
    summary = proc.stdout[proc.stdout.index("section  "):]
    assert "reproduced" in summary.splitlines()[1 + BUILT_SECTIONS.index("retail_growth")]
    assert "claims: " in summary


@pytest.mark.integration
def test_kernels_use_ipc_without_the_tcp_warning_and_outputs_carry_no_ansi_codes(built):
    root, proc = built
    assert "without encryption" not in proc.stderr, show(proc)
    assert "\x1b[" not in proc.stdout + proc.stderr
    for log in (root / "build" / "logs").glob("*.log"):
        assert "\x1b[" not in log.read_text(encoding="utf-8"), log


@pytest.mark.integration
def test_an_unchanged_build_is_served_from_the_cache(built, tmp_path):
    root = copy_built(built, tmp_path / "project")
    out = root / "build"
    before = {p: p.read_bytes() for p in (out / "results").glob("*.json")}
    proc = run_all(["--sections", *BUILT_SECTIONS, "--no-report"], root=root)
    assert proc.returncode == 0, show(proc)
    for name in BUILT_SECTIONS:
        assert f"cached   {name}" in proc.stdout, show(proc)
    assert f"{len(BUILT_SECTIONS)} from cache" in proc.stdout
    assert {p: p.read_bytes() for p in before} == before
    record = json.loads((out / "run.json").read_text(encoding="utf-8"))
    assert {record["sections"][n]["status"] for n in BUILT_SECTIONS} == {"cached"}


@pytest.mark.integration
def test_identical_runs_give_byte_identical_notebooks_results_and_claims(built, tmp_path):
    """Determinism: a second, forced execution of the same section gives the same bytes
    (no timestamps, no staging path, no random cell id in the executed notebook)."""
    root, _ = built
    out = tmp_path / "again"
    proc = run_all(["--sections", *BUILT_SECTIONS, "--force", "--no-report", "--jobs", "2",
                    "--output-dir", str(out)], root=root)
    assert proc.returncode == 0, show(proc)
    for name in BUILT_SECTIONS:
        assert f"done     {name}" in proc.stdout
        for rel in (f"notebooks/{name}.ipynb", f"results/{name}.json"):
            assert (out / rel).read_bytes() == (root / "build" / rel).read_bytes(), rel
    # the shared build holds every section: the same rows for these sections
    with (root / "build" / "claims.csv").open(encoding="utf-8", newline="") as fh:
        shared = list(csv.reader(fh))
    with (out / "claims.csv").open(encoding="utf-8", newline="") as fh:
        again = list(csv.reader(fh))
    assert again == shared[:1] + [row for row in shared[1:] if row[1] in BUILT_SECTIONS]
    notebook = (out / "notebooks" / "ai_anticounterfeit.ipynb").read_text(encoding="utf-8")
    assert str(out) not in notebook and ".staging" not in notebook and '"id": "injected-parameters"' in notebook


FAILING_SOURCE = 'reason = "this cell fails on purpose"\nraise RuntimeError(f"deliberate failure: {reason}")'


def _insert_cell(root: Path, section: str, source: str, after_parameters: int = 1) -> list:
    """Insert a code cell after the parameters cell (+ after_parameters - 1); returns the original cells."""
    notebook = root / "notebooks" / f"{section}.ipynb"
    nb = json.loads(notebook.read_text(encoding="utf-8"))
    original = list(nb["cells"])
    at = next(i for i, c in enumerate(nb["cells"]) if "parameters" in c.get("metadata", {}).get("tags", []))
    nb["cells"].insert(at + after_parameters + 1, {"cell_type": "code", "id": "inserted-by-test", "metadata": {},
                                                   "execution_count": None, "outputs": [], "source": source})
    notebook.write_text(json.dumps(nb, ensure_ascii=False, indent=1), encoding="utf-8")
    return original


@pytest.mark.integration
def test_failing_section_keeps_good_outputs(built, tmp_path):
    root = copy_built(built, tmp_path / "project")
    out = root / "build"
    args = ["--sections", "retail_growth", "--no-report"]
    good = {p: p.read_bytes() for sub in ("results", "notebooks", "figures") for p in (out / sub).glob("retail_growth*")}
    results = json.loads((out / "results" / "retail_growth.json").read_text(encoding="utf-8"))
    listed = {out / f[k] for f in results["figures"] for k in ("file", "raster", "data_file") if f.get(k)}
    assert listed and listed | {out / "results" / "retail_growth.json", out / "notebooks" / "retail_growth.ipynb"} \
        == set(good)  # results, executed notebook, figures (and the data each draws, where written)
    original = _insert_cell(root, "retail_growth", FAILING_SOURCE)

    proc = run_all(args, root=root)
    assert proc.returncode == 1, show(proc)
    assert "FAILED   retail_growth" in proc.stdout
    err = proc.stderr
    assert "retail_growth failed: cell error" in err, show(proc)
    for line in FAILING_SOURCE.splitlines():
        assert line in err, show(proc)  # the failing cell's source
    assert "RuntimeError: deliberate failure: this cell fails on purpose" in err
    assert err.rstrip().endswith("error: 1 section failed: retail_growth")

    [failed] = (out / "failed").glob("*/retail_growth.ipynb")  # failed/<UTC time>/, with the run's log
    assert str(failed) in err and re.fullmatch(r"\d{8}T\d{6}Z", failed.parent.name)
    kept = json.loads(failed.read_text(encoding="utf-8"))
    failing_cells = [c for c in kept["cells"] if "".join(c["source"]) == FAILING_SOURCE]
    assert failing_cells and any(o.get("output_type") == "error" for o in failing_cells[0]["outputs"])
    # the last good outputs of the section are untouched, byte for byte
    assert {p: p.read_bytes() for p in good} == good
    assert sorted((out / "figures").glob("retail_growth*")) == sorted(p for p in good if p.parent.name == "figures")
    assert "deliberate failure" in (failed.parent / "retail_growth.log").read_text(encoding="utf-8")
    assert "deliberate failure" not in (out / "logs" / "retail_growth.log").read_text(encoding="utf-8")
    assert json.loads((out / "run.json").read_text(encoding="utf-8"))["sections"]["retail_growth"]["status"] == "failed"
    assert not any((out / ".staging").iterdir())

    # fixing the notebook brings the good run back from the cache; the failure's evidence stays
    nb = json.loads((root / "notebooks" / "retail_growth.ipynb").read_text(encoding="utf-8"))
    nb["cells"] = original
    (root / "notebooks" / "retail_growth.ipynb").write_text(json.dumps(nb, ensure_ascii=False, indent=1),
                                                            encoding="utf-8")
    proc = run_all(args, root=root)
    assert proc.returncode == 0, show(proc)
    assert "cached   retail_growth" in proc.stdout
    assert failed.is_file() and (failed.parent / "retail_growth.log").is_file()


@pytest.mark.integration
def test_a_dead_kernel_names_its_cell_and_later_cells_are_not_marked_completed(built, tmp_path):
    root = copy_built(built, tmp_path / "project")
    out = root / "build"
    good = tree_digest(out)
    source = "import os, signal\nos.kill(os.getpid(), signal.SIGKILL)  # the kernel dies here"
    _insert_cell(root, "ai_anticounterfeit", source)
    proc = run_all(["--sections", "ai_anticounterfeit", "--no-report"], root=root)
    assert proc.returncode == 1, show(proc)
    assert "FAILED   ai_anticounterfeit" in proc.stdout and "kernel died in cell" in proc.stdout, show(proc)
    assert "ai_anticounterfeit failed: kernel died" in proc.stderr
    assert source.splitlines()[1] in proc.stderr  # the cell that was running, named with its source
    [kept] = (out / "failed").glob("*/ai_anticounterfeit.ipynb")
    kept = json.loads(kept.read_text(encoding="utf-8"))
    status = [(c["source"] if isinstance(c["source"], str) else "".join(c["source"]),
               c["metadata"]["papermill"]["status"]) for c in kept["cells"]]
    dead = next(i for i, (src, _) in enumerate(status) if src == source)
    assert status[dead][1] == "failed"
    assert status[dead + 1:] and all(s == "pending" for _, s in status[dead + 1:])
    assert all(s == "completed" for _, s in status[:dead])
    after = tree_digest(out)  # the last good outputs of every section are in place
    assert {k: v for k, v in after.items() if k.split("/")[0] in ("results", "notebooks", "figures")} == \
        {k: v for k, v in good.items() if k.split("/")[0] in ("results", "notebooks", "figures")}


@pytest.mark.integration
def test_runaway_cell_fails_with_the_timeout(built, tmp_path):
    root = copy_built(built, tmp_path / "project")
    out = root / "build"
    _insert_cell(root, "ai_anticounterfeit", "import time\ntime.sleep(300)  # runaway", after_parameters=0)
    proc = run_all(["--sections", "ai_anticounterfeit", "--no-report", "--timeout", "3"], root=root, timeout=120)
    assert proc.returncode == 1, show(proc)
    assert "ai_anticounterfeit failed: cell timed out" in proc.stderr, show(proc)
    assert "time.sleep(300)  # runaway" in proc.stderr
    assert list((out / "failed").glob("*/ai_anticounterfeit.ipynb"))


@pytest.mark.integration
def test_report_prepared_while_sections_run_equals_one_built_afterwards(built, tmp_path):
    """The runner lays out each section's report pages as it finishes (report_stage.py);
    the result must be what assembling the finished build/ gives. Here through the real
    runner, HTML only: the same equality with the audit's PDF is tested in process on a
    fixture build (test_report.py: section by section gives the same report as all at once)."""
    from ecrights.report import assemble

    root = copy_built(built, tmp_path / "project")
    out = root / "build"
    # a changed result, so that the shared build's report (its inputs otherwise the same) is not kept
    proc = run_all(["--sections", *BUILT_SECTIONS, "--set", "ai_anticounterfeit.weight_grid_points=51",
                    "--no-pdf"], root=root)
    assert proc.returncode == 0, show(proc)
    assert "done     ai_anticounterfeit" in proc.stdout and "cached   retail_growth" in proc.stdout
    assert "audit prepared while sections ran" in proc.stdout, show(proc)  # the background route was taken
    assert "report: " in proc.stdout and (out / "report.html").is_file()
    again = tmp_path / "again"
    shutil.copytree(out / "current", again, symlinks=True)  # the generation the familiar paths show
    assemble.build_report(again, write_pdf=False, write_docx=False)
    for name in ("report.html", "audit.html", "sections/retail_growth.html", "sections/ai_anticounterfeit.html"):
        assert (out / name).read_bytes() == (again / name).read_bytes(), name


def _kernels(temp: Path) -> set[str]:
    """Kernels started by the runner whose temporary directory is `temp` (their connection file is
    in its runtime directory there; other runners and Jupyter users of this machine do not count)."""
    pattern = f"ipykernel_launcher -f {temp / 'ecrights-'}"
    return set(subprocess.run(["pgrep", "-f", pattern], capture_output=True, text=True).stdout.split())


@pytest.mark.integration
@pytest.mark.parametrize("signum, code", [(signal.SIGINT, 130), (signal.SIGTERM, 143)])
def test_a_signal_stops_workers_and_kernels_and_nothing_is_published_after_exit(built, tmp_path, signum, code):
    root = copy_built(built, tmp_path / "project")
    out = root / "build"
    # the runner's own temporary directory (short: IPC socket paths are limited to ~100 bytes), so
    # that what it leaves behind is told apart from other runs on this machine
    temp = Path(tempfile.mkdtemp(prefix="sig-", dir="/tmp"))
    good = tree_digest(out, exclude=("cache", "logs", "failed"))
    python = str(PYTHON) if PYTHON.exists() else sys.executable
    env = {**os.environ, "ECRIGHTS_ROOT": str(root), "TMPDIR": str(temp)}
    proc = subprocess.Popen([python, str(PROJECT_ROOT / "run_all.py"), "--force", "--jobs", "2", "--no-report"],
                            cwd=str(PROJECT_ROOT), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    deadline = time.monotonic() + 60
    while not list((out / ".staging").glob("*")) and time.monotonic() < deadline:  # a section is running
        time.sleep(0.1)
    proc.send_signal(signum)
    stdout, stderr = proc.communicate(timeout=60)
    assert proc.returncode == code, stdout + stderr
    assert "interrupted" in stderr and "Traceback" not in stderr
    at_exit = tree_digest(out, exclude=("cache", "logs", "failed"))
    assert not any((out / ".staging").iterdir())
    assert not list((out / "failed").glob("*/*"))  # stopped, not failed: no failure evidence
    assert not list((out / "generations").glob(".new-*"))  # nothing of this run published
    # the last sections in report order were queued behind the first two: never started
    for name in ("index_trend", "industry_breakdown"):
        assert at_exit[f"results/{name}.json"] == good[f"results/{name}.json"]
    # what was running or queued keeps its last good outputs; run.json and claims.csv
    # still describe the outputs beside them
    assert at_exit == good
    time.sleep(2)  # nothing lands in build/ after the runner has gone; kernels are gone
    assert tree_digest(out, exclude=("cache", "logs", "failed")) == at_exit
    assert not _kernels(temp)
    assert not any(temp.iterdir())  # the runtime directory: the kernels' connection files and sockets
    temp.rmdir()
