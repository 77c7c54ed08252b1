"""Steady states of a compiled model in plain Python: pseudo-transient continuation.

Implicit Euler steps u += (I/dt - J)^-1 f(u), u >= 0, whose step dt grows (so the iteration follows the ODE's
flow into the stable steady state and ends as Newton's method) and shrinks when the residual worsens. The
Jacobian is numerical, with the columns that touch disjoint rows perturbed together (the sparsity comes from the
model: which states each derivative reads), and the linear solve is a small elimination that skips zeros.
Importing scipy.integrate/optimize (0.7 s) or numpy (0.13 s) would dominate a `kg predict` call; a test checks
that scipy's ODE integration reaches the same steady states.
"""

from __future__ import annotations

import logging
from typing import Any

from kg.errors import KgError

log = logging.getLogger(__name__)
RTOL = 1e-10  # converged when every |d state/dt| <= RTOL x (|state| + its floor), per hour


def steady_state(f: Any, u0: list[float], deps: list[frozenset[int]] | None = None, floors: list[float] | None = None,
                 max_steps: int = 400) -> list[float]:
    """The steady state reached from u0 of du/dt = f(u) (f returns a list), u >= 0.

    `deps[i]` lists the unknowns f_i reads (None: dense); `floors[i]` is the size below which state i counts as
    zero when judging convergence (default 1e-9)."""
    n = len(u0)
    u = [max(float(x), 0.0) for x in u0]
    if n == 0:
        return u
    floors = floors or [1e-9] * n
    groups, rows = _colour(deps, n)
    fu = f(u)
    err = _err(fu, u, floors)
    dt = 1e-3
    polish = 0
    for _ in range(max_steps):
        if err < RTOL:
            if polish == 2:  # two Newton steps past the tolerance: slow turnovers converge fully too
                return u
            polish += 1
            dt = 1e14
        jac = _jacobian(f, u, fu, groups, rows, n)
        a = [[-x for x in row] for row in jac]
        for i in range(n):
            a[i][i] += 1.0 / dt
        step = _solve_linear(a, list(fu))
        if step is None:
            dt *= 0.25
            continue
        un = [max(x + d, 0.0) for x, d in zip(u, step, strict=True)]
        fn = f(un)
        errn = _err(fn, un, floors)
        log.debug("solver: err %.3g -> %.3g, dt %.3g", err, errn, dt)
        if errn == errn and errn < 1.5 * err:  # errn == errn: not NaN
            u, fu, err = un, fn, errn
            dt = min(dt * 4.0, 1e14)
        elif polish:
            return u
        else:
            dt *= 0.3
    raise KgError("the kinetic model did not reach a steady state (check the context's parameters)")


def _err(fu: list[float], u: list[float], floors: list[float]) -> float:
    return max(abs(a) / (abs(x) + fl) for a, x, fl in zip(fu, u, floors, strict=True))


def _colour(deps: list[frozenset[int]] | None, n: int) -> tuple[list[list[int]], list[list[int]]]:
    """Columns grouped so that no two in a group feed the same derivative, and each column's rows."""
    if deps is None:
        return [[j] for j in range(n)], [list(range(n)) for _ in range(n)]
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
    return groups, rows


def _jacobian(f: Any, u: list[float], fu: list[float], groups: list[list[int]], rows: list[list[int]],
              n: int) -> list[list[float]]:
    jac = [[0.0] * n for _ in range(n)]
    for g in groups:
        du = list(u)
        hs = {}
        for j in g:
            h = 1e-7 * max(abs(u[j]), 1e-6)
            du[j] += h
            hs[j] = h
        fj = f(du)
        for j in g:
            for i in rows[j]:
                jac[i][j] = (fj[i] - fu[i]) / hs[j]
    return jac


def _solve_linear(a: list[list[float]], b: list[float]) -> list[float] | None:
    """Gaussian elimination with partial pivoting, skipping zero entries; None when singular."""
    n = len(b)
    for col in range(n):
        piv = max(range(col, n), key=lambda r: abs(a[r][col]))
        if abs(a[piv][col]) < 1e-300:
            return None
        a[col], a[piv] = a[piv], a[col]
        b[col], b[piv] = b[piv], b[col]
        pivot_row = a[col]
        nz = [c for c in range(col + 1, n) if pivot_row[c] != 0.0]
        for r in range(col + 1, n):
            row = a[r]
            if row[col] == 0.0:
                continue
            m = row[col] / pivot_row[col]
            for c in nz:
                row[c] -= m * pivot_row[c]
            row[col] = 0.0
            b[r] -= m * b[col]
    x = [0.0] * n
    for r in range(n - 1, -1, -1):
        row = a[r]
        x[r] = (b[r] - sum(row[c] * x[c] for c in range(r + 1, n) if row[c] != 0.0)) / row[r]
    return x
