"""Training the ORG tagger: ``newsie train ner --config configs/ner.cfg`` reproduces
``models/org_ner`` (docs/ner.md). MSRA train + CLUENER train, split with a fixed seed, mapped
onto newsie's labels (``pipeline.models.org.data``), fitted by HanLP's trainer, scored on dev
with newsie's span scorer."""
from __future__ import annotations

import argparse
import json
import logging
import os
import random
import time
from pathlib import Path
from typing import Any, Iterable, NamedTuple, Sequence

import torch

from pipeline.evaluation.scoring import strict_result
from pipeline.models.org.data import (CLUENER_LABEL_MAP, MSRA_LABEL_MAP, NORMALIZATION_ID, STYLES, Sentence, Span,
                                      bio_to_spans, normalize_chars, read_bio, read_cluener, style_id)
from pipeline.models.org.network import CRFFixedNamedEntityRecognizer
from pipeline.models.org.tagger import OrgModel

logger = logging.getLogger(__name__)


def load_config(path: str | os.PathLike, overrides: dict[str, Any] | None = None) -> dict:
    """Read the INI-style (confection / spaCy) training config into a plain dict, with
    ``overrides`` (dotted keys: ``{"training.seed": 42}``) applied."""
    from confection import Config

    if not os.path.isfile(path):
        raise FileNotFoundError(f"NER training config not found: {path}")
    config = Config().from_disk(path, interpolate=True)
    for key in overrides or {}:
        section, _, name = key.rpartition(".")
        if section not in config or name not in config[section]:
            # the config lists every setting training reads: anything else is a typo
            raise ValueError(f"{path} has no setting {key!r} to override")
    return Config().from_disk(path, interpolate=True, overrides=overrides or {}) if overrides else config


def _prepare(sents: list[Sentence], lexicon: Any = None, styles: Sequence[str] | None = None) -> list[dict[str, list]]:
    """HanLP samples; with a ``LexiconFeaturizer`` each also carries its ``lex_id`` list, with
    ``styles`` (one of ``STYLES`` per sentence) its ``style_id`` list."""
    samples = []
    for k, (chars, tags) in enumerate(sents):
        if not chars:
            continue
        text = normalize_chars("".join(chars))
        sample: dict[str, list] = {"token": list(text), "tag": tags}
        if lexicon is not None:
            sample["lex_id"] = lexicon.ids(text).tolist()
        if styles is not None:
            sample["style_id"] = [style_id(styles[k])] * len(text)
        samples.append(sample)
    return samples


class TrainingData(NamedTuple):
    """The train/dev split, with the annotation style (corpus) of each sentence."""
    train: list[Sentence]
    dev: list[Sentence]
    train_styles: list[str]
    dev_styles: list[str]


def load_training_data(config: dict) -> TrainingData:
    """Train/dev split of MSRA train + CLUENER train with the config's label maps and seed."""
    paths, labels, tr = config["paths"], config["labels"], config["training"]
    keep = set(labels["keep"])
    msra_map = {k: v for k, v in MSRA_LABEL_MAP.items() if v in keep}
    cluener_map = {k: v for k, v in CLUENER_LABEL_MAP.items() if v in keep}
    data: list[Sentence] = []
    styles: list[str] = []
    for style, path, read, label_map in (("msra", paths.get("msra_train"), read_bio, msra_map),
                                         ("cluener", paths.get("cluener_train"), read_cluener, cluener_map)):
        if path:
            sentences = read(path, label_map)
            data += sentences
            styles += [style] * len(sentences)
    if not data:
        raise ValueError("no training data: set paths.msra_train and/or paths.cluener_train")
    # The split has its own seed, so that ensemble members trained with other seeds share it
    # (and its character vocabulary): then the dev split is held out from every member.
    rng = random.Random(tr.get("split_seed", tr["seed"]))
    order = list(range(len(data)))
    rng.shuffle(order)
    n_dev = max(1, int(len(data) * float(tr["dev_fraction"])))
    dev_order, train_order = order[:n_dev], order[n_dev:]
    if tr.get("max_train_sentences"):
        train_order = train_order[: int(tr["max_train_sentences"])]
    train_data, train_styles = [data[i] for i in train_order], [styles[i] for i in train_order]
    # More BIO corpora (silver labels of modern news, docs/ner.md) join the training part only,
    # so the dev split, and with it early stopping, stays the same for every ensemble member.
    extra_style = tr.get("extra_style") or STYLES[0]
    style_id(extra_style)
    for path in paths.get("extra_train") or []:
        sentences = read_bio(path, msra_map) * int(tr.get("extra_repeat") or 1)
        train_data += sentences
        train_styles += [extra_style] * len(sentences)
    return TrainingData(train_data, [data[i] for i in dev_order], train_styles, [styles[i] for i in dev_order])


def train(config: dict, out_dir: str | os.PathLike | None = None, devices: Any = None,
          threads: int | None = None) -> dict:
    """Train the ORG recognizer described by ``config`` and save it (HanLP format) to out_dir.

    Returns a summary dict (dev F1, epochs, seconds, sizes).
    """
    from hanlp.utils.torch_util import set_seed

    tr, model_cfg = config["training"], config["model"]
    out_dir = str(out_dir or config["paths"]["out"])
    seed = int(tr["seed"])
    threads = threads if threads is not None else int(tr.get("threads", 1) or 0)
    if threads:
        # the build machine has 2 cores and another job needs one
        torch.set_num_threads(threads)
    set_seed(seed)
    trn, dev, trn_styles, dev_styles = load_training_data(config)
    logger.info("train %d sentences, dev %d sentences", len(trn), len(dev))
    if devices is None:
        devices = [] if not torch.cuda.is_available() else None
    lexicon_dim = int(model_cfg.get("lexicon_dim", 0) or 0)
    lexicon = None
    if lexicon_dim:
        from pipeline.text.lexicon import LexiconFeaturizer

        lexicon = LexiconFeaturizer()
    style_dim = int(model_cfg.get("style_dim", 0) or 0)
    if not style_dim:
        trn_styles = dev_styles = None
    rec = CRFFixedNamedEntityRecognizer()
    teacher_dirs = list(tr.get("teacher") or [])
    if teacher_dirs:
        rec.teacher = OrgModel.load(teacher_dirs if len(teacher_dirs) > 1 else teacher_dirs[0])
        for member in rec.teacher._members:
            member.model.eval()  # no dropout in the teacher
        rec.distill_weight = float(tr.get("distill_weight", 1.0))
        rec.distill_temperature = float(tr.get("distill_temperature", 1.0))
    t0 = time.time()
    rec.fit(
        _prepare(trn, lexicon, trn_styles), _prepare(dev, lexicon, dev_styles), out_dir,
        batch_size=int(tr["batch_size"]), epochs=int(tr["epochs"]), patience=int(tr["patience"]),
        lr=float(tr["lr"]), anneal_factor=float(tr.get("anneal_factor", 0.5)),
        anneal_patience=int(tr.get("anneal_patience", 1)),
        embed=int(model_cfg["embed"]), rnn_hidden=int(model_cfg["rnn_hidden"]),
        rnn_layers=int(model_cfg.get("rnn_layers", 1) or 1),
        rnn_input=model_cfg.get("rnn_input") or None, drop=float(model_cfg["drop"]),
        bigram_buckets=int(model_cfg.get("bigram_buckets", 0) or 0),
        bigram_dim=int(model_cfg.get("bigram_dim", 0) or 0),
        lexicon_dim=lexicon_dim, style_dim=style_dim,
        crf=True, tagging_scheme="BIO", token_delimiter="", seed=seed, devices=devices,
        # extra keys are stored in config.json and read back by OrgModel
        newsie_normalization=NORMALIZATION_ID, newsie_labels=list(config["labels"]["keep"]),
        newsie_styles=list(STYLES),
        # another model's vocabularies, so that this one can join its ensemble (network.py)
        vocab_from=tr.get("vocab_from") or None,
    )
    seconds = time.time() - t0
    if tr.get("store_half"):
        store_half_precision(out_dir)
    # re-evaluate the reloaded best weights on dev with our own span scorer
    model = OrgModel.load(out_dir)
    dev_texts = ["".join(c) for c, _ in dev]
    if style_dim:  # each dev sentence in its corpus' style
        pred = [[] for _ in dev]
        for style in STYLES:
            rows = [k for k, s in enumerate(dev_styles) if s == style]
            for k, spans in zip(rows, model.predict([dev_texts[k] for k in rows], labels=("ORG",), style=style)):
                pred[k] = spans
    else:
        pred = model.predict(dev_texts, labels=("ORG",))
    scores = span_f1([bio_to_spans(t) for _, t in dev], pred, labels=("ORG",))
    size = sum(p.stat().st_size for p in Path(out_dir).iterdir() if p.is_file())
    return {"dev_org": scores, "train_seconds": seconds, "train_sentences": len(trn),
            "dev_sentences": len(dev), "out": out_dir, "size_bytes": size}


def store_half_precision(save_dir: str | os.PathLike) -> None:
    """Store a saved model's float weights as float16: half the size on disk (the bigram table
    is most of it). Loading is unchanged: HanLP builds the float32 model and ``load_state_dict``
    copies the weights in. The rounding moved the shipped model's F1 by under 0.3 point on dev,
    MSRA test and CLUENER dev, less than the bf16 LSTM it runs in (docs/ner.md)."""
    path = Path(save_dir) / "model.pt"
    state = torch.load(path, map_location="cpu")
    torch.save({k: v.half() if v.is_floating_point() else v for k, v in state.items()}, path)


# The settings of a training config that are paths (section, key), lists or single ones.
TRAINING_PATHS = (("paths", "msra_train"), ("paths", "cluener_train"), ("paths", "out"), ("paths", "extra_train"),
                  ("training", "teacher"), ("training", "vocab_from"))


def resolve_training_paths(config: dict, config_dir: Path, overrides: dict[str, Any]) -> dict:
    """``config`` with its paths made absolute: relative to the config file's folder, or for an
    overridden one (--set) to the working directory."""
    from pipeline.settings import resolve_path

    for section, key in TRAINING_PATHS:
        value = config.get(section, {}).get(key)
        root = Path.cwd() if f"{section}.{key}" in overrides else config_dir
        if isinstance(value, list):
            config[section][key] = [resolve_path(item, root) for item in value]
        elif value:
            config[section][key] = resolve_path(value, root)
    return config


def run_train(args: argparse.Namespace) -> int:
    """``newsie train ner`` (arguments: pipeline/cli.py)."""
    from pipeline.settings import find_config, parse_overrides

    logging.basicConfig(level=logging.INFO)

    config_path = find_config(args.config)
    overrides = parse_overrides(getattr(args, "set", []))
    config = load_config(config_path, overrides)
    config = resolve_training_paths(json.loads(json.dumps(config)), config_path.parent, overrides)
    if getattr(args, "msra_train", None):
        config["paths"]["msra_train"] = args.msra_train
    if getattr(args, "cluener_train", None):
        config["paths"]["cluener_train"] = args.cluener_train
    if getattr(args, "out", None):
        config["paths"]["out"] = args.out
    if getattr(args, "epochs", None):
        config["training"]["epochs"] = args.epochs
    for key in ("msra_train", "cluener_train"):
        p = config["paths"].get(key)
        if p and not os.path.isfile(p):
            raise FileNotFoundError(f"training corpus not found: {p} (paths.{key})")
    for p in config["paths"].get("extra_train") or []:
        if not os.path.isfile(p):
            raise FileNotFoundError(f"training corpus not found: {p} (paths.extra_train)")
    devices = [] if getattr(args, "device", "cpu") == "cpu" else None
    summary = train(config, devices=devices, threads=getattr(args, "threads", None))
    print(json.dumps(summary, ensure_ascii=False, indent=2))
    return 0


def span_f1(gold_spans: Iterable[Iterable[Span]], pred_spans: Iterable[Iterable[Span]],
            labels: Sequence[str] = ("ORG",)) -> dict[str, float]:
    """Strict span P/R/F1 over documents (one span list per document), micro-averaged."""
    c = strict_result(gold_spans, pred_spans, labels)
    return {"precision": c.precision, "recall": c.recall, "f1": c.f1, "tp": c.correct,
            "gold": c.possible, "pred": c.actual}
