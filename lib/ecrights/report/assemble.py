"""Assemble build/report.html, build/report.pdf and build/sections/<section>.html.

Reads only build/ (see inputs.py) and never recomputes anything: numbers come
from the results JSON and claims.csv, narrative and tables from the executed
notebooks, figures from build/figures/. The HTML is one self-contained file:
figures are data URIs, the CSS is inline, no script is loaded and math is
rendered here. The PDF is the same document through weasyprint with the
local Noto Sans CJK SC font.
"""

from __future__ import annotations

import json
import math
import re
import time
from pathlib import Path

import jinja2
from markupsafe import Markup

from .. import sections as sections_mod
from . import cells, fonts, inputs, pdf, scorecard

HERE = Path(__file__).parent
STYLE_CSS = HERE / "style.css"
TEMPLATES = HERE / "templates"

TITLE_ZH = "《电商消费维权指数2019年度报告》 复现"
SUBTITLE_EN = "A reproduction of the E-commerce Consumer Rights Protection Index 2019 annual report"


# --------------------------------------------------------------------------
# formatting
# --------------------------------------------------------------------------
def fmt_num(value) -> str:
    """Numbers to 6 significant digits for reading (build/claims.csv keeps them
    in full), blanks as an em dash."""
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, str):
        try:
            value = float(value)
        except ValueError:
            return value
    if isinstance(value, (int, float)):
        if isinstance(value, float) and (math.isnan(value) or math.isinf(value)):
            return "—"
        value = round(value, 10)  # float noise such as 8.9e-16 is a zero difference
        if float(value).is_integer() and abs(value) < 1e15:
            return str(int(value))
        return f"{value:.6g}"
    return str(value)


def status_label(status: str) -> str:
    zh, en = scorecard.STATUS_LABELS.get(status, (status, status))
    return f"{zh} {en}"


def environment() -> jinja2.Environment:
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(TEMPLATES)),
                             autoescape=jinja2.select_autoescape(["html", "j2"], default=True),
                             trim_blocks=True, lstrip_blocks=True, undefined=jinja2.StrictUndefined)
    env.filters["num"] = fmt_num
    env.globals["status_label"] = status_label
    env.globals["font_marker"] = Markup(fonts.MARKER)
    return env


def _show(value) -> str:
    return repr(value) if isinstance(value, str) else str(value)


# --------------------------------------------------------------------------
# the context the templates get
# --------------------------------------------------------------------------
def section_context(s: inputs.SectionInput, run: dict, out_dir: Path, include_code: bool) -> dict:
    """What one section's block shows. `run` is the run record (for the assumptions
    changed from their defaults); s.run is this section's entry in it."""
    changed = run.get("changed_from_defaults", {}).get(s.name, {})
    params = [{"name": k, "value": _show(v), "changed": k in changed,
               "default": _show(changed[k]["default"]) if k in changed else ""}
              for k, v in s.parameters.items()]
    claims = (s.results or {}).get("claims", [])
    counts = dict.fromkeys(scorecard.STATUSES, 0)
    for c in claims:
        counts[c.get("status")] = counts.get(c.get("status"), 0) + 1
    results = [{"key": k, "value": (v or {}).get("value") if isinstance(v, dict) else v,
                "description": (v or {}).get("description", "") if isinstance(v, dict) else ""}
               for k, v in ((s.results or {}).get("results") or {}).items()]
    body, problem = "", s.problem
    if s.built:
        try:
            body = cells.render_notebook(s.notebook, s.name, s.results, out_dir, include_code=include_code)
        except Exception as exc:  # noqa: BLE001 - one bad notebook must not take the whole report down
            problem = "; ".join(p for p in (problem, f"rendering notebooks/{s.name}.ipynb failed "
                                                     f"({type(exc).__name__}: {exc})") if p)
    return {
        "name": s.name, "report_section": s.report_section, "title_zh": s.title_zh, "title_en": s.title_en,
        "built": s.built, "status": s.status, "seconds": s.run.get("seconds"),
        "results_missing": s.built and s.results is None, "problem": problem,
        "body": Markup(body), "claims": claims, "claim_counts": counts, "claim_total": len(claims),
        "params": params, "results": results,
        "declared_data": list(sections_mod.get(s.name).data) if s.name in sections_mod.SECTIONS else [],
    }


def _changed_list(run: dict) -> list[dict]:
    return [{"section": sec, "key": key, "default": _show(d.get("default")), "used": _show(d.get("used"))}
            for sec, diff in (run.get("changed_from_defaults") or {}).items() for key, d in diff.items()]


def _assumptions(build: inputs.BuildInputs) -> list[dict]:
    return [{"section": s.name, "name": a.get("name", ""), "value": _show(a.get("value")),
             "justification": a.get("justification", "")}
            for s in build.sections if s.results for a in s.results.get("assumptions", [])]


def _data_sources(build: inputs.BuildInputs) -> list[dict]:
    used: dict[str, list[dict]] = {}
    for s in build.sections:
        if not s.results:
            continue
        for number, f in enumerate(s.results.get("figures", []), start=1):
            for src in f.get("sources", []):
                used.setdefault(src, []).append({
                    "anchor": f"{s.name}-fig-{number}",
                    "label": f"{s.name} · 图 {number} {f.get('caption', '')}"})
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
    from importlib import metadata

    out = []
    for name in ("nbconvert", "mistune", "jinja2", "weasyprint"):
        try:
            out.append(f"{name} {metadata.version(name)}")
        except metadata.PackageNotFoundError:
            pass
    return ", ".join(out)


def _sweeps(out_dir: Path, names: list[str] | None) -> list[dict]:
    """Sweep summaries from build/sweeps/<name>/ (summary.csv, summary.png),
    for the sweeps named (all present when names is empty; none when None)."""
    import csv

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
            rows = list(csv.reader(fh))
        figure = root / name / "summary.png"
        out.append({"name": name, "missing": False, "header": rows[0], "rows": rows[1:],
                    "figure": cells.data_uri(figure.read_bytes(), "image/png") if figure.is_file() else ""})
    return out


def report_context(build: inputs.BuildInputs, include_code: bool, sweeps: list[dict] | None = None,
                   section_contexts: dict[str, dict] | None = None) -> dict:
    """Everything the templates get; section_contexts: sections already prepared (by name)."""
    prepared = section_contexts or {}
    secs = [prepared.get(s.name) or section_context(s, build.run, build.out_dir, include_code) for s in build.sections]
    card = scorecard.build(build.claims_rows, [s.name for s in build.sections],
                           built={s.name: s.built for s in build.sections})
    version_sections, versions = _versions(build)
    return {
        "title_zh": TITLE_ZH, "subtitle_en": SUBTITLE_EN, "run": build.run, "include_code": include_code,
        "sections": secs, "built_count": sum(s["built"] for s in secs),
        "changed": _changed_list(build.run), "scorecard": card, "statuses": scorecard.STATUSES,
        "section_titles": {s.name: f"{s.report_section} {s.title_zh}" for s in build.sections},
        "assumptions": _assumptions(build), "data_sources": _data_sources(build),
        "version_sections": version_sections, "versions": versions, "assembler": assembler_versions(),
        "sweeps": sweeps or [], "toc_pages": {},
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
def _atomic_write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(path.suffix + ".tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(path)
    return path


class ReportBuilder:
    """Builds report.html, report.pdf and sections/<section>.html, one section at a time.

    add_section() prepares a section as soon as it is in build/: its notebook
    rendered to HTML and, for the PDF, its pages laid out (the slow part). The
    runner calls it from a background thread while later sections still
    execute. finish() adds what needs every section (front matter, scorecard,
    appendices) and writes the files; a section not added, or changed in
    build/ since it was added, is prepared there. build_report() is the same,
    all at once."""

    def __init__(self, out_dir: Path, *, include_code: bool = False, write_pdf: bool = True):
        self.out_dir = Path(out_dir)
        self.include_code = include_code
        self.write_pdf = write_pdf
        self.order = sections_mod.names()
        self.env = environment()
        self.css = Markup(STYLE_CSS.read_text(encoding="utf-8"))
        self.contexts: dict[str, dict] = {}
        self._stamps: dict[str, tuple] = {}
        self.laid_out: dict[str, tuple[int, object]] = {}  # section → (first page, weasyprint Document)
        self._font_config = pdf.new_font_config() if write_pdf else None
        self._print_css = pdf.print_css() if write_pdf else ""
        self._page_hints = self._read_page_hints()

    # ---- sections ----------------------------------------------------------
    def _stamp(self, s: inputs.SectionInput, run: dict) -> tuple:
        """What a prepared section depends on: its files in build/ and its run entries."""
        files = [self.out_dir / "notebooks" / f"{s.name}.ipynb", self.out_dir / "results" / f"{s.name}.json"]
        return (tuple((p.stat().st_mtime_ns, p.stat().st_size) if p.is_file() else None for p in files),
                json.dumps([s.run, run.get("changed_from_defaults", {}).get(s.name)], sort_keys=True, default=str))

    def add_section(self, s: inputs.SectionInput, run: dict) -> None:
        self._stamps[s.name] = self._stamp(s, run)
        self.contexts[s.name] = section_context(s, run, self.out_dir, self.include_code)
        if self.write_pdf:
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
        return self.out_dir / "report.pages.json"

    def _read_page_hints(self) -> dict[str, int]:
        """Only a guess: an unreadable or odd file means no guesses, never an error."""
        try:
            hints = json.loads(self._page_hints_file().read_text(encoding="utf-8"))
            counts = {k: int(v) for k, v in hints.get(f"include_code={self.include_code}", {}).items()}
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
        hints[f"include_code={self.include_code}"] = {n: len(d.pages) for n, (_, d) in self.laid_out.items()}
        _atomic_write(path, json.dumps(hints, indent=1, sort_keys=True) + "\n")

    def _layout(self, part: str, part_css: str, footer_context: dict | None = None):
        """Lay out one part; footer_context (the report context) adds the build stamp at its end."""
        context = {"title_zh": TITLE_ZH, "show_footer": False} if footer_context is None else \
            {**footer_context, "show_footer": True}
        html = self.env.get_template("pdf_part.html.j2").render(
            css=self.css, extra_css=Markup(self._print_css + part_css), part=Markup(part), **context)
        return pdf.layout(html, self.out_dir, self._font_config)

    # ---- the whole report --------------------------------------------------
    def finish(self, include_sweeps: list[str] | None = None) -> list[Path]:
        started = time.perf_counter()
        build = inputs.load(self.out_dir)
        for s in build.sections:  # prepared from files that have changed since: again
            if s.name in self.contexts and self._stamps.get(s.name) != self._stamp(s, build.run):
                del self.contexts[s.name]
                self.laid_out.pop(s.name, None)
        for s in build.sections:
            if s.name not in self.contexts:
                self.contexts[s.name] = section_context(s, build.run, self.out_dir, self.include_code)
        ctx = report_context(build, self.include_code, _sweeps(self.out_dir, include_sweeps), self.contexts)

        html = self.env.get_template("report.html.j2").render(css=self.css, extra_css="", **ctx)
        hits = external_references(html)
        if hits:  # cells.py strips these; reaching here is a bug, not a warning
            raise RuntimeError(f"report.html would load external resources: {hits[:3]}")
        section_template = self.env.get_template("section.html.j2")
        pages = {"report.html": html}
        for sc in ctx["sections"]:
            pages[f"sections/{sc['name']}.html"] = section_template.render(
                css=self.css, extra_css="", s=sc, **{k: v for k, v in ctx.items() if k != "sections"})
        pages = dict(zip(pages, fonts.embed(list(pages.values()))))  # one font subset for all pages
        written = [_atomic_write(self.out_dir / name, page) for name, page in pages.items()]
        if self.write_pdf:
            written.insert(1, self._write_pdf(ctx))
        print(f"report assembled in {time.perf_counter() - started:.1f} s")
        return written

    def _write_pdf(self, ctx: dict) -> Path:
        self._layout_ready_sections()
        first = self._next_page()
        appendices = self.env.get_template("appendices.html.j2").render(**ctx)
        appendix_doc = self._layout(appendices, pdf.body_css(first), footer_context=ctx)
        body = [self.laid_out[name] for name in self.order] + [(first, appendix_doc)]
        toc_pages = pdf.first_pages(body)
        front = self.env.get_template("front.html.j2").render(**{**ctx, "toc_pages": toc_pages})
        front_doc = self._layout(front, pdf.front_css())
        written = pdf.write([front_doc] + [d for _, d in body], self.out_dir / "report.pdf",
                            front_pages=len(front_doc.pages))
        self._write_page_hints()
        return written


def build_report(out_dir: Path, include_code: bool = False, *, write_pdf: bool = True,
                 include_sweeps: list[str] | None = None) -> list[Path]:
    """Write report.html, report.pdf and sections/<section>.html into out_dir; return their paths.

    include_sweeps: None = no sweep appendix; [] = every sweep in build/sweeps/; or the names."""
    return ReportBuilder(out_dir, include_code=include_code, write_pdf=write_pdf).finish(include_sweeps)
