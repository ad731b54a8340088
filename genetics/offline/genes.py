"""Crossover and mutation of region genes, with StyleGene's controls (pipeline.md §7, §9).

Each gene is a mix of sources: ``0`` = father, ``1`` = mother, ``2 + k`` = pool face ``k``. As in
StyleGene's ``fuse_latent``, every gene draws ``a ~ U(0, 1 - gamma)``; exactly
``int(len(GENES) * (1 - eta))`` genes are crossed (father ``a``, pool ``gamma``, mother
``1 - gamma - a``) and the others are replaced by a pool face's gene. Each gene draws its own pool
face. Hair and background are one parent's (StyleGene always takes the father's background; here
a seeded coin picks the parent unless the caller chooses).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from genetics.engine import RegionChoice
from genetics.parameters import engine_regions

FATHER, MOTHER, POOL_START = 0, 1, 2

# This engine's genes are the app's regions themselves (genetics.parameters.REGIONS, the one list
# of region names); here they are only put in the order the genes are drawn in, which seeded
# candidates depend on and so never changes.
GEOMETRY_GENES: tuple[str, ...] = ("outline", "brows", "eyes", "nose", "mouth")
"""Genes carrying a landmark shape and, for the features, the region's texture."""

GENES: tuple[str, ...] = GEOMETRY_GENES + ("skin", "texture")
"""``skin`` mixes the skin's colour and shading (low band), ``texture`` picks its fine detail."""

HAIR = "hair"
"""Hair and background: one source's whole frame, warped to the child's shape."""

SHAPE_JITTER = 0.03
"""Std of the per-region random scale applied to drawn (default or mutate) geometry genes."""

YOUNG_SHAPE_JITTER = {"0-2": 0.08, "3-9": 0.06}
""":data:`SHAPE_JITTER` of the children's bands (since 0.1.64): a child keeps less of its parents'
features than an adult, so at 0.03 one couple's children differed less than real siblings do.
Research references, seed 0, 8 per couple (in band / own-parent / diversity), 0.03 -> 0.06:
TSKinFace families, 3-9, daughters 0.906 / 0.812 / 0.312 -> 0.896 / 0.796 / 0.337, sons 0.958 /
0.891 / 0.283 -> 0.917 / 0.885 / 0.306 (0.08: 0.885 / 0.864 / 0.327); CC0 couples, 3-9 boys 0.969
/ 0.893 / 0.402 -> 0.958 / 0.889 / 0.422. Babies, whose siblings were furthest under the 0.378
aimed at, 0.08: CC0 girls 0.906 / 0.860 / 0.351 -> 0.885 / 0.849 / 0.380 (0.06: 0.366), boys 0.938
/ 0.848 / 0.356 -> 0.896 / 0.843 / 0.389. 3-9 stays at 0.06: at 0.08 its sons lost more age and
likeness than babies did. A band's other draws are unchanged (the scale's deviation is drawn alike,
only scaled)."""


def shape_jitter(age_group: str | None) -> float:
    """Return the std of a drawn geometry gene's random scale for a candidate of ``age_group``."""
    return YOUNG_SHAPE_JITTER.get(age_group or "", SHAPE_JITTER)


SKIN_BLEND = (0.25, 0.75)
"""Bounds of the father's share in a drawn ``skin`` gene when the parents act as the pool. Skin
colour is inherited from many genes: a child sits between its parents, not at one of them (a
gene replaced whole by one parent gave the child of a dark father and a pale mother the mother's
pale skin). Chosen shares (``father``, ``mother``, ``weight``, ``mutate``) are kept as asked."""

SHIFT_JITTER = 0.004
"""Std of the per-region random shift (unit coordinates) applied to drawn geometry genes."""


@dataclass(frozen=True)
class Gene:
    """One region's inheritance: source weights (summing to 1) and its shape jitter."""

    weights: dict[int, float]
    scale: float = 1.0
    shift: tuple[float, float] = (0.0, 0.0)

    def dominant(self) -> int:
        """Return the source with the largest weight (ties go to the lower index, father first)."""
        return min(self.weights, key=lambda s: (-self.weights[s], s))


@dataclass(frozen=True)
class ChildGenes:
    """All genes of one candidate plus the hair/background source."""

    genes: dict[str, Gene]
    hair: int
    crossed: tuple[str, ...] = field(default=())

    def sources(self) -> set[int]:
        """Return every source index some gene or the hair uses."""
        used = {self.hair}
        for gene in self.genes.values():
            used.update(s for s, w in gene.weights.items() if w > 0.0)
        return used

    def weight_table(self) -> np.ndarray:
        """Return ``[len(GENES), 3]`` father / mother / pool weights (pool faces summed)."""
        table = np.zeros((len(GENES), 3), dtype=np.float64)
        for row, name in enumerate(GENES):
            for source, weight in self.genes[name].weights.items():
                table[row, min(source, POOL_START)] += weight
        return table


def _merge(pairs: list[tuple[int, float]]) -> dict[int, float]:
    merged: dict[int, float] = {}
    for source, weight in pairs:
        if weight > 0.0:
            merged[source] = merged.get(source, 0.0) + weight
    return merged


def draw_genes(
    rng: np.random.Generator,
    *,
    gamma: float,
    eta: float,
    pool_size: int,
    regions: dict[str, RegionChoice],
    age_group: str | None = None,
) -> ChildGenes:
    """Return one candidate's genes; ``pool_size == 0`` makes the parents act as the pool; the
    shape jitter is ``age_group``'s (:func:`shape_jitter`)."""
    known = engine_regions("offline")
    unknown = set(regions) - set(known)
    if unknown:
        raise ValueError(f"unknown regions {sorted(unknown)}; the offline engine has {known}")
    pool_sources = [POOL_START + k for k in range(pool_size)] if pool_size else [FATHER, MOTHER]
    # Draw everything in a fixed order, whatever the choices, so one region's choice does not
    # change the random genes of the others.
    father_share = rng.uniform(0.0, 1.0 - gamma, size=len(GENES))
    crossed = set(rng.choice(len(GENES), size=int(len(GENES) * (1.0 - eta)), replace=False).tolist())
    picks = rng.integers(len(pool_sources), size=len(GENES) + 1)
    scales = 1.0 + rng.normal(0.0, shape_jitter(age_group), size=len(GENES))
    shifts = rng.normal(0.0, SHIFT_JITTER, size=(len(GENES), 2))
    coin = rng.random()

    genes: dict[str, Gene] = {}
    for i, name in enumerate(GENES):
        choice = regions.get(name, RegionChoice())
        pool = pool_sources[int(picks[i])]
        a = float(father_share[i])
        drawn = choice.mode in ("default", "mutate")
        if choice.mode == "father":
            weights = {FATHER: 1.0}
        elif choice.mode == "mother":
            weights = {MOTHER: 1.0}
        elif choice.mode == "weight":
            w = float(np.clip(choice.weight, 0.0, 1.0))
            weights = _merge([(FATHER, w), (MOTHER, 1.0 - w)])
        elif choice.mode == "mutate" or i not in crossed:
            weights = {pool: 1.0}
        else:
            weights = _merge([(FATHER, a), (pool, gamma), (MOTHER, 1.0 - gamma - a)])
        if name == "skin" and choice.mode == "default" and not pool_size:
            weights = _between_parents(weights)
        genes[name] = Gene(
            weights=weights,
            scale=float(scales[i]) if drawn else 1.0,
            shift=(float(shifts[i, 0]), float(shifts[i, 1])) if drawn else (0.0, 0.0),
        )

    hair_choice = regions.get(HAIR, RegionChoice())
    if hair_choice.mode == "father":
        hair = FATHER
    elif hair_choice.mode == "mother":
        hair = MOTHER
    elif hair_choice.mode == "weight":
        hair = FATHER if hair_choice.weight >= 0.5 else MOTHER
    elif hair_choice.mode == "mutate":
        hair = pool_sources[int(picks[-1])]
    else:
        hair = FATHER if coin < 0.5 else MOTHER
    return ChildGenes(genes=genes, hair=hair, crossed=tuple(GENES[i] for i in sorted(crossed)))


def _between_parents(weights: dict[int, float]) -> dict[int, float]:
    # With the parents as the pool, every weight is the father's or the mother's.
    low, high = SKIN_BLEND
    father = float(np.clip(weights.get(FATHER, 0.0), low, high))
    return {FATHER: father, MOTHER: 1.0 - father}


NOSE_TIP, CHIN = 33, 8
"""Landmarks between which the mouth keeps its sources' proportion (:func:`child_geometry`)."""


def _mouth_height(landmarks: np.ndarray, mouth: list[int]) -> float:
    """Return how far down from the nose's tip to the chin the mouth's middle lies (0 to 1)."""
    span = max(float(landmarks[CHIN, 1] - landmarks[NOSE_TIP, 1]), 1e-6)
    return float(landmarks[mouth, 1].mean() - landmarks[NOSE_TIP, 1]) / span


def child_geometry(genes: ChildGenes, shapes: dict[int, np.ndarray], mouth_pixels: int | None = None) -> np.ndarray:
    """Return the child's ``[68, 2]`` landmarks: each region's shape mixed from its sources.

    ``shapes`` maps source index to adult-proportion landmarks in unit coordinates. Each region is
    mixed, then scaled about its centre and shifted by the gene's jitter. The mouth's opening is
    that of the source its pixels come from (``mouth_pixels``, default the gene's dominant one).
    The mouth's height is its sources' proportion of the way from the nose's tip to the chin, on
    the child's own nose and chin (:func:`_mouth_height`).
    """
    from genetics.offline.geometry import REGION_POINTS

    child = np.zeros((68, 2), dtype=np.float64)
    for name in GEOMETRY_GENES:
        gene = genes.genes[name]
        idx = list(REGION_POINTS[name])
        mixed = sum(weight * shapes[source][idx] for source, weight in gene.weights.items())
        if name == "mouth":
            opening = gene.dominant() if mouth_pixels is None else mouth_pixels
            mixed = _keep_mouth_opening(mixed, shapes[opening][idx])
        centre = mixed.mean(axis=0)
        child[idx] = centre + (mixed - centre) * gene.scale + np.array(gene.shift)
    # Each region's place is mixed as it lies in the aligned frame, and the mouth sits between two
    # other genes' points: a long-faced father's mouth on his wife's shorter outline and nose put
    # the child's lower lip nearly on its chin.
    mouth = list(REGION_POINTS["mouth"])
    gene = genes.genes["mouth"]
    height = sum(weight * _mouth_height(shapes[source], mouth) for source, weight in gene.weights.items())
    placed = child[NOSE_TIP, 1] + height * (child[CHIN, 1] - child[NOSE_TIP, 1]) + gene.shift[1]
    child[mouth, 1] += placed - child[mouth, 1].mean()
    return child


def _keep_mouth_opening(mixed: np.ndarray, dominant: np.ndarray) -> np.ndarray:
    # The mouth's pixels come from its dominant source; an opening averaged with a closed mouth
    # would squeeze that source's teeth into a slit. Keep the source's inner lips (points 60-67)
    # relative to its outer lips, scaled to the mixed mouth's width.
    out = mixed.copy()
    outer_mixed, outer_dominant = mixed[:12], dominant[:12]
    width_mixed = np.linalg.norm(outer_mixed[6] - outer_mixed[0])
    width_dominant = max(float(np.linalg.norm(outer_dominant[6] - outer_dominant[0])), 1e-9)
    offsets = dominant[12:] - outer_dominant.mean(axis=0)
    out[12:] = outer_mixed.mean(axis=0) + offsets * (width_mixed / width_dominant)
    return out
