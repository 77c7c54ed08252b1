"""Publication records: the bibliographic fields a shared reference may carry, validated at load time.

A reference in a loader's `references:` block is `{source, reference}` plus, where the paper was seen, `title`,
`authors` ("Family, Given" each; a group author has no comma), `journal`, `year`, `volume`, `issue`, `pages`,
`doi` (for a PMID or PMC source) and `pmid`. `metadata_note` says what could not be seen. Only `source` and
`reference` flow into evidence records; the rest becomes the publication's record, keyed by its source CURIE.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

BIBLIOGRAPHIC_FIELDS = ("title", "authors", "journal", "year", "volume", "issue", "pages", "doi", "pmid",
                        "metadata_note")


class Publication(BaseModel):
    """One publication as kg knows it; unknown fields stay unset (and `complete` says whether any is missing)."""

    model_config = ConfigDict(extra="forbid")

    id: str = Field(description="the evidence source: PMID:n, DOI:10.x/y or PMC:PMCn")
    key: str | None = Field(None, description="the reference key in the loaders (BibTeX key)")
    reference: str | None = Field(None, description="the short citation the loaders give")
    title: str | None = None
    authors: list[str] = Field(default_factory=list, description="'Family, Given' each, in order")
    journal: str | None = None
    year: int | None = Field(None, ge=1600, le=2100)
    volume: str | None = None
    issue: str | None = None
    pages: str | None = None
    doi: str | None = None
    pmid: str | None = None
    pmcid: str | None = None
    metadata_note: str | None = None

    @field_validator("volume", "issue", "pages", "pmid", mode="before")
    @classmethod
    def _text(cls, v: Any) -> Any:
        return str(v) if isinstance(v, int) else v

    @field_validator("doi")
    @classmethod
    def _bare_doi(cls, v: str | None) -> str | None:
        if v is not None and not v.startswith("10."):
            raise ValueError("a bare DOI starting with '10.' (no 'DOI:' or URL in front)")
        return v

    @field_validator("pmid")
    @classmethod
    def _digits(cls, v: str | None) -> str | None:
        if v is not None and not v.isdigit():
            raise ValueError("digits only")
        return v

    @property
    def complete(self) -> bool:
        return all((self.title, self.authors, self.journal, self.year))

    def dump(self) -> dict[str, Any]:
        return self.model_dump(mode="json", exclude_none=True, exclude_defaults=True) | {"id": self.id}


def identifiers(source: str) -> dict[str, str]:
    """The identifiers a source CURIE itself gives (pmid, doi or pmcid; PMC ids are PMC:PMC123, the registry's
    form, and the older PMC:123 reads the same)."""
    prefix, _, local = source.partition(":")
    pmcid = local if local.startswith("PMC") else f"PMC{local}"
    return {"PMID": {"pmid": local}, "DOI": {"doi": local}, "PMC": {"pmcid": pmcid}}.get(prefix, {})


def publication(key: str, value: dict[str, Any]) -> Publication:
    """The Publication a reference entry describes (ValueError with a readable message if a field is wrong)."""
    from kg.models import Evidence

    unknown = sorted(set(value) - set(BIBLIOGRAPHIC_FIELDS) - set(Evidence.model_fields))
    if unknown:
        raise ValueError(f"unknown field {', '.join(unknown)} (evidence fields or {', '.join(BIBLIOGRAPHIC_FIELDS)})")
    from kg.curie import normalize_curie

    source = normalize_curie(str(value.get("source")))  # the form evidence records take (PMC:123 -> PMC:PMC123)
    fields = {k: value[k] for k in BIBLIOGRAPHIC_FIELDS if k in value}
    try:
        return Publication(id=str(source), key=key, reference=value.get("reference"),
                           **(identifiers(str(source)) | fields))
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise ValueError(f"{where}: {first['msg'].removeprefix('Value error, ')}") from None


def evidence_fields(value: dict[str, Any]) -> dict[str, Any]:
    """The part of a reference entry that evidence records take (everything but the bibliographic fields)."""
    return {k: v for k, v in value.items() if k not in BIBLIOGRAPHIC_FIELDS}
