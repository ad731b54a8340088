"""Lipstick is make-up, not a gene: toned down to bare lips' colour before a child takes a mouth."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from genetics.engine import GenerationParams, RegionChoice
from genetics.faces import detect_faces
from genetics.offline import OfflineEngine
from genetics.offline.blending import fill_polygon
from genetics.offline.makeup import DARKEST_LIPS, NATURAL_LIPS, TONED_LIPS, lips_colour_distance, without_lipstick
from genetics.samples import sample


def _painted(image: np.ndarray, landmarks: np.ndarray) -> np.ndarray:
    """``image`` with red lipstick on its lips (``landmarks`` in pixels): redder and 20 darker."""
    height, width = image.shape[:2]
    lips = np.zeros((height, width), dtype=np.uint8)
    cv2.fillPoly(lips, [np.round(landmarks[48:60]).astype(np.int32)], 1)
    cv2.fillPoly(lips, [np.round(landmarks[60:68]).astype(np.int32)], 0)
    lab = cv2.cvtColor(image.astype(np.float32) / 255.0, cv2.COLOR_RGB2LAB)
    lab[lips > 0] += np.array([-20.0, 28.0, 4.0], dtype=np.float32)
    return np.clip(cv2.cvtColor(lab, cv2.COLOR_LAB2RGB) * 255.0 + 0.5, 0, 255).astype(np.uint8)


@pytest.fixture(scope="module")
def engine() -> OfflineEngine:
    return OfflineEngine()


@pytest.mark.parametrize("name", ["astronaut", "grace_hopper", "obama", "obama2", "biden"])
def test_bare_lips_are_left_as_they_are(engine: OfflineEngine, name: str) -> None:
    prepared = engine.prepare_parent(sample(name))
    aligned, landmarks = prepared.arrays["aligned"], prepared.arrays["landmarks"]
    assert lips_colour_distance(aligned, landmarks)[0] <= NATURAL_LIPS
    assert without_lipstick(aligned, landmarks) is aligned


def test_lipstick_is_toned_down_to_bare_lips_colour_and_nothing_else_changes(engine: OfflineEngine) -> None:
    prepared = engine.prepare_parent(sample("astronaut"))
    landmarks = prepared.arrays["landmarks"]
    size = prepared.arrays["aligned"].shape[0]
    painted = _painted(prepared.arrays["aligned"], landmarks * size)
    distance, lips, cheeks = lips_colour_distance(painted, landmarks)
    assert distance > 25.0 and lips[0] - cheeks[0] < DARKEST_LIPS - 5.0
    toned = without_lipstick(painted, landmarks)
    distance, lips, cheeks = lips_colour_distance(toned, landmarks)
    assert distance == pytest.approx(TONED_LIPS, abs=1.5)
    assert lips[0] - cheeks[0] == pytest.approx(DARKEST_LIPS, abs=2.0)
    # Away from the lips (past the feather) every pixel is the photo's.
    near = cv2.dilate(fill_polygon(size, landmarks[48:60]), np.ones((int(0.1 * size),) * 2, np.uint8))
    assert np.array_equal(toned[near == 0], painted[near == 0])


def test_a_son_does_not_inherit_his_mothers_lipstick(engine: OfflineEngine) -> None:
    photo = sample("astronaut")
    (face,) = detect_faces(photo)
    mother = engine.prepare_parent(_painted(photo, face.landmarks))
    assert lips_colour_distance(mother.arrays["aligned"], mother.arrays["landmarks"])[0] > 25.0
    father = engine.prepare_parent(sample("obama"))
    params = GenerationParams(
        age_group="20-29", gender="male", num_candidates=2, resolution=256, regions={"mouth": RegionChoice("mother")}
    )
    for candidate in engine.generate(father, mother, params).candidates:
        assert lips_colour_distance(candidate.image, candidate.genes["landmarks"])[0] < NATURAL_LIPS
