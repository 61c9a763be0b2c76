"""Scoring a recognizer alone on a BIO/CoNLL corpus (MSRA style: ``char<TAB>tag`` lines).

Researchers compare NER systems on such corpora, so ``newsie eval --format bio`` reports the
same exact-span P/R/F1 as published work: each sentence is one text, spans are compared by
(start, end, label), micro-averaged.
"""
from __future__ import annotations

from typing import Any, Callable, Sequence

from pipeline.evaluation.scoring import Counts, exact_span_counts

# A recognizer maps texts to their (start, end, label) spans.
Recognize = Callable[[list[str]], list[list[tuple[int, int, str]]]]


def score_bio(path: str, recognize: Recognize, labels: Sequence[str] = ("ORG",)) -> dict[str, Counts]:
    """Exact-span counts per label of ``recognize`` on the sentences of a BIO file."""
    from pipeline.models.org.data import bio_to_spans, read_bio

    sentences = read_bio(path)
    texts = ["".join(chars) for chars, _ in sentences]
    predictions = recognize(texts)
    gold = [bio_to_spans(tags) for _, tags in sentences]
    return {label: exact_span_counts(gold, predictions, (label,)) for label in labels}


def model_recognizer(source: str | list[str], labels: Sequence[str], style: str | None = None) -> Recognize:
    """The statistical model alone (following annotation ``style``, for models that read one)."""
    from pipeline.models.org.tagger import OrgModel

    model = OrgModel.load(source, style=style)
    return lambda texts: model.predict(texts, labels=tuple(labels))


def pipeline_recognizer(config_path: str, overrides: dict[str, Any] | None = None) -> Recognize:
    """The whole recognize stage (model, rules, repeated names) through the pipeline."""
    from pipeline.language import load_pipeline

    nlp = load_pipeline(config_path, overrides)

    def recognize(texts: list[str]) -> list[list[tuple[int, int, str]]]:
        return [[(e.start_char, e.end_char, e.label_) for e in doc.ents] for doc in nlp.pipe(texts, batch_size=256)]

    return recognize
