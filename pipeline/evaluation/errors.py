"""Error analysis: every wrong mention, value, frame field, cluster and conflict, per document.

Mentions (optional gold mentions and the predictions of them set aside, as in the scores):
- ``label``: same boundaries, another label;
- ``boundary``: same label, overlapping, other boundaries;
- ``missed``: a gold mention no prediction matches in either way;
- ``spurious``: a prediction that matches no gold mention.
Attributes of the mentions matched as in the scorecard: ``value`` (MONEY value, upper bound,
currency, qualifier on strict matches), ``frame`` (TARGET metric, value, unit, deadline,
period on overlapping matches), ``cluster`` (cluster sets), and ``conflict`` (a gold conflict
warning that no predicted one names).
"""
from __future__ import annotations

from typing import Any, Iterable

from pipeline.evaluation.scoring import (LABELS, kept_predictions, match_spans, money_value_right, split_entities)

KINDS = ("missed", "spurious", "boundary", "label", "value", "frame", "cluster", "conflict")
CONTEXT = 20  # characters either side of a mention
FRAME_FIELDS = ("metric", "value", "value_max", "unit", "deadline", "period")
MONEY_FIELDS = ("value", "value_max", "currency", "qualifier")


def context(text: str, start: int, end: int, width: int = CONTEXT) -> str:
    """The mention in 【】 with ``width`` characters either side, line breaks shown as ⏎."""
    left, right = max(0, start - width), min(len(text), end + width)
    snippet = ("…" if left else "") + text[left:start] + "【" + text[start:end] + "】" + text[end:right]
    return (snippet + ("…" if right < len(text) else "")).replace("\n", "⏎")


def _mention(entity: dict, text: str) -> dict[str, Any]:
    return {"start": entity["start"], "end": entity["end"], "label": entity["label"],
            "text": text[entity["start"]:entity["end"]]}


def _differences(gold: dict, pred: dict, fields: Iterable[str]) -> dict[str, list]:
    return {name: [gold.get(name), pred.get(name)] for name in fields if gold.get(name) != pred.get(name)}


def _pairs_by(gold: list[dict], pred: list[dict], same: Any) -> list[tuple[int, int]]:
    pairs, used = [], set()
    for gi, g in enumerate(gold):
        for pi, p in enumerate(pred):
            if pi not in used and same(g, p):
                pairs.append((gi, pi))
                used.add(pi)
                break
    return pairs


def document_errors(gold_row: dict, pred_row: dict | None, labels: Iterable[str] = LABELS) -> list[dict[str, Any]]:
    """The errors of one document, each with its kind, gold and predicted mention and context."""
    text = gold_row.get("text") or ""
    pred_row = pred_row or {}
    required, optional = split_entities(gold_row, labels)
    pred = kept_predictions(required, optional, [e for e in pred_row.get("entities") or [] if e["label"] in labels])
    errors: list[dict[str, Any]] = []

    def add(kind: str, gold: dict | None, predicted: dict | None, **detail: Any) -> None:
        where = gold or predicted
        errors.append({"kind": kind, "gold": gold and _mention(gold, text),
                       "pred": predicted and _mention(predicted, text),
                       "context": context(text, where["start"], where["end"]), **detail})

    strict = match_spans(required, pred, partial=False)
    left_gold = [g for gi, g in enumerate(required) if gi not in {a for a, _ in strict}]
    left_pred = [p for pi, p in enumerate(pred) if pi not in {b for _, b in strict}]
    relabelled = _pairs_by(left_gold, left_pred, lambda g, p: (g["start"], g["end"]) == (p["start"], p["end"]))
    for gi, pi in relabelled:
        add("label", left_gold[gi], left_pred[pi])
    left_gold = [g for gi, g in enumerate(left_gold) if gi not in {a for a, _ in relabelled}]
    left_pred = [p for pi, p in enumerate(left_pred) if pi not in {b for _, b in relabelled}]
    moved = match_spans(left_gold, left_pred, partial=True)
    for gi, pi in moved:
        add("boundary", left_gold[gi], left_pred[pi])
    errors += [dict(kind="missed", gold=_mention(g, text), pred=None, context=context(text, g["start"], g["end"]))
               for gi, g in enumerate(left_gold) if gi not in {a for a, _ in moved}]
    errors += [dict(kind="spurious", gold=None, pred=_mention(p, text), context=context(text, p["start"], p["end"]))
               for pi, p in enumerate(left_pred) if pi not in {b for _, b in moved}]
    for gi, pi in strict:
        g, p = required[gi], pred[pi]
        if g["label"] == "MONEY" and not (money_value_right(g, p) and g.get("qualifier", "=") == p.get("qualifier", "=")):
            add("value", g, p, fields=_differences(g, p, MONEY_FIELDS))
    for gi, pi in match_spans(required, pred, partial=True):
        g, p = required[gi], pred[pi]
        if g["label"] == "TARGET" and _differences(g, p, FRAME_FIELDS):
            add("frame", g, p, fields=_differences(g, p, FRAME_FIELDS))
        if "clusters" in g and sorted(g["clusters"] or []) != sorted(p.get("clusters") or []):
            add("cluster", g, p, fields={"clusters": [sorted(g.get("clusters") or []), sorted(p.get("clusters") or [])]})
    predicted = {frozenset(map(tuple, w.get("spans") or [])) for w in pred_row.get("warnings") or []
                 if w.get("type") == "conflict"}
    for warning in gold_row.get("warnings") or []:
        if warning.get("type") == "conflict" and frozenset(map(tuple, warning.get("spans") or [])) not in predicted:
            spans = warning.get("spans") or [[0, 0]]
            errors.append({"kind": "conflict", "gold": None, "pred": None, "message": warning.get("message"),
                           "context": " / ".join(context(text, s, e) for s, e in spans)})
    order = {kind: i for i, kind in enumerate(KINDS)}
    return sorted(errors, key=lambda e: (order[e["kind"]], (e["gold"] or e["pred"] or {"start": 0})["start"]))


def corpus_errors(gold_rows: Iterable[dict], pred_rows: Iterable[dict],
                  labels: Iterable[str] = LABELS) -> list[dict[str, Any]]:
    """``[{"id", "errors"}]`` for each gold document (matched to predictions by ``id``)."""
    predictions = {row["id"]: row for row in pred_rows}
    labels = tuple(labels)
    return [{"id": row["id"], "errors": document_errors(row, predictions.get(row["id"]), labels)} for row in gold_rows]


def describe(error: dict[str, Any]) -> str:
    gold, pred = error.get("gold"), error.get("pred")
    if error["kind"] in ("missed", "spurious"):
        mention = gold or pred
        return f"{mention['label']} {mention['text']}"
    if error["kind"] == "label":
        return f"{gold['text']}: {gold['label']} → {pred['label']}"
    if error["kind"] == "boundary":
        return f"{gold['label']} {gold['text']} → {pred['text']}"
    if error["kind"] == "conflict":
        return error.get("message") or "conflict not found"
    fields = "; ".join(f"{name} {g!r} → {p!r}" for name, (g, p) in error["fields"].items())
    return f"{gold['label']} {gold['text']}: {fields}"


def format_errors(documents: list[dict[str, Any]], only_with_errors: bool = True) -> str:
    """The error lists as text: per document a header with counts, then one line per error."""
    lines = []
    for document in documents:
        errors = document["errors"]
        if only_with_errors and not errors:
            continue
        tally = ", ".join(f"{sum(e['kind'] == kind for e in errors)} {kind}" for kind in KINDS
                          if any(e["kind"] == kind for e in errors))
        lines.append(f"== {document['id']}: {tally or 'no errors'}")
        lines += [f"  {e['kind']:<9}{describe(e)}\n             {e['context']}" for e in errors]
    return "\n".join(lines) if lines else "no errors"
