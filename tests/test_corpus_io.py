import json

import pytest

from pipeline.corpus.readers import decode_text, read_documents

TEXT = "新年伊始,总投资5亿元的项目开工。"


@pytest.mark.parametrize("encoding,bom", [("utf-8", b""), ("utf-8", b"\xef\xbb\xbf"), ("gb18030", b""),
                                          ("utf-16-le", b"\xff\xfe"), ("utf-16-be", b"\xfe\xff")])
def test_text_files_in_common_encodings(tmp_path, encoding, bom):
    path = tmp_path / "a.txt"
    path.write_bytes(bom + TEXT.encode(encoding))
    [doc] = read_documents([path])
    assert (doc.id, doc.text, doc.error) == ("a", TEXT, None)


def test_undecodable_file_gets_an_error_naming_it(tmp_path):
    path = tmp_path / "broken.txt"
    path.write_bytes(b"\x81\x30\xff\xff\xff")
    [doc] = read_documents([path])
    assert doc.text is None and "broken.txt" in doc.error


def test_folder_is_read_in_path_order(tmp_path):
    for name in ["b.txt", "a.txt", "c.md"]:
        (tmp_path / name).write_text(TEXT, encoding="utf-8")
    assert [d.id for d in read_documents([tmp_path])] == ["a", "b"]


def test_every_jsonl_row_yields_one_document(tmp_path):
    path = tmp_path / "in.jsonl"
    rows = [json.dumps({"id": "ok", "text": TEXT}, ensure_ascii=False).encode(), b"{not json",
            json.dumps({"id": "empty", "text": "  "}).encode(), json.dumps({"id": "none"}).encode(),
            json.dumps({"id": "num", "text": 5}).encode(), json.dumps([1, 2]).encode(), b"\xff\xfe",
            json.dumps({"id": "ok2", "text": TEXT}, ensure_ascii=False).encode()]
    path.write_bytes(b"\n".join(rows) + b"\n")
    docs = list(read_documents([path]))
    assert [d.id for d in docs] == ["ok", "in.jsonl:2", "empty", "none", "num", "in.jsonl:6", "in.jsonl:7", "ok2"]
    assert [d.error is None for d in docs] == [True, False, False, False, False, False, False, True]
    assert "invalid JSON" in docs[1].error and "empty text" in docs[2].error and "no text" in docs[3].error
    assert "not a string" in docs[4].error and "in.jsonl:7" in docs[6].error


def test_missing_input_is_a_clear_error(tmp_path):
    with pytest.raises(FileNotFoundError, match="missing.jsonl"):
        list(read_documents([tmp_path / "missing.jsonl"]))


def test_decode_text_prefers_utf8():
    assert decode_text("金山".encode("utf-8"), "x") == "金山"


ROWS = [{"doc": "a", "body": TEXT}, {"doc": None, "body": None}, {"doc": "c", "body": "  "}, {"doc": "d", "body": TEXT}]


def read_with_columns(path):
    from pipeline.corpus.readers import Columns

    return list(read_documents([path], Columns(id="doc", text="body")))


def expected_rows(name):
    return [("a", TEXT, False), (f"{name}:2", None, True), ("c", "  ", True), ("d", TEXT, False)]


def as_tuples(docs):
    return [(d.id, d.text, d.error is not None) for d in docs]


def test_csv_with_named_columns_and_bad_rows(tmp_path):
    path = tmp_path / "in.csv"
    lines = ["doc,body", f"a,\"{TEXT}\"", ",", "c,  ", f"d,\"{TEXT}\""]
    path.write_bytes("\n".join(lines).encode("utf-8") + "\ne,".encode() + "金山".encode("gb18030") + b"\n")
    docs = read_with_columns(path)
    # CSV has no null: the empty field is an empty text.
    assert as_tuples(docs[:4]) == [("a", TEXT, False), ("in.csv:2", "", True), ("c", "  ", True), ("d", TEXT, False)]
    # a GBK row among UTF-8 rows is read as GB18030, field by field
    assert as_tuples(docs[4:]) == [("e", "金山", False)]


@pytest.mark.parametrize("encoding", ["gbk", "gb18030", "utf-16", "utf-8-sig"])
def test_csv_in_the_encodings_chinese_spreadsheets_save(tmp_path, encoding):
    path = tmp_path / "in.csv"
    path.write_bytes(f"doc,body\na,\"{TEXT}\"\nb,上海金山工业区\n".encode(encoding))
    assert as_tuples(read_with_columns(path)) == [("a", TEXT, False), ("b", "上海金山工业区", False)]


def test_csv_field_in_no_known_encoding_is_an_error_row(tmp_path):
    path = tmp_path / "in.csv"
    path.write_bytes(f"doc,body\na,\"{TEXT}\"\n".encode() + b"b,\xff\xff\xff\n" + f"c,\"{TEXT}\"\n".encode())
    docs = read_with_columns(path)
    assert as_tuples([docs[0], docs[2]]) == [("a", TEXT, False), ("c", TEXT, False)]
    assert docs[1].id == "in.csv:2" and "neither UTF-8 nor GB18030" in docs[1].error


def test_parquet_and_saved_dataset_with_named_columns(tmp_path):
    import datasets

    from pipeline.corpus.readers import Columns, read_dataset

    table = datasets.Dataset.from_list(ROWS)
    table.to_parquet(str(tmp_path / "in.parquet"))
    assert as_tuples(read_with_columns(tmp_path / "in.parquet")) == expected_rows("in.parquet")
    table.save_to_disk(str(tmp_path / "saved"))
    docs = read_dataset(str(tmp_path / "saved"), "train", Columns(id="doc", text="body"))
    assert as_tuples(docs) == expected_rows("saved")


def test_hub_dataset_offline_is_a_clear_error(monkeypatch):
    import datasets

    from pipeline.corpus.readers import read_dataset

    def offline(*args, **kwargs):
        raise ConnectionError("Couldn't reach 'someone/news' on the Hub (OfflineModeIsEnabled)")

    monkeypatch.setattr(datasets, "load_dataset", offline)
    with pytest.raises(ValueError, match="needs network access"):
        list(read_dataset("someone/news"))


def test_stdin_is_jsonl_or_one_text():
    import io

    lines = io.BytesIO(b"\n" + json.dumps({"id": "x", "text": TEXT}, ensure_ascii=False).encode() + b"\n{bad\n")
    docs = list(read_documents(["-"], stdin=lines))
    assert [(d.id, d.error is None) for d in docs] == [("x", True), ("-:3", False)]
    [doc] = read_documents(["-"], stdin=io.BytesIO(TEXT.encode("gb18030")))
    assert (doc.id, doc.text, doc.error) == ("stdin", TEXT, None)
