"""Scoring predictions against observed outcomes: a cases YAML (the format of shared/validation/public-cases.yaml)
in, one row per expectation out, with accuracy over the covered expectations, coverage, and each miss explained.

Format: `readouts:` maps an alias to candidate names (the first the simulator resolves is used, `NAME@COMPARTMENT`
and tissue words included); each case has
`id`, `context`, `perturb` (a list), and any of `expect: {alias: increase|decrease|unchanged}`,
`fold: {alias: [low, high]}`, `compare: {alias: {lower_than|higher_than: [perturbations]}}` (the readout's
perturbed value under `perturb` versus under the other set, same context).

A case may carry `area:` (e.g. vascular, joint; untagged cases are `core`): the summary gives accuracy and
coverage per area and per context besides the totals. `load_cases` reports every problem of a file at once, each
with its case id and line: unknown contexts, compartments and perturbations (given a graph), inverted, negative or
non-finite `fold` ranges, malformed expectations, duplicate ids.

An optional `known_gaps:` list holds cases of the same form, each with a `reason`: published observations the
model does not (yet) reproduce, kept in the file rather than dropped. `kg check` scores only `cases` and reports
the number of known gaps; `known_gap_report` runs them so a test can tell a gap that still misses (skip, with
its reason) from one the model now reproduces (to be moved into `cases`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kg.errors import InputError, KgError, LoadError, LoadErrors

DIRECTIONS = ("increase", "decrease", "unchanged")
COMPARE_KEYS = ("lower_than", "higher_than")
DEFAULT_AREA = "core"
LINE_KEY = "__line__"  # each case remembers its line in the file, for error messages


def _stats(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """Expectations, covered, passed, accuracy (over covered), coverage, cases and cases passed of some rows."""
    covered = [r for r in rows if r["covered"]]
    passed = sum(1 for r in rows if r["ok"])
    cases = {r["case"] for r in rows}
    return {"expectations": len(rows), "covered": len(covered), "passed": passed,
            "accuracy": round(passed / len(covered), 4) if covered else None,
            "coverage": round(len(covered) / len(rows), 4) if rows else None,
            "cases": len(cases), "cases_passed": len(cases - {r["case"] for r in rows if not r["ok"]})}


def _grouped(rows: list[dict[str, Any]], key: str) -> dict[str, dict[str, Any]]:
    groups: dict[str, list[dict[str, Any]]] = {}
    for row in rows:
        groups.setdefault(str(row[key]), []).append(row)
    return {name: _stats(group) for name, group in sorted(groups.items())}


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
        """Totals, then the same figures per area (cases' `area:` tag, `core` when untagged) and per context."""
        return {**_stats(self.rows), "by_area": _grouped(self.rows, "area"),
                "by_context": _grouped(self.rows, "context_name")}

    def to_json(self) -> dict[str, Any]:
        return {"summary": self.summary(), "checks": self.rows}


# ---- reading and checking a cases file ----------------------------------------------------------------------------
def load_cases(path: Path, graph: Any = None, *, skip_unknown: bool = False,
               display: str | None = None) -> dict[str, Any]:
    """Read a cases file and check its shape; with a graph, also that every context and perturbation is known.
    Every problem in the file is reported at once (LoadErrors, exit 2), each with its case id and line.
    `skip_unknown` lets cases that name entities the graph lacks through, to be scored "not covered";
    `display` is the file's name in messages (an uploaded file's own name, not its temporary path)."""
    from kg.safeyaml import load_yaml, strip_lines

    display = display or str(path)
    if not Path(path).is_file():
        raise InputError(f"cases file not found: {path}")
    raw = load_yaml(Path(path), display)
    data, lines = strip_lines(raw)
    if not isinstance(data, dict) or not isinstance(data.get("cases"), list):
        raise LoadError("expected a mapping with a 'cases' list (and optional 'readouts', 'known_gaps')",
                        file=display, line=1, expected="cases: [...]")
    errors: list[LoadError] = []
    for key in ("readouts",):
        if data.get(key) is not None and not isinstance(data[key], dict):
            errors.append(LoadError(f"'{key}' must be a mapping of alias to candidate names", file=display,
                                    line=lines.get((key,), 1), field=key))
    gaps = data.get("known_gaps") or []
    if not isinstance(gaps, list):
        errors.append(LoadError("'known_gaps' must be a list of cases, each with a 'reason'", file=display,
                                line=lines.get(("known_gaps",), 1), field="known_gaps"))
        gaps = []
    seen: dict[str, int] = {}
    for section, cases in (("cases", data["cases"]), ("known_gaps", gaps)):
        for i, case in enumerate(cases):
            line = lines.get((section, i), 1)
            if isinstance(case, dict):
                case[LINE_KEY] = line
            errors.extend(_shape_errors(case, section, i, line, display, seen))
    if graph is not None and not errors:
        errors.extend(_graph_errors(graph, data, display, skip_unknown))
    if errors:
        raise LoadErrors(errors)
    return data


def _case_id(case: Any, i: int) -> str:
    return str(case.get("id", i + 1)) if isinstance(case, dict) else str(i + 1)


def _shape_errors(case: Any, section: str, i: int, line: int, display: str, seen: dict[str, int]) -> list[LoadError]:
    cid = _case_id(case, i)
    what = "known gap" if section == "known_gaps" else "case"

    def err(problem: str, field: str | None = None, expected: str | None = None) -> LoadError:
        return LoadError(f"{what} {cid}: {problem}", file=display, line=line, field=field, expected=expected)

    if not isinstance(case, dict):
        return [err("must be a mapping", expected="id, context, perturb and expect/fold/compare")]
    out = []
    if cid in seen:
        out.append(err(f"id given twice (first at line {seen[cid]})", "id", "a unique id per case"))
    seen.setdefault(cid, line)
    perturb = case.get("perturb")
    if not isinstance(perturb, list) or not perturb or not all(isinstance(p, (str, int, float)) for p in perturb):
        out.append(err("needs 'perturb', a non-empty list of perturbations", "perturb", "[NAME=EFFECT, ...]"))
    if case.get("context") is not None and not isinstance(case["context"], str):
        out.append(err("context must be a name", "context"))
    if case.get("area") is not None and not isinstance(case["area"], str):
        out.append(err("area must be a name", "area"))
    if section == "known_gaps" and not str(case.get("reason") or "").strip():
        out.append(err("needs a 'reason' saying why the model does not reproduce it", "reason"))
    if not any(k in case for k in ("expect", "fold", "compare")):
        out.append(err("needs at least one of 'expect', 'fold', 'compare'"))
    for kind in ("expect", "fold", "compare"):
        if case.get(kind) is not None and not isinstance(case[kind], dict):
            out.append(err(f"'{kind}' must be a mapping of readout alias to what is expected", kind))
    for alias, want in _items(case.get("expect")):
        if want not in DIRECTIONS:
            out.append(err(f"expect.{alias} is '{want}'", f"expect.{alias}", " | ".join(DIRECTIONS)))
    for alias, bounds in _items(case.get("fold")):
        problem = _fold_problem(bounds)
        if problem:
            out.append(err(f"fold.{alias} {problem}", f"fold.{alias}", "[low, high]: finite, 0 <= low <= high"))
    for alias, spec in _items(case.get("compare")):
        other = next(iter(spec.values())) if isinstance(spec, dict) and len(spec) == 1 else None
        if (not isinstance(spec, dict) or len(spec) != 1 or next(iter(spec)) not in COMPARE_KEYS
                or not (isinstance(other, (str, list)) and other)):
            out.append(err(f"compare.{alias} is malformed", f"compare.{alias}",
                           "{lower_than|higher_than: [perturbations]}"))
    return out


def _items(value: Any) -> list[tuple[Any, Any]]:
    return list(value.items()) if isinstance(value, dict) else []


def _fold_problem(bounds: Any) -> str | None:
    if not (isinstance(bounds, list) and len(bounds) == 2
            and all(isinstance(b, (int, float)) and not isinstance(b, bool) for b in bounds)):
        texts = [b for b in (bounds if isinstance(bounds, list) else []) if isinstance(b, str) and _numeric(b)]
        hint = f" (YAML reads {texts[0]} as text: write it with a decimal point, e.g. 1.0e3)" if texts else ""
        return f"must be [low, high] (two numbers){hint}"
    low, high = bounds
    if not (math.isfinite(low) and math.isfinite(high)):
        return f"[{low}, {high}] is not finite"
    if low < 0:
        return f"[{low}, {high}] has a negative low bound (a fold change is never below 0)"
    if low > high:
        return f"[{low}, {high}] is inverted (low above high)"
    return None


def _numeric(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def _graph_errors(graph: Any, data: dict[str, Any], display: str, skip_unknown: bool) -> list[LoadError]:
    """Unknown contexts and perturbations that do not parse against the graph (unknown names, bad effects)."""
    from kg.errors import ResolveError
    from kg.simulate import where as compartments
    from kg.simulate.contexts import resolve_context
    from kg.simulate.perturb import UnknownVariant, parse_all

    out: list[LoadError] = []
    for section in ("cases", "known_gaps"):
        for i, case in enumerate(data.get(section) or []):
            cid, line = _case_id(case, i), case.get(LINE_KEY, 1)
            ctx = None
            try:
                ctx = resolve_context(graph, case.get("context"))
            except InputError as exc:
                out.append(LoadError(f"case {cid}: {exc}", file=display, line=line, field="context"))
            sets = [("perturb", case["perturb"])] + [
                (f"compare.{alias}", next(iter(spec.values()))) for alias, spec in _items(case.get("compare"))]
            for where, perts in sets:
                try:
                    texts = [str(p) for p in (perts if isinstance(perts, list) else [perts])]
                    if ctx is not None:  # NAME@COMPARTMENT: the compartment must be the context's, the name known
                        texts = [compartments.split(t, ctx)[0] for t in texts]
                    parse_all(graph, texts)
                except (ResolveError, UnknownVariant) as exc:
                    if not skip_unknown:
                        out.append(LoadError(f"case {cid}: {exc}", file=display, line=line, field=where,
                                             expected="names the graph knows (or --skip-unknown to score such "
                                                      "cases 'not covered')"))
                except InputError as exc:
                    out.append(LoadError(f"case {cid}: {exc}", file=display, line=line, field=where))
    return out


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
    from kg.simulate.contexts import DEFAULT_CONTEXT

    return {"case": cid, "what": case.get("what"), "area": case.get("area") or DEFAULT_AREA,
            "context": case.get("context"), "context_name": case.get("context") or DEFAULT_CONTEXT,
            "perturb": [str(p) for p in case["perturb"]], "check": kind, "readout": alias, "expected": want,
            "predicted": None if got is None else got["direction"],
            "fold_change": None if got is None else got["fold_change"],
            "covered": covered, "ok": ok, "explanation": why}
