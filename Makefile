# chiiki — the two commands a new user types: `make run` and `make test`.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
OUT ?= out

.PHONY: setup run test bench lint clean

setup: $(STAMP)

$(STAMP): pyproject.toml
	bash scripts/system-deps.sh
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[dev]'
	touch $(STAMP)

## The main job on the embedded SQLite default: database with the bundled data, summary, report.
run: setup
	$(BIN)/chiiki db init
	$(BIN)/chiiki summary
	$(BIN)/chiiki report -o $(OUT)

## The whole test suite, on SQLite and on a throwaway PostgreSQL cluster.
test: setup
	bash scripts/test.sh

bench: setup
	bash scripts/bench.sh

lint: setup
	$(BIN)/ruff check src tests bench

clean:
	rm -rf $(VENV) $(OUT) chiiki.db chiiki.db-wal chiiki.db-shm .pytest_cache
