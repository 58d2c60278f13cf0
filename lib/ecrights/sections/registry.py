"""What a section is: the one description the runner, the data schema, the
report and the notebooks share. Plain metadata, importing nothing of the
project but `paths`, so that anything (params, data, results) may read it.

A section lives in its own package, lib/ecrights/sections/<name>/:
`__init__.py` (its `SECTION` entry: metadata only), `params.py` (its parameter
model, the class `params_model` names; ecrights.params imports it),
`analysis.py` (pure functions: DataFrames in, facts out), `figures.py`
(plots of what analysis computed) and `texts.yaml` (its explanations and
labels, zh and en). Its notebook is notebooks/<name>.ipynb. Adding a section
is such a package, its notebook and one line in SECTION_ORDER.
"""

from __future__ import annotations

import fnmatch
from dataclasses import dataclass
from pathlib import Path

from .. import paths


# What every section's record reads (the claims and dated statements of the
# report, and their checks): part of every section's declared data.
RECORD_FILES = ("published/claims.csv", "published/date_statements.csv", "published/date_checks.csv")


@dataclass(frozen=True)
class Section:
    name: str
    report_section: str  # numbering in the report: 一(一)(二) …
    title_zh: str
    title_en: str
    claim_prefix: str  # claim ids of this section in data/published/claims.csv start with '<prefix>_'
    # data files the notebook reads besides RECORD_FILES, relative to data/
    # (globs); the cache key hashes exactly these, so a change elsewhere does
    # not re-run the section
    data: tuple[str, ...]
    params_model: str  # the name of its parameter model's class in sections/<name>/params.py
    # keys the notebook records with record.result (shell patterns allowed:
    # 'lift_*'); sweeps may tabulate only these
    result_keys: tuple[str, ...] = ()

    @property
    def notebook(self) -> Path:
        return paths.notebooks_dir() / f"{self.name}.ipynb"

    @property
    def package_dir(self) -> Path:
        return Path(__file__).with_name(self.name)

    def title(self, language: str) -> str:
        return self.title_zh if language == "zh" else self.title_en

    def data_files(self, data_dir: Path | None = None) -> list[Path]:
        root = Path(data_dir) if data_dir else paths.data_dir()
        out: set[Path] = set()
        for pattern in RECORD_FILES + self.data:
            out.update(p for p in root.glob(pattern) if p.is_file())
        return sorted(out)

    def declares_result(self, key: str) -> bool:
        return any(fnmatch.fnmatchcase(key, pattern) for pattern in self.result_keys)
