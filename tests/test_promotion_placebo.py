"""Promotion effects: placebo periods and the verdict that needs them.

A decline of the promotion period against the other periods is the promotion's
only if the periods without a promotion, put in its place, do not decline as
much. Synthetic years where the answer is known: a decline common to all months
(the year's sales moving to December) must not read as "weakened"; a decline of
November alone must."""

import numpy as np
import pandas as pd
import pytest

from ecrights.params import ParameterError, resolve
from ecrights.sections.promotion_effects import analysis as promotion

JUNE, NOVEMBER, POOLED = promotion.promotions([6, 11], 1)
ONLY_NOVEMBER = promotion.promotions([11], 1)
INFERENCE = promotion.Inference("t", 0.95, 5, 2, 30)
YEARS = list(range(2012, 2020))  # eight years: a shift of the season gives an interval below zero
MONTHLY = (2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12)  # every month released (1–2月 one period)


def _years(change, seed=0, noise=0.02, cuts=MONTHLY, per_month=True) -> pd.DataFrame:
    """Comparison rows of YEARS cut at `cuts` (default MONTHLY): y = a period's share of the year,
    per month (per_month) or in all, 8 a month + 3 in November + change(period_end) × (year − 2016)
    + noise; s = November's share of the period. A change not common to every period is not in
    the model (only November's is): it widens the interval."""
    rng = np.random.default_rng(seed)
    rows = []
    for year in YEARS:
        previous = 0
        for end in cuts:
            months = end - previous
            base = 8 if per_month else 8 * months
            y = base + 3 * (end == 11) + change(end) * (year - 2016) + rng.normal(0, noise)
            rows.append({"year": year, "start_month": previous + 1, "month": end, "months": months,
                         "period": f"{previous + 1}-{end}", "y": y, "y_low": y - 0.005, "y_high": y + 0.005,
                         "weight": float(months), "s": (1 / months) * (end == 11)})
            previous = end
    return pd.DataFrame(rows)


def _analysis(rows: pd.DataFrame, placebo_months="eligible", quantile=0.0) -> promotion.PromotionAnalysis:
    comparison = promotion.Comparison(NOVEMBER, "common", YEARS, {y: MONTHLY for y in YEARS})
    placebos = promotion.placebo_trends(rows, comparison, ONLY_NOVEMBER, placebo_months, 2, INFERENCE)
    return promotion.PromotionAnalysis(comparison, rows, promotion.lifts_by_year(rows, NOVEMBER, INFERENCE),
                                       promotion.lift_trend(rows, comparison, INFERENCE), placebos, quantile)


# the year's sales move away from July–November (each loses 0.3 points a year, November no more than
# the others) to January–June and December: a decline common to all of November's neighbours
COMMON = _years(lambda end: -0.3 if 7 <= end <= 11 else 0.3)
# November alone loses 0.3 points a year, the others gain it back evenly
SPECIFIC = _years(lambda end: -0.3 if end == 11 else 0.3 / 11)


def test_a_decline_common_to_all_months_cannot_decide():
    a = _analysis(COMMON)
    assert a.trend["high"] < 0  # the interval alone would have said "weakened" ...
    assert promotion.interval_verdict(a.trend) == promotion.WEAKENED
    assert a.judgement == promotion.Judgement(promotion.UNDETERMINED, "not_specific", a.judgement.threshold)
    assert a.verdict == promotion.UNDETERMINED  # ... the placebos decline as much: not the promotion's
    est = a.placebos.set_index("placebo")["estimate"]
    assert len(est) == 10 and "11-11" not in est.index  # every other period, never November itself
    assert (est[["7-7", "8-8", "9-9", "10-10"]] <= a.trend["estimate"]).all()  # as far or further
    assert (est.drop(["7-7", "8-8", "9-9", "10-10"]) > 0).all()
    assert a.placebo_facts()["as_far"] >= 1


def test_a_decline_of_the_promotion_month_alone_supports_weakened():
    a = _analysis(SPECIFIC)
    assert a.verdict == promotion.WEAKENED and a.judgement.reason == "specific"
    est = a.placebos["estimate"]
    assert len(est) == 10 and a.trend["estimate"] == pytest.approx(-0.33, abs=0.03)
    assert est.abs().max() < 0.1  # the other periods hardly move against each other
    assert a.trend["round_high"] < est.min() and a.placebo_facts()["as_far"] == 0


def test_a_rise_is_judged_the_same_way():
    rise = _analysis(_years(lambda end: 0.3 if end == 11 else -0.3 / 11))
    assert rise.verdict == promotion.STRENGTHENED and rise.judgement.reason == "specific"
    common_rise = _analysis(_years(lambda end: 0.3 if 7 <= end <= 11 else -0.3))
    assert promotion.interval_verdict(common_rise.trend) == promotion.STRENGTHENED
    assert common_rise.verdict == promotion.UNDETERMINED and common_rise.judgement.reason == "not_specific"


def test_placebo_months_and_quantile_parameters():
    only_december = _analysis(COMMON, placebo_months=[12])
    assert list(only_december.placebos["placebo"]) == ["12-12"]
    # December rises: with it alone as placebo, the common decline would pass as November's own
    assert only_december.verdict == promotion.WEAKENED
    none = _analysis(SPECIFIC, placebo_months=[11])  # November cannot be its own placebo: none left
    assert none.placebos.empty
    assert none.judgement == promotion.Judgement(promotion.UNDETERMINED, "no_placebo")
    # a quantile above the lowest placebo lets the promotion pass below most, not all
    a = _analysis(COMMON)
    lows = np.sort(a.placebos["round_low"].to_numpy())
    assert a.trend["round_high"] >= lows[0]
    between = (np.searchsorted(lows, a.trend["round_high"]) + 1) / len(lows)
    assert promotion.verdict(a.trend, a.placebos, min(between, 0.49)).verdict in (promotion.WEAKENED,
                                                                                   promotion.UNDETERMINED)
    assert promotion.verdict(a.trend, a.placebos, 0.0).verdict == promotion.UNDETERMINED


def test_no_interval_or_one_across_zero_stay_as_they_were():
    flat = _analysis(_years(lambda end: 0.0, noise=0.5))
    assert flat.trend["low"] < 0 < flat.trend["high"]
    assert flat.judgement == promotion.Judgement(promotion.UNDETERMINED, "interval")
    trend = {**flat.trend, "status": promotion.TOO_FEW}
    assert promotion.verdict(trend, flat.placebos, 0.0).verdict == promotion.TOO_FEW


def test_placebo_periods_follow_the_comparisons_pattern():
    # the comparison's common pattern on the real data: 1–2, 3, 4–6, 7, 8, 9, 10–11, 12
    cuts = (2, 3, 6, 7, 8, 9, 11, 12)
    nov = promotion.Comparison(NOVEMBER, "common", [2016, 2019], {2016: cuts, 2019: cuts})
    three = [JUNE, NOVEMBER, POOLED]
    spans = promotion.placebo_spans(nov, three, "eligible", 2)
    assert spans == [((0, 2),), ((2, 3),), ((6, 7),), ((7, 8),), ((8, 9),), ((11, 12),)]  # never June's 4–6
    assert promotion.placebo_spans(nov, three, [1, 12], 2) == [((0, 2),), ((11, 12),)]
    assert ((0, 2),) not in promotion.placebo_spans(nov, three, "eligible", 0)  # longer than November's own rule
    pooled = promotion.Comparison(POOLED, "common", [2016, 2019], {2016: cuts, 2019: cuts})
    pairs = promotion.placebo_spans(pooled, three, "eligible", 2)
    assert len(pairs) == 6 * 5 and all(a != b for a, b in pairs)
    # a placebo period carries the promotion's share of its own period (November in 10–11: one half)
    rows = pd.DataFrame([{"year": y, "start_month": a + 1, "month": b, "months": b - a, "period": f"{a + 1}-{b}",
                          "y": 8.0, "y_low": 8.0, "y_high": 8.0, "weight": float(b - a),
                          "s": 0.5 if b == 11 else 0.0}
                         for y in (2016, 2019) for a, b in zip((0,) + cuts[:-1], cuts) if b != 6])
    placed = promotion.placebo_rows(rows, nov, ((11, 12),))
    assert "10-11" not in set(placed["period"])  # the promotion's own period is neither placebo nor baseline
    assert placed.loc[placed["period"] == "12-12", "s"].tolist() == [0.5, 0.5]
    assert placed.loc[placed["period"] != "12-12", "s"].eq(0).all()


def test_the_answer_says_why_in_both_languages():
    common, specific = _analysis(COMMON), _analysis(SPECIFIC)
    en = promotion.answer_part(common, "share_of_year", 0.95, "en")
    assert en[0].isupper() and en.startswith("The November promotion")
    assert "not specific to the promotion month" in en and "cannot decide" in en
    f = common.placebo_facts()
    assert f"{f['placebo_low']:+.2f} to {f['placebo_high']:+.2f}" in en  # numbers, not words typed
    zh = promotion.answer_part(common, "share_of_year", 0.95, "zh")
    assert "并非大促月份所特有" in zh and "数据无法判断" in zh
    en = promotion.answer_part(specific, "share_of_year", 0.95, "en")
    assert "below the change of every one of the 10 periods" in en and "support the claim" in en
    assert "低于按同样方式处理的全部 10 个" in promotion.answer_part(specific, "share_of_year", 0.95, "zh")
    text = promotion.answer([common, specific], "share_of_year", 0.95, "en")
    assert all(s[0].isupper() for s in text.split(". ") if s)


def test_placebo_parameters_are_validated():
    good = resolve(["promotion_effects"], overrides=["promotion_effects.placebo_months=[1, 12]"])
    assert good["promotion_effects"].placebo_months == [1, 12]
    assert resolve(["promotion_effects"])["promotion_effects"].placebo_months == "eligible"
    for bad in ("promotion_effects.placebo_months=all", "promotion_effects.placebo_months=[13]",
                "promotion_effects.placebo_quantile=0.5"):
        with pytest.raises(ParameterError):
            resolve(["promotion_effects"], overrides=[bad])
    # a promotion month cannot stand in for a promotion (with window 2, July is June's promotion too)
    with pytest.raises(ParameterError, match=r"placebo_months \[6\] include promotion months \[6\]"):
        resolve(["promotion_effects"], overrides=["promotion_effects.placebo_months=[6]"])
    with pytest.raises(ParameterError, match=r"include promotion months \[7\]"):
        resolve(["promotion_effects"], overrides=["promotion_effects.placebo_months=[7, 9]", "promotion_effects.window=2"])


# -- the real data ---------------------------------------------------------------

def test_real_data_placebos_and_single_months(official):
    defaults = resolve(["promotion_effects"])["promotion_effects"]
    for a in promotion.analyse(official, defaults):
        assert len(a.placebos) >= 1
        months = {m for p in a.placebos["placebo"] for span in p.split(",") for m in
                  range(int(span.split("-")[0]), int(span.split("-")[1]) + 1)}
        assert not months & {6, 11}  # a placebo never holds a promotion month
    singles, patterns = promotion.analyse_single_months(official, defaults)
    assert [a.comparison.promotion.key for a in singles] == ["jun", "nov"]
    for a in singles:  # a single month is its own period in every compared year
        assert all(b - s == 1 for y in a.comparison.years for s, b in a.comparison.spans(y))
        sentence = promotion.single_month_sentence(a.comparison, patterns, range(2015, 2020), "en")
        assert sentence[0].isupper()
        for year in range(2015, 2020):  # every year is either compared or said what it lacks
            assert str(year) in sentence


def test_verdicts_are_shown_in_the_editions_words(tmp_path):
    from ecrights.report.report_tables import results_table
    from ecrights.results import SectionRecord

    defaults = resolve(["promotion_effects"])["promotion_effects"]
    record = SectionRecord.open("promotion_effects", defaults, str(tmp_path), language="zh")
    a = _analysis(COMMON)
    record.result("verdict_nov", a.verdict, template="verdict", facts=promotion.trend_facts(a),
                  shown=promotion.verdict_shown(a.verdict))
    entry = record.results["verdict_nov"]
    assert entry["value"] == "undetermined"  # the token stays in JSON/CSV
    for language, word in (("zh", "无法判断"), ("en", "cannot decide")):
        table = results_table([{"key": "verdict_nov", **entry}], language)
        cells = [c.text for c in table.rows[0]]
        assert word in cells and "undetermined" not in cells
    with pytest.raises(ValueError, match="shown"):
        record.result("verdict_nov", "weakened", template="verdict", facts=promotion.trend_facts(a),
                      shown={"zh": "支持“减弱”"})


DILUTED = (2, 3, 4, 5, 6, 7, 8, 9, 11, 12)  # no release after October: November only inside Oct–Nov


def _diluted(change, seed=1, noise=0.02) -> promotion.PromotionAnalysis:
    """As _years, cut at DILUTED: the promotion period is Oct–Nov (November's share of it ½)."""
    rows = _years(change, seed, noise, cuts=DILUTED, per_month=False)
    comparison = promotion.Comparison(NOVEMBER, "common", YEARS, {y: DILUTED for y in YEARS})
    placebos = promotion.placebo_trends(rows, comparison, ONLY_NOVEMBER, "eligible", 2, INFERENCE)
    return promotion.PromotionAnalysis(comparison, rows, promotion.lifts_by_year(rows, NOVEMBER, INFERENCE),
                                       promotion.lift_trend(rows, comparison, INFERENCE), placebos, 0.0)


def test_a_decline_of_a_longer_period_is_the_promotions_only_if_its_months_alone_agree():
    """Oct–Nov falls beyond every placebo; whether November is the cause, only November compared on
    its own can say: agreeing → weakened; not → cannot decide (the period's other months may carry
    the fall); no single-month comparison → cannot decide."""
    a = _diluted(lambda end: -0.6 if end == 11 else 0.6 / 9)
    assert a.diluted and a.period_text("zh") == "10–11月" and a.period_text("en") == "Oct–Nov"
    alone = promotion.verdict(a.trend, a.placebos, 0.0)
    assert alone == promotion.Judgement(promotion.WEAKENED, "specific", alone.threshold)
    a.single = _analysis(SPECIFIC)  # November alone falls too
    assert a.verdict == promotion.WEAKENED
    a.single = _analysis(COMMON)  # November alone: not beyond its neighbours
    assert a.judgement.verdict == promotion.UNDETERMINED and a.judgement.reason == "single_disagrees"
    text = promotion.answer_part(a, "share_of_year", 0.95, "en")
    assert "Oct–Nov" in text and "cannot decide" in text
    a.single = None
    assert a.judgement.reason == "single_missing" and a.verdict == promotion.UNDETERMINED
    # a period that is the promotion's month alone needs no such check
    b = _analysis(SPECIFIC)
    assert not b.diluted and b.verdict == promotion.WEAKENED
