"""Content-addressed cache of executed sections.

The key hashes what can change a section's outputs: the notebook's code
cells in order with the tags that change what runs (not its prose, nor the
tags that only change what a reader sees), the effective parameters and build
options, the data files the section declares (its registry entry), the code the
section reads (section_code_files: its own package with texts.yaml, and the
import closure of its notebook's imports within lib/ecrights, with the data
files those shared modules read — so editing one section's analysis
re-executes that section only), the pinned environment and the Python
version. An entry is written under a temporary name and renamed
only when complete, with a checksum list checked on every use: a corrupted
or partial entry is never used. The checksum list is signed with this user's
secret (trust.py): an entry edited and its checksums recomputed does not verify,
and is re-executed.
"""

from __future__ import annotations

import errno
import hashlib
import json
import os
import platform
import shutil
import uuid
from pathlib import Path

from .. import codehash, paths
from ..errors import InputError
from . import trust

COMPLETE = "complete.json"


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def file_digest(path: Path) -> str:
    return _sha(Path(path).read_bytes())


# Cell tags that change what runs: papermill injects the parameters after the cell
# tagged `parameters`; nbclient lets a cell tagged `raises-exception` fail and skips one
# tagged `skip-execution`. Audience, language and visibility tags (lang-zh,
# audience-reader, remove-cell, hide-input, …) only change what a reader sees.
EXECUTION_TAGS = frozenset({"parameters", "injected-parameters", "raises-exception", "skip-execution"})


def _source(cell: dict) -> str:
    return "".join(cell["source"]) if isinstance(cell.get("source"), list) else cell.get("source", "")


def execution_view(notebook: Path) -> list:
    """What decides a notebook's execution: its code cells in order, each with its
    source and the tags that change what runs. Raises InputError unless exactly
    one code cell is tagged `parameters` (else the runner's parameters would be
    injected nowhere, or twice)."""
    notebook = Path(notebook)
    try:
        nb = json.loads(notebook.read_text(encoding="utf-8"))
        cells = nb.get("cells", [])
        tagged = [i for i, c in enumerate(cells) if "parameters" in c.get("metadata", {}).get("tags", [])]
    except (OSError, ValueError, AttributeError, TypeError) as exc:
        raise InputError(f"{notebook}: not a readable notebook ({type(exc).__name__})") from None
    if len(tagged) != 1 or cells[tagged[0]].get("cell_type") != "code":
        found = "no cell" if not tagged else (f"{len(tagged)} cells ({', '.join(str(i) for i in tagged)})"
                                                if len(tagged) > 1 else f"cell {tagged[0]}, not a code cell,")
        raise InputError(f"{notebook}: {found} tagged 'parameters'; expected exactly one code cell with that tag "
                         "(where the runner injects the parameters)")
    return [[_source(c), sorted(set(c.get("metadata", {}).get("tags", [])) & EXECUTION_TAGS)]
            for c in cells if c.get("cell_type") == "code"]


def notebook_code_hash(notebook: Path) -> str:
    return _sha(json.dumps(execution_view(notebook), ensure_ascii=False).encode())


def notebook_imports(notebook: Path) -> set[str]:
    """The modules the notebook's code cells import (IPython magics and shell lines skipped)."""
    nb = json.loads(Path(notebook).read_text(encoding="utf-8"))
    names: set[str] = set()
    for cell in nb.get("cells", []):
        if cell.get("cell_type") != "code":
            continue
        code = "\n".join("" if line.lstrip().startswith(("%", "!")) else line for line in _source(cell).splitlines())
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


def checksums(directory: Path) -> dict[str, str]:
    return {p.relative_to(directory).as_posix(): _sha(p.read_bytes())
            for p in sorted(directory.rglob("*")) if p.is_file() and p.name != COMPLETE}


def verified_files(entry: Path, section: str, key: str) -> dict[str, str] | None:
    """The entry's files (relative path -> sha256) if it is complete, intact and signed
    with this user's key; else None."""
    try:
        complete = json.loads((entry / COMPLETE).read_text(encoding="utf-8"))
        expected = complete["files"]
        if checksums(entry) == expected and trust.verifies(f"{section}/{key}", expected, complete.get("hmac")):
            return expected
    except (ValueError, KeyError, TypeError, AttributeError, OSError):
        pass
    return None


def lookup(cache_root: Path, section: str, key: str) -> Path | None:
    """The entry's directory if it is complete, intact and signed, else None.

    An entry that does not verify is never used, but not removed here: another
    run may be replacing it at this very moment (store), and the next store of
    this key replaces it anyway."""
    entry = _entry(cache_root, section, key)
    if not (entry / COMPLETE).is_file():
        return None
    return entry if verified_files(entry, section, key) is not None else None


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
        files = checksums(tmp)
        (tmp / COMPLETE).write_text(json.dumps({"section": section, "key": key, "files": files,
                                                "hmac": trust.sign(f"{section}/{key}", files)},
                                               indent=1, sort_keys=True), encoding="utf-8")
        if verified_files(entry, section, key) == files:  # the same outputs are there: nothing to replace,
            shutil.rmtree(tmp)  # and a run serving them from the cache right now is not disturbed
            return entry
        # Replaced by renames only: a run reading the entry sees the old one or the new one, never a
        # directory half removed (publish.publish_from_cache checks what it copied, and retries).
        old = entry.with_name(f".{key}-old-{uuid.uuid4().hex[:6]}")
        try:
            os.replace(entry, old)
        except FileNotFoundError:
            old = None
        try:
            os.replace(tmp, entry)
        except OSError as exc:
            if exc.errno not in (errno.ENOTEMPTY, errno.EEXIST):
                raise
            shutil.rmtree(tmp, ignore_errors=True)  # another run stored this key meanwhile: its entry stays
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return entry
