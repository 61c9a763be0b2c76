"""``newsie agree a.jsonl b.jsonl``: inter-annotator agreement of two gold files, as annotation
papers report it.

- Pairwise span F1 per label (strict and ent_type, the one span scorer with A taken as the
  reference: F1 is symmetric, so it does not matter which); optional flags are ignored, each
  annotator's mentions count as marked.
- Cohen's kappa on characters (scikit-learn's ``cohen_kappa_score``): overall, each
  character labelled with the shortest mention covering it (``O`` outside), and per label,
  each character in or out of a mention of that label.
- The disagreements, per document: mentions only A marked (``missed``), only B marked
  (``spurious``), or both with other boundaries (``boundary``) or another label (``label``).
"""
from __future__ import annotations

from typing import Any

from pipeline.evaluation.errors import document_errors
from pipeline.evaluation.scoring import score


def _plain(row: dict) -> dict:
    return {**row, "entities": [{k: v for k, v in e.items() if k != "optional"} for e in row.get("entities") or []]}


def character_labels(length: int, entities: list[dict], label: str | None = None) -> list[str]:
    """A label per character: the shortest mention's covering it (or, given ``label``, that
    label or ``O``)."""
    tags = ["O"] * length
    for e in sorted(entities, key=lambda e: e["start"] - e["end"]):  # longest first, shorter ones overwrite
        if label is None or e["label"] == label:
            tags[e["start"]:e["end"]] = [e["label"]] * (e["end"] - e["start"])
    return tags


def _kappa(a: list[str], b: list[str]) -> float | None:
    from sklearn.metrics import cohen_kappa_score

    if len(set(a) | set(b)) < 2:
        return None  # one class everywhere: kappa is undefined
    return round(float(cohen_kappa_score(a, b)), 4)


def agreement(rows_a: list[dict], rows_b: list[dict], labels: tuple[str, ...] | None = None) -> dict[str, Any]:
    """Span F1, character kappa and disagreements of two annotations of the same texts."""
    by_id = {row["id"]: _plain(row) for row in rows_b}
    rows_a = [_plain(row) for row in rows_a]
    missing = [row["id"] for row in rows_a if row["id"] not in by_id]
    if missing:
        raise ValueError(f"{len(missing)} documents of the first file are not in the second: {', '.join(missing[:5])}")
    for row in rows_a:
        if (row.get("text") or "") != (by_id[row["id"]].get("text") or ""):
            raise ValueError(f"document {row['id']}: the two files hold different texts")
    labels = labels or tuple(sorted({e["label"] for row in [*rows_a, *by_id.values()] for e in row["entities"]}))
    card = score(rows_a, [by_id[row["id"]] for row in rows_a], labels).as_dict()
    chars_a: dict[str | None, list[str]] = {None: [], **{label: [] for label in labels}}
    chars_b: dict[str | None, list[str]] = {None: [], **{label: [] for label in labels}}
    for row in rows_a:
        length, other = len(row.get("text") or ""), by_id[row["id"]]
        for key in chars_a:
            chars_a[key] += character_labels(length, [e for e in row["entities"] if e["label"] in labels], key)
            chars_b[key] += character_labels(length, [e for e in other["entities"] if e["label"] in labels], key)
    return {
        "documents": len(rows_a),
        "span_f1": {scheme: {label: card["schemes"][scheme][label]["f1"] for label in card["schemes"][scheme]
                             if label != "macro"} for scheme in ("strict", "ent_type")},
        "kappa": {"characters": _kappa(chars_a[None], chars_b[None]),
                  "by_label": {label: _kappa(chars_a[label], chars_b[label]) for label in labels}},
        "disagreements": [{"id": row["id"], "errors": errors} for row in rows_a
                          if (errors := [e for e in document_errors(row, by_id[row["id"]], labels)
                                         if e["kind"] in ("missed", "spurious", "boundary", "label")])],
    }


def format_agreement(result: dict[str, Any], names: tuple[str, str]) -> str:
    from pipeline.evaluation.errors import describe

    lines = [f"{result['documents']} documents, {names[0]} against {names[1]}", "",
             f"{'label':<8}{'strict F1':>10}{'ent_type F1':>12}{'kappa':>8}"]
    for label, f1 in result["span_f1"]["strict"].items():
        kappa = result["kappa"]["by_label"].get(label, result["kappa"]["characters"] if label == "micro" else None)
        lines.append(f"{label:<8}{f1:>10.3f}{result['span_f1']['ent_type'][label]:>12.3f}"
                     f"{'' if kappa is None else format(kappa, '.3f'):>8}")
    lines += ["", "(micro kappa: all labels, a label per character)", "",
              f"disagreements (missed: only {names[0]}, spurious: only {names[1]})"]
    for document in result["disagreements"]:
        lines.append(f"== {document['id']}")
        lines += [f"  {e['kind']:<9}{describe(e)}  {e['context']}" for e in document["errors"]]
    return "\n".join(lines)
