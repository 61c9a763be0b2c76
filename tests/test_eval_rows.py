"""newsie eval on bad row files: a clear error naming the file and row, never a traceback or a
silent score (issue #18, item 14)."""
import json

import pytest

from pipeline.cli import main


def write(tmp_path, name, rows):
    path = tmp_path / name
    path.write_text("".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows), encoding="utf-8")
    return path


GOOD = {"id": "a", "text": "投资5亿元", "entities": [{"start": 2, "end": 5, "label": "MONEY"}]}


@pytest.mark.parametrize("gold_rows, message", [
    ([], "no gold documents"),
    ([GOOD, {**GOOD, "text": "x"}], "rows 1 and 2 have the same id 'a'"),
    ([{"id": "a", "text": "x", "entities": [{"start": "q"}]}], "row 1 (id 'a'): entity 0 is not"),
    ([{"id": "a", "text": "投资", "entities": [{"start": 0, "end": 9, "label": "ORG"}]}], "<= 2"),
    ([{"id": "a", "text": "投资", "entities": {"start": 0}}], "'entities' is not a list"),
])
def test_a_bad_gold_file_is_a_usage_error_naming_it(tmp_path, capsys, gold_rows, message):
    gold = write(tmp_path, "gold.jsonl", gold_rows)
    assert main(["eval", "--gold", str(gold), "--pred", str(write(tmp_path, "pred.jsonl", [GOOD]))]) == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err


def test_predictions_without_gold_are_named_not_silently_dropped(tmp_path, capsys):
    gold = write(tmp_path, "gold.jsonl", [GOOD])
    pred = write(tmp_path, "pred.jsonl", [GOOD, {**GOOD, "id": "stray"}])
    assert main(["eval", "--gold", str(gold), "--pred", str(pred)]) == 0
    assert "1 predicted documents have no gold row and are not scored: 'stray'" in capsys.readouterr().err
