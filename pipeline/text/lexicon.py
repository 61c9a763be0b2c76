"""Word-lexicon features for the character-level ORG tagger ("soft-word" features).

A character tagger alone cannot see word boundaries, and most of its errors were boundary
errors that a segmenter gets right: it ran names into the verb before them (希望统战部,
审议黄埔军校同学会) and missed abbreviations the dictionary knows (中共, 东盟 are ``j``,
统战部 is ``nt``). Zhang & Yang (2018, "Chinese NER Using Lattice LSTM") measured the same
gain from adding a segmenter's B/M/E/S position per character ("softword").

Each character gets one id: its position in its jieba word (B/M/E/S) crossed with the coarse
part of speech jieba's dictionary gives that word (OOV words: ``oov``). jieba is the
segmenter the pipeline already runs, so the feature is the same at training and prediction
time and costs one segmentation pass.
"""
from __future__ import annotations

import os
from functools import cached_property, lru_cache
from itertools import repeat
from typing import Sequence

import jieba
import numpy as np

from pipeline.text.wordcut import JiebaCut

# jieba's dictionary tags (ICTCLAS style) grouped into classes the tagger can use: the proper
# noun kinds are kept apart (nt = organisation, ns = place, nr = person, j = abbreviation).
POS_CLASSES: tuple[str, ...] = ("nt", "ns", "nr", "nz", "j", "n", "v", "num", "mod", "idiom",
                                "func", "oov")
_POS_TO_CLASS: dict[str, str] = {
    "nt": "nt", "ns": "ns", "nr": "nr", "nrt": "nr", "nrfg": "nr", "nz": "nz", "j": "j",
    "n": "n", "ng": "n", "s": "n", "f": "n", "t": "n", "tg": "n",
    "v": "v", "vn": "v", "vd": "v", "vg": "v", "vi": "v", "vq": "v",
    "m": "num", "q": "num", "mq": "num", "mg": "num",
    "a": "mod", "ad": "mod", "an": "mod", "ag": "mod", "b": "mod", "z": "mod", "d": "mod",
    "df": "mod", "dg": "mod",
    "i": "idiom", "l": "idiom",
}
POSITIONS = "BMES"
OOV_CLASS = POS_CLASSES.index("oov")
# id 0 is padding; then one id per (position, class)
VOCAB_SIZE = 1 + len(POSITIONS) * len(POS_CLASSES)


def feature_id(position: str, pos_class: str) -> int:
    """The id of a character at ``position`` (B/M/E/S) in a word of ``pos_class``."""
    return 1 + POSITIONS.index(position) * len(POS_CLASSES) + POS_CLASSES.index(pos_class)


# jieba's own dictionary, the default of the featurizer
JIEBA_DICTIONARY = os.path.join(os.path.dirname(jieba.__file__), jieba.DEFAULT_DICT_NAME)

# feature_id of every (position index, class index), for lookups over whole texts
_FEATURE_IDS = np.array([[feature_id(p, c) for c in POS_CLASSES] for p in POSITIONS], dtype=np.int32)


def word_positions(length: int) -> str:
    """B/M/E/S positions of the characters of a word of ``length`` characters."""
    return "S" if length == 1 else "B" + "M" * (length - 2) + "E"


class LexiconFeaturizer:
    """``ids(text)``: one lexicon feature id per character of ``text``.

    Owns its segmenter (no global state). ``dictionary`` defaults to jieba's own, whose
    third column gives each word's part of speech.
    """

    def __init__(self, dictionary: str | None = None) -> None:
        self.dictionary = dictionary or JIEBA_DICTIONARY
        if not os.path.isfile(self.dictionary):
            raise FileNotFoundError(f"jieba dictionary not found: {self.dictionary}")
        # word -> dictionary tag, and tag -> index of its class in POS_CLASSES (both shared by
        # every featurizer of the dictionary): two lookups per word rather than a word -> class
        # table, whose 350,000 entries took 0.15 s of every process start to build.
        self.word_tags, self.class_of_tag = word_tags_and_classes(os.path.abspath(self.dictionary))

    def class_index(self, word: str) -> int:
        """The index in POS_CLASSES of ``word``'s class (``oov`` for a word not in the dictionary)."""
        return self.class_of_tag.get(self.word_tags.get(word), OOV_CLASS)

    @cached_property
    def segmenter(self) -> JiebaCut:
        """Made on first use: the pipeline passes its own words (``ids_of_words``), and loading
        a dictionary file takes a third of a second of every worker's start."""
        return JiebaCut(self.dictionary)

    def ids(self, text: str) -> np.ndarray:
        """Feature ids of ``text``, segmented here."""
        return self.ids_of_words(self.segmenter.cut(text))

    def ids_of_words(self, words: Sequence[str]) -> np.ndarray:
        """Feature ids (int32) of a text already segmented into ``words`` (the pipeline's
        tokens). Computed with numpy from each word's class and length: a Python loop over
        the characters cost a tenth of the tagger's time."""
        # map() rather than a Python loop: this runs over every word of the corpus, once per model
        classes = np.array(list(map(self.class_of_tag.get, map(self.word_tags.get, words), repeat(OOV_CLASS))),
                           dtype=np.int32)
        lengths = np.array(list(map(len, words)), dtype=np.int64)
        ends = np.cumsum(lengths)
        starts = ends - lengths
        positions = np.full(int(ends[-1]) if len(ends) else 0, POSITIONS.index("M"), dtype=np.int32)
        positions[starts] = POSITIONS.index("B")
        positions[ends - 1] = POSITIONS.index("E")
        positions[starts[lengths == 1]] = POSITIONS.index("S")
        return _FEATURE_IDS[positions, np.repeat(classes, lengths)]


@lru_cache(maxsize=4)
def word_tags_and_classes(dictionary: str) -> tuple[dict[str, str], dict[str, int]]:
    """(word -> part-of-speech tag, "" where the line has none; tag -> index of its class in
    POS_CLASSES) of a jieba dictionary file; read once per process (an ensemble's members each
    have a featurizer) and not to be changed. jieba's own dictionary takes the table
    jieba.posseg read when imported, rather than read the file again (half a second of every
    process start)."""
    if os.path.samefile(dictionary, JIEBA_DICTIONARY):
        import jieba.posseg

        tags = jieba.posseg.dt.word_tag_tab
    else:
        tags = {}
        with open(dictionary, encoding="utf-8") as f:
            for line in f:
                parts = line.split()
                if parts:
                    tags[parts[0]] = parts[2] if len(parts) >= 3 else ""
    classes = {tag: POS_CLASSES.index(_POS_TO_CLASS.get(tag, "func")) for tag in {*_POS_TO_CLASS, *tags.values()}}
    return tags, classes
