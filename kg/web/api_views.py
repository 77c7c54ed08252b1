"""Routes that draw: pathway diagrams (`kg export diagram`), the interactive page's data for a selection, and the
offline page to keep (`kg export html`)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query
from fastapi.responses import Response

from kg.web.common import ERRORS, MAX_ITEMS, MAX_TEXT, bounded, optional_text, respond, state
from kg.web.state import AppState

router = APIRouter(tags=["views"], responses=ERRORS)
State = Annotated[AppState, Depends(state)]
Module = Annotated[str | None, Query(max_length=50, description="A named module, e.g. core.")]
Focus = Annotated[str | None, Query(max_length=MAX_TEXT, description="Draw this entity's neighbourhood.")]
Depth = Annotated[int, Query(ge=0, le=3, description="Neighbourhood depth for focus.")]
Texts = Annotated[list[str] | None, Query(max_length=MAX_ITEMS)]


def _selection(module: str | None, focus: str | None) -> dict[str, str | None]:
    return {"module": optional_text(module, "module"), "focus": optional_text(focus, "focus")}


@router.get("/diagram", summary="A pathway diagram (kg export diagram)", response_class=Response,
            responses={200: {"content": {"image/svg+xml": {}, "image/png": {}, "application/pdf": {},
                                         "text/vnd.graphviz": {}, "text/markdown": {}}}})
def diagram(app: State, module: Module = None, focus: Focus = None, depth: Depth = 1, show: Texts = None,
            hide: Texts = None, overlay: Annotated[list[str] | None, Query(max_length=MAX_ITEMS, description=
                                                                        "Colour by the predicted response to "
                                                                        "these perturbations.")] = None,
            context: Annotated[str | None, Query(max_length=MAX_TEXT)] = None,
            width: Annotated[str | None, Query(max_length=20, examples=["89mm"])] = None,
            title: Annotated[str | None, Query(max_length=MAX_TEXT)] = None,
            format: Annotated[str, Query(pattern="^(svg|png|pdf|dot|caption)$")] = "svg") -> Response:
    """Compartments as bands, glyphs and arrows from the schema, variants and diseases summarised unless shown,
    a legend of what is drawn. `format=caption` gives the figure legend with every numbered arrow's citations.
    The whole graph when neither module nor focus is given."""
    return respond(app.run("diagram", **_selection(module, focus), depth=depth, show=bounded(show, "category"),
                           hide=bounded(hide, "category"), overlay=bounded(overlay, "perturbation"),
                           context=optional_text(context, "context"), width=width, title=title, fmt=format))


@router.get("/view", summary="The interactive page's data for a selection (what kg export html embeds)")
def view(app: State, module: Module = None, focus: Focus = None, depth: Depth = 1) -> Response:
    """Cytoscape.js elements with the diagram's positions and every record, the identifier prefixes, signs,
    statuses, the legend of what is drawn and the drawing style."""
    return respond(app.run("view", **_selection(module, focus), depth=depth))


@router.get("/export/html", summary="The offline page of a selection, to keep (kg export html)",
            response_class=Response, responses={200: {"content": {"text/html": {}}}})
def export_html(app: State, module: Module = None, focus: Focus = None, depth: Depth = 1) -> Response:
    """One self-contained file (Cytoscape.js inlined): browse, search, cards and filters without the server."""
    return respond(app.run("html", **_selection(module, focus), depth=depth), filename="kg.html")
