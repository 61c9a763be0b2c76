"""Running the pipeline over a stream of documents, one output row per input document.

Documents go through ``nlp.pipe`` in batches. If a batch raises, its documents are run one
by one so that only the document at fault gets an ``error`` row and the others are kept.
"""
from __future__ import annotations

from typing import Any, Iterable, Iterator

from spacy.language import Language

from pipeline.corpus_io import InputDocument
from pipeline.export import doc_record, error_record


def _process_one(nlp: Language, item: InputDocument) -> dict[str, Any]:
    try:
        return doc_record(item.id, nlp(item.text))
    except Exception as error:  # one bad document must not stop the run
        return error_record(item.id, item.text, f"{type(error).__name__}: {error}")


def _process_batch(nlp: Language, batch: list[InputDocument]) -> list[dict[str, Any]]:
    rows: dict[int, dict[str, Any]] = {}
    runnable = []
    for index, item in enumerate(batch):
        if item.error:
            rows[index] = error_record(item.id, item.text, item.error)
        elif len(item.text) > nlp.max_length:
            rows[index] = error_record(
                item.id, None, f"document of {len(item.text)} characters is longer than the limit "
                               f"of {nlp.max_length} (nlp.max_length)")
        else:
            runnable.append(index)
    try:
        docs = list(nlp.pipe(batch[index].text for index in runnable))
        for index, doc in zip(runnable, docs):
            rows[index] = doc_record(batch[index].id, doc)
    except Exception:
        for index in runnable:
            rows[index] = _process_one(nlp, batch[index])
    return [rows[index] for index in range(len(batch))]


def process_documents(nlp: Language, documents: Iterable[InputDocument], batch_size: int = 32) -> Iterator[dict[str, Any]]:
    """Output rows for ``documents``, in the same order, one per document."""
    batch: list[InputDocument] = []
    for item in documents:
        batch.append(item)
        if len(batch) >= batch_size:
            yield from _process_batch(nlp, batch)
            batch = []
    if batch:
        yield from _process_batch(nlp, batch)
