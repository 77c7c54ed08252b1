"""The simple genotype table: a header row with `gene`, `hgvs` and `zygosity` (and optionally `sample`), one variant
per row, tab-separated; `#` starts a comment. Zygosity is heterozygous (het), homozygous (hom) or hemizygous (hemi).
A bad row is bad input naming its line.
"""

from __future__ import annotations

from pathlib import Path

from kg.errors import InputError
from kg.variants.calls import Call

ZYGOSITY = {"heterozygous": (1, False), "het": (1, False), "homozygous": (2, False), "hom": (2, False),
            "hemizygous": (1, True), "hemi": (1, True)}
REQUIRED = ("gene", "hgvs", "zygosity")
DEFAULT_SAMPLE = "sample"
MAX_ROWS = 1_000_000


def read_calls(path: Path) -> tuple[list[str], list[Call]]:
    """(samples in order of appearance, calls)."""
    if not Path(path).is_file():
        raise InputError(f"genotype file not found: {path}")
    header: list[str] | None = None
    samples: list[str] = []
    calls: list[Call] = []
    with Path(path).open(encoding="utf-8") as fh:
        for line_no, raw in enumerate(fh, start=1):
            line = raw.rstrip("\n\r")
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            cells = [c.strip() for c in line.split("\t")]
            if header is None:
                header = [c.lower() for c in cells]
                missing = [c for c in REQUIRED if c not in header]
                if missing:
                    raise InputError(f"{path}:{line_no}: the header needs the columns {', '.join(REQUIRED)} "
                                     f"(tab-separated; optional: sample); missing {', '.join(missing)}")
                continue
            if len(calls) >= MAX_ROWS:
                raise InputError(f"{path}: more than {MAX_ROWS} rows; split the file")
            if len(cells) != len(header):
                raise InputError(f"{path}:{line_no}: {len(cells)} columns, the header has {len(header)}")
            row = dict(zip(header, cells, strict=True))
            zygosity = ZYGOSITY.get(row["zygosity"].lower())
            if zygosity is None:
                raise InputError(f"{path}:{line_no}: zygosity '{row['zygosity']}': expected one of "
                                 f"heterozygous, homozygous, hemizygous (or het, hom, hemi)")
            if not row["gene"] or not row["hgvs"]:
                raise InputError(f"{path}:{line_no}: gene and hgvs must not be empty")
            sample = row.get("sample") or DEFAULT_SAMPLE
            if sample not in samples:
                samples.append(sample)
            calls.append(Call(line=line_no, sample=sample, gene=row["gene"], hgvs=row["hgvs"], consequence=None,
                              copies=zygosity[0], hemizygous=zygosity[1], where=f"row {line_no}"))
    if header is None:
        raise InputError(f"{path}: empty genotype table; expected a header with {', '.join(REQUIRED)}")
    return samples, calls
