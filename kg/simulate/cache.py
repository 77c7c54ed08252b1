"""An on-disk cache of what the simulator derives from the graph for one run's edge set: the calibrated, compiled
kinetic model (with its baseline solved) and the signed network's steps, so that a `kg predict` call starts from
a solved baseline.

Building a context's model from the graph, generating and compiling its code and solving its baseline cost far
more than the perturbed solve a prediction needs, and deriving the signed steps needs the schema (a YAML read);
all of it depends only on the graph, the context, the switched on hypotheses, the edges a variant removes, and
the simulator's own code. An entry is keyed by a digest of
exactly those (the graph by the SHA-256 of the graph.json bytes that were parsed; the code by the SHA-256 of
kg/simulate's sources, kg/names.py, kg/schema.py and schema/kg.yaml; the interpreter by its bytecode magic
number), so a stale entry is never found, let alone served: a changed build or code gives another key.

An entry is one file, `<build>/sim-cache/<key>.model`: a marshal of (the key, the model and its baseline as
JSON text, the generated source's code object), like the `.pyc` files Python itself keeps beside a package's
sources (the build folder is as trusted as they are). Entries are written atomically (a temporary file renamed
into place); an unreadable or mismatched entry is ignored and rewritten; at most `KEEP` entries are kept.
A folder that cannot be written only means no cache.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import logging
import marshal
import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from kg.paths import PACKAGE_DIR, schema_dir

log = logging.getLogger(__name__)
FORMAT = 1  # bump when an entry's layout changes
FOLDER = "sim-cache"
SUFFIX = ".model"
KEEP = 64


@dataclass
class Entry:
    """What a cache entry holds: the calibrated model (IR as JSON), its generated source and compiled code, the
    Jacobian's sparsity, the solver's elimination order, the baseline state, and the signed steps."""

    model: dict[str, Any]
    source: str
    code: Any
    deps: list[list[int]]
    pattern: list[list[int]]
    order: list[int]
    base_x: list[float]
    steps: list[list[Any]]


@lru_cache(maxsize=1)
def code_digest() -> str:
    """SHA-256 over the simulator's code and the schema it reads."""
    files = sorted((PACKAGE_DIR / "simulate").rglob("*.py"))
    files += [PACKAGE_DIR / "names.py", PACKAGE_DIR / "schema.py", schema_dir() / "kg.yaml"]
    h = hashlib.sha256()
    for f in files:
        h.update(str(f.relative_to(PACKAGE_DIR.parent)).encode())
        h.update(f.read_bytes())
    return h.hexdigest()


def key(graph_digest: str, context_id: str, hypotheses: frozenset[str], removed: frozenset[str]) -> str:
    """The entry's key: a digest of everything the calibrated model depends on."""
    parts = [f"format {FORMAT}", importlib.util.MAGIC_NUMBER.hex(), code_digest(), graph_digest, context_id,
             *sorted(f"hypothesis {h}" for h in hypotheses), *sorted(f"removed {e}" for e in removed)]
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:32]


class ModelCache:
    """The cache folder of one build."""

    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder)

    def load(self, k: str) -> Entry | None:
        path = self.folder / f"{k}{SUFFIX}"
        try:
            stored_key, text, code = marshal.loads(path.read_bytes())  # noqa: S302 - our own entry, as a .pyc
            if stored_key != k:
                raise ValueError("key mismatch")
            data = json.loads(text)
            return Entry(**data, code=code)
        except FileNotFoundError:
            return None
        except (OSError, ValueError, EOFError, TypeError) as exc:
            log.warning("ignoring unreadable simulator cache entry %s: %s", path, exc)
            return None

    def save(self, k: str, entry: Entry) -> None:
        data = {"model": entry.model, "source": entry.source, "deps": entry.deps, "pattern": entry.pattern,
                "order": entry.order, "base_x": entry.base_x, "steps": entry.steps}
        blob = marshal.dumps((k, json.dumps(data, sort_keys=True), entry.code))
        import tempfile

        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=f"{k}-", suffix=".tmp", dir=self.folder)
            with os.fdopen(fd, "wb") as fh:
                fh.write(blob)
            os.replace(tmp, self.folder / f"{k}{SUFFIX}")
            self._prune()
        except OSError as exc:
            log.debug("simulator cache not written (%s): %s", self.folder, exc)

    def _prune(self) -> None:
        """Keep the KEEP most recently written entries (older builds' entries go first)."""
        entries = sorted(self.folder.glob(f"*{SUFFIX}"), key=lambda f: (f.stat().st_mtime, f.name), reverse=True)
        for old in entries[KEEP:]:
            old.unlink(missing_ok=True)


def networks(graph: Any, edges: list[Any], ctx: Any, hypotheses: frozenset[str], removed: frozenset[str]) \
        -> tuple[Any, list[Any]]:
    """The KineticRun of a context's model over these edges and the signed steps: from the build's cache when the
    graph came from a build (a LiteGraph with its digest), else derived (and then stored)."""
    from kg.simulate.network import Step

    digest, build_dir = getattr(graph, "digest", None), getattr(graph, "build_dir", None)
    store = ModelCache(Path(build_dir) / FOLDER) if digest and build_dir else None
    k = key(digest, ctx.id, hypotheses, removed) if store else ""
    entry = store.load(k) if store else None
    if entry is None:
        entry = _derive(graph, edges, ctx)
        if store:
            store.save(k, entry)
    return _restore(entry), [Step(*s[:6], tuple(s[6]), s[7]) for s in entry.steps]


def _derive(graph: Any, edges: list[Any], ctx: Any) -> Entry:
    from kg.simulate.model import build_model
    from kg.simulate.network import build_steps
    from kg.simulate.solve.baseline import calibrate

    model, _reg = build_model(graph, edges, ctx)
    cm, base_x, lu = calibrate(model)
    steps = build_steps(edges, lambda name: graph.resolve(name).id)
    return Entry(model.to_json(), cm.source, cm.code,
                 [sorted(d) for d in cm.deps], [list(ij) for ij in cm.pattern], lu.order, base_x,
                 [[s.source, s.target, s.sign, s.edge, s.predicate, s.weight, list(s.evidence), s.derived]
                  for s in steps])


def _restore(entry: Entry) -> Any:
    from kg.simulate.model.compile import load_compiled
    from kg.simulate.model.ir import Model
    from kg.simulate.solve.linear import SparseLU
    from kg.simulate.solve.run import KineticRun

    model = Model.from_json(entry.model)
    cm = load_compiled(model, entry.source, [frozenset(d) for d in entry.deps], [(i, j) for i, j in entry.pattern],
                       entry.code)
    return KineticRun(cm, entry.base_x, SparseLU(len(model.states), cm.pattern, entry.order))
