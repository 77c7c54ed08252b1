"""The consequence class of a parsed HGVS change, read from the change itself (no sequence database): the
Sequence Ontology term VEP and SnpEff would give, and the protein residues it touches where the change says so.

c. changes are placed by their coordinates: -N is the 5' UTR, *N the 3' UTR, an intronic offset of 1-2 is the
canonical splice site and 3-8 the splice region, codon 1 is the start; a deletion from the 5' UTR to the 3' UTR
removes the transcript. A c. substitution inside the coding sequence cannot be told apart (missense, synonymous
or nonsense) without the sequence, and says so.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from kg.variants.notation import Change, edit_kind, residues

SPLICE_CANONICAL = 2  # intronic offsets +1/+2 and -1/-2
SPLICE_REGION = 8  # offsets 3..8: the splice region (VEP's definition)


@dataclass(frozen=True)
class Consequence:
    term: str  # a consequence in schema/variants.yaml
    first: int | None = None  # first protein residue touched (p., or a c. coding change)
    last: int | None = None
    notes: tuple[str, ...] = field(default_factory=tuple)


def classify(change: Change) -> Consequence:
    """The consequence class of one change."""
    if change.kind == "p":
        return _protein(change)
    if change.kind == "c":
        return _coding(change)
    return Consequence("unplaced_variant", notes=(f"{change.kind}. coordinates are not placed on the protein",))


# ---- p. ------------------------------------------------------------------------------------------------------------
def _protein(change: Change) -> Consequence:
    pe = change.posedit
    if pe is None:
        return Consequence("protein_unknown")
    if pe.pos is None:  # p.0 (no protein), p.= (no change)
        text = str(pe.edit)
        return Consequence("synonymous_variant" if text == "=" else "transcript_ablation")
    first, last = residues(change) or (None, None)
    kind, edit = edit_kind(change), pe.edit
    start_aa = pe.pos.start.aa
    notes = ("'X' read as a stop codon (legacy notation; HGVS writes '*' or 'Ter')",) if change.legacy_stop else ()
    if kind == "AASub":
        if edit.alt in ("*",) or change.legacy_stop:
            return Consequence("stop_gained", first, last, notes)
        if first == 1 and start_aa == "M":
            return Consequence("start_lost", first, last)
        if edit.alt == "?":
            return Consequence("protein_unknown", first, last)
        if edit.alt == start_aa:
            return Consequence("synonymous_variant", first, last)
        return Consequence("missense_variant", first, last)
    if kind == "AAFs":
        return Consequence("frameshift_variant", first, last)
    if kind == "AAExt":
        return Consequence("stop_lost" if start_aa == "*" else "start_extension", first, last)
    if kind == "Dup":
        return Consequence("inframe_insertion", first, last)
    if kind == "AARefAlt":
        if edit.type == "identity":
            return Consequence("synonymous_variant", first, last)
        if first == 1 and start_aa == "M" and edit.type in ("del", "delins"):
            return Consequence("start_lost", first, last)
        if edit.alt and "*" in edit.alt:
            return Consequence("stop_gained", first, last)
        return Consequence({"del": "inframe_deletion", "ins": "inframe_insertion"}.get(edit.type,
                                                                                       "protein_altering_variant"),
                           first, last)
    return Consequence("protein_unknown", first, last, (f"protein edit '{edit}' is not classified",))


# ---- c. ------------------------------------------------------------------------------------------------------------
def _coding(change: Change) -> Consequence:
    pe = change.posedit
    start, end = pe.pos.start, pe.pos.end or pe.pos.start
    edit = pe.edit
    etype = getattr(edit, "type", "")
    if etype == "identity":
        return Consequence("synonymous_variant")
    if _utr5(start) and _utr3(end) and etype in ("del", "delins"):
        return Consequence("transcript_ablation")
    offsets = [p.offset for p in (start, end) if p.offset]
    if offsets:
        if any(abs(o) <= SPLICE_CANONICAL for o in offsets):
            donor = any(0 < o <= SPLICE_CANONICAL for o in offsets)
            return Consequence("splice_donor_variant" if donor else "splice_acceptor_variant")
        if any(abs(o) <= SPLICE_REGION for o in offsets):
            return Consequence("splice_region_variant")
        return Consequence("intron_variant")
    if _utr5(start) and _utr5(end):
        return Consequence("5_prime_UTR_variant")
    if _utr3(start) and _utr3(end):
        return Consequence("3_prime_UTR_variant")
    first = _codon(start) if _cds(start) else 1
    last = _codon(end) if _cds(end) else None
    if first == 1 and _touches_start(start, end):
        return Consequence("start_lost", 1, last)
    if _cds(start) and _utr3(end):
        return Consequence("stop_lost", first, last, ("the change reaches into the 3' UTR",))
    length = _net_length(edit, start, end, etype)
    if length is None:
        return Consequence("coding_sequence_variant", first, last)
    if length % 3:
        return Consequence("frameshift_variant", first, last)
    return Consequence({"del": "inframe_deletion", "ins": "inframe_insertion", "dup": "inframe_insertion"}.get(
        etype, "protein_altering_variant"), first, last)


def _datum(pos: Any) -> str:
    return getattr(pos.datum, "name", str(pos.datum))


def _utr5(pos: Any) -> bool:
    return _datum(pos) == "CDS_START" and pos.base < 1


def _utr3(pos: Any) -> bool:
    return _datum(pos) == "CDS_END"


def _cds(pos: Any) -> bool:
    return _datum(pos) == "CDS_START" and pos.base >= 1


def _codon(pos: Any) -> int:
    return (pos.base - 1) // 3 + 1


def _touches_start(start: Any, end: Any) -> bool:
    """Whether the change alters c.1-3 (the initiation codon)."""
    lo = start.base if _cds(start) else 0
    hi = end.base if _cds(end) else (0 if _utr5(end) else 10**9)
    return lo <= 3 and hi >= 1


def _net_length(edit: Any, start: Any, end: Any, etype: str) -> int | None:
    """Inserted minus deleted bases for an indel, or None for a substitution (length unchanged, effect unknown)."""
    span = end.base - start.base + 1 if _cds(start) and _cds(end) else None
    alt = getattr(edit, "alt", None) or ""
    if etype == "sub":
        return None
    if etype == "del":
        return span
    if etype == "dup":
        return span
    if etype == "ins":
        return len(alt)
    if etype == "delins":
        return None if span is None else len(alt) - span
    if etype == "inv":
        return 0 if span else None
    return None
