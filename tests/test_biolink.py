"""Every edge and entity of the graph, as KGX states it, is valid Biolink 4 by the model's own tools (offline):
bmt's validate_edge and validate_qualifier, the association class's induced subject and object ranges, and the
model's pydantic classes (slot values, enumerations, required provenance)."""

from __future__ import annotations

import pytest

from kg.biolink import statement
from kg.export.kgx import KG_COLUMN, edge_row, node_row
from kg.schema import load_schema
from tests.standards import toolkit

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def tk():
    return toolkit()


@pytest.fixture(scope="module")
def biolink_classes():
    from biolink_model.datamodel import pydanticmodel_v2

    return pydanticmodel_v2


def _biolink_part(row: dict) -> dict:
    return {k: v for k, v in row.items() if not k.startswith(KG_COLUMN)}


def _class_name(curie: str) -> str:
    return curie.removeprefix("biolink:")


def _in_range(tk, category: str, slot_range: str | None) -> bool:
    """The Biolink class `category` (a CURIE) is the range or a descendant of it (mixins included)."""
    if not slot_range:
        return True
    ancestors = {tk.get_element(a).name for a in tk.get_ancestors(category, mixin=True)}
    return slot_range in ancestors or slot_range in ("named thing", "entity")


def test_every_category_is_a_current_biolink_class(tk):
    for category in load_schema().categories.values():
        element = tk.get_element(category.biolink)
        assert element is not None and tk.is_category(category.biolink), category
        assert not element.deprecated, category


def test_every_edge_passes_validate_edge_and_its_association_class(tk, biolink_classes, curated_graph):
    schema = load_schema()
    category = {e.id: e.category for e in curated_graph.entities}
    for edge in curated_graph.edges:
        s_cat, o_cat = category[edge.subject], category[edge.object]
        s_cls, o_cls = schema.categories[s_cat].biolink, schema.categories[o_cat].biolink
        said = statement(edge.predicate, s_cat, o_cat)
        assert tk.validate_edge(s_cls, said.predicate, o_cls), (edge.id, s_cls, said.predicate, o_cls)
        assert not tk.get_element(said.predicate).deprecated, said.predicate
        for qualifier, value in said.qualifiers:
            if qualifier == "qualified_predicate":
                assert tk.is_predicate(value), value
            else:
                assert tk.validate_qualifier(qualifier, value), (edge.id, qualifier, value)
        cls = tk.get_element(said.association)
        assert "association" in tk.get_ancestors(cls.name) and not cls.deprecated, said.association
        assert _in_range(tk, s_cls, tk.view.induced_slot("subject", cls.name).range), (edge.id, cls.name)
        assert _in_range(tk, o_cls, tk.view.induced_slot("object", cls.name).range), (edge.id, cls.name)
        row = _biolink_part(edge_row(edge, s_cat, o_cat))
        getattr(biolink_classes, _class_name(said.association))(**row)  # raises on a value the class refuses


def test_every_entity_is_a_valid_instance_of_its_class(biolink_classes, curated_graph):
    for ent in curated_graph.entities:
        row = _biolink_part(node_row(ent))
        cls = _class_name(row["category"][0])
        getattr(biolink_classes, cls)(**row)


def test_regulates_is_widened_where_biolink_domain_is_narrower(tk):
    """The schema's narrow-predicate table matches Biolink's domain and range for every kg category."""
    schema = load_schema()
    for biolink, narrow in schema.biolink.narrow_predicates.items():
        domain = set(tk.get_slot_domain(biolink, include_ancestors=True, mixin=True, formatted=True))
        for name, category in schema.categories.items():
            admitted = name in narrow["categories"]
            ancestors = set(tk.get_ancestors(category.biolink, mixin=True, formatted=True))
            assert admitted == bool(domain & ancestors), (biolink, name)
