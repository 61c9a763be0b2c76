"""Stand-off annotations over a corpus the project may not commit: each row names a sentence
of the corpus by index, its length, and mention offsets with their text. Reading them joins
them to the corpus and checks every offset, so a different copy of the corpus is an error,
never silently shifted spans (``annotations/cfsc_val_org_dev.md``).
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any


def read_cfsc_sentences(path: str | Path) -> list[dict[str, Any]]:
    """The CFSC-NER JSON list: ``{"text", "labels": [{"text", "Level 1 Aspect", "from", "to"}]}``."""
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"CFSC corpus not found: {path}")
    with open(path, encoding="utf-8") as corpus:
        rows = json.load(corpus)
    if not isinstance(rows, list) or not all(isinstance(row, dict) and isinstance(row.get("text"), str) for row in rows):
        raise ValueError(f"{path}: expected a JSON list of objects with a 'text' string")
    return rows


def read_standoff(annotations_path: str | Path, sentences: list[dict[str, Any]],
                  id_prefix: str = "") -> list[dict[str, Any]]:
    """Gold rows in the output schema (``id``, ``text``, ``entities``) from stand-off annotation
    lines ``{"sentence", "length", "spans": [{"start", "end", "text", "label", "optional"}]}``.

    Raises a ValueError naming the line when a sentence index, length or span text does not
    match the corpus.
    """
    rows = []
    with open(annotations_path, encoding="utf-8") as lines:
        for number, line in enumerate(lines, 1):
            if not line.strip():
                continue
            where = f"{annotations_path}, line {number}"
            try:
                item = json.loads(line)
                index = item["sentence"]
                text = sentences[index]["text"]
            except (json.JSONDecodeError, KeyError, IndexError, TypeError) as error:
                raise ValueError(f"{where}: not a stand-off row of this corpus ({error})") from error
            if len(text) != item.get("length"):
                raise ValueError(f"{where}: sentence {index} has {len(text)} characters in the corpus, "
                                 f"{item.get('length')} in the annotation: another version of the corpus?")
            entities = []
            for span in item.get("spans", []):
                start, end = span["start"], span["end"]
                if text[start:end] != span["text"]:
                    raise ValueError(f"{where}: sentence {index}[{start}:{end}] is {text[start:end]!r} "
                                     f"in the corpus, {span['text']!r} in the annotation")
                entities.append({"start": start, "end": end, "label": span["label"], "text": span["text"],
                                 "optional": bool(span.get("optional"))})
            rows.append({"id": f"{id_prefix}{index}", "text": text, "entities": entities})
    return rows
