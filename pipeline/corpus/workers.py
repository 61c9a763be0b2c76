"""Running the pipeline over a corpus on this machine: one process
(``process_documents(load_worker_pipeline(config), documents)``), or N worker processes
(``WorkerPool``).

With N workers, documents are sent to a pool of N processes in tasks of a few documents.
Where the system can fork (Linux, macOS), the pipeline is loaded once, in this process, and
the workers are forked from it: they start at once and share the loaded models' memory
(copy on write; ``gc.freeze`` keeps the collector from touching those pages). Elsewhere
(``spawn``) each worker loads the pipeline when it starts. Results come back in input order,
whatever order the workers finish in, so the output is the same as a one-process run.
At most two tasks per worker are in flight, so memory stays flat however long the corpus.
"""
from __future__ import annotations

import gc
import multiprocessing
import os
import pickle
import signal
import threading
import time
from collections import deque
from concurrent.futures import Future, ProcessPoolExecutor
from typing import TYPE_CHECKING, Any, Iterable, Iterator

from pipeline.corpus.feedback import LOGGER
from pipeline.corpus.readers import InputDocument
from pipeline.settings import DEFAULT_MAX_PIECE_CHARS

if TYPE_CHECKING:
    from spacy.language import Language

# A task holds at most this many characters (or one longer document), so that one task
# cannot hold up the others for long and the in-flight documents stay small.
TASK_CHARS = 200_000
TASKS_IN_FLIGHT_PER_WORKER = 2

# The pipeline of a worker process, loaded once by ``_start_worker`` (or why it could not be).
# It lives in the worker's module namespace because that is the only state a pool task can reach.
_worker_nlp: Language | None = None
_worker_error: Exception | None = None


def load_worker_pipeline(config: str, overrides: dict[str, Any] | None = None) -> Language:
    """The pipeline for one of N worker processes (or Ray actors) that share N cores, or for a
    run in one process, which is one core's worth of work as each worker is: parallelism
    comes from the workers, so N workers scale against one process."""
    import torch

    from pipeline.language import check_overrides, load_pipeline

    # torch's own thread pool in each worker would oversubscribe the cores.
    torch.set_num_threads(1)
    # an unknown setting named plainly, rather than in spaCy's validation of the whole config
    check_overrides(config, overrides or {})
    nlp = load_pipeline(config, overrides)
    # The loaded models are hundreds of thousands of objects that live as long as the process;
    # moved out of the garbage collector's reach, they are no longer rescanned by every full
    # collection (5% of a 1.1M-character run's time, docs/scale.md).
    gc.freeze()
    return nlp


def checked_workers(workers: int, engine: str) -> int:
    """``--workers``, refused below 1, and for a local run cut to this machine's cores (each
    worker needs a few hundred MB of its own: more workers than cores only cost memory)."""
    if workers < 1:
        raise ValueError(f"--workers {workers}: give 1 or more")
    cores = os.cpu_count() or 1
    if engine == "local" and workers > cores:
        LOGGER.warning(f"newsie: --workers {workers} is more than the {cores} cores here; using {cores}")
        return cores
    return workers


def _watch_parent(parent: int, interval: float = 1.0) -> None:
    """End this worker once its parent is gone: a main process killed with ``kill -9`` cannot
    stop its pool, whose workers (most of a GB each) would otherwise wait for tasks forever."""
    while os.getppid() == parent:
        time.sleep(interval)
    os._exit(1)


def _prepare_worker(parent: int | None) -> None:
    # Ctrl-C reaches the whole process group: the main process stops the pool; a worker's own
    # KeyboardInterrupt would only print a traceback.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if parent is not None:
        threading.Thread(target=_watch_parent, args=(parent,), daemon=True, name="newsie-watch-parent").start()


def _adopt_pipeline(nlp: Language, parent: int | None = None) -> None:
    """A forked worker's start: the pipeline its parent loaded (passed by the fork, not pickled)."""
    global _worker_nlp
    _prepare_worker(parent)
    _worker_nlp = nlp


def _start_worker(config: str, overrides: dict[str, Any] | None, parent: int | None = None) -> None:
    global _worker_nlp, _worker_error
    _prepare_worker(parent)
    # An error here is kept and raised by this worker's tasks: raised in an initializer, it
    # would only break the pool, and the caller would not learn why.
    try:
        _worker_nlp = load_worker_pipeline(config, overrides)
    except Exception as error:
        _worker_error = _sendable(error)


def _sendable(error: Exception) -> Exception:
    """``error`` if it survives pickling back to the main process, else an exception of its
    nearest built-in class with its message (spaCy's config errors hold the pipeline itself)."""
    try:
        pickle.loads(pickle.dumps(error))
        return error
    except Exception:
        builtin = next(cls for cls in type(error).__mro__ if cls.__module__ == "builtins")
        return builtin(str(error))


def _loaded() -> None:
    if _worker_error is not None:
        raise _worker_error


def _run_task(documents: list[InputDocument], batch_size: int, max_piece_chars: int) -> list[dict[str, Any]]:
    from pipeline.corpus.runner import process_documents

    _loaded()
    return list(process_documents(_worker_nlp, documents, batch_size, max_piece_chars))


def tasks_of(documents: Iterable[InputDocument], max_documents: int, max_chars: int = TASK_CHARS) -> Iterator[list[InputDocument]]:
    """Consecutive groups of documents, each of at most ``max_documents`` and about ``max_chars``."""
    task: list[InputDocument] = []
    chars = 0
    for document in documents:
        task.append(document)
        chars += len(document.text or "")
        if len(task) >= max_documents or chars >= max_chars:
            yield task
            task, chars = [], 0
    if task:
        yield task


class WorkerPool:
    """``workers`` processes, each running the pipeline of ``config`` with ``overrides``.

    The processes start, and load the pipeline, as soon as the pool is made, so a caller can
    make it first and get ready while they load. Use it as a context manager, or call ``close``."""

    def __init__(self, config: str, workers: int, overrides: dict[str, Any] | None = None,
                 start_method: str | None = None) -> None:
        """``start_method``: ``"fork"`` (load here, fork the workers; the default where the system
        forks) or ``"spawn"`` (each worker loads; a bad config is then raised by
        ``wait_until_loaded``)."""
        self.workers = workers
        start_method = start_method or ("fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn")
        if start_method == "fork":
            # Forking is safe here because the pipeline runs torch on one thread
            # (load_worker_pipeline) and has run nothing yet: no thread pool to inherit half-held.
            initializer, initargs = _adopt_pipeline, (load_worker_pipeline(config, overrides), os.getpid())
        else:
            initializer, initargs = _start_worker, (config, overrides, os.getpid())
        self._executor = ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context(start_method),
                                             initializer=initializer, initargs=initargs)
        # The executor starts a process for a task given while none is idle: one task per worker
        # now starts them all at once, so that they load side by side.
        self._loads = [self._executor.submit(_loaded) for _ in range(workers)]

    def wait_until_loaded(self) -> None:
        """Return once a worker has loaded the pipeline; raise what stopped it if it could not
        (a bad config, override or model path: the same for every worker)."""
        self._loads[0].result()

    def rows(self, documents: Iterable[InputDocument], batch_size: int = 32,
             max_piece_chars: int = DEFAULT_MAX_PIECE_CHARS) -> Iterator[dict[str, Any]]:
        """Output rows of ``documents``, in input order."""
        pending: deque[Future] = deque()
        for task in tasks_of(documents, batch_size):
            pending.append(self._executor.submit(_run_task, task, batch_size, max_piece_chars))
            if len(pending) >= self.workers * TASKS_IN_FLIGHT_PER_WORKER:
                yield from pending.popleft().result()
        while pending:
            yield from pending.popleft().result()

    def close(self) -> None:
        self._executor.shutdown(wait=True, cancel_futures=True)

    def __enter__(self) -> "WorkerPool":
        return self

    def __exit__(self, *exc_info: Any) -> None:
        self.close()
