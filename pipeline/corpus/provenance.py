"""What made an output: the provenance that ``newsie run`` records with every output and that
``newsie eval`` prints, so that a result can be traced to the code, config and models behind it.

Recorded: newsie's version and those of the libraries that shape the output, the config file
and its SHA-256, the overrides, every file or folder the config names as a stage's path
setting (models, taxonomy, gazetteers, user dictionary) with its SHA-256, the inputs and
columns, and the start and end times (UTC). Where it is kept (``pipeline/corpus/writers.py``):
a JSONL output has a sidecar ``OUTPUT.provenance.json``, a Parquet file its schema metadata
(key ``newsie``), a saved dataset a ``provenance.json`` in its folder.
"""
from __future__ import annotations

import hashlib
import json
import platform
from datetime import datetime, timezone
from importlib import metadata
from pathlib import Path
from typing import Any

from pipeline.settings import PATH_SETTINGS, VERSION, resolve_config_paths

# The Parquet schema metadata key, and the file beside a JSONL output or inside a dataset folder.
PARQUET_KEY = b"newsie"
SIDECAR_SUFFIX = ".provenance.json"
DATASET_FILE = "provenance.json"
# The libraries whose versions can change an output.
LIBRARIES = ("spacy", "torch", "hanlp", "jieba", "rjieba", "scikit-learn", "cn2an")


def utc_now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def sha256_of(path: Path) -> str:
    """The SHA-256 of a file, or of a folder: of its files' relative paths and contents, in
    path order, so that a model folder has one hash however it was copied."""
    digest = hashlib.sha256()
    files = [path] if path.is_file() else sorted(p for p in path.rglob("*") if p.is_file())
    for file in files:
        if file is not path:
            digest.update(file.relative_to(path).as_posix().encode("utf-8") + b"\0")
        with file.open("rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
    return digest.hexdigest()


def _version(package: str) -> str | None:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return None


def config_resources(config_path: Path, overrides: dict[str, Any]) -> list[dict[str, Any]]:
    """Every path setting of the config's stages (with the overrides): its setting, its path and
    its SHA-256; a value that names no local file (a HanLP identifier) has no hash."""
    from confection import Config

    config = Config().from_disk(config_path, overrides=overrides, interpolate=False)
    resolve_config_paths(config, config_path.parent, overrides)
    resources = []
    for name, settings in config.get("components", {}).items():
        for key in PATH_SETTINGS.get(settings.get("factory"), ()):
            value = settings.get(key)
            for item in value if isinstance(value, (list, tuple)) else [value]:
                if not item:
                    continue
                path = Path(item)
                resources.append({"setting": f"components.{name}.{key}", "path": str(item),
                                  "sha256": sha256_of(path) if path.exists() else None})
    return resources


def run_provenance(config_path: str | Path, overrides: dict[str, Any], run: dict[str, Any],
                   started: str) -> dict[str, Any]:
    """The provenance of one ``newsie run``: ``run`` describes its inputs and options (the
    resume manifest), ``started`` is its start time (``utc_now()``)."""
    config_path = Path(config_path)
    return {
        "newsie": VERSION,
        "started": started,
        "finished": utc_now(),
        "config": {"path": str(config_path), "sha256": sha256_of(config_path)},
        "overrides": overrides,
        "resources": config_resources(config_path, overrides),
        "run": run,
        "python": platform.python_version(),
        "libraries": {name: _version(name) for name in LIBRARIES},
    }


def read_provenance(output: str | Path) -> dict[str, Any] | None:
    """The provenance recorded with an output of ``newsie run`` (JSONL, Parquet or a saved
    dataset), or None when it has none (a file newsie did not write, or an older newsie's)."""
    output = Path(output)
    if output.is_dir():
        found = output / DATASET_FILE
    elif _is_parquet(output):
        import pyarrow.parquet as pq

        recorded = (pq.read_schema(output).metadata or {}).get(PARQUET_KEY)
        return json.loads(recorded) if recorded else None
    else:
        found = output.with_name(output.name + SIDECAR_SUFFIX)
    return json.loads(found.read_text(encoding="utf-8")) if found.is_file() else None


def _is_parquet(path: Path) -> bool:
    with path.open("rb") as handle:
        return handle.read(4) == b"PAR1"


def format_provenance(provenance: dict[str, Any]) -> str:
    """The provenance in a few lines, as ``newsie eval`` prints it."""
    lines = [f"newsie {provenance.get('newsie')}, run {provenance.get('started')} to {provenance.get('finished')}",
             f"config {provenance['config']['path']} (sha256 {provenance['config']['sha256'][:12]})"]
    if provenance.get("overrides"):
        lines.append("overrides " + json.dumps(provenance["overrides"], ensure_ascii=False))
    for resource in provenance.get("resources", []):
        digest = resource["sha256"][:12] if resource["sha256"] else "not a local path"
        lines.append(f"{resource['setting'].rsplit('.', 1)[-1]} {Path(resource['path']).name} ({digest})")
    return "\n".join(lines)
