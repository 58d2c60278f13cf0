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
import math
import numbers
import re
import unicodedata
from decimal import Decimal
from dataclasses import dataclass, replace

import pandas as pd
from markupsafe import Markup

MARKER_ATTR = "data-ecrights-table"
KINDS = ("level", "percent", "pp", "points", "count", "number", "text", "id")
NUMERIC_KINDS = ("level", "percent", "pp", "points", "count", "number")
DEFAULT_DIGITS = {"level": 1, "percent": 1, "pp": 1, "points": 1, "count": 0}
DEFAULT_UNIT = {"percent": "%", "pp": "百分点", "points": "点"}
MISSING = "—"
MINUS = "\u2212"
LANG_ATTR = {"zh": "zh-Hans", "en": "en"}

# Units as printed in data/ (Chinese) → the label in each edition. A unit not listed is shown as given.
UNITS: dict[str, tuple[str, str]] = {
    "%": ("%", "%"),
    "百分点": ("百分点", "pp"),
    "点": ("点", "points"),
    "亿元": ("亿元", "100 million yuan"),
    "万亿元": ("万亿元", "trillion yuan"),
    "十亿元": ("十亿元", "bn yuan"),
    "万元": ("万元", "10,000 yuan"),
    "元": ("元", "yuan"),
    "亿件": ("亿件", "100 million parcels"),
    "十亿件": ("十亿件", "bn parcels"),
    "万件": ("万件", "10,000 items"),
    "件": ("件", "items"),
    "倍": ("倍", "times"),
    "个": ("个", "count"),
    "家": ("家", "firms"),
    "年": ("年", "years"),
    "个月": ("个月", "months"),
    "月": ("月", "months"),
    "周": ("周", "weeks"),
    "天": ("天", "days"),
    "笔": ("笔", "transactions"),
    "每万笔": ("每万笔", "per 10,000 transactions"),
    # units of the report's own claims (data/published/claims.csv)
    "名": ("名", "rank"),
    "分钟": ("分钟", "minutes"),
    "亿个": ("亿个", "100 million"),
    "万人": ("万人", "10,000 people"),
    "万人次": ("万人次", "10,000 person-times"),
    "万家": ("万家", "10,000 shops"),
    "万枚": ("万枚", "10,000 pieces"),
    "万笔": ("万笔", "10,000 orders"),
    "万颗": ("万颗", "10,000 balls"),
    "吨": ("吨", "tonnes"),
    "笔/万笔": ("笔/万笔", "per 10,000 orders"),
}
_EN_UNITS = {en: zh for zh, (_, en) in UNITS.items()}

# English has no word for 亿 (10^8) or 万 (10^4): an amount in such a unit is written in the
# edition's English as millions, billions or trillions of the thing counted (411,649 亿元 →
# 41,164.9 billion yuan; 5.2 亿件 → 520 million parcels). unit → (power of ten, what is counted).
POWERS: dict[str, tuple[int, str]] = {
    "万亿元": (12, "yuan"), "十亿元": (9, "yuan"), "亿元": (8, "yuan"), "万元": (4, "yuan"),
    "十亿件": (9, "parcels"), "亿件": (8, "parcels"), "万件": (4, "items"),
    "亿个": (8, ""), "万人": (4, "people"), "万人次": (4, "person-times"), "万家": (4, "shops"),
    "万枚": (4, "pieces"), "万笔": (4, "orders"), "万颗": (4, "balls"),
}
SCALES = {"trillion": 12, "billion": 9, "million": 6}
# the scale is the largest at which the printed precision needs at most this many decimals:
# 411,649 亿元 is 41,164.9 billion (one decimal), not 41.1649 trillion; 635.2 亿件 is 63.52 billion
SCALED_DECIMALS = 2


def in_scale(value: float, unit: str, scale: str) -> float:
    """`value` in `unit` (亿元) as a multiple of an English scale (trillion): for axes and columns."""
    return value * 10.0 ** (POWERS[unit][0] - SCALES[scale])


def english_amount(number_text: str, unit: str) -> str | None:
    """A number as printed ('411,649', '5.2') in a Chinese unit of 亿 or 万, written in English
    ('41,164.9 billion yuan', '520 million parcels'), exactly: the printed digits are moved by a
    power of ten, never rounded, so the precision stays what was printed. None when the unit is
    not one of POWERS or the text is not a plain number."""
    if unit not in POWERS:
        return None
    m = _PLAIN_NUMBER.match(str(number_text).strip().replace(",", ""))
    if not m:
        return None
    sign, whole, frac = m.groups()
    power, counted = POWERS[unit]
    amount = Decimal(whole + frac).scaleb(power)  # exact: a Decimal's digits are the printed ones
    # the printed precision as a count of decimals of the whole amount (negative: tens, hundreds…);
    # a whole number's trailing zeros are not read as significant (630 亿件 is 63 billion, not 63.0)
    trailing = len(whole) - len(whole.rstrip("0")) if not frac and whole.strip("0") else 0
    places = len(frac.lstrip(".")) - power - trailing
    chosen = next(((word, p) for word, p in SCALES.items()
                   if amount >= Decimal(10) ** p and places + p <= SCALED_DECIMALS), None)
    word, p = chosen if chosen else ("", 0)
    shown = amount.scaleb(-p)
    decimals = max(0, places + p)
    text = f"{shown:,.{decimals}f}"
    sign = MINUS if sign in ("-", MINUS) else sign
    return " ".join(part for part in (sign + text, word, counted) if part)

# print geometry (report/print.css): A4 text width, the table type size, the smallest allowed
PRINT_WIDTH_PT = 500.0
TABLE_PT = 8.0
MIN_PT = 7.0
CELL_PADDING_EM = 1.1  # padding (0.5 em a side, style.css) and rules per cell, in ems of the table's type
# no column narrower than this (or than its widest text, when that is shorter): a browser
# squeezing an auto-width table would otherwise set a short Chinese label one character a line
COLUMN_FLOOR_EM = 4.0


def unit_label(unit: str | None, language: str) -> str:
    """A unit in the edition's language ('亿元' → '100 million yuan' in English)."""
    if not unit:
        return ""
    key = unit if unit in UNITS else _EN_UNITS.get(unit, unit)
    pair = UNITS.get(key)
    return pair[0 if language == "zh" else 1] if pair else unit


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
# formatting one value
# --------------------------------------------------------------------------
def is_missing(value) -> bool:
    if value is None:
        return True
    if isinstance(value, str):
        return value.strip() == ""
    if value is pd.NA or value is pd.NaT:
        return True
    return isinstance(value, float) and math.isnan(value)


def format_value(value, kind: str = "number", digits: int | None = None, language: str = "zh") -> str:
    """One value as printed in a table of the given kind."""
    if isinstance(value, Markup):
        return value
    if is_missing(value):
        return MISSING
    if isinstance(value, bool) or type(value).__name__ == "bool_":
        return ("是" if value else "否") if language == "zh" else ("yes" if value else "no")
    if kind in NUMERIC_KINDS:
        number = _as_number(value)
        if number is None:
            return str(value)
        if math.isnan(number):
            return MISSING
        if math.isinf(number):
            return MISSING if kind == "count" else ("∞" if number > 0 else MINUS + "∞")
        if kind == "number":
            text = _significant(number)
        else:
            places = DEFAULT_DIGITS[kind] if digits is None else digits
            text = f"{number:,.{places}f}"
            if float(text.replace(",", "")) == 0:
                text = text.lstrip("-")  # no "−0.0"
        return text.replace("-", MINUS)
    if kind == "id":
        return str(value)
    return reader_text(str(value))


# a period as data writes it (2019-01..2019-12) → as printed (2019-01–2019-12, an en dash)
_PERIOD_RANGE = re.compile(r"\b(\d{4}(?:-\d{2}(?:-\d{2})?)?)\.\.(\d{4}(?:-\d{2}(?:-\d{2})?)?)\b")


def reader_text(text: str) -> str:
    """Text as a reader reads it: data's period ranges with an en dash."""
    return _PERIOD_RANGE.sub("\\1\u2013\\2", text)


_PLAIN_NUMBER = re.compile(r"^([-+\u2212]?)(\d+)((?:\.\d+)?)$")


def with_unit(number, unit: str | None, language: str, kind: str = "number", digits: int | None = None) -> str:
    """A number and its unit in running text or one cell: '12,345亿元', '1.5 pp', '12.5%'; in
    English an amount in 亿 or 万 in millions, billions or trillions ('41,164.9 billion yuan',
    english_amount), and another English unit that starts with a number bracketed, so that it
    cannot be read as part of the number. A number given as text (as the report printed it)
    keeps its digits and gains thousands separators; a missing one is '—' without a unit."""
    if isinstance(number, str) and not isinstance(number, Markup):
        m = _PLAIN_NUMBER.match(number.strip().replace(",", ""))
        if m:
            sign, whole, frac = m.groups()
            number_text = (sign.replace("-", MINUS) + (f"{int(whole):,}" if len(whole) > 4 else whole) + frac)
        else:
            number_text = MISSING if is_missing(number) else number
    else:
        number_text = format_value(number, kind, digits, language)
    label = unit_label(unit, language)
    if number_text == MISSING or not label:
        return number_text
    scaled = english_amount(number_text, unit) if language == "en" else None
    if scaled:
        return scaled
    if label == "%" or language == "zh":
        return f"{number_text}{label}"
    if label[0].isdigit():
        return f"{number_text} ({label})"
    return f"{number_text} {label}"


def reader_value(value, language: str = "zh") -> str:
    """A setting (parameter, assumption) as a reader writes it, not as Python prints it:
    'report' → report, None → —, False → 否/no, 0.30000000000000004 → 0.3, a list as
    "a, b", a mapping as "key: value; …" (an empty one —). Four-digit whole numbers (years,
    lags) stay without a thousands separator."""
    if is_missing(value) or (isinstance(value, (list, tuple, dict)) and not value):
        return MISSING
    if isinstance(value, bool) or type(value).__name__ == "bool_":
        return format_value(value, "text", language=language)
    if isinstance(value, dict):
        return "; ".join(f"{k}: {reader_value(v, language)}" for k, v in value.items())
    if isinstance(value, (list, tuple)):
        return ", ".join(reader_value(v, language) for v in value)
    if isinstance(value, numbers.Integral) and abs(int(value)) < 10_000:
        return str(int(value))
    if isinstance(value, numbers.Number):
        return format_value(value, "number", language=language)
    return str(value)


def _as_number(value) -> float | None:
    if isinstance(value, numbers.Number):
        return float(value)
    if isinstance(value, str):
        try:
            return float(value.replace(",", ""))
        except ValueError:
            return None
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


# a recomputed value is shown to two more decimals than the report printed its value (at most
# three, never fewer than printed): enough to see where it falls within the printed rounding
EXTRA_DECIMALS, MAX_DECIMALS = 2, 3


def round_past_printed(value, printed_text: str):
    """`value` rounded for display beside a value printed as `printed_text` ('45', '2.3')."""
    text = str(printed_text or "").strip().lstrip("+-")
    if value is None or not text or (isinstance(value, float) and math.isnan(value)):
        return value
    printed = len(text.split(".")[1]) if "." in text else 0
    return round(float(value), max(printed, min(MAX_DECIMALS, printed + EXTRA_DECIMALS)))


SIGNIFICANT_DIGITS = 4  # a computed number without a printed reference: enough to compare, not noise


def _significant(number: float) -> str:
    """4 significant digits, never rounding the whole part (12,345.6 → 12,346), thousands
    separated (8.9e-16 is float noise: a zero)."""
    number = round(number, 10)
    if number.is_integer() and abs(number) < 1e15:
        return f"{int(number):,}"
    whole_digits = len(str(int(abs(number)))) if abs(number) >= 1 else 0
    text = f"{number:.{max(SIGNIFICANT_DIGITS, whole_digits)}g}"
    if "e" in text and abs(number) >= 1:  # 99,999.9 rounds up a digit: the whole number, then
        return f"{number:,.0f}"
    if "e" in text:
        return text
    whole, _, frac = text.partition(".")
    sign = "-" if whole.startswith("-") else ""
    return f"{sign}{int(whole.lstrip('-')):,}" + (f".{frac}" if frac else "")


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
