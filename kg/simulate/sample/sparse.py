"""Sparse LU of one Jacobian pattern for N systems at once: the elimination planned once, run on arrays.

The pattern of (shift I - J) is fixed per model, so the elimination (in the solver's minimum-degree order, with
diagonal pivots) and its fill-in are worked out once; each pivot's updates are then a few numpy operations on
(entries, N) blocks, so N systems cost about as much as the fill-in, not N dense factorisations. Diagonal
pivoting is safe where the diagonal dominates (the pseudo-transient shift); a draw whose pivot is too small
relative to its row is flagged, and the caller solves it again densely with partial pivoting.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

SMALL_PIVOT = 1e-10  # a pivot below this share of its row's largest entry is not trusted


@dataclass
class _Pivot:
    k: int
    diag: int  # slot of (k, k)
    below: np.ndarray  # rows eliminated by this pivot
    mult: np.ndarray  # slots of (r, k) for those rows
    target: np.ndarray  # slots updated: (r, c)
    source: np.ndarray  # slots read: (k, c)
    which: np.ndarray  # index into `below` of each update's row
    right: np.ndarray  # columns of row k after the pivot (for back substitution)
    right_slots: np.ndarray
    row_slots: np.ndarray  # every slot of row k at the time it pivots (for the size test)


class BatchLU:
    """Solves (shift I - J) x = b for N draws; J given by its values over `pattern`."""

    def __init__(self, n: int, pattern: list[tuple[int, int]], order: list[int]) -> None:
        self.n = n
        slots: dict[tuple[int, int], int] = {}

        def slot(i: int, j: int) -> int:
            if (i, j) not in slots:
                slots[(i, j)] = len(slots)
            return slots[(i, j)]

        self.jac_slots = np.array([slot(i, j) for i, j in pattern], dtype=int)
        self.diag_slots = np.array([slot(i, i) for i in range(n)], dtype=int)
        cols: list[set[int]] = [set() for _ in range(n)]  # non-zero columns per row
        rows: list[set[int]] = [set() for _ in range(n)]  # non-zero rows per column
        for i, j in [*pattern, *((i, i) for i in range(n))]:
            cols[i].add(j)
            rows[j].add(i)
        done: set[int] = set()
        self.pivots: list[_Pivot] = []
        for k in order:
            below = sorted(r for r in rows[k] if r not in done and r != k)
            right = sorted(c for c in cols[k] if c not in done and c != k)
            target, source, which = [], [], []
            for w, r in enumerate(below):
                for c in right:
                    target.append(slot(r, c))
                    source.append(slot(k, c))
                    which.append(w)
                    cols[r].add(c)
                    rows[c].add(r)
            self.pivots.append(_Pivot(
                k, slots[(k, k)], np.array(below, dtype=int), np.array([slots[(r, k)] for r in below], dtype=int),
                np.array(target, dtype=int), np.array(source, dtype=int), np.array(which, dtype=int),
                np.array(right, dtype=int), np.array([slots[(k, c)] for c in right], dtype=int),
                np.array([slots[(k, c)] for c in sorted(cols[k]) if c not in done], dtype=int)))
            done.add(k)
        self.size = len(slots)
        self.row_cols = [np.array(sorted(cols[i]), dtype=int) for i in range(n)]
        self.row_slots = [np.array([slots[(i, j)] for j in sorted(cols[i])], dtype=int) for i in range(n)]

    def matrix(self, jac: np.ndarray, shift: np.ndarray, held: np.ndarray) -> np.ndarray:
        """The entries of shift I - J, (slots, N); held rows become identity rows."""
        e = np.zeros((self.size, jac.shape[1]))
        e[self.jac_slots] = -jac
        e[self.diag_slots] += shift
        for i in np.flatnonzero(held):
            e[self.row_slots[i]] = 0.0
            e[self.diag_slots[i]] = 1.0
        return e

    def dense(self, e: np.ndarray, draws: np.ndarray) -> np.ndarray:
        """The matrices of some draws, (len(draws), n, n), from the entries (before factorisation)."""
        a = np.zeros((len(draws), self.n, self.n))
        for i in range(self.n):
            a[:, i, self.row_cols[i]] = e[self.row_slots[i]][:, draws].T
        return a

    def solve(self, e: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """x (n, N) and a flag per draw whose pivots could not be trusted. `e` is overwritten."""
        b = b.copy()
        bad = np.zeros(e.shape[1], dtype=bool)
        for pv in self.pivots:
            piv = e[pv.diag]
            scale = np.max(np.abs(e[pv.row_slots]), axis=0)
            bad |= ~(np.abs(piv) > SMALL_PIVOT * scale)
            safe = np.where(bad, 1.0, piv)
            if pv.below.size:
                m = e[pv.mult] / safe
                if pv.target.size:
                    e[pv.target] -= m[pv.which] * e[pv.source]
                b[pv.below] -= m * b[pv.k]
            e[pv.diag] = safe
        x = np.zeros_like(b)
        for pv in reversed(self.pivots):
            acc = b[pv.k]
            if pv.right.size:
                acc = acc - np.einsum("ij,ij->j", e[pv.right_slots], x[pv.right])
            x[pv.k] = acc / e[pv.diag]
        return x, bad
