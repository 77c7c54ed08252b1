"""The `kg` command: one click group whose subcommands are imported only when they run (fast start-up).

Each area owns one module: core.py (build, validate, info, show, query), rdf.py (export rdf, sparql, serve),
neo4j.py (neo4j push/pull/export-csv, cypher), predict.py (predict, check, screen), export.py (export ...).
"""

from __future__ import annotations

import importlib
import sys

import click

from kg import __version__

# command name -> "module:attribute" (modules under kg.cli)
COMMANDS: dict[str, str] = {
    "build": "core:build",
    "validate": "core:validate",
    "info": "core:info",
    "show": "core:show",
    "query": "core:query",
    "sparql": "rdf:sparql",
    "serve": "rdf:serve",
    "neo4j": "neo4j:neo4j",
    "cypher": "neo4j:cypher",
    "predict": "predict:predict",
    "check": "predict:check",
    "screen": "predict:screen",
    "export": "export:export",
}


class LazyGroup(click.Group):
    """A group that imports a subcommand's module when the subcommand is used, not at start-up."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        target = COMMANDS.get(cmd_name)
        if target is None:
            return None
        module_name, attr = target.split(":")
        try:
            module = importlib.import_module(f"kg.cli.{module_name}")
        except ModuleNotFoundError as exc:
            if exc.name != f"kg.cli.{module_name}":
                raise
            return None
        return getattr(module, attr, None)

    def invoke(self, ctx: click.Context) -> object:
        """Turn kg's own errors into one clear line on stderr and the conventional exit code."""
        from kg.errors import KgError

        try:
            return super().invoke(ctx)
        except KgError as exc:
            click.echo(f"error: {exc}", err=True)
            ctx.exit(exc.exit_code)


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
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
