# The shop back office. `make help` lists the targets.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
UV := $(shell command -v uv 2>/dev/null || echo $(BIN)/uv)
STAMP := $(VENV)/.installed
PORT ?= 8000
EMULATOR_PORT ?= 8001


.PHONY: help install install-prod deploy-smoke run test test-services lint format typecheck bench emulator migrate demo messages docs-screenshots clean

help: ## List the targets
	@grep -hE '^[a-zA-Z_-]+:.*?## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*?## "}; {printf "  \033[36m%-14s\033[0m %s\n", $$1, $$2}'

$(STAMP): pyproject.toml uv.lock
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@test -x "$(UV)" || $(BIN)/python -m pip install --quiet uv
	$(UV) sync --frozen --python $(BIN)/python
	@touch $(STAMP)

install: $(STAMP) ## Create .venv and install the locked dependencies (with the development tools)

install-prod: ## Production: .venv with the locked runtime dependencies only (no test or lint tools)
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@test -x "$(UV)" || $(BIN)/python -m pip install --quiet uv
	$(UV) sync --frozen --no-dev --python $(BIN)/python

migrate: install ## Apply database migrations (SQLite under var/ by default)
	$(BIN)/python manage.py migrate --noinput

# The demo talks to the built-in Allegro emulator (see README: connecting a real account).
# PORT moves the back office; SITE_URL follows it unless set, and the emulator's demo application
# accepts the callback there. SITE_URL is passed on because honcho gives each process of the
# Procfile its own PORT (web PORT, worker PORT+100, emulator PORT+200).
DEMO_ENV := ALLEGRO_EMULATOR_URL=$${ALLEGRO_EMULATOR_URL-http://127.0.0.1:$(EMULATOR_PORT)} \
	PORT=$(PORT) SITE_URL=$${SITE_URL:-http://127.0.0.1:$(PORT)}

demo: migrate ## Load the demo data and create the demo user (idempotent)
	$(DEMO_ENV) $(BIN)/python manage.py demo_setup

run: demo ## Run the back office, worker + beat and the Allegro emulator (Ctrl-C stops all)
	$(BIN)/python manage.py collectstatic --noinput -v0
	$(DEMO_ENV) DJANGO_SETTINGS_MODULE=$${DJANGO_SETTINGS_MODULE:-config.django.base} \
		EMULATOR_PORT=$(EMULATOR_PORT) $(BIN)/honcho start -f Procfile

emulator: install ## Run only the Allegro emulator on port 8001
	$(BIN)/python -m fake_allegro --port $(EMULATOR_PORT) --data var/emulator \
		--site-url $${SITE_URL:-http://127.0.0.1:$(PORT)}

TEST_POSTGRES_URL ?= postgres://postgres@127.0.0.1:5432/postgres

test: install ## Run the whole test suite (SQLite, embedded broker; PostgreSQL/Redis tests when they answer)
	env -u DATABASE_URL DJANGO_SETTINGS_MODULE=config.django.test $(BIN)/python -m pytest
	@if (exec 3<>/dev/tcp/127.0.0.1/5432) 2>/dev/null; then \
		echo "== PostgreSQL answers: running the PostgreSQL tests"; \
		DATABASE_URL=$(TEST_POSTGRES_URL) DJANGO_SETTINGS_MODULE=config.django.test $(BIN)/python -m pytest -m postgres -q; \
	else \
		echo "SKIPPED the PostgreSQL tests: nothing answers at 127.0.0.1:5432"; \
	fi

lint: install ## ruff (lint + format check), mypy, missing migrations
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy .
	$(BIN)/python manage.py makemigrations --check --dry-run -v0

format: install ## Format the code with ruff
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

deploy-smoke: install ## The README's deployment on PostgreSQL and Redis, with a worker killed mid-import
	$(BIN)/python deploy/smoke_test.py

bench: install ## Run every benchmark in bench/ (each prints its figures against its bound)
	@set -e; for b in bench/*.py; do echo "== $$b"; $(BIN)/python $$b; done

docs-screenshots: install ## Walk the guide's screens in Chromium and rewrite docs/pl/img/*.png
	DOCS_SCREENSHOTS=1 env -u DATABASE_URL DJANGO_SETTINGS_MODULE=config.django.test \
		$(BIN)/python -m pytest tests/docs -q

messages: install ## Regenerate and compile the translation catalogues
	$(BIN)/python manage.py makemessages -l pl -l en --ignore=.venv --ignore=var --ignore=fake_allegro \
		--ignore=allegro_api --ignore=tests --ignore=bench --ignore=test-artifacts
	$(BIN)/python manage.py compilemessages --ignore=.venv

clean: ## Remove the virtualenv and local data (var/)
	rm -rf $(VENV) var
