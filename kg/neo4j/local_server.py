"""kg's own Neo4j server (deploy/neo4j) fed by neo4j-admin: import into a fresh home, swap it in, start, constrain.

A server folder (`make neo4j-up` uses deploy/neo4j/target/server) holds `home/` (the Neo4j home), `pid`,
`neo4j.env` (URI and credentials, mode 600) and `server.log`; deploy/neo4j/neo4jctl.sh starts and stops it.
`import_and_start` imports into a fresh `home.importing/` while a running server keeps serving the old data, then
stops it, swaps the homes, starts the server on the new one (back on the old home if the new one does not start),
applies the constraints over Bolt and removes the old home. A folder that already has a neo4j.env keeps its
user, password and port, so shells that sourced it keep working.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from kg.errors import InputError, KgError
from kg.neo4j.admin_import import ImportResult, import_graph

if TYPE_CHECKING:
    from kg.graph import KnowledgeGraph

ENV_FILE = "neo4j.env"


@dataclass(frozen=True)
class ServerImport:
    """The import, and what the started server then holds."""

    imported: ImportResult
    uri: str
    nodes: int
    relationships: int
    constraints: int
    env_file: Path


def deploy_dir() -> Path:
    from kg.paths import PACKAGE_DIR

    return PACKAGE_DIR.parent / "deploy" / "neo4j"


def default_server_dir() -> Path:
    """The folder of `make neo4j-up`'s server."""
    return deploy_dir() / "target" / "server"


def read_env_file(path: Path) -> dict[str, str]:
    """`export NAME=VALUE` lines (as neo4jctl.sh writes them) as a dict."""
    values = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        name, sep, value = line.removeprefix("export ").partition("=")
        if sep and name.strip():
            values[name.strip()] = value.strip()
    return values


def is_running(folder: Path) -> bool:
    try:
        pid = int((folder / "pid").read_text(encoding="utf-8").strip())
        os.kill(pid, 0)
    except (OSError, ValueError):
        return False
    return True


def _control(action: str, folder: Path, env: dict[str, str]) -> None:
    script = deploy_dir() / "neo4jctl.sh"
    if not script.is_file():
        raise KgError("kg's own Neo4j server lives in a source checkout (deploy/neo4j); elsewhere import with "
                      "--home into your Neo4j and start it yourself")
    done = subprocess.run([str(script), action, str(folder)], env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:  # neo4jctl.sh never prints the password
        lines = [line for line in done.stderr.splitlines() if line.strip()]
        raise KgError(f"neo4jctl.sh {action} {folder} failed: {' | '.join(lines[-5:]) or 'no output'}")


def _server_env(folder: Path) -> dict[str, str]:
    """The environment for neo4jctl.sh: the folder's earlier user, password and port where it has them."""
    env = dict(os.environ)
    env.pop("KG_NEO4J_PORT", None)
    previous = folder / ENV_FILE
    if previous.is_file():
        old = read_env_file(previous)
        env.update({k: old[k] for k in ("NEO4J_USER", "NEO4J_PASSWORD") if old.get(k)})
        port = urlsplit(old.get("NEO4J_URI", "")).port
        if port:
            env["KG_NEO4J_PORT"] = str(port)
    return env


def import_and_start(graph: KnowledgeGraph, folder: Path, database: str = "neo4j") -> ServerImport:
    """Import the graph into kg's server in `folder` (running or not), start it on the new data, constrain."""
    from kg.neo4j.connection import Settings, connect
    from kg.neo4j.push import constraint_statements, counts, ensure_constraints

    if database != "neo4j":
        raise InputError("kg's own server serves the default database 'neo4j' only; use --home for another")
    folder = Path(folder).resolve()
    folder.mkdir(parents=True, exist_ok=True)
    home, fresh, previous = folder / "home", folder / "home.importing", folder / "home.previous"
    for stale in (fresh, previous):
        shutil.rmtree(stale, ignore_errors=True)
    imported = import_graph(graph, fresh, database)
    env = _server_env(folder)
    if is_running(folder):
        _control("stop", folder, env)
    if home.exists():
        home.rename(previous)
    fresh.rename(home)
    try:
        _control("start", folder, env)
    except KgError:
        shutil.rmtree(home, ignore_errors=True)
        if previous.exists():
            previous.rename(home)
            _control("start", folder, env)
        raise
    shutil.rmtree(previous, ignore_errors=True)
    settings = Settings.from_env(read_env_file(folder / ENV_FILE))
    with connect(settings) as conn:
        ensure_constraints(conn)
        in_db = counts(conn)
    return ServerImport(imported, settings.where, in_db["nodes"], in_db["relationships"],
                        len(constraint_statements()), folder / ENV_FILE)
