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

from . import derive
from .claims import ClaimBook
from .data import series
from .retail import check_against_official


def single_month_panel(official: pd.DataFrame, indicator: str, years: range) -> pd.DataFrame:
    """Derived single periods of an online series, one row per period.

    Columns: year, month (last month of the period), months (length), current,
    base, yoy_pct, share_of_year (current / full-year cumulative × 100, NaN if
    December's cumulative is missing), jan_feb (NBS's combined period).
    """
    level = series(official, indicator, "level", "cumulative")
    growth = series(official, indicator, "yoy_pct", "cumulative")
    both = pd.DataFrame({"level": level, "growth": growth}).dropna()
    both = both[both.index.year.isin(list(years))]
    if both.empty:
        return pd.DataFrame(columns=["year", "month", "months", "current", "base", "yoy_pct", "share_of_year",
                                     "jan_feb"])
    derived = derive.single_months_from_cumulative(both["level"], both["growth"])
    out = pd.DataFrame({
        "year": derived["period_end"].dt.year.to_numpy(),
        "month": derived["period_end"].dt.month.to_numpy(),
        "months": ((derived["period_end"] - derived["period_start"]).map(lambda d: d.n) + 1).to_numpy(),
        "current": derived["current"].to_numpy(),
        "base": derived["base"].to_numpy(),
        "yoy_pct": derived["yoy_pct"].to_numpy(),
    })
    out["jan_feb"] = (out["month"] == 2) & (out["months"] == 2)
    annual = both["level"][both.index.month == 12]
    annual_by_year = {p.year: v for p, v in annual.items()}
    out["share_of_year"] = out.apply(lambda r: r["current"] / annual_by_year[r["year"]] * 100
                                     if r["year"] in annual_by_year else np.nan, axis=1)
    return out


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
                "note": "fewer than three years with a promotion month in the data: no trend is estimated"}
    usable["promo_i"] = usable["promo_share"]
    usable["t"] = usable["year"] - min(years_with_promo)
    model = smf.wls("y ~ C(year) + promo_i + promo_i:t", data=usable, weights=usable["weight"]).fit(
        cov_type="HAC", cov_kwds={"maxlags": hac_maxlags})
    ci = model.conf_int(alpha=1 - confidence)
    return {"slope": model.params["promo_i:t"], "ci_low": ci.loc["promo_i:t", 0],
            "ci_high": ci.loc["promo_i:t", 1], "p_value": model.pvalues["promo_i:t"],
            "lift_first_year": model.params["promo_i"], "n_years": len(years_with_promo), "n_obs": len(usable),
            "years": [int(y) for y in years_with_promo], "note": ""}


def answer(trend: dict, outcome: str, confidence: float, language: str = "en") -> str:
    """One sentence with a number and an interval."""
    if np.isnan(trend["slope"]):
        return trend["note"]
    unit = "percentage points of the year's sales" if outcome == "share_of_year" else "percentage points of growth"
    years = f"{trend['years'][0]}–{trend['years'][-1]}"
    verdict = ("declined" if trend["ci_high"] < 0 else "rose" if trend["ci_low"] > 0
               else "shows no change distinguishable from zero")
    return (f"Over {years} ({trend['n_years']} years with promotion months in the data), the promotion-month lift "
            f"changed by {trend['slope']:+.2f} {unit} per year ({confidence:.0%} CI {trend['ci_low']:+.2f} to "
            f"{trend['ci_high']:+.2f}): it {verdict}.")


def count_listed_items(quote: str, marker: str = "方面") -> int:
    """Items listed before '<N>个方面' in a quote: separated by 、 and a final 和."""
    head = quote.split("从", 1)[-1]
    head = re.split(r"[一二三四五六七八九十\d]+个" + marker, head)[0]
    return len([p for p in re.split(r"、|和", head) if p.strip()])


def check_claims(book: ClaimBook, official: pd.DataFrame, year: int = 2019) -> pd.DataFrame:
    """Every claim of section 一(三). Returns the cumulative growth table used."""
    cum = series(official, "online_retail_total", "yoy_pct", "cumulative")
    cum = cum[cum.index.year == year]
    table = pd.DataFrame({"period": [f"1-{p.month}月" for p in cum.index], "cum_yoy_pct": cum.to_numpy()},
                         index=cum.index)

    def at(month):
        p = pd.Period(year=year, month=month, freq="M")
        return None if p not in cum.index or pd.isna(cum[p]) else float(cum[p])

    # stated levels (17.8, 16.8, 16.6) and the upper bound "never back above 17%" (kind bound_upper)
    stated = [(m, f"pe_online_cum_yoy_{year}_jan_{sfx}") for m, sfx in
              [(4, "apr"), (5, "may"), (6, "jun"), (7, "jul"), (8, "aug"), (11, "nov")]]
    bounds = [(m, f"pe_online_cum_yoy_{year}_jan_{sfx}_below17") for m, sfx in
              [(9, "sep"), (10, "oct"), (11, "nov"), (12, "dec")]]
    for month, claim_id in stated + bounds:
        check_against_official(book, claim_id, official, "online_retail_total", "yoy_pct",
                               f"{year}-01", f"{year}-{month:02d}")
    nov, oct_ = at(11), at(10)
    claim_id = f"pe_online_cum_yoy_change_{year}_jan_nov_pp"
    if nov is None or oct_ is None:
        book.not_reproducible(claim_id, "1-10月 or 1-11月 cumulative growth is a gap in data/official")
    else:
        change = derive.percentage_point_difference(nov, oct_)
        book.check(claim_id, change,
                   method=f"1-11月 ({nov}) − 1-10月 ({oct_}) cumulative growth, percentage points",
                   why_discrepant=(f"The cumulative growth rose by {change:.1f} points, not 2: the text most "
                                   f"likely means {change:.1f} 个百分点. Either way 1-11月 ({nov}%) stays below "
                                   "the 16.8% of 1-7/1-8月, which is the report's point."))
    quote = book.claim("pe_platform_economy_opinion_aspects")["quote"]
    book.check("pe_platform_economy_opinion_aspects", count_listed_items(quote), basis="report",
               method="count of the items listed before 五个方面 in the quote itself")
    book.not_reproducible_all({"not_public": "platform data (Alibaba / Tmall Genie); no public source"})
    return table
