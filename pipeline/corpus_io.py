"""Reading input documents and writing output rows.

Inputs are ``.txt`` files, folders of them, and JSONL files with ``id``/``text`` fields.
Every input document yields exactly one ``InputDocument``, in input order: a row that
cannot be read (bad JSON, no text, undecodable bytes) carries an ``error`` instead of
text, so the run goes on and the output still has one row for it. JSONL is read line by
line rather than with ``datasets.load_dataset("json")`` because that loader fails a whole
file on one malformed row, and the contract here is one output row per input row.
"""
from __future__ import annotations

import codecs
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable, Iterator, TextIO

TEXT_SUFFIXES = {".txt"}
JSONL_SUFFIXES = {".jsonl", ".ndjson"}
# Tried in order for .txt files without a byte-order mark.
FALLBACK_ENCODINGS = ("utf-8", "gb18030")


@dataclass(frozen=True)
class InputDocument:
    id: str
    text: str | None
    error: str | None = None


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
    return None


def read_text_file(path: Path) -> InputDocument:
    doc_id = path.stem
    try:
        text = decode_text(path.read_bytes(), str(path))
    except (OSError, UnicodeDecodeError) as error:
        return InputDocument(doc_id, None, f"{path}: {error}")
    problem = validate_text(text)
    return InputDocument(doc_id, text, f"{path}: {problem}" if problem else None)


def read_jsonl(path: Path, id_field: str = "id", text_field: str = "text") -> Iterator[InputDocument]:
    with path.open("rb") as handle:
        for line_number, raw in enumerate(handle, start=1):
            fallback_id = f"{path.name}:{line_number}"
            if not raw.strip():
                continue
            try:
                row = json.loads(raw.decode("utf-8"))
            except UnicodeDecodeError as error:
                yield InputDocument(fallback_id, None, f"{path}:{line_number}: not UTF-8 ({error.reason})")
                continue
            except json.JSONDecodeError as error:
                yield InputDocument(fallback_id, None, f"{path}:{line_number}: invalid JSON ({error.msg})")
                continue
            if not isinstance(row, dict):
                yield InputDocument(fallback_id, None, f"{path}:{line_number}: row is not a JSON object")
                continue
            doc_id = str(row.get(id_field) or fallback_id)
            text = row.get(text_field)
            problem = validate_text(text)
            yield InputDocument(doc_id, text if isinstance(text, str) else None,
                                f"{path}:{line_number}: {problem}" if problem else None)


def read_documents(inputs: Iterable[str | Path]) -> Iterator[InputDocument]:
    """Every document of the inputs, in order: files as given, folders sorted by path."""
    for item in inputs:
        path = Path(item)
        if path.is_dir():
            for child in sorted(p for p in path.rglob("*") if p.is_file() and p.suffix in TEXT_SUFFIXES):
                yield read_text_file(child)
        elif not path.exists():
            raise FileNotFoundError(f"input not found: {path}")
        elif path.suffix in JSONL_SUFFIXES:
            yield from read_jsonl(path)
        else:
            yield read_text_file(path)


def write_jsonl_row(handle: TextIO, row: dict[str, Any]) -> None:
    handle.write(json.dumps(row, ensure_ascii=False) + "\n")


def read_jsonl_rows(path: str | Path) -> list[dict[str, Any]]:
    """All rows of a JSONL file of newsie's schema (gold or predictions)."""
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"file not found: {path}")
    rows = []
    with path.open(encoding="utf-8") as handle:
        for line_number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                rows.append(json.loads(line))
            except json.JSONDecodeError as error:
                raise ValueError(f"{path}:{line_number}: invalid JSON ({error.msg})") from error
    return rows
