"""Content-addressed cache of executed sections.

The key hashes what can change a section's outputs: the notebook's code
cells (not its prose or tags), the effective parameters and build options,
the data files the section declares (sections.py), the code the section reads
(section_code_files: its own package with texts.yaml, and the import closure
of its notebook's imports within lib/ecrights, with the data files those
shared modules read — so editing one section's analysis re-executes that
section only), the pinned environment and the Python version. An entry is written under a temporary name and renamed
only when complete, with a checksum list checked on every use: a corrupted
or partial entry is never used.
"""

from __future__ import annotations

import hashlib
import json
import os
import platform
import shutil
import uuid
from pathlib import Path

from .. import codehash, paths

COMPLETE = "complete.json"


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def file_digest(path: Path) -> str:
    return _sha(Path(path).read_bytes())


def notebook_code_hash(notebook: Path) -> str:
    nb = json.loads(Path(notebook).read_text(encoding="utf-8"))
    code = ["".join(c["source"]) if isinstance(c["source"], list) else c["source"]
            for c in nb.get("cells", []) if c.get("cell_type") == "code"]
    return _sha(json.dumps(code, ensure_ascii=False).encode())


def notebook_imports(notebook: Path) -> set[str]:
    """The modules the notebook's code cells import (IPython magics and shell lines skipped)."""
    nb = json.loads(Path(notebook).read_text(encoding="utf-8"))
    names: set[str] = set()
    for cell in nb.get("cells", []):
        if cell.get("cell_type") != "code":
            continue
        source = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
        code = "\n".join("" if line.lstrip().startswith(("%", "!")) else line for line in source.splitlines())
        names |= codehash.imported_names(code)
    return names


def section_code_files(section, lib: Path = codehash.ROOT) -> list[Path]:
    """The scope of a section's cache key: the library files its run reads — its
    own package (with texts.yaml), the import closure of its notebook's imports,
    the data files those modules read. `lib` is the package that is imported (and
    run by the kernels), not ECRIGHTS_ROOT/lib: ECRIGHTS_ROOT moves only
    data/params/notebooks/build."""
    roots = notebook_imports(section.notebook) | {f"{codehash.PACKAGE}.sections.{section.name}"}
    modules = codehash.closure(roots, lib)
    own = codehash.package_files(Path(lib) / "sections" / section.name)
    return sorted(set(modules + codehash.data_files(modules, lib) + own))


def section_code_hash(section, lib: Path = codehash.ROOT) -> str:
    return codehash.files_hash(section_code_files(section, lib), lib)


def environment_hash() -> str:
    lock = paths.project_root() / "requirements.lock"
    content = lock.read_bytes() if lock.is_file() else b""
    return _sha(content + platform.python_version().encode())


def task_key(notebook: Path, parameters: dict, data_files: list[Path], code_hash: str, env_hash: str) -> str:
    h = hashlib.sha256()
    h.update(b"nb:" + notebook_code_hash(notebook).encode())
    h.update(b"params:" + json.dumps(parameters, sort_keys=True, ensure_ascii=False).encode())
    data_root = paths.data_dir()
    for path in sorted(data_files):
        h.update(b"data:" + path.relative_to(data_root).as_posix().encode() + _sha(path.read_bytes()).encode())
    h.update(b"lib:" + code_hash.encode() + b"env:" + env_hash.encode())
    return h.hexdigest()[:24]


def _entry(cache_root: Path, section: str, key: str) -> Path:
    return cache_root / section / key


def _checksums(directory: Path) -> dict[str, str]:
    return {p.relative_to(directory).as_posix(): _sha(p.read_bytes())
            for p in sorted(directory.rglob("*")) if p.is_file() and p.name != COMPLETE}


def lookup(cache_root: Path, section: str, key: str) -> Path | None:
    """The entry's directory if it is complete and intact, else None."""
    entry = _entry(cache_root, section, key)
    marker = entry / COMPLETE
    if not marker.is_file():
        return None
    try:
        expected = json.loads(marker.read_text(encoding="utf-8"))["files"]
        if _checksums(entry) != expected:
            raise ValueError("checksum mismatch")
    except (ValueError, KeyError, OSError):
        shutil.rmtree(entry, ignore_errors=True)  # corrupted: never used, removed
        return None
    return entry


def entry_files(entry: Path) -> dict[str, str]:
    """Relative path -> sha256 of every file of a complete entry."""
    return json.loads((Path(entry) / COMPLETE).read_text(encoding="utf-8"))["files"]


def store(cache_root: Path, section: str, key: str, run_dir: Path) -> Path:
    """Copy a successful run (notebooks/, results/, figures/) into the cache.
    An entry is complete or absent: a failed copy (e.g. a full disk) leaves nothing."""
    entry = _entry(cache_root, section, key)
    tmp = entry.with_name(f".{key}-{uuid.uuid4().hex[:6]}")
    try:
        tmp.mkdir(parents=True)
        for sub in ("notebooks", "results", "figures"):
            if (run_dir / sub).is_dir():
                shutil.copytree(run_dir / sub, tmp / sub)
        (tmp / COMPLETE).write_text(json.dumps({"section": section, "key": key, "files": _checksums(tmp)},
                                               indent=1, sort_keys=True), encoding="utf-8")
        if entry.exists():
            shutil.rmtree(entry, ignore_errors=True)
        os.replace(tmp, entry)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return entry
