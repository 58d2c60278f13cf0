"""Section 一(三), presentation: the sentences (comparisons, the answer, the
single-month condition), the typeset tables of the notebook and the facts of
result descriptions, in both languages (texts.yaml). Numbers come from
periods.py and verdicts.py; nothing here computes an estimate.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ... import i18n
from ...stats import INFERENCES, OK
from ...tables import Column, table
from .periods import SECTION, Comparison, Promotion, period_label, periods_text, placebo_label, span
from .verdicts import UNDETERMINED, WEAKENED, PromotionAnalysis, coverage_shortfalls, interval_verdict


def show_coverage(coverage: pd.DataFrame, names: dict[str, str], language: str):
    """The coverage checks as shown: promotion names, 'change per year' for the trend,
    coverage in percent ('—' where the interval is undefined), with drift across
    years for the trend, the Monte Carlo standard error and the shortfall in its units."""
    trend = i18n.render("table.case_trend", {}, language, SECTION)
    methods = [m for m in (*INFERENCES, "drift") if m in coverage.columns]
    shown = coverage.assign(promotion=coverage["promotion"].map(lambda k: names.get(k, k)),
                            case=coverage["case"].replace({"trend": trend}),
                            mcse=coverage["mcse"] * 100, **{m: coverage[m] * 100 for m in methods})
    return _table(shown, [_column("promotion"), _column("case"), _column("n", "count"), _column("df", "count"),
                          _column("draws", "count")] + [_column(m, "percent") for m in methods]
                  + [_column("mcse", "pp", digits=1), _column("shortfall_se", "number", digits=1)], language)


def coverage_sentence(coverage: pd.DataFrame, names: dict[str, str], method: str, confidence: float,
                      language: str) -> str:
    """What the coverage check says: its Monte Carlo error, every interval of the
    method in use more than two standard errors below nominal (named), and the
    coverage of the change per year when periods drift across years."""
    if coverage.empty:
        return ""
    trend = i18n.render("table.case_trend", {}, language, SECTION)
    inference = {f"inference_{lang}": i18n.render(f"inference.{method}", {}, lang, SECTION) for lang in i18n.LANGUAGES}
    parts = [i18n.render("coverage.mcse", {"draws": int(coverage["draws"].iloc[0]),
                                           "mcse": float(coverage["mcse"].iloc[0]) * 100,
                                           "confidence": confidence}, language, SECTION)]
    short = coverage_shortfalls(coverage, method)
    if short.empty:
        parts.append(i18n.render("coverage.no_shortfall", inference, language, SECTION))
    else:
        items = [i18n.render("coverage.shortfall_item", {
            "name": names.get(r["promotion"], r["promotion"]),
            "case": trend if r["case"] == "trend" else (f"{r['case']}年" if language == "zh" else r["case"]),
            "coverage": r[method], "se": r["shortfall_se"]}, language, SECTION) for _, r in short.iterrows()]
        parts.append(i18n.render("coverage.shortfalls", {**inference, "items": label_join(items, language)},
                                 language, SECTION))
    drift = coverage["drift"].dropna()
    parts.append(i18n.render("coverage.drift", {"low": drift.min(), "high": drift.max()}, language, SECTION)
                 if not drift.empty else i18n.render("coverage.no_drift", {}, language, SECTION))
    return ("" if language == "zh" else " ").join(parts)


def label_join(items: list[str], language: str) -> str:
    return ("；" if language == "zh" else "; ").join(items)


# --------------------------------------------------------------------------
# Texts
# --------------------------------------------------------------------------

def _years_text(years: list[int], language: str) -> str:
    return "、".join(str(y) for y in years) if language == "zh" else ", ".join(str(y) for y in years)


def comparison_sentence(comparison: Comparison, language: str) -> str:
    """Which years are compared for a promotion, on which periods, and which are left out (why)."""
    p = comparison.promotion
    facts = {"name": p.name(language), "n": len(comparison.years), "years": _years_text(comparison.years, language)}
    if not comparison.years:
        text = i18n.render("comparison.none", facts, language, SECTION)
    elif comparison.pattern == "common":
        cuts = comparison.cuts[comparison.years[0]]
        spans = [period_label(a + 1, b, language) for a, b in comparison.spans(comparison.years[0])]
        text = i18n.render("comparison.common", {**facts, "periods": periods_text(cuts, language),
                                                 "spans": ", ".join(spans)}, language, SECTION)
    else:
        text = i18n.render("comparison.own", facts, language, SECTION)
    for year, why in sorted(comparison.dropped.items()):
        text += " " + i18n.render(f"comparison.dropped.{why}", {"year": year}, language, SECTION)
    return sentence_case(text, language)


def sentence_case(text: str, language: str) -> str:
    """An English sentence begins with a capital letter (names begin with 'the …')."""
    return text[:1].upper() + text[1:] if language == "en" and text else text


def answer_part(a: PromotionAnalysis, outcome: str, confidence: float, language: str) -> str:
    """One promotion's verdict as a sentence, with its reason, from the numbers."""
    t, j = a.trend, a.judgement
    unit = i18n.render(f"answer.unit.{outcome}", {}, language, SECTION)
    facts = {"name": a.comparison.promotion.name(language), "years": _years_text(t["years"], language),
             "n_years": t["n_years"], "n": t["n"], "slope": t["estimate"], "low": t["low"], "high": t["high"],
             "confidence": confidence, "unit": unit, **a.placebo_facts(),
             "quantile_high": 1 - a.placebo_quantile}
    facts["period"] = a.period_text(language)
    facts["rank_of"] = facts["n_placebo"] + 1
    direction = "below" if interval_verdict(t) == WEAKENED else "above"
    if j.reason == "single_missing":
        key = f"answer.single_missing.{direction}"
    elif j.reason == "single_disagrees":
        s = a.single
        key = f"answer.single_disagrees.{direction}"
        facts.update({"single_period": s.period_text(language), "single_slope": s.trend["estimate"],
                      "single_low": s.trend["low"], "single_high": s.trend["high"],
                      "single_verdict": verdict_text(s.verdict, language),
                      "single_years": _years_text(s.trend["years"], language),
                      "neighbours": neighbours_sentence(a, direction, language)})
    elif j.reason == "not_specific":
        key = f"answer.not_specific.{direction}"
    elif j.reason == "no_placebo":
        key = f"answer.no_placebo.{direction}"
    else:
        key = f"answer.{j.verdict}"
        if j.reason == "specific":
            which = "all" if a.placebo_quantile == 0 else "quantile"
            facts["placebo"] = i18n.render(f"answer.placebo.{direction}_{which}", facts, language, SECTION)
    return sentence_case(i18n.render(key, facts, language, SECTION), language)


def _signed(value: float) -> str:
    return f"{value:+.2f}"  # as the answer's other numbers


def neighbours_sentence(a: PromotionAnalysis, direction: str, language: str) -> str:
    """What the single-month evidence points to when the compared period is longer
    than the promotion: its other months, each compared alone, against the
    promotion's months alone (beyond them in the direction of the change: not
    specific to the promotion; short of them: concentrated in the promotion)."""
    neighbours, single = a.neighbour_changes(), a.single.trend["estimate"] if a.single is not None else np.nan
    if neighbours.empty or np.isnan(single):
        return i18n.render(f"answer.neighbours.none.{direction}", {}, language, SECTION)
    sign = -1 if direction == "below" else 1
    beyond = (sign * (neighbours["estimate"] - single) >= 0)
    kind = "beyond" if beyond.all() else "short" if not beyond.any() else "mixed"
    sep = "、" if language == "zh" else ", "
    facts = {"months": sep.join(period_label(int(m), int(m), language) for m in neighbours["month"]),
             "changes": sep.join(_signed(e) for e in neighbours["estimate"]), "single_slope": _signed(single)}
    key = f"answer.neighbours.{kind}" + ("" if kind == "mixed" else f".{direction}")
    return i18n.render(key, facts, language, SECTION)


def answer(analyses: list[PromotionAnalysis], outcome: str, confidence: float, language: str) -> str:
    """The report says the promotions' pull weakened: per promotion, whether the
    change of the lift (interval with rounding, against the placebo periods)
    supports, refutes or cannot decide it, and why."""
    parts = [i18n.render("answer.claim", {}, language, SECTION)]
    parts += [answer_part(a, outcome, confidence, language) for a in analyses]
    return ("" if language == "zh" else " ").join(parts)


def single_month_sentence(comparison: Comparison, patterns: dict[int, tuple], years, language: str) -> str:
    """Which years give the promotion's months as a period of their own, and
    what every other year lacks (the release that would cut the month out, or
    the year's total)."""
    p = comparison.promotion
    facts = {"name": p.name(language), "n": len(comparison.years), "years": _years_text(comparison.years, language)}
    if len(comparison.years) >= 2:
        facts["periods"] = periods_text(comparison.cuts[comparison.years[0]], language)
        text = i18n.render("single.compared", facts, language, SECTION)
    else:
        text = i18n.render("single.none", facts, language, SECTION)
    notes = []
    for year in years:
        year = int(year)
        if year in comparison.years:
            continue
        if year not in patterns:
            notes.append(i18n.render("single.no_total", {"year": year}, language, SECTION))
            continue
        cuts = patterns[year]
        for window in p.parts:
            s = span(cuts, window)
            if s is None:
                notes.append(i18n.render("single.no_release_after", {"year": year}, language, SECTION))
            elif s[1] - s[0] > len(window):
                missing = [c for c in (window[0] - 1, window[-1]) if c > 0 and c not in cuts]
                notes.append(i18n.render("single.inside", {
                    "year": year, "period": period_label(s[0] + 1, s[1], language),
                    "missing": ", ".join(period_label(1, c, language) for c in missing)}, language, SECTION))
            else:
                continue
            break
        else:
            notes.append(i18n.render("single.left_out", {"year": year}, language, SECTION))
    return sentence_case(" ".join([text, *notes]), language)


def _interval_text(low: float, high: float) -> str:
    return "—" if np.isnan(low) or np.isnan(high) else f"[{low:+.2f}, {high:+.2f}]".replace("-", "\u2212")


# --------------------------------------------------------------------------
# What the notebook shows: typeset tables, and the facts of result descriptions
# (both languages: a result carries its description in each)
# --------------------------------------------------------------------------

def _column(key: str, kind: str = "text", **kwargs):
    """A column headed by texts.yaml's table.<key> (both languages)."""
    head = {language: i18n.render(f"table.{key}", {}, language, SECTION) for language in i18n.LANGUAGES}
    return Column(key, head["zh"], head["en"], kind=kind, **kwargs)


def _table(frame, columns, language: str, **kwargs):
    return table(frame, columns, language, **kwargs)


def series_name(name: str, language: str) -> str:
    key = f"series.{name}"
    return i18n.render(key, {}, language, SECTION) if i18n.has(key, SECTION) else name


def show_release_patterns(patterns: pd.DataFrame, language: str):
    return _table(patterns.assign(year=patterns["year"].astype(str)),
                  [_column("year"), _column("periods"), _column("single_months", "count"), _column("year_total")],
                  language)


def show_cumulative(cumulative: pd.DataFrame, language: str):
    return _table(cumulative, [_column("period_end"), _column("cum_yoy_pct", "percent")], language,
                  reshape="transpose")  # one row of months, as the figure reads


def show_period_shares(shares: pd.DataFrame, names: dict[str, str], spans: dict[str, str], language: str):
    """The share of the year in each promotion's period, one column per year."""
    wide = shares.pivot_table(index=["promotion", "series"], columns="year", values="share_pct", sort=False)
    wide.columns = [str(y) for y in wide.columns]
    wide = wide.reset_index()
    years = [c for c in wide.columns if c not in ("promotion", "series")]
    wide.insert(1, "spans", [spans.get(k, "") for k in wide["promotion"]])
    wide["promotion"] = [names.get(k, k) for k in wide["promotion"]]
    wide["series"] = [series_name(n, language) for n in wide["series"]]
    return _table(wide, [_column("promotion"), _column("spans"), _column("series")]
                  + [Column(y, y, y, kind="percent", digits=2) for y in years], language)


def show_share_changes(changes: pd.DataFrame, names: dict[str, str], language: str):
    """The first-to-last change of each promotion period's share, its rounding range,
    and beside it (per month of the period) the placebo periods' changes over the same years."""
    shown = changes.assign(promotion=[names.get(k, k) for k in changes["promotion"]],
                           series=[series_name(n, language) for n in changes["series"]],
                           first=changes["first"].astype(str), last=changes["last"].astype(str),
                           placebo_share_range=[_interval_text(a, b) for a, b in zip(
                               changes["placebo_low_per_month"], changes["placebo_high_per_month"])])
    return _table(shown.rename(columns={"change": "share_change"}),
                  [_column("promotion"), _column("series"), _column("first"), _column("last"),
                   _column("share_change", "pp", digits=2), _column("low", "pp", digits=2),
                   _column("high", "pp", digits=2), _column("per_month", "pp", digits=2),
                   _column("placebo_share_range", unit="百分点")], language)


def share_evidence_sentence(change, names: dict[str, str], spans: dict[str, str], language: str) -> str:
    """One promotion period's share change (a rounding interval only) beside the
    placebo periods' movement over the same years, per month of the period, and
    where it lies among them."""
    key = change["promotion"]
    signed = ("change", "low", "high", "per_month", "placebo_low", "placebo_high", "placebo_low_per_month",
              "placebo_high_per_month")
    facts = {**change.to_dict(), **{k: f"{change[k]:+.2f}".replace("-", "\u2212") for k in signed},
             "name": names.get(key, key), "spans": spans.get(key, ""), "series": series_name(change["series"], language)}
    if not change["n_placebo"]:
        return sentence_case(i18n.render("share_evidence.no_placebo", facts, language, SECTION), language)
    if change["per_month"] < change["placebo_low_per_month"]:
        position = "below"
    elif change["per_month"] > change["placebo_high_per_month"]:
        position = "above"
    else:
        position = "within"
    facts["position"] = i18n.render(f"share_evidence.{position}", {}, language, SECTION)
    return sentence_case(i18n.render("share_evidence.sentence", facts, language, SECTION), language)


def show_lifts(lifts: pd.DataFrame, names: dict[str, str], language: str):
    """The per-year lifts as shown: estimate, interval with rounding (or why none), n, df."""
    shown = pd.DataFrame({
        "promotion": [names.get(k, k) for k in lifts["promotion"]], "year": lifts["year"].astype(int).astype(str),
        "estimate": lifts["estimate"], "interval": [_interval_text(a, b) for a, b in zip(lifts["low"], lifts["high"])],
        "n": lifts["n"], "df": lifts["df"],
        "note": ["" if s == OK else i18n.render(f"status.{s}", {}, language, SECTION) for s in lifts["status"]]})
    return _table(shown, [_column("promotion"), _column("year"), _column("estimate", "pp", digits=2),
                          _column("interval", unit="百分点"), _column("n", "count"), _column("df", "count"),
                          _column("note")], language)


def reason_text(a: PromotionAnalysis, language: str) -> str:
    j = a.judgement
    key = j.reason if j.reason != "interval" else ("spans_zero" if j.verdict == UNDETERMINED else "no_interval")
    return i18n.render(f"reason.{key}", {}, language, SECTION)


def verdict_text(token: str, language: str) -> str:
    return i18n.render(f"verdict.{token}", {}, language, SECTION)


def verdict_shown(token: str) -> dict[str, str]:
    """A verdict token as each edition shows it (the token itself stays in JSON/CSV)."""
    return {language: verdict_text(token, language) for language in i18n.LANGUAGES}


def trend_rows(analyses: list[PromotionAnalysis], names: dict[str, str], language: str) -> pd.DataFrame:
    """The change of the lift per year, per promotion: estimate, interval with
    rounding, n, df, the placebos' range, verdict and why."""
    rows = []
    for a in analyses:
        t, f = a.trend, a.placebo_facts()
        rows.append({"promotion": names.get(t["promotion"], t["promotion"]),
                     "years": _years_text(t["years"], language), "change": t["estimate"],
                     "interval": _interval_text(t["low"], t["high"]), "n": int(t["n"]), "df": int(t["df"]),
                     "n_placebo": f["n_placebo"], "placebo_range": _interval_text(f["placebo_low"], f["placebo_high"]),
                     "verdict": verdict_text(a.verdict, language), "reason": reason_text(a, language)})
    return pd.DataFrame(rows, columns=["promotion", "years", "change", "interval", "n", "df", "n_placebo",
                                       "placebo_range", "verdict", "reason"])


def show_trends(analyses: list[PromotionAnalysis], names: dict[str, str], language: str):
    return _table(trend_rows(analyses, names, language),
                  [_column("promotion"), _column("years"), _column("change", "pp", digits=3),
                   _column("interval", unit="百分点"), _column("n", "count"), _column("df", "count"),
                   _column("n_placebo", "count"), _column("placebo_range", unit="百分点"),
                   _column("verdict"), _column("reason")], language)


def placebo_table(analyses: list[PromotionAnalysis], language: str, comparison_name: str = "") -> pd.DataFrame:
    """Per promotion, its change of the lift beside each placebo's, lowest first
    (what the placebo figure draws): promotion, comparison, placebo (its key),
    period (named), kind (promotion / placebo), estimate, its range under
    rounding, and for the promotion its interval (low, high)."""
    rows = []
    for a in analyses:
        key, t = a.comparison.promotion.key, a.trend
        if np.isnan(t["estimate"]):
            continue
        rows.append({"promotion": key, "comparison": comparison_name, "placebo": "",
                     "period": ", ".join(period_label(s + 1, e, language) for s, e in a.comparison.spans(
                         a.comparison.years[0])), "kind": "promotion", "estimate": t["estimate"],
                     "round_low": t["round_low"], "round_high": t["round_high"], "low": t["low"], "high": t["high"]})
        for _, r in a.placebos.iterrows():
            spans_ = tuple((int(x.split("-")[0]) - 1, int(x.split("-")[1])) for x in r["placebo"].split(","))
            rows.append({"promotion": key, "comparison": comparison_name, "placebo": r["placebo"],
                         "period": placebo_label(spans_, language), "kind": "placebo", "estimate": r["estimate"],
                         "round_low": r["round_low"], "round_high": r["round_high"]})
    out = pd.DataFrame(rows, columns=["promotion", "comparison", "placebo", "period", "kind", "estimate",
                                      "round_low", "round_high", "low", "high"])
    return out.sort_values(["comparison", "promotion", "estimate"], kind="stable").reset_index(drop=True)


def show_placebos(table: pd.DataFrame, names: dict[str, str], language: str):
    """Each promotion's change of the lift among its placebos' (lowest first), in the edition's words."""
    shown = pd.DataFrame({"promotion": [names.get(k, k) for k in table["promotion"]], "placebo": table["period"],
                          "placebo_kind": [i18n.render(f"kind.{k}", {}, language, SECTION) for k in table["kind"]],
                          "change": table["estimate"]})
    return _table(shown, [_column("promotion"), _column("placebo"), _column("placebo_kind"),
                          _column("change", "pp", digits=3)], language)


def show_coverage_by_year(coverage: pd.DataFrame, language: str):
    """data.coverage's one series as a year × month grid (✓ value, gap, — not transcribed)."""
    series_ = coverage.iloc[:, 0]
    gap = i18n.render("coverage.gap", {}, language, SECTION)
    rows = []
    for year in sorted({p.year for p in series_.index}):
        row = {"year": str(year)}
        for m in range(1, 13):
            value = series_.get(pd.Period(f"{year}-{m:02d}", "M"), "—")
            row[str(m)] = gap if value == "gap" else value
        rows.append(row)
    months = [Column(str(m), period_label(m, m, "zh"), period_label(m, m, "en")) for m in range(1, 13)]
    return _table(rows, [_column("year")] + months, language)


def _both(render) -> dict:
    """{'<name>_zh': …, '<name>_en': …} from render(language) -> {name: text}."""
    out = {}
    for language in i18n.LANGUAGES:
        out.update({f"{k}_{language}": v for k, v in render(language).items()})
    return out


def lift_facts(promotion: Promotion, row) -> dict:
    def words(language):
        note = "" if row["status"] == OK else i18n.render(
            "results.lift_note", {"status": i18n.render(f"status.{row['status']}", {}, language, SECTION)},
            language, SECTION)
        return {"name": promotion.name(language), "note": note}
    return {**_both(words), "year": int(row["year"])}


def trend_facts(a: PromotionAnalysis) -> dict:
    return {**_both(lambda language: {"name": a.comparison.promotion.name(language),
                                      "years": _years_text(a.trend["years"], language),
                                      "verdict": verdict_text(a.verdict, language)}),
            "n_placebo": a.placebo_facts()["n_placebo"]}


def years_compared_facts(comparison: Comparison) -> dict:
    return _both(lambda language: {"name": comparison.promotion.name(language),
                                   "years": _years_text(comparison.years, language)})


def share_change_facts(change, promotion: Promotion) -> dict:
    return {**_both(lambda language: {"name": promotion.name(language),
                                      "series": series_name(change["series"], language)}),
            "first": int(change["first"]), "last": int(change["last"])}


def inference_facts(method: str, confidence: float) -> dict:
    return {**_both(lambda language: {"inference": i18n.render(f"inference.{method}", {}, language, SECTION)}),
            "confidence": confidence}


def answer_facts(analyses: list[PromotionAnalysis], outcome: str, confidence: float) -> dict:
    return _both(lambda language: {"answer": answer(analyses, outcome, confidence, language)})
