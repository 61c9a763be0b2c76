"""Character spans of one text compared with gold spans: the one span scorer of newsie.

Every span figure (``newsie eval``, ``Recognizer.score`` for ``nlp.evaluate``, the BIO
route, ``newsie compare`` and ``newsie agree``) comes from :func:`compare_spans`. It lives
this low in the package because the recognize stage's ``score`` uses it too.

The matching is nervaluate's, under the four schemes of SemEval-2013 task 9.1, by their
names there:

- ``strict``: same boundaries and same label;
- ``exact``: same boundaries, any label;
- ``partial``: overlapping, any label; a boundary mismatch counts half (``partial``);
- ``ent_type``: overlapping, same label (what newsie called "partial" before).

Each gold and predicted mention ends up as one of nervaluate's categories: correct,
incorrect, partial, missed, spurious. ``strict`` and ``ent_type`` are counted per label (each
label alone, so a TARGET holding a MONEY never competes with it); ``exact`` and ``partial``
ignore labels and are counted over all labels together (label ``ALL``).

What nervaluate lacks, kept here: offsets are end-exclusive (nervaluate's are inclusive),
and optional gold mentions (``annotations/GUIDELINES.md``): an optional gold mention is
never missed, and a prediction of its label that overlaps it and no required gold mention
of that label is set aside, neither correct nor spurious.
"""
from __future__ import annotations

from typing import Iterable, NamedTuple, Sequence

from nervaluate.entities import Entity, EvaluationResult
from nervaluate.strategies import (EntityTypeEvaluation, EvaluationStrategy, ExactEvaluation, PartialEvaluation,
                                   StrictEvaluation)

Span = tuple[int, int, str]  # start, end (exclusive), label

SCHEMES = ("strict", "exact", "partial", "ent_type")
LABEL_AWARE = ("strict", "ent_type")
CATEGORIES = ("correct", "incorrect", "partial", "missed", "spurious")
ALL_LABELS = "ALL"
_STRATEGIES: dict[str, EvaluationStrategy] = {
    "strict": StrictEvaluation(), "exact": ExactEvaluation(),
    "partial": PartialEvaluation(), "ent_type": EntityTypeEvaluation(),
}


class Outcome(NamedTuple):
    """One mention's fate under one scheme: ``offset`` is where it starts in the text (the
    prediction's, or the gold mention's when missed), for resampling by sentence."""
    scheme: str
    label: str
    category: str
    offset: int


def overlaps(a: Span, b: Span) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def set_aside_optional(required: Sequence[Span], optional: Sequence[Span], pred: Sequence[Span]) -> list[Span]:
    """The predictions that count: those of an optional gold mention's label that overlap it
    and no required gold mention of that label are dropped."""
    def excused(p: Span) -> bool:
        return (any(o[2] == p[2] and overlaps(o, p) for o in optional)
                and not any(g[2] == p[2] and overlaps(g, p) for g in required))

    return [p for p in pred if not excused(p)]


def _entities(spans: Sequence[Span]) -> list[Entity]:
    return [Entity(label=label, start=start, end=end - 1) for start, end, label in spans]


def _scheme_outcomes(scheme: str, label: str, gold: list[Span], pred: list[Span]) -> list[Outcome]:
    # nervaluate matches greedily in prediction order: exact matches go first, so that a
    # wrong-boundary prediction never takes the gold mention an exact one would have matched.
    same = {(g[0], g[1], g[2]) for g in gold} if scheme in LABEL_AWARE else {(g[0], g[1]) for g in gold}
    key = (lambda p: p) if scheme in LABEL_AWARE else (lambda p: (p[0], p[1]))
    pred = sorted(pred, key=lambda p: (key(p) not in same, p[0], p[1], p[2]))
    _, indices = _STRATEGIES[scheme].evaluate(_entities(gold), _entities(pred), sorted({s[2] for s in gold + pred}))
    outcomes = [Outcome(scheme, label, category, pred[index][0])
                for category in ("correct", "incorrect", "partial", "spurious")
                for _, index in getattr(indices, f"{category}_indices")]
    outcomes += [Outcome(scheme, label, "missed", gold[index][0]) for _, index in indices.missed_indices]
    return outcomes


def compare_spans(gold: Iterable[Span], pred: Iterable[Span], optional: Iterable[Span] = (),
                  labels: Sequence[str] | None = None) -> list[Outcome]:
    """The outcome of every mention of one text under the four schemes; ``labels`` limits
    the comparison to those labels (default: all)."""
    def keep(spans: Iterable[Span]) -> list[Span]:
        return sorted({(int(s), int(e), str(label)) for s, e, label in spans if labels is None or label in labels})

    gold, optional = keep(gold), keep(optional)
    pred = set_aside_optional(gold, optional, keep(pred))
    outcomes: list[Outcome] = []
    for label in sorted({s[2] for s in gold + pred}):
        for scheme in LABEL_AWARE:
            outcomes += _scheme_outcomes(scheme, label, [g for g in gold if g[2] == label],
                                         [p for p in pred if p[2] == label])
    for scheme in ("exact", "partial"):
        outcomes += _scheme_outcomes(scheme, ALL_LABELS, gold, pred)
    return outcomes


def metrics(scheme: str, counts: dict[str, int]) -> EvaluationResult:
    """nervaluate's precision, recall and F1 of category counts under ``scheme`` (a partial
    match counts half under ``partial``)."""
    result = EvaluationResult(**{category: int(counts.get(category, 0)) for category in CATEGORIES})
    result.compute_metrics(partial_or_type=scheme in ("partial", "ent_type"))
    return result
