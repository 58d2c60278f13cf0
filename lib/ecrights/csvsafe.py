"""CSV files safe to open in a spreadsheet (OWASP's CSV-injection rule), one rule for every CSV we write.

A text cell that starts with `=`, `+`, `-`, `@`, a tab or a carriage return
would be read by a spreadsheet as a formula (`=HYPERLINK(…)`). Such a cell is
written with one leading apostrophe `'`, which a spreadsheet shows as text. So
that the rule can be undone exactly, a cell that already starts with `'` gets
one more too. A number (`-1.5`, `+2`) is left as it is: it is no formula.

Reading back: drop one leading `'` from every cell that has one
(`restore`, or `read_rows(path)` for a whole file). Nothing else changes.
"""

from __future__ import annotations

import csv
from pathlib import Path

TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
MARK = "'"


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def neutralise(value):
    """The cell as written: text that a spreadsheet would run gets a leading '."""
    if not isinstance(value, str) or not value:
        return value
    if value.startswith(MARK) or (value.startswith(TRIGGERS) and not _is_number(value)):
        return MARK + value
    return value


def restore(value: str) -> str:
    """The value a cell written by neutralise held."""
    return value[1:] if isinstance(value, str) and value.startswith(MARK) else value


def neutralised(row):
    """A row (a dict or a sequence of cells) with every cell neutralised."""
    if isinstance(row, dict):
        return {k: neutralise(v) for k, v in row.items()}
    return [neutralise(v) for v in row]


def frame(df):
    """A DataFrame's text cells neutralised (numbers untouched), for DataFrame.to_csv."""
    text = df.select_dtypes(exclude="number").columns
    if len(text) == 0:
        return df
    out = df.copy()
    out[text] = out[text].map(neutralise)
    return out


def read_rows(path: Path) -> list[dict[str, str]]:
    """A CSV we wrote, as dicts of the values it holds (one leading ' dropped per cell)."""
    with Path(path).open(encoding="utf-8", newline="") as fh:
        return [{restore(k): restore(v) for k, v in row.items()} for row in csv.DictReader(fh)]
