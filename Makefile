# Two commands on a fresh machine with python3 and make: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
INDEX ?= var/index
CORPUS ?= corpus
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run index test check browser bench bench-large clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e ".[dev]"
	touch $(VENV)/.installed $@

# Incremental: only new or changed publications are extracted. Exit status 1 means some files
# failed and the rest were indexed: the report names them, and the library still serves.
index: $(VENV)/.installed
	$(BIN)/mecp ingest --corpus $(CORPUS) --index $(INDEX) || [ $$? -eq 1 ]

run: index
	$(BIN)/mecp serve --index $(INDEX) --host $(HOST) --port $(PORT)

check: $(VENV)/.installed-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

# The end-to-end test drives Debian's chromium; install it when missing and we may.
browser:
	@command -v chromium >/dev/null 2>&1 || { [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null \
		&& (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
		|| echo "chromium is not installed: the browser test will be skipped"; }

test: $(VENV)/.installed-dev browser check
	$(BIN)/pytest

bench: $(VENV)/.installed-dev
	$(BIN)/python -m bench --docs 1000 --name quick

bench-large: $(VENV)/.installed-dev
	$(BIN)/python -m bench --docs 10000 --name large --baseline-queries 3

clean:
	rm -rf $(VENV) var bench/work .pytest_cache .mypy_cache .ruff_cache
