#!/usr/bin/env bash
# Build, start and stop kg's Neo4j 5.26 test server (no Docker: Maven Central and Java 17).
#
#   neo4jctl.sh build            build target/kg-neo4j-server.jar and target/lib once (rebuilt when pom or source change)
#   neo4jctl.sh start RUN_DIR    start a server whose data, log, pid and env file live in RUN_DIR; wait for Bolt
#   neo4jctl.sh stop RUN_DIR     SIGTERM it (clean shutdown), SIGKILL only if it has not stopped after 90 s
#   neo4jctl.sh up | down        start / stop the long-lived server of `make neo4j-up` (RUN_DIR target/server)
#
# Settings (environment): KG_NEO4J_PORT (default: the first free port from 17687), NEO4J_USER (neo4j),
# NEO4J_PASSWORD (default: a new random one per start), KG_NEO4J_HEAP (1g), KG_NEO4J_PAGECACHE_MB (256),
# KG_NEO4J_START_TIMEOUT seconds (180). The password is written only to RUN_DIR/neo4j.env (mode 600), never printed.
# LOAD CSV reads files only from RUN_DIR/import (exported as KG_NEO4J_IMPORT in neo4j.env) and connects to no
# loopback or private address.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
TARGET="$HERE/target"
JAR="$TARGET/kg-neo4j-server.jar"
SRC="$HERE/src/main/java/org/kg/neo4j/KgNeo4jServer.java"

say() { echo "neo4j: $*" >&2; }

needs_build() {
  [[ ! -f "$JAR" || ! -f "$TARGET/lib/.complete" || "$HERE/pom.xml" -nt "$JAR" || "$SRC" -nt "$JAR" ]]
}

build() {
  needs_build || return 0
  command -v mvn >/dev/null || { say "Maven (mvn) is not installed: cannot build the server"; return 1; }
  say "building the Neo4j 5.26 server with Maven (first build downloads ~210 jars into ~/.m2)"
  rm -rf "$TARGET/lib"
  mvn -q -B -f "$HERE/pom.xml" package -DskipTests >&2
  touch "$TARGET/lib/.complete"
}

port_busy() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

free_port() {
  local p
  for p in $(seq 17687 17787); do
    port_busy "$p" || { echo "$p"; return 0; }
  done
  return 1
}

random_password() { head -c 24 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' | head -c 24; }

running() { [[ -f "$1/pid" ]] && kill -0 "$(cat "$1/pid")" 2>/dev/null; }

start() {
  local run="$1"
  if running "$run"; then say "already running (pid $(cat "$run/pid")); env in $run/neo4j.env"; return 0; fi
  build
  mkdir -p "$run"
  local port="${KG_NEO4J_PORT:-$(free_port)}" user="${NEO4J_USER:-neo4j}" password="${NEO4J_PASSWORD:-}"
  [[ -n "$password" ]] || password="$(random_password)"
  if port_busy "$port"; then say "port $port is already in use"; return 1; fi
  (umask 077; cat > "$run/neo4j.env" <<EOF
export NEO4J_URI=bolt://127.0.0.1:$port
export NEO4J_USER=$user
export NEO4J_PASSWORD=$password
export NEO4J_DATABASE=neo4j
export KG_NEO4J_IMPORT=$run/import
EOF
  )
  : > "$run/server.log"
  KG_NEO4J_HOME="$run/home" KG_NEO4J_IMPORT="$run/import" KG_NEO4J_PORT="$port" NEO4J_USER="$user" NEO4J_PASSWORD="$password" \
    nohup java -Xms256m -Xmx"${KG_NEO4J_HEAP:-1g}" -XX:+UseG1GC -cp "$JAR:$TARGET/lib/*" \
    org.kg.neo4j.KgNeo4jServer >>"$run/server.log" 2>&1 </dev/null &
  echo $! > "$run/pid"
  local deadline=$((SECONDS + ${KG_NEO4J_START_TIMEOUT:-180}))
  until grep -q '^kg-neo4j ready' "$run/server.log"; do
    if ! running "$run"; then
      say "the server exited during start-up; last lines of $run/server.log:"; tail -n 20 "$run/server.log" >&2
      rm -f "$run/pid"; return 1
    fi
    if (( SECONDS > deadline )); then say "no ready line after ${KG_NEO4J_START_TIMEOUT:-180} s"; stop "$run"; return 1; fi
    sleep 0.5
  done
  port_busy "$port" || { say "ready line printed but Bolt does not answer on port $port"; stop "$run"; return 1; }
  say "ready: bolt://127.0.0.1:$port (user $user; credentials in $run/neo4j.env)"
}

stop() {
  local run="$1" pid
  running "$run" || { rm -f "$run/pid"; return 0; }
  pid="$(cat "$run/pid")"
  kill -TERM "$pid"
  for _ in $(seq 180); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
  if kill -0 "$pid" 2>/dev/null; then say "pid $pid did not stop after 90 s: SIGKILL"; kill -KILL "$pid"; fi
  rm -f "$run/pid"
  say "stopped (pid $pid)"
}

case "${1:-}" in
  build) build ;;
  start) start "${2:?RUN_DIR}" ;;
  stop) stop "${2:?RUN_DIR}" ;;
  up) start "$TARGET/server"
      say "use it with: source ${TARGET#"$PWD/"}/server/neo4j.env" ;;
  down) stop "$TARGET/server" ;;
  *) echo "usage: $0 build | start RUN_DIR | stop RUN_DIR | up | down" >&2; exit 2 ;;
esac
