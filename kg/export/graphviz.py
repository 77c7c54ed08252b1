"""The real Graphviz programs, run as subprocesses: `dot` measures labels, `neato -n2` renders pinned pictures.

Every call goes through `run()`, which turns Graphviz's failures into KgError and pins what would make two runs
differ (the PDF date through SOURCE_DATE_EPOCH).
"""

from __future__ import annotations

import os
import shutil
import subprocess

from kg.errors import KgError

_PDF_EPOCH = "0"  # cairo reads SOURCE_DATE_EPOCH for the PDF date; diagram.py also pins it where cairo ignores it


def binary(name: str = "dot") -> str:
    """The path of a Graphviz program, or a KgError saying how to install it."""
    found = shutil.which(name)
    if found is None:
        raise KgError(f"Graphviz '{name}' is not installed: install the Debian package graphviz "
                      "(`make install` does, or `apt-get install graphviz`)")
    return found


def run(source: str, fmt: str, *, program: str = "dot", extra: tuple[str, ...] = ()) -> bytes:
    """Lay out (or, with `neato -n2`, only render) DOT text with the real Graphviz; errors become KgError."""
    env = {**os.environ, "SOURCE_DATE_EPOCH": _PDF_EPOCH}
    proc = subprocess.run([binary(program), f"-T{fmt}", *extra], input=source.encode("utf-8"),
                          capture_output=True, env=env, check=False, timeout=600)
    if proc.returncode != 0:
        raise KgError(f"Graphviz failed ({proc.returncode}): {proc.stderr.decode('utf-8', 'replace').strip()}")
    return proc.stdout
