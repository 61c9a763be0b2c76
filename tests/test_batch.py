"""newsie run over corpora: bad rows, formats, workers, long documents, the summary."""
import json

import datasets
import pyarrow.parquet as pq
import pytest

from pipeline.cli import main
from pipeline.corpus.readers import InputDocument, read_jsonl_rows
from pipeline.corpus.records import LABEL_FIELDS, TRACE_FIELDS
from pipeline.corpus.runner import piece_bounds, process_documents
from pipeline.corpus.writers import ENTITY_FIELDS, output_format

from conftest import SEED_PATH


def paragraphs() -> list[str]:
    return [line for line in SEED_PATH.read_text(encoding="utf-8").splitlines() if line.strip()]


def write_corpus(path, count: int) -> list[InputDocument]:
    """``count`` short documents made from the seed article's paragraphs."""
    texts = paragraphs()
    documents = [InputDocument(f"d{i}", texts[i % len(texts)] + texts[(i * 7 + 3) % len(texts)]) for i in range(count)]
    path.write_text("".join(json.dumps({"id": d.id, "text": d.text}, ensure_ascii=False) + "\n" for d in documents),
                    encoding="utf-8")
    return documents


def test_one_bad_row_of_each_kind_among_good_rows(nlp, tmp_path, capsys):
    good = [InputDocument("g1", "总投资5亿元的碳纤维项目开工。"), InputDocument("g2", paragraphs()[3]),
            InputDocument("g3", "上海石化投资3亿元。")]
    lines = [json.dumps({"id": "g1", "text": good[0].text}, ensure_ascii=False).encode(),
             b"{not json",
             json.dumps({"id": "g2", "text": good[1].text}, ensure_ascii=False).encode(),
             json.dumps({"id": "no_text"}).encode(),
             json.dumps({"id": "number", "text": 42}).encode(),
             '{"id": "bytes", "text": "金山'.encode("gb18030") + b'"}',
             json.dumps({"id": "empty", "text": " \n "}).encode(),
             json.dumps({"id": "g3", "text": good[2].text}, ensure_ascii=False).encode()]
    corpus = tmp_path / "in.jsonl"
    corpus.write_bytes(b"\n".join(lines) + b"\n")
    out = tmp_path / "out.jsonl"
    assert main(["run", str(corpus), "-o", str(out), "-q"]) == 1
    rows = read_jsonl_rows(out)
    assert [r["id"] for r in rows] == ["g1", "in.jsonl:2", "g2", "no_text", "number", "in.jsonl:6", "empty", "g3"]
    errors = {r["id"]: r["error"] for r in rows if r["error"]}
    assert "invalid JSON" in errors["in.jsonl:2"] and "no text" in errors["no_text"]
    assert "not a string" in errors["number"] and "not UTF-8" in errors["in.jsonl:6"]
    assert "empty text" in errors["empty"]
    assert all(r["entities"] == [] for r in rows if r["error"])
    alone = list(process_documents(nlp, good))
    assert [r for r in rows if not r["error"]] == alone
    err = capsys.readouterr().err
    assert "5 of 8 documents failed" in err  # -q: the errors only, not the summary


def test_two_workers_write_the_same_rows_as_one_process(nlp, tmp_path):
    corpus = tmp_path / "in.jsonl"
    documents = write_corpus(corpus, 12)
    out = tmp_path / "out.jsonl"
    assert main(["run", str(corpus), "-o", str(out), "-q", "--workers", "2", "--batch-size", "2",
                 "--commit-every", "5"]) == 0
    assert read_jsonl_rows(out) == list(process_documents(nlp, documents))
    assert not (tmp_path / "out.jsonl.parts").exists()


def test_a_worker_pool_starts_every_worker_at_once():
    """All load side by side: the executor would otherwise start the second process only when
    it is given a task while the first is busy, seconds later."""
    from pipeline.corpus.workers import WorkerPool
    from pipeline.settings import DEFAULT_CONFIG

    with WorkerPool(str(DEFAULT_CONFIG), 2) as pool:
        assert len(pool._executor._processes) == 2  # private, but what this is about
        pool.wait_until_loaded()


def test_parquet_and_dataset_outputs_hold_the_jsonl_rows(tmp_path):
    corpus = tmp_path / "in.jsonl"
    write_corpus(corpus, 3)
    assert main(["run", str(corpus), "-o", str(tmp_path / "out.jsonl"), "-q"]) == 0
    assert main(["run", str(corpus), "-o", str(tmp_path / "out.parquet"), "-q"]) == 0
    assert main(["run", str(corpus), "-o", str(tmp_path / "out_ds"), "-q", "--commit-every", "2"]) == 0
    expected = read_jsonl_rows(tmp_path / "out.jsonl")
    for rows in (pq.read_table(tmp_path / "out.parquet").to_pylist(), list(datasets.load_from_disk(str(tmp_path / "out_ds")))):
        assert len(rows) == len(expected)
        for row, want in zip(rows, expected):
            assert {key: row[key] for key in ("id", "text", "warnings", "error")} == \
                   {key: want[key] for key in ("id", "text", "warnings", "error")}
            # Parquet entities carry every entity field; those of other labels are null.
            assert [{k: v for k, v in e.items() if k in w} for e, w in zip(row["entities"], want["entities"])] == want["entities"]
            assert all(v is None for e, w in zip(row["entities"], want["entities"]) for k, v in e.items() if k not in w)


def test_arrow_schema_has_every_exported_entity_field():
    fields = {"start", "end", "label", "text", *TRACE_FIELDS, *(f for fs in LABEL_FIELDS.values() for f in fs)}
    assert fields <= set(ENTITY_FIELDS)


def test_output_format_from_suffix_or_flag():
    assert [output_format(p) for p in ("a.jsonl", "a.parquet", "out/ds")] == ["jsonl", "parquet", "dataset"]
    assert output_format("a.jsonl", "parquet") == "parquet"
    with pytest.raises(ValueError, match="--format"):
        output_format("a.xlsx")


def test_piece_bounds_cover_the_text_and_cut_at_breaks():
    text = "第一段。很长的句子" * 30 + "\n" + "第二段没有句号" * 40 + "\n" + "尾"
    bounds = piece_bounds(text, 300)
    assert bounds[0][0] == 0 and bounds[-1][1] == len(text)
    assert all(a[1] == b[0] for a, b in zip(bounds, bounds[1:]))
    assert all(0 < end - start <= 300 for start, end in bounds)
    assert all(text[end - 1] in "\n。" for _, end in bounds[:-1] if end - 150 > 0 and "\n" in text[end - 150:end])
    assert piece_bounds("短文", 300) == [(0, 2)]


def test_long_document_in_pieces_keeps_offsets_exact(nlp):
    text = "\n".join(paragraphs()) + "\n项目产值045亿元。"
    [whole] = process_documents(nlp, [InputDocument("long", text)], max_piece_chars=500)
    assert whole["text"] == text and whole["error"] is None
    assert len(piece_bounds(text, 500)) > 3
    for entity in whole["entities"]:
        assert text[entity["start"]:entity["end"]] == entity["text"]
    assert len(whole["entities"]) > 20
    # The seed's own 产值045亿元 and the one added in the last piece, at their offsets.
    damaged = [w["spans"][0] for w in whole["warnings"] if "045" in w["message"]]
    assert [text[s:e] for s, e in damaged] == ["045", "045"]
    assert damaged[-1][1] == len(text) - len("亿元。")
    # Each piece's entities are those of the piece run alone, shifted.
    start, end = piece_bounds(text, 500)[2]
    [piece] = process_documents(nlp, [InputDocument("p", text[start:end])])
    shifted = [{**e, "start": e["start"] + start, "end": e["end"] + start} for e in piece["entities"]]
    assert [e for e in whole["entities"] if start <= e["start"] < end] == shifted


def test_a_batch_leaves_no_strings_behind(nlp):
    """Memory stays flat over a corpus of any vocabulary: the strings a batch brings are freed."""
    from pipeline.corpus.readers import InputDocument
    from pipeline.corpus.runner import process_documents

    before = len(nlp.vocab.strings)
    documents = [InputDocument(str(k), f"新公司{k}号科技有限公司投资{k}亿元。") for k in range(40)]
    rows = list(process_documents(nlp, documents, batch_size=8))
    assert len(nlp.vocab.strings) == before
    assert all(row["entities"] and not row["error"] for row in rows)
