"""Bounded YAML: bombs, duplicate keys, long scalars, deep nesting and bad bytes are refused with file:line; real
curated data (and a 1,000-entity file) passes with room to spare. Fuzzed sources end in success or exit 2."""

from __future__ import annotations

import time

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kg.cli import main
from kg.errors import LoadError, LoadErrors
from kg.load.pipeline import load_paths
from kg.paths import loaders_dir
from kg.safeyaml import MAX_ALIASES, MAX_DEPTH, MAX_SCALAR_CHARS, load_yaml

from .limits import no_traceback, run_limited


def _yaml(tmp_path, text: str | bytes, name: str = "a.yaml"):
    path = tmp_path / name
    (path.write_bytes if isinstance(text, bytes) else path.write_text)(text)
    return path


def _refused(tmp_path, text, match: str) -> LoadError:
    path = _yaml(tmp_path, text)
    with pytest.raises(LoadError, match=match) as info:
        load_yaml(path, "a.yaml")
    assert str(info.value).startswith("a.yaml"), "the message names the file"
    return info.value


def alias_bomb(levels: int = 9) -> str:
    """The classic 'billion laughs' in YAML: 9 levels of 9 aliases, about 600 bytes."""
    lines = ["source: {name: bomb}", "entities:", "  - id: KG:a", "    category: process", "    label: a",
             '    synonyms: &l0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    lines += [f"    d{i}: &l{i} [" + ",".join([f"*l{i - 1}"] * 9) + "]" for i in range(1, levels)]
    return "\n".join(lines) + "\n"


def test_an_alias_bomb_is_refused_before_it_expands(tmp_path):
    err = _refused(tmp_path, alias_bomb(), "aliases expand to")
    assert err.line == 1 and "alias bomb" in str(err)


@pytest.mark.slow
def test_an_alias_bomb_stays_within_a_memory_limit(tmp_path):
    path = _yaml(tmp_path, alias_bomb())
    result = run_limited(["validate", str(path)])
    assert result.returncode == 2 and no_traceback(result), result.stderr
    assert "aliases expand to" in result.stderr


def test_too_many_aliases_and_recursive_aliases_are_refused(tmp_path):
    many = "a: &x 1\nb: [" + ", ".join(["*x"] * (MAX_ALIASES + 1)) + "]\n"
    _refused(tmp_path, many, f"more than {MAX_ALIASES} alias")
    _refused(tmp_path, "a: &x [1, *x]\n", "recursive alias|undefined alias|YAML")


def test_duplicate_keys_are_refused_with_both_lines(tmp_path):
    err = _refused(tmp_path, "source: {name: a}\nentities:\n  - id: KG:a\n    label: a\n    label: b\n",
                   "duplicate key 'label'")
    assert err.line == 5 and err.field == "label" and "first at line 4" in str(err)


def test_a_long_scalar_is_refused_quickly(tmp_path):
    started = time.perf_counter()
    err = _refused(tmp_path, "source: {name: " + "x" * 8_000_000 + "}\n", "characters, more than the limit")
    assert err.line == 1
    assert time.perf_counter() - started < 5  # the pure-Python scanner took 11 s and grew quadratically


def test_a_scalar_at_the_limit_is_accepted(tmp_path):
    data = load_yaml(_yaml(tmp_path, "a: " + "x" * MAX_SCALAR_CHARS + "\n"), "a.yaml")
    assert len(data["a"]) == MAX_SCALAR_CHARS


def test_deep_nesting_is_refused(tmp_path):
    err = _refused(tmp_path, "a: " + "[" * (MAX_DEPTH + 5) + "]" * (MAX_DEPTH + 5) + "\n", "nesting deeper")
    assert err.line == 1
    _refused(tmp_path, "a: " + "[" * 2000 + "]" * 2000 + "\n", "YAML syntax error|nesting")


@pytest.mark.parametrize(("data", "match", "line"), [
    (b"source: {name: a}\nentities:\n  - {id: KG:a, label: caf\xe9}\n", "not valid UTF-8: byte 0xe9 at column", 3),
    ("source: {name: a}\n".encode("utf-16"), "UTF-16", 1),
    (b"source: {name: a}\n\x00\n", "YAML", None),
])
def test_undecodable_files_are_refused_with_their_line(tmp_path, data, match, line):
    err = _refused(tmp_path, data, match)
    assert line is None or err.line == line


def test_a_utf8_bom_is_accepted(tmp_path):
    assert load_yaml(_yaml(tmp_path, b"\xef\xbb\xbfa: 1\n"), "a.yaml") == {"a": 1, "__line__": 1,
                                                                          "__keylines__": {"a": 1}}


def test_the_curated_loaders_and_a_thousand_entity_file_pass_the_bounds(tmp_path):
    load_paths([loaders_dir()])  # every file as it is
    entities = "".join(
        f"  - id: KG:gene{i}\n    category: gene_or_protein\n    label: Gene {i}\n    symbol: G{i}\n"
        f"    synonyms: [gene {i} alias, G{i}-A]\n    description: {'a curated description ' * 66}\n"
        f"    evidence: &ev{i}\n      - {{source: 'PMID:{i + 1}', species: human, statement: '{'text ' * 30}'}}\n"
        f"    xrefs: [NCBIGene:{i + 1}]\n" for i in range(1000))
    path = _yaml(tmp_path, "source: {name: big}\nentities:\n" + entities)
    assert path.stat().st_size > 1_800_000  # the size of a 1,000-entity variants.yaml
    assert len(load_paths([path])) == 1000


_KEYS = st.sampled_from(["source", "entities", "edges", "references", "id", "label", "category", "subject",
                         "predicate", "object", "evidence", "name", "x"])
_SCALARS = st.one_of(st.text(max_size=12), st.integers(), st.floats(allow_nan=True), st.booleans(), st.none(),
                     st.sampled_from(["HGNC:15492", "ANKH", "PMID:0", "PMID:1\n", "gene_or_protein", "transports"]))


def _render(value, indent=0) -> str:
    import json

    pad = "  " * indent
    if isinstance(value, dict):
        return "".join(f"{pad}{k}:\n{_render(v, indent + 1)}" if isinstance(v, (dict, list)) and v
                       else f"{pad}{k}: {json.dumps(v)}\n" for k, v in value.items())
    if isinstance(value, list):
        return "".join(f"{pad}-\n{_render(v, indent + 1)}" if isinstance(v, (dict, list)) and v
                       else f"{pad}- {json.dumps(v)}\n" for v in value)
    return f"{pad}{json.dumps(value)}\n"


_DOCS = st.recursive(_SCALARS, lambda kids: st.one_of(st.lists(kids, max_size=4),
                                                      st.dictionaries(_KEYS, kids, max_size=5)), max_leaves=25)


def _validate(tmp_path, content: bytes):
    (tmp_path / "f.yaml").write_bytes(content)
    return CliRunner().invoke(main, ["validate", str(tmp_path / "f.yaml")])


def _located(result, name: str = "f.yaml") -> bool:
    lines = [ln for ln in result.output.splitlines() if ln.startswith("error: ")]
    return bool(lines) and all(name in ln for ln in lines)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(doc=_DOCS)
def test_fuzzed_yaml_structures_give_success_or_a_located_exit_2(tmp_path, doc):
    result = _validate(tmp_path, _render(doc).encode("utf-8"))
    assert result.exit_code in (0, 2), result.output
    assert not isinstance(result.exception, Exception) or isinstance(result.exception, SystemExit), result.exception
    if result.exit_code == 2:
        assert _located(result), result.output


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.binary(max_size=300) | st.text(max_size=300).map(lambda t: t.encode("utf-8", "surrogatepass")))
def test_fuzzed_bytes_give_success_or_a_located_exit_2(tmp_path, data):
    result = _validate(tmp_path, data)
    assert result.exit_code in (0, 2), (result.output, result.exception)
    assert not isinstance(result.exception, Exception) or isinstance(result.exception, SystemExit), result.exception
    if result.exit_code == 2:
        assert _located(result), result.output


def test_load_errors_from_several_files_come_together(tmp_path):
    _yaml(tmp_path, "a: 1\na: 2\n", "one.yaml")
    _yaml(tmp_path, b"x: \xff\n", "two.yaml")
    with pytest.raises(LoadErrors) as info:
        load_paths([tmp_path], root=tmp_path)
    assert sorted(e.file for e in info.value.errors) == ["one.yaml", "two.yaml"]
