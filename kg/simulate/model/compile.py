"""Compile a Model into Python: the right-hand side of its ODEs, its analytic Jacobian and the observables, as
generated source.

The source is emitted once per model and compiled with `compile()`; it reads states from `x[i]` and parameters
from `p[j]` and uses only arithmetic, so the same functions run on floats (one prediction) and on numpy arrays
(x[i], p[j] of shape (N,): N parameter draws at once). The Jacobian is differentiated symbolically from the
same rate laws (`derive.py`, forward mode through the assignment rules) and returned as the values of its
structural non-zeros, `pattern` (row, column), in a fixed order: the solver's sparse elimination reads them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from kg.simulate.model.cse import eliminate
from kg.simulate.model.derive import ONE, derivative
from kg.simulate.model.expr import fmt, symbols, to_python
from kg.simulate.model.ir import SPECIES, Model


@dataclass
class CompiledModel:
    model: Model
    source: str
    code: Any  # the source compiled (a code object: what the cache keeps)
    rhs: Any  # (x, p) -> list of d(state)/dt
    jac: Any  # (x, p) -> values of d(rhs_i)/d(x_j) for (i, j) in pattern
    observe: Any  # (x, p) -> list of rule values then flux rates
    calib: Any  # (x, p) -> values of the calibrated parameters (`calibrated`)
    both: Any  # (x, p) -> (rhs, jac) from one evaluation of the rules (the batched solver's step)
    param_index: dict[str, int]
    state_index: dict[str, int]
    observed: list[str]  # names of observe()'s outputs, in order
    deps: list[frozenset[int]]  # state indices each derivative depends on
    pattern: list[tuple[int, int]]  # the Jacobian's structural non-zeros, in jac()'s order

    @property
    def calibrated(self) -> list[str]:
        """The parameters calib() returns, in its order (the calibration's names, sorted)."""
        return sorted(self.model.calibration)

    def params(self) -> list[float]:
        return [p.value for p in self.model.params.values()]


def generate(model: Model) -> tuple[str, list[frozenset[int]], list[tuple[int, int]]]:
    """The Python source of rhs, jac and observe, the dependencies of each derivative and the Jacobian's
    pattern. Validates the model first."""
    model.validate()
    pidx = {name: i for i, name in enumerate(model.params)}
    sidx = model.state_index()
    volumes = {c.name: c.volume for c in model.compartments.values()}
    used = {volumes[s.compartment] for s in model.states if s.kind == SPECIES}
    for text in [*(r.expr for r in model.rules), *(f.rate for f in model.fluxes), *model.calibration.values()]:
        used |= symbols(text)
    head = [f"    {s.name} = x[{i}]" for i, s in enumerate(model.states) if s.name in used]
    head += [f"    {name} = p[{pidx[name]}]" for name in model.params if name in used]
    body = [f"    {r.name} = {to_python(r.expr)}" for r in model.rules]
    body += [f"    {f.name} = {to_python(f.rate)}" for f in model.fluxes]
    terms: dict[str, list[tuple[float, str]]] = {s.name: [] for s in model.states}
    for f in model.fluxes:
        for s, k in f.stoich:
            terms[s].append((k, f.name))
    derivs = [_combine(terms[s.name], volumes[s.compartment] if s.kind == SPECIES else None, f"0.0 * x[{i}]")
              for i, s in enumerate(model.states)]
    deps, jac_body, pattern, entries = _jacobian(model, sidx, terms, volumes)
    observed = [r.name for r in model.rules] + [f.name for f in model.fluxes]
    calibrated = [to_python(model.calibration[name]) for name in sorted(model.calibration)]
    source = "\n".join([
        "def rhs(x, p):", *head, *body, f"    return [{', '.join(derivs)}]", "",
        "def jac(x, p):", *head, *body, *jac_body, f"    return [{', '.join(entries)}]", "",
        "def observe(x, p):", *head, *body, f"    return [{', '.join(observed)}]", "",
        "def calib(x, p):", *head, *body, f"    return [{', '.join(calibrated)}]", "",
        "def both(x, p):", *head, *eliminate([*body, *jac_body, f"    rhs__ = [{', '.join(derivs)}]",
                                              f"    jac__ = [{', '.join(entries)}]"]),
        "    return rhs__, jac__", ""])
    return source, deps, pattern


def compile_model(model: Model) -> CompiledModel:
    """Validate the model, generate its functions and compile them."""
    source, deps, pattern = generate(model)
    return load_compiled(model, source, deps, pattern, compile(source, f"<model {model.context}>", "exec"))


def load_compiled(model: Model, source: str, deps: list[frozenset[int]], pattern: list[tuple[int, int]],
                  code: Any) -> CompiledModel:
    """A CompiledModel from generated source already compiled to a code object (fresh, or from the cache)."""
    namespace: dict[str, Any] = {}
    exec(code, namespace)  # noqa: S102 - our own generated source
    observed = [r.name for r in model.rules] + [f.name for f in model.fluxes]
    return CompiledModel(model, source, code, namespace["rhs"], namespace["jac"], namespace["observe"],
                         namespace["calib"], namespace["both"], {name: i for i, name in enumerate(model.params)},
                         model.state_index(), observed, deps, pattern)


def _combine(terms: list[tuple[float, str]], volume: str | None, empty: str) -> str:
    """sum(stoich * term) [/ volume]: a state's derivative (or one Jacobian entry) from its flux terms."""
    if not terms:
        return empty
    total = " ".join(f"{'+' if k > 0 else '-'} {fmt(abs(k))} * {t}" for k, t in terms).lstrip("+ ")
    return f"({total}) / {volume}" if volume else f"({total})"


def _jacobian(model: Model, sidx: dict[str, int], terms: dict[str, list[tuple[float, str]]],
              volumes: dict[str, str]) -> tuple[list[frozenset[int]], list[str], list[tuple[int, int]], list[str]]:
    """Forward-mode derivatives through the rules (`d__NAME__j` = d NAME / d x_j), the Jacobian's pattern and
    entries; the pattern is what each derivative reads, so it is also the solver's sparsity."""
    reads: dict[str, set[int]] = {s.name: {i} for s, i in zip(model.states, range(len(model.states)), strict=True)}
    lines: list[str] = []
    nonzero: set[tuple[str, int]] = set()

    def differentiate(name: str, text: str) -> None:
        reads[name] = set().union(*(reads.get(n, set()) for n in symbols(text)))
        for j in sorted(reads[name]):
            d = derivative(text, lambda n, j=j: _wrt(n, j, reads, nonzero, model.states))
            if d is not None:
                lines.append(f"    d__{name}__{j} = {d}")
                nonzero.add((name, j))

    for r in model.rules:
        differentiate(r.name, r.expr)
    for f in model.fluxes:
        differentiate(f.name, f.rate)
    deps: list[frozenset[int]] = []
    pattern: list[tuple[int, int]] = []
    entries: list[str] = []
    for i, s in enumerate(model.states):
        cols = sorted({j for _k, t in terms[s.name] for j in reads[t]})
        deps.append(frozenset(cols))
        for j in cols:
            parts = [(k, f"d__{t}__{j}") for k, t in terms[s.name] if (t, j) in nonzero]
            pattern.append((i, j))
            entries.append(_combine(parts, volumes[s.compartment] if s.kind == SPECIES else None, "0.0"))
    return deps, lines, pattern, entries


def _wrt(name: str, j: int, reads: dict[str, set[int]], nonzero: set[tuple[str, int]], states: list[Any]) -> str | None:
    """d name / d x_j inside a derivative: 1 for x_j itself, the computed d__name__j for a rule or flux that
    depends on it, zero otherwise."""
    if j < len(states) and states[j].name == name:
        return ONE
    return f"d__{name}__{j}" if (name, j) in nonzero else None
