"""Stage 3, recognize: ORG, PARK, MONEY and TARGET mentions.

Input: a segmented ``Doc``. Output: ``doc.spans["newsie"]`` holding every mention (TARGET
spans may contain MONEY spans), ``doc.ents`` holding the non-overlapping ORG, PARK and
MONEY mentions, and ``span._.attrs["source"]`` saying which recognizer found each one.

Where a mention boundary falls inside a word, the word is split: entity offsets are exact
character offsets whatever the segmenter did.

Sources, each a plain function of the clean text:
- ORG: the statistical model (``pipeline.models.org``), name rules (registered names ending in
  有限公司, 研究院…), and every other occurrence in the document of a name found once and of
  the short name (字号) of a registered name — one organization, one name, one document.
- PARK: name rules (工业区, 产业园, 开发区…).
- MONEY: the amount grammar (``pipeline.grammar.amounts``).
- TARGET: target frames over the quantities (``pipeline.grammar.targets``).
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

from spacy.attrs import IDX
from spacy.language import Language
from spacy.scorer import Scorer
from spacy.tokens import Doc, Span
from spacy.training import Example

from pipeline.grammar.amounts import find_amounts
from pipeline.settings import resolve_path
from pipeline.stages.extensions import ENTITY_SPANS_KEY
from pipeline.grammar.names import NameFinder, short_name, trim_name
from pipeline.grammar.targets import find_targets

# Which source wins when two mentions of the name labels overlap with equal length.
SOURCE_PRIORITY = {"rule": 3, "grammar": 3, "cue": 2, "model": 2, "alias": 1}
NAME_LABELS = ("ORG", "PARK")


@dataclass(frozen=True)
class Mention:
    start: int
    end: int
    label: str
    source: str


def outside(ranges: Iterable[tuple[int, int]], mentions: list[Mention]) -> list[Mention]:
    """The mentions that do not touch any of the character ranges (page boilerplate)."""
    ranges = list(ranges)
    return [m for m in mentions if all(m.end <= s or m.start >= e for s, e in ranges)]


class Coverage:
    """The characters that kept mentions cover: ``overlaps`` is one C-level scan of the
    candidate's characters, where comparing with every kept mention was quadratic."""

    def __init__(self, mentions: Iterable[Mention] = ()) -> None:
        self.covered = bytearray()
        for mention in mentions:
            self.add(mention)

    def overlaps(self, mention: Mention) -> bool:
        return self.covered.find(1, mention.start, mention.end) >= 0

    def add(self, mention: Mention) -> None:
        if mention.end > len(self.covered):
            self.covered.extend(bytes(mention.end - len(self.covered)))
        self.covered[mention.start:mention.end] = b"\x01" * max(0, mention.end - mention.start)


def resolve_overlaps(mentions: list[Mention]) -> list[Mention]:
    """Non-overlapping mentions: longer first, then by source priority, then leftmost."""
    ranked = sorted(
        mentions, key=lambda m: (-(m.end - m.start), -SOURCE_PRIORITY.get(m.source, 0), m.start)
    )
    kept: list[Mention] = []
    coverage = Coverage()
    for mention in ranked:
        if not coverage.overlaps(mention):
            kept.append(mention)
            coverage.add(mention)
    return sorted(kept, key=lambda m: m.start)


def repeated_mentions(text: str, names: dict[str, str], taken: list[Mention]) -> list[Mention]:
    """Other occurrences of known names (name → label), outside mentions already taken."""
    found: list[Mention] = []
    coverage = Coverage(taken)
    for name, label in sorted(names.items(), key=lambda item: -len(item[0])):
        for match in re.finditer(re.escape(name), text):
            candidate = Mention(match.start(), match.end(), label, "alias")
            if not coverage.overlaps(candidate):
                found.append(candidate)
                coverage.add(candidate)
    return found


def split_at(doc: Doc, offsets: Iterable[int], token_starts: list[int]) -> None:
    """Split the tokens of ``doc`` so that every offset is a token boundary.

    ``token_starts`` are the character offsets of the tokens, in order.
    """
    cuts: dict[int, list[int]] = {}
    for offset in set(offsets):
        index = bisect.bisect_right(token_starts, offset) - 1
        if index < 0:
            continue
        token = doc[index]
        if token.idx < offset < token.idx + len(token.text):
            cuts.setdefault(index, []).append(offset - token.idx)
    if not cuts:
        return
    with doc.retokenize() as retokenizer:
        for index, positions in cuts.items():
            token = doc[index]
            bounds = [0, *sorted(positions), len(token.text)]
            pieces = [token.text[a:b] for a, b in zip(bounds, bounds[1:])]
            retokenizer.split(token, pieces, heads=[(token, 0)] * len(pieces))


class Recognizer:
    """spaCy component: finds the mentions and writes them into the ``Doc``."""

    def __init__(self, name: str, org_model: str | list[str] | None, use_org_rules: bool, propagate_names: bool,
                 org_precision: str = "auto", org_style: str | None = None,
                 org_screen_threshold: float | None = None):
        self.name = name
        self.name_finder = NameFinder()
        self.use_org_rules = use_org_rules
        self.propagate_names = propagate_names
        self.org_model = None
        if org_model:
            from pipeline.models.org.tagger import OrgModel  # torch and HanLP load only when asked for

            options = {} if org_screen_threshold is None else {"screen_threshold": org_screen_threshold}
            self.org_model = OrgModel.load(model_source(org_model), precision=org_precision, style=org_style,
                                           **options)

    def find_mentions(self, text: str, boundaries: set[int], boilerplate: list[tuple[int, int]],
                      model_orgs: list[tuple[int, int, str]] | None = None) -> list[Mention]:
        """All mentions of the clean ``text``; ``model_orgs`` are the model's ORG spans."""
        finder = self.name_finder
        found = finder.park_names(text, boundaries)
        if self.use_org_rules:
            found += (finder.org_names(text, boundaries) + finder.short_company_names(text, boundaries)
                      + finder.cued_names(text, boundaries))
        names = [Mention(m.start, m.end, m.label, m.source) for m in found]
        # The model's spans lose stray edge brackets (京东方）); a one-character name is a slip.
        trimmed = [trim_name(text, s, e) for s, e, label in model_orgs or [] if label == "ORG"]
        names += [Mention(s, e, "ORG", "model") for s, e in trimmed
                  if e - s >= 2 and finder.plausible_name(text[s:e])]
        amounts = find_amounts(text)
        money = [Mention(a.start, a.end, "MONEY", "grammar") for a in amounts]
        # An amount wins over any name that overlaps it (注册资本1亿元有限公司, 5元限公司): the
        # amount grammar is precise, a name holding a currency word is a slip, and overlapping
        # ORG and MONEY spans cannot both be entities of the Doc.
        money_coverage = Coverage(money)
        names = outside(boilerplate, resolve_overlaps([m for m in names if not money_coverage.overlaps(m)]))
        if self.propagate_names:
            known = {text[m.start:m.end]: m.label for m in names
                     if m.source != "model" or finder.repeatable(text[m.start:m.end])}
            for mention in names:
                alias = short_name(text[mention.start:mention.end]) if mention.label == "ORG" else None
                if alias:
                    known.setdefault(alias, "ORG")
            repeated = repeated_mentions(text, known, names + money)
            names = resolve_overlaps(names + outside(boilerplate, repeated))
        targets = [Mention(t.start, t.end, "TARGET", "grammar") for t in find_targets(text, amounts)]
        return sorted(names + outside(boilerplate, money + targets), key=lambda m: (m.start, m.end))

    def __call__(self, doc: Doc) -> Doc:
        return self.pipe_one(doc, None)

    def pipe(self, docs: Iterable[Doc], batch_size: int = 64) -> Iterable[Doc]:
        batch: list[Doc] = []
        for doc in docs:
            batch.append(doc)
            if len(batch) >= batch_size:
                yield from self._process_batch(batch)
                batch = []
        if batch:
            yield from self._process_batch(batch)

    def _process_batch(self, docs: list[Doc]) -> list[Doc]:
        texts = [doc._.clean_text or doc.text for doc in docs]
        if self.org_model is None:
            predictions = [None] * len(docs)
        else:
            words = [_words(doc, text) for doc, text in zip(docs, texts)] if self.org_model.reads_words else None
            predictions = self.org_model.predict(texts, words=words)
        return [self.pipe_one(doc, prediction) for doc, prediction in zip(docs, predictions)]

    def pipe_one(self, doc: Doc, model_orgs: list[tuple[int, int, str]] | None) -> Doc:
        text = doc._.clean_text or doc.text
        if model_orgs is None and self.org_model is not None:
            words = [_words(doc, text)] if self.org_model.reads_words else None
            model_orgs = self.org_model.predict([text], words=words)[0]
        token_starts = doc.to_array(IDX).tolist()  # without making a Token object per word
        boundaries = set(token_starts) | {len(text)}
        mentions = self.find_mentions(text, boundaries, doc._.boilerplate or [], model_orgs)
        split_at(doc, [offset for m in mentions for offset in (m.start, m.end)], token_starts)
        spans = []
        for mention in mentions:
            span = doc.char_span(mention.start, mention.end, label=mention.label)
            span._.attrs = {"source": mention.source}
            spans.append(span)
        doc.spans[ENTITY_SPANS_KEY] = spans
        doc.ents = [span for span in spans if span.label_ != "TARGET"]
        return doc

    def score(self, examples: Iterable[Example], **kwargs) -> dict:
        """Exact-span P/R/F per label (spaCy's span scorer): keys ``newsie_p``, ``newsie_r``,
        ``newsie_f``, ``newsie_per_type``. ``pipeline.evaluation.scoring`` adds partial matches and values."""
        return Scorer.score_spans(
            examples,
            ENTITY_SPANS_KEY,
            getter=lambda doc, key: doc.spans.get(key, []),
            has_annotation=lambda doc: ENTITY_SPANS_KEY in doc.spans,
            allow_overlap=True,
        )


def _recognize_settings(config_path: str | Path, overrides: dict | None = None) -> dict:
    import spacy

    config = spacy.util.load_config(config_path, overrides=overrides or {}, interpolate=False)
    return config["components"]["newsie_recognize"]


def configured_org_model(config_path: str | Path, overrides: dict | None = None) -> str | list[str] | None:
    """The ``org_model`` a pipeline config gives its recognize stage (None: rules alone)."""
    return _recognize_settings(config_path, overrides)["org_model"]


def configured_org_style(config_path: str | Path, overrides: dict | None = None) -> str | None:
    """The ``org_style`` a pipeline config gives its recognize stage (None: the model's default)."""
    return _recognize_settings(config_path, overrides).get("org_style")


def model_source(org_model: str | list[str]) -> str | list[str]:
    """Each path of the config made absolute (relative to the project); a name that is not a
    path here is left for hanlp.load to resolve (a HanLP identifier or URL). A list of save
    dirs is an ensemble."""
    def one(source: str) -> str:
        local = resolve_path(source)
        return local if Path(local).exists() else source

    return one(org_model) if isinstance(org_model, str) else [one(source) for source in org_model]


def _words(doc: Doc, text: str) -> list[str]:
    """The segmenter's words, read off the clean ``text`` (the model's lexicon features)."""
    starts = doc.to_array(IDX).tolist()
    return [text[start:end] for start, end in zip(starts, starts[1:] + [len(text)])]


@Language.factory(
    "newsie_recognize",
    default_config={"org_model": None, "use_org_rules": True, "propagate_names": True, "org_precision": "auto",
                    "org_style": None, "org_screen_threshold": None},
)
def make_recognizer(
    nlp: Language, name: str, org_model: str | list[str] | None, use_org_rules: bool, propagate_names: bool,
    org_precision: str, org_style: str | None, org_screen_threshold: float | None,
) -> Recognizer:
    return Recognizer(name, org_model, use_org_rules, propagate_names, org_precision, org_style, org_screen_threshold)


def entity_spans(doc: Doc) -> list[Span]:
    """The mentions of a processed ``Doc``, in text order."""
    return list(doc.spans[ENTITY_SPANS_KEY]) if ENTITY_SPANS_KEY in doc.spans else []
