"""Every curated loader file declares its curation area (`source.area`, one of the schema's areas)."""

import pytest

from kg.load.discover import discover
from kg.load.yaml_source import parse_yaml_file
from kg.paths import loaders_dir
from kg.schema import load_schema

YAML_FILES = [p for p in discover([loaders_dir()]) if p.suffix in (".yaml", ".yml")]


def test_there_are_loader_files():
    assert len(YAML_FILES) > 10


@pytest.mark.parametrize("path", YAML_FILES, ids=lambda p: p.name)
def test_every_loader_file_declares_a_known_area(path):
    area = parse_yaml_file(path).area
    assert area in load_schema().areas, f"{path}: source.area is {area!r}"


def test_the_original_ankh_files_are_core():
    areas = {p.name: parse_yaml_file(p).area for p in YAML_FILES}
    assert {areas[n] for n in ("core_pathway.yaml", "genes.yaml", "metabolites.yaml", "kinetics.yaml")} == {"core"}
