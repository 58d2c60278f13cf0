"""An executed notebook → an HTML fragment for one report section, in one edition.

What shows is decided by cell tags (Jupyter Book's names), never by convention:

| tag | in the report |
|---|---|
| `parameters`, `injected-parameters` | nothing (the parameters are shown in the section's table) |
| `remove-cell` | nothing (bookkeeping: imports, record.save, log lines) |
| `remove-input` | the output; the code never, even with include_code |
| `remove-output` | the code (with include_code), no output |
| `hide-input` / untagged code | the output; with include_code the code too, folded in <details> |
| `lang-zh` / `lang-en` | only in that edition (untagged markdown is language-neutral) |
| `audience-reader` / `audience-audit` | only in that document (untagged: both); see README "Cell tags" |

Markdown cells are rendered with nbconvert's mistune filter; outputs from
their richest safe MIME type; tables made by ecrights.tables are kept as
typeset. Figures come from the results JSON (embedded as data URIs, with
their number, caption, sources and drawn data) and are placed after the
code cell that recorded them: the report's own figures keep its numbers
(图5 / Figure 5), the project's others are numbered in their own series
across the report (附图1 / Figure A1). Build paths never reach the page.
Everything is self-contained: scripts and external resources are removed,
math is rendered here (matplotlib's mathtext) or left as visible LaTeX.
"""

from __future__ import annotations

import base64
import html
import io
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import matplotlib
from bs4 import BeautifulSoup, NavigableString
from matplotlib import mathtext, rc_context
from matplotlib.font_manager import FontProperties
from nbconvert.filters.ansi import strip_ansi
from nbconvert.filters.markdown_mistune import markdown2html_mistune
from pygments import highlight
from pygments.formatters import HtmlFormatter
from pygments.lexers import PythonLexer

from .. import paths, tables
from ..results import SHOWN_BY_REPORT
from . import svg
from .texts import text

REMOVE_CELL_TAGS = {"remove-cell", "remove_cell", "parameters", "injected-parameters"}
REMOVE_INPUT_TAGS = {"remove-input", "remove_input"}  # code never shown, even with include_code
REMOVE_OUTPUT_TAGS = {"remove-output", "remove_output"}
from ..lab_language import LANG_TAGS  # noqa: E402 - one home of the language tags
AUDIENCE_TAGS = {"audience-reader": "reader", "audience-audit": "audit"}
PATH_REPR = re.compile(r"""^\s*(?:Posix|Windows)?Path\(['"](?P<path>.+)['"]\)\s*$""")
EXTERNAL = re.compile(r"^\s*(?:https?:)?//", re.IGNORECASE)
UNSAFE_TAGS = ("script", "link", "iframe", "object", "embed", "base", "meta", "applet", "frame", "frameset")
URL_ATTRS = ("src", "srcset", "data", "poster", "background", "xlink:href", "action", "formaction")


# --------------------------------------------------------------------------
# small pieces
# --------------------------------------------------------------------------
def data_uri(payload: bytes, mime: str) -> str:
    return f"data:{mime};base64,{base64.b64encode(payload).decode('ascii')}"


def _text(value) -> str:
    return "".join(value) if isinstance(value, list) else str(value or "")


def sanitize_fragment(fragment: str) -> str:
    """Remove scripts and anything that would load from the network."""
    soup = BeautifulSoup(fragment, "html.parser")
    _sanitize_soup(soup)
    return str(soup)


def _clean_css(css: str) -> str:
    css = re.sub(r"@import[^;]*;?", "", css, flags=re.IGNORECASE)
    return re.sub(r"url\(\s*['\"]?\s*(?:https?:)?//[^)]*\)", "none", css, flags=re.IGNORECASE)


def _sanitize_soup(soup: BeautifulSoup) -> None:
    for tag in soup.find_all(UNSAFE_TAGS):
        tag.decompose()
    for tag in soup.find_all(True):
        for attr in list(tag.attrs):
            if attr.lower().startswith("on"):
                del tag.attrs[attr]
        if tag.name == "style" and tag.string:
            tag.string.replace_with(_clean_css(tag.string))
        if "style" in tag.attrs:
            tag["style"] = _clean_css(str(tag["style"]))
        for attr in URL_ATTRS:
            value = tag.attrs.get(attr)
            if value and EXTERNAL.match(str(value)):
                note = soup.new_tag("code", attrs={"class": "muted"})
                note.string = f"[external {tag.name} not embedded: {value}]"
                tag.replace_with(note)
                break


# --------------------------------------------------------------------------
# math: rendered to SVG by matplotlib's mathtext, or left as visible LaTeX
# --------------------------------------------------------------------------
SIMPLE_INLINE = re.compile(r"^\s*([A-Za-z])(?:_\{?([A-Za-z0-9]+)\}?)?\s*$")
MATH = re.compile(r"\$\$(?P<display>.+?)\$\$|(?<![\\$])\$(?P<inline>[^$\n]+?)\$", re.DOTALL)


def _mathtext_compatible(tex: str) -> str:
    tex = re.sub(r"\\(?:text|textrm|operatorname)\{([^}]*)\}",
                 lambda m: r"\mathrm{" + m.group(1).replace(" ", r"\ ") + "}", tex)
    return " ".join(tex.split())


@lru_cache(maxsize=256)
def render_tex_svg(tex: str, size: float) -> str | None:
    """The SVG data URI of a formula, or None when mathtext cannot parse it."""
    try:
        buf = io.BytesIO()
        with rc_context():
            # from matplotlib's defaults, not whatever style this process last set (the
            # figures' house style colours text): the same formula gives the same SVG
            matplotlib.rcdefaults()
            matplotlib.rcParams.update({"mathtext.fontset": "dejavuserif", "svg.fonttype": "path",
                                        "svg.hashsalt": "ecrights"})
            mathtext.math_to_image(f"${_mathtext_compatible(tex)}$", buf, prop=FontProperties(size=size),
                                   dpi=72, format="svg")
        svg = buf.getvalue()
        svg = re.sub(rb"<metadata>.*?</metadata>", b"", svg, flags=re.DOTALL)  # drop the date stamp
        return data_uri(svg, "image/svg+xml")
    except Exception:  # noqa: BLE001 - any parse failure: show the LaTeX instead
        return None


def _math_node(soup: BeautifulSoup, tex: str, display: bool):
    simple = None if display else SIMPLE_INLINE.match(tex)
    if simple:
        node = soup.new_tag("span", attrs={"class": "math-tex"})
        node.append(simple.group(1))
        if simple.group(2):
            sub = soup.new_tag("sub")
            sub.string = simple.group(2)
            node.append(sub)
        return node
    uri = render_tex_svg(tex, 15.0 if display else 11.0)
    if uri is None:
        node = soup.new_tag("code", attrs={"class": "math-tex"})
        node.string = f"$${tex}$$" if display else f"${tex}$"
        return node
    return soup.new_tag("img", attrs={"src": uri, "alt": tex,
                                      "class": "math-display" if display else "math-inline"})


def render_math(soup: BeautifulSoup) -> None:
    for text_node in list(soup.find_all(string=MATH)):
        if text_node.find_parent(["code", "pre", "script", "style"]):
            continue
        source = str(text_node)
        pieces, pos = [], 0
        for m in MATH.finditer(source):
            pieces.append(NavigableString(source[pos:m.start()]))
            display = m.group("display") is not None
            pieces.append(_math_node(soup, html.unescape(m.group("display" if display else "inline")), display))
            pos = m.end()
        pieces.append(NavigableString(source[pos:]))
        for piece in pieces:
            text_node.insert_before(piece)
        text_node.extract()


# --------------------------------------------------------------------------
# build paths never reach the page
# --------------------------------------------------------------------------
STAGING = re.compile(r"""(?:[A-Za-z]:)?(?:[/\\][^\s'"<>/\\]+)*[/\\]\.staging[/\\][^\s'"<>/\\]+[/\\]?""")


def scrub_paths(text: str, roots: tuple[str, ...] = ()) -> str:
    """Build paths out of `text`: a runner's staging directory and the given roots
    (the build directory, the project) go, leaving paths relative to them."""
    text = STAGING.sub("", text)
    for root in sorted(roots, key=len, reverse=True):
        if root and root != "/":
            text = text.replace(root.rstrip("/") + "/", "").replace(root.rstrip("/"), ".")
    return text


def path_roots(out_dir: Path) -> tuple[str, ...]:
    roots = {str(Path(out_dir)), str(Path(out_dir).resolve()), str(paths.project_root())}
    return tuple(sorted(roots, key=len, reverse=True))


# --------------------------------------------------------------------------
# markdown cells
# --------------------------------------------------------------------------
FIGURE_LABEL = re.compile(r"^\s*(?:附\s*)?(?:图|Fig(?:ure|\.)?)\s*(?P<n>A?\d+)\s*[:：.．、]?\s*", re.IGNORECASE)
NUMREF = re.compile(r"\{numref\}`(?P<key>[^`]+)`")


def _norm_title(value: str) -> str:
    return re.sub(r"[\s*_·—:：.,，。()（）]+", "", value).lower()


def render_markdown(source: str, section: str, attachments: dict | None = None, *,
                    heading_shift: int = 1, drop_first_h1: bool = False, counter: list | None = None,
                    figures: dict[str, "FigureRef"] | None = None, titles: tuple[str, ...] = (),
                    report_numbers: set[str] | None = None) -> str:
    """One markdown cell. drop_first_h1: the section's title is the report's own heading; a
    paragraph right after it that repeats the title (in either language) goes too. figures:
    {numref}`key` references become links labelled with the figure's number. A heading that
    starts with one of this section's report figure numbers (report_numbers, e.g. {"5"}) loses
    the number: the figure's caption carries it."""
    if figures:
        source = NUMREF.sub(lambda m: _numref(m.group("key"), figures), source)
    soup = BeautifulSoup(markdown2html_mistune(source), "html.parser")
    for a in soup.select("a.anchor-link"):
        a.decompose()
    if drop_first_h1:
        first = soup.find(["h1"])
        if first is not None:
            nxt = first.find_next_sibling()
            first.decompose()
            wanted = {_norm_title(t) for t in titles if t}
            if nxt is not None and nxt.name == "p" and _norm_title(nxt.get_text()) in wanted:
                nxt.decompose()
    counter = counter if counter is not None else [0]
    for h in soup.find_all(["h1", "h2", "h3", "h4", "h5", "h6"]):
        m = FIGURE_LABEL.match(h.get_text())
        if m and report_numbers and m.group("n") in report_numbers:
            _strip_prefix(h, m.end())
            if not h.get_text(strip=True):
                h.decompose()
                continue
        level = min(int(h.name[1]) + heading_shift, 6)
        h.name = f"h{level}"
        counter[0] += 1
        h["id"] = f"{section}--{counter[0]}"
    for img in soup.find_all("img"):
        src = str(img.get("src", ""))
        if src.startswith("attachment:") and attachments:
            bundle = attachments.get(src.split(":", 1)[1], {})
            for mime, payload in bundle.items():
                if mime.startswith("image/"):
                    raw = payload.encode() if mime == "image/svg+xml" else base64.b64decode(_text(payload))
                    img["src"] = data_uri(raw, mime)
                    break
    render_math(soup)
    _sanitize_soup(soup)
    return str(soup)


def _strip_prefix(tag, length: int) -> None:
    """Remove the first `length` characters of a tag's text (across its text nodes)."""
    for node in list(tag.find_all(string=True)):
        if length <= 0:
            break
        value = str(node)
        cut = min(length, len(value))
        node.replace_with(value[cut:])
        length -= cut


def _numref(key: str, figures: dict[str, "FigureRef"]) -> str:
    ref = figures.get(key)
    if ref is None:
        return f"`{key}`"
    return f'<a href="#{ref.anchor}">{html.escape(ref.label)}</a>'


# --------------------------------------------------------------------------
# outputs
# --------------------------------------------------------------------------
def _pre(text_: str, cls: str) -> str:
    return f'<pre class="{cls}">{html.escape(strip_ansi(text_))}</pre>'


def render_output(output: dict, section: str, figure_files: set[str], language: str = "zh",
                  roots: tuple[str, ...] = ()) -> str:
    kind = output.get("output_type")
    if kind == "stream":
        return _pre(scrub_paths(_text(output.get("text")), roots), f"stream {output.get('name', 'stdout')}")
    if kind == "error":
        tb = "\n".join(_text(line) for line in output.get("traceback", []))
        return _pre(scrub_paths(f"{output.get('ename', '')}: {output.get('evalue', '')}\n{tb}", roots), "error")
    if kind not in ("execute_result", "display_data"):
        return ""
    data = output.get("data", {})
    if output.get("metadata", {}).get("ecrights", {}).get("figure"):
        return ""  # a recorded figure's inline copy: the report shows it with its caption and sources
    if "text/html" in data:
        fragment = scrub_paths(_text(data["text/html"]), roots)
        if tables.is_typeset(fragment):
            if shown_by_report(fragment):
                return ""  # the section's own table at its end shows it, once
            return f'<div class="output-html">{sanitize_fragment(fragment)}</div>'
        if is_claims_table(fragment):
            return (f'<p class="muted claims-pointer"><a href="#{section}-claims">'
                    f'{html.escape(text("section.claims_pointer", language))}</a></p>')
        return f'<div class="output-html table-wrap untyped">{fit_tables(sanitize_fragment(fragment))}</div>'
    if "image/svg+xml" in data:
        return f'<img class="output-image" alt="" src="{data_uri(_text(data["image/svg+xml"]).encode(), "image/svg+xml")}">'
    for mime in ("image/png", "image/jpeg", "image/gif"):
        if mime in data:
            return f'<img class="output-image" alt="" src="data:{mime};base64,{_text(data[mime]).strip()}">'
    if "text/markdown" in data:
        markdown = scrub_paths(_text(data["text/markdown"]), roots)
        return f'<div class="output-markdown">{render_markdown(markdown, section)}</div>'
    if "text/latex" in data:
        return _pre(_text(data["text/latex"]), "latex")
    if "text/plain" in data:
        plain = _text(data["text/plain"])
        m = PATH_REPR.match(plain)
        if m and Path(m.group("path")).name in figure_files:
            return ""  # the repr of a saved figure's path: the figure itself is shown instead
        return _pre(scrub_paths(plain, roots), "text-output")
    return ""


PRINT_WIDTH_PT = tables.PRINT_WIDTH_PT
FIT_SIZES = (8.0, 7.5, 7.0)  # print.css has a .fit-NN rule for each; nothing smaller is ever printed


def fit_tables(fragment: str) -> str:
    """For a table NOT made by ecrights.tables (pandas' repr): the largest print size
    (.fit-80 … .fit-70) at which it fits the page width, else 7 pt with cells that wrap
    (.fit-wrap). Typeset tables are reshaped instead (see tables.py)."""
    soup = BeautifulSoup(fragment, "html.parser")
    for table in soup.find_all("table"):
        widths: list[float] = []
        for tr in table.find_all("tr"):
            for i, cell in enumerate(tr.find_all(["td", "th"], recursive=False)):
                w = tables.text_width(cell.get_text(" ", strip=True)) + 0.7  # padding and border
                if i < len(widths):
                    widths[i] = max(widths[i], w)
                else:
                    widths.append(w)
        ems = sum(widths) or 1.0
        size = next((s for s in FIT_SIZES if s * ems <= PRINT_WIDTH_PT), FIT_SIZES[-1])
        classes = list(table.get("class", [])) + [f"fit-{int(size * 10)}"]
        if size * ems > PRINT_WIDTH_PT:
            classes.append("fit-wrap")
        table["class"] = classes
    return str(soup)


def shown_by_report(fragment: str) -> bool:
    """A notebook's typeset table of its parameters, statements or claim checks
    (results.SHOWN_BY_REPORT): the report prints these once, at the end of the section."""
    first = BeautifulSoup(fragment, "html.parser").find(attrs={tables.MARKER_ATTR: True})
    return first is not None and bool(set(first.get("class", [])) & set(SHOWN_BY_REPORT.values()))


_HEADING = re.compile(r"^<h([1-6])\b[^>]*>.*?</h\1>$", re.DOTALL)


def drop_empty_headings(parts: list[str]) -> list[str]:
    """A markdown cell that is only a heading, followed by nothing before the next heading of
    its level or above (its tables are left to the report's own): no heading over nothing."""
    def heading_level(part: str) -> int | None:
        inner = part.removeprefix('<div class="cell-markdown">').removesuffix("</div>").strip()
        m = _HEADING.match(inner)
        return int(m.group(1)) if m else None

    def starts_with_heading(part: str) -> int | None:
        inner = part.removeprefix('<div class="cell-markdown">').lstrip()
        m = re.match(r"<h([1-6])\b", inner)
        return int(m.group(1)) if m else None

    kept: list[str] = []
    for i, part in enumerate(parts):
        level = heading_level(part)
        if level is not None:
            following = next((p for p in parts[i + 1:]), None)
            nxt = starts_with_heading(following) if following is not None else 0
            if nxt is not None and nxt <= level:
                continue
        kept.append(part)
    return kept


def is_claims_table(fragment: str) -> bool:
    """A notebook's display of its own claim checks (a table with claim_id and status columns):
    the report shows the same checks from the results JSON, in full, at the end of the section."""
    if "claim_id" not in fragment:
        return False
    table = BeautifulSoup(fragment, "html.parser").find("table")
    if table is None or table.find("thead") is None:
        return False
    headers = {th.get_text(strip=True) for th in table.find("thead").find_all("th")}
    return {"claim_id", "status"} <= headers


# --------------------------------------------------------------------------
# code
# --------------------------------------------------------------------------
def render_code(source: str, execution_count, language: str = "zh") -> str:
    """Analysis code, folded: a reader opens it when curious (the PDF prints it open)."""
    body = highlight(source, PythonLexer(), HtmlFormatter(noclasses=True, nowrap=False, style="default"))
    prompt = f"In [{execution_count if execution_count is not None else ' '}]"
    summary = f'{html.escape(text("section.code", language))} <span class="prompt">{html.escape(prompt)}</span>'
    return f'<details class="cell-input"><summary>{summary}</summary>{body}</details>'


# --------------------------------------------------------------------------
# figures from the results JSON
# --------------------------------------------------------------------------
@dataclass
class FigureRef:
    key: str  # the name the notebook gave it, e.g. fig1_monthly_growth
    file: str  # relative to build/
    caption: str
    sources: list[str]
    section: str = ""
    data_file: str | None = None
    report_figure: str | None = None  # the report's own number ("5" of 图5), or None
    raster: str | None = None  # the PNG at print resolution (Word) beside an SVG `file`
    number: str = ""  # "5" or "A3"
    label: str = ""  # 图5 / 附图3 / Figure 5 / Figure A3
    anchor: str = ""
    extra: dict = field(default_factory=dict)


def report_number(report_figure) -> str | None:
    """'图5', 'Figure 5', '5' or 5 → '5'; None/'' → None."""
    if report_figure in (None, ""):
        return None
    m = re.search(r"\d+", str(report_figure))
    if m is None:
        raise ValueError(f"report_figure must name a figure number such as 图5, got {report_figure!r}")
    return str(int(m.group(0)))


def additional_figure_count(results: dict | None) -> int:
    """How many of a section's figures are the project's own (no report_figure)."""
    return sum(1 for f in (results or {}).get("figures", []) if report_number(f.get("report_figure")) is None)


def figure_refs(section: str, results: dict | None, language: str = "zh", first_additional: int = 1) -> list[FigureRef]:
    """The section's figures with their numbers: the report's own keep its number; the others
    are numbered from first_additional on (the report's additional-figure series)."""
    refs = []
    following = first_additional
    for f in (results or {}).get("figures", []):
        stem = Path(f["file"]).stem
        key = stem[len(section) + 1:] if stem.startswith(section + "-") else stem
        own = report_number(f.get("report_figure"))
        if own is not None:
            number, label = own, text("figure.report", language, n=own)
        else:
            number, label = f"A{following}", text("figure.additional", language, n=following)
            following += 1
        refs.append(FigureRef(key=key, file=f["file"], caption=FIGURE_LABEL.sub("", f.get("caption", ""), count=1),
                              sources=list(f.get("sources", [])), section=section, data_file=f.get("data_file"),
                              raster=f.get("raster"), report_figure=own, number=number, label=label, anchor=f"fig-{section}-{key}"))
    return refs


def render_figure(ref: FigureRef, out_dir: Path, section: str, language: str = "zh") -> str:
    path = Path(out_dir) / ref.file
    sources = ", ".join(f"<code>{html.escape(s)}</code>" for s in ref.sources) or "—"
    colon = "：" if language == "zh" else ": "  # full-width in Chinese text
    drawn = (f'<span class="sources">{html.escape(text("figure.data_drawn", language))}{colon}'
             f'<code>{html.escape(ref.data_file)}</code></span>') if ref.data_file else ""
    caption = (f'<figcaption><span class="label">{html.escape(ref.label)}</span> {html.escape(ref.caption)}'
               f'<span class="sources">{html.escape(text("figure.sources", language))}{colon}{sources}</span>{drawn}'
               f'</figcaption>')
    if not path.is_file():
        return (f'<figure class="figure missing" id="{ref.anchor}"><p>{html.escape(text("figure.missing", language))} '
                f'<code>{html.escape(ref.file)}</code></p>{caption}</figure>')
    alt = f"{ref.label} {ref.caption}"
    if path.suffix.lower() == ".svg":  # vector, inline: its text set in the page's embedded font (report/svg.py)
        raster = f' data-raster="{html.escape(ref.raster)}"' if ref.raster else ""  # Word takes the PNG
        return (f'<figure class="figure" id="{ref.anchor}"{raster}>'
                f'{svg.inline(path.read_text(encoding="utf-8"), ref.anchor, alt)}{caption}</figure>')
    uri = data_uri(path.read_bytes(), "image/png" if path.suffix.lower() == ".png" else "image/jpeg")
    return f'<figure class="figure" id="{ref.anchor}"><img alt="{html.escape(alt)}" src="{uri}">{caption}</figure>'


# --------------------------------------------------------------------------
# a whole notebook
# --------------------------------------------------------------------------
def _tags(cell) -> set[str]:
    return set(cell.get("metadata", {}).get("tags", []) or [])


def cell_language(cell) -> str | None:
    """'zh' or 'en' for a language-tagged cell, None for a language-neutral one."""
    found = {LANG_TAGS[t] for t in _tags(cell) if t in LANG_TAGS}
    return found.pop() if len(found) == 1 else None


def cell_audience(cell) -> str | None:
    """'reader' or 'audit' for an audience-tagged cell, None for one shown in both documents."""
    found = {AUDIENCE_TAGS[t] for t in _tags(cell) if t in AUDIENCE_TAGS}
    return found.pop() if len(found) == 1 else None


def render_notebook(nb, section: str, results: dict | None, out_dir: Path, include_code: bool = False, *,
                    language: str = "zh", first_additional: int = 1, titles: tuple[str, ...] = (),
                    audience: str = "audit", figures: bool = True) -> str:
    """The section's body in `language` for `audience` (reader or audit); first_additional: the
    number of its first additional figure (附图N / Figure AN, numbered across the report); titles:
    the section's titles (a repeated subtitle is dropped); figures: place the recorded figures."""
    refs = figure_refs(section, results, language, first_additional)
    by_key = {r.key: r for r in refs}
    report_numbers = {r.report_figure for r in refs if r.report_figure}
    figure_files = {Path(r.file).name for r in refs}
    roots = path_roots(out_dir)
    placed: set[str] = set()
    parts: list[str] = []
    counter = [0]
    first_markdown = True
    for cell in nb.cells:
        tags = _tags(cell)
        if tags & REMOVE_CELL_TAGS:
            continue
        own = cell_language(cell)
        if own is not None and own != language:
            continue  # the other edition's twin
        wanted = cell_audience(cell)
        if wanted is not None and wanted != audience:  # the other document's cell, and the figures it records
            placed.update(r.key for r in refs if re.search(rf"""["']{re.escape(r.key)}["']""", _text(cell.get("source"))))
            continue
        source = _text(cell.get("source"))
        if cell.cell_type == "markdown":
            parts.append('<div class="cell-markdown">' +
                         render_markdown(source, section, cell.get("attachments"), drop_first_h1=first_markdown,
                                         counter=counter, figures=by_key, titles=titles,
                                         report_numbers=report_numbers) + "</div>")
            first_markdown = False
            continue
        if cell.cell_type != "code":
            continue
        if include_code and not (tags & REMOVE_INPUT_TAGS):
            parts.append(render_code(scrub_paths(source, roots), cell.get("execution_count"), language))
        if not (tags & REMOVE_OUTPUT_TAGS):
            outs = [render_output(o, section, figure_files, language, roots) for o in cell.get("outputs", [])]
            outs = [o for o in outs if o]
            if outs:
                parts.append('<div class="cell-output">' + "".join(outs) + "</div>")
        for ref in refs if figures else []:
            if ref.key not in placed and re.search(rf"""["']{re.escape(ref.key)}["']""", source):
                parts.append(render_figure(ref, out_dir, section, language))
                placed.add(ref.key)
    parts = drop_empty_headings(parts)
    rest = [r for r in refs if r.key not in placed] if figures else []
    if rest:  # figures whose recording cell could not be found: after the narrative
        parts.append(f'<h3 id="{section}--figures">{html.escape(text("section.figures", language))}</h3>')
        parts.extend(render_figure(r, out_dir, section, language) for r in rest)
    return "\n".join(parts)
