"""One run, one generation: what a build publishes appears together or not at all.

An output directory (build/, build/en/, build/scenarios/<name>/, or one given
with --output-dir) holds

    generations/<id>/     one complete build: results/ notebooks/ figures/ logs/
                          claims.csv dated_statements.csv run.json and the report
    current -> generations/<id>       swapped atomically (a symlink renamed over the old one)
    results -> current/results, claims.csv -> current/claims.csv, report.pdf -> …
                          the familiar paths, links through `current`
    cache/ failed/ sweeps/ compare/ en/ scenarios/ interactive/   outside generations

A build starts a new generation from the current one (hard links: instant, no
space; every writer replaces a file by renaming a new one over it, so the old
generation is never changed through a link), publishes its sections, claims,
run record and report into it, and only then makes it `current`. An
interrupted, killed or failed-to-write run leaves `current` as it was; what it
left behind (generations/.new-*, .staging/) is removed by the next run, under
the output directory's lock.
"""

from __future__ import annotations

import os
import shutil
import time
import uuid
from pathlib import Path

GENERATIONS = "generations"
CURRENT = "current"
NEW_PREFIX = ".new-"
# what builds wrote at the top of an output directory before generations (adopted once)
LEGACY = ("results", "notebooks", "figures", "logs", "sections", "claims.csv", "dated_statements.csv", "run.json")
LEGACY_PATTERNS = ("report*", "audit*")
# in a generation: links to what lives beside the generations, for readers that expect it there
SHARED = ("sweeps",)


def current(out_dir: Path) -> Path | None:
    link = Path(out_dir) / CURRENT
    return link.resolve() if link.is_symlink() and link.resolve().is_dir() else None


def clean_leftovers(out_dir: Path) -> None:
    """What a killed run left: staging directories and unfinished generations (call under the lock)."""
    out_dir = Path(out_dir)
    for path in [*(out_dir / ".staging").glob("*"), *(out_dir / GENERATIONS).glob(f"{NEW_PREFIX}*")]:
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path, ignore_errors=True)
        else:
            path.unlink(missing_ok=True)
    (out_dir / f".{CURRENT}.tmp").unlink(missing_ok=True)


def _legacy_entries(out_dir: Path) -> list[Path]:
    found = [out_dir / name for name in LEGACY]
    for pattern in LEGACY_PATTERNS:
        found += sorted(out_dir.glob(pattern))
    return [p for p in dict.fromkeys(found) if (p.exists() or p.is_symlink()) and not p.is_symlink()]


def adopt_legacy(out_dir: Path) -> None:
    """Outputs written in place (an output directory of an earlier version) become
    the current generation, once, so that the next build starts from them."""
    out_dir = Path(out_dir)
    entries = _legacy_entries(out_dir)
    if not entries:
        return
    target = current(out_dir)
    if target is None:
        target = out_dir / GENERATIONS / _new_id()
        target.mkdir(parents=True)
    for entry in entries:
        destination = target / entry.name
        if destination.is_dir() and not destination.is_symlink():
            shutil.rmtree(destination)
        os.replace(entry, destination)
    _point_current(out_dir, target)
    link_familiar_paths(out_dir)


def _new_id() -> str:
    return time.strftime("%Y%m%dT%H%M%SZ", time.gmtime()) + "-" + uuid.uuid4().hex[:6]


def start(out_dir: Path) -> Path:
    """A new, unpublished generation holding a copy of the current one (hard links)."""
    out_dir = Path(out_dir)
    adopt_legacy(out_dir)
    new = out_dir / GENERATIONS / f"{NEW_PREFIX}{_new_id()}"
    previous = current(out_dir)
    if previous is not None:
        shutil.copytree(previous, new, symlinks=True, copy_function=_link_or_copy,
                        ignore=lambda d, names: [n for n in names if n.startswith(".") or Path(d, n).is_symlink()])
    new.mkdir(parents=True, exist_ok=True)
    for name in SHARED:
        (new / name).symlink_to(Path("..", "..", name))
    return new


def _link_or_copy(source: str, target: str) -> None:
    """A hard link (instant, no space), or a copy where the file system has none."""
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)


def discard(generation: Path) -> None:
    """Drop an unpublished generation (the current one stays as it was)."""
    if generation is not None and generation.name.startswith(NEW_PREFIX):
        shutil.rmtree(generation, ignore_errors=True)


def publish(out_dir: Path, generation: Path) -> Path:
    """Make `generation` the current one, atomically; earlier generations are removed."""
    out_dir = Path(out_dir)
    shutil.rmtree(generation / ".staging", ignore_errors=True)
    final = generation.with_name(generation.name[len(NEW_PREFIX):])
    os.replace(generation, final)
    _point_current(out_dir, final)
    link_familiar_paths(out_dir)
    for old in (out_dir / GENERATIONS).iterdir():
        if old != final and not old.name.startswith(NEW_PREFIX):
            shutil.rmtree(old, ignore_errors=True)
    return final


def _point_current(out_dir: Path, generation: Path) -> None:
    tmp = out_dir / f".{CURRENT}.tmp"
    tmp.unlink(missing_ok=True)
    tmp.symlink_to(Path(GENERATIONS, generation.name))
    os.replace(tmp, out_dir / CURRENT)


def link_familiar_paths(out_dir: Path) -> None:
    """<out>/<name> -> current/<name> for everything the current generation holds
    (links for what it no longer holds are removed)."""
    out_dir = Path(out_dir)
    gen = out_dir / CURRENT
    for entry in sorted(gen.iterdir()):
        if entry.name.startswith(".") or entry.is_symlink():
            continue
        link = out_dir / entry.name
        wanted = Path(CURRENT, entry.name)
        if link.is_symlink() and Path(os.readlink(link)) == wanted:
            continue
        if link.exists() and not link.is_symlink() and link.is_dir():
            continue  # a directory of the user's, or outside generations: never replaced
        tmp = out_dir / f".{entry.name}.link.tmp"
        tmp.unlink(missing_ok=True)
        tmp.symlink_to(wanted)
        os.replace(tmp, link)
    for link in out_dir.iterdir():
        if link.is_symlink() and Path(os.readlink(link)).parts[:1] == (CURRENT,) and not link.exists():
            link.unlink()
