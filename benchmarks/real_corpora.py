"""Every sentence of three public corpora through the whole pipeline, one document at a time.

Runs MSRA test, CLUENER dev and CFSC val (``../shared/corpora``, never part of the repo)
through ``process_documents`` like ``newsie run`` does, each sentence as its own document,
and reports per corpus:

- error rows (must be 0): documents that came back with ``error`` set;
- offset mismatches (must be 0): entities whose ``text`` is not ``text[start:end]``, or
  whose offsets fall outside the text;
- rows that are not strict JSON (NaN or Infinity) or hold a non-finite number;
- the slowest documents, with their time (each document is timed alone, so batching
  cannot hide one).

    python benchmarks/real_corpora.py                    # all three corpora
    python benchmarks/real_corpora.py --limit 200        # the first 200 sentences of each
    python benchmarks/real_corpora.py --corpora DIR --slowest 10

Exits 1 when any error row, offset mismatch or invalid row is found. The texts are read
from the corpora at run time; nothing of them is written (the report quotes only ids).
"""
from __future__ import annotations

import argparse
import json
import math
import sys
import time
from pathlib import Path
from typing import Any, Iterator

PROJECT_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT_ROOT))

from pipeline.corpus.readers import InputDocument  # noqa: E402
from pipeline.corpus.runner import process_documents  # noqa: E402
from pipeline.corpus.workers import load_worker_pipeline  # noqa: E402
from pipeline.settings import DEFAULT_CONFIG  # noqa: E402

CORPORA = PROJECT_ROOT.parent / "shared" / "corpora"


def msra_sentences(path: Path) -> Iterator[str]:
    """Sentences of a ``char<TAB>tag`` file, blank line between sentences."""
    chars: list[str] = []
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            line = line.rstrip("\n")
            if not line.strip():
                if chars:
                    yield "".join(chars)
                chars = []
                continue
            chars.append(line.split("\t")[0] if "\t" in line else line[0])
    if chars:
        yield "".join(chars)


def json_texts(path: Path) -> Iterator[str]:
    """The ``text`` of each object of a JSON list (CFSC) or of a file of JSON objects one after
    the other (CLUENER, an object over several lines)."""
    raw = path.read_text(encoding="utf-8")
    decoder = json.JSONDecoder()
    position = 0
    while True:
        while position < len(raw) and raw[position].isspace():
            position += 1
        if position == len(raw):
            return
        value, position = decoder.raw_decode(raw, position)
        for item in value if isinstance(value, list) else [value]:
            yield item["text"]


def corpus_documents(corpora: Path) -> dict[str, Iterator[str]]:
    return {
        "msra_test": msra_sentences(corpora / "msra" / "test.bio"),
        "cluener_dev": json_texts(corpora / "cluener2020" / "dev.json"),
        "cfsc_val": json_texts(corpora / "cfsc" / "val.json"),
    }


def row_problems(row: dict[str, Any]) -> list[str]:
    """What is wrong with one output row: an error, a bad offset, a non-finite number."""
    problems = []
    if row["error"]:
        problems.append(f"error: {row['error']}")
    text = row["text"] or ""
    for entity in row["entities"]:
        start, end = entity["start"], entity["end"]
        if not (0 <= start < end <= len(text)) or text[start:end] != entity["text"]:
            problems.append(f"offset mismatch: {entity['label']} [{start}, {end})")
    try:
        json.dumps(row, ensure_ascii=False, allow_nan=False)
    except ValueError:
        problems.append("not strict JSON (NaN or Infinity)")
    for entity in row["entities"]:
        for key in ("value", "value_max"):
            value = entity.get(key)
            if isinstance(value, float) and not math.isfinite(value):
                problems.append(f"non-finite {key}")
    return problems


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpora", type=Path, default=CORPORA)
    parser.add_argument("-c", "--config", default=str(DEFAULT_CONFIG))
    parser.add_argument("--limit", type=int, help="at most this many sentences per corpus")
    parser.add_argument("--slowest", type=int, default=5, help="how many of the slowest documents to list")
    parser.add_argument("--rows", type=Path,
                        help="also write the output rows here (JSONL, outside the repo: they hold corpus text), "
                             "to compare two versions of the pipeline")
    args = parser.parse_args()
    saved = args.rows.open("w", encoding="utf-8") if args.rows else None

    started = time.perf_counter()
    nlp = load_worker_pipeline(args.config)
    print(f"pipeline loaded in {time.perf_counter() - started:.1f} s")
    failed = 0
    for corpus, texts in corpus_documents(args.corpora).items():
        timings: list[tuple[float, str, int]] = []
        counts = {"documents": 0, "characters": 0, "entities": 0, "error rows": 0, "offset mismatches": 0,
                  "invalid rows": 0}
        examples: list[str] = []
        corpus_started = time.perf_counter()
        for index, text in enumerate(texts):
            if args.limit is not None and index >= args.limit:
                break
            doc_id = f"{corpus}:{index}"
            document_started = time.perf_counter()
            row = next(process_documents(nlp, [InputDocument(doc_id, text)], batch_size=1))
            timings.append((time.perf_counter() - document_started, doc_id, len(text)))
            if saved:
                saved.write(json.dumps(row, ensure_ascii=False) + "\n")
            counts["documents"] += 1
            counts["characters"] += len(text)
            counts["entities"] += len(row["entities"])
            problems = row_problems(row)
            counts["error rows"] += any(p.startswith("error") for p in problems)
            counts["offset mismatches"] += sum(p.startswith("offset") for p in problems)
            counts["invalid rows"] += any(p.startswith(("not strict", "non-finite")) for p in problems)
            examples += [f"  {doc_id}: {p}" for p in problems][:max(0, 10 - len(examples))]
        seconds = time.perf_counter() - corpus_started
        print(f"\n{corpus}: " + ", ".join(f"{value} {name}" for name, value in counts.items())
              + f", {seconds:.1f} s")
        print("\n".join(examples) if examples else "  no problems")
        print(f"  slowest {args.slowest}:")
        for seconds_one, doc_id, length in sorted(timings, reverse=True)[:args.slowest]:
            print(f"    {doc_id} ({length} characters): {seconds_one * 1000:.1f} ms")
        failed += counts["error rows"] + counts["offset mismatches"] + counts["invalid rows"]
    if saved:
        saved.close()
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
