"""lib/ecrights/claims.py: printed precision, statuses, bounds, the ledger API."""

from __future__ import annotations

import csv

import pytest

from ecrights import claims as claims_mod
from ecrights.claims import (CONSISTENT, DISCREPANT, NOT_REPRODUCIBLE, REPRODUCED, UNCHECKED, ClaimBook,
                             printed_precision)
from ecrights.data import CLAIM_COLUMNS, DataError, load_claims

LEDGER = [
    # claim_id, section, value, unit, kind, checkable, quote
    ("rg_total_level", "retail_growth", "411649", "亿元", "level", "public_data", "社会消费品零售总额411649亿元"),
    ("rg_total_yoy", "retail_growth", "8.0", "%", "growth", "public_data", "比2018年名义增长8.0%"),
    ("rg_contribution_lb", "retail_growth", "45", "%", "bound_lower", "public_data", "贡献率超过45%"),
    ("rg_share_ub", "retail_growth", "10", "%", "bound_upper", "public_data", "占比不足10%"),
    ("rg_gap_pp", "retail_growth", "11.5", "个百分点", "difference_pp", "arithmetic", "增速快11.5个百分点"),
    ("rg_secret", "retail_growth", "9", "%", "share", "not_public", "约9%的纠纷"),
    ("rg_secret_two", "retail_growth", "3.28", "%", "share", "not_public", "3.28%"),
    ("pe_other_section", "promotion_effects", "1", "个月", "duration", "not_public", "一个月"),
]


@pytest.fixture
def ledger(tmp_path):
    path = tmp_path / "claims.csv"
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=CLAIM_COLUMNS)
        writer.writeheader()
        for cid, section, value, unit, kind, checkable, quote in LEDGER:
            note = "Printed in words (一个月)" if cid == "pe_other_section" else ""
            writer.writerow({"claim_id": cid, "section": section, "report_section": "一(一)", "quote": quote,
                             "quote_en": "…", "value": value, "unit": unit, "kind": kind, "period": "2019",
                             "checkable": checkable, "note": note})
    return load_claims(path)


@pytest.fixture
def book(ledger) -> ClaimBook:
    return ClaimBook("retail_growth", ledger)


@pytest.mark.parametrize("text, half_unit", [
    ("8.0", 0.05), ("411649", 0.5), ("45", 0.5), ("3.28", 0.005), ("-1.2", 0.05), ("+16.5", 0.05), (" 20.7 ", 0.05),
])
def test_printed_precision(text, half_unit):
    assert printed_precision(text) == pytest.approx(half_unit)


def test_book_holds_only_its_section(book):
    assert "pe_other_section" not in book.ledger.index
    assert len(book.ledger) == 7
    with pytest.raises(KeyError, match="pe_other_section"):
        book.claim("pe_other_section")
    assert book.stated("rg_total_yoy") == 8.0


def test_empty_section_is_an_error(ledger):
    with pytest.raises(KeyError, match="index_trend"):
        ClaimBook("index_trend", ledger)


@pytest.mark.parametrize("reproduced, status", [
    (8.0, REPRODUCED), (8.04, REPRODUCED), (7.95, REPRODUCED), (8.05, REPRODUCED),  # within 0.05 (8.0 printed)
    (8.06, DISCREPANT), (7.94, DISCREPANT), (8.1, DISCREPANT),
])
def test_check_within_printed_precision(book, reproduced, status):
    check = book.check("rg_total_yoy", reproduced, method="test")
    assert check.status == status
    assert check.difference == pytest.approx(reproduced - 8.0)
    assert check.reported_value == 8.0 and check.reproduced_value == reproduced


def test_check_level_precision_is_half_a_unit(book):
    assert book.check("rg_total_level", 411649.4, method="m").status == REPRODUCED
    assert book.check("rg_total_level", 411650, method="m").status == DISCREPANT


def test_explicit_tolerance(book):
    assert book.check("rg_total_level", 411652, method="m", tolerance=5).status == REPRODUCED
    assert book.check("rg_total_yoy", 8.04, method="m", tolerance=0.01).status == DISCREPANT


def test_discrepant_keeps_the_explanation(book):
    check = book.check("rg_gap_pp", 11.7, method="a − b", note="arithmetic", why_discrepant="rounding of inputs")
    assert check.status == DISCREPANT
    assert check.note == "arithmetic rounding of inputs"
    ok = book.check("rg_gap_pp", 11.5, method="a − b", note="arithmetic", why_discrepant="unused")
    assert ok.note == "arithmetic"


def test_lower_bound(book):
    assert book.check("rg_contribution_lb", 45.6, method="m").status == REPRODUCED
    assert book.check("rg_contribution_lb", 45.0, method="m").status == REPRODUCED
    # a bound is not a rounded value: 44.9 does not "exceed 45"
    assert book.check("rg_contribution_lb", 44.9, method="m").status == DISCREPANT


def test_upper_bound(book):
    assert book.check("rg_share_ub", 9.2, method="m").status == REPRODUCED
    assert book.check("rg_share_ub", 10.0, method="m").status == REPRODUCED
    assert book.check("rg_share_ub", 10.3, method="m").status == DISCREPANT
    assert claims_mod.LOWER_BOUND_KINDS == {"bound_lower"} and claims_mod.UPPER_BOUND_KINDS == {"bound_upper"}


def test_check_needs_a_value(book):
    with pytest.raises(ValueError, match="not_reproducible"):
        book.check("rg_total_yoy", float("nan"), method="m")
    with pytest.raises(ValueError):
        book.check("rg_total_yoy", None, method="m")
    assert book.checks == {}


def test_unknown_claim(book):
    with pytest.raises(KeyError, match="rg_nope"):
        book.check("rg_nope", 1.0, method="m")


def test_not_reproducible_needs_a_reason(book):
    with pytest.raises(ValueError, match="why"):
        book.not_reproducible("rg_secret", "   ")
    check = book.not_reproducible("rg_secret", "platform data, not public")
    assert check.status == NOT_REPRODUCIBLE and check.note == "platform data, not public"
    assert check.reproduced_value is None and check.difference is None


def test_not_reproducible_all_by_checkable(book):
    book.check("rg_total_yoy", 8.0, method="m")
    out = book.not_reproducible_all({"not_public": "Alibaba internal data"})
    assert sorted(c.claim_id for c in out) == ["rg_secret", "rg_secret_two"]
    assert all(c.status == NOT_REPRODUCIBLE and c.note.startswith("Alibaba internal data") for c in out)
    assert book.checks["rg_total_yoy"].status == REPRODUCED  # untouched


def test_all_checks_lists_unchecked_claims(book):
    book.check("rg_total_yoy", 8.0, method="m")
    book.check("rg_contribution_lb", 40.0, method="m")
    checks = book.all_checks()
    assert [c.claim_id for c in checks][:2] == ["rg_total_yoy", "rg_contribution_lb"]
    assert len(checks) == 7  # every claim of the section, none dropped
    unchecked = [c for c in checks if c.status == UNCHECKED]
    assert {c.claim_id for c in unchecked} == {"rg_total_level", "rg_share_ub", "rg_gap_pp", "rg_secret",
                                               "rg_secret_two"}
    assert all(c.reproduced_value is None and c.note for c in unchecked)
    assert book.unchecked() == [c.claim_id for c in unchecked]
    assert book.counts() == {REPRODUCED: 1, CONSISTENT: 0, DISCREPANT: 1, NOT_REPRODUCIBLE: 0, UNCHECKED: 5}


def test_table_and_json_safe_dicts(book):
    book.check("rg_total_yoy", 8.0, method="m")
    table = book.table()
    assert list(table.columns) == ["claim_id", "quote", "reported_value", "reproduced_value", "difference",
                                   "unit", "status", "method", "note"]
    assert len(table) == 7 and (table["status"] == UNCHECKED).sum() == 6
    as_dict = book.checks["rg_total_yoy"].as_dict()
    assert as_dict["status"] == REPRODUCED and as_dict["reproduced_value"] == 8.0


def test_ledger_value_must_stand_in_quote(tmp_path):
    path = tmp_path / "claims.csv"
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(CLAIM_COLUMNS)
        writer.writerow(["rg_x", "retail_growth", "一", "增长18.0%", "…", "8.0", "%", "growth", "2019",
                         "public_data", ""])
    with pytest.raises(DataError) as info:
        load_claims(path)
    assert str(path) in str(info.value) and "line 2" in str(info.value) and "quote" in str(info.value)


def test_ledger_bad_checkable_and_section(tmp_path):
    path = tmp_path / "claims.csv"
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(CLAIM_COLUMNS)
        writer.writerow(["rg_x", "retail_growth", "一", "增长8.0%", "…", "8.0", "%", "growth", "2019", "maybe", ""])
        writer.writerow(["rg_y", "retail", "一", "增长8.0%", "…", "8.0", "%", "growth", "2019", "public_data", ""])
    with pytest.raises(DataError) as info:
        load_claims(path)
    message = str(info.value)
    assert "line 2, column 'checkable'" in message and "'maybe'" in message
    assert "line 3, column 'section'" in message and "'retail'" in message


def test_a_check_on_the_report_own_figures_is_consistent_not_reproduced():
    book = ClaimBook("retail_growth")
    stated = book.stated("rg_physical_online_growth_gap_2019_pp")
    assert book.check("rg_physical_online_growth_gap_2019_pp", stated, method="m", basis="report").status == CONSISTENT
    assert book.check("rg_physical_online_growth_gap_2019_pp", stated + 1, method="m", basis="report").status == DISCREPANT
    assert book.check("rg_physical_online_growth_gap_2019_pp", stated, method="m").status == REPRODUCED
    with pytest.raises(ValueError, match="basis"):
        book.check("rg_physical_online_growth_gap_2019_pp", stated, method="m", basis="vibes")
