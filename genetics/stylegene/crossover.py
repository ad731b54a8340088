"""Crossover and mutation of region-level facial genes (StyleGene, CVPR 2023, §3.3).

Two behaviours:

``official`` (default) reproduces the released code's ``fuse_latent``: per region a father weight
``a ~ U(0, 1 - gamma)``; exactly ``int(R * (1 - eta))`` regions (a random sample) get the 3-way
mix ``a·father + gamma·pool + (1 - a - gamma)·mother`` of the Gaussian *parameters* (mean and
log-variance), the others are replaced by a pool gene; each region draws its own pool individual;
background is always the father's; one reparameterised sample per region.

``paper`` follows the paper's equations on *sampled* genes: ``g = alpha·f + (1 - alpha)·m`` with
``alpha ~ U(0, 1)``, then mutation with an independent Bernoulli ``t_i`` (``P(t_i = 1) = eta``):
``t_i = 0`` keeps ``(1 - gamma)·g + gamma·p``, ``t_i = 1`` takes the pool gene ``p``.

Per-region :class:`~genetics.engine.RegionChoice` overrides either: ``father``/``mother`` sample
that parent's gene, ``weight`` mixes the parents' parameters with the given father weight,
``mutate`` samples a pool gene. All randomness comes from the ``random.Random`` and
``torch.Generator`` passed in, drawn in a fixed order that does not depend on the overrides, so
changing one region leaves every other region's draws as they were.
"""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
import torch

from genetics.engine import RegionChoice
from genetics.stylegene.regions import BACKGROUND

GeneTensors = tuple[torch.Tensor, torch.Tensor]  # (mu, logvar), each [1, N, R, D]
CrossoverMethod = Literal["official", "paper"]

# Codes of how each region was inherited, stored with every candidate.
MODE_CROSSOVER, MODE_POOL, MODE_FATHER, MODE_MOTHER, MODE_WEIGHT = 0, 1, 2, 3, 4


@dataclass(frozen=True)
class RegionTrace:
    """Per-region record of one child's inheritance: ``[R]`` arrays."""

    mode: np.ndarray  # int8 MODE_* codes
    father_weight: np.ndarray  # float32 weight of the father's parameters/gene (nan when unused)
    pool_index: np.ndarray  # int32 index into the pool list (-1 when no pool gene was used)


def _sample(mu: torch.Tensor, logvar: torch.Tensor, eps: torch.Tensor) -> torch.Tensor:
    return mu + eps * torch.exp(0.5 * logvar)


@dataclass(frozen=True)
class _Draws:
    """Every random value one child uses, drawn up front in a fixed order."""

    weights: list[float]  # per-region father weight (official) or alpha (paper)
    crossed: set[int]  # regions crossed (t = 0); the others take a pool gene
    picks: list[int]  # per-region pool individual
    noise: torch.Tensor  # [R, draws, B, N, D] standard normal


def _draw(
    rng: random.Random,
    generator: torch.Generator,
    *,
    n_regions: int,
    pool_size: int,
    gamma: float,
    eta: float,
    method: CrossoverMethod,
    slice_shape: tuple[int, ...],
) -> _Draws:
    # Python-RNG draws in the official order: R weights, the crossover sample, then one pool pick
    # per non-background region.
    if method == "official":
        weights = [rng.uniform(0, 1 - gamma) for _ in range(n_regions)]
        crossed = set(rng.sample(range(n_regions), int(n_regions * (1 - eta))))
    elif method == "paper":
        weights = [rng.uniform(0, 1) for _ in range(n_regions)]
        crossed = {i for i in range(n_regions) if rng.random() >= eta}
    else:
        raise ValueError(f"unknown crossover method {method!r}")
    picks = [-1 if i == BACKGROUND else rng.randrange(pool_size) for i in range(n_regions)]
    # Background draws no pool gene officially; its pick (used only when it is set to "mutate")
    # comes last so that the official sequence above is untouched.
    picks[BACKGROUND] = rng.randrange(pool_size)
    draws = 3 if method == "paper" else 1
    # Drawn on the CPU (where the generator lives) so every device gets the same samples.
    noise = torch.randn((n_regions, draws) + slice_shape, generator=generator, dtype=torch.float32)
    return _Draws(weights, crossed, picks, noise)


def cross_genes(
    father: GeneTensors,
    mother: GeneTensors,
    pool: Sequence[GeneTensors],
    *,
    gamma: float,
    eta: float,
    regions: Mapping[int, RegionChoice],
    rng: random.Random,
    generator: torch.Generator,
    method: CrossoverMethod = "official",
) -> tuple[torch.Tensor, RegionTrace]:
    """Return one child's genes ``[1, N, R, D]`` and its :class:`RegionTrace`.

    ``father``/``mother`` are the parents' ``(mu, logvar)``; an empty ``pool`` falls back to the
    parents themselves, as the official code does.
    """
    mu_f, lv_f = father
    mu_m, lv_m = mother
    n_regions = mu_f.shape[2]
    pool = pool or [father, mother]
    plan = _draw(
        rng,
        generator,
        n_regions=n_regions,
        pool_size=len(pool),
        gamma=gamma,
        eta=eta,
        method=method,
        slice_shape=(mu_f.shape[0], mu_f.shape[1], mu_f.shape[3]),
    )
    noise = plan.noise.to(mu_f.device, mu_f.dtype)

    genes = torch.empty_like(mu_f)
    mode = np.zeros(n_regions, dtype=np.int8)
    father_weight = np.full(n_regions, np.nan, dtype=np.float32)
    pool_index = np.full(n_regions, -1, dtype=np.int32)
    for i in range(n_regions):
        choice = regions.get(i, RegionChoice())
        eps, pick = noise[i, 0], plan.picks[i]
        f, m = (mu_f[:, :, i], lv_f[:, :, i]), (mu_m[:, :, i], lv_m[:, :, i])
        # Only the slice in use leaves the (possibly memory-mapped, CPU) pool.
        p = (pool[pick][0][:, :, i].to(mu_f.device, mu_f.dtype), pool[pick][1][:, :, i].to(mu_f.device, mu_f.dtype))
        if choice.mode == "father" or (choice.mode == "default" and i == BACKGROUND):
            genes[:, :, i] = _sample(*f, eps)
            mode[i], father_weight[i] = MODE_FATHER, 1.0
        elif choice.mode == "mother":
            genes[:, :, i] = _sample(*m, eps)
            mode[i], father_weight[i] = MODE_MOTHER, 0.0
        elif choice.mode == "weight":
            w = float(choice.weight)
            genes[:, :, i] = _sample(w * f[0] + (1 - w) * m[0], w * f[1] + (1 - w) * m[1], eps)
            mode[i], father_weight[i] = MODE_WEIGHT, w
        elif choice.mode == "mutate" or i not in plan.crossed:
            genes[:, :, i] = _sample(*p, eps)
            mode[i], pool_index[i] = MODE_POOL, pick
        elif method == "official":
            a = plan.weights[i]
            b = 1 - a - gamma
            genes[:, :, i] = _sample(a * f[0] + gamma * p[0] + b * m[0], a * f[1] + gamma * p[1] + b * m[1], eps)
            mode[i], father_weight[i], pool_index[i] = MODE_CROSSOVER, a, pick
        else:
            alpha = plan.weights[i]
            mixed = alpha * _sample(*f, noise[i, 0]) + (1 - alpha) * _sample(*m, noise[i, 1])
            genes[:, :, i] = (1 - gamma) * mixed + gamma * _sample(*p, noise[i, 2])
            mode[i], father_weight[i], pool_index[i] = MODE_CROSSOVER, (1 - gamma) * alpha, pick
    return genes, RegionTrace(mode, father_weight, pool_index)


def mix_parent_rows(
    child: torch.Tensor, father: torch.Tensor, mother: torch.Tensor, from_row: int | None
) -> torch.Tensor:
    """Overwrite W+ rows ``from_row..`` with the parents' average (the official ``mix`` step).

    ``child``: ``[K, N, D]``; ``father``/``mother``: ``[1, N, D]``. ``None`` keeps every row.
    """
    if from_row is None:
        return child
    out = child.clone()
    out[:, from_row:] = 0.5 * father[:, from_row:] + 0.5 * mother[:, from_row:]
    return out
