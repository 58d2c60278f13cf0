"""Promotion effects: which years compare like for like, small-sample intervals,
rounding carried through, the generated answer, the claims."""

import numpy as np
import pandas as pd
import pytest

from ecrights.claims import ClaimBook
from ecrights.params import resolve
from ecrights.sections.promotion_effects import analysis as promotion

JUNE, NOVEMBER, POOLED = promotion.promotions([6, 11], 1)
INFERENCE = promotion.Inference("t", 0.95, 5, 2, 30)

# release months as found for 2015–2019 (online retail): rich and poor years
PATTERNS = {2015: (6, 8, 9), 2016: (2, 3, 6, 7, 8, 9, 11, 12), 2017: (2, 3, 4, 6, 7, 9, 11, 12),
            2018: (2, 3, 4, 6, 7, 9, 10), 2019: tuple(range(2, 13))}


@pytest.fixture(scope="module")
def defaults():
    return resolve(["promotion_effects"])["promotion_effects"]


# -- which years, on which periods ---------------------------------------------

def test_promotions_one_per_month_then_pooled_and_never_past_december():
    assert [p.key for p in (JUNE, NOVEMBER, POOLED)] == ["jun", "nov", "pooled"]
    assert POOLED.parts == ((6,), (11,)) and POOLED.months == (6, 11)
    assert promotion.promotions([11, 12], 2)[1].parts == ((12,),)  # December's window stops at December
    assert [p.key for p in promotion.promotions([11], 1)] == ["nov"]  # one promotion: nothing to pool
    assert "June" in JUNE.name("en") and "6月" in JUNE.name("zh")


def test_span_and_extra_months():
    assert promotion.span((2, 3, 6, 7), (6,)) == (3, 6)
    assert promotion.span((6, 8, 9), (6,)) == (0, 6)  # the year's first release: from January
    assert promotion.span((2, 3, 4, 6, 7, 9, 10), (11,)) is None  # nothing after November
    assert promotion.extra_months((2, 3, 6, 7, 9, 11, 12), POOLED) == 2  # Apr–Jun: two months besides June
    assert promotion.extra_months((2, 3, 4, 6, 7, 9, 10), POOLED) is None


def test_years_are_cut_at_the_release_months_they_share():
    june = promotion.compare_years(PATTERNS, JUNE, 2)
    assert june.years == [2016, 2017, 2018, 2019]
    assert june.dropped == {2015: "period_too_long"}  # June inside Jan–Jun
    assert all(c == (2, 3, 6, 7, 9) for c in june.cuts.values())
    assert june.spans(2019) == [(3, 6)]
    november = promotion.compare_years(PATTERNS, NOVEMBER, 2)
    assert november.years == [2016, 2017, 2019] and november.dropped[2018] == "no_release_after"
    own = promotion.compare_years(PATTERNS, JUNE, 2, pattern="own")
    assert own.cuts[2019] == PATTERNS[2019] and own.cuts[2016] == PATTERNS[2016]
    with pytest.raises(ValueError, match="pattern"):
        promotion.compare_years(PATTERNS, JUNE, 2, pattern="mine")


def test_a_year_that_would_coarsen_the_others_is_left_out():
    # 2014 brackets June closely (May and June releases) but lacks March, so
    # with it every year's June period would start in March: it is left out
    patterns = {**PATTERNS, 2014: (2, 5, 6, 12)}
    june = promotion.compare_years(patterns, JUNE, 2)
    assert june.dropped[2014] == "coarsens_the_others"
    assert june.years == [2016, 2017, 2018, 2019]
    # with room for longer periods it would fit, but leave half the observations: still out
    assert 2014 not in promotion.compare_years(patterns, JUNE, 3).years
    # a year with few releases does not make the others coarser than they need be: 2015
    # (January–April, May–June, …) fits alone, but with it 2016 would have to go
    later = {2015: (4, 6, 8, 9, 12), 2016: PATTERNS[2016], 2017: PATTERNS[2019], 2019: PATTERNS[2019]}
    for p in (JUNE, NOVEMBER, POOLED):
        comparison = promotion.compare_years(later, p, 2)
        assert comparison.years == [2016, 2017, 2019] and comparison.dropped == {2015: "coarsens_the_others"}
        assert comparison.cuts[2019] == PATTERNS[2016]
    # a rich year among poor ones: all compared, on the poor years' months
    assert promotion.compare_years({2018: PATTERNS[2018], 2019: PATTERNS[2019]}, JUNE, 2).years == [2018, 2019]


def test_a_new_years_releases_enter_by_themselves(official):
    """2018's November and December cumulatives (gaps today): once in data/, 2018 is compared."""
    rows = []
    base = official[(official["indicator"] == "online_retail_total") & (official["period_end"] == pd.Period("2018-10", "M"))]
    for month, level, growth in ((11, 80000.0, 24.1), (12, 90065.0, 23.9)):
        for measure, value in (("level", level), ("yoy_pct", growth)):
            row = base[base["measure"] == measure].iloc[0].copy()
            row["period_end"], row["value"], row["value_printed"] = pd.Period(f"2018-{month}", "M"), value, value
            rows.append(row)
    key = ["indicator", "period_start", "period_end", "measure"]
    richer = pd.concat([pd.DataFrame(rows), official]).drop_duplicates(key, keep="first")
    patterns = promotion.usable_patterns(richer, "online_retail_total", range(2015, 2020), "share_of_year")
    assert 2018 in patterns and 2018 not in promotion.usable_patterns(official, "online_retail_total",
                                                                       range(2015, 2020), "share_of_year")
    assert 2018 in promotion.compare_years(patterns, NOVEMBER, 2).years


def test_release_pattern_table_says_which_years_carry_which_months(official):
    table = promotion.release_pattern_table(official, "online_retail_total", range(2015, 2020)).set_index("year")
    assert table.loc[2019, "single_months"] == 10  # March to December alone (1–2月 is one period)
    assert table.loc[2016, "single_months"] == 5  # March, July, August, September, December
    assert table.loc[2019, "periods"].startswith("Jan–Feb, Mar, Apr")
    assert bool(table.loc[2019, "year_total"])
    zh = promotion.release_pattern_table(official, "online_retail_total", [2019], "zh")
    assert zh.loc[0, "periods"].startswith("1–2月, 3月, 4月")
    shown = promotion.show_release_patterns(zh, "zh")
    assert shown.headers == ["年份", "可推算的期间", "单月数", "有全年总额"]
    assert [c.text for c in shown.rows[0]][-1] == "是"  # the year's total is there, said in the edition's words


# -- estimation ------------------------------------------------------------------

def _rows(lifts: dict[int, float], cuts=(2, 3, 4, 5, 6, 7, 8, 9, 10, 12), seed=0, noise=0.1) -> pd.DataFrame:
    """Periods of several years on one pattern: monthly outcome 8 + noise, + lift × promotion share."""
    rng = np.random.default_rng(seed)
    rows = []
    for year, lift in lifts.items():
        previous = 0
        for end in cuts:
            months = end - previous
            s = sum(m == 6 for m in range(previous + 1, end + 1)) / months
            y = 8 + lift * s + rng.normal(0, noise) / np.sqrt(months)
            rows.append({"year": year, "start_month": previous + 1, "month": end, "months": months,
                         "period": f"{previous + 1}-{end}", "y": y, "y_low": y - 0.01, "y_high": y + 0.01,
                         "weight": float(months), "s": s})
            previous = end
    return pd.DataFrame(rows)


def test_too_few_observations_give_no_interval_and_hc3_and_hac_say_when_they_cannot():
    rows = _rows({2019: 3.0})
    X = promotion.year_design(rows)
    y, w = rows["y"].to_numpy(), rows["weight"].to_numpy()
    few = promotion.coefficient(X, y, w, 1, inference="t", confidence=0.95, min_observations=len(rows) + 1)
    assert few["status"] == promotion.TOO_FEW and np.isnan(few["ci_low"]) and not np.isnan(few["estimate"])
    # June is one period: its leverage is one, its residual zero: HC3 is undefined, t is not
    hc3 = promotion.coefficient(X, y, w, 1, inference="hc3", confidence=0.95, min_observations=5)
    assert hc3["status"] == promotion.UNDEFINED and np.isnan(hc3["ci_low"])
    t = promotion.coefficient(X, y, w, 1, inference="t", confidence=0.95, min_observations=5)
    assert t["status"] == promotion.OK and t["ci_low"] < 3.0 < t["ci_high"]
    hac = promotion.coefficient(X, y, w, 1, inference="hac", confidence=0.95, min_observations=5, hac_min_obs=30)
    assert hac["status"] == promotion.TOO_SHORT_FOR_HAC
    with pytest.raises(ValueError, match="inference"):
        promotion.coefficient(X, y, w, 1, inference="ols", confidence=0.95, min_observations=5)


def test_rounding_widens_the_interval_by_the_estimates_range():
    rows = _rows({2019: 3.0})
    X, y, w = promotion.year_design(rows), rows["y"].to_numpy(), rows["weight"].to_numpy()
    half = np.linspace(0.01, 0.2, len(rows))
    fit = promotion.coefficient(X, y, w, 1, inference="t", confidence=0.95, min_observations=5,
                                y_low=y - half, y_high=y + half)
    assert fit["round_low"] < fit["estimate"] < fit["round_high"]
    assert fit["low"] == pytest.approx(fit["ci_low"] - (fit["estimate"] - fit["round_low"]))
    assert fit["high"] == pytest.approx(fit["ci_high"] + (fit["round_high"] - fit["estimate"]))
    rng = np.random.default_rng(2)
    for _ in range(100):  # any outcomes within their rounding give an estimate within the range
        yy = y + rng.uniform(-1, 1, len(y)) * half
        est = promotion.coefficient(X, yy, w, 1, inference="t", confidence=0.95, min_observations=5)["estimate"]
        assert fit["round_low"] - 1e-9 <= est <= fit["round_high"] + 1e-9


def test_lifts_and_their_change_recover_known_values():
    rows = _rows({2016: 6.0, 2017: 4.0, 2018: 2.0}, noise=0.05)
    comparison = promotion.Comparison(JUNE, "common", [2016, 2017, 2018], {})
    lifts = promotion.lifts_by_year(rows, JUNE, INFERENCE).set_index("year")
    assert lifts["estimate"].to_dict() == pytest.approx({2016: 6.0, 2017: 4.0, 2018: 2.0}, abs=0.3)
    assert (lifts["n"] == 10).all() and (lifts["df"] == 8).all()
    trend = promotion.lift_trend(rows, comparison, INFERENCE)
    assert trend["estimate"] == pytest.approx(-2.0, abs=0.2)
    assert trend["n"] == 30 and promotion.interval_verdict(trend) == promotion.WEAKENED
    rising = promotion.lift_trend(_rows({2016: 2.0, 2017: 4.0, 2018: 6.0}, noise=0.05), comparison, INFERENCE)
    assert promotion.interval_verdict(rising) == promotion.STRENGTHENED
    flat = promotion.lift_trend(_rows({2016: 3.0, 2017: 3.0, 2018: 3.0}, noise=2.0), comparison, INFERENCE)
    assert flat["low"] < 0 < flat["high"] and promotion.interval_verdict(flat) == promotion.UNDETERMINED
    one = promotion.lift_trend(_rows({2019: 3.0}), promotion.Comparison(JUNE, "common", [2019], {}), INFERENCE)
    assert one["status"] == promotion.TOO_FEW and promotion.interval_verdict(one) == promotion.TOO_FEW


def test_a_period_holding_only_the_other_promotion_is_neither_promotion_nor_baseline(official, defaults):
    analyses = {a.comparison.promotion.key: a for a in promotion.analyse(official, defaults)}
    june_rows = analyses["jun"].rows
    assert not any(a <= 11 <= b for a, b in zip(june_rows["start_month"], june_rows["month"]))
    assert (june_rows.loc[june_rows["s"] > 0, "start_month"] <= 6).all()
    pooled = analyses["pooled"].rows
    assert set(pooled.loc[pooled["s"] > 0, "period"]) >= {f"{a + 1}-{b}" for a, b in
                                                          analyses["pooled"].comparison.spans(
                                                              analyses["pooled"].comparison.years[0])}


def test_the_release_pattern_moves_the_estimate(official):
    """2019 alone: on its own releases, and cut at 2017's release months (a
    promotion diluted in longer periods): the pattern, not the promotion, moves the lift."""
    rows = {}
    for name, cuts in (("own", (2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12)), ("2017", (2, 3, 4, 6, 7, 9, 11, 12))):
        comparison = promotion.Comparison(POOLED, "common", [2019], {2019: cuts})
        data = promotion.comparison_rows(official, "online_retail_total", comparison, "share_of_year",
                                         [JUNE, NOVEMBER, POOLED])
        rows[name] = promotion.lifts_by_year(data, POOLED, INFERENCE).iloc[0]
    assert rows["own"]["estimate"] == pytest.approx(2.5, abs=0.1)
    assert rows["2017"]["estimate"] == pytest.approx(2.8, abs=0.1)
    assert rows["own"]["n"] == 11 and rows["2017"]["n"] == 8


# -- the intervals cover at the real sample sizes ---------------------------------

def test_default_intervals_cover_the_true_lift_at_the_real_sample_sizes(official, defaults):
    """Simulation at the data's designs and sample sizes (a dozen periods a year
    or fewer), the true lift known, noise resampled from the data's own
    residuals plus rounding error: the default 95% intervals cover ≥ 90% of the
    time; Newey–West's, at these sizes, do not (what makes it only an option)."""
    analyses = promotion.analyse(official, defaults)
    inference = promotion.Inference.from_params(defaults)
    assert inference.method == "t" and inference.confidence == 0.95
    coverage = promotion.coverage_checks(analyses, inference, draws=1000, methods=("t", "hac"))
    assert len(coverage) >= 6 and coverage["n"].max() <= 30  # the real sample sizes
    assert set(coverage["promotion"]) == {"jun", "nov", "pooled"} and "trend" in set(coverage["case"])
    assert coverage["t"].min() >= 0.90, coverage
    assert coverage["hac"].min() < 0.85, coverage  # the check can fail: too-narrow intervals are caught


def test_coverage_check_includes_drift_across_years_and_states_its_shortfalls(official, defaults):
    """The trend's intervals are also checked with every period drifting across years as the
    placebos did; the Monte Carlo standard error is printed and every interval more than two of
    them below nominal is named (June's per-year lifts at 1,000 draws: about 3 below 95%)."""
    analyses = promotion.analyse(official, defaults)
    inference = promotion.Inference.from_params(defaults)
    coverage = promotion.coverage_checks(analyses, inference, draws=1000)
    trend = coverage[coverage["case"] == "trend"]
    assert trend["drift"].notna().all() and coverage.loc[coverage["case"] != "trend", "drift"].isna().all()
    assert trend["drift"].min() >= 0.93, trend  # drift shows as period × year residuals, which t counts
    assert coverage["mcse"].iloc[0] == pytest.approx(np.sqrt(0.95 * 0.05 / 1000))
    short = promotion.coverage_shortfalls(coverage, "t")
    assert set(short["promotion"]) == {"jun"} and (short["case"] != "trend").all(), coverage
    names = {a.comparison.promotion.key: a.comparison.promotion.name("en") for a in analyses}
    text = promotion.coverage_sentence(coverage, names, "t", 0.95, "en")
    assert "Monte Carlo standard error is about 0.7 percentage points" in text
    for _, r in short.iterrows():
        assert f"the June promotion {r['case']} {r['t']:.1%} ({r['shortfall_se']:.1f} standard errors below)" in text
    assert f"cover {trend['drift'].min():.1%}–{trend['drift'].max():.1%}" in text
    # structured error changes what is drawn: without drift the trend's coverage differs
    assert not np.allclose(trend["drift"], trend["t"])


# -- like for like shares, the answer ---------------------------------------------

def test_period_shares_like_for_like(official):
    table, comparisons = promotion.period_shares(official, ["online_retail_total", "online_retail_physical"],
                                                 [6, 11], 1, range(2015, 2020), 2)
    assert set(table["promotion"]) == {"jun", "nov", "pooled"}
    assert set(table["series"]) == {"online_retail_total", "online_retail_physical"}
    assert ((table["low"] <= table["share_pct"]) & (table["share_pct"] <= table["high"])).all()
    for key in ("jun", "nov", "pooled"):  # one span per promotion, the same in every year
        assert table.loc[table["promotion"] == key, "spans"].nunique() == 1
        assert set(table.loc[table["promotion"] == key, "year"]) == set(comparisons[key].years)
    both = table.pivot_table(index=["series", "year"], columns="promotion", values="share_pct")
    assert np.allclose(both["pooled"], both["jun"] + both["nov"])
    assert (table["neutral_pct"] == table["months"] / 12 * 100).all()
    change = promotion.share_change(table, "nov", "online_retail_total")
    assert change["low"] <= change["change"] <= change["high"]
    assert len(promotion.share_changes(table)) == 6


def test_the_share_evidence_stands_beside_the_placebo_periods_movement(official, defaults):
    """Oct–Nov's share fell 1.56 points 2016→2019 (rounding interval only); the placebo periods moved
    over the same years, and the sentence says where the promotion's change lies among them, per month
    of the period (periods differ in length) -- not 'the most direct evidence' on a rounding interval alone."""
    series = ["online_retail_total", "online_retail_physical"]
    table, comparisons = promotion.period_shares(official, series, [6, 11], 1, range(2015, 2020), 2)
    proms = promotion.promotions([6, 11], 1)
    placebos = promotion.placebo_share_changes(official, series, comparisons, proms, "eligible", 2)
    changes = promotion.share_changes(table, placebos).set_index(["promotion", "series"])
    nov = changes.loc[("nov", "online_retail_total")]
    assert nov["change"] == pytest.approx(-1.56, abs=0.005) and nov["high"] - nov["low"] < 0.01
    mine = placebos[(placebos["promotion"] == "nov") & (placebos["series"] == "online_retail_total")]
    assert nov["n_placebo"] == len(mine) > 0
    assert (nov["placebo_low"], nov["placebo_high"]) == (mine["change"].min(), mine["change"].max())
    assert nov["per_month"] == pytest.approx(nov["change"] / 2)  # Oct–Nov
    assert nov["per_month"] < nov["placebo_low_per_month"]
    flat = changes.reset_index()
    row = flat[(flat["promotion"] == "nov") & (flat["series"] == "online_retail_total")].iloc[0]
    text = promotion.share_evidence_sentence(row, {"nov": "the November promotion"}, {"nov": "Oct–Nov"}, "en")
    assert "changed by −1.56 points from 2016 to 2019" in text and "is the printed rounding only" in text
    assert "lies beyond every placebo period's movement" in text
    jun = flat[(flat["promotion"] == "jun") & (flat["series"] == "online_retail_total")].iloc[0]
    assert "lies within the placebo periods' movement" in promotion.share_evidence_sentence(jun, {}, {}, "en")


def test_the_answer_is_generated_in_both_languages(official, defaults):
    analyses = promotion.analyse(official, defaults)
    for language, claim in (("en", "has weakened"), ("zh", "已经减弱")):
        text = promotion.answer(analyses, defaults.outcome, defaults.confidence, language)
        assert claim in text
        for a in analyses:  # each promotion's sentence begins with its name (capitalised in English)
            assert promotion.sentence_case(a.comparison.promotion.name(language), language) in text
    words = {promotion.WEAKENED: "support", promotion.STRENGTHENED: "refute", promotion.UNDETERMINED: "cannot decide",
             promotion.TOO_FEW: "cannot decide"}
    text = promotion.answer(analyses, defaults.outcome, defaults.confidence, "en")
    for a in analyses:
        assert words[a.verdict] in text
    assert promotion.overall_verdict(analyses) == analyses[-1].verdict  # the pooled one
    rows = promotion.trend_rows(analyses, {}, "zh")
    assert len(rows) == 3 and set(rows["verdict"]) <= {"支持“减弱”", "否定“减弱”（增强）", "无法判断", "观测太少，无法判断"}
    assert len(promotion.show_trends(analyses, {}, "en").rows) == 3


# -- the claims ----------------------------------------------------------------------

def test_count_listed_items():
    quote = "从优化完善准入条件、包容审慎监管、培育新增长点、优化发展环境和保护参与者合法权益五个方面指明了"
    assert promotion.count_listed_items(quote) == 5


def test_claims_on_real_data(official):
    book = ClaimBook("promotion_effects")
    promotion.check_claims(book, official)
    checks = {c.claim_id: c for c in book.all_checks()}
    assert checks["pe_online_cum_yoy_2019_jan_jun"].status == "reproduced"
    assert checks["pe_online_cum_yoy_2019_jan_aug"].reproduced_value == pytest.approx(16.8)
    change = checks["pe_online_cum_yoy_change_2019_jan_nov_pp"]
    assert change.status == "discrepant"
    assert change.reproduced_value == pytest.approx(0.2)
    assert (change.reproduced_low, change.reproduced_high) == pytest.approx((0.1, 0.3))  # judged on the interval
    assert not book.unchecked()


def test_the_state_council_opinions_five_aspects_are_checked_on_a_public_account_of_it(official):
    """The opinion is public: its aspects are counted on a stored source (document_checks.csv) that
    lists them, not only on the report's own quote; the source's strength is said."""
    from ecrights.data import load_document_checks

    book = ClaimBook("promotion_effects")
    promotion.check_claims(book, official)
    check = book.checks["pe_platform_economy_opinion_aspects"]
    doc = load_document_checks().loc["pe_platform_economy_opinion_aspects"]
    assert check.status == "reproduced" and check.reproduced_value == doc["value"] == 5
    assert promotion.count_listed_items(doc["quote"], separators="、") == 5
    assert "五个方面" in check.method("zh") and "source strength: reprint" in check.method("en")
    assert doc["source_url"] in check.method("en")
    # without the stored source it falls back to the report's own arithmetic: consistent
    fallback = ClaimBook("promotion_effects")
    promotion.check_claims(fallback, official, documents=load_document_checks().iloc[0:0])
    assert fallback.checks["pe_platform_economy_opinion_aspects"].status == "consistent"


# -- what the notebook records and shows: the edition's language -------------------

def test_result_descriptions_are_templates_in_both_languages(official, defaults, tmp_path):
    import re

    from ecrights import i18n
    from ecrights.results import SectionRecord

    analyses = promotion.analyse(official, defaults)
    shares, _ = promotion.period_shares(official, ["online_retail_total", "online_retail_physical"], [6, 11], 1,
                                        range(2015, 2020), 2)
    proms = {a.comparison.promotion.key: a.comparison.promotion for a in analyses}
    facts = [("years_compared", promotion.years_compared_facts(analyses[0].comparison)),
             ("simulated_coverage", promotion.inference_facts("hc3", 0.95)),
             ("promotion_answer", promotion.answer_facts(analyses, defaults.outcome, defaults.confidence))]
    facts += [("lift", promotion.lift_facts(proms[r["promotion"]], r)) for a in analyses for _, r in a.lifts.iterrows()]
    facts += [(t, promotion.trend_facts(a)) for a in analyses for t in ("lift_trend", "verdict")]
    facts += [("period_share_change", promotion.share_change_facts(c, proms[c["promotion"]]))
              for _, c in promotion.share_changes(shares).iterrows()]
    for template, f in facts:
        zh, en = (i18n.render(f"results.{template}", {"value": 1.0, **f}, lang, "promotion_effects")
                  for lang in ("zh", "en"))
        assert not re.search(r"[A-Za-z]{2,}", zh), (template, zh)
        assert not re.search(r"[\u4e00-\u9fff]", en), (template, en)
    # keys made from a declared pattern name their template; without it there is none to find
    record = SectionRecord.open("promotion_effects", defaults, str(tmp_path), language="en")
    record.result("lift_jun_2019", 1.5, template="lift", facts=facts[3][1], unit="pp")
    entry = record.results["lift_jun_2019"]
    assert entry["description"] == entry["descriptions"]["en"] and "6月" in entry["descriptions"]["zh"]
    with pytest.raises(KeyError, match="results.lift_jun_2019"):
        record.result("lift_jun_2019", 1.5, facts=facts[3][1])


def test_tables_and_sentences_in_the_editions_language(official, defaults, tmp_path):
    import re

    from ecrights.data import coverage
    from ecrights.notebook import show_statements
    from ecrights.report import language as counting
    from ecrights.results import SectionRecord

    analyses = promotion.analyse(official, defaults)
    lifts = pd.concat([a.lifts for a in analyses], ignore_index=True)
    for lang, foreign in (("zh", r"[A-Za-z]{2,}"), ("en", r"[\u4e00-\u9fff]")):
        names = {a.comparison.promotion.key: a.comparison.promotion.name(lang) for a in analyses}
        cov = coverage(official, ["online_retail_total"], "level", "cumulative").loc["2015-01":"2019-12"]
        checks = promotion.coverage_checks(analyses, promotion.Inference.from_params(defaults), 50,
                                           methods=("t", "hc3", "hac"))
        shown = [promotion.show_lifts(lifts, names, lang), promotion.show_trends(analyses, names, lang),
                 promotion.show_coverage(checks, names, lang), promotion.show_coverage_by_year(cov, lang),
                 promotion.show_release_patterns(
                     promotion.release_pattern_table(official, "online_retail_total", range(2015, 2020), lang), lang)]
        for table in shown:
            text = repr(table)
            assert not re.search(foreign, text), text[:300]
        assert (promotion.show_coverage_by_year(cov, lang).rows[0][2].text
                == ("缺口" if lang == "zh" else "gap"))  # 2015-02: a recorded gap, in the edition's words
        # the section's one assumption (the placebo periods), justified in the edition's language
        record = SectionRecord.open("promotion_effects", defaults, str(tmp_path), language=lang)
        assert [a.name for a in record.assumptions] == ["placebo_months"]
        assert not re.search(foreign, record.assumptions[0].justification), record.assumptions[0].justification
        left = counting.count(f'<html lang="{lang}">{show_statements(record).to_html()}</html>', lang)
        untranslated_units = {"万人", "万笔", "万枚", "吨", "个"}  # not in ecrights.tables.UNITS yet
        assert {p.split()[-1] for p in left.passages} <= (set() if lang == "zh" else untranslated_units)


def test_novembers_verdict_says_where_the_single_month_evidence_points(official, defaults):
    """Oct–Nov fell beyond its placebos, November alone cannot decide; compared alone, October
    (the period's other month) fell more than November: the sentence says the single-month evidence
    points away from a decline specific to Double 11 -- from the numbers, not typed."""
    nov = next(a for a in promotion.analyse(official, defaults) if a.comparison.promotion.key == "nov")
    assert nov.judgement.reason == "single_disagrees"
    neighbours = nov.neighbour_changes()
    assert list(neighbours["month"]) == [10]
    october, november = float(neighbours["estimate"].iloc[0]), nov.single.trend["estimate"]
    assert october < november < 0
    en = promotion.answer_part(nov, defaults.outcome, defaults.confidence, "en")
    assert (f"the period's other months (Oct) changed by {october:+.2f} per year, falling more than the "
            f"promotion's months ({november:+.2f}): the single-month evidence points away from a decline "
            "specific to the promotion") in en
    zh = promotion.answer_part(nov, defaults.outcome, defaults.confidence, "zh")
    assert "比大促月份" in zh and "并非大促所特有的下降" in zh
    # had October fallen less, the sentence would point the other way
    nov.single.placebos.loc[nov.single.placebos["placebo"] == "10-10", "estimate"] = november / 2
    assert "concentrated in the promotion's months" in promotion.answer_part(nov, defaults.outcome,
                                                                             defaults.confidence, "en")
