"""Gene pool: official layout round trip (memory-mapped), queries and fallback rules, building."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from PIL import Image

from genetics.errors import CheckpointMismatch
from genetics.stylegene.gene_pool import GenePool, build_pool_from_folder, read_attribute_table

SHAPE = (1, 2, 34, 3)


def _pair(value: float):
    return torch.full(SHAPE, value), torch.full(SHAPE, -value)


@pytest.fixture()
def pool() -> GenePool:
    return GenePool(
        {
            "3-9-female-White": [_pair(1.0), _pair(2.0)],
            "10-19-female-Black": [_pair(3.0)],
            "0-2-female-Black": [_pair(4.0)],
            "3-9-male-Indian": [_pair(5.0)],
        }
    )


def test_exact_keys_union_in_couple_order(pool):
    query = pool.query("3-9", "female", ["White", "White"])
    assert query.keys == ["3-9-female-White"] and len(query.genes) == 2 and not query.fallbacks


def test_nearest_age_younger_wins_ties(pool):
    query = pool.query("3-9", "female", ["Black"])
    assert query.keys == ["0-2-female-Black"]
    assert "nearest age group" in query.fallbacks[0]


def test_other_gender_then_nothing(pool):
    assert pool.query("3-9", "female", ["Indian"]).keys == ["3-9-male-Indian"]
    query = pool.query("3-9", "female", ["East Asian"])
    assert query.genes == [] and "no gene of race" in query.fallbacks[0]


def test_unknown_races_use_every_race(pool):
    assert pool.query("3-9", "female", []).keys == ["3-9-female-White", "0-2-female-Black", "3-9-male-Indian"]


def test_save_and_load_official_layout(tmp_path, pool):
    path = tmp_path / "geneFactorPool.pkl"
    pool.save(path)
    loaded = GenePool.load_official(path, gene_shape=SHAPE)
    assert sorted(loaded.keys()) == sorted(pool.keys()) and len(loaded) == 5
    assert torch.equal(loaded.entry("3-9-female-White")[1][0], torch.full(SHAPE, 2.0))
    with pytest.raises(CheckpointMismatch):
        GenePool.load_official(path)  # official shape [1, 18, 34, 512]


def test_build_from_folder_with_table(tmp_path):
    for name in ("a.png", "b.png", "c.png"):
        Image.fromarray(np.zeros((8, 8, 3), dtype=np.uint8)).save(tmp_path / name)
    table = tmp_path / "faces.csv"
    table.write_text(
        "file,age_group,gender,race\na.png,3-9,male,White\nb.png,3-9,male,White\nc.png,70+,female,Middle Eastern\n"
    )
    seen = []

    def encode(image):
        seen.append(image.shape)
        return _pair(float(len(seen)))

    built = build_pool_from_folder(tmp_path, table, encode, max_per_key=1)
    assert seen == [(8, 8, 3)] * 3
    assert built.keys() == ["3-9-male-White", "70+-female-Middle Eastern"] and len(built) == 2
    table.write_text("file,age_group,gender,race\na.png,adult,male,White\n")
    with pytest.raises(ValueError):
        read_attribute_table(table)
