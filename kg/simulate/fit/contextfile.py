"""Calibrated contexts: the file `kg fit -o my_context.yaml` writes and `kg predict --context my_context.yaml`
reads.

```yaml
kg_calibrated_context: 1             # the format's version
context: plasma                       # the context it calibrates: its model, with these parameters set
label: plasma calibrated to obs.tsv
source: obs.tsv                       # what it was fitted to
parameters:                           # the model's quantities (a group by its name), as Parameter records
  k__ENPP1__ATP__plasma: {value: 41.2, unit: 1/h, basis: fitted, low: 30.5, high: 55.6, note: "..."}
```

A parameter's `low` and `high` are its 95% confidence interval, so an ensemble over the calibrated context draws
within what the data allow. Applying it sets the values (every member of a group) and ranges on a copy of the
context's model and calibrates that model's baseline again; the build's model cache is never written with it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kg.errors import InputError

VERSION = 1
SUFFIXES = (".yaml", ".yml")


@dataclass
class Calibration:
    path: Path
    context: str
    label: str
    parameters: dict[str, dict[str, Any]]

    def apply(self, kin: Any) -> Any:
        """A new KineticRun: the model with these parameters, its baseline calibrated again."""
        from kg.simulate.model.ir import Model
        from kg.simulate.model.ranges import factors
        from kg.simulate.solve.baseline import calibrate
        from kg.simulate.solve.run import KineticRun

        model = Model.from_json(kin.model.to_json())
        groups = {q.name: q.params for q in factors(model)}
        for name, rec in self.parameters.items():
            members = groups.get(name) or ((name,) if name in model.params else None)
            if members is None:
                raise InputError(f"{self.path}: parameter '{name}' is not an uncertain quantity of context "
                                 f"'{self.context}'s model (was the file fitted to another build?)")
            for member in members:
                p = model.params[member]
                p.value, p.basis, p.note = float(rec["value"]), "fitted", rec.get("note")
                p.low, p.high = rec.get("low"), rec.get("high")
        cm, base_x, lu = calibrate(model)
        return KineticRun(cm, base_x, lu)


def is_file(context: str | None) -> bool:
    return bool(context) and str(context).lower().endswith(SUFFIXES)


def read(path: Path) -> Calibration:
    """A calibrated-context file; InputError naming the file, line and field on any problem."""
    from kg.errors import LoadError
    from kg.safeyaml import load_yaml, strip_lines

    try:
        data, lines = strip_lines(load_yaml(Path(path), str(path)))
    except LoadError as exc:
        raise InputError(str(exc)) from None

    def at(*field: str) -> str:
        line = lines.get(tuple(field)) or lines.get(tuple(field[:1])) or 1
        return f"{path}:{line}: {'.'.join(field)}"

    if not isinstance(data, dict) or data.get("kg_calibrated_context") != VERSION:
        raise InputError(f"{path}: not a calibrated context (expected 'kg_calibrated_context: {VERSION}', as kg fit "
                         f"writes)")
    context, params = data.get("context"), data.get("parameters")
    if not isinstance(context, str) or not isinstance(params, dict) or not params:
        raise InputError(f"{path}: needs 'context' (a context name) and 'parameters' (a mapping)")
    for name, rec in params.items():
        value = rec.get("value") if isinstance(rec, dict) else None
        if not isinstance(value, (int, float)) or not math.isfinite(value):
            raise InputError(f"{at('parameters', name)}: needs a finite 'value'")
        low, high = rec.get("low"), rec.get("high")
        if (low is None) != (high is None) or (low is not None and not low <= value <= high):
            raise InputError(f"{at('parameters', name)}: 'low' and 'high' must both be given and hold the value")
    return Calibration(Path(path), context, str(data.get("label") or context), params)


def write(path: Path, context: str, source: str, result: Any) -> None:
    """The calibrated context of a fit (every free quantity, identifiable or not, each saying which)."""
    import yaml

    from kg.export.base import write_atomically

    params = {}
    for e in result.estimates:
        params[e.name] = {"value": e.value, "unit": e.unit, "basis": "fitted", "low": e.low, "high": e.high,
                          "note": f"kg fit to {source}: 95% interval [{e.low:.4g}, {e.high:.4g}] (was {e.start:.4g}, "
                                  f"{e.basis}); {e.why}"}
    data = {"kg_calibrated_context": VERSION, "context": context, "label": f"{context} calibrated to {source}",
            "source": source, "goodness_of_fit": {"chi2": round(result.chi2, 6), "dof": result.dof},
            "parameters": params}
    text = yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=120)
    write_atomically(Path(path), lambda staged: staged.write_text(text, encoding="utf-8"))
