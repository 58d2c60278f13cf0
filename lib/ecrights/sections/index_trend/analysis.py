"""二(一)(二): the index — what its published statistics imply for Figure 5,
seasonality on the admissible set, the proactive-intervention adjustment, and
the section's claim checks.

The platform publishes neither the monthly index nor its weights. What is
public are statements: means over periods and changes between them, printed
to a finite precision. constraints.py reads each stored statistic either as a
linear constraint on the monthly total index or says why it is not one; the
set of paths meeting them all (admissible.py) is the primary product: period
means with their intervals and per-month ranges. A single path is drawn only
as an illustration. The composition of the total change lives in
ecrights.index_composition (shared with ai_anticounterfeit). Every number of
the report enters as an argument, read from data/.

One concern per module: constraints.py (statistics as constraints, the
admissible set's products), admissible.py (the linear programs), proactive.py
(the 基本持平 question), presentation.py (tables and explanation facts). This
module holds the section's claim checks and re-exports the names the notebook calls.
"""

from __future__ import annotations

import pandas as pd

from ...claims import ClaimBook
from ...index_composition import IndexStatements
from .constraints import (BASE_PERIOD, FIGURE5_PERIOD, MODEL_REVISION, PEAK_STATEMENTS, PREV_PERIOD_READINGS,
                          Reconstruction, admissible_set, ambiguous_base, base_constraint_name, base_month,
                          dated_period, figure5_frame, figure5_period, fragile_sensitivity, full_years,
                          model_revision_month, months_between, months_on_one_fragile_statistic, peak_months,
                          peak_pairs, period_means, read_statistics, reading_summary, reconstruct,
                          reconstruction_window, seasonality, statistic_labels)
from .presentation import (BASE_NAME, BOUND_NAME, constraint_label, constraint_labels, flat_facts,
                           flat_verdict_shown, fragile_sentence, fragile_table, reading_table, residuals_table,
                           scenarios_table, seasonality_table, statistics_table, verdict_label)
from .proactive import (CONSISTENT, FLAT_VERDICTS, NOT_FLAT, PROACTIVE_PROFILES, PROACTIVE_SHARE, PROACTIVE_START,
                        UNDECIDED, FlatQuestion, adjusted_change_range, combined_verdict, flat_condition,
                        flat_question, flat_verdict, level_sweep, printed_range, proactive_adjustment,
                        proactive_curves, proactive_reference_month, proactive_scenarios, proactive_share_stated,
                        proactive_shares, proactive_start, scenario_labels, scenario_name, sweep_grids,
                        tolerance_thresholds, verdict_map)

SECTION = "index_trend"

# the names the notebook and tests call, wherever they live
__all__ = [
    "BASE_PERIOD", "FIGURE5_PERIOD", "MODEL_REVISION", "PEAK_STATEMENTS", "PREV_PERIOD_READINGS", "Reconstruction",
    "admissible_set", "ambiguous_base", "base_constraint_name", "base_month", "dated_period", "figure5_frame",
    "figure5_period", "fragile_sensitivity", "full_years", "model_revision_month", "months_between",
    "months_on_one_fragile_statistic", "peak_months", "peak_pairs",
    "period_means", "read_statistics", "reading_summary", "reconstruct", "reconstruction_window", "seasonality",
    "statistic_labels", "BASE_NAME", "BOUND_NAME", "fragile_sentence", "fragile_table", "constraint_label",
    "constraint_labels", "flat_facts",
    "flat_verdict_shown", "reading_table", "residuals_table", "scenario_labels", "scenarios_table",
    "seasonality_table", "statistics_table", "verdict_label", "CONSISTENT", "FLAT_VERDICTS", "NOT_FLAT",
    "PROACTIVE_PROFILES", "PROACTIVE_SHARE", "PROACTIVE_START", "UNDECIDED", "FlatQuestion", "adjusted_change_range",
    "combined_verdict", "flat_condition", "flat_question", "flat_verdict", "level_sweep", "printed_range",
    "proactive_adjustment", "proactive_curves", "proactive_reference_month", "proactive_scenarios",
    "proactive_share_stated", "proactive_shares", "proactive_start", "scenario_labels", "scenario_name", "sweep_grids",
    "tolerance_thresholds", "verdict_map", "SECTION", "check_claims",
]


def check_claims(book: ClaimBook, stats: pd.DataFrame, statements: IndexStatements, question: FlatQuestion,
                 scenarios: pd.DataFrame, chosen: str) -> None:
    """Claims of 二(一)(二): index level and changes, proactive intervention.
    `chosen`: the scenario the parameters assume (scenario_name)."""
    others = stats[~stats["publication"].str.contains("2019年度")]
    spans = others.groupby("publication").agg(start=("period_start", "min"), end=("period_end", "max"))
    facts = {"n_other_statistics": len(others), "n_other_publications": len(spans),
             "other_publications_zh": "、".join(spans.index),  # the titles are Chinese: the English names their months
             "other_publications_en": " and ".join(f"{r.start}..{r.end}" for r in spans.itertuples()),
             **statements.facts()}
    book.not_reproducible("it_index_mean_2019", "index_mean", facts)
    book.not_reproducible("it_index_change_2019_vs_2018", "index_change", facts)
    book.not_reproducible("it_total_dispute_rate_subindex_change_2019", "index_not_public", facts)
    book.not_reproducible("it_fake_perception_change_2019", "index_not_public", facts)
    book.not_reproducible(PROACTIVE_SHARE, "proactive_share", facts)
    # not_reproducible whatever the verdict (the dispute rate is not public); the note says which and why
    book.not_reproducible("it_dispute_share_ex_proactive_flat_2019", "flat_without_proactive",
                          {**facts, **flat_facts(question, scenarios, chosen)})
