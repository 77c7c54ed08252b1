"""The vocabulary the SBML exports share: units of the model's IR, SBO terms, identifiers.org URIs for the
graph's CURIEs, and MIRIAM annotation helpers (python-libsbml)."""

from __future__ import annotations

from typing import Any

import libsbml

# IR unit -> SBML unit definition id; each definition: (kind, exponent, scale, multiplier) factors
UNITS: dict[str, str] = {"uM": "uM", "1/h": "per_hour", "uM/h": "uM_per_hour", "umol/h": "umol_per_hour",
                         "L": "litre", "L/h": "litre_per_hour", "h": "hour", "relative": "dimensionless",
                         "1": "dimensionless", "index": "dimensionless", "Pi/PPi": "dimensionless",
                         "dose": "dimensionless", "fold": "dimensionless"}
DEFINITIONS: dict[str, list[tuple[int, float, int, float]]] = {
    "uM": [(libsbml.UNIT_KIND_MOLE, 1, -6, 1.0), (libsbml.UNIT_KIND_LITRE, -1, 0, 1.0)],
    "umol": [(libsbml.UNIT_KIND_MOLE, 1, -6, 1.0)],
    "hour": [(libsbml.UNIT_KIND_SECOND, 1, 0, 3600.0)],
    "per_hour": [(libsbml.UNIT_KIND_SECOND, -1, 0, 3600.0)],
    "uM_per_hour": [(libsbml.UNIT_KIND_MOLE, 1, -6, 1.0), (libsbml.UNIT_KIND_LITRE, -1, 0, 1.0),
                    (libsbml.UNIT_KIND_SECOND, -1, 0, 3600.0)],
    "umol_per_hour": [(libsbml.UNIT_KIND_MOLE, 1, -6, 1.0), (libsbml.UNIT_KIND_SECOND, -1, 0, 3600.0)],
    "litre_per_hour": [(libsbml.UNIT_KIND_LITRE, 1, 0, 1.0), (libsbml.UNIT_KIND_SECOND, -1, 0, 3600.0)],
}

# SBO terms (https://www.ebi.ac.uk/sbo): material entities, compartments, reactions and parameters
SBO_CATEGORY = {"small_molecule": 247, "gene_or_protein": 252, "protein_complex": 297, "drug": 247}
SBO_MACROMOLECULE, SBO_COMPARTMENT, SBO_PARAMETER = 245, 290, 2
SBO_FLUX = {"reaction": 176, "transfer": 185, "source": 393, "clearance": 179, "turnover": 176,
            "regulation": 393}  # biochemical reaction, transport, production, degradation
SBO_PARAM_PREFIX = {"k__": 35, "vmax__": 186, "km__": 27, "K__": 193, "n__": 190, "max_fold__": 2,
                    "kturn__": 356, "V__": 2, "exchange__": 9, "filtration__": 9, "outflow__": 9,
                    "absorption__": 9, "reabsorption__": 9, "clearance__": 356, "source__": 9}

# graph CURIE prefix -> identifiers.org prefix (the namespaces whose ids embed their prefix keep it)
IDENTIFIERS = {"HGNC": "hgnc", "MGI": "MGI", "UniProtKB": "uniprot", "NCBIGene": "ncbigene", "NCBITaxon": "taxonomy",
               "CHEBI": "CHEBI", "GO": "GO", "MONDO": "MONDO", "HP": "HP", "CL": "CL", "UBERON": "UBERON",
               "OMIM": "mim", "Orphanet": "orphanet", "PMID": "pubmed", "PMC": "pmc", "DOI": "doi",
               "dbSNP": "dbsnp", "Ensembl": "ensembl", "CVCL": "cellosaurus"}


def identifiers_uri(curie: str) -> str | None:
    """The identifiers.org URI of a CURIE, or None (KG: ids and prefixes identifiers.org does not resolve)."""
    prefix, _, local = curie.partition(":")
    ns = IDENTIFIERS.get(prefix)
    if ns is None or not local:
        return None
    if prefix == "PMC":
        local = local if local.startswith("PMC") else f"PMC{local}"
    if prefix == "CVCL":
        local = local if local.startswith("CVCL_") else f"CVCL_{local}"
    return f"https://identifiers.org/{ns}:{local}"


def sbo_for_param(name: str) -> int:
    return next((t for prefix, t in SBO_PARAM_PREFIX.items() if name.startswith(prefix)), SBO_PARAMETER)


def unit_id(unit: str) -> str:
    return UNITS.get(unit, "dimensionless")


def add_units(model: Any) -> None:
    for uid, factors in DEFINITIONS.items():
        ud = model.createUnitDefinition()
        ud.setId(uid)
        for kind, exponent, scale, multiplier in factors:
            u = ud.createUnit()
            u.setKind(kind)
            u.setExponent(exponent)
            u.setScale(scale)
            u.setMultiplier(multiplier)


def annotate(element: Any, qualifier: int, curies: list[str]) -> None:
    """MIRIAM CV terms (biological qualifier, e.g. BQB_IS) for every CURIE identifiers.org resolves."""
    uris = [u for u in (identifiers_uri(c) for c in curies) if u]
    if not uris:
        return
    if not element.isSetMetaId():
        element.setMetaId(f"meta_{element.getId()}")
    term = libsbml.CVTerm(libsbml.BIOLOGICAL_QUALIFIER)
    term.setBiologicalQualifierType(qualifier)
    for uri in uris:
        term.addResource(uri)
    check(element.addCVTerm(term), f"annotation of {element.getId()}")


def check(code: int, what: str) -> None:
    """libsbml returns status codes; anything but success is a bug here."""
    if code != libsbml.LIBSBML_OPERATION_SUCCESS:
        raise RuntimeError(f"libsbml failed on {what}: {libsbml.OperationReturnValue_toString(code)}")
