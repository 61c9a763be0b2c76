"""Running the pipeline over a stream of documents, one output row per input document.

Documents go through ``nlp.pipe`` in batches. If a batch raises, its documents are run one
by one so that only the document at fault gets an ``error`` row and the others are kept.

A document longer than ``max_piece_chars`` is run in pieces cut at paragraph breaks (else
at sentence ends, else anywhere), and the pieces' entities and warnings are shifted back to
offsets in the whole text, so offsets stay exact. The trade-off: each piece is analysed on
its own, so what the stages relate across a whole document is only related within a piece —
a conflict between amounts in two pieces is not reported, a name found in one piece is not
propagated to its repetitions in another, a short name is resolved only against full names
of its own piece, and the two-digit-year check looks for four-digit years in the piece only.
A hard cut (no break in the second half of a piece) can also split a mention. Pieces keep
memory and time per document bounded; news articles are far shorter than the default.
"""
from __future__ import annotations

import re
import signal
import threading
from contextlib import contextmanager
from itertools import islice
from typing import Any, Iterable, Iterator

from spacy.language import Language

from pipeline.corpus.readers import InputDocument
from pipeline.corpus.records import doc_record, error_record
from pipeline.settings import DEFAULT_MAX_PIECE_CHARS

PARAGRAPH_BREAK = re.compile(r"\n")
SENTENCE_END = re.compile(r"[。！？!?；;]")


def _last_break(pattern: re.Pattern[str], text: str, start: int, end: int) -> int | None:
    """Offset just after the last match of ``pattern`` in ``text[start:end]``."""
    cut = None
    for match in pattern.finditer(text, start, end):
        cut = match.end()
    return cut


def piece_bounds(text: str, max_chars: int) -> list[tuple[int, int]]:
    """(start, end) ranges that cover ``text`` in order, each at most ``max_chars`` long."""
    bounds, start = [], 0
    while len(text) - start > max_chars:
        # Look for a break in the second half of the window only, so pieces stay large.
        low, high = start + max_chars // 2, start + max_chars
        cut = (_last_break(PARAGRAPH_BREAK, text, low, high)
               or _last_break(SENTENCE_END, text, low, high) or high)
        bounds.append((start, cut))
        start = cut
    bounds.append((start, len(text)))
    return bounds


def _shift_entity(entity: dict[str, Any], offset: int) -> dict[str, Any]:
    return {**entity, "start": entity["start"] + offset, "end": entity["end"] + offset}


def _shift_warning(warning: dict[str, Any], offset: int) -> dict[str, Any]:
    return {**warning, "spans": [[start + offset, end + offset] for start, end in warning["spans"]]}


def merge_pieces(text: str, pieces: list[tuple[tuple[int, int], dict[str, Any]]]) -> dict[str, Any]:
    """One row for the whole ``text`` from the rows of its pieces, offsets shifted back."""
    merged = dict(pieces[0][1])
    merged["text"] = text
    merged["entities"] = [_shift_entity(e, start) for (start, _), row in pieces for e in row["entities"]]
    merged["warnings"] = [_shift_warning(w, start) for (start, _), row in pieces for w in row["warnings"]]
    return merged


def _row_of_pieces(item: InputDocument, bounds: list[tuple[int, int]], docs: Iterable[Any]) -> dict[str, Any]:
    # Each piece's Doc becomes a row as soon as it is made, so a long document's Docs
    # are never all held at once.
    piece_rows = [doc_record(item.id, doc, item.text[start:end]) for (start, end), doc in zip(bounds, docs)]
    if len(piece_rows) == 1:
        return piece_rows[0]
    return merge_pieces(item.text, list(zip(bounds, piece_rows)))


class OverBudget(Exception):
    """A document took longer than the pipeline's time budget (``[newsie] piece_seconds``)."""


def time_budget(nlp: Language) -> float | None:
    """Seconds one piece of a document may take (config ``[newsie] piece_seconds``), or None."""
    seconds = (nlp.config.get("newsie") or {}).get("piece_seconds")
    return float(seconds) if seconds else None


@contextmanager
def time_limit(seconds: float | None) -> Iterator[None]:
    """Raise ``OverBudget`` in the block once ``seconds`` have passed (SIGALRM: the regex engine
    and Python code stop at once). A no-op without a budget, or outside the main thread, where
    no signal can be delivered (then the grammars' own bounds are what keep a document finite)."""
    if not seconds or threading.current_thread() is not threading.main_thread():
        yield
        return

    def stop(signum: int, frame: Any) -> None:
        raise OverBudget(f"took longer than the time budget of {seconds:g} s "
                         "(config [newsie] piece_seconds, per piece of --max-piece-chars characters)")

    previous = signal.signal(signal.SIGALRM, stop)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _process_one(nlp: Language, item: InputDocument, max_piece_chars: int) -> dict[str, Any]:
    try:
        bounds = piece_bounds(item.text, max_piece_chars)
        budget = time_budget(nlp)
        with time_limit(budget * len(bounds) if budget else None):
            return _row_of_pieces(item, bounds, (nlp(item.text[start:end]) for start, end in bounds))
    except Exception as error:  # one bad document must not stop the run
        return error_record(item.id, item.text, f"{type(error).__name__}: {error}")


def _process_batch(nlp: Language, batch: list[InputDocument], max_piece_chars: int) -> list[dict[str, Any]]:
    # spaCy keeps every string a text brings (its StringStore and lexemes) for the life of the
    # pipeline: 42,054 strings for 6,000 CLUENER sentences, without bound over a corpus. A memory
    # zone frees what the batch added once its rows (plain dicts) are made; same rows.
    with nlp.memory_zone():
        return _rows_of_batch(nlp, batch, max_piece_chars)


def _rows_of_batch(nlp: Language, batch: list[InputDocument], max_piece_chars: int) -> list[dict[str, Any]]:
    rows: dict[int, dict[str, Any]] = {}
    pieces: dict[int, list[tuple[int, int]]] = {}
    for index, item in enumerate(batch):
        if item.error:
            rows[index] = error_record(item.id, item.text, item.error)
        else:
            pieces[index] = piece_bounds(item.text, max_piece_chars)
    budget = time_budget(nlp)
    try:
        # The batch may take the budget of all its pieces; over it, the documents are run one by
        # one below, each with its own budget, so that only the runaway one becomes an error row.
        with time_limit(budget * sum(map(len, pieces.values())) if budget else None):
            docs = nlp.pipe(batch[index].text[start:end] for index, bounds in pieces.items() for start, end in bounds)
            for index, bounds in pieces.items():
                rows[index] = _row_of_pieces(batch[index], bounds, islice(docs, len(bounds)))
    except Exception:
        # Rows already made are kept; the rest are run one by one to find the culprit.
        for index in pieces:
            if index not in rows:
                rows[index] = _process_one(nlp, batch[index], max_piece_chars)
    return [rows[index] for index in range(len(batch))]


def process_documents(nlp: Language, documents: Iterable[InputDocument], batch_size: int = 32,
                      max_piece_chars: int = DEFAULT_MAX_PIECE_CHARS) -> Iterator[dict[str, Any]]:
    """Output rows for ``documents``, in the same order, one per document."""
    # No piece may exceed the length spaCy accepts.
    max_piece_chars = min(max_piece_chars, nlp.max_length)
    batch: list[InputDocument] = []
    for item in documents:
        batch.append(item)
        if len(batch) >= batch_size:
            yield from _process_batch(nlp, batch, max_piece_chars)
            batch = []
    if batch:
        yield from _process_batch(nlp, batch, max_piece_chars)
