"""`kg export ...`: pathway pictures, exchange formats and the offline page (implementations in kg.export).

Every subcommand writes -o FILE atomically (nothing is left behind on failure) and takes the same selection
options (--module, --focus, --depth). Bad input (unknown format, entity or module, unwritable path) exits 2.
`kg export rdf` lives in kg.cli.rdf and is imported only when used.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from kg.cli.core import build_dir_option, get_graph
from kg.cli.lazy import LazyGroup

if TYPE_CHECKING:
    from kg.graph import KnowledgeGraph

@click.group(cls=LazyGroup, lazy={"rdf": "kg.cli.rdf:export_rdf", "sbml": "kg.cli.export_model:export_sbml",
                                  "sbml-qual": "kg.cli.export_model:export_sbml_qual",
                                  "petab": "kg.cli.export_model:export_petab"})
def export() -> None:
    """Export the graph: diagrams, SBGN-ML, GraphML, GEXF, Cytoscape.js, CX2, SIF, Mermaid, KGX, HTML; the
    simulator's model as SBML, SBML-qual and PEtab."""


def _common(func: Callable[..., Any]) -> Callable[..., Any]:
    for option in reversed([
        click.option("-o", "--output", "output", required=True, type=click.Path(path_type=Path),
                     help="The file to write (written atomically)."),
        click.option("--module", default=None, help="A named module, e.g. core."),
        click.option("--focus", default=None, help="Draw only the neighbourhood of this entity."),
        click.option("--depth", type=click.IntRange(0, 10), default=1, show_default=True,
                     help="Neighbourhood depth for --focus."),
        build_dir_option,
    ]):
        func = option(func)
    return func


def _prepare(output: Path, build_dir: Path | None, module: str | None, focus: str | None,
             depth: int) -> KnowledgeGraph:
    return _prepare_both(output, build_dir, module, focus, depth)[1]


def _prepare_both(output: Path, build_dir: Path | None, module: str | None, focus: str | None,
                  depth: int) -> tuple[KnowledgeGraph, KnowledgeGraph]:
    """(the whole graph, the selection to draw): predictions run on the whole graph, the picture shows a part."""
    from kg.export.base import check_writable
    from kg.export.select import select

    check_writable(output)  # fail fast, before any work
    whole = get_graph(build_dir)
    return whole, select(whole, module=module, focus=focus, depth=depth)


def diagram_title(module: str | None, focus: str | None, depth: int) -> str:
    """The title `kg export` gives a selection (the web app titles it the same)."""
    if module and focus:
        return f"kg: {focus} (depth {depth}) in module {module}"
    if module:
        return f"kg: {module} module"
    if focus:
        return f"kg: {focus} and neighbours (depth {depth})"
    return "kg: ANKH / PPi / mineralization network"


def _overlay(graph: KnowledgeGraph, perturbations: tuple[str, ...], context: str | None) -> Any:
    if not perturbations:
        return None
    from kg.export.overlay import from_prediction

    return from_prediction(graph, list(perturbations), context)


def _write(graph: KnowledgeGraph, fmt: str, output: Path, **options: Any) -> None:
    from kg.export.base import export as do_export

    for path in do_export(graph, fmt, output, **options):
        click.echo(f"wrote {path}", err=True)


@export.command("diagram")
@_common
@click.option("--format", "fmt", type=click.Choice(["svg", "png", "pdf", "dot"]), default=None,
              help="Output format (default: from the file suffix, else svg).")
@click.option("--overlay", "perturbations", multiple=True, metavar="PERTURBATION",
              help="Colour entities by the predicted response to this perturbation (repeatable), e.g. ANKH:p.P5L.")
@click.option("--context", default=None, help="Cell system for the prediction overlay.")
@click.option("--title", default=None, help="Picture title ('' for none).")
@click.option("--no-legend", is_flag=True, help="Leave the legend out.")
@click.option("--show", "show", multiple=True, metavar="CATEGORY",
              help="Draw this category's entities one by one (variants and diseases are summarised by default).")
@click.option("--hide", "hide", multiple=True, metavar="CATEGORY", help="Leave this category out (repeatable).")
@click.option("--width", default=None, metavar="LENGTH",
              help="Printed width for a paper, e.g. 89mm, 180mm, 3.5in: text stays legible at that width.")
@click.option("--caption", is_flag=True,
              help="Also write NAME.caption.md (every numbered arrow's statements and citations).")
def diagram(output: Path, module: str | None, focus: str | None, depth: int, build_dir: Path | None,
            fmt: str | None, perturbations: tuple[str, ...], context: str | None, title: str | None,
            no_legend: bool, show: tuple[str, ...], hide: tuple[str, ...], width: str | None,
            caption: bool) -> None:
    """A pathway picture: compartments as bands, SBGN-like glyphs, a legend of what is drawn; laid out by ELK
    and drawn by Graphviz (svg, png, pdf with real text)."""
    from kg.errors import InputError

    if fmt is None:
        suffix = output.suffix.lstrip(".").lower()
        fmt = suffix if suffix in ("svg", "png", "pdf", "dot") else "svg"
    elif output.suffix and output.suffix.lstrip(".").lower() in ("svg", "png", "pdf", "dot") \
            and output.suffix.lstrip(".").lower() != fmt:
        raise InputError(f"--format {fmt} does not match the file suffix of '{output}'")
    from kg.export.diagram import parse_width
    from kg.export.summary import category_names

    parse_width(width)
    category_names([*show, *hide])  # bad names fail before any work
    whole, graph = _prepare_both(output, build_dir, module, focus, depth)
    _write(graph, "diagram", output, format=fmt,
           title=diagram_title(module, focus, depth) if title is None else title,
           overlay=_overlay(whole, perturbations, context), legend=not no_legend, show=show, hide=hide,
           width=width, caption=caption)


def _simple(name: str, fmt: str, help_text: str) -> None:
    @export.command(name, help=help_text)
    @_common
    @click.option("--layout", type=click.Choice(["auto", "layered", "grid", "dot"]), default="auto",
                  show_default=True, help="Coordinates (where the format has them): the diagram's layered layout, "
                                          "or a grid for big graphs ('dot' is read as 'layered').")
    def command(output: Path, module: str | None, focus: str | None, depth: int, build_dir: Path | None,
                layout: str) -> None:
        _write(_prepare(output, build_dir, module, focus, depth), fmt, output, layout=layout)


_simple("sbgn", "sbgn", "SBGN-ML activity flow (for SBGN editors such as Newt).")
_simple("graphml", "graphml", "GraphML (Cytoscape, yEd, Gephi, networkx); every field kept.")
_simple("gexf", "gexf", "GEXF 1.2 (Gephi); every field kept.")
_simple("cytoscape", "cytoscape", "Cytoscape.js JSON (also opened by Cytoscape desktop).")
_simple("cx2", "cx2", "CX2 for NDEx and Cytoscape.")
_simple("mermaid", "mermaid", "A Mermaid flowchart for Markdown.")


@export.command("sif")
@_common
@click.option("--extended", is_flag=True, help="Extended SIF with sign, mechanism, status and publications.")
def sif(output: Path, module: str | None, focus: str | None, depth: int, build_dir: Path | None,
        extended: bool) -> None:
    """SIF (CURIE, predicate, CURIE), or extended SIF."""
    _write(_prepare(output, build_dir, module, focus, depth), "sif-extended" if extended else "sif", output)


@export.command("kgx")
@_common
@click.option("--format", "fmt", type=click.Choice(["tsv", "jsonl"]), default="tsv", show_default=True)
def kgx(output: Path, module: str | None, focus: str | None, depth: int, build_dir: Path | None,
        fmt: str) -> None:
    """KGX node and edge files: OUTPUT_nodes.EXT and OUTPUT_edges.EXT."""
    _write(_prepare(output, build_dir, module, focus, depth), "kgx", output, format=fmt)


@export.command("html")
@_common
@click.option("--overlay", "perturbations", multiple=True, metavar="PERTURBATION",
              help="Include the predicted response to this perturbation (repeatable).")
@click.option("--context", default=None, help="Cell system for the prediction overlay.")
@click.option("--title", default=None, help="Page title.")
def html(output: Path, module: str | None, focus: str | None, depth: int, build_dir: Path | None,
         perturbations: tuple[str, ...], context: str | None, title: str | None) -> None:
    """One self-contained offline page: pan, zoom, search, entity cards, filters, prediction overlay."""
    whole, graph = _prepare_both(output, build_dir, module, focus, depth)
    _write(graph, "html", output, title=title or diagram_title(module, focus, depth),
           overlay=_overlay(whole, perturbations, context))
