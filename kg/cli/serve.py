"""`kg serve`: the web application (FastAPI on uvicorn) over a build; `kg serve sparql`: the SPARQL endpoint.

Loopback unless asked (`--host` with `--allow-remote`), read-only, every computation in a killable worker
process under the time and memory limits, bounded request bodies, a Host allow-list, no CORS unless an origin is
given. Port 0 picks a free port; the address is printed on stderr once the server listens.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from kg.cli.core import build_dir_option, get_graph
from kg.cli.endpoint import endpoint_options
from kg.cli.lazy import LazyGroup
from kg.serving.limits import Limits

if TYPE_CHECKING:
    import socket

    from kg.web.settings import Settings


@click.group(cls=LazyGroup, lazy={"sparql": "kg.cli.rdf:serve_sparql"}, invoke_without_command=True)
@endpoint_options(port=8765, work="computation")
@click.option("--cors-origin", "cors_origins", multiple=True, metavar="ORIGIN",
              help="Let pages from ORIGIN (e.g. https://lab.example.org) read the API (repeat). None by default.")
@click.option("--max-body", type=click.IntRange(1024, 64 << 20), default=Limits.max_request_bytes,
              show_default=True, help="Largest request body in bytes (an uploaded cases file, a SPARQL form).")
@build_dir_option
@click.pass_context
def serve(ctx: click.Context, host: str, port: int, allow_remote: bool, allow_hosts: tuple[str, ...],
          timeout: float, max_results: int, memory_mb: int, workers: int, cors_origins: tuple[str, ...],
          max_body: int, build_dir: Path | None) -> None:
    """Serve kg in the browser: the page at http://HOST:PORT/ (search, cards, legend, live predictions), the JSON
    API under /api/v1 (documented at /docs, /openapi.json). `kg serve sparql` runs the SPARQL endpoint instead.

    \b
    Examples:
      kg serve                      # http://127.0.0.1:8765/
      kg serve --port 0             # a free port, printed on stderr
      kg serve sparql --port 7878   # the SPARQL 1.1 endpoint
    """
    if ctx.invoked_subcommand is not None:
        return
    import socket

    from kg.errors import KgError
    from kg.paths import build_dir as default_build_dir
    from kg.serving.hosts import check_bind
    from kg.web.settings import Settings

    warning = check_bind(host, allow_remote=allow_remote)
    get_graph(build_dir)  # rebuild first if a source changed, as every command does; the server then only reads
    limits = Limits(timeout=timeout, max_results=max_results, memory_mb=memory_mb, workers=workers,
                    max_request_bytes=max_body)
    settings = Settings(Path(build_dir or default_build_dir()).resolve(), host, allow_hosts, cors_origins, limits)
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        # proto IPPROTO_TCP: asyncio then sets TCP_NODELAY on each connection (with proto 0 it does not, and a
        # kept-alive connection waits ~40 ms for a delayed ACK between a response's headers and its body)
        sock = socket.socket(infos[0][0], socket.SOCK_STREAM, socket.IPPROTO_TCP)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(infos[0][4])
        sock.listen(128)  # connections wait in the backlog while the workers start
    except OSError as exc:
        raise KgError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from None
    if warning:
        click.echo(f"warning: {warning}", err=True)
    _run(settings, sock)


def _run(settings: Settings, sock: socket.socket) -> None:
    import uvicorn

    class _StoppableServer(uvicorn.Server):
        """Ctrl-C or SIGTERM stop the server gracefully and `kg serve` exits 0 (uvicorn would raise the signal
        again once stopped, so that the process ended as killed)."""

        def handle_exit(self, sig: int, frame: object) -> None:
            super().handle_exit(sig, frame)  # type: ignore[arg-type]
            self._captured_signals.clear()

    from kg.web.app import create_app

    bound_host, bound_port = sock.getsockname()[:2]
    shown = f"[{bound_host}]" if ":" in bound_host else bound_host
    app = create_app(settings)
    config = uvicorn.Config(app, log_level="warning", access_log=False, timeout_keep_alive=5,
                            limit_concurrency=256, timeout_graceful_shutdown=5)
    server = _StoppableServer(config)
    click.echo(f"kg: http://{shown}:{bound_port}/ (API http://{shown}:{bound_port}/api/v1, documentation "
               f"/docs; read-only; Ctrl-C stops it)", err=True)
    server.run(sockets=[sock])
