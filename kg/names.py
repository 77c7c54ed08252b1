"""Name resolution: ids, symbols, labels and synonyms to one entity, case-insensitively, Greek letters included.

`TGF-β1`, `TGF-beta1`, `tgf beta 1` and `TGFB1` normalise to keys that all point at HGNC:11766; a CURIE or an
xref resolves to its entity too. Ambiguity is an error, never a guess.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Callable, Iterable
from functools import lru_cache
from typing import Any

from kg.errors import ResolveError

GREEK = {
    "α": "alpha", "β": "beta", "γ": "gamma", "δ": "delta", "ε": "epsilon", "ζ": "zeta", "η": "eta",
    "θ": "theta", "ι": "iota", "κ": "kappa", "λ": "lambda", "μ": "mu", "ν": "nu", "ξ": "xi", "π": "pi",
    "ρ": "rho", "σ": "sigma", "ς": "sigma", "τ": "tau", "υ": "upsilon", "φ": "phi", "χ": "chi", "ψ": "psi",
    "ω": "omega",
}
_SEPARATORS = re.compile(r"[\s\-_.,'′\"()/]+")


@lru_cache(maxsize=262_144)
def normalize(name: str) -> str:
    """A matching key: NFKC (so Ca²⁺ is Ca2+), case-folded, Greek letters spelt out, separators dropped."""
    text = unicodedata.normalize("NFKC", name).casefold()
    text = "".join(GREEK.get(ch, ch) for ch in text)
    return _SEPARATORS.sub("", text)


class NameIndex:
    """Maps normalised names to entity ids. Built once per graph; cheap to query."""

    def __init__(self) -> None:
        self._keys: dict[str, set[str]] = {}
        self._display: dict[str, str] = {}

    def add(self, entity_id: str, names: Iterable[str | None]) -> None:
        for name in names:
            if not name:
                continue
            key = normalize(name)
            if not key:
                continue
            self._keys.setdefault(key, set()).add(entity_id)
            self._display.setdefault(key, name)
        # the CURIE itself matches exactly, case-insensitively
        self._keys.setdefault(entity_id.casefold(), set()).add(entity_id)

    def lookup(self, name: str) -> list[str]:
        """All entity ids the name could mean (exact id match first), sorted."""
        exact = self._keys.get(name.strip().casefold())
        if exact and ":" in name:
            return sorted(exact)
        return sorted(self._keys.get(normalize(name), set()))

    def suggest(self, name: str, limit: int = 5) -> list[str]:
        """Close matches for an unknown name, shown as the names curators wrote."""
        close = difflib.get_close_matches(normalize(name), list(self._keys), n=limit, cutoff=0.6)
        return [self._display.get(k, k) for k in close]

    def resolve(self, name: str, describe: Callable[[str], tuple[str, str | None]]) -> str:
        """The one entity id `name` means. `describe(id)` gives (label, symbol) to break ties.

        A name shared by several entities resolves only if it is exactly one of them's id, label or symbol
        (e.g. "ANKH" is the gene, even though a variant lists it as a synonym); otherwise ResolveError.
        """
        ids = self.lookup(name)
        if len(ids) == 1:
            return ids[0]
        if not ids:
            raise ResolveError(name, self.suggest(name))
        wanted = name.strip().casefold()
        preferred = [i for i in ids if wanted in {i.casefold(), *(
            (v or "").casefold() for v in describe(i))}]
        if len(preferred) == 1:
            return preferred[0]
        raise ResolveError(name, ambiguous=[f"{i} ({describe(i)[0]})" for i in ids])


class ResolvesNames:
    """`names` and `resolve(name)` for a graph whose `_entities` maps ids to records with label, symbol,
    synonyms, xrefs and hgvs (KnowledgeGraph, and the CLI's LiteGraph over a build's JSON)."""

    _entities: dict[str, Any]
    _names: NameIndex | None = None

    @property
    def names(self) -> NameIndex:
        if self._names is None:
            index = NameIndex()
            for ent in self._entities.values():
                index.add(ent.id, [ent.label, ent.symbol, *ent.synonyms, *ent.xrefs, ent.hgvs])
            self._names = index
        return self._names

    def resolve(self, name: str) -> Any:
        """The one entity a name, symbol, synonym, CURIE or xref means; ResolveError otherwise."""
        return self._entities[self.names.resolve(name, self._describe)]

    def _describe(self, entity_id: str) -> tuple[str, str | None]:
        ent = self._entities[entity_id]
        return ent.label, ent.symbol
