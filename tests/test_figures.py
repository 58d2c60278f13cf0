"""The section figures draw exactly the data they return (the CSV written beside
each PNG), with the titles they are given (the report's own, from data/)."""

from __future__ import annotations

import re

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

from ecrights import derive, index_composition as ic  # noqa: E402
from ecrights.data import load_claims, load_report_figures  # noqa: E402
from ecrights.plotting import print_problems, report_figure_title, series_problems  # noqa: E402
from ecrights.sections.ai_anticounterfeit import figures as ai_figures  # noqa: E402
from ecrights.sections.index_trend import analysis as it, figures as it_figures  # noqa: E402
from ecrights.sections.promotion_effects import analysis as pe, figures as pe_figures  # noqa: E402
from ecrights.sections.retail_growth import analysis as rg, figures as rg_figures  # noqa: E402


@pytest.fixture(autouse=True)
def _close():
    """Every figure a test draws must print as drawn (plotting.print_problems: no text under 7 pt,
    none off the figure, not wider than the text block, no hyphen for a minus) and tell its series
    apart without colour (plotting.series_problems), then it is closed."""
    yield
    try:
        problems = {num: print_problems(plt.figure(num)) + series_problems(plt.figure(num))
                    for num in plt.get_fignums()}
        assert not {k: v for k, v in problems.items() if v}, problems
    finally:
        plt.close("all")


@pytest.fixture(scope="module")
def panel(official):
    return rg.monthly_panel(official, "2018-01", "2019-12")


def _months_drawn(line, periods):
    """A cumulative line's values per month, after checking it is broken (NaN) at
    every turn of the year: the series restarts each January (1–2月)."""
    x, y = np.asarray(line.get_xdata(), float), np.asarray(line.get_ydata(), float)
    between = ~np.isclose(x, np.round(x))  # the inserted break points sit half-way between two months
    years = [p.year for p in periods]
    turns = sum(a != b for a, b in zip(years, years[1:]))
    assert between.sum() == turns and np.isnan(y[between]).all()
    return y[~between]


def test_report_figure_titles_come_from_the_data():
    figures = load_report_figures()
    assert report_figure_title(figures, "图1", "zh") == f"图1 {figures.loc['图1', 'title_zh']}"
    assert report_figure_title(figures, "图1", "en") == f"Figure 1 {figures.loc['图1', 'title_en']}"
    assert "未印标题" in report_figure_title(figures, "图3", "zh")  # the text prints no title for 图3


def test_report_figure_titles_stand_in_the_report():
    from conftest import PROJECT_ROOT

    text = (PROJECT_ROOT / "data" / "report" / "report_2019.zh-Hans.txt").read_text(encoding="utf-8")
    for figure, row in load_report_figures().iterrows():
        if row["title_zh"]:
            assert f"{figure}:{row['title_zh']}" in text.replace("：", ":"), figure


def test_figure1_bars_are_the_monthly_growth(panel):
    fig, drawn = rg_figures.retail_monthly_growth(panel, "T1", "zh")
    heights = [p.get_height() for p in fig.axes[0].patches]
    assert np.allclose(heights, panel["retail_total_month_yoy"].to_numpy(), equal_nan=True)
    assert list(drawn["month"]) == [str(p) for p in panel.index]
    assert fig.axes[0].get_title() == "T1"


def test_the_reports_figures_carry_no_title_in_the_image_and_their_title_in_the_caption(panel):
    """The report numbers its own figures in the caption: no "图N …" drawn inside the image."""
    figures = load_report_figures()
    for draw in (rg_figures.retail_monthly_growth, rg_figures.online_retail_cumulative,
                 rg_figures.physical_online_categories, rg_figures.physical_online_share):
        fig, _ = draw(panel, None, "zh")
        titles = [ax.get_title() for ax in fig.axes] + [fig._suptitle.get_text() if fig._suptitle else ""]
        assert not [t for t in titles if t.startswith("图")], (draw.__name__, titles)
    for language, number in (("zh", "图1"), ("en", "Figure 1")):
        caption = rg_figures.report_caption(figures, "图1", "note", language)
        assert not caption.startswith(number) and caption.endswith("note")
        assert figures.loc["图1", "title_zh" if language == "zh" else "title_en"] in caption
    assert rg_figures.report_caption(figures, "图3", "note", "zh") == "note"  # the text prints no title for 图3


def test_figure2_line_is_the_cumulative_growth(panel):
    fig, drawn = rg_figures.online_retail_cumulative(panel, "T2", "en")
    line = fig.axes[1].get_lines()[0]
    assert np.allclose(_months_drawn(line, panel.index), drawn["online_total_cum_yoy"], equal_nan=True)
    assert np.allclose([p.get_height() for p in fig.axes[0].patches], drawn["online_total_cum_level"], equal_nan=True)


def test_figure3_and_4_lines(panel):
    fig, drawn = rg_figures.physical_online_categories(panel, "T3", "zh")
    ys = [_months_drawn(line, panel.index) for line in fig.axes[0].get_lines()]
    for y, col in zip(ys, ["food_cum_yoy", "clothing_cum_yoy", "use_cum_yoy"]):
        assert np.allclose(y, drawn[col], equal_nan=True)
    fig, drawn = rg_figures.physical_online_share(panel, "T4", "zh")
    assert np.allclose(_months_drawn(fig.axes[0].get_lines()[0], panel.index), drawn["physical_share_of_online"],
                       equal_nan=True)
    assert np.allclose(_months_drawn(fig.axes[1].get_lines()[0], panel.index), drawn["physical_share_of_retail"],
                       equal_nan=True)
    assert fig._suptitle.get_text() == "T4"


def test_promotion_figures(official):
    table = pe.cumulative_growth(official, 2019)
    fig, drawn = pe_figures.promotion_cumulative_growth(table, 17.5, "T", "zh")
    assert np.allclose(fig.axes[0].get_lines()[0].get_ydata(), table["cum_yoy_pct"], equal_nan=True)
    assert (drawn["threshold_pct"] == 17.5).all()
    assert any(np.allclose(line.get_ydata(), 17.5) for line in fig.axes[0].get_lines()[1:])  # the bound is drawn
    panel = derive.single_month_panel(official, "online_retail_total", range(2016, 2020))
    fig, drawn = pe_figures.promotion_single_months(panel, [6, 11], "T", "en")
    steps = [a for a in fig.axes[1].patches if a.__class__.__name__ == "StepPatch"]
    years = sorted(drawn.dropna(subset=["yoy_pct"])["year"].unique())
    assert len(steps) == len(years)  # one step line per year; its values are the periods' growth
    first = drawn[drawn["year"] == years[0]].sort_values("month")
    assert np.allclose(steps[0].get_data().values, first["yoy_pct"])
    assert np.allclose(drawn["share_per_month"], panel["share_of_year"] / panel["months"], equal_nan=True)
    lifts = pd.DataFrame({"promotion": ["jun", "jun"], "year": [2016, 2019], "estimate": [3.0, 2.0],
                          "low": [1.0, np.nan], "high": [5.0, np.nan], "n": [6, 4], "status": ["ok", "too_few"]})
    fig, drawn = pe_figures.promotion_lifts(lifts, {"jun": "June"}, "pp", {"too_few": "too few"}, "T", "zh")
    assert drawn.equals(lifts)
    texts = [t.get_text() for t in fig.axes[0].texts]
    assert "n=6" in texts and "n=4\ntoo few" in texts  # n beside every estimate; no interval when too few


def test_period_share_and_non_physical_figures(official):
    table, _ = pe.period_shares(official, ["online_retail_total", "online_retail_physical"], [6, 11], 1,
                                range(2015, 2020), 2)
    fig, drawn = pe_figures.period_share_figure(table, {}, {}, "T", "en")
    assert len(fig.axes) == table["promotion"].nunique() and drawn.equals(table)
    first = table[(table["promotion"] == fig.axes[0].get_title().split("\n")[0])
                  & (table["series"] == "online_retail_total")].sort_values("year")
    assert np.allclose(fig.axes[0].get_lines()[0].get_ydata(), first["share_pct"])
    frame = rg.non_physical_online(official, "2018-01", "2019-12")
    fig, drawn = rg_figures.non_physical_online_growth(frame, "zh")
    derived = [line for line in fig.axes[0].get_lines() if line.get_marker() == "s"][0]
    assert np.allclose(_months_drawn(derived, frame.index), drawn["non_physical_growth"], equal_nan=True)


def test_index_figures_use_the_statements_given():
    s = ic.IndexStatements.from_ledger(load_claims())
    grid = ic.weight_grid(11, s)
    interval = ic.two_component_weight_interval(s)
    fig, drawn = it_figures.index_weight_sensitivity(grid, (0.3, 0.5), s, interval, "en")
    star = [line for line in fig.axes[0].get_lines() if line.get_marker() == "*"][0]
    assert tuple(star.get_xydata()[0]) == pytest.approx(ic.two_component_weights(s))
    segment = [line for line in fig.axes[0].get_lines() if line.get_linewidth() == 4][0]
    assert list(segment.get_xdata()) == pytest.approx(list(interval))
    assert f"{s.total_change:+g}".replace("-", "\u2212") in fig.axes[0].get_title()  # a true minus
    curves = it.proactive_curves(np.array([0.0, 0.09]), "2018-11", "2019-12", 100.0, s.dispute_change)
    fig, drawn = it_figures.proactive_adjustment_figure(curves, {}, 1.0, 0.09, "zh")
    assert drawn.equals(curves) and len(fig.axes[0].get_lines()) == 4 + 1  # four scenarios and the stated share
    at_zero = drawn[drawn["share"] == 0.0]
    assert np.allclose(at_zero["adjusted_change"], s.dispute_change)  # nothing removed: the stated change


def test_the_flat_verdict_figure_draws_bands_and_the_verdict_map():
    q = it.FlatQuestion(share=0.09, share_precision=0.005, change=8.8, change_precision=0.05, level=100.0,
                        level_range=(75.0, 125.0), tolerance=1.0, start="2018-11", reference="2019-12")
    levels, tolerances = it.sweep_grids(q, n=11)
    sweep = it.level_sweep(q, levels)
    vmap = it.verdict_map(sweep, tolerances)
    fig, drawn = it_figures.flat_verdict_figure(sweep, vmap, q, {}, {}, "en")
    assert len(fig.axes) == 1 + 4  # the bands, and one map per scenario
    bands = drawn[drawn["kind"] == "band"]
    assert len(bands) == len(sweep) and np.allclose(bands["low"], sweep["low"]) and (bands["tolerance"] == 1.0).all()
    maps = drawn[drawn["kind"] == "map"]
    assert len(maps) == len(vmap) and set(maps["verdict"]) <= set(it.FLAT_VERDICTS)
    # one band per scenario, filled between the rounding's low and high
    assert len([c for c in fig.axes[0].collections if c.get_label() in set(sweep["scenario"])]) == 4


def _figure5_inputs():
    """Fifteen months and one published period mean (2016-06..08 at 90.0): the admissible set,
    its statistics and Figure 5's frame."""
    months = it.months_between("2016-01", "2017-03")
    stats = pd.DataFrame([{"stat_id": "m", "publication": "p", "sub_index": "total", "kind": "period_mean",
                           "period_start": "2016-06", "period_end": "2016-08", "compare_start": "", "compare_end": "",
                           "value": 90.0, "value_text": "90.0", "unit": "点", "article_date": "2017-01-01"}])
    read = it.read_statistics(stats, months, "preceding_period", "2016-01")
    aset = it.admissible_set(read, months, "2016-05", 100.0, None)
    frame = it.figure5_frame(aset, aset.month_ranges(), aset.least_change_path(), ("2016-01", "2016-12"))
    return months, read, aset, frame


def test_figure5_draws_the_ranges_the_means_and_the_path():
    months, read, aset, frame = _figure5_inputs()
    means = it.period_means(aset, read)
    fig, drawn = it_figures.index_reconstruction(frame, means, ("2016-01", "2016-12"), "2016-05", 100.0, "zh")
    monthly = drawn[drawn["kind"] == "month"].reset_index(drop=True)
    assert list(monthly["month"]) == [str(m) for m in months]
    assert np.allclose(monthly["path"], frame["path"]) and monthly["upper"].equals(frame["upper"])
    assert list(monthly["in_figure5"]) == [m.year == 2016 for m in months]
    assert monthly.loc[monthly["month"].isin(["2016-06", "2016-07", "2016-08"]), "path"].mean() == pytest.approx(90.0, abs=0.05)
    mean_row = drawn[drawn["kind"] == "period_mean"].iloc[0]
    assert mean_row["month"] == "2016-06..2016-08" and (mean_row["lower"], mean_row["upper"]) == pytest.approx((89.95, 90.05))
    top, bottom = fig.axes[:2]
    bars = [p for p in top.patches if p.get_height() == pytest.approx(0.1)]
    assert len(bars) == 1  # the period mean, as tall as its printed rounding
    assert bottom.get_ylim()[1] >= np.nanmax(frame["upper"].replace(np.inf, np.nan))  # the ranges are on the axis
    labels = [t.get_text() for t in top.get_legend().get_texts()]
    assert any("假设" in t for t in labels) and not any("公布" in t and "均值" in t for t in labels)
    # the report's caption carries "图5" and its title: the image draws neither
    titles = [fig._suptitle.get_text() if fig._suptitle else ""] + [ax.get_title() for ax in fig.axes]
    assert not any(t.startswith(("图5", "Figure 5")) for t in titles), titles


def test_ai_figures():
    s = ic.IndexStatements.from_ledger(load_claims())
    fig, drawn = ai_figures.counterfeit_share_figure(0.2, 0.4, 0.35, s, "zh")
    assert np.allclose(fig.axes[0].get_lines()[0].get_ydata(), drawn["counterfeit_share_pct"])
    assert drawn["counterfeit_share_pct"].iloc[-1] == pytest.approx(0.8 * s.counterfeit_change / s.total_change * 100)
    rows = pd.DataFrame({"period": ["2017", "2017", "2019"], "value": [1.5, 1.49, 1.0], "printed": [1.5, 1.49, 1.0],
                         "denominator": ["orders", "trades", "orders"], "unit": ["x"] * 3,
                         "publication": ["a", "b", "c"], "stat_id": ["s1", "s2", "s3"]})
    line = rows.iloc[[1, 2]]
    fig, drawn = ai_figures.alibaba_infringement_figure(rows, line, 1.0, 2019, "en")
    joined = fig.axes[0].get_lines()[0]
    assert list(joined.get_ydata()) == [1.49, 1.0]
    assert joined.get_linestyle() == ":"  # trades → orders: not one measure, not drawn as one
    same = rows.assign(denominator="orders")
    fig_same, _ = ai_figures.alibaba_infringement_figure(same, same.iloc[[1, 2]], 1.0, 2019, "en")
    assert fig_same.axes[0].get_lines()[0].get_linestyle() == "-"
    alibaba = drawn[drawn["series"] == "alibaba"]
    assert sorted(alibaba["value"]) == [1.0, 1.49, 1.5] and alibaba["on_line"].sum() == 2
    assert (drawn["series"] == "report").sum() == 1


# --------------------------------------------------------------------------
# Print: greyscale, colour-blind readers, minus signs, labels, Figure 5 for readers
# --------------------------------------------------------------------------

def _line_styles(ax) -> list[tuple[str, str]]:
    return [(str(line.get_marker()), str(line.get_linestyle())) for line in ax.get_lines()
            if not line.get_label().startswith("_")]


def test_series_differ_in_marker_and_line_style_not_only_colour(panel, official):
    """In greyscale Figure 3's 吃类 and 穿类 were the same grey with the same marker, and the
    five years of the demand figure could not be told apart."""
    fig, _ = rg_figures.physical_online_categories(panel, None, "zh")
    styles = _line_styles(fig.axes[0])
    assert len(styles) == 3 and len(set(m for m, _ in styles)) == 3 and len(set(ls for _, ls in styles)) == 3
    online = derive.single_month_panel(official, "online_retail_total", range(2015, 2020))
    from ecrights import data

    express = data.series(official, "express_volume", "level", "month").dropna()
    fig, _ = it_figures.demand_by_month(online, express, [6, 11], "en")
    for ax in fig.axes:
        styles = _line_styles(ax)
        assert len(styles) >= 2 and len(set(styles)) == len(styles), styles


def test_the_palette_has_no_red_green_pair_for_colour_blind_readers():
    """Deuteranopia simulated (Machado et al. 2009, severity 1): every two colours a figure sets
    side by side (the series palette, the verdict map, up/down/official) stay apart."""
    from matplotlib.colors import to_rgb

    from ecrights import plotting
    from ecrights.sections.industry_breakdown import figures as ib_figures

    deutan = np.array([[0.367322, 0.860646, -0.227968], [0.280085, 0.672501, 0.047413],
                       [-0.011820, 0.042940, 0.968881]])

    def seen(colour):
        rgb = np.array(to_rgb(colour))
        linear = np.where(rgb <= 0.04045, rgb / 12.92, ((rgb + 0.055) / 1.055) ** 2.4)
        return np.clip(deutan @ linear, 0, 1)

    groups = {"palette": plotting.PALETTE[:5], "verdicts": list(it_figures.VERDICT_COLORS.values()),
              "industries": [ib_figures.UP, ib_figures.DOWN, ib_figures.OFFICIAL]}
    for name, colours in groups.items():
        for i, a in enumerate(colours):
            for b in colours[i + 1:]:
                assert np.abs(seen(a) - seen(b)).sum() > 0.12, (name, a, b)


def test_ticks_and_labels_print_a_true_minus():
    s = ic.IndexStatements.from_ledger(load_claims())
    fig, _ = it_figures.index_weight_sensitivity(ic.weight_grid(11, s), (0.3, 0.5), s,
                                                 ic.two_component_weight_interval(s), "zh")
    fig.canvas.draw()
    ticks = [t.get_text() for ax in fig.axes for t in ax.get_yticklabels() + ax.get_xticklabels()]
    assert any(t.startswith("\u2212") for t in ticks), ticks  # the colour bar's negative ticks
    assert not [t for t in ticks if "-" in t], ticks
    from ecrights.plotting import drawn_texts

    assert not [t for t, *_ in drawn_texts(fig) if re.search(r"(?<![\w)])-\d", t)]


def _crossing_gridlines(ax, renderer) -> list[str]:
    """The labels drawn in the plot area that a visible gridline runs through (no opaque box behind them)."""
    found = []
    grid = [g for axis in (ax.xaxis, ax.yaxis) for g in axis.get_gridlines() if g.get_visible()]
    for t in ax.texts:
        patch = t.get_bbox_patch()
        if not t.get_text().strip() or (patch is not None and patch.get_alpha() in (None, 1.0)
                                        and patch.get_facecolor()[3] == 1.0):
            continue
        box = t.get_window_extent(renderer)
        for g in grid:
            (x0, y0), (x1, y1) = g.get_transform().transform(g.get_path().vertices)[[0, -1]]
            if (x0 == x1 and box.x0 < x0 < box.x1 and min(y0, y1) < box.y1 and max(y0, y1) > box.y0) or \
               (y0 == y1 and box.y0 < y0 < box.y1 and min(x0, x1) < box.x1 and max(x0, x1) > box.x0):
                found.append(t.get_text())
                break
    return found


def test_no_gridline_runs_through_a_label_of_figure_8():
    """Figure 8's "≈0", "−35%", "−8%" were struck through by gridlines."""
    from ecrights.data.published import load_industry_statements
    from ecrights.sections.industry_breakdown import analysis as ib, figures as ib_figures

    encoded = ib.encode_statements(load_industry_statements())
    for language in ("zh", "en"):
        fig, _ = ib_figures.key_industries_figure(encoded, None, language)
        fig.canvas.draw()
        assert _crossing_gridlines(fig.axes[0], fig.canvas.get_renderer()) == []
        texts = [t.get_text() for t in fig.axes[0].texts]
        assert not [t for t in texts if re.search(r"(?<![\w)])-\d", t)], texts


def test_figures_6_and_7_are_one_compact_row():
    from ecrights.data.published import load_industry_statements
    from ecrights.sections.industry_breakdown import analysis as ib, figures as ib_figures

    encoded = ib.encode_statements(load_industry_statements())
    for number in ("图6", "图7"):
        fig, drawn = ib_figures.direction_figure(encoded, number, None, "zh")
        assert len(fig.axes) == 1 and fig.get_figheight() <= 1.6  # a row of arrows, not half a page
        assert len(drawn) == (encoded["figure"] == number).sum()


def test_figure5_for_readers_draws_what_is_determined_and_no_path():
    """Means with their intervals, every month's admissible band, the fragile months marked;
    no line through the months a reader could take for the index (the audit figure keeps it)."""
    months, read, aset, frame = _figure5_inputs()
    means = it.period_means(aset, read)
    fig, drawn = it_figures.index_determined(frame, means, ("2016-01", "2016-12"), "2016-05", 100.0, "zh",
                                             ["2016-07"])
    ax = fig.axes[0]
    assert not [line for line in ax.get_lines()  # no path: no line joining months (markers alone are marks)
                if len(line.get_xdata()) > 2 and line.get_linestyle() not in ("None", "none", "", " ")]
    monthly = drawn[drawn["kind"] == "month"].reset_index(drop=True)
    inside = frame[frame["in_figure5"]].reset_index(drop=True)  # the report's figure period only
    assert list(monthly["month"]) == [str(m) for m in months if m.year == 2016]
    assert monthly["lower"].equals(inside["lower"])
    assert list(monthly.loc[monthly["fragile"], "month"]) == ["2016-07"]
    hatched = [p for p in ax.patches if p.get_hatch()]
    assert len(hatched) == int((~monthly.loc[monthly["fragile"], "unbounded"].astype(bool)).sum())  # a fragile band, hatched
    mean_row = drawn[drawn["kind"] == "period_mean"].iloc[0]
    assert (mean_row["lower"], mean_row["upper"]) == pytest.approx((89.95, 90.05))
    assert "path" not in drawn.columns


def test_a_figure_recorded_in_an_audit_cell_stays_out_of_the_readers_edition(tmp_path):
    """Figure 5's audit view is recorded in a cell tagged audience-audit: the reader's edition
    shows only the reader's figure (not the audit one appended as 'unplaced'), inline as SVG."""
    import nbformat

    from ecrights.plotting import new_figure, save_print
    from ecrights.report import cells

    for name in ("s-fig_reader", "s-fig_audit"):
        fig, ax = new_figure()
        ax.plot([1, 2], [3, 4])
        save_print(fig, tmp_path / "figures" / name)
    results = {"figures": [{"file": f"figures/s-{k}.svg", "raster": f"figures/s-{k}.png", "caption": k,
                            "sources": [], "report_figure": "图5" if k == "fig_reader" else None}
                           for k in ("fig_reader", "fig_audit")]}
    nb = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_code_cell('record.figure("fig_reader", fig, drawn)'),
        nbformat.v4.new_code_cell('record.figure("fig_audit", fig, drawn)', metadata={"tags": ["audience-audit"]})])
    reader = cells.render_notebook(nb, "s", results, tmp_path, audience="reader")
    audit = cells.render_notebook(nb, "s", results, tmp_path, audience="audit")
    assert 'id="fig-s-fig_reader"' in reader and "fig-s-fig_audit" not in reader
    assert 'id="fig-s-fig_reader"' in audit and 'id="fig-s-fig_audit"' in audit
    assert "<svg" in reader and 'data-raster="figures/s-fig_reader.png"' in reader and "<img" not in reader


# --------------------------------------------------------------------------
# Figure 9 at print size (an editor's review of the reader's edition)
# --------------------------------------------------------------------------

def _fig9(official, language):
    from ecrights.data.published import load_industry_statements
    from ecrights.sections.industry_breakdown import analysis as ib, figures as ib_figures

    encoded = ib.encode_statements(load_industry_statements())
    mapped = ["category_building_decoration", "category_furniture"]
    fig, drawn = ib_figures.fig9_figure(encoded, ib.all_categories_growth(official, 2019), mapped, 2019, None, language)
    fig.canvas.draw()
    return fig, drawn, mapped, ib_figures


@pytest.mark.parametrize("language", ["zh", "en"])
def test_figure9_left_panel_holds_its_sentences_and_no_line_strikes_a_label(official, language):
    """The left panel was 1.2 in wide: its title cut, its sentences out of the frame; the dashed
    threshold ran through "第1名"; its label sat on the right panel's title; a ✖ printed over "gap"."""
    fig, drawn, mapped, ib_figures = _fig9(official, language)
    renderer = fig.canvas.get_renderer()
    left, right = fig.axes
    assert left.get_window_extent(renderer).width >= 0.4 * fig.bbox.width
    frame = left.get_window_extent(renderer)
    for t in left.texts:  # each sentence inside the frame, the title above it within the figure
        box = t.get_window_extent(renderer)
        assert frame.x0 <= box.x0 and box.x1 <= frame.x1, t.get_text()
    assert fig.bbox.x0 <= left.title.get_window_extent(renderer).x0
    threshold = float(drawn["threshold_pct"].dropna().iloc[0])
    for ax in (left, right):
        line = [ln for ln in ax.get_lines() if list(ln.get_xdata()) == [threshold, threshold]][0]
        x = ax.transData.transform((threshold, 0))[0]
        for t in ax.texts:
            box = t.get_window_extent(renderer)
            if box.x0 < x < box.x1:  # the line passes behind it: an opaque box above the line
                patch = t.get_bbox_patch()
                assert patch is not None and patch.get_facecolor()[3] == 1.0, t.get_text()
                assert t.get_zorder() > line.get_zorder(), t.get_text()
    label = [t for t in right.texts if f"{threshold:g}%" in t.get_text()][0]
    assert not label.get_window_extent(renderer).overlaps(right.title.get_window_extent(renderer))
    gaps = [t for t in right.texts if (t.get_gid() or "").startswith("gap:")]
    assert gaps
    for ln in right.get_lines():  # no marker prints over the word "gap"
        points = ln.get_transform().transform(ln.get_xydata())
        assert not any(g.get_window_extent(renderer).contains(*p) for g in gaps for p in points)


@pytest.mark.parametrize("language", ["zh", "en"])
def test_figure9_says_what_is_drawn_without_colour_names(official, language):
    """The caption said "红色" for an orange bar: a mapped category is named by a mark and hatching."""
    fig, drawn, mapped, ib_figures = _fig9(official, language)
    right = fig.axes[1]
    ticks = {t.get_text() for t in right.get_yticklabels()}
    marked = {t for t in ticks if t.startswith(ib_figures.MAPPED_MARK)}
    assert len(marked) == len(mapped)
    hatched = [p for p in right.patches if p.get_hatch()]
    assert len(hatched) == drawn.loc[drawn["mapped"].fillna(False).astype(bool), "yoy_pct"].notna().sum()
    caption = ib_figures.fig9_caption("装修定制", 2019, language)
    assert ib_figures.MAPPED_MARK in caption and not re.search(r"红色|\bred\b", caption)
    assert ("斜线" if language == "zh" else "hatching") in caption


# --------------------------------------------------------------------------
# Text at the figure's edges: room for a reader's font to set it wider
# --------------------------------------------------------------------------

def _edge_figures(official, language):
    """The figures whose edge text the HTML cut: Figure 8's row names and '≈0 …' note, Figure 5's
    legend, and Figure 9."""
    from ecrights.data.published import load_industry_statements
    from ecrights.sections.industry_breakdown import analysis as ib, figures as ib_figures

    encoded = ib.encode_statements(load_industry_statements())
    fig8, _ = ib_figures.key_industries_figure(encoded, None, language,
                                               points_note=encoded.loc["large_appliance_index_change_2019_points"])
    months, read, aset, frame = _figure5_inputs()
    fig5, _ = it_figures.index_determined(frame, it.period_means(aset, read), ("2016-01", "2016-12"), "2016-05",
                                          100.0, language, ["2016-07"])
    return {"fig8": fig8, "fig5": fig5, "fig9": _fig9(official, language)[0]}


@pytest.mark.parametrize("language", ["zh", "en"])
def test_every_text_lies_inside_the_saved_figure_with_room_to_grow(official, language, tmp_path):
    """The HTML cut "auty & cosmetics (dispute share)", "≈0 (flat; no tolerance give" and Figure 5's
    legend at the figure's edges. matplotlib measured them inside (print_problems passed: the PDF
    sets them within 2 pt of the edge), but a browser setting the SVG's text in its own metrics came
    out a few percent wider. Every text must lie inside the figure as matplotlib measures it, and
    inside the saved canvas even when set TEXT_SLACK wider."""
    from ecrights import plotting

    for name, fig in _edge_figures(official, language).items():
        texts = plotting.drawn_texts(fig)
        renderer = fig.canvas.get_renderer()
        bounds = plotting.print_bounds(fig)  # inches
        canvas = bounds.transformed(fig.dpi_scale_trans)
        for text, _, _, artist in texts:
            box = artist.get_window_extent(renderer)
            assert fig.bbox.padded(1.0).contains(box.x0, box.y0) and fig.bbox.padded(1.0).contains(box.x1, box.y1), \
                (name, text)
            grown = plotting._grown(box, artist, fig.dpi)
            assert canvas.padded(1e-6).contains(grown.x0, grown.y0) and canvas.padded(1e-6).contains(grown.x1, grown.y1), \
                (name, text)
        svg, _ = plotting.save_print(fig, tmp_path / f"{name}-{language}")
        width, height = (float(v) for v in re.search(r'<svg[^>]*width="([\d.]+)pt" height="([\d.]+)pt"',
                                                      svg.read_text(encoding="utf-8")).groups())
        # saved on it (constrained layout moves by a fraction of a point from one draw to the next)
        assert (width, height) == pytest.approx((bounds.width * 72, bounds.height * 72), abs=0.5)
        assert width / 72 * 2.54 <= plotting.TEXT_BLOCK_CM  # and still within the text block: printed unscaled


def test_the_slack_grows_text_towards_where_it_runs():
    from matplotlib.transforms import Bbox

    from ecrights import plotting

    fig, ax = plotting.new_figure()
    right = ax.text(0, 0, "right", ha="right")
    box = Bbox([[100, 10], [200, 20]])
    grown = plotting._grown(box, right, 72)
    assert grown.x0 == pytest.approx(100 - 100 * plotting.TEXT_SLACK - plotting.EDGE_PAD_PT)
    assert grown.x1 == pytest.approx(200 + plotting.EDGE_PAD_PT)  # a right-aligned text grows leftwards only
    left = plotting._grown(box, ax.text(0, 0, "left", ha="left"), 72)
    assert left.x1 == pytest.approx(200 + 100 * plotting.TEXT_SLACK + plotting.EDGE_PAD_PT)


@pytest.mark.parametrize("language", ["zh", "en"])
def test_figure2_legend_covers_no_tick_and_no_plot(panel, language):
    """The legend covered the "120000" tick and ran into the right axis' "40" ("growth40(%)")."""
    fig, _ = rg_figures.online_retail_cumulative(panel, None, language)
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    legend = (fig.legends or [ax.get_legend() for ax in fig.axes if ax.get_legend()])[0].get_window_extent(renderer)
    for ax in fig.axes:
        assert not legend.overlaps(ax.get_window_extent(renderer))
        for tick in ax.get_yticklabels() + ax.get_xticklabels():
            if tick.get_text():
                assert not legend.overlaps(tick.get_window_extent(renderer)), tick.get_text()



def test_figure5_for_readers_draws_no_bar_for_an_unbounded_month_and_dashes_the_implied_means():
    """Most months' bars ran past the top (no upper bound) and filled the plot; the implied means
    vanished in greyscale against the pale bars; the caption named colours (黑/蓝/浅蓝)."""
    months, read, aset, frame = _figure5_inputs()
    means = it.period_means(aset, read)
    fig, drawn = it_figures.index_determined(frame, means, ("2016-01", "2016-12"), "2016-05", 100.0, "en")
    ax = fig.axes[0]
    monthly = drawn[drawn["kind"] == "month"]
    unbounded = monthly[~np.isfinite(monthly["upper"].astype(float)) & monthly["lower"].notna()]
    assert len(unbounded) and monthly["unbounded"].sum() == len(unbounded)
    bars = [p for p in ax.patches if type(p).__name__ == "Rectangle" and p.get_facecolor()[3] > 0
            and pd.Timedelta(p.get_width()) < pd.Timedelta(days=25)]  # the months' bars, not a mean's
    assert len(bars) == len(monthly) - len(unbounded) - monthly["lower"].isna().sum()
    ceiling = ax.get_ylim()[1]
    assert all(b.get_y() + b.get_height() <= ceiling for b in bars)
    open_marks = [ln for ln in ax.get_lines() if ln.get_marker() == "^" and ln.get_markerfacecolor() == "white"]
    assert len(open_marks) == 1 and len(set(open_marks[0].get_ydata())) == 1  # one fixed height
    assert len(open_marks[0].get_xdata()) == len(unbounded)
    implied = [p for p in ax.patches if type(p).__name__ == "Rectangle" and p.get_edgecolor()[:3] != (0, 0, 0)
               and p.get_facecolor()[3] == 0 and not p.get_hatch()]
    assert len(implied) == int((~means["stated"].astype(bool)).sum())
    assert all(p.get_linestyle() not in ("-", "solid") for p in implied)
    key = [h for h in fig.legends[0].legend_handles if "dashed" in h.get_label()]  # the legend draws it dashed too
    assert len(key) == 1 and key[0].get_linestyle() not in ("-", "solid")
    fig_zh, _ = it_figures.index_determined(frame, means, ("2016-01", "2016-12"), "2016-05", 100.0, "zh")
    fig_zh.canvas.draw()
    ticks = [t.get_text() for t in fig_zh.axes[0].get_xticklabels() if t.get_text()]
    assert ticks and all(re.fullmatch(r"\d{4}年\d{1,2}月", t) for t in ticks), ticks  # not ISO "2016-01"
    for language in ("zh", "en"):
        caption = it_figures.determined_caption("T", ("2016-01", "2019-12"), True, language)
        # a colour alone as the key ("黑：", "(light blue)") is gone; shapes and line styles name what is drawn
        assert not re.search(r"[（(；;,，]\s*(黑|蓝|浅蓝|black|blue|light blue)\s*[：:)）]", caption), caption
        assert ("虚线" if language == "zh" else "dashed") in caption and "2019-12" in caption


def test_chinese_figures_set_units_in_full_width_brackets(panel, official):
    """"当月同比增长 (%)", "1至当月累计 (亿元)": a Chinese label takes full-width brackets （%）."""
    from ecrights.data.published import load_industry_statements
    from ecrights.plotting import drawn_texts
    from ecrights.sections.industry_breakdown import analysis as ib, figures as ib_figures

    encoded = ib.encode_statements(load_industry_statements())
    figs = [draw(panel, None, "zh")[0] for draw in (rg_figures.retail_monthly_growth, rg_figures.online_retail_cumulative,
                                                    rg_figures.physical_online_categories,
                                                    rg_figures.physical_online_share)]
    figs += [ib_figures.key_industries_figure(encoded, None, "zh")[0], _fig9(official, "zh")[0]]
    ascii_around_cjk = re.compile(r"\([^()]*[\u4e00-\u9fff%][^()]*\)")
    found = [t for fig in figs for t, *_ in drawn_texts(fig) if ascii_around_cjk.search(t)]
    assert not found, found
    assert any("（%）" in t for fig in figs for t, *_ in drawn_texts(fig))
