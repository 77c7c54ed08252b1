"""The RDF vocabulary, read from schema/kg.yaml and schema/rdf.yaml, and CURIE <-> IRI conversion for RDF.

IRIs cannot hold some characters a CURIE's local part may (DOIs may contain `<`, `>` or `"`), so those are
percent-encoded on the way out and decoded on the way back; `%` itself is encoded so the mapping is reversible.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any
from urllib.parse import quote, unquote

from kg.curie import compress, expand
from kg.paths import schema_dir
from kg.schema import _read_yaml, load_schema

# Characters kept as they are in an IRI's local part: those RFC 3987 allows anywhere in a path. `%` is absent
# (so decoding is exact), and so are `?`, `#`, `[` and `]`, which would start a query or fragment or are invalid.
_SAFE = "!$&'()*+,;=:@/-._~"


@dataclass(frozen=True)
class Field:
    """How one model field is carried: its property IRI, kind, and (lists) the order property."""

    name: str
    property: str
    kind: str
    order: str | None = None
    record: str | None = None


@dataclass(frozen=True)
class RdfVocab:
    namespaces: dict[str, str]
    store_folder: str
    classes: dict[str, str]
    derived: dict[str, str]
    records: dict[str, dict[str, Field]]
    dict_key: str
    same_as_xrefs: tuple[str, ...] = ()
    named_graph: str = ""

    def prefixes(self) -> dict[str, str]:
        """Every prefix a query or a serialisation may use: the schema's prefix map plus the RDF namespaces."""
        return {**{p.prefix: p.uri_prefix for p in load_schema().prefixes.values()}, **self.namespaces}


def _expand_name(name: str, namespaces: dict[str, str]) -> str:
    """`kgv:sign` or `biolink:Gene` to a full IRI."""
    prefix, local = name.split(":", 1)
    if prefix in namespaces:
        return namespaces[prefix] + local
    return expand(name)


@cache
def vocab() -> RdfVocab:
    raw: dict[str, Any] = _read_yaml(schema_dir() / "rdf.yaml")
    ns = dict(raw["namespaces"])
    records = {
        rec: {name: Field(name=name, property=_expand_name(spec["property"], ns), kind=spec["kind"],
                          order=_expand_name(spec["order"], ns) if spec.get("order") else None,
                          record=spec.get("record"))
              for name, spec in fields.items()}
        for rec, fields in raw["records"].items()
    }
    return RdfVocab(
        namespaces=ns,
        store_folder=raw["store"]["folder"],
        classes={k: _expand_name(v, ns) for k, v in raw["classes"].items()},
        derived={k: _expand_name(v, ns) for k, v in raw["derived"].items()},
        records=records,
        dict_key=_expand_name(raw["dict_key"], ns),
        same_as_xrefs=tuple(raw.get("same_as_xrefs", ())),
        named_graph=raw["store"]["named_graph"],
    )


def term(name: str) -> str:
    """A prefixed name from the schema (`biolink:Gene`, `kgv:sign`, `RO:0002213`) as a full IRI."""
    return _expand_name(name, vocab().namespaces)


@cache
def _iri_cached(curie: str) -> str:
    prefix, local = curie.split(":", 1)
    return expand(f"{prefix}:{quote(local, safe=_SAFE)}")


def iri(curie: str) -> str:
    """The IRI of a CURIE (percent-encoding characters an IRI may not hold)."""
    return _iri_cached(curie)


def curie(iri_value: str) -> str:
    """The CURIE of an IRI written by `iri` (or any IRI under a known prefix); ValueError otherwise."""
    try:
        compact = compress(iri_value)
    except ValueError as exc:  # curies' CompressionError
        raise ValueError(f"IRI <{iri_value}> is not under any prefix in schema/kg.yaml") from exc
    prefix, local = compact.split(":", 1)
    return f"{prefix}:{unquote(local)}"
