# Two commands do all set-up on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEVSTAMP := $(VENV)/.installed-dev

.PHONY: run test lint typecheck unit bench faults eval fuzz teams-package clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(DEVSTAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP) $@

run: $(STAMP)
	$(BIN)/reflect chat

lint: $(DEVSTAMP)
	$(BIN)/ruff check bot storage supervision_models tests benchmarks
	$(BIN)/ruff format --check bot storage supervision_models tests benchmarks

typecheck: $(DEVSTAMP)
	$(BIN)/mypy bot storage supervision_models

unit: $(DEVSTAMP)
	$(BIN)/python -m pytest -q

test: lint typecheck unit

# Teams app package (manifest + icons) for Teams admin centre or sideloading; see docs/teams.md.
teams-package: | $(BIN)/python
	$(BIN)/python teams/package.py dist/reflect-teams.zip

bench: $(DEVSTAMP)
	$(BIN)/python -m benchmarks

# The fault benchmark alone (issue 14): kill -9s and a SIGTERM burst on SQLite and PostgreSQL.
faults: $(DEVSTAMP)
	$(BIN)/python -m benchmarks --only faults

# The endpoint fuzz tests at ten times the suite's count (20,000 Slack payloads, 10,000 Teams
# activities); REFLECT_FUZZ_SEED=N for another sequence.
fuzz: $(DEVSTAMP)
	REFLECT_FUZZ_SCALE=$${REFLECT_FUZZ_SCALE:-10} $(BIN)/python -m pytest -q -s -o timeout=1800 \
		tests/adapters/slack/test_fuzz.py tests/adapters/teams/test_fuzz.py

# Labelled corpora in tests/corpus/: per-category recall and precision, and the cases got wrong.
eval: $(DEVSTAMP)
	$(BIN)/python -m tests.corpus.evaluate

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
