"""Generate schema/context.jsonld and schema/shapes.ttl from schema/kg.yaml, schema/rdf.yaml and kg/models.py.

Both files are committed so that tools can read them without kg; a test demands they equal what this module
generates, so they cannot drift from the schema. Regenerate with `python -m kg.rdf.generate`.
"""

from __future__ import annotations

import json
import typing
from typing import Any

from kg.models import Edge, Entity, Evidence, Kinetics, Parameter, Record, VariantEffect
from kg.paths import schema_dir
from kg.rdf.vocab import Field, vocab
from kg.schema import load_schema

MODELS: dict[str, type[Record]] = {"entity": Entity, "edge": Edge, "evidence": Evidence, "parameter": Parameter,
                                   "kinetics": Kinetics, "variant_effect": VariantEffect}
_SHAPE_NAMES = {"entity": "Entity", "edge": "Association", "evidence": "Evidence", "parameter": "Parameter",
                "kinetics": "Kinetics", "variant_effect": "VariantEffect"}


def _compact(iri: str) -> str:
    """An IRI as a prefixed name where a namespace of rdf.yaml or a schema prefix covers it."""
    best = ""
    for name, ns in vocab().prefixes().items():
        if iri.startswith(ns) and len(ns) > len(vocab().prefixes().get(best, "")):
            best = name
    return f"{best}:{iri[len(vocab().prefixes()[best]):]}" if best else iri


def context() -> dict[str, Any]:
    """The JSON-LD context: every prefix, every field term, and the record classes."""
    v = vocab()
    ctx: dict[str, Any] = dict(sorted(v.prefixes().items()))
    terms: dict[str, Any] = {}
    for kind, fields in v.records.items():
        for f in fields.values():
            spec: dict[str, Any] = {"@id": _compact(f.property)}
            if f.kind in ("iri", "iris", "nodes", "dict", "node"):
                spec["@type"] = "@id"
            elif f.kind == "double":
                spec["@type"] = "xsd:double"
            if f.name in terms and terms[f.name] != spec:
                raise ValueError(f"rdf.yaml: field '{f.name}' of {kind} maps to {spec}, elsewhere to {terms[f.name]}")
            terms[f.name] = spec
            if f.order:
                terms[f"{f.name}_order"] = {"@id": _compact(f.order)}
    terms["position"] = {"@id": _compact(v.derived["position"]), "@type": "xsd:integer"}
    terms["name"] = {"@id": _compact(v.dict_key)}
    for kind, cls in v.classes.items():
        terms[_SHAPE_NAMES.get(kind, kind) if kind != "association" else "Association"] = _compact(cls)
    ctx.update(dict(sorted(terms.items())))
    return {"@context": ctx}


def enumerations() -> dict[tuple[str, str], list[str]]:
    """Allowed values of the enumerated fields, from the schema and the models' Literal types."""
    s = load_schema()
    enums: dict[tuple[str, str], list[str]] = {
        ("entity", "category"): list(s.categories), ("entity", "taxon"): list(s.species),
        ("entity", "compartments"): list(s.compartments), ("entity", "variant_class"): list(s.variant_classes),
        ("edge", "predicate"): list(s.predicates), ("edge", "sign"): list(s.signs),
        ("edge", "mechanism"): list(s.mechanisms), ("evidence", "species"): list(s.species),
        ("variant_effect", "kind"): list(s.variant_effect_kinds),
    }
    for name in ("from_compartment", "to_compartment", "compartment"):
        enums[("edge", name)] = list(s.compartments)
    for kind, model in MODELS.items():
        for name, info in model.model_fields.items():
            args = [a for a in typing.get_args(info.annotation) if a is not type(None)]
            literal = next((a for a in [info.annotation, *args] if typing.get_origin(a) is typing.Literal), None)
            if literal is not None:
                enums[(kind, name)] = list(typing.get_args(literal))
    return enums


def _required(model: type[Record], name: str) -> bool:
    info = model.model_fields[name]
    if info.is_required():
        return True
    default = info.get_default(call_default_factory=True)
    return default not in (None, "", [], {})


def _turtle_list(values: list[str]) -> str:
    return "( " + " ".join(json.dumps(x) for x in values) + " )"


def _property_shape(kind: str, f: Field, enums: dict[tuple[str, str], list[str]]) -> str:
    v = vocab()
    parts = [f"sh:path {_compact(f.property)}"]
    model = MODELS[kind]
    info = model.model_fields[f.name]
    min_count = 1 if _required(model, f.name) else 0
    if f.kind in ("nodes", "iris", "strings") and (info.metadata and any(
            getattr(m, "min_length", None) for m in info.metadata)):
        min_count = max(min_count, 1)
    if min_count:
        parts.append(f"sh:minCount {min_count}")
    if f.kind in ("string", "iri", "double", "node"):
        parts.append("sh:maxCount 1")
    if f.kind in ("string", "strings"):
        parts.append("sh:datatype xsd:string")
    elif f.kind == "double":
        parts.append("sh:datatype xsd:double")
    else:
        parts.append("sh:nodeKind sh:IRI")
    if f.kind in ("nodes", "dict", "node"):
        parts.append(f"sh:class {_compact(v.classes[f.record])}")  # type: ignore[index]
    if (kind, f.name) in enums:
        parts.append(f"sh:in {_turtle_list(enums[(kind, f.name)])}")
    if kind in ("evidence", "parameter") and f.name == "source":
        stems = [load_schema().prefixes[p].uri_prefix for p in load_schema().evidence_prefixes]
        pattern = "^(" + "|".join(stem.replace(".", "\\\\.").replace("?", "\\\\?") for stem in stems) + ")"
        parts.append(f'sh:pattern "{pattern}"')
    if kind == "edge" and f.name in ("subject", "object", "context"):
        parts.append("sh:node kgv:KnownEntityShape")
    return "    sh:property [ " + " ;\n        ".join(parts) + " ]"


def shapes() -> str:
    """SHACL shapes (Turtle) for everything the mapping writes."""
    v = vocab()
    enums = enumerations()
    lines = ["# Generated by `python -m kg.rdf.generate` from schema/kg.yaml, schema/rdf.yaml and kg/models.py.",
             "# Do not edit: a test checks this file equals the generated one.", ""]
    lines += [f"@prefix {name}: <{ns}> ." for name, ns in sorted(v.prefixes().items())]
    lines.append("")
    lines.append("kgv:KnownEntityShape a sh:NodeShape ;\n"
                 "    rdfs:comment \"An IRI that is an entity of the graph.\" ;\n"
                 f"    sh:property [ sh:path {_compact(v.records['entity']['category'].property)} ; sh:minCount 1 ;\n"
                 "        sh:message \"refers to an entity the graph does not define\" ] .")
    lines.append("")
    for kind, fields in v.records.items():
        name = _SHAPE_NAMES[kind]
        if kind == "entity":
            target = f"sh:targetSubjectsOf {_compact(fields['category'].property)}"
        else:
            target = f"sh:targetClass {_compact(v.classes['association' if kind == 'edge' else kind])}"
        props = [_property_shape(kind, f, enums) for f in fields.values()]
        if kind in ("evidence", "variant_effect"):
            props.append(f"    sh:property [ sh:path {_compact(v.derived['position'])} ; sh:minCount 1 ; "
                         "sh:maxCount 1 ;\n        sh:datatype xsd:integer ]")
        if kind == "parameter":
            props.append(f"    sh:property [ sh:path {_compact(v.dict_key)} ; sh:minCount 1 ; sh:maxCount 1 ;\n"
                         "        sh:datatype xsd:string ]")
        if kind == "edge":
            props.append(f"    sh:property [ sh:path {_compact(v.derived['identifier'])} ; sh:minCount 1 ; "
                         "sh:maxCount 1 ;\n        sh:datatype xsd:string ]")
        lines.append(f"kgv:{name}Shape a sh:NodeShape ;\n    {target} ;\n" + " ;\n".join(props) + " .")
        lines.append("")
    return "\n".join(lines)


def context_text() -> str:
    return json.dumps(context(), indent=2, ensure_ascii=False) + "\n"


def main() -> None:
    (schema_dir() / "context.jsonld").write_text(context_text(), encoding="utf-8")
    (schema_dir() / "shapes.ttl").write_text(shapes(), encoding="utf-8")


if __name__ == "__main__":
    main()
