from __future__ import annotations

import os

import pytest
from hypothesis import settings

from pipeline.grammar.names import NameFinder
from pipeline.language import load_pipeline
from pipeline.settings import PROJECT_ROOT, SEED_CONFIG

SEED_PATH = PROJECT_ROOT / "annotations" / "jinshan_industry_2022-12-26.txt"
GOLD_PATH = PROJECT_ROOT / "annotations" / "gold.jsonl"


@pytest.fixture(scope="session")
def nlp():
    """The default pipeline, loaded once for the whole session."""
    return load_pipeline()


@pytest.fixture(scope="session")
def seed_nlp():
    """The seed article's pipeline (configs/jinshan_four_clusters.cfg: its four clusters, which
    its gold uses; the default links to the national taxonomy), loaded once for the session."""
    return load_pipeline(SEED_CONFIG)


@pytest.fixture(scope="session")
def seed_text() -> str:
    return SEED_PATH.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def finder() -> NameFinder:
    """The name rules with their own jieba tokenizer, made once."""
    return NameFinder()


def boundaries(finder: NameFinder, text: str) -> set[int]:
    """The offsets at which jieba's words of ``text`` start or end (the segmenter's boundaries)."""
    offsets, position = {0}, 0
    for word in finder.tokenizer.lcut(text):
        position += len(word)
        offsets.add(position)
    return offsets


# Fuzzing profiles (tests/test_fuzz.py): `fast` runs in `make test`, `long` with
# `--hypothesis-profile=long` (make fuzz). No deadline: timings belong in benchmarks.
settings.register_profile("fast", max_examples=200, deadline=None, derandomize=True, print_blob=True)
# NEWSIE_FUZZ_EXAMPLES sets another count for the long profile (a shorter run on a busy machine).
settings.register_profile("long", max_examples=int(os.environ.get("NEWSIE_FUZZ_EXAMPLES", 100_000)), deadline=None,
                          print_blob=True)
settings.load_profile("fast")
