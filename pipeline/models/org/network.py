"""The ORG tagger's network: HanLP's BiLSTM-CRF tagger with its CRF bug fixed and newsie's
input features (hashed char bigrams, the lexicon, the annotation style), and the padded
BiLSTM that runs it at inference."""
from __future__ import annotations

import os
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, Iterator

import torch
from hanlp.components.ner.rnn_ner import RNNNamedEntityRecognizer

from pipeline.models.org.data import STYLES
from pipeline.models.org.decoding import viterbi_decode

if TYPE_CHECKING:
    from pipeline.models.org.tagger import OrgModel


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
        return torch.cat(self.parts(batch), -1)

    def parts(self, batch: dict) -> list[torch.Tensor]:
        """The embeddings ``forward`` concatenates (see ``embedding_parts``)."""
        x = batch["token_id"]  # (B, T) char ids, 0 = padding
        pad = torch.zeros_like(x[:, :1])
        left = torch.cat([pad, x[:, :-1]], 1)  # previous char (0 at sentence start)
        right = torch.cat([x[:, 1:], pad], 1)  # next char (padding id 0 after the last char)
        lid = (left * 1000003 + x) % self.buckets
        rid = (x * 1000003 + right) % self.buckets
        return [self.char(x), self.bigram(lid), self.bigram(rid)]


def embedding_parts(embed: torch.nn.Module, batch: dict) -> list[torch.Tensor]:
    """The embeddings whose concatenation is the output of ``embed`` (one of ours wrapping
    others, or a plain one, which reads the char ids). Concatenated once, not once per
    wrapper: each concatenation copies the whole batch."""
    return [embed(batch["token_id"])] if isinstance(embed, torch.nn.Embedding) else embed.parts(batch)


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
        return torch.cat(self.parts(batch), -1)

    def parts(self, batch: dict) -> list[torch.Tensor]:
        """The embeddings ``forward`` concatenates (see ``embedding_parts``)."""
        return [*embedding_parts(self.inner, batch), self.style(batch["style_id"])]


class LexiconEmbedding(torch.nn.Module):
    """Another embedding module's output concatenated with a lexicon feature embedding.

    The ids come in the batch as ``lex_id`` (``pipeline.text.lexicon``: the character's B/M/E/S
    position in its jieba word crossed with the word's part of speech).
    """

    def __init__(self, inner: torch.nn.Module, dim: int) -> None:
        super().__init__()
        from pipeline.text.lexicon import VOCAB_SIZE

        self.inner = inner
        self.lexicon = torch.nn.Embedding(VOCAB_SIZE, dim, padding_idx=0)
        self.embedding_dim = inner.embedding_dim + dim

    def forward(self, batch: dict, mask: torch.Tensor | None = None, **kwargs) -> torch.Tensor:
        return torch.cat(self.parts(batch), -1)

    def parts(self, batch: dict) -> list[torch.Tensor]:
        """The embeddings ``forward`` concatenates (see ``embedding_parts``)."""
        return [*embedding_parts(self.inner, batch), self.lexicon(batch["lex_id"])]


@contextmanager
def uninitialised_weights() -> Iterator[None]:
    """Modules made inside keep their weights as allocated (``torch.empty``): ``torch.nn.init``'s
    functions do nothing. For networks whose every weight is then loaded. The functions are
    replaced process-wide while it lasts, so no other thread should be making modules then. Why
    not the meta device (``with torch.device("meta")``): that context imports torch's
    function-mode machinery (sympy, torch.distributed), a second of every start."""
    originals = {name: function for name, function in vars(torch.nn.init).items()
                 if name.endswith("_") and not name.startswith("_") and callable(function)}
    for name in originals:
        setattr(torch.nn.init, name, lambda tensor, *args, **kwargs: tensor)
    try:
        yield
    finally:
        for name, function in originals.items():
            setattr(torch.nn.init, name, function)


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
                # on the meta device: no initial weights, they are the trained ones
                one = torch.nn.LSTM(n_in, lstm.hidden_size, batch_first=True, bias=lstm.bias, device="meta")
                names = ("weight_ih", "weight_hh") + (("bias_ih", "bias_hh") if lstm.bias else ())
                one.load_state_dict({f"{name}_l0": getattr(lstm, f"{name}_l{layer}{suffix}").detach().to(dtype)
                                     for name in names}, assign=True)
                pair.append(one.eval())
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

    def build_vocabs(self, dataset: Any, logger: Any) -> None:
        """HanLP's vocabularies of the training data, or, with ``vocab_from`` in the config,
        those of another saved model: ensemble members must share them (``check_same_tagger``),
        and a member trained on more data would otherwise learn a larger one."""
        source = self.config.get("vocab_from")
        if not source:
            return super().build_vocabs(dataset, logger)
        self.vocabs.load_vocabs(source)
        self.vocabs.lock()
        self.vocabs.summary(logger)

    # Set while ``load`` runs: the network is then built without initial weights and its weights
    # taken from the save dir as they are (``load_weights``).
    _weights_follow = False

    def load(self, save_dir: str, devices: Any = None, verbose: bool = False, **kwargs: Any) -> None:
        """HanLP's ``load``, with the network built without initialising its weights, and every
        weight then taken from the save dir: drawing 17 M random numbers for the bigram tables
        and copying the saved weights over them was a quarter of a second of every start."""
        self._weights_follow = True
        try:
            super().load(save_dir, devices=devices, verbose=verbose, **kwargs)
        finally:
            self._weights_follow = False

    def load_weights(self, save_dir: str, filename: str = "model.pt", **kwargs: Any) -> None:
        """HanLP's ``load_weights``; while ``load`` runs, the saved tensors become the weights, in
        the network's dtypes, and a weight missing from the file is an error (the network has
        no initial values to fall back on)."""
        if not self._weights_follow:
            return super().load_weights(save_dir, filename, **kwargs)
        expected = self.model_.state_dict()
        path = os.path.join(save_dir, filename)
        saved = torch.load(path, map_location="cpu", weights_only=True, mmap=True)  # read where converted
        missing = sorted(set(expected) - set(saved))
        if missing:
            raise ValueError(f"{path} lacks weights of the model its config describes: {', '.join(missing)}")
        self.model_.load_state_dict({name: saved[name].to(tensor.dtype) for name, tensor in expected.items()},
                                    assign=True)

    def build_model(self, **kwargs) -> torch.nn.Module:
        if self._weights_follow:
            with uninitialised_weights():
                return self._build_model(**kwargs)
        return self._build_model(**kwargs)

    def _build_model(self, **kwargs) -> torch.nn.Module:
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
            check_same_tagger(self, self.teacher.component)
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


def check_same_tagger(first: Any, other: Any) -> None:
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
