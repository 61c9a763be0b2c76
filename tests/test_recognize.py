"""Overlap resolution of the recognize stage, against a brute-force reading of its rules."""
from __future__ import annotations

import random

from pipeline.stages.recognize import (
    SOURCE_PRIORITY, Mention, repeated_mentions, resolve_overlaps, without_models_over_parks,
)


def _overlap(a: Mention, b: Mention) -> bool:
    return a.start < b.end and b.start < a.end


def _random_mentions(rng: random.Random, count: int) -> list[Mention]:
    sources = list(SOURCE_PRIORITY) + ["other"]
    mentions = []
    for _ in range(count):
        start = rng.randint(0, 60)
        mentions.append(Mention(start, start + rng.randint(1, 8), rng.choice(["ORG", "PARK", "MONEY"]),
                                rng.choice(sources)))
    return mentions


def test_resolve_overlaps_keeps_longest_then_priority_then_leftmost():
    rng = random.Random(7)
    for _ in range(500):
        mentions = _random_mentions(rng, rng.randint(0, 20))
        ranked = sorted(mentions, key=lambda m: (-(m.end - m.start), -SOURCE_PRIORITY.get(m.source, 0), m.start))
        expected: list[Mention] = []
        for mention in ranked:
            if not any(_overlap(mention, kept) for kept in expected):
                expected.append(mention)
        assert resolve_overlaps(mentions) == sorted(expected, key=lambda m: m.start)


def test_repeated_mentions_skip_taken_and_earlier_finds():
    text = "普睿玛与普睿玛科技签约，普睿玛科技投资，汉钟精机和普睿玛"
    taken = [Mention(0, 3, "ORG", "model")]
    found = repeated_mentions(text, {"普睿玛": "ORG", "普睿玛科技": "ORG"}, taken)
    assert [(m.start, m.end, text[m.start:m.end]) for m in found] == [
        (4, 9, "普睿玛科技"), (12, 17, "普睿玛科技"), (25, 28, "普睿玛")]


def test_a_model_org_running_on_past_a_park_gives_way():
    text = "海口综合保税区飞机维修业务增长,苏州工业园区管委会表示"
    park = Mention(0, 7, "PARK", "rule")
    run_on = Mention(0, 9, "ORG", "model")  # 海口综合保税区飞机
    committee = Mention(16, 25, "ORG", "model")  # 苏州工业园区管委会
    park_in_committee = Mention(16, 22, "PARK", "rule")
    kept = without_models_over_parks(text, [park, run_on, committee, park_in_committee])
    assert kept == [park, committee, park_in_committee]
