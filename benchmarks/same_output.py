"""Whether a change to the pipeline's code keeps its output rows byte-identical.

Writes the rows of the one-process pipeline (``process_documents``, as ``newsie run`` makes
them) over the benchmark's synthetic corpus (benchmarks/throughput.py) to a JSONL file; run it
before and after a change and compare the two files:

    python benchmarks/same_output.py /tmp/before.jsonl                 # on the code before
    python benchmarks/same_output.py /tmp/after.jsonl --compare /tmp/before.jsonl
"""
from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT_ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from throughput import write_corpus  # noqa: E402
from pipeline.corpus.readers import read_documents  # noqa: E402
from pipeline.corpus.runner import process_documents  # noqa: E402
from pipeline.corpus.workers import load_worker_pipeline  # noqa: E402
from pipeline.settings import DEFAULT_CONFIG, parse_overrides  # noqa: E402


def first_difference(path: Path, reference: Path) -> str | None:
    """Where the rows of ``path`` first differ from those of ``reference``, or None."""
    ours, theirs = path.read_text(encoding="utf-8").splitlines(), reference.read_text(encoding="utf-8").splitlines()
    for number, (row, expected) in enumerate(zip(ours, theirs), 1):
        if row != expected:
            return f"row {number} differs:\n  now:    {row[:2000]}\n  before: {expected[:2000]}"
    if len(ours) != len(theirs):
        return f"{len(ours)} rows now, {len(theirs)} before"
    return None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("out", type=Path, help="the JSONL file of output rows to write")
    parser.add_argument("--compare", type=Path, metavar="REFERENCE", help="rows written before, to compare with")
    parser.add_argument("--size-mb", type=float, default=1)
    parser.add_argument("--seed", type=int, default=0, help="of the corpus's random draws")
    parser.add_argument("-c", "--config", default=str(DEFAULT_CONFIG))
    parser.add_argument("--set", action="append", default=[], metavar="SECTION.KEY=VALUE")
    args = parser.parse_args()

    nlp = load_worker_pipeline(args.config, parse_overrides(args.set))
    with tempfile.TemporaryDirectory() as folder:
        corpus = Path(folder) / "corpus.jsonl"
        write_corpus(corpus, args.size_mb, args.seed)
        with args.out.open("w", encoding="utf-8") as handle:
            for row in process_documents(nlp, read_documents([corpus])):
                handle.write(json.dumps(row, ensure_ascii=False) + "\n")
    if args.compare:
        difference = first_difference(args.out, args.compare)
        print(difference or f"identical: {args.out} and {args.compare}")
        sys.exit(1 if difference else 0)


if __name__ == "__main__":
    main()
