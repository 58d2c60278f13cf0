"""Section 一(三): do the big promotions (6·18, 双11) still lift online sales?

Single periods are derived from NBS's cumulative releases on comparable bases
(derive.single_month_panel); a missing release leaves a longer period, never
split. Years differ in which releases were found, and a promotion month inside
a longer period is diluted: comparing a year of single months with a year of
two- and three-month periods compares the release pattern, not the promotion.
So years are compared like for like:

- a *comparison* (one per promotion: June, November, and both pooled) takes
  the years whose releases bracket the promotion closely enough
  (`max_extra_months`), and coarsens every year to the release months they all
  share (pattern "common"; "own" keeps each year's own releases, for contrast);
- the lift of a year: WLS of the monthly mean outcome of each period on the
  promotion share of its months (weights = months), per year;
- the change of the lift: the same periods across years, with period and year
  effects (a difference in differences: a promotion period against the same
  period of other years, relative to the other periods) and the promotion share
  times (year − mean year): the change per year.

Inference (see the notebook for why): by default the classical WLS variance
with a Student-t reference (exact under normal errors at any n); HC3 (with t)
and Newey–West (HAC, only from `hac_min_obs` observations) as options. Below
`min_observations` an estimate gets no interval ("too few observations").
Rounding is carried through: each outcome has its range under the printed
rounding of the releases; an estimate (linear in the outcomes) gets its range,
and the reported interval is the statistical one widened by it.

Two outcomes:
- share_of_year: a period's share of the year's online sales per month (%):
  the lift is the promotion month's excess share, its size;
- single_month_yoy: a period's growth on the same months a year earlier (%):
  the lift is the promotion months' excess growth, the change of the lift.

The section's code, one concern per module: periods.py (period algebra),
ecrights.stats (the WLS and its intervals, the coverage simulation),
verdicts.py (designs, placebo and single-month rules, coverage checks),
presentation.py (sentences, tables, facts). This module holds the section's
claim checks and re-exports the names the notebook calls.
"""

from __future__ import annotations

import re

import pandas as pd

from ... import derive
from ...claims import ClaimBook, check_against_official
from ...data import load_document_checks, series
from ...data.vocabulary import source_strength_label
from ...i18n import LANGUAGES
from ...stats import (INFERENCES, LEVERAGE_ONE, NOT_IDENTIFIED, OK, TOO_FEW, TOO_SHORT_FOR_HAC, UNDEFINED, Inference,
                      coefficient, hac_variance, simulate_coverage, t_quantile)
from .periods import (OUTCOME_BOUNDS, OUTCOME_COLUMN, SECTION, Comparison, Promotion, common_spans, compare_years,
                      comparison_rows, extra_months, period_label, period_shares, periods_text, placebo_label,
                      placebo_rows, placebo_share_changes, placebo_spans, promotions, release_pattern_table,
                      share_change, share_changes, span, usable_patterns)
from .presentation import (_years_text, answer, answer_facts, answer_part, comparison_sentence, coverage_sentence,
                           inference_facts, lift_facts, placebo_table, reason_text, sentence_case, series_name,
                           share_change_facts, share_evidence_sentence, show_coverage, show_coverage_by_year,
                           show_cumulative, show_lifts, show_period_shares, show_placebos, show_release_patterns,
                           show_share_changes, show_trends, single_month_sentence, trend_facts, trend_rows,
                           verdict_shown, verdict_text, years_compared_facts)
from .verdicts import (STRENGTHENED, UNDETERMINED, WEAKENED, Judgement, PromotionAnalysis, analyse,
                       analyse_comparison, analyse_single_months, coverage_checks, coverage_shortfalls,
                       interval_verdict, period_drift, lift_trend, lifts_by_year, overall_verdict, placebo_trends,
                       single_month_analyses, standardized_residuals, trend_design, verdict, year_design)

# the names the notebook and tests call, wherever they live
__all__ = [
    "INFERENCES", "LEVERAGE_ONE", "NOT_IDENTIFIED", "OK", "TOO_FEW", "TOO_SHORT_FOR_HAC", "UNDEFINED", "Inference",
    "coefficient", "hac_variance", "simulate_coverage", "t_quantile", "OUTCOME_BOUNDS", "OUTCOME_COLUMN", "SECTION",
    "Comparison", "Promotion", "common_spans", "compare_years", "comparison_rows", "extra_months", "period_label",
    "period_shares", "periods_text", "placebo_label", "placebo_rows", "placebo_share_changes", "placebo_spans",
    "promotions", "release_pattern_table", "share_change", "share_changes", "span", "usable_patterns", "_years_text",
    "answer", "answer_facts", "answer_part", "comparison_sentence", "coverage_sentence", "coverage_shortfalls",
    "period_drift", "inference_facts", "lift_facts", "placebo_table", "reason_text", "sentence_case", "series_name",
    "share_change_facts", "share_evidence_sentence", "show_coverage", "show_coverage_by_year", "show_cumulative",
    "show_lifts", "show_period_shares", "show_placebos", "show_release_patterns", "show_share_changes", "show_trends",
    "single_month_sentence", "trend_facts", "trend_rows", "verdict_shown", "verdict_text", "years_compared_facts",
    "STRENGTHENED", "UNDETERMINED", "WEAKENED", "Judgement", "PromotionAnalysis", "analyse", "analyse_comparison",
    "analyse_single_months", "single_month_analyses", "coverage_checks", "interval_verdict", "lift_trend", "lifts_by_year", "overall_verdict",
    "placebo_trends", "standardized_residuals", "trend_design", "verdict", "year_design", "check_claims",
    "count_listed_items", "cumulative_growth", "CUMULATIVE_CLAIMS",
]


# --------------------------------------------------------------------------
# The report's own numbers
# --------------------------------------------------------------------------

def count_listed_items(quote: str, marker: str = "方面", separators: str = "、|和") -> int:
    """Items listed before '<N>个方面' in a quote: separated by 、 and a final 和 (the report's
    wording; a source whose items themselves hold 和 is counted on 、 alone)."""
    head = quote.split("从", 1)[-1]
    head = re.split(r"[一二三四五六七八九十\d]+个" + marker, head)[0]
    return len([p for p in re.split(separators, head) if p.strip()])


# claims on 2019's cumulative online growth: stated levels and the upper bounds
# "never back above …%" (kind bound_upper); values and periods from the ledger
CUMULATIVE_CLAIMS = (
    "pe_online_cum_yoy_2019_jan_apr", "pe_online_cum_yoy_2019_jan_may", "pe_online_cum_yoy_2019_jan_jun",
    "pe_online_cum_yoy_2019_jan_jul", "pe_online_cum_yoy_2019_jan_aug", "pe_online_cum_yoy_2019_jan_nov",
    "pe_online_cum_yoy_2019_jan_sep_below17", "pe_online_cum_yoy_2019_jan_oct_below17",
    "pe_online_cum_yoy_2019_jan_nov_below17", "pe_online_cum_yoy_2019_jan_dec_below17",
)


def cumulative_growth(official: pd.DataFrame, year: int) -> pd.DataFrame:
    """The year's cumulative (1–N月) online growth as printed (Figure 2's line)."""
    cum = series(official, "online_retail_total", "yoy_pct", "cumulative")
    cum = cum[cum.index.year == year]
    return pd.DataFrame({"period_end": [str(p) for p in cum.index], "months": [p.month for p in cum.index],
                         "cum_yoy_pct": cum.to_numpy()})


def check_claims(book: ClaimBook, official: pd.DataFrame, documents: pd.DataFrame | None = None) -> None:
    """Every claim of section 一(三)."""
    for claim_id in CUMULATIVE_CLAIMS:
        check_against_official(book, claim_id, official, "online_retail_total", "yoy_pct")
    claim_id = "pe_online_cum_yoy_change_2019_jan_nov_pp"
    start, end = book.period(claim_id)
    previous = f"{end[:5]}{int(end[5:]) - 1:02d}"
    now = derive.printed_interval(official, "online_retail_total", "yoy_pct", start, end)
    before = derive.printed_interval(official, "online_retail_total", "yoy_pct", start, previous)
    facts = {"end": end, "previous": previous}
    if now is None or before is None:
        book.not_sourced(claim_id, "cumulative_change_not_sourced", facts)
    else:
        change = derive.percentage_point_difference(now[0], before[0])
        book.check(claim_id, change, explain="cumulative_change", interval=derive.interval_sub(now[1:], before[1:]),
                   facts={**facts, "now": now[0], "before": before[0]})
    opinion = "pe_platform_economy_opinion_aspects"
    own = count_listed_items(book.claim(opinion)["quote"])
    documents = load_document_checks() if documents is None else documents
    if opinion in documents.index:  # the State Council opinion is public: checked on a source that describes it
        doc = documents.loc[opinion]
        printed = re.search(r"[一二三四五六七八九十\d]+个方面", doc["quote"])
        facts = {"source_title": doc["source_title"], "source_date": doc["source_date"],
                 "source_url": doc["source_url"], "printed": printed.group(0) if printed else "",
                 "listed": count_listed_items(doc["quote"], separators="、"), "own": own,
                 **{f"strength_{lang}": source_strength_label(doc["source_strength"], lang) for lang in LANGUAGES}}
        book.check(opinion, doc["value"], explain="document", facts=facts)
    else:
        book.check(opinion, own, basis="report", explain="listed_items")
    book.not_reproducible_rest({"not_public": "platform_internal"})
