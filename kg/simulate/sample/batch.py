"""One compiled model solved for N parameter sets at once, on numpy arrays.

The generated `rhs`, `jac`, `observe` and `calib` (`model/compile.py`) are plain arithmetic, so they run on
arrays of shape (N,) as they run on floats: states are an (n, N) array, parameters a list whose entries are floats
(shared by every draw) or (N,) arrays. The steady state is the same pseudo-transient continuation as
`solve/steady.py` (linearly implicit Euler steps, the step grown as the residual falls, ending as Newton's
method), with a step size, an acceptance and a convergence test per draw, and the linear systems of all draws
solved together (numpy's batched LU). A draw that does not converge is marked failed (never silently kept).
Species held at a level (a clamp) keep it: their rows of the system are replaced by identity rows.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from kg.errors import KgError
from kg.simulate.model.compile import CompiledModel
from kg.simulate.sample.sparse import BatchLU
from kg.simulate.solve.baseline import REF, SWITCH
from kg.simulate.solve.steady import FIRST_DT, GROWTH, MAX_DT, RTOL, WORSEN

MAX_STEPS = 400
CHUNK = 1024  # draws per batched solve (bounds the dense systems' memory: CHUNK x n x n doubles)


@dataclass
class Solved:
    """States (n, N) and the parameters they were solved under; `ok[k]` False where draw k did not converge."""

    x: np.ndarray
    p: list[Any]
    ok: np.ndarray


def select(p: list[Any], keep: np.ndarray) -> list[Any]:
    """The parameter list restricted to some draws (shared floats stay floats)."""
    return [v[keep] if isinstance(v, np.ndarray) else v for v in p]


def width(p: list[Any]) -> int:
    sizes = {v.shape[0] for v in p if isinstance(v, np.ndarray)}
    if len(sizes) > 1:
        raise KgError(f"parameter draws of different sizes: {sorted(sizes)}")
    return sizes.pop() if sizes else 1


def as_rows(values: list[Any], n_draws: int) -> np.ndarray:
    """A list of floats and (N,) arrays as one (len, N) array."""
    out = np.empty((len(values), n_draws))
    for i, v in enumerate(values):
        out[i] = v
    return out


class BatchModel:
    """A compiled model's vectorised steady states, calibration and readouts."""

    def __init__(self, cm: CompiledModel, floors: list[float], order: list[int]) -> None:
        self.cm, self.model = cm, cm.model
        self.n = len(self.model.states)
        self.lu = BatchLU(self.n, cm.pattern, order)
        self._fd_groups: dict[tuple[int, ...], list[np.ndarray]] = {}
        self.rows = np.array([i for i, _j in cm.pattern], dtype=int)
        self.cols = np.array([j for _i, j in cm.pattern], dtype=int)
        self.floors = np.asarray(floors, dtype=float)[:, None]

    @classmethod
    def of(cls, kin: Any) -> BatchModel:
        """The batch solver of a KineticRun's model (its floors and elimination order)."""
        return cls(kin.cm, kin.floors, kin.lu.order)

    # ---- the ODE on arrays --------------------------------------------------------------------------------------
    def rates(self, x: np.ndarray, p: list[Any]) -> np.ndarray:
        """d(state)/dt for every draw (through `both`: its shared subexpressions make it cheaper than `rhs`)."""
        with np.errstate(all="ignore"):  # a draw's 0 ** negative or overflow is judged by the solver, not warned
            return as_rows(self.cm.both(list(x), p)[0], x.shape[1])

    # ---- steady states ------------------------------------------------------------------------------------------
    def steady(self, p: list[Any], x0: np.ndarray, held: np.ndarray | None = None) -> Solved:
        """The steady state of every draw from x0 (n, N); `held` marks states kept at their x0 value."""
        n_draws = x0.shape[1]
        held = np.zeros(self.n, dtype=bool) if held is None else held
        if n_draws > CHUNK:
            parts = [self.steady(select(p, np.arange(i, min(i + CHUNK, n_draws))), x0[:, i:i + CHUNK], held)
                     for i in range(0, n_draws, CHUNK)]
            return Solved(np.concatenate([s.x for s in parts], axis=1), p,
                          np.concatenate([s.ok for s in parts]))
        u = np.maximum(np.asarray(x0, dtype=float), 0.0)
        f, jac = self._evaluate(u, p, held)
        err = self._err(f, u)
        dt = np.full(n_draws, FIRST_DT)
        polish = np.zeros(n_draws, dtype=int)
        done = np.zeros(n_draws, dtype=bool)
        for _ in range(MAX_STEPS):
            conv = (err < RTOL) & ~done
            finished = conv & (polish == 2)  # two Newton steps past the tolerance, as the scalar solver
            done |= finished
            bump = conv & ~finished
            polish[bump] += 1
            dt[bump] = MAX_DT
            live = np.flatnonzero(~done)
            if live.size == 0:
                break
            pl = select(p, live)
            ul, fl, el = u[:, live], f[:, live], err[live]
            step, singular = self._step(ul, 1.0 / dt[live], held, fl, jac[:, live])
            un = np.maximum(ul + step, 0.0)
            fn, jn = self._evaluate(un, pl, held)  # the trial point's Jacobian: the next step's, if accepted
            en = self._err(fn, un)
            good = ~singular & np.isfinite(en) & (en < WORSEN * el)
            with np.errstate(divide="ignore", invalid="ignore"):
                grown = np.where(en > 0, dt[live] * GROWTH * np.maximum(el / en, 1.0), MAX_DT)
            acc = live[good]
            u[:, acc], f[:, acc], err[acc], jac[:, acc] = un[:, good], fn[:, good], en[good], jn[:, good]
            dt[acc] = np.minimum(grown[good], MAX_DT)
            rejected = live[~good]
            stop = rejected[polish[rejected] > 0]  # polishing and worse: the previous point stands
            done[stop] = True
            retry = rejected[polish[rejected] == 0]
            dt[retry] *= np.where(singular[~good][polish[rejected] == 0], 0.25, 0.3)
        ok = done & np.isfinite(u).all(axis=0)
        return Solved(u, p, ok)

    def _evaluate(self, u: np.ndarray, p: list[Any], held: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The residual (held rows 0) and the Jacobian's values over the pattern, from one evaluation of the
        model's rules; Jacobian entries that are not finite there (a fractional power at exactly 0) are
        differenced numerically, as the scalar solver does."""
        with np.errstate(all="ignore"):  # a draw's 0 ** negative or overflow is judged by the solver, not warned
            rates, values = self.cm.both(list(u), p)
            f = as_rows(rates, u.shape[1])
            jac = as_rows(values, u.shape[1]) if len(self.cm.pattern) else np.zeros((0, u.shape[1]))
        f[held] = 0.0
        broken = ~np.isfinite(jac)
        undefined = np.flatnonzero(broken.any(axis=0))
        if undefined.size:
            cols = np.unique(self.cols[broken.any(axis=1)])
            fd = self._numerical_jacobian(u[:, undefined], select(p, undefined), f[:, undefined], cols)
            sub = jac[:, undefined]
            sub[broken[:, undefined]] = fd[broken[:, undefined]]
            jac[:, undefined] = sub
        return f, jac

    def _err(self, f: np.ndarray, u: np.ndarray) -> np.ndarray:
        with np.errstate(invalid="ignore"):
            e = np.max(np.abs(f) / (np.abs(u) + self.floors), axis=0) if self.n else np.zeros(u.shape[1])
        return np.where(np.isfinite(e), e, np.inf)

    def _step(self, u: np.ndarray, shift: np.ndarray, held: np.ndarray, f: np.ndarray, jac: np.ndarray) \
            -> tuple[np.ndarray, np.ndarray]:
        """(shift I - J)^-1 f for every draw, by the planned sparse LU; draws whose pivots it cannot trust are
        solved densely with partial pivoting; a singular system gives a zero step and a flag."""
        e = self.lu.matrix(jac, shift, held)
        x, bad = self.lu.solve(e.copy(), f)
        singular = np.zeros(u.shape[1], dtype=bool)
        for k in np.flatnonzero(bad | ~np.isfinite(x).all(axis=0)):
            dense = self.lu.dense(e, np.array([k]))[0]
            try:
                x[:, k] = np.linalg.solve(dense, f[:, k])
            except np.linalg.LinAlgError:
                x[:, k] = 0.0
                singular[k] = True
        return x, singular

    def _numerical_jacobian(self, u: np.ndarray, p: list[Any], f: np.ndarray, wanted: np.ndarray) -> np.ndarray:
        """Finite-difference Jacobian values over the pattern for the columns `wanted` (others 0), columns that
        touch disjoint rows perturbed together (the wanted columns coloured among themselves)."""
        out = np.zeros((len(self.cm.pattern), u.shape[1]))
        rows, cols = self.rows, self.cols
        key = tuple(int(j) for j in wanted)
        if key not in self._fd_groups:
            self._fd_groups[key] = _colour_columns(key, self.cm.deps)
        for group in self._fd_groups[key]:
            du = u.copy()
            h = 1e-7 * np.maximum(np.abs(u[group]), 1e-6)
            du[group] += h
            fj = self.rates(du, p)
            steps = np.zeros((self.n, u.shape[1]))
            steps[group] = h
            hit = np.isin(cols, group)
            out[hit] = (fj[rows[hit]] - f[rows[hit]]) / steps[cols[hit]]
        return out

    # ---- calibration and readouts -------------------------------------------------------------------------------
    def calibrate(self, p: list[Any], x0: np.ndarray) -> Solved:
        """Each draw's baseline: the steady state with regulation off, then the calibrated parameters
        (`model.calibration`) set from it, settled as `solve/baseline.py` settles them; regulation back on.
        A draw whose reference level is not positive fails (a regulation cannot be normalised to it)."""
        pi = self.cm.param_index
        p = list(p)
        if SWITCH in pi:
            p[pi[SWITCH]] = 0.0
        base = self.steady(p, x0)
        names = self.cm.calibrated
        n_draws = x0.shape[1]
        for _ in range(len(names) + 1):
            with np.errstate(all="ignore"):
                values = as_rows(self.cm.calib(list(base.x), p), n_draws) if names else np.zeros((0, n_draws))
            changed = False
            for name, v in zip(names, values, strict=True):
                old = p[pi[name]]
                changed = changed or not np.array_equal(np.broadcast_to(old, v.shape), v)
                p[pi[name]] = v
            if not changed:
                break
        ok = base.ok.copy()
        for name in names:
            if name.startswith(REF):
                ok &= np.asarray(p[pi[name]]) > 0
        if SWITCH in pi:
            p[pi[SWITCH]] = 1.0
        return Solved(base.x, p, ok)

    def observe(self, x: np.ndarray, p: list[Any]) -> dict[str, np.ndarray]:
        """Every rule and flux for every draw."""
        with np.errstate(all="ignore"):
            return dict(zip(self.cm.observed, as_rows(self.cm.observe(list(x), p), x.shape[1]), strict=True))

    def value(self, sym: str, x: np.ndarray, p: list[Any], obs: dict[str, np.ndarray]) -> np.ndarray:
        """A readout symbol's value per draw: a state, a parameter or an observed rule."""
        if sym in self.cm.state_index:
            return x[self.cm.state_index[sym]]
        if sym in self.cm.param_index:
            return np.broadcast_to(np.asarray(p[self.cm.param_index[sym]], dtype=float), (x.shape[1],))
        return obs[sym]


def _colour_columns(columns: tuple[int, ...], deps: list[frozenset[int]]) -> list[np.ndarray]:
    """Some Jacobian columns grouped so that no two in a group feed the same derivative (greedy, in order)."""
    rows_of: dict[int, set[int]] = {j: set() for j in columns}
    for i, d in enumerate(deps):
        for j in d:
            if j in rows_of:
                rows_of[j].add(i)
    groups: list[list[int]] = []
    used: list[set[int]] = []
    for j in columns:
        for g, seen in zip(groups, used, strict=True):
            if not seen & rows_of[j]:
                g.append(j)
                seen |= rows_of[j]
                break
        else:
            groups.append([j])
            used.append(set(rows_of[j]))
    return [np.array(g, dtype=int) for g in groups]
