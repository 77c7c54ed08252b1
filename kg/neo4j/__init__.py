"""The Neo4j view of the knowledge graph: Bolt sync both ways, Cypher named queries, neo4j-admin CSV files.

Modules: `connection` (settings from the environment, driver, clear errors), `mapping` (records <-> properties,
labels and relationship types from the schema), `push`, `pull`, `csv_export` (neo4j-admin import files and
their reader), `named` (queries/*.cypher) and `cypher` (ad-hoc queries, read-only unless asked). The neo4j driver
is imported only inside these modules, and this one stays light: the CLI reads its defaults from here.
"""

DEFAULT_BATCH_SIZE = 2000  # rows per transaction
DEFAULT_WORKERS = 3  # transactions at once during a push
