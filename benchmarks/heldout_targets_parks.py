"""TARGET and PARK recognition on the held-apart case tables of ``benchmarks/cases``.

    python benchmarks/heldout_targets_parks.py [--show-misses]

The tables were written before the grammar changes of issue #21 by an annotator who did not
read the grammar; they measure how the rules generalize and are not tuned to case by case.

- targets (``targets_heldout.tsv``, the target grammar on folded text): over the positives,
  the share whose one expected target is found with the exact span, the exact metric, the
  value and unit, the qualifier, the deadline, the per-unit and the condition; over the
  negatives, the share with no target at all.
- parks (``parks_heldout.tsv``, the whole pipeline, ``doc.ents`` labelled PARK): recall of
  the required mentions (exact string at its place), and precision of the PARK mentions
  found (a found mention is right when it is a required or optional one).
"""
from __future__ import annotations

import argparse
import csv
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT)]

from pipeline.grammar.amounts import CURRENCY_WORDS, find_amounts  # noqa: E402
from pipeline.grammar.targets import find_targets  # noqa: E402
from pipeline.stages.clean import fold_text  # noqa: E402

CASES = ROOT / "benchmarks" / "cases"


def read_table(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8") as lines:
        return list(csv.DictReader((line for line in lines if not line.startswith("#")),
                                   delimiter="\t", quoting=csv.QUOTE_NONE))


def _none(raw: str) -> str | None:
    return None if raw == "-" else raw


def score_targets(show_misses: bool) -> None:
    rows = read_table(CASES / "targets_heldout.tsv")
    fields = ("span", "metric", "value", "qualifier", "deadline", "per", "condition")
    right = dict.fromkeys(fields, 0)
    positives = [row for row in rows if row["span"] != "-"]
    negatives_right = 0
    for row in rows:
        text = row["text"]
        folded = fold_text(text)
        targets = find_targets(folded, find_amounts(folded))
        if row["span"] == "-":
            negatives_right += not targets
            if targets and show_misses:
                print(f"    spurious: {text}  {[text[t.start:t.end] for t in targets]}")
            continue
        if not targets:
            if show_misses:
                print(f"    missed: {text}  expected {row['span']}")
            continue
        # The expected target, or else the one that overlaps it, or the first.
        expected_start = text.find(row["span"])
        target = next((t for t in targets if t.start <= expected_start + len(row["span"]) and expected_start < t.end),
                      targets[0])
        got = {
            "span": text[target.start:target.end] == row["span"] and len(targets) == 1,
            "metric": target.metric == _none(row["metric"]),
            "value": abs(target.value - float(row["value"])) <= 1e-6 * max(1.0, abs(float(row["value"])))
            and target.unit in (row["unit"], CURRENCY_WORDS.get(row["unit"])),
            "qualifier": target.qualifier == row["qualifier"],
            "deadline": (str(target.deadline) if target.deadline else "-") == row["deadline"],
            "per": target.per == _none(row["per"]),
            "condition": getattr(target, "condition", None) == _none(row["condition"]),
        }
        for name, ok in got.items():
            right[name] += ok
        if show_misses and not all(got.values()):
            print(f"    {text}\n      expected {row['span']} | {row['metric']} {row['value']} {row['unit']} "
                  f"{row['qualifier']} {row['deadline']} {row['per']} {row['condition']}\n      got "
                  f"{[text[t.start:t.end] for t in targets]} | {target.metric} {target.value} {target.unit} "
                  f"{target.qualifier} {target.deadline} {target.per} {getattr(target, 'condition', None)}")
    print(f"targets_heldout.tsv: {len(positives)} targets, {len(rows) - len(positives)} negatives")
    print("  " + "  ".join(f"{name} {right[name] / len(positives):.3f}" for name in fields)
          + f"  negatives {negatives_right / (len(rows) - len(positives)):.3f}")


def score_parks(show_misses: bool) -> None:
    from pipeline import load_pipeline

    rows = read_table(CASES / "parks_heldout.tsv")
    nlp = load_pipeline()
    required = found_required = found = found_right = 0
    for row, doc in zip(rows, nlp.pipe(row["text"] for row in rows)):
        text = row["text"]
        expected = [] if row["parks"] == "-" else row["parks"].split("|")
        spans: list[tuple[int, int, bool]] = []
        position = 0
        for mention in expected:
            optional = mention.endswith("?")
            mention = mention.rstrip("?")
            start = text.find(mention, position)
            if start >= 0:
                spans.append((start, start + len(mention), optional))
                position = start + len(mention)
        predicted = {(e.start_char, e.end_char) for e in doc.ents if e.label_ == "PARK"}
        required += sum(not optional for _, _, optional in spans)
        found_required += sum((s, e) in predicted for s, e, optional in spans if not optional)
        found += len(predicted)
        found_right += sum((s, e) in predicted for s, e, _ in spans)
        misses = [text[s:e] for s, e, optional in spans if not optional and (s, e) not in predicted]
        wrong = [text[s:e] for s, e in sorted(predicted) if not any((s, e) == (a, b) for a, b, _ in spans)]
        if show_misses and (misses or wrong):
            orgs = [e.text for e in doc.ents if e.label_ == "ORG"]
            print(f"    {text}\n      missed {misses} spurious {wrong} (ORG {orgs})")
    print(f"parks_heldout.tsv: {len(rows)} texts, {required} required mentions")
    print(f"  PARK recall {found_required / required:.3f}  precision {found_right / max(found, 1):.3f} "
          f"({found_right}/{found} found mentions are expected ones)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--show-misses", action="store_true", help="list the cases that fail")
    parser.add_argument("--only", choices=["targets", "parks"], help="score one table")
    args = parser.parse_args()
    if args.only != "parks":
        score_targets(args.show_misses)
    if args.only != "targets":
        score_parks(args.show_misses)


if __name__ == "__main__":
    main()
