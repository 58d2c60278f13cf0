"""What a notebook shows of its record: the typeset tables of parameters, the report's
statements, claim checks, dates, assumptions and versions, and each saved figure once.

    from ecrights import notebook
    params, record = notebook.start("retail_growth", globals())
    ...
    notebook.show_claims(record)

The record itself (ecrights.results) collects and saves; it shows nothing.
"""

from __future__ import annotations

from pathlib import Path

from IPython import get_ipython
from IPython.display import Image, Markdown, display

from . import figstore, i18n
from .claims import dated_statement_checks
from .data import load_date_checks, load_date_statements
from .params import from_namespace
from .quotes import quotes_in_text, source_words
from .results import SHOWN_BY_REPORT, SectionRecord, versions
from .tables import Column, quotes_marked, reader_text, reader_value, round_past_printed, table, with_unit


def start(section: str, namespace: dict):
    """A notebook's first step: its parameters cell validated against the
    section's model, and the record opened (language, output_dir and
    draw_figures are build options the runner injects next to the parameters) with the section's dated
    statements and their checks; in a kernel, each saved figure is shown once."""
    params = from_namespace(section, namespace)
    record = SectionRecord.open(section, params, namespace.get("output_dir"), namespace.get("language", "zh"),
                                dated=dated_statement_checks(section, load_date_statements(), load_date_checks()))
    record.draw_figures = bool(namespace.get("draw_figures", True))  # False: a sweep variant
    # a figure drawn from the same inputs by the same code before: its files (none are saved without figures)
    figstore.use_store(record.draw_figures)
    if get_ipython() is not None:
        record.on_figure = show_figure
    return params, record


def show_figure(path: Path, rel: str) -> None:
    """The saved file, marked with its path so the report, which places the figure
    with its caption, leaves this copy out (report/cells.py)."""
    display(Image(filename=str(path), width=760), metadata={"ecrights": {"figure": rel}})  # a 300 ppi PNG: shown at screen size


def _t(key: str, language: str) -> str:
    return i18n.render(key, {}, language)


def show_parameters(record: SectionRecord):
    assumed = {a.name for a in record.assumptions}
    mark = _t("tables.assumed_mark", record.language)
    rows = [{"parameter": k, "value": reader_value(v, record.language), "assumed": mark if k in assumed else ""}
            for k, v in record.parameters.items()]
    return table(rows, [Column("parameter", "参数", "parameter", kind="id"),
                        Column("value", "取值", "value", kind="id"),
                        Column("assumed", "假设", "assumption")], record.language,
                 classes=(SHOWN_BY_REPORT["parameters"],))


def show_assumptions(record: SectionRecord):
    if not record.assumptions:  # a sentence, not a table without rows
        return Markdown(i18n.label("本节不依赖任何假设（未公开的数值）。",
                                   "This section rests on no assumption (no non-public value).", record.language))
    rows = [{"name": a.name, "value": reader_value(a.value, record.language), "justification": a.justification}
            for a in record.assumptions]
    return table(rows, [Column("name", "假设", "assumption", kind="id"), Column("value", "取值", "value", kind="id"),
                        Column("justification", "依据", "justification")], record.language)


def show_statements(record: SectionRecord):
    """What the report states in this section: quote as printed (Chinese; with
    its translation in the English edition) and the value."""
    language = record.language
    rows = [{"claim_id": cid, "report_section": r["report_section"], "quote": r["quote"],
             "quote_en": r["quote_en"], "value": with_unit(r["value_text"], r["unit"], language)}
            for cid, r in record.claims.ledger.iterrows()]
    columns = [Column("claim_id", "编号", "claim", kind="id"),
               Column("report_section", "报告章节", "report section", lang="zh", quote=True),
               Column("quote", "报告原文", "the report's words", lang="zh", quote=True)]
    if language == "en":
        columns.append(Column("quote_en", None, "translation"))
    columns.append(Column("value", "数值", "value"))
    return table(rows, columns, language, classes=(SHOWN_BY_REPORT["statements"],))


def show_claims(record: SectionRecord):
    """Every claim of the section with its status and explanation."""
    language, book = record.language, record.claims
    rows = []
    for c in book.all_checks():
        explanation = quotes_marked(reader_text(" ".join(t for t in (c.method(language), c.note(language)) if t)),
                                    language)
        reported = book.printed(c.claim_id) if c.claim_id in book.ledger.index else c.reported_value
        rows.append({"claim_id": c.claim_id, "reported": with_unit(reported, c.unit, language),
                     "reproduced": round_past_printed(c.reproduced_value, c.facts.get("stated_text", "")),
                     "status": _t(f"status.{c.status}", language), "explanation": explanation})
    return table(rows, [Column("claim_id", "编号", "claim", kind="id"), Column("reported", "报告", "reported"),
                        Column("reproduced", "复算", "recomputed", kind="number"),
                        Column("status", "状态", "status"), Column("explanation", "方法与说明", "method and note")],
                 language, classes=(SHOWN_BY_REPORT["claims"],))


def show_dates(record: SectionRecord):
    language = record.language
    rows = [{"claim_id": d["claim_id"], "quote": d["quote"], "value": d["value"],
             "status": _t(f"status.{d['status']}", language),
             # the project's words in the edition's language (a statement without a source has none)
             "public_value": quotes_in_text(d.get(f"public_value_{language}", ""), language),
             "source": source_words(d["source_title"], language) if d["source_title"] else d["source_url"]}
            for d in record.dated]
    return table(rows, [Column("claim_id", "编号", "statement", kind="id"),
                        Column("quote", "报告原文", "the report's words", lang="zh", quote=True),
                        Column("value", "报告所述", "stated", lang="zh", quote=True), Column("status", "状态", "status"),
                        Column("public_value", "公开来源所述", "public source says"),
                        Column("source", "来源", "source")], language)


def show_versions(record: SectionRecord):
    return table([{"package": k, "version": v} for k, v in versions().items()],
                 [Column("package", "软件包", "package", kind="id"), Column("version", "版本", "version")],
                 record.language)
