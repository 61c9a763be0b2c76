"""The output of ``newsie run`` is checked, and locked, before any model loads.

``-o`` never deletes or overwrites anything newsie did not create (docs/robustness.md):

- it may not be an input, nor lie inside an input folder, nor hold an input;
- an existing output is replaced only with ``--overwrite``, and only when it is a previous
  newsie output (a JSONL file of newsie rows, a Parquet file of newsie's schema, a saved
  dataset of it); a file or folder of anything else is refused even then;
- its parts folder (``OUTPUT.parts/``) is discarded only when it is newsie's (has newsie's
  manifest);
- one run at a time writes it: ``OutputLock`` holds an exclusive ``flock`` on
  ``OUTPUT.lock`` for the whole run, so a second run on the same ``-o`` stops at once
  instead of deleting the first one's parts.
"""
from __future__ import annotations

import errno
import fcntl
import json
import os
from pathlib import Path
from typing import Any, Iterable

from pipeline.corpus.provenance import DATASET_FILE
from pipeline.corpus.writers import ENTITY_FIELDS, ROW_FIELDS, is_newsie_parts

ROW_KEYS = set(ROW_FIELDS)
ENTITY_KEYS = set(ENTITY_FIELDS)
TRACE_KEYS = {"source", "link_confidence"}  # fields every entity newsie writes has, and gold's lack
# Files of a dataset saved by ``datasets.Dataset.save_to_disk``.
DATASET_FILES = {"state.json", "dataset_info.json"}


class OutputError(ValueError):
    """The output path cannot be used (a usage error: nothing has been written)."""


def _inside(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents


def _is_newsie_jsonl(path: Path, rows: int = 1000) -> bool:
    """Whether the first ``rows`` rows of a JSONL file are newsie's output rows. A gold file has
    the same row fields, so entities decide: newsie's carry the linking trace (``source``,
    ``link_confidence``), a gold file's do not. An empty file is an empty run's output. Rows may
    hold kept input columns besides their own fields (``--keep-columns``)."""
    with path.open("rb") as handle:
        for _, line in zip(range(rows), handle):
            row = json.loads(line)
            if not isinstance(row, dict) or not ROW_KEYS <= set(row) or not isinstance(row["entities"], list):
                return False
            for entity in row["entities"]:
                if not isinstance(entity, dict) or not TRACE_KEYS <= set(entity) <= ENTITY_KEYS:
                    return False
    return True


def is_newsie_output(path: Path, fmt: str) -> bool:
    """Whether ``path`` holds what a newsie run writes in format ``fmt``."""
    try:
        if fmt == "jsonl":
            return path.is_file() and _is_newsie_jsonl(path)
        if fmt == "parquet":
            import pyarrow.parquet as pq

            return path.is_file() and [n for n in pq.read_schema(path).names if n in ROW_KEYS] == list(ROW_FIELDS)
        if not path.is_dir():
            return False
        names = {child.name for child in path.iterdir()}
        if not DATASET_FILES <= names or any(not (n in DATASET_FILES or n == DATASET_FILE or n.endswith(".arrow"))
                                             for n in names):
            return False
        info = json.loads((path / "dataset_info.json").read_text(encoding="utf-8"))
        return ROW_KEYS <= set(info.get("features", {}))
    except Exception:  # unreadable, not JSON, not Parquet (pyarrow's own errors): not newsie's
        return False


def check_output(output: str | Path, fmt: str, inputs: Iterable[str | Path], overwrite: bool = False) -> None:
    """Raise ``OutputError`` when ``output`` may not be written (see the module's docstring)."""
    given = Path(output)
    target = given.resolve()
    parts = target.parent / (target.name + ".parts")
    lock = target.parent / (target.name + ".lock")
    for item in inputs:
        if str(item) == "-":
            continue
        source = Path(item).resolve()
        if target == source:
            raise OutputError(f"-o {given} is the input {item}: newsie never writes over its input")
        if source.is_dir() and any(_inside(path, source) for path in (target, parts, lock)):
            raise OutputError(f"-o {given} is inside the input folder {item}: write the output elsewhere")
        if _inside(source, target) or _inside(source, parts):
            raise OutputError(f"-o {given} holds the input {item}: write the output elsewhere")
    if target.exists() or target.is_symlink():
        if fmt in ("jsonl", "parquet") and target.is_dir():
            raise OutputError(f"-o {given} is a folder; a {fmt} output is a file (or use --format dataset)")
        if not is_newsie_output(target, fmt):
            kind = "folder" if target.is_dir() else "file"
            raise OutputError(f"-o {given} is an existing {kind} that is not a newsie {fmt} output; "
                              "newsie does not replace it: choose another path")
        if not overwrite:
            raise OutputError(f"-o {given} exists (a previous newsie output): give --overwrite to replace it")
    if parts.exists() and not (parts.is_dir() and is_newsie_parts(parts)):
        raise OutputError(f"{parts} exists and is not the parts folder of a newsie run; newsie does not "
                          "delete it: move it away or choose another -o")
    if lock.exists() and (not lock.is_file() or lock.stat().st_size):
        raise OutputError(f"{lock} exists and is not newsie's lock file: move it away or choose another -o")
    folder = target.parent
    while not folder.exists():
        folder = folder.parent
    if not folder.is_dir() or not os.access(folder, os.W_OK | os.X_OK):
        raise OutputError(f"-o {given}: cannot write in {folder}")


class OutputLock:
    """An exclusive lock on ``OUTPUT.lock`` for the duration of a run (a context manager).

    The lock file is removed on release; a run that finds the file already removed and
    re-created by another run (between its open and its lock) locks the new one instead."""

    def __init__(self, output: str | Path) -> None:
        target = Path(output).resolve()
        self.path = target.parent / (target.name + ".lock")
        self.descriptor: int | None = None

    def __enter__(self) -> "OutputLock":
        self.path.parent.mkdir(parents=True, exist_ok=True)
        while True:
            descriptor = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
            try:
                fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError as error:
                os.close(descriptor)
                if error.errno in (errno.EAGAIN, errno.EACCES):
                    raise OutputError(f"another newsie run is writing {self.path.with_suffix('')} "
                                      f"(it holds {self.path}); wait for it to finish") from None
                raise
            try:
                same = os.fstat(descriptor).st_ino == os.stat(self.path).st_ino
            except FileNotFoundError:
                same = False
            if same:
                self.descriptor = descriptor
                return self
            os.close(descriptor)  # the holder removed it as we opened it: lock the new one

    def __exit__(self, *exc_info: Any) -> None:
        if self.descriptor is not None:
            # Removed while still held, so no other run can lock the file we are about to drop.
            self.path.unlink(missing_ok=True)
            os.close(self.descriptor)
            self.descriptor = None
