"""The `kg` command: one click group whose subcommands are imported only when they run (fast start-up).

Each area owns one module: core.py (build, validate, info, query), show.py (show, cite), search.py (search),
rdf.py (export rdf, sparql, serve sparql), neo4j.py (neo4j push/pull/info/export-csv, cypher), predict.py
(predict, check, screen), quant.py (timecourse, dose, sensitivity, fit), export.py (export ...; the model formats
in export_model.py), serve.py (serve: the web app; endpoint.py holds the options both servers take).
"""

from __future__ import annotations

import sys

import click

from kg import __version__
from kg.cli.lazy import LazyGroup

# command name -> "module:attribute"
COMMANDS: dict[str, str] = {
    "build": "kg.cli.core:build",
    "validate": "kg.cli.core:validate",
    "info": "kg.cli.core:info",
    "show": "kg.cli.show:show",
    "cite": "kg.cli.show:cite",
    "search": "kg.cli.search:search",
    "query": "kg.cli.core:query",
    "sparql": "kg.cli.rdf:sparql",
    "serve": "kg.cli.serve:serve",
    "rdf": "kg.cli.rdf:rdf",
    "neo4j": "kg.cli.neo4j:neo4j",
    "cypher": "kg.cli.neo4j:cypher",
    "predict": "kg.cli.predict:predict",
    "check": "kg.cli.predict:check",
    "screen": "kg.cli.predict:screen",
    "timecourse": "kg.cli.quant:timecourse",
    "dose": "kg.cli.quant:dose",
    "sensitivity": "kg.cli.quant:sensitivity",
    "fit": "kg.cli.quant:fit",
    "export": "kg.cli.export:export",
}


class MainGroup(LazyGroup):
    """The top-level group: kg's own errors become one clear line on stderr and the conventional exit code."""

    def invoke(self, ctx: click.Context) -> object:
        from kg.errors import KgError, LoadErrors

        try:
            return super().invoke(ctx)
        except KgError as exc:
            for error in exc.errors if isinstance(exc, LoadErrors) else [exc]:  # one line per located error
                click.echo(f"error: {error}", err=True)
            ctx.exit(exc.exit_code)


@click.group(cls=MainGroup, lazy=COMMANDS, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="kg")
def main() -> None:
    """kg: an evidence-backed knowledge graph of ANKH, pyrophosphate and mineralization.

    Data goes to stdout, progress and logs to stderr. Exit codes: 0 ok, 1 failure, 2 bad input or usage.
    """


def run() -> None:
    """Console entry point."""
    try:
        main()
    except BrokenPipeError:
        sys.exit(0)
