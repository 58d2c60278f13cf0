"""Checking the report's claims against what the data gives.

The ledger (data/published/claims.csv) holds every number the report states,
one row per value: claim_id, section, report_section, quote (verbatim,
Simplified), quote_en, value (as printed), unit, kind, period, checkable
(public_data / arithmetic / published_index / not_public) and note.

A notebook opens a ClaimBook for its section and gives every claim of the
section a status:
- reproduced: the value recomputed from public data matches the stated one
  within the precision the report prints it with (half a unit of its last
  digit), or satisfies the stated bound;
- consistent: it matches, but only against the report's own other figures
  (arithmetic consistency): no public data entered the check;
- discrepant: it does not; the difference and an explanation are kept;
- not_reproducible: public data cannot check it; the reason is kept.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass

import pandas as pd

from .data import load_claims

REPRODUCED = "reproduced"
CONSISTENT = "consistent"
DISCREPANT = "discrepant"
NOT_REPRODUCIBLE = "not_reproducible"
UNCHECKED = "unchecked"
STATUSES = (REPRODUCED, CONSISTENT, DISCREPANT, NOT_REPRODUCIBLE, UNCHECKED)

LOWER_BOUND_KINDS = {"bound_lower"}
UPPER_BOUND_KINDS = {"bound_upper"}


@dataclass
class ClaimCheck:
    claim_id: str
    section: str
    quote: str
    reported_value: float
    unit: str
    reproduced_value: float | None
    difference: float | None
    status: str
    method: str
    note: str

    def as_dict(self) -> dict:
        out = asdict(self)
        for key in ("reported_value", "reproduced_value", "difference"):
            v = out[key]
            if isinstance(v, float) and math.isnan(v):
                out[key] = None
        return out


def printed_precision(value_text: str) -> float:
    """Half a unit of the last printed digit: '8.0' -> 0.05, '411649' -> 0.5."""
    text = value_text.strip().lstrip("+-")
    decimals = len(text.split(".")[1]) if "." in text else 0
    return 0.5 * 10 ** (-decimals)


class ClaimBook:
    """The claims of one section and their checks."""

    def __init__(self, section: str, ledger: pd.DataFrame | None = None):
        ledger = load_claims() if ledger is None else ledger
        self.section = section
        self.ledger = ledger[ledger["section"] == section]
        if self.ledger.empty:
            raise KeyError(f"no claims for section {section!r} in the ledger")
        self.checks: dict[str, ClaimCheck] = {}

    # -- looking up -------------------------------------------------------
    def claim(self, claim_id: str) -> pd.Series:
        if claim_id not in self.ledger.index:
            raise KeyError(f"claim {claim_id!r} is not a {self.section} claim in data/published/claims.csv")
        return self.ledger.loc[claim_id]

    def stated(self, claim_id: str) -> float:
        return float(self.claim(claim_id)["value"])

    # -- recording --------------------------------------------------------
    def _record(self, claim_id, reproduced, difference, status, method, note) -> ClaimCheck:
        row = self.claim(claim_id)
        check = ClaimCheck(
            claim_id=claim_id, section=self.section, quote=row["quote"],
            reported_value=float(row["value"]), unit=row["unit"],
            reproduced_value=None if reproduced is None else float(reproduced),
            difference=None if difference is None else float(difference),
            status=status, method=method, note=note,
        )
        self.checks[claim_id] = check
        return check

    def check(self, claim_id: str, reproduced: float, *, method: str, note: str = "",
              tolerance: float | None = None, why_discrepant: str = "", basis: str = "data") -> ClaimCheck:
        """Compare a recomputed value with the stated one.

        Bounds (kind bound_lower / bound_upper) are satisfied or not; other
        claims match within `tolerance` (default: the printed precision).
        `why_discrepant` is the explanation kept when they do not match.
        basis="report" marks a check made only with the report's own figures:
        a match is then "consistent", not "reproduced".
        """
        if basis not in ("data", "report"):
            raise ValueError(f"basis must be 'data' or 'report', got {basis!r}")
        row = self.claim(claim_id)
        stated = float(row["value"])
        if reproduced is None or (isinstance(reproduced, float) and math.isnan(reproduced)):
            raise ValueError(f"{claim_id}: no reproduced value; use not_reproducible() with a reason")
        reproduced = float(reproduced)
        difference = reproduced - stated
        kind = row["kind"]
        if kind in LOWER_BOUND_KINDS:
            ok = reproduced >= stated - 1e-9
        elif kind in UPPER_BOUND_KINDS:
            ok = reproduced <= stated + 1e-9
        else:
            tol = printed_precision(row["value_text"]) if tolerance is None else tolerance
            ok = abs(difference) <= tol + 1e-9
        status = (REPRODUCED if basis == "data" else CONSISTENT) if ok else DISCREPANT
        if not ok and why_discrepant:
            note = f"{note} {why_discrepant}".strip()
        return self._record(claim_id, reproduced, difference, status, method, note)

    def not_reproducible(self, claim_id: str, why: str) -> ClaimCheck:
        if not why.strip():
            raise ValueError(f"{claim_id}: say why it cannot be reproduced")
        return self._record(claim_id, None, None, NOT_REPRODUCIBLE, "", why)

    def not_reproducible_all(self, why_by_checkable: dict[str, str]) -> list[ClaimCheck]:
        """Mark every still-unchecked claim whose `checkable` is a key of the
        mapping (typically 'not_public') with that reason."""
        out = []
        for claim_id, row in self.ledger.iterrows():
            if claim_id not in self.checks and row["checkable"] in why_by_checkable:
                reason = why_by_checkable[row["checkable"]]
                if row["note"]:
                    reason = f"{reason} ({row['note']})"
                out.append(self.not_reproducible(claim_id, reason))
        return out

    # -- reading back -----------------------------------------------------
    def unchecked(self) -> list[str]:
        return [c for c in self.ledger.index if c not in self.checks]

    def all_checks(self) -> list[ClaimCheck]:
        """Every claim of the section: checked ones, then the rest as UNCHECKED
        (visible, never dropped)."""
        out = [self.checks[c] for c in self.ledger.index if c in self.checks]
        for claim_id in self.unchecked():
            row = self.ledger.loc[claim_id]
            out.append(ClaimCheck(claim_id, self.section, row["quote"], float(row["value"]), row["unit"],
                                  None, None, UNCHECKED, "", "no check written for this claim yet"))
        return out

    def table(self, language: str = "zh") -> pd.DataFrame:
        frame = pd.DataFrame([c.as_dict() for c in self.all_checks()])
        return frame[["claim_id", "quote", "reported_value", "reproduced_value", "difference",
                      "unit", "status", "method", "note"]]

    def counts(self) -> dict[str, int]:
        out = {s: 0 for s in STATUSES}
        for c in self.all_checks():
            out[c.status] += 1
        return out
