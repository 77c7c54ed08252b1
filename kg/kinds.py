"""Arguments of the wrong kind: say what a name resolved to, what was expected, and offer entities of the
expected kind ("'CPPD' is calcium pyrophosphate deposition (KG:cpp-deposition), a process; expected a disease;
diseases named like it: chondrocalcinosis 2 (OMIM:118600), ...").

Suggestions come first from the graph (entities of the expected kind linked to the one given: ANKH -> the
diseases it causes), then from names: every label and synonym of the expected kind compared, word by word and
as a whole, with the name given and with the label and synonyms of what it resolved to.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Sequence
from typing import Any

from kg.errors import InputError
from kg.names import normalize

SUGGESTIONS = 5
_WORDS = re.compile(r"[^\W_]+")
_STOP = {"of", "the", "and", "or", "to", "in", "a", "an", "type", "disease", "due"}


def kind_word(category: str, plural: bool = False) -> str:
    """`gene_or_protein` -> "gene or protein" (plural: "genes or proteins")."""
    words = category.split("_or_")
    if not plural:
        return " or ".join(w.replace("_", " ") for w in words)
    return " or ".join(_plural(w.replace("_", " ")) for w in words)


def _plural(noun: str) -> str:
    if noun.endswith(("s", "x", "ch", "sh")):
        return noun + "es"
    return noun[:-1] + "ies" if noun.endswith("y") and noun[-2:-1] not in "aeiou" else noun + "s"


def kinds_text(categories: Sequence[str], plural: bool = False) -> str:
    return " or ".join(kind_word(c, plural) for c in categories)


def _article(word: str) -> str:
    return "an" if word[:1].lower() in "aeiou" else "a"


def _names(entity: Any) -> list[str]:
    return [n for n in (entity.label, entity.symbol, *entity.synonyms) if n]


def _words(text: str) -> set[str]:
    return {normalize(w) for w in _WORDS.findall(text)} - _STOP


def _similarity(queries: list[str], candidate: Any) -> float:
    """How alike the candidate's names are to the queries: whole-name ratio, or shared words (a query word that
    is one of the candidate's words, e.g. CPPD in 'familial CPPD', counts fully)."""
    best = 0.0
    for q in queries:
        qkey, qwords = normalize(q), _words(q)
        for name in _names(candidate):
            ratio = difflib.SequenceMatcher(None, qkey, normalize(name)).ratio()
            words = _words(name)
            shared = len(qwords & words) / len(qwords) if qwords else 0.0
            best = max(best, ratio, shared)
    return best


def linked(graph: Any, entity_id: str, categories: Sequence[str]) -> list[Any]:
    """Entities of the expected kinds one edge away from `entity_id`, sorted by label."""
    ids = set()
    for e in graph.edges:
        if e.subject == entity_id:
            ids.add(e.object)
        elif e.object == entity_id:
            ids.add(e.subject)
    found = [graph.entity(i) for i in ids]
    return sorted((x for x in found if x.category in categories), key=lambda x: (x.label.casefold(), x.id))


def named_like(graph: Any, name: str, entity: Any, categories: Sequence[str],
               exclude: Iterable[str] = ()) -> list[Any]:
    """Entities of the expected kinds whose names resemble `name` or the names of `entity`, best first."""
    queries = [name, *_names(entity)]
    skip = set(exclude)
    scored = []
    for cand in graph.entities:
        if cand.category not in categories or cand.id in skip:
            continue
        score = _similarity(queries, cand)
        if score >= 0.6:
            scored.append((-score, cand.label.casefold(), cand.id, cand))
    return [c for *_, c in sorted(scored)]


def wrong_kind(graph: Any, name: str, entity: Any, categories: Sequence[str], *, where: str = "") -> InputError:
    """The error for `name` resolving to `entity`, whose category is not one of `categories`."""
    got = kind_word(entity.category)
    want = kinds_text(categories)
    msg = (f"{where}'{name}' is {entity.label} ({entity.id}), {_article(got)} {got}; expected "
           f"{_article(want)} {want}")
    near = linked(graph, entity.id, categories)[:SUGGESTIONS]
    similar = named_like(graph, name, entity, categories, exclude=[x.id for x in near])[:SUGGESTIONS]
    if near:
        msg += f"; {kinds_text(categories, plural=True)} linked to it: " + ", ".join(_show(x) for x in near)
    if similar:
        msg += f"; {kinds_text(categories, plural=True)} named like it: " + ", ".join(_show(x) for x in similar)
    if not (near or similar):
        some = sorted((x for x in graph.entities if x.category in categories), key=lambda x: x.label.casefold())
        if some:
            msg += "; for example: " + ", ".join(_show(x) for x in some[:SUGGESTIONS])
    return InputError(msg)


def _show(entity: Any) -> str:
    return f"{entity.label} ({entity.id})"


def require_kind(graph: Any, name: str, categories: Sequence[str], *, where: str = "") -> Any:
    """The entity `name` resolves to, if its category is one of `categories`; the wrong-kind error otherwise."""
    entity = graph.resolve(name)
    if categories and entity.category not in categories:
        raise wrong_kind(graph, name, entity, categories, where=where)
    return entity
