"""Embeddings, resemblance, diversity and ranking on the public-domain portraits."""

from __future__ import annotations

import numpy as np
import pytest

from genetics import faces, metrics


def test_embedding_separates_people_and_survives_a_mirror(
    astronaut_image: np.ndarray, hopper_image: np.ndarray
) -> None:
    astro = metrics.embed_image(astronaut_image)
    astro_mirror = metrics.embed_image(np.ascontiguousarray(astronaut_image[:, ::-1]))
    hopper = metrics.embed_image(hopper_image)
    assert astro.shape == (metrics.EMBEDDING_SIZE,) and astro.dtype == np.float64
    assert metrics.face_distance(astro, astro_mirror) < 0.45
    assert metrics.face_distance(astro, hopper) > 0.6


def test_embed_face_uses_the_given_face(astronaut_image: np.ndarray) -> None:
    face = faces.choose_face(faces.detect_faces(astronaut_image))
    assert np.array_equal(metrics.embed_face(astronaut_image, face), metrics.embed_image(astronaut_image))


def test_resemblance_score_orders_children() -> None:
    father, mother = np.zeros(128), np.zeros(128)
    mother[0] = 1.0
    between = np.zeros(128)
    between[0] = 0.5
    stranger = np.zeros(128)
    stranger[1] = 2.0
    near = metrics.resemblance(between, father, mother)
    far = metrics.resemblance(stranger, father, mother)
    assert near.to_father == pytest.approx(0.5) and near.to_mother == pytest.approx(0.5)
    assert near.score == pytest.approx(1 - 0.5 / metrics.UNRELATED_DISTANCE)
    assert far.score == 0.0
    assert set(near.as_dict()) == {"to_father", "to_mother", "score"}


def test_diversity_is_mean_pairwise_distance() -> None:
    points = [np.array([0.0, 0.0]), np.array([3.0, 0.0]), np.array([0.0, 4.0])]
    assert metrics.diversity(points) == pytest.approx((3 + 4 + 5) / 3)
    assert metrics.diversity(points[:1]) == 0.0


def test_rank_by_similarity_puts_the_closest_first() -> None:
    query = np.array([0.0, 0.0])
    ranked = metrics.rank_by_similarity(
        query, [np.array([2.0, 0]), np.array([1.0, 0]), np.array([1.0, 0]), np.array([0, 5.0])]
    )
    assert [i for i, _ in ranked] == [1, 2, 0, 3]
    assert ranked[0][1] == pytest.approx(1.0)
