"""Scoring predictions against observed outcomes: a cases YAML (the format of shared/validation/public-cases.yaml)
in, one row per expectation out, with accuracy over the covered expectations, coverage, and each miss explained.

Format: `readouts:` maps an alias to candidate names (the first the graph resolves is used); each case has
`id`, `context`, `perturb` (a list), and any of `expect: {alias: increase|decrease|unchanged}`,
`fold: {alias: [low, high]}`, `compare: {alias: {lower_than|higher_than: [perturbations]}}` (the readout's
perturbed value under `perturb` versus under the other set, same context).

An optional `known_gaps:` list holds cases of the same form, each with a `reason`: published observations the
model does not (yet) reproduce, kept in the file rather than dropped. `kg check` scores only `cases` and reports
the number of known gaps; `known_gap_report` runs them so a test can tell a gap that still misses (skip, with
its reason) from one the model now reproduces (to be moved into `cases`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kg.errors import InputError, KgError

DIRECTIONS = ("increase", "decrease", "unchanged")
COMPARE_KEYS = ("lower_than", "higher_than")


@dataclass
class CheckReport:
    rows: list[dict[str, Any]] = field(default_factory=list)

    @property
    def covered(self) -> list[dict[str, Any]]:
        return [r for r in self.rows if r["covered"]]

    @property
    def passed(self) -> int:
        return sum(1 for r in self.rows if r["ok"])

    @property
    def accuracy(self) -> float | None:
        return self.passed / len(self.covered) if self.covered else None

    @property
    def coverage(self) -> float | None:
        return len(self.covered) / len(self.rows) if self.rows else None

    @property
    def misses(self) -> list[dict[str, Any]]:
        return [r for r in self.rows if r["covered"] and not r["ok"]]

    def summary(self) -> dict[str, Any]:
        return {"expectations": len(self.rows), "covered": len(self.covered), "passed": self.passed,
                "accuracy": None if self.accuracy is None else round(self.accuracy, 4),
                "coverage": None if self.coverage is None else round(self.coverage, 4),
                "cases": len({r["case"] for r in self.rows}),
                "cases_passed": len({r["case"] for r in self.rows} - {r["case"] for r in self.rows if not r["ok"]})}

    def to_json(self) -> dict[str, Any]:
        return {"summary": self.summary(), "checks": self.rows}


def load_cases(path: Path) -> dict[str, Any]:
    """Read and shape-check a cases file; InputError (exit 2) naming the problem."""
    import yaml

    try:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputError(f"cases file not found: {path}") from None
    except yaml.YAMLError as exc:
        raise InputError(f"{path}: not valid YAML: {exc}") from None
    if not isinstance(data, dict) or not isinstance(data.get("cases"), list):
        raise InputError(f"{path}: expected a mapping with a 'cases' list (and optional 'readouts', 'known_gaps')")
    gaps = data.get("known_gaps") or []
    if not isinstance(gaps, list):
        raise InputError(f"{path}: 'known_gaps' must be a list of cases, each with a 'reason'")
    for i, case in enumerate(gaps):
        if not isinstance(case, dict) or not str(case.get("reason") or "").strip():
            raise InputError(f"{path}: known gap {case.get('id', i + 1) if isinstance(case, dict) else i + 1}: "
                             f"needs a 'reason' saying why the model does not reproduce it")
    for i, case in enumerate([*data["cases"], *gaps]):
        where = f"{path}: case {case.get('id', i + 1) if isinstance(case, dict) else i + 1}"
        if not isinstance(case, dict) or not isinstance(case.get("perturb"), list) or not case["perturb"]:
            raise InputError(f"{where}: needs 'perturb', a non-empty list of perturbations")
        if not any(k in case for k in ("expect", "fold", "compare")):
            raise InputError(f"{where}: needs at least one of 'expect', 'fold', 'compare'")
        for alias, want in (case.get("expect") or {}).items():
            if want not in DIRECTIONS:
                raise InputError(f"{where}: expect.{alias} is '{want}'; expected one of {', '.join(DIRECTIONS)}")
        for alias, bounds in (case.get("fold") or {}).items():
            if not (isinstance(bounds, list) and len(bounds) == 2 and all(isinstance(b, (int, float)) for b in bounds)):
                raise InputError(f"{where}: fold.{alias} must be [low, high]")
        for alias, spec in (case.get("compare") or {}).items():
            if not (isinstance(spec, dict) and len(spec) == 1 and next(iter(spec)) in COMPARE_KEYS):
                raise InputError(f"{where}: compare.{alias} must be {{lower_than|higher_than: [perturbations]}}")
    return data


def _resolve_readout(graph: Any, alias: str, table: dict[str, list[str]], sim: Any) -> str | None:
    """The first candidate name the simulator resolves (`NAME@COMPARTMENT` and tissue words included)."""
    from kg.errors import ResolveError

    for name in [*(table.get(alias) or []), alias]:
        try:
            sim.readout_key(str(name))
        except (ResolveError, InputError):
            continue
        return str(name)
    return None


def check(graph: Any, data: dict[str, Any], hypotheses: list[str] = ()) -> CheckReport:
    """Run every case through `Simulator.run` (the same path as `kg predict`) and score it."""
    from kg.simulate.predict import Simulator

    report = CheckReport()
    table = data.get("readouts") or {}
    sims: dict[str | None, Simulator] = {}
    for case in data["cases"]:
        cid = str(case.get("id", len(report.rows) + 1))
        ctx = case.get("context")
        expectations = ([("expect", a, w) for a, w in (case.get("expect") or {}).items()]
                        + [("fold", a, w) for a, w in (case.get("fold") or {}).items()]
                        + [("compare", a, w) for a, w in (case.get("compare") or {}).items()])
        try:
            if ctx not in sims:
                sims[ctx] = Simulator(graph, ctx, hypotheses)
            sims[ctx].run([str(p) for p in case["perturb"]], readouts=[])  # surfaces a bad perturbation once
        except KgError as exc:
            for kind, alias, want in expectations:
                report.rows.append(_row(cid, case, kind, alias, want, None, False, False, f"not run: {exc}"))
            continue
        for kind, alias, want in expectations:
            name = _resolve_readout(graph, alias, table, sims[ctx])
            if name is None:
                report.rows.append(_row(cid, case, kind, alias, want, None, False, False,
                                        f"readout '{alias}' is not in the graph"))
                continue
            got = sims[ctx].run([str(p) for p in case["perturb"]], readouts=[name]).readouts[0]
            report.rows.append(_score(cid, case, kind, alias, want, got, sims[ctx]))
    return report


def known_gap_report(graph: Any, data: dict[str, Any], hypotheses: list[str] = ()) -> CheckReport:
    """Score the `known_gaps` cases exactly as `check` scores `cases`."""
    return check(graph, {"readouts": data.get("readouts") or {}, "cases": data.get("known_gaps") or []}, hypotheses)


def _score(cid: str, case: dict, kind: str, alias: str, want: Any, got: dict, sim: Any) -> dict[str, Any]:
    why = f"predicted {got['direction']}"
    if got["fold_change"] is not None:
        why += f" (fold {got['fold_change']:.3g})"
    why += f" by the {got['layer']} layer: {got['explanation']['summary']}"
    if kind == "expect":
        return _row(cid, case, kind, alias, want, got, True, got["direction"] == want, why)
    if kind == "fold":
        low, high = want
        if got["fold_change"] is None:
            return _row(cid, case, kind, alias, want, got, False, False, f"no magnitude for {alias}: {why}")
        return _row(cid, case, kind, alias, want, got, True, low <= got["fold_change"] <= high, why)
    relation, other = next(iter(want.items()))
    other = [str(p) for p in (other if isinstance(other, list) else [other])]
    try:
        key = got["id"] if got.get("compartment") is None else f"{got['id']}@{got['compartment']}"
        other_pred = sim.run(other, readouts=[key]).readouts[0]
    except KgError as exc:
        return _row(cid, case, kind, alias, want, got, False, False, f"comparison not run: {exc}")
    a, b = got["perturbed"], other_pred["perturbed"]
    if a is None or b is None:
        return _row(cid, case, kind, alias, want, got, False, False, f"no value to compare for {alias}")
    ok = a < b if relation == "lower_than" else a > b
    return _row(cid, case, kind, alias, want, got, True, ok,
                f"{alias} {a:.4g} {got['unit']} under {case['perturb']} vs {b:.4g} under {other}")


def _row(cid: str, case: dict, kind: str, alias: str, want: Any, got: dict | None, covered: bool, ok: bool,
         why: str) -> dict[str, Any]:
    return {"case": cid, "what": case.get("what"), "context": case.get("context"),
            "perturb": [str(p) for p in case["perturb"]], "check": kind, "readout": alias, "expected": want,
            "predicted": None if got is None else got["direction"],
            "fold_change": None if got is None else got["fold_change"],
            "covered": covered, "ok": ok, "explanation": why}
