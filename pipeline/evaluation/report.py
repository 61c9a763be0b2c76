"""``newsie eval --report report.html``: one self-contained HTML page (no script, no outside
file) with the score tables, and per document the gold and the predicted mentions side by
side, paragraph by paragraph (displaCy's span renderer, so nested mentions show), followed by
the document's error list."""
from __future__ import annotations

from html import escape
from pathlib import Path
from typing import Any, Iterable

from pipeline.evaluation.errors import KINDS, describe
from pipeline.text.spans import ALL_LABELS, CATEGORIES

COLORS = {"ORG": "#7aecec", "PARK": "#bfe1d9", "MONEY": "#e4e7d2", "TARGET": "#feca74"}
MAX_DOCUMENTS = 200  # documents shown, those with errors first: a BIO corpus has thousands
STYLE = """
body { font-family: "Noto Sans CJK SC", "Noto Sans", sans-serif; margin: 2em; color: #222; }
table { border-collapse: collapse; margin: 0.5em 0 1.5em; font-size: 0.9em; }
th, td { border: 1px solid #ccc; padding: 3px 8px; text-align: right; }
th:first-child, td:first-child, td.text { text-align: left; }
.pair { display: grid; grid-template-columns: 1fr 1fr; gap: 1.5em; border-top: 1px solid #eee; }
.pair > div { overflow-wrap: anywhere; }
.side { font-size: 0.8em; color: #777; text-transform: uppercase; }
.kind { font-weight: bold; }
.note { color: #555; font-size: 0.9em; }
.spans span { white-space: nowrap; }
table.errors th { text-align: left; }
"""


def _render(text: str, spans: list[dict]) -> str:
    """One paragraph through displaCy's span renderer; tokens are cut at the span boundaries."""
    from spacy import displacy

    cuts = sorted({0, len(text)} | {s["start"] for s in spans} | {s["end"] for s in spans})
    tokens = [text[a:b] for a, b in zip(cuts, cuts[1:])]
    index = {offset: i for i, offset in enumerate(cuts)}
    data = {"text": text, "tokens": tokens,
            "spans": [{"start_token": index[s["start"]], "end_token": index[s["end"]], "label": s["label"]}
                      for s in spans]}
    return displacy.render([data], style="span", manual=True, page=False, options={"colors": COLORS})


def _paragraphs(text: str) -> list[tuple[int, int]]:
    bounds, start = [], 0
    for line in text.split("\n"):
        if line.strip():
            bounds.append((start, start + len(line)))
        start += len(line) + 1
    return bounds


def _clipped(entities: list[dict], start: int, end: int) -> list[dict]:
    return [{"start": max(e["start"], start) - start, "end": min(e["end"], end) - start, "label": e["label"]}
            for e in entities if e["start"] < end and e["end"] > start]


def _side_by_side(text: str, gold: list[dict], pred: list[dict]) -> str:
    rows = ['<div class="pair"><div class="side">gold</div><div class="side">predicted</div></div>']
    for start, end in _paragraphs(text):
        paragraph = text[start:end]
        rows.append(f'<div class="pair"><div>{_render(paragraph, _clipped(gold, start, end))}</div>'
                    f'<div>{_render(paragraph, _clipped(pred, start, end))}</div></div>')
    return "\n".join(rows)


def _table(header: list[str], rows: list[list[Any]]) -> str:
    def cell(value: Any) -> str:
        return f"{value:.4f}" if isinstance(value, float) else escape(str(value))

    head = "".join(f"<th>{escape(h)}</th>" for h in header)
    body = "".join("<tr>" + "".join(f"<td>{cell(v)}</td>" for v in row) + "</tr>" for row in rows)
    return f"<table><tr>{head}</tr>{body}</table>"


def _ci(intervals: dict, path: str) -> str:
    return "[{:.4f}, {:.4f}]".format(*intervals[path]) if path in intervals else ""


def score_tables(summary: dict[str, Any], ci: dict[str, Any] | None) -> str:
    """The span figures per scheme and label, nervaluate's counts, and the accuracies."""
    intervals = ci["intervals"] if ci else {}
    schemes = summary["schemes"]
    header = ["label"] + [f"{scheme} {name}" for scheme in ("strict", "ent_type")
                          for name in ("P", "R", "F1") + (("CI",) if ci else ())] + ["gold", "pred"]
    rows = []
    for label, strict in schemes["strict"].items():
        row: list[Any] = [label]
        for scheme in ("strict", "ent_type"):
            figures = schemes[scheme][label]
            row += [figures["precision"], figures["recall"], figures["f1"]]
            row += [_ci(intervals, f"schemes.{scheme}.{label}.f1")] if ci else []
        rows.append(row + [strict.get("possible", ""), strict.get("actual", "")])
    blind = [[scheme, schemes[scheme][ALL_LABELS]["precision"], schemes[scheme][ALL_LABELS]["recall"],
              schemes[scheme][ALL_LABELS]["f1"], _ci(intervals, f"schemes.{scheme}.{ALL_LABELS}.f1")]
             for scheme in ("exact", "partial")]
    counts = [[f"{scheme} {label}"] + [figures[c] for c in CATEGORIES]
              for scheme in ("strict", "ent_type", "exact", "partial")
              for label, figures in schemes[scheme].items() if label != "macro"]
    accuracies = [[name.replace("_", " "), value["accuracy"], f"{value['correct']}/{value['total']}",
                   _ci(intervals, f"{name}.accuracy")]
                  for name, value in summary.items() if name.endswith(("_accuracy", "conflicts_found")) and value["total"]]
    return "\n".join([
        _table(header, rows),
        '<p class="note">strict: same boundaries and label; ent_type: overlapping, same label (newsie\'s '
        'former "partial"); exact: same boundaries, any label; partial: overlapping, any label, a boundary '
        'mismatch counting half. micro: counts pooled over labels; macro: mean of the labels.</p>',
        _table(["label-blind scheme", "P", "R", "F1", "CI"], blind),
        _table(["nervaluate counts"] + list(CATEGORIES), counts),
        _table(["accuracy", "value", "of", "CI"], accuracies) if accuracies else "",
    ])


def _error_list(errors: list[dict[str, Any]]) -> str:
    if not errors:
        return '<p class="note">no errors</p>'
    rows = "".join(f'<tr><td class="kind">{escape(e["kind"])}</td><td class="text">{escape(describe(e))}</td>'
                   f'<td class="text">{escape(e["context"])}</td></tr>' for e in errors)
    return f'<table class="errors"><tr><th>error</th><th>what</th><th>context</th></tr>{rows}</table>'


def render_report(title: str, gold_rows: list[dict], pred_rows: list[dict], summary: dict[str, Any],
                  ci: dict[str, Any] | None, documents: list[dict[str, Any]], labels: Iterable[str]) -> str:
    """The page: ``documents`` are the error lists of ``errors.corpus_errors``; the mentions
    of ``labels`` (those scored) are drawn."""
    labels = set(labels)
    predictions = {row["id"]: row for row in pred_rows}
    errors = {document["id"]: document["errors"] for document in documents}
    ordered = sorted(gold_rows, key=lambda row: not errors.get(row["id"]))
    shown = ordered[:MAX_DOCUMENTS]
    parts = [f"<h1>{escape(title)}</h1>", f'<p class="note">{summary["documents"]} documents'
             + (f"; confidence intervals: {ci['level']:.0%} percentile bootstrap over {ci['units']} {ci['unit']}s, "
                f"{ci['resamples']} resamples, seed {ci['seed']}" if ci else "") + "</p>",
             "<h2>Scores</h2>", score_tables(summary, ci), "<h2>Documents</h2>"]
    if len(ordered) > len(shown):
        parts.append(f'<p class="note">the first {len(shown)} of {len(ordered)} documents, those with errors first</p>')
    for row in shown:
        document_errors = errors.get(row["id"], [])
        tally = ", ".join(f"{sum(e['kind'] == k for e in document_errors)} {k}" for k in KINDS
                          if any(e["kind"] == k for e in document_errors))
        pred = [e for e in (predictions.get(row["id"]) or {}).get("entities") or [] if e["label"] in labels]
        # an optional gold mention shows with its label and a question mark
        gold = [{**e, "label": e["label"] + "?"} if e.get("optional") else e
                for e in row.get("entities") or [] if e["label"] in labels]
        parts += [f"<h3>{escape(str(row['id']))}</h3>", f'<p class="note">{escape(tally or "no errors")}</p>',
                  _side_by_side(row.get("text") or "", gold, pred), _error_list(document_errors)]
    return (f'<!DOCTYPE html>\n<html lang="zh"><head><meta charset="utf-8"><title>{escape(title)}</title>'
            f"<style>{STYLE}</style></head><body>\n" + "\n".join(parts) + "\n</body></html>\n")


def write_report(path: str | Path, title: str, gold_rows: list[dict], pred_rows: list[dict],
                 summary: dict[str, Any], ci: dict[str, Any] | None, documents: list[dict[str, Any]],
                 labels: Iterable[str]) -> None:
    """The page of ``render_report`` into ``path`` (its folder made if missing)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render_report(title, gold_rows, pred_rows, summary, ci, documents, labels), encoding="utf-8")
