"""After the sections: gather claim checks and write the run record.

Every CSV cell is neutralised against spreadsheet formulas (ecrights.csvsafe)."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import subprocess
import time
from pathlib import Path

from .. import data as data_mod
from .. import paths
from ..csvsafe import neutralised
from ..params import changed_from_defaults
from ..results import versions

CLAIMS_CSV_COLUMNS = ["claim_id", "section", "quote", "reported_value", "reproduced_value", "difference",
                      "unit", "status", "method", "note"]


def read_results(out_dir: Path, section_names: list[str]) -> dict[str, dict]:
    """Results JSON of every section that has one, in report order."""
    out = {}
    for name in section_names:
        path = Path(out_dir) / "results" / f"{name}.json"
        if path.is_file():
            out[name] = json.loads(path.read_text(encoding="utf-8"))
    return out


def write_claims_csv(out_dir: Path, section_names: list[str]) -> Path:
    """build/claims.csv: every claim check of every section, in report order."""
    path = Path(out_dir) / "claims.csv"
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=CLAIMS_CSV_COLUMNS, extrasaction="ignore", lineterminator="\r\n")
    writer.writeheader()
    for results in read_results(out_dir, section_names).values():
        for check in results["claims"]:
            writer.writerow(neutralised({k: ("" if check.get(k) is None else check.get(k)) for k in CLAIMS_CSV_COLUMNS}))
    return atomic_write(path, buffer.getvalue())


DATED_CSV_COLUMNS = ["claim_id", "section", "quote", "value", "period", "status", "public_value", "public_value_zh",
                     "source_title", "source_date", "source_url", "note", "note_zh"]


def write_dated_csv(out_dir: Path, section_names: list[str]) -> Path:
    """build/dated_statements.csv: the report's dated statements and what public sources say of them."""
    path = Path(out_dir) / "dated_statements.csv"
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=DATED_CSV_COLUMNS, extrasaction="ignore", lineterminator="\r\n")
    writer.writeheader()
    for name, results in read_results(out_dir, section_names).items():
        for row in results.get("dated_statements", []):
            writer.writerow(neutralised({"section": name, **{k: ("" if v is None else v) for k, v in row.items()}}))
    return atomic_write(path, buffer.getvalue())


def atomic_write(path: Path, text: str) -> Path:
    """Write whole or not at all: a temporary file renamed into place, removed if
    writing fails (a full disk leaves neither a truncated file nor a .tmp)."""
    path = Path(path)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        tmp.write_text(text, encoding="utf-8", newline="")
        os.replace(tmp, path)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise OSError(exc.errno, exc.strerror or str(exc), str(path)) from exc  # names the file
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return path


def git_commit() -> str:
    try:
        commit = subprocess.run(["git", "rev-parse", "HEAD"], cwd=paths.project_root(), capture_output=True,
                                text=True, check=True).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=paths.project_root(),
                               capture_output=True, text=True, check=True).stdout.strip()
        return commit + ("+uncommitted changes" if dirty else "")
    except (OSError, subprocess.CalledProcessError):
        return "unknown (not a git checkout)"


def manifest_digest() -> str:
    path = paths.data_dir() / data_mod.MANIFEST_NAME
    return hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else "missing"


def section_entry(outcome, effective: dict) -> dict:
    """A section's record in run.json."""
    return {"status": outcome.status, "seconds": round(outcome.seconds, 2),
            "parameters": effective[outcome.section].model_dump(mode="json")}


def run_record(out_dir: Path, effective: dict, outcomes: list, args) -> dict:
    """The reproducibility stamp of this build: sections run now (outcomes) over
    the entries of sections from earlier builds. With no outcomes, what is known
    before anything runs. Returned as it reads back from run.json."""
    record_path = Path(out_dir) / "run.json"
    previous = json.loads(record_path.read_text(encoding="utf-8")) if record_path.is_file() else {}
    sections = previous.get("sections", {})
    changed = changed_from_defaults(effective)
    not_applied = {}
    for o in outcomes:
        entry = section_entry(o, effective)
        if o.status == "failed":
            # build/ still shows this section's last good outputs: its entry keeps the parameters
            # they were computed with, and a change asked for now is "not applied", never "used"
            entry["requested_parameters"] = entry.pop("parameters")
            entry["parameters"] = (sections.get(o.section) or {}).get("parameters")
            if o.section in changed:
                not_applied[o.section] = changed.pop(o.section)
        sections[o.section] = entry
    record = {
        "built_at": time.strftime("%Y-%m-%d %H:%M:%S %Z"),
        "commit": git_commit(),
        "data_manifest_sha256": manifest_digest(),
        "language": args.lang,
        "parameter_set": str(args.params) if args.params else "params/defaults.yaml",
        "overrides": list(args.overrides),
        "changed_from_defaults": {s: {k: {"default": d, "used": u} for k, (d, u) in diff.items()}
                                  for s, diff in changed.items()},
        "changes_not_applied": {s: {k: {"default": d, "requested": u} for k, (d, u) in diff.items()}
                                for s, diff in not_applied.items()},
        "versions": versions(),
        "sections": sections,
    }
    return json.loads(_dumps(record))


def _dumps(record: dict) -> str:
    return json.dumps(record, ensure_ascii=False, indent=1, sort_keys=True, default=str) + "\n"


def write_run_record(out_dir: Path, effective: dict, outcomes: list, args) -> Path:
    """build/run.json."""
    return atomic_write(Path(out_dir) / "run.json", _dumps(run_record(out_dir, effective, outcomes, args)))
