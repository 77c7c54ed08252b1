"""Steady states of a compiled model in plain Python: pseudo-transient continuation.

Linearly implicit Euler steps u += (I/dt - J)^-1 f(u), u >= 0, whose step dt grows as the residual falls
(switched evolution relaxation: dt x 4 x old/new residual), so the iteration follows the ODE's flow into the
stable steady state and ends as Newton's method. A step that worsens the residual more than tenfold is retried
with a smaller dt (the Jacobian is kept: the point has not moved). The Jacobian is the model's analytic one
(`jac`, values over the sparsity pattern given by `deps`) or, without it, numerical with the columns that touch
disjoint rows perturbed together; linear solves are sparse (`linear.py`). Importing scipy.integrate/optimize
(0.7 s) or numpy (0.13 s) would dominate a `kg predict` call; a test checks that scipy's ODE integration
reaches the same steady states.
"""

from __future__ import annotations

import logging
from typing import Any

from kg.errors import KgError
from kg.simulate.solve.linear import SparseLU

log = logging.getLogger(__name__)
RTOL = 1e-10  # converged when every |d state/dt| <= RTOL x (|state| + its floor), per hour
FIRST_DT = 0.1  # h: the first pseudo-time step (the fastest turnovers in the body model are ~10/h)
MAX_DT = 1e14
WORSEN = 10.0  # a step may raise the residual this much (transients do) before it is retried smaller
GROWTH = 4.0


def steady_state(f: Any, u0: list[float], deps: list[frozenset[int]] | None = None, floors: list[float] | None = None,
                 max_steps: int = 400, jac: Any = None, lu: SparseLU | None = None) -> list[float]:
    """The steady state reached from u0 of du/dt = f(u) (f returns a list), u >= 0.

    `deps[i]` lists the unknowns f_i reads (None: dense); `jac(u)` returns d f_i / d u_j for each (i, j in sorted
    deps[i]) in that order (None: numerical); `floors[i]` is the size below which state i counts as zero when
    judging convergence (default 1e-9); `lu` the linear solver planned for that pattern (made if not given)."""
    n = len(u0)
    u = [max(float(x), 0.0) for x in u0]
    if n == 0:
        return u
    deps = deps if deps is not None else [frozenset(range(n))] * n
    pattern = [(i, j) for i in range(n) for j in sorted(deps[i])]
    lu = lu if lu is not None else SparseLU(n, pattern)
    floors = floors or [1e-9] * n
    groups = colour(deps, n)
    fu = f(u)
    err = _err(fu, u, floors)
    dt, polish, values = FIRST_DT, 0, None
    for _ in range(max_steps):
        if err < RTOL:
            if polish == 2:  # two Newton steps past the tolerance: slow turnovers converge fully too
                return u
            polish += 1
            dt = MAX_DT
        if values is None:
            values = _jacobian_values(f, jac, u, fu, groups, deps, pattern)
        step = lu.solve(values, 1.0 / dt, fu)
        if step is None:
            dt *= 0.25
            continue
        un = [max(x + d, 0.0) for x, d in zip(u, step, strict=True)]
        fn = f(un)
        errn = _err(fn, un, floors)
        log.debug("solver: err %.3g -> %.3g, dt %.3g", err, errn, dt)
        if errn == errn and errn < WORSEN * err:  # errn == errn: not NaN
            dt = min(dt * GROWTH * max(err / errn, 1.0) if errn > 0 else MAX_DT, MAX_DT)
            u, fu, err, values = un, fn, errn, None
        elif polish:
            return u
        else:
            dt *= 0.3
    raise KgError("the kinetic model did not reach a steady state (check the context's parameters)")


def _err(fu: list[float], u: list[float], floors: list[float]) -> float:
    return max(abs(a) / (abs(x) + fl) for a, x, fl in zip(fu, u, floors, strict=True))


def _jacobian_values(f: Any, jac: Any, u: list[float], fu: list[float], groups: list[list[int]],
                     deps: list[frozenset[int]], pattern: list[tuple[int, int]]) -> list[float]:
    """The Jacobian's values over the pattern: analytic when given (numerical where it cannot be evaluated,
    e.g. a fractional power at exactly 0), else by finite differences over column groups."""
    if jac is not None:
        try:
            return jac(u)
        except (ZeroDivisionError, OverflowError):
            log.debug("solver: analytic Jacobian not defined here; numerical instead")
    cols: dict[tuple[int, int], float] = {}
    for g in groups:
        du = list(u)
        hs = {}
        for j in g:
            h = 1e-7 * max(abs(u[j]), 1e-6)
            du[j] += h
            hs[j] = h
        fj = f(du)
        for i, j in pattern:
            if j in hs:
                cols[(i, j)] = (fj[i] - fu[i]) / hs[j]
    return [cols.get(ij, 0.0) for ij in pattern]


def colour(deps: list[frozenset[int]], n: int) -> list[list[int]]:
    """Columns grouped so that no two in a group feed the same derivative."""
    rows: list[list[int]] = [[] for _ in range(n)]
    for i, d in enumerate(deps):
        for j in d:
            rows[j].append(i)
    groups: list[list[int]] = []
    used: list[set[int]] = []
    for j in range(n):
        for g, seen in zip(groups, used, strict=True):
            if not seen.intersection(rows[j]):
                g.append(j)
                seen.update(rows[j])
                break
        else:
            groups.append([j])
            used.append(set(rows[j]))
    return groups
