"""User name lists (gazetteers): the organizations a researcher already knows, such as the
listed companies of their market, tagged wherever they occur, with the full name as canonical.

A list is a text file (one name a line; ``#`` starts a comment) or a CSV file with a header
holding ``name`` (a short name), and optionally ``full_name`` and ``code`` columns. A full name
is listed as a name of its own. Matching uses HanLP's trie (``hanlp_trie``, installed with
HanLP): leftmost-longest, so 平安银行 wins over 平安 when both are listed.
"""
from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

from hanlp_trie import Trie

# A listed name this short is mostly a word of its own too (平安, 中海): it must stand alone.
MIN_NAME_CHARS = 2


@dataclass(frozen=True)
class Entry:
    canonical: str
    code: str | None = None


@dataclass(frozen=True)
class GazetteerMatch:
    start: int
    end: int
    canonical: str
    code: str | None


def read_name_list(path: str | Path) -> dict[str, Entry]:
    """name → entry of one list file (.txt or .csv); raises naming the file and line."""
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"gazetteer not found: {path}")
    names: dict[str, Entry] = {}
    with open(path, encoding="utf-8-sig", newline="") as lines:
        if path.suffix.lower() == ".csv":
            reader = csv.DictReader(lines)
            if not reader.fieldnames or "name" not in reader.fieldnames:
                raise ValueError(f"{path}: a gazetteer CSV needs a header with a 'name' column "
                                 "(and optionally full_name, code)")
            for number, row in enumerate(reader, 2):
                name = (row.get("name") or "").strip()
                full = (row.get("full_name") or "").strip() or name
                if not name:
                    raise ValueError(f"{path}, line {number}: empty name")
                entry = Entry(full, (row.get("code") or "").strip() or None)
                names[name] = entry
                names.setdefault(full, entry)
        else:
            for line in lines:
                name = line.split("#", 1)[0].strip()
                if name:
                    names[name] = Entry(name)
    return {name: entry for name, entry in names.items() if len(name) >= MIN_NAME_CHARS}


class Gazetteer:
    """``find(text, boundaries)``: the listed names in ``text`` that start and end at word
    boundaries (so a listed 中海 is not found inside 中海油 or 珠海中海岸)."""

    def __init__(self, names: dict[str, Entry]) -> None:
        self.trie = Trie(names)

    @classmethod
    def from_files(cls, paths: Iterable[str | Path]) -> "Gazetteer":
        names: dict[str, Entry] = {}
        for path in paths:
            names.update(read_name_list(path))
        return cls(names)

    def find(self, text: str, boundaries: set[int] | None = None) -> list[GazetteerMatch]:
        return [GazetteerMatch(start, end, entry.canonical, entry.code)
                for start, end, entry in self.trie.parse_longest(text)
                if boundaries is None or (start in boundaries and end in boundaries)]
