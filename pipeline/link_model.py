"""A learned context model for cluster linking, trained from weak labels.

The taxonomy's evidence terms label unlabelled news sentences: a sentence whose strong terms
all belong to one cluster is an example of that cluster, a sentence with no term at all an
example of ``none`` (no industry). The matched terms are then masked, so the model has to
learn the cluster from the rest of the sentence (企业扩产, 临床试验, 生产线…) and can
recognize a cluster in text that uses none of the listed words.

The model is a scikit-learn ``Pipeline``: ``TermMasker`` → character 1–3-gram TF-IDF →
logistic regression. Texts are masked at prediction time too, so the model only ever adds
what the terms do not already say. ``pipeline.link`` combines both.

Train (fixed seed; reads the public corpora from their paths, never copies them):

    python -m pipeline.link_model --taxonomy configs/taxonomies/jinshan_four_clusters.toml \\
        --out models/linker_jinshan_four_clusters.joblib
"""
from __future__ import annotations

import argparse
import random
import re
import time
from pathlib import Path
from typing import Iterable, Sequence

import joblib
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import train_test_split
from sklearn.pipeline import Pipeline

from pipeline.language import PROJECT_ROOT
from pipeline.taxonomy import Taxonomy, load_taxonomy

NONE_LABEL = "none"
PLACEHOLDER = "□"
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

    def __init__(self, terms: Sequence[str] = (), placeholder: str = PLACEHOLDER):
        self.terms = terms
        self.placeholder = placeholder

    def fit(self, texts: Iterable[str], labels: Iterable[str] | None = None) -> "TermMasker":
        words = sorted({t.lower() for t in self.terms}, key=len, reverse=True)
        self.pattern_ = re.compile("|".join(map(re.escape, words))) if words else None
        return self

    def transform(self, texts: Iterable[str]) -> list[str]:
        return [self.mask(text) for text in texts]

    def mask(self, text: str) -> str:
        if self.pattern_ is None:
            return text
        # Match on the lower-cased text, cut the original: same offsets, original case kept.
        pieces, last = [], 0
        for match in self.pattern_.finditer(text.lower()):
            pieces += [text[last:match.start()], self.placeholder]
            last = match.end()
        return "".join(pieces) + text[last:]


def build_model(taxonomy: Taxonomy, seed: int = 0) -> Pipeline:
    """The untrained model: masker → character n-gram TF-IDF → logistic regression."""
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
    # The corpus readers live with the ORG recognizer; imported here only, as they pull in torch.
    from pipeline.org_model import read_bio, read_cluener

    sentences: list[str] = []
    for path in map(Path, paths):
        rows = read_bio(path) if path.suffix == ".bio" else read_cluener(path)
        sentences += ["".join(chars) for chars, _ in rows]
    return sentences


def train(taxonomy_path: str | Path, corpus_paths: Sequence[str | Path], seed: int = 0,
          dev_share: float = 0.1) -> tuple[dict, dict]:
    """Train on weak labels; returns (artifact to save, metrics on the held-out weak labels)."""
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
    artifact = {"taxonomy": taxonomy.name, "model": model, "seed": seed,
                "corpora": [Path(p).name for p in corpus_paths], "metrics": metrics}
    return artifact, metrics


def load_link_model(path: str | Path, taxonomy: Taxonomy) -> Pipeline:
    """A saved model; raises if it was trained for another taxonomy."""
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"linking model not found: {path}")
    artifact = joblib.load(path)
    if artifact["taxonomy"] != taxonomy.name:
        raise ValueError(f"{path} was trained for taxonomy {artifact['taxonomy']!r}, not {taxonomy.name!r}")
    return artifact["model"]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m pipeline.link_model", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--taxonomy", required=True, help="a configs/taxonomies/*.toml file")
    parser.add_argument("--out", required=True, help="where to save the model (.joblib)")
    parser.add_argument("--corpus", nargs="+", default=[str(p) for p in DEFAULT_CORPORA],
                        help="unlabelled text: .bio (MSRA) or .json (CLUENER) files")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    started = time.perf_counter()
    artifact, metrics = train(args.taxonomy, args.corpus, seed=args.seed)
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    joblib.dump(artifact, out, compress=3)
    print(f"examples per label: {metrics['examples']}")
    print(f"held-out weak-label accuracy: {metrics['dev_accuracy']}  recall by label: {metrics['dev_recall_by_label']}")
    print(f"saved {out} ({out.stat().st_size / 1e6:.2f} MB) in {time.perf_counter() - started:.0f} s")
    return 0


if __name__ == "__main__":
    # Through the package module, so the saved model refers to pipeline.link_model.TermMasker
    # and not to __main__.TermMasker, which nothing else could load.
    from pipeline.link_model import main as package_main

    raise SystemExit(package_main())
