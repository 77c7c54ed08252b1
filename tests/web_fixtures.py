"""Shared set-up of the web tests: a build of the curated graph, the CLI's JSON for comparison, and the app driven
by the framework's client (the Host name `testserver` allowed)."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from kg.cli import main


def cli_json(build_dir: Path, *args: str) -> object:
    """What `kg ARGS --format json` prints for the same build."""
    result = CliRunner().invoke(main, [*args, "--build-dir", str(build_dir), "--format", "json"])
    assert result.exit_code in (0, 1), result.output
    return json.loads(result.stdout)


def client(build_dir: Path, **settings: object):
    from fastapi.testclient import TestClient

    from kg.serving.limits import Limits
    from kg.web.app import create_app
    from kg.web.settings import Settings

    limits = settings.pop("limits", Limits(workers=1))
    app = create_app(Settings(Path(build_dir), allow_hosts=("testserver",), limits=limits, **settings))
    return TestClient(app, raise_server_exceptions=False)


def listening(proc: subprocess.Popen[str]) -> str:
    """The URL `kg serve` prints once it listens (after any notes a rebuild prints first)."""
    seen = []
    for line in proc.stderr:  # type: ignore[union-attr]
        seen.append(line)
        if found := re.search(r"^kg: (http://[^ ]+?/) ", line):
            return found.group(1)
    proc.wait()
    raise AssertionError("kg serve did not start:\n" + "".join(seen))


class Server:
    """`kg serve` in a real process on a free loopback port; stopped (and its workers with it) on exit."""

    def __init__(self, build_dir: Path, *args: str) -> None:
        self.build_dir, self.args = build_dir, args
        self.proc: subprocess.Popen[str] | None = None
        self.url = ""

    def __enter__(self) -> Server:
        env = {k: v for k, v in os.environ.items() if k != "KG_HOME"}
        self.proc = subprocess.Popen([sys.executable, "-m", "kg", "serve", "--port", "0", "--build-dir",
                                      str(self.build_dir), *self.args], stderr=subprocess.PIPE, text=True, env=env)
        self.url = listening(self.proc)
        return self

    def __exit__(self, *exc: object) -> None:
        assert self.proc is not None
        self.proc.terminate()
        try:
            self.proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
