"""HTML → PDF with weasyprint (tagged, PDF/UA-1), Chinese set in the local Noto Sans CJK SC file.

The PDF is laid out in parts: the front matter (title, contents, scorecard;
pages i, ii, …), one part per section and the appendices (pages 1, 2, … run on
across parts). Each part is laid out on its own as soon as what it shows
exists, so the runner can lay out a section's pages while later sections still
execute; the parts' pages are then written as one PDF, in which links,
bookmarks and the one embedded font subset span the whole document.
"""

from __future__ import annotations

import logging
from pathlib import Path

from pypdf import PdfWriter

from ..plotting import cjk_font_path

PRINT_CSS = Path(__file__).with_name("print.css")


def font_face_css() -> str:
    """@font-face for the CJK font shipped in the mplfonts wheel (a file:// URL: nothing is fetched)."""
    url = cjk_font_path().resolve().as_uri()
    return f'@font-face {{ font-family: "ReportCJK"; src: url("{url}"); }}\n'


def print_css() -> str:
    return font_face_css() + PRINT_CSS.read_text(encoding="utf-8")


def front_css() -> str:
    """The front matter: pages numbered i, ii, …; no running title on the title page."""
    return ("@page { @bottom-center { content: counter(page, lower-roman); } }\n"
            "@page :first { @top-right { content: none; } }\n")


def body_css(first_page: int) -> str:
    """A part of the body whose first page is page `first_page` of the document."""
    if first_page < 1:
        raise ValueError(f"first_page must be at least 1, got {first_page}")
    return f"@page :first {{ counter-reset: page {first_page}; }}\n"


def new_font_config():
    """One font configuration for all parts, so the PDF embeds one subset of the CJK font."""
    from weasyprint.text.fonts import FontConfiguration  # noqa: PLC0415  (see layout)

    return FontConfiguration()


def layout(html: str, base_dir: Path, font_config):
    """Lay out one part (a complete HTML document carrying print_css()); returns a weasyprint Document."""
    # weasyprint costs 0.55 s of CPU to import (measured): only a PDF needs it, not --no-pdf
    # nor the HTML report's tests
    from weasyprint import HTML  # noqa: PLC0415

    # weasyprint warns on every CSS property it ignores (e.g. overflow-x); keep the terminal quiet
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    logging.getLogger("fontTools").setLevel(logging.ERROR)
    return HTML(string=html, base_url=str(Path(base_dir).resolve())).render(font_config=font_config)


def first_pages(parts: list[tuple[int, object]]) -> dict[str, int]:
    """Anchor id → page number, over body parts given as (first page number, Document)."""
    out: dict[str, int] = {}
    for first, document in parts:
        for i, page in enumerate(document.pages):
            for anchor in page.anchors:
                out.setdefault(anchor, first + i)
    return out


def write(documents: list, path: Path, front_pages: int = 0) -> Path:
    """Write the parts' pages, in order, as one PDF (atomically). With front matter, its
    front_pages pages are labelled i, ii, … and the rest 1, 2, … so that a viewer's page box
    shows the printed numbers; without, a viewer's own 1, 2, … already are."""
    pages = [page for document in documents for page in document.pages]
    path = Path(path)
    tmp = path.with_suffix(".pdf.tmp")
    # tagged (PDF/UA-1: a structure tree, the document language, a title shown in the window):
    # screen readers and reflowing viewers follow the headings, tables and figures
    documents[0].copy(pages).write_pdf(str(tmp), pdf_variant="pdf/ua-1")
    if not front_pages:  # pages 1, 2, … as a viewer numbers them anyway: no labels to add
        tmp.replace(path)
        return path
    # the labels are appended as an incremental update: the document written above is kept
    # byte for byte (no clone of its thousands of structure objects: a third faster)
    writer = PdfWriter(str(tmp), incremental=True)
    if front_pages:
        writer.set_page_label(0, front_pages - 1, style="/r")
    if len(pages) > front_pages:
        writer.set_page_label(front_pages, len(pages) - 1, style="/D", start=1)
    labelled = path.with_suffix(".pdf.labelled.tmp")
    try:
        with labelled.open("wb") as fh:
            writer.write(fh)
        labelled.replace(path)
    finally:
        labelled.unlink(missing_ok=True)
        tmp.unlink(missing_ok=True)
    return path
