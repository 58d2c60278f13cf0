"""A figure's SVG placed inline in the report's HTML (and so in the PDF weasyprint lays out from it).

Inline, not as an <img>: an SVG drawn as an image cannot use the page's fonts, and its text
is kept as text (plotting.save_print), so it must be set in the font the page embeds
(fonts.FONT_FAMILY: a subset of Noto Sans CJK SC, the font the figure was laid out with; the
subset covers the figure's characters because they are the page's). Weasyprint draws inline SVG
text with the document's fonts too: the PDF's figures are vector, their glyphs real text
(measurable, searchable).

Matplotlib wraps nearly every mark in a group that carries only an id (`<g id="xtick_3">`;
the figure functions' own `set_gid` ids too): about half the elements of the reader's figures,
fewer in the audit's two largest. Weasyprint computes a style for every element of the page and
draws every node, so those groups are dropped (their children kept in place; nothing refers to
a group's id): the reader's PDF is laid out and drawn faster, its pages pixel-identical
(compared at 60 ppi when this was written).

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
_GROUP = re.compile(r'<g\b[^>]*>|</g>')
_BARE_GROUP = re.compile(r'<g id="[^"]*">')
# the figure's text in the page's embedded font; !important beats matplotlib's per-element style
_FONT_RULE = f'text {{ font-family: "{FONT_FAMILY}", sans-serif !important; }}'


def without_bare_groups(svg: str) -> str:
    """`svg` without the groups whose only attribute is an id (their contents kept, in order)."""
    out, bare, position = [], [], 0
    for m in _GROUP.finditer(svg):
        tag = m.group(0)
        if tag.endswith("/>"):  # an empty group: nothing to pair
            continue
        if tag == "</g>":
            if not bare:
                raise ValueError("an SVG group is closed that was never opened")
            drop = bare.pop()
        else:
            drop = _BARE_GROUP.fullmatch(tag) is not None
            bare.append(drop)
        out.append(svg[position:m.start()])
        if not drop:
            out.append(tag)
        position = m.end()
    if bare:
        raise ValueError("an SVG group is not closed")
    out.append(svg[position:])
    return "".join(out)


def inline(svg: str, prefix: str, label: str) -> str:
    """`svg` (a file matplotlib wrote) as an element for the page: no XML prologue or metadata,
    ids prefixed with `prefix`, its text set in the page's font, labelled for screen readers."""
    svg = without_bare_groups(_METADATA.sub("", _PROLOGUE.sub("", svg, count=1), count=1))
    svg = _ID.sub(lambda m: f'id="{prefix}-{m.group(1)}"', svg)
    svg = _REF.sub(lambda m: f"{m.group(1)}{prefix}-{m.group(2)}", svg)
    root = _ROOT.search(svg)
    if root is None:
        raise ValueError(f"not an SVG document (figure {prefix})")
    attrs = root.group(1)
    opening = (f'<svg{attrs} class="figure-svg" role="img" aria-label="{html.escape(label)}">'
               f"<title>{html.escape(label)}</title><style>{_FONT_RULE}</style>")
    return svg[:root.start()] + opening + svg[root.end():]
