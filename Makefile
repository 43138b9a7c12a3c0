# Two commands on a fresh machine with python3 and make: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
INDEX ?= var/index
CORPUS ?= corpus
HOST ?= 127.0.0.1
PORT ?= 8000
# The interface's message catalogs: .po files are kept in git, .mo files are compiled from them.
CATALOGS := webapp/translations
PO := $(wildcard $(CATALOGS)/*/LC_MESSAGES/messages.po)
MO := $(PO:.po=.mo)

.PHONY: run index test check browser bench bench-large bench-solr relevance clean solr solr-launcher translations messages

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e ".[dev]"
	touch $(VENV)/.installed $@

# Compile each catalog whose .po changed (Flask-Babel reads the .mo files).
translations: $(MO)

$(CATALOGS)/%/LC_MESSAGES/messages.mo: $(CATALOGS)/%/LC_MESSAGES/messages.po | $(VENV)/.installed
	$(BIN)/pybabel -q compile -d $(CATALOGS) -l $*

# After marking new strings: extract them and merge them into every catalog, then translate the
# new entries (the test suite names any left untranslated).
messages: $(VENV)/.installed
	$(BIN)/pybabel -q extract -F babel.cfg -k lazy_gettext --no-location --sort-output \
		--project "MECP Resource Library" -o $(CATALOGS)/messages.pot .
	$(BIN)/pybabel -q update -i $(CATALOGS)/messages.pot -d $(CATALOGS) --no-fuzzy-matching \
		--ignore-obsolete
	rm $(CATALOGS)/messages.pot

# Incremental: only new or changed publications are extracted. Exit status 1 means some files
# failed and the rest were indexed: the report names them, and the library still serves.
index: $(VENV)/.installed
	$(BIN)/mecp ingest --corpus $(CORPUS) --index $(INDEX) || [ $$? -eq 1 ]

run: index translations
	$(BIN)/mecp serve --index $(INDEX) --host $(HOST) --port $(PORT)

check: $(VENV)/.installed-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/lint-imports

# The end-to-end test drives Debian's chromium; install it when missing and we may.
browser:
	@command -v chromium >/dev/null 2>&1 || { [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null \
		&& (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
		|| echo "chromium is not installed: the browser test will be skipped"; }

test: $(VENV)/.installed-dev browser check solr-launcher translations
	$(BIN)/pytest

# The SolrCloud harness (solr/launcher/): ZooKeeper and 2 Solr nodes in one JVM, for development
# and the Solr tests. Maven fetches the jars once, into ~/.m2.
SOLR_LAUNCHER := solr/launcher/target/mecp-solr-launcher.jar
SOLR_DATA ?= var/solr
SOLR_HEAP ?= 1g

$(SOLR_LAUNCHER): solr/launcher/pom.xml $(shell find solr/launcher/src -type f 2>/dev/null)
	cd solr/launcher && mvn -B -q package

# Where Maven is absent the harness is not built and the Solr tests say why they were skipped.
solr-launcher:
	@if command -v mvn >/dev/null 2>&1; then $(MAKE) --no-print-directory $(SOLR_LAUNCHER); \
	else echo "mvn is not installed: the SolrCloud harness is not built"; fi

# Starts the harness in the foreground; it prints its nodes' URLs as one JSON line, then takes
# `stop I`, `start I`, `status` and `shutdown` on stdin. Ctrl-C stops it.
solr: $(SOLR_LAUNCHER)
	java -Xmx$(SOLR_HEAP) -jar $(SOLR_LAUNCHER) $(SOLR_DATA)

# nDCG@10, MAP@100, Recall@100 and MRR of every collection beside its BM25 reference.
relevance: $(VENV)/.installed-dev
	$(BIN)/python -m bench.relevance

bench: $(VENV)/.installed-dev
	$(BIN)/python -m bench --docs 1000 --name quick

bench-large: $(VENV)/.installed-dev
	$(BIN)/python -m bench --docs 10000 --name large --baseline-queries 3

# The Solr engine's ingest beside whoosh's, at 10,000 documents, on a harness started for it.
bench-solr: $(VENV)/.installed-dev $(SOLR_LAUNCHER)
	$(BIN)/python -m bench.measure_solr --docs 10000

clean:
	rm -rf $(VENV) var bench/work .pytest_cache .mypy_cache .ruff_cache solr/launcher/target
