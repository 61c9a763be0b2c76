"""Stand-off annotations are joined to their corpus and checked (pipeline/corpus/standoff.py)."""
import json

import pytest

from pipeline.corpus.standoff import read_standoff

SENTENCES = [{"text": "海达科技公告，拟投资5亿元。"}, {"text": "沪指涨1%。"}]


def write(tmp_path, rows):
    path = tmp_path / "dev.jsonl"
    path.write_text("".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows), encoding="utf-8")
    return path


def test_rows_join_their_sentences(tmp_path):
    path = write(tmp_path, [{"sentence": 0, "length": 14, "spans": [
        {"start": 0, "end": 4, "text": "海达科技", "label": "ORG", "optional": False}]},
        {"sentence": 1, "length": 6, "spans": []}])
    rows = read_standoff(path, SENTENCES)
    assert [row["id"] for row in rows] == ["0", "1"]
    assert rows[0]["entities"][0]["text"] == "海达科技" and rows[1]["entities"] == []


@pytest.mark.parametrize("row, message", [
    ({"sentence": 0, "length": 13, "spans": []}, "another version of the corpus"),
    ({"sentence": 0, "length": 14, "spans": [{"start": 1, "end": 4, "text": "海达科技", "label": "ORG"}]}, "is '达科技'"),
    ({"sentence": 5, "length": 14, "spans": []}, "not a stand-off row"),
])
def test_a_mismatch_names_the_line(tmp_path, row, message):
    with pytest.raises(ValueError, match=message) as error:
        read_standoff(write(tmp_path, [row]), SENTENCES)
    assert "line 1" in str(error.value)
