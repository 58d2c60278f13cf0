"""lib/ecrights/sections/index_trend: statistics as constraints, the admissible
set (ranges, conflicts, seasonality), the proactive scenarios."""

import numpy as np
import pandas as pd
import pytest

from ecrights.claims import printed_precision
from ecrights.data import load_date_statements, load_index_statistics
from ecrights.sections.index_trend import analysis as it
from ecrights.sections.index_trend.admissible import AdmissibleSet, Constraint, mean_coefficients


@pytest.fixture(scope="module")
def dated():
    return load_date_statements()


@pytest.fixture(scope="module")
def stats():
    return load_index_statistics()


def _stat(stat_id, start, end, value, kind="period_mean", compare=("", ""), sub_index="total", unit="点",
          value_text=None, article_date="2019-01-01"):
    return {"stat_id": stat_id, "publication": "p", "sub_index": sub_index, "kind": kind, "period_start": start,
            "period_end": end, "compare_start": compare[0], "compare_end": compare[1], "value": float(value),
            "value_text": value_text or f"{value:g}", "unit": unit, "article_date": article_date}


def _set(months, *constraints, upper=None):
    return AdmissibleSet(months, tuple(constraints), upper)


def _mean(months, name, start, end, value, tol):
    return Constraint(name, mean_coefficients(months, start, end), value, tol)


# ---------------------------------------------------------------- dated statements

def test_dates_come_from_the_dated_statements(dated):
    assert it.base_month(dated) == dated.loc["it_base_period_2016_05", "period"]
    assert it.figure5_period(dated) == tuple(dated.loc["it_fig5_coverage", "period"].split(".."))
    assert it.proactive_start(dated) == dated.loc["it_proactive_service_start_2018_11", "period"]
    pairs = it.peak_pairs(dated)
    for name, claim in it.PEAK_STATEMENTS.items():
        first, last = map(int, dated.loc[claim, "value"].split("-"))
        assert pairs[name] == list(range(first, last + 1))
    assert it.peak_months(dated) == sorted({m for ms in pairs.values() for m in ms})


# ---------------------------------------------------------------- proactive scenarios

def test_proactive_share_profiles():
    constant = it.proactive_shares(0.09, "constant", "2018-11", "2019-12")
    assert constant["2018-10"] == 0.0 and constant["2018-11"] == 0.09 and constant["2019-12"] == 0.09
    ramp = it.proactive_shares(0.09, "ramp", "2018-11", "2019-12")
    # zero the month before the start, the stated share in the reference month, linear between
    assert ramp["2018-10"] == 0.0 and ramp["2019-12"] == pytest.approx(0.09)
    assert ramp["2018-11"] == pytest.approx(0.09 / 14) and np.allclose(np.diff(ramp["2018-11":].to_numpy()), 0.09 / 14)
    with pytest.raises(ValueError, match="profile"):
        it.proactive_shares(0.09, "step", "2018-11", "2019-12")


def test_proactive_adjustment_with_and_without_2018():
    shares = it.proactive_shares(0.09, "constant", "2018-11", "2019-12")
    plain = it.proactive_adjustment(shares, 100.0, 8.8, adjust_previous=False)
    assert plain["removed_fraction"] == pytest.approx(0.09)
    assert plain["adjusted_change"] == pytest.approx(108.8 * 0.91 - 100)
    adjusted = it.proactive_adjustment(shares, 100.0, 8.8, adjust_previous=True)
    assert adjusted["removed_fraction_previous"] == pytest.approx(0.09 * 2 / 12)  # November and December 2018
    assert adjusted["adjusted_change"] == pytest.approx(108.8 * 0.91 - 100 * (1 - 0.09 * 2 / 12))
    ramp = it.proactive_adjustment(it.proactive_shares(0.09, "ramp", "2018-11", "2019-12"), 100.0, 8.8, False)
    assert ramp["removed_fraction"] == pytest.approx(0.09 * np.mean(np.arange(3, 15)) / 14)


@pytest.mark.parametrize("profile", ["constant", "ramp"])
@pytest.mark.parametrize("adjust", [False, True])
def test_the_adjusted_change_by_share_weights_is_the_monthly_calendars(profile, adjust):
    """adjusted_change (the removed fractions scaled from a share of 1) gives what the monthly
    calendar of shares gives, for every share of a grid and a programme starting in the report
    year as well as before it."""
    from ecrights.sections.index_trend.proactive import adjusted_change

    for start in ("2018-11", "2019-03"):
        for share in (0.0, 0.013, 0.09, 0.5, 1.0):
            calendar = it.proactive_adjustment(it.proactive_shares(share, profile, start, "2019-12"), 96.5, 8.8, adjust)
            assert adjusted_change(share, profile, start, "2019-12", 96.5, 8.8, adjust) == \
                pytest.approx(calendar["adjusted_change"], rel=1e-12, abs=1e-12, nan_ok=True)


def _question(level=100.0, level_range=None, tolerance=1.0, share=0.09, share_precision=0.005, change=8.8,
              change_precision=0.05):
    """A 基本持平 question with the report's shape: a share printed to whole
    percent, a change printed to 0.1 point, the programme starting 2018-11."""
    return it.FlatQuestion(share=share, share_precision=share_precision, change=change,
                           change_precision=change_precision, level=level,
                           level_range=level_range or (level, level), tolerance=tolerance, start="2018-11",
                           reference="2019-12")


def _constant(share, change, level):
    """The constant profile, 2018 unadjusted, by hand: 2019 loses `share` of its disputes."""
    return (level + change) * (1 - share) - level


def test_scenario_table_gives_intervals_and_verdicts():
    table = it.proactive_scenarios(_question(level_range=(75.0, 125.0))).set_index("scenario")
    assert list(table.index) == ["constant", "constant_adjusted_2018", "ramp", "ramp_adjusted_2018"]
    for name, row in table.iterrows():
        # the point lies in the rounding interval, which lies in the interval over the level range too
        assert row["low"] <= row["rounding_low"] <= row["adjusted_change"] <= row["rounding_high"] <= row["high"], name
        assert row["verdict"] == it.flat_verdict(row["low"], row["high"], 1.0)
        assert row["verdict_at_level"] == it.flat_verdict(row["rounding_low"], row["rounding_high"], 1.0)
    # a ramp removes less of 2019 than a constant share, so the change stays further above zero
    assert table.loc["ramp", "adjusted_change"] > table.loc["constant", "adjusted_change"]
    assert table.loc["constant", "label_zh"] and "2018-11" in table.loc["ramp", "label_en"]


def test_the_interval_is_the_extremes_over_the_rounding_and_the_levels():
    """The corners give the extremes (the change is linear in each input): a dense grid finds nothing outside."""
    q = _question(level=100.0, level_range=(80.0, 120.0))
    for profile in it.PROACTIVE_PROFILES:
        for adjust in (False, True):
            low, high = it.adjusted_change_range(q, profile, adjust, q.level_range)
            grid = [it.proactive_adjustment(it.proactive_shares(s, profile, "2018-11", "2019-12"), level, change,
                                            adjust)["adjusted_change"]
                    for s in np.linspace(0.085, 0.095, 5) for change in np.linspace(8.75, 8.85, 5)
                    for level in np.linspace(80.0, 120.0, 5)]
            assert min(grid) == pytest.approx(low) and max(grid) == pytest.approx(high), (profile, adjust)
    # by hand for the constant profile: lowest at the largest share, smallest change and highest level
    low, high = it.adjusted_change_range(q, "constant", False, q.level_range)
    assert low == pytest.approx(_constant(0.095, 8.75, 120.0)) and high == pytest.approx(_constant(0.085, 8.85, 80.0))


def test_flat_across_the_whole_interval_is_consistent():
    # level 90: [8.75·0.905 − 90·0.095, 8.85·0.915 − 90·0.085] = [−0.63, +0.45], inside ±1
    row = it.proactive_scenarios(_question(level=90.0)).set_index("scenario").loc["constant"]
    assert (row["low"], row["high"]) == pytest.approx((_constant(0.095, 8.75, 90.0), _constant(0.085, 8.85, 90.0)))
    assert row["verdict"] == it.CONSISTENT
    assert row["tolerance_needed"] == pytest.approx(max(abs(row["low"]), abs(row["high"]))) and row["tolerance_needed"] < 1


def test_an_interval_straddling_the_tolerance_cannot_be_decided():
    # level 100: the printed values give −0.99, inside ±1, but the rounding reaches −1.58: a point decision
    # would say 'flat'; the interval says it cannot be decided
    q = _question(level=100.0)
    row = it.proactive_scenarios(q).set_index("scenario").loc["constant"]
    assert abs(row["adjusted_change"]) <= 1.0
    assert row["low"] == pytest.approx(_constant(0.095, 8.75, 100.0)) and row["low"] < -1.0 < row["high"]
    assert row["verdict"] == it.UNDECIDED
    # without the rounding the same inputs decide: it is the printed precision that leaves it open
    exact = _question(level=100.0, share_precision=0.0, change_precision=0.0)
    assert it.proactive_scenarios(exact).set_index("scenario").loc["constant", "verdict"] == it.CONSISTENT
    # and a range of levels that is consistent at 90 alone becomes undecided when widened
    wide = it.proactive_scenarios(_question(level=90.0, level_range=(75.0, 125.0))).set_index("scenario")
    assert wide.loc["constant", "verdict"] == it.UNDECIDED


def test_an_interval_outside_the_tolerance_is_not_flat():
    # levels 40–50: [8.75·0.905 − 50·0.095, 8.85·0.915 − 40·0.085] = [+3.17, +4.70], all above +1
    row = it.proactive_scenarios(_question(level=45.0, level_range=(40.0, 50.0))).set_index("scenario").loc["constant"]
    assert (row["low"], row["high"]) == pytest.approx((_constant(0.095, 8.75, 50.0), _constant(0.085, 8.85, 40.0)))
    assert row["verdict"] == it.NOT_FLAT and row["tolerance_floor"] == pytest.approx(row["low"])


def test_verdict_edges_and_thresholds():
    assert it.flat_verdict(-1.0, 1.0, 1.0) == it.CONSISTENT  # the band's edges belong to it
    assert it.flat_verdict(1.0 + 1e-6, 2.0, 1.0) == it.NOT_FLAT
    assert it.flat_verdict(-3.0, -1.0 - 1e-6, 1.0) == it.NOT_FLAT
    assert it.flat_verdict(0.5, 1.5, 1.0) == it.UNDECIDED
    assert it.flat_verdict(-2.0, 2.0, 1.0) == it.UNDECIDED  # wider than the band on both sides
    with pytest.raises(ValueError, match="low end"):
        it.flat_verdict(1.0, 0.0, 1.0)
    assert it.tolerance_thresholds(-0.5, 2.0) == (2.0, 0.0)
    assert it.tolerance_thresholds(1.5, 2.5) == (2.5, 1.5)
    assert it.tolerance_thresholds(-2.5, -1.5) == (2.5, 1.5)
    assert it.combined_verdict([it.NOT_FLAT, it.NOT_FLAT]) == it.NOT_FLAT
    assert it.combined_verdict([it.CONSISTENT, it.NOT_FLAT]) == it.UNDECIDED
    with pytest.raises(ValueError, match="unknown"):
        it.combined_verdict(["flat"])


def test_the_question_checks_its_inputs():
    with pytest.raises(ValueError, match="outside the level range"):
        _question(level=130.0, level_range=(75.0, 125.0))
    with pytest.raises(ValueError, match="low ≤ high"):
        _question(level=100.0, level_range=(125.0, 75.0))


def test_the_question_reads_the_printed_rounding_from_the_ledger(dated):
    from ecrights.claims import ClaimBook
    from ecrights.data import load_claims
    from ecrights.index_composition import IndexStatements

    book = ClaimBook("index_trend", load_claims())
    s = IndexStatements.from_ledger(book.all_claims)
    q = it.flat_question(book, s, dated, "report_december", 100.0, (75.0, 125.0), 1.0)
    printed = book.printed(it.PROACTIVE_SHARE)
    assert q.share == pytest.approx(float(printed) / 100) and q.share_text == printed
    assert q.share_precision == pytest.approx(printed_precision(printed) / 100)
    assert q.change_precision == printed_precision(s.texts["dispute_change"]) and q.change == s.dispute_change
    assert (q.start, q.reference) == (it.proactive_start(dated), it.proactive_reference_month(book))
    assumed = it.flat_question(book, s, dated, 0.12, 100.0, (75.0, 125.0), 1.0)
    assert assumed.share_range == (0.12, 0.12) and assumed.share_text is None  # a parameter has no rounding


def test_the_sweep_and_the_map_agree_with_the_verdict():
    q = _question(level=100.0, level_range=(75.0, 125.0))
    levels, tolerances = it.sweep_grids(q)
    assert {75.0, 100.0, 125.0} <= set(levels) and 1.0 in tolerances
    sweep = it.level_sweep(q, levels)
    scenarios = it.proactive_scenarios(q).set_index("scenario")
    inside = sweep[(sweep["level_2018"] >= 75.0) & (sweep["level_2018"] <= 125.0)]
    for name, rows in inside.groupby("scenario"):
        assert rows["low"].min() == pytest.approx(scenarios.loc[name, "low"])
        assert rows["high"].max() == pytest.approx(scenarios.loc[name, "high"])
        at_level = rows[rows["level_2018"] == 100.0].iloc[0]
        assert at_level["verdict"] == scenarios.loc[name, "verdict_at_level"]
    vmap = it.verdict_map(sweep, tolerances)
    assert len(vmap) == len(sweep) * len(tolerances)
    point = vmap[(vmap["scenario"] == "constant") & (vmap["level_2018"] == 100.0)].set_index("tolerance")["verdict"]
    assert point[1.0] == scenarios.loc["constant", "verdict_at_level"]
    assert point[tolerances.max()] == it.CONSISTENT and point[0.0] != it.CONSISTENT


def test_flat_condition_bounds_the_removed_share():
    low, high = it.flat_condition(100.0, 1.0, 8.8)
    assert low == pytest.approx(7.8 / 108.8) and high == pytest.approx(9.8 / 108.8)
    shares = lambda p: pd.Series([p] * 12, index=pd.period_range("2019-01", "2019-12", freq="M"))  # noqa: E731
    assert abs(it.proactive_adjustment(shares((low + high) / 2), 100.0, 8.8, False)["adjusted_change"]) <= 1.0
    assert abs(it.proactive_adjustment(shares(high + 0.01), 100.0, 8.8, False)["adjusted_change"]) > 1.0


# ---------------------------------------------------------------- statistics as constraints

def test_every_statistic_is_a_constraint_or_has_a_reason():
    frame = pd.DataFrame([
        _stat("mean", "2018-06", "2018-08", 74.8),
        _stat("prev", "2018-06", "2018-08", -18.2, "change_prev_period", ("2018-03", "2018-05")),
        _stat("mom", "2018-08", "2018-08", -3.0, "change_prev_period", ("2018-07", "2018-07")),
        _stat("sub", "2019-01", "2019-12", 8.8, "change_yoy", ("2018-01", "2018-12"), sub_index="dispute_rate"),
        _stat("share", "2019-12", "2019-12", 9.0, "other", unit="%"),
        _stat("pct", "2019-01", "2019-12", -8.0, "change_yoy", ("2018-01", "2018-12"), unit="%"),
        _stat("old", "2017-06", "2017-08", 90.0, article_date="2017-09-01"),
    ])
    window = it.months_between("2017-01", "2019-12")
    reasons = {r: it.read_statistics(frame, window, r, "2018-03").set_index("stat_id") for r in it.PREV_PERIOD_READINGS}
    main = reasons["preceding_period"]
    assert main["reason"].to_dict() == {"mean": "", "prev": "", "mom": "", "sub": "sub_index",
                                        "share": "not_index_value", "pct": "unit", "old": "before_revision"}
    assert main.loc["mean", "tolerance"] == 0.05 and main.loc["mom", "tolerance"] == 0.5
    # only the multi-month 环比 is ambiguous; a single month's 环比 is the month before
    assert main.loc["prev", "reading"] == "preceding_period" and main.loc["mom", "reading"] == ""
    month = reasons["preceding_month"]
    assert (month.loc["prev", "compare_start"], month.loc["prev", "compare_end"]) == ("2018-05", "2018-05")
    assert reasons["unused"].loc["prev", "reason"] == "ambiguous_unused"
    assert reasons["unused"].loc["mom", "used"]


def test_the_window_covers_every_month_a_statistic_touches(stats, dated):
    window = it.reconstruction_window(stats, it.figure5_period(dated))
    touched = [pd.Period(m, "M") for col in ("period_start", "period_end", "compare_start", "compare_end")
               for m in stats[col] if m]
    assert window[0] == min(touched + [pd.Period(it.figure5_period(dated)[0], "M")])
    assert window[-1] == max(touched + [pd.Period(it.figure5_period(dated)[1], "M")])
    read = it.read_statistics(stats, window, "preceding_period", it.model_revision_month(dated))
    assert list(read["stat_id"]) == list(stats["stat_id"])  # nothing dropped silently
    assert (read["used"] == (read["reason"] == "")).all()
    assert "outside_window" not in set(read["reason"])


def test_the_reconstruction_meets_every_statistic_it_uses_within_its_printed_rounding(stats, dated):
    rec = it.reconstruct(stats, dated, 100.0, "preceding_period", None)
    assert rec.feasible
    path = pd.Series(rec.path, index=rec.window)
    used = stats.set_index("stat_id").loc[rec.used["stat_id"]]
    assert len(used) > 5
    for stat_id, s in used.iterrows():  # recomputed from the path and the data file, not from the constraint matrix
        value = path[s["period_start"]:s["period_end"]].mean()
        if s["kind"].startswith("change_"):
            value -= path[s["compare_start"]:s["compare_end"]].mean()
        assert abs(value - s["value"]) <= printed_precision(s["value_text"]) + 1e-9, stat_id
    assert path[it.base_month(dated)] == pytest.approx(100.0)
    assert (rec.path >= -1e-9).all()
    # every month's range holds the path, and a stated mean's range lies within its printed interval
    assert ((rec.frame["lower"] <= rec.frame["path"] + 1e-7) & (rec.frame["path"] <= rec.frame["upper"] + 1e-7)).all()
    for _, m in rec.means[rec.means["stated"]].iterrows():
        stated = used[(used["kind"] == "period_mean") & (used["period_start"] == m["period_start"])
                      & (used["period_end"] == m["period_end"])].iloc[0]
        tol = printed_precision(stated["value_text"])
        assert stated["value"] - tol - 1e-9 <= m["lower"] <= m["upper"] <= stated["value"] + tol + 1e-9


def test_figure5_data_cover_its_period_with_ranges_path_and_binding(stats, dated):
    rec = it.reconstruct(stats, dated, 100.0, "preceding_period", None)
    frame = rec.frame.set_index("month")
    for month in it.months_between(*it.figure5_period(dated)):
        assert str(month) in frame.index and frame.loc[str(month), "in_figure5"]
    assert {"lower", "upper", "path", "binding_lower", "binding_upper", "constrained_by"} <= set(frame.columns)
    # the base month is fixed by the (assumed) base value, and says so
    base = frame.loc[it.base_month(dated)]
    assert base["lower"] == pytest.approx(100.0) == base["upper"] and "assumed" in base["binding_upper"]


def test_readings_are_all_run_and_an_infeasible_one_names_its_conflict(stats, dated):
    window = it.reconstruction_window(stats, it.figure5_period(dated))
    table = it.reading_summary(stats, window, it.model_revision_month(dated), it.base_month(dated), 100.0, None,
                               it.figure5_period(dated), it.peak_pairs(dated))
    assert list(table["reading"]) == list(it.PREV_PERIOD_READINGS)
    for _, row in table.iterrows():
        assert bool(row["conflict"]) == (not row["feasible"])
        assert (row["least_relaxation"] > 0) == (not row["feasible"])


# ---------------------------------------------------------------- the admissible set on constructed cases

def test_month_ranges_and_what_binds():
    months = it.months_between("2016-01", "2016-03")
    aset = _set(months, _mean(months, "q1", "2016-01", "2016-03", 30.0, 0.05))
    ranges = aset.month_ranges().set_index("month")
    assert ranges.loc["2016-01", "lower"] == pytest.approx(0.0)
    assert ranges.loc["2016-01", "upper"] == pytest.approx(3 * 30.05)  # the others at zero
    assert "q1" in ranges.loc["2016-01", "binding_upper"]
    assert "index ≥ 0 (2016-02, 2016-03)" in ranges.loc["2016-01", "binding_upper"]
    assert ranges.loc["2016-02", "constrained_by"] == "q1"
    lo, hi = aset.mean_range("2016-01", "2016-03")
    assert (lo, hi) == pytest.approx((29.95, 30.05))


def test_unconstrained_months_are_unbounded_above_unless_a_bound_is_given():
    months = it.months_between("2016-01", "2016-02")
    aset = _set(months, _mean(months, "jan", "2016-01", "2016-01", 10.0, 0.0))
    assert aset.range_of(np.array([0.0, 1.0])) == (0.0, np.inf)
    assert _set(months, *aset.constraints, upper=50.0).range_of(np.array([0.0, 1.0])) == (0.0, 50.0)


def test_conflicting_statistics_are_named_with_the_least_relaxation():
    months = it.months_between("2016-01", "2016-03")
    diff = Constraint("a_minus_b", mean_coefficients(months, "2016-01", "2016-01")
                      - mean_coefficients(months, "2016-02", "2016-02"), 50.0, 0.5)
    mean = _mean(months, "mean_ab", "2016-01", "2016-02", 10.0, 0.05)
    unrelated = _mean(months, "march", "2016-03", "2016-03", 5.0, 0.05)
    aset = _set(months, diff, mean, unrelated)
    assert not aset.feasible()
    # x1 − x2 ≈ 50 and x1 + x2 ≈ 20 need x2 < 0: the two statistics and February's lower bound, nothing else
    assert sorted(aset.conflict()) == sorted(["a_minus_b", "mean_ab", "index ≥ 0 (2016-02)"])
    relax = aset.relaxation().set_index("constraint")["relaxation"]
    # x2 = 0, x1 ≥ 49.5 − s_a, x1 ≤ 2·(10.05 + s_b): the least s_a + s_b is 29.4 / 2
    assert relax.sum() == pytest.approx(14.7) and relax["march"] == pytest.approx(0.0)
    assert aset.least_change_path() is None and np.isnan(aset.extreme(np.ones(3), "min")[0])


def test_an_upper_bound_that_the_statistics_contradict_is_named():
    months = it.months_between("2016-01", "2016-02")
    diff = Constraint("a_minus_b", np.array([1.0, -1.0]), 50.0, 0.5)
    assert _set(months, diff).lowest_upper_bound() == (pytest.approx(49.5), "2016-01")
    bounded = _set(months, diff, upper=30.0)
    assert sorted(bounded.conflict()) == sorted(["a_minus_b", "index ≤ 30 (2016-01)", "index ≥ 0 (2016-02)"])
    assert _set(months, diff, upper=60.0).conflict() == []


def test_the_illustrative_path_changes_as_little_as_it_can():
    months = it.months_between("2016-01", "2016-06")
    aset = _set(months, _mean(months, "base", "2016-01", "2016-01", 100.0, 0.0),
                _mean(months, "q2", "2016-04", "2016-06", 80.0, 0.05))
    path = aset.least_change_path()
    assert path[0] == pytest.approx(100.0) and path[3:].mean() == pytest.approx(80.05)
    assert np.abs(np.diff(path)).sum() == pytest.approx(100.0 - 80.05)  # one move, no detour, no seasonality


# ---------------------------------------------------------------- seasonality on the admissible set

def _year_of(values: dict[int, float], kind="single_month"):
    return [_stat(f"m{m}", f"2016-{m:02d}", f"2016-{m:02d}", v, kind) for m, v in values.items()]


def _season(rows, pairs=None):
    months = it.months_between("2016-01", "2016-12")
    read = it.read_statistics(pd.DataFrame(rows), months, "preceding_period", "2016-01")
    aset = it.admissible_set(read, months, "2016-05", 100.0, None)
    pairs = pairs or {"spring_festival": [1, 2], "618": [6, 7], "double11": [11, 12]}
    return it.seasonality(aset, pairs, [2016]).set_index("comparison")


def test_seasonality_is_determined_when_every_admissible_path_agrees():
    peaks = {1, 2, 6, 7, 11, 12}
    season = _season(_year_of({m: 120.0 if m in peaks else 100.0 for m in range(1, 13) if m != 5}))
    assert (season["verdict"] == "higher").all()
    # every month fixed to ±0.5 (whole numbers), May by the base: peaks at their lowest, the rest at their highest
    assert season.loc["all_peaks", "minimum"] == pytest.approx(119.5 - (5 * 100.5 + 100.0) / 6)
    trough = _season(_year_of({m: 80.0 if m in peaks else 100.0 for m in range(1, 13) if m != 5}))
    assert (trough["verdict"] == "lower").all()


def test_seasonality_is_undetermined_when_some_admissible_path_disagrees():
    season = _season([_stat("y", "2016-01", "2016-12", 90.0)])
    assert (season["verdict"] == "undetermined").all()
    assert (season["minimum"] < 0).all() and (season["maximum"] > 0).all()
    # Jan–Feb pinned above the non-peak months, June–July left free: one determined, the other not
    rows = [_stat("janfeb", "2016-01", "2016-02", 130.0)] + _year_of({m: 100.0 for m in (3, 4, 8, 9, 10)})
    mixed = _season(rows)
    assert mixed.loc["spring_festival", "verdict"] == "higher"
    assert mixed.loc["618", "verdict"] == "undetermined" and mixed.loc["double11", "verdict"] == "undetermined"


def test_seasonality_needs_full_years():
    months = it.months_between("2016-01", "2016-06")
    with pytest.raises(ValueError, match="full year"):
        it.seasonality(_set(months), {"p": [1, 2]}, [2016])
    assert it.full_years(it.months_between("2016-01", "2020-05"), ("2016-01", "2019-12")) == [2016, 2017, 2018, 2019]


# ---------------------------------------------------------------- the editions' language

def _other_language(t, language: str) -> list[str]:
    """Passages of a typeset table in the other language, as the report counts them."""
    from ecrights.report import language as lang

    page = f'<html lang="{"zh-Hans" if language == "zh" else "en"}"><body>{t.to_html()}</body></html>'
    return lang.count(page, language).passages


def test_constraints_are_shown_as_readers_name_them(stats):
    labels = it.statistic_labels(stats)
    first = stats["stat_id"].iloc[0]
    assert it.constraint_label(first, labels, "zh") == "S1" == it.constraint_label(first, labels, "en")
    base = it.base_constraint_name("2016-05", 100.0)
    assert it.constraint_label(base, labels, "zh") == "基期 2016-05 = 100（假设）"
    assert it.constraint_label(base, labels, "en") == "base 2016-05 = 100 (assumed)"
    # the names AdmissibleSet gives its bounds (see test_conflicting_statistics_are_named_…)
    months = it.months_between("2016-01", "2016-02")
    bound = _set(months, Constraint("d", np.array([1.0, -1.0]), 50.0, 0.5), upper=30.0).conflict()
    shown = [it.constraint_label(n, {"d": "S9"}, "zh") for n in bound]
    assert sorted(shown) == sorted(["S9", "指数 ≤ 30（2016-01）", "指数 ≥ 0（2016-02）"])
    assert it.constraint_labels(bound, {"d": "S9"}, "en").count("; ") == 2
    assert it.constraint_label("something else", labels, "zh") == "something else"  # never a silent rename


def test_the_tables_speak_the_editions_language(stats, dated):
    """Every table the notebook shows, in both editions: nothing of the other language
    outside identifiers (code) and cells marked with their own language (publication titles)."""
    rec = it.reconstruct(stats, dated, 100.0, "preceding_period", None)
    pairs = it.peak_pairs(dated)
    readings = it.reading_summary(stats, rec.window, it.model_revision_month(dated), it.base_month(dated), 100.0,
                                  None, rec.figure_period, pairs)
    season = it.seasonality(rec.aset, pairs, it.full_years(rec.window, rec.figure_period), rec.path)
    scenarios = it.proactive_scenarios(_question(level_range=(75.0, 125.0)))
    labels = it.statistic_labels(stats)
    assert not readings["feasible"].all()  # one reading conflicts: its conflict is shown too
    for language in ("zh", "en"):
        tables = [it.statistics_table(rec.read, "2018-03", language), it.reading_table(readings, labels, language),
                  it.seasonality_table(season, language), it.scenarios_table(scenarios, language),
                  it.residuals_table(rec.residuals(), labels, language)]
        for t in tables:
            assert _other_language(t, language) == [], (language, t.headers)
    statistics = it.statistics_table(rec.read, "2018-03", "zh")
    assert "±0.00005" in repr(statistics) and "e-05" not in repr(statistics)  # rounding as a reader writes it


def test_the_section_texts_are_in_their_language():
    """zh templates carry no English words and en templates no Chinese, outside their placeholders."""
    import re

    from ecrights.i18n import load_texts, section_texts_path

    for key, text in load_texts(section_texts_path("index_trend")).items():
        # placeholders and inline HTML tags (w<sub>d</sub>) are not words
        assert not re.findall(r"[A-Za-z]{2,}", re.sub(r"\{[^}]*\}|<[^>]+>", " ", text["zh"])), key
        assert not re.findall(r"[\u3400-\u9fff]", text["en"]), key


def test_claim_explanations_are_in_their_language(stats):
    import re

    from ecrights.claims import ClaimBook
    from ecrights.data import load_claims
    from ecrights.index_composition import IndexStatements

    book = ClaimBook("index_trend", load_claims())
    s = IndexStatements.from_ledger(book.all_claims)
    q = it.flat_question(book, s, load_date_statements(), "report_december", 100.0, (75.0, 125.0), 1.0)
    scenarios = it.proactive_scenarios(q)
    it.check_claims(book, stats, s, q, scenarios, "constant")
    for claim_id, check in book.checks.items():
        en = f"{check.method('en')} {check.note('en')}"
        zh = f"{check.method('zh')} {check.note('zh')}"
        assert not re.findall(r"[\u3400-\u9fff]", en), (claim_id, en)
        assert not re.findall(r"[A-Za-z]{2,}", zh), (claim_id, zh)
    # the English note names the other reports by their months (their titles are Chinese)
    assert "2018-06..2018-08" in book.checks["it_index_mean_2019"].note("en")


def test_the_flat_claim_stays_not_reproducible_and_says_which_verdict_and_why(stats, dated):
    from ecrights.claims import ClaimBook
    from ecrights.data import load_claims
    from ecrights.index_composition import IndexStatements

    book = ClaimBook("index_trend", load_claims())
    s = IndexStatements.from_ledger(book.all_claims)
    claim = "it_dispute_share_ex_proactive_flat_2019"
    notes = {}
    for level, level_range in ((100.0, (100.0, 100.0)), (45.0, (40.0, 50.0))):
        q = it.flat_question(book, s, dated, "report_december", level, level_range, 1.0)
        scenarios = it.proactive_scenarios(q)
        it.check_claims(book, stats, s, q, scenarios, "constant")
        check = book.checks[claim]
        row = scenarios.set_index("scenario").loc["constant"]
        assert check.status == "not_reproducible"  # the dispute rate is not public, whatever the verdict
        for lang in ("zh", "en"):
            note = check.note(lang)
            assert it.verdict_label(row["verdict"], lang) in note
            assert f"[{row['low']:+.2f}, {row['high']:+.2f}]" in note  # the interval the verdict rests on
        notes[row["verdict"]] = check.note("en")
    assert set(notes) == {it.UNDECIDED, it.NOT_FLAT}  # two different inputs, two different explanations
    assert "part of it within" in notes[it.UNDECIDED] and "all of it above" in notes[it.NOT_FLAT]


def test_the_level_range_must_contain_the_assumed_level():
    from ecrights.params import ParameterError, resolve

    with pytest.raises(ParameterError, match="outside dispute_rate_level_2018_range"):
        resolve(["index_trend"], overrides=["index_trend.dispute_rate_level_2018_range=[110, 130]"])
    with pytest.raises(ParameterError, match="0 < low ≤ high"):
        resolve(["index_trend"], overrides=["index_trend.dispute_rate_level_2018_range=[130, 90]"])
    ok = resolve(["index_trend"], overrides=["index_trend.dispute_rate_level_2018_range=[100, 100]"])["index_trend"]
    assert ok.dispute_rate_level_2018_range == [100.0, 100.0]
    assumptions = type(ok).assumptions()
    assert {"flat_tolerance_points", "dispute_rate_level_2018_range"} <= set(assumptions)  # shown as assumptions


# ---------------------------------------------------------------- fragile statistics

def test_fragile_statistics_are_marked_in_the_data_with_their_reason(stats):
    fragile = stats[stats["fragile"]].set_index("stat_id")
    assert "total_yoy_2020_04" in fragile.index  # S10: its excerpt is cut off after 下降8個
    assert "cut off" in fragile.loc["total_yoy_2020_04", "fragile_reason"]
    assert (fragile["fragile_reason"].str.len() > 0).all()
    assert (stats.loc[~stats["fragile"], "fragile_reason"] == "").all()


def test_a_fragile_flag_must_be_true_or_false_and_a_fragile_row_needs_its_reason(tmp_path):
    import csv

    from ecrights.data.published import INDEX_STAT_COLUMNS
    from ecrights.errors import DataError
    from ecrights.paths import data_dir

    rows = list(csv.DictReader((data_dir() / "published" / "index_statistics.csv").open(encoding="utf-8")))
    for field, bad, message in (("fragile", "yes", "expected true or false"),
                                ("fragile_reason", "", "needs its reason")):
        broken = [dict(r) for r in rows]
        target = next(r for r in broken if r["fragile"] == "true")
        target[field] = bad
        path = tmp_path / f"{field}.csv"
        with path.open("w", encoding="utf-8", newline="") as fh:
            writer = csv.DictWriter(fh, INDEX_STAT_COLUMNS)
            writer.writeheader()
            writer.writerows(broken)
        with pytest.raises(DataError, match=message):
            load_index_statistics(path)


def test_figure5_ranges_with_and_without_each_fragile_statistic(stats, dated):
    """Figure 5's only positive lower bounds (2019-04, 2019-05) rest on S10 alone: without it
    those months are [0, 225.75]. Every month listed changes when its one statistic is dropped."""
    rec = it.reconstruct(stats, dated, 100.0, "preceding_period", None)
    sensitivity = it.fragile_sensitivity(rec, dated, 100.0, None)
    used_fragile = set(rec.read.loc[rec.read["used"] & rec.read["fragile"], "stat_id"])
    assert set(sensitivity["stat_id"]) == used_fragile and "total_yoy_2020_04" in used_fragile
    months = it.months_on_one_fragile_statistic(sensitivity)
    s10 = months[months["stat_id"] == "total_yoy_2020_04"].set_index("month")
    assert list(s10.index) == ["2019-04", "2019-05"]
    assert (s10["lower"] > 0).all() and s10["lower_without"].tolist() == pytest.approx([0.0, 0.0], abs=1e-6)
    assert s10["upper_without"].tolist() == pytest.approx([225.75, 225.75])
    frame = rec.frame.set_index("month")
    positive = frame[frame["in_figure5"] & (frame["lower"] > 1e-6)].index.drop(it.base_month(dated))
    assert set(positive) <= set(months["month"])  # every positive lower bound (the assumed base aside) rests on one
    labels = it.statistic_labels(stats)
    text = it.fragile_sentence(rec, months, labels, "en")
    assert f"{months['month'].nunique()} months rest on a single one of them" in text
    assert "2019-04's lower bound goes from 7.50 to 0.00" in text
    shown = it.statistics_table(rec.read, "2018-03", "en")
    row = next(r for r in shown.rows if r[0].text == labels["total_yoy_2020_04"])
    assert row[-1].text.endswith("; fragile")


def test_the_model_revision_series_is_listed_among_the_sections_assumptions():
    from ecrights.results import model_assumptions

    names = {a.name: a for a in model_assumptions("index_trend", "en")}
    assert "model_revision_series" in names
    assert "one index series" in names["model_revision_series"].value
