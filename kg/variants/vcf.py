"""Annotated VCFs, read with cyvcf2 (htslib): VEP's `CSQ` or SnpEff's `ANN`, genotypes (GT) per sample.

The annotation's columns come from the header's Format description, never from a fixed order: VEP writes
`Format: Allele|Consequence|IMPACT|SYMBOL|Gene|...|HGVSc|HGVSp|...`, SnpEff `Functional annotations: 'Allele |
Annotation | Annotation_Impact | Gene_Name | Gene_ID | ... | HGVS.c | HGVS.p | ...'`. Each alternate allele of a
record (multi-allelic sites included) takes the annotations whose Allele (or VEP's ALLELE_NUM) is its own, and of
those one per gene: VEP's CANONICAL transcript first, then the first with a protein change. VEP percent-encodes
'=' in HGVSp (p.Pro5%3D); that is decoded. A record that htslib cannot parse is bad input naming its line.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from kg.errors import InputError
from kg.variants.calls import Call

FIELDS = {  # the columns kg reads, by the names VEP (CSQ) and SnpEff (ANN) give them
    "allele": ("Allele",), "consequence": ("Consequence", "Annotation"), "symbol": ("SYMBOL", "Gene_Name"),
    "hgvsc": ("HGVSc", "HGVS.c"), "hgvsp": ("HGVSp", "HGVS.p"), "canonical": ("CANONICAL",),
    "allele_num": ("ALLELE_NUM",), "feature": ("Feature", "Feature_ID"),
}
ANNOTATION_TAGS = ("CSQ", "ANN")
MAX_RECORDS = 5_000_000  # bounded input


@dataclass(frozen=True)
class Layout:
    tag: str  # CSQ or ANN
    columns: dict[str, int]  # kg field -> position in one annotation


@dataclass
class VcfFile:
    path: Path
    samples: list[str]
    layout: Layout | None
    header_lines: int


def open_vcf(path: Path) -> tuple[Any, VcfFile]:
    from cyvcf2 import VCF

    if not Path(path).is_file():
        raise InputError(f"genotype file not found: {path}")
    try:
        reader = VCF(str(path))
    except (OSError, ValueError) as exc:  # htslib could not open or parse the header
        raise InputError(f"{path}: not a readable VCF ({exc})") from None
    info = VcfFile(Path(path), list(reader.samples), _layout(reader, path), _header_lines(Path(path)))
    if not info.samples:
        raise InputError(f"{path}: the VCF has no sample columns (a genotype needs GT per sample)")
    return reader, info


def _header_lines(path: Path) -> int:
    """How many '#' lines open the file as written (htslib's header adds lines of its own, e.g. FILTER=PASS), so that
    record k sits on line header + k; a BCF has no lines, and its records are counted from 1."""
    import gzip

    name = path.name.lower()
    if name.endswith(".bcf"):
        return 0
    opener = gzip.open if name.endswith((".gz", ".bgz")) else open
    count = 0
    with opener(path, "rt", encoding="utf-8", errors="replace") as fh:
        for line in fh:
            if not line.startswith("#"):
                break
            count += 1
    return count


def _layout(reader: Any, path: Path) -> Layout | None:
    for tag in ANNOTATION_TAGS:
        try:
            desc = reader.get_header_type(tag)["Description"]
        except KeyError:
            continue
        names = _format_names(desc)
        if not names:
            raise InputError(f"{path}: the {tag} header has no 'Format:' list of columns; cannot read {tag}")
        columns = {}
        for key, aliases in FIELDS.items():
            for alias in aliases:
                if alias in names:
                    columns[key] = names.index(alias)
                    break
        if "allele" not in columns or "symbol" not in columns:
            raise InputError(f"{path}: the {tag} columns lack Allele and a gene symbol (SYMBOL / Gene_Name)")
        return Layout(tag, columns)
    return None


def _format_names(description: str) -> list[str]:
    text = description.strip().strip('"')
    if "Format:" in text:
        text = text.split("Format:", 1)[1]
    elif "annotations:" in text:
        text = text.split("annotations:", 1)[1]
    else:
        return []
    return [n.strip().strip("'\" ") for n in text.split("|")]


def read_calls(path: Path) -> tuple[VcfFile, list[Call], list[dict[str, Any]]]:
    """Every call of every sample, and the records with no usable annotation (listed, with their line)."""
    reader, info = open_vcf(path)
    calls: list[Call] = []
    unannotated: list[dict[str, Any]] = []
    for line, record in _records(reader, info):
        where = f"{record.CHROM}:{record.POS} {record.REF}>{','.join(record.ALT)}"
        per_allele = _annotations(record, info.layout)
        for index, alt in enumerate(record.ALT, start=1):
            carriers = _carriers(record.genotypes, index, info.samples)
            if not carriers:
                continue
            annotations = per_allele.get(index, [])
            if not annotations:
                for sample, _copies, _hemi in carriers:
                    unannotated.append({"line": line, "sample": sample, "where": f"{where} (allele {alt})",
                                        "reason": f"no {info.layout.tag if info.layout else 'CSQ/ANN'} annotation"})
                continue
            for ann in annotations:
                for sample, copies, hemi in carriers:
                    calls.append(Call(line=line, sample=sample, gene=ann["symbol"] or None, hgvs=ann["hgvs"],
                                      consequence=ann["consequence"] or None, copies=copies, hemizygous=hemi,
                                      where=f"{record.CHROM}:{record.POS} {record.REF}>{alt}"))
    return info, calls, unannotated


def _records(reader: Any, info: VcfFile) -> Iterator[tuple[int, Any]]:
    index = 0
    iterator = iter(reader)
    while True:
        line = info.header_lines + index + 1
        try:
            record = next(iterator)
        except StopIteration:
            return
        except Exception as exc:  # cyvcf2 raises a bare Exception for a record htslib rejects
            raise InputError(f"{info.path}:{line}: not a valid VCF record ({' '.join(str(exc).split())})") from None
        if index >= MAX_RECORDS:
            raise InputError(f"{info.path}: more than {MAX_RECORDS} records; split the file")
        yield line, record
        index += 1


def _carriers(genotypes: list[list[Any]], allele: int, samples: list[str]) -> list[tuple[str, int, bool]]:
    """(sample, copies of `allele`, hemizygous) for every sample that carries it; missing calls carry nothing."""
    out = []
    for sample, gt in zip(samples, genotypes, strict=True):
        alleles = [a for a in gt[:-1]]  # the last item is the phased flag
        copies = sum(1 for a in alleles if a == allele)
        if copies:
            out.append((sample, copies, len(alleles) == 1))
    return out


def _annotations(record: Any, layout: Layout | None) -> dict[int, list[dict[str, Any]]]:
    """Alternate-allele index -> one chosen annotation per gene."""
    if layout is None:
        return {}
    raw = record.INFO.get(layout.tag)
    if not raw:
        return {}
    alts = list(record.ALT)
    minimal = _vep_alleles(record.REF, alts)
    chosen: dict[int, dict[str, dict[str, Any]]] = {}
    for entry in str(raw).split(","):
        values = entry.split("|")
        ann = {k: (values[i].strip() if i < len(values) else "") for k, i in layout.columns.items()}
        index = _allele_index(ann, alts, minimal)
        if index is None:
            continue
        hgvsp = unquote(ann.get("hgvsp", ""))
        hgvsc = unquote(ann.get("hgvsc", ""))
        item = {"symbol": ann.get("symbol", ""), "consequence": ann.get("consequence", ""),
                "hgvs": hgvsp or hgvsc or None, "canonical": ann.get("canonical") == "YES"}
        genes = chosen.setdefault(index, {})
        best = genes.get(item["symbol"])
        if best is None or _better(item, best):
            genes[item["symbol"]] = item
    return {i: [genes[s] for s in sorted(genes)] for i, genes in chosen.items()}


def _better(new: dict[str, Any], old: dict[str, Any]) -> bool:
    return _preference(new) < _preference(old)


def _preference(ann: dict[str, Any]) -> tuple[bool, bool]:
    """VEP's canonical transcript first, then an annotation with a protein change."""
    return not ann["canonical"], not (ann["hgvs"] or "").split(":")[-1].startswith("p.")


def _allele_index(ann: dict[str, Any], alts: list[str], minimal: list[str]) -> int | None:
    num = ann.get("allele_num", "")
    if num.isdigit():
        return int(num) if 1 <= int(num) <= len(alts) else None
    allele = ann.get("allele", "")
    for pool in (alts, minimal):
        if allele in pool:
            return pool.index(allele) + 1
    return 1 if len(alts) == 1 else None


def _vep_alleles(ref: str, alts: list[str]) -> list[str]:
    """VEP's allele strings: a first base shared by REF and every ALT is dropped, an empty allele is '-'."""
    if all(a and ref and a[0] == ref[0] for a in alts) and any(len(a) != len(ref) for a in alts):
        return [a[1:] or "-" for a in alts]
    return list(alts)
