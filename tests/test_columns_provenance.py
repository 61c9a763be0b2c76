"""Input columns carried to every output format, the provenance recorded with each, and the run's
feedback: a total in the progress bar, -q, --log, the time to the first row (issue 20)."""
from __future__ import annotations

import json

import pyarrow.parquet as pq
import pytest

from pipeline.cli import main
from pipeline.corpus.feedback import count_documents
from pipeline.corpus.provenance import read_provenance, sha256_of
from pipeline.corpus.readers import Columns, kept_column_names, read_documents
from pipeline.corpus.writers import json_value, with_columns

CSV = ("url,body,date,source,views\n"
       "http://a,奥来德光电材料股份有限公司计划投资5亿元建设新材料项目。,2022-12-26,新华网,12\n"
       "http://b,比亚迪在深圳投资10亿元。,2023-01-02,,\n")


@pytest.fixture
def fast_pipeline(nlp, monkeypatch):
    from pipeline.corpus import workers

    monkeypatch.setattr(workers, "load_worker_pipeline", lambda config, overrides=None: nlp)


@pytest.fixture
def csv_corpus(tmp_path):
    path = tmp_path / "news.csv"
    path.write_text(CSV, encoding="utf-8")
    return path


def _run(corpus, output, *options: str) -> int:
    return main(["run", str(corpus), "-o", str(output), "--text-column", "body", "--id-column", "url", "-q", *options])


def _rows(output) -> list[dict]:
    from pipeline.evaluation.rows import read_rows

    return read_rows(output)


@pytest.mark.parametrize("option, expected", [
    (None, ()), ("date,url", ("date", "url")), (" date , date ,", ("date",)), ("*", ("*",)),
])
def test_keep_columns_option(option, expected):
    assert kept_column_names(option) == expected


def test_keep_columns_refuses_star_with_names():
    with pytest.raises(ValueError, match="alone"):
        kept_column_names("*,date")


@pytest.mark.parametrize("keep, row, expected", [
    (("date",), {"id": "1", "text": "x", "date": "2022"}, {"date": "2022"}),
    (("date", "url"), {"id": "1", "text": "x", "date": "2022"}, {"date": "2022", "url": None}),  # missing: null
    (("*",), {"id": "1", "text": "x", "date": "2022", "n": 3}, {"date": "2022", "n": 3}),  # not id, not text
])
def test_columns_kept_from_a_row(keep, row, expected):
    assert Columns(keep=keep).kept(row) == expected


@pytest.mark.parametrize("value, expected", [
    ("a", "a"), (3, 3), (1.5, 1.5), (True, True), (None, None), (float("nan"), None), (float("inf"), "inf"),
    ([1, {"a": float("nan")}], [1, {"a": None}]),
])
def test_json_value(value, expected):
    assert json_value(value) == expected


def test_json_value_of_a_date():
    import datetime

    assert json_value(datetime.date(2022, 12, 26)) == "2022-12-26"


def test_kept_columns_follow_the_id_and_never_replace_a_field_of_the_row():
    row = {"id": "a", "text": "t", "entities": [], "warnings": [], "error": None}
    kept = with_columns(row, {"date": "2022", "text": "other", "error": "x"})
    assert list(kept) == ["id", "date", "input_text", "input_error", "text", "entities", "warnings", "error"]
    assert kept["text"] == "t" and kept["error"] is None and kept["input_text"] == "other"


@pytest.mark.parametrize("output_name", ["out.jsonl", "out.parquet", "out"])
def test_a_csv_comes_back_with_its_columns_and_provenance_in_every_format(fast_pipeline, csv_corpus, tmp_path,
                                                                         output_name, capfd):
    output = tmp_path / output_name
    assert _run(csv_corpus, output, "--keep-columns", "date,source,views") == 0
    assert capfd.readouterr().err == ""  # -q: not even the datasets library's progress bars
    rows = _rows(output)
    assert [row["id"] for row in rows] == ["http://a", "http://b"]
    assert [(row["date"], row["source"], row["views"]) for row in rows] == [("2022-12-26", "新华网", "12"),
                                                                          ("2023-01-02", "", "")]
    assert rows[0]["entities"]  # the rows are still newsie's
    provenance = read_provenance(output)
    assert provenance["newsie"] and provenance["config"]["sha256"]
    assert provenance["run"]["keep_columns"] == ["date", "source", "views"]
    models = [r for r in provenance["resources"] if r["setting"].endswith("org_model")]
    assert models and all(len(r["sha256"]) == 64 for r in models)


def test_star_keeps_every_column_even_when_jsonl_rows_differ(fast_pipeline, tmp_path):
    corpus = tmp_path / "in.jsonl"
    lines = [{"id": "1", "text": "投资5亿元。", "date": "2022"}, {"id": "2", "text": "投资6亿元。", "source": "新华网"},
             {"id": "3", "text": "投资7亿元。", "meta": {"page": 2}}]
    corpus.write_text("".join(json.dumps(line, ensure_ascii=False) + "\n" for line in lines), encoding="utf-8")
    for name in ("out.jsonl", "out.parquet"):
        # one row per part: parts with different columns are conformed when assembled
        assert main(["run", str(corpus), "-o", str(tmp_path / name), "-q", "--keep-columns", "*",
                     "--commit-every", "1"]) == 0
    jsonl = _rows(tmp_path / "out.jsonl")
    assert [row.get("date") for row in jsonl] == ["2022", None, None]
    assert jsonl[2]["meta"] == {"page": 2}
    table = pq.read_table(tmp_path / "out.parquet")
    assert table.column_names[:4] == ["id", "date", "source", "meta"]
    assert table.column("meta").to_pylist() == [None, None, '{"page": 2}']  # not a string: its JSON text


def test_columns_are_not_kept_unless_asked(fast_pipeline, csv_corpus, tmp_path):
    assert _run(csv_corpus, tmp_path / "out.parquet") == 0
    assert pq.read_schema(tmp_path / "out.parquet").names == ["id", "text", "entities", "warnings", "error"]


def test_an_output_with_kept_columns_can_be_replaced(fast_pipeline, csv_corpus, tmp_path):
    for name in ("out.jsonl", "out.parquet", "out"):
        assert _run(csv_corpus, tmp_path / name, "--keep-columns", "*") == 0
        assert _run(csv_corpus, tmp_path / name, "--keep-columns", "*", "--overwrite") == 0


def test_eval_prints_the_provenance_of_the_predictions(fast_pipeline, tmp_path, capsys):
    gold = tmp_path / "gold.jsonl"
    gold.write_text(json.dumps({"id": "a", "text": "投资5亿元。", "entities": []}, ensure_ascii=False) + "\n",
                    encoding="utf-8")
    assert main(["run", str(gold), "-o", str(tmp_path / "pred.jsonl"), "-q"]) == 0
    capsys.readouterr()
    assert main(["eval", "--gold", str(gold), "--pred", str(tmp_path / "pred.jsonl")]) == 0
    out = capsys.readouterr().out
    assert "predictions made by" in out and "org_model" in out
    assert main(["eval", "--gold", str(gold), "--pred", str(tmp_path / "pred.jsonl"), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["provenance"]["newsie"]


def test_the_hash_of_a_folder_follows_its_files(tmp_path):
    (tmp_path / "m").mkdir()
    (tmp_path / "m" / "a").write_bytes(b"1")
    first = sha256_of(tmp_path / "m")
    (tmp_path / "m" / "a").write_bytes(b"2")
    assert sha256_of(tmp_path / "m") != first


def test_quiet_prints_errors_only_and_the_log_keeps_the_summary(fast_pipeline, tmp_path, capsys):
    corpus = tmp_path / "in.jsonl"
    corpus.write_text('{"id": "a", "text": "投资5亿元。"}\n{"id": "b", "text": ""}\n', encoding="utf-8")
    log = tmp_path / "run.log"
    assert main(["run", str(corpus), "-o", str(tmp_path / "out.jsonl"), "-q", "--log", str(log)]) == 1
    err = capsys.readouterr().err
    assert err.strip().splitlines() == ["error: b: in.jsonl:2: empty text",
                                        "1 of 2 documents failed; their rows carry the error"]
    logged = log.read_text(encoding="utf-8")
    assert "error: b: in.jsonl:2: empty text" in logged
    assert "2 documents, 6 characters, 1 errors" in logged and "first row after" in logged


def test_the_summary_gives_the_time_to_the_first_row(fast_pipeline, tmp_path, capsys):
    corpus = tmp_path / "in.jsonl"
    corpus.write_text('{"id": "a", "text": "投资5亿元。"}\n', encoding="utf-8")
    assert main(["run", str(corpus), "-o", str(tmp_path / "out.jsonl")]) == 0
    err = capsys.readouterr().err
    assert "1/1" in err  # the progress bar knows the total
    assert "(first row after" in err


def test_documents_are_counted_as_the_readers_read_them(tmp_path, csv_corpus):
    jsonl = tmp_path / "a.jsonl"
    jsonl.write_text('{"text": "x"}\n\n{"text": "y"}\nnot json\n', encoding="utf-8")
    folder = tmp_path / "texts"
    (folder / "sub").mkdir(parents=True)
    for name in ("a.txt", "sub/b.txt"):
        (folder / name).write_text("投资。", encoding="utf-8")
    inputs = [str(jsonl), str(csv_corpus), str(folder)]
    assert count_documents(inputs) == 3 + 2 + 2 == len(list(read_documents(inputs)))
    assert count_documents(["-"]) is None  # standard input cannot be counted before it is read


def test_named_columns_are_in_every_row_even_of_a_text_file(fast_pipeline, tmp_path):
    (tmp_path / "a.txt").write_text("投资5亿元。", encoding="utf-8")
    jsonl = tmp_path / "b.jsonl"
    jsonl.write_text('{"id": "b", "text": "投资6亿元。", "date": "2022"}\n[1, 2]\n', encoding="utf-8")
    out = tmp_path / "out.jsonl"
    assert main(["run", str(tmp_path / "a.txt"), str(jsonl), "-o", str(out), "-q", "--keep-columns", "date"]) == 1
    rows = _rows(out)
    assert [row["date"] for row in rows] == [None, "2022", None]  # the text file, the row, the bad row
