"""Stage 5, link: industry clusters and canonical names for every mention.

Input: a normalized ``Doc``. Output, in each span's ``span._.attrs``: ``clusters`` (ids of
the configured taxonomy), ``link_confidence`` and ``link_evidence`` (the terms that
decided), and for ORG a ``canonical`` name shared by a short name and its full name
(奥来德 = 奥来德光电材料股份有限公司).

Evidence is gathered at several distances from the mention, nearer counting more: the
mention's own words, its clause, its sentence, the opening sentence of its paragraph (a
paragraph that opens with a cluster carries it), and the rest of the paragraph. All mentions
of one organization pool their evidence, so they agree. An amount or target whose sentence
speaks of the clusters as a whole (四大产业集群, or naming each of them) links to all of them.
"""
from __future__ import annotations

import re
from collections import Counter, defaultdict

from spacy.language import Language
from spacy.tokens import Doc, Span

from pipeline.language import resolve_path
from pipeline.names import short_name
from pipeline.recognize import entity_spans
from pipeline.segment import sentence_bounds
from pipeline.taxonomy import Taxonomy, load_taxonomy

CLAUSE_BREAK = re.compile(r"[,，;；。!！?？:：\n]")
DEFAULT_WEIGHTS = {"mention": 2.0, "clause": 2.0, "sentence": 1.0, "paragraph_head": 1.0, "paragraph": 0.25}
AGGREGATE_LABELS = ("MONEY", "TARGET")


def clause_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    """(start, end) of the clause holding ``text[start:end]``."""
    left = [m.end() for m in CLAUSE_BREAK.finditer(text, max(0, start - 200), start)]
    right = CLAUSE_BREAK.search(text, end)
    return (left[-1] if left else max(0, start - 200)), (right.start() if right else len(text))


def paragraph_of(paragraphs: list[tuple[int, int]], position: int) -> tuple[int, int]:
    for start, end in paragraphs:
        if start <= position < end:
            return start, end
    return position, position


def canonical_names(text: str, spans: list[Span]) -> dict[int, str]:
    """Canonical name of each ORG span (by index): the full name a short name abbreviates."""
    names = {i: text[s.start_char:s.end_char] for i, s in enumerate(spans) if s.label_ == "ORG"}
    full_names = {name for name in names.values() if short_name(name)}
    canonical = {}
    for index, name in names.items():
        expansions = [full for full in full_names if full != name and short_name(full) and
                      (short_name(full) == name or short_name(full).startswith(name) or name in full)]
        canonical[index] = min(expansions, key=len) if expansions else name
    return canonical


class Linker:
    """spaCy component: clusters, confidence, evidence and canonical names."""

    def __init__(self, name: str, taxonomy: str, weights: dict[str, float]):
        self.name = name
        self.taxonomy: Taxonomy = load_taxonomy(resolve_path(taxonomy))
        self.weights = {**DEFAULT_WEIGHTS, **weights}

    def evidence_scores(self, text: str, paragraphs: list[tuple[int, int]], span: Span) -> tuple[Counter[str], list[str]]:
        """Weighted evidence per cluster around one mention, and the terms seen nearest."""
        start, end = span.start_char, span.end_char
        clause = clause_bounds(text, start, end)
        sentence = sentence_bounds(text, start)
        paragraph = paragraph_of(paragraphs, start)
        head = sentence_bounds(text, paragraph[0]) if paragraph[1] > paragraph[0] else paragraph
        regions = {
            "mention": text[start:end],
            "clause": text[clause[0]:start] + text[end:clause[1]],
            "sentence": text[sentence[0]:clause[0]] + text[clause[1]:sentence[1]],
            "paragraph_head": text[head[0]:head[1]] if head != sentence else "",
            "paragraph": text[paragraph[0]:paragraph[1]],
        }
        totals: Counter[str] = Counter()
        terms: list[str] = []
        for region, words in regions.items():
            for cluster_id, term, weight in self.taxonomy.evidence(words):
                totals[cluster_id] += weight * self.weights[region]
                if region != "paragraph":
                    terms.append(term)
        return totals, terms

    def __call__(self, doc: Doc) -> Doc:
        text = doc._.clean_text or doc.text
        paragraphs = doc._.paragraphs or [(0, len(text))]
        spans = entity_spans(doc)
        canonical = canonical_names(text, spans)
        scores: dict[int, Counter[str]] = {}
        terms: dict[int, list[str]] = {}
        for index, span in enumerate(spans):
            scores[index], terms[index] = self.evidence_scores(text, paragraphs, span)
        # One organization, one set of clusters: pool the evidence of all its mentions.
        pooled: dict[str, Counter[str]] = defaultdict(Counter)
        for index, name in canonical.items():
            pooled[name] += scores[index]
        for index, span in enumerate(spans):
            attrs = span._.attrs if span._.attrs is not None else {}
            if index in canonical:
                attrs["canonical"] = canonical[index]
            sentence = text[slice(*sentence_bounds(text, span.start_char))]
            if span.label_ in AGGREGATE_LABELS and (
                self.taxonomy.names_aggregate(sentence) or self.taxonomy.names_every_cluster(sentence)
            ):
                attrs.update(clusters=self.taxonomy.linked_ids, link_confidence=1.0, link_evidence=["aggregate"])
            else:
                attrs.update(self.decide(pooled[canonical[index]] if index in canonical else scores[index], terms[index]))
            span._.attrs = attrs
        return doc

    def decide(self, scores: Counter[str], terms: list[str]) -> dict:
        """The best-supported cluster, if it is a linked one."""
        total = sum(scores.values())
        if not total:
            return {"clusters": [], "link_confidence": 0.0, "link_evidence": []}
        best, score = scores.most_common(1)[0]
        linked = best in self.taxonomy.linked_ids
        return {
            "clusters": [best] if linked else [],
            "link_confidence": round(score / total, 3),
            "link_evidence": sorted(set(terms)),
        }


@Language.factory(
    "newsie_link",
    default_config={"taxonomy": "configs/taxonomies/jinshan_four_clusters.toml", "weights": {}},
)
def make_linker(nlp: Language, name: str, taxonomy: str, weights: dict[str, float]) -> Linker:
    return Linker(name, taxonomy, weights)
