"""一(一)(二), checks of the project's method: other official bodies' published derived
figures (data/published/method_statements.csv: contributions, shares, changes of shares)
recomputed from data/official by every method that applies, each with its range under the
printed rounding. Checks of our arithmetic, not claims of the report."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from ... import derive, i18n
from ...claims import printed_precision

SECTION = "retail_growth"
# the bodies of data/published/method_statements.csv
BODY_EN = {"商务部": "Ministry of Commerce", "国家统计局": "NBS"}


def body_name(body: str, language: str) -> str:
    return body if language == "zh" else BODY_EN.get(body, body)


# a change of a share is the difference of the printed shares: the definition the report and the
# official bodies use (every such statement checked reproduces by it; comparable bases do not, e.g.
# MOFCOM's 2017 gain of 2.4 points against 2.08 on comparable bases)
PRIMARY_METHOD = {"physical_online_contribution_pct": "comparable", "physical_online_share_pct": "levels",
                  "contribution_change_pp": "comparable", "growth_gap_pp": "printed", "share_change_pp": "printed"}
METHOD_STATUSES = ("reproduced", "discrepant", "inputs_missing", "not_understood")


def comparison_period(statement_id: str, start: str, end: str) -> tuple[str, str] | None:
    """The period a change is measured from, read from the statement id's suffix:
    _vs_q1 (the same year's first quarter), _vs_YYYY (the same months of YYYY),
    _yoy (the same months a year earlier); None if the id names none."""
    if statement_id.endswith("_vs_q1"):
        return f"{start[:4]}-01", f"{start[:4]}-03"
    m = re.search(r"_vs_(\d{4})$", statement_id)
    if m:
        return f"{m.group(1)}{start[4:]}", f"{m.group(1)}{end[4:]}"
    if statement_id.endswith("_yoy"):
        return f"{int(start[:4]) - 1}{start[4:]}", f"{int(end[:4]) - 1}{end[4:]}"
    return None


def _ranged(func, inputs: list, names: list[str]):
    """(value, low, high) of func over its inputs' rounding, or 'missing: …' naming absent inputs."""
    missing = [n for n, x in zip(names, inputs) if x is None]
    if missing:
        return "missing: " + ", ".join(missing)
    low, high = derive.vertex_range(func, *[x[1:] for x in inputs])
    return func(*[x[0] for x in inputs]), low, high


def _shift(period: tuple[str, str], years: int) -> tuple[str, str]:
    return tuple(f"{int(p[:4]) + years}{p[4:]}" for p in period)


def _comparable_contribution(p, gp, t, gt):
    return (p - derive.comparable_base(p, gp)) / (t - derive.comparable_base(t, gt)) * 100.0


def _levels_contribution(p, t, p_prev, t_prev):
    """Increase over last year's printed levels (not the comparable base)."""
    return (p - p_prev) / (t - t_prev) * 100.0


def _levels_share_change(p, t, pc, tc):
    return p / t * 100.0 - pc / tc * 100.0


class _Inputs:
    """Printed values (value, low, high) of one period, named for 'missing' notes."""

    def __init__(self, official: pd.DataFrame, period: tuple[str, str]):
        self.official, self.period = official, period

    def __call__(self, short: str):
        indicator, measure = {"P": ("online_retail_physical", "level"), "gP": ("online_retail_physical", "yoy_pct"),
                              "T": ("retail_sales_total", "level"), "gT": ("retail_sales_total", "yoy_pct"),
                              "share": ("online_retail_physical", "share_pct")}[short]
        return derive.printed_interval(self.official, indicator, measure, *self.period)

    def names(self, *shorts: str) -> list[str]:
        return [f"{s} {self.period[0]}..{self.period[1]}" for s in shorts]


def _contributions(official: pd.DataFrame, period: tuple[str, str]) -> dict:
    now, prev = _Inputs(official, period), _Inputs(official, _shift(period, -1))
    return {"comparable": _ranged(_comparable_contribution, [now("P"), now("gP"), now("T"), now("gT")],
                                  now.names("P", "gP", "T", "gT")),
            "levels": _ranged(_levels_contribution, [now("P"), now("T"), prev("P"), prev("T")],
                              now.names("P", "T") + prev.names("P", "T"))}


def _method_values(official: pd.DataFrame, metric: str, period: tuple[str, str],
                   comparison: tuple[str, str] | None) -> dict:
    """{method: (value, low, high) or 'missing: …' or 'not_understood'} for one statement."""
    now = _Inputs(official, period)
    if metric == "physical_online_share_pct":
        return {"levels": _ranged(lambda p, t: p / t * 100, [now("P"), now("T")], now.names("P", "T")),
                "printed": _ranged(lambda x: x, [now("share")], now.names("share"))}
    if metric == "growth_gap_pp":
        return {"printed": _ranged(lambda a, b: a - b, [now("gP"), now("gT")], now.names("gP", "gT"))}
    if metric == "physical_online_contribution_pct":
        return _contributions(official, period)
    if comparison is None or metric not in ("contribution_change_pp", "share_change_pp"):
        return {PRIMARY_METHOD.get(metric, "levels"): "not_understood"}
    before = _Inputs(official, comparison)
    if metric == "contribution_change_pp":
        out = {}
        mine, theirs = _contributions(official, period), _contributions(official, comparison)
        for method in mine:
            a, b = mine[method], theirs[method]
            if isinstance(a, str) or isinstance(b, str):
                out[method] = "missing: " + "; ".join(x.removeprefix("missing: ") for x in (a, b) if isinstance(x, str))
            else:
                out[method] = (a[0] - b[0], *derive.interval_sub(a[1:], b[1:]))
        return out
    out = {"levels": _ranged(_levels_share_change, [now("P"), now("T"), before("P"), before("T")],
                             now.names("P", "T") + before.names("P", "T")),
           "printed": _ranged(lambda x, y: x - y, [now("share"), before("share")],
                              now.names("share") + before.names("share"))}
    if comparison == _shift(period, -1):  # last year's share on this year's comparable bases
        out["comparable"] = _ranged(derive.comparable_share_gain_pp, [now("P"), now("gP"), now("T"), now("gT")],
                                    now.names("P", "gP", "T", "gT"))
    return out


def method_checks(official: pd.DataFrame, statements: pd.DataFrame) -> pd.DataFrame:
    """Other bodies' statements of derived figures (data/published/method_statements.csv)
    against the same quantities computed here from data/official, by every
    method that applies (comparable bases, printed levels, printed shares), each
    with its range under the printed rounding. A method reproduces a statement
    when the stated value lies in that range widened by the statement's own
    printed precision. `primary` marks the project's own method: comparable
    bases wherever last year's level enters, else the printed levels.
    Checks of our arithmetic, not claims of the report."""
    rows = []
    for sid, st in statements.iterrows():
        start, end = st["period_start"], st["period_end"]
        comparison = comparison_period(sid, start, end)
        stated = float(st["value"])
        tol = printed_precision(f"{stated:g}")
        primary = PRIMARY_METHOD.get(st["metric"])
        values = _method_values(official, st["metric"], (start, end), comparison)
        for method, v in values.items():
            base = {"statement_id": sid, "body": st["body"], "metric": st["metric"],
                    "period": f"{start}..{end}", "compared_with": "" if comparison is None else
                    f"{comparison[0]}..{comparison[1]}", "stated": stated, "method": method,
                    "primary": method == primary, "value": np.nan, "low": np.nan, "high": np.nan, "missing": ""}
            if isinstance(v, str):
                status = "not_understood" if v == "not_understood" else "inputs_missing"
                rows.append({**base, "status": status, "missing": v.removeprefix("missing: ")})
                continue
            value, low, high = v
            ok = min(low, high) - tol - 1e-9 <= stated <= max(low, high) + tol + 1e-9
            rows.append({**base, "value": value, "low": low, "high": high,
                         "status": "reproduced" if ok else "discrepant"})
    return pd.DataFrame(rows, columns=["statement_id", "body", "metric", "period", "compared_with", "stated", "method",
                                       "primary", "value", "low", "high", "status", "missing"])


def method_check_view(checks: pd.DataFrame, language: str) -> pd.DataFrame:
    """The checks of our method as a reader reads them: one row per statement and
    method, body, method and result in the edition's language (the id stays an id)."""
    rows = []
    for _, r in checks.iterrows():
        method = i18n.render(f"method_checks.method.{r['method']}", {}, language, SECTION)
        if r["primary"]:
            method = i18n.render("method_checks.ours", {"method": method}, language, SECTION)
        ours = "—" if np.isnan(r["value"]) else f"{r['value']:.2f} [{r['low']:.2f}, {r['high']:.2f}]"
        status = i18n.render(f"method_checks.status.{r['status']}", {"missing": r["missing"]}, language, SECTION)
        rows.append({"statement_id": r["statement_id"], "body": body_name(r["body"], language), "period": r["period"],
                     "stated": r["stated"], "method": method, "ours": ours, "status": status})
    return pd.DataFrame(rows, columns=["statement_id", "body", "period", "stated", "method", "ours", "status"])


def method_check_facts(row: pd.Series) -> dict:
    """The facts of one method check's result description (both languages' words)."""
    words = {}
    for language in i18n.LANGUAGES:
        words[f"status_{language}"] = i18n.render(f"method_checks.status.{row['status']}", {"missing": row["missing"]},
                                                  language, SECTION)
        words[f"method_{language}"] = i18n.render(f"method_checks.method.{row['method']}", {}, language, SECTION)
        words[f"body_{language}"] = body_name(row["body"], language)
    return {**words, "stated": row["stated"], "period": row["period"]}


def method_check_summary(checks: pd.DataFrame) -> dict:
    """Per statement: reproduced by the project's method; else by another method
    (which); no method computable (inputs missing); computed but matched by none."""
    out = {"total": 0, "primary": 0, "other": 0, "missing": 0, "discrepant": 0, "other_methods": []}
    for _, rows in checks.groupby("statement_id", sort=False):
        out["total"] += 1
        computed = rows[rows["status"].isin(["reproduced", "discrepant"])]
        if (rows["primary"] & rows["status"].eq("reproduced")).any():
            out["primary"] += 1
        elif computed["status"].eq("reproduced").any():
            out["other"] += 1
            out["other_methods"] += list(computed.loc[computed["status"].eq("reproduced"), "method"])
        elif computed.empty:
            out["missing"] += 1
        else:
            out["discrepant"] += 1
    return out


def method_check_sentence(summary: dict, language: str) -> str:
    methods = sorted(set(summary["other_methods"]))
    names = [i18n.render(f"method_checks.method.{m}", {}, language, SECTION) for m in methods]
    return i18n.render("method_checks.summary", {**summary, "other_methods": "; ".join(names) or "—"}, language,
                       SECTION)


def share_definition_facts(checks: pd.DataFrame) -> dict:
    """How the official bodies' statements of a share's change (method checks,
    metric share_change_pp) are reproduced: by differencing the printed shares,
    and on comparable bases (where that applies)."""
    shares = checks[checks["metric"] == "share_change_pp"]
    by = {m: shares[(shares["method"] == m) & shares["status"].isin(["reproduced", "discrepant"])]
          for m in ("printed", "comparable")}
    return {"n_printed": len(by["printed"]), "printed_reproduced": int(by["printed"]["status"].eq("reproduced").sum()),
            "n_comparable": len(by["comparable"]),
            "comparable_reproduced": int(by["comparable"]["status"].eq("reproduced").sum()),
            "bodies": sorted(set(shares["body"]))}
