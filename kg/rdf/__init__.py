"""The RDF view of the knowledge graph: a lossless mapping, an embedded Oxigraph store, SPARQL and SHACL.

mapping.py turns a KnowledgeGraph into triples and reverse.py turns triples back into the same graph; the
vocabulary comes from schema/kg.yaml (classes, predicates, prefixes) and schema/rdf.yaml (attribute properties).
"""
