"""Objects in front of a parent's lower face (genetics.offline.occlusion.foreign_colours) and hair
framing it (skin_trust)."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from genetics.engine import GenerationParams, RegionChoice
from genetics.gate import gate_face
from genetics.images import luma
from genetics.offline import OfflineEngine, blending, geometry
from genetics.offline.facial_hair import lips_mask
from genetics.offline.occlusion import SKIN_RIM, disc, foreign_colours, skin_trust
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


def _with_hair_over_her_cheeks(image: np.ndarray) -> np.ndarray:
    """The photo with black hair falling in over both sides of the face, from the temples to the
    jaw's angles: a strip along the face's outline, 0.12 of the face's width deep."""
    lm = gate_face(image).photo_landmarks
    out = image.copy()
    depth = max(2, round(0.12 * float(np.ptp(lm[:, 0]))))
    for side in (lm[0:5], lm[12:17]):
        cv2.polylines(out, [np.round(side).astype(np.int32)], False, (12, 10, 10), 2 * depth)
    return out


def test_hair_over_a_faces_rim_is_not_trusted_as_its_skin(engine: OfflineEngine) -> None:
    bare = engine.prepare_parent(sample("astronaut"))
    framed = engine.prepare_parent(_with_hair_over_her_cheeks(sample("astronaut")))
    size = bare.arrays["aligned"].shape[0]
    for prepared in (bare, framed):
        trust = skin_trust(prepared.arrays["aligned"], prepared.arrays["landmarks"])
        hull = blending.fill_polygon(size, geometry.face_hull(prepared.arrays["landmarks"])) > 0
        assert trust[~hull].max() == 0.0
        # Inside the rim everything is the face's own, shading and features alike.
        inner = cv2.erode(hull.astype(np.uint8), disc(2 * SKIN_RIM * size)) > 0
        assert trust[inner].min() == 1.0
    hair = np.all(framed.arrays["aligned"] < 40, axis=2) & (
        blending.fill_polygon(size, geometry.face_hull(framed.arrays["landmarks"])) > 0
    )
    trust = skin_trust(framed.arrays["aligned"], framed.arrays["landmarks"])
    assert hair.sum() > 2000 and (trust[hair] == 0.0).mean() > 0.9
    # Her own face's rim is trusted.
    rim = (blending.fill_polygon(size, geometry.face_hull(bare.arrays["landmarks"])) > 0) & ~hair
    assert skin_trust(bare.arrays["aligned"], bare.arrays["landmarks"])[rim].mean() > 0.9


def test_hair_framing_a_mothers_face_does_not_darken_her_daughters_face(engine: OfflineEngine) -> None:
    father = engine.prepare_parent(sample("obama"))
    regions = {name: RegionChoice("mother") for name in REGIONS}
    params = GenerationParams(age_group="3-9", gender="female", num_candidates=1, resolution=256, regions=regions)
    brightness = []
    for mother_image in (sample("astronaut"), _with_hair_over_her_cheeks(sample("astronaut"))):
        (candidate,) = engine.generate(father, engine.prepare_parent(mother_image), params).candidates
        size = candidate.image.shape[0]
        lm = candidate.genes["landmarks"]
        hull = blending.fill_polygon(size, geometry.face_hull(lm)) > 0
        # The cheeks' sides, inside the strip the hair covered (whose own pixels are drawn anew).
        sides = hull & ~(cv2.erode(hull.astype(np.uint8), disc(0.16 * size)) > 0)
        sides[: int(lm[29, 1] * size)] = False
        brightness.append(float(luma(candidate.image[sides]).mean()))
    # Averaged with the hair, the skin beside it was 10 grey levels darker (0.1.34).
    assert brightness[1] > brightness[0] - 5.0, brightness
