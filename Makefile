# Aisle: `make run` does everything on a fresh machine; `make test` runs the test suite.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYENV_ROOT ?= $(HOME)/.pyenv
PY311 ?= $(firstword $(wildcard $(PYENV_ROOT)/versions/3.11*/bin/python3.11) $(shell command -v python3.11))
PY310 ?= $(firstword $(wildcard $(PYENV_ROOT)/versions/3.10*/bin/python3.10) $(shell command -v python3.10))
WHEELS ?= /opt/wheels
UV := $(PY311) -m uv
export UV_PYTHON_DOWNLOADS := never
export HF_HUB_OFFLINE := 1
export TOKENIZERS_PARALLELISM := false

.PHONY: uv-tool help setup run test test-slow test-faults test-all test-deploy lint format browser services clean

help: ## List the targets
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

setup: .venv/.installed .venv-rasa/.installed ## Create both environments from the lock files (idempotent)

uv-tool:
	@$(UV) --version >/dev/null 2>&1 || $(PY311) -m pip install --quiet uv

.venv/.installed: requirements/app.lock pyproject.toml | uv-tool
	@echo "Installing the project environment (.venv, Python 3.11)…"
	@test -x .venv/bin/python || $(UV) venv --quiet --python $(PY311) .venv
	@$(UV) pip sync --quiet --python .venv/bin/python --find-links $(WHEELS) requirements/app.lock
	@$(UV) pip install --quiet --python .venv/bin/python --no-deps -e .
	@touch $@

.venv-rasa/.installed: requirements/rasa.lock | uv-tool
	@echo "Installing the Rasa environment (.venv-rasa, Python 3.10)…"
	@test -x .venv-rasa/bin/python || $(UV) venv --quiet --python $(PY310) .venv-rasa
	@$(UV) pip sync --quiet --python .venv-rasa/bin/python requirements/rasa.lock
	@touch $@

run: setup ## Prepare catalogue and models, start every server, print the store URL
	@.venv/bin/aisle up

browser: ## Install Debian's Chromium for the browser tests when it is missing
	@test -x /usr/bin/chromium || { echo "Installing Debian's chromium for browser tests…"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }

services: ## Install Debian's PostgreSQL and Redis for the store tests when they are missing
	@ls /usr/lib/postgresql/*/bin/pg_ctl >/dev/null 2>&1 || { echo "Installing Debian's postgresql…"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null; }
	@command -v redis-server >/dev/null || { echo "Installing Debian's redis-server…"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server >/dev/null; }

test: setup browser services ## Run the test suite (unit, integration, browser; not the slow ones)
	@.venv/bin/python -m pytest -m "not slow" $(PYTEST_ARGS)

test-slow: setup ## Run the slow suites (full training, load tests)
	@.venv/bin/python -m pytest -m slow $(PYTEST_ARGS)

test-faults: setup ## Fault tests on the real stack: SIGSTOP, locked SQL store, deleted product store, flood
	@.venv/bin/python -m pytest tests/integration/test_faults.py -s $(PYTEST_ARGS)

test-deploy: ## Build the images (no registry) and run docker-compose.yml under Docker, chatting through it (root)
	@deploy/test-deploy.sh

lint: setup ## ruff (check, format), mypy and the import contracts; settings in pyproject.toml
	@.venv/bin/ruff check . && .venv/bin/ruff format --check . && .venv/bin/mypy \
	  && .venv/bin/lint-imports

format: setup ## Apply ruff's fixes and formatting
	@.venv/bin/ruff check --fix . && .venv/bin/ruff format .

clean: ## Remove runtime state (catalogue store, trained models, logs): var/
	rm -rf var
