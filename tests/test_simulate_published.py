"""Every published case in tests/validation/published-cases.yaml, one test each, through kg.simulate.check (the
code behind `kg check`): each covered expectation must pass. Known gaps are reported as skips with their reason,
and a known gap that starts to pass fails, so that it moves into `cases`."""

from __future__ import annotations

from pathlib import Path

import pytest

from kg.simulate.check import check, known_gap_report, load_cases

CASES_FILE = Path(__file__).resolve().parent / "validation" / "published-cases.yaml"
DATA = load_cases(CASES_FILE)
CASES = DATA["cases"]
GAPS = DATA.get("known_gaps") or []


def _one(case: dict) -> dict:
    return {"readouts": DATA.get("readouts") or {}, "cases": [case]}


def _failures(report) -> list[str]:
    return [f"{r['case']} {r['readout']} {r['check']} {r['expected']}: {r['explanation']}"
            for r in report.rows if not r["ok"]]


def test_the_file_has_cases_and_unique_ids():
    ids = [str(c["id"]) for c in [*CASES, *GAPS]]
    assert len(CASES) >= 29 and len(ids) == len(set(ids))
    assert all(c.get("source") for c in [*CASES, *GAPS]), "every case names its source"


@pytest.mark.parametrize("case", CASES, ids=[str(c["id"]) for c in CASES])
def test_published_case(curated_graph, case):
    report = check(curated_graph, _one(case))
    assert report.rows, f"case {case['id']} has no expectations"
    assert all(r["covered"] for r in report.rows), _failures(report)
    failing = _failures(report)
    assert not failing, "\n".join(failing)


@pytest.mark.parametrize("case", GAPS, ids=[str(c["id"]) for c in GAPS])
def test_known_gap(curated_graph, case):
    report = known_gap_report(curated_graph, {"readouts": DATA.get("readouts") or {}, "known_gaps": [case]})
    assert report.rows, f"known gap {case['id']} has no expectations"
    if report.misses or not all(r["covered"] for r in report.rows):
        pytest.skip(f"known gap {case['id']}: {' '.join(case['reason'].split())} "
                    f"[now: {'; '.join(_failures(report))}]")
    pytest.fail(f"known gap {case['id']} now passes: move it from known_gaps into cases")
