"""``newsie compare`` (paired test, disagreements), ``newsie agree`` (span F1, character
kappa, disagreements), and predictions read in every format ``newsie run`` writes."""
from __future__ import annotations

import copy
import json

import pytest

from pipeline.cli import main
from pipeline.corpus.writers import row_schema
from pipeline.evaluation.agreement import agreement, character_labels
from pipeline.evaluation.bootstrap import paired_test
from pipeline.evaluation.compare import compare_systems
from pipeline.evaluation.rows import read_rows
from pipeline.evaluation.scoring import score

from conftest import GOLD_PATH


@pytest.fixture(scope="module")
def gold():
    return read_rows(GOLD_PATH)


@pytest.fixture(scope="module")
def flawed(gold):
    """The gold with two ORG mentions dropped and one relabelled."""
    rows = copy.deepcopy(gold)
    orgs = [e for e in rows[0]["entities"] if e["label"] == "ORG" and not e.get("optional")]
    rows[0]["entities"] = [e for e in rows[0]["entities"] if e is not orgs[0] and e is not orgs[1]]
    orgs[2]["label"] = "PARK"
    return rows


def test_identical_systems_differ_by_nothing(gold):
    test = paired_test(score(gold, gold), score(gold, gold), shuffles=50)
    assert all(row["difference"] == 0 and row["p"] == 1.0 for row in test["figures"].values())


def test_compare_gives_p_values_and_the_disagreements(gold, flawed):
    result = compare_systems(gold, gold, flawed, shuffles=200)
    org = result["test"]["figures"]["schemes.strict.ORG.f1"]
    assert org["a"] == 1.0 and org["difference"] > 0 and 0 < org["p"] < 1
    assert result == compare_systems(gold, gold, flawed, shuffles=200)  # the seed fixes it
    [document] = result["disagreements"]
    assert sorted((m["system"], m["label"], m["right"]) for m in document["mentions"]) == [
        ("A", "ORG", True), ("A", "ORG", True), ("A", "ORG", True), ("B", "PARK", False)]


def test_compare_command(tmp_path, gold, flawed, capsys):
    pred = tmp_path / "b.jsonl"
    pred.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in flawed), encoding="utf-8")
    assert main(["compare", "--gold", str(GOLD_PATH), "--pred", str(GOLD_PATH), str(pred), "--shuffles", "50"]) == 0
    out = capsys.readouterr().out
    assert "schemes.strict.ORG.f1" in out and f"only {pred}: PARK" in out


@pytest.mark.parametrize("entities, label, expected", [
    ([{"start": 0, "end": 4, "label": "TARGET"}, {"start": 1, "end": 3, "label": "MONEY"}], None,
     ["TARGET", "MONEY", "MONEY", "TARGET", "O"]),
    ([{"start": 0, "end": 4, "label": "TARGET"}, {"start": 1, "end": 3, "label": "MONEY"}], "TARGET",
     ["TARGET"] * 4 + ["O"]),
])
def test_character_labels(entities, label, expected):
    assert character_labels(5, entities, label) == expected


def test_agreement_of_two_annotators(gold, flawed, tmp_path, capsys):
    same = agreement(gold, gold)
    assert same["kappa"]["characters"] == 1.0 and same["span_f1"]["strict"]["micro"] == 1.0
    assert same["disagreements"] == []
    other = agreement(gold, flawed)
    assert other["span_f1"]["strict"]["ORG"] < 1.0 and 0.8 < other["kappa"]["characters"] < 1.0
    assert sorted(e["kind"] for e in other["disagreements"][0]["errors"]) == ["label", "missed", "missed"]
    path = tmp_path / "b.jsonl"
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in flawed), encoding="utf-8")
    assert main(["agree", str(GOLD_PATH), str(path)]) == 0
    assert "kappa" in capsys.readouterr().out


def test_agreement_needs_the_same_texts(gold):
    changed = copy.deepcopy(gold)
    changed[0]["text"] = "x" + changed[0]["text"]
    with pytest.raises(ValueError, match="different texts"):
        agreement(gold, changed)


def _arrow_rows(rows):
    fields = row_schema().field("entities").type.value_type
    return [{**row, "error": None, "entities": [{f.name: e.get(f.name) for f in fields} for e in row["entities"]]}
            for row in rows]


@pytest.mark.parametrize("fmt", ["parquet", "dataset"])
def test_eval_reads_parquet_and_saved_datasets(tmp_path, gold, capsys, fmt):
    import pyarrow as pa

    table = pa.Table.from_pylist(_arrow_rows(gold), schema=row_schema())
    if fmt == "parquet":
        import pyarrow.parquet as pq

        path = tmp_path / "out.parquet"
        pq.write_table(table, path)
    else:
        import datasets

        path = tmp_path / "out"
        datasets.Dataset(table).save_to_disk(str(path))
    assert main(["eval", "--gold", str(GOLD_PATH), "--pred", str(path), "--json"]) == 0
    card = json.loads(capsys.readouterr().out)
    assert card["schemes"]["strict"]["micro"]["f1"] == 1.0 and card["money_value_accuracy"]["accuracy"] == 1.0


def test_unreadable_predictions_are_a_clear_error(tmp_path, capsys):
    path = tmp_path / "pred.bin"
    path.write_bytes(b"\xff\xfe\x00garbage")
    assert main(["eval", "--gold", str(GOLD_PATH), "--pred", str(path)]) == 2
    assert f"{path}: not UTF-8 JSONL, Parquet or a saved dataset" in capsys.readouterr().err
