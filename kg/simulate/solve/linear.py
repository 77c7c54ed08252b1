"""Sparse linear solves for the steady-state solver, in plain Python.

The body model's Jacobian is very sparse (each derivative reads a handful of states; plasma, the hub, reads
more) and its pattern is fixed per model, so a fill-reducing elimination order is computed once (minimum
degree on the symmetrised pattern: tissue states first, the hub last) and each solve eliminates in that order
with threshold partial pivoting (the planned pivot unless another row is ten times larger). Dense Gaussian
elimination of the same system costs O(n^3) and dominated a prediction; this costs about the fill-in.
"""

from __future__ import annotations

PIVOT_THRESHOLD = 0.1  # keep the planned pivot while it is at least this share of the column's largest entry


def elimination_order(n: int, pattern: list[tuple[int, int]]) -> list[int]:
    """Columns in minimum-degree order of the symmetrised pattern (ties by index: deterministic)."""
    nbrs: list[set[int]] = [set() for _ in range(n)]
    for i, j in pattern:
        if i != j:
            nbrs[i].add(j)
            nbrs[j].add(i)
    left = set(range(n))
    order = []
    while left:
        v = min(left, key=lambda k: (len(nbrs[k]), k))
        order.append(v)
        left.discard(v)
        for a in nbrs[v]:
            nbrs[a].discard(v)
            nbrs[a] |= nbrs[v] - {a}
        nbrs[v] = set()
    return order


class SparseLU:
    """The linear solver of one Jacobian pattern: its elimination order, planned once per model.

    (A static plan of every fill-in, with diagonal pivots, was measured no faster in Python than eliminating
    with dictionaries, which skip the numerically zero entries: kept simple.)"""

    def __init__(self, n: int, pattern: list[tuple[int, int]], order: list[int] | None = None) -> None:
        self.n, self.pattern = n, pattern
        self.order = order if order is not None else elimination_order(n, pattern)

    def solve(self, values: list[float], shift: float, b: list[float]) -> list[float] | None:
        """x with (shift I - J) x = b, J given by its values over the pattern; None when singular."""
        return solve_sparse(self.n, self.pattern, values, shift, b, self.order)


def solve_sparse(n: int, pattern: list[tuple[int, int]], values: list[float], shift: float, b: list[float],
                 order: list[int]) -> list[float] | None:
    """x with (shift I - J) x = b by elimination in `order` with threshold partial pivoting (the planned row
    unless another is ten times larger); None when singular."""
    rows: list[dict[int, float]] = [{} for _ in range(n)]
    for (i, j), v in zip(pattern, values, strict=True):
        rows[i][j] = rows[i].get(j, 0.0) - v
    if shift:
        for i in range(n):
            rows[i][i] = rows[i].get(i, 0.0) + shift
    col_rows: list[set[int]] = [set() for _ in range(n)]
    for i, row in enumerate(rows):
        for j in row:
            col_rows[j].add(i)
    rhs = list(b)
    active = [True] * n
    pivots: list[tuple[int, int]] = []  # (column, row)
    for c in order:
        cands, big, best = [], 0.0, -1
        for r in col_rows[c]:
            v = rows[r].get(c, 0.0) if active[r] else 0.0
            if v != 0.0:
                cands.append(r)
                if abs(v) > big or (abs(v) == big and r < best):
                    big, best = abs(v), r
        if big < 1e-300:
            return None
        p = c if c in cands and abs(rows[c][c]) >= PIVOT_THRESHOLD * big else best
        active[p] = False
        prow = rows[p]
        pv, bp = prow[c], rhs[p]
        others = [(k, v) for k, v in prow.items() if k != c]
        for r in cands:
            if r == p:
                continue
            row = rows[r]
            m = row.pop(c) / pv
            for k, v in others:
                if k in row:
                    row[k] -= m * v
                else:
                    row[k] = -m * v
                    col_rows[k].add(r)
            rhs[r] -= m * bp
        pivots.append((c, p))
    x = [0.0] * n
    for c, p in reversed(pivots):
        row = rows[p]
        x[c] = (rhs[p] - sum(v * x[k] for k, v in row.items() if k != c)) / row[c]
    return x
