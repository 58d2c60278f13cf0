"""Section 一(三): do the big promotions (6·18, 双11) still lift online sales?

Single months are derived from NBS's cumulative figures on comparable bases
(derive.single_months_from_cumulative); a missing release leaves a longer
period, which is never split, so it drops out of the month-level analysis.

Two outcomes:
- share_of_year: a month's share of the year's online sales (%). The lift of a
  promotion month in year y is its share minus the mean share of the year's
  other single months: its size.
- single_month_yoy: a month's growth on the same month a year earlier (%). The
  promotion months' excess growth over the year's other months is the change
  of the lift (a constant lift gives zero excess growth).
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import statsmodels.formula.api as smf

from ... import derive
from ...claims import ClaimBook, check_against_official
from ...data import official_value, series


OUTCOME_COLUMN = {"single_month_yoy": "yoy_pct", "share_of_year": "share_of_year"}


def promotion_dataset(panel: pd.DataFrame, promotion_months: list[int], window: int, outcome: str,
                      periods: str = "single_months") -> pd.DataFrame:
    """Derived periods with the outcome and the promotion share of each period.

    A month is a promotion month when it is one of `promotion_months` or
    within `window` − 1 months after one. `promo_share` is the fraction of a
    period's months that are promotion months, `y` the outcome per month:
    the period's share of the year divided by its length, or its growth.

    periods = "single_months": single months and NBS's 1–2月 only (periods
    spanning a missing release are dropped). periods = "all_periods": every
    derived period, a promotion month inside a longer period counting by its
    share of the months (the lift is diluted, never split out by guess).
    Rows carry `weight` = months (a mean of m months is m times less noisy).
    """
    if periods not in ("single_months", "all_periods"):
        raise ValueError(f"periods must be 'single_months' or 'all_periods', got {periods!r}")
    flagged = set()
    for m in promotion_months:
        flagged.update(((m - 1 + k) % 12) + 1 for k in range(window))
    rows = panel.copy() if periods == "all_periods" else panel[(panel["months"] == 1) | panel["jan_feb"]].copy()
    rows["promo_share"] = [sum(((end - k - 1) % 12) + 1 in flagged for k in range(n)) / n
                           for end, n in zip(rows["month"], rows["months"])]
    rows["promo"] = rows["promo_share"] > 0
    value = rows[OUTCOME_COLUMN[outcome]].astype(float)
    if outcome == "share_of_year":
        value = value / rows["months"]  # a monthly mean, comparable across period lengths
    rows["y"] = value
    rows["weight"] = rows["months"].astype(float)
    rows = rows.dropna(subset=["y"])
    return rows.sort_values(["year", "month"]).reset_index(drop=True)


def _identified_years(rows: pd.DataFrame) -> list[int]:
    """Years in which a lift is identified: a promotion share above zero and
    at least two different promotion shares among the year's periods."""
    years = rows.groupby("year")["promo_share"].agg(lambda s: (s.max() > 0) and s.nunique() > 1)
    return sorted(int(y) for y, ok in years.items() if ok)


def fit_lift_by_year(rows: pd.DataFrame, hac_maxlags: int, confidence: float) -> pd.DataFrame:
    """WLS y ~ C(year) + C(year):promo_share (weights = months) with HAC
    errors: the lift of a full promotion month over the year's other months,
    per year. Years without a promotion month in the data are absent."""
    years_with_promo = _identified_years(rows)
    usable = rows[rows["year"].isin(years_with_promo)].copy()
    if len(years_with_promo) == 0:
        return pd.DataFrame(columns=["year", "lift", "ci_low", "ci_high", "n_months", "n_promo"])
    usable["promo_i"] = usable["promo_share"]
    model = smf.wls("y ~ C(year) + C(year):promo_i - 1", data=usable, weights=usable["weight"]).fit(
        cov_type="HAC", cov_kwds={"maxlags": hac_maxlags})
    ci = model.conf_int(alpha=1 - confidence)
    out = []
    for year in years_with_promo:
        name = f"C(year)[{year}]:promo_i"
        out.append({"year": int(year), "lift": model.params[name], "ci_low": ci.loc[name, 0],
                    "ci_high": ci.loc[name, 1], "n_months": int((usable["year"] == year).sum()),
                    "n_promo": int(usable.loc[usable["year"] == year, "promo"].sum())})
    return pd.DataFrame(out)


def fit_lift_trend(rows: pd.DataFrame, hac_maxlags: int, confidence: float) -> dict:
    """WLS y ~ C(year) + promo_share + promo_share:t (t = year − first year):
    the change of the lift per year, with a HAC confidence interval."""
    years_with_promo = _identified_years(rows)
    usable = rows[rows["year"].isin(years_with_promo)].copy()
    if len(years_with_promo) < 3:
        return {"slope": np.nan, "ci_low": np.nan, "ci_high": np.nan, "p_value": np.nan,
                "n_years": len(years_with_promo), "n_obs": len(usable),
                "note": "fewer than three years with a promotion month in the data: no trend is estimated",
                "years": [int(y) for y in years_with_promo]}
    usable["promo_i"] = usable["promo_share"]
    usable["t"] = usable["year"] - min(years_with_promo)
    model = smf.wls("y ~ C(year) + promo_i + promo_i:t", data=usable, weights=usable["weight"]).fit(
        cov_type="HAC", cov_kwds={"maxlags": hac_maxlags})
    ci = model.conf_int(alpha=1 - confidence)
    return {"slope": model.params["promo_i:t"], "ci_low": ci.loc["promo_i:t", 0],
            "ci_high": ci.loc["promo_i:t", 1], "p_value": model.pvalues["promo_i:t"],
            "lift_first_year": model.params["promo_i"], "n_years": len(years_with_promo), "n_obs": len(usable),
            "years": [int(y) for y in years_with_promo], "note": ""}


def answer(trend: dict, outcome: str, confidence: float, language: str) -> str:
    """One sentence with a number and an interval, in the edition's language."""
    from ... import i18n

    if np.isnan(trend["slope"]):
        return i18n.render("answer.no_trend", {}, language, "promotion_effects")
    verdict = "declined" if trend["ci_high"] < 0 else "rose" if trend["ci_low"] > 0 else "undetermined"
    facts = {**trend, "first": trend["years"][0], "last": trend["years"][-1], "confidence": confidence,
             "unit": i18n.render(f"answer.unit.{outcome}", {}, language, "promotion_effects"),
             "verdict": i18n.render(f"answer.verdict.{verdict}", {}, language, "promotion_effects")}
    return i18n.render("answer.sentence", facts, language, "promotion_effects")


def count_listed_items(quote: str, marker: str = "方面") -> int:
    """Items listed before '<N>个方面' in a quote: separated by 、 and a final 和."""
    head = quote.split("从", 1)[-1]
    head = re.split(r"[一二三四五六七八九十\d]+个" + marker, head)[0]
    return len([p for p in re.split(r"、|和", head) if p.strip()])


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


def check_claims(book: ClaimBook, official: pd.DataFrame) -> None:
    """Every claim of section 一(三)."""
    for claim_id in CUMULATIVE_CLAIMS:
        check_against_official(book, claim_id, official, "online_retail_total", "yoy_pct")
    claim_id = "pe_online_cum_yoy_change_2019_jan_nov_pp"
    start, end = book.period(claim_id)
    previous = f"{end[:5]}{int(end[5:]) - 1:02d}"
    now, before = (official_value(official, "online_retail_total", "yoy_pct", start, e) for e in (end, previous))
    facts = {"end": end, "previous": previous}
    if now is None or before is None:
        book.not_sourced(claim_id, "cumulative_change_not_sourced", facts)
    else:
        change = derive.percentage_point_difference(now, before)
        book.check(claim_id, change, explain="cumulative_change", facts={**facts, "now": now, "before": before})
    quote = book.claim("pe_platform_economy_opinion_aspects")["quote"]
    book.check("pe_platform_economy_opinion_aspects", count_listed_items(quote), basis="report",
               explain="listed_items")
    book.not_reproducible_rest({"not_public": "platform_internal"})
