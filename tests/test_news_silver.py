"""Silver labels for modern news (pipeline/training/news_silver.py): slices, which CFSC Stock
labels are companies, layering of label sources, the BIO lines."""
import pytest

from pipeline.training.news_silver import bio_lines, is_company_stock, merge_labels, slice_of


@pytest.mark.parametrize("index, expected", [(0, "dev"), (6, "dev"), (3, "validation"), (9, "validation"),
                                             (1, "train"), (5, "train"), (1065, "validation"), (1066, "train")])
def test_the_slices_are_fixed_by_index(index, expected):
    assert slice_of(index) == expected


@pytest.mark.parametrize("name, expected", [
    ("海达科技", True), ("*ST金刚", True), ("万科A", True),
    ("沪指", False), ("创业板指", False), ("标普500指数", False), ("中证500股指期货", False),
    ("北向资金", False), ("军工", False), ("有机硅概念", False), ("科创50ETF", False),
])
def test_which_stock_labels_name_a_company(name, expected):
    assert is_company_stock(name) == expected


def test_an_earlier_layer_wins_every_overlap():
    cfsc = [(0, 4, "ORG")]
    ours = [(0, 2, "ORG"), (6, 8, "ORG")]
    peer = [(5, 8, "LOC"), (9, 11, "PER")]
    assert merge_labels([cfsc, ours, peer]) == [(0, 4, "ORG"), (6, 8, "ORG"), (9, 11, "PER")]


def test_bio_lines_tag_each_character_and_read_whitespace_as_the_tagger_does():
    assert bio_lines("海达 涨", [(0, 2, "ORG")]) == ["海\tB-ORG", "达\tI-ORG", ",\tO", "涨\tO"]
