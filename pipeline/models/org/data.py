"""The ORG tagger's data: label maps, annotation styles, character normalisation, and the
readers of the training corpora (MSRA BIO, CLUENER JSON).

Label maps (see docs/ner.md). MSRA's ORG covers companies, government bodies, parties and
institutions; CLUENER splits those into company / government / organization, so all three
become ORG. CLUENER's ``organization`` also holds sports teams and clubs: MSRA tags those as
ORG too, so we keep them. Everything else (name, address, position, game, movie, book,
scene) is dropped to O: CLUENER's ``address``/``scene`` are not MSRA's LOC, so mixing them
in would teach the model two different LOC definitions.

No torch here: the corpus readers serve the linking model's training and the BIO scorer too.
"""
from __future__ import annotations

import json
import os
import re
from typing import Iterator, Sequence

import numpy as np

Sentence = tuple[list[str], list[str]]  # (chars, BIO tags)
Span = tuple[int, int, str]  # (start, end_exclusive, label)


# Annotation styles a model can be told to follow (the ``style_dim`` feature): one per training
# corpus. MSRA (People's Daily articles) and CLUENER (short news texts) draw ORG's edges
# differently, and a model that is told which corpus a sentence comes from need not average
# the two conventions. Index + 1 is the style's id (0 pads).
STYLES: tuple[str, ...] = ("msra", "cluener")

# --------------------------------------------------------------------------- label maps
# A label missing from a map is dropped (becomes O).
MSRA_LABEL_MAP: dict[str, str] = {"ORG": "ORG", "LOC": "LOC", "PER": "PER"}
CLUENER_LABEL_MAP: dict[str, str] = {
    "company": "ORG",
    "government": "ORG",
    "organization": "ORG",  # includes sports teams; MSRA also tags teams/clubs as ORG
    "name": "PER",
    # CLUENER's address (北京市海淀区…) and scene (scenic spots) are places, MSRA's LOC in
    # spirit if not in detail; used only when the config keeps LOC.
    "address": "LOC",
    "scene": "LOC",
}
# Labels of HanLP's pretrained NER models mapped onto ours. MSRA-style models use NR/NS/NT,
# OntoNotes-style models ORG/GPE/PERSON/LOC, some PKU-style models nt/ns/nr, and the
# Stanford-style ones ORGANIZATION/PERSON/LOCATION.
PRETRAINED_LABEL_MAP: dict[str, str] = {
    "NT": "ORG", "nt": "ORG", "ORGANIZATION": "ORG", "ORG": "ORG",
    "NS": "LOC", "ns": "LOC", "LOCATION": "LOC", "LOC": "LOC", "GPE": "LOC",
    "NR": "PER", "nr": "PER", "PERSON": "PER", "PER": "PER",
}

# --------------------------------------------------------------------------- normalisation
# Char-for-char normalisation (never changes length, so offsets stay exact): full-width ASCII
# -> half-width (MSRA uses full-width digits/latin, CLUENER and most web news half-width), and


def style_id(style: str) -> int:
    """The input id of an annotation style (``STYLES``)."""
    if style not in STYLES:
        raise ValueError(f"unknown annotation style {style!r}: expected one of {', '.join(STYLES)}")
    return STYLES.index(style) + 1


# every whitespace char -> one placeholder (the char vocab has almost no spaces; dropping them
# would break offsets). The placeholder is the (half-width) comma: the training data has it
# >100k times, always outside entities, so the model reads a space as a separator, which is
# what whitespace is in Chinese news (indentation, line breaks, layout).
WHITESPACE_PLACEHOLDER = ","
_NORMALIZE_TABLE: dict[int, str] = {cp: chr(cp - 0xFEE0) for cp in range(0xFF01, 0xFF5F)}
_NORMALIZE_TABLE.update({ord(c): WHITESPACE_PLACEHOLDER for c in " \t\r\n\u3000\u00a0\u2002\u2003\u2009\u200b\x0b\x0c"})
NORMALIZATION_ID = "newsie-v1"  # stored in the model's config.json
_ANY_SPACE = re.compile(r"\s")  # what str.isspace() calls whitespace
# the code points str.isspace() calls whitespace (tests check them against a scan of all):
# char_id_table needs them, and finding them costs a fifth of a second
WHITESPACE_CODES: tuple[int, ...] = (*range(0x9, 0xE), *range(0x1C, 0x21), 0x85, 0xA0, 0x1680, *range(0x2000, 0x200B), *range(0x2028, 0x202A), 0x202F, 0x205F, 0x3000)


def char_id_table(tok2id: dict[str, int], unk: int, normalize: bool) -> "np.ndarray":
    """Vocabulary id of every code point (with ``normalize_chars`` applied first, if asked):
    ``table[codes]`` maps a whole text to ids in one numpy step instead of a dict lookup per
    character. 4.5 MB (int32), read-only, made once per vocabulary in a process: the members
    of an ensemble and the news model share theirs."""
    key = (frozenset(tok2id.items()), unk, normalize)
    table = _CHAR_ID_TABLES.get(key)
    if table is None:
        table = _CHAR_ID_TABLES[key] = _make_char_id_table(tok2id, unk, normalize)
    return table


_CHAR_ID_TABLES: dict[tuple, "np.ndarray"] = {}


def _make_char_id_table(tok2id: dict[str, int], unk: int, normalize: bool) -> "np.ndarray":
    table = np.full(0x110000, unk, dtype=np.int32)
    for token, index in tok2id.items():
        if len(token) == 1:
            table[ord(token)] = index
    if normalize:
        # only whitespace and the full-width forms change under normalize_chars
        for code in (*WHITESPACE_CODES, *range(0xFF01, 0xFF5F)):
            table[code] = tok2id.get(normalize_chars(chr(code)), unk)
    table.flags.writeable = False
    return table


def code_points(text: str) -> "np.ndarray":
    """The text's code points (lone surrogates included) as a uint32 array."""
    return np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)


def normalize_chars(text: str) -> str:
    """Length-preserving normalisation applied identically at training and prediction time."""
    out = text.translate(_NORMALIZE_TABLE)
    if len(out) != len(text):  # pragma: no cover - the table maps 1 char -> 1 char
        raise AssertionError("normalisation changed the text length")
    # other (rare) unicode whitespace
    if _ANY_SPACE.search(out):
        out = _ANY_SPACE.sub(WHITESPACE_PLACEHOLDER, out)
    return out


# --------------------------------------------------------------------------- corpus readers
def _map_bio(tags: list[str], label_map: dict[str, str] | None) -> list[str]:
    """Map BIO labels via label_map; unknown labels become O (an I- after a dropped B- too)."""
    if label_map is None:
        return tags
    out = []
    for t in tags:
        if t == "O":
            out.append("O")
            continue
        prefix, _, label = t.partition("-")
        new = label_map.get(label)
        out.append(f"{prefix}-{new}" if new else "O")
    return out


def read_bio(path: str | os.PathLike, label_map: dict[str, str] | None = None) -> list[Sentence]:
    """Read ``char<TAB>tag`` lines, blank line between sentences.

    Raises ValueError naming the file and line for any malformed line.
    """
    path = str(path)
    sents: list[Sentence] = []
    chars: list[str] = []
    tags: list[str] = []
    with open(path, encoding="utf-8") as f:
        for lineno, line in enumerate(f, 1):
            line = line.rstrip("\r\n")
            if not line.strip():
                if chars:
                    sents.append((chars, _map_bio(tags, label_map)))
                    chars, tags = [], []
                continue
            parts = line.split("\t")
            if len(parts) != 2 or len(parts[0]) != 1 or not _valid_tag(parts[1]):
                raise ValueError(
                    f"{path}:{lineno}: malformed BIO line {line!r} "
                    "(expected one character, a TAB, and a tag like O / B-ORG / I-ORG)")
            chars.append(parts[0])
            tags.append(parts[1])
    if chars:
        sents.append((chars, _map_bio(tags, label_map)))
    return sents


def _valid_tag(tag: str) -> bool:
    return tag == "O" or (len(tag) > 2 and tag[:2] in ("B-", "I-", "E-", "S-"))


def _iter_json_objects(text: str, path: str) -> Iterator[dict]:
    """CLUENER ships as a JSON list, JSON lines, or concatenated objects: accept all three."""
    stripped = text.lstrip()
    if stripped.startswith("["):
        try:
            yield from json.loads(stripped)
            return
        except json.JSONDecodeError as e:
            raise ValueError(f"{path}: invalid JSON list: {e}") from e
    dec = json.JSONDecoder()
    i, n = 0, len(text)
    while True:
        while i < n and text[i].isspace():
            i += 1
        if i >= n:
            return
        try:
            obj, i = dec.raw_decode(text, i)
        except json.JSONDecodeError as e:
            raise ValueError(f"{path}: invalid JSON at char {i}: {e}") from e
        yield obj


def read_cluener(path: str | os.PathLike,
                 label_map: dict[str, str] = CLUENER_LABEL_MAP) -> list[Sentence]:
    """Read CLUENER ``{"text", "label": {type: {surface: [[start, end_incl]]}}}`` as BIO."""
    path = str(path)
    with open(path, encoding="utf-8") as f:
        raw = f.read()
    sents: list[Sentence] = []
    for k, obj in enumerate(_iter_json_objects(raw, path)):
        if not isinstance(obj, dict) or not isinstance(obj.get("text"), str):
            raise ValueError(f"{path}: record {k} has no 'text' string")
        text = obj["text"]
        tags = ["O"] * len(text)
        for typ, surfaces in (obj.get("label") or {}).items():
            new = label_map.get(typ)
            if not new:
                continue
            for surface, offsets in surfaces.items():
                for start, end in offsets:
                    if not (0 <= start <= end < len(text)) or text[start:end + 1] != surface:
                        raise ValueError(f"{path}: record {k}: span {surface!r} [{start}, {end}] "
                                         "does not match its text")
                    if any(t != "O" for t in tags[start:end + 1]):
                        continue  # overlapping annotation: keep the first
                    tags[start] = f"B-{new}"
                    for j in range(start + 1, end + 1):
                        tags[j] = f"I-{new}"
        sents.append((list(text), tags))
    return sents


def bio_to_spans(tags: Sequence[str]) -> list[Span]:
    """BIO(-ish) tags -> (start, end_exclusive, label); a stray I- starts a new span."""
    spans: list[Span] = []
    start, label = -1, None
    for i, t in enumerate(list(tags) + ["O"]):
        if t.startswith("I-") and label == t[2:]:
            continue
        if label is not None:
            spans.append((start, i, label))
            label = None
        if t.startswith("B-") or t.startswith("I-"):
            start, label = i, t[2:]
    return spans
