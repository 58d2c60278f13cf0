"""Assemble the audit of one edition: audit.html (always), audit.pdf and audit.docx (on request)
and sections/<section>.html — every check, method, assumption, parameter and environment. The
reader's edition (report.html, .pdf, .docx) is reader.py's, from the same build.

Reads only build/ (see inputs.py) and params/report.yaml (front matter), and
never recomputes anything: numbers come from the results JSON and claims.csv,
narrative and tables from the executed notebooks, figures from build/figures/.
An edition is one language throughout (`language`: zh or en): the notebooks'
cells of the other language are left out, every fixed string comes from
texts.yaml, and a passage in the other language (the report's quotes in the
English edition) carries its own `lang`. The HTML is one self-contained file:
its font (a subset of Noto Sans CJK SC), figures and CSS are inside, no script
is loaded and math is rendered here. The PDF is the same document through
weasyprint (tagged, with document metadata); the Word file goes through pandoc.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import re
import time
from contextlib import contextmanager
from importlib import metadata
from pathlib import Path

import jinja2
from markupsafe import Markup

from .. import sections as sections_mod
from ..claims import STATUSES
from ..csvsafe import restore
from ..tables import format_value, reader_value
from . import cells, docx, fonts, front_matter, inputs, pdf, report_tables, scorecard
from .reader import english_part
from .texts import LANG_ATTR, text, translator

HERE = Path(__file__).parent
STYLE_CSS = HERE / "style.css"
TEMPLATES = HERE / "templates"
STALE_SUFFIX = ".STALE"
REPORT_PARTS = ("HTML", "PDF", "Word")  # what the build summary times (the sections' pages count as HTML)
AUDIT = "audit"  # the audit's files: audit.html, audit.pdf, audit.docx, audit.pages.json


def fmt_num(value) -> str:
    """Numbers to 6 significant digits for reading (claims.csv keeps them in full), blanks as —."""
    return format_value(value, "number")


def environment(language: str = "zh") -> jinja2.Environment:
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(TEMPLATES)),
                             autoescape=jinja2.select_autoescape(["html", "j2"], default=True),
                             trim_blocks=True, lstrip_blocks=True, undefined=jinja2.StrictUndefined)
    env.filters["num"] = fmt_num
    env.globals["t"] = translator(language)
    env.globals["language"] = language
    env.globals["lang_attr"] = LANG_ATTR[language]
    env.globals["status_badge"] = lambda status: report_tables.status_badge(status, language)
    env.globals["font_marker"] = Markup(fonts.MARKER)
    env.globals["code"] = report_tables.code
    return env


def read_language(out_dir: Path) -> str:
    """The edition a build directory was made for: run.json's `language` (set by the runner), else zh."""
    try:
        language = json.loads((Path(out_dir) / "run.json").read_text(encoding="utf-8")).get("language")
    except (OSError, ValueError, AttributeError):
        language = None
    return language if language in LANG_ATTR else "zh"


# --------------------------------------------------------------------------
# one section
# --------------------------------------------------------------------------
def section_title(s, language: str) -> str:
    return s.title_zh if language == "zh" else s.title_en


def section_heading(s, language: str) -> Markup:
    """'一(一)(二) 网上零售规模…' or 'Retail growth …' with the report's section number marked Chinese."""
    if language == "zh":
        return Markup("{} {}").format(s.report_section, s.title_zh)
    return Markup("{}").format(s.title_en)


def additional_offsets(out_dir: Path, order: list[str]) -> dict[str, int]:
    """The number of each section's first additional figure (附图N / Figure AN): figures without a
    report_figure are numbered across the report, in section order, from the results in build/."""
    offsets, following = {}, 1
    for name in order:
        offsets[name] = following
        try:
            results = json.loads((Path(out_dir) / "results" / f"{name}.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            results = None
        following += cells.additional_figure_count(results)
    return offsets


def section_body(s: inputs.SectionInput, out_dir: Path, include_code: bool, language: str = "zh",
                 first_additional: int = 1) -> tuple[str, list, list[str]]:
    """The slow part of a section's block: its executed notebook rendered to HTML, its figure
    references, and why rendering failed (if it did). Depends only on the section's files in
    build/ and the numbering, not on its run entry (status, seconds): see ReportBuilder."""
    if not s.built:
        return "", [], []
    titles = (s.title_zh, s.title_en)
    try:
        body = cells.render_notebook(s.notebook, s.name, s.results, out_dir, include_code=include_code,
                                     language=language, first_additional=first_additional, titles=titles)
        return body, cells.figure_refs(s.name, s.results, language, first_additional), []
    except Exception as exc:  # noqa: BLE001 - one bad notebook must not take the whole report down
        return "", [], [text("section.render_failed", language, name=s.name, error=f"{type(exc).__name__}: {exc}")]


def section_context(s: inputs.SectionInput, run: dict, out_dir: Path, include_code: bool,
                    language: str = "zh", first_additional: int = 1,
                    body: tuple[str, list, list[str]] | None = None) -> dict:
    """What one section's block shows. `run` is the run record (for the assumptions
    changed from their defaults); s.run is this section's entry in it. `body`: section_body's
    result when already rendered (it is the slow part)."""
    changed = run.get("changed_from_defaults", {}).get(s.name, {})
    params = [{"name": k, "value": reader_value(v, language), "changed": k in changed,
               "default": reader_value(changed[k]["default"], language) if k in changed else ""}
              for k, v in s.parameters.items() if k not in ("language", "output_dir")]
    claims = (s.results or {}).get("claims", [])
    counts = dict.fromkeys(STATUSES, 0)
    for c in claims:
        counts[c.get("status")] = counts.get(c.get("status"), 0) + 1
    results = [{"key": k, **(v if isinstance(v, dict) else {"value": v})}
               for k, v in ((s.results or {}).get("results") or {}).items()]
    problems = [s.problem] if s.problem else []
    found = (s.results or {}).get("language")
    if found in LANG_ATTR and found != language:
        problems.append(text("section.other_language", language, found=found, edition=language))
    body, refs, render_problems = body if body is not None else section_body(s, out_dir, include_code, language,
                                                                              first_additional)
    problems += render_problems
    return {
        "name": s.name, "report_section": s.report_section, "title": section_title(s, language),
        "heading": section_heading(s, language),
        # the report's part in English with its own numbering beside it: Part 1 (1)–(2) 一(一)(二)
        "number_note": (english_part(s.report_section) if language == "en" else Markup("")),
        "running": f"{s.report_section} {s.title_zh}" if language == "zh" else s.title_en,
        "built": s.built, "status": s.status, "seconds": s.run.get("seconds"),
        "results_missing": s.built and s.results is None, "problem": "; ".join(problems),
        "body": Markup(body), "claims": claims, "claim_counts": counts, "claim_total": len(claims),
        "claims_table": report_tables.claims_table(claims, language) if claims else None,
        "params_table": report_tables.params_table(params, language) if params else None,
        "results_table": report_tables.results_table(results, language) if results else None,
        "figures": [{"anchor": r.anchor, "label": r.label, "caption": r.caption, "sources": r.sources} for r in refs],
        "first_additional": first_additional,
        "declared_data": list(sections_mod.get(s.name).data) if s.name in sections_mod.SECTIONS else [],
    }


# --------------------------------------------------------------------------
# the whole report
# --------------------------------------------------------------------------
def _changed_list(run: dict, language: str) -> list[dict]:
    return [{"section": sec, "key": key, "default": reader_value(d.get("default"), language),
             "used": reader_value(d.get("used"), language)}
            for sec, diff in (run.get("changed_from_defaults") or {}).items() for key, d in diff.items()]


def _not_applied_list(run: dict, language: str) -> list[dict]:
    """Changes asked for in a build whose section failed: its last good outputs (default values) are shown."""
    return [{"section": sec, "key": key, "default": reader_value(d.get("default"), language),
             "requested": reader_value(d.get("requested"), language)}
            for sec, diff in (run.get("changes_not_applied") or {}).items() for key, d in diff.items()]


def _assumptions(build: inputs.BuildInputs, language: str) -> list[dict]:
    return [{"section": s.name, "name": a.get("name", ""), "value": reader_value(a.get("value"), language),
             "justification": a.get("justification", "")}
            for s in build.sections if s.results for a in s.results.get("assumptions", [])]


def _data_sources(secs: list[dict]) -> list[dict]:
    used: dict[str, list[dict]] = {}
    for s in secs:
        for f in s["figures"]:
            for src in f["sources"]:
                used.setdefault(src, []).append({"anchor": f["anchor"], "label": f"{f['label']} {f['caption']}"})
    return [{"file": k, "used_by": v} for k, v in sorted(used.items())]


def _versions(build: inputs.BuildInputs) -> tuple[list[str], list[dict]]:
    run_versions = build.run.get("versions", {}) or {}
    with_results = [s for s in build.sections if s.results and s.results.get("versions")]
    packages = list(run_versions)
    for s in with_results:
        packages += [p for p in s.results["versions"] if p not in packages]
    rows = [{"package": p, "run": run_versions.get(p, "—"),
             "sections": [s.results["versions"].get(p, "—") for s in with_results]} for p in packages]
    return [s.name for s in with_results], rows


def assembler_versions() -> str:
    out = []
    for name in ("nbconvert", "mistune", "jinja2", "weasyprint", "pypandoc-binary"):
        try:
            out.append(f"{name} {metadata.version(name)}")
        except metadata.PackageNotFoundError:
            pass
    return ", ".join(out)


def _sweeps(out_dir: Path, names: list[str] | None, language: str) -> list[dict]:
    """Sweep summaries from build/sweeps/<name>/ (summary.csv, summary.png),
    for the sweeps named (all present when names is empty; none when None)."""
    if names is None:
        return []
    root = Path(out_dir) / "sweeps"
    chosen = names or sorted(p.name for p in root.glob("*") if (p / "summary.csv").is_file())
    out = []
    for name in chosen:
        summary = root / name / "summary.csv"
        if not summary.is_file():
            out.append({"name": name, "missing": True})
            continue
        with summary.open(encoding="utf-8", newline="") as fh:
            rows = [[restore(v) for v in row] for row in csv.reader(fh)]  # neutralised cells (ecrights.csvsafe)
        figure = root / name / "summary.png"
        out.append({"name": name, "missing": False,
                    "table": report_tables.sweep_table(rows[0], rows[1:], language) if rows else None,
                    "figure": cells.data_uri(figure.read_bytes(), "image/png") if figure.is_file() else ""})
    return out


def _with_explanations(rows: list[dict], build: inputs.BuildInputs) -> list[dict]:
    """claims.csv rows completed from the results JSON (explanations in both languages, quote_en)."""
    recorded = {c.get("claim_id"): c for s in build.sections if s.results for c in s.results.get("claims", [])}
    return [{**r, **{k: v for k, v in recorded.get(r.get("claim_id"), {}).items()
                     if k in ("explanations", "quote_en")}} for r in rows]


def _built_date(run: dict) -> dt.date | None:
    m = re.match(r"(\d{4}-\d{2}-\d{2})", str(run.get("built_at") or ""))
    return dt.date.fromisoformat(m.group(1)) if m else None


def report_context(build: inputs.BuildInputs, include_code: bool, sweeps: list[dict] | None = None,
                   section_contexts: dict[str, dict] | None = None, *, language: str = "zh",
                   front: front_matter.FrontMatter | None = None) -> dict:
    """Everything the templates get; section_contexts: sections already prepared (by name)."""
    prepared = section_contexts or {}
    offsets = additional_offsets(build.out_dir, [s.name for s in build.sections])
    secs = [prepared.get(s.name) or section_context(s, build.run, build.out_dir, include_code, language,
                                                    offsets[s.name]) for s in build.sections]
    titles = {s["name"]: s["title"] for s in secs}
    card = scorecard.build(build.claims_rows, [s.name for s in build.sections],
                           built={s.name: s.built for s in build.sections})
    version_sections, versions = _versions(build)
    front = front or front_matter.load(language)
    built = _built_date(build.run)
    sec_rows = [{"name": s["name"], "title": s["title"], "built": s["built"], "status": s["status"],
                 "seconds": s["seconds"], "declared_data": s["declared_data"]} for s in secs]
    return {
        "front": front, "date_text": front.date_text(built), "iso_date": front.iso_date(built),
        "run": build.run, "include_code": include_code,
        "sections": secs, "built_count": sum(s["built"] for s in secs),
        "changed": _changed_list(build.run, language), "not_applied": _not_applied_list(build.run, language), "scorecard": card,
        "scorecard_table": report_tables.scorecard_table(card, language, titles),
        "discrepancies_table": (report_tables.discrepancies_table(_with_explanations(card.discrepancies, build),
                                                                 language, titles)
                                if card.discrepancies else None),
        "statuses": STATUSES,
        "assumptions_table": (report_tables.assumptions_table(_assumptions(build, language), language, titles)
                              if _assumptions(build, language) else None),
        "data_sources_table": (report_tables.data_sources_table(_data_sources(secs), language)
                               if _data_sources(secs) else None),
        "declared_table": report_tables.declared_table(sec_rows, language),
        "run_record_table": report_tables.run_record_table(sec_rows, language),
        "versions_table": report_tables.versions_table(version_sections, versions, language),
        "assembler": assembler_versions(), "sweeps": sweeps or [], "toc_pages": {},
        "figures": [f for s in secs for f in s["figures"]],
    }


# --------------------------------------------------------------------------
# checking self-containment
# --------------------------------------------------------------------------
EXTERNAL_PATTERNS = [
    re.compile(r"<(?:script|link|img|iframe|source|video|audio|embed|object)\b[^>]*\b(?:src|href|data|srcset)\s*=\s*['\"]?\s*(?:https?:)?//", re.IGNORECASE),
    re.compile(r"@import\s+(?:url\()?\s*['\"]?\s*(?:https?:)?//", re.IGNORECASE),
    re.compile(r"url\(\s*['\"]?\s*(?:https?:)?//", re.IGNORECASE),
]


def external_references(html: str) -> list[str]:
    """Every place the page would load something from the network (should be empty)."""
    hits = []
    for pattern in EXTERNAL_PATTERNS:
        hits += [m.group(0) for m in pattern.finditer(html)]
    return hits


# --------------------------------------------------------------------------
# writing
# --------------------------------------------------------------------------
def _atomic_write(path: Path, content: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(path.suffix + ".tmp")
    if isinstance(content, bytes):
        tmp.write_bytes(content)
    else:
        tmp.write_text(content, encoding="utf-8")
    tmp.replace(path)
    return path


def handle_skipped_pdf(out_dir: Path) -> str:
    """What a build without a PDF (--no-pdf) does to the PDF of an earlier build: keeps it —
    the last good PDF is never destroyed — but marks it stale with report.pdf.STALE (removed
    again by the next build that writes a PDF). Returns the message to print ('' when there
    is no earlier PDF)."""
    out_dir = Path(out_dir)
    old = out_dir / "report.pdf"
    marker = out_dir / ("report.pdf" + STALE_SUFFIX)
    if not old.is_file():
        marker.unlink(missing_ok=True)
        return ""
    when = dt.datetime.fromtimestamp(old.stat().st_mtime, dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    _atomic_write(marker, f"report.pdf was written by an earlier build ({when}) and does NOT match report.html:\n"
                          f"this build ran with --no-pdf. Build again without --no-pdf to replace it.\n")
    return (f"report: {old} is from an earlier build ({when}) and is stale (--no-pdf): kept, "
            f"marked by {marker.name}")


class ReportBuilder:
    """Builds the audit of one edition (audit.html, audit.pdf, audit.docx, sections/<section>.html),
    one section at a time.

    add_section() prepares a section as soon as it is in build/: its notebook
    rendered to HTML and, for the PDF, its pages laid out (the slow part). The
    runner calls it from a background thread while later sections still
    execute. finish() adds what needs every section (front matter, scorecard,
    appendices) and writes the files; a section not added, or changed in
    build/ since it was added (its files, or the number of additional figures
    before it), is prepared there. build_report() is the same, all at once.

    language: the edition (zh or en); None reads it from build/run.json (zh when absent)."""

    def __init__(self, out_dir: Path, *, include_code: bool = False, write_pdf: bool = True,
                 write_docx: bool = True, language: str | None = None, front_matter_file: Path | None = None):
        self.out_dir = Path(out_dir)
        self.include_code = include_code
        self.write_pdf = write_pdf
        self.write_docx = write_docx
        self.language = language or read_language(self.out_dir)
        if self.language not in LANG_ATTR:
            raise ValueError(f"language must be one of {tuple(LANG_ATTR)}, got {self.language!r}")
        self.front = front_matter.load(self.language, front_matter_file)  # a bad file fails before any work
        self.order = sections_mod.names()
        self.env = environment(self.language)
        self.css = Markup(STYLE_CSS.read_text(encoding="utf-8"))
        self.contexts: dict[str, dict] = {}
        self._stamps: dict[str, tuple] = {}
        self._bodies: dict[str, tuple] = {}  # section → (its files and numbering, section_body's result)
        self.laid_out: dict[str, tuple[int, object]] = {}  # section → (first page, weasyprint Document)
        self._font_config = pdf.new_font_config() if write_pdf else None
        self._print_css = pdf.print_css() if write_pdf else ""
        self._page_hints = self._read_page_hints()
        # seconds spent on each output (the build summary's breakdown): "ahead" while the
        # sections still ran (add_section, on the background thread), "after" in finish()
        self.seconds = {"ahead": dict.fromkeys(REPORT_PARTS, 0.0), "after": dict.fromkeys(REPORT_PARTS, 0.0)}
        self._phase = "ahead"

    @contextmanager
    def _timing(self, part: str):
        started = time.perf_counter()
        try:
            yield
        finally:
            self.seconds[self._phase][part] += time.perf_counter() - started

    # ---- sections ----------------------------------------------------------
    def _stamp(self, s: inputs.SectionInput, run: dict, first_additional: int) -> tuple:
        """What a prepared section depends on: its files in build/, its run entries, its first figure number."""
        files = [self.out_dir / "notebooks" / f"{s.name}.ipynb", self.out_dir / "results" / f"{s.name}.json"]
        return (tuple((p.stat().st_mtime_ns, p.stat().st_size) if p.is_file() else None for p in files),
                json.dumps([s.run, run.get("changed_from_defaults", {}).get(s.name)], sort_keys=True, default=str),
                first_additional)

    def _body(self, s: inputs.SectionInput, stamp: tuple) -> tuple[str, list, list[str]]:
        """section_body, rendered again only when the section's files or numbering changed: a
        section served from the cache gets a new run entry (status cached, its seconds) in
        finish(), which changes its block's header, not its rendered notebook."""
        key = (stamp[0], stamp[2])
        kept = self._bodies.get(s.name)
        if kept is None or kept[0] != key:
            kept = self._bodies[s.name] = (key, section_body(s, self.out_dir, self.include_code, self.language,
                                                             stamp[2]))
        return kept[1]

    def add_section(self, s: inputs.SectionInput, run: dict) -> None:
        first = additional_offsets(self.out_dir, self.order).get(s.name, 1)
        stamp = self._stamps[s.name] = self._stamp(s, run, first)
        with self._timing("HTML"):
            self.contexts[s.name] = section_context(s, run, self.out_dir, self.include_code, self.language, first,
                                                    body=self._body(s, stamp))
        if self.write_pdf:
            with self._timing("PDF"):
                self._layout_ready_sections()

    def _layout_ready_sections(self) -> None:
        """Lay out every prepared section whose first page number is known — the
        sections before it are laid out — or can be predicted from their page
        counts in the last build (report.pages.json). A section laid out at a
        prediction that proves wrong is laid out again at the right page."""
        first = 1
        for name in self.order:
            laid = self.laid_out.get(name)
            if name in self.contexts and (laid is None or laid[0] != first):
                block = self.env.get_template("macros.html.j2").module.section_block(self.contexts[name])
                laid = self.laid_out[name] = (first, self._layout(block, pdf.body_css(first)))
            pages = len(laid[1].pages) if laid else self._page_hints.get(name)
            if pages is None:
                return  # nothing after this section can be placed yet
            first += pages

    def _next_page(self) -> int:
        return 1 + sum(len(document.pages) for _, document in self.laid_out.values())

    def _page_hints_file(self) -> Path:
        return self.out_dir / f"{AUDIT}.pages.json"

    def _hints_key(self) -> str:
        return f"include_code={self.include_code}" + ("" if self.language == "zh" else f",language={self.language}")

    def _read_page_hints(self) -> dict[str, int]:
        """Only a guess: an unreadable or odd file means no guesses, never an error."""
        try:
            hints = json.loads(self._page_hints_file().read_text(encoding="utf-8"))
            counts = {k: int(v) for k, v in hints.get(self._hints_key(), {}).items()}
        except (OSError, ValueError, TypeError, AttributeError, OverflowError):  # Infinity, 1e400
            return {}
        return {k: v for k, v in counts.items() if k in self.order and v >= 1}

    def _write_page_hints(self) -> None:
        path = self._page_hints_file()
        try:
            hints = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            hints = {}
        if not isinstance(hints, dict):
            hints = {}
        hints[self._hints_key()] = {n: len(d.pages) for n, (_, d) in self.laid_out.items()}
        _atomic_write(path, json.dumps(hints, indent=1, sort_keys=True) + "\n")

    def _layout(self, part: str, part_css: str, footer_context: dict | None = None, metadata: dict | None = None):
        """Lay out one part; footer_context (the report context) adds the build stamp at its end;
        metadata (the front matter's) goes into the part's <head>: the PDF takes the first part's."""
        context = {"front": self.front, "show_footer": False} if footer_context is None else \
            {**footer_context, "show_footer": True}
        html = self.env.get_template("pdf_part.html.j2").render(
            css=self.css, extra_css=Markup(self._print_css + part_css), part=Markup(part),
            meta=metadata or {}, **context)
        return pdf.layout(html, self.out_dir, self._font_config)

    # ---- the whole report --------------------------------------------------
    def finish(self, include_sweeps: list[str] | None = None) -> list[Path]:
        started = time.perf_counter()
        self._phase = "after"
        with self._timing("HTML"):
            pages, ctx, meta = self._pages(include_sweeps)
            written = [_atomic_write(self.out_dir / name, page) for name, page in pages.items()]
        if self.write_pdf:
            with self._timing("PDF"):
                written.insert(1, self._write_pdf(ctx, meta))
        if self.write_docx:
            with self._timing("Word"):
                written.insert(1, docx.write(pages[f"{AUDIT}.html"], self.out_dir / f"{AUDIT}.docx", self.language,
                                             meta))
        print(f"report assembled in {time.perf_counter() - started:.1f} s")
        return written

    def _pages(self, include_sweeps: list[str] | None):
        """audit.html and sections/*.html (fonts embedded), with the context and metadata they share."""
        build = inputs.load(self.out_dir)
        offsets = additional_offsets(self.out_dir, self.order)
        for s in build.sections:  # prepared from files that have changed since: again
            if s.name in self.contexts and self._stamps.get(s.name) != self._stamp(s, build.run, offsets[s.name]):
                del self.contexts[s.name]
                self.laid_out.pop(s.name, None)
        for s in build.sections:
            if s.name not in self.contexts:
                stamp = self._stamps[s.name] = self._stamp(s, build.run, offsets[s.name])
                self.contexts[s.name] = section_context(s, build.run, self.out_dir, self.include_code,
                                                        self.language, offsets[s.name], body=self._body(s, stamp))
        ctx = report_context(build, self.include_code, _sweeps(self.out_dir, include_sweeps, self.language),
                             self.contexts, language=self.language, front=self.front)
        meta = self._metadata(ctx)
        html = self.env.get_template("report.html.j2").render(css=self.css, extra_css="", meta=meta, **ctx)
        hits = external_references(html)
        if hits:  # cells.py strips these; reaching here is a bug, not a warning
            raise RuntimeError(f"{AUDIT}.html would load external resources: {hits[:3]}")
        section_template = self.env.get_template("section.html.j2")
        pages = {f"{AUDIT}.html": html}
        for sc in ctx["sections"]:
            pages[f"sections/{sc['name']}.html"] = section_template.render(
                css=self.css, extra_css="", s=sc, meta=meta, **{k: v for k, v in ctx.items() if k != "sections"})
        return dict(zip(pages, fonts.embed(list(pages.values())))), ctx, meta  # one font subset for all pages

    def _metadata(self, ctx: dict) -> dict:
        front = self.front
        return {"title": front.title, "subtitle": front.subtitle, "authors": list(front.authors),
                "description": front.subject,
                "keywords": ", ".join(front.keywords), "created": ctx["iso_date"], "lang": LANG_ATTR[self.language]}

    def _write_pdf(self, ctx: dict, meta: dict) -> Path:
        self._layout_ready_sections()
        first = self._next_page()
        appendices = self.env.get_template("appendices.html.j2").render(**ctx)
        appendix_doc = self._layout(appendices, pdf.body_css(first), footer_context=ctx)
        body = [self.laid_out[name] for name in self.order] + [(first, appendix_doc)]
        toc_pages = pdf.first_pages(body)
        front = self.env.get_template("front.html.j2").render(**{**ctx, "toc_pages": toc_pages})
        front_doc = self._layout(front, pdf.front_css(), metadata=meta)
        written = pdf.write([front_doc] + [d for _, d in body], self.out_dir / f"{AUDIT}.pdf",
                            front_pages=len(front_doc.pages))
        self._write_page_hints()
        return written


def build_report(out_dir: Path, include_code: bool = False, *, write_pdf: bool = True, write_docx: bool = True,
                 include_sweeps: list[str] | None = None, language: str | None = None,
                 audit_pdf: bool = False, audit_docx: bool = False) -> list[Path]:
    """Write both documents of one edition into out_dir; return their paths: the reader's edition
    (report.html; report.pdf unless not write_pdf; report.docx unless not write_docx) and the
    audit (audit.html and sections/<section>.html; audit.pdf and audit.docx when asked for).

    include_sweeps: None = no sweep appendix; [] = every sweep in build/sweeps/; or the names.
    language: the edition, zh or en (None: build/run.json's `language`, else zh)."""
    from . import reader  # noqa: PLC0415 - reader builds on this module (an import cycle)

    written = ReportBuilder(out_dir, include_code=include_code, write_pdf=audit_pdf, write_docx=audit_docx,
                            language=language).finish(include_sweeps)
    return reader.build(out_dir, language, write_pdf=write_pdf, write_docx=write_docx) + written
