"""What the report is made of, as one digest: the runner skips assembling the
report when it is unchanged (and the report files are in place)."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from .. import i18n, paths
from .front_matter import default_path

REPORT_PACKAGE = Path(__file__).resolve().parent


def report_inputs_digest(out_dir: Path, include_code: bool = False, include_sweeps: list[str] | None = None,
                         write_pdf: bool = True, language: str = "zh") -> str:
    """Results, executed notebooks, claims, the run record without its timings
    and statuses, the sweep summaries shown, the assembly options, the edition's
    language, the front matter (params/report.yaml), the shared texts and the
    report package's own code, templates, styles and texts, and the notebooks' sources (their prose
    and tags reach the report without re-execution)."""
    out_dir = Path(out_dir)
    h = hashlib.sha256(f"include_code={include_code} include_sweeps={include_sweeps} pdf={write_pdf} "
                       f"language={language}".encode())

    for path in (default_path(), i18n.SHARED_TEXTS, *sorted(paths.notebooks_dir().glob("*.ipynb"))):
        if path.is_file():
            h.update(path.read_bytes())
    if include_sweeps is not None:
        for path in sorted((out_dir / "sweeps").glob("*/summary.*")):
            h.update(path.relative_to(out_dir).as_posix().encode() + path.read_bytes())
    for sub, pattern in (("results", "*.json"), ("notebooks", "*.ipynb"), (".", "claims.csv")):
        for path in sorted((out_dir / sub).glob(pattern)):
            h.update(path.name.encode() + path.read_bytes())
    run = out_dir / "run.json"
    if run.is_file():
        record = json.loads(run.read_text(encoding="utf-8"))
        record.pop("built_at", None)
        for section in record.get("sections", {}).values():
            section.pop("seconds", None)
            section.pop("status", None)
        h.update(json.dumps(record, sort_keys=True).encode())
    for path in sorted(REPORT_PACKAGE.rglob("*")):
        if path.is_file() and path.suffix in (".py", ".css", ".j2", ".yaml"):
            h.update(path.read_bytes())
    return h.hexdigest()
