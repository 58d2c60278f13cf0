"""The report's front matter — title, subtitle, authors, date, subject, keywords —
in both languages, from params/report.yaml (edited without touching code).

It lands on the title page, in the HTML <head> and in the PDF's document
information (weasyprint reads <title>, <meta name=author|description|keywords|
dcterms.created> and <html lang>).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import yaml

from .. import paths
from ..errors import InputError, shorten
from ..i18n import LANGUAGES

FIELDS = ("title", "running_title", "subtitle", "original_title", "authors", "date", "subject", "keywords")
REQUIRED = ("title", "authors")


class FrontMatterError(InputError):
    """params/report.yaml is missing or malformed (exit code 2, like any bad input)."""


def default_path() -> Path:
    return paths.params_dir() / "report.yaml"


@dataclass(frozen=True)
class FrontMatter:
    title: str
    running_title: str  # the PDF's running header (the title when none is given)
    subtitle: str
    original_title: str  # the report's own title, in Chinese (shown, marked, in the English edition)
    authors: tuple[str, ...]
    date: dt.date | None  # None: the build date
    subject: str
    keywords: tuple[str, ...]
    language: str

    def date_text(self, built: dt.date | None = None) -> str:
        day = self.date or built or dt.date.today()
        if self.language == "zh":
            return f"{day.year}年{day.month}月{day.day}日"
        return f"{day.day} {day:%B} {day.year}"

    def iso_date(self, built: dt.date | None = None) -> str:
        return (self.date or built or dt.date.today()).isoformat()


def load(language: str, path: Path | None = None) -> FrontMatter:
    """The front matter of one edition; a clear error naming the file and field when it is wrong."""
    path = Path(path) if path else default_path()
    if not path.is_file():
        raise FrontMatterError(f"{path}: not found (the report's front matter: title, authors, … in zh and en)")
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise FrontMatterError(f"{path}: not valid YAML ({exc})") from None
    if not isinstance(raw, dict):
        raise FrontMatterError(f"{path}: expected a mapping of {', '.join(FIELDS)}; got {type(raw).__name__}")
    unknown = sorted(set(raw) - set(FIELDS))
    if unknown:
        raise FrontMatterError(f"{path}: unknown field(s) {unknown}; expected some of {list(FIELDS)}")
    for name in REQUIRED:
        if name not in raw:
            raise FrontMatterError(f"{path}: field {name!r} is missing")

    def localised(name: str, kind: type):
        value = raw.get(name)
        if value is None:
            return [] if kind is list else ""
        if not isinstance(value, dict) or set(value) - set(LANGUAGES) or language not in value:
            raise FrontMatterError(f"{path}: field {name!r} must be a mapping with a 'zh' and an 'en' entry; "
                                   f"got {shorten(value)}")
        item = value[language]
        if kind is list:
            if isinstance(item, str):
                item = [item]
            if not isinstance(item, list) or not all(isinstance(x, str) and x.strip() for x in item):
                raise FrontMatterError(f"{path}: field {name}.{language} must be a list of names; got {shorten(item)}")
            return [x.strip() for x in item]
        if item is None:
            return ""
        if not isinstance(item, str):
            raise FrontMatterError(f"{path}: field {name}.{language} must be text; got {shorten(item)}")
        return item.strip()

    date = raw.get("date")
    if isinstance(date, str) and date.strip():
        try:
            date = dt.date.fromisoformat(date.strip())
        except ValueError:
            raise FrontMatterError(f"{path}: field 'date' must be a date such as 2026-11-30 or empty; "
                                   f"got {shorten(date)}") from None
    elif date in (None, ""):
        date = None
    elif isinstance(date, dt.datetime):
        date = date.date()
    elif not isinstance(date, dt.date):
        raise FrontMatterError(f"{path}: field 'date' must be a date such as 2026-11-30 or empty; got {shorten(date)}")
    original = raw.get("original_title") or ""
    if not isinstance(original, str):
        raise FrontMatterError(f"{path}: field 'original_title' must be text; got {shorten(original)}")
    title = localised("title", str)
    authors = localised("authors", list)
    if not title:
        raise FrontMatterError(f"{path}: field title.{language} is empty")
    if not authors:
        raise FrontMatterError(f"{path}: field authors.{language} is empty")
    return FrontMatter(title=title, running_title=localised("running_title", str) or title,
                       subtitle=localised("subtitle", str), original_title=original.strip(),
                       authors=tuple(authors), date=date, subject=localised("subject", str),
                       keywords=tuple(localised("keywords", list)), language=language)
