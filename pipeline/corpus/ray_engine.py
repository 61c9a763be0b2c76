"""Running the pipeline on Ray Data: an actor pool, one pipeline per actor, on a local Ray
instance or an existing cluster (docs/scale.md).

The driver reads the inputs with the same readers as a local run and writes the output
with the same writer (so ``--resume`` and error rows work the same); the cluster does the
NLP, which is where the time goes. Documents are sent in windows of about
``WINDOW_CHARS`` characters, each a ``ray.data`` dataset mapped by the actor pool, so the
driver's memory stays flat. Ray Data keeps the order of rows (``preserve_order``), so
the output is the same as a local run's. Rows travel back as JSON strings: entities of
different labels have different fields, which one Arrow column type cannot hold exactly.
"""
from __future__ import annotations

import json
from typing import Any, Iterable, Iterator

from pipeline.corpus.workers import load_worker_pipeline, tasks_of
from pipeline.corpus.readers import InputDocument
from pipeline.corpus.runner import process_documents
from pipeline.settings import DEFAULT_MAX_PIECE_CHARS

# Each window starts a new actor pool (each actor loading the pipeline), so windows are
# large; this many characters of text are held by the driver and the object store at once.
WINDOW_CHARS = 64_000_000
WINDOW_DOCUMENTS = 200_000


class PipelineActor:
    """A Ray Data actor: loads the pipeline once, then maps batches of documents to rows."""

    def __init__(self, config: str, overrides: dict[str, Any] | None, batch_size: int, max_piece_chars: int):
        self.nlp = load_worker_pipeline(config, overrides)
        self.batch_size = batch_size
        self.max_piece_chars = max_piece_chars

    def __call__(self, batch: Any) -> dict[str, list[str]]:
        documents = [InputDocument(row["id"], row["text"], row["error"]) for row in batch.to_pylist()]
        rows = process_documents(self.nlp, documents, self.batch_size, self.max_piece_chars)
        return {"row": [json.dumps(row, ensure_ascii=False) for row in rows]}


def ray_rows(documents: Iterable[InputDocument], config: str, workers: int = 1, batch_size: int = 32,
             max_piece_chars: int = DEFAULT_MAX_PIECE_CHARS, address: str | None = None,
             window_chars: int = WINDOW_CHARS, overrides: dict[str, Any] | None = None) -> Iterator[dict[str, Any]]:
    """Output rows of ``documents`` in input order, computed by ``workers`` Ray actors."""
    import ray

    started_here = not ray.is_initialized()
    if started_here:
        # No address: a local Ray instance with one CPU per actor.
        ray.init(address=address, num_cpus=None if address else workers,
                 include_dashboard=False, log_to_driver=False)
    try:
        context = ray.data.DataContext.get_current()
        context.execution_options.preserve_order = True
        context.enable_progress_bars = False
        for window in tasks_of(documents, WINDOW_DOCUMENTS, window_chars):
            items = [{"id": d.id, "text": d.text, "error": d.error} for d in window]
            dataset = ray.data.from_items(items, override_num_blocks=max(1, min(len(items), workers * 4)))
            mapped = dataset.map_batches(PipelineActor, fn_constructor_args=(config, overrides, batch_size, max_piece_chars),
                                         compute=ray.data.ActorPoolStrategy(size=workers), num_cpus=1,
                                         batch_size=batch_size,
                                         batch_format="pyarrow")
            for batch in mapped.iter_batches(batch_size=None, batch_format="pyarrow"):
                for row in batch.column("row").to_pylist():
                    yield json.loads(row)
    finally:
        if started_here:
            ray.shutdown()
