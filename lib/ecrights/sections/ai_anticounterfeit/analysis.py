"""二(二)4 · 二(四): "the main reason" and Alibaba's public IP-protection figures.

The composition arithmetic is shared with index_trend (ecrights.index_composition);
this module checks the section's claims. Alibaba's own publications are the
platform confirming itself: a match with them is *consistent* (same source),
never *reproduced*.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from ...claims import ClaimBook
from ...i18n import label
from ...index_composition import (IndexStatements, counterfactual_without_counterfeit_fall, counterfeit_is_largest,
                                  counterfeit_largest_min_weight, counterfeit_largest_threshold, decomposition,
                                  rounding_corners, two_component_weight_interval)
from ...quotes import source_words
from ...tables import Column, table


RATE_METRIC = re.compile(r"^suspected_(infringement|counterfeit)(_refunds)?_per_10000_(?P<denominator>[a-z_]+)$")


RATE_PCT_METRIC = "suspected_(infringement|counterfeit)_refund_rate_pct"

# How each publication words the denominator of its per-10,000 figure (zh, en)
DENOMINATORS = {"orders": ("订单", "orders"), "transactions": ("交易", "transactions"),
                "trades": ("交易（另一英文稿的措辞）", "trades"), "return_requests": ("退货请求", "return requests"),
                "orders_as_pct": ("订单（以%印出）", "orders (printed as a %)")}
CJK = re.compile(r"[\u3400-\u9fff]")


def infringement_series(alibaba: pd.DataFrame) -> pd.DataFrame:
    """Every stored yearly figure of suspected infringement/counterfeit per
    10,000 (orders, transactions, trades or return requests: the publications
    word the denominator differently), sorted by year, with the denominator."""
    match = alibaba["metric"].str.extract(RATE_METRIC)
    keep = (match["denominator"].notna() & ~alibaba["metric"].str.contains("change")  # levels, not changes
            & alibaba["period"].str.fullmatch(r"\d{4}"))
    rows = alibaba[keep].assign(denominator=match.loc[keep, "denominator"], printed=alibaba.loc[keep, "value"])
    # the same figure printed as a percentage of orders (the report's own form): 1% = 100 per 10,000
    pct = alibaba[alibaba["metric"].str.fullmatch(RATE_PCT_METRIC) & alibaba["period"].str.fullmatch(r"\d{4}")]
    pct = pct.assign(value=pct["value"] * 100, denominator="orders_as_pct", printed=pct["value"])
    return pd.concat([rows, pct]).sort_values(["period", "stat_id"]).reset_index(drop=True)


def yearly_value(series: pd.DataFrame) -> pd.DataFrame:
    """One value per year for the line: the most precisely printed figure per
    10,000 (others of the same year are drawn as points; they agree to their rounding)."""
    series = series[series["denominator"] != "orders_as_pct"]
    digits = series["value"].map(lambda v: len(f"{v:g}".split(".")[1]) if "." in f"{v:g}" else 0)
    best = series.assign(digits=digits).sort_values(["period", "digits", "stat_id"], ascending=[True, False, True])
    return best.drop_duplicates("period").drop(columns="digits").reset_index(drop=True)


def denominator_label(denominator: str, language: str) -> str:
    zh, en = DENOMINATORS.get(denominator, (denominator, denominator))
    return label(zh, en, language)


def publication_cell(title: str, language: str):
    """A publication's title as printed (Chinese or English), marked with its own
    language when it is not the edition's (fonts and screen readers follow it)."""
    return source_words(str(title), language)


def publication_en(title: str) -> str:
    """A title for the English edition: as printed when English, else what it is."""
    if not CJK.search(str(title)):
        return title
    year = re.match(r"\d{4}", str(title))
    return f"Alibaba's IP-protection annual report{' for ' + year.group(0) if year else ''}, in Chinese"


def series_table(series, language: str):
    """Every stored per-10,000 figure: year, value, as printed, denominator, publication."""
    rows = series.assign(denominator=[denominator_label(d, language) for d in series["denominator"]],
                         publication=[publication_cell(t, language) for t in series["publication"]])
    return table(rows, [Column("period", "年份", "year"),
                        Column("value", "每万笔", "per 10,000", kind="number"),
                        Column("printed", "印出值", "as printed", kind="number"),
                        Column("denominator", "分母（措辞）", "denominator (as worded)"),
                        Column("publication", "出处", "published in"),
                        Column("stat_id", "编号", "id", kind="id")], language)


def main_reason_facts(statements: IndexStatements, w_dispute: float, w_counterfeit: float) -> dict:
    """Everything said of "the main reason": the weight-free threshold (the
    headline), its spread over the rounding of the statements, the threshold
    at the assumed w_d, whether every two-component solution within the
    rounding makes the counterfeit fall the largest contributor, and the
    numbers that hold only under the assumed weights."""
    s = statements
    minimum, at = counterfeit_largest_min_weight(s)
    corners = [counterfeit_largest_min_weight(c)[0] for c in rounding_corners(s)]
    low, high = two_component_weight_interval(s)
    w_d_grid = np.linspace(low, high, 201)
    two_largest = bool(np.all(counterfeit_is_largest(w_d_grid, 1.0 - w_d_grid, s)))
    table = decomposition(w_dispute, w_counterfeit, s)
    # the direct answer to the report's verdict under the assumed weights (beside its threshold)
    largest = bool(counterfeit_is_largest(w_dispute, w_counterfeit, s))
    return {**s.facts(), "w_d": w_dispute, "w_c": w_counterfeit, "largest_under_assumed": largest,
            "largest_verdict": "yes" if largest else "no",
            "threshold": counterfeit_largest_threshold(w_dispute, s), "min_threshold": minimum, "at": at,
            "min_threshold_w_d": at, "min_threshold_low": min(corners), "min_threshold_high": max(corners),
            "c_low": 1.0 - high, "c_high": 1.0 - low, "two_component_largest": two_largest,
            "share": float(table["share_of_total_change_pct"].iloc[1]),
            "counterfactual": counterfactual_without_counterfeit_fall(w_counterfeit, s),
            "contribution": w_counterfeit * s.counterfeit_change}


VERDICT_SHOWN = {"yes": {"zh": "是", "en": "yes"}, "no": {"zh": "否", "en": "no"}}


def check_claims(book: ClaimBook, alibaba: pd.DataFrame, statements: IndexStatements, w_dispute: float,
                 w_counterfeit: float) -> None:
    """Claims of 二(二)4 and 二(四): infringement rate, IP brain, 店小蜜."""
    year = book.period("ai_infringement_refund_rate_2019")[0][:4]
    public = yearly_value(infringement_series(alibaba))
    public = public[public["period"] == year]
    if public.empty:
        book.not_reproducible("ai_infringement_refund_rate_2019", "no_alibaba_figure", {"year": year})
    else:
        row = public.iloc[0]
        book.check("ai_infringement_refund_rate_2019", row["value"] / 10000 * 100, basis="same_source",
                   explain="alibaba_rate",
                   facts={"per_10000": row["value"], "publication": row["publication"],
                          "publication_en": publication_en(row["publication"]), "stat_id": row["stat_id"],
                          "per_what_zh": denominator_label(row["denominator"], "zh"),
                          "per_what_en": denominator_label(row["denominator"], "en")})
    rate = book.stated("ai_infringement_refund_rate_2019")
    book.check("ai_infringement_refunds_per_10k_orders_2019", rate / 100 * 10000, basis="report",
               explain="rate_per_10k", facts={"rate": rate})
    facts = main_reason_facts(statements, w_dispute, w_counterfeit)
    book.not_reproducible("ai_counterfeit_main_reason_2019", "main_reason", facts)
    book.not_reproducible("ai_fake_perception_change_2019", "counterfeit_change", facts)
    # a claim public data can check is our gap until the source is transcribed, never "not reproducible"
    for claim_id in book.unchecked():
        if book.claim(claim_id)["checkable"] == "public_data":
            book.not_sourced(claim_id, "public_not_transcribed", {"ledger_note": book.claim(claim_id)["note"]})
    book.not_reproducible_rest({"not_public": "alibaba_internal"})
