"""jieba's part-of-speech tagger over a tokenizer that a caller owns (no global state), sharing
the word → tag table jieba.posseg reads when imported."""
from __future__ import annotations

import jieba
import jieba.posseg


class _TaggerWithTags(jieba.posseg.POSTokenizer):
    """jieba's part-of-speech tagger over ``tokenizer`` with a word → tag table already read."""

    def __init__(self, tokenizer: jieba.Tokenizer, word_tags: dict[str, str]) -> None:
        self.tokenizer = tokenizer
        self.word_tag_tab = word_tags


def pos_tagger(tokenizer: jieba.Tokenizer) -> jieba.posseg.POSTokenizer:
    """A part-of-speech tagger over ``tokenizer``. Importing jieba.posseg reads the default
    dictionary's tags (half a second); a tokenizer of that dictionary shares them, read-only,
    rather than read them again at every process start."""
    default = jieba.posseg.dt
    if tokenizer.dictionary == default.tokenizer.dictionary:
        return _TaggerWithTags(tokenizer, default.word_tag_tab)
    return jieba.posseg.POSTokenizer(tokenizer)
