"""What ``newsie run`` tells its user: a progress bar with a total and an ETA where the input's
size can be known, one line per failed document, and a summary with the time to the first row.

``-q`` leaves only errors, including those of the libraries below (``datasets``' own progress
bars, Python warnings), in this process and in the worker processes it starts, which inherit
its environment. ``--log FILE`` appends the errors and the summary to FILE, with times.
"""
from __future__ import annotations

import csv
import logging
import os
import sys
import threading
import warnings
from contextlib import contextmanager
from pathlib import Path
from typing import Iterable, Iterator

from pipeline.corpus.readers import CSV_SUFFIXES, JSONL_SUFFIXES, PARQUET_SUFFIXES, STDIN, TEXT_SUFFIXES

LOGGER = logging.getLogger("newsie")

# Set for this process and inherited by spawned workers: what keeps the libraries quiet.
QUIET_ENVIRONMENT = {
    "HF_DATASETS_DISABLE_PROGRESS_BARS": "1",
    "DATASETS_VERBOSITY": "error",
    "HANLP_VERBOSE": "0",
    "PYTHONWARNINGS": "ignore",
    "TQDM_DISABLE": "1",
}


@contextmanager
def run_feedback(quiet: bool, log_file: str | None) -> Iterator[None]:
    """Errors always on standard error, the rest unless ``quiet``; all of it in ``log_file``.
    What it changes (the ``newsie`` logger's handlers, the environment, warning filters) is
    restored on exit, so that a caller running several commands in one process starts clean."""
    console = logging.StreamHandler(sys.stderr)
    console.setLevel(logging.ERROR if quiet else logging.INFO)
    console.setFormatter(logging.Formatter("%(message)s"))
    handlers: list[logging.Handler] = [console]
    if log_file:
        try:
            logged = logging.FileHandler(log_file, encoding="utf-8")
        except OSError as error:
            raise ValueError(f"--log {log_file}: cannot write it ({error.strerror})") from error
        logged.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(message)s"))
        handlers.append(logged)
    saved_environment = {name: os.environ.get(name) for name in QUIET_ENVIRONMENT}
    saved_logger = LOGGER.level, LOGGER.propagate
    LOGGER.setLevel(logging.INFO)
    LOGGER.propagate = False
    for handler in handlers:
        LOGGER.addHandler(handler)
    try:
        with warnings.catch_warnings():
            if quiet:
                os.environ.update(QUIET_ENVIRONMENT)
                warnings.simplefilter("ignore")
                _quiet_datasets()
            yield
    finally:
        for handler in handlers:
            LOGGER.removeHandler(handler)
            handler.close()
        LOGGER.level, LOGGER.propagate = saved_logger
        for name, value in saved_environment.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def _quiet_datasets() -> None:
    # datasets reads its environment when imported; once imported, it is told directly.
    if "datasets" in sys.modules:
        import datasets

        datasets.disable_progress_bars()
        datasets.logging.set_verbosity_error()


def _jsonl_rows(path: Path) -> int:
    # as read_jsonl_lines: a blank line is no row
    with path.open("rb") as handle:
        return sum(1 for line in handle if line.strip())


def _csv_rows(path: Path) -> int:
    csv.field_size_limit(2**31 - 1)
    with path.open(encoding="utf-8-sig", errors="replace", newline="") as handle:
        return max(0, sum(1 for _ in csv.reader(handle)) - 1)  # less the header


def _parquet_rows(path: Path) -> int:
    import pyarrow.parquet as pq

    return pq.ParquetFile(path).metadata.num_rows


def _saved_dataset_rows(path: Path, split: str) -> int:
    import datasets

    saved = datasets.load_from_disk(str(path))
    return len(saved[split] if isinstance(saved, datasets.DatasetDict) else saved)


def count_documents(inputs: Iterable[str], dataset: str | None = None, split: str = "train") -> int | None:
    """How many documents the inputs hold (one per row, text file or unreadable file), or None
    when that cannot be known before reading them: standard input, a Hub dataset, a file that
    cannot be read. A count that is off (a file changed meanwhile) only skews the ETA."""
    total = 0
    try:
        for item in inputs:
            if item == STDIN:
                return None
            path = Path(item)
            if path.is_dir():
                total += sum(1 for child in path.rglob("*") if child.suffix in TEXT_SUFFIXES and child.is_file())
            elif path.suffix in JSONL_SUFFIXES:
                total += _jsonl_rows(path)
            elif path.suffix in CSV_SUFFIXES:
                total += _csv_rows(path)
            elif path.suffix in PARQUET_SUFFIXES:
                total += _parquet_rows(path)
            else:
                total += 1
        if dataset:
            if not Path(dataset).exists():
                return None
            total += _saved_dataset_rows(Path(dataset), split)
    except Exception:  # the reader will say what is wrong with the file, in its row
        return None
    return total


class DocumentCount:
    """``count_documents`` in a background thread, so that counting a large corpus does not delay
    the first row; ``total`` is None until it is known (or if it cannot be)."""

    def __init__(self, inputs: Iterable[str], dataset: str | None, split: str) -> None:
        self.total: int | None = None
        self._thread = threading.Thread(target=self._count, args=(list(inputs), dataset, split), daemon=True,
                                        name="newsie-count")
        self._thread.start()

    def _count(self, inputs: list[str], dataset: str | None, split: str) -> None:
        self.total = count_documents(inputs, dataset, split)
