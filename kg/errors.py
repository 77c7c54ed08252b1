"""Errors that are meant for people: each says what was wrong, where, and what would be right."""

from __future__ import annotations


class KgError(Exception):
    """Base class. `exit_code` follows the CLI convention: 1 failure, 2 bad input or usage."""

    exit_code = 1


class InputError(KgError):
    """Bad input from a user or a source file (exit code 2)."""

    exit_code = 2


class LoadError(InputError):
    """A record in a source file is invalid: carries file, line, field and what was expected."""

    def __init__(self, message: str, *, file: str | None = None, line: int | None = None,
                 field: str | None = None, expected: str | None = None) -> None:
        self.file, self.line, self.field, self.expected = file, line, field, expected
        where = file or "<input>"
        if line is not None:
            where = f"{where}:{line}"
        parts = [f"{where}: {message}"]
        if field:
            parts.append(f"field '{field}'")
        if expected:
            parts.append(f"expected {expected}")
        super().__init__("; ".join(parts))


class LoadErrors(InputError):
    """Several load errors, reported together so a curator can fix them in one pass."""

    def __init__(self, errors: list[LoadError]) -> None:
        self.errors = errors
        super().__init__("\n".join(str(e) for e in errors))


class ResolveError(InputError):
    """A name, symbol or CURIE that does not resolve to exactly one entity."""

    def __init__(self, name: str, suggestions: list[str] | None = None, *,
                 ambiguous: list[str] | None = None) -> None:
        self.name, self.suggestions, self.ambiguous = name, suggestions or [], ambiguous or []
        if self.ambiguous:
            msg = f"ambiguous name '{name}': matches {', '.join(self.ambiguous)}; use an identifier"
        else:
            msg = f"unknown entity '{name}'"
            if self.suggestions:
                msg += f"; did you mean: {', '.join(self.suggestions)}?"
        super().__init__(msg)


class MergeConflict(InputError):
    """Two statements of the same entity or edge disagree on an attribute; kg never picks one silently."""


class UnknownVariant(InputError):
    """A GENE:VARIANT that is neither catalogued nor a well-formed HGVS change of the gene (exit 2)."""
