"""The data check before a run, in two halves: begin() is cheap (the manifest)
and runs first; finish() is the full schema validation, run while the workers
start. Raises DataError; nothing is written before both pass.

The validated official table is kept in the cache as a JSON snapshot (never a
pickle), signed with this user's key (trust.py); each notebook gets a copy as
its injected `validated_data` parameter (execute.py), not through the
environment.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from .. import data as data_mod
from .. import text as text_mod
from . import trust


def load_all_data() -> None:
    """Load (and so validate) every data file; raises DataError."""
    data_mod.load_all()


def validation_code() -> bytes:
    """The code that validates data/: the ecrights.data package and ecrights.text."""
    files = sorted(Path(data_mod.__file__).parent.glob("*.py"))
    return b"".join(p.read_bytes() for p in files) + Path(text_mod.__file__).read_bytes()


def snapshot_path(cache_root: Path) -> Path:
    """Where the validated official table of the data as it is now is kept."""
    return Path(cache_root) / "validated" / f"official-{data_mod.official_snapshot_key()}.json"


def _signed(marker: Path, snapshot: Path) -> dict:
    files = {snapshot.name: hashlib.sha256(snapshot.read_bytes()).hexdigest()}
    return {"files": files, "hmac": trust.sign(f"validated/{marker.name}", files)}


def _trusted(marker: Path, snapshot: Path) -> bool:
    try:
        record = json.loads(marker.read_text(encoding="utf-8"))
        return snapshot.is_file() and trust.verifies(f"validated/{marker.name}", _signed(marker, snapshot)["files"],
                                                     record.get("hmac"))
    except (OSError, ValueError, AttributeError):
        return False


def begin(cache_root: Path) -> Path | None:
    """Refuse a cache others can write; check the manifest. Returns the marker
    still to be written by finish() (None: this exact data, by manifest digest,
    already passed with this validation code, and its snapshot verifies)."""
    trust.check_directory(cache_root)
    manifest = data_mod.check_manifest()
    digest = hashlib.sha256(repr(sorted(manifest.items())).encode() + validation_code()).hexdigest()[:24]
    marker = Path(cache_root) / "validated" / digest
    return None if _trusted(marker, snapshot_path(cache_root)) else marker


def finish(marker: Path | None) -> None:
    """The full validation (raises DataError) and the signed snapshot, when still needed."""
    if marker is None:
        return
    load_all_data()
    snapshot = snapshot_path(marker.parents[1])
    try:
        data_mod.write_official_snapshot(snapshot)
        marker.write_text(json.dumps(_signed(marker, snapshot)), encoding="utf-8")
    except OSError as exc:
        raise OSError(exc.errno, f"{exc.strerror or exc}: could not record the validated data in "
                                 f"{marker.parent}", exc.filename) from exc
