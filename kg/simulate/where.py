"""Compartment-qualified names: `NAME@COMPARTMENT` (`PPi@bone`, `Pi@plasma`), and the tissue words researchers
use ("serum phosphate", "urinary phosphate", "arterial calcification", "bone mineralization").

Resolution of a name in a context: an explicit `@COMPARTMENT` (a compartment's name, label or synonym); else
the name as the graph resolves it, in the context's primary compartment if the model holds it there, else in
plasma, else in the one compartment that holds it; else a leading tissue word ("serum", "urinary", "arterial",
"synovial", ...: a synonym of a compartment) followed by a name ("phosphate", "calcification"). A name the model
holds nowhere is a signed-layer readout (compartment None).
"""

from __future__ import annotations

from typing import Any

from kg.errors import InputError, ResolveError


def split(text: str, ctx: Any) -> tuple[str, str | None]:
    """(`NAME`, compartment) from `NAME@COMPARTMENT`; InputError for an unknown compartment."""
    head, eq, effect = text.rpartition("=") if "=" in text else (text, "", "")
    name, at, where = head.rpartition("@")
    if not at or not name.strip():
        return text.strip(), None
    comp = ctx.compartment(where)
    if comp is None:
        known = ", ".join(sorted(s.name for s in ctx.sites))
        raise InputError(f"unknown compartment '{where.strip()}' in '{text}'; context '{ctx.name}' has: {known}")
    return f"{name.strip()}{eq}{effect}", comp


def resolve(graph: Any, text: str, ctx: Any, held: Any) -> tuple[str, str | None]:
    """(entity id, compartment or None) a readout name means; `held(entity)` lists the compartments where the
    model holds the entity, preferred first. ResolveError if nothing matches; InputError if a compartment is
    named (`@COMPARTMENT` or a tissue word) where the model does not hold the entity."""
    name, comp = split(text, ctx)
    if "=" in name and "=" not in text.rpartition("@")[0]:
        name = name.partition("=")[0]
    try:
        ent = graph.resolve(name)
    except ResolveError:
        words = name.split(None, 1)
        where = ctx.compartment(words[0]) if len(words) == 2 else None
        if where is None or comp is not None:
            raise
        ent, comp = graph.resolve(words[1]), where
    places = held(ent.id)
    if comp is None:
        return ent.id, places[0] if places else None
    if not places:
        raise InputError(f"'{text.strip()}': {ent.label} is not in the kinetic model, so it has no compartment "
                         f"(a signed-layer readout: name it without '{comp}')")
    if comp not in places:
        raise InputError(f"'{text.strip()}': the model holds {ent.label} in {', '.join(places)}, not in {comp}")
    return ent.id, comp
