"""Tests of the word-lexicon features of the ORG tagger (pipeline/text/lexicon.py)."""
from __future__ import annotations

import pytest

from pipeline.text.lexicon import POS_CLASSES, POSITIONS, VOCAB_SIZE, LexiconFeaturizer, feature_id, word_positions


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
    expected = [feature_id(p, POS_CLASSES[featurizer.class_index(word)])
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


def test_jieba_dictionary_tags_shared_with_posseg_equal_reading_the_file(tmp_path):
    import shutil

    from pipeline.text.lexicon import JIEBA_DICTIONARY, word_tags_and_classes

    copy = tmp_path / "dict.txt"  # another path: read from the file, not taken from jieba.posseg
    shutil.copy(JIEBA_DICTIONARY, copy)
    assert word_tags_and_classes(JIEBA_DICTIONARY) == word_tags_and_classes(str(copy))  # the tags and their classes


def test_a_custom_dictionary_gives_its_classes_and_func_without_a_tag(tmp_path):
    from pipeline.text.lexicon import POS_CLASSES

    dictionary = tmp_path / "dict.txt"
    dictionary.write_text("奥来德 5 nt\n长春市 5 ns\n某某词 3\n", encoding="utf-8")
    featurizer = LexiconFeaturizer(str(dictionary))
    assert [POS_CLASSES[featurizer.class_index(word)] for word in ("奥来德", "长春市", "某某词", "国务院")] == \
        ["nt", "ns", "func", "oov"]


def test_a_pos_tagger_of_the_default_dictionary_tags_as_jiebas_own():
    import jieba
    import jieba.posseg

    from pipeline.text.postags import pos_tagger

    shared, own = pos_tagger(jieba.Tokenizer()), jieba.posseg.POSTokenizer(jieba.Tokenizer())
    assert shared.word_tag_tab is jieba.posseg.dt.word_tag_tab  # not read again
    text = "奥来德光电材料股份有限公司在金山工业区投资5亿元建设OLED材料项目"
    assert [tuple(pair) for pair in shared.cut(text)] == [tuple(pair) for pair in own.cut(text)]


def test_a_tokenizer_initialized_from_the_cache_in_one_piece_has_jiebas_tables(tmp_path):
    import jieba

    from pipeline.text.postags import initialize

    own, fast = jieba.Tokenizer(), jieba.Tokenizer()
    own.initialize()  # writes the cache if there is none
    initialize(fast)
    assert fast.initialized and fast.total == own.total and fast.FREQ == own.FREQ
    rebuilt = jieba.Tokenizer()
    rebuilt.tmp_dir = str(tmp_path)  # no cache there: jieba builds and writes it
    initialize(rebuilt)
    assert rebuilt.FREQ == own.FREQ and (tmp_path / "jieba.cache").is_file()
