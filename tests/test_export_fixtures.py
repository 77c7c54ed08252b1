"""A hand-built core pathway with one entity of every drawn glyph and every arrow kind (export tests)."""

from __future__ import annotations

from kg.graph import KnowledgeGraph
from kg.models import Edge, Entity, Evidence


def ev(source: str = "PMID:32639996", **kw: object) -> Evidence:
    return Evidence(source=source, **kw)


def core_graph() -> KnowledgeGraph:
    ents = [
        Entity(id="HGNC:15492", category="gene_or_protein", label="ANKH", symbol="ANKH", synonyms=["ANK"],
               xrefs=["UniProtKB:Q9HCJ1"], compartments=["plasma_membrane"]),
        Entity(id="HGNC:3356", category="gene_or_protein", label="ENPP1", symbol="ENPP1"),
        Entity(id="HGNC:438", category="gene_or_protein", label="TNAP", symbol="ALPL"),
        Entity(id="HGNC:11766", category="gene_or_protein", label="TGF-β1", symbol="TGFB1"),
        Entity(id="HGNC:4910", category="gene_or_protein", label="HIF-1α", symbol="HIF1A"),
        Entity(id="HGNC:20474", category="gene_or_protein", label="MYBBP1A", symbol="MYBBP1A"),
        Entity(id="CHEBI:15422", category="small_molecule", label="ATP", compartments=["intracellular",
                                                                                       "extracellular"]),
        Entity(id="CHEBI:16027", category="small_molecule", label="AMP"),
        Entity(id="CHEBI:29888", category="small_molecule", label="PPi", synonyms=["pyrophosphate"]),
        Entity(id="CHEBI:18367", category="small_molecule", label="Pi"),
        Entity(id="KG:hydroxyapatite", category="mineral", label="hydroxyapatite"),
        Entity(id="KG:HA_deposition", category="process", label="hydroxyapatite deposition"),
        Entity(id="MONDO:0100091", category="disease", label="pseudoxanthoma elasticum"),
        Entity(id="KG:levamisole", category="drug", label="levamisole"),
        Entity(id="KG:hypoxia", category="condition", label="hypoxia"),
    ]
    cat = {"substrates": ["CHEBI:15422"], "products": ["CHEBI:16027", "CHEBI:29888"],
           "compartment": "extracellular"}
    edges = [
        Edge(subject="HGNC:15492", predicate="transports", object="CHEBI:15422", from_compartment="intracellular",
             to_compartment="extracellular", evidence=[ev(species="human", system="HEK293")]),
        Edge(subject="HGNC:15492", predicate="transports", object="CHEBI:29888", from_compartment="intracellular",
             to_compartment="extracellular", status="contested", claim="ANKH exports PPi itself",
             evidence=[ev("PMID:10894769", status="contested")]),
        Edge(subject="HGNC:3356", predicate="consumes", object="CHEBI:15422", **cat,
             evidence=[ev("DOI:10.1038/ng1221")]),
        Edge(subject="HGNC:3356", predicate="produces", object="CHEBI:29888", **cat,
             evidence=[ev("DOI:10.1038/ng1221")]),
        Edge(subject="HGNC:3356", predicate="produces", object="CHEBI:16027", **cat,
             evidence=[ev("DOI:10.1038/ng1221")]),
        Edge(subject="HGNC:438", predicate="consumes", object="CHEBI:29888", substrates=["CHEBI:29888"],
             products=["CHEBI:18367"], compartment="extracellular", evidence=[ev("PMID:6315937")]),
        Edge(subject="HGNC:438", predicate="produces", object="CHEBI:18367", substrates=["CHEBI:29888"],
             products=["CHEBI:18367"], compartment="extracellular", evidence=[ev("PMID:6315937")]),
        Edge(subject="CHEBI:29888", predicate="inhibits_formation_of", object="KG:HA_deposition",
             evidence=[ev("PMID:6315937")]),
        Edge(subject="CHEBI:18367", predicate="promotes_formation_of", object="KG:HA_deposition",
             evidence=[ev("PMID:6315937")]),
        Edge(subject="KG:HA_deposition", predicate="promotes_formation_of", object="KG:hydroxyapatite",
             evidence=[ev("PMID:6315937")]),
        Edge(subject="HGNC:11766", predicate="increases_expression_of", object="HGNC:15492",
             evidence=[ev("DOI:10.1186/ar2330", species="rat")]),
        Edge(subject="KG:hypoxia", predicate="decreases_expression_of", object="HGNC:15492",
             evidence=[ev("PMID:20601283")]),
        Edge(subject="HGNC:4910", predicate="positively_regulates", object="HGNC:15492", status="hypothesis",
             evidence=[ev("PMID:20601283")]),
        Edge(subject="HGNC:15492", predicate="binds", object="HGNC:20474", evidence=[ev("PMID:32366894")]),
        Edge(subject="KG:levamisole", predicate="inhibits", object="HGNC:438", evidence=[ev("PMID:15039209")]),
        Edge(subject="HGNC:3356", predicate="causes", object="MONDO:0100091", evidence=[ev("PMID:15039209")]),
    ]
    return KnowledgeGraph(ents, edges)
