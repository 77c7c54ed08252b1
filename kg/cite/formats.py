"""Publications as CSL-JSON (the citation-processor format), BibTeX (bibtexparser) and RIS (rispy).

Input: the metadata dicts of kg.cite.records (from the build's publications.json). A field kg does not know is
left out, never guessed; an entry with no title carries a note saying its metadata is not in kg's sources.
"""

from __future__ import annotations

import json
import re
from typing import Any

NO_METADATA = "bibliographic metadata not recorded in kg's sources; identifier and short reference only"


def entry_key(pub: dict[str, Any]) -> str:
    """A citation key: the loaders' reference key, else one made from the identifier (letters, digits, _)."""
    return pub.get("key") or re.sub(r"[^A-Za-z0-9]+", "_", pub["id"]).strip("_")


def _name(author: str) -> dict[str, str]:
    family, sep, given = author.partition(",")
    return {"family": family.strip(), "given": given.strip()} if sep else {"literal": author.strip()}


def _note(pub: dict[str, Any]) -> str | None:
    parts = [p for p in (pub.get("metadata_note"), None if pub.get("title") else NO_METADATA) if p]
    if not pub.get("title") and pub.get("reference"):
        parts.append(f"kg's short reference: {pub['reference']}")
    return "; ".join(parts) or None


def _url(pub: dict[str, Any]) -> str | None:
    if pub.get("doi"):
        return f"https://doi.org/{pub['doi']}"
    if pub.get("pmid"):
        return f"https://pubmed.ncbi.nlm.nih.gov/{pub['pmid']}/"
    if pub.get("pmcid"):
        return f"https://www.ncbi.nlm.nih.gov/pmc/articles/{pub['pmcid']}/"
    return None


def csl_item(pub: dict[str, Any]) -> dict[str, Any]:
    """One CSL-JSON item (https://citeproc-js.readthedocs.io/en/latest/csl-json/markup.html)."""
    item: dict[str, Any] = {"id": entry_key(pub), "type": "article-journal"}
    if pub.get("title"):
        item["title"] = pub["title"]
    if pub.get("authors"):
        item["author"] = [_name(a) for a in pub["authors"]]
    if pub.get("journal"):
        item["container-title"] = pub["journal"]
    if pub.get("year"):
        item["issued"] = {"date-parts": [[pub["year"]]]}
    for field, key in (("volume", "volume"), ("issue", "issue"), ("pages", "page"), ("doi", "DOI"),
                       ("pmid", "PMID"), ("pmcid", "PMCID")):
        if pub.get(field):
            item[key] = pub[field]
    if _url(pub):
        item["URL"] = _url(pub)
    if _note(pub):
        item["note"] = _note(pub)
    return item


def csl_json(pubs: list[dict[str, Any]]) -> str:
    return json.dumps([csl_item(p) for p in pubs], indent=2, ensure_ascii=False) + "\n"


def bibtex(pubs: list[dict[str, Any]]) -> str:
    """@article entries written by bibtexparser, LaTeX special characters encoded (pylatexenc)."""
    import bibtexparser
    from bibtexparser.library import Library
    from bibtexparser.middlewares import LatexEncodingMiddleware
    from bibtexparser.model import Entry, Field

    library = Library()
    for pub in pubs:
        fields = []
        if pub.get("authors"):
            fields.append(Field("author", " and ".join(a if "," in a else "{" + a + "}" for a in pub["authors"])))
        for name, key in (("title", "title"), ("journal", "journal"), ("year", "year"), ("volume", "volume"),
                          ("issue", "number"), ("pages", "pages"), ("doi", "doi"), ("pmid", "pmid"),
                          ("pmcid", "pmcid")):
            if pub.get(name):
                value = str(pub[name])
                fields.append(Field(key, value.replace("-", "--") if key == "pages" and "--" not in value else value))
        if _url(pub):
            fields.append(Field("url", _url(pub)))
        if _note(pub):
            fields.append(Field("note", _note(pub)))
        library.add(Entry("article", entry_key(pub), fields))
    encode = LatexEncodingMiddleware(keep_math=True, enclose_urls=False)
    return bibtexparser.write_string(library, prepend_middleware=[encode])


def ris(pubs: list[dict[str, Any]]) -> str:
    """RIS records (TY JOUR) written by rispy (without its '1.' counter lines, which are no RIS tags)."""
    import rispy
    from rispy.writer import RisWriter

    class PlainRisWriter(RisWriter):
        def set_header(self, count: int) -> str:
            return ""

    entries = []
    for pub in pubs:
        entry: dict[str, Any] = {"type_of_reference": "JOUR", "id": entry_key(pub)}
        if pub.get("authors"):
            entry["authors"] = list(pub["authors"])
        for name, key in (("title", "title"), ("journal", "journal_name"), ("year", "year"), ("volume", "volume"),
                          ("issue", "number"), ("doi", "doi")):
            if pub.get(name):
                entry[key] = str(pub[name])
        if pub.get("pages"):
            start, _, end = str(pub["pages"]).partition("-")
            entry["start_page"] = start
            if end:
                entry["end_page"] = end
        if _url(pub):
            entry["urls"] = [_url(pub)]
        if _note(pub):
            entry["notes"] = [_note(pub)]
        entries.append(entry)
    return rispy.dumps(entries, implementation=PlainRisWriter)


def render(pubs: list[dict[str, Any]], fmt: str) -> str:
    return {"bibtex": bibtex, "ris": ris, "csl-json": csl_json}[fmt](pubs)


def describe(pub: dict[str, Any]) -> str:
    """One line for people: 'Szeri F, ... (2020) Title. Journal 16(7):e1008884. doi:...', or what is known."""
    if not pub.get("title"):
        return f"{pub.get('reference') or pub['id']} ({NO_METADATA})"
    authors = [a.split(",")[0] + ("" if "," not in a else " " + "".join(
        w[0] for w in re.split(r"[\s-]+", a.split(",", 1)[1].strip()) if w)) for a in pub.get("authors", [])]
    names = ", ".join(authors[:3]) + (", et al." if len(authors) > 3 else "")
    where = pub.get("journal", "")
    if pub.get("volume"):
        where += f" {pub['volume']}" + (f"({pub['issue']})" if pub.get("issue") else "")
    if pub.get("pages"):
        where += f":{pub['pages']}"
    doi = f" doi:{pub['doi']}" if pub.get("doi") else ""
    return f"{names} ({pub.get('year', 'n.d.')}) {pub['title']}. {where.strip()}.{doi}"
