"""Character tag files: BIO (IOB2) and BIOES, MSRA style (``char<TAB>tag``, a blank line
between sentences) or CoNLL style (``-DOCSTART- id`` lines, space-separated columns).

The tag scheme is detected (any ``E-``/``S-`` tag: BIOES) or declared; a declared scheme that
the file contradicts, a malformed line and a tag sequence the scheme forbids (``I-ORG`` after
``O`` in BIO, ``B-ORG`` without its ``E-ORG`` in BIOES) are errors naming the file and line,
so that no file is silently misread. seqeval decodes the tag sequences (strict mode).

Nested mentions (a TARGET holding a MONEY) cannot share one tag column: the writer puts them
in as many tag columns as it needs (layers), and the reader reads every column after the
first. Line breaks, tabs and backslashes in the text are written ``\\n``, ``\\t``, ``\\\\``
(and spaces ``\\s`` in the space-separated CoNLL layout).
"""
from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Iterable

from seqeval.scheme import IOB2, IOBES, Tokens

TAG_SCHEMES = {"bio": IOB2, "bioes": IOBES}
TAG = re.compile(r"^(O|[BIES]-\S+)$")
ESCAPES = {"\\n": "\n", "\\r": "\r", "\\t": "\t", "\\s": " ", "\\\\": "\\"}
DOCSTART = "-DOCSTART-"


def _unescape(field: str) -> str:
    return ESCAPES.get(field, field)


def _escape(char: str, conll: bool) -> str:
    inverse = {v: k for k, v in ESCAPES.items() if conll or k != "\\s"}
    return inverse.get(char, char)


def detect_scheme(tags: Iterable[str]) -> str:
    """bioes when any tag is E- or S-, else bio."""
    return "bioes" if any(tag[:2] in ("E-", "S-") for tag in tags) else "bio"


class _Block:
    def __init__(self, doc_id: str | None, line: int) -> None:
        self.id, self.line = doc_id, line
        self.chars: list[str] = []
        self.columns: list[list[str]] = []
        self.lines: list[int] = []


def _blocks(path: Path) -> list[_Block]:
    blocks: list[_Block] = []
    current: _Block | None = None
    pending_id: str | None = None
    separator = ""
    with path.open(encoding="utf-8") as handle:
        for number, raw in enumerate(handle, start=1):
            line = raw.rstrip("\r\n")
            if line.startswith(DOCSTART) or (line.startswith("#") and "\t" not in line and " = " in line):
                pending_id = line[len(DOCSTART):].strip() if line.startswith(DOCSTART) else line.split(" = ", 1)[1]
                current = None
                continue
            if not line.strip():
                current = None
                continue
            # the first line of tags says which separator the file uses: a TAB, else a space
            separator = separator or ("\t" if "\t" in line else " ")
            fields = line.split(separator)
            tags = fields[1:]
            if len(fields) < 2 or len(_unescape(fields[0])) != 1 or not all(TAG.match(t) for t in tags):
                raise ValueError(f"{path}:{number}: malformed tag line {line!r} (expected one character, "
                                 f"{'a TAB' if separator == chr(9) else 'a space'}, and tags like O / B-ORG / "
                                 "I-ORG / E-ORG / S-ORG)")
            if current is None:
                current = _Block(pending_id, number)
                pending_id = None
                blocks.append(current)
            if current.columns and len(tags) != len(current.columns):
                raise ValueError(f"{path}:{number}: {len(tags)} tag columns where the lines above have "
                                 f"{len(current.columns)}")
            if not current.columns:
                current.columns = [[] for _ in tags]
            current.chars.append(_unescape(fields[0]))
            current.lines.append(number)
            for column, tag in zip(current.columns, tags):
                column.append(tag)
    return blocks


def decode(tags: list[str], scheme: str, lines: list[int], path: Path) -> list[tuple[int, int, str]]:
    """(start, end, label) of a tag column; an invalid sequence is an error naming its line."""
    spans = [(e.start, e.end, e.tag) for e in Tokens(tags, TAG_SCHEMES[scheme]).entities]
    covered = {i for start, end, _ in spans for i in range(start, end)}
    for i, tag in enumerate(tags):
        if tag != "O" and i not in covered:
            before, after = tags[i - 1] if i else "none", tags[i + 1] if i + 1 < len(tags) else "none"
            raise ValueError(f"{path}:{lines[i]}: {tag} is not part of a well-formed {scheme.upper()} mention "
                             f"(previous tag {before}, next tag {after})")
    return spans


def read_tagged(path: str | Path, scheme: str = "auto") -> tuple[str, list[dict[str, Any]]]:
    """The scheme and the rows (``id``, ``text``, ``entities``) of a BIO, BIOES or CoNLL file;
    a block without an id is named ``FILE:LINE``."""
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"not found: {path}")
    blocks = _blocks(path)
    tags = [(tag, block.lines[i]) for block in blocks for column in block.columns for i, tag in enumerate(column)]
    found = detect_scheme(tag for tag, _ in tags)
    if scheme == "auto":
        scheme = found
    elif scheme == "bio" and found == "bioes":
        line = next(number for tag, number in tags if tag[:2] in ("E-", "S-"))
        raise ValueError(f"{path}:{line}: a BIOES tag (E-/S-) in a file read as BIO: give --format bioes or auto")
    elif scheme not in TAG_SCHEMES:
        raise ValueError(f"unknown tag scheme {scheme!r}: use bio, bioes or auto")
    rows = []
    for block in blocks:
        spans = sorted(span for column in block.columns for span in decode(column, scheme, block.lines, path))
        rows.append({"id": block.id or f"{path.name}:{block.line}", "text": "".join(block.chars),
                     "entities": [{"start": s, "end": e, "label": label} for s, e, label in spans]})
    return scheme, rows


def layers(spans: list[tuple[int, int, str]]) -> list[list[tuple[int, int, str]]]:
    """Spans in as few non-overlapping layers as a greedy pass, longest first, needs."""
    out: list[list[tuple[int, int, str]]] = []
    for span in sorted(spans, key=lambda s: (s[0] - s[1], s[0])):
        for layer in out:
            if all(span[1] <= s[0] or s[1] <= span[0] for s in layer):
                layer.append(span)
                break
        else:
            out.append([span])
    return out or [[]]


def encode(length: int, spans: list[tuple[int, int, str]], scheme: str) -> list[str]:
    """The tag column of non-overlapping spans."""
    tags = ["O"] * length
    for start, end, label in spans:
        if scheme == "bioes" and end - start == 1:
            tags[start] = f"S-{label}"
            continue
        tags[start] = f"B-{label}"
        tags[start + 1:end] = [f"I-{label}"] * (end - start - 1)
        if scheme == "bioes":
            tags[end - 1] = f"E-{label}"
    return tags


def write_tagged(rows: Iterable[dict[str, Any]], path: str | Path, scheme: str = "bio", conll: bool = False) -> None:
    """Rows as a tag file; each document starts with its id (``# id = …`` or ``-DOCSTART- …``)."""
    if scheme not in TAG_SCHEMES:
        raise ValueError(f"unknown tag scheme {scheme!r}: use bio or bioes")
    separator = " " if conll else "\t"
    with Path(path).open("w", encoding="utf-8") as handle:
        for row in rows:
            text = row.get("text") or ""
            spans = [(int(e["start"]), int(e["end"]), e["label"]) for e in row.get("entities") or []]
            columns = [encode(len(text), layer, scheme) for layer in layers(spans)]
            handle.write(f"{DOCSTART} {row['id']}\n" if conll else f"# id = {row['id']}\n")
            for i, char in enumerate(text):
                handle.write(separator.join([_escape(char, conll)] + [column[i] for column in columns]) + "\n")
            handle.write("\n")
