# perfmgmt developer tasks. `make demo` starts the product; `make test` runs every test.
#
# Python comes from $(PYTHON) (3.11); packages are installed into .venv from the hashed
# pins in requirements/, and reinstalled whenever requirements/dev.txt changes.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help
MAKEFLAGS += --no-print-directory

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
VPY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-dev
LOCK_PYTHON_VERSION ?= 3.11.7

export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: help venv demo test lint messages services services-stop lock clean distclean bench

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-14s %s\n", $$1, $$2}'

venv: $(STAMP) ## Create .venv and install the pinned dev requirements

# A virtualenv whose interpreter is missing or not 3.11 (e.g. moved or half-made) is
# made anew; the stamp is touched only after a complete install.
$(STAMP): requirements/dev.txt
	@if ! $(VPY) -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))' 2>/dev/null; then \
		if [[ -z "$(PYTHON)" ]]; then echo "Python 3.11 is needed (set PYTHON=...)" >&2; exit 1; fi; \
		$(PYTHON) -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))' || { \
			echo "$(PYTHON) is not Python 3.11; set PYTHON to a Python 3.11 interpreter" >&2; exit 1; }; \
		echo "Creating $(VENV) with $(PYTHON)"; \
		rm -rf $(VENV); \
		$(PYTHON) -m venv $(VENV); \
	fi
	@echo "Installing requirements/dev.txt into $(VENV)"
	$(VPY) -m pip install --quiet --require-hashes --no-deps -r requirements/dev.txt
	@touch $@

demo: $(STAMP) ## Start PostgreSQL/Redis if needed, migrate, seed, serve on 127.0.0.1:8000
	@scripts/demo.sh

test: $(STAMP) ## Ruff, format check, mypy and the whole pytest suite (incl. browser tests)
	@scripts/test.sh

lint: $(STAMP) ## Only ruff check, ruff format --check and mypy
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy .

messages: $(STAMP) ## Extract translatable strings into locale/de/ and compile the catalogue
	DJANGO_SETTINGS_MODULE=perfmgmt.settings.test $(VPY) manage.py messages

bench: $(STAMP) ## Benchmarks: cycle launch beside a COPY; tree pages, goal list pages, API lists and the reminder sweep at two sizes (see bench/)
	$(VPY) -m bench.cycle_launch
	$(VPY) -m bench.trees
	$(VPY) -m bench.pages
	$(VPY) -m bench.api_lists
	$(VPY) -m bench.sweep

services: $(STAMP) ## Find or start PostgreSQL and Redis and leave them running
	@scripts/devenv.sh up

services-stop: ## Stop the PostgreSQL/Redis servers started under .local/
	@scripts/devenv.sh down

# Regenerate the hashed pins. uv writes no index URL unless asked to (--emit-index-url),
# and the check below keeps any URL or index option out of the committed files.
lock: $(STAMP) ## Re-pin requirements/base.txt and requirements/dev.txt with uv
	@test -x $(VENV)/bin/uv || $(VPY) -m pip install --progress-bar off uv
	$(VENV)/bin/uv pip compile pyproject.toml --generate-hashes \
		--python-version $(LOCK_PYTHON_VERSION) -o requirements/base.txt
	$(VENV)/bin/uv pip compile pyproject.toml --extra dev --generate-hashes \
		--python-version $(LOCK_PYTHON_VERSION) -o requirements/dev.txt
	@if grep -nE -- '[a-z+]+:/{2}|--(extra-)?index-url|--find-links|--trusted-host' requirements/*.txt; then \
		echo "requirements/ must not name an index or host; remove the lines above" >&2; exit 1; fi

clean: ## Remove caches and collected static files
	rm -rf .pytest_cache .mypy_cache .ruff_cache staticfiles test-results
	find . -path ./$(VENV) -prune -o -name __pycache__ -type d -prune -exec rm -rf {} +

distclean: services-stop clean ## Also remove .venv and .local (local databases included)
	rm -rf $(VENV) .local
