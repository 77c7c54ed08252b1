"""A lab's measurements as `kg fit` and `kg export petab` read them: a TSV or CSV table with a header row and the
columns `perturbation, readout, value, unit, sd`.

- perturbation: what was done, as `kg predict` writes it (`ENPP1=ko`); several joined by `;`
  (`ENPP1=ko; ENPP1-Fc=2`); empty, `-` or `baseline` for the untreated state.
- readout: a kinetic readout (`PPi`, `PPi@bone`, `serum phosphate`).
- value and sd: the measurement and its standard deviation (sd > 0), in `unit`.
- unit: a concentration (`pM`, `nM`, `uM`/`µM`, `mM`, `M`: converted to the model's uM), `fold` (relative to the
  untreated state of the same readout in the same model), or the readout's own unit (`relative`, `index`).

Every problem is an InputError naming file:line and the column (exit 2): a missing column, a number that is not a
finite number, sd <= 0, an unknown unit, a readout the kinetic model does not hold, a perturbation that does not
parse. Limits: MAX_ROWS rows, the import size limit of kg.safeio.
"""

from __future__ import annotations

import csv
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kg.errors import InputError, KgError, LoadError
from kg.safeio import MAX_SOURCE_BYTES, read_text

COLUMNS = ("perturbation", "readout", "value", "unit", "sd")
MAX_ROWS = 10_000
BASELINE_WORDS = ("", "-", "baseline", "none", "control", "untreated")
CONCENTRATION = {"pm": 1e-6, "nm": 1e-3, "um": 1.0, "µm": 1.0, "μm": 1.0, "mm": 1e3, "m": 1e6}
FOLD = "fold"


@dataclass(frozen=True)
class Observation:
    line: int
    perturbations: tuple[str, ...]
    readout: str
    value: float  # in the model's unit (or a fold)
    sd: float
    unit: str  # as written
    fold: bool

    @property
    def condition(self) -> tuple[str, ...]:
        return self.perturbations


def read(path: Path) -> list[Observation]:
    """The table's observations (units converted), InputError with file:line:column on any problem."""
    display = str(path)
    try:
        text = read_text(Path(path), display, limit=MAX_SOURCE_BYTES, what="observations table")
    except LoadError as exc:
        raise InputError(str(exc)) from None
    dialect = "excel-tab" if "\t" in text.partition("\n")[0] or str(path).endswith((".tsv", ".tab")) else "excel"
    rows = list(csv.reader(text.splitlines(), dialect=dialect))
    if not rows:
        raise InputError(f"{display}:1: empty table; expected a header row with {', '.join(COLUMNS)}")
    header = [h.strip().lower() for h in rows[0]]
    missing = [c for c in COLUMNS if c not in header]
    unknown = [h for h in header if h not in COLUMNS]
    if missing or unknown:
        raise InputError(f"{display}:1: header must name the columns {', '.join(COLUMNS)}"
                         + (f"; missing: {', '.join(missing)}" if missing else "")
                         + (f"; unknown: {', '.join(unknown)}" if unknown else ""))
    if len(rows) - 1 > MAX_ROWS:
        raise InputError(f"{display}: {len(rows) - 1} rows, more than the limit of {MAX_ROWS}")
    index = {c: header.index(c) for c in COLUMNS}
    out = []
    for line, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(header):
            raise InputError(f"{display}:{line}: {len(row)} cells, the header has {len(header)}")
        cell = {c: row[i].strip() for c, i in index.items()}
        out.append(_observation(display, line, cell))
    if not out:
        raise InputError(f"{display}: no observations (only a header)")
    return out


def _observation(display: str, line: int, cell: dict[str, str]) -> Observation:
    where = f"{display}:{line}"
    value, sd = _number(where, "value", cell["value"]), _number(where, "sd", cell["sd"])
    if sd <= 0:
        raise InputError(f"{where}: column 'sd': {cell['sd']} must be above 0 (the measurement's standard deviation)")
    if not cell["readout"]:
        raise InputError(f"{where}: column 'readout' is empty")
    unit = cell["unit"]
    key = unit.lower()
    perts = tuple(p.strip() for p in cell["perturbation"].split(";") if p.strip())
    if len(perts) == 1 and perts[0].lower() in BASELINE_WORDS:
        perts = ()
    if key == FOLD:
        if value <= 0:
            raise InputError(f"{where}: column 'value': a fold must be above 0 (got {cell['value']})")
        return Observation(line, perts, cell["readout"], value, sd, unit, True)
    if key in CONCENTRATION:
        scale = CONCENTRATION[key]
        return Observation(line, perts, cell["readout"], value * scale, sd * scale, unit, False)
    if key in ("relative", "index", "1"):
        return Observation(line, perts, cell["readout"], value, sd, unit, False)
    raise InputError(f"{where}: column 'unit': unknown unit '{unit}'; expected a concentration (pM, nM, uM, mM, M), "
                     f"'fold', or the readout's own unit (relative, index)")


def _number(where: str, column: str, text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise InputError(f"{where}: column '{column}': '{text}' is not a number") from None
    if not math.isfinite(value):
        raise InputError(f"{where}: column '{column}': '{text}' is not a finite number")
    return value


def check(sim: Any, observations: list[Observation], display: str) -> None:
    """Every readout is held by the kinetic model, with the unit the row says; every perturbation parses."""
    seen: set[tuple[str, ...]] = set()
    for obs in observations:
        where = f"{display}:{obs.line}"
        if obs.perturbations not in seen:
            try:
                sim.run(list(obs.perturbations), readouts=[])
            except KgError as exc:
                raise InputError(f"{where}: column 'perturbation': {exc}") from None
            seen.add(obs.perturbations)
        try:
            entity, comp = sim.readout_key(obs.readout)
        except KgError as exc:
            raise InputError(f"{where}: column 'readout': {exc}") from None
        model = sim.model().model
        sym = model.symbol(entity, comp) if comp else None
        if sym is None:
            raise InputError(f"{where}: column 'readout': '{obs.readout}' is not in the kinetic model of context "
                             f"'{sim.ctx.name}'")
        unit = next((s.unit for s in model.states if s.name == sym),
                    next((r.unit for r in model.rules if r.name == sym), None))
        if not obs.fold and unit is not None and ((unit == "uM") != (obs.unit.lower() in CONCENTRATION)):
            raise InputError(f"{where}: column 'unit': '{obs.readout}' is in {unit} in the model; give it in "
                             f"{'a concentration' if unit == 'uM' else unit} or as a fold")


def load(path: Path, sim: Any) -> list[Observation]:
    """The table's observations, checked against the simulator's model (`read`, then `check`)."""
    rows = read(path)
    check(sim, rows, str(path))
    return rows
