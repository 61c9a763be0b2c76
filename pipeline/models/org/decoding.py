"""Decoding the ORG tagger's linear-chain CRF: batched Viterbi, forward-backward marginals, and
tag ids read back as character spans."""
from __future__ import annotations

from typing import Sequence

import numpy as np
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


def _numpy(tensor: torch.Tensor) -> np.ndarray:
    """The tensor as a numpy array on the CPU (half precisions as float32: numpy lacks bfloat16)."""
    tensor = tensor.detach().cpu()
    return (tensor.float() if tensor.dtype in (torch.float16, torch.bfloat16) else tensor).numpy()


def viterbi_decode(emissions: torch.Tensor, mask: torch.Tensor, transitions: torch.Tensor,
                   start: torch.Tensor, end: torch.Tensor) -> torch.Tensor:
    """Batched Viterbi, batch first. Returns (B, T) best tag ids (padding positions arbitrary).

    HanLP's CRF.decode back-traces one sample at a time with ``.item()`` per token, which
    dominates CPU inference time; this keeps the back-trace vectorised over the batch. With few
    tags the cost is the operations per time step, not the arithmetic: it runs them in numpy
    (a fraction of torch's cost per call on tiny arrays), only as many steps as the longest row,
    and keeps no back-pointers (an argmax over the previous tag of every tag is the slowest
    operation): the back-trace recomputes the one argmax it needs per row and step, from the
    same sums as the forward pass, so it picks the same tags, ties included (the first).
    """
    tags = _viterbi(_numpy(emissions), _numpy(mask.sum(1)), _numpy(transitions), _numpy(start), _numpy(end))
    return torch.from_numpy(tags).to(emissions.device)


def _viterbi(emissions: np.ndarray, lengths: np.ndarray, transitions: np.ndarray, start: np.ndarray,
             end: np.ndarray) -> np.ndarray:
    """``viterbi_decode`` of numpy arrays, given each row's length."""
    rows, width, _ = emissions.shape
    # longest row first, so that the rows still going at each step are the first ``going[t]``
    order = np.argsort(-lengths, kind="stable")
    lengths = lengths[order]
    steps = max(1, int(lengths.max(initial=0)))
    going = (lengths > np.arange(steps)[:, None]).sum(1).tolist()
    # (steps, K, B): each step's scores contiguous, tags on the first axis (a max over it is fast)
    emissions = np.ascontiguousarray(emissions[order, :steps].transpose(1, 2, 0))
    scores = np.empty(emissions.shape, np.result_type(emissions, transitions, start))
    scores[0] = start[:, None] + emissions[0]
    into = transitions[:, :, None]
    for t in range(1, steps):
        n = going[t]
        # max_i (score_i + transition_ij) + emission_j: adding the emission after the max gives the
        # same float as before it (rounding is monotone)
        np.add((scores[t - 1, :, None, :n] + into).max(0), emissions[t, :, :n], out=scores[t, :, :n])
    everyone = np.arange(rows)
    cur = (scores[np.maximum(lengths - 1, 0), :, everyone] + end).argmax(1)
    tags = np.empty((steps, rows), np.int64)
    tags[-1] = cur
    for t in range(steps - 1, 0, -1):
        n = going[t]
        # the best previous tag of each row's tag at t; a row that ends before t keeps its last tag
        back = scores[t - 1, :, :n] + transitions.take(cur[:n], 1)
        back += emissions[t, cur[:n], everyone[:n]]
        cur[:n] = back.argmax(0)
        tags[t - 1] = cur
    out = np.zeros((rows, width), np.int64)
    out[order, :steps] = tags.T
    return out


def crf_marginals(emissions: torch.Tensor, mask: torch.Tensor, transitions: torch.Tensor,
                  start: torch.Tensor, end: torch.Tensor) -> torch.Tensor:
    """Posterior probability of each tag at each position of a linear-chain CRF, batch first:
    (B, T, K); padding positions are meaningless. Same conventions as ``viterbi_decode`` (the
    mask is a prefix of each row, every row has a length of at least 1).

    Forward-backward in probability space, each step rescaled to sum to 1 (Rabiner's scaling):
    one small matrix product per step instead of a log-sum-exp, where the per-step operations,
    not the arithmetic, cost the time. So both passes run in one loop of numpy operations (a
    fraction of torch's cost per call on tiny arrays): the backward pass reads each row
    reversed, so that every row starts it at step 0, and one product with a block-diagonal
    matrix advances both. A marginal is the product of the scaled forward and backward
    vectors, renormalised per position.
    """
    rows, width, k = emissions.shape
    lengths = _numpy(mask.sum(1))
    steps = max(1, int(lengths.max(initial=0)))
    potentials = _numpy((emissions[:, :steps] - emissions[:, :steps].amax(-1, keepdim=True)).exp())
    position = np.arange(steps)[:, None]
    # (steps, B): the position the backward pass reads at each step, as an index of the flattened
    # (position, row) axes: a row's steps reversed, padding left in place
    reverse = np.where(position < lengths, lengths - 1 - position, position) * rows + np.arange(rows)
    reverse = reverse.ravel()
    # (steps, B, 2K): forward potentials | backward ones
    both = np.empty((steps, rows, 2 * k), potentials.dtype)
    both[:, :, :k] = potentials.transpose(1, 0, 2)
    both[:, :, k:] = both[:, :, :k].reshape(-1, k).take(reverse, 0).reshape(steps, rows, k)
    step_matrix = np.exp(_numpy(transitions).astype(both.dtype))
    advance = np.zeros((2 * k, 2 * k), both.dtype)
    advance[:k, :k], advance[k:, k:] = step_matrix, step_matrix.T
    halves = np.zeros((2 * k, 2 * k), both.dtype)  # x @ halves: each entry the sum of its half of x
    halves[:k, :k] = halves[k:, k:] = 1
    start, end = _numpy(start), _numpy(end)
    # before[t] = after[t - 1] @ advance: the forward vector before the step's potentials, and the
    # backward vector (whose potentials are applied on the next step); after[t] = before[t] * both[t], scaled
    before = np.empty_like(both)
    after = np.empty_like(both)
    before[0, :, :k], before[0, :, k:] = np.exp(start - start.max()), np.exp(end - end.max())
    x = np.multiply(before[0], both[0], out=after[0])
    np.divide(x, x @ halves, out=x)
    for t in range(1, steps):
        x = np.multiply(np.dot(x, advance, out=before[t]), both[t], out=after[t])
        np.divide(x, x @ halves, out=x)
    # reversing is its own inverse: the same index puts the backward vectors back in place
    joint = after[:, :, :k] * before.reshape(-1, 2 * k)[:, k:].take(reverse, 0).reshape(steps, rows, k)
    joint /= (joint @ np.ones(k, joint.dtype))[:, :, None]
    marginals = np.zeros((rows, width, k), joint.dtype)
    marginals[:, :steps] = joint.transpose(1, 0, 2)
    return torch.from_numpy(marginals).to(emissions.device)
