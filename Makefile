# Two commands on a fresh machine:
#   make run   - set up .venv, install Sentinela, run the demo on the embedded default (SQLite)
#   make test  - set up whatever is missing (Debian packages included), then ruff, mypy, pytest
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HASH := $(shell cat pyproject.toml | sha256sum | cut -c1-12)
STAMP := $(VENV)/.installed-$(HASH)
DEV_STAMP := $(VENV)/.installed-dev-$(HASH)
# Test-only Debian packages: file system tools for fixtures, the browser for Playwright, and
# FFmpeg's development libraries that the `vpdq` reference (a dev dependency) builds against.
DEB_PACKAGES := dosfstools e2fsprogs chromium ffmpeg pkg-config cmake g++ make \
	libavcodec-dev libavformat-dev \
	libavdevice-dev libavfilter-dev libswscale-dev libswresample-dev libavutil-dev
DATA_DIR ?= ./sentinela-data

.PHONY: run test venv deps-debian lint typecheck pytest docs bench postgres clean

run: $(STAMP)
	SENTINELA_DATA_DIR=$${SENTINELA_DATA_DIR:-$(DATA_DIR)} $(BIN)/sentinela demo --serve

$(STAMP):
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip wheel setuptools
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(DEV_STAMP): $(STAMP) | deps-debian
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

venv: $(DEV_STAMP)

# Meta's vpdq C++ tools, built from the vpdq sources on PyPI: the video tests check that our
# hash files and theirs cross both ways.
VPDQ_VERSION := 0.2.5
VPDQ_DIR := $(VENV)/vpdq-tools
VPDQ_TOOLS := $(VPDQ_DIR)/build/apps
$(VPDQ_TOOLS)/vpdq-hash-video: | $(DEV_STAMP)
	rm -rf $(VPDQ_DIR) && mkdir -p $(VPDQ_DIR)
	$(BIN)/python -m pip download --quiet --no-deps --no-binary :all: -d $(VPDQ_DIR) vpdq==$(VPDQ_VERSION)
	tar -xzf $(VPDQ_DIR)/vpdq-$(VPDQ_VERSION).tar.gz -C $(VPDQ_DIR)
	cmake -S $(VPDQ_DIR)/vpdq-$(VPDQ_VERSION)/cpp -B $(VPDQ_DIR)/build -DCMAKE_BUILD_TYPE=Release >/dev/null
	$(MAKE) -s -C $(VPDQ_DIR)/build vpdq-hash-video match-hashes-brute >/dev/null

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

lint: $(DEV_STAMP)
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench

typecheck: $(DEV_STAMP)
	$(BIN)/mypy

pytest: $(DEV_STAMP) postgres $(VPDQ_TOOLS)/vpdq-hash-video
	SENTINELA_VPDQ_TOOLS=$(abspath $(VPDQ_TOOLS)) $(BIN)/pytest -n auto --timeout=600

test: $(DEV_STAMP) postgres lint typecheck pytest

docs: $(DEV_STAMP)
	$(BIN)/python -m sentinela.cli.docgen > docs/cli.md

clean:
	rm -rf $(VENV) sentinela-data .mypy_cache .ruff_cache .pytest_cache
