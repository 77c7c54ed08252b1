"""The field's own tools, offline: bmt and kgx on the Biolink Model shipped by the `biolink-model` package.

bmt fetches the model (and a predicate map) from GitHub by default, and kgx builds a bmt Toolkit when it is
imported and reads a Biolink JSON-LD context by URL. Here both read the packaged model instead: `bmt.Toolkit`
defaults to the packaged schema before kgx is imported, and kgx's context is the packaged Biolink prefix map plus
the prefixes of schema/kg.yaml that map lacks: kg's own local namespace (no Biolink context can know it) and RefSeq
(the transcripts' ids; Biolink's map has no RefSeq entry), each with the IRI the schema and
schema/context.jsonld declare. Biolink's own entries are never overridden.
"""

from __future__ import annotations

import contextlib
import importlib.resources
import io
import json
from functools import cache
from pathlib import Path
from typing import Any

from kg.schema import load_schema


def biolink_schema_path() -> str:
    return str(importlib.resources.files("biolink_model") / "schema" / "biolink_model.yaml")


def biolink_prefix_map() -> dict[str, str]:
    path = importlib.resources.files("biolink_model") / "prefixmaps" / "biolink_model_prefix_map.json"
    return json.loads(path.read_text(encoding="utf-8"))


@cache
def _offline_toolkit_class() -> type:
    import bmt
    import bmt.toolkit

    class OfflineToolkit(bmt.toolkit.Toolkit):
        """A Toolkit on the packaged model whatever URL it is given, with no predicate map download."""

        def __init__(self, schema: Any = None, predicate_map: Any = None, **kwargs: Any) -> None:
            if schema is None or (isinstance(schema, str) and schema.startswith("http")):
                schema = biolink_schema_path()
            if not isinstance(predicate_map, dict):
                predicate_map = {"predicate mappings": []}
            super().__init__(schema=schema, predicate_map=predicate_map, **kwargs)

    bmt.Toolkit = OfflineToolkit  # kgx does `from bmt import Toolkit` (and builds one) when imported
    return OfflineToolkit


@cache
def toolkit() -> Any:
    """A bmt Toolkit on the packaged Biolink Model."""
    return _offline_toolkit_class()()


@cache
def kgx_context(folder: str) -> str:
    """kgx's JSON-LD context file: the Biolink prefix map plus the schema's prefixes it lacks (only those)."""
    biolink = biolink_prefix_map()
    known = {prefix.lower() for prefix in biolink}
    extra = {p.prefix: p.uri_prefix for p in load_schema().prefixes.values() if p.prefix.lower() not in known}
    path = Path(folder) / "biolink-and-kg-context.jsonld"
    path.write_text(json.dumps({"@context": {**biolink, **extra}}), encoding="utf-8")
    return str(path)


def kgx(folder: Path) -> Any:
    """kgx's CLI functions (`kgx.cli.cli_utils`), configured to run offline."""
    _offline_toolkit_class()
    import kgx.config
    from kgx.cli import cli_utils

    kgx.config.get_config()["jsonld-context"]["biolink"] = kgx_context(str(folder))
    kgx.config.jsonld_context_map.pop("biolink", None)
    return cli_utils


def kgx_validate(files: list[Path], fmt: str, folder: Path) -> dict[str, Any]:
    """What `kgx validate` reports for the files: {level: {error type: {message: [entities]}}}."""
    cli = kgx(folder)
    with contextlib.redirect_stderr(io.StringIO()):
        return cli.validate([str(f) for f in files], fmt, None, None)


def kgx_transform(files: list[Path], fmt: str, output: Path, output_format: str, *, stream: bool = False) -> None:
    """`kgx transform` (kgx's default: through its in-memory graph unless `stream`)."""
    cli = kgx(output.parent)
    with contextlib.redirect_stderr(io.StringIO()):
        cli.transform([str(f) for f in files], input_format=fmt, output=str(output), output_format=output_format,
                      stream=stream)
