"""Reading untrusted input within bounds: sizes, UTF-8 decoding with the failing line, JSON depth, XML entities.

Every reader of a user's file (sources, imports, cases, RDF, query parameters) goes through these helpers, so the
limits are stated once. A refusal is a LoadError (exit 2) naming the file, the line where known, and the limit.
The limits are generous for real data (see `LIMITS` and README "Limits"): the largest curated file is 44 KB,
a 1,000-entity source file about 1.8 MB.
"""

from __future__ import annotations

import codecs
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from kg.errors import LoadError

MIB = 1 << 20
MAX_SOURCE_BYTES = 16 * MIB  # one YAML source or cases file
MAX_IMPORT_BYTES = 1024 * MIB  # one TSV or SIF import
MAX_RDF_BYTES = 1024 * MIB  # one RDF file read by `kg build --from` or `kg validate --rdf`
MAX_JSON_BYTES = 1 * MIB  # one JSON value given on the command line
MAX_JSON_DEPTH = 64  # nesting of a JSON value given on the command line

LIMITS = {"source file (YAML)": MAX_SOURCE_BYTES, "import file (TSV/SIF)": MAX_IMPORT_BYTES,
          "RDF file": MAX_RDF_BYTES, "JSON parameter": MAX_JSON_BYTES}

_OTHER_BOMS = ((codecs.BOM_UTF32_LE, "UTF-32"), (codecs.BOM_UTF32_BE, "UTF-32"), (codecs.BOM_UTF16_LE, "UTF-16"),
               (codecs.BOM_UTF16_BE, "UTF-16"))


def check_size(path: Path, display: str, limit: int, what: str) -> int:
    """The file's size; LoadError when it is missing or larger than `limit`."""
    try:
        size = Path(path).stat().st_size
    except OSError as exc:
        raise LoadError(f"cannot read the file ({exc.strerror})", file=display) from None
    if size > limit:
        raise LoadError(f"{what} is {size:,} bytes, more than the limit of {limit:,} bytes", file=display,
                        expected=f"a {what} of at most {limit // MIB} MiB")
    return size


def decode_utf8(data: bytes, display: str, *, first_line: int = 1) -> str:
    """UTF-8 text (a leading UTF-8 BOM dropped); LoadError naming the line of the first undecodable byte."""
    for bom, name in _OTHER_BOMS:
        if first_line == 1 and data.startswith(bom):
            raise LoadError(f"the file is {name} text", file=display, line=1, expected="UTF-8 text (save it as UTF-8)")
    if first_line == 1 and data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8):]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = first_line + data.count(b"\n", 0, exc.start)
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise LoadError(f"not valid UTF-8: byte 0x{data[exc.start]:02x} at column {column}", file=display,
                        line=line, expected="UTF-8 text") from None


def read_text(path: Path, display: str, *, limit: int = MAX_SOURCE_BYTES, what: str = "source file") -> str:
    """A whole (small) file as UTF-8 text, within `limit` bytes."""
    check_size(path, display, limit, what)
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise LoadError(f"cannot read the file ({exc.strerror})", file=display) from None
    return decode_utf8(data, display)


def text_lines(path: Path, display: str, *, limit: int = MAX_IMPORT_BYTES,
               what: str = "import file") -> Iterator[str]:
    """A large file's lines as UTF-8 text (newlines kept, a BOM dropped), one at a time: memory stays bounded by
    one line. Undecodable bytes stop the reading with a LoadError naming their line."""
    check_size(path, display, limit, what)
    with Path(path).open("rb") as raw:
        head = raw.read(4)
    for bom, name in _OTHER_BOMS:
        if head.startswith(bom):
            raise LoadError(f"the file is {name} text", file=display, line=1, expected="UTF-8 text (save it as UTF-8)")
    with Path(path).open(encoding="utf-8-sig", newline="") as fh:
        try:
            yield from fh
        except UnicodeDecodeError:
            pass
        else:
            return
    _raise_first_undecodable(path, display)


def _raise_first_undecodable(path: Path, display: str) -> None:
    """Find the first undecodable line (a second, byte-level pass: only on the error path) and raise for it."""
    with Path(path).open("rb") as fh:
        for number, raw in enumerate(fh, start=1):
            decode_utf8(raw, display, first_line=number)
    raise LoadError("not valid UTF-8", file=display, expected="UTF-8 text")


def count_lines(path: Path) -> int:
    """Lines in a file (a last line without a newline counts), read in 1 MiB blocks."""
    count, last = 0, b"\n"
    with Path(path).open("rb") as fh:
        while block := fh.read(MIB):
            count += block.count(b"\n")
            last = block[-1:]
    return count + (last != b"\n")


def loads_json(text: str, what: str, *, max_bytes: int = MAX_JSON_BYTES, max_depth: int = MAX_JSON_DEPTH) -> Any:
    """A JSON value from untrusted text, refusing oversized or too deeply nested input before parsing it
    (the standard parser recurses: 2,000 levels end in RecursionError). ValueError says what is wrong."""
    if len(text.encode("utf-8")) > max_bytes:
        raise ValueError(f"{what} is larger than {max_bytes:,} bytes")
    depth = deepest = 0
    in_string = escaped = False
    for ch in text:
        if in_string:
            if escaped:
                escaped = False
            elif ch == "\\":
                escaped = True
            elif ch == '"':
                in_string = False
        elif ch == '"':
            in_string = True
        elif ch in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif ch in "]}":
            depth -= 1
    if deepest > max_depth:
        raise ValueError(f"{what} is nested {deepest} levels deep, more than the limit of {max_depth}")
    return json.loads(text)


def refuse_xml_entities(path: Path, display: str) -> None:
    """RDF/XML with a DOCTYPE (entity declarations) is refused: entity expansion turns 1 KB into gigabytes."""
    tail = b""
    with Path(path).open("rb") as fh:
        while block := fh.read(MIB):
            window = (tail + block).upper()
            if b"<!DOCTYPE" in window or b"<!ENTITY" in window:
                raise LoadError("the RDF/XML declares a DOCTYPE or entities, which kg does not expand", file=display,
                                expected="RDF/XML without <!DOCTYPE> / <!ENTITY> declarations")
            tail = block[-16:]
