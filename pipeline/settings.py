"""Paths, run defaults and config overrides: what the command line needs before it starts work.

Kept free of spaCy, torch and the models, so that ``newsie run --workers N`` can start its
worker processes (which import and load all of that, seconds each) before this process does
the same for its own checks (pipeline/corpus/workers.py).
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Iterable

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CONFIG = PROJECT_ROOT / "configs" / "default.cfg"
NER_TRAINING_CONFIG = "configs/ner.cfg"
# A longer document is run in pieces of at most this many characters (pipeline/corpus/runner.py).
DEFAULT_MAX_PIECE_CHARS = 20_000


def resolve_path(value: str | None, root: Path = PROJECT_ROOT) -> str | None:
    """A config path made absolute: relative paths are relative to the project root."""
    if value is None or value == "":
        return value
    path = Path(value).expanduser()
    return str(path if path.is_absolute() else root / path)


def parse_overrides(items: Iterable[str]) -> dict[str, Any]:
    """``section.key=value`` strings (``--set``) as config overrides for ``load_pipeline``.

    A value is read as JSON when it parses (``2``, ``true``, ``null``, ``"x"``, ``[1, 2]``),
    else taken as a plain string, so paths need no quotes.
    """
    overrides: dict[str, Any] = {}
    for item in items:
        key, sep, value = item.partition("=")
        key = key.strip()
        if not sep or "." not in key or not key.replace(".", "").replace("_", "").isalnum():
            raise ValueError(f"config override {item!r} is not section.key=value "
                             "(e.g. components.newsie_recognize.org_precision=fp32)")
        try:
            overrides[key] = json.loads(value)
        except json.JSONDecodeError:
            overrides[key] = value
    return overrides
