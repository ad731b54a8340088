"""Objects in front of a parent's lower face (genetics.offline.occlusion.foreign_colours)."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from genetics.engine import GenerationParams, RegionChoice
from genetics.gate import gate_face
from genetics.offline import OfflineEngine
from genetics.offline.facial_hair import lips_mask
from genetics.offline.occlusion import foreign_colours
from genetics.parameters import REGIONS
from genetics.samples import sample

STRAW = (215, 25, 35)


def _with_straw(image: np.ndarray) -> np.ndarray:
    """The photo with a red drinking straw from between the lips down past the chin."""
    lm = gate_face(image).photo_landmarks
    out = image.copy()
    width = max(2, round(0.035 * float(np.ptp(lm[:, 0]))))
    top = (lm[62] + lm[66]) / 2
    cv2.line(out, (round(top[0]), round(top[1])), (round(lm[8, 0]), image.shape[0] - 1), STRAW, width)
    return out


def _chin_redness(image: np.ndarray, landmarks: np.ndarray) -> float:
    """The 99th percentile of CIE Lab a* on the chin (below the lips, inside the jaw) less the
    cheeks' median."""
    size = image.shape[0]
    lm = landmarks * size
    redness = cv2.cvtColor(image.astype(np.float32) / 255.0, cv2.COLOR_RGB2LAB)[..., 1]
    rows = slice(int(lm[29, 1]), int(lm[33, 1]))
    cheeks = np.concatenate(
        [redness[rows, int(lm[2, 0]) : int(lm[31, 0])].ravel(), redness[rows, int(lm[35, 0]) : int(lm[14, 0])].ravel()]
    )
    chin = redness[int(lm[57, 1]) + 3 : int(lm[8, 1]) - 3, int(lm[48, 0]) : int(lm[54, 0])]
    return float(np.percentile(chin, 99) - np.median(cheeks))


@pytest.fixture(scope="module")
def engine() -> OfflineEngine:
    return OfflineEngine()


def test_a_straw_on_the_chin_is_found_and_bare_faces_show_none(engine: OfflineEngine) -> None:
    for name in ("obama", "obama2", "biden", "astronaut", "grace_hopper"):
        prepared = engine.prepare_parent(sample(name))
        found = foreign_colours(prepared.arrays["aligned"], prepared.arrays["landmarks"])
        assert (found > 0.5).mean() < 1e-3, name
    prepared = engine.prepare_parent(_with_straw(sample("astronaut")))
    aligned, lm = prepared.arrays["aligned"], prepared.arrays["landmarks"]
    found = foreign_colours(aligned, lm) > 0.5
    size = aligned.shape[0]
    straw = np.all(np.abs(aligned.astype(int) - STRAW) < 40, axis=2)
    on_chin = straw.copy()
    on_chin[: int((lm[57, 1] + 0.03) * size)] = False
    on_chin[int(lm[8, 1] * size) :] = False
    assert on_chin.sum() > 200 and found[on_chin].mean() > 0.9
    # The lips are left alone (lipstick is no object).
    assert not found[lips_mask(lm, size) > 0].any()


def test_a_straw_held_by_a_mother_never_reaches_her_daughters_chin(
    engine: OfflineEngine, monkeypatch: pytest.MonkeyPatch
) -> None:
    father = engine.prepare_parent(sample("obama"))
    mother = engine.prepare_parent(_with_straw(sample("astronaut")))
    regions = {name: RegionChoice("mother") for name in REGIONS}
    params = GenerationParams(age_group="3-9", gender="female", num_candidates=1, resolution=256, regions=regions)
    (candidate,) = engine.generate(father, mother, params).candidates
    assert _chin_redness(candidate.image, candidate.genes["landmarks"]) < 12.0
