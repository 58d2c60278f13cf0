"""What the report and its companions state (data/published/): loaders.

Statements are not measurements: each row keeps its verbatim quote. Files:
the claims ledger (every number the 2019 report states), official forecasts
(State Post Bureau), published statistics of the index (annual and quarterly
reports), Alibaba's IP-protection figures, the report's industry statements
(with their *nature*: an exact change, a bound, an approximate flat, a
direction only, a ranking), the report's figures (numbers and titles), its
dated statements, and other official bodies' statements of derived figures.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import pandas as pd

from .. import paths
from ..i18n import LANGUAGES
from ..sections import SECTIONS, claim_prefixes
from ..text import number_in_text
from .load import Problem, _raise, _schema_problems, read_text_csv
from .vocabulary import (CLAIM_CHECKABLE, CLAIM_COLUMNS, INDICATORS, MONTH, NUMBER, SOURCE_STRENGTHS,
                         STATEMENT_METRICS, STATEMENT_NATURES)

def _duplicate_ids(path: Path, frame: pd.DataFrame, column: str) -> list[Problem]:
    dup = frame[column][frame[column].duplicated()]
    return [Problem(path, line, column, f"duplicate id {v!r}") for line, v in dup.items()]


def _claims_schema():
    import pandera.pandas as pa  # noqa: PLC0415  (0.6 s: see load._official_schema)

    prefixes = claim_prefixes()  # the registry: prefix -> section
    return pa.DataFrameSchema(
        {
            "claim_id": pa.Column(str, [pa.Check.str_matches(rf"^({'|'.join(prefixes)})_[a-z0-9_]+$")], unique=True),
            "section": pa.Column(str, pa.Check.isin(sorted(prefixes.values()))),
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
    """The claims ledger (data/published/claims.csv), validated; `value` float,
    `value_text` as printed. Indexed by claim_id.

    Validated once per process while the file is unchanged (its time stamp and size; an edit that
    keeps both, e.g. a copy with its old time stamp, is seen by a new process): every
    notebook and the report read it, and a kernel forked from the runner's preloaded process
    (run/forkkernel.py) finds it validated there. Each call gets its own copy."""
    path = Path(path) if path else paths.data_dir() / "published" / "claims.csv"
    if not path.is_file():
        return _validated_claims(path)  # says the file is missing, naming it
    stat = path.stat()
    return _claims_while_unchanged(path, stat.st_mtime_ns, stat.st_size).copy()


@lru_cache(maxsize=4)
def _claims_while_unchanged(path: Path, mtime_ns: int, size: int) -> pd.DataFrame:
    return _validated_claims(path)


def _validated_claims(path: Path) -> pd.DataFrame:
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
        prefixes = claim_prefixes()
        problems += [
            Problem(path, line, "section", f"{row['claim_id']!r} carries the prefix of section "
                                           f"{prefixes[row['claim_id'].split('_', 1)[0]]!r}, not {row['section']!r}")
            for line, row in frame.iterrows() if prefixes[row["claim_id"].split("_", 1)[0]] != row["section"]
        ]
    _raise(problems)
    frame["value"] = frame["value"].astype(float)
    frame["value_text"] = read_text_csv(path, CLAIM_COLUMNS)["value"]
    return frame.set_index("claim_id", drop=False)


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
    "compare_end", "value", "unit", "quote", "article_title", "article_date", "source_url", "note", "fragile",
    "fragile_reason",
]
INDEX_STAT_KINDS = {"period_mean", "single_month", "change_yoy", "change_prev_period", "other"}
ALIBABA_IP_COLUMNS = [
    "stat_id", "metric", "period", "value", "unit", "quote", "publication", "article_title", "article_date",
    "source_url", "note",
]


def _published_problems(path: Path, frame: pd.DataFrame) -> list[Problem]:
    """Checks shared by published statistics: unique id, number, quote, source."""
    out = _duplicate_ids(path, frame, "stat_id")
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
        # fragile: the reading of the statistic rests on something the source does not show (a cut-off
        # excerpt, an unnamed base, an unclear unit); fragile_reason says what
        if row["fragile"] not in ("true", "false"):
            problems.append(Problem(path, line, "fragile", f"expected true or false, got {row['fragile']!r}"))
        elif (row["fragile"] == "true") != bool(row["fragile_reason"].strip()):
            problems.append(Problem(path, line, "fragile_reason", "a fragile statistic needs its reason, and only a "
                                    "fragile one has one"))
    _raise(problems)
    frame["value_text"] = frame["value"]  # as printed: its last digit gives the rounding
    frame["value"] = frame["value"].astype(float)
    frame["fragile"] = frame["fragile"] == "true"
    return frame


def load_alibaba_ip(path: Path | None = None) -> pd.DataFrame:
    """Alibaba's public IP-protection figures (data/published/alibaba_ip_protection.csv)."""
    path = Path(path) if path else paths.data_dir() / "published" / "alibaba_ip_protection.csv"
    frame = read_text_csv(path, ALIBABA_IP_COLUMNS)
    _raise(_published_problems(path, frame))
    frame["value"] = frame["value"].astype(float)
    return frame


INDUSTRY_STATEMENT_COLUMNS = [
    "statement_id", "industry_zh", "industry_en", "metric", "period", "comparison", "nature",
    "direction", "value", "unit", "figure", "quote", "note",
]

DIRECTIONS = ("up", "down", "flat")
UNITS = ("%", "点")
PERIOD = r"^\d{4}(-(0[1-9]|1[0-2]))?(\.\.\d{4}-(0[1-9]|1[0-2]))?$"
FIGURE = r"^图\d+$"


def _statement_problems(path: Path, frame: pd.DataFrame) -> list[Problem]:
    out: list[Problem] = []
    seen: dict[str, int] = {}
    for line, row in frame.iterrows():
        p = lambda column, message, line=line: out.append(Problem(path, line, column, message))  # noqa: E731
        sid = row["statement_id"]
        if not re.match(r"^[a-z0-9_]+$", sid):
            p("statement_id", f"expected a snake_case id, got {sid!r}")
        if sid in seen:
            p("statement_id", f"duplicate id {sid!r} (first on line {seen[sid]})")
        seen.setdefault(sid, line)
        for column in ("industry_zh", "industry_en", "quote"):
            if not row[column].strip():
                p(column, "must not be empty")
        if row["metric"] not in STATEMENT_METRICS:
            p("metric", f"unknown metric {row['metric']!r}; expected one of {sorted(STATEMENT_METRICS)}")
        if not re.match(PERIOD, row["period"]):
            p("period", f"expected YYYY, YYYY-MM or YYYY-MM..YYYY-MM, got {row['period']!r}")
        if row["figure"] and not re.match(FIGURE, row["figure"]):
            p("figure", f"expected empty or 图N, got {row['figure']!r}")
        nature, direction, value, unit = row["nature"], row["direction"], row["value"], row["unit"]
        if nature not in STATEMENT_NATURES:
            p("nature", f"unknown nature {nature!r}; expected one of {list(STATEMENT_NATURES)}")
            continue
        if direction not in DIRECTIONS:
            p("direction", f"unknown direction {direction!r}; expected one of {list(DIRECTIONS)}")
        if nature in ("exact", "lower_bound"):
            if not re.match(NUMBER, value):
                p("value", f"an {nature} statement needs the printed number, got {value!r}")
            elif value.startswith("-"):
                p("value", f"give the magnitude as printed ({value[1:]}) and the sign in 'direction'")
            elif not number_in_text(value, row["quote"]):
                p("quote", f"the value {value} does not appear in the quote")
            if unit not in UNITS:
                p("unit", f"a number needs its printed unit, one of {list(UNITS)}; got {unit!r}")
            if direction == "flat":
                p("direction", f"an {nature} change needs direction up or down")
        else:
            # no magnitude the report does not print
            if value or unit:
                p("value", f"a {nature} statement carries no number (the report prints none); "
                           f"got value {value!r}, unit {unit!r}")
            if nature == "approx" and direction != "flat":
                p("direction", "an approx statement without a number must be 'flat' (基本持平 ≈ 0)")
            if nature == "direction" and direction == "flat":
                p("direction", "a direction-only statement is up or down; use nature approx for flat")
    return out


def load_industry_statements(path: Path | None = None) -> pd.DataFrame:
    """The report's industry statements (data/published/industry_statements.csv).

    Validated; `value` becomes float (NaN where the report prints no number)
    and `value_text` keeps the printed digits. Indexed by statement_id.
    """
    path = Path(path) if path else paths.data_dir() / "published" / "industry_statements.csv"
    frame = read_text_csv(path, INDUSTRY_STATEMENT_COLUMNS)
    frame = frame.apply(lambda s: s.str.strip())
    _raise(_statement_problems(path, frame))
    frame["value_text"] = frame["value"]
    frame["value"] = pd.to_numeric(frame["value"].replace("", None), errors="raise").astype(float)
    frame["csv_line"] = frame.index
    return frame.set_index("statement_id", drop=False)


REPORT_FIGURE_COLUMNS = ["figure", "number", "section", "title_zh", "title_en", "source_zh", "note"]


def load_report_figures(path: Path | None = None) -> pd.DataFrame:
    """The report's own figures (data/published/report_figures.csv): number,
    section, title as printed (empty where the text prints none), translation.
    Indexed by figure ('图1' …)."""
    path = Path(path) if path else paths.data_dir() / "published" / "report_figures.csv"
    frame = read_text_csv(path, REPORT_FIGURE_COLUMNS)
    problems = []
    for line, row in frame.iterrows():
        if not re.match(r"^图\d+$", row["figure"]) or row["number"] != row["figure"][1:]:
            problems.append(Problem(path, line, "number", f"expected figure 图N with number N, got "
                                                          f"{row['figure']!r} / {row['number']!r}"))
        if row["section"] not in SECTIONS:
            problems.append(Problem(path, line, "section", f"unknown section {row['section']!r}; expected one of "
                                                           f"{list(SECTIONS)}"))
        if not row["title_en"].strip():
            problems.append(Problem(path, line, "title_en", "needs the English title"))
        if not row["title_zh"].strip() and not row["note"].strip():
            problems.append(Problem(path, line, "note", "a figure whose title is not printed needs a note saying so"))
    problems += _duplicate_ids(path, frame, "figure")
    _raise(problems)
    frame["number"] = frame["number"].astype(int)
    return frame.set_index("figure", drop=False)


def load_date_statements(path: Path | None = None) -> pd.DataFrame:
    """The report's dated statements (data/published/date_statements.csv): the
    ledger's columns, the value being a date or period as printed."""
    path = Path(path) if path else paths.data_dir() / "published" / "date_statements.csv"
    frame = read_text_csv(path, CLAIM_COLUMNS)
    prefixes = claim_prefixes()
    problems = []
    for line, row in frame.iterrows():
        prefix = row["claim_id"].split("_", 1)[0]
        if prefixes.get(prefix) != row["section"]:
            problems.append(Problem(path, line, "claim_id", f"{row['claim_id']!r} does not carry the prefix of "
                                                            f"section {row['section']!r}"))
        if row["checkable"] not in CLAIM_CHECKABLE:
            problems.append(Problem(path, line, "checkable", f"expected one of {sorted(CLAIM_CHECKABLE)}"))
        if not row["value"].strip() or not row["quote"].strip():
            problems.append(Problem(path, line, "value", "a dated statement needs its value and quote as printed"))
    problems += _duplicate_ids(path, frame, "claim_id")
    _raise(problems)
    return frame.set_index("claim_id", drop=False)


METHOD_STATEMENT_COLUMNS = ["statement_id", "body", "metric", "period_start", "period_end", "value", "unit", "quote",
                            "statement_title", "statement_date", "source_url", "note"]


def load_method_statements(path: Path | None = None) -> pd.DataFrame:
    """Other official bodies' statements of derived figures (e.g. MOFCOM's
    contribution of physical online sales to retail growth), against which the
    project's own arithmetic is checked (data/published/method_statements.csv).
    An absent file is an empty table."""
    path = Path(path) if path else paths.data_dir() / "published" / "method_statements.csv"
    if not path.is_file():
        return pd.DataFrame(columns=METHOD_STATEMENT_COLUMNS)
    frame = read_text_csv(path, METHOD_STATEMENT_COLUMNS)
    problems = []
    for line, row in frame.iterrows():
        if not re.match(NUMBER, row["value"]):
            problems.append(Problem(path, line, "value", f"expected a number as printed, got {row['value']!r}"))
        elif not number_in_text(row["value"], row["quote"]):
            problems.append(Problem(path, line, "quote", f"the value {row['value']} does not appear in the quote"))
        for col in ("period_start", "period_end"):
            if not re.match(MONTH, row[col]):
                problems.append(Problem(path, line, col, f"expected YYYY-MM, got {row[col]!r}"))
        if not re.match(r"^https?://", row["source_url"]):
            problems.append(Problem(path, line, "source_url", "expected the URL of the page read"))
    problems += _duplicate_ids(path, frame, "statement_id")
    _raise(problems)
    frame["value"] = frame["value"].astype(float)
    return frame.set_index("statement_id", drop=False)


# public_value_* and note_* are the project's words, so each edition has its own; quote and
# source_title are the source's words, kept as printed (the editions mark their language).
DATE_CHECK_COLUMNS = ["claim_id", "verdict", "public_value_zh", "public_value_en", "quote", "source_title",
                      "source_date", "source_url", "note_zh", "note_en"]
DATE_VERDICTS = ("confirmed", "contradicted", "partly")


def _checked_against(path: Path, line, row, known: set, what: str) -> list[Problem]:
    """A check's row names something checkable (`what`: a statement or a claim) and quotes the page it read."""
    problems = []
    if row["claim_id"] not in known:
        problems.append(Problem(path, line, "claim_id", f"{row['claim_id']!r} is not {what}"))
    if not row["quote"].strip() or not re.match(r"^https?://", row["source_url"]):
        problems.append(Problem(path, line, "source_url", "a check needs the quote and the page it was read on"))
    return problems


def load_date_checks(path: Path | None = None) -> pd.DataFrame:
    """What public sources say of the report's dated statements
    (data/published/date_checks.csv): one row per statement a source can check."""
    path = Path(path) if path else paths.data_dir() / "published" / "date_checks.csv"
    frame = read_text_csv(path, DATE_CHECK_COLUMNS)
    known = set(load_date_statements().index)
    problems = _duplicate_ids(path, frame, "claim_id")
    for line, row in frame.iterrows():
        problems += _checked_against(path, line, row, known, "a statement of data/published/date_statements.csv")
        if row["verdict"] not in DATE_VERDICTS:
            problems.append(Problem(path, line, "verdict", f"expected one of {list(DATE_VERDICTS)}, "
                                                           f"got {row['verdict']!r}"))
        for lang in LANGUAGES:
            if not row[f"public_value_{lang}"].strip():
                problems.append(Problem(path, line, f"public_value_{lang}", "what the source says, in both languages"))
            if row["verdict"] != "confirmed" and not row[f"note_{lang}"].strip():
                problems.append(Problem(path, line, f"note_{lang}",
                                        f"a verdict '{row['verdict']}' needs a note (zh and en) saying what differs"))
        if bool(row["note_zh"].strip()) != bool(row["note_en"].strip()):
            problems.append(Problem(path, line, "note_zh", "a note needs both languages (note_zh and note_en)"))
    _raise(problems)
    return frame.set_index("claim_id", drop=False)


# What a public document says of a claim that it can check directly (a count, a figure it prints):
# data/published/document_checks.csv. source_strength as in data/official (primary, reprint, weak).
DOCUMENT_CHECK_COLUMNS = ["claim_id", "value", "quote", "source_title", "source_date", "source_url",
                          "source_strength", "note"]


def load_document_checks(path: Path | None = None) -> pd.DataFrame:
    """Public documents read for claims they check directly (data/published/document_checks.csv),
    one row per claim, indexed by claim_id; value as a float."""
    path = Path(path) if path else paths.data_dir() / "published" / "document_checks.csv"
    frame = read_text_csv(path, DOCUMENT_CHECK_COLUMNS)
    known = set(load_claims().index)
    problems = _duplicate_ids(path, frame, "claim_id")
    for line, row in frame.iterrows():
        problems += _checked_against(path, line, row, known, "a claim of data/published/claims.csv")
        if not re.match(NUMBER, row["value"]):
            problems.append(Problem(path, line, "value", f"expected a number, got {row['value']!r}"))
        if not re.match(r"^\d{4}-\d{2}-\d{2}$", row["source_date"]):
            problems.append(Problem(path, line, "source_date", f"expected YYYY-MM-DD, got {row['source_date']!r}"))
        if row["source_strength"] not in SOURCE_STRENGTHS:
            problems.append(Problem(path, line, "source_strength", f"expected one of {list(SOURCE_STRENGTHS)}, "
                                                                   f"got {row['source_strength']!r}"))
    _raise(problems)
    frame["value"] = frame["value"].astype(float)
    return frame.set_index("claim_id", drop=False)
