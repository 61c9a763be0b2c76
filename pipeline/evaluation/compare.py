"""``newsie compare``: two systems' predictions on one gold set, the p-value of each
difference (``bootstrap.paired_test``), and the mentions on which the systems disagree."""
from __future__ import annotations

from typing import Any, Iterable

from pipeline.evaluation.bootstrap import paired_test
from pipeline.evaluation.errors import context
from pipeline.evaluation.scoring import LABELS, as_span, score, split_entities


def disagreements(gold_rows: list[dict], rows_a: list[dict], rows_b: list[dict],
                  labels: Iterable[str] = LABELS) -> list[dict[str, Any]]:
    """Per document, the mentions (same boundaries and label) only one system predicted, with
    whether the gold has them (``right``; None for an optional gold mention)."""
    labels = tuple(labels)
    by_id_a, by_id_b = {r["id"]: r for r in rows_a}, {r["id"]: r for r in rows_b}
    out = []
    for row in gold_rows:
        text = row.get("text") or ""
        required, optional = split_entities(row, labels)
        gold, maybe = {as_span(e) for e in required}, {as_span(e) for e in optional}

        def spans(pred_row: dict | None) -> set:
            return {as_span(e) for e in (pred_row or {}).get("entities") or [] if e["label"] in labels}

        a, b = spans(by_id_a.get(row["id"])), spans(by_id_b.get(row["id"]))
        mentions = [{"system": system, "start": s, "end": e, "label": label, "text": text[s:e],
                     "right": None if (s, e, label) in maybe else (s, e, label) in gold, "context": context(text, s, e)}
                    for system, only in (("A", a - b), ("B", b - a)) for s, e, label in sorted(only)]
        if mentions:
            out.append({"id": row["id"], "mentions": sorted(mentions, key=lambda m: (m["start"], m["system"]))})
    return out


def compare_systems(gold_rows: list[dict], rows_a: list[dict], rows_b: list[dict],
                    labels: Iterable[str] | None = None, unit: str = "auto", shuffles: int = 1000,
                    seed: int = 0) -> dict[str, Any]:
    """Both scorecards' figures, the test of each difference, and the disagreements."""
    labels = tuple(labels or LABELS)
    card_a, card_b = score(gold_rows, rows_a, labels), score(gold_rows, rows_b, labels)
    return {"test": paired_test(card_a, card_b, unit, shuffles, seed),
            "disagreements": disagreements(gold_rows, rows_a, rows_b, labels)}


def format_disagreements(documents: list[dict[str, Any]], names: tuple[str, str]) -> str:
    lines = []
    for document in documents:
        lines.append(f"== {document['id']}")
        for m in document["mentions"]:
            verdict = {True: "right", False: "wrong", None: "optional"}[m["right"]]
            name = names[0] if m["system"] == "A" else names[1]
            lines.append(f"  only {name}: {m['label']} {m['text']} ({verdict})  {m['context']}")
    return "\n".join(lines) if lines else "the systems predict the same mentions"
