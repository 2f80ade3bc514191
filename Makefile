# Targets of the AI-war report. `make` alone lists them.
.DEFAULT_GOAL := help
SHELL := /bin/bash

# PYTHON=python3.12 (or 3.13) sets up with that interpreter; CI and the default use 3.11.
PYTHON ?=
VENV ?= .venv
BIN := $(VENV)/bin
SETUP_DONE := $(VENV)/.setup-done
AS_ROOT := $(if $(filter 0,$(shell id -u)),--allow-root,)

.PHONY: help setup report validate audit datadict bench bench-charts test test-airflow check-python lab lint format lock clean

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F ':.*## ' '{printf "  make %-8s %s\n", $$1, $$2}'

$(SETUP_DONE): requirements.lock pyproject.toml scripts/setup.sh
	PYTHON="$(PYTHON)" VENV="$(VENV)" scripts/setup.sh
	@touch $@

setup: $(SETUP_DONE) ## Create .venv, install the locked dependencies, the kernel and a Chromium

report: $(SETUP_DONE) ## Build the configured reports (reports.toml) in reports/; only what changed
	$(BIN)/ai-war build

validate: $(SETUP_DONE) ## Check the fact base in data/ against its schemas and rules
	$(BIN)/python -m helpers.validate

audit: $(SETUP_DONE) ## Count how the facts are sourced, naming the rows; fails while any is to fix
	$(BIN)/ai-war audit --strict

datadict: $(SETUP_DONE) ## Rewrite the field tables of data/README.md from data/datapackage.json
	$(BIN)/python -m helpers.datadict

test: $(SETUP_DONE) ## Run the test suite
	$(BIN)/python -m pytest

test-airflow: $(SETUP_DONE) ## Run the Airflow DAG on real Airflow 3 (own venv; AIRFLOW=2.10, or EXECUTOR=celery: a real scheduler, two Celery workers), check what it published
	AIRFLOW=$(AIRFLOW) EXECUTOR=$(EXECUTOR) scripts/test-airflow.sh

check-python: ## Check another Python in its own venv: make check-python PYTHON=python3.13
	PYTHON="$(PYTHON)" scripts/check-python.sh

bench: $(SETUP_DONE) ## Time cold, no-op, preview, naive-chain and 10x-1000x builds (prints figures)
	$(BIN)/python bench/bench_build.py

bench-charts: $(SETUP_DONE) ## Each chart cell's seconds and SVG sizes, real base and 10x-1000x
	@for n in 10 100 1000; do $(BIN)/python -m helpers.synthetic $$n /tmp/ai-war-bench-$$n >/dev/null; done
	$(BIN)/python bench/bench_charts.py data /tmp/ai-war-bench-10 /tmp/ai-war-bench-100 /tmp/ai-war-bench-1000

lab: $(SETUP_DONE) ## Open JupyterLab on the project, with its kernel
	$(BIN)/jupyter lab --notebook-dir=. $(AS_ROOT)

lint: $(SETUP_DONE) ## Check code and notebooks with ruff (lint and format)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(SETUP_DONE) ## Reformat code and notebooks with ruff
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

lock: $(SETUP_DONE) ## Re-pin requirements.lock from pyproject.toml, and environment.yml (network)
	$(BIN)/python -m pip install --quiet uv
	$(BIN)/uv pip compile pyproject.toml --extra dev --python-version 3.11 --quiet -o requirements.lock
	$(BIN)/python -m helpers.condaenv

clean: ## Remove built reports (keeps .venv)
	find reports -mindepth 1 ! -name README.md -exec rm -rf {} +
