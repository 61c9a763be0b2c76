"""Confidence intervals: the percentile bootstrap over documents or sentences, as scipy's."""
from __future__ import annotations

import numpy as np
import pytest
from scipy.stats import bootstrap

from pipeline.evaluation.bootstrap import confidence_intervals
from pipeline.evaluation.scoring import score


def corpus(hits: list[bool]):
    """One MONEY mention per document, its value right or wrong."""
    gold = [{"id": str(i), "text": "投资5亿元。", "entities": [{"start": 2, "end": 5, "label": "MONEY", "value": 5e8}]}
            for i in range(len(hits))]
    pred = [{"id": str(i), "entities": [{"start": 2, "end": 5, "label": "MONEY", "value": 5e8 if hit else 1.0}]}
            for i, hit in enumerate(hits)]
    return score(gold, pred)


def test_the_interval_is_scipys_percentile_bootstrap():
    hits = list(np.random.default_rng(1).random(300) < 0.8)
    ours = confidence_intervals(corpus(hits), 0.9, "document", resamples=4000)["intervals"]["money_value_accuracy.accuracy"]
    theirs = bootstrap((np.array(hits, dtype=float),), np.mean, confidence_level=0.9, n_resamples=4000,
                       method="percentile", random_state=np.random.default_rng(2)).confidence_interval
    assert ours == pytest.approx([theirs.low, theirs.high], abs=0.01)


def test_fixed_seed_and_units():
    card = corpus([True, False, True, True] * 5)
    first = confidence_intervals(card, 0.95, "document")
    assert first == confidence_intervals(card, 0.95, "document") and first["units"] == 20
    assert confidence_intervals(card, 0.95, "document", seed=1) != first
    low, high = first["intervals"]["money_value_accuracy.accuracy"]
    assert low < 0.75 < high
    assert confidence_intervals(card, 0.95)["unit"] == "document"  # 20 documents: no need for sentences
    assert confidence_intervals(corpus([True, False]), 0.95)["unit"] == "sentence"


def test_a_figure_without_mentions_in_a_resample_is_left_out():
    gold = [{"id": "a", "text": "甲。乙。", "entities": [{"start": 0, "end": 1, "label": "ORG"}]},
            {"id": "b", "text": "丙。", "entities": [{"start": 0, "end": 1, "label": "PARK"}]}]
    intervals = confidence_intervals(score(gold, gold), 0.95, "sentence")["intervals"]
    assert intervals["schemes.strict.PARK.f1"] == [1.0, 1.0] and intervals["schemes.strict.macro.f1"] == [1.0, 1.0]


@pytest.mark.parametrize("level", [0, 1, 95])
def test_the_level_is_a_share(level):
    with pytest.raises(ValueError, match="between 0 and 1"):
        confidence_intervals(corpus([True]), level)
