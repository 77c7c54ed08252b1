"""`kg show` (the card of anything kg prints an id for) and `kg cite` (its publications as BibTeX, RIS or
CSL-JSON). Both read the build through kg.snapshot: no pydantic, no networkx."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from kg.cli.core import build_dir_option
from kg.cli.output import claim_text, emit_json, emit_rows, format_option, terminal_width

EVIDENCE_COLUMNS = ("source", "reference", "species", "system", "assay", "confidence", "status", "statement")


@click.command()
@click.argument("name")
@click.option("--evidence", "-e", "with_evidence", is_flag=True,
              help="Every evidence record in full: statement, assay, system and reference.")
@build_dir_option
@format_option()
def show(name: str, with_evidence: bool, build_dir: Path | None, fmt: str) -> None:
    """The card of NAME: an entity (name, symbol, synonym or id, variants and contexts included), an edge
    (KG:edge.…), an evidence record (ev.…) or a publication (PMID:…, DOI:…, PMC:…).

    An entity's card lists every edge with its evidence; an edge's card its claim, rival claims and evidence.
    """
    from kg.cli.core import _setup_logging
    from kg.snapshot import load_snapshot

    _setup_logging()
    snapshot = load_snapshot(build_dir)
    gene, sep, variant = name.strip().partition(":")
    if sep and variant and gene not in _schema_prefixes():  # GENE:VARIANT or a genotype GENE:A/B, as kg predict
        _variant(name, snapshot, build_dir, fmt, with_evidence)
        return
    kind, card = snapshot.find(name)
    if fmt == "json":
        emit_json(card_json(kind, card))
        return
    {"entity": _entity, "edge": _edge, "evidence": _evidence, "publication": _publication}[kind](
        card, fmt, with_evidence)


def _schema_prefixes() -> set[str]:
    from kg.schema import load_schema

    return set(load_schema().prefixes)


def _variant(name: str, snapshot: Any, build_dir: Path | None, fmt: str, with_evidence: bool) -> None:
    """How kg interprets GENE:VARIANT (catalogued or not): the deciding rule and its sources, then the catalogued
    variant's own card if there is one."""
    from kg.simulate.lite import load_lite
    from kg.variants.card import card_lines, citation_rows, variant_card

    card = variant_card(load_lite(build_dir), name)
    entity = snapshot.card(card["catalogued"]) if card["catalogued"] else None
    if fmt == "json":
        emit_json({**card, **({"entity": entity} if entity else {})})
        return
    _header(card_lines(card), fmt)
    emit_rows(citation_rows(card), ("allele", "decided_by", "source", "reference"), fmt,
              title=f"{card['genotype']['label']}: the sources behind the deciding rules")
    if entity is not None and fmt == "table":  # TSV stays one table: the entity's edges are `kg show ID`'s
        _entity(entity, fmt, with_evidence)


def card_json(kind: str, card: dict[str, Any]) -> dict[str, Any]:
    """`kg show --format json` of a card (the web app's cards are the same): entities as they are, the other
    kinds tagged with their kind."""
    return {"kind": kind, **card} if kind != "entity" else card


def _header(lines: list[str], fmt: str) -> None:
    """Card lines above the table (table format only: TSV stays pure rows), wrapped to the terminal."""
    if fmt != "table":
        return
    from kg.cli.table import wrap

    width = terminal_width()
    out: list[str] = []
    for line in lines:
        indent = len(line) - len(line.lstrip())
        out += [" " * indent + part for part in wrap(line.strip(), max(width - indent, 20))]
    click.echo("\n".join(out))


def _entity(card: dict[str, Any], fmt: str, with_evidence: bool) -> None:
    lines = [f"{card['label']}  ({card['id']}, {card['category']})"]
    for key in ("symbol", "synonyms", "xrefs", "gene", "hgvs", "variant_class", "compartments", "description"):
        if card.get(key):
            value = card[key]
            lines.append(f"  {key}: {', '.join(value) if isinstance(value, list) else value}")
    for eff in card.get("effects", []):
        lines.append(f"  effect: {eff['kind']} {eff['direction']}" + (f" ({eff['partner']})" if eff.get(
            "partner") else ""))
    _header(lines, fmt)
    rows = []
    for e in card["edges"]:
        for ev in e["evidence"]:
            rows.append({"edge": claim_text(e), "sign": e["sign"],
                         "status": e["status"], **{c: ev.get(c) for c in EVIDENCE_COLUMNS if c != "status"},
                         "evidence_status": ev.get("status"), "edge_id": e["id"]})
    columns = ("edge", "sign", "status", "source", "species", "system", "confidence", "edge_id")
    if with_evidence:
        columns = (*columns, "reference", "assay", "evidence_status", "statement")
        if fmt == "table":  # prose does not fit table cells: one block per edge, each evidence record in full
            _evidence_blocks(card)
            return
    emit_rows(rows, columns, fmt, title=f"{card['label']}: {len(card['edges'])} edges",
              drop=("sign", "system", "species", "confidence", "edge_id"), empty=f"{card['label']} has no edges")


def _evidence_blocks(card: dict[str, Any]) -> None:
    lines = [f"{card['label']}: {len(card['edges'])} edges"]
    for e in card["edges"]:
        lines += ["", f"{claim_text(e)}  ({e['status']}; {e['id']})"]
        if e.get("claim"):
            lines.append(f"  claim: {e['claim']}")
        for ev in e["evidence"]:
            lines.append("  " + _evidence_line(ev))
            if ev.get("statement"):
                lines.append(f"      {ev['statement']}")
    _header(lines, "table")


def _evidence_line(ev: dict[str, Any]) -> str:
    """`PMID:1 (Ho 2000 Science): mouse, cultured cells; assay: PPi; confidence medium; contested`."""
    where = ", ".join(v for v in (ev.get("species"), ev.get("system")) if v)
    parts = [f"{ev['source']}" + (f" ({ev['reference']})" if ev.get("reference") else "") + (
        f": {where}" if where else "")]
    if ev.get("assay"):
        parts.append(f"assay: {ev['assay']}")
    parts.append(f"confidence {ev.get('confidence', 'medium')}")
    parts.append(ev.get("status", "established"))
    return "; ".join(parts)


def _edge(card: dict[str, Any], fmt: str, _with_evidence: bool) -> None:
    where = ", ".join(f"{k.replace('_', ' ')} {card[k]}" for k in ("from_compartment", "to_compartment",
                                                                       "compartment") if card.get(k))
    lines = [f"{claim_text(card)}  ({card['id']}, {card['status']})",
             f"  subject: {card['subject']} ({card['subject_label']}); object: {card['object']} "
             f"({card['object_label']})",
             f"  sign: {card['sign']}; mechanism: {card['mechanism']}" + (f"; {where}" if where else "")]
    if card.get("context"):
        lines.append(f"  context: {card['context']} ({card.get('context_label')})")
    for key in ("substrates", "products"):
        if card.get(key):
            lines.append(f"  {key}: {', '.join(card[key])}")
    if card.get("claim"):
        lines.append(f"  claim: {card['claim']}")
    if card.get("kinetics"):
        params = ", ".join(f"{k}={p['value']:g} {p['unit']} ({p['basis']})"
                           for k, p in sorted(card["kinetics"].get("parameters", {}).items()))
        lines.append(f"  kinetics: {card['kinetics']['rate_law']}" + (f": {params}" if params else ""))
    for rival in card.get("rivals", []):
        lines.append(f"  rival claim: {claim_text(rival)} ({rival['status']}; {rival['id']})"
                     + (f": {rival['claim']}" if rival.get("claim") else ""))
    _header(lines, fmt)
    emit_rows(card["evidence"], EVIDENCE_COLUMNS, fmt, title=f"evidence ({len(card['evidence'])})",
              drop=("reference", "system", "species", "assay", "confidence"))


def _evidence(card: dict[str, Any], fmt: str, _with_evidence: bool) -> None:
    lines = [f"{card['id']}: {card.get('statement') or '(no statement)'}"]
    for key in ("source", "reference", "species", "system", "assay", "confidence", "status"):
        if card.get(key):
            lines.append(f"  {key}: {card[key]}")
    _header(lines, fmt)
    emit_rows(card["cited_by"], ("kind", "id", "label", "status"), fmt, title="stated on", drop=("kind",))


def _publication(card: dict[str, Any], fmt: str, _with_evidence: bool) -> None:
    from kg.cite.formats import describe

    _header([f"{card['id']}: {describe(card)}"], fmt)
    emit_rows(card["cited_by"], ("kind", "id", "label", "status"), fmt, title=f"cited by ({len(card['cited_by'])})",
              drop=("kind",), empty=f"nothing in the graph cites {card['id']}")


@click.command()
@click.argument("name", required=False)
@click.option("--all", "everything", is_flag=True, help="Every publication the graph cites.")
@click.option("--format", "fmt", type=click.Choice(["bibtex", "ris", "csl-json"]), default="bibtex",
              show_default=True, help="Citation format.")
@build_dir_option
def cite(name: str | None, everything: bool, fmt: str, build_dir: Path | None) -> None:
    """The publications behind NAME (an entity, edge, evidence record or publication id), or --all, as BibTeX,
    RIS or CSL-JSON. A publication whose metadata kg's sources do not give says so in a note field."""
    from kg.cite.formats import render
    from kg.cite.select import publications_for
    from kg.cli.core import _setup_logging
    from kg.errors import InputError
    from kg.snapshot import load_snapshot

    if (name is None) == (not everything):
        raise InputError("give a NAME (entity, edge id, evidence id or publication id) or --all, not both")
    _setup_logging()
    pubs = publications_for(load_snapshot(build_dir), name)
    missing = [p["id"] for p in pubs if not p.get("title")]
    if missing:
        click.echo(f"note: no bibliographic metadata in kg's sources for {len(missing)} of {len(pubs)} "
                   f"publications ({', '.join(missing[:5])}{', ...' if len(missing) > 5 else ''}); their entries "
                   f"carry the identifier and the short reference only", err=True)
    click.echo(render(pubs, fmt), nl=False)
