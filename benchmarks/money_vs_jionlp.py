"""newsie's amount grammar against JioNLP's ``extract_money``, on the same cases and text.

    python benchmarks/money_vs_jionlp.py [--repeat 20] [--show-misses] [--cases own|heldout|both]

Accuracy is measured on two case sets, reported apart:

- ``own``: the grammar's regression table ``tests/cases/amounts.tsv``, written beside it;
- ``heldout``: ``benchmarks/cases/amounts_heldout.tsv``, written before the grammar changes of
  issue #21 by an annotator who did not read the grammar, and not tuned to case by case.

On each set:

- exact-span accuracy: over all cases, the share where the tool's spans are exactly the
  expected one (positives) or none at all (negatives);
- value accuracy: over the positive cases, the share where a mention overlapping the
  expected span has the expected value, upper bound (for a range) and currency.

Throughput is measured on one text: the own table's texts joined by newlines followed by the
seed article repeated ``--repeat`` times, best of three runs each.

How JioNLP's output is made comparable, in its favour wherever there is a choice:

- Both tools read the same folded text (``pipeline.stages.clean.fold_text``); only newsie's timing
  includes the folding.
- JioNLP keeps qualifiers inside its spans (约1.5亿元, 2亿元以上); the qualifier words that
  the guidelines put outside a span (newsie's own qualifier tables) are trimmed from its
  spans' edges before comparison.
- Its ``detail.num`` is a string or a [low, high] list; the low end is the value. Its upper
  end is compared only where the case expects a range, so the upper bound it gives to
  vague amounts (5亿多元 → 5亿–6亿) costs it nothing.
- Its ``detail.case`` (元, 美元, 港元…) is mapped to ISO codes with newsie's currency tables
  (CLDR's names through Babel, the colloquial names; a generic name such as 卢比 by the
  country named near it, as newsie does).
"""
from __future__ import annotations

import argparse
import contextlib
import io
import sys
import time
from pathlib import Path
from typing import Callable, NamedTuple

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from pipeline.grammar.amounts import CURRENCY_WORDS, QUALIFIERS_AFTER, QUALIFIERS_BEFORE, find_amounts  # noqa: E402
from pipeline.grammar.currencies import GENERIC_DEFAULTS, resolve_generic  # noqa: E402
from pipeline.stages.clean import fold_text  # noqa: E402
from test_amount_cases import CASES_PATH, MoneyCase, load_cases  # noqa: E402

with contextlib.redirect_stdout(io.StringIO()):  # jionlp prints a banner on import
    import jionlp

SEED_ARTICLE = ROOT / "annotations" / "jinshan_industry_2022-12-26.txt"
CASE_SETS = {"own": CASES_PATH, "heldout": ROOT / "benchmarks" / "cases" / "amounts_heldout.tsv"}
LEADING_QUALIFIERS = sorted(QUALIFIERS_BEFORE, key=len, reverse=True)
TRAILING_QUALIFIERS = sorted(QUALIFIERS_AFTER, key=len, reverse=True)


class Mention(NamedTuple):
    start: int
    end: int
    value: float
    value_max: float | None
    currency: str


def newsie_mentions(text: str) -> list[Mention]:
    return [Mention(a.start, a.end, a.value, a.value_max, a.currency) for a in find_amounts(fold_text(text))]


def trim_qualifiers(text: str, start: int, end: int) -> tuple[int, int]:
    """``(start, end)`` without the qualifier words at its edges (约, 逾, 以上, 左右…)."""
    for word in LEADING_QUALIFIERS:
        if text.startswith(word, start) and start + len(word) < end:
            start += len(word)
            break
    for word in TRAILING_QUALIFIERS:
        if text.endswith(word, start, end) and end - len(word) > start:
            end -= len(word)
            break
    return start, end


def jionlp_mention(text: str, entity: dict) -> Mention:
    """One ``extract_money`` entity as a comparable mention."""
    start, end = trim_qualifiers(text, *entity["offset"])
    number = entity["detail"]["num"]
    low, high = (number[0], number[1]) if isinstance(number, list) else (number, None)
    case = entity["detail"]["case"]
    # A generic name (卢比, 比索) is resolved as newsie resolves it, by the country named near it.
    currency = resolve_generic(case, text[max(0, start - 200):end + 50]) if case in GENERIC_DEFAULTS else \
        CURRENCY_WORDS.get(case, case)
    return Mention(start, end, float(low), float(high) if high is not None else None, currency)


def jionlp_mentions(text: str) -> list[Mention]:
    folded = fold_text(text)
    return [jionlp_mention(folded, entity) for entity in jionlp.ner.extract_money(folded)]


def close(a: float | None, b: float | None) -> bool:
    return a is not None and b is not None and abs(a - b) <= 1e-6 * max(abs(a), abs(b), 1.0)


def span_right(case: MoneyCase, mentions: list[Mention]) -> bool:
    spans = [case.text[m.start:m.end] for m in mentions]
    return spans == ([case.span] if case.span else [])


def value_right(case: MoneyCase, mentions: list[Mention]) -> bool:
    start = case.text.index(case.span)
    end = start + len(case.span)
    return any(
        m.start < end and start < m.end
        and close(m.value, case.value)
        and (case.value_max is None or close(m.value_max, case.value_max))
        and m.currency == case.currency
        for m in mentions
    )


def chars_per_second(extract: Callable[[str], list[Mention]], text: str, runs: int = 3) -> float:
    best = float("inf")
    for _ in range(runs):
        began = time.perf_counter()
        extract(text)
        best = min(best, time.perf_counter() - began)
    return len(text) / best


def accuracy(cases: list[MoneyCase], extract: Callable[[str], list[Mention]],
             show_misses: bool = False) -> tuple[float, float]:
    """(exact-span accuracy over all cases, value accuracy over the positives) of one tool."""
    positives = [case for case in cases if case.span]
    found = {case.text: extract(case.text) for case in cases}
    spans = sum(span_right(case, found[case.text]) for case in cases)
    values = sum(value_right(case, found[case.text]) for case in positives)
    if show_misses:
        for case in cases:
            if not span_right(case, found[case.text]) or (case.span and not value_right(case, found[case.text])):
                got = [(case.text[m.start:m.end], m.value, m.value_max, m.currency) for m in found[case.text]]
                print(f"    {case.text}  expected {case.span} {case.value} {case.value_max} {case.currency}  got {got}")
    return spans / len(cases), values / len(positives)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=20, help="copies of the seed article in the timed text")
    parser.add_argument("--show-misses", action="store_true", help="list the cases each tool gets wrong")
    parser.add_argument("--cases", choices=[*CASE_SETS, "both"], default="both", help="which case set to score")
    args = parser.parse_args()

    tools = {"newsie": newsie_mentions, "JioNLP": jionlp_mentions}
    jionlp_mentions("预热")  # JioNLP compiles its patterns on the first call
    for set_name, path in CASE_SETS.items():
        if args.cases not in (set_name, "both"):
            continue
        cases = load_cases(path)
        positives = sum(1 for case in cases if case.span)
        print(f"{set_name} set {path.relative_to(ROOT)}: {len(cases)} cases "
              f"({positives} amounts, {len(cases) - positives} negatives)")
        print(f"{'tool':8} {'exact-span acc':>15} {'value acc':>10}")
        for name, extract in tools.items():
            spans, values = accuracy(cases, extract, args.show_misses)
            print(f"{name:8} {spans:15.3f} {values:10.3f}")
    own = load_cases(CASE_SETS["own"])
    timed_text = "\n".join(case.text for case in own) + "\n" + SEED_ARTICLE.read_text(encoding="utf-8") * args.repeat
    speed = {name: chars_per_second(extract, timed_text) for name, extract in tools.items()}
    print(f"timed text {len(timed_text):,} characters: " + ", ".join(f"{name} {cps:,.0f} chars/s" for name, cps in speed.items()))
    print(f"speed ratio newsie/JioNLP: {speed['newsie'] / speed['JioNLP']:.2f}")


if __name__ == "__main__":
    main()
