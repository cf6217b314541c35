# Two commands on a fresh machine:
#   make run   - set up .venv, install Sentinela, run the demo on the embedded default (SQLite)
#   make test  - set up whatever is missing (Debian packages included), then ruff, mypy, pytest
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml | sha256sum | cut -c1-12)
DEB_PACKAGES := dosfstools e2fsprogs chromium
export SENTINELA_DATA_DIR ?= ./sentinela-data

.PHONY: run test venv deps-debian lint typecheck pytest docs bench postgres clean

run: $(STAMP)
	$(BIN)/sentinela demo

$(STAMP):
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip wheel setuptools
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

venv: $(STAMP)

deps-debian:
	@missing=""; for p in $(DEB_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "installing Debian packages:$$missing"; \
	  (apt-get update -qq || true) && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	fi

postgres:
	@pg_isready -q -h 127.0.0.1 -p 5432 || { \
	  echo "starting PostgreSQL"; \
	  pg_ctlcluster --skip-systemctl-redirect $$(ls /etc/postgresql | head -1) main start || true; \
	  for i in $$(seq 1 20); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 0.5; done; }

lint: $(STAMP)
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench

typecheck: $(STAMP)
	$(BIN)/mypy

pytest: $(STAMP) deps-debian postgres
	$(BIN)/pytest -n auto --timeout=600

test: $(STAMP) deps-debian postgres lint typecheck pytest

docs: $(STAMP)
	$(BIN)/python -m sentinela.cli.docgen > docs/cli.md

clean:
	rm -rf $(VENV) sentinela-data .mypy_cache .ruff_cache .pytest_cache
