"""The output schema (docs/output.md): one JSON-ready dict per document."""
from __future__ import annotations

from typing import Any

from spacy.tokens import Doc

from pipeline.stages.recognize import entity_spans

# Per-label fields, in output order; every entity also has start, end, label, text.
LABEL_FIELDS: dict[str, tuple[str, ...]] = {
    "ORG": ("canonical", "clusters"),
    "PARK": ("clusters",),
    "MONEY": ("value", "value_max", "currency", "qualifier", "per", "clusters"),
    "TARGET": ("metric", "value", "value_max", "unit", "qualifier", "per", "deadline", "period",
               "period_years", "condition", "clusters"),
}
TRACE_FIELDS = ("link_confidence", "link_evidence", "link_sentence", "link_model", "source")


def entity_record(span: Any, text: str) -> dict[str, Any]:
    attrs = span._.attrs or {}
    record: dict[str, Any] = {
        "start": span.start_char,
        "end": span.end_char,
        "label": span.label_,
        "text": text[span.start_char:span.end_char],
    }
    for name in LABEL_FIELDS.get(span.label_, ()) + TRACE_FIELDS:
        default = [] if name in ("clusters", "link_evidence") else None
        record[name] = attrs.get(name, default)
    return record


def doc_record(doc_id: str, doc: Doc, text: str | None = None) -> dict[str, Any]:
    """The output row of a processed document; ``text`` is its text when the caller has it
    (``Doc.text`` rebuilds the string from every token)."""
    text = doc.text if text is None else text
    return {
        "id": doc_id,
        "text": text,
        "entities": [entity_record(span, text) for span in entity_spans(doc)],
        "warnings": doc._.warnings or [],
        "error": None,
    }


def error_record(doc_id: str, text: Any, error: str) -> dict[str, Any]:
    """The output row of a document that could not be processed."""
    return {
        "id": doc_id,
        "text": text if isinstance(text, str) else None,
        "entities": [],
        "warnings": [],
        "error": error,
    }
