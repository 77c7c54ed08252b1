"""The steady-state solver's parts: sparse elimination against dense, the elimination order, and the solver with
an analytic, a numerical and a dense Jacobian."""

from __future__ import annotations

import random

import pytest

from kg.errors import KgError
from kg.simulate.solve.linear import SparseLU, elimination_order, solve_sparse
from kg.simulate.solve.steady import steady_state


def dense_solve(a: list[list[float]], b: list[float]) -> list[float]:
    """Gaussian elimination with full partial pivoting: the oracle."""
    n = len(b)
    m = [[*row, b[i]] for i, row in enumerate(a)]
    for c in range(n):
        p = max(range(c, n), key=lambda r: abs(m[r][c]))
        m[c], m[p] = m[p], m[c]
        for r in range(c + 1, n):
            f = m[r][c] / m[c][c]
            m[r] = [x - f * y for x, y in zip(m[r], m[c], strict=True)]
    x = [0.0] * n
    for r in range(n - 1, -1, -1):
        x[r] = (m[r][n] - sum(m[r][k] * x[k] for k in range(r + 1, n))) / m[r][r]
    return x


def random_system(n: int, seed: int, zero_diagonal: bool = False):
    rng = random.Random(seed)
    pattern = sorted({(i, i) for i in range(n) if not zero_diagonal}
                     | {(rng.randrange(n), rng.randrange(n)) for _ in range(3 * n)}
                     | {(i, (i + 1) % n) for i in range(n)} | {((i + 1) % n, i) for i in range(n)})
    values = [rng.uniform(-2.0, 2.0) for _ in pattern]
    return pattern, values, [rng.uniform(-1.0, 1.0) for _ in range(n)]


@pytest.mark.parametrize("seed", range(8))
@pytest.mark.parametrize("shift", [0.0, 0.5, 10.0])
def test_sparse_elimination_agrees_with_dense(seed, shift):
    n = 25
    pattern, values, b = random_system(n, seed, zero_diagonal=seed % 2 == 1)
    a = [[0.0] * n for _ in range(n)]
    for (i, j), v in zip(pattern, values, strict=True):
        a[i][j] -= v
    for i in range(n):
        a[i][i] += shift
    want = dense_solve(a, b)
    assert solve_sparse(n, pattern, values, shift, b, elimination_order(n, pattern)) == pytest.approx(
        want, rel=1e-8, abs=1e-10)
    assert SparseLU(n, pattern).solve(values, shift, b) == pytest.approx(want, rel=1e-8, abs=1e-10)


def test_a_singular_system_gives_none():
    # rows 0 and 1 identical: (-J) = [[1, 1], [1, 1]]
    pattern = [(0, 0), (0, 1), (1, 0), (1, 1)]
    assert solve_sparse(2, pattern, [-1.0, -1.0, -1.0, -1.0], 0.0, [1.0, 2.0], [0, 1]) is None
    assert SparseLU(2, pattern).solve([-1.0, -1.0, -1.0, -1.0], 0.0, [1.0, 2.0]) is None


def test_a_small_planned_pivot_gives_way_to_partial_pivoting():
    # (-J) = [[1e-9, 1], [1, 1]]: the diagonal pivot 1e-9 is far below its column's 1
    pattern = [(0, 0), (0, 1), (1, 0), (1, 1)]
    values = [-1e-9, -1.0, -1.0, -1.0]
    x = SparseLU(2, pattern, [0, 1]).solve(values, 0.0, [1.0, 2.0])
    assert x == pytest.approx(dense_solve([[1e-9, 1.0], [1.0, 1.0]], [1.0, 2.0]), rel=1e-12)


def test_minimum_degree_puts_the_hub_last_and_is_deterministic():
    # a star: state 0 couples with every other one; its leaves are eliminated first, without fill
    pattern = [(0, j) for j in range(6)] + [(j, 0) for j in range(1, 6)] + [(j, j) for j in range(1, 6)]
    assert elimination_order(6, pattern)[:4] == [1, 2, 3, 4]
    assert elimination_order(6, pattern) == elimination_order(6, list(reversed(pattern)))


def _system():
    # du/dt = [2 - u0 - u0 u1, u0^2 - 3 u1]: one positive steady state
    def f(u):
        return [2 - u[0] - u[0] * u[1], u[0] ** 2 - 3 * u[1]]

    def jac(u):  # pattern row by row: (0,0) (0,1) (1,0) (1,1)
        return [-1 - u[1], -u[0], 2 * u[0], -3.0]

    return f, jac, [frozenset({0, 1}), frozenset({0, 1})]


def test_the_solver_reaches_the_same_state_with_analytic_numerical_and_dense_jacobians():
    f, jac, deps = _system()
    analytic = steady_state(f, [0.0, 0.0], deps, jac=jac)
    assert f(analytic) == pytest.approx([0.0, 0.0], abs=1e-9)
    assert steady_state(f, [0.0, 0.0], deps) == pytest.approx(analytic, rel=1e-9)
    assert steady_state(f, [0.0, 0.0]) == pytest.approx(analytic, rel=1e-9)


def test_a_jacobian_that_cannot_be_evaluated_falls_back_to_finite_differences():
    f, _jac, deps = _system()

    def broken(_u):
        raise ZeroDivisionError

    assert f(steady_state(f, [1.0, 1.0], deps, jac=broken)) == pytest.approx([0.0, 0.0], abs=1e-9)


def test_a_system_without_a_steady_state_is_an_error():
    # du/dt = -1 with u >= 0: u sits at 0, still falling
    with pytest.raises(KgError, match="did not reach a steady state"):
        steady_state(lambda u: [-1.0 + 0.0 * u[0]], [1.0], max_steps=30)
