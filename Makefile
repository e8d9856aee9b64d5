# chiiki — the two commands a new user types: `make run` and `make test`.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
OUT ?= out

.PHONY: setup assets run test bench lint catalog lock clean

setup: $(STAMP) assets

# Installs exactly the versions in requirements.lock (numbers pinned in tests cannot move with an
# upstream release), then chiiki itself without resolving again.
$(STAMP): pyproject.toml requirements.lock
	bash scripts/system-deps.sh
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -r requirements.lock
	$(BIN)/python -m pip install -q --no-deps -e .
	touch $(STAMP)

## The web workbench's front-end files (htmx …) from the npm registry, pinned by package-lock.json,
## copied into src/chiiki/web/static/vendor/ (instant when already there; npm comes from Debian).
assets: $(STAMP)
	@command -v npm >/dev/null 2>&1 || bash scripts/system-deps.sh
	bash scripts/assets.sh

## The main job on the embedded SQLite default: database with the bundled data, summary, report,
## then the web workbench: prints its address and a one-time sign-in link; Ctrl-C stops it.
run: setup
	$(BIN)/chiiki db init
	$(BIN)/chiiki summary
	$(BIN)/chiiki report -o $(OUT)
	$(BIN)/chiiki serve

## The whole test suite, on SQLite and on a throwaway PostgreSQL cluster.
test: setup
	bash scripts/test.sh

bench: setup
	bash scripts/bench.sh

## Style, formatting, types, layer contracts, and a catalogue in step with the code.
lint: setup
	$(BIN)/ruff check src tests bench scripts
	$(BIN)/ruff format --check src tests bench scripts
	$(BIN)/lint-imports --no-cache
	$(BIN)/mypy
	$(BIN)/python scripts/catalog.py --check

## Extract msgids, merge translations, compile the .mo files (after changing any user-facing text).
catalog: setup
	$(BIN)/python scripts/catalog.py

## Re-resolve the dependencies into requirements.lock (in a throwaway environment).
lock:
	bash scripts/lock.sh

clean:
	rm -rf $(VENV) $(OUT) chiiki.db chiiki.db-wal chiiki.db-shm chiiki-secret.key .pytest_cache \
		node_modules src/chiiki/web/static/vendor
