"""The HTML carries its font: Noto Sans CJK SC (from the mplfonts wheel), subset to
the characters the pages use and embedded as a WOFF2 data URI.

A reader's machine may have no CJK font at all (a fresh Debian, a locked-down
office PC): without this every Chinese character is a box. The PDF embeds its
own subset (weasyprint); the figures are pictures.

One subset serves every page of a build (report.html and sections/*.html):
subsetting the 16 MB font takes about two seconds, so it is done once for the
union of their characters.
"""

from __future__ import annotations

import base64
import io
import re
from functools import lru_cache

FONT_FAMILY = "ReportCJK"
MARKER = "/*@font-face ReportCJK*/"  # the templates' placeholder for the @font-face rule
DATA_URI = re.compile(r"data:[\w/+.-]+;base64,[A-Za-z0-9+/=]+")
# ASCII is always in: CSS generated content, numbers a browser formats, a later edit of the page
ALWAYS = frozenset(chr(i) for i in range(0x20, 0x7F))


def page_characters(html: str) -> frozenset[str]:
    """Every character of the page that a browser may draw (data URIs are ASCII: skipped)."""
    return frozenset(DATA_URI.sub("", html)) - {"\n", "\r", "\t"}


@lru_cache(maxsize=4)
def woff2_subset(characters: frozenset[str]) -> bytes:
    """The bundled CJK font reduced to `characters` (plus ASCII), as WOFF2 bytes."""
    from fontTools import subset
    from fontTools.ttLib import TTFont

    from ..plotting import cjk_font_path

    font = TTFont(str(cjk_font_path()), recalcTimestamp=False)  # same characters, same bytes
    options = subset.Options()
    options.hinting = False  # screens hint for themselves; a third smaller, faster to compress
    options.notdef_outline = True  # a character missing after all shows as a visible box, not nothing
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=sorted(ord(c) for c in characters | ALWAYS))
    subsetter.subset(font)
    font.flavor = "woff2"
    out = io.BytesIO()
    font.save(out)
    return out.getvalue()


def font_face_css(characters: frozenset[str]) -> str:
    payload = base64.b64encode(woff2_subset(frozenset(characters))).decode("ascii")
    return (f'@font-face {{ font-family: "{FONT_FAMILY}"; font-style: normal; '
            f'src: url(data:font/woff2;base64,{payload}) format("woff2"); }}')


def embed(pages: list[str]) -> list[str]:
    """The pages with the marker replaced by one @font-face rule covering all of them."""
    characters = frozenset().union(*(page_characters(p) for p in pages))
    rule = font_face_css(characters)
    return [p.replace(MARKER, rule, 1) for p in pages]


def embedded_cmap(html: str) -> set[int]:
    """The code points the page's embedded font can draw (for tests and checks)."""
    from fontTools.ttLib import TTFont

    m = re.search(r'font-family:\s*"' + FONT_FAMILY + r'"[^}]*?url\(data:font/woff2;base64,([A-Za-z0-9+/=]+)\)', html)
    if m is None:
        return set()
    return set(TTFont(io.BytesIO(base64.b64decode(m.group(1)))).getBestCmap())
