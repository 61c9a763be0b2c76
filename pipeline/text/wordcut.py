"""jieba's word segmentation, computed by jieba-rs (its Rust port, through ``rjieba``).

Every character of a corpus is segmented, and jieba's pure-Python DAG and HMM run at about
0.56 M characters/s on one core here: with a small ORG model that was a quarter of a
one-process run. jieba-rs implements the same algorithm over the same dictionary and HMM
tables at about 11 M characters/s.

One difference is undone here: inside a stretch the dictionary does not know, jieba cuts
non-Chinese runs with its ``re_skip`` pattern (2003-04 → 2003 | - | 04, 6.71B → 6.71 | B),
while jieba-rs keeps such a run whole. ``JiebaCut.cut`` re-splits those runs, so its words
are ``jieba.lcut``'s, with and without the HMM (tests/test_wordcut.py compares the two on
text and on random strings).
"""
from __future__ import annotations

import os
import re

import rjieba

_HAN = re.compile("[\u4E00-\u9FD5]")
# jieba.finalseg.re_skip: how jieba cuts a non-Chinese run of unknown characters.
_JIEBA_SKIP = re.compile(r"([a-zA-Z0-9]+(?:\.\d+)?%?)")


_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


class JiebaCut:
    """``cut(text)``: jieba's words of ``text``.

    ``dictionary`` replaces jieba's main dictionary (a ``word freq [tag]`` file, jieba's
    format); ``user_dict`` adds words to it as ``jieba.load_userdict`` does.
    """

    def __init__(self, dictionary: str | None = None, user_dict: str | None = None) -> None:
        if dictionary is None and not user_dict:
            # jieba's own dictionary, bundled with jieba-rs: the segmenter rjieba builds when
            # imported, only read here (a second copy cost 0.12 s and 24 MB of every process)
            self._rust_cut, self._has_word = rjieba.cut, rjieba.has_word
            return
        rust = rjieba.Jieba() if dictionary is None else rjieba.Jieba.empty()
        for path in (dictionary, user_dict):
            if path:
                _add_words(rust, path)
        self._rust_cut, self._has_word = rust.cut, rust.has_word

    def cut(self, text: str, hmm: bool = True) -> list[str]:
        """jieba's words of ``text``; they join back to ``text``."""
        if _LONE_SURROGATE.search(text):
            # jieba-rs takes only valid Unicode: cut a copy with U+FFFD in their place (one
            # character each), and give back the same stretches of the text itself.
            words, position = [], 0
            for word in self.cut(_LONE_SURROGATE.sub("\ufffd", text), hmm):
                words.append(text[position:position + len(word)])
                position += len(word)
            return words
        words = []
        for word in self._rust_cut(text, hmm):
            if len(word) > 1 and not _HAN.search(word) and not self._has_word(word):
                words += [piece for piece in _JIEBA_SKIP.split(word) if piece]
            else:
                words.append(word)
        return words


def _add_words(rust: rjieba.Jieba, path: str) -> None:
    """Add the words of a jieba dictionary file (``word [freq] [tag]`` per line)."""
    if not os.path.isfile(path):
        raise FileNotFoundError(f"jieba dictionary not found: {path}")
    with open(path, encoding="utf-8-sig") as lines:
        for number, line in enumerate(lines, 1):
            parts = line.split()
            if not parts:
                continue
            freq = parts[1] if len(parts) > 1 and parts[1].isdigit() else None
            tag = parts[-1] if len(parts) > 1 and not parts[-1].isdigit() else None
            if len(parts) > 3 or (len(parts) == 3 and freq is None):
                raise ValueError(f"{path}, line {number}: expected 'word [freq] [tag]': {line!r}")
            rust.add_word(parts[0], int(freq) if freq else None, tag)
