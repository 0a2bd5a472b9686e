# One entry point: make demo, make test, make lint, make bench.
# Finds a Python >= 3.12 (or takes PYTHON=...); the embedded store's wheel needs it.
SHELL := /bin/bash
PYTHON ?= $(shell for c in python3.12 $$HOME/.pyenv/versions/3.12*/bin/python3.12 python3.13 $$HOME/.pyenv/versions/3.13*/bin/python3.13 /usr/bin/python3.13 /usr/bin/python3.12 python3; do \
  p=$$(command -v $$c 2>/dev/null) || continue; \
  $$p -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)' 2>/dev/null && { echo $$p; break; }; done)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install demo test test-fast lint fix typecheck bench check-hard clean

$(STAMP): pyproject.toml
	@if [ -z "$(PYTHON)" ]; then echo "No Python >= 3.12 found: install python3.12 (apt-get install python3.12-venv, or pyenv install 3.12) or run make PYTHON=/path/to/python3.12"; exit 2; fi
	@[ -x $(BIN)/python ] || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[dev]'
	@touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	$(BIN)/scaleup demo

# Browser tests need Debian's /usr/bin/chromium: .ci/chromium installs it when it can (root,
# apt-get); without it they are skipped with one line that says how to run them.
test: $(STAMP)
	@.ci/chromium
	$(BIN)/python -m pytest -q -m "not hard"

test-fast: $(STAMP)
	$(BIN)/python -m pytest -q -m "not browser and not slow"

lint: $(STAMP)
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/mypy

fix: $(STAMP)
	$(BIN)/ruff check --fix src tests bench
	$(BIN)/ruff format src tests bench

bench: $(STAMP)
	$(BIN)/python -m pip install -q -e '.[dev,bench]' && $(BIN)/python -m bench && $(BIN)/python -m bench.report

check-hard: $(STAMP)
	$(BIN)/python -m pytest -q -m hard tests; rc=$$?; [ $$rc -eq 5 ] && echo "no hard tests yet" && exit 0; exit $$rc

# Neo4j's own Cypher front end (pinned in tests/store/cypher_lint/package-lock.json) for the
# lint of every statement sent to Neo4j (tests/store/test_neo4j_cypher_lint.py). Without node,
# npm or the registry the lint test is skipped and says why; make test goes on.
CYPHER_LINT := .cache/cypher-lint
CYPHER_LINT_PKG := $(CYPHER_LINT)/node_modules/@neo4j-cypher/language-support/package.json
.PHONY: cypher-lint
cypher-lint: $(CYPHER_LINT_PKG)
test test-fast: cypher-lint
$(CYPHER_LINT_PKG): tests/store/cypher_lint/package.json tests/store/cypher_lint/package-lock.json
	@mkdir -p $(CYPHER_LINT) && cp $^ $(CYPHER_LINT)/
	@if ! command -v npm >/dev/null 2>&1; then echo "Neo4j Cypher lint not installed: npm is missing (apt-get install nodejs npm)"; \
	elif ! (cd $(CYPHER_LINT) && npm ci --no-audit --no-fund --loglevel=error --fetch-retries=1 >/dev/null); then \
	  echo "Neo4j Cypher lint not installed: npm ci failed (no registry?); the lint test will be skipped"; \
	else touch $@; fi

clean:
	rm -rf $(VENV) .scaleup .pytest_cache .mypy_cache .ruff_cache
