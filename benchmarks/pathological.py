"""Seconds of the whole pipeline, and of each grammar, on pathological documents (issue 18).

Each document must finish in well under a minute however long it is: a run of digits
(the target and amount regexes), news text with every punctuation mark and line break
removed (one endless sentence: the link stage), and the same text with a currency word
after every few characters (many mentions in one sentence).

    python benchmarks/pathological.py                    # 1 MB documents (1,000,000 characters)
    python benchmarks/pathological.py --chars 20000      # one piece's worth
    python benchmarks/pathological.py --grammars-only    # the string grammars alone, no models
"""
from __future__ import annotations

import argparse
import sys
import time
import unicodedata
from pathlib import Path
from typing import Callable

PROJECT_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT_ROOT))


def news_without_punctuation(chars: int) -> str:
    """The bundled articles with every punctuation mark and whitespace removed, repeated."""
    text = "".join(path.read_text(encoding="utf-8") for path in sorted((PROJECT_ROOT / "annotations").glob("*.txt")))
    text = "".join(c for c in text if not unicodedata.category(c).startswith(("P", "Z", "C")))
    return (text * (chars // len(text) + 1))[:chars]


def documents(chars: int) -> dict[str, str]:
    return {
        "digits": ("1234567890" * (chars // 10 + 1))[:chars],
        "no punctuation": news_without_punctuation(chars),
        "amounts, no punctuation": ("投资5亿元建设新材料产业园" * (chars // 13 + 1))[:chars],
    }


def timed(run: Callable[[], object]) -> float:
    started = time.perf_counter()
    run()
    return time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--chars", type=int, default=1_000_000)
    parser.add_argument("--grammars-only", action="store_true")
    args = parser.parse_args()

    from pipeline.grammar.amounts import find_amounts
    from pipeline.grammar.names import NameFinder
    from pipeline.grammar.targets import find_targets

    finder = NameFinder()
    for name, text in documents(args.chars).items():
        boundaries = set(range(len(text) + 1))
        grammars = {
            "amounts": lambda: find_amounts(text),
            "targets": lambda: find_targets(text, find_amounts(text)),
            "names": lambda: (finder.org_names(text, boundaries), finder.park_names(text, boundaries)),
        }
        print(f"{name} ({len(text):,} characters): "
              + ", ".join(f"{grammar} {timed(run):.2f} s" for grammar, run in grammars.items()), flush=True)
    if args.grammars_only:
        return 0

    from pipeline.corpus.readers import InputDocument
    from pipeline.corpus.runner import process_documents
    from pipeline.corpus.workers import load_worker_pipeline
    from pipeline.settings import DEFAULT_CONFIG

    nlp = load_worker_pipeline(str(DEFAULT_CONFIG))
    for name, text in documents(args.chars).items():
        rows: list[dict] = []
        seconds = timed(lambda: rows.extend(process_documents(nlp, [InputDocument(name, text)])))
        print(f"whole pipeline, {name} ({len(text):,} characters): {seconds:.1f} s, "
              f"{len(rows[0]['entities'])} entities, error: {rows[0]['error']}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
