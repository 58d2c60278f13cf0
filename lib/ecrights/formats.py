"""How one value is written: its kind (level, percent, pp, points, count, number, text, id),
its unit in each edition ('亿元' → '100 million yuan'), an amount in 亿 or 万 in English
(millions, billions), a recomputed number to two places past the printed one, a period with an
en dash. The typeset tables (tables.py) and the report's sentences use these.
"""

from __future__ import annotations

import math
import numbers
import re
from decimal import Decimal

import pandas as pd
from markupsafe import Markup

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


def unit_label(unit: str | None, language: str) -> str:
    """A unit in the edition's language ('亿元' → '100 million yuan' in English)."""
    if not unit:
        return ""
    key = unit if unit in UNITS else _EN_UNITS.get(unit, unit)
    pair = UNITS.get(key)
    return pair[0 if language == "zh" else 1] if pair else unit


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
