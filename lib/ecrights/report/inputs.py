"""What the report reads: build/, and of the notebooks' sources only their prose and tags.

- build/notebooks/<section>.ipynb   executed notebooks (narrative + outputs)
- build/results/<section>.json      claims, figures (captions, sources), assumptions, parameters, versions
- build/figures/*.png               the figures named in the results
- build/claims.csv                  every claim check (the scorecard counts these)
- build/run.json                    the reproducibility stamp of the build
- notebooks/<section>.ipynb         markdown cells and every cell's tags (see current_prose): they
                                    change no computation, so the cache key leaves them out and an
                                    executed notebook from the cache may carry older ones
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

from .. import sections as sections_mod
from ..csvsafe import read_rows


@dataclass
class SectionInput:
    name: str
    report_section: str
    title_zh: str
    title_en: str
    notebook: nbformat.NotebookNode | None = None
    results: dict | None = None
    run: dict = field(default_factory=dict)  # run.json's entry for this section (status, seconds, parameters)
    problem: str = ""  # why a file of this section in build/ could not be read

    @property
    def built(self) -> bool:
        """A section is in the report when its executed notebook is in build/."""
        return self.notebook is not None

    @property
    def status(self) -> str:
        return self.run.get("status", "unknown")

    @property
    def parameters(self) -> dict:
        if self.results and "parameters" in self.results:
            return self.results["parameters"]
        return self.run.get("parameters") or {}


@dataclass
class BuildInputs:
    out_dir: Path
    run: dict
    sections: list[SectionInput]
    claims_rows: list[dict]

    def section(self, name: str) -> SectionInput:
        for s in self.sections:
            if s.name == name:
                return s
        raise KeyError(name)


def _read_json(path: Path) -> dict | None:
    if not path.is_file():
        return None
    return json.loads(path.read_text(encoding="utf-8"))


def _read_section_files(out_dir: Path, name: str) -> tuple[nbformat.NotebookNode | None, dict | None, str]:
    """One unreadable file leaves its section out of the report (with the reason), not the whole report."""
    nb_path = out_dir / "notebooks" / f"{name}.ipynb"
    res_path = out_dir / "results" / f"{name}.json"
    notebook = results = None
    problems = []
    try:
        notebook = nbformat.read(nb_path, as_version=4) if nb_path.is_file() else None
    except Exception as exc:  # noqa: BLE001
        problems.append(f"notebooks/{name}.ipynb could not be read ({type(exc).__name__}: {exc})")
    try:
        results = _read_json(res_path)
    except Exception as exc:  # noqa: BLE001
        problems.append(f"results/{name}.json could not be read ({type(exc).__name__}: {exc})")
    return notebook, results, "; ".join(problems)


def current_prose(executed: nbformat.NotebookNode, source_path: Path) -> nbformat.NotebookNode:
    """The executed notebook with the source's current markdown cells and tags (matched by cell id).

    Prose and tags (audience, language, visibility) change no result, so they are not part of the
    cache key; a section served from the cache would otherwise show the prose it was run with.
    Code cells keep their outputs; a cell only the run has (papermill's injected parameters) stays
    after the cell it followed. Only when the code cells are the same (ids and sources: what the
    cache key covers) is the executed notebook a run of this source; otherwise, or when the source
    cannot be read, the executed notebook is left as it is."""
    try:
        source = nbformat.read(source_path, as_version=4)
    except Exception:  # noqa: BLE001 - the executed notebook is still a faithful record
        return executed
    source_ids = {c.get("id") for c in source.cells}

    def code(nb, ids=None):
        return [(c.get("id"), c.source) for c in nb.cells if c.cell_type == "code" and (ids is None or c.get("id") in ids)]

    if code(executed, source_ids) != code(source):
        return executed
    ran = {c.get("id"): c for c in executed.cells}
    following: dict[str, list] = {}
    previous = None
    for c in executed.cells:
        if c.get("id") not in source_ids:
            following.setdefault(previous, []).append(c)
        else:
            previous = c.get("id")
    cells = list(following.get(None, []))
    for c in source.cells:
        done = ran.get(c.get("id"))
        if c.cell_type == "code" and done is not None and done.cell_type == "code":
            done.metadata["tags"] = list(c.get("metadata", {}).get("tags", []))
            cells.append(done)
        else:
            cells.append(c)
        cells.extend(following.get(c.get("id"), []))
    executed.cells = cells
    return executed


def read_claims_csv(path: Path) -> list[dict]:
    """The values claims.csv holds (its cells neutralised against spreadsheet formulas, restored)."""
    return read_rows(path) if path.is_file() else []


def load_section(out_dir: Path, name: str, run_entry: dict) -> SectionInput:
    """One section's files in build/; run_entry is its record in run.json."""
    meta = sections_mod.get(name)
    notebook, results, problem = _read_section_files(Path(out_dir), name)
    if notebook is not None:
        notebook = current_prose(notebook, meta.notebook)
    return SectionInput(name=name, report_section=meta.report_section, title_zh=meta.title_zh,
                        title_en=meta.title_en, notebook=notebook, results=results, run=run_entry, problem=problem)


def load(out_dir: Path) -> BuildInputs:
    out_dir = Path(out_dir)
    run = _read_json(out_dir / "run.json") or {}
    run_sections = run.get("sections", {})
    found = [load_section(out_dir, name, run_sections.get(name, {})) for name in sections_mod.names()]
    return BuildInputs(out_dir=out_dir, run=run, sections=found,
                       claims_rows=read_claims_csv(out_dir / "claims.csv"))
