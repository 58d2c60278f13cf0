"""Section 一(三), period algebra: the promotions, which years' releases are
compared and on which release months, the derived periods and their rows, the
placebo periods that can stand in for a promotion's, and the promotion
periods' share of the year (like for like). No statistics, no sentences.
"""

from __future__ import annotations

import calendar
import itertools
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ... import derive, i18n

SECTION = "promotion_effects"
OUTCOME_COLUMN = {"single_month_yoy": "yoy_pct", "share_of_year": "share_of_year"}
OUTCOME_BOUNDS = {"single_month_yoy": ("yoy_low", "yoy_high"), "share_of_year": ("share_low", "share_high")}


# Promotions and the years that can be compared

@dataclass(frozen=True)
class Promotion:
    """One promotion (its months: the promotion month and the `window` − 1
    months after it, within the year) or several pooled (`parts`)."""

    key: str
    parts: tuple[tuple[int, ...], ...]

    @property
    def months(self) -> tuple[int, ...]:
        return tuple(sorted({m for part in self.parts for m in part}))

    def name(self, language: str) -> str:
        if self.key == "pooled":
            return i18n.render("promotion.pooled", {}, language, SECTION)
        m = self.parts[0][0]
        return i18n.render("promotion.single", {"month": m, "month_en": calendar.month_name[m]}, language, SECTION)


def promotions(promotion_months: list[int], window: int) -> list[Promotion]:
    """One Promotion per promotion month, then all of them pooled (when more than one).
    A window never runs past December (the next January belongs to the next year)."""
    windows = [tuple(m + k for k in range(window) if m + k <= 12) for m in sorted(set(promotion_months))]
    out = [Promotion(calendar.month_abbr[w[0]].lower(), (w,)) for w in windows]
    if len(out) > 1:
        out.append(Promotion("pooled", tuple(windows)))
    return out


def usable_patterns(official: pd.DataFrame, series_names: list[str] | str, years, outcome: str) -> dict[int, tuple]:
    """Release months each year offers for the outcome (in every series given):
    a share of the year needs the year's total (December's cumulative)."""
    names = [series_names] if isinstance(series_names, str) else list(series_names)
    by_series = [derive.release_months(official, name, years) for name in names]
    out = {}
    for year in years:
        sets = [set(p.get(int(year), ())) for p in by_series]
        cuts = set.intersection(*sets) if sets else set()
        if outcome == "share_of_year" and 12 not in cuts:
            continue
        if cuts:
            out[int(year)] = tuple(sorted(cuts))
    return out


def span(cuts, window: tuple[int, ...]) -> tuple[int, int] | None:
    """The shortest stretch (a, b] between release months that holds the window
    (a = 0: the year's start), or None when no release ends at or after it."""
    a = max([c for c in cuts if c < window[0]], default=0)
    after = [c for c in cuts if c >= window[-1]]
    return (a, min(after)) if after else None


def extra_months(cuts, promotion: Promotion) -> int | None:
    """Months outside the promotion that its periods include (the worst part), None if not bracketed."""
    worst = 0
    for window in promotion.parts:
        s = span(cuts, window)
        if s is None:
            return None
        worst = max(worst, s[1] - s[0] - len(window))
    return worst


@dataclass
class Comparison:
    """The years compared for one promotion and the release months each is cut at."""

    promotion: Promotion
    pattern: str
    years: list[int]
    cuts: dict[int, tuple[int, ...]]
    dropped: dict[int, str] = field(default_factory=dict)  # year -> why it is not compared

    def spans(self, year: int) -> list[tuple[int, int]]:
        return [span(self.cuts[year], w) for w in self.promotion.parts]


def compare_years(patterns: dict[int, tuple], promotion: Promotion, max_extra_months: int,
                  pattern: str = "common") -> Comparison:
    """Which years are compared for a promotion, on which release months.

    A year enters when its releases bracket the promotion with at most
    `max_extra_months` other months. With pattern "common", every compared
    year is cut at the release months they all share; of the sets of eligible
    years whose shared releases still bracket the promotion within the limit,
    the one that tells most about the change across years is compared: the
    most (years − 1) × (shared periods − 1) (the residual degrees of freedom
    of the year-and-period model, plus one), then more years, then the most
    observations (years × periods), then later years. A poorly released
    year that would coarsen every other year is so left out. Years enter by
    themselves as their releases appear in data/.
    """
    if pattern not in ("common", "own"):
        raise ValueError(f"pattern must be 'common' or 'own', got {pattern!r}")
    eligible, dropped = {}, {}
    for year, cuts in sorted(patterns.items()):
        extra = extra_months(cuts, promotion)
        if extra is None:
            dropped[year] = "no_release_after"
        elif extra > max_extra_months:
            dropped[year] = "period_too_long"
        else:
            eligible[year] = tuple(cuts)
    years = sorted(eligible)
    if pattern == "own":
        return Comparison(promotion, pattern, years, {y: eligible[y] for y in years}, dropped)
    best, best_score = [], None
    for r in range(len(years), 0, -1):
        for subset in itertools.combinations(years, r):
            shared = set.intersection(*[set(eligible[y]) for y in subset])
            extra = extra_months(shared, promotion)
            if extra is None or extra > max_extra_months:
                continue
            y, p = len(subset), len(shared)
            score = ((y - 1) * (p - 1), y, y * p, sum(subset))
            if best_score is None or score > best_score:
                best, best_score = list(subset), score
    for year in years:
        if year not in best:
            dropped[year] = "coarsens_the_others"
    shared = tuple(sorted(set.intersection(*[set(eligible[y]) for y in best]))) if best else ()
    return Comparison(promotion, pattern, best, {y: shared for y in best}, dict(sorted(dropped.items())))


def period_label(start: int, end: int, language: str) -> str:
    if language == "zh":
        return f"{start}月" if start == end else f"{start}–{end}月"
    names = calendar.month_abbr
    return names[start] if start == end else f"{names[start]}–{names[end]}"


def periods_text(cuts, language: str) -> str:
    """The derived periods of a release pattern: '1–2月, 3月, 4–6月, …'."""
    out, previous = [], 0
    for c in sorted(cuts):
        out.append(period_label(previous + 1, c, language))
        previous = c
    return ", ".join(out)


def release_pattern_table(official: pd.DataFrame, series_name: str, years, language: str = "en") -> pd.DataFrame:
    """Which years carry which months: the periods derivable from each year's
    releases (named in `language`), its single months (1–2月 aside), and
    whether its total (December) is there."""
    months = derive.release_months(official, series_name, years)
    rows = []
    for year in years:
        cuts = months.get(int(year), ())
        singles = [c for i, c in enumerate(cuts) if i > 0 and c - cuts[i - 1] == 1]
        rows.append({"year": int(year), "periods": periods_text(cuts, language) if cuts else "—",
                     "single_months": len(singles) + (1 if cuts and cuts[0] == 1 else 0),
                     "year_total": 12 in cuts})
    return pd.DataFrame(rows, columns=["year", "periods", "single_months", "year_total"])


# --------------------------------------------------------------------------
# Observations of a comparison
# --------------------------------------------------------------------------

def _share_of(start: int, end: int, window: tuple[int, ...]) -> float:
    months = range(start, end + 1)
    return sum(m in window for m in months) / len(months)


def comparison_rows(official: pd.DataFrame, series_name: str, comparison: Comparison, outcome: str,
                    all_promotions: list[Promotion]) -> pd.DataFrame:
    """The periods of the compared years with the outcome per month (y, and its
    range y_low..y_high under the printed rounding), weight = months, and the
    promotion share s of each period (the fraction of its months in the
    promotion). Periods holding only another promotion's months are left out
    (neither promotion nor baseline)."""
    columns = ["year", "start_month", "month", "months", "period", "y", "y_low", "y_high", "weight", "s"]
    if not comparison.years:
        return pd.DataFrame(columns=columns)
    panel = derive.single_month_panel(official, series_name, comparison.years, cuts=comparison.cuts)
    value, (low, high) = OUTCOME_COLUMN[outcome], OUTCOME_BOUNDS[outcome]
    per_month = panel["months"] if outcome == "share_of_year" else 1  # a monthly mean, comparable across lengths
    rows = pd.DataFrame({"year": panel["year"].astype(int), "start_month": panel["start_month"].astype(int),
                         "month": panel["month"].astype(int), "months": panel["months"].astype(int),
                         "y": panel[value] / per_month, "y_low": panel[low] / per_month,
                         "y_high": panel[high] / per_month})
    rows["period"] = [f"{a}-{b}" for a, b in zip(rows["start_month"], rows["month"])]
    rows["weight"] = rows["months"].astype(float)
    mine = set(comparison.promotion.months)
    others = {m for p in all_promotions for m in p.months} - mine
    rows["s"] = [_share_of(a, b, tuple(mine)) for a, b in zip(rows["start_month"], rows["month"])]
    other = [any(m in others for m in range(a, b + 1)) for a, b in zip(rows["start_month"], rows["month"])]
    rows = rows[~(np.array(other) & (rows["s"] == 0).to_numpy())]
    rows = rows.dropna(subset=["y"])
    return rows[columns].sort_values(["year", "month"]).reset_index(drop=True)


def common_spans(comparison: Comparison) -> list[tuple[int, int]]:
    """The periods (a, b] every compared year derives (all of them under the common pattern)."""
    sets = []
    for year in comparison.years:
        cuts, previous, spans_ = comparison.cuts[year], 0, set()
        for c in sorted(cuts):
            spans_.add((previous, c))
            previous = c
        sets.append(spans_)
    return sorted(set.intersection(*sets)) if sets else []


def placebo_spans(comparison: Comparison, all_promotions: list[Promotion], placebo_months, max_extra_months: int
                  ) -> list[tuple[tuple[int, int], ...]]:
    """The placebos of a comparison: for each part of its promotion, a period
    treated the same way. A period can stand in for a part when it holds no
    promotion month (of any promotion), holds the part's months' number or more
    with at most `max_extra_months` besides (the rule a promotion period
    obeys), and holds one of `placebo_months` ("eligible": any month). A pooled
    promotion's placebos are the ordered tuples of distinct such periods."""
    taken = {m for p in all_promotions for m in p.months}
    wanted = set(range(1, 13)) if placebo_months == "eligible" else set(placebo_months)
    candidates = [(a, b) for a, b in common_spans(comparison)
                  if not taken & set(range(a + 1, b + 1)) and wanted & set(range(a + 1, b + 1))]
    per_part = [[(a, b) for a, b in candidates if 0 <= (b - a) - len(part) <= max_extra_months]
                for part in comparison.promotion.parts]
    return [combo for combo in itertools.product(*per_part) if len(set(combo)) == len(combo)]


def placebo_label(spans_: tuple[tuple[int, int], ...], language: str) -> str:
    return " + ".join(period_label(a + 1, b, language) for a, b in spans_)


def placebo_rows(rows: pd.DataFrame, comparison: Comparison, spans_: tuple[tuple[int, int], ...]) -> pd.DataFrame:
    """The comparison's rows without the promotion's periods, each placebo
    period carrying the promotion share s its part has in that year: its
    estimate is then the same multiple of its period's relative change as the
    promotion's (a decline common to all months gives them the same estimate)."""
    out = rows[rows["s"] == 0].copy()
    for year in comparison.years:
        for (a, b), part, (pa, pb) in zip(spans_, comparison.promotion.parts, comparison.spans(year)):
            s = _share_of(pa + 1, pb, part)
            out.loc[(out["year"] == year) & (out["start_month"] == a + 1) & (out["month"] == b), "s"] = s
    return out


# --------------------------------------------------------------------------
# Like for like: the promotion periods' share of the year
# --------------------------------------------------------------------------

def period_shares(official: pd.DataFrame, series_names: list[str], promotion_months: list[int], window: int,
                  years, max_extra_months: int) -> tuple[pd.DataFrame, dict[str, Comparison]]:
    """Share of the year's sales in each promotion's period, by year and series,
    on the periods every compared year (and series) can derive.

    Columns: promotion, spans ("4-6" or, pooled, "4-6,10-11"), months, year, series,
    share_pct and its range under rounding (low, high; pooled: the sum of the
    parts' ranges), neutral_pct (months / 12 × 100: the share of a flat year).
    """
    patterns = usable_patterns(official, series_names, years, "share_of_year")
    out, comparisons = [], {}
    for promotion in promotions(promotion_months, window):
        comparison = compare_years(patterns, promotion, max_extra_months, "common")
        comparisons[promotion.key] = comparison
        if not comparison.years:
            continue
        spans = comparison.spans(comparison.years[0])
        for name in series_names:
            panel = derive.single_month_panel(official, name, comparison.years, cuts=comparison.cuts)
            for year, grp in panel.groupby("year"):
                inside = np.zeros(len(grp), bool)
                for a, b in spans:
                    inside |= ((grp["start_month"] > a) & (grp["month"] <= b)).to_numpy()
                part = grp[inside]
                out.append({"promotion": promotion.key, "spans": ",".join(f"{a + 1}-{b}" for a, b in spans),
                            "months": int(part["months"].sum()),
                            "year": int(year), "series": name, "share_pct": part["share_of_year"].sum(),
                            "low": part["share_low"].sum(), "high": part["share_high"].sum()})
    table = pd.DataFrame(out, columns=["promotion", "spans", "months", "year", "series",
                                       "share_pct", "low", "high"])
    table["neutral_pct"] = table["months"] / 12 * 100
    return table, comparisons


def placebo_share_changes(official: pd.DataFrame, series_names: list[str], comparisons: dict[str, Comparison],
                          all_promotions: list[Promotion], placebo_months, max_extra_months: int) -> pd.DataFrame:
    """The same first-to-last change of the share of the year for each placebo of
    each comparison (placebo_spans: periods without a promotion, treated as the
    promotion's), on the same years and series: how much periods move from year
    to year without a promotion. Columns: promotion, series, placebo, first,
    last, change (points), months (of the period), per_month (change / months:
    periods of different lengths compared)."""
    out = []
    for key, comparison in comparisons.items():
        if len(comparison.years) < 2:
            continue
        first, last = comparison.years[0], comparison.years[-1]
        for name in series_names:
            panel = derive.single_month_panel(official, name, [first, last], cuts=comparison.cuts)
            for spans_ in placebo_spans(comparison, all_promotions, placebo_months, max_extra_months):
                share = {}
                for year, grp in panel.groupby("year"):
                    inside = np.zeros(len(grp), bool)
                    for a, b in spans_:
                        inside |= ((grp["start_month"] > a) & (grp["month"] <= b)).to_numpy()
                    share[int(year)] = grp.loc[inside, "share_of_year"].sum()
                change, months = share[last] - share[first], sum(b - a for a, b in spans_)
                out.append({"promotion": key, "series": name, "placebo": ",".join(f"{a + 1}-{b}" for a, b in spans_),
                            "months": months, "first": first, "last": last, "change": change,
                            "per_month": change / months})
    return pd.DataFrame(out, columns=["promotion", "series", "placebo", "months", "first", "last", "change",
                                      "per_month"])


def share_changes(table: pd.DataFrame, placebos: pd.DataFrame | None = None) -> pd.DataFrame:
    """share_change for every promotion and series of a period-share table; with
    `placebos` (placebo_share_changes), beside each the placebo periods' changes
    over the same years: their number, lowest and highest (and per month of the
    period, the promotion's too: periods differ in length)."""
    out = []
    for (key, name), _ in table.groupby(["promotion", "series"], sort=False):
        c = share_change(table, key, name)
        if c:
            months = int(table.loc[(table["promotion"] == key) & (table["series"] == name), "months"].iloc[0])
            row = {"promotion": key, "series": name, **c, "per_month": c["change"] / months, "n_placebo": 0,
                   "placebo_low": np.nan, "placebo_high": np.nan, "placebo_low_per_month": np.nan,
                   "placebo_high_per_month": np.nan}
            if placebos is not None:
                mine = placebos[(placebos["promotion"] == key) & (placebos["series"] == name)]
                if not mine.empty:
                    row.update(n_placebo=len(mine), placebo_low=mine["change"].min(),
                               placebo_high=mine["change"].max(), placebo_low_per_month=mine["per_month"].min(),
                               placebo_high_per_month=mine["per_month"].max())
            out.append(row)
    return pd.DataFrame(out, columns=["promotion", "series", "first", "last", "change", "low", "high", "per_month",
                                      "n_placebo", "placebo_low", "placebo_high", "placebo_low_per_month",
                                      "placebo_high_per_month"])


def share_change(table: pd.DataFrame, promotion: str, series_name: str) -> dict | None:
    """First to last compared year: the change of a promotion period's share,
    with its range under rounding (interval arithmetic on the two shares)."""
    rows = table[(table["promotion"] == promotion) & (table["series"] == series_name)].sort_values("year")
    if len(rows) < 2:
        return None
    first, last = rows.iloc[0], rows.iloc[-1]
    low, high = derive.interval_sub((last["low"], last["high"]), (first["low"], first["high"]))
    return {"first": int(first["year"]), "last": int(last["year"]), "change": last["share_pct"] - first["share_pct"],
            "low": low, "high": high}
