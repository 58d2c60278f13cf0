"""data/MANIFEST.sha256: checksums of every data file, checked before every run."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from .. import paths
from ..errors import DataError, ManifestError

MANIFEST_NAME = "MANIFEST.sha256"


def data_files(root: Path | None = None) -> list[Path]:
    root = Path(root) if root else paths.data_dir()
    # the tables and the report's own text (data/report/), which the quotes are checked against
    return sorted(p for p in root.rglob("*") if p.is_file() and p.suffix in (".csv", ".txt"))


def file_sha256(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def write_manifest(root: Path | None = None) -> Path:
    root = Path(root) if root else paths.data_dir()
    lines = [f"{file_sha256(p)}  {p.relative_to(root).as_posix()}" for p in data_files(root)]
    out = root / MANIFEST_NAME
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return out


def read_manifest(root: Path | None = None) -> dict[str, str]:
    root = Path(root) if root else paths.data_dir()
    path = root / MANIFEST_NAME
    if not path.is_file():
        raise DataError(f"{path}: manifest missing (run `python run_all.py --update-manifest`)")
    entries = {}
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        m = re.match(r"^([0-9a-f]{64})  (\S.*)$", line)
        if not m:
            raise DataError(f"{path}, line {n}: expected '<sha256>  <relative path>', got {line!r}")
        entries[m.group(2)] = m.group(1)
    return entries


def check_manifest(root: Path | None = None) -> dict[str, str]:
    """Raise DataError when data/ differs from its manifest; return the manifest."""
    root = Path(root) if root else paths.data_dir()
    manifest = read_manifest(root)
    problems = []
    present = {p.relative_to(root).as_posix(): p for p in data_files(root)}
    for rel, digest in manifest.items():
        if rel not in present:
            problems.append(f"{root / rel}: listed in {MANIFEST_NAME} but missing")
        elif file_sha256(present[rel]) != digest:
            problems.append(f"{root / rel}: content differs from {MANIFEST_NAME} "
                            "(if the edit is deliberate: python run_all.py --update-manifest)")
    for rel in sorted(set(present) - set(manifest)):
        problems.append(f"{root / rel}: not listed in {MANIFEST_NAME} (python run_all.py --update-manifest)")
    if problems:
        raise ManifestError("data/ does not match its manifest:\n  " + "\n  ".join(problems))
    return manifest
