# kg: `make demo` and `make test` do all set-up on a fresh machine.
SHELL := /bin/bash
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export KG_HOME ?= $(CURDIR)/build

.PHONY: install demo test lint bench system-deps clean

$(STAMP): pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $(STAMP)

# the interactive page's JavaScript (cytoscape) and the browser driver come from npm, pinned by the lockfile
WEB := kg/export/web
$(WEB)/node_modules/.package-lock.json: $(WEB)/package-lock.json
	cd $(WEB) && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error

install: $(STAMP) system-deps $(WEB)/node_modules/.package-lock.json
	@# bytecode for kg's own modules: the editable install has none, and where PYTHONDONTWRITEBYTECODE is set
	@# (as on this machine) every `kg` call would compile them again (~80 ms of a 0.4 s `kg predict`)
	@$(BIN)/python -m compileall -q kg

# Debian packages the diagrams and browser tests need, installed only where missing.
system-deps:
	@missing=""; \
	command -v dot >/dev/null || missing="$$missing graphviz"; \
	command -v chromium >/dev/null || missing="$$missing chromium"; \
	command -v npm >/dev/null || missing="$$missing nodejs npm"; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "installing Debian packages:$$missing" >&2; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	  else echo "warning: missing$$missing (install them with apt-get)" >&2; fi; \
	fi

demo: install
	$(BIN)/kg build
	$(BIN)/kg show ANKH
	$(BIN)/kg query interactions --of ANKH
	$(BIN)/kg query paths TGFB1 PPi --signed
	$(BIN)/kg predict ANKH:p.P5L
	$(BIN)/kg predict ENPP1=ko
	$(BIN)/kg export diagram --module core -o build/ankh-core.svg
	$(BIN)/kg export html -o build/ankh.html

test: install
	deploy/neo4j/with-neo4j.sh $(BIN)/pytest -q

lint: $(STAMP)
	$(BIN)/ruff check kg tests bench

# Neo4j's benchmark runs last, alone with its server (a server starting beside the others would skew them).
bench: install
	$(BIN)/python -m bench core export rdf simulate variants
	deploy/neo4j/with-neo4j.sh $(BIN)/python -m bench neo4j neo4j_import

-include deploy/neo4j/neo4j.mk

clean:
	rm -rf build dist .pytest_cache
