"""Genotype files: a generated 10,000-record VCF annotated like VEP (CSQ) through `kg predict --genotype` (records per
second, end to end as a CLI call), against one `kg predict GENE:HGVS/+` call per variant measured in the same run
on a sample of the file's network-gene variants and extrapolated to every record (and said so).

The VCF is seeded: 3 samples, 30% of records in the graph's genes (missense, synonymous, stop, frameshift, splice,
in-frame and UTR changes at random positions, so most are interpreted by rule, not by the catalogue), the rest in
genes outside the graph; genotypes 0/0, 0/1 and 1/1. Goal: the whole file in under 30 s.

Run: `python -m bench variants`. Environment: BENCH_VARIANTS_RECORDS (default 10000), BENCH_VARIANTS_SAMPLE
(baseline calls, default 20).
"""

from __future__ import annotations

import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

GOAL_S = 30.0
GENES = {"ANKH": ("5", "HGNC:15492"), "ENPP1": ("6", "HGNC:3356"), "ALPL": ("1", "HGNC:438"),
         "ABCC6": ("16", "HGNC:57"), "NT5E": ("6", "HGNC:8021"), "SLC20A2": ("8", "HGNC:10947")}
AA = ["Ala", "Arg", "Asn", "Asp", "Cys", "Gln", "Glu", "Gly", "His", "Ile", "Leu", "Lys", "Met", "Phe", "Pro",
      "Ser", "Thr", "Trp", "Tyr", "Val"]
HEADER = (
    "##fileformat=VCFv4.2\n"
    + "".join(f"##contig=<ID={c}>\n" for c in sorted({"1", "5", "6", "8", "16", "17", "2"}))
    + '##FORMAT=<ID=GT,Number=1,Type=String,Description="Genotype">\n'
    '##INFO=<ID=CSQ,Number=.,Type=String,Description="Consequence annotations from Ensembl VEP. Format: '
    'Allele|Consequence|IMPACT|SYMBOL|Gene|Feature_type|Feature|BIOTYPE|EXON|INTRON|HGVSc|HGVSp|ALLELE_NUM|'
    'CANONICAL">\n'
    "#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\tS1\tS2\tS3\n"
)


def change(rng: random.Random) -> tuple[str, str, str]:
    """(consequence, HGVSc, HGVSp) of one random change in a network gene."""
    pos = rng.randint(2, 450)
    cpos = 3 * pos - 1
    kind = rng.choices(["missense", "synonymous", "stop", "frameshift", "splice", "inframe", "utr"],
                       weights=[50, 15, 8, 8, 7, 6, 6])[0]
    ref, alt = rng.sample(AA, 2)
    if kind == "missense":
        return "missense_variant", f"c.{cpos}G>A", f"p.{ref}{pos}{alt}"
    if kind == "synonymous":
        return "synonymous_variant", f"c.{cpos + 1}C>T", f"p.{ref}{pos}%3D"
    if kind == "stop":
        return "stop_gained", f"c.{cpos}G>A", f"p.{ref}{pos}Ter"
    if kind == "frameshift":
        return "frameshift_variant", f"c.{cpos}del", f"p.{ref}{pos}{alt}fsTer{rng.randint(2, 40)}"
    if kind == "splice":
        return "splice_donor_variant", f"c.{cpos}+{rng.randint(1, 2)}G>A", ""
    if kind == "inframe":
        return "inframe_deletion", f"c.{cpos}_{cpos + 2}del", f"p.{ref}{pos}del"
    return "5_prime_UTR_variant", f"c.-{rng.randint(1, 60)}C>T", ""


def write_vcf(path: Path, records: int, seed: int = 11) -> list[str]:
    """The file, and the `GENE:HGVS` of its network-gene records (for the baseline)."""
    rng = random.Random(seed)
    network = []
    with path.open("w") as fh:
        fh.write(HEADER)
        for i in range(records):
            if rng.random() < 0.3:
                gene = rng.choice(sorted(GENES))
                chrom = GENES[gene][0]
                cons, hgvsc, hgvsp = change(rng)
                network.append(f"{gene}:{(hgvsp or hgvsc).replace('%3D', '=')}")
            else:
                gene, chrom = f"OTHER{rng.randint(1, 2000):04d}", rng.choice(["2", "17"])
                cons, hgvsc, hgvsp = "missense_variant", "c.100G>A", "p.Ala34Thr"
            csq = "|".join(["A", cons, "MODERATE", gene, "ENSG0", "Transcript", "ENST0", "protein_coding", "", "",
                            f"ENST0.1:{hgvsc}", f"ENSP0.1:{hgvsp}" if hgvsp else "", "1", "YES"])
            gts = rng.choices(["0/0", "0/1", "1/1"], weights=[90, 8, 2], k=3)
            fh.write(f"{chrom}\t{1000 + i * 10}\t.\tG\tA\t50\tPASS\tCSQ={csq}\tGT\t" + "\t".join(gts) + "\n")
    return network


def run(cmd: list[str], env: dict[str, str]) -> float:
    t = time.perf_counter()
    result = subprocess.run(cmd, capture_output=True, text=True, env=env)
    elapsed = time.perf_counter() - t
    if result.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed: {result.stderr[-2000:]}")
    return elapsed


def main() -> None:
    records = int(os.environ.get("BENCH_VARIANTS_RECORDS", "10000"))
    sample = int(os.environ.get("BENCH_VARIANTS_SAMPLE", "20"))
    kg = str(Path(sys.executable).with_name("kg"))
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "KG_HOME": str(Path(tmp) / "build")}
        subprocess.run([kg, "build", "-q"], check=True, capture_output=True, env=env)
        vcf = Path(tmp) / "panel.vcf"
        network = write_vcf(vcf, records)
        size_mb = vcf.stat().st_size / 1e6
        print(f"VCF: {records} records ({len(network)} in network genes), 3 samples, {size_mb:.1f} MB")

        plain = statistics.median(run([kg, "predict", "ENPP1=ko"], env) for _ in range(5))
        hgvs = statistics.median(run([kg, "predict", "ENPP1:p.Trp23*/+"], env) for _ in range(5))
        print(f"CLI: `kg predict ENPP1=ko` {plain * 1000:.0f} ms (imports neither hgvs nor cyvcf2); "
              f"`kg predict ENPP1:p.Trp23*/+` {hgvs * 1000:.0f} ms (parses HGVS: +{(hgvs - plain) * 1000:.0f} ms)")
        t = time.perf_counter()
        subprocess.run([sys.executable, "-c", "import hgvs.parser"], check=True)
        imported = time.perf_counter() - t
        t = time.perf_counter()
        subprocess.run([sys.executable, "-c", "pass"], check=True)
        bare = time.perf_counter() - t
        print(f"import hgvs.parser in a fresh interpreter: {(imported - bare) * 1000:.0f} ms over `python -c pass`")

        whole = run([kg, "predict", "--genotype", str(vcf), "--format", "json"], env)
        print(f"kg predict --genotype (json, every readout, resemblance): {whole:.2f} s, "
              f"{records / whole:,.0f} records/s; goal < {GOAL_S:.0f} s: {'met' if whole < GOAL_S else 'MISSED'}")

        rng = random.Random(3)
        picks = rng.sample(network, min(sample, len(network)))
        per_call = [run([kg, "predict", f"{v}/+", "--format", "json"], env) for v in picks]
        median = statistics.median(per_call)
        print(f"baseline, one `kg predict GENE:HGVS/+` per variant: median {median * 1000:.0f} ms over {len(picks)} "
              f"calls; extrapolated to {records} records: {median * records:,.0f} s "
              f"({median * len(network):,.0f} s for the {len(network)} network-gene records alone)")
        print(f"ratio (per-variant calls for every record / one genotype run): {median * records / whole:,.0f}x")
