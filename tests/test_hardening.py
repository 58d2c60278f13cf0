"""Issue 18: hostile and unlucky inputs get a clear error and leave build/ consistent.

One test (at least) per row of the issue's table, except the parameter rows
(tests/test_params.py). Each checks the exit code, the message and, where it
matters, that build/ is byte for byte what it was. Sweep rows: tests/test_sweep.py;
signals, kernel death and identical runs: tests/test_runner.py.
"""

from __future__ import annotations

import errno
import io
import json
import os
import pathlib
import shutil
import subprocess

import pytest

from conftest import BUILT_SECTIONS, copy_built, run_all, show, tree_digest
from ecrights import data
from ecrights.errors import Interrupted, SectionFailed
from ecrights.run import cli, lock, manifest, progress, report_stage
from ecrights.run.tasks import Outcome, Task


@pytest.fixture
def project(built, tmp_path, monkeypatch):
    """A private copy of the shared build's project, ECRIGHTS_ROOT pointing at it."""
    root = copy_built(built, tmp_path / "project")
    monkeypatch.setenv("ECRIGHTS_ROOT", str(root))
    return root


# --------------------------------------------------------------------------
# Two runs at once on one build directory
# --------------------------------------------------------------------------

@pytest.mark.integration
def test_a_second_run_on_a_held_build_directory_exits_2_naming_the_holder(project, capsys):
    out = project / "build"
    before = tree_digest(out)
    with lock.exclusive(out):  # the holder: this test, in place of another run
        code = cli.main(["--sections", *BUILT_SECTIONS, "--no-report", "--set", "ai_anticounterfeit.weight_grid_points=51"])
    err = capsys.readouterr().err
    assert code == 2, err
    assert f"another run is using {out}" in err and f"pid {os.getpid()}" in err, err
    assert tree_digest(out, exclude=("cache", ".run.lock.json")) == {k: v for k, v in before.items()
                                                                     if k != ".run.lock.json"}
    # released: the next run goes ahead (from the cache: nothing to execute)
    assert cli.main(["--sections", *BUILT_SECTIONS, "--no-report"]) == 0
    assert not (out / lock.HOLDER_NAME).exists()


# --------------------------------------------------------------------------
# An interrupt while the report is assembled
# --------------------------------------------------------------------------

class _HalfWayBuilder:
    """A ReportBuilder stand-in that writes the new HTML, starts the PDF, then stops.
    Like the real one, it replaces a file by renaming a new one over it."""

    def __init__(self, out_dir, stop: BaseException, **_):
        self.out_dir = pathlib.Path(out_dir)
        self.stop = stop

    def _write(self, name, text):
        tmp = self.out_dir / (name + ".tmp")
        tmp.parent.mkdir(exist_ok=True)
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, self.out_dir / name)

    def finish(self, include_sweeps=None):
        self._write("report.html", "NEW HTML")
        self._write("sections/retail_growth.html", "NEW")
        self._write("sections/new_section.html", "NEW")
        (self.out_dir / "report.pdf.tmp").write_bytes(b"%PDF half")
        raise self.stop


def _old_report(out: pathlib.Path) -> dict[str, str]:
    (out / "sections").mkdir(parents=True, exist_ok=True)
    for name, text in (("report.html", "OLD HTML"), ("report.pdf", "OLD PDF"), ("sections/retail_growth.html", "OLD")):
        (out / name).write_text(text, encoding="utf-8")
    return tree_digest(out)


@pytest.mark.parametrize("stop", [KeyboardInterrupt(), OSError(errno.ENOSPC, "No space left on device", "x.pdf")])
def test_report_files_are_replaced_together_or_not_at_all(tmp_path, stop):
    out = tmp_path / "build"
    before = _old_report(out)
    with pytest.raises(type(stop)):
        with report_stage.all_or_nothing(out):
            _HalfWayBuilder(out, stop).finish()
    assert tree_digest(out) == before  # old HTML and old PDF, together; no .tmp, no new page
    assert not any((out / ".staging").iterdir())


@pytest.mark.integration
def test_an_interrupt_while_the_report_is_assembled_is_a_clean_message(project, capsys, monkeypatch):
    from ecrights.report import assemble

    out = project / "build"
    before = _old_report(out)
    monkeypatch.setattr(assemble, "ReportBuilder",
                        lambda out_dir, **kw: _HalfWayBuilder(out_dir, KeyboardInterrupt(), **kw))
    code = cli.main(["--sections", *BUILT_SECTIONS])
    err = capsys.readouterr().err
    assert code == 130, err
    assert "interrupted while the report was assembled" in err and "Traceback" not in err
    after = tree_digest(out)
    for name in ("report.html", "report.pdf", "sections/retail_growth.html"):
        assert after[name] == before[name]
    assert "sections/new_section.html" not in after and not any(k.endswith(".tmp") for k in after)


# --------------------------------------------------------------------------
# Disk full and other OSErrors
# --------------------------------------------------------------------------

def _enospc(path):
    return OSError(errno.ENOSPC, "No space left on device", str(path))


@pytest.mark.integration
def test_disk_full_while_writing_claims_csv(project, capsys, monkeypatch):
    out = project / "build"
    before = tree_digest(out)
    real_write_text = pathlib.Path.write_text

    def half_then_full(self, text, *args, **kwargs):
        if self.name.endswith(".tmp") and self.parent == out:
            real_write_text(self, text[: len(text) // 2], *args, **kwargs)  # a partial write
            raise _enospc(self)
        return real_write_text(self, text, *args, **kwargs)

    monkeypatch.setattr(pathlib.Path, "write_text", half_then_full)
    code = cli.main(["--sections", *BUILT_SECTIONS, "--no-report"])
    captured = capsys.readouterr()
    assert code == 1, captured.err
    assert "No space left on device" in captured.err and "Traceback" not in captured.err
    assert "(the outputs in place are the last good ones" in captured.err
    assert "retail_growth  " in captured.out and "from cache" in captured.out  # the summary is still printed
    after = tree_digest(out)
    assert not any(k.endswith(".tmp") for k in after)
    assert after["claims.csv"] == before["claims.csv"] and after["run.json"] == before["run.json"]


@pytest.mark.integration
def test_disk_full_while_publishing_fails_that_section_only(project, capsys, monkeypatch):
    from ecrights.run import publish

    out = project / "build"
    shutil.rmtree(out / "results")  # so that publishing from the cache has to copy
    shutil.rmtree(out / "notebooks")
    real_copytree = shutil.copytree

    def full_for_retail(src, dst, *args, **kwargs):
        if "retail_growth" in str(dst):
            real_copytree(src, dst, *args, **kwargs)
            raise _enospc(dst)
        return real_copytree(src, dst, *args, **kwargs)

    monkeypatch.setattr(publish.shutil, "copytree", full_for_retail)
    code = cli.main(["--sections", *BUILT_SECTIONS, "--no-report"])
    captured = capsys.readouterr()
    assert code == 1, captured.err
    assert "retail_growth failed: could not put the outputs in place" in captured.err
    assert "No space left on device" in captured.err
    assert "cached   ai_anticounterfeit" in captured.out
    assert (out / "results" / "ai_anticounterfeit.json").is_file()
    assert not (out / "results" / "retail_growth.json").exists()
    assert not any((out / ".staging").iterdir())


def test_an_unfinished_cache_entry_is_removed(tmp_path, monkeypatch):
    from ecrights.run import cache

    run = tmp_path / "run"
    (run / "results").mkdir(parents=True)
    (run / "results" / "s.json").write_text("{}", encoding="utf-8")
    monkeypatch.setattr(cache.shutil, "copytree", lambda src, dst, **kw: (_ for _ in ()).throw(_enospc(dst)))
    with pytest.raises(OSError):
        cache.store(tmp_path / "cache", "s", "k1", run)
    assert list((tmp_path / "cache" / "s").iterdir()) == []


def _mount_tmpfs(path: pathlib.Path, size: str) -> bool:
    path.mkdir(parents=True, exist_ok=True)
    try:
        proc = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(path)],
                              capture_output=True, timeout=10)
    except (OSError, subprocess.TimeoutExpired):
        return False
    return proc.returncode == 0


@pytest.mark.integration
def test_a_real_full_disk(built, tmp_path):
    """On a small tmpfs (needs the right to mount one; skipped otherwise): a section
    whose outputs do not fit fails with the cause, the summary is printed, the
    last good outputs stay, and nothing half-written is left."""
    disk = tmp_path / "disk"
    if not _mount_tmpfs(disk, "3m"):
        pytest.skip("cannot mount a tmpfs here")
    try:
        root, _ = built
        out = disk / "build"
        for part in ("results", "notebooks", "figures"):
            (out / part).mkdir(parents=True)
            for p in (root / "build" / part).glob("ai_anticounterfeit*"):
                shutil.copy2(p, out / part / p.name)
        shutil.copytree(root / "build" / "cache" / "validated", out / "cache" / "validated")  # data checked
        before = tree_digest(out, exclude=("cache",))
        filler = disk / "filler"
        with filler.open("wb") as fh:  # leave about 16 KiB
            free = shutil.disk_usage(disk).free
            fh.write(b"\0" * max(0, free - 16 * 1024))
        proc = run_all(["--sections", "ai_anticounterfeit", "--no-report", "--force", "--output-dir", str(out)],
                       root=root)
        assert proc.returncode == 1, show(proc)
        assert "No space left on device" in proc.stdout + proc.stderr, show(proc)
        assert "ai_anticounterfeit  failed" in proc.stdout, show(proc)  # the summary still printed
        assert "Logging error" not in proc.stderr
        after = tree_digest(out, exclude=("cache", "logs"))
        assert {k: v for k, v in after.items() if k.split("/")[0] in ("results", "notebooks", "figures")} == before
        leftovers = [p for p in out.rglob("*") if p.name.endswith(".tmp") or p.name.startswith(".k")]
        assert not leftovers, leftovers
        assert not any((out / ".staging").iterdir())
        for failed in (out / "failed").glob("*.ipynb"):  # kept only if whole
            json.loads(failed.read_text(encoding="utf-8"))
        entries = [p for p in (out / "cache").rglob("*") if p.is_dir() and p.parent.name == "ai_anticounterfeit"]
        assert all((p / "complete.json").is_file() for p in entries), entries
    finally:
        subprocess.run(["umount", str(disk)], capture_output=True)


def test_an_os_error_is_exit_1_with_its_cause():
    assert cli.exit_code(_enospc("/x/claims.csv")) == 1
    assert cli.exit_code(SectionFailed("a section failed")) == 1
    assert cli.exit_code(Interrupted(15, "stopped")) == 143
    assert cli.exit_code(data.DataError("bad")) == 2


# --------------------------------------------------------------------------
# --update-manifest
# --------------------------------------------------------------------------

def test_update_manifest_refuses_to_drop_a_declared_file(tmp_project, capsys):
    manifest_file = tmp_project / "data" / data.MANIFEST_NAME
    before = manifest_file.read_bytes()
    (tmp_project / "data" / "official" / "spb_express.csv").unlink()
    code = cli.main(["--update-manifest"])
    err = capsys.readouterr().err
    assert code == 2, err
    assert "the manifest was not updated" in err
    assert "official/spb_express.csv: missing, and read by " in err and "retail_growth" in err
    assert "--allow-removal" in err
    assert manifest_file.read_bytes() == before
    # and the next run still notices
    assert cli.main(["--sections", "retail_growth", "--no-report"]) == 2
    assert "spb_express.csv: listed in MANIFEST.sha256 but missing" in capsys.readouterr().err


def test_update_manifest_lists_added_removed_and_changed_files(tmp_project, capsys):
    d = tmp_project / "data" / "published"
    for name in ("notes_a.csv", "notes_b.csv"):  # files no section reads
        shutil.copy(d / "claims.csv", d / name)
    data.write_manifest(tmp_project / "data")
    with (d / "notes_a.csv").open("a", encoding="utf-8") as fh:
        fh.write("an edit\n")
    (d / "notes_b.csv").unlink()
    shutil.copy(d / "claims.csv", d / "notes_c.csv")
    code = cli.main(["--update-manifest"])
    out = capsys.readouterr().out
    assert code == 0, out
    assert out.splitlines()[1:] == ["  added   published/notes_c.csv", "  removed published/notes_b.csv",
                                    "  changed published/notes_a.csv"]
    data.check_manifest(tmp_project / "data")
    assert cli.main(["--update-manifest"]) == 0
    assert "unchanged" in capsys.readouterr().out


def test_allow_removal_drops_a_declared_file_deliberately(tmp_project, capsys):
    (tmp_project / "data" / "official" / "spb_express.csv").unlink()
    code = cli.main(["--update-manifest", "--allow-removal"])
    out = capsys.readouterr().out
    assert code == 0, out
    assert out.splitlines()[1:] == ["  removed official/spb_express.csv"]
    assert "spb_express.csv" not in (tmp_project / "data" / data.MANIFEST_NAME).read_text(encoding="utf-8")


def test_allow_removal_only_with_update_manifest(capsys, tmp_project):
    assert cli.main(["--allow-removal"]) == 2
    assert "--allow-removal goes with --update-manifest" in capsys.readouterr().err


# --------------------------------------------------------------------------
# Progress and output
# --------------------------------------------------------------------------

class _Terminal(io.StringIO):
    def isatty(self):
        return True


def _outcome(label, status="done", **kw):
    return Outcome(label, "index_trend", status, 2.0, "/x", **kw)


def _tasks(n):
    return [Task("index_trend", f"index_trend[v{i}]", "nb", {}, "zh", "/x", "/c", "k") for i in range(n)]


def test_progress_on_a_terminal_shows_n_of_n_and_time_left():
    stream = _Terminal()
    p = progress.Progress(_tasks(3), noun="variant", stream=stream)
    p.begin(1)
    p.done(_outcome("index_trend[v0]", "cached"))
    p.started(1)
    p.done(_outcome("index_trend[v1]"))
    text = stream.getvalue()
    p.close()
    assert "3 variants: 1 from the cache, 2 to execute" in text
    assert "2/3 variants" in text and " left" in text and "elapsed" in text
    assert "[2/3] done     index_trend[v1] in 2.0 s" in text


def test_progress_when_piped_is_plain_lines_without_control_codes():
    stream = io.StringIO()
    p = progress.Progress(_tasks(2), noun="variant", stream=stream)
    p.begin(0)
    p.started(0)
    p.done(_outcome("index_trend[v0]", "failed",
                    error={"kind": "cell error", "cell_index": 7, "exception": "\x1b[0;31mValueError\x1b[0m: x"}))
    p.close()
    text = stream.getvalue()
    assert text.splitlines() == ["2 variants: 0 from the cache, 2 to execute",
                                 "[0/2] running  index_trend[v0]",
                                 "[1/2] FAILED   index_trend[v0] after 2.0 s (cell error in cell 7: ValueError: x)"]
    assert "\x1b" not in text and "\r" not in text


def test_failures_carry_no_ansi_codes_into_a_pipe(capsys):
    progress.print_failure(_outcome("index_trend", "failed", error={
        "kind": "cell error", "cell_index": 3, "source": "1/0", "exception": "ZeroDivisionError: division by zero",
        "traceback": "\x1b[0;31m---------------------------------------------------------------------------\x1b[0m"}))
    err = capsys.readouterr().err
    assert "\x1b" not in err and "ZeroDivisionError" in err and "cell 3:" in err


# --------------------------------------------------------------------------
# Compare scenarios
# --------------------------------------------------------------------------

@pytest.mark.integration
def test_a_scenario_builds_apart_and_compare_shows_what_it_changed(project, capsys):
    scenario = project / "params" / "scenarios" / "three_component_index.yaml"
    main = project / "build"
    main_before = tree_digest(main)
    proc = run_all(["--sections", "ai_anticounterfeit", "--no-report", "--params", str(scenario)], root=project)
    assert proc.returncode == 0, show(proc)
    scenario_dir = main / "scenarios" / "three_component_index"
    assert (scenario_dir / "results" / "ai_anticounterfeit.json").is_file()
    # the main build is untouched
    assert {k: v for k, v in tree_digest(main).items() if not k.startswith(("scenarios/", "cache/"))} == \
        {k: v for k, v in main_before.items() if not k.startswith("cache/")}

    code = cli.main(["--compare", str(main), str(scenario_dir)])
    out = capsys.readouterr().out
    assert code == 0, out
    written = main / "compare" / "build-vs-three_component_index"
    rows = list(__import__("csv").DictReader((written / "compare.csv").open(encoding="utf-8")))
    by = {(r["kind"], r["section"], r["key"]): r for r in rows}
    weight = by[("parameter", "ai_anticounterfeit", "weight_counterfeit_perception")]
    assert weight["b"] == "0.4" and weight["a"] != weight["b"]
    share = by[("result", "ai_anticounterfeit", "counterfeit_share_of_fall_pct")]
    value = lambda text: float(text.split()[0])  # noqa: E731  ("54.28 %": the value, then its unit)
    assert value(share["b"]) == pytest.approx(0.4 * 19 / 14 * 100, abs=1e-3)  # w_c × 19 / 14 points
    assert value(share["a"]) != value(share["b"]) and share["b"].endswith("%")
    assert ("section", "retail_growth", "") in by  # built in A only
    assert by[("build", "", "parameter_set")]["b"].endswith("three_component_index.yaml")
    page = (written / "compare.html").read_text(encoding="utf-8")
    assert "weight_counterfeit_perception" in page and share["a"] in page
    assert "counterfeit_share_of_fall_pct" in out and "written: " in out


def _fake_build(directory: pathlib.Path, weight: float, share: float, status: str, interval=None):
    (directory / "results").mkdir(parents=True)
    results = {"section": "ai_anticounterfeit", "parameters": {"weight_counterfeit_perception": weight},
               "results": {"counterfeit_share_of_fall_pct": {"value": share, "interval": interval, "unit": "%"},
                           "unchanged": {"value": 1}},
               "claims": [{"claim_id": "ai_main_reason", "status": status, "reproduced_value": share,
                           "reported_value": 1},
                          {"claim_id": "ai_same", "status": "reproduced"}]}
    (directory / "results" / "ai_anticounterfeit.json").write_text(json.dumps(results), encoding="utf-8")
    (directory / "run.json").write_text(json.dumps({"language": "zh", "parameter_set": "params/defaults.yaml"}),
                                        encoding="utf-8")
    return directory


def test_compare_lists_parameters_results_and_claim_statuses(tmp_path, capsys):
    a = _fake_build(tmp_path / "a", 0.82, 111.3, "consistent")
    b = _fake_build(tmp_path / "b", 0.4, 54.3, "discrepant", interval=[50, 60])
    assert cli.main(["--compare", str(a), str(b), "--output-dir", str(tmp_path / "cmp")]) == 0
    rows = list(__import__("csv").DictReader((tmp_path / "cmp" / "compare.csv").open(encoding="utf-8")))
    assert [(r["kind"], r["key"], r["a"], r["b"]) for r in rows] == [
        ("parameter", "weight_counterfeit_perception", "0.82", "0.4"),
        ("result", "counterfeit_share_of_fall_pct", "111.3 %", "54.3 [50, 60] %"),
        ("claim status", "ai_main_reason", "consistent", "discrepant")]
    assert rows[1]["note"] == "b − a = -57"
    assert "reproduced 111.3 → 54.3" in rows[2]["note"]
    out = capsys.readouterr().out
    assert "claim status" in out and "1 parameter, 1 result, 1 claim status" in out
    page = (tmp_path / "cmp" / "compare.html").read_text(encoding="utf-8")
    assert "<h2>核对状态 (1)</h2>" in page and 'lang="zh-Hans"' in page and "@font-face" in page  # the edition's words


def test_compare_needs_two_builds(tmp_path, capsys):
    (tmp_path / "a" / "results").mkdir(parents=True)
    assert cli.main(["--compare", str(tmp_path / "a"), str(tmp_path / "nothing")]) == 2
    assert "is not a build directory" in capsys.readouterr().err
