"""What the web app computes, run in worker processes (kg.serving.pool) that are killed past the time limit.

Each job calls the function the matching CLI command calls (kg.cli.predict.run_prediction for `kg predict`,
kg.named_queries.run for `kg query run`, kg.export.diagram for `kg export diagram`, ...) on the build the worker
loaded when it started; a new build retires the workers. The worker reads the build as it is, never rebuilding.
Expected errors (kg's own) come back as an Outcome with the API's status and JSON (kg.web.errors), so that a
message reaches the client exactly as the CLI would print it.
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kg.errors import KgError

JSON = "application/json"
MEDIA = {"svg": "image/svg+xml", "png": "image/png", "pdf": "application/pdf", "dot": "text/vnd.graphviz",
         "caption": "text/markdown; charset=utf-8", "html": "text/html; charset=utf-8"}


@dataclass(frozen=True)
class Job:
    kind: str
    params: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Outcome:
    """A job's answer: HTTP status, body (JSON-able data, or bytes with their media type)."""

    status: int
    body: Any
    media: str = JSON

    def encoded(self) -> Outcome:
        """The same answer with a JSON body already written as bytes: encoding happens in the worker, in
        parallel, and the server only passes the bytes on."""
        if self.media != JSON or isinstance(self.body, bytes):
            return self
        text = json.dumps(self.body, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
        return Outcome(self.status, text.encode("utf-8"), self.media)

    def data(self) -> Any:
        """The JSON body as data (for the few callers that read it)."""
        return json.loads(self.body) if isinstance(self.body, bytes) and self.media == JSON else self.body


class Build:
    """The build a worker answers from, each view loaded on first use."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._lite: Any = None
        self._graph: Any = None

    @property
    def lite(self) -> Any:
        """The light graph the simulator reads (what `kg predict` loads)."""
        if self._lite is None:
            from kg.build import read_graph_json
            from kg.simulate.lite import LiteGraph

            self._lite = LiteGraph(read_graph_json(self.folder))
        return self._lite

    @property
    def graph(self) -> Any:
        """The validated KnowledgeGraph (what `kg query`, `kg info` and `kg export` load)."""
        if self._graph is None:
            from kg.build import graph_in

            self._graph = graph_in(self.folder)
        return self._graph


# ---- jobs: one per API computation ---------------------------------------------------------------------------------
def _predicted(build: Build, *, perturbations: list[str], context: str | None, hypotheses: list[str],
               readouts: list[str], ensemble: int = 0, seed: int = 1, threshold: float = 0.8) -> dict[str, Any]:
    """`kg predict ... [--ensemble N --seed S --threshold T] --format json`."""
    from kg.cli.predict import ensemble_spec, run_prediction

    return run_prediction(build.lite, perturbations, context, hypotheses, readouts,
                          ensemble=ensemble_spec(ensemble, seed, threshold))[1]


def predict(build: Build, **prediction: Any) -> Outcome:
    return Outcome(200, _predicted(build, **prediction))


def plot(build: Build, *, fmt: str, **prediction: Any) -> Outcome:
    from kg.export.plot import render

    return Outcome(200, render(_predicted(build, **prediction), fmt), MEDIA[fmt])


def screen(build: Build, **options: Any) -> Outcome:
    from kg.cli.predict import run_screen

    context = options.pop("context")
    return Outcome(200, run_screen(build.lite, context, **options))


def check(build: Build, *, name: str, content: bytes, hypotheses: list[str], skip_unknown: bool) -> Outcome:
    """Score an uploaded cases file, read from a private temporary copy named as the upload was."""
    from kg.cli.predict import run_check
    from kg.simulate.check import load_cases

    with tempfile.TemporaryDirectory(prefix="kg-check-") as folder:
        path = Path(folder) / name
        path.write_bytes(content)
        data = load_cases(path, build.lite, skip_unknown=skip_unknown, display=name)
    return Outcome(200, run_check(build.lite, data, hypotheses)[1])


def queries(build: Build) -> Outcome:
    from kg import named_queries as nq
    from kg.cli.rdf import describe_query

    return Outcome(200, [describe_query(nq.load(n)) for n in nq.available()])


def query(build: Build, *, name: str, params: dict[str, str]) -> Outcome:
    from kg import named_queries as nq

    return Outcome(200, nq.run(name, params, build.graph, engine="networkx"))


def info(build: Build) -> Outcome:
    from kg.build import graph_stats

    return Outcome(200, graph_stats(build.graph))


def _selection(build: Build, module: str | None, focus: str | None, depth: int) -> Any:
    from kg.export.select import select

    return select(build.graph, module=module, focus=focus, depth=depth)


def _overlay(build: Build, perturbations: list[str], context: str | None) -> Any:
    if not perturbations:
        return None
    from kg.export.overlay import from_prediction

    return from_prediction(build.graph, perturbations, context)


def diagram(build: Build, *, module: str | None, focus: str | None, depth: int, show: list[str], hide: list[str],
            overlay: list[str], context: str | None, width: str | None, title: str | None, fmt: str) -> Outcome:
    """`kg export diagram` (svg, png, pdf, dot) or its caption (`--caption`), as bytes."""
    from kg.cli.export import diagram_title
    from kg.export.caption import caption_text
    from kg.export.diagram import PAPER_DPI, PNG_DPI, figure, parse_width, render
    from kg.export.dot import dot_source

    width_pt = parse_width(width)
    fig = figure(_selection(build, module, focus, depth),
                 title=diagram_title(module, focus, depth) if title is None else title,
                 overlay=_overlay(build, overlay, context), show=tuple(show), hide=tuple(hide),
                 numbers=fmt == "caption", width_pt=width_pt)
    if fmt == "caption":
        return Outcome(200, caption_text(fig).encode("utf-8"), MEDIA["caption"])
    data = render(dot_source(fig, width_pt=width_pt), fmt, dpi=PAPER_DPI if width_pt else PNG_DPI)
    return Outcome(200, data, MEDIA[fmt])


def view(build: Build, *, module: str | None, focus: str | None, depth: int) -> Outcome:
    """The interactive page's data for a selection (what `kg export html` embeds)."""
    from kg.cli.export import diagram_title
    from kg.export.html import page_data

    graph = _selection(build, module, focus, depth)
    return Outcome(200, page_data(graph, title=diagram_title(module, focus, depth), overlay=None, layout="auto"))


def html(build: Build, *, module: str | None, focus: str | None, depth: int) -> Outcome:
    """The offline page of a selection (`kg export html`), to keep and browse without the server."""
    from kg.cli.export import diagram_title
    from kg.export.html import render

    page = render(_selection(build, module, focus, depth), title=diagram_title(module, focus, depth))
    return Outcome(200, page.encode("utf-8"), MEDIA["html"])


def ping(build: Build) -> Outcome:
    """Load what most requests need, so that a warmed worker answers at once."""
    _ = build.lite
    return Outcome(200, {"ok": True})


JOBS: dict[str, Callable[..., Outcome]] = {f.__name__: f for f in (
    predict, plot, screen, check, queries, query, info, diagram, view, html, ping)}


def make_handler(build_folder: str) -> Callable[[Job], Outcome]:
    """The worker's handler over the build in `build_folder` (kg.serving.pool builds it once per worker)."""
    from kg.web.errors import error_payload

    build = Build(Path(build_folder))

    def handle(job: Job) -> Outcome:
        try:
            return JOBS[job.kind](build, **job.params).encoded()
        except KgError as exc:
            status, body = error_payload(exc)
            return Outcome(status, body).encoded()

    return handle
