"""The composite index: how the report's sub-index changes make its total.

Shared by index_trend and ai_anticounterfeit. The platform publishes neither
the index nor its weights; the report states the total's 2019 mean and
change and two sub-indices' changes. Composite model:

    Δtotal = w_d·Δdispute + w_c·Δcounterfeit + w_o·Δother,  w_o = 1 − w_d − w_c

with the weights ASSUMPTIONS (parameters). Every statement enters as an
argument (`IndexStatements.from_ledger`), never as a number typed here.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from .claims import printed_precision, signed_value
from .i18n import label
from .tables import Column
from .tables import table as typeset

# The ledger's statements of 二(一), by role
STATEMENT_CLAIMS = {
    "mean_2019": "it_index_mean_2019",
    "total_change": "it_index_change_2019_vs_2018",
    "dispute_change": "it_total_dispute_rate_subindex_change_2019",
    "counterfeit_change": "it_fake_perception_change_2019",
}


@dataclass(frozen=True)
class IndexStatements:
    """The report's index statements, signed by its wording, with the
    precision they are printed with (half a unit of the last digit)."""

    mean_2019: float
    total_change: float
    dispute_change: float
    counterfeit_change: float
    precision: dict  # role -> half a unit of the last printed digit
    texts: dict  # role -> the value as printed

    @classmethod
    def from_ledger(cls, ledger: pd.DataFrame) -> "IndexStatements":
        values, precision, texts = {}, {}, {}
        for role, claim_id in STATEMENT_CLAIMS.items():
            row = ledger.loc[claim_id]
            values[role] = float(row["value"]) if role == "mean_2019" else signed_value(row)
            precision[role] = printed_precision(str(row["value_text"]))
            texts[role] = str(row["value_text"])
        return cls(**values, precision=precision, texts=texts)

    @property
    def mean_2018(self) -> float:
        """The 2018 mean the report implies (2019 mean minus the change)."""
        return self.mean_2019 - self.total_change

    def facts(self) -> dict:
        """For explanations and captions: the statements as numbers."""
        return {"mean_2019": self.mean_2019, "total_change": self.total_change,
                "dispute_change": self.dispute_change, "counterfeit_change": self.counterfeit_change,
                "mean_2018": self.mean_2018}


def two_component_weights(s: IndexStatements) -> tuple[float, float]:
    """The only (w_d, w_c = 1 − w_d) for which the two named sub-indices alone
    give the stated total change: w_d = (Δtotal − Δc) / (Δd − Δc)."""
    w_d = (s.total_change - s.counterfeit_change) / (s.dispute_change - s.counterfeit_change)
    return w_d, 1.0 - w_d


def _linear_on_unit(a: float, b: float, bound: float, sense: str) -> tuple[float, float]:
    """The w in [0, 1] with a + b·w ≤ bound (sense '<=') or ≥ bound ('>='), as an interval (empty: lo > hi)."""
    if sense == ">=":
        a, b, bound = -a, -b, -bound
    if abs(b) < 1e-15:
        return (0.0, 1.0) if a <= bound else (1.0, 0.0)
    edge = (bound - a) / b
    return (0.0, min(1.0, edge)) if b > 0 else (max(0.0, edge), 1.0)


def two_component_weight_interval(s: IndexStatements) -> tuple[float, float]:
    """Every two-component weight w_d (w_c = 1 − w_d) consistent with the
    statements anywhere within their printed rounding: some Δtotal, Δd, Δc in
    their intervals satisfy w_d·Δd + (1 − w_d)·Δc = Δtotal. Exact: for a given
    w_d the left side ranges over [w_d·d_lo + (1−w_d)·c_lo, w_d·d_hi +
    (1−w_d)·c_hi], which must meet [t_lo, t_hi]; both conditions are linear in
    w_d. (Plain interval arithmetic on the closed form would count Δc twice
    and give a wider interval.) (NaN, NaN) when no weight fits."""
    p = s.precision
    t_lo, t_hi = s.total_change - p["total_change"], s.total_change + p["total_change"]
    d_lo, d_hi = s.dispute_change - p["dispute_change"], s.dispute_change + p["dispute_change"]
    c_lo, c_hi = s.counterfeit_change - p["counterfeit_change"], s.counterfeit_change + p["counterfeit_change"]
    first = _linear_on_unit(c_lo, d_lo - c_lo, t_hi, "<=")  # the lowest the named parts can make ≤ t_hi
    second = _linear_on_unit(c_hi, d_hi - c_hi, t_lo, ">=")  # the highest they can make ≥ t_lo
    lo, hi = max(first[0], second[0]), min(first[1], second[1])
    return (lo, hi) if lo <= hi else (np.nan, np.nan)


def rounding_corners(s: IndexStatements) -> list[IndexStatements]:
    """The statements at every corner of their printed rounding (the three changes ± half a unit)."""
    out = []
    p = s.precision
    for st in (-1, 1):
        for sd in (-1, 1):
            for sc in (-1, 1):
                out.append(IndexStatements(
                    mean_2019=s.mean_2019, total_change=s.total_change + st * p["total_change"],
                    dispute_change=s.dispute_change + sd * p["dispute_change"],
                    counterfeit_change=s.counterfeit_change + sc * p["counterfeit_change"],
                    precision=p, texts=s.texts))
    return out


def resolve_weights(w_dispute, w_counterfeit, s: IndexStatements) -> tuple[float, float]:
    """Parameter values to numbers: 'two_component' is computed from the statements."""
    if w_dispute == "two_component" or w_counterfeit == "two_component":
        return two_component_weights(s)
    return float(w_dispute), float(w_counterfeit)


def implied_other_change(w_dispute: float, w_counterfeit: float, s: IndexStatements) -> float:
    """What the unnamed components must have done (their weighted-mean change)
    for the stated total; NaN when they have no weight."""
    w_other = 1.0 - w_dispute - w_counterfeit
    if w_other <= 1e-12:
        return np.nan  # no other components: their change is not defined
    rest = s.total_change - w_dispute * s.dispute_change - w_counterfeit * s.counterfeit_change
    return rest / w_other


def named_parts_consistent(w_dispute: float, w_counterfeit: float, s: IndexStatements) -> bool:
    """With no weight left for other components, do the two named parts give
    the stated total within the precision it is printed with?"""
    rest = s.total_change - w_dispute * s.dispute_change - w_counterfeit * s.counterfeit_change
    return abs(rest) <= s.precision["total_change"]


def decomposition(w_dispute: float, w_counterfeit: float, s: IndexStatements) -> pd.DataFrame:
    """Contributions (points) of each component to the total change, and shares.
    The unnamed components' contribution is what remains of the stated total."""
    w_other = 1.0 - w_dispute - w_counterfeit
    contrib_d = w_dispute * s.dispute_change
    contrib_c = w_counterfeit * s.counterfeit_change
    contrib_o = s.total_change - contrib_d - contrib_c
    return pd.DataFrame({
        "component": ["dispute_rate", "counterfeit_perception", "other", "total"],
        "weight": [w_dispute, w_counterfeit, w_other, 1.0],
        "change_points": [s.dispute_change, s.counterfeit_change,
                          implied_other_change(w_dispute, w_counterfeit, s), s.total_change],
        "contribution_points": [contrib_d, contrib_c, contrib_o, s.total_change],
    }).assign(share_of_total_change_pct=lambda f: f["contribution_points"] / s.total_change * 100)


# The components of the composite, as a reader names them (zh, en)
COMPONENT_LABELS = {
    "dispute_rate": ("总纠纷率指数", "total dispute-rate index"),
    "counterfeit_perception": ("假货感知比率", "counterfeit-perception ratio"),
    "other": ("其余（未命名的）成分", "other (unnamed) components"),
    "total": ("总指数", "total index"),
}


def decomposition_table(table: pd.DataFrame, language: str):
    """The decomposition typeset in the edition's language; every header whose
    numbers rest on the weights says "under assumed weights"."""
    rows = table.assign(component=[label(*COMPONENT_LABELS[c], language) for c in table["component"]])
    return typeset(rows, [
        Column("component", "成分", "component"),
        Column("weight", "假设权重", "assumed weight", kind="level", digits=3),
        Column("change_points", "变动（其余成分：假设权重下）", "change (other: under assumed weights)", kind="points"),
        Column("contribution_points", "假设权重下的贡献", "contribution under assumed weights", kind="points"),
        Column("share_of_total_change_pct", "假设权重下占总变动的比例", "share of the total change under assumed weights",
               kind="percent"),
    ], language)


def contributions(w_dispute, w_counterfeit, s: IndexStatements):
    """(dispute, counterfeit, other) contributions in points; arrays allowed."""
    c_d = np.asarray(w_dispute) * s.dispute_change
    c_c = np.asarray(w_counterfeit) * s.counterfeit_change
    return c_d, c_c, s.total_change - c_d - c_c


def counterfeit_is_largest(w_dispute, w_counterfeit, s: IndexStatements):
    c_d, c_c, c_o = contributions(w_dispute, w_counterfeit, s)
    slack = 1e-9  # ties count as largest; float noise at a switch point must not flip it
    return (np.abs(c_c) >= np.abs(c_d) - slack) & (np.abs(c_c) >= np.abs(c_o) - slack)


def weight_grid(points: int, s: IndexStatements) -> pd.DataFrame:
    """Implied other-component change and the counterfeit share of the total
    change over admissible weights: w_d + w_c ≤ 1 on a uniform grid, except the
    edge w_d + w_c = 1 where the two named parts cannot give the stated total
    within the printed rounding of the statements (outside
    two_component_weight_interval): no weight is left for the other components,
    yet they would have to contribute, not a composition the statements allow.

    A share of such grid points is a share under a uniform prior over the
    weights, not something the data tell: the notebook labels it so."""
    grid = np.linspace(0, 1, points)
    w_d, w_c = (a.ravel() for a in np.meshgrid(grid, grid, indexing="ij"))
    keep = w_d + w_c <= 1 + 1e-12
    w_d, w_c = w_d[keep], w_c[keep]
    edge = 1.0 - w_d - w_c <= 1e-12
    low, high = two_component_weight_interval(s)  # NaN (nothing fits) compares False
    keep = ~edge | ((w_d >= low - 1e-12) & (w_d <= high + 1e-12))
    w_d, w_c = w_d[keep], w_c[keep]
    _, c_c, _ = contributions(w_d, w_c, s)
    return pd.DataFrame({"w_dispute": w_d, "w_counterfeit": w_c,
                         "other_change": [implied_other_change(a, b, s) for a, b in zip(w_d, w_c)],
                         "counterfeit_share_pct": c_c / s.total_change * 100,
                         "counterfeit_is_largest": counterfeit_is_largest(w_d, w_c, s)})


def counterfeit_largest_threshold(w_dispute: float, s: IndexStatements) -> float:
    """Smallest w_c (given w_d, with w_c ≤ 1 − w_d) at which the counterfeit
    fall is the largest contribution in absolute value, solved exactly: the
    conditions |w_c·Δc| ≥ |w_d·Δd| and |w_c·Δc| ≥ |Δtotal − w_d·Δd − w_c·Δc|
    are piecewise linear in w_c. NaN when no admissible w_c satisfies them."""
    a = abs(s.counterfeit_change)
    d = abs(w_dispute * s.dispute_change)
    r = s.total_change - w_dispute * s.dispute_change  # other = r − w_c·Δc
    c = s.counterfeit_change
    # candidates: where a condition switches (|w_c c| = d, |w_c c| = |r − w_c c|) and the ends
    points = {0.0, 1.0 - w_dispute, d / a}
    for denom in (2 * c, 0.0):
        if denom:
            points.add(r / denom)  # w_c c = r − w_c c
    candidates = sorted(p for p in points if 0.0 <= p <= 1.0 - w_dispute + 1e-12)
    # the feasible set is an interval [t, 1 − w_d] (both conditions grow with w_c beyond their switch)
    for p in candidates:
        if bool(counterfeit_is_largest(w_dispute, p, s)):
            return float(p)
    return np.nan


def counterfeit_largest_min_weight(s: IndexStatements) -> tuple[float, float]:
    """The smallest counterfeit weight w_c, over every admissible w_d, at which
    the counterfeit fall is the largest contribution, and the w_d where it is
    reached: below it no choice of weights makes the counterfeit fall "the main
    reason". Exact, by linear programs: with w ≥ 0, |w_c·Δc| ≥ |w_d·Δd| is
    linear, and |w_c·Δc| ≥ |r − w_c·Δc| (r = Δtotal − w_d·Δd, the rest) holds
    iff r and 2·w_c·Δc − r have the same sign: two linear pieces.
    (NaN, NaN) when no weights make it largest."""
    # scipy.optimize costs 0.5 s of CPU to import (measured); only these bounds need it, and the
    # industry section imports this module without them
    from scipy.optimize import linprog  # noqa: PLC0415

    t, d, c = s.total_change, s.dispute_change, s.counterfeit_change
    common_a = [[abs(d), -abs(c)], [1.0, 1.0]]  # w_d|Δd| − w_c|Δc| ≤ 0;  w_d + w_c ≤ 1
    common_b = [0.0, 1.0]
    pieces = [  # r ≥ 0 and 2 w_c Δc − r ≥ 0;   r ≤ 0 and 2 w_c Δc − r ≤ 0
        ([[d, 0.0], [-d, -2 * c]], [t, -t]),
        ([[-d, 0.0], [d, 2 * c]], [-t, t]),
    ]
    best = (np.nan, np.nan)
    for a_ub, b_ub in pieces:
        res = linprog([0.0, 1.0], A_ub=np.array(common_a + a_ub), b_ub=np.array(common_b + b_ub),
                      bounds=[(0, 1), (0, 1)], method="highs")
        if res.status == 0 and not (res.fun >= best[0]):
            best = (float(res.fun), float(res.x[0]))
    return best


def counterfactual_without_counterfeit_fall(w_counterfeit: float, s: IndexStatements) -> float:
    """The 2019 mean had the counterfeit-perception ratio not changed."""
    return s.mean_2019 - w_counterfeit * s.counterfeit_change
