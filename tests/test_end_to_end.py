"""The whole pipeline through the CLI, on the bundled annotated corpus."""
import json

import pytest

from pipeline.cli import main
from pipeline.corpus.readers import InputDocument, read_jsonl_rows
from pipeline.corpus.runner import process_documents
from pipeline.evaluation.scoring import score

from conftest import GOLD_PATH


@pytest.fixture(scope="module")
def nlp(seed_nlp):
    """This module's tests are about the seed article: its pipeline, its four clusters."""
    return seed_nlp


@pytest.fixture(scope="module")
def predictions(tmp_path_factory):
    out = tmp_path_factory.mktemp("run") / "pred.jsonl"
    assert main(["run", str(GOLD_PATH), "-o", str(out), "--quiet", "-c", "jinshan_four_clusters"]) == 0
    return read_jsonl_rows(out)


@pytest.fixture(scope="module")
def scorecard(predictions):
    return score(read_jsonl_rows(GOLD_PATH), predictions)


def test_one_row_per_document_with_exact_offsets(predictions):
    gold = read_jsonl_rows(GOLD_PATH)
    assert [row["id"] for row in predictions] == [row["id"] for row in gold]
    for row in predictions:
        assert row["error"] is None
        for entity in row["entities"]:
            assert row["text"][entity["start"]:entity["end"]] == entity["text"]


def test_seed_scorecard_meets_the_bar(scorecard):
    assert scorecard.figure("strict", "MONEY") >= 0.95
    assert scorecard.accuracy("money_value").value == 1.0
    assert scorecard.as_dict()["target_value_f1"]["f1"] >= 0.85
    assert scorecard.accuracy("linking").value >= 0.90
    assert scorecard.accuracy("conflicts").value == 1.0


def test_seed_org_recognition(scorecard):
    assert scorecard.figure("strict", "ORG") >= 0.90


def test_conflict_is_one_warning_naming_both_spans(predictions):
    [row] = predictions
    conflicts = [w for w in row["warnings"] if w["type"] == "conflict"]
    assert len(conflicts) == 1
    assert sorted(row["text"][s:e] for s, e in conflicts[0]["spans"]) == ["35亿元", "5亿元"]


def test_eval_json_output(predictions, tmp_path, capsys):
    pred_path = tmp_path / "pred.jsonl"
    pred_path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in predictions), encoding="utf-8")
    assert main(["eval", "--gold", str(GOLD_PATH), "--pred", str(pred_path), "--json"]) == 0
    card = json.loads(capsys.readouterr().out)
    assert set(card["schemes"]["strict"]) == {"ORG", "PARK", "MONEY", "TARGET", "micro", "macro"}


def test_failed_documents_get_error_rows_and_a_nonzero_exit(tmp_path, capsys):
    path = tmp_path / "in.jsonl"
    path.write_text('{"id": "a", "text": "总投资5亿元。"}\n{"id": "b", "text": ""}\n{oops\n'
                    '{"id": "d", "text": "投资3亿元。"}\n', encoding="utf-8")
    out = tmp_path / "out.jsonl"
    assert main(["run", str(path), "-o", str(out), "--quiet"]) == 1
    rows = read_jsonl_rows(out)
    assert [r["id"] for r in rows] == ["a", "b", "in.jsonl:3", "d"]
    assert [bool(r["error"]) for r in rows] == [False, True, True, False]
    assert rows[3]["entities"][0]["value"] == 3e8
    assert "2 of 4 documents failed" in capsys.readouterr().err


def test_an_exception_in_one_document_spares_the_others(nlp, monkeypatch):
    recognizer = nlp.get_pipe("newsie_recognize")
    original = recognizer.find_mentions

    def explode_on_poison(text, *args, **kwargs):
        if "POISON" in text:
            raise RuntimeError("boom")
        return original(text, *args, **kwargs)

    monkeypatch.setattr(recognizer, "find_mentions", explode_on_poison)
    docs = [InputDocument("a", "总投资5亿元。"), InputDocument("b", "POISON 5亿元"), InputDocument("c", "投资3亿元。")]
    rows = list(process_documents(nlp, docs, batch_size=8))
    assert [r["error"] is None for r in rows] == [True, False, True]
    assert "boom" in rows[1]["error"]
    assert rows[2]["entities"][0]["text"] == "3亿元"


def test_missing_config_is_a_clear_error(tmp_path, capsys):
    assert main(["run", str(GOLD_PATH), "-o", str(tmp_path / "o.jsonl"), "-c", str(tmp_path / "none.cfg")]) == 2
    assert "none.cfg" in capsys.readouterr().err


def test_spacy_evaluate_gives_the_figures_of_newsie_eval(nlp, scorecard):
    """One scorer: nlp.evaluate (Recognizer.score) and newsie eval agree on the seed article,
    its optional gold mentions included."""
    from pipeline.evaluation.scoring import gold_examples

    results = nlp.evaluate(gold_examples(nlp, read_jsonl_rows(GOLD_PATH)))
    strict = scorecard.as_dict()["schemes"]["strict"]
    assert set(results["newsie_per_type"]) == set(strict) - {"micro", "macro"}
    for label, figures in results["newsie_per_type"].items():
        assert (figures["p"], figures["r"], figures["f"]) == pytest.approx(
            (strict[label]["precision"], strict[label]["recall"], strict[label]["f1"]), abs=1e-4)
    assert results["newsie_f"] == pytest.approx(strict["micro"]["f1"], abs=1e-4)
    assert results["newsie_macro_f"] == pytest.approx(strict["macro"]["f1"], abs=1e-4)
    assert results["newsie_ent_type_f"] == pytest.approx(scorecard.as_dict()["schemes"]["ent_type"]["micro"]["f1"], abs=1e-4)
    # the same figures under the names `spacy evaluate --spans-key newsie` prints
    assert [results[f"spans_newsie_{part}"] for part in "prf"] == [results[f"newsie_{part}"] for part in "prf"]
    assert results["spans_newsie_per_type"] == results["newsie_per_type"]


def test_eval_reports_the_linking_ablation(predictions, tmp_path, capsys):
    pred_path = tmp_path / "pred.jsonl"
    pred_path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in predictions), encoding="utf-8")
    assert main(["eval", "--gold", str(GOLD_PATH), "--pred", str(pred_path), "--json", "--linking-ablation"]) == 0
    ablation = json.loads(capsys.readouterr().out)["linking_ablation"]
    assert set(ablation) == {"terms", "context", "context+model"}
    assert ablation["context+model"]["gold"]["overall"]["accuracy"] >= ablation["terms"]["gold"]["overall"]["accuracy"]


def test_nlp_evaluate_on_the_gold_converted_to_a_docbin(nlp, scorecard, tmp_path):
    """The gold as spaCy reads it (newsie convert --to docbin, optional mentions in their own
    span group) scores in nlp.evaluate as in newsie eval."""
    from spacy.tokens import DocBin
    from spacy.training import Example

    path = tmp_path / "gold.spacy"
    assert main(["convert", str(GOLD_PATH), str(path)]) == 0
    examples = [Example(nlp.make_doc(doc.text), doc) for doc in DocBin().from_disk(path).get_docs(nlp.vocab)]
    results = nlp.evaluate(examples)
    assert results["newsie_f"] == pytest.approx(scorecard.figure("strict", "micro"), abs=1e-4)
    assert results["newsie_ent_type_f"] == pytest.approx(scorecard.figure("ent_type", "micro"), abs=1e-4)
