"""Stage 1, clean: a normalized view of the text and the page boilerplate, offsets kept.

Input: a ``Doc`` whose text is the original document. Output: ``doc._.clean_text``, a string
of exactly the same length in which full-width forms are folded to their ASCII forms and
punctuation variants unified, and ``doc._.boilerplate``, the (start, end) character ranges of
page furniture (site headers, share/comment footers, contact lines). Later stages read the
clean text and ignore the boilerplate, and all offsets still index the original text.

Folding is character for character on purpose: NFKC can turn one character into several
(㎡ → m2, ① → 1), and a length change would shift every later offset.
"""
from __future__ import annotations

import re
import unicodedata
from typing import Iterable

from spacy.language import Language
from spacy.tokens import Doc

from pipeline.stages import extensions  # noqa: F401 (the Doc attributes the stages write)

# Variants NFKC leaves alone but the grammars should not have to know about.
EXTRA_FOLDS = {
    "―": "—",
    "─": "—",
    "〜": "~",
    "～": "~",
    "‐": "-",
    "‑": "-",
    "‒": "-",
    "–": "-",
    "﹣": "-",
    "\u3000": " ",
    "\u00a0": " ",
}

DEFAULT_BOILERPLATE_PATTERNS: tuple[str, ...] = (
    r"^\s*(评论关闭|发表评论|我要评论|分享到[:：]?|网站地图|返回顶部|打印本页|关闭窗口|责任编辑[:：].*|来源[:：].{0,30})\s*$",
    r"^.{0,40}(咨询热线|联系电话|服务热线|发布时间|发布者|浏览次数).{0,60}$",
    r"^.{0,20}(微信号|公众号|扫一扫|二维码|关注我们).{0,60}$",
    r"^.{0,10}(Copyright|版权所有|ICP备).*$",
)


def fold_char(char: str) -> str:
    """One character's normalized form, always one character long."""
    if char in EXTRA_FOLDS:
        return EXTRA_FOLDS[char]
    folded = unicodedata.normalize("NFKC", char)
    return folded if len(folded) == 1 else char


class _FoldTable(dict):
    """code point -> folded character, each worked out the first time it is seen.

    ``str.translate`` looks every character up in C; only a character not seen before calls
    back into Python. A memo of a pure function, so sharing one table changes no result."""

    def __missing__(self, code_point: int) -> str:
        folded = self[code_point] = fold_char(chr(code_point))
        return folded


_FOLDS = _FoldTable()


def fold_text(text: str) -> str:
    """``text`` with every character folded; same length as ``text``."""
    if text.isascii():
        return text
    return text.translate(_FOLDS)


def find_boilerplate(text: str, patterns: Iterable[re.Pattern[str]]) -> list[tuple[int, int]]:
    """Character ranges of the lines that match any boilerplate pattern."""
    ranges: list[tuple[int, int]] = []
    offset = 0
    for line in text.splitlines(keepends=True):
        body = line.rstrip("\r\n")
        if body.strip() and any(pattern.search(body) for pattern in patterns):
            ranges.append((offset, offset + len(body)))
        offset += len(line)
    return ranges


class Cleaner:
    """spaCy component: sets ``doc._.clean_text`` and ``doc._.boilerplate``."""

    def __init__(self, name: str, boilerplate_patterns: list[str]):
        self.name = name
        self.patterns = [re.compile(pattern, re.IGNORECASE) for pattern in boilerplate_patterns]

    def __call__(self, doc: Doc) -> Doc:
        doc._.clean_text = fold_text(doc.text)
        doc._.boilerplate = find_boilerplate(doc._.clean_text, self.patterns)
        return doc


@Language.factory(
    "newsie_clean",
    default_config={"boilerplate_patterns": list(DEFAULT_BOILERPLATE_PATTERNS)},
)
def make_cleaner(nlp: Language, name: str, boilerplate_patterns: list[str]) -> Cleaner:
    return Cleaner(name, boilerplate_patterns)
