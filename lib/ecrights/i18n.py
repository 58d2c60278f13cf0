"""The two languages of the editions: labels and text templates.

A text that depends on computed facts is a template, kept in YAML beside the
code that computes the facts (`lib/ecrights/texts.yaml` for shared texts,
`lib/ecrights/sections/<name>/texts.yaml` per section), in both languages:

    key:
      zh: 国家统计局公布的{indicator_zh}为{value:g}
      en: NBS printed {indicator} as {value:g}

`render(key, facts, language, section)` fills it with `str.format`, plus one
addition for English plurals: `{n:number|numbers}` is the word for the count n
(the first for exactly 1, the second otherwise), so `{n} {n:number|numbers}` reads
"1 number", "5 numbers". Numbers of the report never stand in a template: they
arrive as facts, read from data/.
"""

from __future__ import annotations

import string
from functools import lru_cache
from pathlib import Path

import yaml

LANGUAGES = ("zh", "en")
SHARED_TEXTS = Path(__file__).with_name("texts.yaml")


class _Formatter(string.Formatter):
    """str.format with a plural choice: a format spec 'one|other' gives the word for the count."""

    def format_field(self, value, format_spec):
        if "|" in format_spec:
            one, other = format_spec.split("|", 1)
            return one if value == 1 else other
        return super().format_field(value, format_spec)


_FORMATTER = _Formatter()


def fill(text: str, facts: dict) -> str:
    """`text.format_map(facts)`, with plural choices ('{n:number|numbers}')."""
    return _FORMATTER.vformat(text, (), facts)


def check_language(language: str) -> str:
    if language not in LANGUAGES:
        raise ValueError(f"language must be one of {LANGUAGES}, got {language!r}")
    return language


def label(zh: str, en: str, language: str) -> str:
    """The label in the edition's language."""
    return zh if check_language(language) == "zh" else en


@lru_cache(maxsize=None)
def load_texts(path: Path) -> dict:
    """A template file: {key: {zh: ..., en: ...}} (nested groups allowed, keys joined by '.')."""
    raw = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
    out: dict[str, dict[str, str]] = {}

    def walk(prefix: str, node) -> None:
        if isinstance(node, dict) and set(node) <= set(LANGUAGES) and node:
            missing = set(LANGUAGES) - set(node)
            if missing:
                raise ValueError(f"{path}: template {prefix!r} has no {sorted(missing)} text")
            out[prefix] = {lang: str(node[lang]).strip() for lang in LANGUAGES}
            return
        if not isinstance(node, dict):
            raise ValueError(f"{path}: {prefix!r} must be a mapping of zh/en texts or of further keys")
        for key, child in node.items():
            walk(f"{prefix}.{key}" if prefix else str(key), child)

    walk("", raw)
    return out


def section_texts_path(section: str) -> Path:
    return Path(__file__).with_name("sections") / section / "texts.yaml"


def template(key: str, language: str, section: str | None = None) -> str:
    check_language(language)
    if section is not None:
        path = section_texts_path(section)
        if path.is_file():
            texts = load_texts(path)
            if key in texts:
                return texts[key][language]
    shared = load_texts(SHARED_TEXTS) if SHARED_TEXTS.is_file() else {}
    if key in shared:
        return shared[key][language]
    where = f"{section_texts_path(section)} or {SHARED_TEXTS}" if section else str(SHARED_TEXTS)
    raise KeyError(f"no text {key!r} in {where}")


def placeholders(text: str) -> set[str]:
    """The field names a template uses ('{value:.1f}' -> 'value')."""
    return {name.split(".")[0].split("[")[0] for _, name, _, _ in string.Formatter().parse(text) if name}


def render(key: str, facts: dict | None = None, language: str = "zh", section: str | None = None) -> str:
    """The template `key` in `language`, filled from `facts`."""
    text = template(key, language, section)
    try:
        return fill(text, facts or {})
    except KeyError as exc:
        raise KeyError(f"text {key!r} ({language}) needs the fact {exc.args[0]!r}; got {sorted(facts or {})}") from None


def render_both(key: str, facts: dict | None = None, section: str | None = None) -> dict[str, str]:
    return {lang: render(key, facts, lang, section) for lang in LANGUAGES}


def has(key: str, section: str | None = None) -> bool:
    try:
        template(key, "zh", section)
    except KeyError:
        return False
    return True
