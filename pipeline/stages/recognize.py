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
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

from spacy.attrs import IDX
from spacy.language import Language
from spacy.scorer import Scorer
from spacy.tokens import Doc, Span
from spacy.training import Example

from pipeline.grammar.amounts import find_amounts
from pipeline.stages.extensions import ENTITY_SPANS_KEY, OPTIONAL_SPANS_KEY
from pipeline.stages.resources import load_resources, save_resources
from pipeline.text.spans import CATEGORIES, EvaluationResult, compare_spans, metrics
from pipeline.grammar.financial_context import (bracketed_abbreviations, cited_name, is_market_term, source_frames,
                                                source_tags, trim_market_edges)
from pipeline.grammar.gazetteer import Gazetteer
from pipeline.grammar.market_cues import GENERIC_ORG_PHRASES, alias_mentions, market_names, trim_boundaries
from pipeline.grammar.names import INSTITUTION_ENDINGS, ORG_HEADS, NameFinder, short_name, trim_name
from pipeline.grammar.targets import find_targets

# Which source wins when two mentions of the name labels overlap with equal length.
# A user's own name list knows best; then the grammars, then the model and the cues.
SOURCE_PRIORITY = {"gazetteer": 4, "rule": 3, "grammar": 3, "cue": 2, "market": 2, "model": 2, "alias": 1}
NAME_LABELS = ("ORG", "PARK")
PLACE_OR_PERSON_FLAGS = {"ns", "nsf", "nr", "nrt", "nrfg"}


@dataclass(frozen=True)
class Mention:
    start: int
    end: int
    label: str
    source: str
    canonical: str | None = None  # the full name an alias definition gives (以下简称)


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


def without_models_over_parks(text: str, names: list[Mention]) -> list[Mention]:
    """The mentions without the model's ORG spans that run on past a park the rules found
    (海口综合保税区飞机, 西安高新技术产业开发区半导体产业链): the park wins, unless the ORG
    ends in an organization word (苏州工业园区管委会)."""
    parks = [m for m in names if m.label == "PARK" and m.source == "rule"]
    return [m for m in names if not (
        m.source == "model" and not text[m.start:m.end].endswith(ORG_HEADS + INSTITUTION_ENDINGS)
        and any(m.start <= p.start and p.end <= m.end and (p.start, p.end) != (m.start, m.end) for p in parks))]


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
                 org_screen_threshold: float | None = None, org_gazetteers: list[str] | None = None,
                 use_market_cues: bool = True, org_news_model: str | None = None,
                 org_settle_threshold: float | None = None):
        self.name = name
        self.use_market_cues = use_market_cues
        self.name_finder = NameFinder()
        self.use_org_rules = use_org_rules
        self.propagate_names = propagate_names
        # Paths (or HanLP identifiers) of what load() reads; from_disk points them at its copies.
        self.org_sources = org_model
        self.gazetteer_files = list(org_gazetteers or [])
        self.news_source = org_news_model
        self.org_options = {"precision": org_precision, "style": org_style}
        for option, value in (("screen_threshold", org_screen_threshold), ("settle_threshold", org_settle_threshold)):
            if value is not None:  # None: OrgModel's default
                self.org_options[option] = value
        self._org_model = None
        self._news_model = None
        self._gazetteer = None
        self._loaded = False

    def load(self) -> "Recognizer":
        """Load the ORG model and the name lists (once; pipeline.stages.resources says when)."""
        if not self._loaded:
            self._gazetteer = Gazetteer.from_files(self.gazetteer_files) if self.gazetteer_files else None
            if self.org_sources or self.news_source:
                from pipeline.models.org.tagger import OrgModel  # torch and HanLP load only when asked for

                if self.org_sources:
                    self._org_model = OrgModel.load(model_source(self.org_sources), **self.org_options)
                if self.news_source:
                    self._news_model = OrgModel.load(model_source(self.news_source),
                                                     precision=self.org_options["precision"])
            self._loaded = True
        return self

    @property
    def org_model(self):  # an OrgModel, or None: rules alone
        return self.load()._org_model

    @property
    def news_model(self):  # a tagger of modern financial news whose names fill gaps, or None
        return self.load()._news_model

    @property
    def gazetteer(self) -> Gazetteer | None:
        return self.load()._gazetteer

    def to_disk(self, path: str | Path, exclude: Iterable[str] = ()) -> None:
        save_resources(path, {"org_model": self.org_sources or None, "org_gazetteers": self.gazetteer_files,
                              "org_news_model": self.news_source or None})

    def from_disk(self, path: str | Path, exclude: Iterable[str] = ()) -> "Recognizer":
        saved = load_resources(path)
        self.org_sources, self.gazetteer_files = saved["org_model"], saved["org_gazetteers"]
        self.news_source = saved.get("org_news_model")
        self._loaded = False
        return self.load()

    def find_mentions(self, text: str, boundaries: set[int], boilerplate: list[tuple[int, int]],
                      model_orgs: list[tuple[int, int, str]] | None = None,
                      news_orgs: list[tuple[int, int, str]] | None = None) -> list[Mention]:
        """All mentions of the clean ``text``; ``model_orgs`` are the model's ORG spans,
        ``news_orgs`` the news model's, which only fill gaps: where nothing else stands."""
        finder = self.name_finder
        names = [Mention(m.start, m.end, m.label, m.source) for m in finder.park_names(text, boundaries)]
        # Organization names lose prepositions before them and units after them (由元禾控股,
        # 恒瑞医药苏州子公司); the model's spans also stray edge brackets (京东方）), and a
        # one-character name is a slip.
        spans = [(s, e, "model") for s, e, label in model_orgs or [] if label == "ORG"]
        if self.use_org_rules:
            spans += [(m.start, m.end, m.source) for m in
                      finder.org_names(text, boundaries) + finder.short_company_names(text, boundaries)
                      + finder.cued_names(text, boundaries)]
            if self.use_market_cues:
                spans += [(m.start, m.end, "market") for m in market_names(text, finder)]
        for s, e, source in spans:
            if source == "model":
                s, e = trim_name(text, s, e)
            s, e = trim_boundaries(text, s, e, boundaries, finder.is_place, one_character_words=source == "model")
            s, e = trim_market_edges(text, s, e)
            if text[s:e] in GENERIC_ORG_PHRASES or is_market_term(text, s, e):
                continue
            if e - s >= 2 and (source not in ("model", "market") or finder.plausible_name(text[s:e])):
                names.append(Mention(s, e, "ORG", source))
        if self.gazetteer is not None:
            names += [Mention(m.start, m.end, "ORG", "gazetteer", m.canonical) for m in self.gazetteer.find(text, boundaries)]
        names = without_models_over_parks(text, names)
        amounts = find_amounts(text)
        money = [Mention(a.start, a.end, "MONEY", "grammar") for a in amounts]
        # An amount wins over any name that overlaps it (注册资本1亿元有限公司, 5元限公司): the
        # amount grammar is precise, a name holding a currency word is a slip, and overlapping
        # ORG and MONEY spans cannot both be entities of the Doc.
        money_coverage = Coverage(money)
        names = outside(boilerplate, resolve_overlaps([m for m in names if not money_coverage.overlaps(m)]))
        if self.use_org_rules and self.use_market_cues:
            # （以下简称“宁德时代”）after a found name: the alias and its later mentions are that name's
            found = [(m.start, m.end) for m in names if m.label == "ORG"]
            aliases = [Mention(a.start, a.end, "ORG", "alias", a.canonical) for a in alias_mentions(text, found)]
            # 伦敦金属交易所（LME）: the bracketed abbreviation and its later uses; …。（界面新闻）: a source
            is_place_or_person = lambda name: known_place_or_person(finder, name)  # noqa: E731
            aliases += [Mention(s, e, "ORG", "alias", full)
                        for s, e, full in bracketed_abbreviations(text, found, is_place_or_person)]
            aliases += [Mention(s, e, "ORG", "cue") for s, e in source_tags(text, is_place_or_person)]
            aliases += [Mention(s, e, "ORG", "cue") for s, e in source_frames(
                text, lambda name: cited_name(finder, name) and not is_place_or_person(name))]
            taken = Coverage(names + money)
            for alias in aliases:
                if not taken.overlaps(alias):
                    names.append(alias)
                    taken.add(alias)
        if news_orgs:
            # outside page furniture, and never a bare place (金山 for 金山区政府 is the guideline's
            # "not ORG: places"), which a tagger of headlines takes for the body it stands for
            taken = Coverage(names + money + [Mention(s, e, "", "") for s, e in boilerplate])
            for s, e, label in news_orgs:
                s, e = trim_market_edges(text, *trim_boundaries(text, *trim_name(text, s, e), boundaries,
                                                                finder.is_place))
                gap = Mention(s, e, "ORG", "news_model")
                if (label == "ORG" and e - s >= 2 and text[s:e] not in GENERIC_ORG_PHRASES
                        and not is_market_term(text, s, e)
                        and not known_place_or_person(finder, text[s:e])
                        and finder.plausible_name(text[s:e]) and not taken.overlaps(gap)):
                    names.append(gap)
                    taken.add(gap)
        if self.propagate_names:
            known = {text[m.start:m.end]: m.label for m in names
                     if m.source not in ("model", "news_model") or finder.repeatable(text[m.start:m.end])}
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
        predictions, news = self._model_spans(docs, texts, (self.org_model, self.news_model))
        return [self.pipe_one(doc, prediction, found) for doc, prediction, found in zip(docs, predictions, news)]

    def pipe_one(self, doc: Doc, model_orgs: list[tuple[int, int, str]] | None,
                 news_orgs: list[tuple[int, int, str]] | None = None) -> Doc:
        text = doc._.clean_text or doc.text
        if model_orgs is None:
            model_orgs = self._model_spans([doc], [text], (self.org_model,))[0][0]
        if news_orgs is None:
            news_orgs = self._model_spans([doc], [text], (self.news_model,))[0][0]
        token_starts = doc.to_array(IDX).tolist()  # without making a Token object per word
        boundaries = set(token_starts) | {len(text)}
        mentions = self.find_mentions(text, boundaries, doc._.boilerplate or [], model_orgs, news_orgs)
        split_at(doc, [offset for m in mentions for offset in (m.start, m.end)], token_starts)
        spans = []
        for mention in mentions:
            span = doc.char_span(mention.start, mention.end, label=mention.label)
            span._.attrs = {"source": mention.source}
            if mention.canonical:
                span._.attrs["canonical"] = mention.canonical
            spans.append(span)
        doc.spans[ENTITY_SPANS_KEY] = spans
        doc.ents = [span for span in spans if span.label_ != "TARGET"]
        return doc

    @staticmethod
    def _model_spans(docs: list[Doc], texts: list[str], models: tuple) -> list[list[list[tuple[int, int, str]] | None]]:
        """Each model's ORG spans in each text (Nones for no model); the segmenter's words are
        read off the docs once, for all the models that take them."""
        words = ([_words(doc, text) for doc, text in zip(docs, texts)]
                 if any(model is not None and model.reads_words for model in models) else None)
        return [_predict(model, texts, words) for model in models]

    def score(self, examples: Iterable[Example], **kwargs) -> dict:
        """The project's one span scorer (``pipeline.text.spans``) for ``nlp.evaluate``: the
        micro-averaged strict P/R/F as ``newsie_p``, ``newsie_r``, ``newsie_f``, per label as
        ``newsie_per_type``, and the ent_type and macro F as ``newsie_ent_type_f`` and
        ``newsie_macro_f``. Gold mentions in the reference's ``newsie_optional`` group are
        optional, as in ``newsie eval``. The same strict figures also under the names spaCy's
        span categorizer uses (``spans_newsie_p`` …), and spaCy's entity scores (``ents_p`` …):
        ``spacy evaluate --spans-key newsie`` prints both in its table."""
        counts: Counter = Counter()
        for example in examples:
            def spans(doc: Doc, key: str) -> list[tuple[int, int, str]]:
                return [(s.start_char, s.end_char, s.label_) for s in doc.spans.get(key, [])]

            gold, pred = spans(example.reference, ENTITY_SPANS_KEY), spans(example.predicted, ENTITY_SPANS_KEY)
            for outcome in compare_spans(gold, pred, spans(example.reference, OPTIONAL_SPANS_KEY)):
                counts[outcome.scheme, outcome.label, outcome.category] += 1
        labels = sorted({label for scheme, label, _ in counts if scheme == "strict"})

        def result(scheme: str, label_set: list[str]) -> EvaluationResult:
            return metrics(scheme, {c: sum(counts[scheme, label, c] for label in label_set) for c in CATEGORIES})

        per_type = {label: result("strict", [label]) for label in labels}
        scores = {
            "newsie_p": result("strict", labels).precision, "newsie_r": result("strict", labels).recall,
            "newsie_f": result("strict", labels).f1,
            "newsie_per_type": {label: {"p": r.precision, "r": r.recall, "f": r.f1} for label, r in per_type.items()},
            "newsie_ent_type_f": result("ent_type", labels).f1,
            "newsie_macro_f": sum(r.f1 for r in per_type.values()) / len(per_type) if per_type else 0.0,
        }
        spans_key = f"spans_{ENTITY_SPANS_KEY}"
        scores.update({f"{spans_key}_{part}": scores[f"newsie_{part}"] for part in ("p", "r", "f", "per_type")})
        return {**Scorer.score_spans(examples, "ents"), **scores}


def _recognize_settings(config_path: str | Path, overrides: dict | None = None) -> dict:
    import spacy

    from pipeline.settings import find_config, resolve_config_paths

    config_path = find_config(config_path)
    config = spacy.util.load_config(config_path, overrides=overrides or {}, interpolate=False)
    return resolve_config_paths(config, config_path.parent, overrides)["components"]["newsie_recognize"]


def configured_org_model(config_path: str | Path, overrides: dict | None = None) -> str | list[str] | None:
    """The ``org_model`` a pipeline config gives its recognize stage (None: rules alone)."""
    return _recognize_settings(config_path, overrides)["org_model"]


def configured_org_style(config_path: str | Path, overrides: dict | None = None) -> str | None:
    """The ``org_style`` a pipeline config gives its recognize stage (None: the model's default)."""
    return _recognize_settings(config_path, overrides).get("org_style")


def model_source(org_model: str | list[str]) -> str | list[str]:
    """Each local path made absolute (relative to the working directory; a config's paths are
    already absolute, pipeline.settings.resolve_config_paths); a name that is not a path here is
    left for hanlp.load to resolve (a HanLP identifier or URL). A list of save dirs is an ensemble."""
    def one(source: str) -> str:
        local = Path(source).expanduser()
        return str(local.resolve()) if local.exists() else source

    return one(org_model) if isinstance(org_model, str) else [one(source) for source in org_model]


def known_place_or_person(finder: NameFinder, name: str) -> bool:
    """A place (金山, 上海) or a person the dictionary knows by this one word."""
    words = finder.tag(name)
    return finder.is_place(name) or (len(words) == 1 and words[0][1] in PLACE_OR_PERSON_FLAGS
                                     and finder.tokenizer.FREQ.get(name, 0) > 0)


def _predict(model, texts: list[str], words: list[list[str]] | None) -> list[list[tuple[int, int, str]] | None]:
    """The ORG spans an ``OrgModel`` (or None: no model) finds in each text, given the words."""
    if model is None:
        return [None] * len(texts)
    return model.predict(texts, words=words if model.reads_words else None)


def _words(doc: Doc, text: str) -> list[str]:
    """The segmenter's words, read off the clean ``text`` (the model's lexicon features)."""
    starts = doc.to_array(IDX).tolist()
    return [text[start:end] for start, end in zip(starts, starts[1:] + [len(text)])]


@Language.factory(
    "newsie_recognize",
    default_config={"org_model": None, "use_org_rules": True, "propagate_names": True, "org_precision": "auto",
                    "org_style": None, "org_screen_threshold": None, "org_gazetteers": [], "use_market_cues": True,
                    "org_news_model": None, "org_settle_threshold": None},
)
def make_recognizer(
    nlp: Language, name: str, org_model: str | list[str] | None, use_org_rules: bool, propagate_names: bool,
    org_precision: str, org_style: str | None, org_screen_threshold: float | None, org_gazetteers: list[str],
    use_market_cues: bool, org_news_model: str | None, org_settle_threshold: float | None,
) -> Recognizer:
    return Recognizer(name, org_model, use_org_rules, propagate_names, org_precision, org_style, org_screen_threshold,
                      org_gazetteers, use_market_cues, org_news_model, org_settle_threshold)


def entity_spans(doc: Doc) -> list[Span]:
    """The mentions of a processed ``Doc``, in text order."""
    return list(doc.spans[ENTITY_SPANS_KEY]) if ENTITY_SPANS_KEY in doc.spans else []
