"""Gene-pool grouping and its documented fallback."""

from __future__ import annotations

import numpy as np
import pytest

from genetics.engine import PreparedParent
from genetics.offline.pool import GenePool, PoolFace


def _face(tag: str) -> PreparedParent:
    return PreparedParent(
        engine="offline", model_key="k", arrays={"landmarks": np.zeros((68, 2))}, meta={"image_sha256": tag}
    )


@pytest.fixture()
def pool() -> GenePool:
    return GenePool(
        [
            PoolFace(_face("a"), "3-9", "female", "White"),
            PoolFace(_face("b"), "3-9", "female", "Black"),
            PoolFace(_face("c"), "3-9", "male", None),
            PoolFace(_face("d"), "30-39", "male", "Indian"),
        ]
    )


def _tags(selection) -> set[str]:  # type: ignore[no-untyped-def]
    return {f.face.meta["image_sha256"] for f in selection.faces}


def test_exact_group(pool: GenePool) -> None:
    selection = pool.select("3-9", "female", ("Black",))
    assert selection.level == "exact" and _tags(selection) == {"b"}
    assert _tags(pool.select("3-9", "female")) == {"a", "b"}


def test_fallback_steps(pool: GenePool) -> None:
    assert pool.select("3-9", "male", ("White",)).level == "any_ancestry"
    no_female_adults = pool.select("30-39", "female")
    assert no_female_adults.level == "any_sex" and _tags(no_female_adults) == {"d"}
    nearest = pool.select("0-2", "male")
    assert nearest.level == "nearest_age" and _tags(nearest) == {"c"}
    assert GenePool().select("3-9", "female").level == "parents"


def test_bad_groups_are_refused() -> None:
    with pytest.raises(ValueError):
        PoolFace(_face("x"), "4-8", "female")
    with pytest.raises(ValueError):
        PoolFace(_face("x"), "3-9", "female", "Martian")


def test_fingerprint_depends_on_faces(pool: GenePool) -> None:
    assert pool.fingerprint() == GenePool(pool.faces).fingerprint()
    assert pool.fingerprint() != GenePool(pool.faces[:2]).fingerprint()
