"""Typeset tables: what a notebook shows instead of pandas' repr, and what the report
uses for its own tables (claims, parameters, assumptions, key results, appendices).

    from ecrights.tables import Column, table
    table(df, [Column("category", "类别", "category"),
               Column("level", "零售额", "retail sales", kind="level", unit="亿元"),
               Column("yoy_pct", "同比增长", "growth", kind="percent")], language)

- no index column (index=True makes the index the first column);
- headers in the edition's language, the unit in the header ("零售额（亿元）", "retail sales (100 million yuan)");
- numbers formatted by kind: level, percent, pp (percentage points), points (index points), count,
  number (6 significant digits), text, id (an identifier: code type, breaks only after _ . / -);
- "—" for a missing value; +∞/−∞ as "∞"/"−∞" (a count never is: "—"); no truncation;
- wide tables reshaped so that print never needs type below 7 pt: transposed when that fits,
  else split into column groups that repeat the key column, else in long form (key, column, value).

`table()` returns a `Table`: JupyterLab and the executed notebook show its `_repr_html_`
(marked `data-ecrights-table`, which the report recognises and keeps as typeset) and
terminals its plain-text repr. Values may be `markupsafe.Markup` (trusted HTML: the report's
own cells, such as a quote with its claim id); anything else is escaped.
"""

from __future__ import annotations

import html as html_lib
import numbers
import re
import unicodedata
from dataclasses import dataclass, replace

import pandas as pd
from markupsafe import Markup

from .formats import DEFAULT_UNIT, KINDS, LANG_ATTR, MISSING, NUMERIC_KINDS, format_value, is_missing, unit_label
# how one value is written lives in formats.py; these names are read as tables.X too (the report,
# notebooks, the sections), so they stay importable from here
from .formats import MINUS as MINUS, POWERS as POWERS, UNITS as UNITS
from .formats import english_amount as english_amount, in_scale as in_scale, reader_text as reader_text
from .formats import reader_value as reader_value, round_past_printed as round_past_printed
from .formats import with_unit as with_unit

MARKER_ATTR = "data-ecrights-table"

# print geometry (report/print.css): A4 text width, the table type size, the smallest allowed
PRINT_WIDTH_PT = 500.0
TABLE_PT = 8.0
MIN_PT = 7.0
CELL_PADDING_EM = 1.1  # padding (0.5 em a side, style.css) and rules per cell, in ems of the table's type
# no column narrower than this (or than its widest text, when that is shorter): a browser
# squeezing an auto-width table would otherwise set a short Chinese label one character a line
COLUMN_FLOOR_EM = 4.0


@dataclass(frozen=True)
class Column:
    key: str  # the DataFrame column (or mapping key)
    zh: str | None = None  # header in the Chinese edition
    en: str | None = None  # header in the English edition
    kind: str = "text"
    unit: str | None = None  # in the header; percent, pp and points have one by default
    digits: int | None = None  # decimals of level/percent/pp/points/count
    width: float | None = None  # share of the table's width (a fixed layout when every column has one)
    lang: str | None = None  # the cells' language when it is not the edition's (e.g. a Chinese quote)
    # the cells quote a source (its words, titles, section numbers) as printed: in another edition
    # they stay in the source's language, marked class="quoted"; the language checker exempts only these
    quote: bool = False

    def __post_init__(self):
        if self.kind not in KINDS:
            raise ValueError(f"column {self.key!r}: kind must be one of {KINDS}, got {self.kind!r}")
        if self.quote and not self.lang:
            raise ValueError(f"column {self.key!r}: a quote column needs the language of its source (lang=...)")

    def header(self, language: str) -> str:
        text = (self.zh if language == "zh" else self.en) or self.en or self.zh or self.key
        unit = unit_label(self.unit if self.unit is not None else DEFAULT_UNIT.get(self.kind), language)
        if not unit:
            return text  # a str, or Markup (e.g. an identifier set as code) kept as such
        return f"{text}（{unit}）" if language == "zh" else f"{text} ({unit})"


# --------------------------------------------------------------------------
# widths, in ems of the table's type
# --------------------------------------------------------------------------
def text_width(text: str) -> float:
    """Width of a string in ems: wide (CJK, full-width) characters one em, others about half."""
    return sum(1.0 if unicodedata.east_asian_width(ch) in "WF" else 0.55 for ch in text)


def min_width(text: str, kind: str) -> float:
    """The narrowest a cell can be: numbers do not wrap; identifiers only after _ . / -; text at
    spaces, and between any two CJK characters (counted as two, to keep a column readable)."""
    if kind in NUMERIC_KINDS:
        return text_width(text)
    if kind == "id":
        return max((text_width(p) for p in re.split(r"(?<=[_./-])", text)), default=0.0)
    words = [w for w in re.split(r"\s+", text) if w]
    widths = []
    for word in words:
        latin_runs = re.findall(r"[^\u2e80-\uffef]+", word)
        widths.append(max([text_width(r) for r in latin_runs] + [2.0 if re.search(r"[\u2e80-\uffef]", word) else 0]))
    return max(widths, default=0.0)


# --------------------------------------------------------------------------
# the table
# --------------------------------------------------------------------------
@dataclass
class Cell:
    text: str  # as printed (Markup when trusted HTML)
    kind: str
    lang: str | None = None
    quote: bool = False  # a quote of a source (see Column.quote)


class Table:
    """A typeset table: rows of formatted cells under headers in one language."""

    def __init__(self, headers: list[str], rows: list[list[Cell]], *, language: str, caption: str | None = None,
                 note: str | None = None, classes: tuple[str, ...] = (), widths: list[float] | None = None,
                 row_ids: list[str | None] | None = None, row_classes: list[str] | None = None,
                 header_classes: list[str] | None = None, layout: str = "plain", parts: list[Table] | None = None):
        self.headers, self.rows, self.language = headers, rows, language
        self.caption, self.note, self.classes, self.widths = caption, note, tuple(classes), widths
        self.row_ids = row_ids or [None] * len(rows)
        self.row_classes = row_classes or [""] * len(rows)
        self.header_classes = header_classes or [""] * len(headers)
        self.layout = layout  # plain | transposed | split | long: how a wide table was reshaped
        self.parts = parts  # the column groups of a split table

    # ---- sizes -------------------------------------------------------------
    def min_width_em(self) -> float:
        tables = self.parts or [self]
        return max(t._own_min_width() for t in tables)

    def _own_min_width(self) -> float:
        return sum(w + CELL_PADDING_EM for w in self.column_min_widths())

    def column_min_widths(self) -> list[float]:
        """Each column's narrowest readable width in ems, as the HTML asks for it (<col>
        widths, which an auto-width table treats as minimums): headers wrap (numbers' too,
        style.css), numbers never, text down to the column floor."""
        def readable(text: str, kind: str) -> float:
            text = _plain(text)
            if kind in NUMERIC_KINDS:
                return text_width(text)
            return max(min_width(text, kind), min(text_width(text), COLUMN_FLOOR_EM))

        return [max([readable(header, "text")] + [readable(r[j].text, r[j].kind) for r in self.rows])
                for j, header in enumerate(self.headers)]

    # ---- HTML --------------------------------------------------------------
    def _repr_html_(self) -> str:
        return self.to_html()

    def __html__(self) -> str:  # jinja: {{ table }} inserts the HTML
        return self.to_html()

    def to_html(self) -> str:
        classes = " ".join(("ecr-table", *self.classes, f"layout-{self.layout}"))
        body = "".join(p._table_html() for p in self.parts) if self.parts else self._table_html()
        note = f'<p class="table-note">{_esc(self.note)}</p>' if self.note else ""
        return f'<div class="{classes}" {MARKER_ATTR}="{self.layout}">{body}{note}</div>'

    def _table_html(self) -> str:
        out = ["<table>"]
        if self.caption:
            out.append(f"<caption>{_esc(self.caption)}</caption>")
        if self.widths and len(self.widths) == len(self.headers):
            total = sum(self.widths) or 1.0
            out.append("<colgroup>" + "".join(f'<col style="width:{100 * w / total:.1f}%">' for w in self.widths)
                       + "</colgroup>")
        elif self.headers:  # the widths fits() counted on, as minimums of the automatic layout
            out.append("<colgroup>" + "".join(f'<col style="width:{w + CELL_PADDING_EM:.1f}em">'
                                               for w in self.column_min_widths())
                       + "</colgroup>")
        kinds = [self.rows[0][j].kind if self.rows else "text" for j in range(len(self.headers))]
        out.append("<thead><tr>" + "".join(
            f'<th{_class_attr(_num(k), extra)}>{_esc(h)}</th>'
            for h, k, extra in zip(self.headers, kinds, self.header_classes)) + "</tr></thead><tbody>")
        for row, row_id, row_class in zip(self.rows, self.row_ids, self.row_classes):
            attrs = (f' id="{_esc(row_id)}"' if row_id else "") + (f' class="{_esc(row_class)}"' if row_class else "")
            out.append(f"<tr{attrs}>" + "".join(_cell_html(c, self.language) for c in row) + "</tr>")
        out.append("</tbody></table>")
        return "".join(out)

    # ---- plain text ----------------------------------------------------------
    def __repr__(self) -> str:
        tables = self.parts or [self]
        blocks = []
        for t in tables:
            grid = [[_plain(h) for h in t.headers]] + [[_plain(c.text) for c in r] for r in t.rows]
            widths = [max(_display_width(row[j]) for row in grid) for j in range(len(t.headers))]
            lines = []
            for i, row in enumerate(grid):
                cells = []
                for j, text in enumerate(row):
                    pad = " " * (widths[j] - _display_width(text))
                    numeric = i > 0 and t.rows[i - 1][j].kind in NUMERIC_KINDS
                    cells.append(pad + text if numeric else text + pad)
                lines.append("  ".join(cells).rstrip())
                if i == 0:
                    lines.append("  ".join("-" * w for w in widths))
            blocks.append("\n".join(lines))
        text = "\n\n".join(blocks)
        if self.caption:
            text = f"{self.caption}\n{text}"
        return text + (f"\n{self.note}" if self.note else "")

    def _repr_pretty_(self, printer, cycle) -> None:
        printer.text(repr(self))


def _num(kind: str) -> str:
    return "num" if kind in NUMERIC_KINDS else ""


def _class_attr(*names: str) -> str:
    joined = " ".join(n for n in names if n)
    return f' class="{joined}"' if joined else ""


def _esc(text) -> str:
    return text if isinstance(text, Markup) else html_lib.escape(str(text), quote=True)


def _plain(text) -> str:
    return text.striptags() if isinstance(text, Markup) else str(text)


def _display_width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _identifier_html(text: str) -> str:
    """An identifier that may break only after _ . / - (never inside a word)."""
    parts = re.split(r"(?<=[_./-])", text)
    return "<wbr>".join(html_lib.escape(p) for p in parts if p)


def _cell_html(cell: Cell, language: str) -> str:
    classes = [_num(cell.kind)]
    if cell.text == MISSING:
        classes.append("missing")
    other = bool(cell.lang and cell.lang != language)
    lang = f' lang="{LANG_ATTR.get(cell.lang, cell.lang)}"' if other else ""
    if other and cell.quote:
        classes.append("quoted")  # not "quote": that class sets a block, not a cell
    if cell.kind == "id" and not isinstance(cell.text, Markup) and cell.text != MISSING:
        inner = f'<code class="id">{_identifier_html(cell.text)}</code>'
    else:
        inner = _esc(cell.text)
    return f"<td{_class_attr(*classes)}{lang}>{inner}</td>"


# --------------------------------------------------------------------------
# building one
# --------------------------------------------------------------------------
def _records(data, columns: list[Column] | None, index: bool) -> tuple[list[dict], list[Column]]:
    """Rows as mappings, and the columns to show (all of them, as text/number, when not given)."""
    if isinstance(data, pd.Series):
        data = data.to_frame()
    if isinstance(data, pd.DataFrame):
        frame = data.reset_index() if index else data.copy()
        index_names = [str(c) for c in frame.columns[:data.index.nlevels]] if index else []
        frame.columns = [" / ".join(map(str, c)) if isinstance(c, tuple) else str(c) for c in frame.columns]
        records = frame.to_dict(orient="records")
        names = list(frame.columns)
        dtypes = {str(c): frame[c].dtype for c in frame.columns}
    else:
        records = [dict(r) for r in data]
        names = list(dict.fromkeys(k for r in records for k in r))
        dtypes, index_names = {}, []
    if columns is None:
        columns = []
        for name in names:
            numeric = name in dtypes and (pd.api.types.is_numeric_dtype(dtypes[name]) and
                                          not pd.api.types.is_bool_dtype(dtypes[name]))
            if not dtypes:
                values = [r.get(name) for r in records if not is_missing(r.get(name))]
                numeric = bool(values) and all(isinstance(v, numbers.Number) and not isinstance(v, bool)
                                               for v in values)
            columns.append(Column(name, kind="number" if numeric else "text"))
    else:  # the index, when asked for, leads (unless the columns place it themselves)
        columns = [Column(n) for n in index_names if n not in {c.key for c in columns}] + list(columns)
    missing = [c.key for c in columns if c.key not in names]
    if missing:
        raise KeyError(f"table: no column {missing} in the data (columns: {names})")
    return records, columns


def table(data, columns: list[Column] | None = None, language: str = "zh", *, caption: str | None = None,
          note: str | None = None, index: bool = False, reshape: str = "auto", keys: int | None = None,
          classes: tuple[str, ...] = (), row_ids: list[str | None] | None = None,
          row_classes: list[str] | None = None, header_classes: list[str] | None = None) -> Table:
    """A typeset table of `data` (a DataFrame or a list of mappings).

    columns: what to show, in order (default: every column, headers as named);
    reshape: "auto" (only when too wide for the page at 7 pt), "transpose", "split", "long" or "none";
    keys: how many leading columns identify a row (repeated in every part of a split table;
    the row labels of a long form); default 1 when the first column is text, else 0.
    """
    if language not in LANG_ATTR:
        raise ValueError(f"language must be one of {tuple(LANG_ATTR)}, got {language!r}")
    if reshape not in ("auto", "transpose", "split", "long", "none"):
        raise ValueError(f"reshape must be auto, transpose, split, long or none, got {reshape!r}")
    records, columns = _records(data, columns, index)
    headers = [c.header(language) for c in columns]
    rows = [[Cell(format_value(r.get(c.key), c.kind, c.digits, language), c.kind, c.lang, c.quote) for c in columns]
            for r in records]
    widths = [c.width for c in columns] if all(c.width for c in columns) else None
    plain = Table(headers, rows, language=language, caption=caption, note=note, classes=classes, widths=widths,
                  row_ids=row_ids, row_classes=row_classes, header_classes=header_classes)
    if keys is None:
        keys = 1 if columns and columns[0].kind in ("text", "id") and len(columns) > 1 else 0
    if reshape == "none" or (reshape == "auto" and fits(plain)):
        return plain
    candidates = {"transpose": [_transposed], "split": [_split], "long": [_long],
                  "auto": [_transposed, _split, _long]}[reshape]
    for make in candidates:
        shaped = make(plain, keys)
        if shaped is not None and (reshape != "auto" or fits(shaped)):
            return shaped
    return _long(plain, keys)  # always fits unless a single value is wider than the page


def fits(t: Table, size_pt: float = TABLE_PT) -> bool:
    """Whether the table fits the printed page width with its type at size_pt."""
    return t.min_width_em() * size_pt <= PRINT_WIDTH_PT


def _transposed(t: Table, keys: int) -> Table | None:
    """Columns become rows: the first key column's values head the new columns."""
    if keys > 1 or not t.rows or len(t.rows) > 12:
        return None
    if keys == 1:
        headers = [t.headers[0]] + [r[0].text for r in t.rows]
        rows = [[Cell(t.headers[j], "text")] + [r[j] for r in t.rows] for j in range(1, len(t.headers))]
    else:
        headers = [""] + [str(i + 1) for i in range(len(t.rows))]
        rows = [[Cell(t.headers[j], "text")] + [r[j] for r in t.rows] for j in range(len(t.headers))]
    return Table(headers, rows, language=t.language, caption=t.caption, note=t.note, classes=t.classes,
                 layout="transposed")


def _split(t: Table, keys: int) -> Table | None:
    """Column groups that each fit, every one repeating the key columns."""
    data_cols = list(range(keys, len(t.headers)))
    if len(data_cols) < 2:
        return None
    groups: list[list[int]] = [[]]
    for j in data_cols:
        trial = _subset(t, list(range(keys)) + groups[-1] + [j])
        if groups[-1] and not fits(trial):
            groups.append([j])
        else:
            groups[-1].append(j)
    parts = [_subset(t, list(range(keys)) + g) for g in groups]
    if len(parts) < 2 or not all(fits(p) for p in parts):
        return None
    for i, p in enumerate(parts, start=1):
        p.caption = f"{t.caption or ''} ({i}/{len(parts)})".strip()
        p.note = None
    return Table(t.headers, t.rows, language=t.language, note=t.note, classes=t.classes, layout="split",
                 parts=parts)


def _subset(t: Table, cols: list[int]) -> Table:
    return Table([t.headers[j] for j in cols], [[r[j] for j in cols] for r in t.rows], language=t.language,
                 caption=t.caption, classes=t.classes, row_ids=t.row_ids, row_classes=t.row_classes,
                 header_classes=[t.header_classes[j] for j in cols])


def _long(t: Table, keys: int) -> Table:
    """One row per value: the key columns, the column's header, the value."""
    label = {"zh": ("项目", "数值"), "en": ("item", "value")}[t.language]
    headers = t.headers[:keys] + list(label)
    rows = [r[:keys] + [Cell(t.headers[j], "text"), replace(r[j])] for r in t.rows
            for j in range(keys, len(t.headers))]
    return Table(headers, rows, language=t.language, caption=t.caption, note=t.note, classes=t.classes,
                 layout="long")


def is_typeset(fragment: str) -> bool:
    """Whether an HTML output is a table made here (the report keeps it as it is)."""
    return MARKER_ATTR in fragment


# a quoted passage holding Chinese: “…”, 《…》 or 「…」 (a release title quoted in an English explanation)
_QUOTED_CHINESE = re.compile(r"“[^”]*?[\u4e00-\u9fff][^”]*?”|《[^》]*》|「[^」]*」")


def quotes_marked(text: str, language: str):
    """An explanation of the English edition with its quoted Chinese passages (release
    and statement titles) marked as Chinese, as the editions mark every passage in the
    other language; other text, and the Chinese edition, unchanged."""
    if language != "en" or not text or not _QUOTED_CHINESE.search(text):
        return text
    escape = html_lib.escape
    out, last = Markup(""), 0
    for m in _QUOTED_CHINESE.finditer(text):
        out += Markup(escape(text[last:m.start()])) + Markup('<span lang="zh-Hans">{}</span>').format(m.group(0))
        last = m.end()
    return out + Markup(escape(text[last:]))
