"""Linking accuracy, per label, and an ablation of what the linker uses.

Linking is scored on the gold mentions themselves, so a recognizer miss is not a linking
miss: each gold ORG, PARK, MONEY and TARGET mention (not optional ones) is linked in its
document and its clusters compared with the gold set. The held-out cases
(``tests/cases/linking_cases.tsv``: one sentence, one mention, the expected clusters) are
linked among the mentions the pipeline recognizes in the sentence, the case's mention added
when it was missed.

Settings of the ablation, each on top of the configured linker:
- ``terms``: taxonomy terms in the mention and its clause; aggregate phrases in the sentence.
- ``context``: + the sentence, the paragraph's opening sentence and the paragraph, and the
  pooled evidence of all mentions of one organization.
- ``context+model``: + the learned model's probabilities (the configured linker).
"""
from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable

from spacy.language import Language
from spacy.tokens import Doc

from pipeline.language import load_pipeline, load_pipeline_config
from pipeline.settings import PROJECT_ROOT
from pipeline.stages.link import Linker, Mention
from pipeline.stages.recognize import entity_spans
from pipeline.evaluation.scoring import LABELS, Accuracy

LINKING_CASES = PROJECT_ROOT / "tests" / "cases" / "linking_cases.tsv"
LINK_PIPE = "newsie_link"
ABLATION: dict[str, dict[str, Any]] = {
    "terms": {"weights": {"sentence": 0.0, "paragraph_head": 0.0, "paragraph": 0.0, "model": 0.0},
              "pool_mentions": False},
    "context": {"weights": {"model": 0.0}},
    "context+model": {},
}


@dataclass(frozen=True)
class LinkingCase:
    sentence: str
    mention: str
    label: str
    clusters: tuple[str, ...]


def read_linking_cases(path: str | Path = LINKING_CASES) -> list[LinkingCase]:
    """Cases of a TSV file: sentence (``\\n`` for a paragraph break), mention, label, clusters (``-``: none)."""
    lines = [line for line in Path(path).read_text(encoding="utf-8").splitlines() if line and not line.startswith("#")]
    cases = []
    for row in csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE):
        sentence = row["sentence"].replace("\\n", "\n")
        if row["mention"] not in sentence:
            raise ValueError(f"{path}: mention {row['mention']!r} not in {sentence!r}")
        clusters = () if row["clusters"] == "-" else tuple(row["clusters"].split(","))
        cases.append(LinkingCase(sentence, row["mention"], row["label"], clusters))
    return cases


def prepared_doc(nlp: Language, text: str) -> Doc:
    """``text`` through the stages before linking."""
    doc = nlp.make_doc(text)
    for name, stage in nlp.pipeline:
        if name == LINK_PIPE:
            break
        doc = stage(doc)
    return doc


def linker_for(config_path: str | Path, overrides: dict[str, Any]) -> Linker:
    """The configured linker with some settings replaced (weights are merged)."""
    settings = dict(load_pipeline_config(config_path)["components"][LINK_PIPE])
    settings.pop("factory", None)
    weights = {**settings.get("weights", {}), **overrides.get("weights", {})}
    settings.update({**overrides, "weights": weights})
    return Linker(LINK_PIPE, **settings)


def link_gold(nlp: Language, linker: Linker, gold_rows: Iterable[dict]) -> dict[str, Accuracy]:
    """Linking accuracy per label over the gold mentions of ``gold_rows``."""
    accuracy: dict[str, Accuracy] = {label: Accuracy() for label in LABELS}
    for row in gold_rows:
        gold = [e for e in row.get("entities", []) if e["label"] in LABELS and not e.get("optional")]
        doc = prepared_doc(nlp, row["text"])
        mentions = [Mention(e["start"], e["end"], e["label"]) for e in gold]
        for entity, attrs in zip(gold, linker.link(doc._.clean_text or doc.text, doc._.paragraphs, mentions)):
            accuracy[entity["label"]].add(sorted(entity.get("clusters") or []) == sorted(attrs["clusters"]))
    return accuracy


def link_case(nlp: Language, linker: Linker, case: LinkingCase) -> dict:
    """The linking attributes of a case's mention, linked among the sentence's mentions."""
    doc = prepared_doc(nlp, case.sentence)
    start = case.sentence.index(case.mention)
    target = Mention(start, start + len(case.mention), case.label)
    mentions = [Mention(s.start_char, s.end_char, s.label_) for s in entity_spans(doc)]
    mentions = [m for m in mentions if (m.start, m.end) != (target.start, target.end)] + [target]
    return linker.link(doc._.clean_text or doc.text, doc._.paragraphs, mentions)[-1]


def link_cases(nlp: Language, linker: Linker, cases: Iterable[LinkingCase]) -> tuple[dict[str, Accuracy], list[dict]]:
    """Accuracy per label over the cases, and the cases linked wrongly."""
    accuracy: dict[str, Accuracy] = {label: Accuracy() for label in LABELS}
    misses = []
    for case in cases:
        predicted = link_case(nlp, linker, case)["clusters"]
        right = sorted(predicted) == sorted(case.clusters)
        accuracy[case.label].add(right)
        if not right:
            misses.append({"sentence": case.sentence, "mention": case.mention,
                           "expected": list(case.clusters), "predicted": predicted})
    return accuracy, misses


def summary(accuracy: dict[str, Accuracy]) -> dict[str, Any]:
    overall = Accuracy(sum(a.correct for a in accuracy.values()), sum(a.total for a in accuracy.values()))
    return {"overall": overall.as_dict(),
            "by_label": {label: a.as_dict() for label, a in accuracy.items() if a.total}}


def linking_ablation(gold_rows: list[dict], config_path: str | Path,
                     cases: list[LinkingCase] | None = None) -> dict[str, Any]:
    """Linking accuracy per label on ``gold_rows`` and on the held-out cases, per ablation setting.

    Returns ``{setting: {"gold": {"overall", "by_label"}, "cases": {"overall", "by_label", "misses"}}}``.
    """
    nlp = load_pipeline(config_path)
    cases = read_linking_cases() if cases is None else cases
    results = {}
    for setting, overrides in ABLATION.items():
        linker = linker_for(config_path, overrides)
        case_accuracy, misses = link_cases(nlp, linker, cases)
        results[setting] = {"gold": summary(link_gold(nlp, linker, gold_rows)),
                            "cases": {**summary(case_accuracy), "misses": misses}}
    return results


def format_ablation(results: dict[str, Any]) -> str:
    """The ablation as a plain-text table: overall and per-label accuracy on gold and cases."""
    columns = [("gold", "all"), *[("gold", label) for label in LABELS], ("cases", "all"),
               *[("cases", label) for label in LABELS]]
    header = f"{'setting':<15}" + "".join(f"{source + ' ' + label:>14}" for source, label in columns)
    lines = [header]
    for setting, result in results.items():
        cells = []
        for source, label in columns:
            scores = result[source]["overall"] if label == "all" else result[source]["by_label"].get(label)
            cells.append(f"{scores['accuracy']:.3f} ({scores['correct']}/{scores['total']})" if scores else "-")
        lines.append(f"{setting:<15}" + "".join(f"{cell:>14}" for cell in cells))
    return "\n".join(lines)
