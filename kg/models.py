"""Pydantic records mirroring schema/kg.yaml: entities, edges, evidence, kinetic parameters, variant effects.

Validation is strict for anything read from a source (identifiers, categories, predicates, signs, statuses).
Records re-read from a build kg wrote itself are validated with `context={"trusted": True}`, which skips the
identifier checks already done at build time (that keeps CLI start-up fast).
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator, model_validator

from kg.curie import validate_curie
from kg.ids import digest, evidence_id
from kg.schema import load_schema

Status = Literal["established", "contested", "hypothesis"]
Confidence = Literal["high", "medium", "low"]
Basis = Literal["measured", "derived", "fitted", "assumed"]
# categories that belong to one gene (a variant, the gene's reference transcript, a region of its protein)
GENE_FEATURE_CATEGORIES = ("sequence_variant", "transcript", "protein_region")


def _trusted(info: ValidationInfo) -> bool:
    return bool(info.context and info.context.get("trusted"))


def _check_curie(value: str, info: ValidationInfo, prefixes: tuple[str, ...] | None = None) -> str:
    if _trusted(info):
        return value
    return validate_curie(value, prefixes)


class Record(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=False, validate_assignment=False)

    def dump(self) -> dict[str, Any]:
        """A JSON-ready dict with unset optional (None) fields left out; defaults are kept explicit."""
        return self.model_dump(mode="json", exclude_none=True)


class Evidence(Record):
    """One source supporting a claim: the publication, where it was seen, how, and how sure we are."""

    source: str = Field(description="PMID, DOI or PMC CURIE of the publication")
    reference: str | None = Field(None, description="short human citation, e.g. 'Szeri 2020 PLoS Genet'")
    species: str | None = None
    system: str | None = Field(None, description="cell type, cell line, tissue or organism studied")
    assay: str | None = None
    statement: str | None = Field(None, description="what the source shows, in a sentence")
    confidence: Confidence = "medium"
    status: Status = "established"

    @field_validator("source")
    @classmethod
    def _source_is_publication(cls, v: str, info: ValidationInfo) -> str:
        return _check_curie(v, info, load_schema().evidence_prefixes)

    @field_validator("species")
    @classmethod
    def _known_species(cls, v: str | None, info: ValidationInfo) -> str | None:
        if v is not None and not _trusted(info) and v not in load_schema().species:
            raise ValueError(f"unknown species '{v}' (known: {', '.join(load_schema().species)})")
        return v

    @property
    def id(self) -> str:
        """Deterministic: the same evidence stated twice has one id and is merged."""
        return evidence_id({"source": self.source, "species": self.species, "system": self.system,
                            "assay": self.assay, "statement": self.statement})


class Parameter(Record):
    """A number the simulator uses, with where it came from. Fitted or assumed values say so."""

    value: float = Field(allow_inf_nan=False)  # a NaN or infinity in a source would poison the solver
    unit: str
    basis: Basis = "measured"
    source: str | None = None
    note: str | None = None
    low: float | None = Field(None, description="lower end of the plausible range, where a source gives one")
    high: float | None = Field(None, description="upper end of the plausible range (default: from the basis)")

    @field_validator("source")
    @classmethod
    def _source_curie(cls, v: str | None, info: ValidationInfo) -> str | None:
        return None if v is None else _check_curie(v, info, load_schema().evidence_prefixes)

    @model_validator(mode="after")
    def _range_holds_value(self) -> Parameter:
        if (self.low is None) != (self.high is None):
            raise ValueError("a range needs both 'low' and 'high'")
        if self.low is not None and not (self.low <= self.value <= self.high and self.low < self.high):
            raise ValueError(f"range [{self.low}, {self.high}] must be increasing and contain the value {self.value}")
        if self.low is not None and self.low * self.high < 0:
            raise ValueError(f"range [{self.low}, {self.high}] crosses 0; a range keeps the value's sign")
        return self

    @model_validator(mode="after")
    def _sourced_unless_fitted(self) -> Parameter:
        if self.basis in ("measured", "derived") and not self.source:
            raise ValueError(f"a {self.basis} parameter needs a source (PMID/DOI); mark it fitted or assumed otherwise")
        if self.basis in ("fitted", "assumed") and not (self.note or self.source):
            raise ValueError(f"a {self.basis} parameter needs a note saying how it was chosen")
        return self


class Kinetics(Record):
    """A rate law and its parameters, carried by an edge the kinetic layer turns into ODE terms."""

    rate_law: str
    parameters: dict[str, Parameter] = Field(default_factory=dict)


class VariantEffect(Record):
    """What a variant changes on its gene: activity, expression, one interaction, or localization."""

    kind: str
    direction: Literal["increased", "decreased", "lost", "unchanged"]
    factor: float | None = Field(None, ge=0, allow_inf_nan=False,
                                 description="level relative to wild type, where sourced or declared")
    partner: str | None = Field(None, description="the interaction partner, for kind interaction_loss")
    basis: Basis | None = None
    note: str | None = None

    @field_validator("kind")
    @classmethod
    def _known_kind(cls, v: str, info: ValidationInfo) -> str:
        if _trusted(info):
            return v
        kinds = load_schema().variant_effect_kinds
        if v not in kinds:
            raise ValueError(f"unknown effect kind '{v}' (known: {', '.join(kinds)})")
        return v

    @field_validator("partner")
    @classmethod
    def _partner_curie(cls, v: str | None, info: ValidationInfo) -> str | None:
        return None if v is None else _check_curie(v, info)


class Entity(Record):
    """A node: gene or protein, metabolite, mineral, process, disease, drug, condition, variant or context."""

    id: str
    category: str
    label: str
    symbol: str | None = None
    synonyms: list[str] = Field(default_factory=list)
    xrefs: list[str] = Field(default_factory=list)
    description: str | None = None
    taxon: str | None = None
    compartments: list[str] = Field(default_factory=list)
    # sequence variants
    gene: str | None = None
    hgvs: str | None = None
    variant_class: str | None = None
    effects: list[VariantEffect] = Field(default_factory=list)
    # cell systems / contexts and any entity with quantitative attributes
    parameters: dict[str, Parameter] = Field(default_factory=dict)
    evidence: list[Evidence] = Field(default_factory=list)
    sources: list[str] = Field(default_factory=list, description="loader files that state this entity")

    @field_validator("id", "gene")
    @classmethod
    def _curie(cls, v: str | None, info: ValidationInfo) -> str | None:
        return None if v is None else _check_curie(v, info)

    @field_validator("xrefs")
    @classmethod
    def _xref_curies(cls, v: list[str], info: ValidationInfo) -> list[str]:
        return [_check_curie(x, info) for x in v]

    @field_validator("category")
    @classmethod
    def _known_category(cls, v: str, info: ValidationInfo) -> str:
        if not _trusted(info) and v not in load_schema().categories:
            raise ValueError(f"unknown category '{v}' (known: {', '.join(load_schema().categories)})")
        return v

    @field_validator("taxon")
    @classmethod
    def _known_taxon(cls, v: str | None, info: ValidationInfo) -> str | None:
        if v is not None and not _trusted(info) and v not in load_schema().species:
            raise ValueError(f"unknown taxon '{v}' (known: {', '.join(load_schema().species)})")
        return v

    @field_validator("compartments")
    @classmethod
    def _known_compartments(cls, v: list[str], info: ValidationInfo) -> list[str]:
        for c in v:
            _check_compartment(c, info)
        return v

    @field_validator("variant_class")
    @classmethod
    def _known_variant_class(cls, v: str | None, info: ValidationInfo) -> str | None:
        if v is not None and not _trusted(info) and v not in load_schema().variant_classes:
            raise ValueError(f"unknown variant class '{v}' (known: {', '.join(load_schema().variant_classes)})")
        return v

    @model_validator(mode="after")
    def _variants_name_their_gene(self) -> Entity:
        if self.category in GENE_FEATURE_CATEGORIES and not self.gene:
            raise ValueError(f"a {self.category} needs 'gene' (the CURIE of the gene it belongs to)")
        return self


def _check_compartment(value: str | None, info: ValidationInfo) -> str | None:
    if value is not None and not _trusted(info) and value not in load_schema().compartments:
        raise ValueError(f"unknown compartment '{value}' (known: {', '.join(load_schema().compartments)})")
    return value


class Edge(Record):
    """A directed, signed, evidence-backed statement: subject -predicate-> object, in a mechanism and context."""

    id: str = ""
    subject: str
    predicate: str
    object: str
    sign: str = ""
    mechanism: str = ""
    from_compartment: str | None = None
    to_compartment: str | None = None
    compartment: str | None = None
    substrates: list[str] = Field(default_factory=list)
    products: list[str] = Field(default_factory=list)
    context: str | None = Field(None, description="cell system the claim is specific to (CURIE), or general")
    status: Status = "established"
    claim: str | None = Field(None, description="the claim in words, for contested or hypothetical edges")
    kinetics: Kinetics | None = None
    evidence: list[Evidence] = Field(min_length=1)
    sources: list[str] = Field(default_factory=list, description="loader files that state this edge")

    @field_validator("subject", "object", "context")
    @classmethod
    def _curie(cls, v: str | None, info: ValidationInfo) -> str | None:
        return None if v is None else _check_curie(v, info)

    @field_validator("substrates", "products")
    @classmethod
    def _curies(cls, v: list[str], info: ValidationInfo) -> list[str]:
        return [_check_curie(x, info) for x in v]

    @field_validator("predicate")
    @classmethod
    def _known_predicate(cls, v: str, info: ValidationInfo) -> str:
        if not _trusted(info) and v not in load_schema().predicates:
            raise ValueError(f"unknown predicate '{v}' (known: {', '.join(load_schema().predicates)})")
        return v

    @field_validator("from_compartment", "to_compartment", "compartment")
    @classmethod
    def _compartment(cls, v: str | None, info: ValidationInfo) -> str | None:
        return _check_compartment(v, info)

    @model_validator(mode="after")
    def _derive_from_schema(self, info: ValidationInfo) -> Edge:
        if _trusted(info) and self.sign and self.mechanism and self.id:
            return self  # written by kg itself: sign, mechanism and id were derived at build time
        pred = load_schema().predicates[self.predicate]
        if self.sign and self.sign != pred.sign:
            raise ValueError(f"sign '{self.sign}' contradicts predicate '{self.predicate}' (sign {pred.sign})")
        if self.mechanism and self.mechanism != pred.mechanism:
            raise ValueError(f"mechanism '{self.mechanism}' contradicts predicate '{self.predicate}' "
                             f"(mechanism {pred.mechanism})")
        # direct __dict__ writes: derived fields, no re-validation needed (and 100k-edge imports stay fast)
        derived: dict[str, Any] = {"sign": pred.sign, "mechanism": pred.mechanism}
        if pred.symmetric and self.object < self.subject:
            derived.update(subject=self.object, object=self.subject)
        self.__dict__.update(derived)
        expected = self.compute_id()
        if self.id and self.id != expected:
            raise ValueError(f"edge id '{self.id}' is not the deterministic id '{expected}' of its content")
        self.__dict__["id"] = expected
        return self

    def compute_id(self) -> str:
        """Deterministic id from subject, predicate, object, mechanism qualifiers and context."""
        return "KG:edge." + digest(self.subject, self.predicate, self.object, self.from_compartment,
                                   self.to_compartment, self.compartment, ",".join(self.substrates),
                                   ",".join(self.products), self.context)

    @property
    def sign_value(self) -> int:
        return {"positive": 1, "negative": -1}.get(self.sign, 0)
