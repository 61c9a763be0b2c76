"""Paths, run defaults and config overrides: what the command line needs before it starts work.

Kept free of spaCy, torch and the models, so that ``newsie run --workers N`` can start its
worker processes (which import and load all of that, seconds each) before this process does
the same for its own checks (pipeline/corpus/workers.py).
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Iterable

# newsie's version (pyproject.toml says the same): a packaged pipeline requires this newsie.
VERSION = "0.1.0"
# The folder holding the package and its bundled configs/ and models/ (a checkout or an
# editable install; a spaCy pipeline package carries its own models: `newsie package`).
PROJECT_ROOT = Path(__file__).resolve().parent.parent
CONFIGS_DIR = PROJECT_ROOT / "configs"
DEFAULT_CONFIG = CONFIGS_DIR / "default.cfg"
# The seed article's four clusters: its scorecard (annotations/gold.jsonl, `make run`) uses this.
SEED_CONFIG = CONFIGS_DIR / "jinshan_four_clusters.cfg"
NER_TRAINING_CONFIG = CONFIGS_DIR / "ner.cfg"
# The settings of each stage (by factory) that are paths: in a config file they are relative to
# the config file's folder, in an override (--set) to the working directory (docs/paths.md).
# org_model may also be a HanLP identifier: kept as it is when no such path exists.
PATH_SETTINGS = {
    "newsie_segment": ("user_dict",),
    "newsie_recognize": ("org_model", "org_gazetteers", "org_news_model"),
    "newsie_link": ("taxonomy", "model"),
}
# A longer document is run in pieces of at most this many characters (pipeline/corpus/runner.py).
DEFAULT_MAX_PIECE_CHARS = 20_000


def resolve_path(value: str | None, root: Path) -> str | None:
    """A path setting made absolute: a relative one is relative to ``root``."""
    if value is None or value == "":
        return value
    path = Path(value).expanduser()
    return str(path if path.is_absolute() else (root / path).resolve())


def find_config(value: str | Path) -> Path:
    """A config given as a path (relative to the working directory) or by the name of a bundled
    one (``strategic_emerging`` for configs/strategic_emerging.cfg), from any folder."""
    return _find_bundled(value, CONFIGS_DIR, ".cfg", "config")


def find_taxonomy(value: str | Path) -> Path:
    """A taxonomy given as a path or by the name of a bundled one (configs/taxonomies/NAME.toml)."""
    return _find_bundled(value, CONFIGS_DIR / "taxonomies", ".toml", "taxonomy")


def _find_bundled(value: str | Path, folder: Path, suffix: str, kind: str) -> Path:
    path = Path(value).expanduser()
    if path.is_file():
        return path.resolve()
    if path.is_dir():
        raise ValueError(f"{kind} {value} is not a file but a folder")
    bundled = folder / (path.name if path.suffix == suffix else f"{path.name}{suffix}")
    if path.parent == Path(".") and bundled.is_file():
        return bundled
    names = ", ".join(sorted(p.stem for p in folder.glob(f"*{suffix}")))
    raise FileNotFoundError(f"{kind} not found: {value} (neither a file nor a bundled {kind}: {names})")


def resolve_config_paths(config: Any, config_dir: Path, overrides: dict[str, Any] | None = None) -> Any:
    """``config`` (a pipeline config, changed in place) with the path settings of its stages
    made absolute: relative to ``config_dir``, or for an overridden one to the working directory."""
    overrides = overrides or {}
    for name, settings in config.get("components", {}).items():
        for key in PATH_SETTINGS.get(settings.get("factory"), ()):
            value = settings.get(key)
            root = Path.cwd() if f"components.{name}.{key}" in overrides else config_dir
            if isinstance(value, (list, tuple)):
                settings[key] = [_resolve_setting(key, item, root) for item in value]
            elif isinstance(value, str):
                settings[key] = _resolve_setting(key, value, root)
    return config


def _resolve_setting(key: str, value: str, root: Path) -> str:
    resolved = resolve_path(value, root)
    # an org_model that is no local path is a HanLP identifier (hanlp.load resolves it)
    return value if key == "org_model" and not Path(resolved).exists() else resolved


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
