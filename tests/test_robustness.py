"""Inputs that a hostile but fair user tried (issue 18): none may crash a document or a run."""
from __future__ import annotations

import pytest

from pipeline.corpus.readers import InputDocument
from pipeline.corpus.runner import process_documents


def _row(nlp, text: str) -> dict:
    return next(process_documents(nlp, [InputDocument("doc", text)]))


@pytest.mark.parametrize("text, amount", [
    ("注册资本1亿元有限公司", "1亿元"),
    ("投资5亿元集团有限公司", "5亿元"),
    ("公司市值4657.84亿元）控股子公司", "4657.84亿元"),
    ("5元限公司", "5元"),
])
def test_an_amount_overlapping_a_name_wins_and_the_document_is_kept(nlp, text, amount):
    # spaCy refused overlapping ORG and MONEY entities (E1010): the whole document was an error row.
    row = _row(nlp, text)
    assert row["error"] is None
    money = [e["text"] for e in row["entities"] if e["label"] == "MONEY"]
    assert money == [amount]
    names = [e for e in row["entities"] if e["label"] in ("ORG", "PARK")]
    start = text.index(amount)
    assert all(e["end"] <= start or e["start"] >= start + len(amount) for e in names)
