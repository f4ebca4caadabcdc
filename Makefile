# Two entry points: `make run` (set up, ingest corpus/, serve it on 127.0.0.1:8000) and
# `make test` (set up, lint, run the whole test suite). Both create .venv on
# first use; nothing needs installing by hand beyond Python 3.11+ and make.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STORE ?= data/store

.PHONY: run test setup lint clean eval-dev

$(BIN)/kg: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	$(BIN)/kg gazetteer build --if-missing
	touch $(BIN)/kg

setup: $(BIN)/kg

# The server listens on 127.0.0.1:8000; another port: KG_PORT=8080 make run.
run: setup
	$(BIN)/kg ingest corpus --store $(STORE)
	$(BIN)/kg stats --store $(STORE)
	$(BIN)/kg serve --store $(STORE)

lint: setup
	$(BIN)/ruff check src tests
	$(BIN)/ruff format --check src tests
	$(BIN)/mypy

test: lint
	$(BIN)/python -m pytest

# The development set (see ../shared/eval/dev/README.md): its texts rebuilt into data/dev,
# scored against its gold with every miss listed.
DEV_GOLD ?= ../shared/eval/dev/gold
DEV_TEXTS ?= data/dev

eval-dev: setup
	$(BIN)/kg evaluate --gold $(DEV_GOLD) --corpus $(DEV_TEXTS) -v

clean:
	rm -rf $(VENV) data .pytest_cache .ruff_cache .mypy_cache .coverage
