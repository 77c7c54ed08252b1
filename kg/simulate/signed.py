"""The signed reasoning layer: which way each entity moves when others are perturbed.

Every entity has an "up" and a "down" copy; a positive step joins up->up and down->down, a negative one crosses.
A signed question is then reachability. An entity is decided by its *shortest* signed paths from the
perturbation: up if they all arrive at its up copy, down if all at its down copy, ambiguous if both (reported,
never guessed), unchanged if nothing reaches it. Shortest paths never revisit an entity, and once an entity is
decided it is not entered again, so no path through it revisits it either. Longer paths of the other sign are
found by `best_paths` and reported as opposing paths.

`propagate` runs one perturbation in plain Python (fast for the curated graph, no numpy). `batch_propagate` runs
a whole screen at once: a level-synchronous BFS whose frontier is a bit matrix (entities x perturbations, 64
perturbations per machine word) multiplied by the sparse signed adjacency in the boolean semiring through the
CSR arrays of a scipy.sparse matrix. `nx_propagate` is the one-at-a-time networkx baseline used by the benchmark
and the tests.
"""

from __future__ import annotations

import heapq
import itertools
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from kg.simulate.network import Step

if TYPE_CHECKING:
    import numpy as np

UP, DOWN = 1, -1


@dataclass(frozen=True)
class Reached:
    distance: int
    signs: frozenset[int]

    @property
    def direction(self) -> str:
        if len(self.signs) > 1:
            return "ambiguous"
        return "increase" if UP in self.signs else "decrease"


def propagate(adj: Mapping[str, list[Step]], seeds: Mapping[str, Iterable[int]],
              blocked: Iterable[str] = ()) -> dict[str, Reached]:
    """Shortest-signed-path directions from the seeds; `blocked` entities are never entered (decided elsewhere)."""
    stop = set(blocked)
    state: dict[str, Reached] = {}
    frontier: dict[str, set[int]] = {}
    for ent, signs in seeds.items():
        s = {x for x in signs if x}
        if s:
            state[ent] = Reached(0, frozenset(s))
            frontier[ent] = s
    level = 0
    while frontier:
        level += 1
        new: dict[str, set[int]] = {}
        for u in sorted(frontier):
            for sg in sorted(frontier[u]):
                for step in adj.get(u, ()):
                    v = step.target
                    if v in state or v in stop:
                        continue
                    new.setdefault(v, set()).add(sg * step.sign)
        for v, signs in new.items():
            state[v] = Reached(level, frozenset(signs))
        frontier = new
    return state


@dataclass(frozen=True)
class Path:
    """A simple signed path from a seed: its sign, strength (product of step weights) and steps."""

    sign: int
    score: float
    seed: str
    steps: tuple[Step, ...]

    @property
    def entities(self) -> list[str]:
        return [self.seed, *(s.target for s in self.steps)]


def best_paths(adj: Mapping[str, list[Step]], seeds: Mapping[str, int], *, max_length: int = 6, per_sign: int = 3,
               budget: int = 200_000, blocked: Iterable[str] = (), targets: Iterable[str] | None = None,
               keep: Callable[[Path], bool] | None = None) -> dict[tuple[str, int], list[Path]]:
    """The strongest simple paths (no entity revisited) from the seeds to every entity (or only to `targets`),
    `per_sign` per sign.

    Depth-first enumeration up to `max_length` steps, at most `budget` expansions (the curated graph needs far
    fewer). Paths never enter another seed or a `blocked` entity (the same rule as `propagate`, so the paths that
    explain a call are the ones that could have made it). With `targets`, a branch is cut where no target is
    within the steps left (distances from a backward search), which finds the same paths to them for much less
    work on a large graph. With `keep`, only paths it accepts are ranked (the kinetic layer keeps the paths its
    steps carried, so that strong paths it contradicts do not crowd out the ones that did act). Ranking: strength,
    then length, then edge ids, so results are deterministic.
    """
    stop = set(blocked) | set(seeds)
    near = None if targets is None else _distances_to(adj, set(targets), max_length)
    kept: dict[tuple[str, int], list[tuple[float, int, tuple[Any, ...], int, Path]]] = {}
    sequence = itertools.count()
    expansions = 0

    def record(path: Path) -> None:
        if keep is not None and not keep(path):
            return
        key = (path.steps[-1].target, path.sign)
        heap = kept.setdefault(key, [])
        # steps (edge, source, derived) and then the seed break ties: one edge can carry steps from two seeds (an
        # enzyme and its substrate), so two paths may share score, length and edges; the sequence number after
        # them keeps equal items comparable (Path objects have no order: heapq would raise TypeError)
        order = (*((s.edge, s.source, s.derived) for s in path.steps), path.seed)
        item = (path.score, -len(path.steps), tuple(reversed(order)), -next(sequence), path)
        if len(heap) < per_sign:
            heapq.heappush(heap, item)
        elif item[:4] > heap[0][:4]:
            heapq.heapreplace(heap, item)

    for seed in sorted(seeds):
        sign0 = seeds[seed]
        if not sign0:
            continue
        stack: list[tuple[str, int, float, tuple[Step, ...], frozenset[str]]] = [
            (seed, sign0, 1.0, (), frozenset({seed}))]
        while stack and expansions < budget:
            node, sign, score, steps, seen = stack.pop()
            if len(steps) >= max_length:
                continue
            for step in reversed(adj.get(node, ())):
                if step.target in seen or step.target in stop:
                    continue
                if near is not None and near.get(step.target, max_length + 1) > max_length - len(steps) - 1:
                    continue
                expansions += 1
                nsteps = (*steps, step)
                nsign, nscore = sign * step.sign, score * step.weight
                if near is None or near[step.target] == 0:
                    record(Path(nsign, nscore, seed, nsteps))
                stack.append((step.target, nsign, nscore, nsteps, seen | {step.target}))
    return {k: [it[4] for it in sorted(v, key=lambda it: it[:4], reverse=True)] for k, v in kept.items()}


def _distances_to(adj: Mapping[str, list[Step]], targets: set[str], limit: int) -> dict[str, int]:
    """Fewest steps from each entity to any target (backward breadth-first search, up to `limit`)."""
    back: dict[str, set[str]] = {}
    for src, steps in adj.items():
        for st in steps:
            back.setdefault(st.target, set()).add(src)
    dist = dict.fromkeys(targets, 0)
    frontier = sorted(targets)
    for d in range(1, limit + 1):
        nxt = []
        for v in frontier:
            for u in sorted(back.get(v, ())):
                if u not in dist:
                    dist[u] = d
                    nxt.append(u)
        frontier = nxt
    return dist


# ---- batched: the whole screen at once ------------------------------------------------------------------------------
def signed_matrix(n: int, src: np.ndarray, dst: np.ndarray, sign: np.ndarray) -> Any:
    """The doubled signed adjacency as a scipy CSR matrix (rows: target copies, columns: source copies).

    Entity v has copies 2v (up) and 2v+1 (down); a negative step crosses copies.
    """
    import numpy as np
    from scipy.sparse import csr_matrix

    neg = (sign < 0).astype(np.int64)
    rows = np.concatenate([2 * dst + neg, 2 * dst + 1 - neg])
    cols = np.concatenate([2 * src, 2 * src + 1])
    data = np.ones(rows.size, dtype=np.int8)
    m = csr_matrix((data, (rows, cols)), shape=(2 * n, 2 * n))
    m.sum_duplicates()
    return m


def batch_propagate(n: int, src: np.ndarray, dst: np.ndarray, sign: np.ndarray, sources: np.ndarray,
                    source_signs: np.ndarray, readouts: np.ndarray | None = None,
                    chunk: int = 512) -> tuple[np.ndarray, np.ndarray]:
    """Directions of `readouts` (default: all entities) under each single perturbation (source, sign).

    Returns (code, distance), each shaped (len(sources), len(readouts)): code bit 0 = reached up, bit 1 = reached
    down (3 = ambiguous, 0 = unchanged); distance -1 when unreached. Same semantics as `propagate`.
    """
    import numpy as np

    readouts = np.arange(n) if readouts is None else np.asarray(readouts)
    out = signed_matrix(n, np.asarray(src), np.asarray(dst), np.asarray(sign)).T.tocsr()  # rows: source copies
    position = np.full(n, -1, dtype=np.int64)
    position[readouts] = np.arange(readouts.size)
    code = np.zeros((len(sources), len(readouts)), dtype=np.uint8)
    dist = np.full((len(sources), len(readouts)), -1, dtype=np.int32)
    chunk = max(64, (chunk // 64) * 64)
    for lo in range(0, len(sources), chunk):
        srcs, sgs = np.asarray(sources[lo:lo + chunk]), np.asarray(source_signs[lo:lo + chunk])
        _run_chunk(n, out.indptr, out.indices, srcs, sgs, position, code[lo:lo + chunk], dist[lo:lo + chunk])
    return code, dist


def _bits(words: np.ndarray, count: int) -> np.ndarray:
    """Unpack (..., W) uint64 bit rows into (..., count) booleans; bit j of word w is perturbation 64*w + j."""
    import numpy as np

    flat = np.unpackbits(np.ascontiguousarray(words).view(np.uint8), axis=-1, bitorder="little")
    return flat[..., :count].astype(bool)


def _run_chunk(n: int, indptr: np.ndarray, indices: np.ndarray, srcs: np.ndarray, sgs: np.ndarray,
               position: np.ndarray, code: np.ndarray, dist: np.ndarray) -> None:
    """Level-synchronous BFS for up to 64*W perturbations at once. Only the frontier's active rows (entity copies
    some perturbation reached at this level) are stored; one level is the boolean product of those rows with the
    sparse adjacency (gather along out-edges, OR-reduce per target), masked by the entities already decided."""
    import numpy as np

    b = len(srcs)
    words = (b + 63) // 64
    decided = np.zeros((n, words), dtype=np.uint64)
    idx = np.arange(b)
    w, bit = idx // 64, (idx % 64).astype(np.uint64)
    seed_rows = 2 * srcs + (sgs < 0)
    rows, inverse = np.unique(seed_rows, return_inverse=True)
    frontier = np.zeros((rows.size, words), dtype=np.uint64)
    np.bitwise_or.at(frontier, (inverse, w), np.uint64(1) << bit)
    np.bitwise_or.at(decided, rows // 2, frontier)
    _record(rows, frontier, position, b, code, dist, 0)
    level = 0
    while rows.size:
        level += 1
        counts = indptr[rows + 1] - indptr[rows]
        if not counts.sum():
            break
        owner = np.repeat(np.arange(rows.size), counts)
        offsets = np.arange(counts.sum()) - np.repeat(np.cumsum(counts) - counts, counts)
        targets = indices[np.repeat(indptr[rows], counts) + offsets]
        order = np.argsort(targets, kind="stable")
        targets = targets[order]
        uniq, starts = np.unique(targets, return_index=True)
        reached = np.bitwise_or.reduceat(frontier[owner[order]], starts, axis=0)
        reached &= ~decided[uniq // 2]
        keep = reached.any(axis=1)
        rows, frontier = uniq[keep], reached[keep]
        if rows.size:  # rows are sorted, so an entity's two copies are adjacent: OR them, then mark decided
            ent = rows // 2
            first = np.flatnonzero(np.r_[True, ent[1:] != ent[:-1]])
            decided[ent[first]] |= np.bitwise_or.reduceat(frontier, first, axis=0)
        _record(rows, frontier, position, b, code, dist, level)


def _record(rows: np.ndarray, frontier: np.ndarray, position: np.ndarray, b: int, code: np.ndarray,
            dist: np.ndarray, level: int) -> None:
    """Store the readout copies reached at `level`: bit 0 of code for the up copy, bit 1 for the down copy."""
    import numpy as np

    pos = position[rows // 2]
    sel = pos >= 0
    if not sel.any():
        return
    hits = _bits(frontier[sel], b)  # (selected rows, perturbations)
    for row, col, hit in zip(rows[sel], pos[sel], hits, strict=True):
        which = np.flatnonzero(hit)
        code[which, col] |= np.uint8(1 + (row & 1))
        fresh = which[dist[which, col] < 0]
        dist[fresh, col] = level


def nx_propagate(graph: Any, source: int, sign: int) -> dict[int, Reached]:
    """Baseline: one networkx BFS over the doubled graph (nodes (entity, sign)) for one perturbation."""
    import networkx as nx

    lengths = nx.single_source_shortest_path_length(graph, (source, sign))
    best: dict[int, int] = {}
    for (ent, _s), d in lengths.items():
        if d < best.get(ent, 1 << 30):
            best[ent] = d
    signs: dict[int, set[int]] = {}
    for (ent, s), d in lengths.items():
        if d == best[ent]:
            signs.setdefault(ent, set()).add(s)
    return {ent: Reached(best[ent], frozenset(v)) for ent, v in signs.items()}


def nx_doubled(n: int, src: Iterable[int], dst: Iterable[int], sign: Iterable[int]) -> Any:
    """The doubled signed graph for `nx_propagate`."""
    import networkx as nx

    g = nx.DiGraph()
    g.add_nodes_from((v, s) for v in range(n) for s in (UP, DOWN))
    for u, v, s in zip(src, dst, sign, strict=True):
        for c in (UP, DOWN):
            g.add_edge((u, c), (v, c * (1 if s > 0 else -1)))
    return g
