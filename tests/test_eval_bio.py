"""``newsie eval --format bio/bioes/tags``: the recognizer alone, scored on a char<TAB>tag corpus."""
from __future__ import annotations

import json

import pytest

from pipeline.cli import main
from pipeline.evaluation.tags import read_tagged, write_tagged

SENTENCES = [("华为技术有限公司与上海交通大学签署合作协议。", [(0, 8), (9, 15)]),
             ("中国人民银行今天发布通知。", [(0, 6)]),
             ("今天天气很好。", [])]


def tag_lines(scheme: str) -> list[str]:
    lines = []
    for text, spans in SENTENCES:
        tags = ["O"] * len(text)
        for start, end in spans:
            tags[start:end] = ["B-ORG"] + ["I-ORG"] * (end - start - 1)
            if scheme == "bioes":
                tags[end - 1] = "E-ORG"
        lines += [f"{char}\t{tag}" for char, tag in zip(text, tags)] + [""]
    return lines


@pytest.fixture()
def gold_bio(tmp_path):
    path = tmp_path / "gold.bio"
    path.write_text("\n".join(tag_lines("bio")), encoding="utf-8")
    return path


@pytest.fixture()
def gold_bioes(tmp_path):
    path = tmp_path / "gold.bioes"
    path.write_text("\n".join(tag_lines("bioes")), encoding="utf-8")
    return path


def eval_json(capsys, *args):
    assert main(["eval", "--labels", "ORG", "--json", *args]) == 0
    return json.loads(capsys.readouterr().out)


@pytest.mark.parametrize("extra", [[], ["--model", "models/org_ner"], ["--recognizer", "pipeline"],
                                   ["--recognizer", "pipeline", "--set", "components.newsie_recognize.org_precision=fp32"]])
def test_eval_bio_scores_the_recognizer(gold_bio, capsys, extra):
    scores = eval_json(capsys, "--format", "bio", "--gold", str(gold_bio), *extra)["schemes"]["strict"]["ORG"]
    assert scores["possible"] == 3  # the gold spans, counted
    assert scores["correct"] >= 2, scores  # the shipped model finds these well-known names


def test_bio_and_bioes_of_one_annotation_score_identically(gold_bio, gold_bioes, capsys):
    assert read_tagged(gold_bio)[1] != [] and [r["entities"] for r in read_tagged(gold_bio)[1]] == [
        r["entities"] for r in read_tagged(gold_bioes)[1]]
    bio = eval_json(capsys, "--format", "bio", "--gold", str(gold_bio))
    for fmt in ("bioes", "tags"):
        assert eval_json(capsys, "--format", fmt, "--gold", str(gold_bioes))["schemes"] == bio["schemes"]


@pytest.mark.parametrize("lines, fmt, message", [
    (["华\tB-ORG", "为\tE-ORG", ""], "bio", ":2: a BIOES tag"),  # declared BIO, read BIOES: no silent 0.0
    (["华\tB-ORG", "为 I-ORG", ""], "tags", ":2: malformed tag line"),
    (["华\tB-ORG", "为\tX-ORG", ""], "tags", ":2: malformed tag line"),
    (["华\tO", "为\tI-ORG", ""], "bio", ":2: I-ORG is not part of a well-formed BIO mention"),
    (["华\tB-ORG", "为\tI-ORG", "", "公\tO"], "bioes", ":1: B-ORG is not part of a well-formed BIOES mention"),
    (["华\tB-ORG\tO", "为\tI-ORG", ""], "tags", ":2: 1 tag columns"),
])
def test_a_bad_tag_file_is_an_error_naming_the_line(tmp_path, capsys, lines, fmt, message):
    path = tmp_path / "bad.txt"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert main(["eval", "--format", fmt, "--gold", str(path)]) == 2
    assert f"{path}{message}" in capsys.readouterr().err


def test_tag_files_keep_nested_spans_and_whitespace(tmp_path):
    rows = [{"id": "d1", "text": "目标 增长\n20%\t年", "entities": [
        {"start": 0, "end": 9, "label": "TARGET"}, {"start": 6, "end": 9, "label": "MONEY"},
        {"start": 10, "end": 11, "label": "ORG"}]}]
    for scheme in ("bio", "bioes"):
        for conll in (False, True):
            path = tmp_path / f"out.{scheme}"
            write_tagged(rows, path, scheme, conll)
            assert read_tagged(path)[1] == rows


def test_eval_bio_without_a_model_says_so(gold_bio, capsys):
    code = main(["eval", "--format", "bio", "--gold", str(gold_bio),
                 "--set", "components.newsie_recognize.org_model=null"])
    assert code == 2
    assert "org_model" in capsys.readouterr().err
