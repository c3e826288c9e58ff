# Chalkline: `make run` starts everything, `make test` runs the whole suite.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test test-fast lint install translations perf-home perf-rls clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

translations: $(STAMP)
	$(BIN)/pybabel compile -d translations -f

run: install translations
	$(BIN)/python -m app.devserver

test: install translations lint
	$(BIN)/python -m pytest -q

test-fast: install translations
	$(BIN)/python -m pytest -q -m "not e2e"

lint: install
	$(BIN)/ruff check -q app jobs tests perf
	$(BIN)/ruff format -q --check app jobs tests perf
	$(BIN)/lint-imports --no-cache

perf-home: install
	$(BIN)/python perf/run_home_benchmark.py

perf-rls: install
	$(BIN)/python perf/rls_overhead.py

clean:
	rm -rf $(VENV) .pytest_cache
