# Xinyong — the two commands a newcomer needs are `make run` and `make test`.
SHELL := /bin/bash
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000
# Test processes (pytest-xdist); every test's databases are private, so they run in parallel.
# Three on two cores: browser, subprocess and database tests wait much of their time (a run
# with two used about one core on average).
TEST_WORKERS ?= 3
export XINYONG_VAR_DIR ?= $(CURDIR)/var

.DEFAULT_GOAL := help

help: ## Show this help
	@grep -E '^[a-zA-Z_-]+:.*?## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*?## "}; {printf "  \033[36m%-10s\033[0m %s\n", $$1, $$2}'

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	@touch $(STAMP)

install: $(STAMP) ## Create .venv and install the package with its test extras

run: install ## Install, migrate, load the demo data once, serve on http://127.0.0.1:8000
	$(BIN)/xinyong db upgrade
	@if [ ! -f var/.demo-loaded ]; then $(BIN)/xinyong demo load && touch var/.demo-loaded; fi
	@$(BIN)/xinyong demo accounts --host $(HOST) --port $(PORT)
	$(BIN)/xinyong serve --host $(HOST) --port $(PORT)

# COVERAGE=1 (CI): branch coverage of src/xinyong into var/coverage.json, then the floor of
# tools/coverage_floor.py (90 % of src/, every rules.py at 100 % of its branches).
COVERAGE ?=
COV_ARGS := $(if $(COVERAGE),--cov --cov-report=json:var/coverage.json --cov-report=term:skip-covered)

test: install ## Install and run the whole test suite (PostgreSQL too if XINYONG_TEST_DATABASE_URL is set; COVERAGE=1 holds the coverage floor)
	@mkdir -p var
	$(BIN)/python -m pytest -n $(TEST_WORKERS) --dist worksteal $(COV_ARGS)
	$(if $(COVERAGE),$(BIN)/python tools/coverage_floor.py var/coverage.json)

lint: install ## ruff check, ruff format --check, import contracts
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/lint-imports

types: install ## mypy --strict on src/
	$(BIN)/mypy

migrations-check: install ## Fail if the models and the migrations disagree (alembic check)
	$(BIN)/python -m xinyong.db.check

check: lint types migrations-check test ## Everything CI checks: lint, format, types, migrations, tests

bench: install ## Benchmarks at laptop size, < 10 min: one table of figures, ceilings, ratios (bench/results/)
	$(BIN)/python -m bench --profile laptop

bench-province: install ## Benchmarks at DESIGN §5 sizes (1 M / 10 M; builds or reuses var/bench/ — tens of minutes the first time)
	$(BIN)/python -m bench --profile province

screenshots: install ## Every role's desk in Chinese and English, into docs/screenshots/
	PYTHONPATH=src $(BIN)/python tools/screenshots.py

fmt: install ## Format the code
	$(BIN)/ruff format src tests bench
	$(BIN)/ruff check --fix src tests bench

clean: ## Remove the virtualenv and local data
	rm -rf $(VENV) var

.PHONY: help install run test lint types migrations-check check bench bench-province screenshots fmt clean
