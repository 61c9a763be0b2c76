"""The spaCy container: the provisional tokenizer, and loading a pipeline from a
``configs/*.cfg`` file.

``load_pipeline`` imports the stage modules (``pipeline.stages``), which register newsie's
factories; nothing below this module imports it back.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

import spacy
from spacy.language import Language
from spacy.tokens import Doc
from spacy.util import registry
from spacy.vocab import Vocab

from pipeline.settings import DEFAULT_CONFIG, find_config, resolve_config_paths


class LineTokenizer:
    """A provisional tokenizer: one token per line and per run of whitespace.

    The segment stage replaces these tokens with words once the clean stage has run; this
    tokenizer only has to keep the original text exactly and be cheap.
    """

    def __init__(self, vocab: Vocab):
        self.vocab = vocab

    def __call__(self, text: str) -> Doc:
        words: list[str] = []
        for line in text.splitlines(keepends=True):
            body = line.rstrip("\r\n")
            if body:
                words.append(body)
            if len(line) > len(body):
                words.append(line[len(body):])
        return Doc(self.vocab, words=words, spaces=[False] * len(words))

    def to_disk(self, path: Any, **kwargs: Any) -> None:  # nothing to save
        pass

    def from_disk(self, path: Any, **kwargs: Any) -> "LineTokenizer":
        return self


@registry.tokenizers("newsie.line_tokenizer.v1")
def create_line_tokenizer():
    def make(nlp: Language) -> LineTokenizer:
        return LineTokenizer(nlp.vocab)

    return make


def register_factories() -> None:
    """Import the stage modules: each registers its spaCy factory on import."""
    from pipeline.stages import check, clean, link, normalize, recognize, segment  # noqa: F401


def check_overrides(config_path: str | Path, overrides: dict[str, Any]) -> None:
    """Raise a ValueError naming an override that ``load_pipeline`` would reject, without
    building the pipeline (which loads the models): an unknown section, or an argument the
    component's factory does not take."""
    import inspect

    register_factories()

    config = spacy.util.load_config(find_config(config_path), overrides=overrides, interpolate=False)
    for key in overrides:
        section, _, argument = key.rpartition(".")
        parts = section.split(".")
        if len(parts) != 2 or parts[0] != "components":
            continue
        factory = config["components"][parts[1]].get("factory")
        if factory and argument not in inspect.signature(registry.factories.get(factory)).parameters:
            raise ValueError(f"config override {key!r}: component {parts[1]!r} ({factory}) has no setting {argument!r}")


def load_pipeline(config_path: str | Path = DEFAULT_CONFIG, overrides: dict[str, Any] | None = None) -> Language:
    """Build the newsie pipeline described by a config file (a path, or the name of a bundled
    config: ``strategic_emerging``), with ``overrides`` (dotted config keys, as spaCy's
    ``--section.key value``) applied, and load its models (a bad path fails here)."""
    register_factories()

    config = load_pipeline_config(config_path, overrides)
    nlp = spacy.util.load_model_from_config(config, auto_fill=True, validate=True)
    for _, stage in nlp.pipeline:
        if hasattr(stage, "load"):
            stage.load()
    return nlp


def load_pipeline_config(config_path: str | Path = DEFAULT_CONFIG, overrides: dict[str, Any] | None = None) -> Any:
    """A pipeline config with ``overrides`` applied and its stages' paths made absolute
    (pipeline.settings.resolve_config_paths)."""
    config_path = find_config(config_path)
    config = spacy.util.load_config(config_path, overrides=overrides or {}, interpolate=False)
    return resolve_config_paths(config, config_path.parent, overrides)
