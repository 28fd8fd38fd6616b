# Two commands on a fresh machine:  `make demo`  and  `make test`.
PYTHON ?= python3
VENV   ?= .venv
BIN     = $(VENV)/bin

.PHONY: demo test setup bench clean

$(BIN)/pydesig: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	@touch $@

setup: $(BIN)/pydesig

demo: setup
	$(BIN)/pydesig demo

test: setup
	$(BIN)/python -m pytest

bench: setup
	$(BIN)/python benchmarks/bench_solve.py
	$(BIN)/python benchmarks/bench_explain.py

clean:
	rm -rf $(VENV) build dist *.egg-info .pytest_cache .hypothesis
