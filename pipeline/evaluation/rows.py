"""Reading gold and predicted rows (docs/output.md) in every format ``newsie run`` writes:
JSONL, Parquet, and a folder holding a saved ``datasets`` dataset."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

ROW_FORMATS = ("jsonl", "parquet", "dataset")


def row_format(path: str | Path) -> str:
    """The format of a row file, from what it is: a folder is a saved dataset, a file starting
    with Parquet's magic bytes is Parquet, anything else is read as JSONL."""
    path = Path(path)
    if path.is_dir():
        return "dataset"
    if not path.is_file():
        raise FileNotFoundError(f"not found: {path}")
    with path.open("rb") as handle:
        return "parquet" if handle.read(4) == b"PAR1" else "jsonl"


def _jsonl_rows(path: Path) -> list[dict[str, Any]]:
    rows = []
    with path.open(encoding="utf-8") as handle:
        try:
            for line_number, line in enumerate(handle, start=1):
                if line.strip():
                    rows.append(json.loads(line))
        except json.JSONDecodeError as error:
            raise ValueError(f"{path}:{line_number}: invalid JSON ({error.msg})") from error
        except UnicodeDecodeError as error:
            raise ValueError(f"{path}: not UTF-8 JSONL, Parquet or a saved dataset ({error.reason})") from error
    return rows


def _without_nulls(row: dict[str, Any]) -> dict[str, Any]:
    # Parquet and datasets give every entity every field, null where its label has none.
    entities = [{k: v for k, v in entity.items() if v is not None} for entity in row.get("entities") or []]
    return {**row, "entities": entities}


def read_rows(path: str | Path) -> list[dict[str, Any]]:
    """All rows of a JSONL file, a Parquet file or a saved dataset, in order."""
    path = Path(path)
    fmt = row_format(path)
    if fmt == "jsonl":
        rows = _jsonl_rows(path)
    elif fmt == "parquet":
        import pyarrow.parquet as pq

        rows = [_without_nulls(row) for row in pq.read_table(path).to_pylist()]
    else:
        import datasets

        try:
            dataset = datasets.load_from_disk(str(path))
        except FileNotFoundError as error:
            raise ValueError(f"{path}: a folder, but not a saved dataset ({error})") from error
        rows = [_without_nulls(row) for row in dataset.to_list()]
    seen: dict[Any, int] = {}
    for number, row in enumerate(rows, start=1):
        if not isinstance(row, dict) or "id" not in row:
            raise ValueError(f"{path}: row {number} has no id (expected newsie's output schema, docs/output.md)")
        if row["id"] in seen:
            raise ValueError(f"{path}: rows {seen[row['id']]} and {number} have the same id {row['id']!r}")
        seen[row["id"]] = number
        check_entities(row, f"{path}: row {number} (id {row['id']!r})")
    return rows


def check_entities(row: dict[str, Any], where: str) -> None:
    """Raise a ValueError naming ``where`` unless every entity has a label and int offsets
    within the row's text (when it has one)."""
    entities = row.get("entities") or []
    if not isinstance(entities, list):
        raise ValueError(f"{where}: 'entities' is not a list")
    length = len(row["text"]) if isinstance(row.get("text"), str) else None
    for index, entity in enumerate(entities):
        start, end = (entity.get("start"), entity.get("end")) if isinstance(entity, dict) else (None, None)
        if not (isinstance(start, int) and isinstance(end, int) and 0 <= start < end
                and (length is None or end <= length) and isinstance(entity.get("label"), str)):
            raise ValueError(f"{where}: entity {index} is not {{start, end, label}} with 0 <= start < end"
                             + (f" <= {length}" if length is not None else "") + f": {entity!r}")
