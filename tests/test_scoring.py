import pytest

from pipeline.evaluation.scoring import format_scorecard, match_spans, score


def ent(start, end, label, **attrs):
    return {"start": start, "end": end, "label": label, **attrs}


def test_exact_and_partial_counts():
    gold = [{"id": "d", "entities": [ent(0, 4, "ORG"), ent(10, 14, "MONEY", value=5e8), ent(20, 30, "TARGET", value=20.0, unit="%")]}]
    pred = [{"id": "d", "entities": [ent(0, 4, "ORG"), ent(9, 14, "MONEY", value=5e8), ent(22, 28, "TARGET", value=20.0, unit="%"), ent(40, 42, "ORG")]}]
    card = score(gold, pred).as_dict()
    assert card["exact"]["ORG"] == {"tp": 1, "fp": 1, "fn": 0, "precision": 0.5, "recall": 1.0, "f1": 0.6667}
    assert card["exact"]["MONEY"]["f1"] == 0.0
    assert card["partial"]["MONEY"]["f1"] == 1.0
    assert card["partial"]["TARGET"]["f1"] == 1.0
    assert card["target_value_f1"]["f1"] == 1.0


def test_optional_gold_is_neither_miss_nor_false_alarm():
    gold = [{"id": "d", "entities": [ent(0, 4, "PARK", optional=True), ent(5, 9, "PARK")]}]
    card = score(gold, [{"id": "d", "entities": [ent(5, 9, "PARK")]}]).as_dict()
    assert card["exact"]["PARK"]["fn"] == 0 and card["exact"]["PARK"]["fp"] == 0
    card = score(gold, [{"id": "d", "entities": [ent(0, 4, "PARK"), ent(5, 9, "PARK")]}]).as_dict()
    assert card["exact"]["PARK"]["tp"] == 1 and card["exact"]["PARK"]["fp"] == 0


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
    assert card.missing == ["e"] and card.exact["ORG"].fn == 1
    assert "conflicts found" in format_scorecard(card)


def test_partial_matching_is_one_to_one():
    gold = [ent(0, 10, "TARGET")]
    pred = [ent(0, 4, "TARGET"), ent(2, 9, "TARGET")]
    assert match_spans(gold, pred, partial=True) == [(0, 1)]
