"""Stage 2, segment: words, sentences and paragraphs.

Input: a cleaned ``Doc`` (``doc._.clean_text`` set). Output: a new ``Doc`` with the same
text whose tokens are jieba's words of the clean text, ``token.norm_`` set to the clean
form, sentence starts set, and ``doc._.paragraphs`` holding the (start, end) character
ranges of the non-empty lines. jieba is chosen because it is the segmenter spaCy's own
Chinese language offers; its words are computed by jieba-rs (``wordcut``), twenty times
faster. Each component owns its own segmenter (no global state).
"""
from __future__ import annotations

import bisect
import re
from itertools import accumulate

from spacy.language import Language
from spacy.tokens import Doc

from .wordcut import JiebaCut

SENTENCE_END = re.compile(r"[。！？!?；;…]+[”’\")）]*|\n+")
# Clause ends; ITEM_END also ends an item of an enumeration (亩均投资600万元、亩均产出800万元).
CLAUSE_END = re.compile(r"[,，。;；:：!！?？\n]")
ITEM_END = re.compile(r"[,，。;；:：!！?？、\n]")


def paragraph_ranges(text: str) -> list[tuple[int, int]]:
    """(start, end) of every non-blank line, surrounding whitespace excluded."""
    return [(m.start(), m.end()) for m in re.finditer(r"[^\s](?:[^\n]*[^\s])?", text)]


def sentence_starts(text: str) -> set[int]:
    """Character offsets at which a new sentence begins."""
    return {m.end() for m in SENTENCE_END.finditer(text) if m.end() < len(text)}


# A sentence is read at most this far back from a position (see SentenceIndex.bounds).
SENTENCE_REACH = 2000


class SentenceIndex:
    """The sentences of one text, found once, for many ``bounds`` lookups (one per mention)."""

    def __init__(self, text: str):
        self.length = len(text)
        breaks = [(m.start(), m.end()) for m in SENTENCE_END.finditer(text)]
        self.break_starts = [start for start, _ in breaks]
        self.break_ends = [end for _, end in breaks]

    def bounds(self, position: int) -> tuple[int, int]:
        """(start, end) of the sentence around ``position``, its closing punctuation excluded;
        it reaches back at most ``SENTENCE_REACH`` characters (a run-on text has no sentences)."""
        before = bisect.bisect_right(self.break_ends, position)
        after = bisect.bisect_left(self.break_starts, position)
        start = self.break_ends[before - 1] if before else 0
        end = self.break_starts[after] if after < len(self.break_starts) else self.length
        return max(start, position - SENTENCE_REACH), end


class ClauseIndex:
    """The clause breaks of one text, found once, for a ``bounds`` lookup per mention."""

    def __init__(self, text: str) -> None:
        self.length = len(text)
        self.breaks = [m.start() for m in CLAUSE_END.finditer(text)]  # one character each

    def bounds(self, start: int, end: int) -> tuple[int, int]:
        """(start, end) of the clause holding ``text[start:end]``; it reaches back at most 200
        characters (a longer clause is cut there)."""
        before = bisect.bisect_left(self.breaks, start)
        window = max(0, start - 200)
        left = self.breaks[before - 1] + 1 if before and self.breaks[before - 1] >= window else window
        after = bisect.bisect_left(self.breaks, end)
        return left, self.breaks[after] if after < len(self.breaks) else self.length


class Segmenter:
    """spaCy component: replaces the provisional tokens with words and sets sentences."""

    def __init__(self, name: str, user_dict: str | None = None, hmm: bool = True):
        self.name = name
        self.hmm = hmm
        self.jieba = JiebaCut(user_dict=user_dict)

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
