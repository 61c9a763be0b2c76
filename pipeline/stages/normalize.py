"""Stage 4, normalize: values of MONEY mentions and frames of TARGET mentions.

Input: a ``Doc`` with mentions in ``doc.spans["newsie"]``. Output, in each span's
``span._.attrs``: for MONEY ``value`` (in units of ``currency``), ``value_max`` (upper bound
of a range), ``currency``, ``qualifier`` (``=``, ``~``, ``>``, ``>=``, ``<``, ``<=``) and
``per`` (亩, 年, 人… for per-unit amounts); for TARGET ``metric``, ``value``, ``value_max``,
``unit`` (``%``, ``pp``, a currency code or a measure word), ``qualifier``, ``per``,
``deadline`` (a year), ``period`` (十四五) and ``period_years``. The readings come from the
span and its context in the clean text, so spans from any recognizer are normalized alike.
"""
from __future__ import annotations

from dataclasses import replace
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc

from pipeline.grammar.amounts import find_amounts, normalize_amount
from pipeline.stages.recognize import entity_spans
from pipeline.text.sentences import SentenceIndex
from pipeline.grammar.targets import find_quantities, frame_at, period_years


def money_attributes(text: str, start: int, end: int) -> dict[str, Any]:
    """Normalized value of a MONEY span; ``value`` None when it cannot be read."""
    amount = normalize_amount(text, start, end)
    if amount is None:
        return {"value": None, "value_max": None, "currency": None, "qualifier": "=", "per": None}
    return {
        "value": amount.value,
        "value_max": amount.value_max,
        "currency": amount.currency,
        "qualifier": amount.qualifier,
        "per": amount.per,
    }


def target_attributes(text: str, start: int, end: int, sentences: SentenceIndex) -> dict[str, Any]:
    """Frame of a TARGET span: the last quantity inside it, read in its sentence;
    ``sentences`` index ``text``."""
    # Only the sentence up to the span's end is scanned, so the cost does not grow with
    # the length of the document; offsets found in it are shifted back.
    sentence_start = min(start, sentences.bounds(start)[0])
    region = text[sentence_start:end]
    quantities = [replace(q, start=q.start + sentence_start, end=q.end + sentence_start)
                  for q in find_quantities(region, find_amounts(region))]
    inside = [index for index, q in enumerate(quantities) if q.start >= start]
    frame = frame_at(text, quantities, inside[-1], sentences)[0] if inside else None
    if frame is None:
        return {"metric": None, "value": None, "value_max": None, "unit": None, "qualifier": "=",
                "per": None, "deadline": None, "period": None, "period_years": None, "condition": None}
    return {
        "metric": frame.metric,
        "value": frame.value,
        "value_max": frame.value_max,
        "unit": frame.unit,
        "qualifier": frame.qualifier,
        "per": frame.per,
        "deadline": frame.deadline,
        "period": frame.period,
        "period_years": list(period_years(frame.period)) if frame.period else None,
        "condition": frame.condition,
    }


class Normalizer:
    """spaCy component: fills the normalized attributes of MONEY and TARGET spans."""

    def __init__(self, name: str):
        self.name = name

    def __call__(self, doc: Doc) -> Doc:
        text = doc._.clean_text or doc.text
        sentences = SentenceIndex(text)
        for span in entity_spans(doc):
            attrs = span._.attrs if span._.attrs is not None else {}
            if span.label_ == "MONEY":
                attrs.update(money_attributes(text, span.start_char, span.end_char))
            elif span.label_ == "TARGET":
                attrs.update(target_attributes(text, span.start_char, span.end_char, sentences))
            span._.attrs = attrs
        return doc


@Language.factory("newsie_normalize")
def make_normalizer(nlp: Language, name: str) -> Normalizer:
    return Normalizer(name)
