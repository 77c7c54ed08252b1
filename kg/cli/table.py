"""Plain-text tables that fit the terminal: cells wrap at word boundaries and no token is ever split.

A table is laid out in three steps. Each column's *minimum* width is its longest token (a run of non-space
characters; header words may also break after '_'), its *natural* width its longest line. If the natural widths
fit, they are used; if only the minima fit, the spare width goes to the columns that want it most; if even the
minima do not fit, the caller's low-value columns are left out, least valuable first, until they do. Only when
the columns that must stay do not fit at their minima does a line run past the width (a terminal then wraps
the line, but an identifier is still printed whole and can be copied).

Text only (no styles, no box-drawing): what is printed is exactly the data, in any terminal or pager.
"""

from __future__ import annotations

import re
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass

GAP = "  "  # between columns
COMFORT = 24  # a wrapping column narrower than this (and wanting more) makes room by leaving out a low-value one
RULE = "─"
_TOKENS = re.compile(r"\S+")
_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")


@dataclass(frozen=True)
class Layout:
    columns: tuple[str, ...]  # the columns shown, in order
    widths: tuple[int, ...]
    dropped: tuple[str, ...]  # left out to fit, in the caller's column order


def _longest_token(text: str) -> int:
    return max((len(t) for t in _TOKENS.findall(text)), default=0)


def _longest_line(text: str) -> int:
    return max((len(line) for line in text.splitlines()), default=0)


def _header_words(name: str) -> list[str]:
    """Header words: a header may break after '_' (`fold_` / `change`), data never does."""
    return re.findall(r"[^_\s]*_|[^_\s]+", name) or [name]


def _minimum(name: str, cells: Sequence[str]) -> int:
    header = max(len(w) for w in _header_words(name))
    return max([header, 1, *(_longest_token(c) for c in cells)])


def _natural(name: str, cells: Sequence[str]) -> int:
    return max([len(name), 1, *(_longest_line(c) for c in cells)])


def layout(columns: Sequence[str], rows: Sequence[Sequence[str]], width: int,
           droppable: Sequence[str] = ()) -> Layout:
    """Which columns to show and how wide, for a table `width` characters wide."""
    cols = list(columns)
    by_col = {c: [r[i] for r in rows] for i, c in enumerate(columns)}
    minimum = {c: _minimum(c, by_col[c]) for c in cols}
    natural = {c: max(_natural(c, by_col[c]), minimum[c]) for c in cols}
    dropped: list[str] = []
    for candidate in [d for d in droppable if d in cols]:
        if _total(minimum[c] for c in cols) <= width:
            break
        cols.remove(candidate)
        dropped.append(candidate)
    widths = _fit(cols, minimum, natural, width)
    for candidate in [d for d in droppable if d in cols]:
        # cramped: a column that wants more than COMFORT characters got fewer; give it a low-value column's room
        if all(w >= min(natural[c], COMFORT) for c, w in zip(cols, widths, strict=True)):
            break
        cols.remove(candidate)
        dropped.append(candidate)
        widths = _fit(cols, minimum, natural, width)
    order = {c: i for i, c in enumerate(columns)}
    return Layout(tuple(cols), tuple(widths), tuple(sorted(dropped, key=order.__getitem__)))


def _fit(cols: list[str], minimum: dict[str, int], natural: dict[str, int], width: int) -> list[int]:
    if _total(natural[c] for c in cols) <= width:
        return [natural[c] for c in cols]
    return _share(cols, minimum, natural, width)


def _total(widths: object) -> int:
    values = list(widths)  # type: ignore[call-overload]
    return sum(values) + len(GAP) * max(len(values) - 1, 0)


def _share(cols: list[str], minimum: dict[str, int], natural: dict[str, int], width: int) -> list[int]:
    """Minimum widths plus the spare width, given one character at a time to the column furthest (relatively)
    from its natural width; deterministic."""
    widths = {c: minimum[c] for c in cols}
    spare = width - _total(widths.values())
    while spare > 0:
        wanting = [c for c in cols if widths[c] < natural[c]]
        if not wanting:
            break
        pick = max(wanting, key=lambda c: ((natural[c] - widths[c]) / natural[c], -cols.index(c)))
        widths[pick] += 1
        spare -= 1
    return [widths[c] for c in cols]


def wrap(text: str, width: int) -> list[str]:
    """Lines of at most `width` characters, broken only at spaces (a longer token keeps its own line whole)."""
    lines: list[str] = []
    for paragraph in text.splitlines() or [""]:
        lines += textwrap.wrap(paragraph, width, break_long_words=False, break_on_hyphens=False) or [""]
    return lines


def _wrap_header(name: str, width: int) -> list[str]:
    lines, current = [], ""
    for word in _header_words(name):
        if current and len(current) + len(word) > width:
            lines.append(current)
            current = ""
        current += word
    return [*lines, current]


def _numeric(cells: Sequence[str]) -> bool:
    values = [c for c in cells if c]
    return bool(values) and all(_NUMBER.fullmatch(c) for c in values)


def render(columns: Sequence[str], rows: Sequence[Sequence[str]], width: int, *, title: str | None = None,
           droppable: Sequence[str] = ()) -> tuple[str, Layout]:
    """The table as text (ending in a newline) and the layout chosen for it."""
    plan = layout(columns, rows, width, droppable)
    index = [list(columns).index(c) for c in plan.columns]
    right = [_numeric([r[i] for r in rows]) for i in index]
    out: list[str] = []
    if title:
        out += wrap(title, max(width, 1))
    headers = [_wrap_header(c, w) for c, w in zip(plan.columns, plan.widths, strict=True)]
    out += _block(headers, plan.widths, [False] * len(index))
    out.append(GAP.join(RULE * w for w in plan.widths))
    bodies = [[wrap(row[i], w) for i, w in zip(index, plan.widths, strict=True)] for row in rows]
    spaced = any(max(len(cell) for cell in body) > 1 for body in bodies) if bodies and index else False
    for n, body in enumerate(bodies):
        if spaced and n:
            out.append("")
        out += _block(body, plan.widths, right)
    return "\n".join(out) + "\n", plan


def _block(cells: list[list[str]], widths: Sequence[int], right: Sequence[bool]) -> list[str]:
    height = max((len(c) for c in cells), default=1)
    lines = []
    for k in range(height):
        parts = []
        for cell, w, r in zip(cells, widths, right, strict=True):
            text = cell[k] if k < len(cell) else ""
            parts.append(text.rjust(w) if r else text.ljust(w))
        lines.append(GAP.join(parts).rstrip())
    return lines
