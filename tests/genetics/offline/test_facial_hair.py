"""Moustaches and beards are grooming, not genes: found on a parent, they never reach a child."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from genetics.engine import Candidate, GenerationParams, RegionChoice
from genetics.gate import gate_face
from genetics.offline import OfflineEngine
from genetics.offline.facial_hair import (
    BEARD_SHARE,
    MOUSTACHE_SHARE,
    STUBBLE_REDNESS,
    facial_hair_shares,
    wears_facial_hair,
)
from genetics.parameters import REGIONS
from genetics.samples import sample


def _with_moustache(image: np.ndarray) -> np.ndarray:
    """The photo with a dark brown moustache painted from under the nose to over the upper lip."""
    lm = gate_face(image).photo_landmarks
    out = image.copy()
    zone = np.concatenate([lm[31:36], lm[[54, 53, 52, 51, 50, 49, 48]]])
    centre = zone.mean(axis=0)
    mask = np.zeros(image.shape[:2], dtype=np.uint8)
    cv2.fillPoly(mask, [np.round(centre + (zone - centre) * [1.25, 1.1]).astype(np.int32)], 1)
    grain = np.random.default_rng(0).normal(0.0, 8.0, image.shape)
    hair = np.clip(np.array([45.0, 32.0, 24.0]) + grain, 0, 255)
    out[mask > 0] = hair[mask > 0].astype(np.uint8)
    return out


CHIN = [3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 54, 55, 56, 57, 58, 59, 48]
LOWER_FACE = [2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 35, 34, 33, 32, 31]


def _with_stubble(image: np.ndarray, zone: list[int] = CHIN) -> np.ndarray:
    """The photo with grey stubble over ``zone`` (landmarks; default the chin and jaw below the
    mouth, the lips left bare): the skin's own brightness, a third of its colour, a fine grain."""
    lm = gate_face(image).photo_landmarks
    mask = np.zeros(image.shape[:2], dtype=np.uint8)
    cv2.fillPoly(mask, [np.round(lm[zone]).astype(np.int32)], 1)
    cv2.fillPoly(mask, [np.round(lm[48:60]).astype(np.int32)], 0)
    out = image.astype(np.float32)
    grey = out.mean(axis=2, keepdims=True)
    grain = np.random.default_rng(0).normal(0.0, 6.0, image.shape[:2])[..., None]
    stubbled = grey + 0.35 * (out - grey) + grain
    out[mask > 0] = stubbled[mask > 0]
    return np.clip(out + 0.5, 0, 255).astype(np.uint8)


def _cheeks(channel: np.ndarray, lm: np.ndarray) -> np.ndarray:
    """The values of ``channel`` on both cheeks, beside the nose (``lm`` in pixels)."""
    rows = slice(int(lm[29, 1]), int(lm[33, 1]))
    return np.concatenate(
        [channel[rows, int(lm[2, 0]) : int(lm[31, 0])].ravel(), channel[rows, int(lm[35, 0]) : int(lm[14, 0])].ravel()]
    )


def _chin_redness(image: np.ndarray, landmarks: np.ndarray) -> float:
    """CIELAB a* of the chin between the mouth's corners and the jaw's bottom, less the cheeks'."""
    lm = landmarks * image.shape[0]
    redness = cv2.cvtColor(image.astype(np.float32) / 255.0, cv2.COLOR_RGB2LAB)[..., 1]
    cheeks = _cheeks(redness, lm)
    chin = redness[int(lm[57, 1]) + 3 : int(lm[8, 1]) - 3, int(lm[48, 0]) : int(lm[54, 0])]
    return float(np.median(chin) - np.median(cheeks))


@pytest.fixture(scope="module")
def engine() -> OfflineEngine:
    return OfflineEngine()


def test_bare_faces_pass_and_a_moustache_is_found(engine: OfflineEngine) -> None:
    for name in ("obama", "obama2", "biden", "astronaut", "grace_hopper"):
        shares = engine.prepare_parent(sample(name)).meta["facial_hair"]
        assert shares["moustache"] < MOUSTACHE_SHARE and shares["beard"] < BEARD_SHARE, name
    moustached = engine.prepare_parent(_with_moustache(sample("obama")))
    assert wears_facial_hair(moustached.meta["facial_hair"]) == ("moustache",)
    aligned, landmarks = moustached.arrays["aligned"], moustached.arrays["landmarks"]
    assert facial_hair_shares(aligned, landmarks) == moustached.meta["facial_hair"]


def _upper_lip_darkness(image: np.ndarray, landmarks: np.ndarray) -> float:
    """Share of the skin between the nose and the lips darker than 0.7 of the cheeks."""
    size = image.shape[0]
    lm = landmarks * size
    grey = cv2.cvtColor(image, cv2.COLOR_RGB2GRAY).astype(float)
    cheeks = _cheeks(grey, lm)
    mask = np.zeros((size, size), dtype=np.uint8)
    top = int(lm[33, 1]) + 2
    bottom = int(lm[48:55, 1].min()) - 1
    mask[top:bottom, int(lm[48, 0]) : int(lm[54, 0])] = 1
    return float((grey[mask > 0] < 0.7 * np.median(cheeks)).mean())


def _daughters(engine: OfflineEngine, father_image: np.ndarray, age_group: str, count: int) -> list[Candidate]:
    """Daughters of ``father_image`` and the astronaut with every gene their father's: without the
    fill they wore what he wears."""
    father = engine.prepare_parent(father_image)
    mother = engine.prepare_parent(sample("astronaut"))
    regions = {name: RegionChoice("father") for name in REGIONS}
    params = GenerationParams(
        age_group=age_group, gender="female", num_candidates=count, resolution=256, regions=regions
    )
    return engine.generate(father, mother, params).candidates


@pytest.mark.parametrize("age_group", ["3-9", "20-29"])
def test_a_fathers_moustache_never_reaches_his_daughters(engine: OfflineEngine, age_group: str) -> None:
    for candidate in _daughters(engine, _with_moustache(sample("obama")), age_group, 2):
        assert _upper_lip_darkness(candidate.image, candidate.genes["landmarks"]) < 0.2


def test_grey_stubble_no_darker_than_the_skin_counts_as_a_beard(engine: OfflineEngine) -> None:
    for name in ("obama", "biden"):
        shares = engine.prepare_parent(_with_stubble(sample(name))).meta["facial_hair"]
        # Not by its darkness (stubble on fair skin is hardly darker) but by its colour.
        assert shares["beard"] < BEARD_SHARE and shares["chin_redness"] <= STUBBLE_REDNESS, name
        assert "beard" in wears_facial_hair(shares), name
    for name in ("obama", "obama2", "biden", "astronaut", "grace_hopper"):
        assert engine.prepare_parent(sample(name)).meta["facial_hair"]["chin_redness"] > STUBBLE_REDNESS, name


@pytest.mark.parametrize("age_group", ["3-9", "20-29"])
def test_a_fathers_stubble_never_greys_his_daughters_chin(engine: OfflineEngine, age_group: str) -> None:
    (candidate,) = _daughters(engine, _with_stubble(sample("biden")), age_group, 1)
    # The father's chin is 13.9 less red than his cheeks; his bare chin 0.6.
    assert _chin_redness(candidate.image, candidate.genes["landmarks"]) > -3.0


def _upper_lip_redness(image: np.ndarray, landmarks: np.ndarray) -> float:
    """CIELAB a* of the skin between the nose and the lips, and beside the mouth's corners, less the
    cheeks'."""
    lm = landmarks * image.shape[0]
    redness = cv2.cvtColor(image.astype(np.float32) / 255.0, cv2.COLOR_RGB2LAB)[..., 1]
    top, bottom = int(lm[33, 1]) + 2, int(lm[48:55, 1].min()) - 1
    width = int(lm[54, 0] - lm[48, 0]) // 4
    around = np.concatenate(
        [
            redness[top:bottom, int(lm[48, 0]) : int(lm[54, 0])].ravel(),
            redness[int(lm[48, 1]) - 3 : int(lm[48, 1]) + 3, int(lm[48, 0]) - width : int(lm[48, 0]) - 2].ravel(),
            redness[int(lm[54, 1]) - 3 : int(lm[54, 1]) + 3, int(lm[54, 0]) + 2 : int(lm[54, 0]) + width].ravel(),
        ]
    )
    return float(np.median(around) - np.median(_cheeks(redness, lm)))


@pytest.mark.parametrize("age_group", ["3-9", "20-29"])
def test_stubble_over_a_fathers_upper_lip_and_beside_his_mouth_never_reaches_his_daughters(
    engine: OfflineEngine, age_group: str
) -> None:
    # Found by his chin, a beard is filled in wherever it grows: stubble is as grey over the
    # upper lip and beside the mouth, where it ringed his daughters' mouths.
    (candidate,) = _daughters(engine, _with_stubble(sample("biden"), LOWER_FACE), age_group, 1)
    assert _upper_lip_redness(candidate.image, candidate.genes["landmarks"]) > -3.0
