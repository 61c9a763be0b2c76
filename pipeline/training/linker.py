"""Training the cluster-linking model (``pipeline.models.linker``) on weak labels.

Train (fixed seed; reads the public corpora from their paths, never copies them):

    newsie train linker --taxonomy configs/taxonomies/jinshan_four_clusters.toml \\
        --out models/linker_jinshan_four_clusters.npz
"""
from __future__ import annotations

import argparse
import random
import time
from pathlib import Path
from typing import Iterable, Sequence

from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import train_test_split
from sklearn.pipeline import Pipeline

from pipeline.grammar.taxonomy import Taxonomy, load_taxonomy
from pipeline.models.linker import NONE_LABEL, LinkModel, mask_terms, term_pattern
from pipeline.models.org.data import read_bio, read_cluener
from pipeline.settings import PROJECT_ROOT, find_taxonomy

CORPORA = PROJECT_ROOT.parent / "shared" / "corpora"
DEFAULT_CORPORA = (
    CORPORA / "msra" / "train.bio",
    CORPORA / "cluener2020" / "train.json",
    CORPORA / "cluener2020" / "dev.json",
)
# Sentences shorter than this say too little to learn a cluster from.
MIN_SENTENCE_CHARS = 8


class TermMasker(TransformerMixin, BaseEstimator):
    """Replaces every occurrence of ``terms`` (case-insensitive, longest first) by one placeholder."""

    def __init__(self, terms: Sequence[str] = ()):
        self.terms = terms

    def fit(self, texts: Iterable[str], labels: Iterable[str] | None = None) -> "TermMasker":
        self.pattern_ = term_pattern(self.terms)
        return self

    def transform(self, texts: Iterable[str]) -> list[str]:
        return [mask_terms(text, self.pattern_) for text in texts]


def build_model(taxonomy: Taxonomy, seed: int = 0) -> Pipeline:
    """The untrained model: masker → character n-gram TF-IDF → logistic regression (saved as
    a ``LinkModel``)."""
    return Pipeline([
        ("mask", TermMasker(tuple(taxonomy.terms))),
        ("features", TfidfVectorizer(analyzer="char", ngram_range=(1, 3), min_df=2, max_features=40000,
                                     sublinear_tf=True)),
        # Balanced weights: the corpora hold far more 生命健康 than 新材料 sentences.
        ("classify", LogisticRegression(C=4.0, class_weight="balanced", max_iter=2000, random_state=seed)),
    ])


def weak_examples(sentences: Iterable[str], taxonomy: Taxonomy, none_ratio: float = 1.0,
                  seed: int = 0) -> tuple[list[str], list[str]]:
    """(texts, labels): sentences labelled by the taxonomy's terms, plus sampled term-free ones.

    A sentence naming several clusters is left out (its label would be a guess); ``none``
    examples are drawn from sentences with no term at all, ``none_ratio`` times as many as
    the labelled ones.
    """
    texts, labels, term_free = [], [], []
    for sentence in sentences:
        if len(sentence) < MIN_SENTENCE_CHARS:
            continue
        label = taxonomy.weak_label(sentence)
        if label is not None:
            texts.append(sentence)
            labels.append(label)
        elif not taxonomy.matches(sentence):
            term_free.append(sentence)
    sampled = random.Random(seed).sample(term_free, min(len(term_free), int(len(texts) * none_ratio)))
    return texts + sampled, labels + [NONE_LABEL] * len(sampled)


def read_sentences(paths: Iterable[str | Path]) -> list[str]:
    """Plain sentences of MSRA-style BIO files (``.bio``) and CLUENER JSON files (``.json``)."""
    sentences: list[str] = []
    for path in map(Path, paths):
        rows = read_bio(path) if path.suffix == ".bio" else read_cluener(path)
        sentences += ["".join(chars) for chars, _ in rows]
    return sentences


def train(taxonomy_path: str | Path, corpus_paths: Sequence[str | Path], seed: int = 0,
          dev_share: float = 0.1) -> tuple[LinkModel, dict]:
    """Train on weak labels; returns (the model to save, metrics on the held-out weak labels)."""
    taxonomy = load_taxonomy(taxonomy_path)
    texts, labels = weak_examples(read_sentences(corpus_paths), taxonomy, seed=seed)
    train_texts, dev_texts, train_labels, dev_labels = train_test_split(
        texts, labels, test_size=dev_share, random_state=seed, stratify=labels)
    model = build_model(taxonomy, seed).fit(train_texts, train_labels)
    predicted = model.predict(dev_texts)
    per_label = {
        label: round(sum(p == g for p, g in zip(predicted, dev_labels) if g == label)
                     / max(1, dev_labels.count(label)), 3)
        for label in sorted(set(labels))
    }
    metrics = {
        "examples": {label: labels.count(label) for label in sorted(set(labels))},
        "dev_accuracy": round(sum(p == g for p, g in zip(predicted, dev_labels)) / len(dev_labels), 3),
        "dev_recall_by_label": per_label,
    }
    info = {"taxonomy": taxonomy.name, "seed": seed, "corpora": [Path(p).name for p in corpus_paths],
            "metrics": metrics}
    return LinkModel.from_pipeline(model, info), metrics


def run_train(args: argparse.Namespace) -> int:
    """``newsie train linker`` (arguments: pipeline/cli.py)."""
    started = time.perf_counter()
    model, metrics = train(find_taxonomy(args.taxonomy), args.corpus or [str(p) for p in DEFAULT_CORPORA],
                              seed=args.seed)
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    model.save(out)
    print(f"examples per label: {metrics['examples']}")
    print(f"held-out weak-label accuracy: {metrics['dev_accuracy']}  recall by label: {metrics['dev_recall_by_label']}")
    print(f"saved {out} ({out.stat().st_size / 1e6:.2f} MB) in {time.perf_counter() - started:.0f} s")
    return 0
