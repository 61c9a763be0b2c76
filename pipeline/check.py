"""Stage 6, check: conflicting facts and numbers that look damaged.

Input: a linked ``Doc``. Output: ``doc._.warnings``, a list of
``{"type", "message", "spans"}`` dicts (spans as [start, end] character offsets):

- ``conflict``: one subject (a project, an organization) and one attribute (投资, 产值…)
  reported with different amounts in one document — 总投资5亿元的…碳纤维项目 and
  总投资35亿元的…碳纤维项目. Subjects match when their characters overlap enough after
  model numbers and digits are set aside (8k and 48k are part of the disagreement).
- ``suspicious_number``: an amount with a leading zero (产值045亿元), a two-digit year
  opening a clause in a text that writes years with four digits (20年,).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import combinations

from spacy.language import Language
from spacy.tokens import Doc, Span

from pipeline.recognize import entity_spans
from pipeline.segment import sentence_bounds
from pipeline.targets import METRIC

# 总投资, 投资额 and 投资 report the same attribute.
ATTRIBUTE_SYNONYMS = {"总投资": "投资", "投资额": "投资", "投资总额": "投资", "总产值": "产值", "产值规模": "产值"}
SUBJECT_AFTER = re.compile(r"^的([^,，。;；、]{2,40}?(?:项目|工程|基地|工厂|产业园|生产线))")
SUBJECT_IN_SENTENCE = re.compile(r"[^,，。;；、]{2,40}?(?:项目|工程|基地|工厂|生产线)")
LEADING_ZERO = re.compile(r"(?<![\d.])0\d+(?:\.\d+)?(?=\s*(?:万亿|亿|千万|万)?(?:元|美元|%))")
TWO_DIGIT_YEAR = re.compile(r"(?:^|(?<=[\s,，。;；:：“]))(\d{2})年(?![来内间代度底])")
FOUR_DIGIT_YEAR = re.compile(r"(?<!\d)(?:19|20)\d{2}年")
DEFAULT_MIN_SUBJECT_SIMILARITY = 0.6


@dataclass(frozen=True)
class Fact:
    span: Span
    subject: str
    attribute: str | None
    value: float


def subject_key(subject: str) -> set[str]:
    """Character bigrams of a subject with Latin letters and digits set aside."""
    core = re.sub(r"[0-9a-zA-Z.]+", "", subject)
    return {core[i:i + 2] for i in range(len(core) - 1)}


def similarity(a: set[str], b: set[str]) -> float:
    return len(a & b) / len(a | b) if a and b else 0.0


def money_fact(text: str, span: Span) -> Fact | None:
    """The (subject, attribute, value) that a MONEY span reports, when a subject is found."""
    attrs = span._.attrs or {}
    if attrs.get("value") is None:
        return None
    sentence_start, sentence_end = sentence_bounds(text, span.start_char)
    attribute = None
    for match in METRIC.finditer(text, max(sentence_start, span.start_char - 8), span.start_char):
        attribute = ATTRIBUTE_SYNONYMS.get(match.group(), match.group())
    after = SUBJECT_AFTER.match(text[span.end_char:sentence_end])
    if after:
        subject = after.group(1)
    else:
        subjects = SUBJECT_IN_SENTENCE.findall(text[sentence_start:span.start_char])
        if not subjects:
            return None
        subject = subjects[-1]
    return Fact(span, subject, attribute, float(attrs["value"]))


def find_conflicts(text: str, spans: list[Span], min_similarity: float = DEFAULT_MIN_SUBJECT_SIMILARITY) -> list[dict]:
    """Pairs of facts about one subject and attribute that disagree on the amount."""
    facts = [f for f in (money_fact(text, s) for s in spans if s.label_ == "MONEY") if f]
    warnings = []
    for first, second in combinations(facts, 2):
        if first.attribute != second.attribute:
            continue
        if abs(first.value - second.value) <= 0.01 * max(first.value, second.value):
            continue
        if similarity(subject_key(first.subject), subject_key(second.subject)) < min_similarity:
            continue
        warnings.append({
            "type": "conflict",
            "message": f"{first.attribute or '金额'} of {first.subject} reported as "
                       f"{first.span.text} and {second.span.text}",
            "spans": [[first.span.start_char, first.span.end_char], [second.span.start_char, second.span.end_char]],
        })
    return warnings


def find_suspicious_numbers(text: str) -> list[dict]:
    """Numbers that look truncated or damaged."""
    warnings = [
        {"type": "suspicious_number", "message": f"amount with a leading zero: {m.group()}",
         "spans": [[m.start(), m.end()]]}
        for m in LEADING_ZERO.finditer(text)
    ]
    if FOUR_DIGIT_YEAR.search(text):
        warnings += [
            {"type": "suspicious_number", "message": f"two-digit year in a text of four-digit years: {m.group()}",
             "spans": [[m.start(), m.end()]]}
            for m in TWO_DIGIT_YEAR.finditer(text)
        ]
    return sorted(warnings, key=lambda w: w["spans"][0])


class Checker:
    """spaCy component: sets ``doc._.warnings``."""

    def __init__(self, name: str, min_subject_similarity: float):
        self.name = name
        self.min_subject_similarity = min_subject_similarity

    def __call__(self, doc: Doc) -> Doc:
        text = doc._.clean_text or doc.text
        spans = entity_spans(doc)
        doc._.warnings = find_conflicts(text, spans, self.min_subject_similarity) + find_suspicious_numbers(text)
        return doc


@Language.factory("newsie_check", default_config={"min_subject_similarity": DEFAULT_MIN_SUBJECT_SIMILARITY})
def make_checker(nlp: Language, name: str, min_subject_similarity: float) -> Checker:
    return Checker(name, min_subject_similarity)
