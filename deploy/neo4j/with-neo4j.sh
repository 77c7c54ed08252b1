#!/usr/bin/env bash
# Run a command with a Neo4j server available: `with-neo4j.sh CMD ARGS...` (make test runs pytest this way).
#
# - NEO4J_URI already set: the command runs against that server, nothing is started.
# - Otherwise, with Java present: builds (once) and starts kg's Neo4j 5.26 server on a free port with a fresh data
#   folder and a random password, exports NEO4J_URI/NEO4J_USER/NEO4J_PASSWORD/NEO4J_DATABASE for the command, and
#   stops the server afterwards whatever the command's exit code.
# - If no server can be had: in CI (CI=true) this fails loudly; locally the command runs anyway and the Neo4j tests
#   skip with a stated reason.
set -uo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
CTL="$HERE/neo4jctl.sh"
IN_CI=false
case "${CI:-}" in 1 | true | TRUE | True | yes) IN_CI=true ;; esac

say() { echo "with-neo4j: $*" >&2; }

unavailable() {
  local why="$1"
  shift
  if $IN_CI; then say "ERROR: $why (CI needs a real Neo4j server)"; exit 1; fi
  say "warning: $why; Neo4j tests will skip"
  exec "$@"
}

if [[ -n "${NEO4J_URI:-}" ]]; then
  exec "$@"
fi

if ! command -v java >/dev/null; then
  unavailable "Java is not installed" "$@"
fi

RUN="$HERE/target/run-$$"
cleanup() {
  "$CTL" stop "$RUN" || true
  rm -rf "$RUN"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

if ! "$CTL" start "$RUN"; then
  cleanup
  trap - EXIT
  unavailable "the Neo4j server did not start" "$@"
fi

# shellcheck disable=SC1091
source "$RUN/neo4j.env"
"$@"
exit $?
