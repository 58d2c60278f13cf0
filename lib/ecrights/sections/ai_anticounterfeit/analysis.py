"""二(二)4 · 二(四): "the main reason" and Alibaba's public IP-protection figures.

The composition arithmetic is shared with index_trend (ecrights.index_composition);
this module checks the section's claims. Alibaba's own publications are the
platform confirming itself: a match with them is *consistent* (same source),
never *reproduced*.
"""

from __future__ import annotations

import pandas as pd

from ...claims import ClaimBook
from ...index_composition import IndexStatements, counterfeit_largest_threshold


def infringement_series(alibaba: pd.DataFrame) -> pd.DataFrame:
    """Alibaba's yearly suspected-infringement figures per 10,000 orders or transactions, one per year."""
    rate = alibaba[alibaba["metric"].str.startswith("suspected_infringement_per_10000")
                   & alibaba["period"].str.fullmatch(r"\d{4}")]
    return rate.sort_values("period").drop_duplicates("period").reset_index(drop=True)


def check_claims(book: ClaimBook, alibaba: pd.DataFrame, statements: IndexStatements, w_dispute: float,
                 w_counterfeit: float) -> None:
    """Claims of 二(二)4 and 二(四): infringement rate, IP brain, 店小蜜."""
    year = book.period("ai_infringement_refund_rate_2019")[0][:4]
    public = infringement_series(alibaba)
    public = public[public["period"] == year]
    if public.empty:
        book.not_reproducible("ai_infringement_refund_rate_2019", "no_alibaba_figure", {"year": year})
    else:
        row = public.iloc[0]
        book.check("ai_infringement_refund_rate_2019", row["value"] / 10000 * 100, basis="same_source",
                   explain="alibaba_rate",
                   facts={"per_10000": row["value"], "publication": row["publication"], "stat_id": row["stat_id"],
                          "per_what": row["unit"].split()[-1]})
    rate = book.stated("ai_infringement_refund_rate_2019")
    book.check("ai_infringement_refunds_per_10k_orders_2019", rate / 100 * 10000, basis="report",
               explain="rate_per_10k", facts={"rate": rate})
    threshold = counterfeit_largest_threshold(w_dispute, statements)
    facts = {**statements.facts(), "w_d": w_dispute, "w_c": w_counterfeit, "threshold": threshold,
             "contribution": w_counterfeit * statements.counterfeit_change}
    book.not_reproducible("ai_counterfeit_main_reason_2019", "main_reason", facts)
    book.not_reproducible("ai_fake_perception_change_2019", "counterfeit_change", facts)
    book.not_reproducible_rest({"not_public": "alibaba_internal", "public_data": "no_public_source"})
