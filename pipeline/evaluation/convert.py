"""``newsie convert``: annotations between newsie's JSONL (docs/output.md) and the formats
annotation tools and NER corpora use.

| format | file | spans kept | notes |
|---|---|---|---|
| ``jsonl`` | newsie rows | all fields | |
| ``bio``, ``bioes`` | ``char<TAB>tag`` | start, end, label | nested mentions in extra tag columns |
| ``conll`` | ``-DOCSTART- id``, ``char tag`` | start, end, label | BIO tags |
| ``docbin`` | spaCy ``.spacy`` | start, end, label, optional | one token per character; ``doc.spans["newsie"]`` |
| ``doccano`` | doccano JSONL | start, end, label | ``{"text", "label": [[start, end, label]]}`` |
| ``labelstudio`` | Label Studio JSON | start, end, label | import: a task's first annotation not cancelled, else its first prediction; export: pre-annotations (predictions) |

A format that cannot mark an optional gold mention writes it as an ordinary one, and says so.
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Callable

from pipeline.evaluation.rows import read_rows
from pipeline.evaluation.tags import read_tagged, write_tagged

FORMATS = ("jsonl", "bio", "bioes", "conll", "docbin", "doccano", "labelstudio")
SUFFIXES = {".bio": "bio", ".bioes": "bioes", ".conll": "conll", ".spacy": "docbin", ".json": "labelstudio",
            ".jsonl": "jsonl", ".parquet": "jsonl"}
KEEPS_OPTIONAL = ("jsonl", "docbin")


def _entity(start: int, end: int, label: str, text: str, optional: bool = False) -> dict[str, Any]:
    return {"start": start, "end": end, "label": label, "text": text[start:end], **({"optional": True} if optional else {})}


def detect_format(path: str | Path) -> str:
    """The format a file's suffix names; a ``.jsonl`` file of doccano's keys is doccano."""
    path = Path(path)
    if path.is_dir():
        return "jsonl"  # a saved dataset of newsie run, read like its JSONL
    fmt = SUFFIXES.get(path.suffix.lower())
    if fmt is None:
        raise ValueError(f"cannot tell the format of {path} from its suffix: give --from/--to "
                         f"({', '.join(FORMATS)})")
    if fmt == "jsonl" and path.suffix.lower() == ".jsonl" and path.is_file():
        with path.open(encoding="utf-8") as handle:
            first = next((line for line in handle if line.strip()), "{}")
        try:
            keys = json.loads(first)
        except json.JSONDecodeError as error:
            raise ValueError(f"{path}:1: invalid JSON ({error.msg})") from error
        if isinstance(keys, dict) and ("label" in keys or "labels" in keys) and "entities" not in keys:
            return "doccano"
    return fmt


def read_doccano(path: Path) -> list[dict[str, Any]]:
    rows = []
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not raw.strip():
            continue
        try:
            item = json.loads(raw)
        except json.JSONDecodeError as error:
            raise ValueError(f"{path}:{number}: invalid JSON ({error.msg})") from error
        text = item.get("text")
        if not isinstance(text, str):
            raise ValueError(f"{path}:{number}: no text")
        labels = item.get("label", item.get("labels", []))
        if labels and isinstance(labels[0], dict):  # doccano ≥ 1.6 span export
            labels = [[e["start_offset"], e["end_offset"], e["label"]] for e in labels]
        rows.append({"id": str(item.get("id", f"{path.name}:{number}")), "text": text,
                     "entities": sorted((_entity(int(s), int(e), label, text) for s, e, label in labels),
                                        key=lambda e: (e["start"], -e["end"]))})
    return rows


def write_doccano(rows: list[dict], path: Path) -> None:
    with path.open("w", encoding="utf-8") as handle:
        for row in rows:
            spans = [[e["start"], e["end"], e["label"]] for e in row.get("entities") or []]
            handle.write(json.dumps({"id": row["id"], "text": row["text"], "label": spans}, ensure_ascii=False) + "\n")


def read_labelstudio(path: Path) -> list[dict[str, Any]]:
    try:
        tasks = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as error:
        raise ValueError(f"{path}: invalid JSON ({error.msg}, line {error.lineno})") from error
    if not isinstance(tasks, list):
        raise ValueError(f"{path}: expected a Label Studio export (a JSON list of tasks)")
    rows = []
    for number, task in enumerate(tasks, start=1):
        data = task.get("data") or {}
        text = data.get("text")
        if not isinstance(text, str):
            raise ValueError(f"{path}: task {number} has no data.text")
        done = [a for a in task.get("annotations") or [] if not a.get("was_cancelled")]
        results = (done or task.get("predictions") or [{}])[0].get("result") or []
        entities = [_entity(int(r["value"]["start"]), int(r["value"]["end"]), label, text)
                    for r in results if r.get("type") == "labels" for label in r["value"]["labels"]]
        rows.append({"id": str(data.get("id", task.get("id", number))), "text": text,
                     "entities": sorted(entities, key=lambda e: (e["start"], -e["end"]))})
    return rows


def write_labelstudio(rows: list[dict], path: Path) -> None:
    """Tasks with newsie's mentions as pre-annotations (``predictions``) to correct in Label Studio."""
    tasks = [{"data": {"id": row["id"], "text": row["text"]},
              "predictions": [{"model_version": "newsie", "result": [
                  {"id": f"n{i}", "from_name": "label", "to_name": "text", "type": "labels",
                   "value": {"start": e["start"], "end": e["end"], "text": row["text"][e["start"]:e["end"]],
                             "labels": [e["label"]]}}
                  for i, e in enumerate(row.get("entities") or [])]}]}
             for row in rows]
    path.write_text(json.dumps(tasks, ensure_ascii=False, indent=1), encoding="utf-8")


def read_docbin(path: Path) -> list[dict[str, Any]]:
    from spacy.tokens import DocBin
    from spacy.vocab import Vocab

    from pipeline.stages.extensions import ENTITY_SPANS_KEY, OPTIONAL_SPANS_KEY

    rows = []
    for number, doc in enumerate(DocBin().from_disk(path).get_docs(Vocab()), start=1):
        spans = list(doc.spans[ENTITY_SPANS_KEY]) if ENTITY_SPANS_KEY in doc.spans else list(doc.ents)
        optional = list(doc.spans[OPTIONAL_SPANS_KEY]) if OPTIONAL_SPANS_KEY in doc.spans else []
        entities = [_entity(s.start_char, s.end_char, s.label_, doc.text) for s in spans]
        entities += [_entity(s.start_char, s.end_char, s.label_, doc.text, optional=True) for s in optional]
        rows.append({"id": str(doc.user_data.get("id", f"{path.name}:{number}")), "text": doc.text,
                     "entities": sorted(entities, key=lambda e: (e["start"], -e["end"]))})
    return rows


def write_docbin(rows: list[dict], path: Path) -> None:
    """One token per character, so every mention aligns; ``doc.ents`` holds the mentions that
    do not overlap (TARGETs left to the span group), for spaCy's NER training."""
    from spacy.tokens import Doc, DocBin
    from spacy.util import filter_spans
    from spacy.vocab import Vocab

    from pipeline.stages.extensions import ENTITY_SPANS_KEY, OPTIONAL_SPANS_KEY

    vocab, docs = Vocab(), DocBin(store_user_data=True)
    for row in rows:
        text = row["text"]
        doc = Doc(vocab, words=list(text), spaces=[False] * len(text))
        doc.user_data["id"] = row["id"]
        entities = row.get("entities") or []
        spans = [doc.char_span(e["start"], e["end"], label=e["label"]) for e in entities if not e.get("optional")]
        doc.spans[ENTITY_SPANS_KEY] = spans
        doc.spans[OPTIONAL_SPANS_KEY] = [doc.char_span(e["start"], e["end"], label=e["label"])
                                         for e in entities if e.get("optional")]
        doc.ents = filter_spans([s for s in spans if s.label_ != "TARGET"])
        docs.add(doc)
    docs.to_disk(path)


def _write_jsonl(rows: list[dict], path: Path) -> None:
    with path.open("w", encoding="utf-8") as handle:
        handle.writelines(json.dumps(row, ensure_ascii=False) + "\n" for row in rows)


READERS: dict[str, Callable[[Path], list[dict]]] = {
    "jsonl": read_rows, "bio": lambda p: read_tagged(p, "bio")[1], "bioes": lambda p: read_tagged(p, "bioes")[1],
    "conll": lambda p: read_tagged(p, "auto")[1], "docbin": read_docbin, "doccano": read_doccano,
    "labelstudio": read_labelstudio,
}
WRITERS: dict[str, Callable[[list[dict], Path], None]] = {
    "jsonl": _write_jsonl, "bio": lambda rows, p: write_tagged(rows, p, "bio"),
    "bioes": lambda rows, p: write_tagged(rows, p, "bioes"),
    "conll": lambda rows, p: write_tagged(rows, p, "bio", conll=True), "docbin": write_docbin,
    "doccano": write_doccano, "labelstudio": write_labelstudio,
}


def read_annotations(path: str | Path, fmt: str | None = None) -> list[dict[str, Any]]:
    """Rows (``id``, ``text``, ``entities``) of an annotation file in any format above."""
    path = Path(path)
    if not path.exists():
        raise FileNotFoundError(f"not found: {path}")
    return READERS[_known(fmt or detect_format(path))](path)


def _known(fmt: str) -> str:
    if fmt not in FORMATS:
        raise ValueError(f"unknown annotation format {fmt!r}: use one of {', '.join(FORMATS)}")
    return fmt


def convert(source: str | Path, target: str | Path, source_format: str | None = None,
            target_format: str | None = None) -> tuple[int, int]:
    """Convert a file; returns (documents, optional mentions written as ordinary ones)."""
    rows = read_annotations(source, source_format)
    fmt = _known(target_format or detect_format(target))
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    WRITERS[fmt](rows, target)
    flattened = 0 if fmt in KEEPS_OPTIONAL else sum(bool(e.get("optional")) for r in rows for e in r["entities"])
    return len(rows), flattened
