"""An executed notebook → an HTML fragment for one report section.

Markdown cells are rendered with nbconvert's mistune filter; outputs are
rendered from their richest safe MIME type; figures come from the results
JSON (embedded as data URIs, with caption and source files) and are placed
after the code cell that recorded them. Code is hidden unless asked for.
Everything is made self-contained: scripts and external resources are
removed, math is rendered here (matplotlib's mathtext) or left as visible
LaTeX, never handed to a CDN MathJax.
"""

from __future__ import annotations

import base64
import html
import io
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from bs4 import BeautifulSoup, NavigableString
from nbconvert.filters.ansi import strip_ansi
from nbconvert.filters.markdown_mistune import markdown2html_mistune

HIDE_CELL_TAGS = {"remove-cell", "remove_cell", "hide-cell"}
REMOVE_INPUT_TAGS = {"remove-input", "remove_input", "hide-input"}  # hidden even with include_code
HIDE_OUTPUT_TAGS = {"remove-output", "remove_output", "hide-output"}
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
                note = soup.new_tag("span", attrs={"class": "muted"})
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
        import matplotlib

        matplotlib.use("Agg")
        from matplotlib import mathtext, rc_context
        from matplotlib.font_manager import FontProperties

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
# markdown cells
# --------------------------------------------------------------------------
def render_markdown(source: str, section: str, attachments: dict | None = None, *,
                    heading_shift: int = 1, drop_first_h1: bool = False, counter: list | None = None) -> str:
    soup = BeautifulSoup(markdown2html_mistune(source), "html.parser")
    for a in soup.select("a.anchor-link"):
        a.decompose()
    if drop_first_h1:
        first = soup.find(["h1"])
        if first is not None:
            first.decompose()
    counter = counter if counter is not None else [0]
    for h in soup.find_all(["h1", "h2", "h3", "h4", "h5", "h6"]):
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


# --------------------------------------------------------------------------
# outputs
# --------------------------------------------------------------------------
def _pre(text: str, cls: str) -> str:
    return f'<pre class="{cls}">{html.escape(strip_ansi(text))}</pre>'


def render_output(output: dict, section: str, figure_files: set[str]) -> str:
    kind = output.get("output_type")
    if kind == "stream":
        return _pre(_text(output.get("text")), f"stream {output.get('name', 'stdout')}")
    if kind == "error":
        tb = "\n".join(_text(line) for line in output.get("traceback", []))
        return _pre(f"{output.get('ename', '')}: {output.get('evalue', '')}\n{tb}", "error")
    if kind not in ("execute_result", "display_data"):
        return ""
    data = output.get("data", {})
    if output.get("metadata", {}).get("ecrights", {}).get("figure"):
        return ""  # a recorded figure's inline copy: the report shows it with its caption and sources
    if "text/html" in data:
        fragment = _text(data["text/html"])
        if is_claims_table(fragment):
            return (f'<p class="muted claims-pointer">核对结果见本节末的表格 / The claim checks shown here in the notebook '
                    f'are listed with their quotes and notes in <a href="#{section}-claims">the claims table at the end '
                    f'of this section</a>.</p>')
        return f'<div class="output-html table-wrap">{fit_tables(sanitize_fragment(fragment))}</div>'
    if "image/svg+xml" in data:
        return f'<img class="output-image" alt="" src="{data_uri(_text(data["image/svg+xml"]).encode(), "image/svg+xml")}">'
    for mime in ("image/png", "image/jpeg", "image/gif"):
        if mime in data:
            return f'<img class="output-image" alt="" src="data:{mime};base64,{_text(data[mime]).strip()}">'
    if "text/markdown" in data:
        return f'<div class="output-markdown">{render_markdown(_text(data["text/markdown"]), section)}</div>'
    if "text/latex" in data:
        return _pre(_text(data["text/latex"]), "latex")
    if "text/plain" in data:
        text = _text(data["text/plain"])
        m = PATH_REPR.match(text)
        if m and Path(m.group("path")).name in figure_files:
            return ""  # the repr of a saved figure's path: the figure itself is shown instead
        return _pre(text, "text-output")
    return ""


PRINT_WIDTH_PT = 500.0  # the A4 text width of print.css, a little less than 178 mm
FIT_SIZES = (7.5, 7.0, 6.5, 6.0, 5.5, 5.0, 4.5)  # print.css has a .fit-NN rule for each


def _text_units(text: str) -> float:
    """Width of a string in ems: CJK and full-width characters one em, others about half."""
    return sum(1.0 if ord(ch) > 0x2E7F else 0.56 for ch in text)


def fit_tables(fragment: str) -> str:
    """Tag each table with the largest print font size (.fit-75 … .fit-45) at which it fits the
    page width, estimated from its widest cell per column; a table too wide even at the smallest
    size also gets .fit-wrap (cells may break anywhere). Screen styles ignore these classes."""
    soup = BeautifulSoup(fragment, "html.parser")
    for table in soup.find_all("table"):
        widths: list[float] = []
        for tr in table.find_all("tr"):
            for i, cell in enumerate(tr.find_all(["td", "th"], recursive=False)):
                w = _text_units(cell.get_text(" ", strip=True)) + 0.7  # padding and border
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


def is_claims_table(fragment: str) -> bool:
    """A notebook's display of its own claim checks (a DataFrame with claim_id and status columns):
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
def render_code(source: str, execution_count) -> str:
    from pygments import highlight
    from pygments.formatters import HtmlFormatter
    from pygments.lexers import PythonLexer

    body = highlight(source, PythonLexer(), HtmlFormatter(noclasses=True, nowrap=False, style="default"))
    prompt = f"In [{execution_count if execution_count is not None else ' '}]:"
    return f'<div class="cell-input"><div class="prompt">{html.escape(prompt)}</div>{body}</div>'


# --------------------------------------------------------------------------
# figures from the results JSON
# --------------------------------------------------------------------------
@dataclass
class FigureRef:
    key: str  # the name the notebook gave it, e.g. fig1_monthly_growth
    file: str  # relative to build/
    caption: str
    sources: list[str]
    number: int = 0


def figure_refs(section: str, results: dict | None) -> list[FigureRef]:
    refs = []
    for f in (results or {}).get("figures", []):
        stem = Path(f["file"]).stem
        key = stem[len(section) + 1:] if stem.startswith(section + "-") else stem
        refs.append(FigureRef(key=key, file=f["file"], caption=f.get("caption", ""), sources=list(f.get("sources", []))))
    return refs


def render_figure(ref: FigureRef, out_dir: Path, section: str) -> str:
    path = Path(out_dir) / ref.file
    label = f"图 {ref.number} / Figure {ref.number}"
    sources = ", ".join(f"<code>{html.escape(s)}</code>" for s in ref.sources) or "—"
    caption = (f'<figcaption><span class="label">{html.escape(label)}</span>{html.escape(ref.caption)}'
               f'<span class="sources">数据来源 / Sources: {sources}</span></figcaption>')
    anchor = f'{section}-fig-{ref.number}'
    if not path.is_file():
        return (f'<figure class="figure missing" id="{anchor}"><p>figure file missing from build/: '
                f'<code>{html.escape(ref.file)}</code></p>{caption}</figure>')
    uri = data_uri(path.read_bytes(), "image/png" if path.suffix.lower() == ".png" else
                   "image/svg+xml" if path.suffix.lower() == ".svg" else "image/jpeg")
    return f'<figure class="figure" id="{anchor}"><img alt="{html.escape(ref.caption)}" src="{uri}">{caption}</figure>'


# --------------------------------------------------------------------------
# a whole notebook
# --------------------------------------------------------------------------
def _tags(cell) -> set[str]:
    return set(cell.get("metadata", {}).get("tags", []) or [])


def render_notebook(nb, section: str, results: dict | None, out_dir: Path, include_code: bool = False) -> str:
    refs = figure_refs(section, results)
    for i, ref in enumerate(refs, start=1):
        ref.number = i
    figure_files = {Path(r.file).name for r in refs}
    placed: set[str] = set()
    parts: list[str] = []
    counter = [0]
    first_markdown = True
    for cell in nb.cells:
        tags = _tags(cell)
        if tags & HIDE_CELL_TAGS:
            continue
        source = _text(cell.get("source"))
        if cell.cell_type == "markdown":
            parts.append('<div class="cell-markdown">' +
                         render_markdown(source, section, cell.get("attachments"), drop_first_h1=first_markdown,
                                         counter=counter) + "</div>")
            first_markdown = False
            continue
        if cell.cell_type == "raw":
            continue
        if cell.cell_type != "code":
            continue
        if include_code and not (tags & REMOVE_INPUT_TAGS):
            parts.append(render_code(source, cell.get("execution_count")))
        if not (tags & HIDE_OUTPUT_TAGS):
            outs = [render_output(o, section, figure_files) for o in cell.get("outputs", [])]
            outs = [o for o in outs if o]
            if outs:
                parts.append('<div class="cell-output">' + "".join(outs) + "</div>")
        for ref in refs:
            if ref.key not in placed and re.search(rf"""["']{re.escape(ref.key)}["']""", source):
                parts.append(render_figure(ref, out_dir, section))
                placed.add(ref.key)
    rest = [r for r in refs if r.key not in placed]
    if rest:  # figures whose recording cell could not be found: after the narrative
        parts.append(f'<h3 id="{section}--figures">图 / Figures</h3>')
        parts.extend(render_figure(r, out_dir, section) for r in rest)
    return "\n".join(parts)
