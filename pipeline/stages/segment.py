"""Stage 2, segment: words, sentences and paragraphs.

Input: a cleaned ``Doc`` (``doc._.clean_text`` set). Output: a new ``Doc`` with the same
text whose tokens are jieba's words of the clean text, ``token.norm_`` set to the clean
form, sentence starts set, and ``doc._.paragraphs`` holding the (start, end) character
ranges of the non-empty lines. jieba is chosen because it is the segmenter spaCy's own
Chinese language offers; its words are computed by jieba-rs (``wordcut``), twenty times
faster. Each component owns its own segmenter (no global state).
"""
from __future__ import annotations

from itertools import accumulate
from pathlib import Path
from typing import Iterable

from spacy.language import Language
from spacy.tokens import Doc

from pipeline.stages import extensions  # noqa: F401 (the Doc attributes the stages write)
from pipeline.stages.resources import load_resources, save_resources
from pipeline.text.sentences import paragraph_ranges, sentence_starts
from pipeline.text.wordcut import JiebaCut


class Segmenter:
    """spaCy component: replaces the provisional tokens with words and sets sentences."""

    def __init__(self, name: str, user_dict: str | None = None, hmm: bool = True):
        self.name = name
        self.hmm = hmm
        self.user_dict = user_dict
        self._jieba: JiebaCut | None = None

    @property
    def jieba(self) -> JiebaCut:
        # made at the first text: a saved pipeline's from_disk reads its own copy of user_dict
        if self._jieba is None:
            self._jieba = JiebaCut(user_dict=self.user_dict)
        return self._jieba

    def to_disk(self, path: str | Path, exclude: Iterable[str] = ()) -> None:
        save_resources(path, {"user_dict": self.user_dict})

    def from_disk(self, path: str | Path, exclude: Iterable[str] = ()) -> "Segmenter":
        self.user_dict = load_resources(path)["user_dict"]
        self._jieba = None
        return self

    def words(self, text: str) -> list[str]:
        words = self.jieba.cut(text, self.hmm) if text else []
        # jieba keeps every character, but the offsets must never drift: check, don't assume.
        if sum(map(len, words)) != len(text):
            raise ValueError("jieba lost characters while segmenting")
        return words

    def __call__(self, doc: Doc) -> Doc:
        text = doc.text  # Doc.text joins every token: read it once
        clean = doc._.clean_text if doc._.clean_text is not None else text
        words = self.words(clean)
        starts = list(accumulate(map(len, words), initial=0))[:-1]
        # The tokens are the original text's; most texts need no cleaning and are their words.
        original_words = words if clean == text else [text[start:start + len(word)]
                                                      for start, word in zip(starts, words)]
        sentence_start_offsets = sentence_starts(clean)
        sentence_flags = [start in sentence_start_offsets for start in starts]
        if sentence_flags:
            sentence_flags[0] = True
        new_doc = Doc(doc.vocab, words=original_words, spaces=[False] * len(original_words),
                      sent_starts=sentence_flags)
        if original_words is not words:
            for index, (original, word) in enumerate(zip(original_words, words)):
                if original != word:
                    new_doc[index].norm_ = word
        new_doc.user_data.update(doc.user_data)
        new_doc._.paragraphs = paragraph_ranges(clean)
        return new_doc


@Language.factory("newsie_segment", default_config={"user_dict": None, "hmm": True})
def make_segmenter(nlp: Language, name: str, user_dict: str | None, hmm: bool) -> Segmenter:
    return Segmenter(name, user_dict, hmm)
