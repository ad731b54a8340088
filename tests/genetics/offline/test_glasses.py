"""The nose-bridge glasses heuristic and its use when picking a feature's pixels."""

from __future__ import annotations

import dataclasses

import cv2
import numpy as np

from genetics.engine import PreparedParent
from genetics.images import luma
from genetics.offline.engine import _Renderer
from genetics.offline.genes import FATHER, MOTHER, Gene
from genetics.offline.glasses import GLASSES_THRESHOLD, glasses_score, lens_zone


def test_grace_hopper_wears_glasses_the_astronaut_does_not(
    prepared_pair: tuple[PreparedParent, PreparedParent],
) -> None:
    astronaut, hopper = prepared_pair
    assert astronaut.meta["glasses_score"] < GLASSES_THRESHOLD < hopper.meta["glasses_score"]


def test_a_drawn_bridge_counts_as_glasses(prepared_pair: tuple[PreparedParent, PreparedParent]) -> None:
    astronaut, _ = prepared_pair
    aligned = astronaut.arrays["aligned"].copy()
    lm = astronaut.arrays["landmarks"] * aligned.shape[0]
    y, x = int(lm[27, 1]), int(lm[27, 0])
    aligned[y - 6 : y + 6, x - 80 : x + 80] = 20  # a dark frame bridge across the nose
    assert glasses_score(aligned, astronaut.arrays["landmarks"]) > GLASSES_THRESHOLD


def test_eyes_and_brows_avoid_a_parent_with_glasses(prepared_pair: tuple[PreparedParent, PreparedParent]) -> None:
    astronaut, hopper = prepared_pair
    renderer = _Renderer(128, [astronaut, hopper], [None, None], "3-9")
    from_hopper = Gene(weights={MOTHER: 1.0})
    assert renderer._appearance_source("eyes", from_hopper) == FATHER
    assert renderer._appearance_source("brows", from_hopper) == FATHER
    assert renderer._appearance_source("mouth", from_hopper) == MOTHER
    both_glasses = _Renderer(128, [hopper, hopper], [None, None], "3-9")
    assert both_glasses._appearance_source("eyes", Gene(weights={FATHER: 1.0})) == FATHER
    assert np.isfinite(astronaut.meta["glasses_score"])


def _with_drawn_glasses(parent: PreparedParent) -> tuple[PreparedParent, list[tuple[int, int]]]:
    """``parent`` wearing drawn glasses (two dark rims and a bridge), and points on the rims'
    lower arcs over the cheeks (aligned-frame pixels)."""
    aligned = parent.arrays["aligned"].copy()
    lm = parent.arrays["landmarks"] * aligned.shape[0]
    eyes = [lm[36:42].mean(axis=0), lm[42:48].mean(axis=0)]
    apart = float(np.linalg.norm(eyes[1] - eyes[0]))
    arcs = []
    for x, y in eyes:
        centre, axes = (round(x), round(y + 0.1 * apart)), (round(0.42 * apart), round(0.3 * apart))
        cv2.ellipse(aligned, centre, axes, 0, 0, 360, (20, 20, 20), 8)
        for angle in np.radians([60, 75, 90, 105, 120]):
            arcs.append((round(centre[0] + axes[0] * np.cos(angle)), round(centre[1] + axes[1] * np.sin(angle))))
    cv2.line(
        aligned,
        (round(eyes[0][0] + 0.42 * apart), round(eyes[0][1])),
        (round(eyes[1][0] - 0.42 * apart), round(eyes[1][1])),
        (20, 20, 20),
        8,
    )
    meta = dict(parent.meta, glasses_score=glasses_score(aligned, parent.arrays["landmarks"]))
    return dataclasses.replace(parent, arrays=dict(parent.arrays, aligned=aligned), meta=meta), arcs


def test_a_parents_glasses_are_filled_in_where_its_skin_is_used(
    prepared_pair: tuple[PreparedParent, PreparedParent],
) -> None:
    astronaut, _ = prepared_pair
    glasses, arcs = _with_drawn_glasses(astronaut)
    assert glasses.meta["glasses_score"] > GLASSES_THRESHOLD
    size = 256
    # The same face twice, once with glasses: the reference shape is that face's, so the frames'
    # pixels stay where they were drawn (at render size).
    renderer = _Renderer(size, [glasses, astronaut], [None, None], "3-9")
    worn, bare = renderer.source(FATHER), renderer.source(MOTHER)
    scale = size / astronaut.arrays["aligned"].shape[0]
    rows, cols = (np.array(v) for v in zip(*[(round(y * scale), round(x * scale)) for x, y in arcs]))
    for name, image in (("whole", worn.low + worn.high), ("skin", worn.skin_low)):
        grey = luma(image)
        # A rim shows as a dip between the skin above and below it (drawn, ~100 grey levels).
        dip = (grey[rows - 4, cols] + grey[rows + 4, cols]) / 2.0 - grey[rows, cols]
        assert dip.max() < 20, name
    # The fill is skin: near the bare face's (its lit cheeks' shading is not kept).
    assert np.abs(luma(worn.skin_low)[rows, cols] - luma(bare.skin_low)[rows, cols]).max() < 60
    # The eyes themselves are kept (used when every source wears glasses), not filled with skin.
    x, y = (renderer.reference[[37, 38, 40, 41]].mean(axis=0) * size).round().astype(int)
    assert lens_zone(renderer.reference, size)[y, x] > 0.9
    pupil, skin = luma(worn.low + worn.high)[y, x], luma(bare.skin_low)[y + size // 10, x]
    assert pupil < skin - 40
    assert abs(pupil - luma(bare.low + bare.high)[y, x]) < 10
