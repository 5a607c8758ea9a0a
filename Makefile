# One target per job. `make run` sets everything up and starts the assistant;
# `make test` sets everything up and runs every test.
SHELL := /bin/bash
.DEFAULT_GOAL := help

# Rasa 3.6 runs on Python 3.10 only: the first candidate that really runs 3.10 (a pyenv
# shim named python3.10 may exist and still refuse to run).
PYTHON310 ?= $(shell for p in python3.10 $$(pyenv root 2>/dev/null)/versions/3.10*/bin/python \
  $$HOME/.pyenv/versions/3.10*/bin/python /usr/local/bin/python3.10 /usr/bin/python3.10; do \
  if "$$p" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 10))' >/dev/null 2>&1; then \
  echo "$$p"; break; fi; done)
VENV := .venv
PY := $(VENV)/bin/python
RASA := $(VENV)/bin/rasa
MODEL := models/current.tar.gz

export RASA_PORT ?= 5005
export ACTION_SERVER_HOST ?= 127.0.0.1
export ACTION_SERVER_PORT ?= 5055
export PYTHONPATH := $(CURDIR)
# Rasa's telemetry would try to reach the internet.
export RASA_TELEMETRY_ENABLED := false
export TF_CPP_MIN_LOG_LEVEL := 2

PO_FILES := $(wildcard locales/*/LC_MESSAGES/messages.po)
MO_FILES := $(PO_FILES:.po=.mo)
TRAINING_FILES := config.yml $(wildcard bot/domain/*.yml) $(shell find data -name '*.yml' 2>/dev/null)

.PHONY: help setup run chat train kb test test-unit lint catalogs catalogs-update validate bench lock clean production production-up production-down

help:
	@echo "make run              set up, build and start the assistant (Rasa :$(RASA_PORT), actions :$(ACTION_SERVER_PORT), web chat :5070, staff app :5080)"
	@echo "make chat             talk to the running assistant in this terminal"
	@echo "make production       the production profile on loopback: nginx :8080, 2 Rasa + 2 action servers, PostgreSQL, Redis (Ctrl-C stops it)"
	@echo "make production-up / production-down   the same, started in the background / stopped"
	@echo "make test             set up, build and run every test"
	@echo "make train            train the NLU and dialogue model (only when data or config changed)"
	@echo "make kb               migrate the knowledge base; ingest the documents; load the entries, fee rules and prices"
	@echo "make catalogs-update  extract the bot's texts into locales/messages.pot and update each .po"
	@echo "make bench            NLU quality, danger signals, REST latency, retrieval, calculators, real conversations, load (benchmarks/results/)"
	@echo "make lint             ruff"

# --- environment ---------------------------------------------------------------------
$(VENV)/.installed: requirements.txt requirements-dev.txt constraints.txt
	@if [ -z "$(PYTHON310)" ]; then \
	  echo "Python 3.10 is needed (Rasa 3.6 supports 3.8-3.10). Install it, e.g. 'pyenv install 3.10.13', or pass PYTHON310=/path/to/python3.10."; \
	  exit 1; fi
	@test -x $(PY) || $(PYTHON310) -m venv $(VENV)
	$(PY) -m pip install --quiet -r requirements.txt -r requirements-dev.txt -c constraints.txt
	$(PY) -m pip check
	@touch $@

# The web chat's browser code (socket.io client) from the npm registry, pinned by the lock
# file and served by the project: no CDN at run time.
webchat/node_modules/.installed: webchat/package.json webchat/package-lock.json
	cd webchat && npm ci --no-audit --no-fund --loglevel=error
	@touch $@

setup: $(VENV)/.installed webchat/node_modules/.installed catalogs

lock: $(VENV)/.installed
	$(PY) -m pip freeze --exclude-editable > constraints.txt

# --- build -----------------------------------------------------------------------------
locales/%/LC_MESSAGES/messages.mo: locales/%/LC_MESSAGES/messages.po $(VENV)/.installed
	$(VENV)/bin/pybabel compile -D messages -i $< -o $@

catalogs: $(MO_FILES)

catalogs-update: $(VENV)/.installed
	$(VENV)/bin/pybabel extract -F locales/babel.cfg -o locales/messages.pot --no-wrap \
	  --sort-by-file --add-comments=TRANSLATORS: --project="Migrant worker assistant" \
	  --copyright-holder="the project's contributors" .
	$(VENV)/bin/pybabel update -i locales/messages.pot -d locales -D messages --no-wrap

$(MODEL): $(TRAINING_FILES) $(VENV)/.installed
	$(RASA) train --config config.yml --domain bot/domain --data data \
	  --out models --fixed-model-name current

train: $(MODEL)

validate: $(VENV)/.installed
	$(RASA) data validate --config config.yml --domain bot/domain --data data --fail-on-warnings

# --- run -------------------------------------------------------------------------------
# The knowledge base: schema migrations, the source documents, the curated entries
# (ASSISTANT_DATABASE_URL, default var/knowledge.db). Safe to repeat: unchanged content is
# left alone.
kb: $(VENV)/.installed
	$(PY) -m knowledge build

run: setup $(MODEL) kb
	@bot/serve.sh

# Needs nginx, Redis and PostgreSQL from the system's packages (apt-get install nginx
# redis-server postgresql); builds its own knowledge base on that PostgreSQL.
production: setup $(MODEL)
	$(PY) -m bot.production run

production-up: setup $(MODEL)
	$(PY) -m bot.production up

production-down:
	$(PY) -m bot.production down

chat: $(VENV)/.installed
	$(PY) -m bot.chat --url http://localhost:$(RASA_PORT)

# --- quality ---------------------------------------------------------------------------
lint: $(VENV)/.installed
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

test: setup $(MODEL)
	$(VENV)/bin/ruff check .
	$(RASA) data validate --config config.yml --domain bot/domain --data data --fail-on-warnings
	$(PY) -m pytest -p no:cacheprovider

bench: setup $(MODEL)
	$(PY) -m benchmarks.nlu_quality
	$(PY) -m benchmarks.danger_signals
	$(PY) -m benchmarks.rest_latency
	$(PY) -m benchmarks.retrieval
	$(PY) -m benchmarks.calculators
	$(PY) -m benchmarks.dialogues
	$(PY) -m benchmarks.load

clean:
	rm -rf models $(MO_FILES) .rasa results benchmarks/results
