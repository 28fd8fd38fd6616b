# Two commands on a fresh machine:  `make demo`  and  `make test`.
PYTHON ?= python3
VENV   ?= .venv
BIN     = $(VENV)/bin

.PHONY: demo test setup bench fuzz clean

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

# The long fuzzing profile (tests/fuzz): PYDESIG_FUZZ_EXAMPLES examples per test (default 3000).
fuzz: setup
	PYDESIG_FUZZ=long $(BIN)/python -m pytest tests/fuzz -p no:cacheprovider --hypothesis-show-statistics

bench: setup
	$(BIN)/python benchmarks/bench_solve.py
	$(BIN)/python benchmarks/bench_explain.py

clean:
	rm -rf $(VENV) build dist *.egg-info .pytest_cache .hypothesis
