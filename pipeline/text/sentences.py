"""Sentences, clauses and paragraphs of a text: the breaks the grammars and stages read
mentions' contexts from. Plain functions over strings (no spaCy)."""
from __future__ import annotations

import bisect
import re

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


# A longer sentence (a run-on text without punctuation) is read in blocks of this many
# characters (see SentenceIndex.bounds), so that the work per mention stays bounded.
SENTENCE_BLOCK = 2000
# A clause reaches at most this far on either side of a mention (see ClauseIndex.bounds).
CLAUSE_REACH = 200


def block_of(start: int, end: int, position: int, size: int) -> tuple[int, int]:
    """The block of ``size`` characters of [start, end) that holds ``position``: a range over
    ``size`` is cut at fixed multiples of it, so that neighbouring positions share their block
    (and whatever a stage computes for it), where a window around each would differ for each."""
    if end - start <= size:
        return start, end
    block_start = start + (max(position, start) - start) // size * size
    return block_start, min(end, block_start + size)


class SentenceIndex:
    """The sentences of one text, found once, for many ``bounds`` lookups (one per mention)."""

    def __init__(self, text: str):
        self.length = len(text)
        breaks = [(m.start(), m.end()) for m in SENTENCE_END.finditer(text)]
        self.break_starts = [start for start, _ in breaks]
        self.break_ends = [end for _, end in breaks]

    def bounds(self, position: int) -> tuple[int, int]:
        """(start, end) of the sentence around ``position``, its closing punctuation excluded;
        of a sentence over ``SENTENCE_BLOCK`` characters, the block that holds ``position``."""
        before = bisect.bisect_right(self.break_ends, position)
        after = bisect.bisect_left(self.break_starts, position)
        start = self.break_ends[before - 1] if before else 0
        end = self.break_starts[after] if after < len(self.break_starts) else self.length
        return block_of(start, end, position, SENTENCE_BLOCK)


class ClauseIndex:
    """The clause breaks of one text, found once, for a ``bounds`` lookup per mention."""

    def __init__(self, text: str) -> None:
        self.length = len(text)
        self.breaks = [m.start() for m in CLAUSE_END.finditer(text)]  # one character each

    def bounds(self, start: int, end: int) -> tuple[int, int]:
        """(start, end) of the clause holding ``text[start:end]``; it reaches at most
        ``CLAUSE_REACH`` characters before and after it (a longer clause is cut there)."""
        before = bisect.bisect_left(self.breaks, start)
        window = max(0, start - CLAUSE_REACH)
        left = self.breaks[before - 1] + 1 if before and self.breaks[before - 1] >= window else window
        after = bisect.bisect_left(self.breaks, end)
        right = self.breaks[after] if after < len(self.breaks) else self.length
        return left, min(right, end + CLAUSE_REACH)
