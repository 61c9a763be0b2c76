# The two set-up commands of the README. Each builds .venv on a fresh machine first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test,bench]'
	touch $(STAMP)

## Run the pipeline on the bundled annotated corpus and print the scorecard (the seed article's
## four clusters: its config by name; the default config links to the national taxonomy).
run: $(STAMP)
	mkdir -p out
	$(BIN)/newsie run annotations/gold.jsonl -o out/pred.jsonl -c jinshan_four_clusters
	$(BIN)/newsie eval --gold annotations/gold.jsonl --pred out/pred.jsonl

## Run the test suite.
test: $(STAMP)
	$(BIN)/python -m pytest -q

clean:
	rm -rf out $(VENV)
