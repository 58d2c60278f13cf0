"""How much of an edition is in the other language, outside the places where it belongs.

Counted: characters of the other language — in the Chinese edition the letters
of Latin words (two letters or more), in the English edition CJK characters
(Han, kana, CJK and full-width punctuation) — in the page's text, outside
elements that carry their own `lang` (a quote, a source title), code, <pre>
and URLs. Used by the tests; `python -m ecrights.report.language build/report.html`
prints the share and the passages, for a look at a real build.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from pathlib import Path

from bs4 import BeautifulSoup, Comment, Doctype, NavigableString

CJK = re.compile(r"[\u2e80-\u2fdf\u3000-\u303f\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef]+")
LATIN_WORD = re.compile(r"[A-Za-z]{2,}")
URL = re.compile(r"(?:https?://|www\.)\S+")
EXEMPT_TAGS = {"code", "pre", "kbd", "samp", "style", "script", "title", "math", "svg"}


@dataclass
class Count:
    foreign: int  # characters of the other language outside their places
    total: int  # characters of text (not spaces) outside those places
    passages: list[str]  # the foreign passages, for a reader

    @property
    def share(self) -> float:
        return self.foreign / self.total if self.total else 0.0


def _exempt(node, page_lang: str) -> bool:
    for parent in node.parents:
        if parent.name in EXEMPT_TAGS:
            return True
        lang = parent.get("lang") if hasattr(parent, "get") else None
        if lang and parent.name != "html" and lang != page_lang:
            return True
    return False


def count(html: str, language: str) -> Count:
    """The other language's characters in an edition's page (language: zh or en)."""
    soup = BeautifulSoup(html, "html.parser")
    page_lang = soup.html.get("lang", "") if soup.html else ""
    pattern = LATIN_WORD if language == "zh" else CJK
    foreign = total = 0
    passages: list[str] = []
    for node in soup.find_all(string=True):
        if isinstance(node, (Comment, Doctype)) or not isinstance(node, NavigableString) or _exempt(node, page_lang):
            continue
        text = URL.sub(" ", str(node))
        total += len(re.sub(r"\s", "", text))
        hits = pattern.findall(text)
        if hits:
            foreign += sum(len(h) for h in hits)
            passages.append(text.strip()[:120])
    return Count(foreign, total, passages)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if not argv:
        print("usage: python -m ecrights.report.language REPORT.html [zh|en]", file=sys.stderr)
        return 2
    html = Path(argv[0]).read_text(encoding="utf-8")
    language = argv[1] if len(argv) > 1 else ("en" if 'lang="en"' in html[:300] else "zh")
    result = count(html, language)
    print(f"{argv[0]} ({language} edition): {result.foreign} of {result.total} characters in the other language "
          f"({100 * result.share:.2f}%) in {len(result.passages)} passages")
    for passage in result.passages[:200]:
        print("  " + passage)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
