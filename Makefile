# tierdesk: `make run` starts the whole product on SQLite; `make test` runs every check.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
TEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/test
# The production run: schemathesis's examples per operation, and extra flags for tests/production/run.py
# (--schemathesis-advisory reports schemathesis's findings without failing; --require fails when
# PostgreSQL or Redis is missing instead of skipping).
PRODUCTION_MAX_EXAMPLES ?= 30
PRODUCTION_FLAGS ?=
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: bench-assistant bench-community bench-phone bench-search assets run test test-production install install-dev migrate demo lint typecheck pytest pytest-postgres messages bench bench-cases bench-pages clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

install: $(BIN)/python
	$(BIN)/pip install --quiet -e .

install-dev: $(BIN)/python
	$(BIN)/pip install --quiet -e ".[dev]"

migrate: install
	$(BIN)/tierdesk migrate --no-input

demo: migrate
	$(BIN)/tierdesk load_demo

## assets: rebuild the vendored design system (Bootstrap, its icons' sprite) from package-lock.json
## into src/tierdesk/web/static/web/vendor/ (needs Node and npm; `make run` does not)
assets:
	npm ci --ignore-scripts --no-audit --no-fund
	npm run build

## run: install, migrate, load the demo data and serve on http://$(HOST):$(PORT) with the worker
run: demo
	$(BIN)/tierdesk serve --host $(HOST) --port $(PORT)

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

# The browser tests run in a process of their own, one at a time: each flushes the database
# after itself (a live server needs committed rows), which must not land between other tests.
PYTEST_SUITE := $(BIN)/pytest -n 2 --dist loadfile -m "not e2e" && $(BIN)/pytest -p no:xdist -m e2e
# On PostgreSQL the browser tests that only look at pages (every page at two widths, two
# languages, two themes) are not run again: how a page looks does not depend on the database.
# The walks and flows, which write through the pages, run on both.
LOOK_ONLY := tests/e2e/test_every_page.py tests/e2e/test_portal_pages.py tests/e2e/test_console_pages.py tests/e2e/test_layout.py
PYTEST_SUITE_POSTGRES := $(BIN)/pytest -n 2 --dist loadfile -m "not e2e" && $(BIN)/pytest -p no:xdist -m e2e $(addprefix --ignore=,$(LOOK_ONLY))

pytest: install-dev
	$(PYTEST_SUITE)

pytest-postgres: install-dev
	@if $(BIN)/python -c "import sys, psycopg; psycopg.connect(sys.argv[1], connect_timeout=3).close()" "$(TEST_DATABASE_URL)" 2>/dev/null; then \
		echo "== pytest on PostgreSQL ($(TEST_DATABASE_URL))"; \
		export DATABASE_URL="$(TEST_DATABASE_URL)" && $(PYTEST_SUITE_POSTGRES); \
	else \
		echo "== PostgreSQL does not answer at $(TEST_DATABASE_URL): skipping the PostgreSQL run"; \
	fi

## test-production: `tierdesk serve --workers 2 --task-workers 2` on PostgreSQL and Redis, the HTTP
## workflow tests and schemathesis against it (skipped, saying so, when either service is missing)
test-production: install-dev
	$(BIN)/python tests/production/run.py --max-examples $(PRODUCTION_MAX_EXAMPLES) $(PRODUCTION_FLAGS)

## test: ruff, mypy, the whole suite on SQLite and (when it answers) PostgreSQL, then the production run
test: lint pytest pytest-postgres test-production

bench: install-dev
	$(BIN)/pip install --quiet -e ".[bench]"
	$(BIN)/python bench/sla_bench.py

## bench-cases: the cases benchmark (not a test; CI never runs it), e.g.
##   make bench-cases BENCH_ARGS="--sizes 10000,100000 --db sqlite --samples 50 --no-http"
bench-cases: install-dev
	$(BIN)/python bench/cases_bench.py $(BENCH_ARGS)

## bench-pages: every page at 1366 and 390 px on the demo data: overflow, axe-core's serious and
## critical violations (after `make assets`), CSS+JS gzipped; needs Debian's chromium
bench-pages: install-dev
	$(BIN)/python bench/pages_bench.py $(BENCH_ARGS)

clean:
	rm -rf $(VENV) var build *.egg-info

## bench-search: the help center's search benchmark (not a test; CI never runs it), e.g.
##   make bench-search BENCH_ARGS="--sizes 10000,100000 --db sqlite --samples 40"
bench-search: install-dev
	$(BIN)/python bench/search_bench.py $(BENCH_ARGS)

## bench-phone: phone support's benchmark (not a test): webhook answer p95 with 50 calls queued,
## the busy-hour simulation's waits and estimate MAE, e.g. make bench-phone BENCH_ARGS="--calls 200"
bench-phone: install-dev
	$(BIN)/python bench/phone_bench.py $(BENCH_ARGS)

## bench-community: the forum's benchmark (not a test): 100,000 threads, 500,000 replies; category
## and thread pages, posting a reply, similar threads, e.g. make bench-community BENCH_ARGS="--samples 50"
bench-community: install-dev
	$(BIN)/python bench/community_bench.py $(BENCH_ARGS)

## bench-assistant: the assistant's retrieval on the three development sets in ../shared/data/assistant
## (tierdesk assistant evaluate --json per set, one process each; not a test), e.g.
##   make bench-assistant BENCH_ARGS="--sets clinc150"
bench-assistant: install-dev
	$(BIN)/python bench/assistant_bench.py $(BENCH_ARGS)
