"""The HTML carries its font: Noto Sans CJK SC (from the mplfonts wheel), subset to
the characters the project's text can put on a page and embedded as a WOFF2 data URI.

A reader's machine may have no CJK font at all (a fresh Debian, a locked-down
office PC): without this every Chinese character is a box. The PDF embeds its
own subset (weasyprint); the figures' text, inline SVG, is set in this font (svg.py).

One subset serves every page of every build: subsetting the 16 MB font takes
three seconds or more, so it covers every character the project's own text can
put on a page (its texts, templates, data, notebooks and parameters: about 1,400
characters, 360 KB; about 130 KB more per page than the pages' own characters
needed), not only the characters of this build's pages. A build
after a parameter change, which shows a word or a status the last one did not,
then reads the kept subset instead of making a new one; only a character from
outside the project (say, in a scenario's name) makes a subset of its own.
"""

from __future__ import annotations

import base64
import hashlib
import io
import os
import re
from functools import lru_cache
from importlib import metadata
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTFont

from .. import paths
from ..plotting import cjk_font_path

FONT_FAMILY = "ReportCJK"
MARKER = "/*@font-face ReportCJK*/"  # the templates' placeholder for the @font-face rule
DATA_URI = re.compile(r"data:[\w/+.-]+;base64,[A-Za-z0-9+/=]+")
# ASCII is always in: CSS generated content, numbers a browser formats, a later edit of the page
ALWAYS = frozenset(chr(i) for i in range(0x20, 0x7F))


# the project's text, relative to the project root (the library's own files are read from the package)
PROJECT_TEXT = ("data/**/*.csv", "data/**/*.yaml", "notebooks/*.ipynb", "params/**/*.yaml")
LIBRARY_TEXT = ("**/*.yaml", "**/*.j2", "**/*.py", "**/*.json")


@lru_cache(maxsize=1)
def project_characters() -> frozenset[str]:
    """Every character in the project's own text files (about 60 ms for 2 MB of text)."""
    library = Path(__file__).resolve().parents[1]
    files = [f for pattern in LIBRARY_TEXT for f in library.glob(pattern)] + \
        [f for pattern in PROJECT_TEXT for f in paths.project_root().glob(pattern)]
    characters: set[str] = set()
    for f in files:
        try:
            characters.update(f.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError):  # unreadable: its characters come from the pages, if shown
            continue
    return frozenset(characters) - {"\n", "\r", "\t"}


def page_characters(html: str) -> frozenset[str]:
    """Every character of the page that a browser may draw (data URIs are ASCII: skipped)."""
    return frozenset(DATA_URI.sub("", html)) - {"\n", "\r", "\t"}


def _cache_file(characters: frozenset[str]) -> Path:
    """Where the subset for these characters is kept between builds (build/cache/fonts/):
    subsetting and WOFF2-compressing the 16 MB font takes seconds, and a rebuild after a
    parameter change mostly uses the same characters. Keyed by the characters, the font
    file and fontTools' version, so a different input never reads a stale subset."""
    font = cjk_font_path()
    key = hashlib.sha256("".join(sorted(characters | ALWAYS)).encode("utf-8") + f"|{font.name}|"
                         f"{font.stat().st_size}|{metadata.version('fonttools')}".encode()).hexdigest()[:24]
    return paths.default_build_dir() / "cache" / "fonts" / f"{key}.woff2"


@lru_cache(maxsize=4)
def woff2_subset(characters: frozenset[str]) -> bytes:
    """The bundled CJK font reduced to `characters` (plus ASCII), as WOFF2 bytes."""
    cached = _cache_file(characters)
    if cached.is_file():
        return cached.read_bytes()
    data = _subset(characters)
    try:  # written whole under a temporary name, then renamed: a reader never sees half a font
        cached.parent.mkdir(parents=True, exist_ok=True)
        tmp = cached.with_name(f".{cached.name}.{os.getpid()}.tmp")
        tmp.write_bytes(data)
        os.replace(tmp, cached)
    except OSError:  # a read-only or full disk: the build goes on without the cache
        pass
    return data


def _subset(characters: frozenset[str]) -> bytes:
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
    """The pages with the marker replaced by one @font-face rule covering all of them (and
    every character of the project's own text: the same subset, build after build)."""
    characters = frozenset().union(ALWAYS, project_characters(), *(page_characters(p) for p in pages))
    rule = font_face_css(characters)
    return [p.replace(MARKER, rule, 1) for p in pages]


def embedded_cmap(html: str) -> set[int]:
    """The code points the page's embedded font can draw (for tests and checks)."""
    m = re.search(r'font-family:\s*"' + FONT_FAMILY + r'"[^}]*?url\(data:font/woff2;base64,([A-Za-z0-9+/=]+)\)', html)
    if m is None:
        return set()
    return set(TTFont(io.BytesIO(base64.b64decode(m.group(1)))).getBestCmap())
