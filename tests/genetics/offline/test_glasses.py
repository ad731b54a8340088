"""The glasses readings (the nose bridge and the rims under the eyes) and their use when picking a
feature's pixels."""

from __future__ import annotations

import dataclasses

import cv2
import numpy as np

from genetics.engine import PreparedParent
from genetics.images import luma
from genetics.offline.engine import _Renderer
from genetics.offline.genes import FATHER, MOTHER, Gene
from genetics.offline.glasses import (
    BRIDGE_ALONE,
    BRIDGE_WITH_RIMS,
    DARK_LENSES,
    RIM_ALONE,
    GlassesReading,
    lens_zone,
    read_glasses,
)


def _reading(parent: PreparedParent) -> GlassesReading:
    return GlassesReading.from_meta(parent.meta["glasses"])


def test_grace_hopper_wears_glasses_the_astronaut_does_not(
    prepared_pair: tuple[PreparedParent, PreparedParent],
) -> None:
    astronaut, hopper = prepared_pair
    assert _reading(hopper).wears and not _reading(astronaut).wears
    # Both readings see Hopper's frame, neither on the astronaut's bare face.
    assert _reading(hopper).bridge > BRIDGE_ALONE and _reading(hopper).lower_rim > RIM_ALONE
    assert _reading(astronaut).bridge < BRIDGE_WITH_RIMS and _reading(astronaut).lower_rim < RIM_ALONE / 2
    # The user is told whose eyes the children will have.
    assert any(note.startswith("Glasses were found on this face: the candidates' eyes") for note in hopper.user_notes)
    assert not any("glasses" in note.lower() for note in astronaut.user_notes)
    # The gate's own notes stay the same from either engine.
    assert not any("glasses" in note.lower() for note in hopper.meta.get("notes", []))


def _with_crease(parent: PreparedParent, darker: float) -> np.ndarray:
    """``parent``'s aligned face with a frown line across the top of the nose bridge: a short
    horizontal crease ``darker`` grey levels deep, blurred as skin creases are."""
    aligned = parent.arrays["aligned"].astype(np.float32)
    lm = parent.arrays["landmarks"] * aligned.shape[0]
    y, x = round(lm[27, 1]), round(lm[27, 0])
    crease = np.zeros(aligned.shape[:2], np.float32)
    cv2.line(crease, (x - 22, y), (x + 22, y), 1.0, 5)
    crease = cv2.GaussianBlur(crease, (0, 0), 2.0)
    return np.clip(aligned - darker * crease[..., None], 0, 255).astype(np.uint8)


def test_a_frown_line_on_the_bridge_is_not_glasses(prepared_pair: tuple[PreparedParent, PreparedParent]) -> None:
    astronaut, _ = prepared_pair
    reading = read_glasses(_with_crease(astronaut, 20.0), astronaut.arrays["landmarks"])
    # The bridge alone reads it as the bare faces of real photos that frowned or had a shaded
    # bridge did (4-7.4); no rim under the eyes confirms it.
    assert BRIDGE_WITH_RIMS < reading.bridge < BRIDGE_ALONE
    assert not reading.wears


def test_rims_under_the_eyes_count_as_glasses_with_a_faint_bridge_or_none(
    prepared_pair: tuple[PreparedParent, PreparedParent],
) -> None:
    astronaut, _ = prepared_pair
    framed, _ = _with_drawn_glasses(astronaut, bridge=False)
    reading = GlassesReading.from_meta(framed.meta["glasses"])
    assert reading.bridge < BRIDGE_WITH_RIMS and reading.lower_rim > RIM_ALONE
    assert reading.wears
    # A faint bridge (a tinted lens's, a thin one's) with fainter rims: the rims confirm it.
    faint = _faded(astronaut.arrays["aligned"], framed.arrays["aligned"], 0.2)
    faint = _with_crease(dataclasses.replace(astronaut, arrays=dict(astronaut.arrays, aligned=faint)), 20.0)
    reading = read_glasses(faint, astronaut.arrays["landmarks"])
    assert BRIDGE_WITH_RIMS < reading.bridge < BRIDGE_ALONE and reading.lower_rim < RIM_ALONE
    assert reading.wears


def _in_dark_lenses(parent: PreparedParent) -> np.ndarray:
    """Return ``parent``'s aligned face behind soft-edged dark lenses with no bridge: a real pair's
    edges read no stronger (bridge 2.2, rims 7.3)."""
    aligned = parent.arrays["aligned"].astype(np.float32)
    lm = parent.arrays["landmarks"] * aligned.shape[0]
    eyes = [lm[36:42].mean(axis=0), lm[42:48].mean(axis=0)]
    apart = float(np.linalg.norm(eyes[1] - eyes[0]))
    lenses = np.zeros(aligned.shape[:2], np.float32)
    for x, y in eyes:
        axes = (round(0.4 * apart), round(0.3 * apart))
        cv2.ellipse(lenses, (round(x), round(y + 0.08 * apart)), axes, 0, 0, 360, 1.0, -1)
    lenses = cv2.GaussianBlur(lenses, (0, 0), 10.0)[..., None]
    return np.clip(aligned * (1.0 - lenses) + 25.0 * lenses, 0, 255).astype(np.uint8)


def test_dark_lenses_count_as_glasses_though_no_frame_shows(
    prepared_pair: tuple[PreparedParent, PreparedParent],
) -> None:
    astronaut, _ = prepared_pair
    shaded = _in_dark_lenses(astronaut)
    reading = read_glasses(shaded, astronaut.arrays["landmarks"])
    assert reading.bridge < BRIDGE_WITH_RIMS and reading.lower_rim < RIM_ALONE
    assert reading.eye_light < DARK_LENSES < _reading(astronaut).eye_light
    assert reading.wears
    assert reading.note is not None and reading.note.startswith("Dark glasses hide the eyes:")


def _faded(bare: np.ndarray, drawn: np.ndarray, share: float) -> np.ndarray:
    return np.clip(bare * (1.0 - share) + drawn.astype(np.float32) * share, 0, 255).astype(np.uint8)


def test_a_frowning_parent_passes_on_his_eyes_and_brows(prepared_pair: tuple[PreparedParent, PreparedParent]) -> None:
    astronaut, _ = prepared_pair
    creased = _with_crease(astronaut, 20.0)
    frowning = dataclasses.replace(
        astronaut,
        arrays=dict(astronaut.arrays, aligned=creased),
        meta=dict(astronaut.meta, glasses=read_glasses(creased, astronaut.arrays["landmarks"]).as_meta()),
    )
    # Her bare face beside his: were his frown read as glasses, his eyes and brows would be hers.
    renderer = _Renderer(128, [frowning, astronaut], [None, None], "3-9")
    from_father = Gene(weights={FATHER: 1.0})
    assert renderer._appearance_source("eyes", from_father) == FATHER
    assert renderer._appearance_source("brows", from_father) == FATHER


def test_eyes_and_brows_avoid_a_parent_with_glasses(prepared_pair: tuple[PreparedParent, PreparedParent]) -> None:
    astronaut, hopper = prepared_pair
    renderer = _Renderer(128, [astronaut, hopper], [None, None], "3-9")
    from_hopper = Gene(weights={MOTHER: 1.0})
    assert renderer._appearance_source("eyes", from_hopper) == FATHER
    assert renderer._appearance_source("brows", from_hopper) == FATHER
    assert renderer._appearance_source("mouth", from_hopper) == MOTHER
    both_glasses = _Renderer(128, [hopper, hopper], [None, None], "3-9")
    assert both_glasses._appearance_source("eyes", Gene(weights={FATHER: 1.0})) == FATHER
    assert all(np.isfinite(v) for v in astronaut.meta["glasses"].values())


def test_with_glasses_on_both_parents_the_eyes_come_from_clear_lenses_not_dark_ones(
    prepared_pair: tuple[PreparedParent, PreparedParent],
) -> None:
    astronaut, hopper = prepared_pair
    shaded = _in_dark_lenses(astronaut)
    dark = dataclasses.replace(
        astronaut,
        arrays=dict(astronaut.arrays, aligned=shaded),
        meta=dict(astronaut.meta, glasses=read_glasses(shaded, astronaut.arrays["landmarks"]).as_meta()),
    )
    assert _reading(dark).dark and _reading(hopper).wears and not _reading(hopper).dark
    renderer = _Renderer(128, [dark, hopper], [None, None], "3-9")
    from_dark = Gene(weights={FATHER: 1.0})
    assert renderer._appearance_source("eyes", from_dark) == MOTHER
    assert renderer._appearance_source("brows", from_dark) == MOTHER
    # Both behind dark lenses: the gene's own source, as before.
    both_dark = _Renderer(128, [dark, dark], [None, None], "3-9")
    assert both_dark._appearance_source("eyes", Gene(weights={MOTHER: 1.0})) == MOTHER


def _with_drawn_glasses(parent: PreparedParent, *, bridge: bool = True) -> tuple[PreparedParent, list[tuple[int, int]]]:
    """``parent`` wearing drawn glasses (two dark rims and, unless ``bridge`` is false, a bridge),
    and points on the rims' lower arcs over the cheeks (aligned-frame pixels)."""
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
    if bridge:
        cv2.line(
            aligned,
            (round(eyes[0][0] + 0.42 * apart), round(eyes[0][1])),
            (round(eyes[1][0] - 0.42 * apart), round(eyes[1][1])),
            (20, 20, 20),
            8,
        )
    meta = dict(parent.meta, glasses=read_glasses(aligned, parent.arrays["landmarks"]).as_meta())
    return dataclasses.replace(parent, arrays=dict(parent.arrays, aligned=aligned), meta=meta), arcs


def test_a_parents_glasses_are_filled_in_where_its_skin_is_used(
    prepared_pair: tuple[PreparedParent, PreparedParent],
) -> None:
    astronaut, _ = prepared_pair
    glasses, arcs = _with_drawn_glasses(astronaut)
    assert _reading(glasses).wears
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
