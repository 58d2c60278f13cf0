"""Section 二(三): the report's industry statements against official category sales.

Pure functions over DataFrames (no file I/O, no plotting).

The report's industry numbers are internal to the platform. What can be done
with public data is (1) keep each statement's nature — exact change, bound,
approximately flat, direction only, ranking — so nothing is drawn or used with
a magnitude the report does not give; (2) check the statements against each
other; (3) set them next to NBS's growth of the commodity categories that
correspond to an industry (a documented, parameterised judgement).

Sign convention: `sign` is +1 for more disputes / a higher index (worse), −1
for fewer / lower (better: 指数优化 = the index falls), 0 for flat; for
turnover_growth it is the sign of the sales change.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from .claims import ClaimBook
from .data import INDICATORS

REPORT_YEAR = 2019  # every statement of the section compares 2019 with 2018
NATURE_ORDER = ("exact", "lower_bound", "approx", "direction", "ranking")  # most to least informative
SIGNS = {"up": 1, "down": -1, "flat": 0}
# How a statement may be drawn: a magnitude only where the report prints one.
DRAW_AS = {"exact": "bar", "lower_bound": "bound", "approx": "approx_marker", "direction": "arrow",
           "ranking": "label"}
METRIC_LABELS = {
    "index": ("指数", "index"),
    "dispute_share": ("纠纷占比", "dispute share"),
    "dispute_rate": ("纠纷率", "dispute rate"),
    "dispute_initiation_rate": ("纠纷发起率", "dispute initiation rate"),
    "disputes": ("纠纷（口径未说明）", "disputes (measure unstated)"),
    "dispute_volume": ("纠纷量", "dispute volume"),
    "turnover_growth": ("成交增幅", "turnover growth"),
}
DISPUTE_METRICS = ("index", "dispute_share", "dispute_rate", "dispute_initiation_rate", "disputes", "dispute_volume")


# --------------------------------------------------------------------------
# Encoding statements
# --------------------------------------------------------------------------

def _bound_is_strict(quote: str) -> bool:
    # 超过 X = more than X (strict); X以上 is read as "X or more"
    return "超过" in quote


def statement_label(row: pd.Series, language: str = "zh") -> str:
    """The statement as a short label that claims no more than the report:
    '−35%', '＞5%', '≥20%', '≈0', '↑', '↓', '第1' / 'rank 1'."""
    nature, sign = row["nature"], SIGNS[row["direction"]]
    if nature in ("exact", "lower_bound"):
        magnitude = row["value_text"]
        unit = row["unit"]
        if unit == "点":
            unit = "个点" if language == "zh" else " points"
        sign_text = "+" if sign > 0 else "−"
        if nature == "exact":
            return f"{sign_text}{magnitude}{unit}"
        # a bound on the change: 'more than 5%' in the direction stated
        op = ("＞" if _bound_is_strict(row["quote"]) else "≥") if sign > 0 else ("＜" if _bound_is_strict(row["quote"]) else "≤")
        return f"{op}{'' if sign > 0 else '−'}{magnitude}{unit}"
    if nature == "approx":
        return "≈0"
    if nature == "direction":
        return {1: "↑", -1: "↓"}[sign]
    return "第1" if language == "zh" else "rank 1"


def encode_statements(statements: pd.DataFrame) -> pd.DataFrame:
    """Add what each statement allows one to say, numerically.

    Columns added: sign (+1/−1/0); point (the signed change — exact statements
    only, NaN otherwise); lower/upper (the signed interval the statement
    confines the change to: ±inf where unbounded, NaN where the report gives no
    interval at all, e.g. 基本持平 without a tolerance or a ranking);
    magnitude_known (True only for exact); bound_strict; draw_as; label_zh/en.
    """
    out = statements.copy()
    out["sign"] = out["direction"].map(SIGNS).astype(int)
    point, lower, upper = [], [], []
    for _, row in out.iterrows():
        s, v, nature = SIGNS[row["direction"]], row["value"], row["nature"]
        if nature == "exact":
            point.append(s * v), lower.append(s * v), upper.append(s * v)
        elif nature == "lower_bound":
            # a bound, never a value: the interval is open on the far side
            point.append(np.nan)
            lower.append(v if s > 0 else -np.inf)
            upper.append(np.inf if s > 0 else -v)
        elif nature == "direction":
            point.append(np.nan)
            lower.append(0.0 if s > 0 else -np.inf)
            upper.append(np.inf if s > 0 else 0.0)
        else:  # approx (≈0, tolerance not printed) and ranking (no magnitude at all)
            point.append(np.nan), lower.append(np.nan), upper.append(np.nan)
    out["point"], out["lower"], out["upper"] = point, lower, upper
    out["magnitude_known"] = out["nature"].eq("exact")
    out["bound_strict"] = out["nature"].eq("lower_bound") & out["quote"].map(_bound_is_strict)
    out["draw_as"] = out["nature"].map(DRAW_AS)
    out["label_zh"] = [statement_label(r, "zh") for _, r in out.iterrows()]
    out["label_en"] = [statement_label(r, "en") for _, r in out.iterrows()]
    return out


def figure_statements(encoded: pd.DataFrame, figure: str) -> pd.DataFrame:
    """The statements behind one of the report's figures ('图6' … '图9'), in report order."""
    return encoded[encoded["figure"] == figure]


def headline_statements(encoded: pd.DataFrame) -> pd.DataFrame:
    """One statement per industry for the 2019-vs-2018 dispute comparison:
    the most informative annual one (exact > bound > approx > direction > ranking)."""
    annual = encoded[(encoded["period"] == str(REPORT_YEAR)) & encoded["metric"].isin(DISPUTE_METRICS)].copy()
    annual["_rank"] = annual["nature"].map({n: i for i, n in enumerate(NATURE_ORDER)})
    annual["_order"] = range(len(annual))
    best = annual.sort_values(["_rank", "_order"]).groupby("industry_zh", sort=False).head(1)
    order = list(dict.fromkeys(annual["industry_zh"]))  # report order of first mention
    return best.set_index("industry_zh").loc[order].reset_index().drop(columns=["_rank", "_order"])


# --------------------------------------------------------------------------
# Official category growth through the mapping
# --------------------------------------------------------------------------

def validate_mapping(mapping: dict[str, list[str]]) -> None:
    unknown = sorted({c for cats in mapping.values() for c in cats} - {k for k in INDICATORS if k.startswith("category_")})
    if unknown:
        raise ValueError(f"category_mapping names unknown NBS categories {unknown}; expected category_* indicators "
                         f"of data/README.md: {sorted(k for k in INDICATORS if k.startswith('category_'))}")


def full_year_yoy(official: pd.DataFrame, indicator: str, year: int) -> pd.Series | None:
    """The printed full-year (1–12月 cumulative) yoy_pct row, or None if absent."""
    rows = official[(official["indicator"] == indicator) & (official["measure"] == "yoy_pct")
                    & (official["period_start"] == pd.Period(f"{year}-01", "M"))
                    & (official["period_end"] == pd.Period(f"{year}-12", "M"))]
    return None if rows.empty else rows.iloc[0]


def category_growth(official: pd.DataFrame, mapping: dict[str, list[str]], year: int) -> pd.DataFrame:
    """One row per (industry, mapped category): the printed full-year growth and
    where it was read. status: 'value', 'gap' (looked for, not found: an empty
    row in data/official) or 'absent' (no row at all). Nothing is estimated."""
    validate_mapping(mapping)
    rows = []
    for industry, indicators in mapping.items():
        for indicator in indicators:
            row = full_year_yoy(official, indicator, year)
            base = {"industry_zh": industry, "indicator": indicator, "category_zh": INDICATORS[indicator],
                    "period": f"{year}-01..{year}-12"}
            if row is None:
                rows.append({**base, "yoy_pct": np.nan, "status": "absent", "release_title": "", "release_date": "",
                             "source_url": "", "source_file": "", "quote": "", "note": ""})
            else:
                value = row["value"]
                rows.append({**base, "yoy_pct": value, "status": "gap" if pd.isna(value) else "value",
                             **{k: row[k] for k in ("release_title", "release_date", "source_url", "source_file",
                                                    "quote", "note")}})
    return pd.DataFrame(rows, columns=["industry_zh", "indicator", "category_zh", "period", "yoy_pct", "status",
                                       "release_title", "release_date", "source_url", "source_file", "quote", "note"])


def mapped_mean(values: pd.Series) -> float:
    """Mean of the mapped categories' growth — only when every one is known.

    A missing category is a gap, not a reason to average the rest: the mean of
    a partial set would be an estimate of the mapping, which we do not make."""
    if values.empty or values.isna().any():
        return math.nan
    return float(values.mean())


def all_categories_growth(official: pd.DataFrame, year: int) -> pd.DataFrame:
    """Every NBS category with its printed full-year growth (NaN = gap/absent),
    ranked among those with a value (1 = fastest)."""
    rows = []
    for indicator, zh in INDICATORS.items():
        if not indicator.startswith("category_"):
            continue
        row = full_year_yoy(official, indicator, year)
        rows.append({"indicator": indicator, "category_zh": zh,
                     "yoy_pct": np.nan if row is None else row["value"],
                     "source_file": "" if row is None else row["source_file"]})
    out = pd.DataFrame(rows)
    out["rank"] = out["yoy_pct"].rank(ascending=False, method="min")
    return out.sort_values(["yoy_pct", "indicator"], ascending=[False, True], na_position="last").reset_index(drop=True)


def industry_table(encoded: pd.DataFrame, categories: pd.DataFrame, mapping: dict[str, list[str]],
                   language: str = "zh") -> pd.DataFrame:
    """Per industry: the report's 2019-vs-2018 dispute statement(s) next to the
    official growth of the mapped categories (each listed; mean only when all
    are known)."""
    heads = headline_statements(encoded)
    lab = "label_zh" if language == "zh" else "label_en"
    annual = encoded[(encoded["period"] == str(REPORT_YEAR)) & encoded["metric"].isin(DISPUTE_METRICS)]
    rows = []
    for _, h in heads.iterrows():
        industry = h["industry_zh"]
        stmts = annual[annual["industry_zh"] == industry]
        listed = "; ".join(f"{METRIC_LABELS[m][0 if language == 'zh' else 1]} {t}"
                           + (f" ({f})" if f else "")
                           for m, t, f in zip(stmts["metric"], stmts[lab], stmts["figure"]))
        cats = categories[categories["industry_zh"] == industry]
        if industry not in mapping or not mapping[industry]:
            values_text, mean, note = "", math.nan, "no NBS goods category corresponds (unmapped)"
        else:
            values_text = "; ".join(f"{c} {v:g}%" if s == "value" else f"{c} {'缺口' if language == 'zh' else 'gap'}"
                                    for c, v, s in zip(cats["category_zh"], cats["yoy_pct"], cats["status"]))
            mean = mapped_mean(cats["yoy_pct"])
            missing = cats.loc[cats["status"] != "value", "indicator"].tolist()
            note = (f"gap: {', '.join(missing)} not in data/official for this year; mean not computed (never estimated)"
                    if missing else f"mean of {len(cats)} printed full-year growth rate(s)")
        rows.append({
            "industry_zh": industry, "industry_en": h["industry_en"],
            "dispute_statements": listed,
            "headline_statement": h["statement_id"], "headline_metric": h["metric"], "headline_nature": h["nature"],
            "headline_label": h[lab], "headline_sign": int(h["sign"]), "headline_point": h["point"],
            "headline_lower": h["lower"], "headline_upper": h["upper"],
            "categories": " + ".join(INDICATORS[c] for c in mapping.get(industry, [])),
            "official_growth": values_text, "official_mean_pct": mean, "official_note": note,
        })
    return pd.DataFrame(rows)


# --------------------------------------------------------------------------
# Claims
# --------------------------------------------------------------------------

# The ledger's claims and the statement that encodes the same words.
CLAIM_STATEMENTS = {
    "ib_phone_bill_index_change_2019_vs_2018": "phone_bill_index_change_2019",
    "ib_large_appliance_index_change_2019_vs_2018_pct": "large_appliance_index_change_2019_pct",
    "ib_clothing_index_flat_2019_vs_2018": "clothing_index_flat_2019",
    "ib_general_merch_index_flat_2019_vs_2018": "general_merch_index_flat_2019",
    "ib_food_dispute_share_increase_2019_lb": "food_dispute_share_up_gt5_2019",
    "ib_beauty_dispute_share_increase_2019_lb": "beauty_dispute_share_up_gt5_2019",
    "ib_food_dispute_increase_rank_2019": "food_dispute_increase_highest_2019",
    "ib_beauty_disputes_2019_09_11_vs_06_08": "beauty_disputes_2019_09_11_mom",
    "ib_beauty_disputes_2019_09_11_yoy": "beauty_disputes_2019_09_11_yoy",
    "ib_large_appliance_dispute_initiation_2019_09_11_yoy_lb": "large_appliance_dispute_initiation_up_gt20_2019_09_11",
    "ib_large_appliance_index_change_2019_points": "large_appliance_index_change_2019_points",
    "ib_fig9_turnover_growth_threshold_2019": "renovation_turnover_growth_gt20_2019",
    "ib_renovation_turnover_growth_rank_2019": "renovation_turnover_growth_champion_2019",
}
_KIND_FOR_NATURE = {"exact": {"index_change", "growth"}, "lower_bound": {"bound_lower"},
                    "approx": {"bound_approx"}, "ranking": {"ranking"}}


def crosswalk(ledger: pd.DataFrame, statements: pd.DataFrame) -> pd.DataFrame:
    """Ledger claim vs the statement encoding the same words: do value and
    nature agree? (A transcription check between two files, not a reproduction.)"""
    rows = []
    for claim_id, sid in CLAIM_STATEMENTS.items():
        if claim_id not in ledger.index:
            continue
        c = ledger.loc[claim_id]
        if sid not in statements.index:
            rows.append({"claim_id": claim_id, "statement_id": sid, "agree": False,
                         "why": "statement missing from industry_statements.csv"})
            continue
        s = statements.loc[sid]
        kind_ok = c["kind"] in _KIND_FOR_NATURE.get(s["nature"], set())
        if s["nature"] in ("exact", "lower_bound"):
            value_ok = float(c["value"]) == float(s["value"]) and c["unit"] == s["unit"]
        elif s["nature"] == "approx":
            value_ok = float(c["value"]) == 0.0  # the ledger's 0 stands for 基本持平
        else:
            value_ok = float(c["value"]) == 1.0  # rank 1 (最高/冠军)
        same_quote = s["quote"] in c["quote"] or c["quote"] in s["quote"]
        rows.append({"claim_id": claim_id, "statement_id": sid, "ledger_value": c["value"],
                     "ledger_kind": c["kind"], "statement_nature": s["nature"], "statement_value": s["value"],
                     "agree": bool(kind_ok and value_ok and same_quote),
                     "why": "" if kind_ok and value_ok and same_quote else
                     f"kind {'ok' if kind_ok else 'differs'}, value {'ok' if value_ok else 'differs'}, "
                     f"quote {'ok' if same_quote else 'differs'}"})
    return pd.DataFrame(rows)


INTERNAL = ("Alibaba-platform internal data (industry dispute records / turnover); no public series exists, "
            "so the number cannot be recomputed.")


def appliance_pct_vs_points(statements: pd.DataFrame) -> dict:
    """大家电: 图8 text says 下降8%, 二(三)1 says 整体下降8个点.

    A fall of p% equals a fall of q points only if the 2018 level was
    L = q / (p/100). The report publishes no industry index level."""
    pct = float(statements.loc["large_appliance_index_change_2019_pct", "value"])
    pts = float(statements.loc["large_appliance_index_change_2019_points", "value"])
    return {"percent": pct, "points": pts, "implied_2018_level": pts / (pct / 100.0)}


def official_context(official: pd.DataFrame, mapping: dict[str, list[str]], industry: str, year: int) -> str:
    """A sentence with the mapped categories' printed growth (context, not a check)."""
    cats = category_growth(official, {industry: mapping.get(industry, [])}, year)
    if cats.empty:
        return f"{industry} has no mapped NBS category."
    ranks = all_categories_growth(official, year).set_index("indicator")
    n = int(ranks["yoy_pct"].notna().sum())
    parts = []
    for _, c in cats.iterrows():
        if c["status"] == "value":
            parts.append(f"{c['category_zh']} {c['yoy_pct']:g}% (rank {int(ranks.loc[c['indicator'], 'rank'])} of "
                         f"{n} NBS categories with a printed {year} value)")
        else:
            parts.append(f"{c['category_zh']}: {year} full-year growth is a gap in data/official")
    return (f"Official context (NBS 限额以上 retail of the mapped categories, all channels, {year}): "
            + "; ".join(parts) + ". It is not the platform's turnover and cannot confirm or refute the claim.")


def total_index_2018(all_claims: pd.DataFrame | None) -> float | None:
    """The total index's 2018 mean implied by the report's own 二(一) claims
    (2019 mean + the stated fall), or None without the ledger."""
    ids = ("it_index_mean_2019", "it_index_change_2019_vs_2018")
    if all_claims is None or not all(i in all_claims.index for i in ids):
        return None
    return float(all_claims.loc[ids[0], "value"]) + float(all_claims.loc[ids[1], "value"])


def check_claims(book: ClaimBook, statements: pd.DataFrame, official: pd.DataFrame,
                 mapping: dict[str, list[str]], year: int, all_claims: pd.DataFrame | None = None) -> pd.DataFrame:
    """Give every industry_breakdown claim a status. All of them rest on the
    platform's internal data, so none is *reproduced*; each gets the specific
    reason, plus what consistency checks between the report's own statements
    show. `all_claims` (the whole ledger) only supplies the total index's 2018
    level as a scale reference. Returns the ledger/statement crosswalk."""
    enc = encode_statements(statements)
    cross = crosswalk(book.ledger, statements).set_index("claim_id")

    def transcription(claim_id: str) -> str:
        if claim_id not in cross.index:
            return ""
        r = cross.loc[claim_id]
        return ("" if r["agree"] else
                f" TRANSCRIPTION: ledger and industry_statements.csv ({r['statement_id']}) disagree: {r['why']}.")

    def nr(claim_id: str, why: str) -> None:
        book.not_reproducible(claim_id, why + transcription(claim_id))

    a = appliance_pct_vs_points(statements)
    fig6 = "、".join(figure_statements(enc, "图6")["industry_zh"])
    fig7 = "、".join(figure_statements(enc, "图7")["industry_zh"])

    nr("ib_phone_bill_index_change_2019_vs_2018",
       f"{INTERNAL} Consistency: 话费 is also among 图7's industries with falling disputes ({fig7}), in "
       "agreement with a 35% fall. No NBS category corresponds (phone credit is a service, not goods).")
    pct_points = (f"Consistency question: 图8's text says 下降{a['percent']:g}%, 二(三)1 says 维权指数整体下降"
                  f"{a['points']:g}个点. A fall of {a['percent']:g}% is {a['points']:g} points only if the 2018 "
                  f"industry index was {a['implied_2018_level']:g} (= {a['points']:g} / {a['percent']:g}%). The "
                  "report publishes no industry index level, so the two cannot be reconciled or told apart: one of "
                  "them may use the wrong unit.")
    ref = total_index_2018(all_claims)
    if ref is not None:
        pct_points += (f" For scale only: the total index's 2018 mean implied by the report is {ref:g} "
                       f"(it_index_mean_2019 + it_index_change_2019_vs_2018); at that level {a['points']:g} points "
                       f"would be {a['points'] / ref * 100:.1f}%, which a whole-percent rounding prints as "
                       f"{a['points'] / ref * 100:.0f}% — but the industry index need not sit at the total's level.")
    pct_points += " Not reproduced by consistency."
    nr("ib_large_appliance_index_change_2019_vs_2018_pct", f"{INTERNAL} {pct_points}")
    nr("ib_large_appliance_index_change_2019_points", f"{INTERNAL} {pct_points} Also: the same paragraph reports "
       "a >20% YoY rise of the Sep–Nov dispute initiation rate; a full-year fall is possible only if the other "
       "months fell enough, which cannot be checked without monthly data.")
    flat = ("'基本持平' is printed without a tolerance, so even the platform's own series could only be "
            "judged against a tolerance the report does not give.")
    nr("ib_clothing_index_flat_2019_vs_2018", f"{INTERNAL} {flat}")
    nr("ib_general_merch_index_flat_2019_vs_2018", f"{INTERNAL} {flat}")
    share_unit = ("Whether '超过5%' is a relative change of the share or percentage points is not stated; the "
                  "statement is encoded as a lower bound, never as a value of 5.")
    nr("ib_food_dispute_share_increase_2019_lb",
       f"{INTERNAL} {share_unit} Consistency question: food is not among 图6's main rising industries ({fig6}), "
       "although its dispute share rose by more than 5% and 二(三)1 calls it the industry with the highest rise.")
    nr("ib_beauty_dispute_share_increase_2019_lb",
       f"{INTERNAL} {share_unit} Consistency: 美妆 is also in 图6 (rising), in agreement.")
    nr("ib_food_dispute_increase_rank_2019",
       f"{INTERNAL} Consistency question: '纠纷涨幅最高的食品行业' vs 图6, whose main rising industries are {fig6} "
       "— without food. If food had the highest rise of all industries, 图6 should list it. Readings that reconcile "
       "them: 图6 ranks by change of share (points) and '涨幅' is a relative rise, or 'highest' means among the "
       "图8 key industries. Even then the rank cannot be read from the report: in 图8 food and 美妆 have the same "
       "bound (both '超过5%'), which does not order them. Neither confirmed nor refuted.")
    nr("ib_beauty_disputes_2019_09_11_vs_06_08",
       f"{INTERNAL} Which dispute measure ('纠纷情况': count or rate) is not stated. The two rises (+28.7% on "
       "Jun–Aug, +15.1% YoY) are mutually consistent for any Jun–Aug 2019 / Sep–Nov 2018 ratio "
       f"(= 1.151/1.287 = {1.151 / 1.287:.3f}); they constrain nothing public.")
    nr("ib_beauty_disputes_2019_09_11_yoy",
       f"{INTERNAL} Which dispute measure is not stated. Consistent in direction with 图6 (美妆 rising) and 图8 (>5%).")
    nr("ib_large_appliance_dispute_initiation_2019_09_11_yoy_lb",
       f"{INTERNAL} A lower bound (超过20%) on a rate whose level is not published. It contrasts with the H1 "
       "statement (dispute share falling continuously; direction only) and the full-year fall of the index: "
       "compatible, not checkable.")
    nr("ib_fliggy_live_peak_viewers_2019_08",
       "Fliggy's internal live-stream statistics; '几万' is a vague floor (≥1万), not a number to check.")
    fig9_context = official_context(official, mapping, "装修定制", year)
    nr("ib_fig9_turnover_growth_threshold_2019",
       f"{INTERNAL} 图9 itself is not in the text we have: only 装修定制 is named among its industries. "
       f"{fig9_context}")
    nr("ib_renovation_turnover_growth_rank_2019",
       f"{INTERNAL} '冠军' is a rank without a magnitude (≥20% by 图9). Consistent with 装修定制 in 图7 (disputes "
       f"down). {fig9_context}")
    for claim_id in ("ib_taobao_university_colleges_2019", "ib_taobao_university_learners",
                     "ib_taobao_university_provinces_2020_01", "ib_taobao_university_counties_2020_01",
                     "ib_taobao_university_regional_trainees"):
        if claim_id in book.ledger.index:
            nr(claim_id, "Taobao University's internal programme statistics; no public count to check against.")
    if "ib_taobao_university_poor_counties_2020_01" in book.ledger.index:
        poor = book.stated("ib_taobao_university_poor_counties_2020_01")
        counties = book.stated("ib_taobao_university_counties_2020_01")
        nr("ib_taobao_university_poor_counties_2020_01",
           f"Taobao University's internal statistics; which counties is not published, so the national "
           f"poverty-county list cannot be matched. Consistency: {poor:g} poor counties ≤ {counties:g} counties "
           f"({'holds' if poor <= counties else 'FAILS'}).")
    # Anything added to the ledger later and not handled above stays visible
    # as 'unchecked' rather than being given a generic reason here.
    return cross.reset_index()
