"""Deterministic identifiers, computed the same way by the pydantic records and by the fast dict-based readers."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from typing import Any


def digest(*parts: object, length: int = 16) -> str:
    """A short, stable hex digest of the parts (used for deterministic ids)."""
    text = "\x1f".join("" if p is None else str(p) for p in parts)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:length]


def evidence_id(record: Mapping[str, Any]) -> str:
    """`ev.` + a digest of an evidence record's source, species, system, assay and statement (kg.models.Evidence)."""
    return "ev." + digest(record.get("source"), record.get("species"), record.get("system"), record.get("assay"),
                          record.get("statement"), length=12)
