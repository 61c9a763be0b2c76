"""``newsie eval --format bio``: the recognizer alone, scored on a char<TAB>tag corpus."""
from __future__ import annotations

import json

import pytest

from pipeline.cli import main

SENTENCES = [("华为技术有限公司与上海交通大学签署合作协议。", [(0, 8), (9, 15)]),
             ("中国人民银行今天发布通知。", [(0, 6)]),
             ("今天天气很好。", [])]


@pytest.fixture()
def gold_bio(tmp_path):
    lines = []
    for text, spans in SENTENCES:
        tags = ["O"] * len(text)
        for start, end in spans:
            tags[start:end] = ["B-ORG"] + ["I-ORG"] * (end - start - 1)
        lines += [f"{char}\t{tag}" for char, tag in zip(text, tags)] + [""]
    path = tmp_path / "gold.bio"
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


@pytest.mark.parametrize("extra", [[], ["--model", "models/org_ner"], ["--recognizer", "pipeline"],
                                   ["--recognizer", "pipeline", "--set", "components.newsie_recognize.org_precision=fp32"]])
def test_eval_bio_scores_the_recognizer(gold_bio, capsys, extra):
    assert main(["eval", "--format", "bio", "--gold", str(gold_bio), "--labels", "ORG", "--json", *extra]) == 0
    scores = json.loads(capsys.readouterr().out)["ORG"]
    assert scores["tp"] + scores["fn"] == 3  # the gold spans, counted
    assert scores["tp"] >= 2, scores  # the shipped model finds these well-known names


def test_eval_bio_without_a_model_says_so(gold_bio, capsys):
    code = main(["eval", "--format", "bio", "--gold", str(gold_bio),
                 "--set", "components.newsie_recognize.org_model=null"])
    assert code == 2
    assert "org_model" in capsys.readouterr().err
