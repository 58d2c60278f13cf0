"""A figure's SVG placed inline in the report's HTML (and so in the PDF weasyprint lays out from it).

Inline, not as an <img>: an SVG drawn as an image cannot use the page's fonts, and its text
is kept as text (plotting.save_print), so it must be set in the font the page embeds
(fonts.FONT_FAMILY: a subset of Noto Sans CJK SC, the font the figure was laid out with; the
subset covers the figure's characters because they are the page's). Weasyprint draws inline SVG
text with the document's fonts too: the PDF's figures are vector, their glyphs real text
(measurable, searchable).

Several figures share one page: each SVG's ids (clip paths, markers, groups) are prefixed with
the figure's anchor so none collides with another figure's or the page's.
"""

from __future__ import annotations

import html
import re

from .fonts import FONT_FAMILY

_PROLOGUE = re.compile(r"\A\s*(<\?xml[^>]*\?>\s*)?(<!DOCTYPE[^>]*>\s*)?", re.DOTALL)
_METADATA = re.compile(r"<metadata>.*?</metadata>\s*", re.DOTALL)
_ID = re.compile(r'\bid="([^"]+)"')
_REF = re.compile(r'(url\(#|xlink:href="#|\bhref="#)([^)"]+)')
_ROOT = re.compile(r"<svg\b([^>]*)>")
# the figure's text in the page's embedded font; !important beats matplotlib's per-element style
_FONT_RULE = f'text {{ font-family: "{FONT_FAMILY}", sans-serif !important; }}'


def inline(svg: str, prefix: str, label: str) -> str:
    """`svg` (a file matplotlib wrote) as an element for the page: no XML prologue or metadata,
    ids prefixed with `prefix`, its text set in the page's font, labelled for screen readers."""
    svg = _METADATA.sub("", _PROLOGUE.sub("", svg, count=1), count=1)
    svg = _ID.sub(lambda m: f'id="{prefix}-{m.group(1)}"', svg)
    svg = _REF.sub(lambda m: f"{m.group(1)}{prefix}-{m.group(2)}", svg)
    root = _ROOT.search(svg)
    if root is None:
        raise ValueError(f"not an SVG document (figure {prefix})")
    attrs = root.group(1)
    opening = (f'<svg{attrs} class="figure-svg" role="img" aria-label="{html.escape(label)}">'
               f"<title>{html.escape(label)}</title><style>{_FONT_RULE}</style>")
    return svg[:root.start()] + opening + svg[root.end():]
