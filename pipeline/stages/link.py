"""Stage 5, link: industry clusters and canonical names for every mention.

Input: a normalized ``Doc``. Output, in each span's ``span._.attrs``: ``clusters`` (ids of
the configured taxonomy, or [] for none), ``link_confidence`` (the chosen cluster's share of
all evidence), ``link_evidence`` (the terms that support it, strongest first),
``link_sentence`` ([start, end] of the sentence holding the strongest evidence),
``link_model`` (the learned model's probability for the chosen cluster, null without a
model), and for ORG a ``canonical`` name shared by a short name and its full name
(奥来德 = 奥来德光电材料股份有限公司).

Evidence is gathered at several distances from the mention, nearer counting more: the
mention's own words, its clause, its sentence, the opening sentence of its paragraph (a
paragraph that opens with a cluster carries it), and the rest of the paragraph. Two kinds:
- taxonomy terms (``pipeline.grammar.taxonomy``), each counting its weight times the region's;
- a learned model's probabilities (``pipeline.models.linker``) for the clause, sentence and
  paragraph opening, the terms masked out, so it adds what the listed words do not say.
  Its ``none`` class (no industry) competes with the clusters: an amount in a sentence
  about tax revenue links to nothing even when the paragraph mentions an industry.
All mentions of one organization pool their evidence, so they agree. An amount or target
whose sentence speaks of the clusters as a whole (四大产业集群, or naming each of them)
links to all of them.
"""
from __future__ import annotations

import bisect
import math
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable, Iterator, NamedTuple, Sequence

from spacy.language import Language
from spacy.tokens import Doc
from spacy.util import minibatch

from pipeline.models.linker import NONE_LABEL, load_link_model
from pipeline.settings import CONFIGS_DIR
from pipeline.grammar.names import short_name
from pipeline.stages.recognize import entity_spans
from pipeline.stages.resources import load_resources, save_resources
from pipeline.text.sentences import ClauseIndex, SentenceIndex, block_of
from pipeline.grammar.taxonomy import Taxonomy, TermIndex, TermMatch, load_taxonomy

# Region weights for term evidence, and "model" for the learned model's probabilities.
DEFAULT_WEIGHTS = {"mention": 2.0, "clause": 2.0, "sentence": 1.0, "paragraph_head": 1.0, "paragraph": 0.25,
                   "model": 0.5}
MODEL_REGIONS = ("clause", "sentence", "paragraph_head")
AGGREGATE_LABELS = ("MONEY", "TARGET")
# A longer paragraph (a text without line breaks) is read in blocks of this many characters.
PARAGRAPH_BLOCK = 4000

Bounds = tuple[int, int]


@dataclass(frozen=True)
class Mention:
    start: int
    end: int
    label: str
    canonical: str | None = None  # given by the recognizer (an alias definition)


class Evidence(NamedTuple):
    """One contribution to a cluster's score: a term (or the model, ``term=None``) and where.

    A named tuple, not a dataclass: a long document makes hundreds of thousands of these
    (each mention gets its whole paragraph's terms), and tuples are several times cheaper."""
    cluster_id: str
    term: str | None
    score: float
    sentence: Bounds
    probability: float | None = None


def paragraph_of(paragraphs: Sequence[Bounds], position: int) -> Bounds:
    """The paragraph (of ``paragraphs``, in order) holding ``position``; of one over
    ``PARAGRAPH_BLOCK`` characters, the block holding it, so that each mention's evidence
    stays bounded in a text without line breaks."""
    index = bisect.bisect_right(paragraphs, (position, math.inf)) - 1
    if index >= 0 and paragraphs[index][0] <= position < paragraphs[index][1]:
        return block_of(*paragraphs[index], position, PARAGRAPH_BLOCK)
    return position, position


def canonical_names(text: str, mentions: Sequence[Mention]) -> dict[int, str]:
    """Canonical name of each ORG mention (by index): the full name a text defines for an alias
    (the recognizer's), else the full name a short name abbreviates."""
    names = {i: text[m.start:m.end] for i, m in enumerate(mentions) if m.label == "ORG"}
    # Registered full names and their short names (字号), each derived once.
    short_of = {name: short for name in set(names.values()) if (short := short_name(name))}
    canonical = {}
    expanded: dict[str, str] = {}  # per distinct name: its mentions were each compared with every full name
    for index, name in names.items():
        if mentions[index].canonical:
            canonical[index] = mentions[index].canonical
            continue
        if name not in expanded:
            expansions = [full for full, short in short_of.items() if full != name and
                          (short == name or short.startswith(name) or name in full)]
            expanded[name] = min(expansions, key=len) if expansions else name
        canonical[index] = expanded[name]
    return canonical


@dataclass(frozen=True)
class Context:
    """The nested regions around a mention, as (start, end) offsets into the text."""
    mention: Bounds
    clause: Bounds
    sentence: Bounds
    paragraph_head: Bounds
    paragraph: Bounds

    @classmethod
    def around(cls, paragraphs: Sequence[Bounds], sentences: SentenceIndex, clauses: ClauseIndex,
               mention: Mention) -> "Context":
        paragraph = paragraph_of(paragraphs, mention.start)
        head = sentences.bounds(paragraph[0]) if paragraph[1] > paragraph[0] else paragraph
        return cls((mention.start, mention.end), clauses.bounds(mention.start, mention.end),
                   sentences.bounds(mention.start), head, paragraph)

    def term_regions(self) -> dict[str, list[Bounds]]:
        """Each region without the nearer ones inside it, so a term counts once, at its nearest."""
        (m0, m1), (c0, c1), (s0, s1) = self.mention, self.clause, self.sentence
        return {
            "mention": [self.mention],
            "clause": [(c0, m0), (m1, c1)],
            "sentence": [(s0, c0), (c1, s1)],
            "paragraph_head": [self.paragraph_head] if self.paragraph_head != self.sentence else [],
            # The whole paragraph again, at a low weight: it tells what the paragraph is about.
            "paragraph": [self.paragraph],
        }

    def model_regions(self) -> dict[str, Bounds]:
        """Whole texts for the model: the clause with the mention in it, the sentence, the opening."""
        regions = {"clause": self.clause, "sentence": self.sentence}
        if self.paragraph_head != self.sentence:
            regions["paragraph_head"] = self.paragraph_head
        return regions


class Linker:
    """spaCy component: clusters, confidence, evidence and canonical names.

    ``model`` is a file saved by ``pipeline.models.linker`` (null: terms alone); ``pool_mentions``
    lets all mentions of one organization share their evidence.
    """

    def __init__(self, name: str, taxonomy: str, weights: dict[str, float], model: str | None = None,
                 pool_mentions: bool = True):
        self.name = name
        unknown = set(weights) - set(DEFAULT_WEIGHTS)
        if unknown:
            raise ValueError(f"unknown linking weights {sorted(unknown)}; known: {sorted(DEFAULT_WEIGHTS)}")
        self.weights = {**DEFAULT_WEIGHTS, **weights}
        self.pool_mentions = pool_mentions
        # Paths of what load() reads; from_disk points them at its copies.
        self.taxonomy_path, self.model_path = taxonomy, model
        self._taxonomy: Taxonomy | None = None
        self._model: Any = None

    def load(self) -> "Linker":
        """Load the taxonomy and the linking model (once; pipeline.stages.resources says when)."""
        if self._taxonomy is None:
            taxonomy = load_taxonomy(self.taxonomy_path)
            self._model = load_link_model(self.model_path, taxonomy) if self.model_path else None
            self._taxonomy = taxonomy
        return self

    @property
    def taxonomy(self) -> Taxonomy:
        return self.load()._taxonomy

    @property
    def model(self) -> Any:  # a scikit-learn pipeline (pipeline.models.linker), or None: terms alone
        return self.load()._model

    def to_disk(self, path: str | Path, exclude: Iterable[str] = ()) -> None:
        save_resources(path, {"taxonomy": self.taxonomy_path, "model": self.model_path})

    def from_disk(self, path: str | Path, exclude: Iterable[str] = ()) -> "Linker":
        saved = load_resources(path)
        self.taxonomy_path, self.model_path = saved["taxonomy"], saved["model"]
        self._taxonomy = self._model = None
        return self.load()

    def term_evidence(self, terms: TermIndex, sentences: SentenceIndex, context: Context,
                      seen: dict[tuple, Any] | None = None) -> list[Evidence]:
        """Every taxonomy term in the regions around a mention, with the sentence it stands in.

        ``seen`` caches each region's evidence ((piece, region) → items) and each match's
        ((match, region) → item): the mentions of one paragraph share most of their regions, so
        a document's regions are matched once each, not once per mention, and the (immutable)
        evidence items are shared, not made again.
        """
        seen = {} if seen is None else seen
        found: list[Evidence] = []
        for region, pieces in context.term_regions().items():
            for piece in pieces:
                items = seen.get((piece, region))
                if items is None:
                    items = seen[piece, region] = [self._term_item(match, region, sentences, seen)
                                                   for match in terms.matches_in(*piece)]
                found += items
        return found

    def _term_item(self, match: TermMatch, region: str, sentences: SentenceIndex, seen: dict[tuple, Any]) -> Evidence:
        """The evidence of one term match in one region, made once per document: in a run-on
        text each mention's regions differ, but they hold the same matches."""
        item = seen.get((match, region))
        if item is None:
            item = seen[match, region] = Evidence(match.cluster_id, match.term, match.weight * self.weights[region],
                                                  sentences.bounds(match.start))
        return item

    def model_evidence(self, documents: Sequence[tuple[str, list[Context]]]) -> list[list[list[Evidence]]]:
        """The model's probabilities for each mention's clause, sentence and paragraph opening,
        per document of ``documents`` ((text, mention contexts) pairs).

        One ``predict_proba`` call for all the documents: scikit-learn's per-call checks cost
        about as much as a short document's features."""
        if self.model is None or not self.weights["model"]:
            return [[[] for _ in contexts] for _, contexts in documents]
        # Mentions share sentences: ask the model once per distinct text.
        asked = [[{region: text[slice(*bounds)] for region, bounds in c.model_regions().items()} for c in contexts]
                 for text, contexts in documents]
        queries = list(dict.fromkeys(t for per_doc in asked for regions in per_doc for t in regions.values()))
        probabilities = dict(zip(queries, self.model.predict_proba(queries))) if queries else {}
        classes = [str(cluster_id) for cluster_id in self.model.classes_]
        # Mentions of one sentence get the same items: made once, shared (they are immutable).
        made: dict[tuple[str, str, Bounds], list[Evidence]] = {}
        found = []
        for (_, contexts), per_doc in zip(documents, asked):
            per_mention = []
            for context, regions in zip(contexts, per_doc):
                items: list[Evidence] = []
                for region, region_text in regions.items():
                    cited = context.paragraph_head if region == "paragraph_head" else context.sentence
                    shared = made.get((region, region_text, cited))
                    if shared is None:
                        weight = self.weights["model"] * self.weights[region]
                        shared = made[region, region_text, cited] = [
                            Evidence(cluster_id, None, weight * p, cited, p)
                            for cluster_id, p in zip(classes, probabilities[region_text].tolist())]
                    items += shared
                per_mention.append(items)
            found.append(per_mention)
        return found

    def link(self, text: str, paragraphs: Sequence[Bounds], mentions: Sequence[Mention]) -> list[dict]:
        """Linking attributes for each mention, in order."""
        return self.link_documents([(text, paragraphs, mentions)])[0]

    def link_documents(self, documents: Sequence[tuple[str, Sequence[Bounds], Sequence[Mention]]]) -> list[list[dict]]:
        """``link`` for several (text, paragraphs, mentions) documents at once (one model call)."""
        prepared = []
        for text, paragraphs, mentions in documents:
            paragraphs = paragraphs or [(0, len(text))]
            sentences, clauses = SentenceIndex(text), ClauseIndex(text)
            prepared.append((text, sentences, [Context.around(paragraphs, sentences, clauses, m) for m in mentions]))
        learned = self.model_evidence([(text, contexts) for text, _, contexts in prepared])
        return [self._decide_mentions(text, sentences, contexts, mentions, model_items)
                for (text, sentences, contexts), (_, _, mentions), model_items in zip(prepared, documents, learned)]

    def _decide_mentions(self, text: str, sentences: SentenceIndex, contexts: list[Context],
                         mentions: Sequence[Mention], learned: list[list[Evidence]]) -> list[dict]:
        seen: dict[tuple, Any] = {}
        terms = TermIndex(self.taxonomy, text)
        evidence = [self.term_evidence(terms, sentences, c, seen) + m for c, m in zip(contexts, learned)]
        canonical = canonical_names(text, mentions)
        # One organization, one set of clusters: pool the evidence of all its mentions.
        pooled: dict[str, list[Evidence]] = defaultdict(list)
        if self.pool_mentions:
            for index, name in canonical.items():
                pooled[name] += evidence[index]
        results = []
        # The mentions of one organization pool the same evidence: decided once per name.
        pooled_decisions: dict[str, dict] = {}
        aggregates: dict[Bounds, str | None] = {}  # per sentence: its amounts share it
        for index, mention in enumerate(mentions):
            attrs: dict = {"canonical": canonical[index]} if index in canonical else {}
            sentence = contexts[index].sentence
            aggregate = None
            if mention.label in AGGREGATE_LABELS:
                if sentence not in aggregates:
                    aggregates[sentence] = self.aggregate_phrase(text[slice(*sentence)])
                aggregate = aggregates[sentence]
            if aggregate:
                attrs.update(clusters=self.taxonomy.linked_ids, link_confidence=1.0,
                             link_evidence=["aggregate", aggregate], link_sentence=list(sentence), link_model=None)
            elif index in canonical and self.pool_mentions:
                decision = pooled_decisions.get(canonical[index])
                if decision is None:
                    decision = self.decide(pooled[canonical[index]], sentence)
                    if decision["link_confidence"]:  # without evidence it cites the mention's own sentence
                        pooled_decisions[canonical[index]] = decision
                attrs.update({key: list(value) if isinstance(value, list) else value for key, value in decision.items()})
            else:
                attrs.update(self.decide(evidence[index], sentence))
            results.append(attrs)
        return results

    def aggregate_phrase(self, sentence: str) -> str | None:
        """The words by which a sentence speaks of all clusters at once, if it does."""
        phrase = self.taxonomy.aggregate_phrase(sentence)
        if phrase:
            return phrase
        if self.taxonomy.names_every_cluster(sentence):
            return "、".join(c.name for c in self.taxonomy.clusters if c.linked)
        return None

    def decide(self, evidence: list[Evidence], sentence: Bounds) -> dict:
        """The best-supported cluster, if it is a linked one; ``none`` or an unlinked one gives []."""
        totals: dict[str, float] = defaultdict(float)
        for item in evidence:
            totals[item.cluster_id] += item.score
        total = sum(totals.values())
        if not total:
            return {"clusters": [], "link_confidence": 0.0, "link_evidence": [], "link_sentence": list(sentence),
                    "link_model": None}
        best = max(totals, key=totals.get)
        support = sorted((e for e in evidence if e.cluster_id == best), key=lambda e: -e.score)
        terms = list(dict.fromkeys(e.term for e in support if e.term))
        model_share = [e for e in support if e.term is None]
        return {
            "clusters": [best] if best in self.taxonomy.linked_ids else [],
            "link_confidence": round(totals[best] / total, 3),
            "link_evidence": terms if best != NONE_LABEL else [],
            "link_sentence": list(support[0].sentence),
            "link_model": round(max(e.probability for e in model_share), 3) if model_share else None,
        }

    def __call__(self, doc: Doc) -> Doc:
        return next(iter(self.pipe([doc])))

    def pipe(self, docs: Iterable[Doc], batch_size: int = 64) -> Iterator[Doc]:
        for batch in minibatch(docs, batch_size):
            spans = [entity_spans(doc) for doc in batch]
            documents = [(doc._.clean_text or doc.text, doc._.paragraphs,
                          [Mention(s.start_char, s.end_char, s.label_, (s._.attrs or {}).get("canonical"))
                           for s in doc_spans])
                         for doc, doc_spans in zip(batch, spans)]
            for doc, doc_spans, linked in zip(batch, spans, self.link_documents(documents)):
                for span, attrs in zip(doc_spans, linked):
                    span._.attrs = {**(span._.attrs or {}), **attrs}
                yield doc


@Language.factory(
    "newsie_link",
    default_config={"taxonomy": str(CONFIGS_DIR / "taxonomies" / "strategic_emerging_industries.toml"), "weights": {},
                    "model": None, "pool_mentions": True},
)
def make_linker(nlp: Language, name: str, taxonomy: str, weights: dict[str, float], model: str | None,
                pool_mentions: bool) -> Linker:
    return Linker(name, taxonomy, weights, model, pool_mentions)
