"""Cooperative games: how to split what a coalition saves (``planner coalition``).

A game is a set of players N and the value v(S) of every coalition S ⊆ N (here, what S saves against its
members alone; v(∅) = 0, v({i}) = 0).  An allocation x gives each player its share, Σ_i x_i = v(N).

- The **Shapley value** gives each player its marginal contribution v(S ∪ {i}) - v(S) averaged over the
  orders in which N can form: φ_i = Σ_{S ⊆ N \\ {i}} |S|! (n - |S| - 1)! / n! (v(S ∪ {i}) - v(S)).  It is
  efficient (Σ φ = v(N)), symmetric, gives a null player (who adds nothing anywhere) nothing, and is
  additive over games, so it splits mineral by mineral.
- The **core** is the allocations no coalition can improve on alone: Σ_{i ∈ S} x_i ≥ v(S) for every S.
  An allocation outside it names the coalitions that would do better by leaving (the Shapley split's:
  ``planner.studies.coalition.core_shortfalls``, each with the range the solves prove).
- The **least core** relaxes every such row by the least ε that makes them all hold; the
  **nucleolus** then makes the largest shortfall as small as possible, then the next, and so on (the
  lexicographic centre of the least core).  It is unique, and in the core whenever the core is not empty.

Allocations are computed with HiGHS: a linear programme per stage of the nucleolus (n ≤ 6: at most 62
rows).  Money is USD; an excess within ``tol`` of the bound is round-off.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from itertools import combinations

import highspy
import numpy as np

from models.solve import new_highs

Coalition = frozenset


def coalitions(players: Iterable[str], proper: bool = False) -> list[frozenset]:
    """Every non-empty coalition of ``players`` (without the grand one if ``proper``), smallest first."""
    players = list(players)
    top = len(players) - 1 if proper else len(players)
    return [frozenset(c) for k in range(1, top + 1) for c in combinations(players, k)]


def shapley_coefficients(players: list[str]) -> dict[str, dict[frozenset, float]]:
    """φ_i as a linear function of the game: φ_i = Σ_T a_iT v(T) over the non-empty coalitions T, with
    a_iT = (|T| - 1)! (n - |T|)! / n! when i ∈ T (T = S ∪ {i}) and -|T|! (n - |T| - 1)! / n! when not (T = S)."""
    n = len(players)

    def weight(k: int) -> float:  # of a coalition S of k members that i joins
        return math.factorial(k) * math.factorial(n - k - 1) / math.factorial(n)

    return {i: {t: weight(len(t) - 1) if i in t else -weight(len(t)) for t in coalitions(players)
                if i in t or len(t) < n} for i in players}


def shapley(players: list[str], v: dict[frozenset, float]) -> dict[str, float]:
    """φ_i = Σ_{S ⊆ N \\ {i}} |S|! (n - |S| - 1)! / n! (v(S ∪ {i}) - v(S)), v(∅) = 0."""
    return {i: sum(a * v.get(t, 0.0) for t, a in coefficients.items())
            for i, coefficients in shapley_coefficients(players).items()}


def nucleolus(players: list[str], v: dict[frozenset, float], tol: float) -> tuple[dict[str, float], float]:
    """The nucleolus of the game and its least-core ε (the largest shortfall it leaves, v(S) - x(S),
    minimised; ε <= 0 when the core is not empty).  Stage k maximises the smallest excess
    e(S) = x(S) - v(S) over the coalitions not yet fixed, with the earlier stages' excesses held; a
    coalition whose excess cannot rise above the optimum in any optimal allocation is fixed there."""
    n = len(players)
    free = coalitions(players, proper=True)
    fixed: list[tuple[frozenset, float]] = []
    grand = v.get(frozenset(players), 0.0)
    x, first = {i: grand / n for i in players}, None
    while free:
        t, x = _stage(players, v, grand, free, fixed)
        first = t if first is None else first
        tight = [s for s in free if not _can_rise(players, v, grand, free, fixed, s, t, tol)]
        if not tight:  # round-off: fix the coalition nearest the bound so the stages end
            tight = [min(free, key=lambda s: sum(x[i] for i in s) - v.get(s, 0.0))]
        fixed += [(s, t) for s in tight]
        free = [s for s in free if s not in tight]
        if _rank(players, [s for s, _ in fixed] + [frozenset(players)]) >= n:  # x is determined
            break
    return x, -first if first is not None else 0.0


def _rank(players: list[str], sets: list[frozenset]) -> int:
    if not sets:
        return 0
    return int(np.linalg.matrix_rank(np.array([[1.0 if p in s else 0.0 for p in players] for s in sets])))


def _lp(players, v, grand, free, fixed, objective_row=None, t_fixed=None):
    """The stage LP over (x, t): max t (or max the excess of ``objective_row`` with t held at ``t_fixed``)
    s.t. x(S) - v(S) >= t for S free, x(S) - v(S) = t_S for S fixed, Σ x = v(N)."""
    n = len(players)
    h = new_highs(1)
    inf = highspy.kHighsInf
    lower, upper = [-inf] * (n + 1), [inf] * (n + 1)
    if t_fixed is not None:
        lower[n] = upper[n] = t_fixed
    cost = [0.0] * (n + 1)
    if objective_row is None:
        cost[n] = -1.0
    else:
        for j, p in enumerate(players):
            if p in objective_row:
                cost[j] = -1.0
    h.addVars(n + 1, np.array(lower), np.array(upper))
    h.changeColsCost(n + 1, np.arange(n + 1, dtype=np.int32), np.array(cost))

    def row(s: frozenset, with_t: bool, lo: float, hi: float) -> None:
        idx = [j for j, p in enumerate(players) if p in s] + ([n] if with_t else [])
        val = [1.0] * (len(idx) - (1 if with_t else 0)) + ([-1.0] if with_t else [])
        h.addRow(lo, hi, len(idx), np.array(idx, dtype=np.int32), np.array(val))

    for s in free:
        row(s, True, v.get(s, 0.0), inf)
    for s, t in fixed:
        row(s, False, v.get(s, 0.0) + t, v.get(s, 0.0) + t)
    row(frozenset(players), False, grand, grand)
    h.run()
    sol = h.getSolution().col_value
    return h.getInfo().objective_function_value, {p: sol[j] for j, p in enumerate(players)}, sol[n]


def _stage(players, v, grand, free, fixed):
    _obj, x, t = _lp(players, v, grand, free, fixed)
    return t, x


def _can_rise(players, v, grand, free, fixed, s, t, tol) -> bool:
    """Whether coalition ``s``'s excess can exceed ``t`` with every free excess at least t."""
    objective, _x, _t = _lp(players, v, grand, free, fixed, objective_row=s, t_fixed=t)
    return -objective - v.get(s, 0.0) > t + tol
