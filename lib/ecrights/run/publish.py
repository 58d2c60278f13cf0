"""Putting a finished run into the output directory.

Failure evidence (failed/) is never removed here: a later good or cached run
does not erase why an earlier one failed (execute.py keeps the last ten).

Only the runner's main process publishes (a worker executes into a staging
directory and stores the run in the cache): once the runner has decided to
stop, nothing more lands in build/. Files are moved into place one by one
with os.replace (atomic on one file system); the section's stale figures go.
"""

from __future__ import annotations

import os
import shutil
import uuid
from pathlib import Path

from . import cache

OUTPUT_SUBDIRS = ("notebooks", "results", "figures")  # what a run produces and the cache keeps
LOG_SUBDIR = "logs"  # an executed run's log: published with it, not cached


def publish(source: Path, out_dir: Path, section: str) -> None:
    """Move a finished run's files (source/notebooks, results, figures) into out_dir."""
    source, out_dir = Path(source), Path(out_dir)
    new_figures = {p.name for p in (source / "figures").glob("*")}
    figures_dir = out_dir / "figures"
    if figures_dir.is_dir():
        for old in figures_dir.glob(f"{section}-*"):
            if old.name not in new_figures:
                old.unlink()
    for sub in (*OUTPUT_SUBDIRS, LOG_SUBDIR):
        if sub == LOG_SUBDIR and not (source / sub).is_dir():
            continue
        (out_dir / sub).mkdir(parents=True, exist_ok=True)
        for item in sorted((source / sub).glob("*")):
            os.replace(item, out_dir / sub / item.name)


def publish_staged(staging: Path, out_dir: Path, section: str) -> None:
    """Publish a run executed into `staging`, then remove the staging directory."""
    publish(staging, out_dir, section)
    shutil.rmtree(staging, ignore_errors=True)


def _already_published(entry: Path, out_dir: Path, section: str) -> bool:
    """True when out_dir holds exactly this cache entry's files for the section."""
    try:
        expected = cache.entry_files(entry)
    except (OSError, ValueError, KeyError):  # being replaced by another run: copy it (and check the copy)
        return False
    figures = {p.relative_to(out_dir).as_posix() for p in (out_dir / "figures").glob(f"{section}-*")}
    if figures != {k for k in expected if k.startswith("figures/")}:
        return False
    for rel, digest in expected.items():
        path = out_dir / rel
        if not path.is_file() or cache.file_digest(path) != digest:
            return False
    return True


def publish_from_cache(entry: Path, out_dir: Path, section: str, attempts: int = 5) -> None:
    """Copy a cache entry into the output directory (file by file, atomically),
    unless the output directory already holds exactly it. What is copied is
    checked against the entry's signed checksums: another run may replace the
    entry meanwhile (cache.store), and then the copy is made again from the new one."""
    out_dir = Path(out_dir)
    if _already_published(entry, out_dir, section):
        return
    for attempt in range(attempts):
        staging = out_dir / ".staging" / f"{section}-cache-{uuid.uuid4().hex[:6]}"
        try:
            expected = cache.verified_files(entry, section, entry.name)
            try:
                if expected is None:
                    raise FileNotFoundError(f"cache entry {entry} is being replaced")
                for sub in OUTPUT_SUBDIRS:
                    if (entry / sub).is_dir():
                        shutil.copytree(entry / sub, staging / sub)
                    else:
                        (staging / sub).mkdir(parents=True, exist_ok=True)
                if cache.checksums(staging) != expected:
                    raise FileNotFoundError(f"cache entry {entry} changed while it was copied")
            except (FileNotFoundError, shutil.Error) as exc:
                if attempt == attempts - 1 or (isinstance(exc, shutil.Error) and not _vanished(exc)):
                    raise
                continue
            publish(staging, out_dir, section)
            return
        finally:
            shutil.rmtree(staging, ignore_errors=True)


def _vanished(exc: shutil.Error) -> bool:
    """copytree's collected errors are all files that disappeared under it."""
    return all("No such file" in str(why) for _, _, why in exc.args[0])
