"""Throughput and memory of the ORG recognizer on ONE CPU thread.

    python benchmarks/ner_throughput.py [--model DIR [DIR ...]] [--precision auto|fp32|bf16]
        [--screen-threshold P] [--settle-threshold P] [--score]

The model defaults to the org_model of configs/default.cfg (one save dir or an ensemble).

Text: the seed article (annotations/jinshan_industry_2022-12-26.txt) repeated with varied
numbers, plus MSRA test sentences (joined into article-sized documents) when that file exists.
Prints chars/s for (a) all documents in one batched predict() call, (a') the same with the
texts' words given, as the pipeline gives them to a model with lexicon features, and (b) one
document per call, peak RSS and the tracemalloc peak of Python allocations. With --score it also prints
MSRA test and CLUENER dev ORG span P/R/F1 when those corpora exist; a model trained with the
annotation-style feature is scored in the pipeline's style (msra) and in each corpus' own.
"""
from __future__ import annotations

import argparse
import os
import resource
import sys
import time
import tracemalloc
from pathlib import Path

os.environ.setdefault("HANLP_VERBOSE", "0")
import torch  # noqa: E402

torch.set_num_threads(1)
torch.set_num_interop_threads(1)

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from pipeline.models.org.data import bio_to_spans, read_bio, read_cluener  # noqa: E402
from pipeline.models.org.network import resolve_precision  # noqa: E402
from pipeline.models.org.tagger import SCREEN_THRESHOLD, SETTLE_THRESHOLD, OrgModel  # noqa: E402
from pipeline.training.ner import span_f1  # noqa: E402
from pipeline.stages.recognize import configured_org_model, model_source  # noqa: E402

SEED_ARTICLE = ROOT / "annotations" / "jinshan_industry_2022-12-26.txt"
MSRA_TEST = ROOT / ".." / "shared" / "corpora" / "msra" / "test.bio"
CLUENER_DEV = ROOT / ".." / "shared" / "corpora" / "cluener2020" / "dev.json"


def build_documents(msra_test: Path, n_seed: int = 60) -> list[str]:
    docs = []
    seed = SEED_ARTICLE.read_text(encoding="utf-8")
    for i in range(n_seed):  # vary digits so documents are not byte-identical
        docs.append(seed.translate(str.maketrans("0123456789", "".join(str((d + i) % 10) for d in range(10)))))
    if msra_test.is_file():
        sents = ["".join(c) for c, _ in read_bio(msra_test)]
        for k in range(0, len(sents), 30):  # ~30 sentences per "article"
            docs.append("\n".join(sents[k:k + 30]))
    return docs


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--model", nargs="+", help="save dir(s), several for an ensemble "
                                               "(default: the org_model of configs/default.cfg)")
    ap.add_argument("--msra-test", default=str(MSRA_TEST))
    ap.add_argument("--cluener-dev", default=str(CLUENER_DEV))
    ap.add_argument("--score", action="store_true", help="also print ORG P/R/F1 on the corpora")
    ap.add_argument("--repeat", type=int, default=3, help="timed repetitions (best is reported)")
    ap.add_argument("--screen-threshold", type=float, default=SCREEN_THRESHOLD,
                    help="of an ensemble's first member (OrgModel); 0: no chunk is ruled out")
    ap.add_argument("--settle-threshold", type=float, default=SETTLE_THRESHOLD,
                    help="of an ensemble's cascade (OrgModel); 0: every member tags what the screen passes "
                         "(both 0: every member tags every chunk)")
    ap.add_argument("--precision", default="auto", choices=["auto", "fp32", "bf16"],
                    help="of the LSTM at prediction time (auto: bf16 where the CPU runs it natively)")
    args = ap.parse_args(argv)

    if not args.model:
        args.model = configured_org_model(ROOT / "configs" / "default.cfg")
    args.model = model_source([args.model] if isinstance(args.model, str) else args.model)
    t0 = time.perf_counter()
    model = OrgModel.load(args.model if len(args.model) > 1 else args.model[0], precision=args.precision,
                          screen_threshold=args.screen_threshold, settle_threshold=args.settle_threshold)
    print(f"model: {args.model}  load: {time.perf_counter() - t0:.2f}s  threads: {torch.get_num_threads()}  "
          f"precision: {args.precision} -> {resolve_precision(args.precision)}")
    docs = build_documents(Path(args.msra_test))
    n_chars = sum(map(len, docs))
    print(f"documents: {len(docs)}  characters: {n_chars:,}")
    model.predict(docs[:5])  # warm-up

    # Wall time suffers when other processes share the core; CPU time of this (1-thread)
    # process is what one uncontended core would need, so both are printed.
    best = best_cpu = float("inf")
    for _ in range(args.repeat):
        t, c = time.perf_counter(), time.process_time()
        batched = model.predict(docs)
        best = min(best, time.perf_counter() - t)
        best_cpu = min(best_cpu, time.process_time() - c)
    # tracemalloc slows Python down, so it gets its own (untimed) pass
    tracemalloc.start()
    model.predict(docs)
    _, py_peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(f"batched (all documents, one call): {n_chars / best:,.0f} chars/s wall, "
          f"{n_chars / best_cpu:,.0f} chars/CPU-s  ({sum(map(len, batched)):,} ORG spans)")

    if model._lexicon is not None:
        # In the pipeline the recognizer reads the segmenter's words instead of segmenting
        # again: segment outside the timing, then time the model alone.
        words = [model._lexicon.segmenter.cut(d) for d in docs]
        best = best_cpu = float("inf")
        for _ in range(args.repeat):
            t, c = time.perf_counter(), time.process_time()
            model.predict(docs, words=words)
            best = min(best, time.perf_counter() - t)
            best_cpu = min(best_cpu, time.process_time() - c)
        print(f"batched, words given (as in the pipeline): {n_chars / best:,.0f} chars/s wall, "
              f"{n_chars / best_cpu:,.0f} chars/CPU-s")

    t, c = time.perf_counter(), time.process_time()
    for d in docs:
        model.predict([d])
    dt, dc = time.perf_counter() - t, time.process_time() - c
    print(f"per document (one call each):       {n_chars / dt:,.0f} chars/s wall, "
          f"{n_chars / dc:,.0f} chars/CPU-s")
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak RSS: {rss:,.0f} MiB   tracemalloc peak (Python objects, batched call): {py_peak / 2**20:,.1f} MiB")
    size = sum(p.stat().st_size for m in args.model for p in Path(m).glob("*") if p.is_file())
    print(f"model size on disk ({len(args.model)} save dir(s)): {size / 2**20:.2f} MiB")

    if args.score:
        for name, path, reader, own_style in (
                ("MSRA test", Path(args.msra_test), lambda p: read_bio(p, {"ORG": "ORG"}), "msra"),
                ("CLUENER dev", Path(args.cluener_dev), read_cluener, "cluener")):
            if not path.is_file():
                print(f"{name}: {path} not found, skipped")
                continue
            data = reader(path)
            styles = sorted({model.style, own_style}) if model.reads_style else [None]
            for style in styles:
                pred = model.predict(["".join(c) for c, _ in data], style=style)
                s = span_f1([bio_to_spans(t) for _, t in data], pred)
                print(f"{name} ORG exact-span{f' (style {style})' if style else ''}: P {s['precision']:.4f}  "
                      f"R {s['recall']:.4f}  F1 {s['f1']:.4f}  (gold {s['gold']}, pred {s['pred']}, tp {s['tp']})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
