"""Bounded reading helpers: UTF-8 with the failing line, sizes, JSON depth (the 2,000-deep --param), and the RDF/XML
entity bomb through `kg build --from`, run under a memory limit."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from kg.cli import main
from kg.errors import LoadError
from kg.safeio import MAX_JSON_DEPTH, check_size, count_lines, decode_utf8, loads_json, refuse_xml_entities, text_lines

from .limits import no_traceback, run_limited

RDF_BOMB = """<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lollollollollollollollollollol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
]>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:ex="http://example.org/">
 <rdf:Description rdf:about="http://example.org/a"><ex:b>&lol8;</ex:b></rdf:Description>
</rdf:RDF>
"""


def test_utf8_errors_name_line_and_column():
    with pytest.raises(LoadError, match=r"f:3: not valid UTF-8: byte 0xff at column 2"):
        decode_utf8(b"a\nb\nc\xffd\n", "f")
    with pytest.raises(LoadError, match="UTF-16"):
        decode_utf8("x".encode("utf-16"), "f")
    assert decode_utf8(b"\xef\xbb\xbfx", "f") == "x"


def test_text_lines_drop_the_bom_and_locate_a_bad_line(tmp_path):
    path = tmp_path / "t.tsv"
    path.write_bytes(b"\xef\xbb\xbfa\tb\nc\td\n")
    assert list(text_lines(path, "t.tsv")) == ["a\tb\n", "c\td\n"]
    path.write_bytes(b"a\n" * 5000 + b"b\xc3\n")
    with pytest.raises(LoadError, match=r"t.tsv:5001: not valid UTF-8"):
        list(text_lines(path, "t.tsv"))


def test_sizes_and_lines(tmp_path):
    path = tmp_path / "f"
    path.write_bytes(b"x" * 11)
    with pytest.raises(LoadError, match="11 bytes, more than the limit of 10"):
        check_size(path, "f", 10, "test file")
    path.write_bytes(b"a\nb\nc")
    assert count_lines(path) == 3


def test_deep_or_large_json_is_refused_before_parsing():
    assert loads_json('{"a": [1, {"b": "[[[[["}]}', "x") == {"a": [1, {"b": "[[[[["}]}
    with pytest.raises(ValueError, match="nested 2000 levels deep"):
        loads_json("[" * 2000 + "]" * 2000, "--param x")
    assert loads_json("[" * MAX_JSON_DEPTH + "]" * MAX_JSON_DEPTH, "x")
    with pytest.raises(ValueError, match="larger than"):
        loads_json('"' + "x" * (1 << 20) + '"', "x")


def test_a_deep_json_param_is_exit_2_not_a_recursion_error():
    deep = "[" * 2000 + "]" * 2000
    result = CliRunner().invoke(main, ["cypher", "RETURN $x", "--param", f"x:json={deep}"])
    assert result.exit_code == 2 and isinstance(result.exception, SystemExit), result.exception
    assert "nested 2000 levels deep" in result.output


def test_xml_entity_declarations_are_refused(tmp_path):
    path = tmp_path / "x.rdf"
    path.write_text(RDF_BOMB, encoding="utf-8")
    with pytest.raises(LoadError, match="DOCTYPE or entities"):
        refuse_xml_entities(path, "x.rdf")
    path.write_text('<?xml version="1.0"?><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"/>',
        encoding="utf-8")
    refuse_xml_entities(path, "x.rdf")


@pytest.mark.slow
def test_the_rdf_entity_bomb_is_refused_within_a_memory_limit(tmp_path):
    path = tmp_path / "bomb.rdf"
    path.write_text(RDF_BOMB, encoding="utf-8")
    out = tmp_path / "build"
    assert run_limited(["build", "-q", "--build-dir", str(out)]).returncode == 0
    result = run_limited(["build", "-q", "--from", str(path), "--build-dir", str(out)])
    assert result.returncode == 2 and no_traceback(result), result.stderr[-500:]
    assert "DOCTYPE or entities" in result.stderr
    shown = run_limited(["show", "ANKH", "--build-dir", str(out)])
    assert shown.returncode == 0  # the good build is still there (an empty one replaced it, exit 0, before)
