"""What a notebook records: key numbers, claim checks, figures, assumptions.

A notebook creates one SectionRecord at the top (`notebook.start`) and calls
`save()` last. The record is written to `<output_dir>/results/<section>.json`;
figure paths in it are relative to `<output_dir>` so the runner can move a
finished run into place (or into its cache) without rewriting anything. The
record collects and saves; showing it in the notebook is `ecrights.notebook`'s.
"""

from __future__ import annotations

import json
import math
import platform
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from . import csvsafe, figstore, i18n, paths
from .claims import ClaimBook
from .plotting import save_print
from .sections import get

RESULTS_SCHEMA_VERSION = 2
# The notebook's tables that the report prints once, itself, at the end of each section
# (claims with quotes and intervals, parameters with their defaults): marked so that the
# report leaves the notebook's copy out (report/cells.py) and shows each once.
SHOWN_BY_REPORT = {"parameters": "record-parameters", "statements": "record-statements", "claims": "record-claims"}
WATERMARK_PACKAGES = ("pandas", "numpy", "statsmodels", "scipy", "matplotlib", "seaborn",
                      "papermill", "nbclient", "pandera", "pydantic")


def versions() -> dict[str, str]:
    out = {"python": platform.python_version()}
    for name in WATERMARK_PACKAGES:
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            out[name] = "not installed"
    return out


def resolve_output_dir(output_dir: str | None) -> Path:
    """The runner injects a staging directory; interactively (JupyterLab) the
    notebook writes to build/interactive/ so it never clobbers the runner's
    last good outputs."""
    if output_dir:
        return Path(output_dir).resolve()
    return paths.default_build_dir() / "interactive"


def _plain(value):
    """JSON-safe, deterministic (rounded to 10 significant digits) values."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, (np.integer,)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        value = float(value)
        if math.isnan(value) or math.isinf(value):
            return None
        return float(f"{value:.10g}")
    if isinstance(value, (pd.Period, pd.Timestamp)):
        return str(value)
    return value


@dataclass
class Figure:
    file: str
    data_file: str
    caption: str
    sources: list[str]
    report_figure: str | None = None  # the report's own number (图1…) when it redraws one of its figures
    raster: str | None = None  # the PNG at print resolution, for Word (`file` is the SVG: HTML and PDF)


@dataclass
class Assumption:
    name: str
    value: object
    justification: str


def model_assumptions(section: str, language: str) -> list[Assumption]:
    """Assumptions of a section's method that no parameter carries (e.g. a model's form), listed
    with the parameters' assumptions: texts.yaml `model_assumptions.<name>.value` / `.why`."""
    path = i18n.section_texts_path(section)
    texts = i18n.load_texts(path) if path.is_file() else {}
    names = sorted({key.split(".")[1] for key in texts if key.startswith("model_assumptions.")})
    return [Assumption(name, texts[f"model_assumptions.{name}.value"][language],
                       texts[f"model_assumptions.{name}.why"][language]) for name in names]


@dataclass
class SectionRecord:
    section: str
    parameters: dict
    output_dir: Path
    language: str = "zh"
    claims: ClaimBook | None = None
    results: dict = field(default_factory=dict)
    figures: list[Figure] = field(default_factory=list)
    assumptions: list[Assumption] = field(default_factory=list)
    dated: list[dict] = field(default_factory=list)  # the report's dated statements and their checks
    # called with (path, relative path) of each saved figure: the notebook shows it (notebook.start)
    on_figure: Callable[[Path, str], None] | None = field(default=None, repr=False, compare=False)
    # False in sweep variants: figure() draws nothing (results unchanged; a sweep tabulates results)
    draw_figures: bool = True

    @classmethod
    def open(cls, section: str, params, output_dir: str | None = None, language: str = "zh",
             dated: list[dict] | None = None) -> "SectionRecord":
        """The record of one run of a section. `params` is the validated model;
        its assumption fields are listed with the justification their field
        carries (in the edition's language); see `resolved` for named defaults.
        `dated`: the section's dated statements and their checks
        (`claims.dated_statement_checks`; `notebook.start` reads them)."""
        i18n.check_language(language)
        get(section)  # an unknown section is an error here, not at save time
        record = cls(section=section, parameters=params.model_dump(mode="json"),
                     output_dir=resolve_output_dir(output_dir), language=language, claims=ClaimBook(section),
                     dated=list(dated or []))
        for name, justification in type(params).assumptions().items():
            record.assumptions.append(Assumption(name, _plain(getattr(params, name)), justification[language]))
        record.assumptions.extend(model_assumptions(section, language))
        return record

    def resolved(self, name: str, value) -> None:
        """A named default (report, two_component, …) turned into the number used:
        the assumptions list shows the number, and says which default it came from."""
        for a in self.assumptions:
            if a.name == name:
                named = self.parameters.get(name)
                a.value = _plain(value)
                if isinstance(named, str) and named != value:
                    a.justification += i18n.label("（默认值，按报告的数字计算）",
                                                  f" (the default “{named}”, computed from the report's figures)",
                                                  self.language)
                return
        raise KeyError(f"{name!r} is not an assumption of {self.section}")

    # -- adding ------------------------------------------------------------
    def result(self, key: str, value, description: str | None = None, *, facts: dict | None = None,
               unit: str = "", interval=None, n: int | None = None, template: str | None = None,
               shown: dict[str, str] | None = None) -> None:
        """A key number of the section. Keys must be declared in the section's
        registry entry (sweeps tabulate only declared keys). Its description is
        the template `results.<key>` of the section's texts.yaml (both
        languages, filled from `facts`), or `results.<template>` when given
        (keys made from a pattern, e.g. one per scenario, share one template),
        unless given as text. `shown` ({language: text}) is how each edition
        displays a value that is a token (a verdict, say): the token stays the value."""
        if not get(self.section).declares_result(key):
            raise KeyError(f"result {key!r} is not declared in the result_keys of section {self.section!r} "
                           f"(lib/ecrights/sections/{self.section}/__init__.py)")
        if description is None:
            name = f"results.{template or key.split('[')[0]}"
            descriptions = i18n.render_both(name, {"value": value, **(facts or {})}, self.section)
        else:
            descriptions = {lang: description for lang in i18n.LANGUAGES}
        self.results[key] = {"value": _plain(value), "description": descriptions[self.language],
                             "descriptions": descriptions, "unit": unit,
                             "interval": None if interval is None else [_plain(v) for v in interval],
                             "n": None if n is None else int(n)}
        if shown is not None:
            missing = set(i18n.LANGUAGES) - set(shown)
            if missing:
                raise ValueError(f"result {key!r}: shown lacks {sorted(missing)}")
            self.results[key]["shown"] = {lang: str(shown[lang]) for lang in i18n.LANGUAGES}

    def figure(self, name: str, fig, data: pd.DataFrame, caption: str, sources: list[str],
               report_figure: str | None = None) -> Path | None:
        """Save the figure as print (SVG for HTML and PDF, a PNG at print resolution for Word:
        plotting.save_print, which refuses a figure that would not print at its size) and the
        data it draws (CSV beside them), record them, and hand the PNG to `on_figure` (the
        notebook shows it once, marked, so the report, which places the figure with its
        caption, does not repeat it). Returns the SVG's path. Without figures (draw_figures
        False, a sweep variant) the figure is closed unrendered — rendering it is most of a
        figure's cost — and nothing is recorded (None)."""
        stored = isinstance(fig, figstore.StoredFigure)
        if not self.draw_figures:
            if not stored:
                plt.close(fig)
            return None
        stem = Path("figures") / f"{self.section}-{name}"
        data_rel = stem.with_suffix(".csv")
        if stored:  # drawn from the same inputs by the same code before (figstore.py): its files
            svg, png = self.output_dir / stem.with_suffix(".svg"), self.output_dir / stem.with_suffix(".png")
            svg.parent.mkdir(parents=True, exist_ok=True)
            svg.write_bytes(fig.svg)
            png.write_bytes(fig.png)
        else:
            try:
                svg, png = save_print(fig, self.output_dir / stem)
                figstore.saved(fig, svg.read_bytes(), png.read_bytes())
            finally:
                plt.close(fig)  # no second, automatic inline copy
        frame = data if isinstance(data, pd.DataFrame) else pd.DataFrame(data)
        csvsafe.frame(frame).to_csv(self.output_dir / data_rel, index=False, float_format="%.10g", lineterminator="\n")
        rel = stem.with_suffix(".svg").as_posix()
        self.figures.append(Figure(rel, data_rel.as_posix(), caption, list(sources), report_figure,
                                   raster=stem.with_suffix(".png").as_posix()))
        if self.on_figure is not None:  # the PNG: a notebook viewer may lack the CJK font the SVG names
            self.on_figure(png, rel)
        return svg

    # -- as data frames -----------------------------------------------------
    def assumptions_table(self) -> pd.DataFrame:
        return pd.DataFrame([{"name": a.name, "value": a.value, "justification": a.justification}
                             for a in self.assumptions], columns=["name", "value", "justification"])

    def parameters_table(self) -> pd.DataFrame:
        return pd.DataFrame({"parameter": list(self.parameters),
                             "value": [repr(v) for v in self.parameters.values()]})

    def statements_table(self) -> pd.DataFrame:
        """What the report states in this section (the ledger's quotes and values)."""
        ledger = self.claims.ledger
        quote = "quote" if self.language == "zh" else "quote_en"
        return pd.DataFrame({"claim_id": ledger.index, "report_section": ledger["report_section"].to_numpy(),
                             "quote": ledger[quote].to_numpy(), "value": ledger["value_text"].to_numpy(),
                             "unit": ledger["unit"].to_numpy()})

    # -- saving ------------------------------------------------------------
    def as_dict(self) -> dict:
        checks = self.claims.all_checks() if self.claims else []
        return _plain({
            "schema_version": RESULTS_SCHEMA_VERSION,
            "section": self.section,
            "language": self.language,
            "parameters": self.parameters,
            "results": self.results,
            "claims": [c.as_dict(self.language) for c in checks],
            "claim_counts": self.claims.counts() if self.claims else {},
            "figures": [f.__dict__ for f in self.figures],
            "assumptions": [a.__dict__ for a in self.assumptions],
            "dated_statements": self.dated,
            "versions": versions(),
        })

    def save(self) -> Path:
        path = self.output_dir / "results" / f"{self.section}.json"
        path.parent.mkdir(parents=True, exist_ok=True)
        payload = json.dumps(self.as_dict(), ensure_ascii=False, indent=1, sort_keys=True)
        tmp = path.with_suffix(".json.tmp")
        tmp.write_text(payload + "\n", encoding="utf-8")
        tmp.replace(path)
        return path


def shown_number(value: float, decimals: int = 3, percent: bool = False) -> dict[str, str]:
    """A fraction or weight as each edition shows it (`shown=` of SectionRecord.result):
    a weight to `decimals` places, a share as a percentage (the value in JSON stays exact)."""
    text = f"{100 * value:.{decimals}f}%" if percent else f"{value:.{decimals}f}"
    text = text.replace("-", "\u2212")
    return {"zh": text, "en": text}


def load_results(build_dir: Path, section: str) -> dict:
    path = Path(build_dir) / "results" / f"{section}.json"
    return json.loads(path.read_text(encoding="utf-8"))

