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
from ecrights.errors import InputError, Interrupted, SectionFailed
from ecrights.run import cli, lock, outdir, progress, report_stage
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
    # the shared build has its report: a change of the report's options has it assembled again
    code = cli.main(["--sections", *BUILT_SECTIONS, "--include-code"])
    err = capsys.readouterr().err
    assert code == 130, err
    assert "nothing of this run was published" in err and "Traceback" not in err
    after = tree_digest(out)
    assert after == before  # the previous generation, whole: report, results, claims.csv, run.json together
    assert not list((out / "generations").glob(".new-*")) and not any((out / ".staging").iterdir())


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
        if self.name.startswith(".claims.csv.") and self.name.endswith(".tmp"):
            real_write_text(self, text[: len(text) // 2], *args, **kwargs)  # a partial write
            raise _enospc(self)
        return real_write_text(self, text, *args, **kwargs)

    monkeypatch.setattr(pathlib.Path, "write_text", half_then_full)
    code = cli.main(["--sections", *BUILT_SECTIONS, "--no-report"])
    captured = capsys.readouterr()
    assert code == 1, captured.err
    assert "No space left on device" in captured.err and "Traceback" not in captured.err
    assert "(while writing claims.csv" in captured.err  # the stage, and the file above
    assert "nothing of this run was published: the outputs in place are the last good ones" in captured.err
    assert "retail_growth  " in captured.out and "from cache" in captured.out  # the summary is still printed
    after = tree_digest(out)
    assert not any(k.endswith(".tmp") for k in after)
    assert after == before  # the previous generation, whole
    assert not list((out / "generations").glob(".new-*"))


@pytest.mark.integration
def test_disk_full_while_publishing_fails_that_section_only(project, capsys, monkeypatch):
    from ecrights.run import publish

    out = project / "build"
    shutil.rmtree(out / "current" / "results")  # so that publishing from the cache has to copy
    shutil.rmtree(out / "current" / "notebooks")
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
        outdir.mark(out)  # an output directory of the runner's (else, not empty, it would be refused)
        before = {k: v for k, v in tree_digest(out, exclude=("cache",)).items()
                  if k.split("/")[0] in ("results", "notebooks", "figures")}
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
        for failed in (out / "failed").glob("*/*.ipynb"):  # kept only if whole
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


# --------------------------------------------------------------------------
# Issue 24, item 1: outputs never land on sources
# --------------------------------------------------------------------------

def _sources_digest(root: pathlib.Path) -> dict[str, str]:
    return {part: tree_digest(root / part) for part in ("data", "notebooks", "params")}


@pytest.mark.parametrize("target", ["data/published", ".", "notebooks", "params", "/", "build/cache",
                                    "build/cache/validated", "build/failed", "data/published/claims.csv"])
def test_an_output_dir_on_sources_or_the_runners_own_areas_is_refused(tmp_project, capsys, no_execution,
                                                                     monkeypatch, target):
    monkeypatch.chdir(tmp_project)
    before = _sources_digest(tmp_project)
    code = cli.main(["--sections", "ai_anticounterfeit", "--no-report", "--output-dir", target])
    err = capsys.readouterr().err
    assert code == 2, err
    assert err.startswith(f"error: --output-dir {target}") and len(err.strip().splitlines()) == 1, err
    assert _sources_digest(tmp_project) == before
    assert not (tmp_project / "results").exists() and not (tmp_project / ".staging").exists()


def test_the_checkout_itself_is_refused_even_with_another_ecrights_root(tmp_project, capsys, no_execution):
    from conftest import PROJECT_ROOT

    for target in (PROJECT_ROOT, PROJECT_ROOT / "lib", PROJECT_ROOT / "tests", PROJECT_ROOT.parent):
        assert cli.main(["--no-report", "--output-dir", str(target)]) == 2
        assert "--output-dir" in capsys.readouterr().err


def test_a_non_empty_unmarked_directory_outside_is_refused_a_new_one_is_marked(tmp_project, tmp_path, capsys):
    busy = tmp_path / "elsewhere"
    busy.mkdir()
    (busy / "thesis.tex").write_text("mine", encoding="utf-8")
    assert cli.main(["--no-report", "--output-dir", str(busy)]) == 2
    assert "not empty and not marked" in capsys.readouterr().err
    fresh = tmp_path / "variant"
    assert outdir.checked(fresh) == fresh.resolve()  # new: accepted
    outdir.mark(fresh)
    (fresh / "results").mkdir()
    assert outdir.checked(fresh) == fresh.resolve()  # marked: accepted again, though not empty
    assert outdir.checked(tmp_project / "build" / "scenarios" / "x") == (tmp_project / "build/scenarios/x").resolve()
    with pytest.raises(Exception, match="not a directory"):
        outdir.checked(busy / "thesis.tex")


def test_compare_output_dir_is_checked_like_a_builds(tmp_project, tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_project)
    a = _fake_build(tmp_path / "a", 0.82, 111.3, "consistent")
    code = cli.main(["--compare", str(a), str(a), "--output-dir", "data"])
    assert code == 2 and "--output-dir data: is inside the project" in capsys.readouterr().err


# --------------------------------------------------------------------------
# Issue 24, item 2: no code from data (no pickle; a cache trusted only with this user's key)
# --------------------------------------------------------------------------

@pytest.fixture
def cache_key(tmp_path, monkeypatch):
    from ecrights.run import trust

    key = tmp_path / "config" / "cache.key"
    monkeypatch.setenv(trust.KEY_ENV, str(key))
    return key


def _run_dir(tmp_path):
    run = tmp_path / "run"
    for sub, name, text in [("results", "s.json", '{"claims": [{"status": "reproduced"}]}'),
                            ("notebooks", "s.ipynb", "{}")]:
        (run / sub).mkdir(parents=True)
        (run / sub / name).write_text(text, encoding="utf-8")
    return run


def test_a_forged_cache_entry_with_recomputed_checksums_is_not_trusted(tmp_path, cache_key):
    from ecrights.run import cache

    root = tmp_path / "cache"
    entry = cache.store(root, "s", "k1", _run_dir(tmp_path))
    assert cache.lookup(root, "s", "k1") == entry
    assert cache_key.is_file() and oct(cache_key.stat().st_mode & 0o777) == "0o600"
    forged = entry / "results" / "s.json"
    forged.write_text('{"claims": [{"status": "discrepant"}]}', encoding="utf-8")
    complete = json.loads((entry / cache.COMPLETE).read_text(encoding="utf-8"))
    complete["files"] = cache.checksums(entry)  # what a forger can do without the key
    (entry / cache.COMPLETE).write_text(json.dumps(complete), encoding="utf-8")
    assert cache.lookup(root, "s", "k1") is None  # never served: the section is executed again,
    cache.store(root, "s", "k1", tmp_path / "run")  # and its run replaces the forged entry
    assert json.loads(forged.read_text(encoding="utf-8"))["claims"][0]["status"] == "reproduced"
    assert cache.lookup(root, "s", "k1") == entry
    # an entry of another user's key (or none) is not trusted either
    entry = cache.store(root, "s", "k2", tmp_path / "run")
    cache_key.write_text("00" * 32 + "\n", encoding="ascii")
    assert cache.lookup(root, "s", "k2") is None
    # a key others can read is refused, as ssh refuses a loose key file
    cache_key.chmod(0o644)
    with pytest.raises(InputError, match="readable by you only"):
        cache.lookup(root, "s", "k2")


@pytest.mark.parametrize("loose", ["world-writable", "foreign"])
def test_a_cache_directory_others_can_write_is_refused(tmp_project, tmp_path, capsys, no_execution, monkeypatch,
                                                     loose, cache_key):
    from ecrights.run import trust

    out = tmp_path / "out"
    out.mkdir()
    outdir.mark(out)
    cache = (tmp_project / "build" / "cache").resolve()  # the checkout's one cache, whatever --output-dir
    cache.mkdir(parents=True, exist_ok=True)
    if loose == "world-writable":
        cache.chmod(0o777)
    else:
        # only the directory check looks at the effective uid; the cache key's check (os.getuid) is
        # untouched, so the run cannot stop first on a key that looks like someone else's
        monkeypatch.setattr(trust.os, "geteuid", lambda: os.stat(cache).st_uid + 1)
    code = cli.main(["--sections", "retail_growth", "--no-report", "--output-dir", str(out)])
    err = capsys.readouterr().err
    assert code == 2, err
    assert f"cache directory {cache} is" in err and "refused" in err
    assert ("writable by every user" if loose == "world-writable" else "not by you") in err


def test_a_planted_pickle_or_forged_snapshot_runs_nothing_and_is_not_used(tmp_project, tmp_path, cache_key):
    """The validated snapshot is JSON text, signed: a pickle beside it is never read, and a
    snapshot replaced by someone without the key is validated and written again."""
    import pickle

    from ecrights.run import validation

    canary = tmp_path / "pwned"

    class Payload:
        def __reduce__(self):
            return (pathlib.Path.touch, (canary,))

    root = tmp_path / "cache"
    marker = validation.begin(root)
    validation.finish(marker)
    snapshot = validation.snapshot_path(root)
    assert snapshot.suffix == ".json" and validation.begin(root) is None  # trusted now
    snapshot.with_suffix(".pkl").write_bytes(pickle.dumps(Payload()))
    good = data.read_official_snapshot(snapshot)
    text = snapshot.read_text(encoding="utf-8").replace('"38777"', '"99999"', 1)
    snapshot.write_text(text, encoding="utf-8")  # a forged value
    assert validation.begin(root) == marker  # not trusted: validated again
    validation.finish(marker)
    assert data.read_official_snapshot(snapshot).equals(good)
    assert not canary.exists()
    # whatever the runner injects as validated_data is read as JSON text, never executed
    pickled = tmp_path / "validated.json"
    pickled.write_bytes(pickle.dumps(Payload()))
    with pytest.raises(data.DataError, match="unreadable validated-data snapshot"):
        data.load_official(snapshot=pickled)
    assert not canary.exists()


# --------------------------------------------------------------------------
# Issue 24, item 4: CSV cells a spreadsheet would run are neutralised, values read back unchanged
# --------------------------------------------------------------------------

def test_csv_cells_that_a_spreadsheet_would_run_are_neutralised_and_read_back(tmp_path):
    from ecrights import csvsafe
    from ecrights.run import collect

    hostile = ['=HYPERLINK("http://evil.example","click")', "+1+cmd|' /C calc'!A0", "-2+3", "@SUM(A1)",
               "\tx", "\rx", "'quoted already", "plain", "-1.5", "+2", ""]
    (tmp_path / "results").mkdir()
    claims = [{"claim_id": f"c{i}", "quote": q, "note": q, "reproduced_value": -1.5} for i, q in enumerate(hostile)]
    (tmp_path / "results" / "s.json").write_text(json.dumps({"claims": claims}), encoding="utf-8")
    path = collect.write_claims_csv(tmp_path, ["s"])
    raw = list(__import__("csv").DictReader(path.open(encoding="utf-8", newline="")))
    for row in raw:  # as a spreadsheet sees it: no cell starts a formula
        for value in row.values():
            assert not value.startswith(csvsafe.TRIGGERS) or csvsafe._is_number(value), value
    assert raw[0]["quote"].startswith("'=HYPERLINK") and raw[8]["quote"] == "-1.5" and raw[10]["quote"] == ""
    assert raw[0]["reproduced_value"] == "-1.5"  # numbers untouched
    assert [r["quote"] for r in csvsafe.read_rows(path)] == hostile  # as a program reads it back


def test_compare_csv_is_neutralised_too(tmp_path, capsys):
    from ecrights import csvsafe

    a = _fake_build(tmp_path / "a", 0.82, 111.3, "consistent")
    b = _fake_build(tmp_path / "b", 0.4, 54.3, '=HYPERLINK("http://evil.example")')
    assert cli.main(["--compare", str(a), str(b), "--output-dir", str(tmp_path / "cmp")]) == 0
    text = (tmp_path / "cmp" / "compare.csv").read_text(encoding="utf-8")
    assert ",=HYPERLINK" not in text and "'=HYPERLINK" in text
    rows = csvsafe.read_rows(tmp_path / "cmp" / "compare.csv")
    assert [r["b"] for r in rows if r["kind"] == "claim status"] == ['=HYPERLINK("http://evil.example")']
    assert [r["note"] for r in rows if r["kind"] == "result"] == ["b − a = -57"]


# --------------------------------------------------------------------------
# Issue 24, items 5 and 6: bad notebooks and parameter files, exit 2 with one clear line
# --------------------------------------------------------------------------

def _untag_parameters(root: pathlib.Path, name: str) -> pathlib.Path:
    path = root / "notebooks" / f"{name}.ipynb"
    nb = json.loads(path.read_text(encoding="utf-8"))
    for cell in nb["cells"]:
        tags = cell.get("metadata", {}).get("tags", [])
        if "parameters" in tags:
            tags.remove("parameters")
    path.write_text(json.dumps(nb, ensure_ascii=False, indent=1), encoding="utf-8")
    return path


@pytest.mark.parametrize("force", [[], ["--force"]])
def test_a_notebook_without_its_parameters_cell_is_refused_before_any_kernel(tmp_project, capsys, no_execution,
                                                                            force):
    path = _untag_parameters(tmp_project, "ai_anticounterfeit")
    before = _sources_digest(tmp_project)
    code = cli.main(["--sections", "ai_anticounterfeit", "--no-report", *force])
    err = capsys.readouterr().err
    assert code == 2, err
    assert err == (f"error: {path}: no cell tagged 'parameters'; expected exactly one code cell with that tag "
                   "(where the runner injects the parameters)\n")
    assert _sources_digest(tmp_project) == before and not (tmp_project / "build" / "interactive").exists()


BAD_PARAMETER_FILES = {
    "deeply nested": ("index_trend:\n  base_value: " + "[" * 5000 + "]" * 5000 + "\n", "nested more than 32 deep"),
    "complex key": ("index_trend:\n  ? [a, b]\n  : 1\n", "a key must be a plain name, not a list"),
    "integer key": ("index_trend:\n  1: 2\n", "a parameter name must be text, got int 1"),
    "merge key": ("base: &b {base_value: 100}\nindex_trend:\n  <<: *b\n", "a merge key (<<) is not supported"),
    "infinite float": ("index_trend:\n  base_value: .inf\n", "Input should be a finite number"),
    "NaN float": ("index_trend:\n  base_value: .nan\n", "Input should be a finite number"),
    "overflowing float": ("index_trend:\n  base_value: 1.0e+309\n", "Input should be a finite number"),
}


@pytest.mark.parametrize("case", sorted(BAD_PARAMETER_FILES))
def test_bad_parameter_files_are_exit_2_with_one_clear_line(tmp_project, tmp_path, capsys, no_execution, case):
    text, expected = BAD_PARAMETER_FILES[case]
    path = tmp_path / "scenario.yaml"
    path.write_text(text, encoding="utf-8")
    code = cli.main(["--sections", "index_trend", "--no-report", "--params", str(path)])
    err = capsys.readouterr().err
    assert code == 2, err
    assert expected in err and str(path) in err and "Traceback" not in err, err
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) <= 2 and len(err) < 400, err  # "invalid parameters:" + the one problem at most


def test_a_non_finite_value_is_refused_for_every_float_parameter_in_one_place():
    """allow_inf_nan=False in the shared base: every section's float fields, nested ones too."""
    import math

    from ecrights.params import SectionParams, resolve

    assert SectionParams.model_config["allow_inf_nan"] is False
    defaults = resolve(list(__import__("ecrights.sections", fromlist=["names"]).names()))
    checked = 0
    for model in defaults.values():
        for key, value in model.model_dump().items():
            if isinstance(value, float):
                with pytest.raises(Exception, match="finite number"):
                    type(model)(**{**model.model_dump(), key: math.inf})
                checked += 1
    assert checked >= 3


@pytest.mark.parametrize("kind", ["fifo", "directory", "symlink", "device"])
def test_a_params_path_that_is_not_a_regular_file_is_named_and_never_read(tmp_project, tmp_path, capsys,
                                                                        no_execution, kind):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-CONTENT: not yaml at all [", encoding="utf-8")
    path = tmp_path / f"params-{kind}"
    if kind == "fifo":
        os.mkfifo(path)  # reading it would block forever
    elif kind == "directory":
        path.mkdir()
    elif kind == "symlink":
        path.symlink_to(secret)
    else:
        path = pathlib.Path("/dev/zero")
    code = cli.main(["--no-report", "--params", str(path)])
    err = capsys.readouterr().err
    expected = {"fifo": "is a FIFO", "directory": "is a directory", "symlink": "is a symbolic link",
                "device": "is a device"}[kind]
    assert code == 2 and err == f"error: {path}: {expected}" + err.split(expected, 1)[1], err
    assert "TOP-SECRET" not in err and len(err.splitlines()) == 1


def test_an_unreachable_scheduler_is_contacted_even_when_everything_is_cached(monkeypatch):
    """Every variant cached: the scheduler is still contacted, so a wrong address is exit 2, not 0."""
    import argparse

    from ecrights.errors import InputError
    from ecrights.run import session

    args = argparse.Namespace(executor="dask", scheduler="tcp://127.0.0.1:9", scheduler_timeout=1, jobs=1)
    with pytest.raises(InputError, match="cannot reach the scheduler at tcp://127.0.0.1:9"):
        session.choose_executor(args, misses=0)


def test_a_system_error_names_the_file_and_the_stage(capsys):
    from ecrights.run.session import describe_os_error, stage

    with pytest.raises(OSError) as caught:
        with stage("writing claims.csv, dated_statements.csv and run.json", pathlib.Path("/b")):
            raise _enospc("/b/generations/.new-x/.claims.csv.1.tmp")
    assert describe_os_error(caught.value) == ("No space left on device: /b/generations/.new-x/.claims.csv.1.tmp "
                                               "(while writing claims.csv, dated_statements.csv and run.json)")
    assert cli.exit_code(caught.value) == 1


# --------------------------------------------------------------------------
# Issue 24, item 3: one run, one generation — a signal at any stage leaves one consistent build
# --------------------------------------------------------------------------

def _consistent(out: pathlib.Path) -> None:
    """results/, run.json and claims.csv describe the same run."""
    from ecrights import csvsafe

    record = json.loads((out / "run.json").read_text(encoding="utf-8"))
    claims = csvsafe.read_rows(out / "claims.csv")
    for path in sorted((out / "results").glob("*.json")):
        results = json.loads(path.read_text(encoding="utf-8"))
        assert record["sections"][path.stem]["parameters"] == results["parameters"], path.stem
        assert [(c["claim_id"], c["status"]) for c in results["claims"]] == \
            [(r["claim_id"], r["status"]) for r in claims if r["section"] == path.stem], path.stem


def _mark_generation(out: pathlib.Path) -> str:
    """Make the current generation recognisable (a run that published would replace these bytes)."""
    record = out / "current" / "run.json"
    text = record.read_text(encoding="utf-8").replace('"built_at": "', '"built_at": "EARLIER ', 1)
    record.unlink()  # not in place: the file may be linked into other generations
    record.write_text(text, encoding="utf-8")
    return os.readlink(out / "current")


STAGES = ["validating the data", "after one section was published", "writing claims.csv", "writing run.json",
          "assembling the report", "publishing the generation"]


@pytest.mark.integration
@pytest.mark.parametrize("signum", [2, 15], ids=["SIGINT", "SIGTERM"])
@pytest.mark.parametrize("where", STAGES)
def test_a_signal_at_any_stage_leaves_one_consistent_generation(project, capsys, monkeypatch, where, signum):
    import signal

    from ecrights.run import collect, generation, publish, validation

    out = project / "build"
    if where == "validating the data":
        shutil.rmtree(out / "cache" / "validated")
    _old_report(out / "current")
    generation.link_familiar_paths(out)
    current = _mark_generation(out)
    before = tree_digest(out, exclude=("cache", ".run.lock.json"))
    calls = []

    def signal_in(module, name):
        real = getattr(module, name)

        def wrapped(*args, **kwargs):
            calls.append(name)
            if name != "publish_from_cache" or len(calls) == 2:  # publishing: after the first section
                os.kill(os.getpid(), signum)
            return real(*args, **kwargs)
        monkeypatch.setattr(module, name, wrapped)

    report = []
    if where == "assembling the report":
        from ecrights.report import assemble

        class Signalled(_HalfWayBuilder):  # writes the new HTML, starts the PDF, then the signal comes
            def finish(self, include_sweeps=None):
                self._write("report.html", "NEW HTML")
                os.kill(os.getpid(), signum)
                raise AssertionError("the signal did not stop the run")

        monkeypatch.setattr(assemble, "ReportBuilder", lambda out_dir, **kw: Signalled(out_dir, None, **kw))
        report = ["--no-pdf"]
    else:
        report = ["--no-report"]
        module, name = {"validating the data": (validation, "load_all_data"),
                        "after one section was published": (publish, "publish_from_cache"),
                        "writing claims.csv": (collect, "write_claims_csv"),
                        "writing run.json": (collect, "write_run_record"),
                        "publishing the generation": (generation, "publish")}[where]
        signal_in(module, name)
    code = cli.main(["--sections", *BUILT_SECTIONS, *report])
    err = capsys.readouterr().err
    assert code == 128 + signum, err
    assert "Traceback" not in err
    after = tree_digest(out, exclude=("cache", ".run.lock.json"))
    if where == "publishing the generation":  # the swap is never cut in half: the new generation, whole
        assert os.readlink(out / "current") != current and "EARLIER" not in (out / "run.json").read_text()
        assert not (out / "report.html").exists()  # --no-report: no report of another run beside it
    else:  # nothing of this run published: the previous generation, byte for byte
        assert os.readlink(out / "current") == current and after == before, where
    _consistent(out)
    assert not list((out / "generations").glob(".new-*")) and not any((out / ".staging").iterdir())
    assert [p.name for p in (out / "generations").iterdir()] == [os.readlink(out / "current").split("/")[-1]]
    assert not (out / "failed").exists()  # nothing failed: no failure evidence
    assert signal.getsignal(signal.SIGTERM) is not None


@pytest.mark.integration
def test_what_a_killed_run_left_is_cleaned_at_the_next_start(project, capsys):
    out = project / "build"
    (out / ".staging" / "retail_growth-deadbeef" / "results").mkdir(parents=True)
    (out / ".staging" / "retail_growth-deadbeef" / "results" / "retail_growth.json").write_text("{}")
    (out / "generations" / ".new-20260101T000000Z-dead00" / "results").mkdir(parents=True)
    assert cli.main(["--sections", *BUILT_SECTIONS, "--no-report"]) == 0, capsys.readouterr().err
    assert not any((out / ".staging").iterdir())
    assert [p.name for p in (out / "generations").iterdir()] == [os.readlink(out / "current").split("/")[-1]]
    assert not (out / "failed").exists()
    _consistent(out)


# --------------------------------------------------------------------------
# Issue 23, item 6: failures keep their evidence
# --------------------------------------------------------------------------

def test_failure_evidence_is_kept_per_failure_the_last_ten_per_section(tmp_path, monkeypatch):
    import nbformat

    from ecrights.run import execute

    out = tmp_path / "out"
    stamps = iter(f"202612{d:02d}T120000Z" for d in range(1, 31))
    monkeypatch.setattr(execute.time, "strftime", lambda fmt, t=None: next(stamps))
    log = tmp_path / "s.log"
    kept = []
    for i in range(12):
        log.write_text(f"Traceback of failure {i}\n", encoding="utf-8")
        exc = RuntimeError("boom")
        exc.notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(f"fail({i})")])
        kept.append(execute._keep_failure_evidence(exc, tmp_path / "none.ipynb", log, out, "s"))
        execute._keep_failure_evidence(RuntimeError("other"), tmp_path / "none.ipynb", log, out, "t")
    folders = sorted(p.parent.name for p in (out / "failed").glob("*/s.ipynb"))
    assert len(folders) == 10 and folders[0] == pathlib.Path(kept[2]).parent.name  # the two oldest went
    newest = pathlib.Path(kept[-1])
    assert "fail(11)" in newest.read_text(encoding="utf-8")
    assert (newest.parent / "s.log").read_text(encoding="utf-8") == "Traceback of failure 11\n"
    assert len(list((out / "failed").glob("*/t.log"))) == 10  # another section's evidence: its own ten


@pytest.mark.integration
@pytest.mark.parametrize("jobs", ["1", "2"], ids=["inline", "worker processes"])
def test_a_killed_runner_leaves_no_failure_and_the_next_run_cleans_up(project, jobs):
    import signal
    import time

    out = project / "build"
    proc = subprocess.Popen([str(pathlib.Path(__file__).resolve().parents[1] / ".venv" / "bin" / "python"),
                             str(pathlib.Path(__file__).resolve().parents[1] / "run_all.py"),
                             "--sections", *BUILT_SECTIONS, "--force", "--jobs", jobs, "--no-report"],
                            env={**os.environ, "ECRIGHTS_ROOT": str(project)}, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE)
    deadline = time.monotonic() + 120
    while not list((out / ".staging").glob("ai_anticounterfeit-*")) and time.monotonic() < deadline:
        time.sleep(0.1)
    time.sleep(1)
    proc.send_signal(signal.SIGKILL)
    proc.communicate(timeout=60)
    time.sleep(8)  # orphaned workers and kernels notice their parent is gone, and stop
    assert list((out / ".staging").iterdir()) or jobs == "2"  # what the killed run left (workers clean up)
    assert not (out / "failed").exists()  # it did not fail: it was killed
    assert cli.main(["--sections", *BUILT_SECTIONS, "--no-report"]) == 0
    assert not any((out / ".staging").iterdir()) and not (out / "failed").exists()
    _consistent(out)


@pytest.mark.parametrize("option", [["--scheduler-timeout", "nan"], ["--scheduler-timeout", "inf"],
                                    ["--timeout", "0"], ["--timeout", "-5"], ["--jobs", "0"]])
def test_option_values_a_typo_would_give_are_exit_2_naming_the_option(tmp_project, capsys, no_execution, option):
    code = cli.main(["--no-report", *option])
    err = capsys.readouterr().err
    assert code == 2 and err.startswith(f"error: {option[0]} must be") and len(err.splitlines()) == 1, err


def test_a_generation_is_published_whole_through_one_link_and_legacy_outputs_are_adopted(tmp_path):
    from ecrights.run import generation

    out = tmp_path / "build"
    (out / "results").mkdir(parents=True)
    (out / "results" / "s.json").write_text("old", encoding="utf-8")
    (out / "claims.csv").write_text("old", encoding="utf-8")
    (out / "sweeps" / "x").mkdir(parents=True)  # outside generations: never moved
    new = generation.start(out)  # adopts the outputs written in place by an earlier version
    assert (out / "results").is_symlink() and (out / "results" / "s.json").read_text() == "old"
    assert (out / "sweeps").is_dir() and not (out / "sweeps").is_symlink() and (new / "sweeps" / "x").is_dir()
    (new / "results" / "s.json").unlink()  # writers replace files, never write in place
    (new / "results" / "s.json").write_text("new", encoding="utf-8")
    (new / "report.html").write_text("new", encoding="utf-8")
    assert (out / "results" / "s.json").read_text() == "old" and not (out / "report.html").exists()
    old_current = os.readlink(out / "current")
    generation.publish(out, new)
    assert os.readlink(out / "current") != old_current
    assert (out / "results" / "s.json").read_text() == "new" and (out / "report.html").read_text() == "new"
    assert [p.name for p in (out / "generations").iterdir()] == [os.readlink(out / "current").split("/")[-1]]
    # a run that does not publish leaves the current generation as it is
    again = generation.start(out)
    (again / "report.html").unlink()
    generation.discard(again)
    assert (out / "report.html").read_text() == "new" and not list((out / "generations").glob(".new-*"))
    # a generation without a file no longer links it
    third = generation.start(out)
    (third / "report.html").unlink()
    generation.publish(out, third)
    assert not (out / "report.html").exists() and not (out / "report.html").is_symlink()
