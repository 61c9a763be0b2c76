"""Scoring predictions against hand-annotated gold rows (both in the output schema).

Span scores are micro-averaged over documents, per label, in two modes: *exact* (same start,
end and label) and *partial* (overlapping spans of the same label, matched one to one,
largest overlap first). A gold entity marked ``"optional": true`` is never a miss, and a
prediction that matches it is neither a hit nor a false alarm.

Value scores are taken over matched pairs: MONEY over exact matches (value, upper bound and
currency), TARGET over partial matches (value and unit; metric and deadline/period are
reported too). ``TARGET value F1`` counts a prediction as a hit only when it overlaps a gold
target *and* has its value. Linking accuracy is the share of partial matches, all labels,
whose cluster sets are equal. Conflicts are found when a predicted conflict warning names
the same spans as a gold one.
"""
from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any, Iterable, Sequence

LABELS = ("ORG", "PARK", "MONEY", "TARGET")


@dataclass
class Counts:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def as_dict(self) -> dict[str, float | int]:
        return {"tp": self.tp, "fp": self.fp, "fn": self.fn, "precision": round(self.precision, 4),
                "recall": round(self.recall, 4), "f1": round(self.f1, 4)}


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


def exact_span_counts(gold_spans: Iterable[Iterable[tuple]], pred_spans: Iterable[Iterable[tuple]],
                      labels: Sequence[str]) -> Counts:
    """Exact (start, end, label) matches of the given labels, summed over documents (one span
    list per document): the comparison of published NER scores."""
    counts = Counts()
    for gold, pred in zip(gold_spans, pred_spans):
        gold_set = {tuple(span) for span in gold if span[2] in labels}
        pred_set = {tuple(span) for span in pred if span[2] in labels}
        counts.tp += len(gold_set & pred_set)
        counts.fp += len(pred_set - gold_set)
        counts.fn += len(gold_set - pred_set)
    return counts


def _overlap(a: dict[str, Any], b: dict[str, Any]) -> int:
    return max(0, min(a["end"], b["end"]) - max(a["start"], b["start"]))


def match_spans(gold: list[dict], pred: list[dict], partial: bool) -> list[tuple[int, int]]:
    """One-to-one (gold index, pred index) pairs of the same label: exact, or overlapping."""
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


def _count(counts: dict[str, Counts], gold: list[dict], pred: list[dict], pairs: list[tuple[int, int]]) -> None:
    matched_gold = {gi for gi, _ in pairs}
    matched_pred = {pi for _, pi in pairs}
    for gi, pi in pairs:
        if not gold[gi].get("optional"):
            counts[gold[gi]["label"]].tp += 1
    for gi, g in enumerate(gold):
        if gi not in matched_gold and not g.get("optional"):
            counts[g["label"]].fn += 1
    for pi, p in enumerate(pred):
        if pi not in matched_pred:
            counts[p["label"]].fp += 1


@dataclass
class Scorecard:
    documents: int = 0
    missing: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    exact: dict[str, Counts] = field(default_factory=lambda: defaultdict(Counts))
    partial: dict[str, Counts] = field(default_factory=lambda: defaultdict(Counts))
    target_value_f1: Counts = field(default_factory=Counts)
    money_value: Accuracy = field(default_factory=Accuracy)
    money_qualifier: Accuracy = field(default_factory=Accuracy)
    target_value: Accuracy = field(default_factory=Accuracy)
    target_metric: Accuracy = field(default_factory=Accuracy)
    target_time: Accuracy = field(default_factory=Accuracy)
    linking: dict[str, Accuracy] = field(default_factory=lambda: defaultdict(Accuracy))
    conflicts: Accuracy = field(default_factory=Accuracy)
    predicted_conflicts: int = 0

    def add_document(self, gold_row: dict, pred_row: dict | None) -> None:
        self.documents += 1
        if pred_row is None:
            self.missing.append(gold_row["id"])
            pred_row = {"entities": [], "warnings": []}
        elif pred_row.get("error"):
            self.errors.append(f"{gold_row['id']}: {pred_row['error']}")
        gold = [e for e in gold_row.get("entities", []) if e["label"] in LABELS]
        pred = [e for e in pred_row.get("entities") or [] if e["label"] in LABELS]
        exact_pairs = match_spans(gold, pred, partial=False)
        partial_pairs = match_spans(gold, pred, partial=True)
        _count(self.exact, gold, pred, exact_pairs)
        _count(self.partial, gold, pred, partial_pairs)
        for gi, pi in exact_pairs:
            g, p = gold[gi], pred[pi]
            if g["label"] == "MONEY" and not g.get("optional"):
                self.money_value.add(money_value_right(g, p))
                self.money_qualifier.add(g.get("qualifier", "=") == p.get("qualifier", "="))
        target_hits = 0
        for gi, pi in partial_pairs:
            g, p = gold[gi], pred[pi]
            if g.get("optional"):
                continue
            self.linking[g["label"]].add(sorted(g.get("clusters") or []) == sorted(p.get("clusters") or []))
            if g["label"] == "TARGET":
                right = target_value_right(g, p)
                target_hits += right
                self.target_value.add(right)
                self.target_metric.add(g.get("metric") == p.get("metric"))
                self.target_time.add(g.get("deadline") == p.get("deadline") and g.get("period") == p.get("period"))
        gold_targets = [g for g in gold if g["label"] == "TARGET"]
        optional_hits = sum(1 for gi, pi in partial_pairs if gold[gi]["label"] == "TARGET" and gold[gi].get("optional"))
        pred_targets = sum(1 for p in pred if p["label"] == "TARGET") - optional_hits
        self.target_value_f1.tp += target_hits
        self.target_value_f1.fp += pred_targets - target_hits
        self.target_value_f1.fn += sum(1 for g in gold_targets if not g.get("optional")) - target_hits
        self._add_conflicts(gold_row.get("warnings", []), pred_row.get("warnings") or [])

    def _add_conflicts(self, gold_warnings: list[dict], pred_warnings: list[dict]) -> None:
        def span_set(warning: dict) -> frozenset:
            return frozenset(tuple(span) for span in warning.get("spans", []))

        predicted = {span_set(w) for w in pred_warnings if w.get("type") == "conflict"}
        self.predicted_conflicts += len(predicted)
        for warning in gold_warnings:
            if warning.get("type") == "conflict":
                self.conflicts.add(span_set(warning) in predicted)

    @property
    def linking_overall(self) -> Accuracy:
        total = Accuracy()
        for accuracy in self.linking.values():
            total.correct += accuracy.correct
            total.total += accuracy.total
        return total

    def as_dict(self) -> dict[str, Any]:
        labels = [label for label in LABELS if label in self.exact or label in self.partial]
        return {
            "documents": self.documents,
            "missing_predictions": self.missing,
            "errors": self.errors,
            "exact": {label: self.exact[label].as_dict() for label in labels},
            "partial": {label: self.partial[label].as_dict() for label in labels},
            "money_value_accuracy": self.money_value.as_dict(),
            "money_qualifier_accuracy": self.money_qualifier.as_dict(),
            "target_value_accuracy": self.target_value.as_dict(),
            "target_metric_accuracy": self.target_metric.as_dict(),
            "target_deadline_period_accuracy": self.target_time.as_dict(),
            "target_value_f1": self.target_value_f1.as_dict(),
            "linking_accuracy": self.linking_overall.as_dict(),
            "linking_accuracy_by_label": {label: acc.as_dict() for label, acc in sorted(self.linking.items())},
            "conflicts_found": self.conflicts.as_dict(),
            "conflicts_predicted": self.predicted_conflicts,
        }


def gold_examples(nlp: Any, gold_rows: Iterable[dict]) -> list[Any]:
    """spaCy ``Example``s of gold rows, for ``nlp.evaluate``: the reference ``Doc`` has one
    token per character, so every gold span aligns whatever the segmentation does."""
    from spacy.tokens import Doc
    from spacy.training import Example

    from pipeline.stages.extensions import ENTITY_SPANS_KEY

    examples = []
    for row in gold_rows:
        text = row["text"]
        reference = Doc(nlp.vocab, words=list(text), spaces=[False] * len(text))
        reference.spans[ENTITY_SPANS_KEY] = [
            reference.char_span(e["start"], e["end"], label=e["label"])
            for e in row.get("entities", []) if not e.get("optional")
        ]
        examples.append(Example(nlp.make_doc(text), reference))
    return examples


def score(gold_rows: Iterable[dict], pred_rows: Iterable[dict]) -> Scorecard:
    """Scorecard of ``pred_rows`` against ``gold_rows`` (matched by ``id``)."""
    predictions = {row["id"]: row for row in pred_rows}
    card = Scorecard()
    for gold_row in gold_rows:
        card.add_document(gold_row, predictions.get(gold_row["id"]))
    return card


def format_scorecard(card: Scorecard) -> str:
    """The scorecard as a plain-text table."""
    data = card.as_dict()
    lines = [f"documents: {data['documents']}"
             + (f"  missing predictions: {len(card.missing)}" if card.missing else "")
             + (f"  errors: {len(card.errors)}" if card.errors else ""),
             "",
             f"{'label':<8}{'exact P':>9}{'exact R':>9}{'exact F1':>10}{'part. P':>9}{'part. R':>9}{'part. F1':>10}"
             f"{'gold':>6}{'pred':>6}"]
    for label in data["exact"]:
        e, p = card.exact[label], card.partial[label]
        lines.append(f"{label:<8}{e.precision:>9.3f}{e.recall:>9.3f}{e.f1:>10.3f}{p.precision:>9.3f}"
                     f"{p.recall:>9.3f}{p.f1:>10.3f}{e.tp + e.fn:>6}{e.tp + e.fp:>6}")
    lines.append("")

    def accuracy_line(name: str, acc: Accuracy) -> str:
        return f"{name:<36}{acc.value:>7.3f}  ({acc.correct}/{acc.total})"

    lines += [
        accuracy_line("MONEY value accuracy (exact spans)", card.money_value),
        accuracy_line("MONEY qualifier accuracy", card.money_qualifier),
        accuracy_line("TARGET value accuracy (overlap)", card.target_value),
        accuracy_line("TARGET metric accuracy", card.target_metric),
        accuracy_line("TARGET deadline/period accuracy", card.target_time),
        f"{'TARGET overlap+value F1':<36}{card.target_value_f1.f1:>7.3f}  "
        f"(P {card.target_value_f1.precision:.3f} R {card.target_value_f1.recall:.3f})",
        accuracy_line("cluster linking accuracy", card.linking_overall),
    ]
    for label, acc in sorted(card.linking.items()):
        lines.append(accuracy_line(f"  linking {label}", acc))
    lines.append(accuracy_line("conflicts found", card.conflicts)
                 + f"  predicted: {card.predicted_conflicts}")
    return "\n".join(lines)
