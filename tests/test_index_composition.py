"""lib/ecrights/index_composition.py: the composite model, against constructed truths."""

import numpy as np
import pytest

from ecrights import index_composition as ic
from ecrights.data import load_claims


def statements(total=-14.0, dispute=8.8, counterfeit=-19.0, mean=81.6) -> ic.IndexStatements:
    return ic.IndexStatements(mean_2019=mean, total_change=total, dispute_change=dispute,
                              counterfeit_change=counterfeit,
                              precision={"mean_2019": 0.05, "total_change": 0.5, "dispute_change": 0.05,
                                         "counterfeit_change": 0.5},
                              texts={})


def test_statements_are_read_from_the_ledger_and_signed_by_their_wording():
    ledger = load_claims()
    s = ic.IndexStatements.from_ledger(ledger)
    # the report prints magnitudes: 降低/下降 make them negative, 增加 positive
    assert s.total_change == -ledger.loc["it_index_change_2019_vs_2018", "value"]
    assert s.counterfeit_change == -ledger.loc["it_fake_perception_change_2019", "value"]
    assert s.dispute_change == +ledger.loc["it_total_dispute_rate_subindex_change_2019", "value"]
    assert s.mean_2018 == pytest.approx(s.mean_2019 - s.total_change)
    assert s.precision["total_change"] == 0.5 and s.precision["dispute_change"] == 0.05


@pytest.mark.parametrize("w_d, w_c, other", [(0.3, 0.5, 5.0), (0.1, 0.2, -30.0), (0.45, 0.45, 12.5)])
def test_implied_other_change_recovers_a_constructed_truth(w_d, w_c, other):
    # build a world where the unnamed components moved by `other`, then ask the model
    truth = statements()
    total = w_d * truth.dispute_change + w_c * truth.counterfeit_change + (1 - w_d - w_c) * other
    s = statements(total=total)
    assert ic.implied_other_change(w_d, w_c, s) == pytest.approx(other)
    table = ic.decomposition(w_d, w_c, s)
    assert table.set_index("component").loc["other", "contribution_points"] == pytest.approx((1 - w_d - w_c) * other)


def test_two_component_weights_solve_the_two_equations():
    s = statements(total=-10.0, dispute=4.0, counterfeit=-20.0)
    w_d, w_c = ic.two_component_weights(s)
    assert w_d + w_c == pytest.approx(1.0)
    assert w_d * 4.0 + w_c * -20.0 == pytest.approx(-10.0)
    assert np.isnan(ic.implied_other_change(w_d, w_c, s))  # no weight left: undefined, not 0
    assert ic.named_parts_consistent(w_d, w_c, s)
    assert not ic.named_parts_consistent(0.5, 0.5, s)


def test_resolve_weights_computes_the_named_default():
    s = statements()
    assert ic.resolve_weights("two_component", "two_component", s) == pytest.approx(ic.two_component_weights(s))
    assert ic.resolve_weights(0.3, 0.4, s) == (0.3, 0.4)


@pytest.mark.parametrize("w_d", [0.0, 0.1, 0.18, 0.3, 0.5])
def test_counterfeit_threshold_is_the_smallest_weight_that_makes_it_largest(w_d):
    s = statements()
    t = ic.counterfeit_largest_threshold(w_d, s)
    assert bool(ic.counterfeit_is_largest(w_d, t, s))
    # minimal: just below it, the counterfeit fall is not the largest contribution
    if t > 1e-6:
        assert not bool(ic.counterfeit_is_largest(w_d, t - 1e-6, s))
    # and it stays largest above the threshold (the admissible set is an interval)
    for w_c in np.linspace(t, 1 - w_d, 7):
        assert bool(ic.counterfeit_is_largest(w_d, w_c, s))


def test_threshold_agrees_with_a_fine_grid():
    s = statements()
    grid = np.linspace(0, 1 - 0.18, 200001)
    first = grid[np.argmax(ic.counterfeit_is_largest(0.18, grid, s))]
    assert ic.counterfeit_largest_threshold(0.18, s) == pytest.approx(first, abs=1e-5)


def test_threshold_is_nan_when_no_admissible_weight_works():
    # the dispute part alone is larger than any counterfeit contribution can be
    s = statements(dispute=80.0, counterfeit=-1.0, total=20.0)
    assert np.isnan(ic.counterfeit_largest_threshold(0.9, s))


def test_weight_grid_covers_the_admissible_triangle():
    s = statements()
    grid = ic.weight_grid(11, s)
    assert (grid["w_dispute"] + grid["w_counterfeit"] <= 1 + 1e-12).all()
    # the edge w_d + w_c = 1 leaves no weight for the other components: only the points where the two
    # named parts give the total within the statements' rounding are compositions at all
    low, high = ic.two_component_weight_interval(s)
    edge = grid[(1 - grid["w_dispute"] - grid["w_counterfeit"]).abs() < 1e-9]
    assert len(grid) == 55 + len(edge) and ((edge["w_dispute"] >= low) & (edge["w_dispute"] <= high)).all()
    inside = np.round(np.linspace(0, 1, 11), 10)
    assert len(edge) == int(((inside >= low - 1e-12) & (inside <= high + 1e-12)).sum())
    row = grid[(grid["w_dispute"].round(2) == 0.3) & (grid["w_counterfeit"].round(2) == 0.5)].iloc[0]
    assert row["counterfeit_share_pct"] == pytest.approx(0.5 * -19 / -14 * 100)


def test_counterfactual_without_the_counterfeit_change():
    s = statements()
    assert ic.counterfactual_without_counterfeit_fall(0.5, s) == pytest.approx(81.6 + 0.5 * 19)


# -- the weights within the printed rounding --------------------------------

def _fits(w, s, n=41):
    """Brute force: does some (Δtotal, Δd, Δc) in the rounding box satisfy w·Δd + (1−w)·Δc = Δtotal?"""
    p = s.precision
    t = np.linspace(s.total_change - p["total_change"], s.total_change + p["total_change"], n)
    d = np.linspace(s.dispute_change - p["dispute_change"], s.dispute_change + p["dispute_change"], n)
    c = np.linspace(s.counterfeit_change - p["counterfeit_change"], s.counterfeit_change + p["counterfeit_change"], n)
    made = w * d[:, None] + (1 - w) * c[None, :]
    return made.min() <= t.max() and made.max() >= t.min()


def test_two_component_interval_is_exactly_the_weights_the_rounding_allows():
    s = statements()
    low, high = ic.two_component_weight_interval(s)
    point, _ = ic.two_component_weights(s)
    assert low < point < high
    # (−14 ± 0.5, 8.8 ± 0.05, −19 ± 0.5): the edges solve w·8.75 + (1−w)·(−19.5) = −13.5 and w·8.85 + (1−w)·(−18.5) = −14.5
    assert low == pytest.approx(4 / 27.35) and high == pytest.approx(6 / 28.25)
    for w in (low, (low + high) / 2, high):
        assert _fits(w, s)
    for w in (low - 1e-3, high + 1e-3):
        assert not _fits(w, s)
    # naive interval arithmetic on (Δt − Δc)/(Δd − Δc) counts Δc twice: wider
    assert 4 / 28.35 < low and high < 6 / 27.25


def test_two_component_interval_is_empty_when_no_weight_fits():
    # both named changes above the total: no mixture of them makes it
    s = statements(total=-30.0, dispute=8.8, counterfeit=-19.0)
    assert all(np.isnan(ic.two_component_weight_interval(s)))


def test_rounding_corners_span_the_printed_precision():
    s = statements()
    corners = ic.rounding_corners(s)
    assert len({(c.total_change, c.dispute_change, c.counterfeit_change) for c in corners}) == 8
    assert sorted({c.total_change for c in corners}) == pytest.approx([-14.5, -13.5])
    assert sorted({round(c.dispute_change, 9) for c in corners}) == pytest.approx([8.75, 8.85])


def test_min_weight_for_the_largest_contribution_over_every_dispute_weight():
    s = statements()
    w_c, w_d = ic.counterfeit_largest_min_weight(s)
    assert bool(ic.counterfeit_is_largest(w_d, w_c, s))
    # no dispute weight makes it largest with less counterfeit weight (fine grid of the triangle)
    grid = np.linspace(0, 1, 801)
    wd, wc = (a.ravel() for a in np.meshgrid(grid, grid, indexing="ij"))
    keep = (wd + wc <= 1) & (wc < w_c - 1e-3)
    assert not ic.counterfeit_is_largest(wd[keep], wc[keep], s).any()
    # and it is the minimum of the per-w_d thresholds
    thresholds = [ic.counterfeit_largest_threshold(a, s) for a in np.linspace(0, 1, 201)]
    assert w_c == pytest.approx(np.nanmin(thresholds), abs=1e-9)


def test_weight_dependent_tables_say_so():
    """Every column whose numbers rest on the weights says so, in either edition; the
    component names are in the edition's language."""
    for language, mark, total in (("en", "assumed weight", "total index"), ("zh", "假设权重", "总指数")):
        table = ic.decomposition_table(ic.decomposition(0.3, 0.5, statements()), language)
        first, *rest = table.headers
        assert all(mark in h for h in rest), table.headers
        assert mark not in first and [r[0].text for r in table.rows][-1] == total
    values = [r[3].text for r in ic.decomposition_table(ic.decomposition(0.3, 0.5, statements()), "en").rows]
    assert values[-1] == f"{statements().total_change:.1f}".replace("-", "\u2212")  # the total's contribution




def test_the_share_of_weights_where_the_counterfeit_fall_is_largest_drops_the_edge_artefact():
    """On the report's statements (101-point grid): of the 101 edge points only the 7 inside the
    two-component interval [0.146, 0.212] are compositions; the share is then 32.27%, not 32.56%."""
    s = ic.IndexStatements.from_ledger(load_claims())
    grid = ic.weight_grid(101, s)
    edge = grid[(1 - grid["w_dispute"] - grid["w_counterfeit"]).abs() < 1e-9]
    assert list(edge["w_dispute"].round(2)) == [0.15, 0.16, 0.17, 0.18, 0.19, 0.20, 0.21]
    assert grid["counterfeit_is_largest"].mean() * 100 == pytest.approx(32.27, abs=0.005)
