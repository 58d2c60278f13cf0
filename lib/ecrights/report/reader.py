"""The reader's edition: report.html, report.pdf and report.docx, from the same build as the audit.

A companion to the original report that a reader finishes in one sitting: a
verdict and the findings at a glance, one or two pages per part of the report
(its figures redrawn, what the data can and cannot say), one table of the
report's sentences that carry numbers, a note on method and a colophon. What
it shows comes from build/ (results JSON, executed notebooks, figures) and
the notebooks' cells for readers (tags: README, "Cell tags"); words come from
texts.yaml and findings.yaml, numbers only from the build. Claim IDs, paths,
parameter codes, options and package versions stay in the audit, which the
edition links to (audit.html beside it).
"""

from __future__ import annotations

import fnmatch
import html
import math
import re
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import yaml
from bs4 import BeautifulSoup
from markupsafe import Markup, escape

from .. import sections as sections_mod
from ..claims import CONSISTENT, DISCREPANT, REPRODUCED, STATUSES
from ..data import load_claims
from ..tables import english_amount, unit_label
from . import cells, docx, fonts, front_matter, inputs, pdf, svg
from .texts import LANG_ATTR, foreign, text

HERE = Path(__file__).parent
FINDINGS = HERE / "findings.yaml"
AUDIT_FILE = "audit.html"

# claim statuses (claims.STATUSES, in its order) and finding outcomes: a symbol that survives greyscale beside the word
STATUS_ORDER = STATUSES
# (every symbol is in the embedded font: a reader without CJK fonts sees it; findings have symbols of their
# own, so "partly confirmed" is never read as a claim's "consistent")
SYMBOLS = {**dict(zip(STATUSES, ("●", "◐", "×", "△", "○", "○"), strict=True)),
           "confirmed": "✓", "partly": "◆", "undecided": "◇", "contradicted": "×", "uncheckable": "○"}
OUTCOMES = ("confirmed", "partly", "undecided", "contradicted", "uncheckable")
# a result whose value leaves the report's inference open (findings.yaml decided_by)
UNDECIDED_VALUES = ("undetermined", "undecided")
VERDICT_VALUES = ("undetermined", "undecided", "supported", "contradicted")  # texts.yaml reader.value.*
CHINESE_NUMERALS = "一二三四五六七八九十"
ENGLISH_NUMERALS = ("one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten")
# list and group separators (punctuation, not words: texts.yaml strips the spaces English needs)
LIST_SEP = {"zh": "、", "en": ", "}
GROUP_SEP = {"zh": "；", "en": "; "}
MINUS = "\u2212"


# --------------------------------------------------------------------------
# numbers as printed
# --------------------------------------------------------------------------
def decimals(printed: str | None) -> int | None:
    """Digits after the point of a number as printed ('2.5' → 1, '300' → 0); None if unknown."""
    if printed is None or str(printed).strip() == "":
        return None
    m = re.fullmatch(r"[−+-]?\d+(?:\.(\d+))?", str(printed).strip())
    return len(m.group(1) or "") if m else None


BOUND_WORDS = ("超过", "以上", "以下", "低于", "不足", "至少")
HALF_TO_FULL = str.maketrans({",": "，", ":": "：", ";": "；", "(": "（", ")": "）", "?": "？", "!": "！"})
HALF_TO_FULL_CHARS = ",:;()?!"
CJK = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef“”]")


def full_width(value: str) -> str:
    """Chinese text with full-width punctuation (GB/T 15834): the report's text as transcribed
    carries half-width commas, colons, semicolons and parentheses. In a Chinese passage each
    becomes full-width, except a comma or colon between two digits (1,000; 21:30) — but a
    figure's label keeps its full-width colon (图9：2019年…)."""
    if not CJK.search(value):
        return value
    chars = list(value)
    for i, ch in enumerate(chars):
        if ch not in HALF_TO_FULL_CHARS:
            continue
        between_digits = 0 < i < len(chars) - 1 and chars[i - 1].isdigit() and chars[i + 1].isdigit()
        if ch in ",:" and between_digits and not re.search(r"图\d+$", value[:i]):
            continue
        chars[i] = ch.translate(HALF_TO_FULL)
    return "".join(chars)


def as_printed(value, places: int | None, language: str = "zh") -> str:
    """A value at the report's printed precision, with a true minus sign; '—' when there is none."""
    if value is None or value == "":
        return "—"
    try:
        number = float(value)
    except (TypeError, ValueError):
        return str(value)
    out = f"{number:,.{places}f}" if places is not None else f"{number:,.6g}"
    if language == "zh":
        out = out.replace(",", "")
    return out.replace("-", MINUS)


# --------------------------------------------------------------------------
# claims and findings
# --------------------------------------------------------------------------
def all_claims(build: inputs.BuildInputs) -> list[dict]:
    """Every claim check of the sections built (from the results JSON: facts included), each with
    the part of the report it stands in (report_section, from the ledger: data/published/claims.csv)."""
    claims = [c for s in build.sections if s.results for c in s.results.get("claims", [])]
    ledger = load_claims()["report_section"]
    return [{**c, "report_section": c.get("report_section") or ledger.get(c.get("claim_id"))} for c in claims]


def warm_up(write_pdf: bool) -> None:
    """What the edition needs whatever the sections compute, made ready while they run (the
    runner calls this on its report thread): the claims ledger, the font subset (made once per
    checkout: seconds) and, for the PDF, weasyprint (a second to import)."""
    load_claims()  # validated once while the file is unchanged
    fonts.woff2_subset(fonts.ALWAYS | fonts.project_characters())  # the key embed() uses
    if write_pdf:
        pdf.new_font_config()


def count_statuses(claims: list[dict]) -> dict[str, int]:
    counts = dict.fromkeys(STATUS_ORDER, 0)
    for c in claims:
        counts[c.get("status", "unchecked")] = counts.get(c.get("status", "unchecked"), 0) + 1
    return counts


def outcome(counts: dict[str, int], decided_by: str | None = None) -> str:
    """A finding's outcome from its claims' statuses and, where the finding is an inference
    (findings.yaml decided_by), from the result that decides it: undecided when that result
    cannot decide, whatever its numbers; confirmed when no number disagrees and every number is
    reproduced or consistent, one at least reproduced (consistent alone, agreeing only with its
    own source, is not an independent check); contradicted when some disagree and none is
    reproduced; partly when some are reproduced and not all; cannot be checked otherwise."""
    if decided_by in UNDECIDED_VALUES:
        return "undecided"
    total = sum(counts.values())
    reproduced, discrepant = counts.get("reproduced", 0), counts.get("discrepant", 0)
    if total and reproduced and not discrepant and reproduced + counts.get("consistent", 0) == total:
        return "confirmed"
    if discrepant and not reproduced:
        return "contradicted"
    if reproduced:
        return "partly"
    return "uncheckable"


def breakdown(counts: dict[str, int], language: str) -> str:
    sep = LIST_SEP[language]
    return sep.join(text("reader.count_item", language, label=f"{SYMBOLS[k]} {text(f'status.{k}', language)}",
                         count=n) for k, n in counts.items() if n)


@dataclass
class Finding:
    number: str
    says: Markup
    shows: str
    outcome: str


def _findings_file() -> dict:
    return yaml.safe_load(FINDINGS.read_text(encoding="utf-8"))


def load_findings() -> list[dict]:
    return _findings_file()["findings"]


def key_results(s: inputs.SectionInput, language: str) -> list[str]:
    """A part's key results in words (findings.yaml key_results), each with its value and unit."""
    recorded = (s.results or {}).get("results") or {}
    out = []
    for key in _findings_file().get("key_results", {}).get(s.name, []):
        r = recorded.get(key)
        if isinstance(r, dict) and (r.get("descriptions") or {}).get(language):
            sentence = _result_sentence(r, language)
            out.append(sentence if language == "zh" else sentence[:1].upper() + sentence[1:])
    return out


def _claim_places(c: dict) -> int | None:
    """The report's printed precision; for a bound ("超过45%") one more place at least, or the
    value that meets it would print as the bound itself."""
    places = decimals((c.get("facts") or {}).get("stated_text"))
    if places is not None and any(w in str(c.get("quote", "")) for w in BOUND_WORDS):
        return max(places, 1)
    return places


def public_value(c: dict, language: str) -> str:
    """What public data give for a claim, at the report's printed precision ('—' if nothing); a
    discrepant value with as many more places as it takes not to print as the report's figure or
    as zero (+0.2 against a printed 2 shows as 0.2, not 0)."""
    places = _claim_places(c)
    if c.get("status") == DISCREPANT and c.get("reproduced_value") is not None:
        value, stated = float(c["reproduced_value"]), (c.get("facts") or {}).get("stated_text")
        for extra in range(4):  # the fewest places at which it reads neither as zero nor as the report's figure
            shown = as_printed(value, (places or 0) + extra, language)
            if float(shown.replace(MINUS, "-").replace(",", "")) != 0 and shown != str(stated):
                return shown
        return as_printed(value, None, language)
    low, high = c.get("reproduced_low"), c.get("reproduced_high")
    if c.get("status") not in (REPRODUCED, DISCREPANT, CONSISTENT):
        return "—"
    if c.get("reproduced_value") is not None:
        return as_printed(c["reproduced_value"], places, language)
    if low is not None and high is not None:
        return f"{as_printed(low, places, language)}–{as_printed(high, places, language)}"
    return "—"


def findings(build: inputs.BuildInputs, claims: list[dict], language: str) -> list[Finding]:
    results = {k: v for s in build.sections if s.results for k, v in (s.results.get("results") or {}).items()}
    out = []
    for i, f in enumerate(load_findings()):
        mine = [c for c in claims if any(fnmatch.fnmatchcase(c["claim_id"], p) for p in f.get("claims", []))]
        counts = count_statuses(mine)
        shows = [text("reader.counts", language, n=len(mine), breakdown=breakdown(counts, language))
                 if mine else text("reader.counts_none", language)]
        head = next((c for c in mine if c["claim_id"] == f.get("headline")), None)
        if head is not None and public_value(head, language) != "—":
            facts = head.get("facts") or {}
            label = facts.get(f"indicator_{language}", "")
            if label and language == "zh" and facts.get("measure_zh"):
                label += facts["measure_zh"]
            elif label and facts.get("measure") == "share":
                label = f"share of {label}"
            unit = head.get("unit", "")
            shows.append((f"{label}{'：' if language == 'zh' else ': '}" if label else "") +
                         text("reader.headline", language, stated=amount(facts.get("stated_text", ""), unit, language),
                              public=amount(public_value(head, language), unit, language)))
        for key in f.get("results", []):
            r = results.get(key)
            if isinstance(r, dict) and (r.get("descriptions") or {}).get(language):
                shows.append(_result_sentence(r, language))
        says = Markup(escape(full_width(f["quote"]))) if language == "zh" else Markup(escape(f["en"]))
        number = f["number"] if language == "zh" else str(i + 1)
        decider = results.get(f["decided_by"]) if f.get("decided_by") else None
        out.append(Finding(number=number, says=says, shows=_join_sentences(shows, language),
                           outcome=outcome(counts, decider.get("value") if isinstance(decider, dict) else None)))
    return out


RUNNING_UNITS = {"zh": {"pp": "个百分点", "百分点": "个百分点"},
                 "en": {"pp": "percentage points", "百分点": "percentage points"}}  # 'pp' is a table's word


def unit_words(unit: str | None, language: str) -> str:
    """A unit as it follows a number in running text: 个百分点 / percentage points for pp, no space
    before % or a Chinese unit, a space before an English word."""
    label = RUNNING_UNITS[language].get(unit or "") or unit_label(unit, language)
    return label if label in ("%", "") or language == "zh" and not label.isascii() else f" {label}"


def amount(shown: str, unit: str | None, language: str) -> str:
    """A number as shown ('411,649', '—') with its unit in running text: in English an amount in
    亿 or 万 becomes millions, billions or trillions (tables.english_amount), the printed
    precision kept; '—' without a unit."""
    if shown == "—":
        return shown
    if language == "en":
        scaled = english_amount(shown, unit or "")
        if scaled:
            return scaled
    return shown + unit_words(unit, language)


def outward(value: float, places: int, direction: str, language: str) -> str:
    """An interval's bound at `places`, rounded away from its inside (45.255 → 45.2 as a low bound,
    45.98 → 46.0 as a high one), so that the printed interval holds the computed one."""
    scale = 10 ** places
    scaled = round(float(value) * scale, 9)  # 2.4 * 10 is 24.000000000000004, not above 24
    return as_printed((math.floor(scaled) if direction == "down" else math.ceil(scaled)) / scale, places, language)


def _result_sentence(r: dict, language: str) -> str:
    """A recorded result in words: its description, and its value when it is a number or a verdict."""
    description = r["descriptions"][language]
    value = r.get("value")
    if isinstance(value, str):
        try:
            shown = text(f"reader.value.{value}", language)
        except KeyError:
            shown = value
    elif isinstance(value, (int, float)) and not isinstance(value, bool):
        places = 0 if float(value).is_integer() else 1
        shown = amount(as_printed(value, places, language), r.get("unit"), language)
        interval = r.get("interval")
        if isinstance(interval, list) and len(interval) == 2 and all(isinstance(b, (int, float)) for b in interval):
            low, high = (outward(b, places, way, language) for b, way in zip(interval, ("down", "up")))
            shown += ("" if language == "zh" else " ") + text("reader.interval", language, low=low, high=high)
    else:
        return description
    verdict_words = {text(f"reader.value.{v}", language) for v in VERDICT_VALUES} | {"cannot decide"}
    if shown and (re.search(rf"[：:]\s*{re.escape(shown)}$", description)
                  or any(description.rstrip("。.").endswith(w) for w in verdict_words)):
        return description
    return f"{description}{'：' if language == 'zh' else ': '}{shown}"


def _join_sentences(parts: list[str], language: str) -> str:
    parts = [p.rstrip("。. ") for p in parts if p]
    if language == "zh":
        return "。".join(parts) + "。"
    return ". ".join(p[:1].upper() + p[1:] for p in parts) + "."


def small_count(n: int, language: str) -> str:
    """A count in words where print spells it (一…十, one…ten), in digits above ten."""
    if 1 <= n <= len(CHINESE_NUMERALS):
        return (CHINESE_NUMERALS if language == "zh" else ENGLISH_NUMERALS)[n - 1]
    return str(n)


def verdict(claims: list[dict], found: list[Finding], language: str) -> str:
    counts = count_statuses(claims)
    sentences = len(sentence_groups(claims))
    first = text("reader.verdict", language, sentences=sentences, numbers=len(claims), **counts)
    wrong = [c for c in claims if c.get("status") == DISCREPANT]
    if wrong:  # the one thing public data contradict, in words
        quote = (lambda c: full_width(c.get("quote", ""))) if language == "zh" else \
                (lambda c: c.get("quote_en") or c.get("quote", ""))
        items = [text("reader.discrepant_item", language, quote=quote(c),
                      stated=amount((c.get("facts") or {}).get("stated_text", ""), c.get("unit"), language),
                      public=amount(public_value(c, language), c.get("unit"), language)) for c in wrong]
        first += ("" if language == "zh" else " ") + text("reader.discrepant", language, items=GROUP_SEP[language].join(items))
    sep = LIST_SEP[language]
    groups = []
    for o in OUTCOMES:
        numbers = [f.number for f in found if f.outcome == o]
        if numbers:
            groups.append(text("reader.verdict_group", language, status=f"{SYMBOLS[o]} {text(f'reader.outcome.{o}', language)}",
                               numbers=sep.join(numbers)))
    second = text("reader.verdict_findings", language, n=small_count(len(found), language), count=len(found),
                  groups=GROUP_SEP[language].join(groups))
    return first + ("" if language == "zh" else " ") + second


def status_legend(language: str) -> str:
    """The claims table's symbols, from SYMBOLS and the statuses' words (one home for both)."""
    shown = [s for s in STATUSES if s != "unchecked"]
    return LIST_SEP[language].join(f"{SYMBOLS[s]} {text(f'status.{s}', language)}" for s in shown)


SECTION_NUMBER = re.compile(r"^([一二三四五六七八九十]+)(?:\(([一二三四五六七八九十]+)\))?(\d+)?")


def report_order(report_section: str | None) -> tuple[int, ...]:
    """Where a part of the report stands in it: '二(二)4' → (2, 2, 4), '二(三) 图8' → (2, 3, 0);
    a figure is not a place of its own (its rows keep the ledger's order within the part); an
    unnumbered part goes last."""
    m = SECTION_NUMBER.match(str(report_section or "").strip())
    if not m:
        return (len(CHINESE_NUMERALS) + 1,)
    part, sub, item = m.groups()
    return (CHINESE_NUMERALS.index(part) + 1, CHINESE_NUMERALS.index(sub) + 1 if sub else 0, int(item or 0))


def _bare(quote: str) -> str:
    return re.sub(r"[\s,，。.;；:：、]", "", quote or "")


def sentence_groups(claims: list[dict]) -> list[dict]:
    """The report's sentences that carry numbers, each with the claims checked in it, in the
    report's order (its parts' numbering; the ledger's order within a part). A quote that is part
    of a longer quote from the same place of the report (the ledger quoting one sentence twice,
    once in part) is one sentence: shown once, the longer quote, with every check."""
    groups: dict[tuple, dict] = {}
    for c in claims:
        key = (c.get("section"), c.get("report_section"), c.get("quote"))
        groups.setdefault(key, {"quote": c.get("quote", ""), "quote_en": c.get("quote_en", ""),
                                "report_section": c.get("report_section"), "claims": []})["claims"].append(c)
    rows = list(groups.values())
    for row in list(rows):
        bare = _bare(row["quote"])
        longer = next((o for o in rows if o is not row and len(_bare(o["quote"])) > len(bare)
                       and bare in _bare(o["quote"]) and o["report_section"] == row["report_section"]
                       and o["claims"][0].get("section") == row["claims"][0].get("section")), None)
        if longer is not None:
            longer["claims"] = row["claims"] + longer["claims"]
            rows.remove(row)
    return sorted(rows, key=lambda r: report_order(r["report_section"]))


def sentence_rows(claims: list[dict], language: str) -> list[dict]:
    """One row per sentence of the report that carries numbers, in report order (sentence_groups)."""
    out = []
    for row in sentence_groups(claims):
        statuses = list(dict.fromkeys(c.get("status", "unchecked") for c in row["claims"]))
        # an English amount in 亿 reads in billions, as the translated sentence beside it does
        public = [(english_amount(shown, c.get("unit") or "") if language == "en" else None) or shown
                  for c in row["claims"] for shown in [public_value(c, language)]]
        out.append({
            "sentence": (Markup(escape(full_width(row["quote"]))) if language == "zh" else
                         Markup(escape(row["quote_en"] or row["quote"]))),
            "public": "；".join(public) if language == "zh" else "; ".join(public),
            "statuses": [{"symbol": SYMBOLS.get(s, "○"), "word": text(f"status.{s}", language), "key": s}
                         for s in statuses],
        })
    return out


# --------------------------------------------------------------------------
# sections
# --------------------------------------------------------------------------
def source_words(sources: list[str], language: str) -> str:
    """A figure's data files named as their publishers (the audit names the files)."""
    found = []
    for path in sources:
        name = Path(path).name
        key = ("nbs" if name.startswith("nbs_") else "spb" if name.startswith("spb_") else
               "alibaba" if name.startswith("alibaba_") else "published")
        word = text(f"reader.source.{key}", language)
        if word not in found:
            found.append(word)
    return LIST_SEP[language].join(found)


def render_figure(ref: cells.FigureRef, out_dir: Path, language: str) -> Markup:
    path = Path(out_dir) / ref.file
    words = full_width(ref.caption) if language == "zh" else ref.caption
    caption = (f'<figcaption><span class="label">{html.escape(ref.label)}</span> {html.escape(words)}'
               f'<span class="sources">{html.escape(text("reader.figures_source", language, sources=source_words(ref.sources, language)))}</span>'
               f'</figcaption>')
    if not path.is_file():
        return Markup(f'<figure class="figure missing">{caption}</figure>')
    alt = f"{ref.label} {ref.caption}"
    if path.suffix.lower() == ".svg":  # vector, inline (its text in the page's embedded font); Word takes the PNG
        raster = f' data-raster="{html.escape(ref.raster)}"' if ref.raster else ""
        return Markup(f'<figure class="figure" id="{ref.anchor}"{raster}>'
                      f'{svg.inline(path.read_text(encoding="utf-8"), ref.anchor, alt)}{caption}</figure>')
    mime = "image/png" if path.suffix.lower() == ".png" else "image/jpeg"
    return Markup(f'<figure class="figure" id="{ref.anchor}"><img alt="{html.escape(alt)}" '
                  f'src="{cells.data_uri(path.read_bytes(), mime)}">{caption}</figure>')


def section_block(s: inputs.SectionInput, out_dir: Path, language: str) -> dict:
    heading = full_width(f"{s.report_section} {s.title_zh}") if language == "zh" else s.title_en
    part = "" if language == "zh" else english_part(s.report_section)
    block = {"name": s.name, "heading": heading, "part": part, "built": s.built, "body": Markup(""),
             "figures": [], "counts": "", "key_results": []}
    if not s.built:
        return block
    refs = [r for r in cells.figure_refs(s.name, s.results, language) if r.report_figure]
    block["body"] = Markup(cells.render_notebook(s.notebook, s.name, s.results, out_dir, language=language,
                                                 audience="reader", figures=False,
                                                 titles=(s.title_zh, s.title_en)))
    block["figures"] = [render_figure(r, out_dir, language) for r in refs]
    block["key_results"] = key_results(s, language)
    claims = (s.results or {}).get("claims", [])
    if claims:
        block["counts"] = text("reader.section_counts", language, breakdown=breakdown(count_statuses(claims), language))
    return block


PART = re.compile(r"^([一二三四五六七八九十]+)")


def english_part(report_section: str) -> Markup:
    """'一(一)(二)' → 'Part 1 (1)–(2)' with the original numbering beside it, marked Chinese."""
    def arabic(numeral: str) -> str:
        return str(CHINESE_NUMERALS.index(numeral) + 1) if numeral in CHINESE_NUMERALS else numeral

    pieces = []
    for chunk in re.split(r"\s*·\s*", report_section):
        m = PART.match(chunk)
        if not m:
            continue
        subs = [arabic(x) for x in re.findall(r"\(([一二三四五六七八九十]+)\)", chunk)]
        tail = re.sub(r"^[一二三四五六七八九十]+(\([一二三四五六七八九十]+\))*", "", chunk)
        label = f"Part {arabic(m.group(1))}"
        if subs:
            label += " " + (f"({subs[0]})–({subs[-1]})" if len(subs) > 1 else f"({subs[0]})")
        if tail:
            label += tail
        pieces.append(label)
    return Markup("{} {}").format(" · ".join(pieces), foreign(report_section, "zh", cls="quoted original-number"))


# --------------------------------------------------------------------------
# the document
# --------------------------------------------------------------------------
def context(build: inputs.BuildInputs, language: str, front, date_text: str) -> dict:
    claims = all_claims(build)
    found = findings(build, claims, language)
    run = build.run
    return {
        "edition": "reader", "front": front, "date_text": date_text, "language": language,
        "verdict": verdict(claims, found, language), "findings": found,
        "symbols": SYMBOLS, "sections": [section_block(s, build.out_dir, language) for s in build.sections],
        "sentences": sentence_rows(claims, language), "legend": status_legend(language),
        "commit": (run.get("commit") or "")[:12] or text("front.unknown", language),
        "digest": (run.get("data_manifest_sha256") or "")[:12] or text("front.unknown", language),
        "audit_file": AUDIT_FILE,
        "original_title": getattr(front, "original_title", ""),
    }


def section_names() -> list[str]:
    return sections_mod.names()


READER_CSS = HERE / "reader.css"
READER_PRINT_CSS = """
/* running header: the document's short title at the left, the part at the right, on every page
   but the title page (the title is set there, so string(doc-title) carries over) */
.reader-front h1 { string-set: doc-title attr(data-running-title); }
@page { @top-left { content: string(doc-title); font-size: 8pt; color: #5f6b76; font-family: "ReportCJK", sans-serif;
                    vertical-align: bottom; }
        @top-right { vertical-align: bottom; } }
@page :first { @top-left { content: none; } @top-right { content: none; } }
.audit-link { display: none; }
section.reader-claims > h2 { break-after: avoid; }
.reader-table { font-size: 8.5pt; }
/* a part's heading and lead lines stay with what follows (its first figure or passage) */
section.reader-section > h2, section.reader-section > .part-number, section.reader-section > .section-counts,
section.reader-section > .key-results { break-after: avoid; }
section.reader-section + section.reader-section { margin-top: 1.6em; }
figure.figure { break-inside: avoid; }
"""


def _for_word(page: str) -> str:
    """The HTML as Word should read it: the PDF's sentence about where the audit is goes (Word has the link)."""

    soup = BeautifulSoup(page, "html.parser")
    for tag in soup.select(".print-only"):
        tag.decompose()
    return str(soup)


def build(out_dir: Path, language: str | None = None, *, write_pdf: bool = True, write_docx: bool = True,
          front_matter_file: Path | None = None, seconds: dict | None = None) -> list[Path]:
    """Write report.html (and report.pdf, report.docx) of the reader's edition into out_dir;
    `seconds` receives the time each took (HTML, PDF, Word: the build summary's breakdown)."""
    from . import assemble  # noqa: PLC0415 - assemble imports this module (an import cycle)

    out_dir = Path(out_dir)
    language = language or assemble.read_language(out_dir)
    front = front_matter.load(language, front_matter_file)
    build_inputs = inputs.load(out_dir)
    built = assemble._built_date(build_inputs.run)
    ctx = context(build_inputs, language, front, front.date_text(built))
    env = assemble.environment(language)
    css = Markup(assemble.STYLE_CSS.read_text(encoding="utf-8") + READER_CSS.read_text(encoding="utf-8"))
    meta = {"title": front.title, "subtitle": front.subtitle, "authors": list(front.authors),
            "description": front.subject, "keywords": ", ".join(front.keywords),
            "created": front.iso_date(built), "lang": LANG_ATTR[language]}
    seconds = {} if seconds is None else seconds
    started = time.perf_counter()
    template = env.get_template("reader.html.j2")
    page = template.render(css=css, extra_css="", meta=meta, show_footer=False, **ctx)
    hits = assemble.external_references(page)
    if hits:
        raise RuntimeError(f"report.html would load external resources: {hits[:3]}")
    written = [assemble._atomic_write(out_dir / "report.html", fonts.embed([page])[0])]
    seconds["HTML"] = time.perf_counter() - started
    # Word on a thread beside the PDF: most of it is pandoc, a subprocess, which the PDF's
    # layout (Python, holding the GIL) does not wait for
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="word") as word:
        docx_written = word.submit(_timed, seconds, "Word", lambda: docx.write(_for_word(page), out_dir / "report.docx",
                                                                               language, meta)) if write_docx else None
        if write_pdf:
            printed = template.render(css=css, extra_css=Markup(pdf.print_css() + READER_PRINT_CSS), meta=meta,
                                      show_footer=False, **ctx)
            written.append(_timed(seconds, "PDF", lambda: pdf.write([pdf.layout(printed, out_dir,
                                                                                pdf.new_font_config())],
                                                                    out_dir / "report.pdf")))
            (out_dir / ("report.pdf" + assemble.STALE_SUFFIX)).unlink(missing_ok=True)
        if docx_written is not None:
            written.append(docx_written.result())  # its error, if any, raised here
    return written


def _timed(seconds: dict, part: str, make):
    started = time.perf_counter()
    try:
        return make()
    finally:
        seconds[part] = time.perf_counter() - started
