"""The Biolink Model view of kg's records, read from schema/kg.yaml: one place for KGX and RDF to ask.

An edge's Biolink predicate depends on its categories where Biolink's domain and range are narrower than kg's
(an environmental exposure cannot `regulate`; it `affects`), and its reified association class on its predicate
and categories. Tests check every edge of the graph against the `biolink-model` package (bmt and the model's own
pydantic classes), so this module needs neither at run time.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from kg.schema import load_schema

# kg's own vocabulary (schema/rdf.yaml `kgv`): the prefix of an edge's `original_predicate` CURIE
VOCAB_PREFIX = "kgv"


@dataclass(frozen=True)
class BiolinkStatement:
    """How one kg edge reads in Biolink: predicate, qualifiers (qualified predicate, aspect, direction), class.

    Qualifiers are stated only where the association class admits them (see schema/kg.yaml `biolink`)."""

    predicate: str
    qualifiers: tuple[tuple[str, str], ...]
    association: str


@cache
def statement(predicate: str, subject_category: str, object_category: str) -> BiolinkStatement:
    """The Biolink statement of a kg edge with this predicate between entities of these categories."""
    schema = load_schema()
    pred = schema.predicate(predicate)
    biolink = pred.biolink
    narrow = schema.biolink.narrow_predicates.get(biolink)
    if narrow and not {subject_category, object_category} <= set(narrow["categories"]):
        biolink = narrow["otherwise"]
    association = next((rule.cls for rule in schema.biolink.associations
                        if rule.matches(biolink, subject_category, object_category)), None)
    if association is None:  # the generic class admits no qualifiers
        return BiolinkStatement(biolink, (), schema.biolink.default_association)
    return BiolinkStatement(biolink, tuple(sorted(pred.biolink_qualifiers.items())), association)


def knowledge_source() -> str:
    """kg's own infores id: the primary knowledge source of every edge."""
    return load_schema().biolink.knowledge_source["id"]


def provenance() -> dict[str, str]:
    """The Biolink provenance slots every kg edge carries (primary source, knowledge level, agent type)."""
    mapping = load_schema().biolink
    return {"primary_knowledge_source": knowledge_source(), "knowledge_level": mapping.knowledge_level,
            "agent_type": mapping.agent_type}


def taxon_curie(species: str | None) -> str | None:
    """A species name of the schema (human, mouse, ...) as its NCBITaxon CURIE; None where it has none."""
    return load_schema().species.get(species) if species else None


@cache
def species_for_taxon() -> dict[str, str]:
    """NCBITaxon CURIE -> the schema's species name (the inverse of `taxon_curie`)."""
    return {curie: name for name, curie in load_schema().species.items() if curie}


def original_predicate(predicate: str) -> str:
    """kg's predicate as a CURIE in kg's vocabulary (Biolink's `original_predicate`)."""
    return f"{VOCAB_PREFIX}:{predicate}"


def kg_predicate(original: str) -> str:
    """The inverse of `original_predicate`."""
    return original.removeprefix(f"{VOCAB_PREFIX}:")
