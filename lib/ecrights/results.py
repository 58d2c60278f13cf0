"""What a notebook records: key numbers, claim checks, figures, assumptions.

A notebook creates one SectionRecord at the top and calls `save()` last. The
record is written to `<output_dir>/results/<section>.json`; figure paths in it
are relative to `<output_dir>` so the runner can move a finished run into
place (or into its cache) without rewriting anything.
"""

from __future__ import annotations

import json
import math
import platform
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

import numpy as np
import pandas as pd

from . import paths
from .claims import ClaimBook

RESULTS_SCHEMA_VERSION = 1
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
    caption: str
    sources: list[str]


@dataclass
class Assumption:
    name: str
    value: object
    justification: str


@dataclass
class SectionRecord:
    section: str
    parameters: dict
    output_dir: Path
    claims: ClaimBook | None = None
    results: dict = field(default_factory=dict)
    figures: list[Figure] = field(default_factory=list)
    assumptions: list[Assumption] = field(default_factory=list)

    @classmethod
    def open(cls, section: str, parameters: dict, output_dir: str | None = None) -> "SectionRecord":
        out = resolve_output_dir(output_dir)
        # show whole tables: the report renders what the notebook displays
        pd.set_option("display.max_columns", 80)
        pd.set_option("display.width", 250)
        (out / "figures").mkdir(parents=True, exist_ok=True)
        (out / "results").mkdir(parents=True, exist_ok=True)
        return cls(section=section, parameters=dict(parameters), output_dir=out,
                   claims=ClaimBook(section))

    # -- adding ------------------------------------------------------------
    def result(self, key: str, value, description: str = "") -> None:
        self.results[key] = {"value": _plain(value), "description": description}

    def assume(self, name: str, value, justification: str) -> None:
        self.assumptions.append(Assumption(name, _plain(value), justification))

    def figure(self, name: str, fig, caption: str, sources: list[str]) -> Path:
        """Save the figure, record it, and show it once in the notebook (marked,
        so the report, which places it with its caption, does not repeat it)."""
        import matplotlib.pyplot as plt

        from .plotting import save

        rel = Path("figures") / f"{self.section}-{name}.png"
        path = save(fig, self.output_dir / rel)
        plt.close(fig)  # no second, automatic inline copy
        self.figures.append(Figure(rel.as_posix(), caption, list(sources)))
        try:
            from IPython import get_ipython
            from IPython.display import Image, display

            if get_ipython() is not None:
                display(Image(filename=str(path)), metadata={"ecrights": {"figure": rel.as_posix()}})
        except ImportError:  # outside IPython: nothing to show
            pass
        return path

    # -- showing -----------------------------------------------------------
    def assumptions_table(self) -> pd.DataFrame:
        return pd.DataFrame([{"name": a.name, "value": a.value, "justification": a.justification}
                             for a in self.assumptions], columns=["name", "value", "justification"])

    def parameters_table(self) -> pd.DataFrame:
        return pd.DataFrame({"parameter": list(self.parameters),
                             "value": [repr(v) for v in self.parameters.values()]})

    # -- saving ------------------------------------------------------------
    def as_dict(self) -> dict:
        checks = self.claims.all_checks() if self.claims else []
        return _plain({
            "schema_version": RESULTS_SCHEMA_VERSION,
            "section": self.section,
            "parameters": self.parameters,
            "results": self.results,
            "claims": [c.as_dict() for c in checks],
            "claim_counts": self.claims.counts() if self.claims else {},
            "figures": [f.__dict__ for f in self.figures],
            "assumptions": [a.__dict__ for a in self.assumptions],
            "versions": versions(),
        })

    def save(self) -> Path:
        path = self.output_dir / "results" / f"{self.section}.json"
        payload = json.dumps(self.as_dict(), ensure_ascii=False, indent=1, sort_keys=True)
        tmp = path.with_suffix(".json.tmp")
        tmp.write_text(payload + "\n", encoding="utf-8")
        tmp.replace(path)
        counts = self.claims.counts() if self.claims else {}
        # relative: the run directory is a temporary staging place
        print(f"{self.section}: results written to results/{path.name}")
        print("claims: " + ", ".join(f"{k} {v}" for k, v in counts.items()))
        print("versions: " + ", ".join(f"{k} {v}" for k, v in versions().items()))
        return path


def load_results(build_dir: Path, section: str) -> dict:
    path = Path(build_dir) / "results" / f"{section}.json"
    return json.loads(path.read_text(encoding="utf-8"))

