"""Decoding the ORG tagger's linear-chain CRF: batched Viterbi, forward-backward marginals, and
tag ids read back as character spans."""
from __future__ import annotations

from typing import Sequence

import torch

from pipeline.models.org.data import Span


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
