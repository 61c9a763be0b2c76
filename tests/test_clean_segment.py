import re

import pytest

from pipeline.stages.clean import DEFAULT_BOILERPLATE_PATTERNS, find_boilerplate, fold_text
from pipeline.stages.segment import Segmenter
from pipeline.text.sentences import SENTENCE_BLOCK, SentenceIndex, paragraph_ranges, sentence_starts

FOLD_CASES = [
    ("１２３４５", "12345"), ("ＡＢＣ", "ABC"), ("５亿元，约３％", "5亿元,约3%"), ("（上海）", "(上海)"),
    ("３～５亿元", "3~5亿元"), ("3－5", "3-5"), ("㎡①", "㎡1"), ("全角\u3000空格", "全角 空格"), ("不变。", "不变。"),
]


@pytest.mark.parametrize("text,expected", FOLD_CASES)
def test_fold_text_is_character_for_character(text, expected):
    folded = fold_text(text)
    assert folded == expected
    assert len(folded) == len(text)


def test_boilerplate_lines_of_the_seed_are_found(seed_text):
    patterns = [re.compile(p, re.IGNORECASE) for p in DEFAULT_BOILERPLATE_PATTERNS]
    lines = [seed_text[s:e] for s, e in find_boilerplate(fold_text(seed_text), patterns)]
    assert any("咨询热线" in line for line in lines)
    assert any("评论关闭" in line for line in lines)
    assert any("13391219793" in line for line in lines)
    assert any("网站地图" in line for line in lines)
    assert not any("碳纤维" in line for line in lines)  # article paragraphs stay


def test_boilerplate_of_another_page():
    text = "正文第一段。\n责任编辑：张三\n来源：新华网\n返回顶部\nCopyright 2023 某某网 版权所有"
    patterns = [re.compile(p, re.IGNORECASE) for p in DEFAULT_BOILERPLATE_PATTERNS]
    assert len(find_boilerplate(fold_text(text), patterns)) == 4


def test_segmenter_keeps_every_character():
    segmenter = Segmenter("segment")
    text = "  新年伊始,总投资5亿元的项目开工。\n\n第二段 有空格。"
    assert "".join(segmenter.words(text)) == text


def test_sentences_and_paragraphs():
    text = "第一句。第二句!\n  第二段“引语。”结束"
    starts = sentence_starts(text)
    assert text.index("第二句") in starts and text.index("结束") in starts
    assert paragraph_ranges(text) == [(0, 8), (11, 21)]
    assert SentenceIndex(text).bounds(text.index("第二句")) == (4, 7)


def test_pipeline_keeps_text_and_offsets(nlp, seed_text):
    doc = nlp(seed_text)
    assert doc.text == seed_text
    assert len(doc._.clean_text) == len(seed_text)
    assert all(seed_text[t.idx:t.idx + len(t.text)] == t.text for t in doc)


RUN_ON = "甲" * (2 * SENTENCE_BLOCK + 500)


@pytest.mark.parametrize("text, position, bounds", [
    ("第一句。第二句！第三句", 4, (4, 7)),               # between two sentence ends
    ("第一句。第二句！第三句", 0, (0, 3)),               # the first sentence
    ("第一句。第二句！第三句", 9, (8, 11)),              # the last one runs to the end
    ("他说：“好。”然后走了。", 7, (7, 11)),             # closing quotes belong to the end mark
    ("第一段\n\n第二段", 5, (5, 8)),                   # line breaks end sentences
    ("第一句……第二句", 6, (5, 8)),                      # an ellipsis too
    # a run-on sentence is read in blocks of SENTENCE_BLOCK from its start, the last one shorter
    ("第一句。" + RUN_ON, 4 + 10, (4, 4 + SENTENCE_BLOCK)),
    ("第一句。" + RUN_ON, 4 + SENTENCE_BLOCK, (4 + SENTENCE_BLOCK, 4 + 2 * SENTENCE_BLOCK)),
    ("第一句。" + RUN_ON, 4 + 2 * SENTENCE_BLOCK + 10, (4 + 2 * SENTENCE_BLOCK, 4 + len(RUN_ON))),
])
def test_sentence_index_bounds(text, position, bounds):
    assert SentenceIndex(text).bounds(position) == bounds
@pytest.mark.parametrize("text", ["", "   \n", "\n\n\n", "5亿元"])
def test_pipeline_takes_empty_and_tiny_documents(nlp, text):
    doc = nlp(text)
    assert doc.text == text
