"""Statistical ORG recognizer: a HanLP character-level BiLSTM-CRF.

What lives here
- corpus readers (MSRA BIO, CLUENER JSON) that map corpus labels onto ours;
- ``CRFFixedNamedEntityRecognizer``: HanLP's ``RNNNamedEntityRecognizer`` with its CRF bug fixed;
- ``train`` / ``run_train``: reproduce ``models/org_ner`` from ``configs/ner.cfg``;
- ``OrgModel``: load a saved or pretrained HanLP model and return exact character offsets.

Label maps (see docs/ner.md). MSRA's ORG covers companies, government bodies, parties and
institutions; CLUENER splits those into company / government / organization, so all three
become ORG. CLUENER's ``organization`` also holds sports teams and clubs: MSRA tags those as
ORG too, so we keep them. Everything else (name, address, position, game, movie, book,
scene) is dropped to O: CLUENER's ``address``/``scene`` are not MSRA's LOC, so mixing them
in would teach the model two different LOC definitions.
"""
from __future__ import annotations

import argparse
import json
import logging
import os
import random
import re
import time
from pathlib import Path
from typing import Any, Iterable, Iterator, NamedTuple, Sequence

import numpy as np
import torch
from hanlp.components.ner.rnn_ner import RNNNamedEntityRecognizer

logger = logging.getLogger(__name__)

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
# every whitespace char -> one placeholder (the char vocab has almost no spaces; dropping them
# would break offsets). The placeholder is the (half-width) comma: the training data has it
# >100k times, always outside entities, so the model reads a space as a separator, which is
# what whitespace is in Chinese news (indentation, line breaks, layout).
WHITESPACE_PLACEHOLDER = ","
_NORMALIZE_TABLE: dict[int, str] = {cp: chr(cp - 0xFEE0) for cp in range(0xFF01, 0xFF5F)}
_NORMALIZE_TABLE.update({ord(c): WHITESPACE_PLACEHOLDER for c in " \t\r\n\u3000\u00a0\u2002\u2003\u2009\u200b\x0b\x0c"})
NORMALIZATION_ID = "newsie-v1"  # stored in the model's config.json
_ANY_SPACE = re.compile(r"\s")  # what str.isspace() calls whitespace


def char_id_table(tok2id: dict[str, int], unk: int, normalize: bool) -> "np.ndarray":
    """Vocabulary id of every code point (with ``normalize_chars`` applied first, if asked):
    ``table[codes]`` maps a whole text to ids in one numpy step instead of a dict lookup per
    character. 4.5 MB (int32)."""
    table = np.full(0x110000, unk, dtype=np.int32)
    for token, index in tok2id.items():
        if len(token) == 1:
            table[ord(token)] = index
    if normalize:
        for code in range(0x110000):
            char = chr(code)
            if char.isspace() or 0xFF01 <= code < 0xFF5F:
                table[code] = tok2id.get(normalize_chars(char), unk)
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


# --------------------------------------------------------------------------- evaluation
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


def spans_of_tag_ids(tags: torch.Tensor, lengths: Sequence[int], id2tag: Sequence[str],
                     kept_tags: Sequence[int] | None = None) -> list[list[Span]]:
    """``bio_to_spans`` of each row of a (rows, width) tensor of tag ids, row i cut at lengths[i],
    with the tags not in ``kept_tags`` (default: all but O) read as O.

    Same result, but it visits only the positions of kept tags (most characters are O, and a
    Python loop over every character costs as much as the tagger's output layer).
    """
    if kept_tags is None:
        kept_tags = [i for i, tag in enumerate(id2tag) if tag != "O"]
    rows: list[list[Span]] = [[] for _ in lengths]
    inside = torch.isin(tags, torch.tensor(list(kept_tags), dtype=tags.dtype)) & (
        torch.arange(tags.shape[1]) < torch.tensor(list(lengths))[:, None])
    row, start, end, label = -1, -1, -1, None
    for (r, t), value in zip(inside.nonzero().tolist(), tags[inside].tolist()):
        tag = id2tag[value]
        if label is not None and r == row and t == end and tag.startswith("I-") and tag[2:] == label:
            end = t + 1
            continue
        if label is not None:
            rows[row].append((start, end, label))
            label = None
        if tag.startswith(("B-", "I-")):
            row, start, end, label = r, t, t + 1, tag[2:]
    if label is not None:
        rows[row].append((start, end, label))
    return rows


def span_f1(gold_spans: Iterable[Iterable[Span]], pred_spans: Iterable[Iterable[Span]],
            labels: Sequence[str] = ("ORG",)) -> dict[str, float]:
    """Exact-match span P/R/F1 over documents (one span list per document)."""
    from pipeline.scoring import exact_span_counts

    c = exact_span_counts(gold_spans, pred_spans, labels)
    return {"precision": c.precision, "recall": c.recall, "f1": c.f1, "tp": c.tp,
            "gold": c.tp + c.fn, "pred": c.tp + c.fp}


# --------------------------------------------------------------------------- the recognizer
def viterbi_decode(emissions: torch.Tensor, mask: torch.Tensor, transitions: torch.Tensor,
                   start: torch.Tensor, end: torch.Tensor) -> torch.Tensor:
    """Batched Viterbi, batch first. Returns (B, T) best tag ids (padding positions arbitrary).

    HanLP's CRF.decode back-traces one sample at a time with ``.item()`` per token, which
    dominates CPU inference time; this keeps the back-trace vectorised over the batch.
    """
    B, T, K = emissions.shape
    lens = mask.sum(1)
    score = start + emissions[:, 0]
    history = []
    for t in range(1, T):
        nxt, idx = (score.unsqueeze(2) + transitions + emissions[:, t].unsqueeze(1)).max(1)
        score = torch.where(mask[:, t].unsqueeze(1), nxt, score)
        history.append(idx)
    score = score + end
    best_last = score.argmax(1)
    tags = torch.zeros(B, T, dtype=torch.long, device=emissions.device)
    cur = best_last
    last = lens - 1
    for t in range(T - 1, -1, -1):
        # sequences ending at t start their back-trace here; longer ones follow history
        if t < T - 1:
            back = history[t].gather(1, cur.unsqueeze(1)).squeeze(1)
            cur = torch.where(t < last, back, cur)
        cur = torch.where(last == t, best_last, cur)
        tags[:, t] = cur
    return tags


def crf_marginals(emissions: torch.Tensor, mask: torch.Tensor, transitions: torch.Tensor,
                  start: torch.Tensor, end: torch.Tensor) -> torch.Tensor:
    """Posterior probability of each tag at each position of a linear-chain CRF, batch first:
    (B, T, K); padding positions are meaningless. Same conventions as ``viterbi_decode`` (the
    mask is a prefix of each row, every row has a length of at least 1).

    Forward-backward in probability space, each step rescaled to sum to 1 (Rabiner's scaling):
    one small matrix product per step instead of a log-sum-exp, twice as fast on a CPU, where
    the per-step operations, not the arithmetic, cost the time. A marginal is the product of
    the scaled forward and backward vectors, renormalised per position.
    """
    B, T, K = emissions.shape
    potentials = (emissions - emissions.amax(-1, keepdim=True)).exp()
    step_matrix = transitions.exp()
    alpha = (start - start.max()).exp() * potentials[:, 0]
    alphas = [alpha / alpha.sum(1, keepdim=True)]
    for t in range(1, T):
        # positions past a row's end are never read back, so the forward pass needs no mask
        alpha = (alphas[-1] @ step_matrix) * potentials[:, t]
        alphas.append(alpha / alpha.sum(1, keepdim=True))
    last = (end - end.max()).exp().expand(B, K)
    betas = [last]
    for t in range(T - 2, -1, -1):
        beta = (potentials[:, t + 1] * betas[-1]) @ step_matrix.t()
        # a row's last position starts its backward pass afresh from the end scores
        betas.append(torch.where(mask[:, t + 1].unsqueeze(1), beta / beta.sum(1, keepdim=True), last))
    betas.reverse()
    joint = torch.stack(alphas, 1) * torch.stack(betas, 1)
    return joint / joint.sum(-1, keepdim=True)


class HashedBigramEmbedding(torch.nn.Module):
    """Char embedding concatenated with hashed left/right char-bigram embeddings.

    Bigrams are the classic cheap win for Chinese character taggers (a char's meaning depends
    on its neighbour). Hashing the two char ids into a fixed table needs no extra vocabulary
    (the model stays loadable by HanLP as is) and bounds the size; the cost at inference is
    two lookups per char plus a wider LSTM input.
    """

    def __init__(self, char_embed: torch.nn.Embedding, buckets: int, dim: int) -> None:
        super().__init__()
        self.char = char_embed
        self.buckets = buckets
        self.bigram = torch.nn.Embedding(buckets, dim)
        self.embedding_dim = char_embed.embedding_dim + 2 * dim

    def forward(self, batch: dict, mask: torch.Tensor | None = None, **kwargs) -> torch.Tensor:
        x = batch["token_id"]  # (B, T) char ids, 0 = padding
        pad = torch.zeros_like(x[:, :1])
        left = torch.cat([pad, x[:, :-1]], 1)  # previous char (0 at sentence start)
        right = torch.cat([x[:, 1:], pad], 1)  # next char (padding id 0 after the last char)
        lid = (left * 1000003 + x) % self.buckets
        rid = (x * 1000003 + right) % self.buckets
        return torch.cat([self.char(x), self.bigram(lid), self.bigram(rid)], -1)


def _embed(inner: torch.nn.Module, batch: dict) -> torch.Tensor:
    """The output of a wrapped embedding: a plain one reads the char ids, ours the whole batch."""
    return inner(batch["token_id"]) if isinstance(inner, torch.nn.Embedding) else inner(batch)


class StyleEmbedding(torch.nn.Module):
    """Another embedding module's output concatenated with an annotation-style embedding.

    The ids come in the batch as ``style_id``, one per character (the same for a whole
    sentence; see ``STYLES``). Training on several corpora with a corpus flag is the usual way
    to learn from corpora whose guidelines disagree without blurring them (multi-domain /
    multi-criteria tagging: Chen et al. 2017, "Adversarial Multi-Criteria Learning for Chinese
    Word Segmentation"; He et al. 2019 put the criterion in the input the same way).
    """

    def __init__(self, inner: torch.nn.Module, dim: int) -> None:
        super().__init__()
        self.inner = inner
        self.style = torch.nn.Embedding(len(STYLES) + 1, dim, padding_idx=0)
        self.embedding_dim = inner.embedding_dim + dim

    def forward(self, batch: dict, mask: torch.Tensor | None = None, **kwargs) -> torch.Tensor:
        inner = _embed(self.inner, batch)
        return torch.cat([inner, self.style(batch["style_id"])], -1)


class LexiconEmbedding(torch.nn.Module):
    """Another embedding module's output concatenated with a lexicon feature embedding.

    The ids come in the batch as ``lex_id`` (``pipeline.lexicon``: the character's B/M/E/S
    position in its jieba word crossed with the word's part of speech).
    """

    def __init__(self, inner: torch.nn.Module, dim: int) -> None:
        super().__init__()
        from pipeline.lexicon import VOCAB_SIZE

        self.inner = inner
        self.lexicon = torch.nn.Embedding(VOCAB_SIZE, dim, padding_idx=0)
        self.embedding_dim = inner.embedding_dim + dim

    def forward(self, batch: dict, mask: torch.Tensor | None = None, **kwargs) -> torch.Tensor:
        inner = _embed(self.inner, batch)
        return torch.cat([inner, self.lexicon(batch["lex_id"])], -1)


def bf16_is_fast() -> bool:
    """Whether this CPU runs bfloat16 matrix products natively (AVX512-BF16 / AMX)."""
    try:
        return bool(torch.ops.mkldnn._is_mkldnn_bf16_supported())
    except (AttributeError, RuntimeError):  # pragma: no cover - torch built without oneDNN
        return False


def resolve_precision(precision: str) -> torch.dtype:
    """``"fp32"``, ``"bf16"``, or ``"auto"`` (bf16 where the CPU has native bf16, else fp32)."""
    if precision == "auto":
        return torch.bfloat16 if bf16_is_fast() else torch.float32
    dtypes = {"fp32": torch.float32, "bf16": torch.bfloat16}
    if precision not in dtypes:
        raise ValueError(f"precision must be one of auto, fp32, bf16, not {precision!r}")
    return dtypes[precision]


class PaddedBiLSTM(torch.nn.Module):
    """Inference twin of a bidirectional ``nn.LSTM``: each direction as its own LSTM over padded
    batches, optionally in bfloat16.

    Why not the trained module as it is: HanLP feeds it packed sequences, which send torch to its
    step-by-step CPU kernel. Padded, batch-first input takes oneDNN's fused kernel instead, which
    on CPUs with native bf16 is over twice as fast. A bidirectional LSTM cannot take padded
    batches of mixed lengths (its backward pass would start on the padding), so the backward
    direction reads each sequence reversed in place, padding still at the end; both directions
    then see exactly their packed inputs (fp32 results equal the packed module's to ~1e-7).
    """

    def __init__(self, lstm: torch.nn.LSTM, dtype: torch.dtype = torch.float32) -> None:
        super().__init__()
        if not (lstm.bidirectional and lstm.batch_first):
            raise ValueError("PaddedBiLSTM wraps a batch-first bidirectional LSTM")
        self.dtype = dtype
        self.layers = torch.nn.ModuleList()
        for layer in range(lstm.num_layers):
            pair = torch.nn.ModuleList()
            for suffix in ("", "_reverse"):
                n_in = lstm.input_size if layer == 0 else 2 * lstm.hidden_size
                one = torch.nn.LSTM(n_in, lstm.hidden_size, batch_first=True, bias=lstm.bias)
                with torch.no_grad():
                    for name in ("weight_ih", "weight_hh") + (("bias_ih", "bias_hh") if lstm.bias else ()):
                        getattr(one, f"{name}_l0").copy_(getattr(lstm, f"{name}_l{layer}{suffix}"))
                pair.append(one.to(dtype).eval())
            self.layers.append(pair)

    def forward(self, x: torch.Tensor, lengths: torch.Tensor) -> torch.Tensor:
        """x: (B, T, n_in), each row's ``lengths[b]`` steps first; returns (B, T, 2 * hidden)."""
        rows, steps = x.shape[:2]
        step = torch.arange(steps, device=x.device).unsqueeze(0)
        last = lengths.unsqueeze(1) - 1
        # Row-major positions that reverse the first lengths[b] steps of row b and leave the
        # padding where it is (index_select of whole rows: ~20x faster than gather here).
        reverse = torch.where(step <= last, last - step, step)
        reverse = (reverse + steps * torch.arange(rows, device=x.device).unsqueeze(1)).reshape(-1)

        def reversed_rows(t: torch.Tensor) -> torch.Tensor:
            return t.reshape(rows * steps, -1).index_select(0, reverse).reshape(rows, steps, -1)

        x = x.to(self.dtype)
        for forward_lstm, backward_lstm in self.layers:
            ahead, _ = forward_lstm(x)
            back, _ = backward_lstm(reversed_rows(x))
            x = torch.cat([ahead, reversed_rows(back)], -1)
        return x.float()


class CRFFixedNamedEntityRecognizer(RNNNamedEntityRecognizer):
    """HanLP's RNN NER with two fixes and two optional features.

    1. HanLP 2.1.5 builds its CRF with ``batch_first`` unset while the tagger feeds batch-first
       tensors, so the CRF scores the wrong axis and the model learns nothing.
    2. Decoding uses the vectorised ``viterbi_decode`` (same result, much faster).
    3. ``bigram_buckets``/``bigram_dim`` in the config add hashed char-bigram embeddings.
    4. ``lexicon_dim`` adds the lexicon feature embedding (samples then carry ``lex_id``).
    5. ``style_dim`` adds the annotation-style embedding (samples then carry ``style_id``).
    6. ``rnn_layers`` stacks BiLSTM layers (HanLP builds one), with dropout ``drop`` between them.
    """

    def build_model(self, **kwargs) -> torch.nn.Module:
        model = super().build_model(**kwargs)
        if getattr(model, "crf", None) is not None:
            model.crf.batch_first = True
        buckets, dim = int(self.config.get("bigram_buckets") or 0), int(self.config.get("bigram_dim") or 0)
        if buckets and dim:
            model.embed = HashedBigramEmbedding(model.embed, buckets, dim)
        lexicon_dim = int(self.config.get("lexicon_dim") or 0)
        if lexicon_dim:
            model.embed = LexiconEmbedding(model.embed, lexicon_dim)
        style_dim = int(self.config.get("style_dim") or 0)
        if style_dim:
            model.embed = StyleEmbedding(model.embed, style_dim)
        layers = int(self.config.get("rnn_layers") or 1)
        if (buckets and dim) or lexicon_dim or style_dim or layers > 1:
            n_in = model.embed.embedding_dim
            if model.embed_to_rnn is not None:
                model.embed_to_rnn = torch.nn.Linear(n_in, model.embed_to_rnn.out_features)
                n_in = model.embed_to_rnn.out_features
            lstm = model.word_lstm
            model.word_lstm = torch.nn.LSTM(n_in, lstm.hidden_size, num_layers=layers, batch_first=True,
                                            bidirectional=True, dropout=float(self.config.get("drop", 0)) if layers > 1 else 0)
        return model

    # -- distillation: ``teacher`` (an ``OrgModel``, usually an ensemble) set before fit()
    teacher: "OrgModel | None" = None
    distill_weight: float = 1.0
    distill_temperature: float = 1.0

    def feed_batch(self, batch):
        self._batch = batch  # compute_loss() needs the inputs to ask the teacher
        return super().feed_batch(batch)

    def compute_loss(self, criterion, out, y, mask):
        """The CRF's negative log-likelihood of the gold tags, plus, with a ``teacher``, the
        KL divergence of the student's per-character tag distribution (softmax of its
        emission scores) from the teacher's, summed like the CRF loss (Hinton et al. 2015).
        A single model that learns from an ensemble's soft scores gets some of its accuracy
        at a single model's speed."""
        loss = super().compute_loss(criterion, out, y, mask)
        if self.teacher is None or not self.model.training:
            return loss
        if not getattr(self, "_teacher_checked", False):
            # the teacher reads the student's batches of ids and its scores are read per tag id
            _check_same_tagger(self, self.teacher.component)
            self._teacher_checked = True
        inputs = {key: value for key, value in self._batch.items() if key in ("token_id", "lex_id", "style_id")}
        with torch.no_grad():
            target = self.teacher._emissions(inputs)[0]  # every member, no screen
        t = self.distill_temperature
        kl = torch.nn.functional.kl_div(torch.log_softmax(out[mask] / t, -1), torch.log_softmax(target[mask] / t, -1),
                                        reduction="sum", log_target=True)
        return loss + self.distill_weight * t * t * kl

    def decode_output(self, logits, mask, batch, model=None):
        if not self.config.get("crf", False):
            return super().decode_output(logits, mask, batch, model)
        crf = (model or self.model).crf
        tags = viterbi_decode(logits, mask, crf.transitions, crf.start_transitions, crf.end_transitions)
        return [row[:n] for row, n in zip(tags.tolist(), mask.sum(1).tolist())]


# --------------------------------------------------------------------------- training


def load_config(path: str | os.PathLike, overrides: dict[str, Any] | None = None) -> dict:
    """Read the INI-style (confection / spaCy) training config into a plain dict, with
    ``overrides`` (dotted keys: ``{"training.seed": 42}``) applied."""
    from confection import Config

    if not os.path.isfile(path):
        raise FileNotFoundError(f"NER training config not found: {path}")
    config = Config().from_disk(path, interpolate=True)
    for key in overrides or {}:
        section, _, name = key.rpartition(".")
        if section not in config or name not in config[section]:
            # the config lists every setting training reads: anything else is a typo
            raise ValueError(f"{path} has no setting {key!r} to override")
    return Config().from_disk(path, interpolate=True, overrides=overrides or {}) if overrides else config


def _prepare(sents: list[Sentence], lexicon: Any = None, styles: Sequence[str] | None = None) -> list[dict[str, list]]:
    """HanLP samples; with a ``LexiconFeaturizer`` each also carries its ``lex_id`` list, with
    ``styles`` (one of ``STYLES`` per sentence) its ``style_id`` list."""
    samples = []
    for k, (chars, tags) in enumerate(sents):
        if not chars:
            continue
        text = normalize_chars("".join(chars))
        sample: dict[str, list] = {"token": list(text), "tag": tags}
        if lexicon is not None:
            sample["lex_id"] = lexicon.ids(text).tolist()
        if styles is not None:
            sample["style_id"] = [style_id(styles[k])] * len(text)
        samples.append(sample)
    return samples


def style_id(style: str) -> int:
    """The input id of an annotation style (``STYLES``)."""
    if style not in STYLES:
        raise ValueError(f"unknown annotation style {style!r}: expected one of {', '.join(STYLES)}")
    return STYLES.index(style) + 1


class TrainingData(NamedTuple):
    """The train/dev split, with the annotation style (corpus) of each sentence."""
    train: list[Sentence]
    dev: list[Sentence]
    train_styles: list[str]
    dev_styles: list[str]


def load_training_data(config: dict) -> TrainingData:
    """Train/dev split of MSRA train + CLUENER train with the config's label maps and seed."""
    paths, labels, tr = config["paths"], config["labels"], config["training"]
    keep = set(labels["keep"])
    msra_map = {k: v for k, v in MSRA_LABEL_MAP.items() if v in keep}
    cluener_map = {k: v for k, v in CLUENER_LABEL_MAP.items() if v in keep}
    data: list[Sentence] = []
    styles: list[str] = []
    for style, path, read, label_map in (("msra", paths.get("msra_train"), read_bio, msra_map),
                                         ("cluener", paths.get("cluener_train"), read_cluener, cluener_map)):
        if path:
            sentences = read(path, label_map)
            data += sentences
            styles += [style] * len(sentences)
    if not data:
        raise ValueError("no training data: set paths.msra_train and/or paths.cluener_train")
    # The split has its own seed, so that ensemble members trained with other seeds share it
    # (and its character vocabulary): then the dev split is held out from every member.
    rng = random.Random(tr.get("split_seed", tr["seed"]))
    order = list(range(len(data)))
    rng.shuffle(order)
    n_dev = max(1, int(len(data) * float(tr["dev_fraction"])))
    dev_order, train_order = order[:n_dev], order[n_dev:]
    if tr.get("max_train_sentences"):
        train_order = train_order[: int(tr["max_train_sentences"])]
    return TrainingData([data[i] for i in train_order], [data[i] for i in dev_order],
                        [styles[i] for i in train_order], [styles[i] for i in dev_order])


def train(config: dict, out_dir: str | os.PathLike | None = None, devices: Any = None,
          threads: int | None = None) -> dict:
    """Train the ORG recognizer described by ``config`` and save it (HanLP format) to out_dir.

    Returns a summary dict (dev F1, epochs, seconds, sizes).
    """
    from hanlp.utils.torch_util import set_seed

    tr, model_cfg = config["training"], config["model"]
    out_dir = str(out_dir or config["paths"]["out"])
    seed = int(tr["seed"])
    threads = threads if threads is not None else int(tr.get("threads", 1) or 0)
    if threads:
        # the build machine has 2 cores and another job needs one
        torch.set_num_threads(threads)
    set_seed(seed)
    trn, dev, trn_styles, dev_styles = load_training_data(config)
    logger.info("train %d sentences, dev %d sentences", len(trn), len(dev))
    if devices is None:
        devices = [] if not torch.cuda.is_available() else None
    lexicon_dim = int(model_cfg.get("lexicon_dim", 0) or 0)
    lexicon = None
    if lexicon_dim:
        from pipeline.lexicon import LexiconFeaturizer

        lexicon = LexiconFeaturizer()
    style_dim = int(model_cfg.get("style_dim", 0) or 0)
    if not style_dim:
        trn_styles = dev_styles = None
    rec = CRFFixedNamedEntityRecognizer()
    teacher_dirs = list(tr.get("teacher") or [])
    if teacher_dirs:
        rec.teacher = OrgModel.load(teacher_dirs if len(teacher_dirs) > 1 else teacher_dirs[0])
        for member in rec.teacher._members:
            member.model.eval()  # no dropout in the teacher
        rec.distill_weight = float(tr.get("distill_weight", 1.0))
        rec.distill_temperature = float(tr.get("distill_temperature", 1.0))
    t0 = time.time()
    rec.fit(
        _prepare(trn, lexicon, trn_styles), _prepare(dev, lexicon, dev_styles), out_dir,
        batch_size=int(tr["batch_size"]), epochs=int(tr["epochs"]), patience=int(tr["patience"]),
        lr=float(tr["lr"]), anneal_factor=float(tr.get("anneal_factor", 0.5)),
        anneal_patience=int(tr.get("anneal_patience", 1)),
        embed=int(model_cfg["embed"]), rnn_hidden=int(model_cfg["rnn_hidden"]),
        rnn_layers=int(model_cfg.get("rnn_layers", 1) or 1),
        rnn_input=model_cfg.get("rnn_input") or None, drop=float(model_cfg["drop"]),
        bigram_buckets=int(model_cfg.get("bigram_buckets", 0) or 0),
        bigram_dim=int(model_cfg.get("bigram_dim", 0) or 0),
        lexicon_dim=lexicon_dim, style_dim=style_dim,
        crf=True, tagging_scheme="BIO", token_delimiter="", seed=seed, devices=devices,
        # extra keys are stored in config.json and read back by OrgModel
        newsie_normalization=NORMALIZATION_ID, newsie_labels=list(config["labels"]["keep"]),
        newsie_styles=list(STYLES),
    )
    seconds = time.time() - t0
    if tr.get("store_half"):
        store_half_precision(out_dir)
    # re-evaluate the reloaded best weights on dev with our own span scorer
    model = OrgModel.load(out_dir)
    dev_texts = ["".join(c) for c, _ in dev]
    if style_dim:  # each dev sentence in its corpus' style
        pred = [[] for _ in dev]
        for style in STYLES:
            rows = [k for k, s in enumerate(dev_styles) if s == style]
            for k, spans in zip(rows, model.predict([dev_texts[k] for k in rows], labels=("ORG",), style=style)):
                pred[k] = spans
    else:
        pred = model.predict(dev_texts, labels=("ORG",))
    scores = span_f1([bio_to_spans(t) for _, t in dev], pred, labels=("ORG",))
    size = sum(p.stat().st_size for p in Path(out_dir).iterdir() if p.is_file())
    return {"dev_org": scores, "train_seconds": seconds, "train_sentences": len(trn),
            "dev_sentences": len(dev), "out": out_dir, "size_bytes": size}


def store_half_precision(save_dir: str | os.PathLike) -> None:
    """Store a saved model's float weights as float16: half the size on disk (the bigram table
    is most of it). Loading is unchanged: HanLP builds the float32 model and ``load_state_dict``
    copies the weights in. The rounding moved the shipped model's F1 by under 0.3 point on dev,
    MSRA test and CLUENER dev, less than the bf16 LSTM it runs in (docs/ner.md)."""
    path = Path(save_dir) / "model.pt"
    state = torch.load(path, map_location="cpu")
    torch.save({k: v.half() if v.is_floating_point() else v for k, v in state.items()}, path)


def run_train(args: argparse.Namespace) -> int:
    """``newsie train ner`` (arguments: pipeline/cli.py)."""
    from pipeline.settings import parse_overrides

    logging.basicConfig(level=logging.INFO)

    config = load_config(args.config, parse_overrides(getattr(args, "set", [])))
    config = json.loads(json.dumps(config))  # plain, mutable dicts
    if getattr(args, "msra_train", None):
        config["paths"]["msra_train"] = args.msra_train
    if getattr(args, "cluener_train", None):
        config["paths"]["cluener_train"] = args.cluener_train
    if getattr(args, "out", None):
        config["paths"]["out"] = args.out
    if getattr(args, "epochs", None):
        config["training"]["epochs"] = args.epochs
    for key in ("msra_train", "cluener_train"):
        p = config["paths"].get(key)
        if p and not os.path.isfile(p):
            raise FileNotFoundError(f"training corpus not found: {p} (paths.{key})")
    devices = [] if getattr(args, "device", "cpu") == "cpu" else None
    summary = train(config, devices=devices, threads=getattr(args, "threads", None))
    print(json.dumps(summary, ensure_ascii=False, indent=2))
    return 0


# --------------------------------------------------------------------------- inference
_SENT_END = re.compile(r"[。！？；!?;\n]+")
_SOFT_BREAK = "，、,：:） )"


def split_chunks(text: str, max_len: int = 150) -> list[tuple[int, int]]:
    """Sentence-sized (start, end) chunks covering ``text``, each at most max_len chars.

    Sentences end at 。！？；\\n; longer ones are cut after the last comma-like char inside the
    window (or hard-cut) so that entities are rarely split.
    """
    chunks: list[tuple[int, int]] = []
    pos = 0
    n = len(text)
    for m in _SENT_END.finditer(text):
        _add_sentence(text, pos, m.end(), max_len, chunks)
        pos = m.end()
    if pos < n:
        _add_sentence(text, pos, n, max_len, chunks)
    return chunks


def _add_sentence(text: str, start: int, end: int, max_len: int, out: list[tuple[int, int]]) -> None:
    while end - start > max_len:
        cut = -1
        lo = start + max_len // 2
        for j in range(start + max_len - 1, lo - 1, -1):
            if text[j] in _SOFT_BREAK:
                cut = j + 1
                break
        if cut < 0:
            cut = start + max_len
        out.append((start, cut))
        start = cut
    if end > start:
        out.append((start, end))


SHAPE_STEP = 8  # batch widths are multiples of this (see OrgModel._predict_fast)
# Characters of one LSTM batch. On one CPU core small batches are faster per character (the
# working set stays in cache): news text, 2-layer model, bf16, 32 documents per call: 7.75
# µs/char at 32,768, 5.5 at 4,096, 6.0 at 2,048 (docs/ner.md). A GPU wants large batches.
CPU_BATCH_CHARS = 4096
GPU_BATCH_CHARS = 32768
# An ensemble's first member screens every chunk; the others tag only the chunks where it gives
# some character a posterior probability above this of being inside a wanted entity (OrgModel).
# At 0.001 the shipped ensemble scored the same on dev, MSRA test and CLUENER dev as without the
# screen, and the other members ran on half the chunks (docs/ner.md).
SCREEN_THRESHOLD = 0.001


def bucket_rows(count: int) -> int:
    """The least of 1, 2, 3, 4, 6, 8, 12, 16, 24, ... (2**k and 3 * 2**k) that holds ``count``
    rows: two sizes per doubling, so at most a third of a batch is padding."""
    if count <= 2:
        return count
    power = 1 << (count - 1).bit_length()
    return power * 3 // 4 if count <= power * 3 // 4 else power


def bucket_rows_within(limit: int) -> int:
    """The greatest of the ``bucket_rows`` sizes that is at most ``limit`` (at least 1)."""
    if limit <= 2:
        return max(1, limit)
    power = 1 << (limit.bit_length() - 1)
    return power * 3 // 2 if power * 3 // 2 <= limit else power


class OrgModel:
    """ORG recognizer over raw text with exact character offsets.

    ``OrgModel.load(source)``: a local HanLP save dir (config.json, vocabs.json, model.pt), or a
    HanLP pretrained identifier / URL resolved via ``hanlp.load`` and HANLP_HOME; or a list of
    save dirs of our tagger, which then tag as one ensemble.

    Ensemble: the members' emission scores and CRF transition scores are averaged and decoded
    once. Averaging log-potentials is decoding the normalised product of the members' CRFs
    (a product of experts), which needs the members to share their character and tag
    vocabularies, as models trained on the same data do. The first member screens: a chunk in
    which it gives no character a probability above ``screen_threshold`` of being inside a
    wanted entity has none, and only the other chunks go through the other members (a cascade:
    most sentences name no organisation, and a model is rarely unsure there). List the cheapest
    member first.
    """

    def __init__(self, component: Any, label_map: dict[str, str] | None = None,
                 max_chunk: int = 150, batch_chars: int | None = None, precision: str = "auto",
                 members: Sequence[Any] = (), style: str | None = None,
                 screen_threshold: float = SCREEN_THRESHOLD) -> None:
        """``precision``: of the LSTM at prediction time, ``"fp32"``, ``"bf16"`` or ``"auto"``
        (bf16 on CPUs with native bf16; it changed no MSRA or CLUENER span of the shipped model
        by more than 0.1 F1 point, docs/ner.md). ``members``: more components of our tagger
        that tag together with ``component`` (see the class docstring). ``batch_chars``: the
        characters (padding included) of one LSTM batch; None: ``CPU_BATCH_CHARS`` on a CPU,
        ``GPU_BATCH_CHARS`` on a GPU. ``style``: the annotation style (``STYLES``) that models
        trained with the style feature follow unless ``predict`` is told otherwise; None: the
        first, MSRA's (news articles). ``screen_threshold``: of an ensemble's first member
        (see the class docstring); 0 sends every chunk through every member."""
        self.component = component
        cfg = getattr(component, "config", {}) or {}
        self.normalize = cfg.get("newsie_normalization") == NORMALIZATION_ID
        self.label_map = label_map if label_map is not None else (
            {l: l for l in cfg.get("newsie_labels", ["ORG"])} if self.normalize else PRETRAINED_LABEL_MAP)
        self.max_chunk = max_chunk
        self.batch_chars = batch_chars if batch_chars is not None else CPU_BATCH_CHARS
        # Fast path: our own RNN+CRF; anything else goes through the component's predict().
        self._fast = isinstance(component, RNNNamedEntityRecognizer) and bool(cfg.get("crf"))
        if self._fast:
            vocab = component.vocabs[cfg.get("token_key", "token")]
            self._tok2id = vocab.token_to_idx
            self._unk = vocab.unk_idx
            self._id2tag = list(component.vocabs["tag"].idx_to_token)
            self._char_ids = char_id_table(self._tok2id, self._unk, self.normalize)
            device = next(component.model.parameters()).device
            if batch_chars is None and device.type != "cpu":
                self.batch_chars = GPU_BATCH_CHARS
            # bf16 is chosen for CPUs that run it natively; on a GPU the fp32 LSTM is fast already
            dtype = resolve_precision(precision) if device.type == "cpu" or precision != "auto" else torch.float32
            self._members = [component, *members]
            for member in members:
                _check_same_tagger(component, member)
            self._encoders = [PaddedBiLSTM(m.model.word_lstm, dtype).to(device) for m in self._members]
            crfs = [m.model.crf for m in self._members]
            # the averaged transition scores (a member's own when it is alone)
            self._transitions = [torch.stack([getattr(crf, name).detach() for crf in crfs]).mean(0)
                                 for name in ("transitions", "start_transitions", "end_transitions")]
            self._screen_transitions = [getattr(crfs[0], name).detach().float()
                                        for name in ("transitions", "start_transitions", "end_transitions")]
            if not 0 <= screen_threshold < 1:
                raise ValueError(f"screen_threshold must be in [0, 1), not {screen_threshold}")
            self.screen_threshold = screen_threshold
        elif members:
            raise ValueError("only models trained by newsie (BiLSTM-CRF) can form an ensemble")
        # the input features any member reads (members may differ in them)
        configs = [getattr(m, "config", {}) or {} for m in (component, *members)]
        self._lexicon = None
        if any(c.get("lexicon_dim") for c in configs):
            from pipeline.lexicon import LexiconFeaturizer

            self._lexicon = LexiconFeaturizer()
        self._reads_style = any(c.get("style_dim") for c in configs)
        for c in configs:
            if c.get("style_dim") and tuple(c.get("newsie_styles", ())) != STYLES:
                raise ValueError(f"the model's annotation styles {c.get('newsie_styles')} are not "
                                 f"this version's {list(STYLES)}")
        self.style = style or STYLES[0]
        style_id(self.style)  # a ValueError now rather than at the first predict()

    @property
    def reads_style(self) -> bool:
        """Whether predict() follows an annotation style (a member has the style feature)."""
        return self._reads_style

    @property
    def reads_words(self) -> bool:
        """Whether predict() uses the caller's segmentation (the lexicon feature needs one)."""
        return self._lexicon is not None

    @classmethod
    def load(cls, source: str | os.PathLike | Sequence[str | os.PathLike], label_map: dict[str, str] | None = None,
             **kwargs: Any) -> "OrgModel":
        """One model (a save dir, or a HanLP identifier / URL), or a list of save dirs: an ensemble."""
        if not isinstance(source, (str, os.PathLike)):
            sources = list(source)
            if not sources:
                raise ValueError("no ORG model given: the list of models is empty")
            first, *rest = [cls._load_component(s) for s in sources]
            return cls(first, label_map=label_map, members=rest, **kwargs)
        return cls(cls._load_component(source), label_map=label_map, **kwargs)

    @staticmethod
    def _load_component(source: str | os.PathLike) -> Any:
        import hanlp

        source = str(source)
        local = source
        if _is_remote(source):
            # resolve against HANLP_HOME *now* (hanlp's default is frozen at import time);
            # a cached copy is used as is, otherwise hanlp downloads it.
            from hanlp.utils.io_util import get_resource, hanlp_home
            import hanlp.pretrained  # noqa: F401  (fills hanlp.pretrained.ALL)

            local = get_resource(hanlp.pretrained.ALL.get(source, source), save_dir=hanlp_home())
        elif not os.path.exists(source):
            raise FileNotFoundError(
                f"ORG model not found: {source!r} is neither an existing directory nor a HanLP "
                "pretrained identifier/URL")
        elif os.path.isdir(source):
            for name in ("config.json", "vocabs.json", "model.pt"):
                if not os.path.isfile(os.path.join(source, name)):
                    raise FileNotFoundError(f"ORG model directory {source!r} lacks {name}")
        return hanlp.load(local, verbose=False, devices=-1 if not torch.cuda.is_available() else None)

    # -- prediction ---------------------------------------------------------------------
    @torch.inference_mode()
    def predict(self, texts: list[str], labels: Sequence[str] = ("ORG",),
                words: list[list[str]] | None = None, style: str | None = None) -> list[list[Span]]:
        """Entities per text as (start, end_exclusive, label), labels mapped, sorted by start.

        ``words``: each text already segmented (the words join to the text). A model with
        lexicon features then uses that segmentation instead of running jieba again.
        ``style``: the annotation style to follow (``STYLES``; default ``self.style``), for
        models trained with the style feature; others ignore it.
        """
        if isinstance(texts, str):
            raise TypeError("predict() takes a list of texts")
        keep = set(labels)
        results: list[list[Span]] = [[] for _ in texts]
        pieces: list[tuple[int, int, str]] = []  # (text index, offset, chunk text)
        for ti, text in enumerate(texts):
            for s, e in split_chunks(text, self.max_chunk):
                chunk = text[s:e]
                if chunk.strip():
                    pieces.append((ti, s, chunk))
        if not pieces:
            return results
        order = sorted(range(len(pieces)), key=lambda i: -len(pieces[i][2]))
        if self._fast:
            lex_ids = None
            if self._lexicon is not None and words is not None:
                lex_ids = [self._lexicon.ids_of_words(w) for w in words]
                for ti, (text, ids) in enumerate(zip(texts, lex_ids)):
                    if len(ids) != len(text):
                        raise ValueError(f"the words of text {ti} do not join to the text")
            elif self._lexicon is not None:
                # one jieba call per text, not per chunk: jieba's cost per call is high
                lex_ids = [self._lexicon.ids(normalize_chars(t) if self.normalize else t) for t in texts]
            char_ids = [self._char_ids[code_points(t)] for t in texts]
            kept_tags = [i for i, tag in enumerate(self._id2tag) if self.label_map.get(tag[2:]) in keep]
            style_ids = style_id(style or self.style) if self._reads_style else None
            spans_per_piece = self._predict_fast(
                [(pieces[i][0], pieces[i][1], len(pieces[i][2])) for i in order], char_ids, lex_ids, kept_tags,
                style_ids)
        else:
            spans_per_piece = self._predict_component([pieces[i][2] for i in order])
        for i, spans in zip(order, spans_per_piece):
            ti, off, _ = pieces[i]
            text = texts[ti]
            for s, e, lab in spans:
                lab = self.label_map.get(lab)
                if lab not in keep:
                    continue
                s, e = off + s, off + e
                while s < e and text[s].isspace():  # never start/end an entity on whitespace
                    s += 1
                while e > s and text[e - 1].isspace():
                    e -= 1
                if e > s:
                    results[ti].append((s, e, lab))
        for r in results:
            r.sort()
        return results

    def _predict_fast(self, chunks: list[tuple[int, int, int]], char_ids: list[np.ndarray],
                      lex_ids: list[np.ndarray] | None, kept_tags: list[int],
                      style: int | None = None) -> list[list[Span]]:
        """Spans of the tags in ``kept_tags`` per chunk; batches of ~batch_chars characters.

        ``chunks``: (text index, offset, length), longest first; ``char_ids`` / ``lex_ids``:
        each text's vocabulary and lexicon feature ids (``lex_ids`` None when no member reads
        them); ``style``: the annotation style's id (None when no member reads it)."""
        for member in self._members:
            member.model.eval()
        out: list[list[Span]] = []
        undecoded: list[tuple[torch.Tensor, torch.Tensor, list[int]]] = []
        i = 0
        while i < len(chunks):
            # Batch shapes come from a small set (widths in steps of SHAPE_STEP, row counts
            # from bucket_rows), padding included: oneDNN keeps a compiled kernel per input
            # shape, and with every shape a new one, memory grew with the length of a run
            # (+24% from a 10 MB to a 100 MB corpus). Padding rows and columns changes no result.
            width = -(-chunks[i][2] // SHAPE_STEP) * SHAPE_STEP
            # A full batch takes a row count that is a bucket size itself, so only the last
            # batch of a call pads rows (rounding 26 rows up to 32 cost 19% more LSTM work).
            j = min(len(chunks), i + bucket_rows_within(self.batch_chars // width))
            batch = chunks[i:j]
            rows = bucket_rows(len(batch))
            ids = torch.zeros(rows, width, dtype=torch.long)
            lex = torch.zeros(rows, width, dtype=torch.long) if lex_ids is not None else None
            for r, (text_index, start, length) in enumerate(batch):
                ids[r, :length] = torch.from_numpy(char_ids[text_index][start:start + length])
                if lex is not None:
                    lex[r, :length] = torch.from_numpy(lex_ids[text_index][start:start + length])
            # padding positions need no particular style: the LSTM never reads them into a real one
            inputs = {"token_id": ids, "lex_id": lex,
                      "style_id": torch.full_like(ids, style) if style is not None else None}
            if self.component.device:
                inputs = {k: v.to(self.component.device) for k, v in inputs.items() if v is not None}
            logits, mask, ruled_out = self._emissions(inputs, screen_tags=kept_tags)
            if undecoded and width * 2 <= undecoded[0][0].shape[1]:
                out += self._decode(undecoded, kept_tags)
                undecoded = []
            undecoded.append((logits[:len(batch)], mask[:len(batch)], [length for _, _, length in batch],
                              ruled_out[:len(batch)].tolist() if ruled_out is not None else [False] * len(batch)))
            i = j
        return out + self._decode(undecoded, kept_tags) if undecoded else out

    def _decode(self, batches: list[tuple[torch.Tensor, torch.Tensor, list[int], list[bool]]],
                kept_tags: list[int]) -> list[list[Span]]:
        """Spans of several LSTM batches' (emissions, mask, lengths, ruled out), decoded as one
        batch; rows the screen ruled out have none and are not decoded.

        Viterbi's cost is a few tensor operations per time step whatever the rows, so batches
        of similar widths (``_predict_fast`` joins them until the width halves) are decoded
        together, padded to the widest: on one CPU core this halved the decoder's time."""
        width = batches[0][0].shape[1]
        lengths = [n for _, _, row_lengths, _ in batches for n in row_lengths]
        rows = [r for r, ruled_out in enumerate(flag for *_, flags in batches for flag in flags) if not ruled_out]
        out: list[list[Span]] = [[] for _ in lengths]
        if not rows:
            return out
        logits = torch.cat([torch.nn.functional.pad(e, (0, 0, 0, width - e.shape[1])) for e, *_ in batches])
        mask = torch.cat([torch.nn.functional.pad(m, (0, width - m.shape[1])) for _, m, *_ in batches])
        if len(rows) < len(lengths):
            logits, mask = logits[rows], mask[rows]
        tags = viterbi_decode(logits, mask, *self._transitions)
        for r, spans in zip(rows, spans_of_tag_ids(tags.cpu(), [lengths[r] for r in rows], self._id2tag, kept_tags)):
            out[r] = spans
        return out

    def _emissions(self, inputs: dict, screen_tags: Sequence[int] | None = None,
                   ) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor | None]:
        """(emission scores averaged over the members, mask, rows ruled out or None).

        With ``screen_tags`` (tag ids), an ensemble screens the rows with its first member
        (class docstring): the rows it rules out keep that member's scores alone and are
        flagged in the third value. Without, every member scores every row."""
        ids = inputs["token_id"]
        mask = ids.gt(0)
        lengths = mask.sum(1)
        total = self._member_emissions(0, inputs, mask, lengths)
        if len(self._members) == 1:
            return total, mask, None
        ruled_out = None
        if screen_tags is not None and self.screen_threshold > 0:
            ruled_out = self._ruled_out(total, mask, screen_tags) & lengths.gt(0)
        if ruled_out is None or not ruled_out.any():
            for k in range(1, len(self._members)):
                total = total + self._member_emissions(k, inputs, mask, lengths)
            return total / len(self._members), mask, ruled_out
        passed = (~ruled_out & lengths.gt(0)).nonzero().squeeze(1)
        if len(passed):
            # the rows passed on, as a batch padded to a bucket size like every LSTM batch
            # (_predict_fast): padding rows have length 0
            picked = torch.cat([passed, passed.new_zeros(bucket_rows(len(passed)) - len(passed))])
            sub = {key: value[picked] for key, value in inputs.items() if value is not None}
            sub["token_id"][len(passed):] = 0
            sub_mask, sub_lengths = mask[picked], lengths[picked]
            sub_mask[len(passed):] = False
            sub_lengths[len(passed):] = 0
            summed = total[passed]
            for k in range(1, len(self._members)):
                summed = summed + self._member_emissions(k, sub, sub_mask, sub_lengths)[:len(passed)]
            total = total.clone()
            total[passed] = summed / len(self._members)
        return total, mask, ruled_out

    def _ruled_out(self, scores: torch.Tensor, mask: torch.Tensor, tags: Sequence[int]) -> torch.Tensor:
        """Rows in which no character is inside an entity of ``tags`` with a probability above
        ``screen_threshold``, by the CRF of the first member (its own transitions)."""
        marginals = crf_marginals(scores.float(), mask, *self._screen_transitions)
        inside = marginals[:, :, list(tags)].sum(-1).masked_fill(~mask, 0)
        return inside.amax(1) <= self.screen_threshold

    def _member_emissions(self, k: int, inputs: dict, mask: torch.Tensor, lengths: torch.Tensor) -> torch.Tensor:
        """HanLP's ``RNNTaggingModel.forward`` at inference (no dropout) for member ``k``, with
        the LSTM run by ``PaddedBiLSTM`` instead of over packed sequences."""
        model = self._members[k].model
        ids = inputs["token_id"]
        x = model.embed(ids) if isinstance(model.embed, torch.nn.Embedding) else model.embed(inputs, mask=mask)
        if model.embed_to_rnn is not None:
            x = model.embed_to_rnn(x)
        return model.out(self._encoders[k](x, lengths))

    def _predict_component(self, chunks: list[str]) -> list[list[Span]]:
        """Generic route for pretrained HanLP NER components (char-level token lists)."""
        toks = [[WHITESPACE_PLACEHOLDER if ch.isspace() else ch for ch in c] for c in chunks]
        preds = self.component.predict(toks)
        out: list[list[Span]] = []
        for ents in preds:
            spans = []
            for ent in ents:
                # HanLP NER output: (surface, label, begin, end_exclusive) in token offsets
                _, lab, b, e = ent[:4]
                spans.append((int(b), int(e), str(lab)))
            out.append(spans)
        return out


def _check_same_tagger(first: Any, other: Any) -> None:
    """Raise a ValueError unless ``other`` can tag in an ensemble with ``first``."""
    if not (isinstance(other, RNNNamedEntityRecognizer) and other.config.get("crf")):
        raise ValueError("only models trained by newsie (BiLSTM-CRF) can form an ensemble")
    token_key = first.config.get("token_key", "token")  # the vocabulary OrgModel reads
    for what, a, b in (
            ("character vocabulary", first.vocabs[token_key].token_to_idx,
             other.vocabs[other.config.get("token_key", "token")].token_to_idx),
            ("tags", list(first.vocabs["tag"].idx_to_token), list(other.vocabs["tag"].idx_to_token)),
            ("normalisation", first.config.get("newsie_normalization"), other.config.get("newsie_normalization"))):
        if a != b:
            raise ValueError(f"the models differ in their {what}: ensemble members and a teacher "
                             "must be trained on the same data")


def _is_remote(source: str) -> bool:
    if source.startswith(("http://", "https://")):
        return True
    if os.path.exists(source):
        return False
    try:
        import hanlp.pretrained

        return source in hanlp.pretrained.ALL
    except Exception:  # pragma: no cover
        return False


if __name__ == "__main__":  # python -m pipeline.org_model --config configs/ner.cfg = newsie train ner ...
    # Through the command line, which imports this file as pipeline.org_model: HanLP stores the
    # class path in config.json, and "__main__.CRFFixedNamedEntityRecognizer" could not be loaded.
    import sys

    from pipeline.cli import main

    raise SystemExit(main(["train", "ner", *sys.argv[1:]]))
