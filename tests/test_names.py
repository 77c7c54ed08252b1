"""Name resolution: case-insensitive, Greek letters included, CURIEs and xrefs, ambiguity never guessed."""

import pytest

from kg.errors import ResolveError
from kg.graph import KnowledgeGraph
from kg.models import Entity
from kg.names import normalize


def test_normalize_spells_out_greek_and_ignores_case_and_separators():
    assert normalize("TGF-β1") == normalize("TGF-beta1") == normalize("tgf beta 1") == "tgfbeta1"
    assert normalize("HIF-1α") == normalize("HIF-1alpha") == "hif1alpha"
    assert normalize("Ca²⁺") == normalize("Ca2+") == "ca2+"
    assert normalize("NF-κB") == normalize("NF-kappaB")


@pytest.fixture()
def graph():
    return KnowledgeGraph([
        Entity(id="HGNC:11766", category="gene_or_protein", label="TGF-β1", symbol="TGFB1",
               synonyms=["TGF-beta1", "transforming growth factor beta 1"], xrefs=["UniProtKB:P01137"]),
        Entity(id="HGNC:438", category="gene_or_protein", label="ALPL", symbol="ALPL", synonyms=["TNAP"]),
        Entity(id="CHEBI:29888", category="small_molecule", label="PPi", synonyms=["pyrophosphate"],
               xrefs=["CHEBI:18361"]),
        Entity(id="HGNC:15492", category="gene_or_protein", label="ANKH", symbol="ANKH", synonyms=["ANK"]),
        Entity(id="KG:ANKH-p.P5L", category="sequence_variant", label="ANKH p.P5L", gene="HGNC:15492",
               synonyms=["p.P5L", "ANKH"]),
        Entity(id="KG:a", category="process", label="alpha process", synonyms=["shared"]),
        Entity(id="KG:b", category="process", label="beta process", synonyms=["shared"]),
    ])


@pytest.mark.parametrize("name", ["TGF-β1", "TGF-beta1", "tgfb1", "TGFB1", "HGNC:11766", "hgnc:11766",
                                  "UniProtKB:P01137", "Transforming growth factor BETA 1"])
def test_every_name_of_tgfb1_is_one_entity(graph, name):
    assert graph.resolve(name).id == "HGNC:11766"


@pytest.mark.parametrize(("name", "expected"), [
    ("TNAP", "HGNC:438"), ("alpl", "HGNC:438"), ("PPi", "CHEBI:29888"), ("pyrophosphate", "CHEBI:29888"),
    ("CHEBI:18361", "CHEBI:29888"), ("CHEBI:29888", "CHEBI:29888"),
])
def test_synonyms_and_xrefs_resolve(graph, name, expected):
    assert graph.resolve(name).id == expected


def test_a_gene_symbol_beats_a_variant_listing_it_as_synonym(graph):
    assert graph.resolve("ANKH").id == "HGNC:15492"


def test_ambiguous_names_are_an_error_listing_the_candidates(graph):
    with pytest.raises(ResolveError, match=r"ambiguous name 'shared'.*KG:a.*KG:b"):
        graph.resolve("shared")


def test_unknown_names_suggest_close_matches(graph):
    with pytest.raises(ResolveError, match=r"unknown entity 'ANHK'; did you mean: .*ANKH") as info:
        graph.resolve("ANHK")
    assert info.value.exit_code == 2
