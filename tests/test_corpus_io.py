import json

import pytest

from pipeline.corpus_io import decode_text, read_documents

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
