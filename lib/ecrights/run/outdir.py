"""Where the runner may write: the one check of every output directory.

An output directory is accepted (the path is resolved first, symlinks
followed, because that is where files would land) when it is

- build/ or a directory under it, except the runner's own areas there
  (cache/, generations/, failed/, .staging/);
- or a directory outside the project that is new, empty, or already marked as
  an output directory (MARKER, written on first use).

Everything else is refused with an InputError (exit 2) naming the option: the
project root and its sources, a directory holding the project, the filesystem
root, a non-empty unmarked directory, anything that is not a directory.
"""

from __future__ import annotations

from pathlib import Path

from .. import paths
from ..errors import InputError

MARKER = ".ecrights-output"
MARKER_TEXT = "This directory holds outputs of the ecrights-2019 runner (run_all.py); it may be rewritten.\n"
# the runner's own areas inside an output directory: never an output directory themselves
RESERVED = ("cache", "generations", "failed", ".staging")


def _roots() -> list[Path]:
    """The project whose sources must stay untouched: ECRIGHTS_ROOT (data/, params/,
    notebooks/) and the checkout whose lib/ is imported."""
    code_root = Path(__file__).resolve().parents[3]
    return list(dict.fromkeys([paths.project_root().resolve(), code_root]))


def _within(path: Path, root: Path) -> bool:
    return path == root or root in path.parents


def checked(path: Path, option: str = "--output-dir") -> Path:
    """The resolved output directory, or InputError naming `option` and why not."""
    given = Path(path).expanduser()
    resolved = given.resolve()

    def refuse(why: str):
        raise InputError(f"{option} {given}: {why}")

    if resolved == Path(resolved.anchor):
        refuse("is the filesystem root; give build/, a directory under it, or a new directory outside the project")
    if resolved.exists() and not resolved.is_dir():
        refuse("exists and is not a directory")
    for build in {paths.default_build_dir().resolve(), *(r / "build" for r in _roots())}:
        if _within(resolved, build):
            inside = resolved.relative_to(build).parts
            reserved = [p for p in inside if p in RESERVED]
            if reserved:
                refuse(f"is inside the runner's own {reserved[0]}/ area of {build}; give build/ or another "
                       "directory under it")
            return resolved
    for root in _roots():
        if _within(resolved, root):
            refuse(f"is inside the project {root} (its sources: data/, notebooks/, params/, lib/ …); outputs go "
                   "to build/, a directory under it, or a directory outside the project")
        if _within(root, resolved):
            refuse(f"contains the project {root}; outputs go to build/ or a directory outside the project")
    if resolved.is_dir() and not (resolved / MARKER).is_file() and any(resolved.iterdir()):
        refuse(f"is not empty and not marked as an output directory (no {MARKER} in it); give a new or empty "
               "directory, or build/")
    return resolved


def mark(directory: Path) -> None:
    """Create the output directory and mark it as one (first use), so a later run may reuse it."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    marker = directory / MARKER
    if not marker.is_file():
        marker.write_text(MARKER_TEXT, encoding="utf-8")
