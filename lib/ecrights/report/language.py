"""How much of an edition is in the other language, outside the places where it belongs.

Counted: characters of the other language — in the Chinese edition the letters
of Latin words (two letters or more), in the English edition CJK characters
(Han, kana, CJK and full-width punctuation) — in the page's text, outside
quotes of a source in their own language, code, <pre> and URLs.

A passage in the other language is exempt only when it is marked as that
language (`lang`) AND as a quote: <q>, <blockquote>, <cite>, class "quote",
"original-title" or "original-number" (the report's own numbering of its parts), a table cell of a column of quotes (the table helper's
Column(quote=True): a source's words, titles, section numbers; class "quoted" —
a cell merely marked with a `lang` is counted), or a span that is itself quoted
(it opens with “ 《 「 ' and closes with the matching mark). A `lang` span that
is not a quote (a note of the project's own, say) is counted: the editions
write their own words in their own language. Text marked with a language it is
not written in is counted too and listed as mis-marked. Used by the tests; `python -m ecrights.report.language build/report.html`
prints the share and the passages, for a look at a real build.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

from bs4 import BeautifulSoup, Comment, Doctype, NavigableString

CJK = re.compile(r"[\u2e80-\u2fdf\u3000-\u303f\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef]+")
LATIN_WORD = re.compile(r"[A-Za-z]{2,}")
URL = re.compile(r"(?:https?://|www\.)\S+")
EXEMPT_TAGS = {"code", "pre", "kbd", "samp", "style", "script", "title", "math", "svg"}
# names that are no language's words (the project's own name, in both editions' bylines)
PROPER_NAMES = re.compile(r"ecrights-2019")


@dataclass
class Count:
    foreign: int  # characters of the other language outside their places
    total: int  # characters of text (not spaces) outside those places
    passages: list[str]  # the foreign passages, for a reader
    mismarked: list[str] = field(default_factory=list)  # text marked as a language it is not written in

    @property
    def share(self) -> float:
        return self.foreign / self.total if self.total else 0.0


QUOTE_TAGS = {"q", "blockquote", "cite"}
QUOTE_CLASSES = {"quote", "quoted", "original-title", "original-number"}
QUOTE_MARKS = {"“": "”", "《": "》", "「": "」", "'": "'", '"': '"', "‘": "’"}


def _is_quote(element) -> bool:
    if element.name in QUOTE_TAGS or QUOTE_CLASSES & set(element.get("class") or []):
        return True
    text = element.get_text().strip()
    return len(text) > 1 and QUOTE_MARKS.get(text[0]) == text[-1]


def _marked_as(lang: str) -> str:
    return "zh" if lang.lower().startswith(("zh", "ja")) else "en"


def _exempt(node, page_lang: str) -> tuple[bool, str | None]:
    """(exempt, the language the node is marked as when inside an element of another language)."""
    for parent in node.parents:
        if parent.name in EXEMPT_TAGS:
            return True, None
    for parent in node.parents:
        lang = parent.get("lang") if hasattr(parent, "get") else None
        if lang and parent.name != "html" and lang != page_lang:
            return _is_quote(parent), _marked_as(lang)
    return False, None


def count(html: str, language: str) -> Count:
    """The other language's characters in an edition's page (language: zh or en)."""
    soup = BeautifulSoup(html, "html.parser")
    page_lang = soup.html.get("lang", "") if soup.html else ""
    pattern = LATIN_WORD if language == "zh" else CJK
    foreign = total = 0
    passages: list[str] = []
    mismarked: list[str] = []
    for node in soup.find_all(string=True):
        if isinstance(node, (Comment, Doctype)) or not isinstance(node, NavigableString):
            continue
        exempt, marked = _exempt(node, page_lang)
        text = PROPER_NAMES.sub(" ", URL.sub(" ", str(node)))
        if marked is not None and text.strip() and _language_of(text) not in (marked, None):
            # marked as the other language but written in the edition's: a wrong mark, not a quote
            mismarked.append(text.strip()[:120])
            exempt = False
        if exempt:
            continue
        total += len(re.sub(r"\s", "", text))
        hits = pattern.findall(text)
        if hits:
            foreign += sum(len(h) for h in hits)
            passages.append(text.strip()[:120])
    return Count(foreign, total, passages, mismarked)


def _language_of(text: str) -> str | None:
    """zh or en by which script has more characters; None when neither has any."""
    cjk = sum(len(h) for h in CJK.findall(text))
    latin = sum(len(h) for h in LATIN_WORD.findall(text))
    if not cjk and not latin:
        return None
    return "zh" if cjk >= latin else "en"


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
    if result.mismarked:
        print(f"{len(result.mismarked)} passages marked with a language they are not written in:")
        for passage in result.mismarked[:50]:
            print("  " + passage)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
