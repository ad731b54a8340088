"""The nose-bridge glasses heuristic and its use when picking a feature's pixels."""

from __future__ import annotations

import numpy as np

from genetics.engine import PreparedParent
from genetics.offline.engine import _Renderer
from genetics.offline.genes import FATHER, MOTHER, Gene
from genetics.offline.glasses import GLASSES_THRESHOLD, glasses_score


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
