"""Export benchmarks: render the core diagram, and export a generated 10k-edge graph to every format.

Baseline (measured in the same run): writing the same graph as kg's own build JSON (`to_dict` + json.dumps).
Coordinates use the grid layout for the 10k-edge graph (a layered layout of 10k edges is not a use case: a
diagram holds at most 400 nodes); the diagram is measured on the first 300 entities of that graph, as DOT text
(ELK's layout included).
"""

from __future__ import annotations

import json
import random
import shutil
import tempfile
import time
from pathlib import Path

from kg.export.base import export
from kg.graph import KnowledgeGraph
from kg.models import Edge, Entity, Evidence

N_ENTITIES = 2000
N_EDGES = 10_000
PREDICATES = [("positively_regulates", "gene_or_protein", "gene_or_protein"),
              ("negatively_regulates", "gene_or_protein", "gene_or_protein"),
              ("increases_expression_of", "gene_or_protein", "gene_or_protein"),
              ("binds", "gene_or_protein", "gene_or_protein"),
              ("transports", "gene_or_protein", "small_molecule"),
              ("inhibits_formation_of", "small_molecule", "process")]


def generated_graph(seed: int = 7) -> KnowledgeGraph:
    rng = random.Random(seed)
    cats = {"gene_or_protein": [], "small_molecule": [], "process": []}
    ents = []
    for i in range(N_ENTITIES):
        cat = ("gene_or_protein", "small_molecule", "process")[0 if i % 10 < 7 else 1 if i % 10 < 9 else 2]
        eid = f"KG:bench-{i}"
        ents.append(Entity(id=eid, category=cat, label=f"entity {i}", synonyms=[f"e{i}"]))
        cats[cat].append(eid)
    edges, seen = [], set()
    while len(edges) < N_EDGES:
        pred, s_cat, o_cat = rng.choice(PREDICATES)
        s, o = rng.choice(cats[s_cat]), rng.choice(cats[o_cat])
        extra = {"from_compartment": "intracellular", "to_compartment": "extracellular"} \
            if pred == "transports" else {}
        edge = Edge(subject=s, predicate=pred, object=o, evidence=[Evidence(
            source=f"PMID:{rng.randint(1, 40_000_000)}", species="human", statement="generated")], **extra)
        if s != o and edge.id not in seen:
            seen.add(edge.id)
            edges.append(edge)
    return KnowledgeGraph(ents, edges)


def timed(func) -> float:
    start = time.perf_counter()
    func()
    return time.perf_counter() - start


def main() -> None:
    from kg.export.select import select
    from kg.load.pipeline import load_paths
    from kg.paths import loaders_dir

    out = Path(tempfile.mkdtemp(prefix="bench-export-"))
    try:
        curated = load_paths([loaders_dir()], root=loaders_dir().parent)
        core = select(curated, module="core")
        print(f"core module: {len(core)} entities, {len(core.edges)} edges")
        if shutil.which("dot"):
            for fmt in ("dot", "svg", "png", "pdf"):
                best = min(timed(lambda f=fmt: export(core, "diagram", out / f"core.{f}", format=f,
                                                      title="core")) for _ in range(3))
                print(f"  render core diagram {fmt:4s}: {best * 1000:8.1f} ms (best of 3)")
            whole = min(timed(lambda: export(curated, "diagram", out / "all.svg", format="svg")) for _ in range(2))
            print(f"  render whole curated graph svg ({len(curated)} entities, {len(curated.edges)} edges): "
                  f"{whole * 1000:.1f} ms")
        else:
            print("  Graphviz 'dot' not installed: diagram rendering not measured")

        t0 = time.perf_counter()
        big = generated_graph()
        print(f"\ngenerated graph: {len(big)} entities, {len(big.edges)} edges "
              f"(built in {time.perf_counter() - t0:.2f} s)")
        baseline = timed(lambda: (out / "big.json").write_text(json.dumps(big.to_dict(), sort_keys=True),
            encoding="utf-8"))
        print(f"  baseline: build JSON (to_dict + json.dumps): {baseline:.3f} s")
        part = big.subgraph([e.id for e in big.entities][:300])
        seconds = timed(lambda: export(part, "diagram", out / "part.dot", format="dot"))
        print(f"  diagram of 300 entities, {len(part.edges)} edges (dot text, ELK layout): {seconds:7.3f} s")
        cases = [("sbgn", "sbgn", "big.sbgn", {"layout": "grid"}),
                 ("graphml", "graphml", "big.graphml", {}),
                 ("gexf", "gexf", "big.gexf", {}),
                 ("cytoscape", "cytoscape", "big.cyjs", {"layout": "grid"}),
                 ("cx2", "cx2", "big.cx2", {"layout": "grid"}),
                 ("sif", "sif", "big.sif", {}),
                 ("sif-extended", "sif-extended", "big.txt", {}),
                 ("mermaid", "mermaid", "big.mmd", {}),
                 ("kgx tsv", "kgx", "big", {"format": "tsv"}),
                 ("kgx jsonl", "kgx", "big", {"format": "jsonl"})]
        from kg.export.html import LIBRARY

        if LIBRARY.is_file():
            cases.append(("html", "html", "big.html", {"layout": "grid"}))
        for title, fmt, name, opts in cases:
            written: list[Path] = []
            seconds = timed(lambda f=fmt, n=name, o=opts, w=written: w.extend(export(big, f, out / n, **o)))
            size = sum(p.stat().st_size for p in written)
            print(f"  {title:20s}: {seconds:7.3f} s  ({seconds / baseline:5.1f}x baseline)  {size / 1e6:6.1f} MB")
    finally:
        shutil.rmtree(out, ignore_errors=True)


if __name__ == "__main__":
    main()
