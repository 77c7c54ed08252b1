"""Rival claims: the other statements a contested or hypothetical edge competes with.

One rule, used by every engine and every view (kg show, the `contested` named query in networkx, SPARQL and
Cypher): a rival of an edge is another edge with the same subject and either the same object (HIF-1α raises
ANKH vs HIF-1α lowers ANKH) or the same predicate (ANKH transports PPi vs ANKH transports ATP). The rule is
structural on purpose: it needs no curator annotation, and the curated rivalries of the literature satisfy it.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import NamedTuple


class Claim(NamedTuple):
    id: str
    subject: str
    predicate: str
    object: str


def is_rival(edge: Claim, other: Claim) -> bool:
    return (other.id != edge.id and other.subject == edge.subject
            and (other.object == edge.object or other.predicate == edge.predicate))


def rivals(edge: Claim, candidates: Iterable[Claim]) -> list[str]:
    """Ids of the edge's rivals among `candidates` (typically the subject's out-edges), sorted."""
    return sorted(c.id for c in candidates if is_rival(edge, c))
