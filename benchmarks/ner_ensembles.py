"""Dev ORG F1 of every ensemble of up to K of the given ORG models: how the shipped ensemble
was chosen (models/org_ner/MODEL_CARD.md).

    python benchmarks/ner_ensembles.py A=models/org_ner D=models/org_ner_style_2x64 \
        F=models/org_ner_style_2x96 C=path/to/another [...] [--max-size 4] [--config configs/ner.cfg]

Scores on the dev split of the training config (the held-out part of the training corpora,
``split_seed``), never on a test set: choose by dev, then score the choice once on MSRA test
and CLUENER dev (``newsie eval --format bio``, ``benchmarks/ner_throughput.py --score``).
The models must share the split's vocabularies (trained with the same ``split_seed``). Models
with the annotation-style feature read each dev sentence in its own corpus' style. Every
ensemble is scored with every member on every sentence (no screen: the screen is a speed-up
that is checked on the chosen ensemble). With ``--news-validation`` the choice weighs modern
financial news too: the CFSC val validation slice, never its dev slice.
"""
from __future__ import annotations

import argparse
import itertools
import os
import sys
from pathlib import Path

os.environ.setdefault("HANLP_VERBOSE", "0")

import torch  # noqa: E402

torch.set_num_threads(1)

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from pipeline.models.org.data import STYLES, bio_to_spans  # noqa: E402
from pipeline.models.org.tagger import OrgModel  # noqa: E402
from pipeline.training.ner import load_config, load_training_data, span_f1  # noqa: E402


def dev_f1(model: OrgModel, sentences_by_style: dict[str, list]) -> float:
    """ORG exact-span F1 over the dev sentences, each read in its corpus' style."""
    gold, predicted = [], []
    for style, sentences in sentences_by_style.items():
        predicted += model.predict(["".join(chars) for chars, _ in sentences],
                                   style=style if model.reads_style else None)
        gold += [[span for span in bio_to_spans(tags) if span[2] == "ORG"] for _, tags in sentences]
    return span_f1(gold, predicted)["f1"]


def news_recall(model: OrgModel, sentences: list[tuple[str, list[tuple[int, int]]]]) -> float:
    """Share of the CFSC names (Corporate, and Stock names of companies) that a predicted ORG
    overlaps, on the validation slice of CFSC val (``pipeline.training.news_silver``)."""
    predicted = model.predict([text for text, _ in sentences])
    found = total = 0
    for (_, names), spans in zip(sentences, predicted):
        total += len(names)
        found += sum(any(s < end and e > start for s, e, _ in spans) for start, end in names)
    return found / total if total else 0.0


def validation_names(path: str) -> list[tuple[str, list[tuple[int, int]]]]:
    from pipeline.corpus.standoff import read_cfsc_sentences
    from pipeline.training.news_silver import company_names, slice_of

    return [(row["text"], company_names(row)) for k, row in enumerate(read_cfsc_sentences(path))
            if slice_of(k) == "validation"]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("models", nargs="+", metavar="NAME=DIR", help="the candidates, each with a short name")
    parser.add_argument("--max-size", type=int, default=4, help="largest ensemble tried")
    parser.add_argument("--config", default=str(ROOT / "configs" / "ner.cfg"), help="training config (its dev split)")
    parser.add_argument("--msra-train", default=str(ROOT.parent / "shared" / "corpora" / "msra" / "train.bio"))
    parser.add_argument("--cluener-train", default=str(ROOT.parent / "shared" / "corpora" / "cluener2020" / "train.json"))
    parser.add_argument("--news-validation", metavar="CFSC_VAL_JSON",
                        help="also the overlap recall of CFSC names on its validation slice (i %% 6 == 3); the "
                             "choice is then the best recall among the ensembles within 0.005 of the best dev F1")
    args = parser.parse_args(argv)
    news = validation_names(args.news_validation) if args.news_validation else None
    candidates = dict(item.split("=", 1) for item in args.models)
    config = load_config(args.config)
    config["paths"].update(msra_train=args.msra_train, cluener_train=args.cluener_train)
    data = load_training_data(config)
    by_style: dict[str, list] = {style: [] for style in STYLES}
    for sentence, style in zip(data.dev, data.dev_styles):
        by_style[style].append(sentence)
    scores = []
    for size in range(1, args.max_size + 1):
        for names in itertools.combinations(sorted(candidates), size):
            dirs = [candidates[name] for name in names]
            model = OrgModel.load(dirs if size > 1 else dirs[0], screen_threshold=0, settle_threshold=0)
            recall = news_recall(model, news) if news else None
            scores.append((dev_f1(model, by_style), "+".join(names), recall))
            print(f"{scores[-1][1]}\t{scores[-1][0]:.4f}" + (f"\tnews recall {recall:.4f}" if news else ""), flush=True)
    print("\nbest on dev:")
    for f1, names, recall in sorted(scores, reverse=True)[:10]:
        print(f"{names}\t{f1:.4f}" + (f"\tnews recall {recall:.4f}" if news else ""))
    if news:
        best = max(f1 for f1, _, _ in scores)
        f1, names, recall = max((s for s in scores if s[0] >= best - 0.005), key=lambda s: s[2])
        print(f"\nchosen (best news recall within 0.005 of the best dev F1): {names}\tdev {f1:.4f}\tnews recall {recall:.4f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
