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
import re
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

import numpy as np
import pandas as pd

from . import i18n, paths
from .claims import ClaimBook
from .tables import reader_value

RESULTS_SCHEMA_VERSION = 2
# The notebook's tables that the report prints once, itself, at the end of each section
# (claims with quotes and intervals, parameters with their defaults): marked so that the
# report leaves the notebook's copy out (report/cells.py) and shows each once.
SHOWN_BY_REPORT = {"parameters": "record-parameters", "statements": "record-statements", "claims": "record-claims"}
# What the runner injects beside a section's parameters: how to build, never what is
# assumed (not in the parameter model, not listed as parameters; part of the cache key).
BUILD_OPTIONS = ("language", "output_dir", "draw_figures")
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
    # False in sweep variants: figure() draws nothing (results unchanged; a sweep tabulates results)
    draw_figures: bool = True

    @classmethod
    def open(cls, section: str, params, output_dir: str | None = None, language: str = "zh") -> "SectionRecord":
        """The record of one run of a section. `params` is the validated model;
        its assumption fields are listed with the justification their field
        carries (in the edition's language); see `resolved` for named defaults."""
        from .sections import get

        i18n.check_language(language)
        get(section)  # an unknown section is an error here, not at save time
        out = resolve_output_dir(output_dir)
        (out / "figures").mkdir(parents=True, exist_ok=True)
        (out / "results").mkdir(parents=True, exist_ok=True)
        record = cls(section=section, parameters=params.model_dump(mode="json"), output_dir=out, language=language,
                     claims=ClaimBook(section))
        for name, justification in type(params).assumptions().items():
            record.assumptions.append(Assumption(name, _plain(getattr(params, name)), justification[language]))
        record.assumptions.extend(model_assumptions(section, language))
        from .claims import dated_statement_checks
        from .data import load_date_checks, load_date_statements

        record.dated = dated_statement_checks(section, load_date_statements(), load_date_checks())
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
        from .sections import get

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
        """Save the figure and the data it draws (CSV beside the PNG), record
        both, and show the figure once in the notebook (marked, so the report,
        which places it with its caption, does not repeat it). Without figures
        (draw_figures False) the figure is closed unrendered — rendering it
        (layout, rasterising) is most of a figure's cost — and nothing is recorded."""
        import matplotlib.pyplot as plt

        from .plotting import save

        if not self.draw_figures:
            plt.close(fig)
            return None

        rel = Path("figures") / f"{self.section}-{name}.png"
        data_rel = rel.with_suffix(".csv")
        path = save(fig, self.output_dir / rel)
        plt.close(fig)  # no second, automatic inline copy
        frame = data if isinstance(data, pd.DataFrame) else pd.DataFrame(data)
        frame.to_csv(self.output_dir / data_rel, index=False, float_format="%.10g", lineterminator="\n")
        self.figures.append(Figure(rel.as_posix(), data_rel.as_posix(), caption, list(sources), report_figure))
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

    def statements_table(self) -> pd.DataFrame:
        """What the report states in this section (the ledger's quotes and values)."""
        ledger = self.claims.ledger
        quote = "quote" if self.language == "zh" else "quote_en"
        return pd.DataFrame({"claim_id": ledger.index, "report_section": ledger["report_section"].to_numpy(),
                             "quote": ledger[quote].to_numpy(), "value": ledger["value_text"].to_numpy(),
                             "unit": ledger["unit"].to_numpy()})

    # -- typeset for the notebook and the report (ecrights.tables) ------------
    def _t(self, key: str) -> str:
        return i18n.render(key, {}, self.language)

    def show_parameters(self):
        from .tables import Column, table

        assumed = {a.name for a in self.assumptions}
        rows = [{"parameter": k, "value": reader_value(v, self.language), "assumed": self._t("tables.assumed_mark") if k in assumed else ""}
                for k, v in self.parameters.items()]
        return table(rows, [Column("parameter", "参数", "parameter", kind="id"),
                            Column("value", "取值", "value", kind="id"),
                            Column("assumed", "假设", "assumption")], self.language,
                     classes=(SHOWN_BY_REPORT["parameters"],))

    def show_assumptions(self):
        from .tables import Column, table

        if not self.assumptions:  # a sentence, not a table without rows
            from IPython.display import Markdown

            return Markdown(i18n.label("本节不依赖任何假设（未公开的数值）。",
                                       "This section rests on no assumption (no non-public value).", self.language))
        rows = [{"name": a.name, "value": reader_value(a.value, self.language), "justification": a.justification}
                for a in self.assumptions]
        return table(rows, [Column("name", "假设", "assumption", kind="id"), Column("value", "取值", "value", kind="id"),
                            Column("justification", "依据", "justification")], self.language)

    def show_statements(self):
        """What the report states in this section: quote as printed (Chinese; with
        its translation in the English edition) and the value."""
        from .tables import Column, table, with_unit

        ledger = self.claims.ledger
        rows = [{"claim_id": cid, "report_section": r["report_section"], "quote": r["quote"],
                 "quote_en": r["quote_en"], "value": with_unit(r["value_text"], r["unit"], self.language)}
                for cid, r in ledger.iterrows()]
        columns = [Column("claim_id", "编号", "claim", kind="id"), Column("report_section", "报告章节", "report section",
                                                                          lang="zh", quote=True),
                   Column("quote", "报告原文", "the report's words", lang="zh", quote=True)]
        if self.language == "en":
            columns.append(Column("quote_en", None, "translation"))
        columns.append(Column("value", "数值", "value"))
        return table(rows, columns, self.language, classes=(SHOWN_BY_REPORT["statements"],))

    def show_claims(self):
        """Every claim of the section with its status and explanation."""
        from .tables import Column, quotes_marked, reader_text, round_past_printed, table, with_unit

        rows = []
        for c in self.claims.all_checks():
            explanation = quotes_marked(reader_text(" ".join(t for t in (c.method(self.language),
                                                                         c.note(self.language)) if t)), self.language)
            reported = self.claims.printed(c.claim_id) if c.claim_id in self.claims.ledger.index else c.reported_value
            rows.append({"claim_id": c.claim_id, "reported": with_unit(reported, c.unit, self.language),
                         "reproduced": round_past_printed(c.reproduced_value, c.facts.get("stated_text", "")),
                         "status": self._t(f"status.{c.status}"),
                         "explanation": explanation})
        return table(rows, [Column("claim_id", "编号", "claim", kind="id"), Column("reported", "报告", "reported"),
                            Column("reproduced", "复算", "recomputed", kind="number"),
                            Column("status", "状态", "status"), Column("explanation", "方法与说明", "method and note")],
                     self.language, classes=(SHOWN_BY_REPORT["claims"],))

    def show_dates(self):
        from .tables import Column, table

        rows = [{"claim_id": d["claim_id"], "quote": d["quote"], "value": d["value"],
                 "status": self._t(f"status.{d['status']}"),
                 # the project's words in the edition's language (older records: the English one)
                 "public_value": quotes_in_text(d.get(f"public_value_{self.language}", d["public_value"]),
                                                self.language),
                 "source": source_words(d["source_title"], self.language) if d["source_title"] else d["source_url"]}
                for d in self.dated]
        return table(rows, [Column("claim_id", "编号", "statement", kind="id"),
                            Column("quote", "报告原文", "the report's words", lang="zh", quote=True),
                            Column("value", "报告所述", "stated", lang="zh", quote=True), Column("status", "状态", "status"),
                            Column("public_value", "公开来源所述", "public source says"),
                            Column("source", "来源", "source")], self.language)

    def show_versions(self):
        from .tables import Column, table

        return table([{"package": k, "version": v} for k, v in versions().items()],
                     [Column("package", "软件包", "package", kind="id"), Column("version", "版本", "version")],
                     self.language)

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
        payload = json.dumps(self.as_dict(), ensure_ascii=False, indent=1, sort_keys=True)
        tmp = path.with_suffix(".json.tmp")
        tmp.write_text(payload + "\n", encoding="utf-8")
        tmp.replace(path)
        return path

    def dates_table(self) -> pd.DataFrame:
        """The section's dated statements: what the report says, what a public source says."""
        quote = "quote" if self.language == "zh" else "quote_en"
        return pd.DataFrame([{"claim_id": d["claim_id"], "quote": d[quote], "value": d["value"], "status": d["status"],
                              "public_value": d["public_value"], "source": d["source_title"] or d["note"]}
                             for d in self.dated], columns=["claim_id", "quote", "value", "status", "public_value",
                                                            "source"])

    def watermark(self) -> pd.DataFrame:
        """The versions this section ran with (shown last in the notebook)."""
        return pd.DataFrame({"package": list(versions()), "version": list(versions().values())})


_CJK_RUN = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]+")
_LATIN = re.compile(r"[A-Za-z]")
# a quoted passage: Chinese quotation marks or book-title marks around it, or English quotes
_QUOTED = {"zh": re.compile(r"《[^》]*》|“[^”]*[\u3400-\u9fff][^”]*”|「[^」]*」"),
           "en": re.compile(r"“[^”]*[A-Za-z]{2,}[^”]*”|'[^']*[A-Za-z]{2,}[^']*'")}


def words_language(text: str) -> str:
    """The language a source's words are in: Chinese when they hold more Han characters than Latin letters."""
    cjk = sum(len(run) for run in _CJK_RUN.findall(text))
    return "zh" if cjk >= len(_LATIN.findall(text)) and cjk else "en"


def source_words(text, language: str):
    """A source's own words (a title, a quote) in one edition: as printed, marked as a
    quote in its language when that is not the edition's (fonts and screen readers
    follow it; the language check exempts quotes, not any passage in the other language)."""
    from markupsafe import Markup

    from .tables import LANG_ATTR

    if not text or not isinstance(text, str):
        return text
    own = words_language(text)
    return text if own == language else Markup('<span class="quote" lang="{}">{}</span>').format(LANG_ATTR[own], text)


def quotes_in_text(text, language: str):
    """The project's words in the edition's language with the passages they quote in the
    other language (a document's 《title》) marked as quotes; the rest left as it is, so
    an untranslated word stays visible to the language check."""
    from markupsafe import Markup, escape

    if not text or not isinstance(text, str):
        return text
    other = "en" if language == "zh" else "zh"
    parts, last = [], 0
    for m in _QUOTED[other].finditer(text):
        parts += [escape(text[last:m.start()]), source_words(m.group(), language)]
        last = m.end()
    return Markup("").join(parts + [escape(text[last:])]) if parts else text


def shown_number(value: float, decimals: int = 3, percent: bool = False) -> dict[str, str]:
    """A fraction or weight as each edition shows it (`shown=` of SectionRecord.result):
    a weight to `decimals` places, a share as a percentage (the value in JSON stays exact)."""
    text = f"{100 * value:.{decimals}f}%" if percent else f"{value:.{decimals}f}"
    text = text.replace("-", "\u2212")
    return {"zh": text, "en": text}


def start(section: str, namespace: dict):
    """A notebook's first step: its parameters cell validated against the
    section's model, and the record opened (language and output_dir are build
    options the runner injects next to the parameters)."""
    from .params import from_namespace

    params = from_namespace(section, namespace)
    record = SectionRecord.open(section, params, namespace.get("output_dir"), namespace.get("language", "zh"))
    record.draw_figures = bool(namespace.get("draw_figures", True))
    return params, record


def load_results(build_dir: Path, section: str) -> dict:
    path = Path(build_dir) / "results" / f"{section}.json"
    return json.loads(path.read_text(encoding="utf-8"))

