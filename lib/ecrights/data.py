"""Loading and validating data/.

Every file is read as text first (so a malformed number is reported, not
silently turned into NaN), checked against a pandera schema, then typed.
Errors name the file, the CSV line and the column, and say what was expected.
"""

from __future__ import annotations

import csv
import hashlib
import os
import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from . import paths
from . import text as _text
from .text import number_in_text

# --------------------------------------------------------------------------
# Vocabulary
# --------------------------------------------------------------------------

INDICATORS: dict[str, str] = {
    "retail_sales_total": "社会消费品零售总额",
    "retail_sales_ex_auto": "除汽车以外的消费品零售额",
    "retail_sales_above_size": "限额以上单位消费品零售额",
    "retail_sales_catering": "餐饮收入",
    "retail_sales_goods": "商品零售",
    "online_retail_total": "全国网上零售额",
    "online_retail_physical": "实物商品网上零售额",
    "online_retail_physical_food": "实物商品网上零售额·吃类",
    "online_retail_physical_clothing": "实物商品网上零售额·穿类",
    "online_retail_physical_use": "实物商品网上零售额·用类",
    "store_retail_above_size": "限额以上单位实体店零售额",
    "store_format_supermarket": "限额以上超市",
    "store_format_convenience": "限额以上便利店",
    "store_format_department": "限额以上百货店",
    "store_format_specialty": "限额以上专业店",
    "store_format_exclusive": "限额以上专卖店",
    "above_size_internet_retail": "限额以上单位通过互联网实现的商品零售额",
    "express_volume": "快递业务量",
    "express_revenue": "快递业务收入",
    "category_grain_oil_food": "粮油、食品类",
    "category_beverage": "饮料类",
    "category_tobacco_liquor": "烟酒类",
    "category_clothing": "服装鞋帽、针纺织品类",
    "category_cosmetics": "化妆品类",
    "category_jewelry": "金银珠宝类",
    "category_daily_use": "日用品类",
    "category_sports_recreation": "体育、娱乐用品类",
    "category_books": "书报杂志类",
    "category_appliances": "家用电器和音像器材类",
    "category_medicine": "中西药品类",
    "category_culture_office": "文化办公用品类",
    "category_furniture": "家具类",
    "category_communication": "通讯器材类",
    "category_petroleum": "石油及制品类",
    "category_auto": "汽车类",
    "category_building_decoration": "建筑及装潢材料类",
}

MEASURES = {"level", "yoy_pct", "yoy_real_pct", "share_pct"}
# Units as printed -> (canonical unit, factor). English releases print
# "billion yuan" (十亿元); some levels are printed in 万件. Conversion is an
# exact power of ten, done here in code, never by hand in data/.
LEVEL_UNITS = {
    "亿元": ("亿元", 1.0),
    "十亿元": ("亿元", 10.0),
    "万亿元": ("亿元", 10000.0),
    "亿件": ("亿件", 1.0),
    "十亿件": ("亿件", 10.0),
    "万件": ("亿件", 0.0001),
}

OFFICIAL_COLUMNS = [
    "indicator", "period_start", "period_end", "measure", "value", "unit",
    "release_title", "release_date", "source_url", "quote", "note",
]

CLAIM_SECTIONS = {
    "retail_growth", "promotion_effects", "index_trend",
    "industry_breakdown", "ai_anticounterfeit",
}
CLAIM_COLUMNS = [
    "claim_id", "section", "report_section", "quote", "quote_en", "value",
    "unit", "kind", "period", "checkable", "note",
]
CLAIM_CHECKABLE = {"public_data", "arithmetic", "published_index", "not_public"}

MONTH = r"^\d{4}-(0[1-9]|1[0-2])$"
DATE = r"^\d{4}-\d{2}-\d{2}$"
NUMBER = r"^-?\d+(\.\d+)?$"


class DataError(Exception):
    """A data file is missing, malformed or breaks its schema."""


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
    from pandera.errors import SchemaErrors

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
    import pandera.pandas as pa  # imported here: the runner's fast path never needs it

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
        },
        strict=True,
        unique=["indicator", "period_start", "period_end", "measure"],
        report_duplicates="all",
    )


def _official_row_problems(path: Path, frame: pd.DataFrame) -> list[Problem]:
    """Checks across columns, per row, with a message a person can act on."""
    out: list[Problem] = []
    for line, row in frame.iterrows():
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
            continue
        for column in ("source_url", "quote"):
            if not row[column].strip():
                out.append(Problem(path, line, column, "a value needs the page it was read on and its quote"))
        if row["measure"] in ("level", "share_pct") and value.startswith("-"):
            out.append(Problem(path, line, "value", f"{row['measure']} cannot be negative, got {value}"))
        if not number_in_text(value, row["quote"]):
            out.append(Problem(path, line, "quote", f"the value {value} does not appear in the quote"))
    return out


SNAPSHOT_ENV = "ECRIGHTS_VALIDATED_DIR"


def official_snapshot_key(directory: Path | None = None) -> str:
    """Content key of data/official/*.csv and of the code that validates it."""
    directory = Path(directory) if directory else paths.data_dir() / "official"
    h = hashlib.sha256()
    for path in sorted(directory.glob("*.csv")):
        h.update(path.name.encode() + b"\0" + path.read_bytes())
    for module_file in (__file__, _text.__file__):
        h.update(Path(module_file).read_bytes())
    return h.hexdigest()[:24]


def write_official_snapshot(target_dir: Path) -> Path:
    """Validate data/official once and keep the typed table for the notebooks
    of this run (the runner points them at it through ECRIGHTS_VALIDATED_DIR)."""
    target = Path(target_dir) / f"official-{official_snapshot_key()}.pkl"
    if not target.is_file():
        frame = load_official(validated_ok=False)  # raises before anything is written
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_suffix(".tmp")
        frame.to_pickle(tmp)
        tmp.replace(target)
    return target


def load_official(directory: Path | None = None, validated_ok: bool = True) -> pd.DataFrame:
    """All official statistics (data/official/*.csv), validated and typed.

    Inside a run, the runner has already validated exactly these files: the
    typed table is then read from its snapshot (keyed by the files' content
    and this module's code), which saves every notebook the validation.

    Columns: the file's columns, `value` as float in the canonical unit
    (亿元, 亿件 or %; NaN = a recorded gap), `value_printed`/`unit_printed`
    as in the file,
    `period_start`/`period_end` as monthly Periods, and `source_file`.
    """
    if directory is None and validated_ok and os.environ.get(SNAPSHOT_ENV):
        snapshot = Path(os.environ[SNAPSHOT_ENV]) / f"official-{official_snapshot_key()}.pkl"
        if snapshot.is_file():
            return pd.read_pickle(snapshot)
    directory = Path(directory) if directory else paths.data_dir() / "official"
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
    printed = pd.to_numeric(data["value"].replace("", None), errors="raise").astype(float)
    data["value_printed"], data["unit_printed"] = printed, data["unit"]
    factor = data["unit"].map(lambda u: LEVEL_UNITS.get(u, ("%", 1.0))[1])
    data["unit"] = data["unit"].map(lambda u: LEVEL_UNITS.get(u, ("%", 1.0))[0])
    data["value"] = printed * factor
    data["period_start"] = pd.PeriodIndex(data["period_start"], freq="M")
    data["period_end"] = pd.PeriodIndex(data["period_end"], freq="M")
    return data


# --------------------------------------------------------------------------
# Selecting series
# --------------------------------------------------------------------------

def series(data: pd.DataFrame, indicator: str, measure: str, kind: str) -> pd.Series:
    """One series indexed by the period's last month.

    kind = "month": single months, plus NBS's combined 1–2月 (indexed at
    February; it is one period, never split) where no single February is
    printed. kind = "cumulative": 1–N月
    values (1–2月 included, it is also the first cumulative). kind = "year":
    full years (indexed at December).
    """
    if indicator not in INDICATORS:
        raise KeyError(f"unknown indicator {indicator!r}; known: {sorted(INDICATORS)}")
    rows = data[(data["indicator"] == indicator) & (data["measure"] == measure)]
    start, end = rows["period_start"], rows["period_end"]
    jan_feb = (start.dt.month == 1) & (end.dt.month == 2)
    if kind == "month":
        # 1–2月 stands for February only when no single February is printed
        # (NBS prints 1–2月 alone; the State Post Bureau prints both)
        single = start == end
        mask = single | (jan_feb & ~end.isin(set(end[single])))
    elif kind == "cumulative":
        mask = start.dt.month == 1
    elif kind == "year":
        mask = (start.dt.month == 1) & (end.dt.month == 12)
    else:
        raise ValueError(f"kind must be month, cumulative or year, got {kind!r}")
    picked = rows[mask]
    out = pd.Series(picked["value"].to_numpy(), index=pd.PeriodIndex(picked["period_end"], freq="M"),
                    name=f"{indicator}:{measure}:{kind}")
    return out.sort_index()


def provenance(data: pd.DataFrame, indicator: str, measure: str, period_start: str, period_end: str) -> dict:
    """Where one value comes from: the release and the page it was read on."""
    rows = data[(data["indicator"] == indicator) & (data["measure"] == measure)
                & (data["period_start"] == pd.Period(period_start, "M"))
                & (data["period_end"] == pd.Period(period_end, "M"))]
    if rows.empty:
        raise KeyError(f"no {indicator} {measure} for {period_start}..{period_end} in data/official")
    row = rows.iloc[0]
    return {k: row[k] for k in ("value", "unit", "release_title", "release_date", "source_url", "quote", "source_file")}


def sources_of(data: pd.DataFrame, indicators: list[str], start: str, end: str) -> list[str]:
    """The data files holding these indicators within start..end (for captions)."""
    rows = data[data["indicator"].isin(indicators)
                & (data["period_end"] >= pd.Period(start, "M")) & (data["period_end"] <= pd.Period(end, "M"))]
    return [f"data/official/{f}" for f in sorted(set(rows["source_file"]))]


def coverage(data: pd.DataFrame, indicators: list[str], measure: str, kind: str) -> pd.DataFrame:
    """Which periods hold a value (✓), a recorded gap (gap) or nothing (—)."""
    table = {}
    for ind in indicators:
        s = series(data, ind, measure, kind)
        table[ind] = s.map(lambda v: "gap" if pd.isna(v) else "✓")
    return pd.DataFrame(table).fillna("—")


# --------------------------------------------------------------------------
# Published statements (claims ledger and companions)
# --------------------------------------------------------------------------

def _claims_schema():
    import pandera.pandas as pa

    return pa.DataFrameSchema(
        {
            "claim_id": pa.Column(str, [pa.Check.str_matches(r"^(rg|pe|it|ib|ai)_[a-z0-9_]+$")], unique=True),
            "section": pa.Column(str, pa.Check.isin(sorted(CLAIM_SECTIONS))),
            "report_section": pa.Column(str, pa.Check.str_length(min_value=1)),
            "quote": pa.Column(str, pa.Check.str_length(min_value=1)),
            "quote_en": pa.Column(str, pa.Check.str_length(min_value=1)),
            "value": pa.Column(str, pa.Check.str_matches(NUMBER)),
            "unit": pa.Column(str),
            "kind": pa.Column(str, pa.Check.str_length(min_value=1)),
            "period": pa.Column(str),
            "checkable": pa.Column(str, pa.Check.isin(sorted(CLAIM_CHECKABLE))),
            "note": pa.Column(str),
        },
        strict=True,
    )


def load_claims(path: Path | None = None) -> pd.DataFrame:
    """The claims ledger (data/published/claims.csv), validated; `value` float."""
    path = Path(path) if path else paths.data_dir() / "published" / "claims.csv"
    frame = read_text_csv(path, CLAIM_COLUMNS)
    problems = _schema_problems(path, frame, _claims_schema())
    if not problems:
        # A number the report prints in words (一个月, 基本持平, 冠军) cannot
        # stand in the quote; its note must then say how it was printed.
        problems = [
            Problem(path, line, "quote", f"the value {row['value']} does not appear in the quote "
                                         "(if the report prints it in words, the note must start 'Printed')")
            for line, row in frame.iterrows()
            if not number_in_text(row["value"], row["quote"]) and not row["note"].startswith("Printed")
        ]
    _raise(problems)
    frame["value"] = frame["value"].astype(float)
    frame["value_text"] = read_text_csv(path, CLAIM_COLUMNS)["value"]
    return frame.set_index("claim_id", drop=False)


# --------------------------------------------------------------------------
# Manifest
# --------------------------------------------------------------------------

MANIFEST_NAME = "MANIFEST.sha256"


def data_files(root: Path | None = None) -> list[Path]:
    root = Path(root) if root else paths.data_dir()
    return sorted(p for p in root.rglob("*.csv") if p.is_file())


def file_sha256(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def write_manifest(root: Path | None = None) -> Path:
    root = Path(root) if root else paths.data_dir()
    lines = [f"{file_sha256(p)}  {p.relative_to(root).as_posix()}" for p in data_files(root)]
    out = root / MANIFEST_NAME
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return out


def read_manifest(root: Path | None = None) -> dict[str, str]:
    root = Path(root) if root else paths.data_dir()
    path = root / MANIFEST_NAME
    if not path.is_file():
        raise DataError(f"{path}: manifest missing (run `python run_all.py --update-manifest`)")
    entries = {}
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        m = re.match(r"^([0-9a-f]{64})  (\S.*)$", line)
        if not m:
            raise DataError(f"{path}, line {n}: expected '<sha256>  <relative path>', got {line!r}")
        entries[m.group(2)] = m.group(1)
    return entries


def check_manifest(root: Path | None = None) -> dict[str, str]:
    """Raise DataError when data/ differs from its manifest; return the manifest."""
    root = Path(root) if root else paths.data_dir()
    manifest = read_manifest(root)
    problems = []
    present = {p.relative_to(root).as_posix(): p for p in data_files(root)}
    for rel, digest in manifest.items():
        if rel not in present:
            problems.append(f"{root / rel}: listed in {MANIFEST_NAME} but missing")
        elif file_sha256(present[rel]) != digest:
            problems.append(f"{root / rel}: content differs from {MANIFEST_NAME} "
                            "(if the edit is deliberate: python run_all.py --update-manifest)")
    for rel in sorted(set(present) - set(manifest)):
        problems.append(f"{root / rel}: not listed in {MANIFEST_NAME} (python run_all.py --update-manifest)")
    if problems:
        raise DataError("data/ does not match its manifest:\n  " + "\n  ".join(problems))
    return manifest


FORECAST_COLUMNS = [
    "indicator", "period_start", "period_end", "measure", "value", "unit",
    "statement_title", "statement_date", "source_url", "quote", "note",
]


def load_forecasts(path: Path | None = None) -> pd.DataFrame:
    """Official forecasts (statements, not outcomes): data/published/spb_forecasts.csv."""
    path = Path(path) if path else paths.data_dir() / "published" / "spb_forecasts.csv"
    frame = read_text_csv(path, FORECAST_COLUMNS)
    problems = []
    for line, row in frame.iterrows():
        if row["indicator"] not in INDICATORS:
            problems.append(Problem(path, line, "indicator", f"unknown indicator {row['indicator']!r}"))
        if not re.match(NUMBER, row["value"]):
            problems.append(Problem(path, line, "value", f"expected a number, got {row['value']!r}"))
        elif not number_in_text(row["value"], row["quote"]):
            problems.append(Problem(path, line, "quote", f"the value {row['value']} does not appear in the quote"))
        if not re.match(r"^https?://", row["source_url"]):
            problems.append(Problem(path, line, "source_url", "expected the URL of the page read"))
    _raise(problems)
    frame["value"] = frame["value"].astype(float)
    return frame


INDEX_STAT_COLUMNS = [
    "stat_id", "publication", "sub_index", "kind", "period_start", "period_end", "compare_start",
    "compare_end", "value", "unit", "quote", "article_title", "article_date", "source_url", "note",
]
INDEX_STAT_KINDS = {"period_mean", "single_month", "change_yoy", "change_prev_period", "other"}
ALIBABA_IP_COLUMNS = [
    "stat_id", "metric", "period", "value", "unit", "quote", "publication", "article_title", "article_date",
    "source_url", "note",
]


def _published_problems(path: Path, frame: pd.DataFrame) -> list[Problem]:
    """Checks shared by published statistics: unique id, number, quote, source."""
    out = []
    dup = frame["stat_id"][frame["stat_id"].duplicated()]
    out += [Problem(path, line, "stat_id", f"duplicate id {v!r}") for line, v in dup.items()]
    for line, row in frame.iterrows():
        if not re.match(NUMBER, row["value"]):
            out.append(Problem(path, line, "value", f"expected a number, got {row['value']!r}"))
        elif not number_in_text(row["value"], row["quote"]) and not row["note"]:
            out.append(Problem(path, line, "quote", f"the value {row['value']} does not appear in the quote"))
        if row["source_url"] and not re.match(r"^https?://", row["source_url"]):
            out.append(Problem(path, line, "source_url", f"expected a URL, got {row['source_url']!r}"))
        if not row["source_url"] and not row["note"]:
            out.append(Problem(path, line, "source_url", "a statistic without the page it was read on needs a note"))
    return out


def load_index_statistics(path: Path | None = None) -> pd.DataFrame:
    """Published statistics of the index (data/published/index_statistics.csv)."""
    path = Path(path) if path else paths.data_dir() / "published" / "index_statistics.csv"
    frame = read_text_csv(path, INDEX_STAT_COLUMNS)
    problems = _published_problems(path, frame)
    for line, row in frame.iterrows():
        if row["kind"] not in INDEX_STAT_KINDS:
            problems.append(Problem(path, line, "kind", f"expected one of {sorted(INDEX_STAT_KINDS)}, got {row['kind']!r}"))
        for col in ("period_start", "period_end"):
            if not re.match(MONTH, row[col]):
                problems.append(Problem(path, line, col, f"expected YYYY-MM, got {row[col]!r}"))
        if row["kind"].startswith("change_") and not re.match(MONTH, row["compare_start"]):
            problems.append(Problem(path, line, "compare_start", "a change needs the period it compares against"))
    _raise(problems)
    frame["value"] = frame["value"].astype(float)
    return frame


def load_alibaba_ip(path: Path | None = None) -> pd.DataFrame:
    """Alibaba's public IP-protection figures (data/published/alibaba_ip_protection.csv)."""
    path = Path(path) if path else paths.data_dir() / "published" / "alibaba_ip_protection.csv"
    frame = read_text_csv(path, ALIBABA_IP_COLUMNS)
    _raise(_published_problems(path, frame))
    frame["value"] = frame["value"].astype(float)
    return frame
