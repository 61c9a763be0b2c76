"""Writing output rows so that a killed run loses nothing and corrupts nothing.

Rows are committed in part files in a folder beside the output (``OUTPUT.parts/``). A part
is written under a temporary name, flushed to disk, and renamed into place: a rename is
atomic, so at any moment every part file is complete, whatever killed the run (kill -9,
power loss). Part names carry the index of their first document and their counts, so
committing a part is one rename and no other state can disagree with it. When the last
row is in, the parts are assembled into the output (again under a temporary name, then
renamed) and the folder is removed. The output path therefore only ever holds a complete
result.

``--resume`` counts the documents of the committed parts and the run skips that many
input documents, so every input document ends up in the output exactly once.

Formats: JSONL (the schema of docs/output.md), Parquet and a saved Hugging Face
``datasets`` dataset, the last two with one Arrow schema (``row_schema``) in which every
entity has every entity field (null where its label has none). Input columns kept with
``--keep-columns`` follow the id (``with_columns``); in Parquet and datasets they are string
columns, a value that is not a string written as its JSON text. Each output records its
provenance (``pipeline/corpus/provenance.py``).
"""
from __future__ import annotations

import json
import math
import os
import re
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Sequence

from pipeline.corpus.provenance import DATASET_FILE, PARQUET_KEY, SIDECAR_SUFFIX
from pipeline.corpus.readers import is_encodable

if TYPE_CHECKING:
    import pyarrow as pa

FORMATS = ("jsonl", "parquet", "dataset")
SUFFIX_FORMATS = {".jsonl": "jsonl", ".ndjson": "jsonl", ".parquet": "parquet", "": "dataset"}
PART_SUFFIX = {"jsonl": ".jsonl", "parquet": ".parquet", "dataset": ".parquet"}
PART_NAME = re.compile(r"^part-(?P<first>\d{12})-n(?P<documents>\d+)-e(?P<errors>\d+)-c(?P<characters>\d+)\.\w+$")
MANIFEST = "manifest.json"
# What a parts folder may hold besides parts and part files being written (``.tmp``).
PARTS_EXTRAS = {MANIFEST, "cache", "dataset", "previous-output"}

# Every entity field, in the order of the Arrow schema (``row_schema``).
ENTITY_FIELDS: tuple[str, ...] = (
    "start", "end", "label", "text", "canonical", "metric", "value", "value_max", "currency", "unit",
    "qualifier", "per", "deadline", "period", "period_years", "condition", "clusters", "link_confidence",
    "link_evidence", "link_sentence", "link_model", "source",
)
ROW_FIELDS: tuple[str, ...] = ("id", "text", "entities", "warnings", "error")


def entity_field_types() -> dict[str, pa.DataType]:
    """The Arrow type of each entity field. pyarrow is imported only here and where Parquet and
    datasets are written: its import was 0.12 s of every run's start, JSONL runs included."""
    import pyarrow as pa

    integer, number, text = pa.int64(), pa.float64(), pa.string()
    types = {"start": integer, "end": integer, "deadline": integer, "value": number, "value_max": number,
             "link_confidence": number, "link_model": number, "period_years": pa.list_(integer),
             "clusters": pa.list_(text), "link_evidence": pa.list_(text), "link_sentence": pa.list_(integer)}
    return {name: types.get(name, text) for name in ENTITY_FIELDS}


def json_value(value: Any) -> Any:
    """An input value as JSON can hold it: dates and times as ISO text, other types (decimals,
    bytes) as their text, NaN (a missing number in pandas' Parquet) as null."""
    if value is None or isinstance(value, (str, bool, int)):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else (None if math.isnan(value) else str(value))
    if isinstance(value, dict):
        return {str(key): json_value(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [json_value(item) for item in value]
    return value.isoformat() if hasattr(value, "isoformat") else str(value)


def with_columns(row: dict[str, Any], columns: dict[str, Any]) -> dict[str, Any]:
    """``row`` with the kept input ``columns`` after its id. A column named like a field of the
    row (``text`` when the text is read from ``body``) is written as ``input_NAME``."""
    if not columns:
        return row
    kept = {(f"input_{name}" if name in ROW_FIELDS else name): json_value(value) for name, value in columns.items()}
    return {"id": row["id"], **kept, **{key: value for key, value in row.items() if key != "id"}}


def row_schema(extra_columns: Sequence[str] = ()) -> pa.Schema:
    """The Arrow schema of output rows (every entity has every entity field, null where its
    label has none), with the kept input columns, as strings, after the id."""
    import pyarrow as pa

    warning = pa.struct([("type", pa.string()), ("message", pa.string()), ("spans", pa.list_(pa.list_(pa.int64())))])
    return pa.schema([("id", pa.string()), *[(name, pa.string()) for name in extra_columns],
                      ("text", pa.string()), ("entities", pa.list_(pa.struct(list(entity_field_types().items())))),
                      ("warnings", pa.list_(warning)), ("error", pa.string())])


def _extra_columns(rows: list[dict[str, Any]]) -> list[str]:
    return list(dict.fromkeys(key for row in rows for key in row if key not in ROW_FIELDS))


def _as_text(value: Any) -> str | None:
    return value if value is None or isinstance(value, str) else json.dumps(value, ensure_ascii=False)


def output_format(output: str | Path, requested: str | None = None) -> str:
    """The format asked for with ``--format``, else the one the output's suffix names."""
    if requested:
        return requested
    suffix = Path(output).suffix.lower()
    if suffix not in SUFFIX_FORMATS:
        raise ValueError(f"cannot tell the output format from {output}: use .jsonl, .parquet, "
                         "a folder name without suffix (a saved dataset), or --format")
    return SUFFIX_FORMATS[suffix]


@dataclass
class Counts:
    documents: int = 0
    errors: int = 0
    characters: int = 0

    def add(self, other: "Counts") -> None:
        self.documents += other.documents
        self.errors += other.errors
        self.characters += other.characters


def writable(row: dict[str, Any]) -> tuple[dict[str, Any], bytes]:
    """``row`` and its JSONL line, or an error row in its place when the row is not strict
    UTF-8 JSON (a lone surrogate, an infinite number): one such row must not stop the run."""
    try:
        return row, (json.dumps(row, ensure_ascii=False, allow_nan=False) + "\n").encode("utf-8")
    except (ValueError, TypeError, UnicodeEncodeError) as error:
        # ``text`` and ``id`` are what may not encode; an escaped id still names the document.
        doc_id = str(row.get("id")).encode("utf-8", "backslashreplace").decode("utf-8")
        text = row.get("text")
        text = text if isinstance(text, str) and is_encodable(text) else None
        problem = f"row cannot be written as JSON ({type(error).__name__}: {error})"
        row = {"id": doc_id, "text": text, "entities": [], "warnings": [], "error": problem}
        return row, (json.dumps(row, ensure_ascii=False) + "\n").encode("utf-8")


def is_newsie_parts(parts: Path) -> bool:
    """Whether ``parts`` is the parts folder of a newsie run (its manifest and parts only)."""
    if not (parts / MANIFEST).is_file():
        return False
    return all(PART_NAME.match(child.name) or child.name in PARTS_EXTRAS or child.name.endswith(".tmp")
               for child in parts.iterdir())


def _fsync_folder(folder: Path) -> None:
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


class PartWriter:
    """Commits rows to ``OUTPUT.parts/`` and assembles the output at the end.

    ``manifest`` describes the run (inputs, config, options); a resumed run must have the
    same one, so that the skipped documents are the ones the parts hold.
    """

    def __init__(self, output: str | Path, fmt: str, manifest: dict[str, Any], resume: bool = False,
                 rows_per_part: int = 1000, chars_per_part: int = 16_000_000):
        self.output = Path(output)
        self.format = fmt
        self.parts = self.output.parent / (self.output.name + ".parts")
        self.rows_per_part = rows_per_part
        self.chars_per_part = chars_per_part
        self.buffer: list[dict[str, Any]] = []
        self.lines: list[bytes] = []  # the buffered rows as JSONL lines
        self.buffer_counts = Counts()
        self.resumed = Counts()
        self._open(manifest, resume)
        self.committed = Counts(**vars(self.resumed))

    def _open(self, manifest: dict[str, Any], resume: bool) -> None:
        manifest = {**manifest, "format": self.format}
        manifest_path = self.parts / MANIFEST
        if resume and manifest_path.is_file():
            previous = json.loads(manifest_path.read_text(encoding="utf-8"))
            if previous != manifest:
                raise ValueError(f"cannot resume: {self.parts} was written by a run with other inputs or "
                                 f"options ({previous}); run without --resume to start again")
            for counts in self._part_counts():
                self.resumed.add(counts)
            return
        if self.parts.exists():
            # Only a folder newsie made is discarded (the command line refuses any other first).
            if not is_newsie_parts(self.parts):
                raise ValueError(f"{self.parts} is not the parts folder of a newsie run; not deleting it")
            shutil.rmtree(self.parts)
        self.parts.mkdir(parents=True)
        self._write_atomically(manifest_path, lambda path: path.write_text(json.dumps(manifest), encoding="utf-8"))

    def _committed_parts(self) -> list[tuple[Path, re.Match[str]]]:
        # Temporary files of a part being written when the run died are not parts.
        found = [(path, PART_NAME.match(path.name)) for path in self.parts.iterdir()]
        parts = sorted(((path, match) for path, match in found if match), key=lambda item: item[0].name)
        expected_first = 0
        for path, match in parts:
            if int(match["first"]) != expected_first:
                raise ValueError(f"{self.parts}: parts are not contiguous at {path.name}")
            expected_first += int(match["documents"])
        return parts

    def _part_counts(self) -> list[Counts]:
        return [Counts(int(m["documents"]), int(m["errors"]), int(m["characters"])) for _, m in self._committed_parts()]

    def add(self, row: dict[str, Any]) -> dict[str, Any]:
        """Buffer ``row`` (committing a part when enough are buffered); return the row as written:
        an error row in its place when it cannot be written as strict UTF-8 JSON."""
        row, line = writable(row)
        self.buffer.append(row)
        self.lines.append(line)
        self.buffer_counts.add(Counts(1, 1 if row["error"] else 0, len(row["text"] or "")))
        if len(self.buffer) >= self.rows_per_part or self.buffer_counts.characters >= self.chars_per_part:
            self.commit()
        return row

    def commit(self) -> None:
        """Write the buffered rows as one part, atomically."""
        counts = self.buffer_counts
        name = (f"part-{self.committed.documents:012d}-n{counts.documents}-e{counts.errors}"
                f"-c{counts.characters}{PART_SUFFIX[self.format]}")
        self._write_atomically(self.parts / name, lambda path: self._write_part(path, self.buffer))
        self.committed.add(counts)
        self.buffer, self.lines, self.buffer_counts = [], [], Counts()

    def _write_part(self, path: Path, rows: list[dict[str, Any]]) -> None:
        if self.format == "jsonl":
            with path.open("wb") as handle:
                handle.writelines(self.lines)
        else:
            import pyarrow as pa
            import pyarrow.parquet as pq

            extra = _extra_columns(rows)
            if extra:
                rows = [{**row, **{name: _as_text(row.get(name)) for name in extra}} for row in rows]
            pq.write_table(pa.Table.from_pylist(rows, schema=row_schema(extra)), path)

    def _write_atomically(self, path: Path, write: Any) -> None:
        temporary = path.with_name(path.name + ".tmp")
        write(temporary)
        with temporary.open("rb+") as handle:
            os.fsync(handle.fileno())
        os.replace(temporary, path)
        _fsync_folder(path.parent)

    def finish(self, provenance: dict[str, Any] | None = None) -> Counts:
        """Commit what is left, assemble the output with its ``provenance``, remove the parts;
        the run's totals."""
        if self.buffer or not self._committed_parts():
            self.commit()  # an empty corpus still gets one (empty) part, so outputs are uniform
        parts = [path for path, _ in self._committed_parts()]
        recorded = json.dumps(provenance or {}, ensure_ascii=False, indent=1)
        if self.format == "dataset":
            self._assemble_dataset(parts, recorded)
        else:
            if self.format == "jsonl":
                sidecar = self.output.with_name(self.output.name + SIDECAR_SUFFIX)
                self._write_atomically(sidecar, lambda path: path.write_text(recorded, encoding="utf-8"))
            self._write_atomically(self.output, lambda path: self._concatenate(parts, path, recorded))
        shutil.rmtree(self.parts)
        return self.committed

    def _conformed(self, parts: list[Path]) -> pa.Schema:
        """The schema of all Parquet parts: parts whose rows kept other input columns (``'*'``
        over rows with different fields) are rewritten with the missing ones as nulls."""
        import pyarrow as pa
        import pyarrow.parquet as pq

        schemas = [pq.read_schema(part) for part in parts]
        extra = list(dict.fromkeys(name for schema in schemas for name in schema.names if name not in ROW_FIELDS))
        schema = row_schema(extra)
        for part, part_schema in zip(parts, schemas):
            if part_schema.names != schema.names:
                table = pq.read_table(part)
                columns = [table[name] if name in part_schema.names else pa.nulls(len(table), field.type)
                           for name, field in zip(schema.names, schema)]
                self._write_atomically(part, lambda path: pq.write_table(pa.table(columns, schema=schema), path))
        return schema

    def _concatenate(self, parts: list[Path], path: Path, provenance: str) -> None:
        if self.format == "jsonl":
            with path.open("wb") as output:
                for part in parts:
                    with part.open("rb") as handle:
                        shutil.copyfileobj(handle, output)
            return
        import pyarrow.parquet as pq

        schema = self._conformed(parts)
        # One part in memory at a time.
        with pq.ParquetWriter(path, schema.with_metadata({PARQUET_KEY: provenance.encode("utf-8")})) as writer:
            for part in parts:
                writer.write_table(pq.read_table(part, schema=schema))

    def _assemble_dataset(self, parts: list[Path], provenance: str) -> None:
        import datasets

        schema = self._conformed(parts)
        # from_parquet converts to memory-mapped Arrow in a cache inside the parts folder,
        # so the corpus is never in memory and the cache goes away with the folder.
        dataset = datasets.Dataset.from_parquet([str(p) for p in parts], cache_dir=str(self.parts / "cache"),
                                                features=datasets.Features.from_arrow_schema(schema))
        staging = self.parts / "dataset"
        dataset.save_to_disk(str(staging))
        (staging / DATASET_FILE).write_text(provenance, encoding="utf-8")
        # A folder cannot replace another atomically: move the old one aside first.
        if self.output.exists():
            retired = self.parts / "previous-output"
            os.replace(self.output, retired)
        os.replace(staging, self.output)
        _fsync_folder(self.output.parent)
