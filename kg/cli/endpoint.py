"""The options every kg server takes (`kg serve`, `kg serve sparql`): where it listens, whom it answers, and the
limits each request runs under (kg.serving). Declared once so that both servers say the same thing."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import click

from kg.serving.limits import Limits


def endpoint_options(*, port: int, work: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """--host, --port (default `port`), --allow-remote, --allow-host, --timeout, --max-results, --memory-mb and
    --workers; `work` names what a request runs in the help texts ("query", "computation")."""
    options = [
        click.option("--host", default="127.0.0.1", show_default=True,
                     help="Address to bind (loopback by default; any other needs --allow-remote)."),
        click.option("--port", type=click.IntRange(0, 65535), default=port, show_default=True,
                     help="Port (0 picks a free one)."),
        click.option("--allow-remote", is_flag=True, help="Allow binding a non-loopback address (the server has no "
                                                          "authentication or encryption: a warning is printed)."),
        click.option("--allow-host", "allow_hosts", multiple=True, metavar="NAME",
                     help="Also answer requests whose Host header is NAME (repeat); localhost, the loopback "
                          "addresses and the bound address are always allowed."),
        click.option("--timeout", type=click.FloatRange(0.1, 3600), default=Limits.timeout, show_default=True,
                     help=f"Seconds a {work} may run; then it is stopped (503)."),
        click.option("--max-results", type=click.IntRange(1, 100_000_000), default=Limits.max_results,
                     show_default=True, help="Rows (or triples) a SPARQL answer may hold; a larger answer is "
                                             "refused (422)."),
        click.option("--memory-mb", type=click.IntRange(256, 1 << 20), default=Limits.memory_mb, show_default=True,
                     help=f"Address space of each {work} worker process, in MB."),
        click.option("--workers", type=click.IntRange(1, 64), default=Limits.workers, show_default=True,
                     help=f"{work.capitalize()}s run at once (each in its own process)."),
    ]

    def apply(func: Callable[..., Any]) -> Callable[..., Any]:
        for option in reversed(options):
            func = option(func)
        return func

    return apply
