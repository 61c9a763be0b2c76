"""The money case table (tests/cases/amounts.tsv) run through the amount grammar.

Each positive row holds one amount: the grammar must find exactly that span (offsets into
the original text, which may hold full-width forms) with its value, upper bound, currency,
qualifier and per-unit. Each negative row (span "-") must yield no amount at all.
"""
from __future__ import annotations

import csv
from pathlib import Path
from typing import NamedTuple

import pytest

from pipeline.grammar.amounts import find_amounts
from pipeline.stages.clean import fold_text

CASES_PATH = Path(__file__).parent / "cases" / "amounts.tsv"


class MoneyCase(NamedTuple):
    text: str
    span: str | None
    value: float | None
    value_max: float | None
    currency: str | None
    qualifier: str | None
    per: str | None


def _field(raw: str) -> str | None:
    return None if raw == "-" else raw


def load_cases(path: Path = CASES_PATH) -> list[MoneyCase]:
    """The rows of the case table; "-" reads as None."""
    with path.open(encoding="utf-8") as lines:
        rows = csv.DictReader((line for line in lines if not line.startswith("#")),
                              delimiter="\t", quoting=csv.QUOTE_NONE)
        return [
            MoneyCase(
                text=row["text"],
                span=_field(row["span"]),
                value=float(row["value"]) if _field(row["value"]) else None,
                value_max=float(row["value_max"]) if _field(row["value_max"]) else None,
                currency=_field(row["currency"]),
                qualifier=_field(row["qualifier"]),
                per=_field(row["per"]),
            )
            for row in rows
        ]


CASES = load_cases()
POSITIVES = [case for case in CASES if case.span]
NEGATIVES = [case for case in CASES if not case.span]


def test_table_is_large_and_well_formed():
    assert len(CASES) >= 200
    assert len({case.text for case in CASES}) == len(CASES), "duplicate texts"
    for case in POSITIVES:
        assert case.span in case.text, case
        assert case.value is not None and case.currency and case.qualifier, case


@pytest.mark.parametrize("case", POSITIVES, ids=lambda case: case.text)
def test_amount_case(case: MoneyCase):
    amounts = find_amounts(fold_text(case.text))
    assert len(amounts) == 1, [case.text[a.start:a.end] for a in amounts]
    amount = amounts[0]
    assert case.text[amount.start:amount.end] == case.span
    assert amount.value == pytest.approx(case.value)
    assert amount.value_max == (pytest.approx(case.value_max) if case.value_max is not None else None)
    assert (amount.currency, amount.qualifier, amount.per) == (case.currency, case.qualifier, case.per)


@pytest.mark.parametrize("case", NEGATIVES, ids=lambda case: case.text)
def test_non_money_case(case: MoneyCase):
    found = find_amounts(fold_text(case.text))
    assert found == [], [case.text[a.start:a.end] for a in found]
