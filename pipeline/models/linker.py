"""A learned context model for cluster linking, trained from weak labels.

The taxonomy's evidence terms label unlabelled news sentences (``pipeline.training.linker``):
a sentence whose strong terms all belong to one cluster is an example of that cluster, a
sentence with no term at all an example of ``none`` (no industry). The matched terms are then
masked, so the model has to learn the cluster from the rest of the sentence (企业扩产,
临床试验, 生产线…) and can recognize a cluster in text that uses none of the listed words.

The model is a scikit-learn ``Pipeline``: ``TermMasker`` → character 1–3-gram TF-IDF →
logistic regression. Texts are masked at prediction time too, so the model only ever adds
what the terms do not already say. ``pipeline.stages.link`` combines both.
"""
from __future__ import annotations

import re
from pathlib import Path
from typing import Iterable, Sequence

import joblib
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline

from pipeline.grammar.taxonomy import Taxonomy

NONE_LABEL = "none"
PLACEHOLDER = "□"


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


def load_link_model(path: str | Path, taxonomy: Taxonomy) -> Pipeline:
    """A saved model; raises if it was trained for another taxonomy."""
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"linking model not found: {path}")
    artifact = joblib.load(path)
    if artifact["taxonomy"] != taxonomy.name:
        raise ValueError(f"{path} was trained for taxonomy {artifact['taxonomy']!r}, not {taxonomy.name!r}")
    return artifact["model"]
