"""Files a stage loads (ORG models, name lists, taxonomies, the linking model), copied into
the stage's folder by ``nlp.to_disk`` and read back from there by ``spacy.load``.

A stage built from a config loads its files from the configured paths when first needed
(``pipeline.language.load_pipeline`` asks at once, so a bad path fails before any work);
one loaded by ``spacy.load`` reads the copies its ``from_disk`` is given instead, so a saved
or packaged pipeline needs neither the checkout nor the paths of the machine that saved it.
"""
from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

RESOURCES_FILE = "resources.json"


def save_resources(folder: str | Path, resources: dict[str, str | list[str] | None]) -> None:
    """Copy each named file or directory (or list of them) into ``folder`` and record their
    names there. A value that is no local path (a HanLP identifier) is recorded as it is."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    saved: dict[str, Any] = {}
    for key, value in resources.items():
        items = value if isinstance(value, list) else [value]
        names = []
        for index, item in enumerate(items):
            if item is None or not Path(item).exists():
                names.append(item)
                continue
            # the index keeps two sources of one name (two model dirs called model/) apart
            name = f"{key}/{index}_{Path(item).name}"
            target = folder / name
            if Path(item).is_dir():
                shutil.copytree(item, target, dirs_exist_ok=True)
            else:
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(item, target)
            names.append(name)
        saved[key] = names if isinstance(value, list) else names[0]
    (folder / RESOURCES_FILE).write_text(json.dumps(saved, ensure_ascii=False, indent=2), encoding="utf-8")


def load_resources(folder: str | Path) -> dict[str, Any]:
    """What ``save_resources`` recorded, the copies' names made absolute paths under ``folder``."""
    folder = Path(folder)
    record = folder / RESOURCES_FILE
    if not record.is_file():
        raise FileNotFoundError(f"not a saved newsie stage: {record} is missing")

    def absolute(name: str | None) -> str | None:
        return str(folder / name) if name is not None and (folder / name).exists() else name

    return {key: [absolute(n) for n in value] if isinstance(value, list) else absolute(value)
            for key, value in json.loads(record.read_text(encoding="utf-8")).items()}
