# On a fresh machine:  `make demo`,  `make serve`  (the web app on the demo case)  and  `make test`.
PYTHON ?= python3
VENV   ?= .venv
BIN     = $(VENV)/bin
PORT   ?= 8765

.PHONY: demo serve test test-long test-web setup bench fuzz screenshots clean

$(BIN)/pydesig: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	@touch $@

setup: $(BIN)/pydesig

demo: setup
	$(BIN)/pydesig demo

serve: setup
	$(BIN)/pydesig serve kb/cases/tonghua.yaml --port $(PORT)

# Every core (pytest-xdist), a test file per worker so that module fixtures are computed once.
test: setup
	$(BIN)/python -m pytest -n auto --dist loadfile

# The long profiles left out of `make test` (tests marked slow).
test-long: setup
	$(BIN)/python -m pytest -m slow

# The web app alone: the HTTP API against the CLI, uploads, downloads, the pages, headless Chromium.
test-web: setup
	PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 $(BIN)/python -m pytest tests/web -n auto --dist loadfile

# The long fuzzing profile (tests/fuzz): PYDESIG_FUZZ_EXAMPLES examples per test (default 3000).
fuzz: setup
	PYDESIG_FUZZ=long $(BIN)/python -m pytest tests/fuzz -p no:cacheprovider --hypothesis-show-statistics

bench: setup
	$(BIN)/python benchmarks/bench_solve.py
	$(BIN)/python benchmarks/bench_explain.py

screenshots: setup
	PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 $(BIN)/python tests/web/screenshots.py

clean:
	rm -rf $(VENV) build dist *.egg-info .pytest_cache .hypothesis
