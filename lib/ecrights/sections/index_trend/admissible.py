"""The admissible set of monthly index paths, and what linear programs can say about it.

A published statistic of the index (a period mean, a change between two
periods) is a linear function of the monthly values; printed with a finite
precision, it says that function lies in an interval (value ± half a unit of
its last digit). Together with the index's lower bound (it is built from
rates and shares: never negative), an optional upper bound (a parameter) and
the assumed base value, they define a convex polytope of paths: the
*admissible set*. Everything a referee can sign follows from linear programs
over it (HiGHS through scipy.optimize.linprog):

- the range of any linear function over the set (a month, a period mean, a
  seasonal contrast), with the constraints that bind at each extreme;
- when the set is empty, an irreducible set of conflicting constraints
  (deletion filter) and the smallest relaxation of the statistics that
  would reconcile them;
- the lowest upper bound the statistics allow;
- one admissible path, the one with the least total month-to-month change:
  an illustration, never an estimate.

Pure functions: arrays and DataFrames in, numbers and DataFrames out. The
linear programs are memoized (ecrights.memo: keyed by the set, the question
and this module's code), so a variant that changes only what comes after
them — the proactive share, the reading of 基本持平 — reuses them.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.optimize import linprog

from ...memo import memo

# An index of dispute rates and perception shares cannot be negative.
INDEX_LOWER_BOUND = 0.0
# Below this a dual value or a coefficient is solver noise, not a binding constraint.
EPS = 1e-9

_OPTIMAL, _INFEASIBLE, _UNBOUNDED = 0, 2, 3


@dataclass(frozen=True)
class Constraint:
    """value − tolerance ≤ coef · x ≤ value + tolerance (tolerance 0: exact)."""

    name: str
    coef: np.ndarray
    value: float
    tolerance: float

    @property
    def low(self) -> float:
        return self.value - self.tolerance

    @property
    def high(self) -> float:
        return self.value + self.tolerance


@dataclass(frozen=True)
class AdmissibleSet:
    months: pd.PeriodIndex
    constraints: tuple[Constraint, ...]
    upper: float | None = None  # None: nothing bounds the index from above
    lower: float = INDEX_LOWER_BOUND

    def __post_init__(self):
        for k in self.constraints:
            if k.coef.shape != (len(self.months),):
                raise ValueError(f"constraint {k.name!r} has {k.coef.shape} coefficients for {len(self.months)} months")
            if k.tolerance < 0:
                raise ValueError(f"constraint {k.name!r} has a negative tolerance")

    # -- elements that can conflict: each constraint, each month's bounds ------
    def elements(self) -> list[tuple[str, int]]:
        """Bounds first: the conflict search drops what it can in this order,
        so statistics are named before bounds that merely accompany them."""
        out = [("lower", j) for j in range(len(self.months))]
        if self.upper is not None:
            out += [("upper", j) for j in range(len(self.months))]
        return out + [("constraint", i) for i in range(len(self.constraints))]

    def element_name(self, element: tuple[str, int]) -> str:
        kind, i = element
        if kind == "constraint":
            return self.constraints[i].name
        bound = self.lower if kind == "lower" else self.upper
        return f"index {'≥' if kind == 'lower' else '≤'} {bound:g} ({self.months[i]})"

    def _program(self, skip=frozenset()):
        a_ub, b_ub, ub_of, a_eq, b_eq, eq_of = [], [], [], [], [], []
        for i, k in enumerate(self.constraints):
            if ("constraint", i) in skip:
                continue
            if k.tolerance > 0:
                a_ub += [k.coef, -k.coef]
                b_ub += [k.high, -k.low]
                ub_of += [i, i]
            else:
                a_eq.append(k.coef)
                b_eq.append(k.value)
                eq_of.append(i)
        n = len(self.months)
        bounds = [(None if ("lower", j) in skip else self.lower,
                   None if self.upper is None or ("upper", j) in skip else self.upper) for j in range(n)]
        program = {"A_ub": np.array(a_ub) if a_ub else None, "b_ub": np.array(b_ub) if b_ub else None,
                   "A_eq": np.array(a_eq) if a_eq else None, "b_eq": np.array(b_eq) if b_eq else None,
                   "bounds": bounds}
        return program, ub_of, eq_of

    def _solve(self, c: np.ndarray, skip=frozenset()):
        program, ub_of, eq_of = self._program(skip)
        return linprog(c, method="highs", **program), ub_of, eq_of

    # -- questions ----------------------------------------------------------
    @memo
    def feasible(self, skip=frozenset()) -> bool:
        res, _, _ = self._solve(np.zeros(len(self.months)), skip)
        if res.status not in (_OPTIMAL, _INFEASIBLE):
            raise RuntimeError(f"linear program failed: {res.message}")
        return res.status == _OPTIMAL

    def _binding(self, res, ub_of, eq_of) -> list[str]:
        """Elements with a non-zero dual value at the optimum (one certificate
        of what holds the extreme where it is): the constraints by name, then
        the month bounds, grouped ("index ≥ 0 (2019-01, 2019-02)")."""
        names = []
        for row, m in enumerate(res.ineqlin.marginals if ub_of else []):
            if abs(m) > EPS:
                names.append(self.constraints[ub_of[row]].name)
        for row, m in enumerate(res.eqlin.marginals if eq_of else []):
            if abs(m) > EPS:
                names.append(self.constraints[eq_of[row]].name)
        names = list(dict.fromkeys(names))
        for kind, marginals, bound in (("≥", res.lower.marginals, self.lower), ("≤", res.upper.marginals, self.upper)):
            months = [str(self.months[j]) for j, m in enumerate(marginals) if abs(m) > EPS]
            if months:
                names.append(f"index {kind} {bound:g} ({', '.join(months)})")
        return names

    @memo
    def extreme(self, c: np.ndarray, sense: str) -> tuple[float, list[str]]:
        """min (sense='min') or max of c·x over the set, and the elements that
        bind there; ±inf when unbounded, NaN when the set is empty."""
        sign = 1.0 if sense == "min" else -1.0
        res, ub_of, eq_of = self._solve(sign * np.asarray(c, dtype=float))
        if res.status == _UNBOUNDED:
            return (-np.inf if sense == "min" else np.inf), []
        if res.status == _INFEASIBLE:
            return np.nan, []
        if res.status != _OPTIMAL:
            raise RuntimeError(f"linear program failed: {res.message}")
        return sign * res.fun, self._binding(res, ub_of, eq_of)

    def range_of(self, c: np.ndarray) -> tuple[float, float]:
        return self.extreme(c, "min")[0], self.extreme(c, "max")[0]

    @memo
    def month_ranges(self) -> pd.DataFrame:
        """Per month: the lowest and highest value of any admissible path, what
        binds at each, and the constraints that involve the month at all."""
        rows = []
        for j, month in enumerate(self.months):
            c = np.zeros(len(self.months))
            c[j] = 1.0
            low, bind_low = self.extreme(c, "min")
            high, bind_high = self.extreme(c, "max")
            involved = [k.name for k in self.constraints if abs(k.coef[j]) > EPS]
            rows.append({"month": str(month), "lower": low, "upper": high, "binding_lower": "; ".join(bind_low),
                         "binding_upper": "; ".join(bind_high), "constrained_by": "; ".join(involved)})
        return pd.DataFrame(rows)

    def mean_range(self, start: str, end: str) -> tuple[float, float]:
        return self.range_of(mean_coefficients(self.months, start, end))

    # -- when the set is empty ----------------------------------------------
    @memo
    def conflict(self) -> list[str]:
        """An irreducible infeasible subset (deletion filter): constraints and
        bounds that cannot hold together, and each of which is needed for the
        conflict. Empty when the set is not empty."""
        if self.feasible():
            return []
        elements = self.elements()
        keep = list(elements)
        for element in elements:
            trial = (set(elements) - set(keep)) | {element}
            if not self.feasible(skip=frozenset(trial)):
                keep.remove(element)  # still infeasible without it: not part of this conflict
        return [self.element_name(e) for e in keep]

    @memo
    def relaxation(self) -> pd.DataFrame:
        """The least total relaxation (points, summed over statistics) that
        makes the statistics agree with each other and with the bounds, and
        where it falls: s_i ≥ 0 widens constraint i on both sides."""
        n, m = len(self.months), len(self.constraints)
        a_ub, b_ub = [], []
        for i, k in enumerate(self.constraints):
            s = np.zeros(m)
            s[i] = -1.0
            a_ub += [np.concatenate([k.coef, s]), np.concatenate([-k.coef, s])]
            b_ub += [k.high, -k.low]
        bounds = [(self.lower, self.upper)] * n + [(0, None)] * m
        c = np.concatenate([np.zeros(n), np.ones(m)])
        res = linprog(c, A_ub=np.array(a_ub), b_ub=np.array(b_ub), bounds=bounds, method="highs")
        if res.status != _OPTIMAL:
            raise RuntimeError(f"relaxation program failed: {res.message}")
        slack = res.x[n:]
        return pd.DataFrame({"constraint": [k.name for k in self.constraints], "relaxation": slack})

    # -- one path, and the lowest upper bound --------------------------------
    @memo
    def least_change_path(self) -> np.ndarray | None:
        """The admissible path with the least total month-to-month change
        (sum of |x[t+1] − x[t]|): flat wherever nothing forces a move, so it
        adds no seasonality of its own. One path among many: an illustration."""
        n = len(self.months)
        program, _, _ = self._program()
        # variables: x (n), u (n − 1) with |x[t+1] − x[t]| ≤ u[t]
        diff = np.zeros((n - 1, n))
        for t in range(n - 1):
            diff[t, t], diff[t, t + 1] = -1.0, 1.0
        eye = np.eye(n - 1)
        rows = [np.hstack([diff, -eye]), np.hstack([-diff, -eye])]
        rhs = [np.zeros(n - 1), np.zeros(n - 1)]
        if program["A_ub"] is not None:
            rows.insert(0, np.hstack([program["A_ub"], np.zeros((len(program["A_ub"]), n - 1))]))
            rhs.insert(0, program["b_ub"])
        a_eq = None if program["A_eq"] is None else np.hstack([program["A_eq"], np.zeros((len(program["A_eq"]), n - 1))])
        c = np.concatenate([np.zeros(n), np.ones(n - 1)])
        res = linprog(c, A_ub=np.vstack(rows), b_ub=np.concatenate(rhs), A_eq=a_eq, b_eq=program["b_eq"],
                      bounds=program["bounds"] + [(0, None)] * (n - 1), method="highs")
        if res.status == _INFEASIBLE:
            return None
        if res.status != _OPTIMAL:
            raise RuntimeError(f"least-change path: {res.message}")
        return res.x[:n]

    @memo
    def lowest_upper_bound(self) -> tuple[float, str | None]:
        """The smallest U such that some path meets every constraint with the
        index ≤ U in every month (ignoring the set's own upper bound), and the
        month where it binds: any upper bound below U contradicts the statistics."""
        n = len(self.months)
        unbounded = AdmissibleSet(self.months, self.constraints, None, self.lower)
        program, _, _ = unbounded._program()
        # variables: x (n), t;  x[j] − t ≤ 0
        rows = [np.hstack([np.eye(n), -np.ones((n, 1))])]
        rhs = [np.zeros(n)]
        if program["A_ub"] is not None:
            rows.insert(0, np.hstack([program["A_ub"], np.zeros((len(program["A_ub"]), 1))]))
            rhs.insert(0, program["b_ub"])
        a_eq = None if program["A_eq"] is None else np.hstack([program["A_eq"], np.zeros((len(program["A_eq"]), 1))])
        c = np.concatenate([np.zeros(n), [1.0]])
        res = linprog(c, A_ub=np.vstack(rows), b_ub=np.concatenate(rhs), A_eq=a_eq, b_eq=program["b_eq"],
                      bounds=program["bounds"] + [(None, None)], method="highs")
        if res.status == _INFEASIBLE:
            return np.nan, None
        if res.status != _OPTIMAL:
            raise RuntimeError(f"lowest upper bound: {res.message}")
        # the month that needs it: the bound row x[j] ≤ t with the largest dual value
        duals = np.abs(res.ineqlin.marginals[-n:])
        return float(res.fun), str(self.months[int(np.argmax(duals))])

    def residuals(self, x: np.ndarray) -> pd.DataFrame:
        """How each constraint is met by a path: its value, the interval, and
        the excess beyond the interval (0 when within)."""
        rows = []
        for k in self.constraints:
            got = float(k.coef @ x)
            rows.append({"constraint": k.name, "stated": k.value, "low": k.low, "high": k.high, "path": got,
                         "residual": got - k.value, "excess": max(k.low - got, got - k.high, 0.0)})
        return pd.DataFrame(rows)


def mean_coefficients(months: pd.PeriodIndex, start: str, end: str) -> np.ndarray:
    """Coefficients of the mean over start..end (inclusive) as a linear function of the months."""
    span = pd.period_range(start, end, freq="M")
    missing = [str(p) for p in span if p not in months]
    if missing:
        raise ValueError(f"period {start}..{end} reaches outside the window {months[0]}..{months[-1]}: {missing}")
    c = np.zeros(len(months))
    c[months.get_indexer(span)] = 1.0 / len(span)
    return c


def contrast_verdict(low: float, high: float) -> str:
    """A contrast's sign over the admissible set: 'higher' (> 0 on every path),
    'lower' (< 0 on every path) or 'undetermined'."""
    if np.isnan(low) or np.isnan(high):
        return "infeasible"
    if low > EPS:
        return "higher"
    if high < -EPS:
        return "lower"
    return "undetermined"
