"""The data check before a run, in two halves: begin() is cheap (the manifest)
and runs first; finish() is the full schema validation, run while the workers
start. Raises DataError; nothing is written before both pass."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from .. import data as data_mod
from .. import text as text_mod


def load_all_data() -> None:
    """Load (and so validate) every data file; raises DataError."""
    data_mod.load_all()


def validation_code() -> bytes:
    """The code that validates data/: the ecrights.data package and ecrights.text."""
    files = sorted(Path(data_mod.__file__).parent.glob("*.py"))
    return b"".join(p.read_bytes() for p in files) + Path(text_mod.__file__).read_bytes()


def begin(cache_root: Path) -> Path | None:
    """Check the manifest and point this run's kernels at the validated snapshot.
    Returns the marker still to be written by finish() (None: this exact data,
    by manifest digest, already passed with this validation code)."""
    manifest = data_mod.check_manifest()
    digest = hashlib.sha256(repr(sorted(manifest.items())).encode() + validation_code()).hexdigest()[:24]
    marker = Path(cache_root) / "validated" / digest
    # notebooks started by this run read the validated official table
    os.environ[data_mod.SNAPSHOT_ENV] = str(marker.parent)
    if marker.is_file() and any(marker.parent.glob(f"official-{data_mod.official_snapshot_key()}.pkl")):
        return None
    return marker


def finish(marker: Path | None) -> None:
    """The full validation (raises DataError) and the snapshot, when still needed."""
    if marker is None:
        return
    load_all_data()
    try:
        data_mod.write_official_snapshot(marker.parent)
        marker.parent.mkdir(parents=True, exist_ok=True)
        marker.write_text("validated\n")
    except OSError as exc:
        for leftover in marker.parent.glob("*.tmp"):  # a snapshot half-written
            leftover.unlink(missing_ok=True)
        raise OSError(exc.errno, f"{exc.strerror or exc}: could not record the validated data in "
                                 f"{marker.parent}") from exc
