#!/usr/bin/env bash
# Run a command with a Neo4j server available (see deploy/neo4j/README). Until the server tooling exists, runs the
# command as is; Neo4j tests then skip locally (and fail in CI, where they must run).
set -euo pipefail
exec "$@"
