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
import re

import numpy as np
import pandas as pd

from ...claims import ClaimBook, printed_precision
from ...data import official_row
from ...data.vocabulary import INDICATORS, INDICATORS_EN, STATEMENT_METRICS, STATEMENT_NATURES, source_strength_label
from ...i18n import LANGUAGES
from ...index_composition import IndexStatements

SIGNS = {"up": 1, "down": -1, "flat": 0}
# How a statement may be drawn: a magnitude only where the report prints one.
DRAW_AS = {"exact": "bar", "lower_bound": "bound", "approx": "approx_marker", "direction": "arrow",
           "ranking": "label"}
NATURE_LABELS = {
    "exact": ("精确变动", "exact change"), "lower_bound": ("下限", "lower bound"), "approx": ("基本持平", "about flat"),
    "direction": ("仅方向", "direction only"), "ranking": ("排名", "ranking"),
}
CATEGORY_STATUS = {"value": ("有值", "value"), "gap": ("缺口（记录在案）", "gap (recorded)"),
                   "absent": ("尚未转录", "not transcribed")}
DISPUTE_METRICS = ("index", "dispute_share", "dispute_rate", "dispute_initiation_rate", "disputes", "dispute_volume")


def nature_counts_shown(counts: dict[str, int]) -> dict[str, str]:
    """The statements' count by nature as each edition shows it, most informative first
    (the nature tokens stay the keys in JSON/CSV)."""
    order = [n for n in STATEMENT_NATURES if n in counts] + sorted(set(counts) - set(STATEMENT_NATURES))
    out = {}
    for i, language in enumerate(LANGUAGES):
        sep, colon = ("；", "：") if language == "zh" else ("; ", ": ")
        out[language] = sep.join(f"{NATURE_LABELS.get(n, (n, n))[i]}{colon}{counts[n]}" for n in order)
    return out




# --------------------------------------------------------------------------
# Encoding statements
# --------------------------------------------------------------------------

def _bound_is_strict(quote: str) -> bool:
    # 超过 X = more than X (strict); X以上 is read as "X or more"
    return "超过" in quote


def statement_label(row: pd.Series, language: str = "zh") -> str:
    """The statement as a short label that claims no more than the report:
    '−12%', '＞3%', '≥30%', '≈0', '↑', '↓', '第1' / 'rank 1'."""
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
        strict = _bound_is_strict(row["quote"])
        more, less = ("＞", "＜") if language == "zh" else (">", "<")  # full-width signs are Chinese type
        op = (more if strict else "≥") if sign > 0 else (less if strict else "≤")
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


def industry_name(statements: pd.DataFrame, industry_zh: str, language: str) -> str:
    """An industry as the edition names it (the English name is in the statements file)."""
    if language == "zh":
        return industry_zh
    names = statements.loc[statements["industry_zh"] == industry_zh, "industry_en"]
    return names.iloc[0] if not names.empty else industry_zh


def category_name(indicator: str, language: str) -> str:
    """An NBS commodity category as the edition names it (data.vocabulary: the one place
    its Chinese and English names are kept)."""
    return INDICATORS[indicator] if language == "zh" else INDICATORS_EN.get(indicator, indicator)


def figure_name(figure: str, language: str) -> str:
    """One of the report's figures as the edition names it: '图8' / 'Figure 8' (empty stays empty)."""
    if language == "zh" or not isinstance(figure, str):
        return figure
    m = re.fullmatch(r"图(\d+)", figure.strip())
    return f"Figure {m.group(1)}" if m else figure


def industry_names(statements: pd.DataFrame, industries, language: str) -> str:
    """Several industries as the edition lists them ('航旅、美妆' / 'air travel, beauty & cosmetics')."""
    return ("、" if language == "zh" else ", ").join(industry_name(statements, i, language) for i in industries)


def mapping_in_words(mapping: dict[str, list[str]], statements: pd.DataFrame, language: str) -> dict[str, str]:
    """The industry → category mapping as the assumptions list shows it: industries and categories
    named in the edition's language (industry_name, category_name), a category joined to the next by
    ' + ' (English names carry commas). The parameter itself keeps the codes a user types."""
    return {industry_name(statements, industry, language): " + ".join(category_name(c, language) for c in categories)
            for industry, categories in mapping.items()}


def by_industry_shown(values: dict, statements: pd.DataFrame, unit: str = "%") -> dict[str, str]:
    """A per-industry result (keyed by the Chinese name, as in JSON) as each edition shows it."""
    out = {}
    for language in LANGUAGES:
        sep, colon = ("；", "：") if language == "zh" else ("; ", ": ")
        out[language] = sep.join(
            f"{industry_name(statements, k, language)}{colon}"
            + ("—" if v is None or (isinstance(v, float) and math.isnan(v)) else f"{round(float(v), 2):g}{unit}")
            for k, v in sorted(values.items()))  # the order JSON keeps (sorted keys)
    return out


def statements_view(encoded: pd.DataFrame, language: str) -> pd.DataFrame:
    """The encoded statements as a reader reads them: names and labels in the edition's language."""
    pick = 0 if language == "zh" else 1
    return pd.DataFrame({
        "industry": encoded["industry_zh"] if language == "zh" else encoded["industry_en"],
        "metric": [STATEMENT_METRICS[m][pick] for m in encoded["metric"]],
        "period": encoded["period"], "nature": [NATURE_LABELS[n][pick] for n in encoded["nature"]],
        "label": encoded[f"label_{language}"], "point": encoded["point"], "lower": encoded["lower"],
        "upper": encoded["upper"], "figure": [figure_name(f, language) for f in encoded["figure"]],
        "quote": encoded["quote"],
    }).reset_index(drop=True)


def figure_statements(encoded: pd.DataFrame, figure: str) -> pd.DataFrame:
    """The statements behind one of the report's figures ('图6' … '图9'), in report order."""
    return encoded[encoded["figure"] == figure]


def change_axis_limits(encoded: pd.DataFrame, step: float = 5.0) -> tuple[float, float]:
    """The change axis of a figure of statements (图8), from what it draws: every exact
    change and every bound, 0, and room for their labels (a quarter of the span beyond an
    exact change; twice that beyond a lower bound, whose open arrow runs past it), rounded
    outwards to `step`. So a larger change in the ledger widens the axis instead of leaving it."""
    exact = encoded.loc[encoded["nature"] == "exact", "point"].dropna()
    bounds = encoded[encoded["nature"] == "lower_bound"]
    up = bounds.loc[bounds["sign"] > 0, "lower"]
    down = bounds.loc[bounds["sign"] < 0, "upper"]
    values = pd.concat([exact, up, down]).astype(float)
    values = values[np.isfinite(values)]
    span = max(float(values.max()) - float(values.min()) if len(values) else 0.0, 2 * step, *np.abs(values))
    pad = span / 4
    low = min([0.0, *(exact - pad), *(down - 2 * pad), -pad])
    high = max([0.0, *(exact + pad), *(up + 2 * pad), pad])
    return math.floor(low / step) * step, math.ceil(high / step) * step


def report_year(statements: pd.DataFrame) -> int:
    """The year the statements compare with the year before (all of 二(三): 2019 vs 2018)."""
    years = {int(p[:4]) for p in statements["period"]}
    if len(years) != 1:
        raise ValueError(f"industry statements span several years {sorted(years)}; expected one report year")
    return years.pop()


def headline_statements(encoded: pd.DataFrame) -> pd.DataFrame:
    """One statement per industry for the year-on-year dispute comparison:
    the most informative annual one (exact > bound > approx > direction > ranking)."""
    annual = encoded[(encoded["period"] == str(report_year(encoded))) & encoded["metric"].isin(DISPUTE_METRICS)].copy()
    annual["_rank"] = annual["nature"].map({n: i for i, n in enumerate(STATEMENT_NATURES)})
    annual["_order"] = range(len(annual))
    best = annual.sort_values(["_rank", "_order"]).groupby("industry_zh", sort=False).head(1)
    order = list(dict.fromkeys(annual["industry_zh"]))  # report order of first mention
    return best.set_index("industry_zh").loc[order].reset_index().drop(columns=["_rank", "_order"])


# --------------------------------------------------------------------------
# Official category growth through the mapping
# --------------------------------------------------------------------------

def validate_mapping(mapping: dict[str, list[str]]) -> None:
    """Also checked by the parameter model before any kernel starts; here for direct callers."""
    unknown = sorted({c for cats in mapping.values() for c in cats} - {k for k in INDICATORS if k.startswith("category_")})
    if unknown:
        raise ValueError(f"category_mapping names unknown NBS categories {unknown}; expected category_* indicators "
                         f"of data/README.md: {sorted(k for k in INDICATORS if k.startswith('category_'))}")


def full_year_yoy(official: pd.DataFrame, indicator: str, year: int):
    """The printed full-year (1–12月 cumulative) growth of a category (data.OfficialValue)."""
    return official_row(official, indicator, "yoy_pct", f"{year}-01", f"{year}-12")


def category_growth(official: pd.DataFrame, mapping: dict[str, list[str]], year: int) -> pd.DataFrame:
    """One row per (industry, mapped category): the printed full-year growth and
    where it was read. status: 'value', 'gap' (looked for, not found: an empty
    row in data/official) or 'absent' (no row at all). Nothing is estimated."""
    validate_mapping(mapping)
    rows = []
    for industry, indicators in mapping.items():
        for indicator in indicators:
            row = full_year_yoy(official, indicator, year)
            rows.append({"industry_zh": industry, "indicator": indicator, "category_zh": INDICATORS[indicator],
                         "period": row.period, "yoy_pct": np.nan if row.value is None else row.value,
                         "status": "absent" if row.absent else "gap" if row.value is None else "value",
                         **{k: getattr(row, k) for k in ("release_title", "release_date", "source_url",
                                                         "source_file", "quote", "note", "source_strength")}})
    return pd.DataFrame(rows, columns=["industry_zh", "indicator", "category_zh", "period", "yoy_pct", "status",
                                       "release_title", "release_date", "source_url", "source_file", "quote", "note",
                                       "source_strength"])


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
                     "yoy_pct": np.nan if row.value is None else row.value, "source_file": row.source_file,
                     "source_strength": row.source_strength})
    out = pd.DataFrame(rows)
    out["rank"] = out["yoy_pct"].rank(ascending=False, method="min")
    return out.sort_values(["yoy_pct", "indicator"], ascending=[False, True], na_position="last").reset_index(drop=True)


def _strength(strength: str, language: str) -> str:
    """' (weak)' / '（弱）' after a value: the strength of the page it was read on (none if unknown)."""
    shown = source_strength_label(strength, language)
    return "" if not shown else f"（{shown}）" if language == "zh" else f" ({shown})"


def strength_labels(strengths, language: str) -> list[str]:
    """Each value's source strength as the edition shows it (data/README.md), '' for a gap."""
    return [source_strength_label(st if isinstance(st, str) else "", language) for st in strengths]


def industry_table(encoded: pd.DataFrame, categories: pd.DataFrame, mapping: dict[str, list[str]],
                   language: str = "zh") -> pd.DataFrame:
    """Per industry: the report's 2019-vs-2018 dispute statement(s) next to the
    official growth of the mapped categories (each listed; mean only when all
    are known)."""
    heads = headline_statements(encoded)
    lab = "label_zh" if language == "zh" else "label_en"
    annual = encoded[(encoded["period"] == str(report_year(encoded))) & encoded["metric"].isin(DISPUTE_METRICS)]
    rows = []
    for _, h in heads.iterrows():
        industry = h["industry_zh"]
        stmts = annual[annual["industry_zh"] == industry]
        listed = "; ".join(f"{STATEMENT_METRICS[m][0 if language == 'zh' else 1]} {t}"
                           + (f" ({figure_name(f, language)})" if f else "")
                           for m, t, f in zip(stmts["metric"], stmts[lab], stmts["figure"]))
        cats = categories[categories["industry_zh"] == industry]
        if industry not in mapping or not mapping[industry]:
            values_text, mean, note = "", math.nan, "no NBS goods category corresponds (unmapped)"
        else:
            # each value with the strength of the page it was read on (data/README.md: primary, reprint, weak)
            values_text = "; ".join(
                f"{category_name(c, language)} {v:g}%{_strength(st, language)}" if s == "value"
                else f"{category_name(c, language)} {'缺口' if language == 'zh' else 'gap'}"
                for c, v, s, st in zip(cats["indicator"], cats["yoy_pct"], cats["status"], cats["source_strength"]))
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
            "categories_shown": (" + " if language == "zh" else "; ").join(
                category_name(c, language) for c in mapping.get(industry, [])),
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


def appliance_pct_vs_points(statements: pd.DataFrame) -> dict:
    """大家电: 图8 text says 下降8%, 二(三)1 says 整体下降8个点.

    A fall of p% equals a fall of q points only if the previous year's level
    was L = q / (p/100). Both are printed as whole numbers (±0.5), so every L
    from (q − ½)/((p + ½)/100) to (q + ½)/((p − ½)/100) reconciles them. The
    report publishes no industry index level."""
    rows = statements.loc[["large_appliance_index_change_2019_pct", "large_appliance_index_change_2019_points"]]
    pct, pts = (float(v) for v in rows["value"])
    h_pct, h_pts = (printed_precision(str(t)) for t in rows["value_text"])
    return {"percent": pct, "points": pts, "implied_2018_level": pts / (pct / 100.0),
            "implied_2018_level_low": (pts - h_pts) / ((pct + h_pct) / 100.0),
            "implied_2018_level_high": (pts + h_pts) / ((pct - h_pct) / 100.0)}


def official_context(official: pd.DataFrame, mapping: dict[str, list[str]], industry: str, year: int,
                     industry_en: str | None = None) -> dict:
    """The mapped categories' printed growth and rank (context, not a check), as facts:
    context_zh / context_en sentences."""
    cats = category_growth(official, {industry: mapping.get(industry, [])}, year)
    ranks = all_categories_growth(official, year).set_index("indicator")
    n = int(ranks["yoy_pct"].notna().sum())
    zh, en = [], []
    for _, c in cats.iterrows():
        if c["status"] == "value":
            rank = int(ranks.loc[c["indicator"], "rank"])
            zh.append(f"{c['category_zh']} {c['yoy_pct']:g}%（在{year}年有公布值的 {n} 个类别中排第 {rank}）")
            en.append(f"{category_name(c['indicator'], 'en')} {c['yoy_pct']:g}% (rank {rank} of {n} NBS categories with a printed "
                      f"{year} value)")
        else:
            zh.append(f"{c['category_zh']}：{year}年全年增速尚未转录")
            en.append(f"{category_name(c['indicator'], 'en')}: {year} full-year growth not transcribed yet")
    return {"context_zh": "；".join(zh) or f"{industry}没有对应的国家统计局类别",
            "context_en": "; ".join(en) or f"{industry_en or industry} has no mapped NBS category", "year": year}


def total_index_previous_year(all_claims: pd.DataFrame) -> float:
    """The total index's previous-year mean implied by the report's own 二(一)
    claims (the mean plus the stated fall)."""
    return IndexStatements.from_ledger(all_claims).mean_2018


# claim -> explanation of its status (texts.yaml); all rest on platform-internal data
EXPLANATIONS = {
    "ib_phone_bill_index_change_2019_vs_2018": "phone_bill",
    "ib_large_appliance_index_change_2019_vs_2018_pct": "appliance_pct",
    "ib_large_appliance_index_change_2019_points": "appliance_points",
    "ib_clothing_index_flat_2019_vs_2018": "flat",
    "ib_general_merch_index_flat_2019_vs_2018": "flat",
    "ib_food_dispute_share_increase_2019_lb": "food_share",
    "ib_beauty_dispute_share_increase_2019_lb": "beauty_share",
    "ib_food_dispute_increase_rank_2019": "food_rank",
    "ib_beauty_disputes_2019_09_11_vs_06_08": "beauty_mom",
    "ib_beauty_disputes_2019_09_11_yoy": "beauty_yoy",
    "ib_large_appliance_dispute_initiation_2019_09_11_yoy_lb": "appliance_initiation",
    "ib_fliggy_live_peak_viewers_2019_08": "fliggy",
    "ib_fig9_turnover_growth_threshold_2019": "fig9",
    "ib_renovation_turnover_growth_rank_2019": "renovation_rank",
    "ib_taobao_university_colleges_2019": "taobao_university",
    "ib_taobao_university_learners": "taobao_university",
    "ib_taobao_university_provinces_2020_01": "taobao_university",
    "ib_taobao_university_counties_2020_01": "taobao_university",
    "ib_taobao_university_regional_trainees": "taobao_university",
    "ib_taobao_university_poor_counties_2020_01": "poor_counties",
}


def claim_facts(book: ClaimBook, statements: pd.DataFrame, official: pd.DataFrame,
                mapping: dict[str, list[str]], year: int) -> dict:
    """Everything the section's explanations say, computed from the data."""
    enc = encode_statements(statements)
    a = appliance_pct_vs_points(statements)
    ref = total_index_previous_year(book.all_claims)
    beauty_mom = float(statements.loc["beauty_disputes_2019_09_11_mom", "value"])
    beauty_yoy = float(statements.loc["beauty_disputes_2019_09_11_yoy", "value"])
    def name_en(industry_zh: str) -> str:
        return industry_name(statements, industry_zh, "en")

    return {
        "fig6": industry_names(statements, figure_statements(enc, "图6")["industry_zh"], "zh"),
        "fig7": industry_names(statements, figure_statements(enc, "图7")["industry_zh"], "zh"),
        "fig6_en": industry_names(statements, figure_statements(enc, "图6")["industry_zh"], "en"),
        "fig7_en": industry_names(statements, figure_statements(enc, "图7")["industry_zh"], "en"),
        # the industries the English explanations name (the statements file holds the English names)
        **{f"{key}_{language}": industry_name(statements, name, language)
           for key, name in (("phone_bill", "话费"), ("beauty", "美妆"), ("renovation", "装修定制"))
           for language in LANGUAGES},
        **a, "reference_level": ref, "at_reference_pct": a["points"] / ref * 100,
        "beauty_mom": beauty_mom, "beauty_yoy": beauty_yoy,
        # Jun–Aug 2019 level / Sep–Nov 2018 level implied by the two rises
        "beauty_ratio": (1 + beauty_yoy / 100) / (1 + beauty_mom / 100),
        "poor": book.stated("ib_taobao_university_poor_counties_2020_01"),
        "counties": book.stated("ib_taobao_university_counties_2020_01"),
        **official_context(official, mapping, "装修定制", year, name_en("装修定制")),
    }


def check_claims(book: ClaimBook, statements: pd.DataFrame, official: pd.DataFrame,
                 mapping: dict[str, list[str]], year: int) -> None:
    """Give every industry_breakdown claim a status. All of them rest on the
    platform's internal data, so none is *reproduced*; each gets its specific
    reason, plus what consistency checks between the report's own statements
    show (and any disagreement of the ledger with the statements file)."""
    cross = crosswalk(book.ledger, statements).set_index("claim_id")
    facts = claim_facts(book, statements, official, mapping, year)
    facts["poor_holds_zh"] = "成立" if facts["poor"] <= facts["counties"] else "不成立"
    facts["poor_holds_en"] = "holds" if facts["poor"] <= facts["counties"] else "FAILS"
    for claim_id, explain in EXPLANATIONS.items():
        if claim_id not in book.ledger.index:
            continue
        mismatch = claim_id in cross.index and not cross.loc[claim_id, "agree"]
        extra = {"transcription_zh": "", "transcription_en": ""}
        if mismatch:  # the two files encoding the same words disagree: say so, never silently
            r = cross.loc[claim_id]
            extra = {"transcription_zh": f" 转录问题：台账与 industry_statements.csv（{r['statement_id']}）不一致：{r['why']}。",
                     "transcription_en": f" TRANSCRIPTION: ledger and industry_statements.csv ({r['statement_id']}) "
                                         f"disagree: {r['why']}."}
        book.not_reproducible(claim_id, explain, {**facts, **extra})
    # Anything added to the ledger later and not handled above stays visible
    # as 'unchecked' rather than being given a generic reason here.
