"""KnowledgeGraph -> RDF triples, lossless, with the vocabulary read from the schema.

Each entity is its CURIE's IRI, typed with its Biolink class (and owl:sameAs its NCBI Gene IRI, where it has one).
Each edge is stated twice: a direct triple (subject, Biolink predicate, object) plus the RO predicate where the
schema names one, and an association node (the deterministic edge id under kg's namespace,
https://w3id.org/kg-mineralization/id/edge.<hex>) typed with its Biolink association class and carrying the
Biolink qualifiers, provenance (kg's infores as primary knowledge source) and every kg attribute, its kinetics and
its evidence. Evidence sources are typed `biolink:Publication`, and kg's infores `biolink:InformationResource`.
Child records (evidence, parameters, variant effects) get stable IRIs under their holder, never blank nodes, so
loading the same graph twice gives the same triples (idempotent loads).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from kg.biolink import original_predicate, provenance, statement
from kg.graph import KnowledgeGraph
from kg.models import Edge, Entity, Record, digest
from kg.rdf.terms import RDF_TYPE, Lit, Triple, boolean, double, integer
from kg.rdf.vocab import Field, iri, term, vocab
from kg.schema import load_schema


def entity_base(entity_id: str) -> str:
    """The IRI stem for an entity's child records (kept in kg's namespace, not the identifier's owner's)."""
    return iri(f"KG:ent.{digest(entity_id)}")


def graph_triples(graph: KnowledgeGraph) -> Iterator[Triple]:
    """Every triple of the graph, entities first, then edges, publications and kg's infores, deterministically."""
    category = {}
    for ent in graph.entities:
        category[ent.id] = ent.category
        yield from entity_triples(ent)
    for edge in graph.edges:
        yield from edge_triples(edge, category[edge.subject], category[edge.object])
    yield from publication_triples(graph)
    yield from knowledge_source_triples()


def publication_triples(graph: KnowledgeGraph) -> Iterator[Triple]:
    """Each publication kg cites (evidence and parameter sources), typed biolink:Publication, with its CURIE."""
    v = vocab()
    for source in sorted(_publications(graph)):
        node = iri(source)
        yield node, RDF_TYPE, v.derived["publication"]
        yield node, v.derived["identifier"], Lit(source)


def _publications(graph: KnowledgeGraph) -> set[str]:
    sources: set[str] = set()
    for record in [*graph.entities, *graph.edges]:
        sources.update(ev.source for ev in record.evidence)
        params = dict(getattr(record, "parameters", {}))
        kinetics = getattr(record, "kinetics", None)
        params.update(kinetics.parameters if kinetics else {})
        sources.update(p.source for p in params.values() if p.source)
    return sources


def knowledge_source_triples() -> Iterator[Triple]:
    """kg's own infores, declared: the primary knowledge source every association names."""
    v, declared = vocab(), load_schema().biolink.knowledge_source
    node = iri(declared["id"])
    yield node, RDF_TYPE, v.derived["information_resource"]
    yield node, term("rdfs:label"), Lit(declared["name"])
    yield node, term("dcterms:description"), Lit(declared["description"])


def entity_triples(ent: Entity) -> Iterator[Triple]:
    schema, v = load_schema(), vocab()
    node = iri(ent.id)
    category = schema.categories.get(ent.category)
    if category is not None:
        yield node, RDF_TYPE, term(category.biolink)
    if ent.taxon and schema.species.get(ent.taxon):
        yield node, v.derived["in_taxon"], iri(schema.species[ent.taxon])  # type: ignore[arg-type]
    for xref in ent.xrefs:
        if xref.split(":", 1)[0] in v.same_as_xrefs:
            yield node, v.derived["same_as"], iri(xref)
    yield from record_triples(node, ent, "entity", entity_base(ent.id))


def edge_triples(edge: Edge, subject_category: str, object_category: str) -> Iterator[Triple]:
    schema, v = load_schema(), vocab()
    pred = schema.predicates[edge.predicate]
    said = statement(edge.predicate, subject_category, object_category)
    s, o, node = iri(edge.subject), iri(edge.object), iri(edge.id)
    yield s, term(said.predicate), o
    if pred.ro:
        yield s, term(pred.ro), o
    yield node, RDF_TYPE, v.classes["association"]
    if term(said.association) != v.classes["association"]:
        yield node, RDF_TYPE, term(said.association)
    yield node, v.derived["identifier"], Lit(edge.id)
    yield node, v.derived["biolink_predicate"], term(said.predicate)
    yield node, v.derived["original_predicate"], term(original_predicate(edge.predicate))
    for qualifier, value in said.qualifiers:  # a qualified predicate is a predicate (an IRI); the rest are values
        yield node, term(f"biolink:{qualifier}"), term(value) if qualifier == "qualified_predicate" else Lit(value)
    for slot, value in provenance().items():
        yield node, v.derived[slot], iri(value) if slot == "primary_knowledge_source" else Lit(value)
    if pred.symmetric:
        yield node, v.derived["symmetric"], boolean(True)
    for source in sorted({ev.source for ev in edge.evidence}):
        yield node, v.derived["publications"], iri(source)
    yield from record_triples(node, edge, "edge", node)


def record_triples(node: str, record: Record, kind: str, base: str) -> Iterator[Triple]:
    """The triples of one record's fields, as declared for `kind` in schema/rdf.yaml."""
    fields = vocab().records[kind]
    declared = set(fields) | {"id"}
    missing = set(type(record).model_fields) - declared
    if missing:  # a new model field with no RDF property would be silently lost
        raise ValueError(f"schema/rdf.yaml declares no property for {kind} field(s) {', '.join(sorted(missing))}")
    for f in fields.values():
        value = getattr(record, f.name)
        if value is None or (isinstance(value, (list, dict)) and not value):
            continue
        yield from _field_triples(node, f, value, base)


def _field_triples(node: str, f: Field, value: Any, base: str) -> Iterator[Triple]:
    v = vocab()
    if f.kind == "string":
        yield node, f.property, Lit(str(value))
    elif f.kind == "iri":
        yield node, f.property, iri(value)
    elif f.kind == "double":
        yield node, f.property, double(value)
    elif f.kind in ("strings", "iris"):
        for item in sorted(set(value)):
            yield node, f.property, (iri(item) if f.kind == "iris" else Lit(item))
        if f.order and list(value) != sorted(set(value)):
            yield node, f.order, Lit(json.dumps(list(value), ensure_ascii=False))
    elif f.kind == "nodes":
        used: set[str] = set()
        for position, child in enumerate(value):
            stem = child.id if hasattr(child, "id") else f"{f.name}.{position}"
            child_node, n = f"{base}.{stem}", 1
            while child_node in used:  # the same record twice in one list keeps both copies
                n += 1
                child_node = f"{base}.{stem}-{n}"
            used.add(child_node)
            yield node, f.property, child_node
            yield child_node, RDF_TYPE, v.classes[f.record]  # type: ignore[index]
            yield child_node, v.derived["position"], integer(position)
            if hasattr(child, "id"):
                yield child_node, v.derived["identifier"], Lit(child.id)
            yield from _child_extras(child_node, f.record, child)
            yield from record_triples(child_node, child, f.record, child_node)  # type: ignore[arg-type]
    elif f.kind == "dict":
        for key in sorted(value):
            child_node = f"{base}.{f.name}.{digest(key, length=12)}"
            yield node, f.property, child_node
            yield child_node, RDF_TYPE, v.classes[f.record]  # type: ignore[index]
            yield child_node, v.dict_key, Lit(key)
            yield from record_triples(child_node, value[key], f.record, child_node)  # type: ignore[arg-type]
    elif f.kind == "node":
        child_node = f"{base}.{f.name}"
        yield node, f.property, child_node
        yield child_node, RDF_TYPE, v.classes[f.record]  # type: ignore[index]
        yield from record_triples(child_node, value, f.record, child_node)  # type: ignore[arg-type]
    else:
        raise ValueError(f"schema/rdf.yaml: unknown field kind '{f.kind}' for {f.name}")


def _child_extras(node: str, kind: str | None, child: Any) -> Iterator[Triple]:
    """Derived triples on child records: an evidence record's species as its NCBITaxon IRI."""
    species = load_schema().species
    if kind == "evidence" and child.species and species.get(child.species):
        yield node, vocab().derived["in_taxon"], iri(species[child.species])
