"""Crossover/mutation: official semantics, paper option, per-region controls, explicit RNGs."""

from __future__ import annotations

import random

import numpy as np
import pytest
import torch

from genetics.engine import RegionChoice
from genetics.stylegene.crossover import (
    MODE_CROSSOVER,
    MODE_FATHER,
    MODE_MOTHER,
    MODE_POOL,
    cross_genes,
    mix_parent_rows,
)
from genetics.stylegene.regions import BACKGROUND, OFFICIAL_REGION_NAMES, REGION_NAMES, region_index

SHAPE = (1, 3, 34, 4)


def _genes(seed: int) -> tuple[torch.Tensor, torch.Tensor]:
    g = torch.Generator().manual_seed(seed)
    return torch.randn(SHAPE, generator=g), 0.1 * torch.randn(SHAPE, generator=g) - 3.0


def _cross(seed=0, *, gamma=0.47, eta=0.4, regions=None, pool=None, method="official"):
    pool = [_genes(10 + i) for i in range(3)] if pool is None else pool
    return cross_genes(
        _genes(1),
        _genes(2),
        pool,
        gamma=gamma,
        eta=eta,
        regions=regions or {},
        rng=random.Random(seed),
        generator=torch.Generator().manual_seed(seed),
        method=method,
    )


def test_region_names():
    assert len(OFFICIAL_REGION_NAMES) == 34 and REGION_NAMES[7] == "eye/botton lid"
    assert region_index("head***nose***nose tip") == region_index("nose/nose tip") == 29
    with pytest.raises(ValueError):
        region_index("elbow")


def test_official_counts_and_background():
    genes, trace = _cross(eta=0.4)
    assert genes.shape == SHAPE
    assert trace.mode[BACKGROUND] == MODE_FATHER
    crossed = int((trace.mode == MODE_CROSSOVER).sum())
    pooled = int((trace.mode == MODE_POOL).sum())
    # int(34 * 0.6) = 20 sampled regions; background may be among them yet stays the father's.
    assert crossed in (19, 20) and crossed + pooled == 33
    a = trace.father_weight[trace.mode == MODE_CROSSOVER]
    assert np.all((a >= 0) & (a <= 1 - 0.47))


def test_official_mix_uses_parameters():
    # With zero log-variance noise scale ~0 the sample equals the mixed mean: check the 3-way mix.
    tiny_var = lambda mu: (mu, torch.full_like(mu, -60.0))  # noqa: E731
    f, m = tiny_var(torch.ones(SHAPE)), tiny_var(torch.zeros(SHAPE))
    pool = [tiny_var(torch.full(SHAPE, 10.0))]
    genes, trace = cross_genes(
        f, m, pool, gamma=0.3, eta=0.0, regions={}, rng=random.Random(0), generator=torch.Generator().manual_seed(0)
    )
    for i in range(1, 34):
        if trace.mode[i] == MODE_CROSSOVER:
            expected = trace.father_weight[i] * 1.0 + 0.3 * 10.0
            assert torch.allclose(genes[:, :, i], torch.full_like(genes[:, :, i], expected), atol=1e-5)


def test_same_seed_same_genes_and_no_global_rng_use():
    torch.manual_seed(123)
    random.seed(123)
    before = (torch.random.get_rng_state().clone(), random.getstate())
    a, ta = _cross(seed=4)
    b, tb = _cross(seed=4)
    assert torch.equal(a, b) and np.array_equal(ta.mode, tb.mode)
    assert torch.equal(torch.random.get_rng_state(), before[0]) and random.getstate() == before[1]
    c, _ = _cross(seed=5)
    assert not torch.equal(a, c)


def test_override_leaves_other_regions_untouched():
    base, base_trace = _cross(seed=9)
    nose = region_index("nose")
    changed, trace = _cross(seed=9, regions={nose: RegionChoice("mother")})
    assert trace.mode[nose] == MODE_MOTHER
    others = [i for i in range(34) if i != nose]
    assert torch.equal(base[:, :, others], changed[:, :, others])


def test_all_father_or_mother_and_mutate():
    everything_father = {i: RegionChoice("father") for i in range(34)}
    genes, trace = _cross(regions=everything_father)
    mu_f, _ = _genes(1)
    assert np.all(trace.mode == MODE_FATHER)
    mu_m, _ = _genes(2)
    # Father's mean plus noise of std e^-1.5 ~ 0.22; the mother's mean is ~sqrt(2) away.
    assert 0.15 < float((genes - mu_f).std()) < 0.3 < float((genes - mu_m).std())
    _, trace = _cross(regions={i: RegionChoice("mutate") for i in range(34)})
    assert np.all(trace.mode == MODE_POOL) and np.all(trace.pool_index >= 0)


def test_empty_pool_falls_back_to_parents():
    _, trace = _cross(pool=[])
    assert set(trace.pool_index[trace.pool_index >= 0]) <= {0, 1}


def test_paper_method():
    genes, trace = _cross(method="paper", eta=1.0)
    assert np.all(trace.mode[1:] == MODE_POOL)
    genes, trace = _cross(method="paper", eta=0.0)
    assert np.all(trace.mode[1:] == MODE_CROSSOVER)
    with pytest.raises(ValueError):
        _cross(method="nope")


def test_mix_parent_rows():
    child, father, mother = torch.zeros(2, 18, 4), torch.ones(1, 18, 4), 3 * torch.ones(1, 18, 4)
    mixed = mix_parent_rows(child, father, mother, 8)
    assert torch.equal(mixed[:, :8], child[:, :8]) and torch.all(mixed[:, 8:] == 2.0)
    assert mix_parent_rows(child, father, mother, None) is child
