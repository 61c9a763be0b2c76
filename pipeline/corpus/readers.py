"""Reading input documents, one at a time.

Inputs: ``.txt`` files and folders of them, JSONL, CSV and Parquet files with a text and an
id column, a saved Hugging Face dataset or a Hub dataset name, and standard input (``-``).
Every input row yields exactly one ``InputDocument``, in input order: a row that cannot be
read (bad JSON, no text, not a string, empty text, undecodable bytes) carries an ``error``
instead of text, so the run goes on and the output still has one row for it.

Everything is read as a stream, never a whole corpus at once.

- JSONL and CSV are read row by row with the standard library rather than with
  ``datasets.load_dataset("json"/"csv")``, because those loaders fail a whole file on one
  malformed row, and the contract here is one output row per input row.
- Parquet files, saved datasets and Hub datasets are read with ``datasets`` (streaming for
  Parquet and the Hub, memory-mapped Arrow for a saved dataset): their rows are typed, so a
  bad row is a null or a wrong type, which ``validate_text`` turns into an error row.
"""
from __future__ import annotations

import codecs
import csv
import json
import re
import sys
from dataclasses import dataclass
from itertools import chain
from pathlib import Path
from typing import Any, BinaryIO, Iterable, Iterator

TEXT_SUFFIXES = {".txt"}
JSONL_SUFFIXES = {".jsonl", ".ndjson"}
CSV_SUFFIXES = {".csv"}
PARQUET_SUFFIXES = {".parquet"}
STDIN = "-"
# A surrogate code point alone: JSON's \ud800 escape decodes to one, and UTF-8 cannot encode it.
LONE_SURROGATE = re.compile("[\ud800-\udfff]")
# Tried in order for .txt files without a byte-order mark.
FALLBACK_ENCODINGS = ("utf-8", "gb18030")


@dataclass(frozen=True)
class InputDocument:
    id: str
    text: str | None
    error: str | None = None


@dataclass(frozen=True)
class Columns:
    """Which field of a JSONL, CSV, Parquet or dataset row holds the id and the text."""
    id: str = "id"
    text: str = "text"


def decode_text(data: bytes, source: str) -> str:
    """Text of a file's bytes: BOM-marked UTF-8/UTF-16, else UTF-8, else GB18030."""
    for bom, encoding in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
                          (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            return data.decode(encoding)
    for encoding in FALLBACK_ENCODINGS:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise UnicodeDecodeError("utf-8/gb18030", data, 0, 1, f"{source}: not UTF-8, UTF-16 or GB18030 text")


def validate_text(text: Any) -> str | None:
    """Why ``text`` cannot be processed, or None when it can."""
    if text is None:
        return "no text"
    if not isinstance(text, str):
        return f"text is not a string but {type(text).__name__}"
    if not text.strip():
        return "empty text"
    surrogate = LONE_SURROGATE.search(text)
    if surrogate:
        # JSON can escape one (\ud800), but no UTF-8 output can hold it, not even an error row's text.
        return (f"text holds a lone surrogate (U+{ord(surrogate.group()):04X}) at character {surrogate.start()}: "
                "not valid Unicode")
    return None


def printable_id(doc_id: str) -> str:
    """``doc_id`` with any lone surrogate escaped (\\ud800), so that it can be written as UTF-8."""
    return doc_id if is_encodable(doc_id) else doc_id.encode("utf-8", "backslashreplace").decode("utf-8")


def document_from_row(row: Any, columns: Columns, fallback_id: str, where: str) -> InputDocument:
    """The document of one JSONL/CSV/Parquet/dataset row; ``where`` names it in errors."""
    if not isinstance(row, dict):
        return InputDocument(fallback_id, None, f"{where}: row is not a JSON object")
    doc_id = row.get(columns.id)
    doc_id = printable_id(str(doc_id)) if doc_id not in (None, "") else fallback_id
    text = row.get(columns.text)
    problem = validate_text(text)
    if problem:
        # The text is kept in the error row when it can be written (it cannot with a lone surrogate).
        keep = isinstance(text, str) and is_encodable(text)
        return InputDocument(doc_id, text if keep else None, f"{where}: {problem}")
    return InputDocument(doc_id, text)


def read_text_file(path: Path) -> InputDocument:
    doc_id = path.stem
    try:
        text = decode_text(path.read_bytes(), str(path))
    except (OSError, UnicodeDecodeError) as error:
        return InputDocument(doc_id, None, f"{path}: {error}")
    problem = validate_text(text)
    return InputDocument(doc_id, text, f"{path}: {problem}" if problem else None)


def read_jsonl_lines(lines: Iterable[bytes], name: str, columns: Columns = Columns()) -> Iterator[InputDocument]:
    """Documents of JSONL lines (bytes); ``name`` makes the fallback ids ``name:LINE``."""
    for line_number, raw in enumerate(lines, start=1):
        if line_number == 1:
            # A file saved by Notepad or Excel starts with a byte-order mark; it is no part of the row.
            raw = raw.removeprefix(codecs.BOM_UTF8)
        if not raw.strip():
            continue
        where = f"{name}:{line_number}"
        try:
            row = json.loads(raw.decode("utf-8"))
        except UnicodeDecodeError as error:
            yield InputDocument(where, None, f"{where}: not UTF-8 ({error.reason})")
            continue
        except json.JSONDecodeError as error:
            yield InputDocument(where, None, f"{where}: invalid JSON ({error.msg})")
            continue
        yield document_from_row(row, columns, where, where)


def read_jsonl(path: Path, columns: Columns = Columns()) -> Iterator[InputDocument]:
    with path.open("rb") as handle:
        yield from read_jsonl_lines(handle, path.name, columns)


def read_csv(path: Path, columns: Columns = Columns()) -> Iterator[InputDocument]:
    """Documents of a CSV file with a header row; ids default to ``name:ROW``.

    Encodings: UTF-8 (with or without BOM) or UTF-16 with BOM for the file; a field that is not
    UTF-8 is read as GB18030 (Excel in Chinese locales saves CSV in GBK), field by field, so
    a file mixing the two keeps every row.
    """
    # The csv module refuses fields over 128 KiB by default; a news article can be longer.
    csv.field_size_limit(2**31 - 1)
    with path.open("rb") as probe:
        utf16 = probe.read(2) in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
    # surrogateescape keeps undecodable bytes as lone surrogates, so only their field is
    # re-read. GBK never uses the bytes of , " or a line break inside a character, so the
    # rows split the same either way.
    encoding, errors = ("utf-16", "strict") if utf16 else ("utf-8-sig", "surrogateescape")
    with path.open(encoding=encoding, errors=errors, newline="") as handle:
        reader = csv.DictReader(handle)
        row_number = 0
        while True:
            row_number += 1
            where = f"{path.name}:{row_number}"
            try:
                row = next(reader)
            except StopIteration:
                return
            except (csv.Error, UnicodeDecodeError) as error:
                yield InputDocument(where, None, f"{where}: malformed CSV ({error})")
                continue
            fields = {key: _gb18030_if_not_utf8(value) for key, value in row.items()}
            if any(value is None for key, value in fields.items() if row.get(key) is not None):
                yield InputDocument(where, None, f"{where}: neither UTF-8 nor GB18030 text")
                continue
            yield document_from_row(fields, columns, where, where)


def _gb18030_if_not_utf8(value: Any) -> Any:
    """A CSV field read as UTF-8 with undecodable bytes escaped: as it is when it has none,
    else its bytes read as GB18030; None when they are not GB18030 either."""
    if not isinstance(value, str) or is_encodable(value):
        return value
    try:
        return value.encode("utf-8", "surrogateescape").decode("gb18030")
    except UnicodeError:
        return None


def is_encodable(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def read_rows(rows: Iterable[dict[str, Any]], name: str, columns: Columns) -> Iterator[InputDocument]:
    """Documents of typed rows (Parquet, datasets); ids default to ``name:ROW``."""
    for row_number, row in enumerate(rows, start=1):
        where = f"{name}:{row_number}"
        yield document_from_row(row, columns, where, where)


def read_parquet(path: Path, columns: Columns = Columns()) -> Iterator[InputDocument]:
    import datasets

    rows = datasets.load_dataset("parquet", data_files=str(path), split="train", streaming=True)
    yield from read_rows(rows, path.name, columns)


def read_dataset(name_or_path: str, split: str = "train", columns: Columns = Columns()) -> Iterator[InputDocument]:
    """Documents of a dataset saved with ``save_to_disk``, or of a Hub dataset (streamed)."""
    import datasets

    path = Path(name_or_path)
    if path.exists():
        saved = datasets.load_from_disk(str(path))
        if isinstance(saved, datasets.DatasetDict):
            if split not in saved:
                raise ValueError(f"{path} has no split {split!r}; it has {', '.join(saved)}")
            saved = saved[split]
        # Arrow tables are memory-mapped: rows are read from disk as they are iterated.
        yield from read_rows(saved, path.name, columns)
        return
    try:
        rows = datasets.load_dataset(name_or_path, split=split, streaming=True)
    except ConnectionError as error:
        raise ValueError(f"cannot reach the Hugging Face Hub for dataset {name_or_path!r} ({error}); "
                         "--dataset NAME needs network access, a dataset saved with save_to_disk "
                         "can be read offline by its path") from error
    yield from read_rows(rows, name_or_path, columns)


def read_stdin(stream: BinaryIO, columns: Columns = Columns()) -> Iterator[InputDocument]:
    """Standard input: JSONL when its first non-blank character is ``{``, else one text document."""
    head = [stream.readline().removeprefix(codecs.BOM_UTF8)]
    while head[-1] and not head[-1].strip():
        head.append(stream.readline())
    if head[-1].lstrip().startswith(b"{"):
        yield from read_jsonl_lines(chain(head, stream), STDIN, columns)
        return
    try:
        text = decode_text(b"".join(head) + stream.read(), "stdin")
    except UnicodeDecodeError as error:
        yield InputDocument("stdin", None, str(error))
        return
    problem = validate_text(text)
    yield InputDocument("stdin", text, f"stdin: {problem}" if problem else None)


def read_documents(inputs: Iterable[str | Path], columns: Columns = Columns(),
                   stdin: BinaryIO | None = None) -> Iterator[InputDocument]:
    """Every document of the inputs, in order: files as given, folders sorted by path.

    ``inputs`` is a list of paths; one path alone is taken as a list of one (a bare string
    would otherwise be iterated character by character, ``/`` first)."""
    if isinstance(inputs, (str, Path)):
        inputs = [inputs]
    for item in inputs:
        if str(item) == STDIN:
            yield from read_stdin(stdin or sys.stdin.buffer, columns)
            continue
        path = Path(item)
        if path.is_dir():
            for child in sorted(p for p in path.rglob("*") if p.is_file() and p.suffix in TEXT_SUFFIXES):
                yield read_text_file(child)
        elif not path.exists():
            raise FileNotFoundError(f"input not found: {path}")
        elif path.suffix in JSONL_SUFFIXES:
            yield from read_jsonl(path, columns)
        elif path.suffix in CSV_SUFFIXES:
            yield from read_csv(path, columns)
        elif path.suffix in PARQUET_SUFFIXES:
            yield from read_parquet(path, columns)
        else:
            yield read_text_file(path)


def read_jsonl_rows(path: str | Path) -> list[dict[str, Any]]:
    """All rows of a JSONL file of newsie's schema (gold or predictions)."""
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"file not found: {path}")
    rows = []
    with path.open(encoding="utf-8-sig") as handle:
        for line_number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                rows.append(json.loads(line))
            except json.JSONDecodeError as error:
                raise ValueError(f"{path}:{line_number}: invalid JSON ({error.msg})") from error
    return rows
