"""Citations: the bibliographic metadata of the publications kg cites, and `kg cite` in BibTeX, RIS and CSL-JSON.

The metadata lives beside each shared reference in the loaders (`references:` blocks: title, authors, journal,
year, volume, issue, pages, doi), each read from the paper itself during curation. `records` validates it,
`store` writes it into the build (publications.json) and reads it back, `formats` renders it.
"""
