"""The report's own tables — claims, parameters, key results, scorecard, appendices —
typeset through the same helper as the notebooks' tables (ecrights.tables)."""

from __future__ import annotations

import re

from dataclasses import replace

from markupsafe import Markup, escape

from ..claims import STATUSES
from ..tables import (Column, Table, format_value, quotes_marked, reader_text, reader_value, round_past_printed, table,
                      unit_label, with_unit)
from . import scorecard
from .texts import LANG_ATTR, as_markup, text


def _t(language: str):
    return lambda key, **facts: text(key, language, **facts)


def status_badge(status: str, language: str) -> Markup:
    try:
        label = text(f"status.{status}", language)
    except KeyError:
        label = status or "—"
    return Markup(f'<span class="status status-{escape(status)}">{escape(label)}</span>')


def code(value) -> Markup:
    return Markup(f"<code>{escape(value)}</code>")



_TOKEN = re.compile(r"[A-Za-z][A-Za-z0-9_.\-]*|[\u3400-\u9fff]+(?=: )")


def setting(value: str) -> Markup:
    """A setting's value in a table cell: the tokens a user types (report, share_of_year,
    category_appliances) set as code, in either edition; may break after _ . / - and after
    '; ' or ', ' (a long identifier or mapping never runs into the next cell)."""
    text, parts, last = str(value), [], 0
    for m in _TOKEN.finditer(text):
        if m.group() != text.strip() and "_" not in m.group() and not m.group()[0] >= "\u3400":
            continue  # a word of a sentence (a model assumption's wording), not a typed token
        parts.append(escape(text[last:m.start()]))
        parts.append(Markup("<code>{}</code>").format(Markup("<wbr>").join(escape(p) for p in _id_parts(m.group()))))
        last = m.end()
    parts.append(escape(text[last:]))
    return Markup("").join(parts)


def claim_explanation(claim: dict, language: str) -> tuple[str, str]:
    """(method, note) in the edition's language: the claim check's explanations[<lang>]
    (claims.ClaimCheck, as results/<section>.json records it), else its own method/note."""
    own = (claim.get("explanations") or {}).get(language) or {}
    return own.get("method", claim.get("method", "")) or "", own.get("note", claim.get("note", "")) or ""


def quote_cell(claim: dict, language: str, *, section_note: str = "") -> Markup:
    """The report's words (Chinese, marked as such in the English edition, with the English
    translation beside them), and the claim id."""
    quote = claim.get("quote", "") or ""
    if language == "zh":
        words = Markup('<span class="quote">{}</span>').format(quote)
    else:
        translation = claim.get("quote_en") or text("words.no_translation", language)
        words = Markup('<span class="quote" lang="{}">{}</span><span class="quote-en">{}</span>').format(
            LANG_ATTR["zh"], quote, translation)
    claim_id = str(claim.get("claim_id", ""))
    link = Markup('<a href="#claim-{0}"><code class="claim-id">{1}</code></a>').format(
        claim_id, Markup("<wbr>").join(escape(p) for p in _id_parts(claim_id)))
    extra = Markup(' <span class="muted">{}</span>').format(section_note) if section_note else Markup("")
    return words + Markup("<br>") + link + extra


def _id_parts(identifier: str) -> list[str]:
    return [p for p in re.split(r"(?<=[_./-])", identifier) if p]


def claim_rounded(value, claim: dict):
    """A recomputed number of a claim (value, interval bound, difference) rounded for display."""
    return round_past_printed(value, (claim.get("facts") or {}).get("stated_text", ""))


def stated_as_printed(claim: dict):
    """The value the report states, as it prints it (8.0, not 8), with a true minus sign."""
    printed = (claim.get("facts") or {}).get("stated_text")
    if printed not in (None, ""):
        return Markup(escape(str(printed).replace("-", "\u2212")))
    return claim.get("reported_value")


def claim_number(value, claim: dict, language: str) -> str:
    """A recomputed number beside the stated one: never with fewer decimals than the report
    prints (8.0 beside 8.0, not 8)."""
    rounded = claim_rounded(value, claim)
    shown = format_value(rounded, "number", language=language)
    printed = str((claim.get("facts") or {}).get("stated_text") or "").strip()
    places = len(printed.split(".")[1]) if "." in printed else 0
    if places and isinstance(rounded, (int, float)) and "." not in shown and "e" not in shown:
        return format_value(rounded, "percent", digits=places, language=language)
    return shown


def _value_with_interval(claim: dict, language: str) -> Markup:
    value = claim_number(claim.get("reproduced_value"), claim, language)
    low, high = claim.get("reproduced_low"), claim.get("reproduced_high")
    if low is None or high is None:
        return Markup(escape(value))
    low, high = claim_number(low, claim, language), claim_number(high, claim, language)
    if low == high:  # a degenerate interval says nothing the value does not
        return Markup(escape(value))
    return Markup('{}<br><span class="interval">[{} – {}]</span>').format(value, low, high)


def _explanation_cell(claim: dict, language: str) -> Markup:
    def shown(text: str) -> Markup:
        # a quoted Chinese title inside an English explanation is marked as Chinese (fonts, screen
        # readers); file names and paths (data/official, claims.csv) are set as code
        marked = quotes_marked(reader_text(text), language)  # 2019-01..2019-12 → 2019-01–2019-12
        return marked if isinstance(marked, Markup) else as_markup(marked)

    method, note = claim_explanation(claim, language)
    parts = [shown(method)] if method else []
    if note:
        parts.append(Markup('<span class="muted">{}</span>').format(shown(note)))
    return Markup("<br>").join(parts) if parts else Markup("—")


def claims_table(claims: list[dict], language: str) -> Table:
    t = _t(language)
    rows = [{"quote": quote_cell(c, language), "stated": stated_as_printed(c),
             "reproduced": _value_with_interval(c, language), "difference": claim_rounded(c.get("difference"), c),
             "unit": unit_label(c.get("unit"), language), "status": status_badge(c.get("status", ""), language),
             "explanation": _explanation_cell(c, language)} for c in claims]
    columns = [Column("quote", t("columns.quote"), t("columns.quote"), width=30),
               Column("stated", t("columns.stated"), t("columns.stated"), kind="number", width=9),
               Column("reproduced", t("columns.reproduced"), t("columns.reproduced"), kind="number", width=10),
               Column("difference", t("columns.difference"), t("columns.difference"), kind="number", width=9),
               Column("unit", t("columns.unit"), t("columns.unit"), width=7),
               Column("status", t("columns.status"), t("columns.status"), width=12),  # fits "reproduced" (en)
               Column("explanation", t("columns.explanation"), t("columns.explanation"), width=23)]
    return table(rows, columns, language, reshape="none", classes=("claims", "fixed"),
                 row_ids=[f"claim-{c.get('claim_id', '')}" for c in claims],
                 row_classes=[f"claim-{c.get('status', '')}" for c in claims])


def discrepancies_table(rows: list[dict], language: str, section_titles: dict[str, str]) -> Table:
    t = _t(language)
    data = [{"quote": quote_cell(r, language, section_note=section_titles.get(r.get("section"), "")),
             "stated": with_unit(r.get("reported_value"), r.get("unit"), language),
             "reproduced": with_unit(claim_rounded(r.get("reproduced_value"), r), r.get("unit"), language),
             "explanation": _explanation_cell(r, language)} for r in rows]
    # value and unit in one cell: text that may wrap between them (a number column does not)
    columns = [Column("quote", t("columns.quote"), t("columns.quote"), width=36),
               Column("stated", t("columns.stated"), t("columns.stated"), width=13),
               Column("reproduced", t("columns.reproduced"), t("columns.reproduced"), width=13),
               Column("explanation", t("columns.explanation"), t("columns.explanation"), width=38)]
    return table(data, columns, language, reshape="none", classes=("discrepancies", "fixed"))


def params_table(params: list[dict], language: str) -> Table:
    t = _t(language)
    rows = []
    for p in params:
        used = setting(p["value"])
        if p["changed"]:
            used += Markup(' <strong>({})</strong>').format(t("words.changed"))
        rows.append({"name": p["name"], "value": used,
                     "default": setting(p["default"]) if p["changed"] else Markup('<span class="muted">{}</span>').format(
                         t("words.same"))})
    columns = [Column("name", t("columns.parameter"), t("columns.parameter"), kind="id"),
               Column("value", t("columns.value_used"), t("columns.value_used")),
               Column("default", t("columns.default"), t("columns.default"))]
    return table(rows, columns, language, reshape="none", classes=("params",),
                 row_classes=["changed" if p["changed"] else "" for p in params])


# results in percent, percentage points or index points: two decimals (their inputs are printed to
# one); other numbers: significant digits (tables.format_value)
RESULT_DECIMALS = {"pp": 2, "%": 2, "points": 2}


def _result_number(value, unit: str | None, language: str) -> str:
    if unit in RESULT_DECIMALS:
        return format_value(value, "pp", digits=RESULT_DECIMALS[unit], language=language)
    return format_value(value, "number", language=language)


def _result_value(value, language: str, unit: str | None = None) -> str:
    """A result value as a reader reads it: numbers formatted, mappings as 'key: value; …', text as is."""
    if isinstance(value, dict):
        return "; ".join(f"{k}: {_result_value(v, language, unit)}" for k, v in value.items())
    if isinstance(value, (list, tuple)):
        return ", ".join(_result_value(v, language, unit) for v in value)
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return format_value(value, "text", language=language)  # None → —, False → 否/no
    return _result_number(value, unit, language)


def _interval_text(interval, unit: str | None, language: str) -> str | None:
    """'[low – high]', or None when there is none or it is degenerate (low = high as printed)."""
    if not (isinstance(interval, (list, tuple)) and len(interval) == 2):
        return None
    low, high = (_result_number(v, unit, language) for v in interval)
    return None if low == high else f"[{low} – {high}]"


def _result_shown(r: dict, language: str) -> str:
    shown = (r.get("shown") or {}).get(language)
    if shown:
        return shown
    value, unit = r.get("value"), r.get("unit")
    if isinstance(value, (dict, list, tuple, str, bool)) or value is None:
        text_ = _result_value(value, language, unit)
        label = unit_label(unit, language)
        return text_ if text_ == "—" or not label else with_unit(text_, unit, language)
    return with_unit(_result_number(value, unit, language), unit, language)


def results_table(results: list[dict], language: str) -> Table:
    """Key results: what each is (description), its value with unit, interval and n. The key
    (the name in the results JSON) is not printed: it is each row's anchor (#result-<key>)."""
    t = _t(language)
    rows = [{"description": r.get("description") or "—", "value": _result_shown(r, language),
             "interval": _interval_text(r.get("interval"), r.get("unit"), language), "n": r.get("n")}
            for r in results]
    columns = [Column("description", t("columns.result"), t("columns.result"), width=52),
               Column("value", t("columns.value"), t("columns.value"), width=25),
               Column("interval", t("columns.interval"), t("columns.interval"), width=16),
               Column("n", "n", "n", kind="count", width=7)]
    if not any(r["interval"] for r in rows):
        columns = [c for c in columns if c.key != "interval"]
    if not any(r["n"] is not None for r in rows):
        columns = [c for c in columns if c.key != "n"]
    total = sum(c.width for c in columns)
    columns = [replace(c, width=c.width * 100 / total) for c in columns]
    return table(rows, columns, language, reshape="none", classes=("results", "fixed"),
                 row_ids=[f"result-{r['key']}" for r in results])


def scorecard_table(card: scorecard.Scorecard, language: str, section_titles: dict[str, str]) -> Table:
    t = _t(language)
    statuses = STATUSES
    rows, row_classes = [], []
    for row in card.rows:
        label = Markup('<a href="#{}">{}</a>').format(row.section, section_titles.get(row.section, row.section))
        if not row.built:
            label += Markup(' <span class="muted">{}</span>').format(t("words.not_built"))
        rows.append({"section": label, **{st: row.counts[st] for st in statuses}, "total": row.total})
        row_classes.append("" if row.built else "not-built-row")
    rows.append({"section": t("columns.total"), **{st: card.totals.counts[st] for st in statuses},
                 "total": card.totals.total})
    row_classes.append("total")
    columns = [Column("section", t("columns.section"), t("columns.section"))] + \
              [Column(st, t(f"status.{st}"), t(f"status.{st}"), kind="count") for st in statuses] + \
              [Column("total", t("columns.total"), t("columns.total"), kind="count")]
    return table(rows, columns, language, reshape="none", classes=("scorecard",), row_classes=row_classes,
                 header_classes=[""] + [f"count-{st}" for st in statuses] + [""])


def assumptions_table(assumptions: list[dict], language: str, section_titles: dict[str, str]) -> Table:
    t = _t(language)
    rows = [{"section": Markup('<a href="#{}">{}</a>').format(a["section"],
                                                              section_titles.get(a["section"], a["section"])),
             "name": a["name"], "value": setting(a["value"]), "justification": a["justification"] or "—"}
            for a in assumptions]
    columns = [Column("section", t("columns.section"), t("columns.section"), width=18),
               Column("name", t("columns.name"), t("columns.name"), kind="id", width=22),
               Column("value", t("columns.value"), t("columns.value"), width=15),
               Column("justification", t("columns.justification"), t("columns.justification"), width=45)]
    return table(rows, columns, language, reshape="none", classes=("assumptions", "fixed"))


def data_sources_table(sources: list[dict], language: str) -> Table:
    t = _t(language)
    rows = [{"file": d["file"],
             "used_by": Markup("<br>").join(Markup('<a href="#{}">{}</a>').format(u["anchor"], u["label"])
                                            for u in d["used_by"])} for d in sources]
    columns = [Column("file", t("columns.file"), t("columns.file"), kind="id", width=40),
               Column("used_by", t("columns.used_by"), t("columns.used_by"), width=60)]
    return table(rows, columns, language, reshape="none", classes=("sources", "fixed"))


def declared_table(sections: list[dict], language: str) -> Table:
    t = _t(language)
    rows = [{"section": Markup('<a href="#{}">{}</a>').format(s["name"], s["title"]),
             "patterns": Markup(", ").join(code(p) for p in s["declared_data"]) or "—",
             "built": t("words.affirmative") if s["built"] else t("words.negative")} for s in sections]
    columns = [Column("section", t("columns.section"), t("columns.section"), width=30),
               Column("patterns", t("columns.patterns"), t("columns.patterns"), width=58),
               Column("built", t("columns.built"), t("columns.built"), width=12)]
    return table(rows, columns, language, reshape="none", classes=("declared", "fixed"))


def run_record_table(sections: list[dict], language: str) -> Table:
    t = _t(language)
    def status(token: str) -> str:  # the run's token in the edition's words (texts.yaml run_status)
        try:
            return t(f"run_status.{token}")
        except KeyError:
            return token

    rows = [{"section": s["title"], "status": status(s["status"]) + ("" if s["built"] else " " + t("words.not_built")),
             "seconds": s["seconds"]} for s in sections]
    columns = [Column("section", t("columns.section"), t("columns.section")),
               Column("status", t("columns.status"), t("columns.status")),
               Column("seconds", t("columns.seconds"), t("columns.seconds"), kind="level",
                      unit=t("words.seconds_unit"))]
    return table(rows, columns, language, reshape="none", classes=("run-record",))


def versions_table(version_sections: list[str], versions: list[dict], language: str) -> Table:
    t = _t(language)
    rows = [{"package": v["package"], "build": v["run"],
             **{f"s{i}": Markup('<span class="changed">{}</span>').format(x) if x != v["run"] else x
                for i, x in enumerate(v["sections"])}} for v in versions]
    columns = [Column("package", t("columns.package"), t("columns.package"), kind="id"),
               Column("build", t("columns.build"), t("columns.build"), kind="id")] + \
              [Column(f"s{i}", code(name), code(name), kind="id") for i, name in enumerate(version_sections)]
    return table(rows, columns, language, classes=("versions",))


def sweep_table(header: list[str], rows: list[list[str]], language: str) -> Table:
    """A sweep's summary.csv: numbers as numbers; verdicts, claim statuses and yes/no in the
    edition's words; parameter values and variant ids as identifiers (what a user types)."""

    def word(value: str) -> str | None:
        if value in ("True", "False"):
            return reader_value(value == "True", language)
        for key in (f"status.{value}", f"reader.value.{value}"):
            try:
                return text(key, language)
            except KeyError:
                continue
        return None

    def cell(value: str):
        try:
            return float(value)
        except ValueError:
            return word(value) or value
    records = [{h: cell(v) for h, v in zip(header, r)} for r in rows]
    worded = {h for i, h in enumerate(header) if any(i < len(r) and word(r[i]) for r in rows)}
    kinds = {h: "number" if records and all(isinstance(r.get(h), float) or r.get(h) == "" for r in records)
             else "text" if h in worded else "id" for h in header}
    columns = [Column(h, h, h, kind=kinds[h]) for h in header]
    return table(records, columns, language, classes=("sweep-table",))
