"""Tests of the word-lexicon features of the ORG tagger (pipeline/lexicon.py)."""
from __future__ import annotations

import pytest

from pipeline.lexicon import POS_CLASSES, POSITIONS, VOCAB_SIZE, LexiconFeaturizer, feature_id, word_positions


@pytest.fixture(scope="module")
def featurizer() -> LexiconFeaturizer:
    return LexiconFeaturizer()


@pytest.mark.parametrize("length, positions", [(1, "S"), (2, "BE"), (3, "BME"), (5, "BMMME")])
def test_word_positions(length, positions):
    assert word_positions(length) == positions


def test_feature_ids_are_distinct_and_inside_the_vocabulary():
    ids = [feature_id(p, c) for p in POSITIONS for c in POS_CLASSES]
    assert len(set(ids)) == len(ids) == VOCAB_SIZE - 1
    assert min(ids) == 1 and max(ids) == VOCAB_SIZE - 1  # 0 is padding


@pytest.mark.parametrize("word, pos_class", [
    ("国务院", "nt"),  # organisation
    ("上海", "ns"),  # place
    ("中共", "j"),  # abbreviation
    ("希望", "v"),
    ("公司", "n"),
])
def test_dictionary_classes(featurizer, word, pos_class):
    assert featurizer.ids_of_words([word]).tolist() == [feature_id(p, pos_class) for p in word_positions(len(word))]


def test_ids_follow_each_words_class_and_positions(featurizer):
    words = ["国务院", "总理", "在", "上海", "考察", "。", "奥来德光电", "A", "股"]
    expected = [feature_id(p, POS_CLASSES[featurizer.word_class.get(word, POS_CLASSES.index("oov"))])
                for word in words for p in word_positions(len(word))]
    assert featurizer.ids_of_words(words).tolist() == expected
    assert featurizer.ids_of_words([]).tolist() == []


def test_unknown_words_are_oov(featurizer):
    assert featurizer.ids_of_words(["奥来德"]).tolist() == [feature_id(p, "oov") for p in "BME"]


@pytest.mark.parametrize("text", ["国务院总理在上海考察。", "Apple 与 ABB 合作", "", "。。。"])
def test_one_id_per_character(featurizer, text):
    ids = featurizer.ids(text)
    assert len(ids) == len(text)
    assert all(0 < i < VOCAB_SIZE for i in ids)


def test_missing_dictionary_is_named(tmp_path):
    with pytest.raises(FileNotFoundError, match="no_such_dict.txt"):
        LexiconFeaturizer(str(tmp_path / "no_such_dict.txt"))


# --------------------------------------------------------------------------- dictionary lattice
from pipeline.lexicon import LATTICE_BITS, DictionaryLattice, lattice_bit  # noqa: E402

# A small dictionary in jieba's format: word, frequency, part of speech.
TINY_DICTIONARY = """\
上海 100 ns
上海市 50 ns
海市 3 n
市政府 20 nt
人民银行 30 nt
银行 90 n
行长 40 n
上 500 f
长江三角洲经济区 5 ns
"""


@pytest.fixture(scope="module")
def lattice(tmp_path_factory) -> DictionaryLattice:
    path = tmp_path_factory.mktemp("dict") / "dict.txt"
    path.write_text(TINY_DICTIONARY, encoding="utf-8")
    return DictionaryLattice(str(path))


def bits_of(code: int) -> set[tuple[str, str]]:
    return {(p, c) for p in "BME" for c in POS_CLASSES if code >> lattice_bit(p, c) & 1}


@pytest.mark.parametrize("text, expected", [
    # one word: its class at B, M, E
    ("上海", [{("B", "ns")}, {("E", "ns")}]),
    # overlapping words are all kept: 上海, 上海市, 海市, 市政府
    ("上海市政府", [{("B", "ns")}, {("E", "ns"), ("M", "ns"), ("B", "n")},
                    {("E", "ns"), ("E", "n"), ("B", "nt")}, {("M", "nt")}, {("E", "nt")}]),
    # 人民银行 and 银行 end at the same char; 行长 starts there
    ("人民银行长", [{("B", "nt")}, {("M", "nt")}, {("M", "nt"), ("B", "n")},
                    {("E", "nt"), ("E", "n"), ("B", "n")}, {("E", "n")}]),
    # single-char words (上) and words longer than max_len carry no bits; no word, no bits
    ("上长江三角洲经济区", [set()] * 9),
    ("今天天气", [set()] * 4),
    ("海", [set()]),
    ("", []),
])
def test_lattice_bits(lattice, text, expected):
    assert [bits_of(int(c)) for c in lattice.codes(text)] == expected


def test_lattice_bits_are_distinct_and_fit_an_int64():
    bits = [lattice_bit(p, c) for p in "BME" for c in POS_CLASSES]
    assert sorted(bits) == list(range(LATTICE_BITS)) and LATTICE_BITS < 63


def test_lattice_keeps_offsets_with_astral_characters(lattice):
    # one code per code point, also for characters outside the BMP (𠀀 is U+20000)
    assert [bits_of(int(c)) for c in lattice.codes("𠀀上海𠀀")] == [set(), {("B", "ns")}, {("E", "ns")}, set()]


def test_lattice_of_jiebas_dictionary_finds_an_organisation_inside_a_longer_text():
    codes = DictionaryLattice().codes("据中国人民银行消息")
    assert ("B", "nt") in bits_of(int(codes[1])) and ("E", "nt") in bits_of(int(codes[6]))


def test_lattice_missing_dictionary_is_named(tmp_path):
    with pytest.raises(FileNotFoundError, match="no_such_dict.txt"):
        DictionaryLattice(str(tmp_path / "no_such_dict.txt"))
