"""``newsie convert``: the seed gold through every format and back, spans and labels unchanged."""
from __future__ import annotations

import json

import pytest

from pipeline.cli import main
from pipeline.evaluation.convert import FORMATS, detect_format, read_annotations
from pipeline.evaluation.rows import read_rows

from conftest import GOLD_PATH

SUFFIX = {"jsonl": ".jsonl", "bio": ".bio", "bioes": ".bioes", "conll": ".conll", "docbin": ".spacy",
          "doccano": ".jsonl", "labelstudio": ".json"}


def spans(rows, with_optional):
    return [(row["id"], row["text"], sorted((e["start"], e["end"], e["label"]) + ((bool(e.get("optional")),)
                                            if with_optional else ()) for e in row["entities"]))
            for row in rows]


@pytest.mark.parametrize("fmt", FORMATS)
def test_seed_gold_round_trips_through_every_format(tmp_path, capsys, fmt):
    middle, back = tmp_path / f"gold{SUFFIX[fmt]}", tmp_path / "back.jsonl"
    assert main(["convert", str(GOLD_PATH), str(middle), "--to", fmt]) == 0
    assert main(["convert", str(middle), str(back), "--from", fmt, "--to", "jsonl"]) == 0
    keeps_optional = fmt in ("jsonl", "docbin")
    assert spans(read_rows(back), keeps_optional) == spans(read_rows(GOLD_PATH), keeps_optional)
    if not keeps_optional:
        assert "3 optional mentions written as ordinary ones" in capsys.readouterr().err
    assert detect_format(middle) == fmt  # doccano's JSONL told from newsie's by its keys


def test_label_studio_export_is_imported(tmp_path):
    export = [{"id": 7, "data": {"text": "上海石化在金山区开工"},
               "annotations": [{"was_cancelled": True, "result": []},
                               {"result": [{"type": "labels", "from_name": "label", "to_name": "text",
                                            "value": {"start": 0, "end": 4, "text": "上海石化", "labels": ["ORG"]}}]}]}]
    path = tmp_path / "export.json"
    path.write_text(json.dumps(export, ensure_ascii=False), encoding="utf-8")
    [row] = read_annotations(path)
    assert row["id"] == "7" and [(e["start"], e["end"], e["label"]) for e in row["entities"]] == [(0, 4, "ORG")]


def test_doccano_is_told_by_its_keys(tmp_path):
    path = tmp_path / "doccano.jsonl"
    path.write_text('{"id": 1, "text": "上海石化开工", "label": [[0, 4, "ORG"]]}\n', encoding="utf-8")
    assert detect_format(path) == "doccano"
    assert read_annotations(path)[0]["entities"][0]["text"] == "上海石化"


@pytest.mark.parametrize("args, message", [
    (["convert", "in.txt", "out.jsonl"], "not found: in.txt"),
    (["convert", str(GOLD_PATH), "out.xyz"], "cannot tell the format of out.xyz"),
    (["convert", str(GOLD_PATH), "out.jsonl", "--to", "brat"], "unknown annotation format 'brat'"),
])
def test_convert_errors_name_the_input(tmp_path, capsys, monkeypatch, args, message):
    monkeypatch.chdir(tmp_path)
    assert main(args) == 2
    assert message in capsys.readouterr().err
