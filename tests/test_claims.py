"""lib/ecrights/claims.py: printed precision, statuses, bounds, intervals, the
ledger API, explanations rendered from templates in both languages."""

from __future__ import annotations

import csv

import pytest

from ecrights import claims as claims_mod
from ecrights import i18n
from ecrights.claims import (CONSISTENT, DISCREPANT, NOT_REPRODUCIBLE, NOT_SOURCED, REPRODUCED, UNCHECKED, ClaimBook,
                             check_against_official, ledger_period, printed_precision, signed_value)
from ecrights.data import DataError, load_claims
from ecrights.data.vocabulary import CLAIM_COLUMNS

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

TEXTS = """
checks:
  t:
    method: {zh: "方法 {stated_text}", en: "method {stated_text}"}
    discrepant: {zh: "差 {difference:+.2f}", en: "off by {difference:+.2f}"}
  why:
    note: {zh: "原因：{reason}", en: "reason: {reason}"}
  unchecked:
    note: {zh: "未核对", en: "not checked"}
  official_value:
    method: {zh: "官方 {official:g}", en: "official {official:g}"}
  official_gap:
    note: {zh: "缺口 {period}", en: "gap {period}"}
  official_absent:
    note: {zh: "未转录 {period}", en: "absent {period}"}
"""


@pytest.fixture(autouse=True)
def texts(tmp_path, monkeypatch):
    path = tmp_path / "texts.yaml"
    path.write_text(TEXTS, encoding="utf-8")
    monkeypatch.setattr(i18n, "SHARED_TEXTS", path)
    i18n.load_texts.cache_clear()
    yield
    i18n.load_texts.cache_clear()


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


@pytest.mark.parametrize("period, months", [
    ("2019", ("2019-01", "2019-12")), ("2019-12", ("2019-12", "2019-12")),
    ("2019-01..2019-04", ("2019-01", "2019-04")),
])
def test_ledger_period(period, months):
    assert ledger_period(period) == months


def test_ledger_period_rejects_other_forms():
    with pytest.raises(ValueError, match="YYYY"):
        ledger_period("2019年")


@pytest.mark.parametrize("quote, signed", [("相比2018年降低14个点", -14.0), ("增加了14个点", 14.0)])
def test_signed_value_follows_the_wording(quote, signed):
    assert signed_value({"claim_id": "x", "value": 14.0, "quote": quote}) == signed


def test_signed_value_refuses_ambiguous_wording():
    with pytest.raises(ValueError, match="rose or fell"):
        signed_value({"claim_id": "x", "value": 14.0, "quote": "指数为14"})


def test_book_holds_only_its_section(book):
    assert "pe_other_section" not in book.ledger.index
    assert len(book.ledger) == 7
    with pytest.raises(KeyError, match="pe_other_section"):
        book.check("pe_other_section", 1, explain="t")
    assert book.stated("rg_total_yoy") == 8.0 and book.printed("rg_total_yoy") == "8.0"


def test_empty_section_is_an_error(ledger):
    with pytest.raises(KeyError, match="index_trend"):
        ClaimBook("index_trend", ledger)


@pytest.mark.parametrize("reproduced, status", [
    (8.0, REPRODUCED), (8.04, REPRODUCED), (7.95, REPRODUCED), (8.05, REPRODUCED),  # within 0.05 (8.0 printed)
    (8.06, DISCREPANT), (7.94, DISCREPANT), (8.1, DISCREPANT),
])
def test_check_within_printed_precision(book, reproduced, status):
    check = book.check("rg_total_yoy", reproduced, explain="t")
    assert check.status == status
    assert check.difference == pytest.approx(reproduced - 8.0)
    assert check.reported_value == 8.0 and check.reproduced_value == reproduced


def test_check_level_precision_is_half_a_unit(book):
    assert book.check("rg_total_level", 411649.4, explain="t").status == REPRODUCED
    assert book.check("rg_total_level", 411650, explain="t").status == DISCREPANT


def test_explicit_tolerance(book):
    assert book.check("rg_total_level", 411652, explain="t", tolerance=5).status == REPRODUCED
    assert book.check("rg_total_yoy", 8.04, explain="t", tolerance=0.01).status == DISCREPANT


def test_an_interval_reaching_the_stated_value_reproduces_it(book):
    # recomputed 8.3 with inputs rounded: anywhere in [7.9, 8.7] -> the printed 8.0 is inside
    check = book.check("rg_total_yoy", 8.3, explain="t", interval=(7.9, 8.7))
    assert check.status == REPRODUCED and (check.reproduced_low, check.reproduced_high) == (7.9, 8.7)
    assert book.check("rg_total_yoy", 8.3, explain="t", interval=(8.1, 8.7)).status == DISCREPANT


def test_explanations_in_both_languages_and_discrepancy_text(book):
    ok = book.check("rg_gap_pp", 11.5, explain="t")
    assert ok.method("zh") == "方法 11.5" and ok.method("en") == "method 11.5" and ok.note("en") == ""
    bad = book.check("rg_gap_pp", 11.7, explain="t")
    assert bad.status == DISCREPANT and bad.note("en") == "off by +0.20" and bad.note("zh") == "差 +0.20"
    assert bad.as_dict("zh")["note"] == "差 +0.20" and bad.as_dict("en")["note"] == "off by +0.20"


def test_unknown_explanation_is_an_error(book):
    with pytest.raises(KeyError, match="nope"):
        book.check("rg_total_yoy", 8.0, explain="nope")
    assert book.checks == {}


def test_a_template_missing_its_fact_is_an_error(book):
    with pytest.raises(KeyError, match="reason"):
        book.not_reproducible("rg_secret", "why", {})


def test_lower_bound(book):
    assert book.check("rg_contribution_lb", 45.6, explain="t").status == REPRODUCED
    assert book.check("rg_contribution_lb", 45.0, explain="t").status == REPRODUCED
    # a bound is not a rounded value: 44.9 does not "exceed 45"
    assert book.check("rg_contribution_lb", 44.9, explain="t").status == DISCREPANT
    # ... unless the interval of what the data allows reaches it
    assert book.check("rg_contribution_lb", 44.9, explain="t", interval=(44.6, 45.2)).status == REPRODUCED


def test_upper_bound(book):
    assert book.check("rg_share_ub", 9.2, explain="t").status == REPRODUCED
    assert book.check("rg_share_ub", 10.0, explain="t").status == REPRODUCED
    assert book.check("rg_share_ub", 10.3, explain="t").status == DISCREPANT
    assert claims_mod.LOWER_BOUND_KINDS == {"bound_lower"} and claims_mod.UPPER_BOUND_KINDS == {"bound_upper"}


def test_check_needs_a_value(book):
    with pytest.raises(ValueError, match="not_sourced"):
        book.check("rg_total_yoy", float("nan"), explain="t")
    with pytest.raises(ValueError):
        book.check("rg_total_yoy", None, explain="t")
    assert book.checks == {}


def test_unknown_claim(book):
    with pytest.raises(KeyError, match="rg_nope"):
        book.check("rg_nope", 1.0, explain="t")


def test_not_reproducible_and_not_sourced(book):
    check = book.not_reproducible("rg_secret", "why", {"reason": "platform data"})
    assert check.status == NOT_REPRODUCIBLE and check.note("en") == "reason: platform data"
    assert check.reproduced_value is None and check.difference is None
    ours = book.not_sourced("rg_total_level", "why", {"reason": "release not transcribed"})
    assert ours.status == NOT_SOURCED and ours.note("zh") == "原因：release not transcribed"


def test_not_reproducible_rest_by_checkable(book):
    book.check("rg_total_yoy", 8.0, explain="t")
    out = book.not_reproducible_rest({"not_public": "unchecked"})
    assert sorted(c.claim_id for c in out) == ["rg_secret", "rg_secret_two"]
    assert all(c.status == NOT_REPRODUCIBLE and c.note("en") == "not checked" for c in out)
    assert book.checks["rg_total_yoy"].status == REPRODUCED  # untouched


def test_all_checks_lists_unchecked_claims(book):
    book.check("rg_total_yoy", 8.0, explain="t")
    book.check("rg_contribution_lb", 40.0, explain="t")
    checks = book.all_checks()
    assert [c.claim_id for c in checks][:2] == ["rg_total_yoy", "rg_contribution_lb"]
    assert len(checks) == 7  # every claim of the section, none dropped
    unchecked = [c for c in checks if c.status == UNCHECKED]
    assert {c.claim_id for c in unchecked} == {"rg_total_level", "rg_share_ub", "rg_gap_pp", "rg_secret",
                                               "rg_secret_two"}
    assert all(c.reproduced_value is None and c.note("zh") == "未核对" for c in unchecked)
    assert book.unchecked() == [c.claim_id for c in unchecked]
    assert book.counts() == {REPRODUCED: 1, CONSISTENT: 0, DISCREPANT: 1, NOT_SOURCED: 0, NOT_REPRODUCIBLE: 0,
                             UNCHECKED: 5}


def test_table_and_json_safe_dicts(book):
    book.check("rg_total_yoy", 8.0, explain="t")
    table = book.table("en")
    assert list(table.columns) == ["claim_id", "quote", "reported_value", "reproduced_value", "difference",
                                   "unit", "status", "method", "note"]
    assert len(table) == 7 and (table["status"] == UNCHECKED).sum() == 6
    assert table.loc[table["claim_id"] == "rg_total_yoy", "method"].item() == "method 8.0"
    as_dict = book.checks["rg_total_yoy"].as_dict("zh")
    assert as_dict["status"] == REPRODUCED and as_dict["reproduced_value"] == 8.0
    assert as_dict["explanations"]["en"]["method"] == "method 8.0"


def test_check_against_official_value_gap_and_absent(book, official_dir):
    from ecrights.data import load_official

    official = load_official(official_dir)
    # the ledger's period 2019 is 2019-01..2019-12; give the period of the tiny file's rows instead
    hit = check_against_official(book, "rg_total_level", official, "retail_sales_total", "level",
                                 ("2019-12", "2019-12"))
    assert hit.status == DISCREPANT and hit.reproduced_value == 38777 and hit.method("en") == "official 38777"
    gap = check_against_official(book, "rg_total_yoy", official, "retail_sales_total", "yoy_real_pct",
                                 ("2019-01", "2019-02"))
    assert gap.status == NOT_SOURCED and gap.note("en") == "gap 2019-01..2019-02"
    absent = check_against_official(book, "rg_contribution_lb", official, "online_retail_total", "level")
    assert absent.status == NOT_SOURCED and absent.note("en") == "absent 2019-01..2019-12"


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


def test_ledger_bad_checkable_section_and_prefix(tmp_path):
    path = tmp_path / "claims.csv"
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(CLAIM_COLUMNS)
        writer.writerow(["rg_x", "retail_growth", "一", "增长8.0%", "…", "8.0", "%", "growth", "2019", "maybe", ""])
        writer.writerow(["rg_y", "retail", "一", "增长8.0%", "…", "8.0", "%", "growth", "2019", "public_data", ""])
        writer.writerow(["zz_y", "retail_growth", "一", "增长8.0%", "…", "8.0", "%", "growth", "2019",
                         "public_data", ""])
    with pytest.raises(DataError) as info:
        load_claims(path)
    message = str(info.value)
    assert "line 2, column 'checkable'" in message and "'maybe'" in message
    assert "line 3, column 'section'" in message and "'retail'" in message
    assert "line 4, column 'claim_id'" in message and "zz_y" in message


def test_ledger_section_must_match_its_prefix(tmp_path):
    path = tmp_path / "claims.csv"
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(CLAIM_COLUMNS)
        writer.writerow(["pe_x", "retail_growth", "一", "增长8.0%", "…", "8.0", "%", "growth", "2019",
                         "public_data", ""])
    with pytest.raises(DataError, match="prefix of section 'promotion_effects'"):
        load_claims(path)


def test_checks_on_own_figures_or_same_source_are_consistent_not_reproduced(book):
    stated = book.stated("rg_gap_pp")
    assert book.check("rg_gap_pp", stated, explain="t", basis="report").status == CONSISTENT
    assert book.check("rg_gap_pp", stated, explain="t", basis="same_source").status == CONSISTENT
    assert book.check("rg_gap_pp", stated + 1, explain="t", basis="report").status == DISCREPANT
    assert book.check("rg_gap_pp", stated, explain="t").status == REPRODUCED
    with pytest.raises(ValueError, match="basis"):
        book.check("rg_gap_pp", stated, explain="t", basis="vibes")
