"""Section 二(一)(二), presentation: constraints as readers name them, the
typeset tables of the notebook, and the facts of the 基本持平 explanation in
both languages (texts.yaml). Nothing here computes a range or a verdict.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from ...i18n import LANGUAGES, label, render
from ...tables import MINUS, Column, table, unit_label
from .constraints import _span
from .proactive import FLAT_VERDICTS, FlatQuestion, combined_verdict

SECTION = "index_trend"


# ------------------------------------------------------------ tables
# What the notebook shows, typeset in the edition's language (ecrights.tables).
# Internal names (stat ids, "index ≥ 0 (2019-03)", the base constraint) stay as
# they are in the data the figures write; readers see them through constraint_label.

BOUND_NAME = re.compile(r"^index (?P<sign>[≥≤]) (?P<bound>\S+) \((?P<months>[^)]*)\)$")
BASE_NAME = re.compile(r"^base (?P<month>\S+) = (?P<value>\S+) \(assumed\)$")


def constraint_label(name: str, labels: dict[str, str], language: str) -> str:
    """A constraint as a reader names it: a statistic by its label (S7), a
    bound of the index or the assumed base value in the edition's language."""
    if name in labels:
        return labels[name]
    m = BOUND_NAME.match(name)
    if m:
        return render("constraints.bound", m.groupdict(), language, SECTION)
    m = BASE_NAME.match(name)
    if m:
        return render("constraints.base", m.groupdict(), language, SECTION)
    return name


def constraint_labels(names: list[str], labels: dict[str, str], language: str) -> str:
    return label("；", "; ", language).join(constraint_label(n, labels, language) for n in names)


def _signed(text: str) -> str:
    return str(text).replace("-", MINUS)


def statistics_table(read: pd.DataFrame, revision: str, language: str):
    """Every stored statistic with its role: a constraint (as read) or the reason it is not one."""
    rows = [{"label": r["label"], "stat_id": r["stat_id"], "publication": r["publication"],
             "kind": render(f"kinds.{r['kind']}", {}, language, SECTION),
             "period": _span(r["period_start"], r["period_end"]),
             "compared_with": _span(r["compare_start"], r["compare_end"]) if r["compare_start"] else "",
             "value": f"{_signed(r['value_text'])} {unit_label(r['unit'], language)}",
             "rounding": "±" + np.format_float_positional(round(r["tolerance"], 12), trim="-"),  # ±0.00005, not 5e-05
             "role": render(f"reasons.{r['reason'] or 'used'}", {"revision": revision}, language, SECTION)
             + (label("；", "; ", language) + render("fragile.fragile_marker", {}, language, SECTION)
                if r.get("fragile", False) else "")}
            for _, r in read.iterrows()]
    return table(rows, [Column("label", "编号", "label", kind="id"), Column("stat_id", "统计量", "statistic", kind="id"),
                        Column("publication", "出处", "published in", lang="zh", quote=True),
                        Column("kind", "类型", "kind"), Column("period", "期间", "period"),
                        Column("compared_with", "比较期", "compared with"), Column("value", "印出值", "as printed"),
                        Column("rounding", "印刷精度", "rounding"), Column("role", "作用", "role")], language)


def residuals_table(residuals: pd.DataFrame, labels: dict[str, str], language: str):
    """How the illustrative path meets each constraint (excess beyond the printed rounding; 0: met)."""
    rows = residuals.assign(constraint=[constraint_label(n, labels, language) for n in residuals["constraint"]])
    points = {"kind": "points", "digits": 2}
    return table(rows, [Column("constraint", "约束", "constraint"), Column("stated", "印出值", "as printed", **points),
                        Column("low", "下限", "low", **points), Column("high", "上限", "high", **points),
                        Column("path", "示意路径", "illustrative path", **points),
                        Column("excess", "超出精度", "excess", kind="points", digits=3)], language)


def _interval(low: float, high: float, digits: int = 2) -> str:
    return f"[{low:.{digits}f}, {high:.{digits}f}]".replace("-", MINUS).replace("inf", "∞")


def verdict_label(verdict: str, language: str) -> str:
    return render(f"flat_verdicts.{verdict}", {}, language, SECTION)


def flat_verdict_shown(verdict: str) -> dict[str, str]:
    """A 基本持平 verdict token as each edition shows it (the token stays the value in JSON/CSV)."""
    return {language: verdict_label(verdict, language) for language in LANGUAGES}


def scenarios_table(scenarios: pd.DataFrame, language: str):
    """The proactive scenarios: what each assumes, the shares removed, the
    adjusted change at the printed values, its range over the printed
    rounding (at the assumed level; and over the assumed level range), the
    verdict, and the tolerances at which that verdict would change."""
    rows = scenarios.assign(label=scenarios[f"label_{language}"], removed_2019=scenarios["removed_2019"] * 100,
                            removed_2018=scenarios["removed_2018"] * 100,
                            rounding=[_interval(a, b) for a, b in zip(scenarios["rounding_low"],
                                                                      scenarios["rounding_high"])],
                            verdict_at_level=[verdict_label(v, language) for v in scenarios["verdict_at_level"]],
                            interval=[_interval(a, b) for a, b in zip(scenarios["low"], scenarios["high"])],
                            verdict=[verdict_label(v, language) for v in scenarios["verdict"]])
    points = {"kind": "points", "digits": 2}
    return table(rows, [Column("label", "情景", "scenario"),
                        Column("removed_2019", "2019年平均剔除", "removed in 2019, mean", kind="percent"),
                        Column("removed_2018", "2018年平均剔除", "removed in 2018, mean", kind="percent"),
                        Column("adjusted_change", "按印出值的变动", "change at the printed values", **points),
                        Column("rounding", "印刷精度内（假设的2018年水平）",
                               "within the printed rounding (assumed 2018 level)"),
                        Column("verdict_at_level", "判断（仅印刷精度）", "verdict (rounding only)"),
                        Column("interval", "印刷精度内且2018年水平取假设范围", "within the rounding, over the assumed "
                               "2018 levels"),
                        Column("verdict", "判断", "verdict"),
                        Column("tolerance_needed", "相符所需的容差（至少）", "tolerance needed to be consistent",
                               **points),
                        Column("tolerance_floor", "低于此容差即不持平", "below this tolerance: not flat", **points)],
                 language)


def seasonality_table(season: pd.DataFrame, language: str):
    rows = season.assign(comparison=[render(f"comparisons.{c}", {}, language, SECTION) for c in season["comparison"]],
                         verdict=[render(f"verdicts.{v}", {}, language, SECTION) for v in season["verdict"]],
                         year=season["year"].astype(str))
    return table(rows, [Column("year", "年份", "year"), Column("comparison", "比较", "comparison"),
                        Column("minimum", "最小差值", "lowest difference", kind="points"),
                        Column("maximum", "最大差值", "highest difference", kind="points"),
                        Column("illustrative_path", "示意路径上", "on the illustrative path", kind="points"),
                        Column("verdict", "结论", "verdict")], language)


def reading_table(summary: pd.DataFrame, labels: dict[str, str], language: str):
    """Every reading of the unnamed 环比 base side by side (one column per reading)."""
    rows = summary.assign(
        meaning=[render(f"readings.{r}", {}, language, SECTION) for r in summary["reading"]],
        conflict=[constraint_labels(c.split("; "), labels, language) if c else "" for c in summary["conflict"]],
        seasonal=[f"{d:.0f} / {n:.0f}" if pd.notna(d) else "" for d, n in zip(summary["seasonal_determined"],
                                                                             summary["seasonal_tests"])])
    return table(rows, [Column("meaning", "读法", "reading"), Column("constraints", "约束个数", "constraints", kind="count"),
                        Column("feasible", "存在可行路径", "some path admissible"),
                        Column("ambiguous_bases", "未写明的比较期及其均值范围", "unnamed bases and their mean's range"),
                        Column("figure5_months_bounded_above", "图5时段有上界的月份", "months of Figure 5 bounded above",
                               kind="count"),
                        Column("seasonal", "确定的季节性比较", "seasonal comparisons determined"),
                        Column("lowest_upper_bound", "统计量允许的最低上界", "lowest upper bound allowed", kind="points"),
                        Column("lowest_upper_bound_month", "在该月", "binding in"),
                        Column("conflict", "相互矛盾的约束", "conflicting constraints"),
                        Column("least_relaxation", "最少放宽", "least relaxation", kind="points")],
                 language, reshape="transpose")


def flat_facts(q: FlatQuestion, scenarios: pd.DataFrame, chosen: str) -> dict:
    """What the 基本持平 explanation says, in both languages: the verdict of
    the assumed scenario and why (its interval against ±tolerance), the
    verdict at the assumed level alone, the tolerances at which it would
    change, and the verdicts of every scenario."""
    row = scenarios.set_index("scenario").loc[chosen]
    facts = {**q.facts(), "interval_low": row["low"], "interval_high": row["high"], "rounding_low": row["rounding_low"],
             "rounding_high": row["rounding_high"], "adjusted_change": row["adjusted_change"],
             "tolerance_needed": row["tolerance_needed"], "tolerance_floor": row["tolerance_floor"],
             "n_scenarios": len(scenarios), "overall": combined_verdict(scenarios["verdict"])}
    for v in FLAT_VERDICTS:
        facts[f"n_{v}"] = int((scenarios["verdict"] == v).sum())
    for lang in LANGUAGES:
        facts[f"scenario_{lang}"] = row[f"label_{lang}"]
        facts[f"verdict_{lang}"] = verdict_label(row["verdict"], lang)
        facts[f"verdict_at_level_{lang}"] = verdict_label(row["verdict_at_level"], lang)
        facts[f"overall_{lang}"] = verdict_label(facts["overall"], lang)
        facts[f"why_{lang}"] = render(f"flat_reasons.{row['verdict']}", {**facts, "side": _side(row, lang)}, lang,
                                      SECTION)
        facts[f"share_basis_{lang}"] = render("flat_share." + ("assumed" if q.share_text is None else "printed"),
                                              {**facts, "share_text": q.share_text}, lang, SECTION)
        facts[f"thresholds_{lang}"] = render("flat_thresholds." + ("straddles_zero" if row["tolerance_floor"] == 0
                                                                   else "off_zero"), facts, lang, SECTION)
        facts[f"all_{lang}"] = label("；", "; ", lang).join(
            f"{r[f'label_{lang}']}: {verdict_label(r['verdict'], lang)}" for _, r in scenarios.iterrows())
    return facts


def _side(row, language: str) -> str:
    """Which side of the band a not-flat interval lies on."""
    if row["low"] > 0:
        return label("高于", "above", language)
    return label("低于", "below", language)


def fragile_sentence(rec, months: pd.DataFrame, labels: dict[str, str], language: str) -> str:
    """How many statistics in use are fragile, how many months of Figure 5 rest on
    one of them, and which positive lower bounds vanish without it."""
    fragile = rec.read[rec.read["used"] & rec.read["fragile"]]
    if fragile.empty:
        return render("fragile.none", {}, language, SECTION)
    positive = months[(months["lower"] > 0) & (months["moves"].str.contains("lower"))]
    sep = label("、", ", ", language)
    return render("fragile.sentence", {
        "n_fragile": len(fragile), "labels": sep.join(labels.get(s, s) for s in fragile["stat_id"]),
        "n_months": months["month"].nunique(),
        "positive": sep.join(render("fragile.positive_item", r.to_dict(), language, SECTION)
                             for _, r in positive.iterrows()) or render("fragile.no_positive", {}, language, SECTION)},
        language, SECTION)


def fragile_table(months: pd.DataFrame, language: str):
    """The months resting on a single fragile statistic: the range with it and without it."""
    rows = months.assign(with_it=[_interval(a, b) for a, b in zip(months["lower"], months["upper"])],
                         without=[_interval(a, b) for a, b in zip(months["lower_without"], months["upper_without"])],
                         moves=[render(f"fragile_bound.{m}", {}, language, SECTION) for m in months["moves"]])
    return table(rows, [Column("month", "月份", "month"), Column("label", "统计量", "statistic", kind="id"),
                        Column("moves", "变动的界", "bound that moves"),
                        Column("with_it", "可行范围", "admissible range"),
                        Column("without", "去掉该统计量后", "without it")], language)
