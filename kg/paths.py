"""Where kg finds its declarative data (schema/, loaders/, queries/) and where it writes builds.

In a source checkout the data folders sit beside the package; in an installed wheel they ship inside it
(`kg/schema`, `kg/loaders`, `kg/queries`). Both layouts resolve here and nowhere else.
"""

from __future__ import annotations

import os
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent


def data_dir(name: str) -> Path:
    """Return the folder `name` (schema, loaders or queries), packaged copy first, then the checkout's."""
    packaged = PACKAGE_DIR / name
    if packaged.is_dir():
        return packaged
    return PACKAGE_DIR.parent / name


def schema_dir() -> Path:
    return data_dir("schema")


def loaders_dir() -> Path:
    return data_dir("loaders")


def queries_dir() -> Path:
    return data_dir("queries")


def build_dir(override: str | os.PathLike[str] | None = None) -> Path:
    """The build directory: an explicit override, else `KG_HOME`, else `./build`."""
    if override:
        return Path(override)
    env = os.environ.get("KG_HOME")
    return Path(env) if env else Path.cwd() / "build"
