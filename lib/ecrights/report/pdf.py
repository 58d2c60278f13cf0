"""HTML → PDF with weasyprint, Chinese set in the local Noto Sans CJK SC file."""

from __future__ import annotations

from pathlib import Path

PRINT_CSS = Path(__file__).with_name("print.css")


def font_face_css() -> str:
    """@font-face for the CJK font shipped in the mplfonts wheel (a file:// URL: nothing is fetched)."""
    from ..plotting import cjk_font_path

    url = cjk_font_path().resolve().as_uri()
    return f'@font-face {{ font-family: "ReportCJK"; src: url("{url}"); }}\n'


def print_css() -> str:
    return font_face_css() + PRINT_CSS.read_text(encoding="utf-8")


def write_pdf(html: str, path: Path, base_dir: Path) -> Path:
    """Render `html` (which must already carry print_css()) to `path`."""
    import logging

    from weasyprint import HTML

    # weasyprint warns on every CSS property it ignores (e.g. overflow-x); keep the terminal quiet
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    logging.getLogger("fontTools").setLevel(logging.ERROR)
    path = Path(path)
    tmp = path.with_suffix(".pdf.tmp")
    HTML(string=html, base_url=str(Path(base_dir).resolve())).write_pdf(str(tmp))
    tmp.replace(path)
    return path
