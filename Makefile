# Thin wrappers: the truth is in pyproject.toml and manage.py.
SHELL := /bin/bash
export UV_PYTHON_DOWNLOADS := never
UV := $(shell command -v uv 2>/dev/null || echo "python3 -m uv")
MANAGE := $(UV) run python manage.py
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install run dev test test-fast quality bench demo worker

install:
	@command -v uv >/dev/null 2>&1 || python3 -m uv --version >/dev/null 2>&1 || python3 -m pip install --quiet uv
	@$(UV) sync --frozen --quiet

## run: the platform on SQLite with demo data, served as in production, at http://$(HOST):$(PORT)/
run: install
	@bash scripts/serve.sh "$(HOST)" "$(PORT)"

## dev: the same data with DEBUG on and Django's auto-reloading server (tasks: make worker)
dev: install demo
	@$(MANAGE) runserver "$(HOST):$(PORT)"

## test: the whole suite (unit, integration, browser) on TEST_WORKERS processes (xdist: each has
## its own test database and live server); DATABASE_URL picks PostgreSQL
TEST_WORKERS ?= 2
test: install
	@bash scripts/ensure-chromium.sh
	@$(UV) run pytest -n $(TEST_WORKERS)

## test-fast: everything but the browser journeys
test-fast: install
	@$(UV) run pytest -n $(TEST_WORKERS) -m "not e2e"

## quality: lint, format, the layers' import contracts (pyproject.toml), migrations
quality: install
	@$(UV) run ruff check .
	@$(UV) run ruff format --check .
	@$(UV) run lint-imports --no-cache
	@$(MANAGE) makemigrations --check --dry-run

## bench: national-scale data on PostgreSQL and the load benchmark (see bench/README.md)
bench: install
	@bash bench/run.sh

## demo: the database migrated, the territories imported and the demo data loaded, in one
## Django start, without the votes' and tasks' INFO lines; skipped when nothing changed since
demo: install
	@bash scripts/demo.sh

worker: install
	@$(MANAGE) db_worker
