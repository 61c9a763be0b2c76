# The two set-up commands of the README. Each builds .venv on a fresh machine first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test chromium fuzz clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test,bench]'
	touch $(STAMP)

## Run the pipeline on the bundled annotated corpus and print the scorecard (the seed article's
## four clusters: its config by name; the default config links to the national taxonomy).
run: $(STAMP)
	mkdir -p out
	$(BIN)/newsie run annotations/gold.jsonl -o out/pred.jsonl -c jinshan_four_clusters --overwrite
	$(BIN)/newsie eval --gold annotations/gold.jsonl --pred out/pred.jsonl

## Run the test suite (with Chromium for the report's browser test, installed when missing).
test: $(STAMP) chromium
	$(BIN)/python -m pytest -q

## Chromium and a CJK font from the system packages, for tests/test_report.py; without root
## (or apt) the test says why it skips.
chromium:
	@command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1 || \
	  (apt-get update -qq && apt-get install -y -qq chromium fonts-wqy-microhei) || \
	  echo "chromium could not be installed: tests/test_report.py will skip its browser check"

## Fuzz every grammar and stage with the long profile (100,000 cases each; tests/test_fuzz.py).
fuzz: $(STAMP)
	$(BIN)/python -m pytest -q tests/test_fuzz.py --hypothesis-profile=long --hypothesis-show-statistics

clean:
	rm -rf out $(VENV)
