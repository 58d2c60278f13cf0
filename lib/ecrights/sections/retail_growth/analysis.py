"""一(一)(二): retail growth and the shift online (pure functions).

Every claim of the section is checked against the official data through the
shared checks (ecrights.claims); each explanation is a template of the
section's texts.yaml filled with the facts computed here, so a reviewer can
redo the arithmetic by hand. The checks of the project's method against other
bodies' published figures are in methods.py.
"""

from __future__ import annotations

import pandas as pd

from ... import derive, i18n
from ...claims import MEASURE_LABELS, ClaimBook, check_against_official, ledger_period
from ...data import official_row, official_value, series
from ...data.vocabulary import INDICATORS, INDICATORS_EN
from ...errors import ParameterError
from ...tables import unit_label
from . import methods

SECTION = "retail_growth"

# claim -> (indicator, measure) of the printed official value that checks it
# (the period is the claim's own, from the ledger)
OFFICIAL_CHECKS = {
    "rg_retail_total_2019_level": ("retail_sales_total", "level"),
    "rg_retail_total_2019_yoy": ("retail_sales_total", "yoy_pct"),
    "rg_retail_total_2019_real_yoy": ("retail_sales_total", "yoy_real_pct"),
    "rg_retail_ex_auto_2019_level": ("retail_sales_ex_auto", "level"),
    "rg_retail_ex_auto_2019_yoy": ("retail_sales_ex_auto", "yoy_pct"),
    "rg_retail_total_2019_12_level": ("retail_sales_total", "level"),
    "rg_retail_total_2019_12_yoy": ("retail_sales_total", "yoy_pct"),
    "rg_retail_ex_auto_2019_12_level": ("retail_sales_ex_auto", "level"),
    "rg_retail_ex_auto_2019_12_yoy": ("retail_sales_ex_auto", "yoy_pct"),
    "rg_online_retail_2019_level": ("online_retail_total", "level"),
    "rg_online_retail_2019_yoy": ("online_retail_total", "yoy_pct"),
    "rg_physical_online_2019_level": ("online_retail_physical", "level"),
    "rg_physical_online_2019_yoy": ("online_retail_physical", "yoy_pct"),
    "rg_physical_online_share_2019": ("online_retail_physical", "share_pct"),
    "rg_physical_online_share_2018": ("online_retail_physical", "share_pct"),
    "rg_physical_online_food_2019_yoy": ("online_retail_physical_food", "yoy_pct"),
    "rg_physical_online_clothing_2019_yoy": ("online_retail_physical_clothing", "yoy_pct"),
    "rg_physical_online_daily_use_2019_yoy": ("online_retail_physical_use", "yoy_pct"),
    "rg_physical_store_above_limit_2019_yoy": ("store_retail_above_size", "yoy_pct"),
    "rg_supermarket_above_limit_2019_yoy": ("store_format_supermarket", "yoy_pct"),
    "rg_convenience_above_limit_2019_yoy": ("store_format_convenience", "yoy_pct"),
    "rg_above_limit_online_share_2019": ("above_size_internet_retail", "share_pct"),
}

# "faster by N points" claims: claim -> ((indicator, measure, year offset) of a and b, the claims
# stating a and b in the report (used when an official value is missing), labels)
DIFFERENCE_CHECKS = {
    "rg_physical_online_growth_gap_2019_pp": (
        ("online_retail_physical", "yoy_pct", 0), ("retail_sales_total", "yoy_pct", 0),
        ("rg_physical_online_2019_yoy", "rg_retail_total_2019_yoy")),
    "rg_physical_online_share_gain_2019_pp": (
        ("online_retail_physical", "share_pct", 0), ("online_retail_physical", "share_pct", -1),
        ("rg_physical_online_share_2019", "rg_physical_online_share_2018")),
    "rg_supermarket_growth_gap_2019_pp": (
        ("store_format_supermarket", "yoy_pct", 0), ("store_retail_above_size", "yoy_pct", 0),
        ("rg_supermarket_above_limit_2019_yoy", "rg_physical_store_above_limit_2019_yoy")),
    "rg_convenience_growth_gap_2019_pp": (
        ("store_format_convenience", "yoy_pct", 0), ("store_retail_above_size", "yoy_pct", 0),
        ("rg_convenience_above_limit_2019_yoy", "rg_physical_store_above_limit_2019_yoy")),
    "rg_above_limit_online_share_gain_2019_pp": (
        ("above_size_internet_retail", "share_pct", 0), ("above_size_internet_retail", "share_pct", -1), None),
}

# share gains the report states from printed shares; their note adds the gain on comparable bases,
# the footing the contribution uses (share_gain_table)
COMPARABLE_SHARE_GAINS = {"rg_physical_online_share_gain_2019_pp"}

FORECAST_CHECKS = {
    "rg_express_volume_2019_forecast": ("express_volume", "level"),
    "rg_express_revenue_2019_forecast": ("express_revenue", "level"),
    "rg_express_volume_2019_yoy_forecast": ("express_volume", "yoy_pct"),
    "rg_express_revenue_2019_yoy_forecast": ("express_revenue", "yoy_pct"),
}


def _shift_year(period: tuple[str, str], years: int) -> tuple[str, str]:
    return tuple(f"{int(p[:4]) + years}{p[4:]}" for p in period)


def figure_period(dated: pd.DataFrame, claim_id: str) -> tuple[str, str]:
    """The months a figure of the report covers (its title's period), from the dated statements."""
    return ledger_period(dated.loc[claim_id, "period"])


def figure_periods(params, dated: pd.DataFrame, official: pd.DataFrame | None = None) -> dict[str, str]:
    """The months of Figures 1–4: the parameters, where 'report' means the
    period the report's own figure covers. With `official`, the months are
    checked against the data (a clear error naming the parameter, not a failed
    figure): start before end, and official monthly data inside the period."""
    fig1 = figure_period(dated, "rg_fig1_coverage")
    fig4 = figure_period(dated, "rg_fig4_coverage")
    pick = lambda value, default: default if value == "report" else value  # noqa: E731
    out = {"start": pick(params.period_start, fig1[0]), "end": pick(params.period_end, fig1[1]),
           "share_end": pick(params.share_period_end, fig4[1])}
    problems = []
    for end_key, name in (("end", "period_end"), ("share_end", "share_period_end")):
        if out["start"] > out[end_key]:
            problems.append(f"retail_growth.period_start = {out['start']} is after retail_growth.{name} = "
                            f"{out[end_key]} (after 'report' is resolved)")
    if official is not None and not problems:
        months = official.loc[official["period_start"] == official["period_end"], "period_end"]
        months = months[(months >= out["start"]) & (months <= max(out["end"], out["share_end"]))]
        if months.empty:
            known = official["period_end"]
            problems.append(f"retail_growth.period_start..period_end = {out['start']}..{out['end']}: no official "
                            f"monthly data in that period; data/official covers {known.min()}..{known.max()}")
    if problems:
        raise ParameterError("; ".join(problems))
    return out


def contribution_table(official: pd.DataFrame, year: int) -> pd.DataFrame:
    """Contribution of physical-goods online sales to total retail growth.

    contribution = (P − P/(1+gP)) / (T − T/(1+gT)), on NBS's comparable bases;
    contribution_low/high: its range under the printed rounding of the four
    inputs (levels to 1 亿元, growth to 0.1%).
    """
    y0, y1 = f"{year}-01", f"{year}-12"
    inputs = _inputs(official, y0, y1)
    if inputs is None:
        return pd.DataFrame()
    (p, *p_range), (gp, *gp_range), (t, *t_range), (gt, *gt_range) = inputs
    p_base, t_base = derive.comparable_base(p, gp), derive.comparable_base(t, gt)
    low, high = derive.contribution_range(p_range, gp_range, t_range, gt_range)
    return pd.DataFrame({
        "quantity": ["online_retail_physical", "retail_sales_total"],
        "level": [p, t], "growth_pct": [gp, gt],
        "comparable_base": [p_base, t_base],
        "increase": [p - p_base, t - t_base],
    }).assign(contribution_pct=lambda f: f["increase"] / f["increase"].iloc[1] * 100,
              contribution_low=[low, 100.0], contribution_high=[high, 100.0])


def _inputs(official: pd.DataFrame, start: str, end: str):
    """(value, low, high) of P, gP, T, gT for a cumulative period, or None if one is missing."""
    out = [derive.printed_interval(official, indicator, measure, start, end)
           for indicator in ("online_retail_physical", "retail_sales_total") for measure in ("level", "yoy_pct")]
    return None if any(x is None for x in out) else out


def share_gain_table(official: pd.DataFrame, year: int) -> pd.DataFrame:
    """The gain of physical-goods online sales' share in total retail over the
    previous year, on two bases, with ranges under the printed rounding:

    - printed: this year's printed share minus last year's printed share (what
      the report does: last year's share on last year's, unrevised, levels);
    - comparable: both shares on this year's comparable bases, P/T − (P/(1+gP)) / (T/(1+gT))
      (the basis the contribution uses).
    """
    rows = []
    now = derive.printed_interval(official, "online_retail_physical", "share_pct", f"{year}-01", f"{year}-12")
    before = derive.printed_interval(official, "online_retail_physical", "share_pct", f"{year - 1}-01",
                                     f"{year - 1}-12")
    if now and before:
        low, high = derive.interval_sub(now[1:], before[1:])
        rows.append({"basis": "printed", "share_now": now[0], "share_before": before[0],
                     "gain_pp": now[0] - before[0], "low": low, "high": high})
    inputs = _inputs(official, f"{year}-01", f"{year}-12")
    if inputs:
        (p, *pr), (gp, *gpr), (t, *tr), (gt, *gtr) = inputs
        low, high = derive.vertex_range(derive.comparable_share_gain_pp, pr, gpr, tr, gtr)
        rows.append({"basis": "comparable", "share_now": p / t * 100,
                     "share_before": derive.comparable_prior_share_pct(p, gp, t, gt),
                     "gain_pp": derive.comparable_share_gain_pp(p, gp, t, gt), "low": low, "high": high})
    return pd.DataFrame(rows, columns=["basis", "share_now", "share_before", "gain_pp", "low", "high"])


def non_physical_online(official: pd.DataFrame, start: str, end: str) -> pd.DataFrame:
    """Online sales that are not physical goods (services, virtual goods: online
    minus physical-goods online), cumulative, with growth on comparable bases
    (derive.growth_of_difference_pct) and its range under the printed rounding."""
    months = pd.period_range(start, end, freq="M")
    parts = {f"{name}_{m}": derive.series_bounds(official, indicator, measure, "cumulative")
             for name, indicator in (("online", "online_retail_total"), ("physical", "online_retail_physical"))
             for m, measure in (("level", "level"), ("growth", "yoy_pct"))}
    frame = pd.DataFrame(index=months)
    for key, b in parts.items():
        b = b[~b.index.duplicated()].reindex(months)
        frame[key], frame[f"{key}_low"], frame[f"{key}_high"] = b["value"], b["low"], b["high"]
    frame["non_physical_level"] = frame["online_level"] - frame["physical_level"]
    frame["non_physical_share_of_online"] = frame["non_physical_level"] / frame["online_level"] * 100
    frame["non_physical_growth"] = derive.growth_of_difference_pct(
        frame["online_level"], frame["online_growth"], frame["physical_level"], frame["physical_growth"])
    low, high = derive.vertex_range(derive.growth_of_difference_pct,
                                    *[(frame[f"{k}_low"], frame[f"{k}_high"]) for k in
                                      ("online_level", "online_growth", "physical_level", "physical_growth")])
    frame["non_physical_growth_low"], frame["non_physical_growth_high"] = low, high
    out = frame[["online_level", "physical_level", "non_physical_level", "non_physical_share_of_online",
                 "online_growth", "physical_growth", "non_physical_growth", "non_physical_growth_low",
                 "non_physical_growth_high"]]
    return out[~((out.index.month == 1) & out.isna().all(axis=1))]


def real_growth_table(official: pd.DataFrame, start: str, end: str) -> pd.DataFrame:
    """Where NBS prints real (price-adjusted) growth of total retail sales: the
    nominal growth of the same period beside it and the price change they imply,
    (1 + nominal) / (1 + real) − 1, with its range under the printed rounding."""
    rows = official[(official["indicator"] == "retail_sales_total") & (official["measure"] == "yoy_real_pct")
                    & official["value"].notna() & (official["period_end"] >= pd.Period(start, "M"))
                    & (official["period_end"] <= pd.Period(end, "M"))].sort_values(["period_end", "period_start"])
    out = []
    for _, r in rows.iterrows():
        a, b = str(r["period_start"]), str(r["period_end"])
        real = derive.printed_interval(official, "retail_sales_total", "yoy_real_pct", a, b)
        nominal = derive.printed_interval(official, "retail_sales_total", "yoy_pct", a, b)
        if nominal is None:
            continue
        price = lambda n, q: ((1 + n / 100) / (1 + q / 100) - 1) * 100  # noqa: E731
        low, high = derive.vertex_range(price, nominal[1:], real[1:])
        out.append({"period": a if a == b else f"{a}..{b}", "kind": "month" if a == b else "cumulative",
                    "nominal_pct": nominal[0], "real_pct": real[0], "price_change_pct": price(nominal[0], real[0]),
                    "price_low": low, "price_high": high})
    return pd.DataFrame(out, columns=["period", "kind", "nominal_pct", "real_pct", "price_change_pct", "price_low",
                                      "price_high"])


# --------------------------------------------------------------------------
# Names and views: what the notebook shows, in the edition's language
# --------------------------------------------------------------------------

# English names of the indicators this section shows (the Chinese ones: data.vocabulary.INDICATORS)
INDICATOR_EN = {
    "retail_sales_total": "total retail sales", "online_retail_total": "online retail sales",
    "online_retail_physical": "physical-goods online retail sales", "express_volume": "express-delivery volume",
    "express_revenue": "express-delivery revenue",
}
# units of the express-delivery table, by measure and indicator
EXPRESS_UNITS = {("express_volume", "level"): "亿件", ("express_revenue", "level"): "亿元"}


def indicator_name(indicator: str, language: str) -> str:
    return INDICATORS.get(indicator, indicator) if language == "zh" else INDICATOR_EN.get(indicator, indicator)


def contribution_view(table: pd.DataFrame, language: str) -> pd.DataFrame:
    return table.assign(quantity=[indicator_name(q, language) for q in table["quantity"]])


def share_gain_view(table: pd.DataFrame, language: str) -> pd.DataFrame:
    return table.assign(basis=[i18n.render(f"share_gain.basis.{b}", {}, language, SECTION) for b in table["basis"]])


def real_growth_view(table: pd.DataFrame, language: str) -> pd.DataFrame:
    return table.assign(kind=[i18n.render(f"real_growth.kind.{k}", {}, language, SECTION) for k in table["kind"]])


def express_view(table: pd.DataFrame, language: str) -> pd.DataFrame:
    pick = 0 if language == "zh" else 1
    return table.assign(indicator=[indicator_name(i, language) for i in table["indicator"]],
                        measure=[MEASURE_LABELS[m][pick] for m in table["measure"]],
                        unit=[unit_label(EXPRESS_UNITS.get((i, m), "%"), language)
                              for i, m in zip(table["indicator"], table["measure"])])


def coverage_view(coverage: pd.DataFrame, language: str) -> pd.DataFrame:
    """data.coverage's table as shown: one row per period, one column per indicator
    named in the edition's language, a recorded gap said in it."""
    shown = coverage.replace("gap", i18n.render("coverage.gap", {}, language, SECTION))
    shown.columns = [indicator_name(c, language) for c in shown.columns]
    shown.insert(0, i18n.render("coverage.period", {}, language, SECTION), [str(p) for p in shown.index])
    return shown.reset_index(drop=True)


def monthly_panel(official: pd.DataFrame, start: str, end: str) -> pd.DataFrame:
    """The series behind Figures 1–4, indexed by month (gaps kept as NaN)."""
    months = pd.period_range(start, end, freq="M")
    cols = {
        "retail_total_month_yoy": series(official, "retail_sales_total", "yoy_pct", "month"),
        "retail_total_cum_yoy": series(official, "retail_sales_total", "yoy_pct", "cumulative"),
        "online_total_cum_level": series(official, "online_retail_total", "level", "cumulative"),
        "online_total_cum_yoy": series(official, "online_retail_total", "yoy_pct", "cumulative"),
        "physical_cum_level": series(official, "online_retail_physical", "level", "cumulative"),
        "physical_cum_yoy": series(official, "online_retail_physical", "yoy_pct", "cumulative"),
        "physical_share_of_retail": series(official, "online_retail_physical", "share_pct", "cumulative"),
        "food_cum_yoy": series(official, "online_retail_physical_food", "yoy_pct", "cumulative"),
        "clothing_cum_yoy": series(official, "online_retail_physical_clothing", "yoy_pct", "cumulative"),
        "use_cum_yoy": series(official, "online_retail_physical_use", "yoy_pct", "cumulative"),
    }
    panel = pd.DataFrame({k: v[~v.index.duplicated()] for k, v in cols.items()}).reindex(months)
    # derived (not data): the physical share within online retail (Figure 4's title)
    panel["physical_share_of_online"] = derive.share_pct(panel["physical_cum_level"], panel["online_total_cum_level"])
    # January has no release of its own (NBS prints 1–2月): drop it unless present
    return panel[~((panel.index.month == 1) & panel.isna().all(axis=1))]


def forecast_row(forecasts: pd.DataFrame, indicator: str, measure: str, period: tuple[str, str]) -> pd.Series | None:
    """The forecast statement for the period made after it ended (the report's: early the next year)."""
    start, end = period
    rows = forecasts[(forecasts["indicator"] == indicator) & (forecasts["measure"] == measure)
                     & (forecasts["period_start"] == start) & (forecasts["period_end"] == end)
                     & (forecasts["statement_date"] > end)]
    return None if rows.empty else rows.iloc[0]


def forecast_vs_final(official: pd.DataFrame, forecasts: pd.DataFrame, period: tuple[str, str]) -> pd.DataFrame:
    """SPB's forecast for the year against its later final figure."""
    rows = []
    for indicator, measure in [("express_volume", "level"), ("express_revenue", "level"),
                               ("express_volume", "yoy_pct"), ("express_revenue", "yoy_pct")]:
        f = forecast_row(forecasts, indicator, measure, period)
        a = official_value(official, indicator, measure, *period)
        forecast = None if f is None else float(f["value"])
        rows.append({"indicator": indicator, "measure": measure, "forecast": forecast, "final": a,
                     "final_minus_forecast": None if forecast is None or a is None else a - forecast})
    return pd.DataFrame(rows)


def check_claims(book: ClaimBook, official: pd.DataFrame, forecasts: pd.DataFrame) -> None:
    """Every claim of section 一(一)(二) against the official data."""
    for claim_id, (indicator, measure) in OFFICIAL_CHECKS.items():
        check_against_official(book, claim_id, official, indicator, measure)

    for claim_id, (a_spec, b_spec, stated_pair) in DIFFERENCE_CHECKS.items():
        period = book.period(claim_id)
        a = official_row(official, a_spec[0], a_spec[1], *_shift_year(period, a_spec[2]))
        b = official_row(official, b_spec[0], b_spec[1], *_shift_year(period, b_spec[2]))
        labels = {"label_a": _en(a), "label_b": _en(b),
                  "label_a_zh": f"{_zh(a)}（{a.period}）", "label_b_zh": f"{_zh(b)}（{b.period}）"}
        if a.found and b.found:
            ia = derive.printed_interval(official, a.indicator, a.measure, a.period_start, a.period_end)
            ib = derive.printed_interval(official, b.indicator, b.measure, b.period_start, b.period_end)
            check = book.check(claim_id, derive.percentage_point_difference(a.value, b.value),
                               explain="difference_official_interval", interval=derive.interval_sub(ia[1:], ib[1:]),
                               facts={**labels, "a": a.value, "b": b.value})
            if claim_id in COMPARABLE_SHARE_GAINS:
                _note_comparable_gain(check, official, int(period[0][:4]))
        elif stated_pair:
            sa, sb = book.stated(stated_pair[0]), book.stated(stated_pair[1])
            book.check(claim_id, derive.percentage_point_difference(sa, sb), basis="report",
                       explain="report_difference",
                       facts={**labels, "a": sa, "b": sb, "claim_a": stated_pair[0], "claim_b": stated_pair[1]})
        else:
            book.not_sourced(claim_id, "difference_not_sourced", labels)

    claim_id = "rg_physical_online_contribution_2019_lb"
    year = int(book.period(claim_id)[0][:4])
    table = contribution_table(official, year)
    if table.empty:
        book.not_sourced(claim_id, "contribution_not_sourced", {"year": year})
    else:
        p, t = table.iloc[0], table.iloc[1]
        book.check(claim_id, p["contribution_pct"], explain="contribution",
                   interval=(p["contribution_low"], p["contribution_high"]),
                   facts={"p": p["level"], "gp": p["growth_pct"], "t": t["level"], "gt": t["growth_pct"]})

    # The express-delivery numbers are the State Post Bureau's forecast: the
    # claim is checked against SPB's own forecast statement.
    for claim_id, (indicator, measure) in FORECAST_CHECKS.items():
        period = book.period(claim_id)
        f = forecast_row(forecasts, indicator, measure, period)
        if f is None:
            book.not_sourced(claim_id, "forecast_not_sourced", {"indicator": indicator})
            continue
        final = official_value(official, indicator, measure, *period)
        # the report quotes the SPB's forecast and this is the SPB's own forecast statement: the same
        # source, so a match is consistent, not reproduced (nothing independent was recomputed)
        book.check(claim_id, float(f["value"]), explain="forecast" if final is not None else "forecast_final_gap",
                   basis="same_source", facts={"final": final, "statement_title": f["statement_title"],
                                               "statement_date": f["statement_date"]})


def _note_comparable_gain(check, official: pd.DataFrame, year: int) -> None:
    """Append the comparable-basis share gain (with its rounding range) to a claim's note."""
    rows = share_gain_table(official, year)
    rows = rows[rows["basis"] == "comparable"]
    if rows.empty:
        return
    g = rows.iloc[0]
    facts = {"year": year, "gain": g["gain_pp"], "low": g["low"], "high": g["high"], "before": g["share_before"]}
    for lang in i18n.LANGUAGES:
        text = i18n.render("checks.share_gain_comparable.note", facts, lang, SECTION)
        check.explanations[lang]["note"] = " ".join(t for t in (check.explanations[lang]["note"], text) if t)


def _en(row) -> str:
    return f"{INDICATORS_EN[row.indicator]}, {MEASURE_LABELS[row.measure][1]} ({row.period})"


def _zh(row) -> str:
    return f"{INDICATORS[row.indicator]}{MEASURE_LABELS[row.measure][0]}"


def share_gain_sentence(table: pd.DataFrame, year: int, language: str, checks: pd.DataFrame | None = None) -> str:
    """The share's gain as the report and the official bodies define it (the
    difference of the printed shares), then the comparable basis as an
    alternative; with the method checks, how the bodies' own statements
    reproduce on each basis."""
    rows = table.set_index("basis")
    if not {"printed", "comparable"} <= set(rows.index):
        return i18n.render("share_gain.missing", {"year": year}, language, SECTION)
    p, c = rows.loc["printed"], rows.loc["comparable"]
    facts = {"year": year, "printed": p["gain_pp"], "printed_low": p["low"], "printed_high": p["high"],
             "comparable": c["gain_pp"], "comparable_low": c["low"], "comparable_high": c["high"],
             "before": c["share_before"]}
    text = i18n.render("share_gain.sentence", facts, language, SECTION)
    if checks is not None and not checks.empty:
        d = methods.share_definition_facts(checks)
        if d["n_printed"]:
            d["bodies"] = ("、" if language == "zh" else " and ").join(
                b if language == "zh" else methods.body_name(b, language) for b in d["bodies"])
            text += ("" if language == "zh" else " ") + i18n.render("share_gain.definition", d, language, SECTION)
    return text


def non_physical_sentence(frame: pd.DataFrame, period: str, language: str) -> str:
    if period not in [str(p) for p in frame.index] or frame.loc[period, ["non_physical_growth"]].isna().any():
        return i18n.render("non_physical.missing", {"period": period}, language, SECTION)
    r = frame.loc[period]
    p = pd.Period(period, "M")
    text = i18n.label(f"{p.year}年1–{p.month}月", f"{p.year}, Jan–{p.strftime('%b')}", language)
    return i18n.render("non_physical.sentence", {
        "period": period, "period_text": text, "online_growth": r["online_growth"],
        "physical_growth": r["physical_growth"], "share": r["non_physical_share_of_online"], "growth": r["non_physical_growth"],
        "low": r["non_physical_growth_low"], "high": r["non_physical_growth_high"],
        # levels as each edition prints them: 亿元, and trillions of yuan (1 万亿元 = 10,000 亿元, exact)
        "online_zh": r["online_level"], "physical_zh": r["physical_level"], "rest_zh": r["non_physical_level"],
        "online_en": r["online_level"] / 1e4, "physical_en": r["physical_level"] / 1e4,
        "rest_en": r["non_physical_level"] / 1e4}, language, SECTION)
