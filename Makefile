# fazhi — the two commands a newcomer needs are `make demo` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PG_TEST_URL ?= postgres://postgres@127.0.0.1:5432/test
PYTEST_ARGS ?=
DEMO_ADDR ?= 127.0.0.1:8000

.PHONY: install system-deps demo serve test lint test-sqlite test-postgres bench fuzz clean

# The Debian packages come first: pip compiles python-ldap against their headers.
$(STAMP): pyproject.toml | system-deps
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || { echo "需要 Python ≥ 3.11"; exit 1; }
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[dev]'
	touch $(STAMP)

# Front-end libraries from the npm registry (package-lock.json pins them), copied into the
# static files so the app serves them itself: no CDN on a government intranet.
VENDOR := fazhi/core/web/static/vendor
ECHARTS := $(VENDOR)/echarts.min.js
$(ECHARTS): package.json package-lock.json | system-deps
	npm ci --no-audit --no-fund --ignore-scripts --loglevel=error
	mkdir -p $(VENDOR)
	cp node_modules/echarts/dist/echarts.min.js $(ECHARTS)
	cp node_modules/echarts/LICENSE $(VENDOR)/echarts.LICENSE.txt

install: $(STAMP) $(ECHARTS)

# Debian packages the tests and previews need (Chromium, CJK fonts, LibreOffice, poppler) and
# directory sign-in's (OpenLDAP headers for python-ldap; slapd for its tests).
system-deps:
	@scripts/system-deps

var:
	mkdir -p var

demo: $(STAMP) var
	$(BIN)/fazhi migrate --noinput -v 0
	$(BIN)/fazhi seed_demo --addr $(DEMO_ADDR)
	BIN=$(BIN) scripts/demo-serve $(DEMO_ADDR)

lint: $(STAMP)
	$(BIN)/ruff check fazhi tests bench conftest.py
	$(BIN)/ruff format --check fazhi tests bench conftest.py
	$(BIN)/mypy fazhi
	$(BIN)/lint-imports

test-sqlite: install
	DATABASE_URL= $(BIN)/pytest -q -n 2 $(PYTEST_ARGS)

test-postgres: install
	@if scripts/pg-ready "$(PG_TEST_URL)"; then \
		DATABASE_URL="$(PG_TEST_URL)" $(BIN)/pytest -q -n 2 $(PYTEST_ARGS); \
	elif [ "$$CI" = "true" ]; then \
		echo "CI: PostgreSQL at $(PG_TEST_URL) is unreachable — failing."; exit 1; \
	else \
		echo "PostgreSQL at $(PG_TEST_URL) is unreachable — skipping the PostgreSQL run (CI fails here)."; \
	fi

test: lint test-sqlite test-postgres

bench: install
	$(BIN)/python bench/run.py

# 10 000 generated inputs per parser (the suite runs a few hundred of each). The address-space
# limit turns an unbounded allocation into a failure instead of a swapping machine.
fuzz: $(STAMP)
	ulimit -v 6291456 && HYPOTHESIS_PROFILE=fuzz DATABASE_URL= $(BIN)/pytest -q -n 2 \
		--hypothesis-show-statistics tests/fuzz $(PYTEST_ARGS)

clean:
	rm -rf $(VENV) var build *.egg-info node_modules $(VENDOR)
