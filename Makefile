# The two set-up commands of the README. Each builds .venv on a fresh machine first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test fuzz clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test,bench]'
	touch $(STAMP)

## Run the pipeline on the bundled annotated corpus and print the scorecard.
run: $(STAMP)
	mkdir -p out
	$(BIN)/newsie run annotations/gold.jsonl -o out/pred.jsonl --overwrite
	$(BIN)/newsie eval --gold annotations/gold.jsonl --pred out/pred.jsonl

## Run the test suite.
test: $(STAMP)
	$(BIN)/python -m pytest -q

## Fuzz every grammar and stage with the long profile (100,000 cases each; tests/test_fuzz.py).
fuzz: $(STAMP)
	$(BIN)/python -m pytest -q tests/test_fuzz.py --hypothesis-profile=long --hypothesis-show-statistics

clean:
	rm -rf out $(VENV)
