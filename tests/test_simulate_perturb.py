"""Perturbation parsing: every accepted form and every bad-input path (InputError, exit code 2)."""

from __future__ import annotations

import pytest

from kg.errors import InputError
from kg.simulate.perturb import parse, parse_all
from tests.test_simulate_graphs import ANKH, PPI, kinetic_graph


@pytest.fixture(scope="module")
def g():
    return kinetic_graph()


@pytest.mark.parametrize(("text", "entity", "effect", "value"), [
    ("ANKH=ko", ANKH, "ko", None), ("ankh=LOF", ANKH, "lof", None), ("ANKH=gof", ANKH, "gof", None),
    ("ANKH=down", ANKH, "down", None), ("ANKH", ANKH, "up", None), ("pyrophosphate=up", PPI, "up", None),
    ("HGNC:15492=0.5", ANKH, "number", 0.5), ("CHEBI:18361", PPI, "up", None), (" ANKH = 2 ", ANKH, "number", 2.0),
])
def test_name_effect_forms(g, text, entity, effect, value):
    p = parse(g, text)
    assert (p.entity, p.effect, p.value) == (entity, effect, value)


def test_gene_variant_forms(g):
    p = parse(g, "ANKH:p.G1X")
    assert (p.entity, p.gene, p.effect, p.overexpressed) == ("KG:ANKH-gof", ANKH, "variant", False)
    assert parse(g, "ANKH:G1X=up").overexpressed
    assert parse(g, "KG:ANKH-dead").entity == "KG:ANKH-dead"  # the variant's own id


@pytest.mark.parametrize(("text", "message"), [
    ("NOPE=ko", "unknown entity 'NOPE'"),
    ("ANKX=ko", "did you mean: ANKH"),
    ("ANKH=sideways", "malformed effect 'sideways'"),
    ("ANKH=-1", "malformed effect '-1'"),
    ("ANKH=nan", "malformed effect 'nan'"),
    ("ANKH=", "malformed effect ''"),
    ("=up", "nothing before '='"),
    ("", "empty perturbation"),
    ("ANKH:p.99Q", "malformed HGVS 'p.99Q' for ANKH at character 3 ('99Q')"),
    ("ANKH:p.99Q", "catalogued variants of ANKH: p.D2X; p.G1X"),
    ("NOPE:p.P5L", "unknown entity 'NOPE'"),
    ("ANKH:p.G1X=ko", "a variant takes no effect, or '=up'"),
])
def test_bad_input_is_an_input_error_with_a_clear_message(g, text, message):
    with pytest.raises(InputError) as exc:
        parse(g, text)
    assert message in str(exc.value)
    assert exc.value.exit_code == 2


def test_the_same_entity_twice_is_refused(g):
    with pytest.raises(InputError, match="perturb the same entity"):
        parse_all(g, ["ANKH=ko", "HGNC:15492=up"])
