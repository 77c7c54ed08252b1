"""`kg serve` as a real server on a loopback port: it answers, guards its Host name, binds loopback unless
asked, reports a busy port, and leaves no worker process behind when it stops."""

from __future__ import annotations

import os
import subprocess
import sys

import httpx
from click.testing import CliRunner

from kg.cli import main
from tests.web_fixtures import Server


def children(pid: int) -> list[int]:
    out = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True, check=False).stdout
    return [int(p) for p in out.split()]


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    try:  # a zombie is not alive
        with open(f"/proc/{pid}/stat", encoding="ascii") as fh:
            return fh.read().split(") ", 1)[1][0] != "Z"
    except OSError:
        return False


def test_the_real_server_answers_on_loopback_and_stops_cleanly(curated_build):
    with Server(curated_build) as server:
        assert server.url.startswith("http://127.0.0.1:")
        search = httpx.get(server.url + "api/v1/search", params={"q": "ankh"}, timeout=30)
        assert search.status_code == 200 and search.json()[0]["label"] == "ANKH"
        predicted = httpx.get(server.url + "api/v1/predict", params={"perturbation": "ENPP1=ko"}, timeout=30)
        ppi = next(r for r in predicted.json()["readouts"] if r["label"] == "PPi")
        assert ppi["direction"] == "decrease"
        page = httpx.get(server.url, timeout=30)
        assert page.status_code == 200 and "script-src 'self'" in page.headers["content-security-policy"]
        refused = httpx.get(server.url + "api/v1/info", headers={"host": "attacker.example"}, timeout=30)
        assert refused.status_code == 403 and "attacker.example" in refused.json()["error"]
        workers = children(server.proc.pid)
        assert workers, "the computation workers run in their own processes"
    assert server.proc.returncode == 0
    assert not [pid for pid in workers if alive(pid)], "a worker outlived the server"


def test_binding_beyond_loopback_needs_allow_remote(curated_build):
    result = CliRunner().invoke(main, ["serve", "--host", "0.0.0.0", "--build-dir", str(curated_build)])
    assert result.exit_code == 2 and "--allow-remote" in result.output


def test_a_busy_port_is_a_clear_failure(curated_build):
    import socket

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        port = taken.getsockname()[1]
        env = {k: v for k, v in os.environ.items() if k != "KG_HOME"}
        proc = subprocess.run([sys.executable, "-m", "kg", "serve", "--port", str(port), "--build-dir",
                               str(curated_build)], capture_output=True, text=True, timeout=60, env=env, check=False)
    assert proc.returncode == 1 and f"cannot listen on 127.0.0.1:{port}" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_kg_serve_sparql_still_serves_the_endpoint(curated_build):
    result = CliRunner().invoke(main, ["serve", "sparql", "--help"])
    assert result.exit_code == 0 and "SPARQL 1.1 endpoint" in result.output
