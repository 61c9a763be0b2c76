"""Scoring a recognizer alone on a BIO or BIOES corpus (MSRA style: ``char<TAB>tag`` lines).

Researchers compare NER systems on such corpora, so ``newsie eval --format bio`` reports the
figures of published work: each sentence is one text, scored by the one span scorer (strict:
same start, end and label, micro-averaged), the sentences being the documents of the
scorecard (and the units of its confidence intervals).
"""
from __future__ import annotations

from typing import Any, Callable, Sequence

from pipeline.evaluation.scoring import Scorecard, score
from pipeline.evaluation.tags import read_tagged

# A recognizer maps texts to their (start, end, label) spans.
Recognize = Callable[[list[str]], list[list[tuple[int, int, str]]]]


def recognize_rows(gold_rows: list[dict], recognize: Recognize) -> list[dict]:
    """Prediction rows of ``recognize`` on the texts of the gold rows."""
    predictions = recognize([row["text"] for row in gold_rows])
    return [{"id": row["id"], "text": row["text"], "error": None,
             "entities": [{"start": s, "end": e, "label": label} for s, e, label in spans]}
            for row, spans in zip(gold_rows, predictions)]


def score_bio(path: str, recognize: Recognize, labels: Sequence[str] = ("ORG",),
              scheme: str = "auto") -> tuple[Scorecard, list[dict], list[dict]]:
    """The scorecard of ``recognize`` on the sentences of a tag file, with the gold and the
    predicted rows."""
    _, gold_rows = read_tagged(path, scheme)
    pred_rows = recognize_rows(gold_rows, recognize)
    return score(gold_rows, pred_rows, labels), gold_rows, pred_rows


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
