"""Content-addressed cache of executed sections.

The key hashes what can change a section's outputs: the notebook's code
cells (not its prose or tags), the effective parameters, the data files the
section declares (sections.py), the analysis library (lib/ecrights without
run/ and report/, which do not touch results), the pinned environment and
the Python version. An entry is written under a temporary name and renamed
only when complete, with a checksum list checked on every use: a corrupted
or partial entry is never used. The checksum list is signed with this user's
secret (trust.py): an entry edited and its checksums recomputed does not verify,
and is re-executed.
"""

from __future__ import annotations

import hashlib
import json
import os
import platform
import shutil
import uuid
from pathlib import Path

from .. import paths
from . import trust

COMPLETE = "complete.json"
_EXCLUDED_LIB_PARTS = {"run", "report", "__pycache__"}


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def file_digest(path: Path) -> str:
    return _sha(Path(path).read_bytes())


def notebook_code_hash(notebook: Path) -> str:
    nb = json.loads(Path(notebook).read_text(encoding="utf-8"))
    code = ["".join(c["source"]) if isinstance(c["source"], list) else c["source"]
            for c in nb.get("cells", []) if c.get("cell_type") == "code"]
    return _sha(json.dumps(code, ensure_ascii=False).encode())


def library_hash(root: Path | None = None) -> str:
    # The package that is actually imported (and run by the kernels), not
    # ECRIGHTS_ROOT/lib: ECRIGHTS_ROOT moves only data/params/notebooks/build.
    root = Path(root) if root else Path(__file__).resolve().parents[1]
    h = hashlib.sha256()
    for path in sorted(root.rglob("*")):
        rel = path.relative_to(root)
        # code and what it reads (house_style.json); not bytecode
        if not path.is_file() or path.suffix == ".pyc" or _EXCLUDED_LIB_PARTS & set(rel.parts):
            continue
        h.update(rel.as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return h.hexdigest()


def environment_hash() -> str:
    lock = paths.project_root() / "requirements.lock"
    content = lock.read_bytes() if lock.is_file() else b""
    return _sha(content + platform.python_version().encode())


def task_key(notebook: Path, parameters: dict, data_files: list[Path], lib_hash: str, env_hash: str) -> str:
    h = hashlib.sha256()
    h.update(b"nb:" + notebook_code_hash(notebook).encode())
    h.update(b"params:" + json.dumps(parameters, sort_keys=True, ensure_ascii=False).encode())
    data_root = paths.data_dir()
    for path in sorted(data_files):
        h.update(b"data:" + path.relative_to(data_root).as_posix().encode() + _sha(path.read_bytes()).encode())
    h.update(b"lib:" + lib_hash.encode() + b"env:" + env_hash.encode())
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
        complete = json.loads(marker.read_text(encoding="utf-8"))
        expected = complete["files"]
        if _checksums(entry) != expected:
            raise ValueError("checksum mismatch")
        if not trust.verifies(f"{section}/{key}", expected, complete.get("hmac")):
            raise ValueError("not signed with this user's cache key")
    except (ValueError, KeyError, TypeError, OSError):
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
        files = _checksums(tmp)
        (tmp / COMPLETE).write_text(json.dumps({"section": section, "key": key, "files": files,
                                                "hmac": trust.sign(f"{section}/{key}", files)},
                                               indent=1, sort_keys=True), encoding="utf-8")
        if entry.exists():
            shutil.rmtree(entry, ignore_errors=True)
        os.replace(tmp, entry)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return entry
