"""Checking the report's claims against what the data gives.

The ledger (data/published/claims.csv) holds every number the report states,
one row per value: claim_id, section, report_section, quote (verbatim,
Simplified), quote_en, value (as printed), unit, kind, period, checkable
(public_data / arithmetic / published_index / not_public) and note.

A notebook opens a ClaimBook for its section and gives every claim a status:
- reproduced: recomputed from public data, it matches the stated value within
  the precision the report prints it with (half a unit of its last digit; an
  interval of recomputed values must reach the stated one), or satisfies the
  stated bound;
- consistent: it matches, but only against the report's own other figures or
  the platform's own publications ("same source"): nothing independent checked it;
- discrepant: it does not; the difference and an explanation are kept;
- not_sourced: public data that checks it exists (the release is known) but
  is not transcribed in data/ yet: our gap, not the world's;
- not_reproducible: no public data can check it; the reason is kept.

Check functions in the sections give facts (values, the template of their
explanation); the explanation is rendered from templates in both languages
(lib/ecrights/texts.yaml, lib/ecrights/sections/<name>/texts.yaml).
"""

from __future__ import annotations

import math
import re
from dataclasses import asdict, dataclass, field

import pandas as pd

from . import i18n, release_titles
from .data import load_claims, official_row
from .data.vocabulary import INDICATORS, INDICATORS_EN, source_strength_label

REPRODUCED = "reproduced"
CONSISTENT = "consistent"
DISCREPANT = "discrepant"
NOT_SOURCED = "not_sourced"
NOT_REPRODUCIBLE = "not_reproducible"
UNCHECKED = "unchecked"
STATUSES = (REPRODUCED, CONSISTENT, DISCREPANT, NOT_SOURCED, NOT_REPRODUCIBLE, UNCHECKED)

LOWER_BOUND_KINDS = {"bound_lower"}
UPPER_BOUND_KINDS = {"bound_upper"}
# "report": only the report's own other figures entered; "same_source": only the
# platform's own publications: both can at best be consistent, never reproduced
BASES = {"data": REPRODUCED, "report": CONSISTENT, "same_source": CONSISTENT}

MEASURE_LABELS = {"level": ("数值", "level"), "yoy_pct": ("名义同比增长", "nominal YoY growth"),
                  "yoy_real_pct": ("实际同比增长", "real YoY growth"), "share_pct": ("占比", "share")}


@dataclass
class ClaimCheck:
    claim_id: str
    section: str
    quote: str
    quote_en: str
    reported_value: float
    unit: str
    reproduced_value: float | None
    reproduced_low: float | None
    reproduced_high: float | None
    difference: float | None
    status: str
    explanations: dict = field(default_factory=dict)  # {"zh": {"method", "note"}, "en": {...}}
    facts: dict = field(default_factory=dict)

    def method(self, language: str) -> str:
        return self.explanations.get(language, {}).get("method", "")

    def note(self, language: str) -> str:
        return self.explanations.get(language, {}).get("note", "")

    def as_dict(self, language: str = "zh") -> dict:
        out = asdict(self)
        out["method"], out["note"] = self.method(language), self.note(language)
        out["facts"] = {k: _plain(v) for k, v in self.facts.items()}
        for key in ("reported_value", "reproduced_value", "reproduced_low", "reproduced_high", "difference"):
            out[key] = _plain(out[key])
        return out


def _plain(v):
    if isinstance(v, float) and (math.isnan(v) or math.isinf(v)):
        return None
    if hasattr(v, "item"):  # numpy scalars
        return _plain(v.item())
    return v


def printed_precision(value_text: str) -> float:
    """Half a unit of the last printed digit: '12.0' -> 0.05, '4321' -> 0.5."""
    text = value_text.strip().lstrip("+-")
    decimals = len(text.split(".")[1]) if "." in text else 0
    return 0.5 * 10 ** (-decimals)


def ledger_period(period: str) -> tuple[str, str]:
    """A ledger period as (first month, last month): '2019' -> 2019-01..2019-12,
    '2019-12' -> the month, '2019-01..2019-04' -> as written."""
    period = period.strip()
    if re.fullmatch(r"\d{4}", period):
        return f"{period}-01", f"{period}-12"
    if re.fullmatch(r"\d{4}-\d{2}", period):
        return period, period
    m = re.fullmatch(r"(\d{4}-\d{2})\.\.(\d{4}-\d{2})", period)
    if m:
        return m.group(1), m.group(2)
    raise ValueError(f"ledger period {period!r} is not YYYY, YYYY-MM or YYYY-MM..YYYY-MM")


# Wording that signs a change the report prints as a magnitude (降低14个点)
_FALL = re.compile(r"下降|降低|减少|降至|回落")
_RISE = re.compile(r"增加|上升|提高|增长|上涨|加快")


def signed_value(claim: pd.Series) -> float:
    """A change the report prints as a magnitude, signed by its own wording."""
    value, quote = float(claim["value"]), claim["quote"]
    fall, rise = bool(_FALL.search(quote)), bool(_RISE.search(quote))
    if fall == rise:
        raise ValueError(f"{claim['claim_id']}: the quote does not say unambiguously whether it rose or fell: "
                         f"{quote!r}")
    return -value if fall else value


def _render(key: str, part: str, facts: dict, section: str) -> dict[str, str]:
    full = f"checks.{key}.{part}"
    if not i18n.has(full, section):
        return {lang: "" for lang in i18n.LANGUAGES}
    return i18n.render_both(full, facts, section)


class ClaimBook:
    """The claims of one section and their checks."""

    def __init__(self, section: str, ledger: pd.DataFrame | None = None):
        self.all_claims = load_claims() if ledger is None else ledger
        self.section = section
        self.ledger = self.all_claims[self.all_claims["section"] == section]
        if self.ledger.empty:
            raise KeyError(f"no claims for section {section!r} in the ledger")
        self.checks: dict[str, ClaimCheck] = {}

    # -- looking up (any claim of the ledger: a section may use another's value) --
    def claim(self, claim_id: str) -> pd.Series:
        if claim_id not in self.all_claims.index:
            raise KeyError(f"claim {claim_id!r} is not in data/published/claims.csv")
        return self.all_claims.loc[claim_id]

    def stated(self, claim_id: str) -> float:
        return float(self.claim(claim_id)["value"])

    def printed(self, claim_id: str) -> str:
        return str(self.claim(claim_id)["value_text"])

    def signed(self, claim_id: str) -> float:
        return signed_value(self.claim(claim_id))

    def precision(self, claim_id: str) -> float:
        return printed_precision(self.printed(claim_id))

    def period(self, claim_id: str) -> tuple[str, str]:
        return ledger_period(self.claim(claim_id)["period"])

    def facts(self, claim_id: str) -> dict:
        """What every explanation of a claim may use."""
        row = self.claim(claim_id)
        return {"claim_id": claim_id, "stated": float(row["value"]), "stated_text": str(row["value_text"]),
                "unit": row["unit"], "quote": row["quote"]}

    # -- recording --------------------------------------------------------
    def _own(self, claim_id: str) -> pd.Series:
        if claim_id not in self.ledger.index:
            raise KeyError(f"claim {claim_id!r} is not a {self.section} claim in data/published/claims.csv")
        return self.ledger.loc[claim_id]

    def _record(self, claim_id, status, explain, facts, reproduced=None, low=None, high=None,
                difference=None) -> ClaimCheck:
        row = self._own(claim_id)
        facts = {**self.facts(claim_id), **(facts or {}),
                 "reproduced": reproduced, "difference": difference, "low": low, "high": high}
        explanations = {lang: {"method": "", "note": ""} for lang in i18n.LANGUAGES}
        parts = ["method", "note"] + (["discrepant"] if status == DISCREPANT else [])
        for part in parts:
            texts = _render(explain, part, facts, self.section)
            for lang in i18n.LANGUAGES:
                target = "note" if part == "discrepant" else part
                explanations[lang][target] = " ".join(t for t in (explanations[lang][target], texts[lang]) if t)
        if not any(explanations[lang]["method"] or explanations[lang]["note"] for lang in i18n.LANGUAGES):
            raise KeyError(f"{claim_id}: no explanation 'checks.{explain}' (method or note) in the texts of "
                           f"{self.section} or the shared texts")
        check = ClaimCheck(
            claim_id=claim_id, section=self.section, quote=row["quote"], quote_en=row["quote_en"],
            reported_value=float(row["value"]), unit=row["unit"],
            reproduced_value=None if reproduced is None else float(reproduced),
            reproduced_low=None if low is None else float(low), reproduced_high=None if high is None else float(high),
            difference=None if difference is None else float(difference),
            status=status, explanations=explanations, facts=facts)
        self.checks[claim_id] = check
        return check

    def check(self, claim_id: str, reproduced: float, *, explain: str, facts: dict | None = None,
              basis: str = "data", tolerance: float | None = None,
              interval: tuple[float, float] | None = None, stated: float | None = None) -> ClaimCheck:
        """Compare a recomputed value with the stated one.

        Bounds (kind bound_lower / bound_upper) are satisfied or not; other
        claims match within `tolerance` (default: the printed precision). With
        `interval` (the recomputed value's range under the printed rounding of
        its inputs) the stated value matches when it lies within the interval
        widened by its own printed precision. `stated` overrides the ledger
        value when the claim is a signed change (see `signed`).
        basis: "data" (public data entered: reproduced), "report" (the report's
        own figures only) or "same_source" (the very source the report quotes:
        the platform's own publications, or a body's statement the report
        repeats): a match of the last two is "consistent".
        """
        if basis not in BASES:
            raise ValueError(f"basis must be one of {sorted(BASES)}, got {basis!r}")
        row = self._own(claim_id)
        if reproduced is None or (isinstance(reproduced, float) and math.isnan(reproduced)):
            raise ValueError(f"{claim_id}: no reproduced value; use not_sourced() or not_reproducible()")
        reproduced = float(reproduced)
        target = float(row["value"]) if stated is None else float(stated)
        difference = reproduced - target
        kind = row["kind"]
        tol = printed_precision(row["value_text"]) if tolerance is None else tolerance
        low, high = (None, None) if interval is None else (min(interval), max(interval))
        if kind in LOWER_BOUND_KINDS:
            ok = (high if high is not None else reproduced) >= target - 1e-9
        elif kind in UPPER_BOUND_KINDS:
            ok = (low if low is not None else reproduced) <= target + 1e-9
        elif interval is not None:
            ok = low - tol - 1e-9 <= target <= high + tol + 1e-9
        else:
            ok = abs(difference) <= tol + 1e-9
        status = BASES[basis] if ok else DISCREPANT
        facts = {"tolerance": tol, **(facts or {})}
        return self._record(claim_id, status, explain, facts, reproduced, low, high, difference)

    def not_sourced(self, claim_id: str, explain: str, facts: dict | None = None) -> ClaimCheck:
        """Public data checks it, but it is not in data/ yet (say which release)."""
        return self._record(claim_id, NOT_SOURCED, explain, facts)

    def not_reproducible(self, claim_id: str, explain: str, facts: dict | None = None) -> ClaimCheck:
        """No public data can check it (say why)."""
        return self._record(claim_id, NOT_REPRODUCIBLE, explain, facts)

    def not_reproducible_rest(self, explain_by_checkable: dict[str, str]) -> list[ClaimCheck]:
        """Every still-unchecked claim whose `checkable` is a key of the mapping
        (typically 'not_public') gets that explanation."""
        out = []
        for claim_id, row in self.ledger.iterrows():
            if claim_id not in self.checks and row["checkable"] in explain_by_checkable:
                out.append(self.not_reproducible(claim_id, explain_by_checkable[row["checkable"]],
                                                 {"ledger_note": row["note"]}))
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
            texts = i18n.render_both("checks.unchecked.note", {}, None)
            out.append(ClaimCheck(claim_id, self.section, row["quote"], row["quote_en"], float(row["value"]),
                                  row["unit"], None, None, None, None, UNCHECKED,
                                  {lang: {"method": "", "note": texts[lang]} for lang in i18n.LANGUAGES}))
        return out

    def table(self, language: str = "zh") -> pd.DataFrame:
        frame = pd.DataFrame([c.as_dict(language) for c in self.all_checks()])
        return frame[["claim_id", "quote", "reported_value", "reproduced_value", "difference",
                      "unit", "status", "method", "note"]]

    def counts(self) -> dict[str, int]:
        out = {s: 0 for s in STATUSES}
        for c in self.all_checks():
            out[c.status] += 1
        return out


# --------------------------------------------------------------------------
# Checks every section uses
# --------------------------------------------------------------------------

def official_facts(row) -> dict:
    """Facts of a printed official value (data.OfficialValue) for explanations."""
    zh, en = MEASURE_LABELS.get(row.measure, (row.measure, row.measure))
    return {"indicator": row.indicator, "indicator_zh": INDICATORS.get(row.indicator, row.indicator),
            "indicator_en": INDICATORS_EN.get(row.indicator, row.indicator),
            "measure": en, "measure_zh": zh, "period": row.period, "release_title": row.release_title,
            "release_title_en": release_titles.english(row.release_title),
            "release_date": row.release_date or "?", "source_url": row.source_url, "source_file": row.source_file,
            "official": row.value, "strength": row.source_strength,
            # the page the value was read on (data/README.md: primary, reprint, weak), in each edition's words
            "strength_zh": source_strength_label(row.source_strength, "zh") or "—",
            "strength_en": source_strength_label(row.source_strength, "en") or "—"}


def check_against_official(book: ClaimBook, claim_id: str, official: pd.DataFrame, indicator: str, measure: str,
                           period: tuple[str, str] | None = None, explain: str = "official_value",
                           facts: dict | None = None) -> ClaimCheck:
    """The claim against the printed official value of its period (the ledger's
    `period` unless given). A gap or an absent row is `not_sourced`: NBS or
    the State Post Bureau printed it; we have not transcribed it."""
    start, end = period or book.period(claim_id)
    row = official_row(official, indicator, measure, start, end)
    f = {**official_facts(row), **(facts or {})}
    if row.absent:
        return book.not_sourced(claim_id, "official_absent", f)
    if row.value is None:
        return book.not_sourced(claim_id, "official_gap", f)
    return book.check(claim_id, row.value, explain=explain, facts=f)


# --------------------------------------------------------------------------
# The report's dated statements (data/published/date_statements.csv)
# --------------------------------------------------------------------------

DATE_STATUSES = ("confirmed", "partly", "contradicted", NOT_SOURCED, NOT_REPRODUCIBLE)
_FIGURE_TITLE = re.compile(r"^图\d+[:：]")


def dated_statement_checks(section: str, dated: pd.DataFrame, checks: pd.DataFrame) -> list[dict]:
    """Each dated statement of the section with what a public source says of it
    (data/published/date_checks.csv). Without a source: not_reproducible when
    only the platform or its index could say (checkable not_public /
    published_index), else not_sourced (a public source should say: our gap)."""
    out = []
    for claim_id, row in dated[dated["section"] == section].iterrows():
        base = {"claim_id": claim_id, "quote": row["quote"], "quote_en": row["quote_en"], "value": row["value"],
                "period": row["period"]}
        if claim_id in checks.index:
            c = checks.loc[claim_id]
            out.append({**base, "status": c["verdict"], "public_value": c["public_value_en"],
                        "public_value_zh": c["public_value_zh"], "public_value_en": c["public_value_en"],
                        "source_quote": c["quote"], "source_title": c["source_title"], "source_date": c["source_date"],
                        "source_url": c["source_url"], "note": c["note_en"], "note_zh": c["note_zh"],
                        "note_en": c["note_en"]})
        elif _FIGURE_TITLE.match(row["quote"]):
            # the period in the title of the report's own figure: only the figure (whose image is not
            # in the text) could show it; the project redraws the figure over these months
            out.append({**base, "status": NOT_REPRODUCIBLE, "public_value": "", "source_quote": "",
                        "source_title": "", "source_date": "", "source_url": "",
                        "note": "the period of the report's own figure (image not in the text)"})
        else:
            status = NOT_REPRODUCIBLE if row["checkable"] in ("not_public", "published_index") else NOT_SOURCED
            out.append({**base, "status": status, "public_value": "", "source_quote": "", "source_title": "",
                        "source_date": "", "source_url": "", "note": row["note"]})
    return out
