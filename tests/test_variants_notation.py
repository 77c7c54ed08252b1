"""kg.variants.notation: HGVS read with the hgvs package's parser; equivalent spellings meet under one key; a
malformed change says where the parser stopped; plain predictions never import the parser."""

from __future__ import annotations

import subprocess
import sys

import pytest

from kg.errors import InputError
from kg.variants.notation import parse_change, residues


@pytest.mark.parametrize(("spellings", "key"), [
    (["p.Arg187Gln", "p.R187Q", "p.(Arg187Gln)", "ENSP00000284268.6:p.Arg187Gln", "NP_473368.1:p.(R187Q)"],
     "p.Arg187Gln"),
    (["p.Ser375fs", "p.Ser375LeufsTer5", "p.S375Lfs*5", "p.(Ser375fs)"], "p.Ser375fs"),
    (["p.Trp23*", "p.Trp23Ter", "p.W23*"], "p.Trp23Ter"),
    (["c.1015delC", "c.1015del", "NM_054027.6:c.1015delC"], "c.1015del"),
    (["p.Phe377del", "p.F377del"], "p.Phe377del"),
    (["p.0"], "p.0"),
    (["p.(=)", "p.="], "p.="),
])
def test_equivalent_spellings_share_one_key(spellings, key):
    assert {parse_change(s).key for s in spellings} == {key}


def test_the_accession_is_kept_and_the_type_read():
    change = parse_change("NM_054027.6:c.-11C>T")
    assert (change.kind, change.accession, change.key) == ("c", "NM_054027.6", "c.-11C>T")
    assert parse_change("c.-11C>T").accession is None


def test_a_legacy_x_is_read_as_a_stop_and_said_so():
    change = parse_change("p.R187X")
    assert change.legacy_stop and change.key == "p.Arg187Ter"
    assert not parse_change("p.Arg187Xaa").legacy_stop  # Xaa is any amino acid, not a stop


def test_residues_of_a_protein_change():
    assert residues(parse_change("p.Leu244_Ser246del")) == (244, 246)
    assert residues(parse_change("p.Arg187Gln")) == (187, 187)
    assert residues(parse_change("c.14C>T")) is None


@pytest.mark.parametrize(("text", "message"), [
    ("p.99Q", "at character 3 ('99Q'): expected one of '(', '0', '=', '?', 'Ala'"),
    ("c.76A>", "unexpected end of input (the change is incomplete)"),
    ("187Q", "an HGVS change starts with its type and a dot"),
    ("q.12A>G", "at character 1 ('q.12A>G'): expected one of 'c', 'g', 'm', 'n', 'p', or 'r'"),
    ("p.Arg187", "unexpected end of input"),
    ("", "empty variant for ANKH"),
])
def test_malformed_hgvs_says_which_part_is_wrong(text, message):
    with pytest.raises(InputError) as exc:
        parse_change(text, "ANKH")
    assert message in str(exc.value)
    assert exc.value.exit_code == 2
    if text:
        assert f"malformed HGVS '{text}' for ANKH" in str(exc.value)


def test_plain_predictions_and_catalogued_variants_do_not_import_the_parser(tmp_path):
    """hgvs costs ~0.1 s to import (and cyvcf2 numpy); `kg predict ENPP1=ko` and a catalogued variant need neither."""
    code = (
        "import sys\n"
        "from tests.test_simulate_graphs import kinetic_graph\n"
        "from kg.simulate.predict import predict\n"
        "g = kinetic_graph()\n"
        "predict(g, ['ENPP1=ko'], 'KG:ctx')\n"
        "predict(g, ['ANKH:p.G1X/+'], 'KG:ctx')\n"
        "assert 'hgvs' not in sys.modules and 'cyvcf2' not in sys.modules\n"
        "predict(g, ['ANKH:p.Gly1Arg'], 'KG:ctx')\n"
        "assert 'hgvs.parser' in sys.modules\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=str(
        __import__("pathlib").Path(__file__).resolve().parents[1]))
    assert result.returncode == 0, result.stderr
