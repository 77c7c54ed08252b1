"""HGVS as users and annotators write it, read with the maintained `hgvs` package's parser (never its data provider
or mapper, which need a database).

`parse_change("p.R187Q")` gives a `Change`: the HGVS type (c, p, g, n, r, m), the parsed position and edit, and a
canonical key (`p.Arg187Gln`) under which equivalent spellings (`p.R187Q`, `p.(Arg187Gln)`,
`ENSP00000284268.6:p.Arg187Gln`) meet. A change written without an accession is parsed on a placeholder one.
A malformed change is an InputError saying where the parser stopped and what it expected there.

The `hgvs` import costs about 0.1 s, so it happens on the first parse, never on the path of a plain `kg predict`.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from functools import cache
from typing import Any

from kg.errors import InputError

PLACEHOLDER = "KGREF.1"  # an accession for changes written without one; never shown, never looked up
LEGACY_STOP_NOTE = "'X' read as a stop codon (legacy notation; HGVS writes '*' or 'Ter')"


@dataclass(frozen=True)
class Change:
    """One parsed HGVS change of a gene (no gene, no zygosity)."""

    text: str  # as written
    kind: str  # HGVS type: c, p, g, n, r or m
    key: str  # canonical form, e.g. 'p.Arg187Gln', 'c.1015del', 'p.Ser375fs', 'p.0'
    posedit: Any  # hgvs PosEdit, or None for p.?
    accession: str | None = None  # as given, if any
    legacy_stop: bool = False  # 'X' written for a stop


@cache
def _parser() -> Any:
    import hgvs.parser

    return hgvs.parser.Parser()


def parse_change(text: str, gene_label: str = "the gene") -> Change:
    """Parse one HGVS change, with or without an accession (`c.1015delC`, `NM_054027.6:c.1015delC`)."""
    from hgvs.exceptions import HGVSParseError

    written = text.strip()
    if not written:
        raise InputError(f"empty variant for {gene_label}: expected an HGVS change such as p.Arg187Gln or c.1015delC")
    accession = None
    if ":" in written:
        accession = written.rsplit(":", 1)[0]
        full, offset = written, 0
    else:
        full, offset = f"{PLACEHOLDER}:{written}", len(PLACEHOLDER) + 1
    try:
        variant = _parser().parse_hgvs_variant(full)
    except HGVSParseError as exc:
        raise InputError(_parse_error(written, full, offset, str(exc), gene_label)) from None
    except (AttributeError, ValueError, TypeError) as exc:  # the grammar accepted it but building it failed
        raise InputError(f"malformed HGVS '{written}' for {gene_label}: {exc}") from None
    kind = variant.type
    posedit = variant.posedit
    legacy = kind == "p" and _legacy_stop(written, posedit)
    return Change(text=written, kind=kind, key=_key(kind, posedit, legacy), posedit=posedit, accession=accession,
                  legacy_stop=legacy)


def _parse_error(written: str, full: str, offset: int, message: str, gene_label: str) -> str:
    """hgvs reports '<input>: char N: <reason>'; say it on the text the user wrote."""
    prefix = f"{full}: char "
    reason, position = message, None
    if message.startswith(prefix):
        head, _, reason = message[len(prefix):].partition(": ")
        if head.isdigit():
            position = int(head) - offset
    reason = reason.strip() or "not HGVS"
    if reason == "end of input":
        reason = "unexpected end of input (the change is incomplete)"
    elif reason == "expected EOF":
        reason = "unexpected text after a complete change"
    where = ""
    if position is not None and 0 <= position <= len(written):
        rest = written[position:] or "<end>"
        where = f" at character {position + 1} ('{rest}')"
    if ":" not in written and not written[:2].rstrip(".").isalpha():
        reason += "; an HGVS change starts with its type and a dot (c., p., g., n. or r.)"
    return (f"malformed HGVS '{written}' for {gene_label}{where}: {reason} "
            f"(e.g. p.Arg187Gln, p.R187Q, c.1015delC, c.1234+1G>A, p.Ser375fs, p.Trp23*, p.0)")


def _legacy_stop(written: str, posedit: Any) -> bool:
    """'p.R187X': the parser reads X as any amino acid (Xaa); a trailing single X is the old way to write a stop."""
    if posedit is None or type(posedit.edit).__name__ != "AASub" or posedit.edit.alt != "X":
        return False
    return written.rstrip(")").endswith("X") and not written.rstrip(")").endswith("Xaa")


def _key(kind: str, posedit: Any, legacy_stop: bool) -> str:
    """A canonical spelling: three-letter amino acids, no parentheses, no accession; frameshifts as 'fs'."""
    if posedit is None:
        return f"{kind}.?"
    plain = copy.copy(posedit)
    plain.uncertain = False
    edit = type(posedit.edit).__name__
    if kind == "p" and posedit.pos is not None:
        start = posedit.pos.start
        aa3 = _three(start.aa)
        if edit == "AAFs":
            return f"p.{aa3}{start.pos}fs"
        if legacy_stop:
            return f"p.{aa3}{start.pos}Ter"
    return f"{kind}.{plain}"


def _three(aa1: str) -> str:
    from bioutils.sequences import aa1_to_aa3

    return "Ter" if aa1 == "*" else aa1_to_aa3(aa1)


def residues(change: Change) -> tuple[int, int] | None:
    """The protein residues a p. change touches (first, last), or None."""
    if change.kind != "p" or change.posedit is None or change.posedit.pos is None:
        return None
    pos = change.posedit.pos
    return pos.start.pos, (pos.end or pos.start).pos


def edit_kind(change: Change) -> str:
    """The hgvs edit class name (AASub, AAFs, AARefAlt, AAExt, Dup, NARefAlt, ...) or '' for p.? / p.0."""
    if change.posedit is None or change.posedit.edit is None:
        return ""
    return type(change.posedit.edit).__name__
