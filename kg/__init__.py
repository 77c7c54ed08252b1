"""kg: an evidence-backed knowledge graph of the ANKH / extracellular pyrophosphate network.

The validated graph (pydantic records held in a networkx MultiDiGraph) is the single source of truth; RDF, Neo4j,
diagrams and the simulator are views of it. Heavy libraries are imported lazily so the CLI starts fast.
"""

__version__ = "0.1.0"
