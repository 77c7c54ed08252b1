"""Simulator benchmarks: `kg predict ENPP1=ko` as a CLI call on the curated graph and on a grown one (the
curated graph plus a seeded generated network twice its size, attached to the modelled entities: the size the
curation branches will bring), with the model cache cold (first call after a build) and warm; one prediction in
process with the analytic Jacobian against the numerical one; `kg screen --pairs` on plasma against one
prediction per run; and a full single-knockout screen on generated signed networks of 1k, 10k and 100k nodes,
batched (bit-parallel sparse BFS) versus one networkx propagation per perturbation. Every ratio is against a
baseline measured in the same run.

Run: `python -m bench simulate` (or `.venv/bin/python -c "import bench.bench_simulate as b; b.main()"`).
Environment: BENCH_SIM_SIZES=1000,10000 limits the screen sizes (0 skips them); BENCH_SIM_SAMPLE sets the
networkx sample for the largest network (default 300 perturbations, extrapolated to all, and said so);
BENCH_SIM_REPEATS the CLI repeats (default 9); BENCH_SIM_PAIRS=0 skips the `kg screen --pairs` runs (minutes on
the grown graph).
"""

from __future__ import annotations

import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

GOAL_CLI_S = 0.5
GOAL_SCREEN_10K_S = 10.0
GOAL_RATIO = 20.0


def generated_network(n: int, seed: int = 7, mean_in: float = 1.2, feedback: float = 0.05):
    """A signed directed network shaped like a signalling graph: each node gets 1 + Poisson(mean_in - 1)... inputs
    from earlier nodes chosen by preferential attachment (hubs), 30% of edges negative, and a `feedback` share of
    edges pointing backwards (loops). Deterministic for a seed."""
    rng = np.random.default_rng(seed)
    k = 1 + rng.poisson(max(mean_in - 1.0, 0.0), size=n)
    k[0] = 0
    src, dst = [], []
    weights = np.ones(n)
    for j in range(1, n):
        picks = rng.choice(j, size=min(int(k[j]), j), replace=False, p=weights[:j] / weights[:j].sum())
        for i in picks:
            src.append(int(i))
            dst.append(j)
            weights[i] += 1.0
    src_a, dst_a = np.array(src, dtype=np.int64), np.array(dst, dtype=np.int64)
    back = rng.random(src_a.size) < feedback
    src_a[back], dst_a[back] = dst_a[back], src_a[back].copy()
    sign = np.where(rng.random(src_a.size) < 0.3, -1, 1).astype(np.int64)
    return src_a, dst_a, sign


def _median_time(fn, repeat: int) -> float:
    times = []
    for i in range(repeat):
        t = time.perf_counter()
        fn(i)
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def _partial_loss(i: int) -> list[str]:
    """A different ENPP1 level each repeat (0.010, 0.011, ...): repeats that set the same parameters would share
    one kinetic solve, and a prediction's cost is its own solve."""
    return [f"ENPP1={0.01 + 0.001 * i:.3f}"]


CURATED_NAMES = ["ANKH", "ENPP1", "ALPL", "NT5E", "ABCC6", "FGF23", "PTH", "CASR", "CYP27B1", "CYP24A1", "SLC34A1",
                 "SLC34A2", "SLC20A1", "KL", "TGFB1", "PPi", "Pi", "ATP", "Ca2+", "calcitriol",
                 "hydroxyapatite deposition", "calcium pyrophosphate deposition", "inflammation"]


def grown_network(path: Path, n_new: int = 200, n_edges: int = 310, seed: int = 11) -> None:
    """A seeded TSV network (kg build --add) of `n_new` new genes and `n_edges` signed edges: among themselves
    (40%), from them onto the curated graph's modelled entities (30%: new regulators of the module, which the
    kinetic layer turns into multipliers), from the module onto them (20%: with the previous, loops that make
    relays) and unsigned bindings (10%), all established (imports must say their status)."""
    rng = random.Random(seed)
    new = [f"BENCHGENE{i}" for i in range(n_new)]
    rows, seen = [], set()
    kinds = [("positive", "expression_regulation"), ("negative", "expression_regulation"),
             ("positive", "activity_regulation"), ("negative", "activity_regulation")]
    while len(rows) < n_edges:
        r = rng.random()
        if r < 0.4:
            a, b = rng.sample(new, 2)
        elif r < 0.7:
            a, b = rng.choice(new), rng.choice(CURATED_NAMES)
        elif r < 0.9:
            a, b = rng.choice(CURATED_NAMES), rng.choice(new)
        else:
            a, b = rng.sample(new, 2)
        sign, mech = ("none", "protein_binding") if r >= 0.9 else rng.choice(kinds)
        if (a, b, mech) in seen or a == b:
            continue
        seen.add((a, b, mech))
        cat = lambda x: "gene_or_protein" if x.startswith("BENCHGENE") else ""  # noqa: E731
        rows.append(f"{a}\t{b}\t{sign}\t{mech}\t{rng.randrange(1, 40_000_000)}\testablished\t{cat(a)}\t{cat(b)}")
    path.write_text("source\ttarget\tsign\tmechanism\tpmid\tstatus\tsource_category\ttarget_category\n"
                    + "\n".join(rows) + "\n", encoding="utf-8")


def _walls(cmd: list[str], env: dict[str, str], repeats: int) -> list[float]:
    out = []
    for _ in range(repeats):
        t = time.perf_counter()
        subprocess.run(cmd, env=env, check=True, capture_output=True)
        out.append(time.perf_counter() - t)
    return out


def _cli_case(label: str, kg: Path, build_dir: Path, startup: float, repeats: int) -> None:
    from kg.build import ensure_current
    from kg.simulate.cache import FOLDER

    env = {**os.environ, "KG_HOME": str(build_dir)}
    cmd = [str(kg), "predict", "ENPP1=ko"]
    shutil.rmtree(ensure_current(build_dir) / FOLDER, ignore_errors=True)  # the cache lives in the build's version
    cold = _walls(cmd, env, 1)[0]  # builds, calibrates and stores the plasma model
    warm = _walls(cmd, env, repeats)
    as_json = _walls([*cmd, "--format", "json"], env, repeats)
    med, jmed = statistics.median(warm), statistics.median(as_json)
    print(f"{label}: `kg predict ENPP1=ko` first call after the build (cache cold) {cold:.3f} s; then median "
          f"{med:.3f} s (min {min(warm):.3f}, max {max(warm):.3f}; {med / startup:.1f}x bare python start-up "
          f"{startup:.3f} s; cold/warm {cold / med:.1f}x); --format json median {jmed:.3f} s; goal < {GOAL_CLI_S} s: "
          f"{'met' if med < GOAL_CLI_S else 'NOT met'}")


def bench_prediction() -> None:
    from kg.build import build
    from kg.load.pipeline import load_paths
    from kg.paths import loaders_dir
    from kg.simulate import Simulator, predict
    from kg.simulate.solve.run import Changes, GeneChange
    from kg.simulate.solve.steady import steady_state

    graph = load_paths([loaders_dir()], root=loaders_dir().parent)
    cold = _median_time(lambda i: predict(graph, _partial_loss(i)), 3)
    sim = Simulator(graph)
    warm = _median_time(lambda i: sim.run(_partial_loss(i)), 15)
    kin = sim.network().kin
    model = kin.cm
    p = kin.parameters(Changes(genes={graph.resolve("ENPP1").id: GeneChange(expression=0.0)}))

    def solve(jac):  # the perturbed steady state from the baseline, as `kg predict ENPP1=ko` solves it
        return steady_state(lambda u: model.rhs(u, p), kin.base.x, model.deps, kin.floors, jac=jac, lu=kin.lu)

    analytic = _median_time(lambda _i: solve(lambda u: model.jac(u, p)), 15)
    numerical = _median_time(lambda _i: solve(None), 15)
    print(f"body model: {len(model.model.states)} states, {len(model.model.rules)} rules, "
          f"{len(model.model.fluxes)} fluxes, {len(model.model.params)} parameters, {len(model.pattern)} Jacobian "
          f"non-zeros")
    print(f"predict ENPP1=0.01 in-process: {cold * 1000:.0f} ms with the model built, compiled and calibrated; "
          f"{warm * 1000:.1f} ms reusing it (every readout explained); ENPP1=ko's steady state "
          f"{analytic * 1000:.1f} ms "
          f"with the analytic Jacobian vs {numerical * 1000:.1f} ms with the numerical one (column groups), "
          f"{numerical / analytic:.1f}x")
    kg = Path(sys.executable).with_name("kg")
    repeats = int(os.environ.get("BENCH_SIM_REPEATS", "9"))
    startup = statistics.median(_walls([sys.executable, "-c", "pass"], dict(os.environ), repeats))
    with tempfile.TemporaryDirectory() as tmp:
        curated, grown = Path(tmp) / "curated", Path(tmp) / "grown"
        build(None, curated)
        tsv = Path(tmp) / "grown.tsv"
        grown_network(tsv)
        subprocess.run([str(kg), "build", "-q", "--add", str(tsv), "--new-entities", "--build-dir", str(grown)],
                       check=True, capture_output=True)
        for label, out in (("curated", curated), ("grown", grown)):
            manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
            counts = manifest["counts"]
            print(f"{label} graph: {counts['entities']} entities, {counts['edges']} edges")
            _cli_case(label, kg, out, startup, repeats)
        if os.environ.get("BENCH_SIM_PAIRS", "1") != "0":
            bench_screen_pairs(kg, curated, grown)


def bench_screen_pairs(kg: Path, *builds: Path) -> None:
    """`kg screen --pairs` on plasma: its time per run against one in-process prediction of one readout."""
    from kg.simulate import Simulator
    from kg.simulate.lite import load_lite

    for out in builds:
        sim = Simulator(load_lite(out))
        per_predict = _median_time(lambda i, sim=sim: sim.run(_partial_loss(i), readouts=["PPi"]), 9)
        t = time.perf_counter()
        result = subprocess.run([str(kg), "screen", "--context", "plasma", "--pairs", "--format", "json",
                                 "--build-dir", str(out)], check=True, capture_output=True)
        wall = time.perf_counter() - t
        runs = len(json.loads(result.stdout))
        print(f"{out.name}: `kg screen --pairs` (plasma, every gene alone and in pairs): {runs} runs in {wall:.1f} s, "
              f"{wall / runs * 1000:.1f} ms per run; one in-process prediction of PPi {per_predict * 1000:.1f} ms "
              f"({wall / runs / per_predict:.2f}x)")


def bench_screen(n: int, sample: int | None) -> None:
    from kg.simulate.signed import batch_propagate, nx_doubled, nx_propagate

    t = time.perf_counter()
    src, dst, sign = generated_network(n)
    gen = time.perf_counter() - t
    readout = int(np.bincount(dst, minlength=n).argmax())  # the most regulated node plays "PPi"
    sources = np.arange(n)
    signs = -np.ones(n, dtype=np.int64)  # knockouts
    t = time.perf_counter()
    code, _dist = batch_propagate(n, src, dst, sign, sources, signs, readouts=np.array([readout]))
    batched = time.perf_counter() - t
    g2 = nx_doubled(n, src.tolist(), dst.tolist(), sign.tolist())
    picks = sources if sample is None or sample >= n else np.random.default_rng(1).choice(n, sample, replace=False)
    t = time.perf_counter()
    mismatches = 0
    reach = []
    for s in picks:
        res = nx_propagate(g2, int(s), -1)
        reach.append(len(res))
        got = res.get(readout)
        want = 0 if got is None else (1 if 1 in got.signs else 0) | (2 if -1 in got.signs else 0)
        mismatches += int(code[s, 0] != want)
    per = (time.perf_counter() - t) / len(picks)
    baseline = per * n
    moved = int((code[:, 0] > 0).sum())
    how = "measured on all" if len(picks) == n else f"extrapolated from {len(picks)} sampled"
    print(f"screen n={n:>6} edges={src.size:>6} (generated in {gen:.1f} s): batched {batched:.3f} s; "
          f"networkx per perturbation {baseline:.2f} s ({how}); ratio {baseline / batched:.1f}x; "
          f"knockouts moving the readout {moved}; mean reach {statistics.mean(reach):.0f} entities; "
          f"mismatches {mismatches}/{len(picks)}")
    if n == 10_000:
        ok = batched < GOAL_SCREEN_10K_S and baseline / batched >= GOAL_RATIO
        print(f"  goal (10k screen < {GOAL_SCREEN_10K_S} s and >= {GOAL_RATIO:.0f}x): {'met' if ok else 'NOT met'}")


def main() -> None:
    sizes = [int(x) for x in os.environ.get("BENCH_SIM_SIZES", "1000,10000,100000").split(",") if int(x)]
    sample = int(os.environ.get("BENCH_SIM_SAMPLE", "300"))
    print(f"cpus: {os.cpu_count()}  numpy {np.__version__}")
    bench_prediction()
    for n in sizes:
        bench_screen(n, None if n <= 10_000 else sample)


if __name__ == "__main__":
    main()
