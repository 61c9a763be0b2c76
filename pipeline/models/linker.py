"""A learned context model for cluster linking, trained from weak labels.

The taxonomy's evidence terms label unlabelled news sentences (``pipeline.training.linker``):
a sentence whose strong terms all belong to one cluster is an example of that cluster, a
sentence with no term at all an example of ``none`` (no industry). The matched terms are then
masked, so the model has to learn the cluster from the rest of the sentence (企业扩产,
临床试验, 生产线…) and can recognize a cluster in text that uses none of the listed words.

The model is trained as a scikit-learn ``Pipeline``: ``TermMasker`` → character 1–3-gram
TF-IDF → logistic regression. Texts are masked at prediction time too, so the model only ever
adds what the terms do not already say. ``pipeline.stages.link`` combines both.

What is saved and loaded is ``LinkModel``: the fitted pipeline's arrays (vocabulary, idf,
coefficients) in one ``.npz`` file, and its ``predict_proba`` in numpy. Why not the pickled
pipeline: importing scikit-learn (and SciPy under it) and unpickling the vocabulary took 2 s of
every process's start, two thirds of the time-to-first-row goal (docs/scale.md), and a pickle
runs code when loaded. ``tests/test_link_model.py`` checks that both give the same
probabilities.
"""
from __future__ import annotations

import json
import re
from pathlib import Path
from typing import TYPE_CHECKING, Iterable, Sequence

import numpy as np

from pipeline.grammar.taxonomy import Taxonomy

if TYPE_CHECKING:
    from sklearn.pipeline import Pipeline  # training only (pipeline/training/linker.py)

NONE_LABEL = "none"
PLACEHOLDER = "□"


def term_pattern(terms: Iterable[str]) -> re.Pattern[str] | None:
    """One pattern of ``terms``, lower-cased, longest first (None for no terms)."""
    words = sorted({t.lower() for t in terms}, key=len, reverse=True)
    return re.compile("|".join(map(re.escape, words))) if words else None


def mask_terms(text: str, pattern: re.Pattern[str] | None, placeholder: str = PLACEHOLDER) -> str:
    """``text`` with every match of ``pattern`` replaced by ``placeholder``. Matched on the
    lower-cased text, cut from the original: same offsets, original case kept."""
    if pattern is None:
        return text
    pieces, last = [], 0
    for match in pattern.finditer(text.lower()):
        pieces += [text[last:match.start()], placeholder]
        last = match.end()
    return "".join(pieces) + text[last:]


# TfidfVectorizer's own whitespace folding before it cuts character n-grams.
_WHITESPACE_RUNS = re.compile(r"\s\s+")


class LinkModel:
    """The fitted pipeline of ``build_model`` as arrays: masking, character n-gram counts,
    sublinear tf × idf, l2 norm, then multinomial logistic regression (``predict_proba``), as
    scikit-learn computes them. ``info``: what the model was trained for and on (taxonomy,
    seed, corpora, held-out metrics)."""

    def __init__(self, terms: Sequence[str], vocabulary: Sequence[str], idf: np.ndarray, coef: np.ndarray,
                 intercept: np.ndarray, classes: Sequence[str], ngram_range: tuple[int, int], info: dict) -> None:
        self.terms = tuple(terms)
        self.pattern = term_pattern(self.terms)
        self.vocabulary = {ngram: index for index, ngram in enumerate(vocabulary)}
        self.idf, self.coef, self.intercept = idf, coef, intercept
        self._coef_by_feature = np.ascontiguousarray(coef.T)  # one row per n-gram
        self.classes_ = np.array(classes)
        self.ngram_range = ngram_range
        self.info = info

    @classmethod
    def from_pipeline(cls, pipeline: "Pipeline", info: dict) -> "LinkModel":
        """The arrays of a fitted ``build_model`` pipeline."""
        masker, features, classify = (pipeline.named_steps[name] for name in ("mask", "features", "classify"))
        params = features.get_params()
        expected = {"analyzer": "char", "lowercase": True, "sublinear_tf": True, "norm": "l2", "use_idf": True,
                    "binary": False, "strip_accents": None, "preprocessor": None}
        if any(params[key] != value for key, value in expected.items()):
            raise ValueError(f"LinkModel computes TfidfVectorizer({expected}) only, not {params}")
        vocabulary = sorted(features.vocabulary_, key=features.vocabulary_.get)
        return cls(masker.terms, vocabulary, features.idf_, classify.coef_, classify.intercept_,
                   [str(c) for c in classify.classes_], tuple(features.ngram_range), info)

    def save(self, path: str | Path) -> None:
        meta = {"terms": list(self.terms), "classes": self.classes_.tolist(), "ngram_range": list(self.ngram_range),
                "info": self.info}
        with Path(path).open("wb") as handle:  # a file handle: np.savez would add .npz to the name
            np.savez_compressed(handle, vocabulary=np.array(list(self.vocabulary)), idf=self.idf, coef=self.coef,
                                intercept=self.intercept, meta=np.array(json.dumps(meta, ensure_ascii=False)))

    @classmethod
    def load(cls, path: str | Path) -> "LinkModel":
        with np.load(path, allow_pickle=False) as arrays:
            meta = json.loads(str(arrays["meta"]))
            return cls(meta["terms"], arrays["vocabulary"].tolist(), arrays["idf"], arrays["coef"],
                       arrays["intercept"], meta["classes"], tuple(meta["ngram_range"]), meta["info"])

    def _ngrams(self, text: str) -> list[str]:
        text = _WHITESPACE_RUNS.sub(" ", mask_terms(text, self.pattern).lower())
        low, high = self.ngram_range
        return [text[i:i + n] for n in range(low, min(high, len(text)) + 1) for i in range(len(text) - n + 1)]

    def decision_function(self, texts: Sequence[str]) -> np.ndarray:
        """Class scores of ``texts``: each text's l2-normalised sublinear TF-IDF features (the
        few n-grams it has, never a row of all 40,000) times the coefficients, plus intercepts."""
        decision = np.tile(self.intercept, (len(texts), 1))
        for row, text in enumerate(texts):
            indices = [self.vocabulary[g] for g in self._ngrams(text) if g in self.vocabulary]
            if not indices:
                continue
            columns, counts = np.unique(indices, return_counts=True)
            values = (np.log(counts) + 1.0) * self.idf[columns]
            decision[row] += (values / np.linalg.norm(values)) @ self._coef_by_feature[columns]
        return decision

    def predict_proba(self, texts: Sequence[str]) -> np.ndarray:
        decision = self.decision_function(texts)
        if len(self.classes_) <= 2:  # one coefficient row: the logistic of the second class
            positive = 1.0 / (1.0 + np.exp(-decision[:, 0]))
            return np.stack([1.0 - positive, positive], axis=1)
        decision -= decision.max(axis=1, keepdims=True)
        exp = np.exp(decision)
        return exp / exp.sum(axis=1, keepdims=True)


def load_link_model(path: str | Path, taxonomy: Taxonomy) -> LinkModel:
    """A saved model; raises if it was trained for another taxonomy."""
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"linking model not found: {path}")
    try:
        model = LinkModel.load(path)
    except (ValueError, KeyError, OSError) as error:
        raise ValueError(f"{path} is not a linking model saved by newsie train linker ({error})") from error
    if model.info.get("taxonomy") != taxonomy.name:
        raise ValueError(f"{path} was trained for taxonomy {model.info.get('taxonomy')!r}, not {taxonomy.name!r}")
    return model
