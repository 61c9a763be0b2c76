"""Throughput and memory of ``newsie run`` on a synthetic corpus of news-like text.

The corpus is made from the bundled articles (annotations/*.txt): documents of a random
number of paragraphs, drawn in random order, so documents vary in length and content.

Prints the time to the first row of a whole ``newsie run`` on one short document (three
runs), characters per second for the full pipeline in one process and for ``jieba.lcut``
alone over the same texts, their ratio (of whole runs, and of the two timed in turns on the
same stretches of the corpus, which this VM's drift cannot bias), each part's share of the
pipeline's time (reading, the tokenizer, each component, the ORG models apart, the rows), the
wall time of whole ``newsie run`` commands with 1 and 2 workers and their scaling factor, and the peak resident
memory of a whole ``newsie run`` (measured in a child process) on corpora of two sizes.

    python benchmarks/throughput.py                                   # 20 MB; RSS on 10 and 100 MB
    python benchmarks/throughput.py --size-mb 1 --rss-sizes-mb 1 5     # a quick run
    python benchmarks/throughput.py --only memory                     # RSS alone (timing-insensitive)
    python benchmarks/throughput.py --only shares --size-mb 1         # each stage's share of the time
    python benchmarks/throughput.py --only first-row                  # the first row alone
    python benchmarks/throughput.py --only scaling --size-mb 20       # 1 and 2 workers, whole commands
    python benchmarks/throughput.py --set components.newsie_recognize.org_model=models/org_ner_small
"""
from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT_ROOT))
# The stage shares are measured on this many characters of the corpus (about 3 MB).
SHARES_CHARACTERS = 1_000_000
# A short news sentence (not from the bundled articles) for the time to the first row.
ONE_DOCUMENT = "某新材料公司计划投资5亿元在高新区建设锂电池隔膜项目，预计2026年投产。"

from pipeline.corpus.workers import load_worker_pipeline  # noqa: E402
from pipeline.corpus.readers import read_documents  # noqa: E402
from pipeline.settings import DEFAULT_CONFIG, DEFAULT_MAX_PIECE_CHARS, parse_overrides  # noqa: E402
from pipeline.corpus.records import doc_record  # noqa: E402
from pipeline.corpus.runner import piece_bounds, process_documents  # noqa: E402
from pipeline.corpus.writers import PartWriter  # noqa: E402


def bundled_paragraphs() -> list[str]:
    paragraphs = []
    for path in sorted((PROJECT_ROOT / "annotations").glob("*.txt")):
        paragraphs += [line.strip() for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return paragraphs


def write_corpus(path: Path, size_mb: float, seed: int = 0) -> int:
    """A JSONL corpus of at least ``size_mb`` MB of UTF-8 text; returns its character count."""
    paragraphs = bundled_paragraphs()
    rng = random.Random(seed)
    target_bytes, written_bytes, characters, index = size_mb * 1_000_000, 0, 0, 0
    with path.open("w", encoding="utf-8") as handle:
        while written_bytes < target_bytes:
            # Mostly short articles, some long ones (lognormal number of paragraphs).
            count = max(1, min(200, int(rng.lognormvariate(2.0, 0.9))))
            text = "\n".join(rng.choice(paragraphs) for _ in range(count))
            handle.write(json.dumps({"id": f"doc{index}", "text": text}, ensure_ascii=False) + "\n")
            written_bytes += len(text.encode("utf-8"))
            characters += len(text)
            index += 1
    return characters


def pipeline_chars_per_second(corpus: Path, config: str, out: Path,
                              overrides: dict | None = None) -> tuple[float, float, float]:
    """(characters/s of the whole run, seconds to the first row, characters/s after it) of the
    pipeline in this process.

    The whole run includes loading the models; the rate after the first row leaves loading
    out, which is what a long run sees. It is biased up a little by the rows that arrive
    together with the first one (one batch)."""
    started = time.perf_counter()
    first_row_at, characters_at_first = None, 0
    writer = PartWriter(out, "jsonl", {"benchmark": str(corpus)})
    for row in process_documents(load_worker_pipeline(config, overrides), read_documents([corpus])):
        writer.add(row)
        if first_row_at is None:
            first_row_at, characters_at_first = time.perf_counter(), len(row["text"] or "")
    totals = writer.finish()
    ended = time.perf_counter()
    after_first = (totals.characters - characters_at_first) / (ended - first_row_at)
    return totals.characters / (ended - started), first_row_at - started, after_first


def jieba_chars_per_second(corpus: Path) -> float:
    import jieba

    jieba.initialize()  # the dictionary loads once, outside the timing
    characters, seconds = 0, 0.0
    for document in read_documents([corpus]):
        started = time.perf_counter()
        jieba.lcut(document.text)
        seconds += time.perf_counter() - started
        characters += len(document.text)
    return characters / seconds


def interleaved_chars_per_second(corpus: Path, config: str, overrides: dict | None = None,
                                 segments: int = 20) -> tuple[float, float]:
    """(jieba's, the one-process pipeline's) characters/s, timed in turns on the same stretches.

    This VM's speed drifts by a fifth within minutes, so two rates measured one after the other
    can differ by the drift alone. Here the corpus is cut into ``segments`` stretches and each
    one is segmented by jieba and run through the loaded pipeline (rows made and JSON-encoded,
    as a run writes them) back to back, the order alternating: both rates see the same drift.
    Both leave out their one-time loading, as ``jieba_chars_per_second`` does."""
    import jieba

    jieba.initialize()
    nlp = load_worker_pipeline(config, overrides)
    documents = list(read_documents([corpus]))
    size = -(-len(documents) // segments)
    seconds = {"jieba": 0.0, "pipeline": 0.0}

    def run_jieba(stretch: list) -> None:
        for document in stretch:
            jieba.lcut(document.text)

    def run_pipeline(stretch: list) -> None:
        for row in process_documents(nlp, stretch):
            json.dumps(row, ensure_ascii=False)

    for index in range(0, len(documents), size):
        stretch = documents[index:index + size]
        turns = [("jieba", run_jieba), ("pipeline", run_pipeline)]
        for name, run in (turns if (index // size) % 2 == 0 else turns[::-1]):
            started = time.perf_counter()
            run(stretch)
            seconds[name] += time.perf_counter() - started
    characters = sum(len(document.text) for document in documents)
    return characters / seconds["jieba"], characters / seconds["pipeline"]


def stage_seconds(corpus: Path, config: str, overrides: dict | None = None, batch_size: int = 32,
                  max_characters: int = SHARES_CHARACTERS) -> dict[str, float]:
    """Seconds each part of the one-process pipeline takes over the first ``max_characters``
    of ``corpus`` (its first documents holding them; the shares do not need more): reading the
    documents, the tokenizer, each component of ``nlp.pipeline`` (the recognize stage's calls
    of its ORG models apart, as "ORG models"), and making and JSON-encoding the rows.

    Documents are cut into pieces as ``process_documents`` cuts them, and the components run
    one after the other over each batch of ``batch_size`` pieces, as ``nlp.pipe`` runs them,
    but each is timed on its own."""
    nlp = load_worker_pipeline(config, overrides)
    seconds: dict[str, float] = defaultdict(float)
    started = time.perf_counter()
    documents, characters = [], 0
    for document in read_documents([corpus]):
        if characters >= max_characters:
            break
        if document.error:  # no text to run
            continue
        documents.append(document)
        characters += len(document.text)
    seconds["reading"] = time.perf_counter() - started
    max_piece_chars = min(DEFAULT_MAX_PIECE_CHARS, nlp.max_length)
    pieces = [(document.id, document.text[start:end]) for document in documents
              for start, end in piece_bounds(document.text, max_piece_chars)]
    if pieces:
        nlp(pieces[0][1])  # what loads at the first text (jieba-rs's dictionary) is loading, not a stage's time
    recognizer = nlp.get_pipe("newsie_recognize") if "newsie_recognize" in nlp.pipe_names else None
    models = [model for model in (recognizer.org_model, recognizer.news_model) if model] if recognizer else []
    for model in models:
        model.predict = _timed(model.predict, seconds, "ORG models")  # shadows the method, undone below
    try:
        for index in range(0, len(pieces), batch_size):
            batch = pieces[index:index + batch_size]
            started = time.perf_counter()
            docs = [nlp.make_doc(text) for _, text in batch]
            seconds["tokenizer"] += time.perf_counter() - started
            for name, component in nlp.pipeline:
                models_before, started = seconds["ORG models"], time.perf_counter()
                docs = list(component.pipe(docs, batch_size=batch_size) if hasattr(component, "pipe")
                            else map(component, docs))
                # the models' time is counted apart, not in the component that calls them
                seconds[name] += time.perf_counter() - started - (seconds["ORG models"] - models_before)
            started = time.perf_counter()
            for (identifier, text), doc in zip(batch, docs):
                json.dumps(doc_record(identifier, doc, text), ensure_ascii=False)
            seconds["rows"] += time.perf_counter() - started
    finally:
        for model in models:
            del model.predict
    return dict(seconds)


def _timed(function, seconds: dict[str, float], key: str):
    def timed(*args, **kwargs):
        started = time.perf_counter()
        try:
            return function(*args, **kwargs)
        finally:
            seconds[key] += time.perf_counter() - started
    return timed


def print_stage_shares(corpus: Path, config: str, overrides: dict | None = None) -> None:
    shares = stage_seconds(corpus, config, overrides)
    total = sum(shares.values())
    print(f"time shares of the one-process pipeline's parts ({total:.1f} s in all, loading left out): "
          + ", ".join(f"{name} {seconds / total:.1%} ({seconds:.2f} s)" for name, seconds in shares.items()))


def run_command_line(corpus: Path, config: str, out: Path, settings: list[str], workers: int = 1) -> list[str]:
    """The ``newsie run`` command line over ``corpus`` (run from the project root)."""
    return [sys.executable, "-m", "pipeline", "run", str(corpus), "-o", str(out), "-q", "--overwrite", "-c", config,
            "--workers", str(workers), *[argument for setting in settings for argument in ("--set", setting)]]


def command_seconds(corpus: Path, workers: int, config: str, out: Path, settings: list[str]) -> float:
    """Wall-clock seconds of a whole ``newsie run`` command over ``corpus`` with ``workers``
    processes, as a user times it: start-up, imports, model loading and writing included."""
    started = time.perf_counter()
    subprocess.run(run_command_line(corpus, config, out, settings, workers), cwd=PROJECT_ROOT,
                   stderr=subprocess.DEVNULL, check=True)
    return time.perf_counter() - started


def first_row_seconds(folder: Path, config: str, settings: list[str], runs: int = 3) -> list[float]:
    """Wall-clock seconds of whole ``newsie run`` commands on one short document (the time to
    its first and only row, as a user waits for it: interpreter, imports, loading, writing)."""
    document = folder / "one.jsonl"
    document.write_text(json.dumps({"id": "one", "text": ONE_DOCUMENT}, ensure_ascii=False) + "\n", encoding="utf-8")
    return [command_seconds(document, 1, config, folder / f"one{run}.jsonl", settings) for run in range(runs)]


def peak_rss_mb(corpus: Path, config: str, out: Path, settings: list[str]) -> float:
    """Peak resident memory of ``newsie run`` on ``corpus``, in a child process."""
    command = run_command_line(corpus, config, out, settings)
    child = subprocess.Popen(command, cwd=PROJECT_ROOT, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(child.pid, 0)
    if status != 0:
        raise RuntimeError(f"{' '.join(command)} failed with status {status}")
    return usage.ru_maxrss / 1024  # kilobytes on Linux


def print_scaling(corpus: Path, characters: int, config: str, folder: Path, settings: list[str]) -> None:
    """Whole commands, as a user times them: an in-process run would leave out the imports and
    loading that a one-process command pays once and the main process pays before forking its
    workers. In the order 1, 2, 2, 1 workers, so that a drift of the VM's speed hits both counts
    alike."""
    seconds = {1: 0.0, 2: 0.0}
    for workers in (1, 2, 2, 1):
        took = command_seconds(corpus, workers, config, folder / f"command{workers}.jsonl", settings)
        seconds[workers] += took
        print(f"newsie run --workers {workers}: {took:.1f} s, {characters / took:,.0f} characters/s")
    print(f"scaling, 2 workers / 1 (whole commands, in the order 1, 2, 2, 1): "
          f"{seconds[1] / seconds[2]:.2f} (goal >= 1.8)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size-mb", type=float, default=20, help="corpus size for the throughput runs")
    parser.add_argument("--rss-sizes-mb", type=float, nargs=2, default=[10, 100], metavar=("SMALL", "LARGE"),
                        help="the two corpus sizes whose peak RSS is compared")
    parser.add_argument("-c", "--config", default=str(DEFAULT_CONFIG))
    parser.add_argument("--set", action="append", default=[], metavar="SECTION.KEY=VALUE",
                        help="config override, as for newsie run (e.g. another ORG model)")
    parser.add_argument("--only", choices=["speed", "memory", "shares", "first-row", "scaling"],
                        help="run one half: speed wants an idle machine, memory does not; "
                             "or the time shares of the pipeline's parts, the first row, or the "
                             "scaling of whole commands with 1 and 2 workers alone")
    args = parser.parse_args()
    overrides = parse_overrides(args.set)

    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        if args.only == "shares":
            corpus = folder / "corpus.jsonl"
            print(f"corpus: {args.size_mb:g} MB, {write_corpus(corpus, args.size_mb)} characters")
            print_stage_shares(corpus, args.config, overrides)
            return
        if args.only in (None, "speed", "first-row"):
            runs = first_row_seconds(folder, args.config, args.set)
            print(f"first row of newsie run on one {len(ONE_DOCUMENT)}-character document (whole command): "
                  f"{', '.join(f'{run:.2f}' for run in runs)} s, median {statistics.median(runs):.2f} (goal <= 3)")
            if args.only == "first-row":
                return
        if args.only != "memory":
            corpus = folder / "corpus.jsonl"
            characters = write_corpus(corpus, args.size_mb)
            print(f"corpus: {args.size_mb:g} MB, {characters} characters")
            if args.only == "scaling":
                print_scaling(corpus, characters, args.config, folder, args.set)
                return
            jieba_speed = jieba_chars_per_second(corpus)
            print(f"jieba.lcut alone: {jieba_speed:,.0f} characters/s")
            speed, first_row, steady = pipeline_chars_per_second(corpus, args.config, folder / "out.jsonl", overrides)
            print(f"pipeline, 1 process: {speed:,.0f} characters/s (whole run, loading included); "
                  f"first row after {first_row:.1f} s, then {steady:,.0f} characters/s")
            print(f"pipeline (1 process) / jieba: {speed / jieba_speed:.3f} (goal >= 0.45); "
                  f"after the first row, as jieba is timed after its dictionary loads: {steady / jieba_speed:.3f}")
            jieba_turns, pipeline_turns = interleaved_chars_per_second(corpus, args.config, overrides)
            print(f"in turns on the same stretches: jieba {jieba_turns:,.0f}, pipeline (1 process) "
                  f"{pipeline_turns:,.0f} characters/s, ratio {pipeline_turns / jieba_turns:.3f} (goal >= 0.45)")
            print_stage_shares(corpus, args.config, overrides)
            print_scaling(corpus, characters, args.config, folder, args.set)
        if args.only == "speed":
            return
        rss = {}
        for size in args.rss_sizes_mb:
            sized = folder / f"rss{size:g}.jsonl"
            write_corpus(sized, size, seed=1)
            rss[size] = peak_rss_mb(sized, args.config, folder / f"rss{size:g}.out.jsonl", args.set)
            print(f"peak RSS, {size:g} MB corpus: {rss[size]:.0f} MB (goal <= 700)")
        small, large = args.rss_sizes_mb
        print(f"peak RSS ratio {large:g} MB / {small:g} MB: {rss[large] / rss[small]:.2f} (goal <= 1.2)")


if __name__ == "__main__":
    main()
