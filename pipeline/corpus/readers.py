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
from dataclasses import dataclass, field
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


@dataclass(frozen=True)
class InputDocument:
    id: str
    text: str | None
    error: str | None = None
    # the input columns kept for the output row (``Columns.keep``), as they were read
    columns: dict[str, Any] = field(default_factory=dict)


# Keep every column of a row (``--keep-columns '*'``).
ALL_COLUMNS = "*"


@dataclass(frozen=True)
class Columns:
    """Which field of a JSONL, CSV, Parquet or dataset row holds the id and the text, and which
    other fields the output row keeps: ``keep`` names them, or is ``("*",)`` for every field
    but the id and text fields."""
    id: str = "id"
    text: str = "text"
    keep: tuple[str, ...] = ()

    def kept(self, row: dict[str, Any]) -> dict[str, Any]:
        """The kept fields of ``row``; a named field the row lacks is None (a missing CSV cell
        or JSON key), so every output row has every named column."""
        if ALL_COLUMNS in self.keep:
            return {key: value for key, value in row.items() if key not in (self.id, self.text)}
        return {name: row.get(name) for name in self.keep}

    def complete(self, kept: dict[str, Any]) -> dict[str, Any]:
        """``kept`` with every named column, None where a document has none (a text file, a
        row that is not an object): every output row of a run has the same named columns."""
        return kept if ALL_COLUMNS in self.keep else {name: kept.get(name) for name in self.keep}


def kept_column_names(option: str | None) -> tuple[str, ...]:
    """The names of ``--keep-columns date,url``, or ``("*",)`` for ``'*'``."""
    names = tuple(dict.fromkeys(name.strip() for name in (option or "").split(",") if name.strip()))
    if ALL_COLUMNS in names and len(names) > 1:
        raise ValueError(f"--keep-columns {option}: give '*' alone (every column) or column names")
    return names


# Byte-order marks, UTF-32's before UTF-16's (FF FE 00 00 starts with FF FE).
BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
        (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))


def decode_text(data: bytes, source: str) -> str:
    """Text of a file's bytes: BOM-marked UTF-8/UTF-16/UTF-32, else UTF-8, else GB18030 or Big5."""
    for bom, encoding in BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding)
            except UnicodeDecodeError as error:
                raise UnicodeDecodeError(encoding, data, error.start, error.end,
                                         f"{source}: not {encoding.upper()} after its byte-order mark "
                                         f"(byte {error.start}: {error.reason})") from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        utf8_error = error
    text = decode_chinese_legacy(data)
    if text is None:
        raise UnicodeDecodeError("utf-8", data, utf8_error.start, utf8_error.end,
                                 f"{source}: not UTF-8 (byte {utf8_error.start}: {utf8_error.reason}), "
                                 "nor UTF-16/UTF-32 with a byte-order mark, GB18030 or Big5")
    return text


def _common_share(text: str, encoding: str, lead_bytes: range) -> float:
    """The share of the CJK characters of ``text`` (its first 2,000) that are among the frequent
    ones of ``encoding`` (those whose first byte is in ``lead_bytes``)."""
    cjk = [char for char in text if char >= "\u2e80"][:2000]
    common = 0
    for char in cjk:
        try:
            common += char.encode(encoding)[0] in lead_bytes
        except UnicodeEncodeError:
            pass
    return common / len(cjk) if cjk else 0.0


def decode_chinese_legacy(data: bytes) -> str | None:
    """``data`` read as GB18030 (mainland) or Big5 (Taiwan, Hong Kong), or None when neither.

    Big5 bytes are mostly valid GB18030 too, and read that way give rare characters (gibberish)
    where Big5 gives frequent ones: the reading whose characters are frequent wins (GB2312's
    first level, 0xB0-0xD7, against Big5's, 0xA4-0xC6)."""
    readings = {}
    for encoding in ("gb18030", "big5"):
        try:
            readings[encoding] = data.decode(encoding)
        except UnicodeDecodeError:
            pass
    if len(readings) < 2:
        return next(iter(readings.values()), None)
    big5_share = _common_share(readings["big5"], "big5", range(0xA4, 0xC7))
    gb_share = _common_share(readings["gb18030"], "gb2312", range(0xB0, 0xD8))
    return readings["big5"] if big5_share > gb_share + 0.2 else readings["gb18030"]


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
    kept = columns.kept(row) if columns.keep else {}
    problem = validate_text(text)
    if problem:
        # The text is kept in the error row when it can be written (it cannot with a lone surrogate).
        keep = isinstance(text, str) and is_encodable(text)
        return InputDocument(doc_id, text if keep else None, f"{where}: {problem}", kept)
    return InputDocument(doc_id, text, None, kept)


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
        head = probe.read(4)
    # surrogateescape keeps undecodable bytes as lone surrogates, so only their field is
    # re-read. GBK and Big5 never use the bytes of , " or a line break inside a character, so
    # the rows split the same either way.
    encoding, errors = "utf-8-sig", "surrogateescape"
    for bom, bom_encoding in BOMS[1:]:
        if head.startswith(bom):
            encoding, errors = bom_encoding, "strict"
            break
    with path.open(encoding=encoding, errors=errors, newline="") as handle:
        # strict: a quote left open is an error, not a field that swallows the rest of the file
        reader = csv.DictReader(handle, strict=True)
        reader.fieldnames  # reads the header, so that line numbers below are those of rows
        row_number = 0
        while True:
            row_number += 1
            where = f"{path.name}:{row_number}"
            line = reader.reader.line_num + 1
            try:
                row = next(reader)
            except StopIteration:
                return
            except (csv.Error, UnicodeDecodeError) as error:
                if "unexpected end of data" in str(error):
                    error = f"a quote opened on line {line} is never closed; the rest of the file is in this row"
                yield InputDocument(where, None, f"{where}: malformed CSV ({error})")
                continue
            fields = {key: _gb18030_if_not_utf8(value) for key, value in row.items()}
            if any(value is None for key, value in fields.items() if row.get(key) is not None):
                yield InputDocument(where, None, f"{where}: neither UTF-8 nor GB18030 (nor Big5) text")
                continue
            yield document_from_row(fields, columns, where, where)


def _gb18030_if_not_utf8(value: Any) -> Any:
    """A CSV field read as UTF-8 with undecodable bytes escaped: as it is when it has none,
    else its bytes read as GB18030; None when they are not GB18030 either."""
    if not isinstance(value, str) or is_encodable(value):
        return value
    try:
        return decode_chinese_legacy(value.encode("utf-8", "surrogateescape"))
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
            yield from read_folder(path)
        elif not path.exists():
            raise FileNotFoundError(f"input not found: {path}")
        elif path.suffix in JSONL_SUFFIXES:
            yield from _guarded(path, read_jsonl(path, columns))
        elif path.suffix in CSV_SUFFIXES:
            yield from _guarded(path, read_csv(path, columns))
        elif path.suffix in PARQUET_SUFFIXES:
            yield from _guarded(path, read_parquet(path, columns))
        else:
            yield read_text_file(path)


def _guarded(path: Path, documents: Iterator[InputDocument]) -> Iterator[InputDocument]:
    """``documents`` of the file ``path``, and an error row naming it if reading it fails (an
    unreadable or corrupt file): one bad input among several must not stop the run. The rows
    read before the failure are kept; the rest of that file is the error row."""
    count = 0
    try:
        for document in documents:
            count += 1
            yield document
    except Exception as error:  # OSError, a corrupt Parquet file (pyarrow's own errors), …
        detail = (str(error).splitlines() or [""])[0]
        after = f" after {count} rows" if count else ""
        yield InputDocument(f"{path.name}:{count + 1}" if count else path.name, None,
                            f"{path}: cannot be read{after} ({type(error).__name__}: {detail})")


def read_folder(folder: Path) -> Iterator[InputDocument]:
    """The ``.txt`` files of ``folder`` and its subfolders, sorted by path. Symbolic links are
    followed, and what cannot be walked gets an error row naming it rather than vanishing: a
    link that loops back to a folder above it, a broken link, a subfolder that cannot be read."""
    found: list[tuple[Path, InputDocument | Path]] = []
    seen: set[tuple[int, int]] = set()
    pending = [folder]  # a stack, not recursion: a folder may be nested deeper than Python recurses

    def problem(path: Path, message: str) -> None:
        found.append((path, InputDocument(path.name, None, f"{path}: {message}")))

    while pending:
        current = pending.pop()
        try:
            info = current.stat()
            if (info.st_dev, info.st_ino) in seen:
                problem(current, "a folder already read (a symbolic link loop, or a second link to it)")
                continue
            seen.add((info.st_dev, info.st_ino))
            children = sorted(current.iterdir())
        except OSError as error:
            problem(current, f"folder cannot be read ({error.strerror or error})")
            continue
        for child in children:
            if child.is_dir():
                pending.append(child)
            elif child.suffix in TEXT_SUFFIXES and (child.is_file() or child.is_symlink()):
                found.append((child, child))  # a broken link becomes an error row when read
    # Sorted by path as Path objects sort (part by part), as the folder was always read.
    for _, entry in sorted(found, key=lambda item: item[0]):
        yield read_text_file(entry) if isinstance(entry, Path) else entry


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
