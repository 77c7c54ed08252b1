"""Finding entities by part of a name: what a search box and a completion list need (`kg search`, the web app).

`kg show` resolves one exact name; a search ranks every entity some name of which matches the text: an exact
name first, then names that start with it, then names with a word that starts with it, then names containing it
(names normalised as kg.names does: case, Greek letters and separators do not matter). Variants are found by
their HGVS name and listed with their gene, and the text may name one as a perturbation does (`ANKH:p.P5L`), so
a caller can offer `GENE:VARIANT`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from kg.errors import InputError
from kg.names import normalize

MAX_QUERY = 200
MAX_LIMIT = 200
SEARCH_COLUMNS = ("id", "label", "category", "symbol", "match", "gene", "hgvs")
_WORD = re.compile(r"[\s\-_/(),.]+")


def _names(ent: Mapping[str, Any]) -> Iterable[str]:
    yield ent["id"]
    for key in ("label", "symbol", "hgvs"):
        if ent.get(key):
            yield ent[key]
    yield from ent.get("synonyms") or []
    yield from ent.get("xrefs") or []


def _rank(queries: tuple[str, ...], name: str) -> int | None:
    key = normalize(name)
    if not key:
        return None
    ranks = []
    for query in queries:
        if key == query:
            ranks.append(0)
        elif key.startswith(query):
            ranks.append(1)
        elif any(normalize(word).startswith(query) for word in _WORD.split(name) if word):
            ranks.append(2)
        elif query in key:
            ranks.append(3)
    return min(ranks, default=None)


def search(entities: Mapping[str, Mapping[str, Any]], text: str, *, limit: int = 20,
           category: str | None = None) -> list[dict[str, Any]]:
    """Entities matching `text`, best first (rank, then shorter label, then label, then id): each with the
    name that matched. InputError for an empty or over-long text or a limit out of range."""
    text = (text or "").strip()
    if not text or len(text) > MAX_QUERY:
        raise InputError(f"give a search text of 1 to {MAX_QUERY} characters")
    if not 1 <= limit <= MAX_LIMIT:
        raise InputError(f"limit must be between 1 and {MAX_LIMIT}, not {limit}")
    # `ANKH:p.P5L` is how a perturbation names a variant (GENE:VARIANT), `HGNC:15492` a CURIE: try both readings
    queries = tuple(q for q in dict.fromkeys((normalize(text), normalize(text.replace(":", " ")))) if q)
    if not queries:
        raise InputError(f"'{text}' has nothing to search for (only separators)")
    found = []
    for ent in entities.values():
        if category is not None and ent.get("category") != category:
            continue
        best = min(((r, name) for name in _names(ent) if (r := _rank(queries, name)) is not None), default=None)
        if best is not None:
            found.append((best[0], len(ent["label"]), ent["label"].casefold(), ent["id"], best[1], ent))
    found.sort(key=lambda f: f[:4])
    rows = []
    for _rank_value, _len, _label, _id, matched, ent in found[:limit]:
        row = {"id": ent["id"], "label": ent["label"], "category": ent["category"], "match": matched}
        for key in ("symbol", "gene", "hgvs"):
            if ent.get(key):
                row[key] = ent[key]
        rows.append(row)
    return rows


def contexts(entities: Mapping[str, Mapping[str, Any]]) -> list[dict[str, Any]]:
    """The contexts a prediction can run in (cell systems that declare parameters), by name: what `--context`
    takes."""
    out = []
    for ent in entities.values():
        if ent.get("category") == "cell_system" and ent.get("parameters"):
            name = ent.get("symbol") or ent["id"].split(":", 1)[-1]
            out.append({"name": name, "id": ent["id"], "label": ent["label"]})
    return sorted(out, key=lambda c: c["name"].casefold())
