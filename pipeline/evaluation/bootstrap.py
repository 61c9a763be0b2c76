"""Confidence intervals and paired significance tests, by resampling documents or sentences.

Every figure of the scorecard is a function of counts, and every count belongs to a unit: a
document, or a sentence of one (the sentence its mention starts in). The percentile bootstrap
(what ``scipy.stats.bootstrap(..., method="percentile")`` computes, here with one set of
resamples shared by all figures, so that a macro average and its labels move together)
resamples the units with replacement, sums their counts and recomputes each figure.

``paired_test`` compares two systems on the same gold by approximate randomization: each
unit's counts are swapped between the systems with probability 1/2, and the p-value is the
share of shuffles (plus one) whose difference is at least as large as the observed one.
"""
from __future__ import annotations

import bisect
from collections import Counter
from dataclasses import dataclass
from typing import Any, Iterator

import numpy as np

from pipeline.evaluation.scoring import Scorecard, summarize
from pipeline.text.sentences import sentence_starts

UNITS = ("auto", "document", "sentence")
# With fewer documents than this, "auto" resamples sentences: a few documents give no interval.
MIN_DOCUMENTS = 10
DEFAULT_RESAMPLES = 1000
DEFAULT_SEED = 0


def figures(summary: dict[str, Any], prefix: str = "") -> Iterator[tuple[str, float]]:
    """(path, value) of every F1 and accuracy in a summary: ``schemes.strict.ORG.f1``…; a
    figure of nothing (no gold and no predicted mention, no item to be right on) is left
    out: a resample without a TARGET says nothing about the TARGET F1."""
    for key, value in summary.items():
        path = f"{prefix}{key}"
        if isinstance(value, dict):
            if value.get("possible", 1) + value.get("actual", 1) == 0 or value.get("total", 1) == 0:
                continue
            yield from figures(value, path + ".")
        elif key in ("f1", "accuracy"):
            yield path, float(value)


def choose_unit(card: Scorecard, unit: str) -> str:
    if unit not in UNITS:
        raise ValueError(f"unknown resampling unit {unit!r}: use one of {', '.join(UNITS)}")
    if unit == "auto":
        return "document" if len(card.documents) >= MIN_DOCUMENTS else "sentence"
    return unit


@dataclass
class CountMatrix:
    """Units × count keys: ``rows[i, k]`` is how often key ``k`` was counted in unit ``i``."""
    keys: list[tuple[str, ...]]
    rows: np.ndarray
    unit: str

    def counts(self, weights: np.ndarray) -> Counter:
        return Counter(dict(zip(self.keys, (weights @ self.rows).tolist())))


def unit_ids(card: Scorecard, unit: str) -> list[tuple[int, int]]:
    """The unit of each event of the card: (document, sentence or 0)."""
    if unit == "document":
        return [(event.document, 0) for event in card.events]
    starts = [sorted(sentence_starts(row.get("text") or "")) for row in card.documents]
    return [(event.document, bisect.bisect_right(starts[event.document], event.offset)) for event in card.events]


def count_matrices(cards: list[Scorecard], unit: str) -> list[CountMatrix]:
    """One matrix per card over the same units and keys (the cards share their gold). Every
    gold document is a unit, also one without a single count; a sentence is one when it holds
    a count."""
    ids = [unit_ids(card, unit) for card in cards]
    units = set().union(*ids) | ({(d, 0) for d in range(len(cards[0].documents))} if unit == "document" else set())
    unit_index = {u: i for i, u in enumerate(sorted(units))}
    keys = sorted(set().union(*({e.key for e in card.events} for card in cards)))
    key_index = {k: i for i, k in enumerate(keys)}
    matrices = []
    for card, card_ids in zip(cards, ids):
        rows = np.zeros((max(len(unit_index), 1), len(keys)))
        np.add.at(rows, ([unit_index[u] for u in card_ids], [key_index[e.key] for e in card.events]), 1)
        matrices.append(CountMatrix(keys, rows, unit))
    return matrices


def confidence_intervals(card: Scorecard, level: float = 0.95, unit: str = "auto",
                         resamples: int = DEFAULT_RESAMPLES, seed: int = DEFAULT_SEED) -> dict[str, Any]:
    """``{"level", "unit", "units", "resamples", "seed", "intervals": {path: [low, high]}}``."""
    if not 0 < level < 1:
        raise ValueError(f"--ci must be a level between 0 and 1 (e.g. 0.95), not {level}")
    unit = choose_unit(card, unit)
    [matrix] = count_matrices([card], unit)
    n = matrix.rows.shape[0]
    weights = np.random.default_rng(seed).multinomial(n, np.full(n, 1 / n), size=resamples)
    labels = card.scored_labels()
    samples: dict[str, list[float]] = {}
    for row in weights:
        for path, value in figures(summarize(matrix.counts(row), labels)):
            samples.setdefault(path, []).append(value)
    tails = [(1 - level) / 2 * 100, (1 + level) / 2 * 100]
    intervals = {path: [round(float(x), 4) for x in np.percentile(values, tails)] for path, values in samples.items()}
    return {"level": level, "unit": unit, "units": n, "resamples": resamples, "seed": seed, "intervals": intervals}


def paired_test(card_a: Scorecard, card_b: Scorecard, unit: str = "auto", shuffles: int = DEFAULT_RESAMPLES,
                seed: int = DEFAULT_SEED) -> dict[str, Any]:
    """Approximate-randomization p-value of the difference A − B of every figure."""
    unit = choose_unit(card_a, unit)
    matrix_a, matrix_b = count_matrices([card_a, card_b], unit)
    labels = [label for label in card_a.labels if label in set(card_a.scored_labels()) | set(card_b.scored_labels())]
    ones = np.ones(matrix_a.rows.shape[0])
    observed_a = dict(figures(summarize(matrix_a.counts(ones), labels)))
    observed_b = dict(figures(summarize(matrix_b.counts(ones), labels)))
    observed = {path: observed_a[path] - observed_b.get(path, 0.0) for path in observed_a}
    at_least = Counter()
    swaps = np.random.default_rng(seed).integers(0, 2, size=(shuffles, len(ones)))
    for swap in swaps:
        shuffled_a = dict(figures(summarize(matrix_a.counts(1 - swap) + matrix_b.counts(swap), labels)))
        shuffled_b = dict(figures(summarize(matrix_b.counts(1 - swap) + matrix_a.counts(swap), labels)))
        for path, difference in observed.items():
            # a tolerance, so that equal figures computed in another order still count as equal
            if abs(shuffled_a[path] - shuffled_b.get(path, 0.0)) >= abs(difference) - 1e-12:
                at_least[path] += 1
    return {"unit": unit, "units": len(ones), "shuffles": shuffles, "seed": seed,
            "figures": {path: {"a": observed_a[path], "b": observed_b.get(path, 0.0), "difference": round(diff, 4),
                               "p": round((at_least[path] + 1) / (shuffles + 1), 4)}
                        for path, diff in observed.items()}}
