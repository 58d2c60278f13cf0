"""lib/ecrights/sections/ai_anticounterfeit: Alibaba's series, 'the main reason',
and the same-source rule (the platform's own publications confirm, never reproduce)."""

import re

import numpy as np
import pandas as pd
import pytest

from conftest import PROJECT_ROOT
from ecrights import index_composition as ic
from ecrights.claims import CONSISTENT, DISCREPANT, REPRODUCED, ClaimBook
from ecrights.data import load_alibaba_ip, load_claims
from ecrights.sections.ai_anticounterfeit import analysis as ai


@pytest.fixture(scope="module")
def alibaba():
    return load_alibaba_ip()


def test_the_series_holds_every_stored_year_of_the_per_10000_figures(alibaba):
    series = ai.infringement_series(alibaba)
    years = set(series["period"])
    assert {"2017", "2018", "2019"} <= years
    # every stored level per 10,000 (not the changes) is in it, whatever the denominator's wording
    levels = alibaba[alibaba["metric"].str.contains("per_10000") & ~alibaba["metric"].str.contains("change")]
    assert set(levels["stat_id"]) <= set(series["stat_id"])
    assert not series["metric"].str.contains("change").any()
    line = ai.yearly_value(series)
    assert list(line["period"]) == sorted(years) and line["period"].is_unique
    # a figure printed as a % of orders is drawn per 10,000 (×100), next to its printed value
    pct = series[series["denominator"] == "orders_as_pct"]
    assert np.allclose(pct["value"], pct["printed"] * 100)


def _book_with(alibaba: pd.DataFrame) -> ClaimBook:
    book = ClaimBook("ai_anticounterfeit", load_claims())
    s = ic.IndexStatements.from_ledger(book.all_claims)
    ai.check_claims(book, alibaba, s, *ic.two_component_weights(s))
    return book


def test_the_refund_rate_is_consistent_with_the_platform_never_reproduced(alibaba):
    checks = _book_with(alibaba).checks
    assert checks["ai_infringement_refund_rate_2019"].status == CONSISTENT
    # the rule across every check of the section: a value from the platform's own publications is never "reproduced"
    for claim_id, check in checks.items():
        if "stat_id" in check.facts and str(check.facts["stat_id"]).startswith("ALIIP"):
            assert check.status != REPRODUCED, claim_id
    assert "Same source" in checks["ai_infringement_refund_rate_2019"].note("en")


def test_a_platform_figure_that_disagrees_is_discrepant_and_one_that_agrees_only_consistent(alibaba):
    year = ClaimBook("ai_anticounterfeit", load_claims()).period("ai_infringement_refund_rate_2019")[0][:4]
    rows = ai.yearly_value(ai.infringement_series(alibaba))
    stat_id = rows.loc[rows["period"] == year, "stat_id"].iloc[0]
    off = alibaba.copy()
    off.loc[off["stat_id"] == stat_id, "value"] += 0.5
    assert _book_with(off).checks["ai_infringement_refund_rate_2019"].status == DISCREPANT
    assert _book_with(alibaba).checks["ai_infringement_refund_rate_2019"].status == CONSISTENT


def test_alibaba_figures_enter_claim_checks_only_here():
    """The same-source rule holds across the ledger: Alibaba's publications reach a
    check only through ai_anticounterfeit, whose check is tested above."""
    for path in sorted((PROJECT_ROOT / "lib" / "ecrights" / "sections").glob("*/analysis.py")):
        if path.parent.name == "ai_anticounterfeit":
            source = path.read_text(encoding="utf-8")
            # every check of a value from the platform's publications says so
            assert re.search(r'book\.check\("ai_infringement_refund_rate_2019".*?basis="same_source"', source, re.S)
            continue
        assert "alibaba" not in path.read_text(encoding="utf-8").lower(), path


def test_main_reason_facts_headline_the_threshold():
    s = ic.IndexStatements.from_ledger(load_claims())
    w_d, w_c = ic.two_component_weights(s)
    facts = ai.main_reason_facts(s, w_d, w_c)
    assert facts["min_threshold"] <= facts["threshold"]  # the weight-free threshold is the lowest over w_d
    assert facts["min_threshold_low"] <= facts["min_threshold"] <= facts["min_threshold_high"]
    low, high = ic.two_component_weight_interval(s)
    assert (facts["c_low"], facts["c_high"]) == pytest.approx((1 - high, 1 - low))
    grid = np.linspace(low, high, 51)
    assert facts["two_component_largest"] == bool(ic.counterfeit_is_largest(grid, 1 - grid, s).all())
    assert facts["share"] == pytest.approx(w_c * s.counterfeit_change / s.total_change * 100)


# ---------------------------------------------------------------- the editions' language

def test_publications_keep_their_own_language(alibaba):
    """A publication's title as printed, marked with its language when it is not the edition's."""
    from markupsafe import Markup

    from ecrights.report import language as lang

    chinese, english = "2019阿里巴巴知识产权保护年度报告", "2017 Alibaba Intellectual Property Protection Annual Report"
    assert ai.publication_cell(chinese, "zh") == chinese and ai.publication_cell(english, "en") == english
    assert isinstance(ai.publication_cell(chinese, "en"), Markup) and 'lang="zh-Hans"' in ai.publication_cell(chinese, "en")
    assert 'lang="en"' in ai.publication_cell(english, "zh")
    assert ai.publication_en(chinese) == "Alibaba's IP-protection annual report for 2019, in Chinese"
    series = ai.infringement_series(alibaba)
    for language in ("zh", "en"):
        t = ai.series_table(series, language)
        page = f'<html lang="{"zh-Hans" if language == "zh" else "en"}"><body>{t.to_html()}</body></html>'
        assert lang.count(page, language).passages == [], language
        assert len(t.rows) == len(series)
    assert {r[3].text for r in ai.series_table(series, "zh").rows} <= {zh for zh, _ in ai.DENOMINATORS.values()}


def test_texts_and_explanations_are_in_their_language(alibaba):
    from ecrights.i18n import load_texts, section_texts_path

    for key, text in load_texts(section_texts_path("ai_anticounterfeit")).items():
        assert not re.findall(r"[A-Za-z]{2,}", re.sub(r"\{[^}]*\}|<[^>]+>", " ", text["zh"])), key
        assert not re.findall(r"[\u3400-\u9fff]", text["en"]), key
    for claim_id, check in _book_with(alibaba).checks.items():
        en, zh = f"{check.method('en')} {check.note('en')}", f"{check.method('zh')} {check.note('zh')}"
        assert not re.findall(r"[\u3400-\u9fff]", en), (claim_id, en)
        # identifiers of stored figures (ALIIP001) aside
        assert not re.findall(r"[A-Za-z]{2,}", re.sub(r"ALIIP\d+", "", zh)), (claim_id, zh)


def test_the_verdict_has_a_direct_answer_under_the_assumed_weights():
    """'Is it still the main reason?' answered for the weights assumed: yes exactly when w_c reaches the
    threshold at the assumed w_d (the rest of the index as one component)."""
    s = ic.IndexStatements.from_ledger(load_claims())
    w_d, w_c = ic.two_component_weights(s)
    default = ai.main_reason_facts(s, w_d, w_c)
    assert default["largest_verdict"] == ("yes" if w_c >= default["threshold"] else "no")
    # "if AI removed only 5 of the 14 points": the weight whose contribution is 5 points
    low_weight = 5 / abs(s.counterfeit_change)
    lower = ai.main_reason_facts(s, w_d, low_weight)
    assert lower["largest_under_assumed"] == (low_weight >= lower["threshold"])
    assert lower["largest_verdict"] != default["largest_verdict"] or low_weight >= lower["threshold"]
    assert set(ai.VERDICT_SHOWN[lower["largest_verdict"]]) == {"zh", "en"}


def test_the_main_reason_figure_marks_the_assumed_weight():
    from ecrights.sections.ai_anticounterfeit import figures as ai_figures

    s = ic.IndexStatements.from_ledger(load_claims())
    figs = {}
    for w_c in (0.3, 0.6):
        threshold = ic.counterfeit_largest_threshold(0.2, s)
        facts = ai.main_reason_facts(s, 0.2, w_c)
        fig, drawn = ai_figures.counterfeit_share_figure(0.2, threshold, 0.35, s, "en", w_counterfeit=w_c,
                                                         largest=facts["largest_under_assumed"])
        marked = [line for line in fig.axes[0].get_lines() if line.get_label().startswith("assumed w_c")]
        assert len(marked) == 1 and list(marked[0].get_xdata()) == [w_c]
        answer = "yes" if w_c >= threshold else "no"
        assert marked[0].get_label().endswith(f"the largest contributor? {answer}")
        assert (drawn["w_counterfeit_assumed"] == w_c).all()
        figs[w_c] = marked[0].get_label()
    assert figs[0.3] != figs[0.6]  # default and variant look different
