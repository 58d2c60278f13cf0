"""Loading what the report states (data/published/), beyond the claims ledger.

Statements are not measurements: each row keeps its verbatim quote and its
*nature* (an exact change, a bound, an approximate flat, a direction only, a
ranking). The loader refuses a row whose nature and value disagree, so that a
magnitude the report does not give can never enter the data.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from . import paths
from .data import NUMBER, Problem, _raise, read_text_csv
from .text import number_in_text

INDUSTRY_STATEMENT_COLUMNS = [
    "statement_id", "industry_zh", "industry_en", "metric", "period", "comparison", "nature",
    "direction", "value", "unit", "figure", "quote", "note",
]

# What the report's wording distinguishes. "disputes" = the report says
# 纠纷情况/纠纷涨幅 without saying which measure (share, rate or volume).
STATEMENT_METRICS = {
    "index": "行业消费维权指数",
    "dispute_share": "纠纷占比",
    "dispute_rate": "纠纷率",
    "dispute_initiation_rate": "纠纷发起率",
    "disputes": "纠纷（口径未说明）",
    "dispute_volume": "纠纷量",
    "turnover_growth": "成交增幅",
}
# exact: a printed number; lower_bound: 超过/以上 X; approx: 基本持平 (≈0, no
# number); direction: up or down only; ranking: 最高/冠军 (rank 1, no number).
NATURES = ("exact", "lower_bound", "approx", "direction", "ranking")
DIRECTIONS = ("up", "down", "flat")
UNITS = ("%", "点")
PERIOD = r"^\d{4}(-(0[1-9]|1[0-2]))?(\.\.\d{4}-(0[1-9]|1[0-2]))?$"
FIGURE = r"^图\d+$"


def _statement_problems(path: Path, frame: pd.DataFrame) -> list[Problem]:
    out: list[Problem] = []
    seen: dict[str, int] = {}
    for line, row in frame.iterrows():
        p = lambda column, message: out.append(Problem(path, line, column, message))  # noqa: E731
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
        if nature not in NATURES:
            p("nature", f"unknown nature {nature!r}; expected one of {list(NATURES)}")
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
