"""The reproducibility scorecard: counts of claim statuses per section, from build/claims.csv."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..claims import DISCREPANT, STATUSES  # in the scorecard's order; each edition's words: texts.yaml status.*


@dataclass
class ScoreRow:
    section: str
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(STATUSES, 0))
    built: bool = True

    @property
    def total(self) -> int:
        return sum(self.counts.values())


@dataclass
class Scorecard:
    rows: list[ScoreRow]
    totals: ScoreRow
    discrepancies: list[dict]
    other_statuses: dict[str, int]  # any status outside STATUSES (should be empty)


def build(claims_rows: list[dict], section_order: list[str], built: dict[str, bool] | None = None) -> Scorecard:
    """Count claims.csv rows by (section, status), sections in report order.

    Sections in claims.csv but not in the registry are appended after the
    registered ones, so no claim is ever dropped from the totals.
    """
    order = list(section_order) + sorted({r["section"] for r in claims_rows} - set(section_order))
    rows = {name: ScoreRow(name, built=(built or {}).get(name, True)) for name in order}
    totals = ScoreRow("total")
    other: dict[str, int] = {}
    discrepancies = []
    for r in claims_rows:
        status = r.get("status", "")
        if status in STATUSES:
            rows[r["section"]].counts[status] += 1
            totals.counts[status] += 1
        else:
            other[status] = other.get(status, 0) + 1
        if status == DISCREPANT:
            discrepancies.append(r)
    rank = {name: i for i, name in enumerate(order)}
    discrepancies.sort(key=lambda r: rank[r["section"]])  # report order; claims.csv order within a section
    return Scorecard(rows=list(rows.values()), totals=totals, discrepancies=discrepancies, other_statuses=other)
