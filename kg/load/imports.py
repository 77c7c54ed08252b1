"""A user's own network (TSV or SIF) on top of the curated graph, under rules that keep the curated graph intact.

- An unknown name is an error with close-match suggestions, unless the row (a `new` column in TSV, a `# new:`
  line in SIF) or the run (`--new-entities`) declares it new; every entity created this way is listed.
- Every imported edge has a status: its own column, the file's `# status:` line (SIF), or `--status`. Nothing is
  `established` by default.
- An imported edge that restates a curated edge (same subject, predicate and object; another context or other
  qualifiers) is a near-duplicate: the simulator would count both. The choice is explicit (`--near-duplicates`):
  `error` (default) stops the load, `merge` adds the row's evidence to the curated edge, `keep` keeps a parallel
  edge (listed, and noted by `kg predict`).
- Sizes are bounded: at most MAX_IMPORT_ROWS rows per load (counted before parsing; `KG_MAX_IMPORT_ROWS` raises
  it for larger machines), at most MAX_ERRORS errors reported.
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kg.errors import LoadError
from kg.models import digest

NEAR_DUPLICATE_CHOICES = ("error", "merge", "keep")
STATUSES = ("established", "contested", "hypothesis")
MAX_IMPORT_ROWS = 1_000_000
MAX_ERRORS = 200
IMPORT_SUFFIXES = (".tsv", ".sif")
_UNSAFE = re.compile(r"[^A-Za-z0-9_.+\-]")


@dataclass(frozen=True)
class ImportOptions:
    """How TSV and SIF imports are read; recorded in the build's manifest so an automatic rebuild reads them alike."""

    status: str | None = None
    new_entities: bool = False
    near_duplicates: str = "error"

    def __post_init__(self) -> None:
        from kg.errors import InputError

        if self.status is not None and self.status not in STATUSES:
            raise InputError(f"unknown status '{self.status}' (known: {', '.join(STATUSES)})")
        if self.near_duplicates not in NEAR_DUPLICATE_CHOICES:
            raise InputError(f"unknown near-duplicate choice '{self.near_duplicates}' "
                             f"(known: {', '.join(NEAR_DUPLICATE_CHOICES)})")

    def to_json(self) -> dict[str, Any]:
        return {"status": self.status, "new_entities": self.new_entities, "near_duplicates": self.near_duplicates}

    @classmethod
    def from_json(cls, data: Any) -> ImportOptions:
        data = data if isinstance(data, dict) else {}
        return cls(status=data.get("status"), new_entities=bool(data.get("new_entities")),
                   near_duplicates=data.get("near_duplicates") or "error")


@dataclass
class ImportReport:
    """What imports added: new entities (id, label, category, file, line) and near-duplicates with the choice."""

    new_entities: list[dict[str, Any]] = field(default_factory=list)
    near_duplicates: list[dict[str, Any]] = field(default_factory=list)


def max_import_rows() -> int:
    """The row limit: MAX_IMPORT_ROWS, or `KG_MAX_IMPORT_ROWS` when set to a positive integer."""
    text = os.environ.get("KG_MAX_IMPORT_ROWS", "").strip()
    return int(text) if text.isdigit() and int(text) > 0 else MAX_IMPORT_ROWS


def check_row_budget(files: Sequence[tuple[Path, str]]) -> LoadError | None:
    """Refuse, before parsing, imports with more rows in total than the limit (names the file that crosses it)."""
    from kg.safeio import MAX_IMPORT_BYTES, check_size, count_lines

    limit, total = max_import_rows(), 0
    for path, display in files:
        check_size(path, display, MAX_IMPORT_BYTES, "import file")
        total += max(count_lines(path) - 1, 0)  # less the header (TSV) or citation line (SIF)
        if total > limit:
            return LoadError(f"imports hold about {total:,} rows so far, more than the limit of {limit:,} rows per "
                             f"build (peak memory grows with every edge; see BENCHMARKS.md)", file=display,
                             expected=f"at most {limit:,} imported rows (set KG_MAX_IMPORT_ROWS to raise the limit "
                                      "on a machine with the memory for it)")
    return None


def new_entity_id(name: str) -> str:
    """A KG-namespace id for an imported name; names that need escaping get a digest suffix (no collisions)."""
    slug = _UNSAFE.sub("_", name.strip()).lstrip("_.+-") or "x"
    return f"KG:{slug}" if slug == name else f"KG:{slug}-{digest(name, length=8)}"


def citation(value: str) -> str:
    value = value.strip()
    return f"PMID:{value}" if value.isdigit() else value


class ErrorSink:
    """Collects load errors up to MAX_ERRORS (then only counts them), so a file of bad rows stays cheap."""

    def __init__(self, errors: list[LoadError]) -> None:
        self.errors = errors
        self.dropped = 0

    @property
    def full(self) -> bool:
        return len(self.errors) >= MAX_ERRORS

    def append(self, error: LoadError) -> None:
        if self.full:
            self.dropped += 1
        else:
            self.errors.append(error)

    def close(self) -> None:
        if self.dropped:
            self.errors.append(LoadError(f"... and {self.dropped:,} more errors not shown (first {MAX_ERRORS} "
                                         "listed)"))
            self.dropped = 0
