"""The report's fixed strings in both editions (texts.yaml beside this file)."""

from __future__ import annotations

import re
from pathlib import Path

from markupsafe import Markup, escape

from .. import i18n

TEXTS = Path(__file__).with_name("texts.yaml")
LANG_ATTR = {"zh": "zh-Hans", "en": "en"}


def _lookup(key: str) -> dict[str, str]:
    """The report's own texts, then the shared ones (claim statuses are both the notebooks' and the report's)."""
    found = i18n.load_texts(TEXTS).get(key) or i18n.load_texts(i18n.SHARED_TEXTS).get(key)
    if found is None:
        raise KeyError(f"no report text {key!r} in {TEXTS} or {i18n.SHARED_TEXTS}")
    return found


def text(key: str, language: str, **facts) -> str:
    """The report text `key` in `language`, filled from `facts`."""
    return i18n.fill(_lookup(key)[i18n.check_language(language)], facts)


def other(language: str) -> str:
    return "en" if language == "zh" else "zh"


def foreign(content: str, lang: str, tag: str = "span", cls: str = "") -> Markup:
    """A passage in `lang` (a language code of LANG_ATTR) marked as such: fonts and screen readers follow it."""
    klass = f' class="{escape(cls)}"' if cls else ""
    return Markup(f'<{tag} lang="{LANG_ATTR[lang]}"{klass}>{escape(content)}</{tag}>')


# file names, paths and command-line flags inside a fixed string: set as code
CODE_TOKEN = re.compile(r"(--[a-z][\w-]*|(?<![\w/])[\w.-]+/(?:[\w.*<>{}-]+/?)*|[\w*-]+\.(?:csv|json|ipynb|yaml|log|py|sha256|html|pdf)\b)")


def as_markup(value: str) -> Markup:
    """A fixed string as HTML: escaped, its file names, paths and flags in <code>."""
    return Markup(CODE_TOKEN.sub(lambda m: f"<code>{m.group(0)}</code>", str(escape(value))))


def template(key: str, language: str) -> str:
    return _lookup(key)[i18n.check_language(language)]


def translator(language: str):
    """t(key, **facts) for templates of one edition: the fixed string's file names and flags set
    as code, facts escaped (Markup facts, such as <code> runs, kept)."""
    def t(key: str, **facts) -> Markup:
        return as_markup(template(key, language)).format(**facts)
    return t
