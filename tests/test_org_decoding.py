"""The ORG tagger's numpy CRF decoders (pipeline/models/org/decoding.py) against straightforward
torch versions of the same recursions (the ones they replaced), on random batches of rows of
mixed lengths."""
from __future__ import annotations

import pytest
import torch

from pipeline.models.org import decoding

torch.set_num_threads(1)


def reference_viterbi(emissions, mask, transitions, start, end):
    """One torch operation per batch and step, back-pointers kept."""
    rows, width, _ = emissions.shape
    last = mask.sum(1) - 1
    score = start + emissions[:, 0]
    history = []
    for t in range(1, width):
        best, index = (score.unsqueeze(2) + transitions + emissions[:, t].unsqueeze(1)).max(1)
        score = torch.where(mask[:, t].unsqueeze(1), best, score)
        history.append(index)
    best_last = (score + end).argmax(1)
    tags = torch.zeros(rows, width, dtype=torch.long)
    cur = best_last
    for t in range(width - 1, -1, -1):
        if t < width - 1:
            cur = torch.where(t < last, history[t].gather(1, cur.unsqueeze(1)).squeeze(1), cur)
        cur = torch.where(last == t, best_last, cur)
        tags[:, t] = cur
    return tags


def reference_marginals(emissions, mask, transitions, start, end):
    """Forward and backward passes apart, each step rescaled."""
    rows, width, tags = emissions.shape
    potentials = (emissions - emissions.amax(-1, keepdim=True)).exp()
    step_matrix = transitions.exp()
    alpha = (start - start.max()).exp() * potentials[:, 0]
    alphas = [alpha / alpha.sum(1, keepdim=True)]
    for t in range(1, width):
        alpha = (alphas[-1] @ step_matrix) * potentials[:, t]
        alphas.append(alpha / alpha.sum(1, keepdim=True))
    last = (end - end.max()).exp().expand(rows, tags)
    betas = [last]
    for t in range(width - 2, -1, -1):
        beta = (potentials[:, t + 1] * betas[-1]) @ step_matrix.t()
        betas.append(torch.where(mask[:, t + 1].unsqueeze(1), beta / beta.sum(1, keepdim=True), last))
    betas.reverse()
    joint = torch.stack(alphas, 1) * torch.stack(betas, 1)
    return joint / joint.sum(-1, keepdim=True)


def random_crf(seed: int, lengths: list[int], tags: int, integers: bool = False, extra_width: int = 0):
    """Emissions, mask, transitions, start and end scores; ``integers``: small whole numbers, so
    that paths often tie; ``extra_width``: padding columns past the longest row."""
    generator = torch.Generator().manual_seed(seed)
    width = max(lengths) + extra_width

    def draw(*shape):
        if integers:
            return torch.randint(-2, 3, shape, generator=generator).float()
        return torch.randn(*shape, generator=generator) * 3

    mask = torch.arange(width) < torch.tensor(lengths)[:, None]
    return draw(len(lengths), width, tags), mask, draw(tags, tags), draw(tags), draw(tags)


BATCHES = [[1], [5], [1, 1, 1], [7, 1, 3, 7, 2], [2, 9, 9, 4, 1, 6], list(range(1, 40)), [40, 3] * 20]


@pytest.mark.parametrize("lengths", BATCHES)
@pytest.mark.parametrize("integers", [False, True])
@pytest.mark.parametrize("extra_width", [0, 3])
def test_viterbi_decode_equals_the_torch_recursion(lengths, integers, extra_width):
    for seed, tags in enumerate([2, 3, 7]):
        args = random_crf(seed, lengths, tags, integers, extra_width)
        mask = args[1]
        got = decoding.viterbi_decode(*args)
        assert got.shape == mask.shape and got.dtype == torch.long
        assert torch.equal(got[mask], reference_viterbi(*args)[mask])


@pytest.mark.parametrize("lengths", BATCHES)
@pytest.mark.parametrize("extra_width", [0, 3])
def test_crf_marginals_equal_the_torch_recursion(lengths, extra_width):
    for seed, tags in enumerate([2, 3, 7]):
        args = random_crf(seed, lengths, tags, extra_width=extra_width)
        mask = args[1]
        got = decoding.crf_marginals(*args)
        assert got.shape == args[0].shape and got.dtype == torch.float32
        assert torch.allclose(got[mask], reference_marginals(*args)[mask], atol=1e-5)


def test_crf_marginals_take_rows_of_no_length():
    """The cascade pads its batches with rows of length 0 (OrgModel._emissions)."""
    emissions, mask, *scores = random_crf(0, [6, 4, 1], 7)
    mask[2] = False
    got = decoding.crf_marginals(emissions, mask, *scores)
    assert torch.allclose(got[mask], reference_marginals(emissions, mask, *scores)[mask], atol=1e-5)
    assert torch.isfinite(got).all()


def test_decoders_take_half_precision_and_empty_batches():
    emissions, mask, *scores = random_crf(0, [6, 4, 1], 7)
    assert torch.equal(decoding.viterbi_decode(emissions.bfloat16(), mask, *scores)[mask],
                       decoding.viterbi_decode(emissions.bfloat16().float(), mask, *scores)[mask])
    assert decoding.viterbi_decode(emissions[:0], mask[:0], *scores).shape == (0, 6)
    assert decoding.crf_marginals(emissions[:0], mask[:0], *scores).shape == (0, 6, 7)
