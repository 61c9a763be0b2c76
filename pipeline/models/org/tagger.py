"""The ORG tagger at prediction time: ``OrgModel`` loads one saved HanLP model (ours, or a
pretrained one through ``hanlp.load`` and HANLP_HOME) or an ensemble of ours, cuts texts into
sentence-sized chunks, batches them, and returns exact character offsets."""
from __future__ import annotations

import json
import os
import re
from typing import Any, Sequence

import numpy as np
import torch
from hanlp.components.ner.rnn_ner import RNNNamedEntityRecognizer

from pipeline.models.org.data import (NORMALIZATION_ID, PRETRAINED_LABEL_MAP, STYLES, WHITESPACE_PLACEHOLDER, Span,
                                      char_id_table, code_points, normalize_chars, style_id)
from pipeline.models.org.decoding import crf_marginals, spans_of_tag_ids, viterbi_decode
from pipeline.models.org.network import (CRFFixedNamedEntityRecognizer, PaddedBiLSTM, check_same_tagger,
                                         embedding_parts, resolve_precision)

# A forked child (spaCy's nlp.pipe(n_process=N) forks on Linux) cannot use the OpenMP thread
# pool of a parent that has run torch: its first parallel op waits forever. One thread per
# child, as newsie run --workers gives each of its (spawned) workers: the processes are the
# parallelism.
os.register_at_fork(after_in_child=lambda: torch.set_num_threads(1))

# The class path HanLP stores in a save dir's config.json for models newsie trains: today's and
# that of versions before the package layout of docs/architecture.md.
NEWSIE_TAGGER_CLASSPATHS = (
    f"{CRFFixedNamedEntityRecognizer.__module__}.{CRFFixedNamedEntityRecognizer.__qualname__}",
    "pipeline.org_model.CRFFixedNamedEntityRecognizer",
)

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
SCREEN_THRESHOLD = 0.03
# A chunk the screen passes goes on through the members in turn until the average of those
# that have scored it is sure of it: every character, with a probability of at least 1 - this,
# outside the wanted entities or in one given tag of them (OrgModel._emissions).
# With these two the shipped ensemble tagged news twice as fast as with the screen at 0.001
# alone (the second member saw 17% of the characters, the third 13%, instead of 61% each), and
# scored within 0.2 F1 point of it on MSRA test, CLUENER dev and the CFSC dev set (docs/ner.md).
SETTLE_THRESHOLD = 0.01


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
    member first. Past the screen, a chunk goes on to the next member only while the members
    that have scored it are unsure of some character (``settle_threshold``): most chunks that
    name an organisation name it plainly, and the first one or two members settle them.
    """

    def __init__(self, component: Any, label_map: dict[str, str] | None = None,
                 max_chunk: int = 150, batch_chars: int | None = None, precision: str = "auto",
                 members: Sequence[Any] = (), style: str | None = None,
                 screen_threshold: float = SCREEN_THRESHOLD, settle_threshold: float = SETTLE_THRESHOLD) -> None:
        """``precision``: of the LSTM at prediction time, ``"fp32"``, ``"bf16"`` or ``"auto"``
        (bf16 on CPUs with native bf16; it changed no MSRA or CLUENER span of the shipped model
        by more than 0.1 F1 point, docs/ner.md). ``members``: more components of our tagger
        that tag together with ``component`` (see the class docstring). ``batch_chars``: the
        characters (padding included) of one LSTM batch; None: ``CPU_BATCH_CHARS`` on a CPU,
        ``GPU_BATCH_CHARS`` on a GPU. ``style``: the annotation style (``STYLES``) that models
        trained with the style feature follow unless ``predict`` is told otherwise; None: the
        first, MSRA's (news articles). ``screen_threshold``: of an ensemble's first member
        (see the class docstring); 0 rules out no chunk. ``settle_threshold``: of the cascade
        (class docstring); 0: a chunk the screen passes goes through every member. Both 0: every
        chunk goes through every member."""
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
            device = self._device = next(component.model.parameters()).device
            if batch_chars is None and device.type != "cpu":
                self.batch_chars = GPU_BATCH_CHARS
            # bf16 is chosen for CPUs that run it natively; on a GPU the fp32 LSTM is fast already
            dtype = resolve_precision(precision) if device.type == "cpu" or precision != "auto" else torch.float32
            self._members = [component, *members]
            for member in members:
                check_same_tagger(component, member)
            self._encoders = [PaddedBiLSTM(m.model.word_lstm, dtype).to(device) for m in self._members]
            for m in self._members:
                # The trained (packed) LSTM is never run here: PaddedBiLSTM holds its weights.
                m.model.word_lstm = None
                if m.model.embed_to_rnn is None:
                    # The LSTM reads the embeddings in its dtype: stored so, they give it the same
                    # input at half the memory (bf16) and half the bytes to gather.
                    m.model.embed.to(dtype)
            crfs = [m.model.crf for m in self._members]
            # the averaged transition scores (a member's own when it is alone)
            self._transitions = [torch.stack([getattr(crf, name).detach() for crf in crfs]).mean(0)
                                 for name in ("transitions", "start_transitions", "end_transitions")]
            # of the first k + 1 members, the cascade's (_emissions)
            self._prefix_transitions = [
                [torch.stack([getattr(crf, name).detach().float() for crf in crfs[:k + 1]]).mean(0)
                 for name in ("transitions", "start_transitions", "end_transitions")] for k in range(len(crfs))]
            for name, value in (("screen_threshold", screen_threshold), ("settle_threshold", settle_threshold)):
                if not 0 <= value < 1:
                    raise ValueError(f"{name} must be in [0, 1), not {value}")
            self.screen_threshold = screen_threshold
            self.settle_threshold = settle_threshold
        elif members:
            raise ValueError("only models trained by newsie (BiLSTM-CRF) can form an ensemble")
        # the input features any member reads (members may differ in them)
        configs = [getattr(m, "config", {}) or {} for m in (component, *members)]
        self._lexicon = None
        if any(c.get("lexicon_dim") for c in configs):
            from pipeline.text.lexicon import LexiconFeaturizer

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
        devices = -1 if not torch.cuda.is_available() else None
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
            with open(os.path.join(source, "config.json"), encoding="utf-8") as config:
                classpath = json.load(config).get("classpath", "")
            if classpath in NEWSIE_TAGGER_CLASSPATHS:
                # Loaded by our class whatever module path the save dir names, so that models saved
                # before the package layout changed still load.
                component = CRFFixedNamedEntityRecognizer()
                component.load(source, verbose=False, devices=devices)
                component.config["load_path"] = source
                return component
        return hanlp.load(local, verbose=False, devices=devices)

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
            lengths = [length for *_, length in batch]
            # the positions each row fills; rows of length 0 pad the batch to a bucket size
            filled = np.arange(width) < np.array(lengths + [0] * (bucket_rows(len(batch)) - len(batch)))[:, None]
            inputs = {"token_id": torch.from_numpy(_padded_ids(char_ids, batch, filled)).to(self._device)}
            if lex_ids is not None:
                inputs["lex_id"] = torch.from_numpy(_padded_ids(lex_ids, batch, filled)).to(self._device)
            if style is not None:
                # padding positions need no particular style: the LSTM never reads them into a real one
                inputs["style_id"] = torch.full_like(inputs["token_id"], style)
            logits, mask, ruled_out = self._emissions(inputs, screen_tags=kept_tags)
            if undecoded and width * 2 <= undecoded[0][0].shape[1]:
                out += self._decode(undecoded, kept_tags)
                undecoded = []
            undecoded.append((logits[:len(batch)], mask[:len(batch)], lengths,
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

        With ``screen_tags`` (tag ids), an ensemble cascades (class docstring): the rows the
        first member rules out keep its scores alone and are flagged in the third value, and a
        row settled by the first k members keeps their average. Without, every member scores
        every row."""
        ids = inputs["token_id"]
        mask = ids.gt(0)
        lengths = mask.sum(1)
        total = self._member_emissions(0, inputs, mask, lengths)
        if len(self._members) == 1:
            return total, mask, None
        if screen_tags is None or not (self.screen_threshold > 0 or self.settle_threshold > 0):
            for k in range(1, len(self._members)):
                total = total + self._member_emissions(k, inputs, mask, lengths)
            return total / len(self._members), mask, None
        marginals = crf_marginals(total.float(), mask, *self._prefix_transitions[0])
        inside = marginals[:, :, list(screen_tags)].sum(-1).masked_fill(~mask, 0)
        ruled_out = (inside.amax(1) <= self.screen_threshold) & lengths.gt(0) & (self.screen_threshold > 0)
        active = lengths.gt(0) & ~ruled_out & ~self._settled(marginals, mask, screen_tags)
        members = torch.ones(len(ids), device=total.device)  # how many members scored each row
        for k in range(1, len(self._members)):
            rows = active.nonzero().squeeze(1)
            if not len(rows):
                break
            # the rows still open, as a batch padded to a bucket size like every LSTM batch
            # (_predict_fast): padding rows have length 0
            picked = torch.cat([rows, rows.new_zeros(bucket_rows(len(rows)) - len(rows))])
            sub = {key: value[picked] for key, value in inputs.items() if value is not None}
            sub["token_id"][len(rows):] = 0
            sub_mask, sub_lengths = mask[picked], lengths[picked]
            sub_mask[len(rows):] = False
            sub_lengths[len(rows):] = 0
            summed = total[rows] + self._member_emissions(k, sub, sub_mask, sub_lengths)[:len(rows)]
            total = total.index_put((rows,), summed)
            members[rows] = k + 1
            if k + 1 < len(self._members) and self.settle_threshold > 0:
                marginals = crf_marginals(summed.float() / (k + 1), sub_mask[:len(rows)], *self._prefix_transitions[k])
                active[rows[self._settled(marginals, sub_mask[:len(rows)], screen_tags)]] = False
        return total / members[:, None, None], mask, ruled_out

    def _settled(self, marginals: torch.Tensor, mask: torch.Tensor, tags: Sequence[int]) -> torch.Tensor:
        """Rows in which every character is, with a probability of at least 1 - settle_threshold,
        either outside the entities of ``tags`` or in one given tag of them (by ``marginals``)."""
        if not self.settle_threshold > 0:
            return torch.zeros(len(mask), dtype=torch.bool, device=mask.device)
        kept = marginals[:, :, list(tags)]
        # the probability of each character's likeliest class: outside, or one of the tags
        sure = torch.maximum(1 - kept.sum(-1), kept.amax(-1))
        return sure.masked_fill(~mask, 1).amin(1) >= 1 - self.settle_threshold

    def _member_emissions(self, k: int, inputs: dict, mask: torch.Tensor, lengths: torch.Tensor) -> torch.Tensor:
        """HanLP's ``RNNTaggingModel.forward`` at inference (no dropout) for member ``k``, with
        the LSTM run by ``PaddedBiLSTM`` instead of over packed sequences."""
        model = self._members[k].model
        if hasattr(model.embed, "parts") or isinstance(model.embed, torch.nn.Embedding):
            x = torch.cat(embedding_parts(model.embed, inputs), -1)
        else:  # HanLP's own
            x = model.embed(inputs, mask=mask)
        if model.embed_to_rnn is not None:
            x = model.embed_to_rnn(x)
        hidden = self._encoders[k](x, lengths)
        # the output layer on a 2-d view: same product, a quarter faster than on the 3-d tensor
        return model.out(hidden.reshape(-1, hidden.shape[-1])).reshape(*hidden.shape[:-1], -1)

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


def _padded_ids(ids_per_text: list[np.ndarray], chunks: list[tuple[int, int, int]], filled: np.ndarray) -> np.ndarray:
    """A batch of ids: row r holds those of chunk r ((text index, offset, length)) where
    ``filled`` is true, 0 after. Put in place in one step: torch's per-row copies cost as much
    as the decoder."""
    ids = np.zeros(filled.shape, np.int64)
    ids[filled] = np.concatenate([ids_per_text[text][start:start + length] for text, start, length in chunks])
    return ids


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
