"""Stage 6, check: conflicting facts and numbers that look damaged.

Input: a linked ``Doc``. Output: ``doc._.warnings``, a list of
``{"type", "message", "spans"}`` dicts (spans as [start, end] character offsets):

- ``conflict``: one subject and one attribute (投资, 产值, 营收…) reported with amounts that
  cannot both be true in one document; the warning names every span reporting it. The
  subject of an amount is, in this order: a project, plant or base it names (总投资5亿元的
  …碳纤维项目, 投资3亿元建设…基地, or one earlier in its sentence); an organization mentioned
  in its clause (宁德时代2022年营收3286亿元), by canonical name; an industry named in its
  clause (智能装备产业集群…产值370亿元). Project and industry subjects match when their
  character bigrams overlap enough after model numbers are set aside (8k and 48k are part of
  the disagreement); organization subjects by their canonical name. Facts are compared only
  with the same attribute, per-unit, currency, status (goal, forecast, report) and time
  (2022年, 上半年…), so a goal is no conflict with a result, nor one year with another.
  Values conflict when their ranges, widened by their qualifiers, do not meet: 超过430亿元
  does not conflict with 450亿元.
- ``suspicious_number``: an amount with a leading zero (产值045亿元) or a broken thousands
  separator (1,00万元); a two-digit year opening a clause or a date (20年, / 22年3月) in a text
  that writes years with four digits.
"""
from __future__ import annotations

import bisect
import math
import re
from dataclasses import dataclass
from itertools import combinations

from spacy.language import Language
from spacy.tokens import Doc, Span

from pipeline.stages.recognize import entity_spans
from pipeline.text.sentences import CLAUSE_END, SentenceIndex
from pipeline.grammar.targets import METRIC, TARGET_REACH, status_of

# 总投资, 投资额 and 投资 report the same attribute.
ATTRIBUTE_SYNONYMS = {
    "总投资": "投资", "投资额": "投资", "投资总额": "投资", "总产值": "产值", "产值规模": "产值",
    "营业收入": "营收", "销售收入": "营收", "收入": "营收",
}
_PROJECT = r"[^,，。;；、]{2,40}?(?:项目|工程|基地|工厂|产业园|生产线)"
# 的…项目, or a building verb and the project: 投资3亿元建设…基地.
PROJECT_AFTER = re.compile(rf"(?:的|用于|建设|新建|兴建|投建|打造)({_PROJECT})")
PROJECT_BEFORE = re.compile(_PROJECT)
INDUSTRY = re.compile(r"[^,，。;；、]{2,12}?(?:产业集群|集群|产业|行业)")
TIME = re.compile(r"20\d\d年|[去今明上]年|[上下]半年|前三季度|[一二三四]季度|十[一二三四五六七八九]五")
ATTRIBUTE_WINDOW = 8

LEADING_ZERO = re.compile(r"(?<![\d.,])0\d+(?:\.\d+)?(?=\s*(?:万亿|亿|千万|万)?(?:元|美元|%))")
BAD_SEPARATOR = re.compile(r"(?<![\d,])\d+(?:,\d{3})*,(?:\d{1,2}|\d{4,})(?![\d,])(?=\.?\d*\s*(?:万亿|亿|千万|万)?元)")
TWO_DIGIT_YEAR = re.compile(
    r"(?:(?:^|(?<=[\s,，。;；:：“]))(\d{2})年(?![来内间代度底\d])|(?<![\d.])(\d{2})年(?=\d{1,2}月))"
)
FOUR_DIGIT_YEAR = re.compile(r"(?<!\d)(?:19|20)\d{2}年")
DEFAULT_MIN_SUBJECT_SIMILARITY = 0.6


@dataclass(frozen=True)
class Fact:
    """What one MONEY span reports: the subject's attribute lies within [low, high]."""

    span: Span
    subject: str
    subject_kind: str  # project, org or industry
    attribute: str | None
    low: float
    high: float
    context: tuple  # attribute, per-unit, currency, status, time: facts compare only within one


def subject_key(subject: str) -> set[str]:
    """Character bigrams of a subject with Latin letters and digits set aside."""
    core = re.sub(r"[0-9a-zA-Z.]+", "", subject)
    return {core[i:i + 2] for i in range(len(core) - 1)}


def similarity(a: set[str], b: set[str]) -> float:
    return len(a & b) / len(a | b) if a and b else 0.0


def value_range(value: float, value_max: float | None, qualifier: str) -> tuple[float, float]:
    """The values an amount admits: 约5亿 is 4亿 to 6亿, 超过5亿 anything above 5亿."""
    high = value_max if value_max is not None else value
    if qualifier == "~":
        return 0.8 * value, 1.2 * high
    if qualifier in (">", ">="):
        return value, math.inf
    if qualifier in ("<", "<="):
        return 0.0, high
    return value, high


def ranges_disagree(first: Fact, second: Fact, tolerance: float = 0.01) -> bool:
    return (first.high < second.low * (1 - tolerance)) or (second.high < first.low * (1 - tolerance))


def _clause_start(text: str, sentence_start: int, position: int) -> int:
    breaks = [m.end() for m in CLAUSE_END.finditer(text, sentence_start, position)]
    return breaks[-1] if breaks else sentence_start


def _near(sentences: SentenceIndex, span: Span) -> tuple[int, int]:
    """The sentence of ``span``, read at most ``TARGET_REACH`` characters either side of it
    (as target frames are: a run-on text must not make each amount read thousands)."""
    start, end = sentences.bounds(span.start_char)
    return max(start, span.start_char - TARGET_REACH), min(end, span.end_char + TARGET_REACH)


def _start(span: Span) -> int:
    return span.start_char


def find_subject(text: str, span: Span, orgs: list[Span], sentences: SentenceIndex) -> tuple[str, str] | None:
    """(subject, kind) that the amount ``span`` is about, or None; ``orgs`` in text order."""
    sentence_start, sentence_end = _near(sentences, span)
    clause_end = CLAUSE_END.search(text, span.end_char, sentence_end)
    after = PROJECT_AFTER.match(text, span.end_char, clause_end.start() if clause_end else sentence_end)
    if after:
        return after.group(1), "project"
    projects = PROJECT_BEFORE.findall(text, sentence_start, span.start_char)
    if projects:
        return projects[-1], "project"
    clause_start = _clause_start(text, sentence_start, span.start_char)
    # ``orgs`` are in text order: only those that start in the clause are read (reading all of
    # them for every amount was quadratic in the length of a document).
    first = bisect.bisect_left(orgs, clause_start, key=_start)
    last = bisect.bisect_right(orgs, span.start_char, first, key=_start)
    in_clause = [org for org in orgs[first:last] if org.end_char <= span.start_char]
    if in_clause:
        org = in_clause[-1]
        return (org._.attrs or {}).get("canonical") or org.text, "org"
    industries = INDUSTRY.findall(text, clause_start, span.start_char)
    if industries:
        return industries[-1], "industry"
    return None


def money_fact(text: str, span: Span, orgs: list[Span], sentences: SentenceIndex) -> Fact | None:
    """The fact that a MONEY span reports, when its subject is found.

    An organization or industry reports many amounts, so those subjects need a named
    attribute (营收, 投资…) just before the amount; a project's bare amount is its investment.
    """
    attrs = span._.attrs or {}
    if attrs.get("value") is None:
        return None
    subject = find_subject(text, span, orgs, sentences)
    if subject is None:
        return None
    sentence_start, _ = _near(sentences, span)
    attribute = None
    window_start = max(sentence_start, span.start_char - ATTRIBUTE_WINDOW)
    for match in METRIC.finditer(text, window_start, span.start_char):
        attribute = ATTRIBUTE_SYNONYMS.get(match.group(), match.group())
    if attribute is None and subject[1] != "project":
        return None
    prefix = text[sentence_start:span.start_char]
    times = TIME.findall(prefix)
    context = (attribute, attrs.get("per"), attrs.get("currency"), status_of(prefix), times[-1] if times else None)
    low, high = value_range(float(attrs["value"]), attrs.get("value_max"), attrs.get("qualifier") or "=")
    return Fact(span, subject[0], subject[1], attribute, low, high, context)


def same_subject(first: Fact, second: Fact, min_similarity: float) -> bool:
    if first.subject_kind != second.subject_kind:
        return False
    if first.subject_kind == "org":
        return first.subject == second.subject
    return similarity(subject_key(first.subject), subject_key(second.subject)) >= min_similarity


def _groups(facts: list[Fact], min_similarity: float) -> list[list[Fact]]:
    """Facts about one subject and attribute in one context, as connected groups.

    Facts of one context, subject kind and subject string are one group at once; only the
    distinct subjects of a context are compared pairwise (a text repeating one subject a
    thousand times made a million comparisons)."""
    same: dict[tuple, list[int]] = {}
    for i, fact in enumerate(facts):
        # A subject without two characters to compare is not even similar to itself.
        alone = fact.subject_kind != "org" and not subject_key(fact.subject)
        same.setdefault((fact.context, fact.subject_kind, fact.subject, i if alone else None), []).append(i)
    group_of = list(range(len(facts)))

    def root(i: int) -> int:
        while group_of[i] != i:
            i = group_of[i]
        return i

    for members in same.values():
        for j in members[1:]:
            group_of[root(j)] = root(members[0])
    by_context: dict[tuple, list[tuple[int, Fact]]] = {}
    for members in same.values():
        by_context.setdefault((facts[members[0]].context, facts[members[0]].subject_kind), []).append(
            (members[0], facts[members[0]]))
    for representatives in by_context.values():
        for (i, first), (j, second) in combinations(representatives, 2):
            if same_subject(first, second, min_similarity):
                group_of[root(j)] = root(i)
    groups: dict[int, list[Fact]] = {}
    for i, fact in enumerate(facts):
        groups.setdefault(root(i), []).append(fact)
    return list(groups.values())


def any_disagree(group: list[Fact]) -> bool:
    """Whether two facts of ``group`` disagree (``ranges_disagree``), in linear time: if any
    pair does, the fact with the lowest upper bound or the one with the highest lower bound
    is in a disagreeing pair."""
    lowest_high = min(group, key=lambda fact: fact.high)
    highest_low = max(group, key=lambda fact: fact.low)
    return (any(other is not lowest_high and ranges_disagree(lowest_high, other) for other in group)
            or any(other is not highest_low and ranges_disagree(other, highest_low) for other in group))


def find_conflicts(text: str, spans: list[Span], min_similarity: float = DEFAULT_MIN_SUBJECT_SIMILARITY) -> list[dict]:
    """One warning per subject and attribute whose reported amounts disagree."""
    orgs = sorted((s for s in spans if s.label_ == "ORG"), key=_start)
    sentences = SentenceIndex(text)
    facts = [f for f in (money_fact(text, s, orgs, sentences) for s in spans if s.label_ == "MONEY") if f]
    warnings = []
    for group in _groups(facts, min_similarity):
        if not any_disagree(group):
            continue
        first = group[0]
        amounts = [fact.span.text for fact in group]
        warnings.append({
            "type": "conflict",
            "message": f"{first.attribute or '金额'} of {first.subject} reported as "
                       f"{', '.join(amounts[:-1])} and {amounts[-1]}",
            "spans": [[fact.span.start_char, fact.span.end_char] for fact in group],
        })
    return warnings


def _warning(kind: str, message: str, match: re.Match[str]) -> dict:
    return {"type": kind, "message": f"{message}: {match.group()}", "spans": [[match.start(), match.end()]]}


def find_suspicious_numbers(text: str) -> list[dict]:
    """Numbers that look truncated or damaged."""
    warnings = [_warning("suspicious_number", "amount with a leading zero", m) for m in LEADING_ZERO.finditer(text)]
    warnings += [_warning("suspicious_number", "broken thousands separator", m) for m in BAD_SEPARATOR.finditer(text)]
    if FOUR_DIGIT_YEAR.search(text):
        warnings += [_warning("suspicious_number", "two-digit year in a text of four-digit years", m)
                     for m in TWO_DIGIT_YEAR.finditer(text)]
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
