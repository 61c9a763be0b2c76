"""The scorecard: predicted rows against hand-annotated gold rows (both in the output schema).

Spans are compared by the one span scorer, ``pipeline.text.spans.compare_spans`` (nervaluate's
four schemes, optional gold mentions set aside). Reported: per label the ``strict`` and
``ent_type`` figures, their micro average (counts pooled over labels) and macro average (the
mean of the labels' figures), and the label-blind ``exact`` and ``partial`` figures.

What nervaluate does not score, kept here, on the mentions matched one to one (same label,
largest overlap first; optional gold mentions left out):
- MONEY value and qualifier accuracy over ``strict`` matches (value, upper bound, currency);
- TARGET value, metric and deadline/period accuracy over overlapping matches, and
  ``TARGET value F1``: a predicted target is a hit when it overlaps a gold one *and* has its
  value and unit;
- linking accuracy: the share of overlapping matches, all labels, whose cluster sets are equal
  (gold mentions with a ``clusters`` field only);
- conflicts found: gold conflict warnings that a predicted one names by the same spans.

Every figure is a function of counts, and every count is kept with the document and offset
it comes from, so that ``pipeline.evaluation.bootstrap`` can resample documents or sentences.
"""
from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Iterable, NamedTuple

from pipeline.text.spans import (ALL_LABELS, CATEGORIES, LABEL_AWARE, EvaluationResult, Span, compare_spans,
                                 metrics, set_aside_optional)

LABELS = ("ORG", "PARK", "MONEY", "TARGET")
# The accuracies of the scorecard: key → its name in the JSON output and the table.
ACCURACIES = {
    "money_value": "MONEY value accuracy (strict matches)",
    "money_qualifier": "MONEY qualifier accuracy",
    "target_value": "TARGET value accuracy (overlap)",
    "target_metric": "TARGET metric accuracy",
    "target_time": "TARGET deadline/period accuracy",
    "linking": "cluster linking accuracy",
    "conflicts": "conflicts found",
}
JSON_NAMES = {"money_value": "money_value_accuracy", "money_qualifier": "money_qualifier_accuracy",
              "target_value": "target_value_accuracy", "target_metric": "target_metric_accuracy",
              "target_time": "target_deadline_period_accuracy", "linking": "linking_accuracy",
              "conflicts": "conflicts_found"}


class Event(NamedTuple):
    """One count: ``key`` is ("span", scheme, label, category), ("acc", name, "correct" or
    "total") or ("target_value_f1", category); ``document`` and ``offset`` say where."""
    document: int
    offset: int
    key: tuple[str, ...]


@dataclass
class Accuracy:
    correct: int = 0
    total: int = 0

    def add(self, ok: bool) -> None:
        self.correct += int(ok)
        self.total += 1

    @property
    def value(self) -> float:
        return self.correct / self.total if self.total else 0.0

    def as_dict(self) -> dict[str, float | int]:
        return {"correct": self.correct, "total": self.total, "accuracy": round(self.value, 4)}


def _overlap(a: dict[str, Any], b: dict[str, Any]) -> int:
    return max(0, min(a["end"], b["end"]) - max(a["start"], b["start"]))


def match_spans(gold: list[dict], pred: list[dict], partial: bool) -> list[tuple[int, int]]:
    """One-to-one (gold index, pred index) pairs of the same label: exact, or overlapping
    (largest overlap first): the pairs whose values, frames and clusters are compared."""
    candidates = []
    for gi, g in enumerate(gold):
        for pi, p in enumerate(pred):
            if g["label"] != p["label"]:
                continue
            if partial:
                size = _overlap(g, p)
                if size:
                    candidates.append((-size, gi, pi))
            elif g["start"] == p["start"] and g["end"] == p["end"]:
                candidates.append((0, gi, pi))
    pairs, used_gold, used_pred = [], set(), set()
    for _, gi, pi in sorted(candidates):
        if gi not in used_gold and pi not in used_pred:
            pairs.append((gi, pi))
            used_gold.add(gi)
            used_pred.add(pi)
    return pairs


def same_number(a: Any, b: Any) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return math.isclose(float(a), float(b), rel_tol=1e-6, abs_tol=1e-9)


def money_value_right(gold: dict, pred: dict) -> bool:
    return (same_number(gold.get("value"), pred.get("value"))
            and same_number(gold.get("value_max"), pred.get("value_max"))
            and (gold.get("currency") or "CNY") == (pred.get("currency") or "CNY"))


def target_value_right(gold: dict, pred: dict) -> bool:
    return same_number(gold.get("value"), pred.get("value")) and gold.get("unit") == pred.get("unit")


def target_time_right(gold: dict, pred: dict) -> bool:
    return gold.get("deadline") == pred.get("deadline") and gold.get("period") == pred.get("period")


def as_span(entity: dict) -> Span:
    return int(entity["start"]), int(entity["end"]), entity["label"]


def split_entities(row: dict, labels: Iterable[str] = LABELS) -> tuple[list[dict], list[dict]]:
    """The required and the optional gold entities of a row, of the given labels."""
    entities = [e for e in row.get("entities") or [] if e["label"] in labels]
    return [e for e in entities if not e.get("optional")], [e for e in entities if e.get("optional")]


def kept_predictions(required: list[dict], optional: list[dict], pred: list[dict]) -> list[dict]:
    """The predicted entities that count (those of optional gold mentions set aside)."""
    kept = set(set_aside_optional([as_span(e) for e in required], [as_span(e) for e in optional],
                                  [as_span(e) for e in pred]))
    return [e for e in pred if as_span(e) in kept]


def document_events(document: int, gold_row: dict, pred_row: dict, labels: Iterable[str] = LABELS) -> list[Event]:
    """Every count that one document adds to the scorecard."""
    labels = tuple(labels)
    required, optional = split_entities(gold_row, labels)
    pred = [e for e in pred_row.get("entities") or [] if e["label"] in labels]
    events = [Event(document, o.offset, ("span", o.scheme, o.label, o.category))
              for o in compare_spans([as_span(e) for e in required], [as_span(e) for e in pred],
                                     [as_span(e) for e in optional])]
    pred = kept_predictions(required, optional, pred)

    def accuracy(name: str, entity: dict, ok: bool) -> None:
        events.append(Event(document, entity["start"], ("acc", name, "total")))
        if ok:
            events.append(Event(document, entity["start"], ("acc", name, "correct")))

    for gi, pi in match_spans(required, pred, partial=False):
        g, p = required[gi], pred[pi]
        if g["label"] == "MONEY":
            accuracy("money_value", g, money_value_right(g, p))
            accuracy("money_qualifier", g, g.get("qualifier", "=") == p.get("qualifier", "="))
    overlapping = match_spans(required, pred, partial=True)
    for gi, pi in overlapping:
        g, p = required[gi], pred[pi]
        if "clusters" in g:  # a gold file without clusters (a BIO corpus) says nothing about linking
            linked = sorted(g["clusters"] or []) == sorted(p.get("clusters") or [])
            accuracy("linking", g, linked)
            accuracy(f"linking:{g['label']}", g, linked)
        if g["label"] == "TARGET":
            accuracy("target_value", g, target_value_right(g, p))
            accuracy("target_metric", g, g.get("metric") == p.get("metric"))
            accuracy("target_time", g, target_time_right(g, p))
            if target_value_right(g, p):
                events.append(Event(document, p["start"], ("target_value_f1", "correct")))
            else:
                events += [Event(document, p["start"], ("target_value_f1", "spurious")),
                           Event(document, g["start"], ("target_value_f1", "missed"))]
    matched_gold, matched_pred = {gi for gi, _ in overlapping}, {pi for _, pi in overlapping}
    events += [Event(document, p["start"], ("target_value_f1", "spurious"))
               for pi, p in enumerate(pred) if p["label"] == "TARGET" and pi not in matched_pred]
    events += [Event(document, g["start"], ("target_value_f1", "missed"))
               for gi, g in enumerate(required) if g["label"] == "TARGET" and gi not in matched_gold]
    events += _conflict_events(document, gold_row.get("warnings") or [], pred_row.get("warnings") or [])
    return events


def _conflict_events(document: int, gold_warnings: list[dict], pred_warnings: list[dict]) -> list[Event]:
    def span_set(warning: dict) -> frozenset:
        return frozenset(tuple(span) for span in warning.get("spans") or [])

    predicted = {span_set(w) for w in pred_warnings if w.get("type") == "conflict"}
    events = [Event(document, 0, ("conflicts_predicted",)) for _ in predicted]
    for warning in gold_warnings:
        if warning.get("type") == "conflict":
            offset = min((span[0] for span in warning.get("spans") or []), default=0)
            events.append(Event(document, offset, ("acc", "conflicts", "total")))
            if span_set(warning) in predicted:
                events.append(Event(document, offset, ("acc", "conflicts", "correct")))
    return events


def _scheme_figures(scheme: str, counts: Counter, label: str) -> dict[str, float | int]:
    tally = {category: counts[("span", scheme, label, category)] for category in CATEGORIES}
    result = metrics(scheme, tally)
    return {**tally, "possible": result.possible, "actual": result.actual, "precision": round(result.precision, 4),
            "recall": round(result.recall, 4), "f1": round(result.f1, 4)}


def summarize(counts: Counter, labels: Iterable[str]) -> dict[str, Any]:
    """All figures of summed counts: per scheme, per label, micro and macro; accuracies."""
    labels = list(labels)
    schemes: dict[str, dict[str, Any]] = {}
    for scheme in LABEL_AWARE:
        table = {label: _scheme_figures(scheme, counts, label) for label in labels}
        pooled = Counter({("span", scheme, "micro", c): sum(table[label][c] for label in labels) for c in CATEGORIES})
        table["micro"] = _scheme_figures(scheme, pooled, "micro")
        # the mean over the labels that occur (in gold or predictions) in these counts
        present = [label for label in labels if table[label]["possible"] + table[label]["actual"]]
        table["macro"] = {name: round(sum(table[label][name] for label in present) / len(present), 4) if present
                          else 0.0 for name in ("precision", "recall", "f1")}
        schemes[scheme] = table
    for scheme in ("exact", "partial"):
        schemes[scheme] = {ALL_LABELS: _scheme_figures(scheme, counts, ALL_LABELS)}
    out: dict[str, Any] = {"schemes": schemes}
    for name in ACCURACIES:
        out[JSON_NAMES[name]] = _accuracy(counts, name).as_dict()
    linked = sorted({key[1].split(":", 1)[1] for key in counts if key[0] == "acc" and key[1].startswith("linking:")})
    out["linking_accuracy_by_label"] = {label: _accuracy(counts, f"linking:{label}").as_dict() for label in linked}
    value_counts = Counter({("span", "strict", "tv", c): counts[("target_value_f1", c)] for c in CATEGORIES})
    out["target_value_f1"] = _scheme_figures("strict", value_counts, "tv")
    out["conflicts_predicted"] = counts[("conflicts_predicted",)]
    return out


def _accuracy(counts: Counter, name: str) -> Accuracy:
    return Accuracy(counts[("acc", name, "correct")], counts[("acc", name, "total")])


@dataclass
class Scorecard:
    """The counts of a scored corpus, with where each comes from."""
    documents: list[dict] = field(default_factory=list)  # the gold rows, in order
    missing: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    labels: tuple[str, ...] = LABELS

    def add_document(self, gold_row: dict, pred_row: dict | None) -> None:
        if pred_row is None:
            self.missing.append(gold_row["id"])
            pred_row = {"entities": [], "warnings": []}
        elif pred_row.get("error"):
            self.errors.append(f"{gold_row['id']}: {pred_row['error']}")
        self.events += document_events(len(self.documents), gold_row, pred_row, self.labels)
        self.documents.append(gold_row)

    def counts(self) -> Counter:
        return Counter(event.key for event in self.events)

    def scored_labels(self) -> list[str]:
        """The labels with a gold or predicted mention, in the order of ``labels``."""
        seen = {key[2] for key in self.counts() if key[0] == "span"}
        return [label for label in self.labels if label in seen]

    def figure(self, scheme: str, label: str, name: str = "f1") -> float:
        return self.as_dict()["schemes"][scheme][label][name]

    def accuracy(self, name: str) -> Accuracy:
        return _accuracy(self.counts(), name)

    def as_dict(self) -> dict[str, Any]:
        return {"documents": len(self.documents), "missing_predictions": self.missing, "errors": self.errors,
                **summarize(self.counts(), self.scored_labels())}


def score(gold_rows: Iterable[dict], pred_rows: Iterable[dict], labels: Iterable[str] = LABELS) -> Scorecard:
    """Scorecard of ``pred_rows`` against ``gold_rows`` (matched by ``id``)."""
    predictions = {row["id"]: row for row in pred_rows}
    card = Scorecard(labels=tuple(labels))
    for gold_row in gold_rows:
        card.add_document(gold_row, predictions.get(gold_row["id"]))
    return card


def strict_result(gold_spans: Iterable[Iterable[Span]], pred_spans: Iterable[Iterable[Span]],
                  labels: Iterable[str]) -> EvaluationResult:
    """Strict counts and P/R/F1 of span lists (one list per document), pooled over ``labels``:
    the comparison of published NER scores, for training and benchmarks."""
    labels = tuple(labels)
    counts: Counter = Counter()
    for gold, pred in zip(gold_spans, pred_spans):
        counts.update(o.category for o in compare_spans(gold, pred, labels=labels) if o.scheme == "strict")
    return metrics("strict", counts)


def gold_examples(nlp: Any, gold_rows: Iterable[dict]) -> list[Any]:
    """spaCy ``Example``s of gold rows, for ``nlp.evaluate``: the reference ``Doc`` has one
    token per character, so every gold span aligns whatever the segmentation does; optional
    gold mentions go into their own span group, which ``Recognizer.score`` reads."""
    from spacy.tokens import Doc
    from spacy.training import Example

    from pipeline.stages.extensions import ENTITY_SPANS_KEY, OPTIONAL_SPANS_KEY

    examples = []
    for row in gold_rows:
        text = row["text"]
        reference = Doc(nlp.vocab, words=list(text), spaces=[False] * len(text))
        required, optional = split_entities(row)
        for key, entities in ((ENTITY_SPANS_KEY, required), (OPTIONAL_SPANS_KEY, optional)):
            reference.spans[key] = [reference.char_span(e["start"], e["end"], label=e["label"]) for e in entities]
        examples.append(Example(nlp.make_doc(text), reference))
    return examples
