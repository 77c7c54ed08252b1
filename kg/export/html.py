"""One self-contained, offline HTML page: the graph drawn by Cytoscape.js at the diagram's positions.

Cytoscape.js comes from the npm package in kg/export/web (installed by `npm ci` there; `make install` does it)
and is inlined at export time with the page's own script, style and the graph data, so the file needs no network
and no server. `KG_CYTOSCAPE_JS` may point at another copy of cytoscape.min.js.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kg.errors import KgError
from kg.export.base import Exporter

if TYPE_CHECKING:
    from kg.export.overlay import Overlay
    from kg.graph import KnowledgeGraph

WEB_DIR = Path(__file__).with_name("web")
_MARKER = re.compile(r"__(?:TITLE|STYLE|DATA|SCRIPTS)__")
LIBRARY = WEB_DIR / "node_modules" / "cytoscape" / "dist" / "cytoscape.min.js"


def cytoscape_js() -> str:
    """The Cytoscape.js library text, or a KgError saying how to install it."""
    path = Path(os.environ.get("KG_CYTOSCAPE_JS") or LIBRARY)
    if not path.is_file():
        raise KgError(f"Cytoscape.js not found at {path}: run `npm ci` in {WEB_DIR} (`make install` does)")
    return path.read_text(encoding="utf-8")


# In a <script> element the HTML parser ends the element at `</script` and enters an "escaped" state at `<!--`
# (after which `<script` makes even the real closing tag part of the text): the page then never draws. The data
# is JSON, so every `<`, `>` and `&` is written as a \\u003c-style escape (JSON.parse gives the same string back),
# and so are U+2028/U+2029, which end a line in older JavaScript parsers.
_JSON_ESCAPES = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}
_JSON_UNSAFE = re.compile("[<>&\u2028\u2029]")
_SCRIPT_UNSAFE = re.compile(r"</script|<!--|<script", re.IGNORECASE)


def script_json(data: Any) -> str:
    """`data` as JSON text that can be inlined in a <script> element whatever strings it holds."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return _JSON_UNSAFE.sub(lambda m: _JSON_ESCAPES[m.group(0)], text)


def script_code(text: str, name: str) -> str:
    """JavaScript inlined as it is (kg's own and the library's): refused if it could end or hide its element."""
    if found := _SCRIPT_UNSAFE.search(text):
        raise KgError(f"{name} contains {found.group(0)!r}, which would end or hide its <script> element")
    return text


def legend(graph: KnowledgeGraph) -> dict[str, Any]:
    """What the page's legend shows: the glyphs, arrows and line styles present in `graph`, nothing else."""
    from kg.export.style import SIGN_COLOURS, edge_arrow, glyph_for
    from kg.schema import load_schema

    schema = load_schema()
    present = {e.category for e in graph.entities}
    glyphs: dict[str, dict[str, Any]] = {}
    for cat in schema.categories:  # schema order, one sample per glyph
        if cat in present:
            g = glyph_for(cat)
            glyphs.setdefault(g.title, {"title": g.title, "shape": g.cy_shape, "fill": g.fill,
                                        "dashed": "dashed" in g.style})
    arrows: dict[str, dict[str, Any]] = {}
    for e in graph.edges:
        a = edge_arrow(e)
        colour = SIGN_COLOURS["none"] if e.mechanism == "catalysis" else SIGN_COLOURS.get(e.sign, SIGN_COLOURS["none"])
        arrows.setdefault(a.title, {"title": a.title, "arrow": a.cy_head, "colour": colour})
    statuses = [s for s in schema.statuses if s != "established" and any(e.status == s for e in graph.edges)]
    return {"glyphs": list(glyphs.values()), "arrows": [arrows[t] for t in sorted(arrows)], "statuses": statuses}


def page_data(graph: KnowledgeGraph, *, title: str, overlay: Overlay | None, layout: str) -> dict[str, Any]:
    from kg.export.cytoscape import elements
    from kg.export.style import DIRECTION_COLOURS, DIRECTION_SYMBOLS, SIGN_COLOURS, STATUS_STYLES
    from kg.schema import load_schema

    schema = load_schema()
    return {
        "title": title,
        "elements": elements(graph, layout=layout, overlay=overlay),
        "legend": legend(graph),
        "prefixes": {p.prefix: p.uri_prefix for p in schema.prefixes.values()},
        "signs": list(schema.signs),
        "statuses": list(schema.statuses),
        "overlay": overlay.to_json() if overlay is not None else None,
        "style": {"sign_colours": SIGN_COLOURS, "direction_colours": DIRECTION_COLOURS,
                  "direction_symbols": DIRECTION_SYMBOLS, "status_styles": STATUS_STYLES},
    }


def render_page(data: dict[str, Any], title: str, *, static: str | None = None) -> str:
    """The page around `data`: self-contained (style and scripts inlined) or, with `static` (the URL prefix the
    web app serves kg/export/web from), referring to its files, so that a strict Content-Security-Policy holds."""
    import html

    if static is None:
        style = "<style>" + (WEB_DIR / "page.css").read_text(encoding="utf-8") + "</style>"
        scripts = ("<script>" + script_code(cytoscape_js(), "cytoscape.min.js") + "</script>\n<script>"
                   + script_code((WEB_DIR / "page.js").read_text(encoding="utf-8"), "page.js") + "</script>")
    else:
        style = f'<link rel="stylesheet" href="{static}/page.css">'
        scripts = f'<script src="{static}/cytoscape.min.js"></script>\n<script src="{static}/page.js"></script>'
    parts = {"__TITLE__": html.escape(title), "__STYLE__": style, "__DATA__": script_json(data),
             "__SCRIPTS__": scripts}
    template = (WEB_DIR / "page.html").read_text(encoding="utf-8")
    return _MARKER.sub(lambda m: parts[m.group(0)], template)  # one pass: inserted text is never re-scanned


def render(graph: KnowledgeGraph, *, title: str = "kg", overlay: Overlay | None = None,
           layout: str = "auto") -> str:
    cytoscape_js()  # a missing library is a clear error before any work
    page_title = title if overlay is None else f"{title} — {overlay.title}"
    return render_page(page_data(graph, title=page_title, overlay=overlay, layout=layout), page_title)


def write(graph: KnowledgeGraph, path: Path, *, title: str = "kg", overlay: Overlay | None = None,
          layout: str = "auto", **_: Any) -> None:
    Path(path).write_text(render(graph, title=title, overlay=overlay, layout=layout), encoding="utf-8")


EXPORTER = Exporter("html", ".html", "one self-contained offline page (Cytoscape.js inlined)", write)
