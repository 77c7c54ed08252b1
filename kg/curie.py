"""CURIE validation and expansion through one `curies` converter built from the schema's prefix map."""

from __future__ import annotations

import re
from functools import cache, lru_cache
from typing import TYPE_CHECKING

from kg.schema import load_schema

if TYPE_CHECKING:
    import curies


@cache
def converter() -> curies.Converter:
    """The project's prefix map as a `curies.Converter` (records carry the schema's patterns)."""
    import curies

    records = [curies.Record(prefix=p.prefix, uri_prefix=p.uri_prefix, pattern=p.pattern)
               for p in load_schema().prefixes.values()]
    return curies.Converter(records)


@cache
def _patterns() -> dict[str, re.Pattern[str]]:
    """Prefix -> compiled local-id pattern, from the converter's records (every schema prefix has one)."""
    return {record.prefix: re.compile(record.pattern or ".+") for record in converter().records}


@cache
def _bananas() -> dict[str, str]:
    """Prefix -> the registry's prefix inside its local ids (PMC -> "PMC"), for the prefixes that have one."""
    return {p.prefix: p.banana for p in load_schema().prefixes.values() if p.banana}


def normalize_curie(value: str) -> str:
    """The registry's form of a CURIE: `PMC:123456` -> `PMC:PMC123456` (the local id carries its banana)."""
    prefix, sep, local = value.partition(":")
    banana = _bananas().get(prefix) if sep else None
    if banana and not local.startswith(banana):
        return f"{prefix}:{banana}{local}"
    return value


@lru_cache(maxsize=262_144)
def validate_curie(value: str, allowed_prefixes: tuple[str, ...] | None = None) -> str:
    """The CURIE in its registry form if it is well-formed with a known prefix, else ValueError saying why.

    An older form the schema still reads (`PMC:123456`) comes back normalized (`PMC:PMC123456`). Cached: large
    imports repeat the same identifiers many times.
    """
    if not isinstance(value, str) or ":" not in value:
        raise ValueError(f"{value!r} is not a CURIE (expected PREFIX:LOCAL, e.g. HGNC:15492)")
    value = normalize_curie(value)
    prefix, local = value.split(":", 1)
    if prefix not in _patterns():
        known = ", ".join(sorted(_patterns()))
        raise ValueError(f"{value!r} has unknown prefix {prefix!r} (known: {known})")
    if allowed_prefixes and prefix not in allowed_prefixes:
        raise ValueError(f"{value!r} must use one of the prefixes {', '.join(allowed_prefixes)}")
    pattern = _patterns().get(prefix)
    if pattern is not None and not pattern.fullmatch(local):  # fullmatch: "$" alone lets a trailing newline in
        raise ValueError(f"{value!r}: local id {local!r} does not match the {prefix} pattern {pattern.pattern}")
    return value


@cache
def _uri_prefixes() -> dict[str, str]:
    """Prefix -> URI prefix, from the converter's records."""
    return {record.prefix: record.uri_prefix for record in converter().records}


def expand(curie: str) -> str:
    """CURIE -> IRI through the schema's prefix map.

    A plain lookup in the converter's records: `Converter.expand` rebuilds a prefix table on every call, which
    dominated writing the RDF view of large graphs (about 25 µs per identifier).
    """
    prefix, sep, local = curie.partition(":")
    uri_prefix = _uri_prefixes().get(prefix) if sep else None
    if uri_prefix is None:
        raise ValueError(f"'{curie}' has no prefix in schema/kg.yaml (known: {', '.join(sorted(_uri_prefixes()))})")
    return uri_prefix + local


def compress(iri: str) -> str:
    """IRI -> CURIE through the schema's prefix map."""
    return converter().compress(iri, strict=True)
