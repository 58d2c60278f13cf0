"""`run_all.py --update-manifest`: data/MANIFEST.sha256 rewritten after a
deliberate edit of data/, saying what changed, and refusing to forget a file
that a section declares it reads (a deleted file would otherwise vanish from
the manifest, and the next run would pass without it) unless --allow-removal."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from fnmatch import fnmatchcase
from pathlib import Path

from .. import data as data_mod
from .. import paths, sections
from ..errors import ManifestError
from .validation import load_all_data


@dataclass
class ManifestChange:
    added: list[str]
    removed: list[str]
    changed: list[str]

    @property
    def empty(self) -> bool:
        return not (self.added or self.removed or self.changed)


def _sha256(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def compare(root: Path) -> ManifestChange:
    """data/ against its manifest (a missing manifest: every file is added)."""
    old = data_mod.read_manifest(root) if (root / data_mod.MANIFEST_NAME).is_file() else {}
    now = {p.relative_to(root).as_posix(): _sha256(p) for p in data_mod.data_files(root)}
    return ManifestChange(added=sorted(set(now) - set(old)), removed=sorted(set(old) - set(now)),
                          changed=sorted(k for k in set(old) & set(now) if old[k] != now[k]))


def declared_by(rel: str) -> list[str]:
    """Sections whose declared data (globs relative to data/) include this file."""
    return [s.name for s in sections.SECTIONS.values() if any(fnmatchcase(rel, g) for g in s.data)]


def update(allow_removal: bool = False, root: Path | None = None) -> ManifestChange:
    """Check, validate, then rewrite the manifest; raises ManifestError (a
    declared file removed) or DataError (data that does not validate):
    in both cases the manifest is left as it was."""
    root = Path(root) if root else paths.data_dir()
    change = compare(root)
    needed = {rel: declared_by(rel) for rel in change.removed if declared_by(rel)}
    if needed and not allow_removal:
        lines = [f"{root / rel}: missing, and read by {', '.join(names)}" for rel, names in needed.items()]
        raise ManifestError("the manifest was not updated: it would drop data that sections declare they read:\n  "
                            + "\n  ".join(lines) + "\nrestore the file(s), or run again with --allow-removal "
                            "if the removal is deliberate")
    load_all_data()  # never record checksums of data that does not validate
    if not change.empty:
        data_mod.write_manifest(root)
    return change


def describe(change: ManifestChange, path: Path) -> str:
    if change.empty:
        return f"{path}: unchanged (data/ matches it)"
    lines = [f"updated {path}:"]
    for kind, names in (("added", change.added), ("removed", change.removed), ("changed", change.changed)):
        lines += [f"  {kind:<8}{name}" for name in names]
    return "\n".join(lines)
