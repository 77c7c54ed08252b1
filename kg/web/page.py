"""The page at `/`, its static files, and the API documentation at /docs.

The page is the offline page of `kg export html` (kg/export/web: page.html, page.js, page.css) with its data
embedded for the first view (the core module; the whole graph for a build without its members) and `api` set,
so that page.js also searches, draws other views and predicts through the API. Here the scripts and the style
are files served from /static rather than inlined, so that the Content-Security-Policy allows scripts from this
origin only (kg.web.guard). The API documentation is Swagger UI from the `swagger-ui-dist` npm package (pinned
in kg/export/web/package.json), served here too: no page of this server loads anything from another site.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Depends
from fastapi.responses import FileResponse, HTMLResponse, Response

from kg.errors import KgError
from kg.web.common import state
from kg.web.errors import NotFound
from kg.web.settings import API_PREFIX
from kg.web.state import AppState

WEB_DIR = Path(__file__).resolve().parent.parent / "export" / "web"
SWAGGER = WEB_DIR / "node_modules" / "swagger-ui-dist"
STATIC = "/static"
FIRST_VIEW = {"module": "core"}
# the files the server hands out, by name: nothing else under kg/export/web is reachable
STATIC_FILES = {
    "page.js": (WEB_DIR / "page.js", "text/javascript; charset=utf-8"),
    "page.css": (WEB_DIR / "page.css", "text/css; charset=utf-8"),
    "cytoscape.min.js": (WEB_DIR / "node_modules" / "cytoscape" / "dist" / "cytoscape.min.js",
                         "text/javascript; charset=utf-8"),
    "docs.js": (Path(__file__).with_name("docs.js"), "text/javascript; charset=utf-8"),
    "swagger-ui-bundle.js": (SWAGGER / "swagger-ui-bundle.js", "text/javascript; charset=utf-8"),
    "swagger-ui.css": (SWAGGER / "swagger-ui.css", "text/css; charset=utf-8"),
}
DOCS_PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>kg API</title>
<link rel="stylesheet" href="/static/swagger-ui.css"></head>
<body><div id="swagger-ui"></div>
<script src="/static/swagger-ui-bundle.js"></script><script src="/static/docs.js"></script></body></html>
"""

router = APIRouter(include_in_schema=False)


@router.get("/", response_class=HTMLResponse)
def page(app: Annotated[AppState, Depends(state)]) -> HTMLResponse:
    from kg.export.html import render_page
    from kg.export.select import modules

    scope: dict[str, str] = dict(FIRST_VIEW)
    outcome = app.run("view", module=FIRST_VIEW["module"], focus=None, depth=1)
    if outcome.status != 200:  # a build without the core module's members (a user's own network): everything
        scope = {}
        outcome = app.run("view", module=None, focus=None, depth=1)
    if outcome.status != 200:
        raise KgError(outcome.data().get("error", "the first view could not be drawn"))
    data = {**outcome.data(), "api": API_PREFIX, "scope": scope, "modules": sorted(modules())}
    return HTMLResponse(render_page(data, data["title"], static=STATIC))


@router.get("/favicon.ico")
def favicon() -> Response:
    return Response(status_code=204)


@router.get("/docs", response_class=HTMLResponse)
def docs() -> HTMLResponse:
    return HTMLResponse(DOCS_PAGE)


@router.get(STATIC + "/{name}")
def static(name: str) -> Response:
    if name not in STATIC_FILES:
        raise NotFound(f"no such file: {name}")
    path, media = STATIC_FILES[name]
    if not path.is_file():
        raise KgError(f"{path.name} is not installed: run `npm ci` in {WEB_DIR} (`make install` does)")
    return FileResponse(path, media_type=media, headers={"cache-control": "no-cache"})
