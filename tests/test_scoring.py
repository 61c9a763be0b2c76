"""The one span scorer (pipeline.text.spans), the scorecard, and Recognizer.score agreeing with it."""
from collections import Counter

import pytest
import spacy
from spacy.tokens import Doc
from spacy.training import Example

from pipeline.evaluation.scoring import match_spans, score, strict_result
from pipeline.evaluation.tables import format_summary
from pipeline.stages.extensions import ENTITY_SPANS_KEY, OPTIONAL_SPANS_KEY
from pipeline.stages.recognize import Recognizer
from pipeline.text.spans import compare_spans


def ent(start, end, label, **attrs):
    return {"start": start, "end": end, "label": label, **attrs}


def tally(gold, pred, optional=()):
    return Counter((o.scheme, o.label, o.category) for o in compare_spans(gold, pred, optional))


# (gold, pred, optional, expected counts of (scheme, label, category))
CASES = [
    ([(0, 4, "ORG")], [(0, 4, "ORG")], [], {("strict", "ORG", "correct"): 1, ("exact", "ALL", "correct"): 1}),
    ([(0, 4, "ORG")], [(0, 3, "ORG")], [],
     {("strict", "ORG", "incorrect"): 1, ("ent_type", "ORG", "correct"): 1, ("exact", "ALL", "incorrect"): 1,
      ("partial", "ALL", "partial"): 1}),
    ([(0, 4, "ORG")], [(0, 4, "PARK")], [],
     {("strict", "ORG", "missed"): 1, ("strict", "PARK", "spurious"): 1, ("exact", "ALL", "correct"): 1,
      ("ent_type", "ORG", "missed"): 1, ("ent_type", "PARK", "spurious"): 1, ("partial", "ALL", "correct"): 1}),
    ([], [(5, 7, "ORG")], [], {("strict", "ORG", "spurious"): 1, ("exact", "ALL", "spurious"): 1}),
    # an optional gold mention: neither missed, nor its prediction spurious, whole or in part
    ([(5, 9, "PARK")], [(5, 9, "PARK")], [(0, 4, "PARK")], {("strict", "PARK", "correct"): 1}),
    ([(5, 9, "PARK")], [(0, 4, "PARK"), (5, 9, "PARK")], [(0, 4, "PARK")], {("strict", "PARK", "correct"): 1}),
    ([(5, 9, "PARK")], [(1, 3, "PARK"), (5, 9, "PARK")], [(0, 4, "PARK")], {("strict", "PARK", "correct"): 1}),
    # ... but a prediction of another label over it still counts
    ([], [(0, 4, "ORG")], [(0, 4, "PARK")], {("strict", "ORG", "spurious"): 1}),
    # nervaluate matches in prediction order: an exact match is tried first
    ([(0, 4, "ORG")], [(0, 3, "ORG"), (0, 4, "ORG")], [], {("strict", "ORG", "correct"): 1, ("strict", "ORG", "spurious"): 1}),
    # nested mentions of two labels do not compete
    ([(0, 10, "TARGET"), (3, 6, "MONEY")], [(0, 10, "TARGET"), (3, 6, "MONEY")], [],
     {("strict", "TARGET", "correct"): 1, ("strict", "MONEY", "correct"): 1, ("exact", "ALL", "correct"): 2}),
]


@pytest.mark.parametrize("gold, pred, optional, expected", CASES)
def test_outcomes_under_the_four_schemes(gold, pred, optional, expected):
    counts = tally(gold, pred, optional)
    assert {key: n for key, n in counts.items() if key[0] == "strict"} == {
        key: n for key, n in expected.items() if key[0] == "strict"}
    for key, number in expected.items():
        assert counts[key] == number, (key, counts)


def test_scorecard_figures_micro_and_macro():
    gold = [{"id": "d", "entities": [ent(0, 4, "ORG"), ent(10, 14, "MONEY", value=5e8), ent(20, 30, "TARGET", value=20.0, unit="%")]}]
    pred = [{"id": "d", "entities": [ent(0, 4, "ORG"), ent(9, 14, "MONEY", value=5e8), ent(22, 28, "TARGET", value=20.0, unit="%"), ent(40, 42, "ORG")]}]
    card = score(gold, pred).as_dict()
    strict, ent_type = card["schemes"]["strict"], card["schemes"]["ent_type"]
    assert (strict["ORG"]["correct"], strict["ORG"]["spurious"], strict["ORG"]["f1"]) == (1, 1, 0.6667)
    assert strict["MONEY"]["f1"] == 0.0 and ent_type["MONEY"]["f1"] == 1.0 and ent_type["TARGET"]["f1"] == 1.0
    # micro: 1 correct of 4 predicted, 3 gold; macro: the mean of 0.6667, 0, 0
    assert strict["micro"]["precision"] == 0.25 and strict["micro"]["recall"] == round(1 / 3, 4)
    assert strict["macro"]["f1"] == round(0.6667 / 3, 4)
    assert card["target_value_f1"]["f1"] == 1.0
    assert "ent_type" in format_summary(card)


def test_value_and_linking_accuracy():
    gold = [{"id": "d", "entities": [ent(0, 4, "MONEY", value=5e8, value_max=None, currency="CNY", clusters=["a"]),
                                     ent(5, 9, "MONEY", value=3e8, value_max=5e8, currency="CNY", clusters=["a", "b"])]}]
    pred = [{"id": "d", "entities": [ent(0, 4, "MONEY", value=5e8, value_max=None, currency="CNY", clusters=["a"]),
                                     ent(5, 9, "MONEY", value=3e8, value_max=None, currency="CNY", clusters=["b", "a"])]}]
    card = score(gold, pred).as_dict()
    assert card["money_value_accuracy"] == {"correct": 1, "total": 2, "accuracy": 0.5}
    assert card["linking_accuracy"]["accuracy"] == 1.0


def test_conflicts_found_by_spans_and_missing_documents():
    gold = [{"id": "d", "entities": [], "warnings": [{"type": "conflict", "spans": [[1, 2], [8, 9]]}]},
            {"id": "e", "entities": [ent(0, 2, "ORG")]}]
    pred = [{"id": "d", "entities": [], "warnings": [{"type": "conflict", "spans": [[8, 9], [1, 2]]}]}]
    card = score(gold, pred)
    assert card.as_dict()["conflicts_found"]["accuracy"] == 1.0
    assert card.missing == ["e"] and card.as_dict()["schemes"]["strict"]["ORG"]["missed"] == 1


def test_partial_matching_is_one_to_one():
    assert match_spans([ent(0, 10, "TARGET")], [ent(0, 4, "TARGET"), ent(2, 9, "TARGET")], partial=True) == [(0, 1)]


def test_strict_result_of_span_lists():
    result = strict_result([[(0, 2, "ORG"), (5, 7, "ORG")]], [[(0, 2, "ORG"), (5, 6, "ORG")]], ["ORG"])
    assert (result.correct, result.possible, result.actual, result.f1) == (1, 2, 2, 0.5)


@pytest.mark.parametrize("gold, pred, optional", [(g, p, o) for g, p, o, _ in CASES])
def test_recognizer_score_is_the_scorecard(gold, pred, optional):
    """nlp.evaluate's figures (Recognizer.score) equal newsie eval's, optional mentions included."""
    nlp = spacy.blank("xx")
    text = "上海石化在金山区开工建设新项目"

    def doc(groups):
        d = Doc(nlp.vocab, words=list(text), spaces=[False] * len(text))
        for key, spans in groups.items():
            d.spans[key] = [d.char_span(s, e, label=label) for s, e, label in spans]
        return d

    example = Example(doc({ENTITY_SPANS_KEY: pred}), doc({ENTITY_SPANS_KEY: gold, OPTIONAL_SPANS_KEY: optional}))
    spacy_scores = Recognizer.score(None, [example])
    rows = lambda spans, flag=False: [ent(s, e, label, **({"optional": True} if flag else {})) for s, e, label in spans]
    card = score([{"id": "d", "text": text, "entities": rows(gold) + rows(optional, True)}],
                 [{"id": "d", "entities": rows(pred)}]).as_dict()["schemes"]["strict"]
    assert spacy_scores["newsie_f"] == pytest.approx(card["micro"]["f1"], abs=1e-4)
    for label, figures in spacy_scores["newsie_per_type"].items():
        assert figures["f"] == pytest.approx(card[label]["f1"], abs=1e-4)
