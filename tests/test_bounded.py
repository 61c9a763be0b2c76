"""Bounded work per document (issue 18): what made long digit runs and run-on texts quadratic.

No timings here (they belong in benchmarks/pathological.py): each test pins the property that
keeps the work bounded, and fails on the code that was quadratic."""
from __future__ import annotations

import random
from itertools import combinations

import pytest

from pipeline.grammar.targets import COUNT, PERCENT, POINTS, find_quantities
from pipeline.stages.check import Fact, _groups, any_disagree, ranges_disagree, same_subject
from pipeline.stages.link import PARAGRAPH_BLOCK, paragraph_of
from pipeline.text.sentences import block_of


@pytest.mark.parametrize("pattern, text, position, found", [
    (PERCENT, "12%", 0, "12%"),
    (PERCENT, "12%", 1, None),                   # never from inside a run of digits
    (PERCENT, "1.5%", 2, None),                  # nor from inside a decimal
    (PERCENT, "1,234,567.25%", 0, "1,234,567.25%"),
    (PERCENT, "1" * 15 + "%", 0, "1" * 15 + "%"),
    (PERCENT, "1" * 16 + "%", 0, None),          # no percentage has 16 digits
    (POINTS, "3个百分点", 0, "3个百分点"),
    (POINTS, "123个百分点", 2, None),
    (COUNT, "500家", 0, "500家"),
    (COUNT, "500家", 1, None),
])
def test_quantity_patterns_start_only_at_a_run_of_digits_and_read_a_bounded_number(pattern, text, position, found):
    match = pattern.match(text, position)
    assert (match.group() if match else None) == found


def test_a_long_run_of_digits_is_no_quantity():
    assert find_quantities("1234567890" * 2000 + "%", []) == []


@pytest.mark.parametrize("bounds, position, block", [
    ((0, 100), 50, (0, 100)),                                           # short: the whole range
    ((0, 3 * PARAGRAPH_BLOCK), 10, (0, PARAGRAPH_BLOCK)),
    ((0, 3 * PARAGRAPH_BLOCK), PARAGRAPH_BLOCK + 5, (PARAGRAPH_BLOCK, 2 * PARAGRAPH_BLOCK)),
    ((7, 2 * PARAGRAPH_BLOCK + 100), 2 * PARAGRAPH_BLOCK + 50, (2 * PARAGRAPH_BLOCK + 7, 2 * PARAGRAPH_BLOCK + 100)),
])
def test_a_paragraph_without_line_breaks_is_read_in_blocks(bounds, position, block):
    assert block_of(*bounds, position, PARAGRAPH_BLOCK) == block
    assert paragraph_of([(0, 0), bounds], position) == block


def test_paragraph_of_finds_the_paragraph_or_none():
    paragraphs = [(0, 5), (6, 10), (12, 20)]
    assert [paragraph_of(paragraphs, p) for p in (0, 5, 7, 11, 19, 25)] == [
        (0, 5), (5, 5), (6, 10), (11, 11), (12, 20), (25, 25)]


def _facts(rng: random.Random, count: int) -> list[Fact]:
    subjects = ["新材料产业园项目", "新材料产业项目", "华为", "华为技术", "园", "A1", "碳纤维"]
    facts = []
    for _ in range(count):
        low = rng.choice([1.0, 2.0, 5.0, 5.02, 100.0])
        facts.append(Fact(None, rng.choice(subjects), rng.choice(["project", "org", "industry"]), None,
                          low, low * rng.choice([1.0, 1.0, 1.5]), (rng.choice(["投资", "营收"]),)))
    return facts


def _groups_pairwise(facts: list[Fact], min_similarity: float) -> list[list[Fact]]:
    """The grouping as it was: every pair of facts compared (quadratic)."""
    group_of = list(range(len(facts)))

    def root(i: int) -> int:
        while group_of[i] != i:
            i = group_of[i]
        return i

    for (i, first), (j, second) in combinations(enumerate(facts), 2):
        if first.context == second.context and same_subject(first, second, min_similarity):
            group_of[root(j)] = root(i)
    groups: dict[int, list[Fact]] = {}
    for i, fact in enumerate(facts):
        groups.setdefault(root(i), []).append(fact)
    return list(groups.values())


@pytest.mark.parametrize("seed", range(40))
def test_conflict_groups_and_disagreement_equal_the_pairwise_ones(seed):
    rng = random.Random(seed)
    facts = _facts(rng, rng.randint(0, 30))
    groups = _groups(facts, 0.6)
    assert [[id(f) for f in g] for g in groups] == [[id(f) for f in g] for g in _groups_pairwise(facts, 0.6)]
    for group in groups:
        assert any_disagree(group) == any(ranges_disagree(a, b) for a, b in combinations(group, 2))
