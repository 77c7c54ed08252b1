"""SBGN-ML 0.3, activity flow: what SBGN editors (Newt, SBGN-ED, CellDesigner's importer) open.

Each entity is a `biological activity` carrying a unit of information that names its kind (macromolecule,
simple chemical, ...), a `phenotype` (processes, diseases) or a `perturbation` (drugs, conditions), placed at the
diagram's coordinates inside its compartment glyph. Each edge is a positive, negative or unknown influence arc.
Identifiers go in a MIRIAM `bqbiol:is` annotation; sign, mechanism, status, predicate and publications in a
`kg:edge` extension. The file validates against the SBGN-ML XSD that libsbgnpy ships.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from kg.export.base import Exporter

if TYPE_CHECKING:
    from lxml import etree

    from kg.graph import KnowledgeGraph

SBGN_NS = "http://sbgn.org/libsbgn/0.3"
RDF_NS = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
BQBIOL_NS = "http://biomodels.net/biology-qualifiers/"
KG_NS = "https://w3id.org/kg-mineralization/sbgn"
AF_VERSION = "http://identifiers.org/combine.specifications/sbgn.af.level-1.version-1.2"
UNIT_SIZE = (44.0, 12.0)
UNLOCALISED = "unlocalised"  # the compartment of entities whose place the graph does not state


def _el(parent: etree._Element, tag: str, **attrib: str) -> etree._Element:
    from lxml import etree

    return etree.SubElement(parent, f"{{{SBGN_NS}}}{tag}", {k: v for k, v in attrib.items()})


def _num(value: float) -> str:
    return f"{value:.2f}"


def _bbox(parent: etree._Element, x0: float, y0: float, x1: float, y1: float) -> None:
    _el(parent, "bbox", x=_num(x0), y=_num(y0), w=_num(x1 - x0), h=_num(y1 - y0))


def _identifiers(parent: etree._Element, about: str, iris: list[str]) -> None:
    from lxml import etree

    ext = _el(parent, "extension")
    ann = etree.SubElement(ext, f"{{{SBGN_NS}}}annotation")
    rdf = etree.SubElement(ann, f"{{{RDF_NS}}}RDF", nsmap={"rdf": RDF_NS, "bqbiol": BQBIOL_NS})
    desc = etree.SubElement(rdf, f"{{{RDF_NS}}}Description", {f"{{{RDF_NS}}}about": f"#{about}"})
    bag = etree.SubElement(etree.SubElement(desc, f"{{{BQBIOL_NS}}}is"), f"{{{RDF_NS}}}Bag")
    for iri in iris:
        etree.SubElement(bag, f"{{{RDF_NS}}}li", {f"{{{RDF_NS}}}resource": iri})


def build(graph: KnowledgeGraph, *, layout: str = "auto") -> etree._Element:
    """The SBGN-ML document as an lxml tree."""
    from lxml import etree

    from kg.curie import expand
    from kg.export.layout import positions
    from kg.export.records import evidence_sources
    from kg.export.style import compartment_title, edge_arrow, entity_compartments, glyph_for

    boxes = positions(graph, layout)
    places = entity_compartments(graph)
    root = etree.Element(f"{{{SBGN_NS}}}sbgn", nsmap={None: SBGN_NS, "kg": KG_NS})
    sbgn_map = _el(root, "map", id="map1", language="activity flow", version=AF_VERSION)
    glyph_ids = {ent.id: f"glyph{i}" for i, ent in enumerate(graph.entities)}
    if any(places.values()):  # AF rule af10114: with compartments, every top-level glyph needs one
        places = {k: v or UNLOCALISED for k, v in places.items()}
    comp_ids = {c: f"compartment{i}" for i, c in enumerate(sorted({c for c in places.values() if c}))}
    sources = {e.subject for e in graph.edges}
    pad = 24.0
    for comp, cid in comp_ids.items():
        members = [boxes[e] for e, c in places.items() if c == comp]
        g = _el(sbgn_map, "glyph", id=cid, **{"class": "compartment"})
        _el(g, "label", text="location not stated" if comp == UNLOCALISED else compartment_title(comp))
        _bbox(g, min(b.x0 for b in members) - pad, min(b.y0 for b in members) - pad,
              max(b.x1 for b in members) + pad, max(b.y1 for b in members) + pad)
    for ent in graph.entities:
        glyph = glyph_for(ent.category)
        box, gid = boxes[ent.id], glyph_ids[ent.id]
        sbgn_class, unit_entity = glyph.sbgn, glyph.sbgn_entity
        if ent.id in sources and sbgn_class == "phenotype":  # AF rule af10101: a phenotype is never a source
            sbgn_class, unit_entity = "biological activity", "unspecified entity"
        attrib = {"id": gid, "class": sbgn_class}
        if places[ent.id]:
            attrib["compartmentRef"] = comp_ids[places[ent.id]]
        g = _el(sbgn_map, "glyph", **attrib)
        iris = [expand(c) for c in [ent.id, *ent.xrefs]]
        _identifiers(g, gid, iris)
        _el(g, "label", text=ent.label)
        _bbox(g, box.x0, box.y0, box.x1, box.y1)
        if unit_entity:
            unit = _el(g, "glyph", id=f"{gid}.unit", **{"class": "unit of information"})
            _el(unit, "label", text=ent.category.replace("_", " "))
            _el(unit, "entity", name=unit_entity)
            w, h = UNIT_SIZE
            _bbox(unit, box.x0 + 4, box.y0 - h / 2, box.x0 + 4 + w, box.y0 + h / 2)
    for i, e in enumerate(graph.edges):
        arrow = edge_arrow(e)
        arc = _el(sbgn_map, "arc", id=f"arc{i}", source=glyph_ids[e.subject], target=glyph_ids[e.object],
                  **{"class": arrow.sbgn})
        ext = _el(arc, "extension")
        etree.SubElement(ext, f"{{{KG_NS}}}edge", {
            "id": e.id, "predicate": e.predicate, "sign": e.sign, "mechanism": e.mechanism, "status": e.status,
            "publications": evidence_sources(e)})
        (sx, sy), (tx, ty) = boxes[e.subject].centre, boxes[e.object].centre
        _el(arc, "start", x=_num(sx), y=_num(sy))
        _el(arc, "end", x=_num(tx), y=_num(ty))
    return root


def write(graph: KnowledgeGraph, path: Path, *, layout: str = "auto", **_: Any) -> None:
    from lxml import etree

    data = etree.tostring(build(graph, layout=layout), xml_declaration=True, encoding="UTF-8", pretty_print=True)
    Path(path).write_bytes(data)


EXPORTER = Exporter("sbgn", ".sbgn", "SBGN-ML 0.3 activity flow (validates against the SBGN-ML XSD)", write)
