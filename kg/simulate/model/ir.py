"""The compiled model's intermediate representation: one explicit description that every consumer shares.

A Model holds compartments (with volumes), parameters (each a number with unit, basis and provenance), state
variables (a species' concentration in a compartment, uM; or a regulated gene product's amount relative to its
baseline), assignment rules (named expressions, acyclic, in evaluation order) and fluxes (a rate expression in
umol/h and the states it changes, with stoichiometry). Everything the simulator computes is written here in the
expression language of `expr.py`; nothing is decided outside it. `compile.py` turns it into Python, a later
exporter into SBML. For a species state s in compartment c, ds/dt = sum(stoich * rate) / volume(c); for an
amount state, ds/dt = sum(stoich * rate).
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from typing import Any

from kg.errors import KgError
from kg.simulate.model.expr import SYMBOL, symbols

SPECIES, AMOUNT = "species", "amount"


@dataclass
class Param:
    """A named number with its provenance (measured/derived need a source, fitted/assumed a note)."""

    name: str
    value: float
    unit: str
    basis: str
    source: str | None = None
    note: str | None = None
    role: str = ""  # what the simulator may set it to, e.g. "gene.expression", "input", "clamp"; "" = fixed
    entity: str | None = None
    compartment: str | None = None
    low: float | None = None  # the plausible range (a source's, or the basis default: `ranges.py`); None: not
    high: float | None = None  # uncertain (set by a perturbation or the calibration, structural, or 0)
    group: str | None = None  # parameters of one group are one quantity (an edge's value in every compartment)


@dataclass(frozen=True)
class Compartment:
    name: str
    label: str
    entity: str | None  # the cell_system entity that declares it
    volume: str  # parameter name (L)


@dataclass(frozen=True)
class State:
    name: str
    entity: str
    compartment: str
    kind: str  # SPECIES (uM) | AMOUNT (relative to baseline)
    unit: str


@dataclass(frozen=True)
class Rule:
    """An assignment `name = expr`: a gene product's amount, a signal, a multiplier or a deposition index."""

    name: str
    expr: str
    kind: str
    entity: str | None = None
    compartment: str | None = None
    unit: str = ""
    edges: tuple[str, ...] = ()


@dataclass(frozen=True)
class Flux:
    """A rate (umol/h, or amount/h for gene products) and the states it moves."""

    name: str
    rate: str
    stoich: tuple[tuple[str, float], ...]
    kind: str  # reaction | transfer | source | clearance | turnover
    compartment: str
    edges: tuple[str, ...] = ()


@dataclass
class Model:
    context: str
    primary: str  # the compartment unqualified names mean
    compartments: dict[str, Compartment] = field(default_factory=dict)
    params: dict[str, Param] = field(default_factory=dict)
    states: list[State] = field(default_factory=list)
    rules: list[Rule] = field(default_factory=list)
    fluxes: list[Flux] = field(default_factory=list)
    readouts: dict[tuple[str, str], str] = field(default_factory=dict)  # (entity, compartment) -> symbol
    # the baseline calibration: parameter -> expression over states, rules and fluxes, evaluated at the steady
    # state with regulation switched off (reference levels `ref__`, baseline productions `base_prod__`)
    calibration: dict[str, str] = field(default_factory=dict)

    # ---- construction ---------------------------------------------------------------------------------------------
    def param(self, name: str, value: float, unit: str, basis: str, *, source: str | None = None,
              note: str | None = None, role: str = "", entity: str | None = None,
              compartment: str | None = None, low: float | None = None, high: float | None = None,
              group: str | None = None) -> str:
        if name in self.params:
            raise KgError(f"model parameter '{name}' defined twice")
        self.params[name] = Param(name, float(value), unit, basis, source, note, role, entity, compartment, low, high,
                                  group)
        return name

    def state_index(self) -> dict[str, int]:
        return {s.name: i for i, s in enumerate(self.states)}

    def symbol(self, entity: str, compartment: str) -> str | None:
        return self.readouts.get((entity, compartment))

    def compartments_of(self, entity: str) -> list[str]:
        """Compartments where the model holds the entity (primary first, then plasma, then the rest by name)."""
        found = [c for (e, c) in self.readouts if e == entity]
        order = {self.primary: 0, "plasma": 1}
        return sorted(found, key=lambda c: (order.get(c, 2), c))

    @property
    def entities(self) -> set[str]:
        return {e for (e, _c) in self.readouts}

    # ---- checks -----------------------------------------------------------------------------------------------------
    def validate(self) -> None:
        """Every symbol defined once, every expression reads defined symbols, rules acyclic and in order."""
        defined: dict[str, str] = {}
        for kind, names in (("compartment", []), ("parameter", list(self.params)),
                            ("state", [s.name for s in self.states]), ("rule", [r.name for r in self.rules]),
                            ("flux", [f.name for f in self.fluxes])):
            for n in names:
                if not SYMBOL.match(n):
                    raise KgError(f"model {kind} name '{n}' is not a valid symbol")
                if n in defined:
                    raise KgError(f"model symbol '{n}' is both a {defined[n]} and a {kind}")
                defined[n] = kind
        known = set(self.params) | {s.name for s in self.states}
        for rule in self.rules:
            missing = symbols(rule.expr) - known
            if missing:
                later = missing & {r.name for r in self.rules}
                why = "defined later (a cycle among assignment rules)" if later else "undefined"
                raise KgError(f"rule '{rule.name}' reads {sorted(missing)}: {why}")
            known.add(rule.name)
        states = {s.name for s in self.states}
        for f in self.fluxes:
            missing = symbols(f.rate) - known
            if missing:
                raise KgError(f"flux '{f.name}' reads undefined {sorted(missing)}")
            bad = [s for s, _k in f.stoich if s not in states]
            if bad:
                raise KgError(f"flux '{f.name}' changes {bad}, which are not states")
        for c in self.compartments.values():
            if c.volume not in self.params:
                raise KgError(f"compartment '{c.name}' names volume parameter '{c.volume}', which is undefined")
        observed = known | {f.name for f in self.fluxes}
        for name, text in self.calibration.items():
            if name not in self.params:
                raise KgError(f"the calibration sets '{name}', which is not a parameter")
            missing = symbols(text) - observed
            if missing:
                raise KgError(f"the calibration of '{name}' reads undefined {sorted(missing)}")

    # ---- dumps ------------------------------------------------------------------------------------------------------
    def to_json(self) -> dict[str, Any]:
        return {"context": self.context, "primary": self.primary,
                "compartments": [asdict(c) for c in self.compartments.values()],
                "parameters": [asdict(p) for p in self.params.values()],
                "states": [asdict(s) for s in self.states],
                "rules": [asdict(r) for r in self.rules],
                "fluxes": [{**asdict(f), "stoich": dict(f.stoich)} for f in self.fluxes],
                "readouts": [{"entity": e, "compartment": c, "symbol": s}
                             for (e, c), s in sorted(self.readouts.items())],
                "calibration": dict(self.calibration)}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Model:
        """The model `to_json` wrote (the simulator's cache; a round trip is exact)."""
        m = cls(context=data["context"], primary=data["primary"])
        m.compartments = {c["name"]: Compartment(**c) for c in data["compartments"]}
        m.params = {p["name"]: Param(**p) for p in data["parameters"]}
        m.states = [State(**s) for s in data["states"]]
        m.rules = [Rule(**{**r, "edges": tuple(r["edges"])}) for r in data["rules"]]
        m.fluxes = [Flux(**{**f, "stoich": tuple(f["stoich"].items()), "edges": tuple(f["edges"])})
                    for f in data["fluxes"]]
        m.readouts = {(r["entity"], r["compartment"]): r["symbol"] for r in data["readouts"]}
        m.calibration = dict(data.get("calibration", {}))
        return m

    def to_text(self) -> str:
        """A plain listing for debugging: one line per compartment, parameter, state, rule and flux."""
        lines = [f"# model of context {self.context} (primary compartment {self.primary})"]
        lines += [f"compartment {c.name}: {c.label} (volume {c.volume})" for c in self.compartments.values()]
        for p in self.params.values():
            prov = p.source or p.note or ""
            span = f" in [{p.low:g}, {p.high:g}]" if p.low is not None else ""
            lines.append(f"param {p.name} = {p.value:g} {p.unit}{span} [{p.basis}{', ' + p.role if p.role else ''}] "
                         f"{prov}".rstrip())
        lines += [f"state {s.name}: {s.kind} of {s.entity} in {s.compartment} ({s.unit})" for s in self.states]
        lines += [f"rule {r.name} = {r.expr}" for r in self.rules]
        for f in self.fluxes:
            moves = ", ".join(f"{k:+g} {s}" for s, k in f.stoich)
            lines.append(f"flux {f.name} [{f.kind}] = {f.rate} -> {moves}")
        lines += [f"calibrate {name} = {text} (at the baseline, regulation off)"
                  for name, text in self.calibration.items()]
        return "\n".join(lines) + "\n"

    def dumps(self) -> str:
        return json.dumps(self.to_json(), indent=1, sort_keys=True)
