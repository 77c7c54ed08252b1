"""The pydantic records: identifiers, schema vocabulary, deterministic ids, parameter provenance."""

import pytest
from pydantic import ValidationError

from kg.models import Edge, Entity, Evidence, Parameter

EV = [{"source": "PMID:32639996"}]


def test_evidence_source_must_be_a_publication():
    with pytest.raises(ValidationError, match="must use one of the prefixes PMID, DOI, PMC"):
        Evidence(source="HGNC:15492")
    assert Evidence(source="DOI:10.1186/ar2330").source == "DOI:10.1186/ar2330"


@pytest.mark.parametrize(("curie", "message"), [
    ("HGNC:ANKH", "does not match the HGNC pattern"),
    ("FOO:1", "unknown prefix 'FOO'"),
    ("ANKH", "is not a CURIE"),
    ("CHEBI:abc", "does not match the CHEBI pattern"),
])
def test_malformed_curies_are_rejected_with_the_reason(curie, message):
    with pytest.raises(ValidationError, match=message):
        Entity(id=curie, category="gene_or_protein", label="x")


def test_unknown_category_and_predicate_name_the_known_ones():
    with pytest.raises(ValidationError, match=r"unknown category 'enzyme'.*gene_or_protein"):
        Entity(id="HGNC:15492", category="enzyme", label="ANKH")
    with pytest.raises(ValidationError, match=r"unknown predicate 'activates_strongly'.*transports"):
        Edge(subject="HGNC:1", predicate="activates_strongly", object="HGNC:2", evidence=EV)


def test_sign_and_mechanism_come_from_the_schema_and_contradictions_fail():
    e = Edge(subject="HGNC:11766", predicate="increases_expression_of", object="HGNC:15492", evidence=EV)
    assert (e.sign, e.mechanism, e.sign_value) == ("positive", "expression_regulation", 1)
    with pytest.raises(ValidationError, match="contradicts predicate"):
        Edge(subject="HGNC:1", predicate="consumes", object="CHEBI:1", sign="positive", evidence=EV)


def test_an_interaction_needs_evidence():
    with pytest.raises(ValidationError, match="at least 1 item"):
        Edge(subject="HGNC:1", predicate="binds", object="HGNC:2", evidence=[])


def test_edge_ids_are_deterministic_and_depend_on_mechanism_qualifiers_and_context():
    kw = {"subject": "HGNC:15492", "predicate": "transports", "object": "CHEBI:15422", "evidence": EV}
    a = Edge(**kw, from_compartment="intracellular", to_compartment="extracellular")
    b = Edge(**kw, from_compartment="intracellular", to_compartment="extracellular")
    c = Edge(**kw, from_compartment="extracellular", to_compartment="intracellular")
    d = Edge(**kw, from_compartment="intracellular", to_compartment="extracellular", context="KG:hek293")
    assert a.id == b.id and a.id.startswith("KG:edge.")
    assert len({a.id, c.id, d.id}) == 3


def test_evidence_does_not_change_the_edge_id():
    kw = {"subject": "HGNC:1", "predicate": "binds", "object": "HGNC:2"}
    assert Edge(**kw, evidence=EV).id == Edge(**kw, evidence=[{"source": "PMID:1"}]).id


def test_symmetric_predicates_are_stored_in_id_order():
    ab = Edge(subject="HGNC:15492", predicate="binds", object="HGNC:10946", evidence=EV)
    ba = Edge(subject="HGNC:10946", predicate="binds", object="HGNC:15492", evidence=EV)
    assert ab.id == ba.id and ab.subject == "HGNC:10946"


def test_a_stated_id_must_match_the_content():
    with pytest.raises(ValidationError, match="is not the deterministic id"):
        Edge(id="KG:edge.0000", subject="HGNC:1", predicate="binds", object="HGNC:2", evidence=EV)


def test_parameters_say_where_their_numbers_come_from():
    with pytest.raises(ValidationError, match="needs a source"):
        Parameter(value=3.5, unit="uM")
    with pytest.raises(ValidationError, match="needs a note"):
        Parameter(value=3.5, unit="uM", basis="fitted")
    assert Parameter(value=3.5, unit="uM", source="PMID:4324072").basis == "measured"


def test_variants_name_their_gene_and_a_known_class():
    with pytest.raises(ValidationError, match="needs 'gene'"):
        Entity(id="KG:ANKH-p.P5L", category="sequence_variant", label="ANKH p.P5L")
    with pytest.raises(ValidationError, match="unknown variant class"):
        Entity(id="KG:ANKH-p.P5L", category="sequence_variant", label="x", gene="HGNC:15492",
               variant_class="super")


def test_unknown_compartment_and_species_are_rejected():
    with pytest.raises(ValidationError, match="unknown compartment 'outside'"):
        Edge(subject="HGNC:1", predicate="transports", object="CHEBI:1", to_compartment="outside", evidence=EV)
    with pytest.raises(ValidationError, match="unknown species 'martian'"):
        Evidence(source="PMID:1", species="martian")


def test_trusted_context_skips_identifier_checks_only_for_kg_own_builds():
    data = {"id": "HGNC:notanumber", "category": "gene_or_protein", "label": "x"}
    assert Entity.model_validate(data, context={"trusted": True}).id == "HGNC:notanumber"
    with pytest.raises(ValidationError):
        Entity.model_validate(data)
