"""Reading and validating data files; the official table.

Every file is read as text first (so a malformed number is reported, not
silently turned into NaN), checked against a pandera schema, then typed.
Errors name the file, the CSV line and the column, and say what was expected.
"""

from __future__ import annotations

import csv
import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from .. import paths
from .. import text as _text
from ..errors import DataError
from ..text import number_in_text
from .vocabulary import DATE, INDICATORS, LEVEL_UNITS, MEASURES, MONTH, NUMBER, OFFICIAL_COLUMNS, SOURCE_STRENGTHS


@dataclass(frozen=True)
class Problem:
    file: Path
    line: int | None  # CSV line number (header = 1)
    column: str | None
    message: str

    def __str__(self) -> str:
        where = f"{self.file}"
        if self.line is not None:
            where += f", line {self.line}"
        if self.column:
            where += f", column '{self.column}'"
        return f"{where}: {self.message}"


def _raise(problems: list[Problem]) -> None:
    if problems:
        problems = sorted(problems, key=lambda p: (str(p.file), p.line or 0, p.column or ""))
        shown = "\n  ".join(str(p) for p in problems[:20])
        more = f"\n  … and {len(problems) - 20} more" if len(problems) > 20 else ""
        raise DataError(f"{len(problems)} problem(s) in data:\n  {shown}{more}")


# --------------------------------------------------------------------------
# Reading
# --------------------------------------------------------------------------

def read_text_csv(path: Path, columns: list[str]) -> pd.DataFrame:
    """Read a CSV as strings, insisting on the exact header."""
    path = Path(path)
    if not path.is_file():
        raise DataError(f"{path}: file not found")
    try:
        with path.open(encoding="utf-8", newline="") as fh:
            rows = list(csv.reader(fh))
    except UnicodeDecodeError as exc:
        raise DataError(f"{path}: not UTF-8 text ({exc})") from None
    except csv.Error as exc:
        raise DataError(f"{path}: malformed CSV ({exc})") from None
    if not rows:
        raise DataError(f"{path}: empty file (expected header {','.join(columns)})")
    header = [h.strip() for h in rows[0]]
    if header != columns:
        first = next((i for i, (h, c) in enumerate(zip(header, columns)) if h != c), min(len(header), len(columns)))
        got = repr(header[first]) if first < len(header) else "nothing"
        want = repr(columns[first]) if first < len(columns) else "nothing more"
        raise DataError(
            f"{path}, line 1: header is {header}; expected exactly {columns} "
            f"(column {first + 1}: {got} where {want} is expected)"
        )
    problems = [
        Problem(path, i, columns[min(len(r), len(columns) - 1)],
                f"{len(r)} fields; expected {len(columns)}"
                + (f" (no field from '{columns[len(r)]}' on)" if len(r) < len(columns)
                   else f" (extra fields after '{columns[-1]}'; a comma inside a value needs double quotes)"))
        for i, r in enumerate(rows[1:], start=2)
        if len(r) != len(columns)
    ]
    _raise(problems)
    frame = pd.DataFrame(rows[1:], columns=columns, dtype=object)
    frame.index = pd.RangeIndex(2, 2 + len(frame))  # index = CSV line number
    return frame


def _schema_problems(path: Path, frame: pd.DataFrame, schema) -> list[Problem]:
    from pandera.errors import SchemaErrors  # noqa: PLC0415  (see _official_schema)

    try:
        schema.validate(frame, lazy=True)
    except SchemaErrors as exc:
        out = []
        for _, case in exc.failure_cases.iterrows():
            line = case.get("index")
            line = int(line) if pd.notna(line) else None
            column = case.get("column")
            column = column if isinstance(column, str) else None
            out.append(Problem(path, line, column,
                               f"failed check {case['check']} (value: {case['failure_case']!r})"))
        return out
    return []


def _official_schema():
    # pandera costs 0.6 s of CPU to import (measured); a run whose data passed validation
    # before (validated snapshot, run/validation.py) never builds a schema
    import pandera.pandas as pa  # noqa: PLC0415

    text = pa.Column(str, pa.Check.str_length(min_value=1), nullable=False)
    return pa.DataFrameSchema(
        {
            "indicator": pa.Column(str, pa.Check.isin(sorted(INDICATORS))),
            "period_start": pa.Column(str, pa.Check.str_matches(MONTH)),
            "period_end": pa.Column(str, pa.Check.str_matches(MONTH)),
            "measure": pa.Column(str, pa.Check.isin(sorted(MEASURES))),
            "value": pa.Column(str, pa.Check(lambda s: s.eq("") | s.str.match(NUMBER),
                                             element_wise=False, name="number_or_empty")),
            "unit": pa.Column(str, pa.Check.isin(sorted(set(LEVEL_UNITS) | {"%"}))),
            "release_title": text,
            "release_date": pa.Column(str, pa.Check(lambda s: s.eq("") | s.str.match(DATE),
                                                    element_wise=False, name="date_or_empty")),
            # empty only on gap rows (checked per row below)
            "source_url": pa.Column(str, pa.Check(lambda s: s.eq("") | s.str.match(r"^https?://\S+$"),
                                                  element_wise=False, name="url_or_empty")),
            "quote": pa.Column(str),
            "note": pa.Column(str),
            "source_strength": pa.Column(str, pa.Check.isin(["", *SOURCE_STRENGTHS])),
        },
        strict=True,
        unique=["indicator", "period_start", "period_end", "measure"],
        report_duplicates="all",
    )


def _official_row_problems(path: Path, frame: pd.DataFrame) -> list[Problem]:
    """Checks across columns, per row, with a message a person can act on."""
    out: list[Problem] = []
    for line, row in zip(frame.index, frame.to_dict("records")):  # plain dicts: iterrows builds a Series a row
        if row["period_end"] < row["period_start"] or row["period_end"][:4] != row["period_start"][:4]:
            out.append(Problem(path, line, "period_end",
                               f"{row['period_start']}..{row['period_end']} is not a period within one year"))
        if row["measure"] == "level" and row["unit"] not in LEVEL_UNITS:
            out.append(Problem(path, line, "unit", f"a level needs one of {sorted(LEVEL_UNITS)}, got {row['unit']!r}"))
        if row["measure"] != "level" and row["unit"] != "%":
            out.append(Problem(path, line, "unit", f"measure {row['measure']} needs unit '%', got {row['unit']!r}"))
        if row["release_date"] == "" and not row["note"].strip():
            out.append(Problem(path, line, "release_date", "an unknown release date needs a note saying why"))
        value = row["value"]
        if value == "":
            if not row["note"].strip():
                out.append(Problem(path, line, "note", "an empty value (a gap) needs a note saying why"))
            if row["source_strength"]:
                out.append(Problem(path, line, "source_strength", "a gap has no source strength"))
            continue
        if not row["source_strength"]:
            out.append(Problem(path, line, "source_strength",
                               f"a value needs its source strength, one of {list(SOURCE_STRENGTHS)}"))
        for column in ("source_url", "quote"):
            if not row[column].strip():
                out.append(Problem(path, line, column, "a value needs the page it was read on and its quote"))
        if row["measure"] in ("level", "share_pct") and value.startswith("-"):
            out.append(Problem(path, line, "value", f"{row['measure']} cannot be negative, got {value}"))
        if not number_in_text(value, row["quote"]):
            out.append(Problem(path, line, "quote", f"the value {value} does not appear in the quote"))
    return out


SNAPSHOT_FORMAT = "ecrights-official-text/1"


def official_snapshot_key(directory: Path | None = None) -> str:
    """Content key of data/official/*.csv and of the code that validates it."""
    directory = Path(directory) if directory else paths.data_dir() / "official"
    h = hashlib.sha256()
    for path in sorted(directory.glob("*.csv")):
        h.update(path.name.encode() + b"\0" + path.read_bytes())
    # the validating code: this package and the text normalisation it uses
    for module_file in sorted(Path(__file__).parent.glob("*.py")) + [Path(_text.__file__)]:
        h.update(Path(module_file).read_bytes())
    return h.hexdigest()[:24]


def write_official_snapshot(target: Path) -> Path:
    """Validate data/official once and write the validated table for a run's
    notebooks, as JSON text (the cells exactly as the files hold them, before
    typing): a snapshot is data that cannot execute, unlike a pickle. The runner
    signs it (run/trust.py) and hands a copy to each notebook as its injected
    `validated_data` parameter."""
    frame = _validated_text(paths.data_dir() / "official")  # raises before anything is written
    payload = {"format": SNAPSHOT_FORMAT, "columns": list(frame.columns), "rows": frame.values.tolist()}
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    try:
        tmp.write_text(json.dumps(payload, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)
    return target


def read_official_snapshot(path: Path) -> pd.DataFrame:
    """The official table from a snapshot written by write_official_snapshot (JSON
    text only: reading it runs no code), typed as load_official types it."""
    path = Path(path)
    try:
        payload = json.loads(path.read_text(encoding="utf-8"))
        if payload.get("format") != SNAPSHOT_FORMAT or payload.get("columns") != OFFICIAL_COLUMNS + ["source_file"]:
            raise ValueError(f"not a {SNAPSHOT_FORMAT} snapshot")
        rows = payload["rows"]
        if not all(isinstance(r, list) and all(isinstance(v, str) for v in r) for r in rows):
            raise ValueError("cells must be text")
    except (OSError, ValueError, AttributeError, KeyError) as exc:
        raise DataError(f"{path}: unreadable validated-data snapshot ({type(exc).__name__}: {exc}); run the "
                        "runner again, or pass validated_data=None to validate data/ here") from None
    frame = pd.DataFrame(rows, columns=payload["columns"], dtype=object)
    frame["source_file"] = frame["source_file"].astype(str)  # as assigned by _validated_text
    return _typed(frame)


def load_official(directory: Path | None = None, validated_ok: bool = True, snapshot: str | Path | None = None
                  ) -> pd.DataFrame:
    """All official statistics (data/official/*.csv), validated and typed.

    Inside a run, the runner has already validated exactly these files and
    injects the path of their snapshot as the notebook's `validated_data`
    parameter; a notebook passes it as `snapshot` and saves the validation
    (validated_ok=False validates anyway). Without it (JupyterLab), data/ is
    validated here.

    Columns: the file's columns, `value` as float in the canonical unit
    (亿元, 亿件 or %; NaN = a recorded gap), `value_printed`/`unit_printed`
    as in the file,
    `period_start`/`period_end` as monthly Periods, and `source_file`.
    """
    if snapshot and validated_ok and directory is None:
        return read_official_snapshot(Path(snapshot))
    return _typed(_validated_text(Path(directory) if directory else paths.data_dir() / "official"))


def _validated_text(directory: Path) -> pd.DataFrame:
    """Every official file of `directory`, as text, checked (raises DataError)."""
    files = sorted(directory.glob("*.csv"))
    if not files:
        raise DataError(f"{directory}: no official data files (*.csv) found")
    frames, problems = [], []
    schema = _official_schema()
    for path in files:
        frame = read_text_csv(path, OFFICIAL_COLUMNS)
        found = _schema_problems(path, frame, schema)
        if not found:
            found = _official_row_problems(path, frame)
        problems += found
        frame["source_file"] = path.name
        frames.append(frame)
    _raise(problems)
    data = pd.concat(frames, ignore_index=True)
    key = ["indicator", "period_start", "period_end", "measure"]
    dup = data[data.duplicated(key, keep=False)]
    if not dup.empty:
        first = dup.iloc[0]
        raise DataError(
            f"{directory}: {first['indicator']} {first['period_start']}..{first['period_end']} "
            f"{first['measure']} is in more than one file: {sorted(set(dup['source_file']))}"
        )
    return data


def _typed(data: pd.DataFrame) -> pd.DataFrame:
    """The validated text table typed: values in canonical units, periods as Periods."""
    data = data.copy()
    printed = pd.to_numeric(data["value"].replace("", None), errors="raise").astype(float)
    data["value_printed"], data["unit_printed"] = printed, data["unit"]
    factor = data["unit"].map(lambda u: LEVEL_UNITS.get(u, ("%", 1.0))[1])
    data["unit"] = data["unit"].map(lambda u: LEVEL_UNITS.get(u, ("%", 1.0))[0])
    data["value"] = printed * factor
    data["period_start"] = pd.PeriodIndex(data["period_start"], freq="M")
    data["period_end"] = pd.PeriodIndex(data["period_end"], freq="M")
    return data
