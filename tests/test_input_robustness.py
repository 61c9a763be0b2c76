"""Inputs that must never vanish or abort a run (issue 18): each gets a row, or an error row
naming it, and the other inputs are read as usual."""
from __future__ import annotations

import json
import os

import pytest

from pipeline.corpus.readers import decode_text, read_csv, read_documents

TEXT = "新年伊始，总投资5亿元的项目开工。"


def _rows(tmp_path, name: str, payload: bytes) -> list:
    path = tmp_path / name
    path.write_bytes(payload)
    good = tmp_path / "good.jsonl"
    good.write_text(json.dumps({"id": "g", "text": TEXT}, ensure_ascii=False) + "\n", encoding="utf-8")
    return list(read_documents([path, good]))


def test_a_corrupt_parquet_file_is_an_error_row_and_the_next_input_is_read(tmp_path):
    docs = _rows(tmp_path, "broken.parquet", b"PAR1 this is not parquet")
    assert [d.id for d in docs] == ["broken.parquet", "g"]
    assert "broken.parquet: cannot be read" in docs[0].error and docs[1].error is None


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads any file")
def test_an_unreadable_jsonl_file_is_an_error_row(tmp_path):
    path = tmp_path / "locked.jsonl"
    path.write_text('{"id": "x", "text": "5亿元"}\n', encoding="utf-8")
    path.chmod(0)
    [doc] = read_documents([path])
    assert doc.id == "locked.jsonl" and "cannot be read" in doc.error


def test_a_file_that_fails_while_read_keeps_its_rows_and_names_where(tmp_path, monkeypatch):
    from pipeline.corpus import readers

    read_jsonl = readers.read_jsonl

    def two_then_fail(path, columns):
        if path.name != "flaky.jsonl":
            yield from read_jsonl(path, columns)
            return
        yield readers.InputDocument("a", TEXT)
        yield readers.InputDocument("b", TEXT)
        raise OSError("input/output error")

    monkeypatch.setattr(readers, "read_jsonl", two_then_fail)
    docs = _rows(tmp_path, "flaky.jsonl", b"")
    assert [d.id for d in docs] == ["a", "b", "flaky.jsonl:3", "g"]
    assert "cannot be read after 2 rows (OSError: input/output error)" in docs[2].error


def test_folder_problems_are_error_rows_not_silence(tmp_path):
    folder = tmp_path / "corpus"
    (folder / "sub").mkdir(parents=True)
    (folder / "a.txt").write_text(TEXT, encoding="utf-8")
    (folder / "sub" / "b.txt").write_text(TEXT, encoding="utf-8")
    (folder / "sub" / "loop").symlink_to(folder)             # a folder inside itself
    (folder / "gone.txt").symlink_to(tmp_path / "missing.txt")  # a broken link
    docs = list(read_documents([folder]))
    assert [(d.id, d.error is None) for d in docs] == [("a", True), ("gone", False), ("b", True), ("loop", False)]
    assert "gone.txt" in docs[1].error and "symbolic link loop" in docs[3].error


def test_a_folder_is_still_read_in_path_order(tmp_path):
    for name in ["x/a.txt", "x-y.txt", "b.txt"]:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(TEXT, encoding="utf-8")
    assert [d.id for d in read_documents([tmp_path])] == ["b", "a", "x-y"]  # x/ sorts before x-y.txt


def test_an_unterminated_csv_quote_is_an_error_row_saying_so(tmp_path):
    path = tmp_path / "in.csv"
    path.write_text(f'id,text\n1,{TEXT}\n2,"{TEXT}\n3,{TEXT}\n4,{TEXT}\n', encoding="utf-8")
    docs = list(read_csv(path))
    assert [d.id for d in docs] == ["1", "in.csv:2"]
    assert "a quote opened on line 3 is never closed" in docs[1].error


def test_big5_is_read_as_big5_and_gb18030_as_gb18030():
    traditional = "新年伊始，總投資5億元的項目在臺灣開工，預計明年投產，帶動當地經濟發展。"
    assert decode_text(traditional.encode("big5"), "a.txt") == traditional
    assert decode_text(TEXT.encode("gb18030"), "a.txt") == TEXT
    assert decode_text(TEXT.encode("gbk"), "a.txt") == TEXT


@pytest.mark.parametrize("encoding", ["utf-32", "utf-32-le", "utf-32-be"])
def test_utf32_with_a_byte_order_mark_is_read_as_utf32(encoding):
    bom = {"utf-32-le": b"\xff\xfe\x00\x00", "utf-32-be": b"\x00\x00\xfe\xff"}.get(encoding, b"")
    assert decode_text(bom + TEXT.encode(encoding), "a.txt") == TEXT


def test_a_decode_error_names_the_byte_where_it_is():
    with pytest.raises(UnicodeDecodeError, match="byte 6"):
        decode_text(b"abcdef\xff\xfe\xfd\x80\x80\xff" * 3, "bad.txt")
