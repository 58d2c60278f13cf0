"""A source's own words in an edition of the other language: marked as a quote with its
language (fonts and screen readers follow it; the language check exempts quotes, not any
passage in the other language)."""

from __future__ import annotations

import re

from markupsafe import Markup, escape

from .tables import LANG_ATTR

_CJK_RUN = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]+")
_LATIN = re.compile(r"[A-Za-z]")
# a quoted passage: Chinese quotation marks or book-title marks around it, or English quotes
_QUOTED = {"zh": re.compile(r"《[^》]*》|“[^”]*[\u3400-\u9fff][^”]*”|「[^」]*」"),
           "en": re.compile(r"“[^”]*[A-Za-z]{2,}[^”]*”|'[^']*[A-Za-z]{2,}[^']*'")}


def words_language(text: str) -> str:
    """The language a source's words are in: Chinese when they hold more Han characters than Latin letters."""
    cjk = sum(len(run) for run in _CJK_RUN.findall(text))
    return "zh" if cjk >= len(_LATIN.findall(text)) and cjk else "en"


def source_words(text, language: str):
    """A source's own words (a title, a quote) in one edition: as printed, marked as a
    quote in its language when that is not the edition's."""
    if not text or not isinstance(text, str):
        return text
    own = words_language(text)
    return text if own == language else Markup('<span class="quote" lang="{}">{}</span>').format(LANG_ATTR[own], text)


def quotes_in_text(text, language: str):
    """The project's words in the edition's language with the passages they quote in the
    other language (a document's 《title》) marked as quotes; the rest left as it is, so
    an untranslated word stays visible to the language check."""
    if not text or not isinstance(text, str):
        return text
    other = "en" if language == "zh" else "zh"
    parts, last = [], 0
    for m in _QUOTED[other].finditer(text):
        parts += [escape(text[last:m.start()]), source_words(m.group(), language)]
        last = m.end()
    return Markup("").join(parts + [escape(text[last:])]) if parts else text
