"""Shared fixtures, and the two tiers of the suite.

Tests never write into the real data/, params/, notebooks/ or build/: whatever
they change is a copy under tmp_path (with ECRIGHTS_ROOT pointing at it, which
moves data/params/notebooks/build lookups, see lib/ecrights/paths.py).

Tiers (pytest markers, registered in pyproject.toml): `integration` executes
notebooks through the runner, `pdf` writes a PDF. `make test-fast` runs every
other test (`-m "not integration and not pdf"`); `make test` runs all. A test
that uses the session's build (`built`, below) is marked `integration` here, so
a new test is in the fast tier unless it executes something.

The session builds the report once (`built`): every test that reads a real
build reads that one, or a copy of it.
"""

from __future__ import annotations

import csv
import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import ecrights  # noqa: F401  first: it spares nbformat's jsonschema 1.5 s of imports (see its __init__)
from ecrights.memo import MEMO_ENV

PROJECT_ROOT = Path(__file__).resolve().parents[1]
PYTHON = PROJECT_ROOT / ".venv" / "bin" / "python"


@pytest.fixture(autouse=True)
def _no_memo_store_in_process(monkeypatch):
    """Memoized steps and figures (memo.py, figstore.py) are stored under build/cache/memo. A test
    computes and draws afresh in its own process: nothing lands in the real build/, and no test
    reads an entry another test (or an earlier session) left, where a figure function would hand
    back a StoredFigure instead of the figure it checks. Tests of the store set their own
    (test_memo.py, test_figstore.py); runs of run_all.py keep theirs (run_all below)."""
    monkeypatch.setenv(MEMO_ENV, "off")


# --------------------------------------------------------------------------
# Official CSVs written by hand
# --------------------------------------------------------------------------

QUOTE_DEC = "2019年12月份,社会消费品零售总额38777亿元,同比增长8.0%"


def official_row(**overrides) -> dict:
    """One valid row of data/official/*.csv (2019-12 total retail level); override any column."""
    from ecrights.data import OFFICIAL_COLUMNS

    row = {
        "indicator": "retail_sales_total", "period_start": "2019-12", "period_end": "2019-12",
        "measure": "level", "value": "38777", "unit": "亿元",
        "release_title": "2019年社会消费品零售总额增长8.0%", "release_date": "2020-01-17",
        "source_url": "http://example.org/release", "quote": QUOTE_DEC, "note": "",
    }
    unknown = set(overrides) - set(OFFICIAL_COLUMNS)
    assert not unknown, f"not official columns: {unknown}"
    row.update(overrides)
    row.setdefault("source_strength", "primary" if row["value"] else "")  # a gap has none
    return row


def write_official(path: Path, rows: list[dict], header: list[str] | None = None) -> Path:
    """Write rows (dicts) as an official CSV with the given (default: the real) header."""
    from ecrights.data import OFFICIAL_COLUMNS

    header = header or OFFICIAL_COLUMNS
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(header)
        for row in rows:
            writer.writerow([row.get(c, "") for c in OFFICIAL_COLUMNS] if isinstance(row, dict) else row)
    return path


def valid_rows() -> list[dict]:
    """A tiny valid file: 2019-12 level and growth, a 1–2月 cumulative, a recorded gap."""
    return [
        official_row(),
        official_row(measure="yoy_pct", value="8.0", unit="%"),
        official_row(period_start="2019-01", period_end="2019-02", value="66064",
                     quote="2019年1-2月份,社会消费品零售总额66064亿元,同比名义增长8.2%"),
        official_row(period_start="2019-01", period_end="2019-02", measure="yoy_pct", value="8.2", unit="%",
                     quote="2019年1-2月份,社会消费品零售总额66064亿元,同比名义增长8.2%"),
        official_row(period_start="2019-01", period_end="2019-02", measure="yoy_real_pct", value="", unit="%",
                     source_url="", quote="", note="looked for, not printed in the 1-2月 release"),
    ]


@pytest.fixture
def official_dir(tmp_path) -> Path:
    """A directory holding one tiny valid official CSV (x.csv)."""
    directory = tmp_path / "official"
    write_official(directory / "x.csv", valid_rows())
    return directory


# --------------------------------------------------------------------------
# Copies of the project
# --------------------------------------------------------------------------

def copy_project(dest: Path, parts=("data", "params", "notebooks")) -> Path:
    """Copy data/ params/ notebooks/ (what ECRIGHTS_ROOT moves) into dest.

    The copy's manifest is rewritten from the copied files, so tests do not
    depend on the real data/ matching its manifest at this very moment
    (colleagues edit data/ while tests run)."""
    from ecrights import data

    dest.mkdir(parents=True, exist_ok=True)
    for part in parts:
        shutil.copytree(PROJECT_ROOT / part, dest / part,
                        ignore=shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__"))
    if "data" in parts:
        data.write_manifest(dest / "data")
    return dest


@pytest.fixture
def tmp_project(tmp_path, monkeypatch) -> Path:
    """A tmp copy of data/ params/ notebooks/, with ECRIGHTS_ROOT pointing at it."""
    root = copy_project(tmp_path / "project")
    monkeypatch.setenv("ECRIGHTS_ROOT", str(root))
    return root


@pytest.fixture
def tmp_data(tmp_path) -> Path:
    """A tmp copy of data/ (with its manifest rewritten to match the copy)."""
    return copy_project(tmp_path / "project", parts=("data",)) / "data"


@pytest.fixture(scope="session")
def official():
    """The real data/official, loaded and validated once per session."""
    from ecrights import data

    return data.load_official(PROJECT_ROOT / "data" / "official")


# --------------------------------------------------------------------------
# Real runs of the runner, shared
# --------------------------------------------------------------------------

def run_all(args: list[str], root: Path | None = None, timeout: int = 300, **kwargs):
    """run_all.py in a subprocess (ECRIGHTS_ROOT=root when given); returns the CompletedProcess.
    The runner keeps its memo store where a reader's run does (its project's build/cache/memo)."""
    env = {k: v for k, v in os.environ.items() if k not in ("ECRIGHTS_ROOT", MEMO_ENV)}
    if root is not None:
        env["ECRIGHTS_ROOT"] = str(root)
    python = str(PYTHON) if PYTHON.exists() else sys.executable
    return subprocess.run([python, str(PROJECT_ROOT / "run_all.py"), *args], capture_output=True, text=True,
                          env=env, cwd=str(PROJECT_ROOT), timeout=timeout, **kwargs)


def show(proc) -> str:
    return f"exit {proc.returncode}\n--- stdout\n{proc.stdout[-4000:]}\n--- stderr\n{proc.stderr[-4000:]}"


# The sections tests re-run on a copy of the shared build (the two quickest).
BUILT_SECTIONS = ["retail_growth", "ai_anticounterfeit"]


@pytest.fixture(scope="session")
def built(tmp_path_factory):
    """THE build of the test session, shared: a copy of the project (data/ params/
    notebooks/) with the whole report built into its build/ once (every section,
    report.html, report.pdf, report.docx; two workers, as a reader runs it).
    Returns (project root, the run's process). Tests that change anything work on
    a copy (copy_built); re-running BUILT_SECTIONS there is served from its cache
    unless forced."""
    root = copy_project(tmp_path_factory.mktemp("built") / "project")
    proc = run_all(["--jobs", "2"], root=root, timeout=1200)
    assert proc.returncode == 0, show(proc)
    return root, proc


@pytest.fixture(scope="session")
def built_en(tmp_path_factory) -> Path:
    """The English edition of the test session, shared (reader's edition and audit in its
    output directory, which it returns): every section, two workers, as `make report-en`. On a
    copy of the project, as `built`: its cache too stays out of the real build/."""
    root = copy_project(tmp_path_factory.mktemp("built_en") / "project")
    proc = run_all(["--jobs", "2", "--lang", "en"], root=root, timeout=1200)
    assert proc.returncode == 0, show(proc)
    return root / "build" / "en"  # where the English edition goes (run/build.py: output_dir)


# fixture -> the tier a test that uses it belongs to
FIXTURE_MARKS = {"built": "integration", "built_en": "integration", "published": "pdf"}  # published: test_report.py's PDF


def pytest_collection_modifyitems(config, items):
    for item in items:
        for fixture, mark in FIXTURE_MARKS.items():
            if fixture in getattr(item, "fixturenames", ()):
                item.add_marker(mark)


def copy_built(built, dest: Path) -> Path:
    """A private copy of the shared build's project root (its build/ and cache included)."""
    root, _ = built
    shutil.copytree(root, dest, symlinks=True)
    return dest


def tree_digest(directory: Path, exclude=("cache",)) -> dict[str, str]:
    """Relative path -> sha256 of every file under directory as a reader sees it: a build's
    familiar paths (results/…, claims.csv, report.pdf) followed through `current`, the
    generations themselves not listed twice (the top-level parts in exclude left out)."""
    out = {}
    directory = Path(directory)
    for top, dirs, files in os.walk(directory, followlinks=True):
        rel_top = Path(top).relative_to(directory)
        if rel_top == Path("."):
            dirs[:] = [d for d in dirs if d not in ("generations", "current", *exclude)]
        dirs.sort()
        for name in sorted(files):
            rel = rel_top / name
            if rel.parts[0] in exclude or not (directory / rel).is_file():
                continue
            out[rel.as_posix()] = hashlib.sha256((directory / rel).read_bytes()).hexdigest()
    return dict(sorted(out.items()))


@pytest.fixture
def no_execution(monkeypatch):
    """Fail the test if the runner gets as far as executing anything."""
    from ecrights.run import executors, session

    def forbidden(*args, **kwargs):
        raise AssertionError("the runner executed a task despite bad input")
    monkeypatch.setattr(session.Session, "execute", forbidden)
    monkeypatch.setattr(executors, "run_task", forbidden)
