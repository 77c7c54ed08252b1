"""The built wheel carries schema/, loaders/ and queries/, and an installed kg builds from any directory."""

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory):
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w",
                    str(out), str(ROOT)], check=True, capture_output=True)
    [path] = out.glob("*.whl")
    return path


@pytest.mark.slow
def test_wheel_ships_the_declarative_data(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "kg/schema/kg.yaml" in names
    expected = {f"kg/loaders/{p.name}" for p in (ROOT / "loaders").glob("*.yaml")}
    assert expected and expected <= names
    assert {f"kg/queries/{p.name}" for p in (ROOT / "queries").glob("*")} <= names


@pytest.mark.slow
def test_installed_wheel_builds_from_any_directory(wheel, tmp_path):
    target = tmp_path / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target", str(target), str(wheel)],
                   check=True, capture_output=True)
    workdir = tmp_path / "elsewhere"
    workdir.mkdir()
    env = {**os.environ, "PYTHONPATH": str(target), "KG_HOME": str(tmp_path / "kgbuild")}
    where = subprocess.run([sys.executable, "-c", "import kg.paths as p; print(p.loaders_dir())"], cwd=workdir,
                           env=env, capture_output=True, text=True, check=True).stdout.strip()
    assert Path(where).is_relative_to(target)
    result = subprocess.run([sys.executable, "-m", "kg", "build", "--format", "json"], cwd=workdir, env=env,
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["counts"]["edges"] > 0
    shown = subprocess.run([sys.executable, "-m", "kg", "show", "ANKH", "--format", "json"], cwd=workdir, env=env,
                           capture_output=True, text=True)
    assert shown.returncode == 0 and json.loads(shown.stdout)["label"] == "ANKH"
