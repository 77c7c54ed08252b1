# Included by the top-level Makefile (`-include deploy/neo4j/neo4j.mk`): kg's Neo4j 5.26 server without Docker.
#   make neo4j-up     build once (Maven, cached in deploy/neo4j/target and ~/.m2), start, wait until Bolt answers
#   make neo4j-down   stop it cleanly (SIGTERM)
# Then: source deploy/neo4j/target/server/neo4j.env  (NEO4J_URI, NEO4J_USER, NEO4J_PASSWORD, NEO4J_DATABASE)
.PHONY: neo4j-build neo4j-up neo4j-down

neo4j-build:
	@deploy/neo4j/neo4jctl.sh build

neo4j-up:
	@deploy/neo4j/neo4jctl.sh up

neo4j-down:
	@deploy/neo4j/neo4jctl.sh down
