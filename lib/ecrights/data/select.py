"""Selecting from the official table: one row, one series, their sources.

`official_row` is the one way to pick a printed value: every analysis and
claim check goes through it, so a gap (looked for, not found: an empty value
in data/) and an absent row (never transcribed) are told apart the same way
everywhere.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from .vocabulary import INDICATORS


@dataclass(frozen=True)
class OfficialValue:
    """A printed official value (canonical unit) with where it was read.

    `value` is None for a gap (a row whose value is empty: looked for and not
    found) and for an absent row (`absent` True: never transcribed)."""

    indicator: str
    measure: str
    period_start: str
    period_end: str
    value: float | None
    unit: str = ""
    release_title: str = ""
    release_date: str = ""
    source_url: str = ""
    quote: str = ""
    note: str = ""
    source_file: str = ""
    source_strength: str = ""  # primary / reprint / weak (data/README.md); empty for a gap or an absent row
    absent: bool = False

    @property
    def found(self) -> bool:
        return self.value is not None

    @property
    def period(self) -> str:
        return self.period_start if self.period_start == self.period_end else f"{self.period_start}..{self.period_end}"


def official_row(data: pd.DataFrame, indicator: str, measure: str, period_start: str,
                 period_end: str | None = None) -> OfficialValue:
    """The printed value of one indicator x measure x period (period_end
    defaults to period_start: a single month)."""
    if indicator not in INDICATORS:
        raise KeyError(f"unknown indicator {indicator!r}; known: {sorted(INDICATORS)}")
    period_end = period_end or period_start
    rows = data[(data["indicator"] == indicator) & (data["measure"] == measure)
                & (data["period_start"] == pd.Period(period_start, "M"))
                & (data["period_end"] == pd.Period(period_end, "M"))]
    if rows.empty:
        return OfficialValue(indicator, measure, period_start, period_end, None, absent=True)
    row = rows.iloc[0]
    value = None if pd.isna(row["value"]) else float(row["value"])
    return OfficialValue(indicator, measure, period_start, period_end, value,
                         **{k: str(row[k]) for k in ("unit", "release_title", "release_date", "source_url", "quote",
                                                     "note", "source_file", "source_strength") if k in row})


def official_value(data: pd.DataFrame, indicator: str, measure: str, period_start: str,
                   period_end: str | None = None) -> float | None:
    """The printed value (canonical unit), or None for a gap or an absent row."""
    return official_row(data, indicator, measure, period_start, period_end).value


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
