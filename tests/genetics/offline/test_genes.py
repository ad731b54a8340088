"""Crossover and mutation of region genes."""

from __future__ import annotations

import numpy as np
import pytest

from genetics.engine import RegionChoice
from genetics.offline import genes as g


def _draw(seed: int = 0, **kwargs) -> g.ChildGenes:  # type: ignore[no-untyped-def]
    options = {"gamma": 0.47, "eta": 0.4, "pool_size": 3, "regions": {}}
    options.update(kwargs)
    return g.draw_genes(np.random.default_rng(seed), **options)


def test_default_genes_follow_stylegene_controls() -> None:
    child = _draw()
    assert len(child.crossed) == int(len(g.GENES) * (1 - 0.4))
    for name, gene in child.genes.items():
        assert sum(gene.weights.values()) == pytest.approx(1.0)
        if name in child.crossed:
            pool = [w for s, w in gene.weights.items() if s >= g.POOL_START]
            assert pool == [pytest.approx(0.47)]
            assert gene.weights.get(g.FATHER, 0.0) <= 1 - 0.47
        else:
            assert len(gene.weights) == 1 and next(iter(gene.weights)) >= g.POOL_START
    assert child.hair in (g.FATHER, g.MOTHER)


def test_eta_one_replaces_every_gene_and_eta_zero_crosses_all() -> None:
    assert _draw(eta=1.0).crossed == ()
    assert set(_draw(eta=0.0).crossed) == set(g.GENES)


def test_region_choices_override_the_draw() -> None:
    child = _draw(
        regions={
            "eyes": RegionChoice("father"),
            "nose": RegionChoice("mother"),
            "mouth": RegionChoice("weight", 0.3),
            "skin": RegionChoice("mutate"),
            "hair": RegionChoice("mother"),
        }
    )
    assert child.genes["eyes"].weights == {g.FATHER: 1.0}
    assert child.genes["eyes"].scale == 1.0 and child.genes["eyes"].shift == (0.0, 0.0)
    assert child.genes["nose"].weights == {g.MOTHER: 1.0}
    assert child.genes["mouth"].weights == {g.FATHER: 0.3, g.MOTHER: pytest.approx(0.7)}
    assert child.genes["mouth"].dominant() == g.MOTHER
    assert all(s >= g.POOL_START for s in child.genes["skin"].weights)
    assert child.hair == g.MOTHER
    # One region's choice does not change the others' random genes.
    plain = _draw()
    assert child.genes["outline"] == plain.genes["outline"]


def test_empty_pool_uses_the_parents() -> None:
    child = _draw(pool_size=0, eta=1.0)
    assert child.sources() <= {g.FATHER, g.MOTHER}


def test_a_drawn_skin_lies_between_the_parents_but_a_chosen_one_is_kept() -> None:
    shares = []
    for seed in range(40):
        skin = _draw(seed=seed, pool_size=0).genes["skin"]
        assert set(skin.weights) <= {g.FATHER, g.MOTHER}
        assert sum(skin.weights.values()) == pytest.approx(1.0)
        shares.append(skin.weights[g.FATHER])
    low, high = g.SKIN_BLEND
    assert min(shares) >= low and max(shares) <= high
    # Whole-parent draws (the skin not crossed) land on the bounds, crossed ones in between.
    assert low in shares and high in shares and any(low < s < high for s in shares)
    for choice, expected in (("father", {g.FATHER: 1.0}), ("mother", {g.MOTHER: 1.0})):
        assert _draw(pool_size=0, regions={"skin": RegionChoice(choice)}).genes["skin"].weights == expected
    assert _draw(pool_size=0, regions={"skin": RegionChoice("weight", 0.9)}).genes["skin"].weights[g.FATHER] == 0.9
    # With a pool, a skin gene replaced by a pool face's stays that face's, as in StyleGene.
    pooled = [_draw(seed=seed).genes["skin"] for seed in range(20)]
    assert any(min(gene.weights) >= g.POOL_START for gene in pooled)


def test_unknown_region_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown regions"):
        _draw(regions={"ears": RegionChoice("father")})


def test_child_geometry_mixes_each_region() -> None:
    father = np.zeros((68, 2))
    mother = np.ones((68, 2))
    child = _draw(regions={name: RegionChoice("weight", 0.25) for name in g.GEOMETRY_GENES})
    shape = g.child_geometry(child, {g.FATHER: father, g.MOTHER: mother})
    assert np.allclose(shape, 0.75)
    table = child.weight_table()
    assert table.shape == (len(g.GENES), 3)
    assert np.allclose(table.sum(axis=1), 1.0)


def test_the_mouths_opening_is_that_of_the_source_its_pixels_come_from() -> None:
    # Both parents' lips alike outside; the father's closed, the mother's open.
    father = np.tile(np.linspace(0.3, 0.7, 68)[:, None], (1, 2))
    mother = father.copy()
    mother[[61, 62, 63], 1] -= 0.02
    mother[[65, 66, 67], 1] += 0.02
    child = _draw(pool_size=0, regions={"mouth": RegionChoice("father")})
    shapes = {g.FATHER: father, g.MOTHER: mother}
    closed = g.child_geometry(child, shapes)
    opened = g.child_geometry(child, shapes, mouth_pixels=g.MOTHER)
    gap = lambda shape: float(shape[[65, 66, 67], 1].mean() - shape[[61, 62, 63], 1].mean())  # noqa: E731
    assert gap(opened) > gap(closed) + 0.03
    assert np.allclose(opened[:60], closed[:60])


def test_a_mouth_keeps_its_place_between_the_nose_and_the_chin() -> None:
    # The mother's nose tip, mouth and chin at 0.6, 0.7 and 0.9; the father's face is longer below
    # the nose (mouth 0.75, chin 1.0). A child with her outline and nose and his mouth has his
    # mouth's place in proportion (0.375 of the way from nose to chin), not at his 0.75 in the
    # frame, where it lay 0.15 above her chin: a laughing CC0 father's daughters had their lower
    # lips nearly on the chin.
    mother = np.full((68, 2), 0.4)
    mother[33, 1], mother[48:68, 1], mother[8, 1] = 0.6, 0.7, 0.9
    father = mother.copy()
    father[48:68, 1], father[8, 1] = 0.75, 1.0
    regions = {name: RegionChoice("mother") for name in g.GEOMETRY_GENES}
    regions["mouth"] = RegionChoice("father")
    child = g.child_geometry(_draw(pool_size=0, regions=regions), {g.FATHER: father, g.MOTHER: mother})
    assert child[8, 1] == pytest.approx(0.9) and child[33, 1] == pytest.approx(0.6)
    assert child[48:68, 1].mean() == pytest.approx(0.6 + 0.375 * 0.3)
    # Its shape is still his: the mouth is moved, not reshaped.
    assert np.allclose(child[48:68] - child[48:68].mean(axis=0), father[48:68] - father[48:68].mean(axis=0))


def test_children_draw_a_wider_shape_jitter_and_the_same_other_genes() -> None:
    adult, child = _draw(seed=3, age_group="20-29"), _draw(seed=3, age_group="3-9")
    assert g.shape_jitter("3-9") == g.YOUNG_SHAPE_JITTER["3-9"] > g.shape_jitter("20-29") == g.SHAPE_JITTER
    ratio = g.shape_jitter("3-9") / g.SHAPE_JITTER
    for name in g.GENES:
        assert child.genes[name].weights == adult.genes[name].weights
        assert child.genes[name].shift == adult.genes[name].shift
        assert child.genes[name].scale - 1.0 == pytest.approx((adult.genes[name].scale - 1.0) * ratio)
    assert child.hair == adult.hair and child.crossed == adult.crossed
