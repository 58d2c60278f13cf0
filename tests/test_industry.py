"""Section 二(三): statement encoding, mapping averages and gaps, claims, figures."""

from __future__ import annotations

import math
import re
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest

from ecrights import data
from ecrights.sections.industry_breakdown import analysis as industry
from ecrights.sections.industry_breakdown import figures as figs
from ecrights.claims import UNCHECKED, ClaimBook
from ecrights.data import DataError
from ecrights.data.published import INDUSTRY_STATEMENT_COLUMNS, load_industry_statements
from ecrights.data.vocabulary import STATEMENT_NATURES

REPORT = Path(__file__).resolve().parents[1] / "data" / "report" / "report_2019.zh-Hans.txt"
MAPPING = {"食品": ["category_grain_oil_food", "category_beverage"], "美妆": ["category_cosmetics"]}


@pytest.fixture(scope="module")
def statements():
    return load_industry_statements()


@pytest.fixture(scope="module")
def encoded(statements):
    return industry.encode_statements(statements)


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


# --------------------------------------------------------------------------
# the statements file
# --------------------------------------------------------------------------

def _write(tmp_path, rows: list[dict]) -> Path:
    frame = pd.DataFrame(rows, columns=INDUSTRY_STATEMENT_COLUMNS).fillna("")
    path = tmp_path / "industry_statements.csv"
    frame.to_csv(path, index=False)
    return path


GOOD = dict(statement_id="food_up_gt5", industry_zh="食品", industry_en="food", metric="dispute_share", period="2019",
            comparison="2018", nature="lower_bound", direction="up", value="5", unit="%", figure="图8",
            quote="食品、美妆行业纠纷占比增加超过5%", note="")


def test_real_statements_load_and_keep_their_nature(statements):
    assert statements["statement_id"].is_unique
    assert set(statements["nature"]) <= set(STATEMENT_NATURES)
    # numbers only where the report prints one
    numeric = statements["nature"].isin(["exact", "lower_bound"])
    assert statements.loc[numeric, "value"].notna().all()
    assert statements.loc[~numeric, "value"].isna().all()


def test_quotes_are_verbatim_from_the_report(statements):
    text = REPORT.read_text(encoding="utf-8")
    missing = [sid for sid, q in statements["quote"].items() if q not in text]
    assert not missing, f"quotes not found verbatim in the report: {missing}"


def test_loader_accepts_a_good_row(tmp_path):
    frame = load_industry_statements(_write(tmp_path, [GOOD]))
    assert frame.loc["food_up_gt5", "value"] == 5.0


@pytest.mark.parametrize("change, column", [
    ({"value": ""}, "value"),                                   # a bound without its number
    ({"nature": "direction", "value": "5"}, "value"),           # a direction with an invented magnitude
    ({"nature": "approx", "direction": "flat"}, "value"),       # 基本持平 given a number
    ({"value": "7"}, "quote"),                                  # a number not in the quote
    ({"value": "-5"}, "value"),                                 # sign belongs in direction
    ({"metric": "happiness"}, "metric"),
    ({"nature": "guess"}, "nature"),
])
def test_loader_names_file_line_and_column(tmp_path, change, column):
    path = _write(tmp_path, [GOOD, {**GOOD, "statement_id": "second", **change}])
    with pytest.raises(DataError) as err:
        load_industry_statements(path)
    message = str(err.value)
    assert str(path) in message and "line 3" in message and f"column '{column}'" in message


def test_loader_rejects_a_wrong_header(tmp_path):
    path = tmp_path / "industry_statements.csv"
    path.write_text("statement_id,value\nx,1\n", encoding="utf-8")
    with pytest.raises(DataError, match="line 1: header"):
        load_industry_statements(path)


# --------------------------------------------------------------------------
# encoding
# --------------------------------------------------------------------------

def test_lower_bound_is_a_bound_never_a_value(encoded):
    row = encoded.loc["food_dispute_share_up_gt5_2019"]
    assert math.isnan(row["point"]) and not row["magnitude_known"]
    assert row["lower"] == 5.0 and row["upper"] == np.inf
    assert row["draw_as"] == "bound" and row["bound_strict"]  # 超过 = more than
    assert row["label_zh"] == "＞5%"
    threshold = encoded.loc["renovation_turnover_growth_gt20_2019"]
    assert not threshold["bound_strict"] and threshold["label_zh"] == "≥20%"  # 20%以上


def test_direction_only_carries_no_magnitude(encoded):
    rows = encoded[encoded["nature"] == "direction"]
    assert len(rows) == 8
    assert rows["value"].isna().all() and rows["point"].isna().all()
    assert not rows["magnitude_known"].any()
    up = rows[rows["sign"] == 1]
    assert (up["lower"] == 0).all() and np.isinf(up["upper"]).all()
    down = rows[rows["sign"] == -1]
    assert np.isinf(down["lower"]).all() and (down["upper"] == 0).all()


def test_exact_flat_and_ranking(encoded):
    assert encoded.loc["phone_bill_index_change_2019", "point"] == -35.0
    assert encoded.loc["phone_bill_index_change_2019", "label_zh"] == "−35%"
    flat = encoded.loc["clothing_index_flat_2019"]
    assert flat["sign"] == 0 and math.isnan(flat["point"]) and math.isnan(flat["lower"]) and flat["label_zh"] == "≈0"
    rank = encoded.loc["renovation_turnover_growth_champion_2019"]
    assert math.isnan(rank["point"]) and math.isnan(rank["lower"]) and rank["draw_as"] == "label"


def test_headline_prefers_the_most_informative_statement(encoded):
    heads = industry.headline_statements(encoded).set_index("industry_zh")
    assert heads.loc["话费", "nature"] == "exact"          # −35% beats the 图7 direction
    assert heads.loc["美妆", "nature"] == "lower_bound"    # >5% beats the 图6 direction
    assert heads.loc["航旅", "nature"] == "direction"
    assert "装修定制" in heads.index and heads.loc["装修定制", "metric"] == "index"  # not turnover


# --------------------------------------------------------------------------
# mapping and gaps, on hand-made official data
# --------------------------------------------------------------------------

def _official(rows: list[tuple[str, str, str, float]]) -> pd.DataFrame:
    out = pd.DataFrame(rows, columns=["indicator", "period_start", "period_end", "value"])
    out["measure"] = "yoy_pct"
    out["period_start"] = pd.PeriodIndex(out["period_start"], freq="M")
    out["period_end"] = pd.PeriodIndex(out["period_end"], freq="M")
    for col in ("unit", "release_title", "release_date", "source_url", "source_file", "quote", "note"):
        out[col] = "x"
    out["source_strength"] = "weak"
    return out


def test_mapping_mean_of_full_year_printed_values():
    official = _official([
        ("category_grain_oil_food", "2019-01", "2019-12", 10.0),
        ("category_beverage", "2019-01", "2019-12", 4.0),
        ("category_beverage", "2019-01", "2019-11", 99.0),   # a cumulative 1–11月: never used for the year
        ("category_cosmetics", "2019-01", "2019-12", 12.5),
        ("category_cosmetics", "2018-01", "2018-12", -3.0),  # another year
    ])
    cats = industry.category_growth(official, MAPPING, 2019)
    assert list(cats["status"]) == ["value"] * 3
    food = cats[cats["industry_zh"] == "食品"]
    assert industry.mapped_mean(food["yoy_pct"]) == pytest.approx(7.0)
    assert industry.category_growth(official, MAPPING, 2018).set_index("indicator").loc[
        "category_cosmetics", "yoy_pct"] == -3.0


def test_missing_category_is_a_visible_gap_not_an_estimate():
    official = _official([
        ("category_grain_oil_food", "2019-01", "2019-12", 10.0),
        ("category_beverage", "2019-01", "2019-12", np.nan),  # recorded gap
        # category_cosmetics: no row at all
    ])
    cats = industry.category_growth(official, MAPPING, 2019).set_index("indicator")
    assert cats.loc["category_beverage", "status"] == "gap"
    assert cats.loc["category_cosmetics", "status"] == "absent"
    # one of two food categories known: no mean of the rest
    assert math.isnan(industry.mapped_mean(cats.loc[["category_grain_oil_food", "category_beverage"], "yoy_pct"]))
    assert math.isnan(industry.mapped_mean(pd.Series([], dtype=float)))


def test_industry_table_shows_gaps_and_unmapped(encoded):
    official = _official([("category_grain_oil_food", "2019-01", "2019-12", 10.0)])
    cats = industry.category_growth(official, MAPPING, 2019)
    table = industry.industry_table(encoded, cats, MAPPING, "zh").set_index("industry_zh")
    assert math.isnan(table.loc["食品", "official_mean_pct"])
    assert "饮料类 缺口" in table.loc["食品", "official_growth"] and "粮油、食品类 10%（弱）" in table.loc["食品", "official_growth"]
    assert "gap" in table.loc["美妆", "official_note"]
    assert table.loc["话费", "official_note"].startswith("no NBS goods category")
    assert math.isnan(table.loc["话费", "official_mean_pct"])


def test_the_english_industry_table_names_categories_and_figures_in_english(encoded):
    from ecrights.data.vocabulary import INDICATORS_EN

    official = _official([("category_grain_oil_food", "2019-01", "2019-12", 10.0)])
    cats = industry.category_growth(official, MAPPING, 2019)
    table = industry.industry_table(encoded, cats, MAPPING, "en").set_index("industry_zh")
    food = table.loc["食品"]
    assert food["official_growth"] == (f"{INDICATORS_EN['category_grain_oil_food']} 10% (weak); "
                                       f"{INDICATORS_EN['category_beverage']} gap")
    assert food["categories_shown"] == f"{INDICATORS_EN['category_grain_oil_food']}; {INDICATORS_EN['category_beverage']}"
    assert "(Figure 8)" in food["dispute_statements"] and ">5%" in food["dispute_statements"]
    english = table[["dispute_statements", "categories_shown", "official_growth"]].to_string(header=False, index=False)
    assert not re.search(r"[\u3400-\u9fff\uff00-\uffef]", english), english
    # the Chinese edition keeps its names
    zh = industry.industry_table(encoded, cats, MAPPING, "zh").set_index("industry_zh").loc["食品"]
    assert zh["categories_shown"] == "粮油、食品类 + 饮料类" and "(图8)" in zh["dispute_statements"]


def test_figure_and_category_names_per_edition():
    assert industry.figure_name("图8", "en") == "Figure 8" and industry.figure_name("图8", "zh") == "图8"
    assert industry.figure_name("", "en") == ""
    assert industry.category_name("category_furniture", "zh") == "家具类"
    assert industry.category_name("category_furniture", "en") == "furniture"


def test_unknown_category_in_mapping_is_an_error():
    with pytest.raises(ValueError, match="category_gadgets"):
        industry.validate_mapping({"食品": ["category_gadgets"]})


def test_all_categories_rank_ignores_gaps():
    official = _official([("category_cosmetics", "2019-01", "2019-12", 12.5),
                          ("category_furniture", "2019-01", "2019-12", 5.1),
                          ("category_clothing", "2019-01", "2019-12", np.nan)])
    ranked = industry.all_categories_growth(official, 2019).set_index("indicator")
    assert ranked.loc["category_cosmetics", "rank"] == 1 and ranked.loc["category_furniture", "rank"] == 2
    assert math.isnan(ranked.loc["category_clothing", "rank"])


# --------------------------------------------------------------------------
# claims on the real data
# --------------------------------------------------------------------------

def test_every_ib_claim_gets_a_status():
    book = ClaimBook("industry_breakdown")
    ledger = data.load_claims()
    statements = load_industry_statements()
    industry.check_claims(book, statements, data.load_official(), MAPPING, 2019)
    cross = industry.crosswalk(book.ledger, statements)
    ib = [c for c in ledger.index if c.startswith("ib_")]
    statuses = {c.claim_id: c.status for c in book.all_checks()}
    assert set(ib) <= set(statuses)
    assert all(statuses[c] != UNCHECKED for c in ib), [c for c in ib if statuses[c] == UNCHECKED]
    assert cross["agree"].all(), cross[~cross["agree"]]
    pct = book.checks["ib_large_appliance_index_change_2019_vs_2018_pct"]
    a = industry.appliance_pct_vs_points(statements)
    reference = industry.total_index_previous_year(ledger)
    span = f"between {a['implied_2018_level_low']:.0f} and {a['implied_2018_level_high']:.0f}"
    assert span in pct.note("en") and f"{reference:g}" in pct.note("en")
    assert f"{a['implied_2018_level_low']:.0f} 到 {a['implied_2018_level_high']:.0f}" in pct.note("zh")
    food = book.checks["ib_food_dispute_increase_rank_2019"]
    assert "图6" in food.note("zh") and "航旅" in food.note("zh")
    air_travel = industry.industry_name(statements, "航旅", "en")
    assert "Figure 6" in food.note("en") and air_travel in food.note("en")
    # the English explanations carry Chinese only inside the report's quoted words (marked as quotes)
    unquoted = [re.sub(r"“[^”]*”", "", c.note("en")) for c in book.all_checks()]
    assert not [n for n in unquoted if re.search(r"[\u3400-\u9fff\uff00-\uffef]", n)]
    # the Chinese run reads Chinese explanations
    assert "平台内部数据" in food.note("zh") and "Platform-internal" in food.note("en")


def test_percent_vs_points_arithmetic(statements):
    a = industry.appliance_pct_vs_points(statements)
    assert a["implied_2018_level"] == pytest.approx(100.0)
    # 8 ± 0.5 points and 8 ± 0.5 %: L from 7.5/0.085 to 8.5/0.075
    assert a["implied_2018_level_low"] == pytest.approx(7.5 / 0.085)
    assert a["implied_2018_level_high"] == pytest.approx(8.5 / 0.075)


# --------------------------------------------------------------------------
# figures: what is drawn matches the nature
# --------------------------------------------------------------------------

def _gids(fig) -> dict[str, object]:
    return {a.get_gid(): a for a in fig.findobj() if a.get_gid()}


def test_figure8_draws_bounds_as_bounds(encoded):
    fig, drawn = figs.key_industries_figure(encoded, "图8 标题", "zh")
    gids = _gids(fig)
    assert set(drawn["statement_id"]) == set(encoded.index[encoded["figure"] == "图8"])
    fig8 = encoded[encoded["figure"] == "图8"]
    for sid, row in fig8.iterrows():
        kind = {"exact": "exact", "lower_bound": "bound", "approx": "approx"}[row["nature"]]
        assert f"{kind}:{sid}" in gids, sid
        others = {k for k in ("exact", "bound", "approx", "direction") if k != kind}
        assert not any(f"{o}:{sid}" in gids for o in others), sid
    # bars exist only for exact statements and have their printed length
    ax = fig.axes[0]
    bars = [p for p in ax.patches if (p.get_gid() or "").startswith("exact:")]
    assert sorted(round(b.get_width(), 6) for b in bars) == sorted(fig8.loc[fig8["nature"] == "exact", "point"])
    assert not any(abs(p.get_width()) == 5 for p in ax.patches)  # the 5% bound is never a bar
    # the bound tick sits at the bound
    tick = gids["bound:food_dispute_share_up_gt5_2019"]
    assert list(tick.get_xdata()) == [5.0]


def test_direction_figures_use_equal_arrows(encoded):
    for no in ("图6", "图7"):
        fig, drawn = figs.direction_figure(encoded, no, no, "zh")
        assert list(drawn["statement_id"]) == list(encoded.index[encoded["figure"] == no])
        arrows = [a for g, a in _gids(fig).items() if g.startswith("direction:")]
        assert len(arrows) == (encoded["figure"] == no).sum()
        lengths = {abs(a.xy[1] - a.xyann[1]) for a in arrows}
        assert len(lengths) == 1  # same length for every industry: no magnitude implied
    with pytest.raises(ValueError, match="direction-only"):
        figs.direction_figure(encoded.assign(figure="图6"), "图6", "图6", "zh")


def test_figures_use_the_cjk_font_and_english_labels(encoded):
    from ecrights.plotting import cjk_font_name

    fig, _ = figs.direction_figure(encoded, "图6", "图6 纠纷上升", "zh")
    assert cjk_font_name() in plt.rcParams["font.sans-serif"]
    assert fig.axes[0].get_title() == "图6 纠纷上升"
    fig_en, _ = figs.direction_figure(encoded, "图6", "Figure 6", "en")
    labels = [t.get_text() for t in fig_en.axes[0].get_xticklabels()]
    assert "air travel" in labels and fig_en.axes[0].get_title() == "Figure 6"


def test_fig9_and_comparison_show_gaps(encoded):
    official = _official([("category_building_decoration", "2019-01", "2019-12", 2.8)])
    allc = industry.all_categories_growth(official, 2019)
    fig, drawn = figs.fig9_figure(encoded, allc, ["category_building_decoration", "category_furniture"], 2019, "图9",
                                  "zh")
    gids = _gids(fig)
    assert drawn.loc[drawn["indicator"] == "category_building_decoration", "yoy_pct"].item() == 2.8
    assert "official:category_building_decoration" in gids and "gap:category_furniture" in gids
    assert "bound:renovation_turnover_growth_gt20_2019" in gids
    assert "label:renovation_turnover_growth_champion_2019" in gids
    mapping = {"装修定制": ["category_building_decoration", "category_furniture"]}
    cats = industry.category_growth(official, mapping, 2019)
    table = industry.industry_table(encoded, cats, mapping)
    gids = _gids(figs.dispute_vs_official_figure(table, cats, 2019, "zh")[0])
    assert "gap:category_furniture" in gids and "mean:装修定制" not in gids


def test_direction_figure_tick_labels_do_not_touch(encoded):
    """English industry names are long: side by side they ran together (Figure 7)."""
    for no in ("图6", "图7"):
        fig, _ = figs.direction_figure(encoded, no, None, "en")
        fig.canvas.draw()
        boxes = sorted((t.get_window_extent() for t in fig.axes[0].get_xticklabels()), key=lambda b: b.x0)
        assert all(a.x1 < b.x0 for a, b in zip(boxes, boxes[1:])), no


def test_captions_describe_what_each_figure_draws(encoded):
    from ecrights.data import load_report_figures
    from ecrights.plotting import report_caption

    titles = load_report_figures()
    for language in ("zh", "en"):
        captions = {}
        for no in ("图6", "图7"):
            _, drawn = figs.direction_figure(encoded, no, None, language)
            captions[no] = report_caption(titles, no, figs.direction_caption(drawn, language), language)
            assert captions[no].startswith(titles.loc[no, f"title_{language}"])
            for _, r in drawn.iterrows():  # every industry the figure draws is named
                assert r[f"industry_{language}"] in captions[no]
        assert captions["图6"] != captions["图7"]
        _, drawn = figs.key_industries_figure(encoded, None, language)
        caption = figs.key_industries_caption(drawn, language)
        for _, r in drawn.iterrows():
            assert r[f"industry_{language}"] in caption
            if r["nature"] in ("exact", "lower_bound"):
                assert r[f"label_{language}"] in caption


def test_the_change_axis_follows_the_statements():
    """图8's axis is computed from what it draws (today's ledger gives −45…25); a larger
    change or bound in the ledger widens it instead of running off the figure."""
    encoded = industry.encode_statements(data.load_industry_statements())
    rows = industry.figure_statements(encoded, "图8")
    low, high = industry.change_axis_limits(rows)
    exact = rows.loc[rows["nature"] == "exact", "point"]
    assert low < exact.min() and high > 0
    bigger = rows.copy()
    first = bigger.index[bigger["nature"] == "exact"][0]
    bigger.loc[first, "point"] = -80.0
    bounds = bigger["nature"] == "lower_bound"
    bigger.loc[bounds, "lower"] = 30.0
    wider = industry.change_axis_limits(bigger)
    assert wider[0] < -80 and wider[1] > 30 and wider[0] % 5 == 0 and wider[1] % 5 == 0


def test_the_assumed_mapping_is_shown_in_the_editions_words(statements):
    """The English audit showed '大家电: category_appliances'; the assumptions list names both sides."""
    mapping = {"大家电": ["category_appliances"], "装修定制": ["category_building_decoration", "category_furniture"]}
    assert industry.mapping_in_words(mapping, statements, "en") == {
        "large home appliances": "household appliances and audio-video equipment",
        "home renovation & customisation": "building and decoration materials + furniture"}
    assert industry.mapping_in_words(mapping, statements, "zh")["大家电"] == "家用电器和音像器材类"
