"""Candidates are new portraits: fixed frame, neutral backdrop and clothes, drawn hair, the tone
of monochrome parents; nothing of the parents' photos outside their inner faces."""

from __future__ import annotations

import dataclasses

import cv2
import numpy as np
import pytest
import scipy.ndimage

from genetics.engine import GenerationParams, PreparedParent, RegionChoice
from genetics.gate import gate_face, photo_tone
from genetics.offline import OfflineEngine, geometry, portrait
from genetics.samples import sample


@pytest.fixture(scope="module")
def engine() -> OfflineEngine:
    return OfflineEngine()


@pytest.fixture(scope="module")
def astronaut(engine: OfflineEngine) -> np.ndarray:
    """The astronaut's 68 landmarks in the portrait frame (unit coordinates), prepared once."""
    return portrait.to_portrait(engine.prepare_parent(sample("astronaut")).arrays["landmarks"])


def _green_backdrop(image: np.ndarray) -> np.ndarray:
    """The photo with everything outside an ellipse around the face painted pure green."""
    box = gate_face(image).box
    mask = np.zeros(image.shape[:2], dtype=np.uint8)
    centre = ((box.left + box.right) // 2, (box.top + box.bottom) // 2)
    cv2.ellipse(mask, centre, (int(box.width * 0.75), int(box.height * 0.95)), 0, 0, 360, 1, -1)
    out = image.copy()
    out[mask == 0] = (0, 255, 0)
    return out


def _green_pixels(image: np.ndarray) -> int:
    rgb = image.astype(int)
    return int(((rgb[..., 1] > rgb[..., 0] + 60) & (rgb[..., 1] > rgb[..., 2] + 60)).sum())


def test_nothing_of_the_parents_backdrops_or_clothes_reaches_a_candidate(engine: OfflineEngine) -> None:
    father = engine.prepare_parent(_green_backdrop(sample("obama")))
    mother = engine.prepare_parent(_green_backdrop(sample("grace_hopper")))
    assert _green_pixels(father.arrays["aligned"]) > 10_000
    result = engine.generate(father, mother, GenerationParams(num_candidates=3, seed=4, resolution=256))
    for candidate in result.candidates:
        image = candidate.image
        assert _green_pixels(image) == 0
        # The frame's top corners are the studio backdrop, the bottom corners a plain garment.
        assert np.abs(image[2, 2].astype(float) - portrait.BACKGROUND_TOP).max() < 6
        assert min(np.abs(image[-3, 20].astype(float) - colour).max() for colour in portrait.GARMENTS) < 30


def test_candidates_share_one_frame(
    engine: OfflineEngine, prepared_pair: tuple[PreparedParent, PreparedParent]
) -> None:
    result = engine.generate(*prepared_pair, GenerationParams(num_candidates=3, seed=1, resolution=256))
    for candidate in result.candidates:
        eyes = candidate.genes["landmarks"][36:48].mean(axis=0)
        assert np.allclose(eyes, portrait.EYES_AT, atol=0.04)


def _garment_of(image: np.ndarray) -> int:
    """Index in :data:`portrait.GARMENTS` of the colour nearest the shirt at the frame's bottom."""
    size = image.shape[0]
    # Bottom middle, below the collar: the front light there is near 1.
    shirt = image[int(0.96 * size), size // 2].astype(float)
    return int(np.argmin([np.abs(shirt - colour).max() for colour in portrait.GARMENTS]))


def test_siblings_wear_shirts_of_several_colours_drawn_from_the_seed(
    engine: OfflineEngine, prepared_pair: tuple[PreparedParent, PreparedParent], astronaut: np.ndarray
) -> None:
    params = GenerationParams(num_candidates=6, seed=2, resolution=256)
    shirts = [_garment_of(c.image) for c in engine.generate(*prepared_pair, params).candidates]
    # Six draws from eight colours; in one colour for all (until 0.1.10) this is one value.
    assert len(set(shirts)) >= 3
    again = [_garment_of(c.image) for c in engine.generate(*prepared_pair, params).candidates]
    assert again == shirts
    skin, hull = np.array([200.0, 160.0, 140.0]), geometry.face_hull(astronaut)
    for index, colour in enumerate(portrait.GARMENTS):
        image = portrait.draw_base(256, astronaut, skin, hull, age_group="3-9", garment=colour)
        assert _garment_of(image) == index


@pytest.mark.parametrize("tone", ["grey", "sepia"])
def test_a_monochrome_parent_makes_a_monochrome_portrait(tone: str, engine: OfflineEngine) -> None:
    photo = sample("biden")
    if tone == "grey":
        photo = np.repeat(cv2.cvtColor(photo, cv2.COLOR_RGB2GRAY)[..., None], 3, axis=2)
    else:
        matrix = np.array([[0.393, 0.769, 0.189], [0.349, 0.686, 0.168], [0.272, 0.534, 0.131]])
        photo = np.clip(photo.astype(np.float64) @ matrix.T, 0, 255).astype(np.uint8)
    father = engine.prepare_parent(photo)
    mother = engine.prepare_parent(sample("astronaut"))
    assert father.meta["tone"] == tone and mother.meta["tone"] == "colour"
    result = engine.generate(father, mother, GenerationParams(num_candidates=2, seed=2, resolution=256))
    for candidate in result.candidates:
        assert candidate.meta["monochrome"] is True
        assert photo_tone(candidate.image).kind == tone
        tint = tuple(candidate.meta["tint"])
        assert np.abs(portrait.apply_tone(candidate.image, tint).astype(int) - candidate.image).mean() < 1.0


def test_colour_parents_make_a_colour_portrait(
    engine: OfflineEngine, prepared_pair: tuple[PreparedParent, PreparedParent]
) -> None:
    candidate = engine.generate(*prepared_pair, GenerationParams(num_candidates=1, seed=2, resolution=256)).candidates[
        0
    ]
    assert candidate.meta["monochrome"] is False
    # Toning it would change it visibly: the skin, hair and garment keep their own colours.
    tint = photo_tone(candidate.image).tint
    assert np.abs(portrait.apply_tone(candidate.image, tint).astype(int) - candidate.image).mean() > 3.0


def test_hair_colour_is_read_from_the_parents_and_greying_is_not_inherited(engine: OfflineEngine) -> None:
    colours = {}
    for name in ("obama", "astronaut", "biden"):
        prepared = engine.prepare_parent(sample(name))
        colours[name] = portrait.hair_colour(prepared.arrays["aligned"], prepared.arrays["landmarks"])
    # The astronaut's hair is light brown, yellower than Obama's grey-black.
    assert colours["astronaut"][0] - colours["astronaut"][2] > colours["obama"][0] - colours["obama"][2]
    # Biden's white hair is age: a child takes the other parent's colour, darkened if greying.
    assert np.allclose(portrait.youthful_hair(colours["biden"], colours["astronaut"]), colours["astronaut"])
    assert portrait.youthful_hair(colours["obama"]).mean() < colours["obama"].mean()
    assert np.allclose(portrait.youthful_hair(colours["biden"]), portrait.DEFAULT_HAIR)


def test_glossy_black_hair_is_drawn_black_and_no_childs_hair_is_blue() -> None:
    from genetics.images import cielab

    # A glossy black-haired mother read off a real photo: lifted by its sheen, with a blue cast.
    glossy = portrait.youthful_hair(np.array([53.0, 54.0, 58.0]))
    lightness, a, b = cielab(glossy)
    assert lightness <= portrait.BLACK_HAIR_LIGHTNESS + 0.5 and min(a, b) > -0.5
    # A purplish brown loses only its blue; an ash brown and warm colours pass as they are.
    lightness, a, b = cielab(portrait.youthful_hair(np.array([62.0, 46.0, 53.0])))
    assert b > -0.5 and a > 5.0 and lightness > 18.0
    for colour in ([65.0, 57.0, 50.0], [176.0, 142.0, 96.0], [138.0, 68.0, 38.0], [17.0, 15.0, 15.0]):
        assert portrait.youthful_hair(np.array(colour)).tolist() == colour


def test_hair_is_read_off_the_photo_not_the_padding_past_its_edge(engine: OfflineEngine) -> None:
    # Cropped at the top of dlib's face box, the aligned frame's hair boxes lie partly in the
    # padding (the forehead mirrored and blurred): the colour must be the one the whole photo shows.
    for name in ("grace_hopper", "obama2"):
        photo = sample(name)
        gated = gate_face(photo)
        box, pad = gated.box, int(0.3 * gated.box.width)
        crop = photo[max(box.top - box.width // 20, 0) : box.bottom + pad, max(box.left - pad, 0) : box.right + pad]
        whole = np.array(engine.prepare_parent(photo).meta["hair_colour"])
        cropped = np.array(engine.prepare_parent(crop).meta["hair_colour"])
        assert np.abs(cropped - whole).max() < 12.0, name
    # Where nothing of the boxes shows the photo, no colour is read.
    prepared = engine.prepare_parent(sample("astronaut"))
    nothing = np.zeros(prepared.arrays["aligned"].shape[:2], dtype=np.float32)
    assert portrait.hair_colour(prepared.arrays["aligned"], prepared.arrays["landmarks"], nothing) is None


def test_dark_hair_on_a_backdrop_as_dark_is_still_read_as_hair(engine: OfflineEngine) -> None:
    from genetics.images import cielab

    # A studio backdrop of the hair's own colour (the frame's top corners, where the backdrop is
    # read): hair above the forehead then looks like the backdrop. Dropped as backdrop, a
    # black-haired father on black read reddish brown off his hairline and ears.
    for name, backdrop in (("obama2", None), ("grace_hopper", (12.0, 10.0, 10.0))):
        prepared = engine.prepare_parent(sample(name))
        aligned, lm = prepared.arrays["aligned"].copy(), prepared.arrays["landmarks"]
        alone = portrait.hair_colour(aligned, lm)
        corner = aligned.shape[0] // 10
        colour = alone if backdrop is None else np.array(backdrop)
        aligned[:corner, :corner] = aligned[:corner, -corner:] = np.round(colour).astype(np.uint8)
        read = portrait.hair_colour(aligned, lm)
        assert cielab(colour)[0] < 25.0
        assert np.linalg.norm(cielab(read) - cielab(alone)) < 5.0, name


def test_skin_lit_more_brightly_than_the_cheeks_is_not_read_as_hair(engine: OfflineEngine) -> None:
    # A bald crown: where the hair would be, Biden's own cheek skin, lit as a real bald man's crown
    # was (26 lighter than his cheeks in CIE Lab, a little less saturated). Read as hair, it gave
    # that man's children pink hair.
    prepared = engine.prepare_parent(sample("biden"))
    aligned, lm = prepared.arrays["aligned"].copy(), prepared.arrays["landmarks"]
    size = aligned.shape[0]
    cheek = aligned[int(lm[29, 1] * size) : int(lm[33, 1] * size), int(lm[2, 0] * size) : int(lm[31, 0] * size)]
    bottom = int((lm[17:27, 1].mean() + 0.03) * size)
    left, right = int((lm[0, 0] - 0.08) * size), int((lm[16, 0] + 0.08) * size)
    tiles = (bottom // cheek.shape[0] + 1, (right - left) // cheek.shape[1] + 1, 1)
    lab = cv2.cvtColor(np.tile(cheek, tiles)[:bottom, : right - left].astype(np.float32) / 255.0, cv2.COLOR_RGB2LAB)
    lab[..., 0] += 20.0
    lab[..., 1:] *= 0.85
    aligned[:bottom, left:right] = np.clip(cv2.cvtColor(lab, cv2.COLOR_LAB2RGB) * 255.0 + 0.5, 0, 255).astype(np.uint8)
    assert portrait.hair_colour(aligned, lm) is None


def test_a_high_forehead_shaded_toward_the_hairline_is_not_read_as_hair(engine: OfflineEngine) -> None:
    from genetics.images import cielab, rgb_from_lab

    # Obama's forehead raised to his hairline a quarter of the frame above his brows, its skin
    # darkening and warming smoothly toward it as a real father's did (at the top 40 darker and 16
    # yellower than above the brows, so neither like his cheeks nor lit skin), with his own dark
    # hair above. Read as hair, that father's shaded forehead gave his children blond hair.
    prepared = engine.prepare_parent(sample("obama2"))
    aligned, lm = prepared.arrays["aligned"].copy(), prepared.arrays["landmarks"]
    size = aligned.shape[0]
    own = portrait.hair_colour(aligned, lm)
    brow = float(lm[17:27, 1].mean())
    left, right = int((lm[0, 0] + 0.02) * size), int((lm[16, 0] - 0.02) * size)
    hairline, bottom = int((brow - 0.26) * size), int((brow - 0.02) * size)
    forehead = cielab(np.median(aligned[bottom - 20 : bottom, left:right].reshape(-1, 3), axis=0).astype(np.float64))
    shade = np.linspace(1.0, 0.0, bottom - hairline)[:, None]
    lab = np.zeros((bottom - hairline, 3))
    lab[:] = forehead
    lab[:, 0] -= 40.0 * shade[:, 0]
    lab[:, 2] += 16.0 * shade[:, 0]
    skin = np.clip(rgb_from_lab(lab) + 0.5, 0, 255).astype(np.uint8)
    aligned[hairline:bottom, left:right] = skin[:, None, :]
    aligned[int((brow - 0.4) * size) : hairline, left:right] = np.round(own).astype(np.uint8)
    read = portrait.hair_colour(aligned, lm)
    assert np.linalg.norm(cielab(read) - cielab(own)) < 6.0, (cielab(read), cielab(own))


def test_hair_as_light_as_the_skin_but_of_another_hue_is_read_as_hair(engine: OfflineEngine) -> None:
    from genetics.images import cielab, rgb_from_lab

    # Blond hair lies within 18 of the skin in CIE Lab, the distance that tells skin apart, and
    # differs from it in hue: dropped as skin, only a blonde's darker strands were read and her
    # children's hair was drawn light brown. Here the astronaut's hair, above and beside her
    # forehead, is painted a blond 2 lighter, 10 less red and 13 yellower than her cheeks.
    prepared = engine.prepare_parent(sample("astronaut"))
    aligned, lm = prepared.arrays["aligned"].copy(), prepared.arrays["landmarks"]
    size = aligned.shape[0]
    cheek = aligned[int(lm[29, 1] * size) : int(lm[33, 1] * size), int(lm[2, 0] * size) : int(lm[31, 0] * size)]
    skin = np.median(cielab(cheek.reshape(-1, 3).astype(np.float64)), axis=0)
    blond_lab = skin + np.array([2.0, -10.0, 13.0])
    assert np.linalg.norm(blond_lab - skin) < 18.0
    blond = np.clip(rgb_from_lab(blond_lab) + 0.5, 0, 255).astype(np.uint8)
    brow = float(lm[17:27, 1].mean())
    left, right = int((lm[0, 0] - 0.1) * size), int((lm[16, 0] + 0.1) * size)
    aligned[: int((brow - 0.12) * size), left:right] = blond
    top, bottom = int((brow - 0.16) * size), int((brow + 0.03) * size)
    aligned[top:bottom, left : int((lm[0, 0] - 0.005) * size)] = blond
    aligned[top:bottom, int((lm[16, 0] + 0.005) * size) : right] = blond
    read = portrait.hair_colour(aligned, lm)
    assert read is not None
    assert np.linalg.norm(cielab(read) - blond_lab) < 3.0, (cielab(read), blond_lab)


def _hair_painted(engine: OfflineEngine, shades: list[list[float]], widths: list[int]) -> np.ndarray:
    """Return the hair colour read off the astronaut with her hair, above and beside her forehead,
    painted in strands of these CIE Lab ``shades``, of these ``widths`` in every 20 columns."""
    from genetics.images import rgb_from_lab

    prepared = engine.prepare_parent(sample("astronaut"))
    aligned, lm = prepared.arrays["aligned"].copy(), prepared.arrays["landmarks"]
    size = aligned.shape[0]
    rgb = [np.clip(rgb_from_lab(np.array(lab)) + 0.5, 0, 255).astype(np.uint8) for lab in shades]
    which = np.repeat(np.arange(len(widths)), widths)
    brow = float(lm[17:27, 1].mean())
    left, right = int((lm[0, 0] - 0.1) * size), int((lm[16, 0] + 0.1) * size)
    strands = np.stack([rgb[which[c % len(which)]] for c in range(right - left)])
    aligned[: int((brow - 0.12) * size), left:right] = strands
    top, bottom = int((brow - 0.16) * size), int((brow + 0.03) * size)
    inner_left, inner_right = int((lm[0, 0] - 0.005) * size), int((lm[16, 0] + 0.005) * size)
    aligned[top:bottom, left:inner_left] = strands[: inner_left - left]
    aligned[top:bottom, inner_right:right] = strands[inner_right - left :]
    return portrait.hair_colour(aligned, lm)


def test_coloured_hair_mixed_with_grey_and_shadow_is_read_in_its_own_colour(engine: OfflineEngine) -> None:
    from genetics.images import cielab

    # 45% a golden brown, 35% its shadows over a parting's mauve skin and 20% a grey as light (the
    # pale wall or sky through its ends, its sheen). The pixels' median was an ash (Lab 42, -1,
    # 20): a copper bob read that way gave mauve-brown daughters, a golden light brown taupe ones.
    hair = np.array([45.0, 10.0, 24.0])
    read = cielab(_hair_painted(engine, [hair.tolist(), [30.0, 8.0, 4.0], [45.0, 1.0, 3.0]], [9, 7, 4]))
    assert np.linalg.norm(read[1:] - hair[1:]) < 2.0 and abs(read[0] - hair[0]) < 5.0, read


def test_black_hair_with_warm_highlights_stays_black(engine: OfflineEngine) -> None:
    from genetics.images import cielab

    # 70% black, 30% highlights warmed by the light: the colourful pixels are the light's, so the
    # hair is read as its median, black (drawn brown at the highlights' chroma, it would not be).
    lightness, a, b = cielab(_hair_painted(engine, [[12.0, 0.5, 0.5], [35.0, 10.0, 20.0]], [14, 6]))
    assert np.hypot(a, b) < portrait.BLACK_HAIR_CHROMA and lightness < 20.0, (lightness, a, b)


def test_short_grey_flecked_hair_is_taken_for_salt_and_pepper(engine: OfflineEngine) -> None:
    from genetics.images import cielab

    # 30% grey hairs, 40% a warm taupe (the scalp showing through short hair, dark hairs over it)
    # and 30% shadow: the median is the taupe (chroma 13), which passed to a greying father's sons
    # as light grey-brown hair. A quarter of the pixels nearly neutral make it salt and pepper.
    read = _hair_painted(engine, [[55.0, 1.0, 2.0], [42.0, 7.0, 11.0], [25.0, 3.0, 6.0]], [6, 8, 6])
    lightness, a, b = cielab(read)
    assert np.hypot(a, b) < portrait.GREYING_CHROMA and abs(lightness - 42.0) < 4.0, (lightness, a, b)
    assert cielab(portrait.youthful_hair(read))[0] < 25.0  # age unknown: greying, drawn dark


def test_light_ash_brown_is_not_taken_for_greying() -> None:
    from genetics.images import cielab, rgb_from_lab

    # Two young CC0 mothers' light brown hair read Lab 37, 6, 10 and 37, 10, 6, as low in chroma as
    # salt and pepper: darkened as greying, it gave all their children dark brown hair.
    for lab in ([37.3, 6.3, 10.1], [37.3, 10.3, 5.9]):
        colour = np.clip(rgb_from_lab(np.array(lab)), 0.0, 255.0)
        assert np.allclose(cielab(portrait.youthful_hair(colour)), cielab(colour), atol=0.01)
    # Obama's salt and pepper (chroma 6.8) is still darkened.
    greying = np.clip(rgb_from_lab(np.array([43.8, 2.9, 6.1])), 0.0, 255.0)
    assert cielab(portrait.youthful_hair(greying))[0] < 23.0


def test_white_looking_or_ash_hair_is_taken_for_greying_only_from_40() -> None:
    from genetics.images import cielab, rgb_from_lab

    # A young CC0 mother (apparent age 29) with light ash blonde hair read Lab 59.5, 4.8, 7.1: white, by chroma
    # and lightness. Without her age her children got their father's hair.
    ash_blonde = np.clip(rgb_from_lab(np.array([59.5, 4.8, 7.1])), 0.0, 255.0)
    salt_and_pepper = np.clip(rgb_from_lab(np.array([43.8, 2.9, 6.1])), 0.0, 255.0)
    other = np.array([120.0, 90.0, 62.0])
    for age in (None, 40, 63):
        assert portrait.may_be_greying(age)
        assert np.allclose(portrait.youthful_hair(ash_blonde, other, age=age), other)
        assert cielab(portrait.youthful_hair(salt_and_pepper, age=age))[0] < 23.0
    for age in (25, 39):
        assert not portrait.may_be_greying(age)
        # Drawn as read it looked grey on a child: it is drawn ash blonde, as light as read.
        lightness, a, b = cielab(portrait.youthful_hair(ash_blonde, other, age=age))
        assert abs(lightness - 59.5) < 0.5 and abs(np.hypot(a, b) - 15.0) < 0.5
        assert 65.0 < np.degrees(np.arctan2(b, a)) < 75.0
        assert np.allclose(portrait.youthful_hair(salt_and_pepper, age=age), salt_and_pepper)


def test_a_young_parents_white_looking_hair_reaches_the_children(engine: OfflineEngine) -> None:
    from genetics.images import rgb_from_lab

    father, mother = engine.prepare_parent(sample("obama")), engine.prepare_parent(sample("astronaut"))
    ash_blonde = np.clip(rgb_from_lab(np.array([59.5, 4.8, 7.1])), 0.0, 255.0)
    blonde = dataclasses.replace(mother, meta=dict(mother.meta, hair_colour=ash_blonde.tolist()))
    base = GenerationParams(num_candidates=2, seed=5, resolution=256, regions={"hair": RegionChoice(mode="mother")})

    def drawn(params: GenerationParams) -> list[tuple[np.ndarray, str]]:
        result = engine.generate(father, blonde, params)
        return [
            (np.array(engine.candidate_as_parent(c).meta["hair_colour"]), c.meta["hair_colour_from"])
            for c in result.candidates
        ]

    unknown, young, older = (drawn(dataclasses.replace(base, parent_ages=(45, age))) for age in (None, 24, 52))
    assert [origin for _, origin in unknown] == [origin for _, origin in older] == ["father", "father"]
    assert [origin for _, origin in young] == ["mother", "mother"]
    blonde_drawn = portrait.youthful_hair(ash_blonde, age=24)
    for (colour, _), (fathers, _) in zip(young, unknown, strict=True):
        # Drawn hair is shaded: its median sits nearer her ash blonde than the father's greying hair darkened.
        assert np.abs(colour - blonde_drawn).max() < np.abs(fathers - blonde_drawn).max() - 30.0
    # Obama was 47 on his photo: his salt and pepper is greying and darkened, as when his age is unknown.
    from_father = {"hair": RegionChoice(mode="father")}
    assert [c.tolist() for c, _ in drawn(dataclasses.replace(base, regions=from_father, parent_ages=(47, 24)))] == [
        c.tolist() for c, _ in drawn(dataclasses.replace(base, regions=from_father))
    ]


def test_a_parent_whose_hair_cannot_be_read_passes_on_the_other_parents(engine: OfflineEngine) -> None:
    father, mother = engine.prepare_parent(sample("obama")), engine.prepare_parent(sample("astronaut"))
    unread = dataclasses.replace(father, meta=dict(father.meta, hair_colour=None))
    params = GenerationParams(num_candidates=4, seed=3, resolution=256, age_group="20-29")
    result = engine.generate(unread, mother, params)
    assert "father" in {c.meta["hair_source"] for c in result.candidates}
    theirs = np.array(mother.meta["hair_colour"])
    for candidate in result.candidates:
        drawn = engine.candidate_as_parent(candidate).meta["hair_colour"]
        # Drawn hair is shaded: its median sits near the colour, far from mid brown or Obama's grey.
        assert np.abs(np.array(drawn) - theirs).max() < np.abs(np.array(drawn) - portrait.DEFAULT_HAIR).max()
    assert portrait.youthful_hair(None, theirs).tolist() == theirs.tolist()
    assert np.allclose(portrait.youthful_hair(None), portrait.DEFAULT_HAIR)


def test_a_hair_colour_the_records_state_replaces_the_photos(engine: OfflineEngine) -> None:
    # Grace Hopper's navy cap reads as black hair and Biden's hair is white: the records know better.
    father, mother = engine.prepare_parent(sample("biden")), engine.prepare_parent(sample("grace_hopper"))
    base = GenerationParams(num_candidates=2, seed=4, resolution=256, age_group="20-29")

    def drawn(params: GenerationParams) -> list[tuple[np.ndarray, str, bool]]:
        result = engine.generate(father, mother, params)
        return [
            (
                np.array(engine.candidate_as_parent(c).meta["hair_colour"]),
                c.meta["hair_colour_from"],
                c.meta["hair_colour_stated"],
            )
            for c in result.candidates
        ]

    from_mother = {"hair": RegionChoice(mode="mother")}
    read = drawn(dataclasses.replace(base, regions=from_mother))
    stated = drawn(dataclasses.replace(base, regions=from_mother, hair_colours=("", "red")))
    red = portrait.STATED_HAIR["red"]
    for (before, _, was_stated), (after, origin, is_stated) in zip(read, stated, strict=True):
        assert (was_stated, origin, is_stated) == (False, "mother", True)
        # Drawn hair is shaded: its median lies near the stated colour, away from the cap's black.
        assert np.abs(after - red).max() < np.abs(before - red).max() - 30.0
        assert after[0] - after[2] > 50.0
    # The gene still picks the parent: the mother's stated colour does not reach a child whose
    # hair is the father's, and a father's unreadable white hair gives way to the mother's.
    blond = drawn(
        dataclasses.replace(base, regions={"hair": RegionChoice(mode="father")}, hair_colours=("blond", "red"))
    )
    assert all(origin == "father" and is_stated for _, origin, is_stated in blond)
    assert all(colour.mean() > after.mean() for colour, _, _ in blond)
    fallback = drawn(dataclasses.replace(base, regions={"hair": RegionChoice(mode="father")}, hair_colours=("", "red")))
    assert all(origin == "mother" and is_stated for _, origin, is_stated in fallback)


def test_every_hair_colour_a_record_may_state_has_a_colour_to_draw() -> None:
    from genetics.parameters import HAIR_COLOURS

    assert set(portrait.STATED_HAIR) == set(HAIR_COLOURS)
    with pytest.raises(ValueError, match="hair_colours"):
        GenerationParams(hair_colours=("auburn", ""))
    with pytest.raises(ValueError, match="hair_colours"):
        GenerationParams(hair_colours=("black",))  # type: ignore[arg-type]
    params = GenerationParams(hair_colours=("", "blond"))
    assert GenerationParams.from_dict(params.to_dict()) == params
    assert GenerationParams.from_dict({}).hair_colours == ("", "")


def test_parents_ages_on_their_photos_are_whole_years_or_unknown() -> None:
    for wrong in ((30,), (30, -1), (30, 131), (30.5, None), (True, None), ("30", None)):
        with pytest.raises(ValueError, match="parent_ages"):
            GenerationParams(parent_ages=wrong)  # type: ignore[arg-type]
    params = GenerationParams(parent_ages=(None, 34))
    assert params.to_dict()["parent_ages"] == [None, 34]
    assert GenerationParams.from_dict(params.to_dict()) == params
    assert GenerationParams.from_dict({}).parent_ages == (None, None)


def test_hairstyles_suit_age_and_sex() -> None:
    rng = np.random.default_rng(0)
    assert portrait.draw_style(rng, age_group="0-2", gender="female").length == "sparse"
    assert portrait.draw_style(rng, age_group="3-9", gender="male").length == "short"
    # Hair hanging beside a young child's face made it read as an adult's, and a crop alone as a
    # boy's: a girl of 3-9 wears her hair tied up, and sisters in more than one way.
    girls = [portrait.draw_style(rng, age_group="3-9", gender="female").length for _ in range(30)]
    assert set(girls) == set(portrait.TIED_STYLES)
    lengths = {portrait.draw_style(rng, age_group="10-19", gender="female").length for _ in range(20)}
    assert lengths == {"bob", "long"}
    # Boys wear the short cap; teenagers and men one of several cuts (one cap for all was every
    # man's and teenager's helmet).
    assert {portrait.draw_style(rng, age_group="3-9", gender="male").length for _ in range(20)} == {"short"}
    teens = {portrait.draw_style(rng, age_group="10-19", gender="male").length for _ in range(30)}
    assert teens == set(portrait.MEN_CUTS)
    men = {portrait.draw_style(rng, age_group="30-39", gender="male").length for _ in range(30)}
    assert men == set(portrait.MEN_CUTS)


def test_a_mans_cut_is_drawn_after_the_rest_of_his_style() -> None:
    # The cut is drawn last: a man's volume, fringe, parting and strands are a boy's of the same
    # seed, so adding cuts moved nothing else.
    for seed in range(10):
        boy = portrait.draw_style(np.random.default_rng(seed), age_group="3-9", gender="male")
        man = portrait.draw_style(np.random.default_rng(seed), age_group="20-29", gender="male")
        assert dataclasses.replace(man, length="short") == boy


def test_a_crop_has_no_hair_beside_the_face(astronaut: np.ndarray) -> None:
    lm = astronaut
    size = 256
    canvas = np.full((size, size, 3), 128, dtype=np.uint8)
    hull = geometry.face_hull(lm)
    style = portrait.HairStyle(length="bob", volume=1.0, fringe=0.5, part=0.0, seed=1)
    dark = np.array([40.0, 30.0, 20.0])
    beside = np.s_[int(lm[2, 1] * size) : int(lm[5, 1] * size), : int(lm[2, 0] * size) - 4]
    for length, drawn in (("bob", True), ("crop", False)):
        style = dataclasses.replace(style, length=length)
        image = portrait.draw_hair(canvas, lm, dark, style, age_group="3-9", hull=hull, layer="back")
        assert bool(np.abs(image[beside].astype(int) - 128).max() > 40) is drawn, length
    # Every cap covers the temples down to the ears: no strip of bare skin between hair and ear.
    brow, width = float(lm[17:27, 1].mean()), float(lm[16, 0] - lm[0, 0])
    temple = (int((brow + 0.04 * width) * size), int((lm[0, 0] - 0.02) * size))
    for length in ("sparse", "short", "crop", "bob"):
        style = dataclasses.replace(style, length=length)
        image = portrait.draw_hair(canvas, lm, dark, style, age_group="3-9", hull=hull, layer="front")
        # A baby's thin hair fades out over its temples (BABY_HAIRLINE), but still covers them.
        least = 3 if length == "sparse" else 10
        assert image[temple].astype(int).max() < 128 - least, length


def test_tied_hair_hangs_from_above_the_ears_or_sits_on_the_crown_and_leaves_the_jaw_free(
    astronaut: np.ndarray,
) -> None:
    lm = astronaut
    size = 256
    canvas = np.full((size, size, 3), 128, dtype=np.uint8)
    dark = np.array([40.0, 30.0, 20.0])
    width = float(lm[16, 0] - lm[0, 0])
    eyes = lm[36:48, 1].mean()

    def hair_of(length: str, part: float, lm: np.ndarray = lm) -> np.ndarray:
        style = portrait.HairStyle(length=length, volume=1.0, fringe=0.5, part=part, seed=1)
        image = portrait.draw_hair(canvas, lm, dark, style, age_group="3-9", hull=geometry.face_hull(lm), layer="back")
        return np.abs(image.astype(int) - 128).max(axis=2) > 40

    def at(hair: np.ndarray, x: float, y: float) -> bool:
        return bool(hair[int(y * size) - 3 : int(y * size) + 4, int(x * size) - 3 : int(x * size) + 4].all())

    # Out past each ear, at the eyes' height: a bunch; a ponytail on the parting's side only.
    bunches, ponytail = hair_of("bunches", 0.0), hair_of("ponytail", 0.6)
    for jaw, side in ((0, -1.0), (16, 1.0)):
        x, y = lm[jaw, 0] + side * 0.15 * width, eyes + 0.05 * width
        assert at(bunches, x, y), side
        assert at(ponytail, lm[jaw, 0] + side * 0.18 * width, eyes - 0.3 * width) is (side > 0), side
        # A bunch hangs: from its top to its tip it runs within 25 degrees of the vertical (an oval
        # at 28 degrees, as wide at the tie as below it, read as a paddle or a wing).
        columns = np.arange(size) / size
        outside = columns > lm[16, 0] if side > 0 else columns < lm[0, 0]
        ys, xs = np.nonzero(bunches & outside[None, :])
        order = np.argsort(ys)
        tenth = len(ys) // 10
        top, tip = (np.array([xs[rows].mean(), ys[rows].mean()]) for rows in (order[:tenth], order[-tenth:]))
        assert abs(np.degrees(np.arctan2(tip[0] - top[0], tip[1] - top[1]))) < 25.0, side
    # A topknot sits above the crown, nothing hanging beside the head.
    topknot = hair_of("topknot", 0.0)
    rows = np.nonzero(topknot[:, int(lm[27, 0] * size)])[0]
    assert len(rows) and rows.min() < (lm[19, 1] - 0.75 * width) * size
    assert not topknot[int(eyes * size) :, :].any()
    # A head high in the frame: the topknot sinks into the skull rather than being cut off by the frame's top.
    high = hair_of("topknot", 0.0, lm - np.array([0.0, 0.06]))
    assert high.any() and not high[:2].any()
    for hair, length in ((bunches, "bunches"), (ponytail, "ponytail"), (topknot, "topknot")):
        for jaw, side in ((0, -1.0), (16, 1.0)):
            # Beside the jaw and the neck, below the ear: bare, as with the crop.
            x = lm[jaw + int(side) * 4, 0] + side * 0.08 * width
            rows = np.s_[int(lm[jaw + int(side) * 4, 1] * size) : int(lm[8, 1] * size)]
            assert not hair[rows, int(x * size)].any(), (length, side)


def test_a_babys_hair_shows_its_colour_thins_at_the_hairline_and_other_hair_ends_softly(astronaut: np.ndarray) -> None:
    lm = astronaut
    size = 512
    canvas = np.full((size, size, 3), 200, dtype=np.uint8)
    centre = int(lm[8, 0] * size)
    hull = geometry.face_hull(lm)
    hull_top = int(hull[:, 1].min() * size)

    def profile(length: str, volume: float = 1.0) -> np.ndarray:
        """How dark the hair makes a strip down the head's middle, per row of the frame."""
        style = portrait.HairStyle(length=length, volume=volume, fringe=0.5, part=0.0, seed=1)
        image = portrait.draw_hair(
            canvas, lm, np.array([40.0, 30.0, 20.0]), style, age_group="0-2", hull=hull, layer="front"
        )
        return 200.0 - image[:, centre - 20 : centre + 20].astype(float).mean(axis=(1, 2))

    def fade(dark: np.ndarray) -> int:
        """Rows from where the hair starts to where it reaches four fifths of its darkness."""
        start = int(np.nonzero(dark > 0.2 * dark.max())[0][0])
        return int(np.nonzero(dark > 0.8 * dark.max())[0][0]) - start

    sparse, short = profile("sparse"), profile("short")
    # The crown shows most of the hair's colour (0.55 of a boy's short hair until 0.1.16: every
    # baby's hair was the skin's light brown, whatever the parents'), the scalp still showing.
    assert 0.7 * short.max() < sparse.max() < 0.9 * short.max()
    # Siblings differ in how much hair they have (the style's volume; 0.99 of it before).
    assert profile("sparse", 0.85).max() < 0.9 * profile("sparse", 1.2).max()
    # It starts above a bare, high forehead (until 0.1.17 at the face's top, 0.6 of its darkness
    # there: dlib's detector refused many babies), thins out towards that hairline, and ends in
    # a soft outline at the head's top.
    width = lm[16, 0] - lm[0, 0]
    forehead = slice(hull_top - int(0.08 * width * size), hull_top)
    assert sparse[forehead].max() < 0.2 * sparse.max()
    assert fade(sparse) >= 4
    # Other hair ends in a soft outline (as photographed hair, a little out of focus), not a
    # cut-out's edge: from a fifth to four fifths of its darkness over several pixels.
    assert fade(short) >= 5


def test_a_babys_hair_is_a_soft_fuzz_without_specks(astronaut: np.ndarray) -> None:
    size = 512
    canvas = np.full((size, size, 3), 200, dtype=np.uint8)
    style = portrait.HairStyle(length="sparse", volume=1.0, fringe=0.5, part=0.0, seed=1)
    image = portrait.draw_hair(
        canvas,
        astronaut,
        np.array([40.0, 30.0, 20.0]),
        style,
        age_group="0-2",
        hull=geometry.face_hull(astronaut),
        layer="front",
    )
    grey = image.astype(np.float32).mean(axis=2)
    dark = 200.0 - grey
    # The hair's interior, away from where it fades out (the darkest fifth of its pixels lay
    # along the head's outline, and counted that fade as grain).
    smooth = cv2.GaussianBlur(dark, (0, 0), 3)
    inside = cv2.erode((smooth > 0.6 * smooth.max()).astype(np.uint8), np.ones((11, 11), np.uint8)) > 0
    # The grain finer than a few pixels, against how dark the hair is: 0.13 with the grain of
    # 0.1.8-0.1.10, which showed as pale specks (a felt cap); 0.04 now.
    fine = grey - cv2.GaussianBlur(grey, (0, 0), 3)
    assert fine[inside].std() < 0.08 * dark[inside].mean()
    assert fine[inside].std() > 0.02 * dark[inside].mean()


def test_the_neck_is_in_the_jaws_shadow_and_rounds_away(astronaut: np.ndarray) -> None:
    lm = astronaut
    size, skin = 256, np.array([200.0, 160.0, 140.0])
    base = portrait.draw_base(size, lm, skin, geometry.face_hull(lm), age_group="3-9").astype(float)
    width, cx, chin = float(lm[16, 0] - lm[0, 0]), float(lm[8, 0]), float(lm[8, 1])

    def at(x: float, y: float) -> float:
        return float(base[int(y * size), int(x * size)].mean())

    under_chin, lower = at(cx, chin + 0.03 * width), at(cx, chin + 0.15 * width)
    side = at(cx + 0.22 * width, chin + 0.15 * width)
    assert under_chin < lower - 15 and side < lower - 5


FRONT_CANVAS, FRONT_HAIR = 200, np.array([40.0, 30.0, 20.0])


def _front_layer(lm: np.ndarray, style: portrait.HairStyle, size: int, age_group: str) -> np.ndarray:
    """The cap (front layer) in :data:`FRONT_HAIR` on a flat grey canvas, uint8 ``[S, S, 3]``."""
    canvas = np.full((size, size, 3), FRONT_CANVAS, dtype=np.uint8)
    hull = geometry.face_hull(lm)
    return portrait.draw_hair(canvas, lm, FRONT_HAIR, style, age_group=age_group, hull=hull, layer="front")


def _front_hair(lm: np.ndarray, style: portrait.HairStyle, size: int = 512, age_group: str = "3-9") -> np.ndarray:
    """Where the cap (front layer) shows at all, bool ``[S, S]``, on a flat grey canvas (its
    outline is soft, so half its darkness would mark thin parts as missing)."""
    return np.abs(_front_layer(lm, style, size, age_group).astype(int) - FRONT_CANVAS).max(axis=2) > 20


def test_a_fringe_hangs_in_locks_not_one_straight_cut(astronaut: np.ndarray) -> None:
    lm = astronaut
    size = 512
    brow = int(float(lm[17:27, 1].mean()) * size)
    columns = np.arange(int(lm[19, 0] * size), int(lm[24, 0] * size))
    for seed in (1, 2, 3):
        style = portrait.HairStyle(length="crop", volume=1.0, fringe=1.0, part=0.0, seed=seed)
        hair = _front_hair(lm, style, size)
        ends = np.array([np.nonzero(hair[:brow, x])[0].max() for x in columns], dtype=float)
        # The fringe's lower edge departs from a smooth curve by the locks' tips, several pixels.
        smooth = np.polyval(np.polyfit(columns, ends, 2), columns)
        assert np.abs(ends - smooth).max() >= 4.0, seed


def test_a_cap_runs_into_sideburns_and_rounds_over_the_ears(astronaut: np.ndarray) -> None:
    lm = astronaut
    size = 512
    width = float(lm[16, 0] - lm[0, 0])
    (cx, cy), (ax, _) = portrait._skull(lm, "3-9")
    hair = _front_hair(lm, portrait.HairStyle(length="short", volume=1.0, fringe=0.0, part=0.0, seed=1), size)

    def lowest(x: float) -> float:
        return float(np.nonzero(hair[:, int(x * size)])[0].max()) / size

    for side in (-1.0, 1.0):
        # Beside the face the hair comes down below the skull's middle (a bowl stops level there)...
        assert lowest(cx + side * 0.5 * width) > cy + 0.02 * width
        # ...and at its widest, over the ears, it has rounded up above it.
        assert lowest(cx + side * (ax + 0.025 * width)) < cy - 0.01 * width


def test_a_mans_and_teens_hair_starts_above_the_face_a_boys_covers_its_top(astronaut: np.ndarray) -> None:
    lm = astronaut
    size = 512
    width = float(lm[16, 0] - lm[0, 0])
    hull = geometry.face_hull(lm)
    # The face taken from the photos ends at the hull's top; at the forehead's middle, above it.
    middle = int(float(lm[27, 0]) * size)
    top = float(hull[17:, 1].min())
    for fringe in (0.0, 0.5):
        style = portrait.HairStyle(length="short", volume=1.0, fringe=fringe, part=0.0, seed=1)
        boy = np.nonzero(_front_hair(lm, style, size, "3-9")[:, middle])[0].max() / size
        man = np.nonzero(_front_hair(lm, style, size, "30-39")[:, middle])[0].max() / size
        teen = np.nonzero(_front_hair(lm, style, size, "10-19")[:, middle])[0].max() / size
        # A boy's fringe comes down over the top of the face (no line where the photos' face ends
        # shows); a man's hair stops well above it, and the drawn skull's skin shows between; a
        # teenager's hairline lies between the two (his fringe on his brows was a helmet).
        assert boy > top + 0.01 * width, fringe
        assert man < teen < boy - 0.05 * width, fringe
        if fringe == 0.0:
            assert man < top - 0.03 * width


def test_the_skin_under_the_faces_edge_meets_the_shaded_head_without_a_step(astronaut: np.ndarray) -> None:
    lm = astronaut
    size, skin = 512, np.array([200.0, 160.0, 140.0])
    hull = geometry.face_hull(lm)
    base = portrait.draw_base(size, lm, skin, hull, age_group="0-2").astype(float).mean(axis=2)
    centre, width = hull.mean(axis=0), float(lm[16, 0] - lm[0, 0])
    steepest = []
    for point in hull[hull[:, 1] < float(lm[17:27, 1].mean())]:
        # Across the face's upper edge (forehead and temples), where the face's feathered edge
        # lets the skin drawn under it show: brightness every half pixel along the outward normal.
        outward = (point - centre) / np.linalg.norm(point - centre)
        steps = np.arange(-0.04 * width * size, 0.04 * width * size, 0.5)
        path = point * size + steps[:, None] * outward - 0.5
        profile = scipy.ndimage.map_coordinates(base, [path[:, 1], path[:, 0]], order=1)
        steepest.append(float(np.abs(np.diff(profile)).max() / 0.5))
    # The head darkens towards its sides. The skin under the face was filled unshaded, so at the
    # temples it stood 10-13 grey levels paler than the head just beyond, changing by up to 4
    # levels a pixel across the edge: a pale arc round babies' foreheads. Now the shade runs on
    # smoothly (about 1 level a pixel at most).
    assert len(steepest) >= 5 and max(steepest) < 2.0, np.round(steepest, 2)


def _head_row(base: np.ndarray, row: int) -> np.ndarray:
    """Which pixels of one row of a drawn base are not the backdrop (bool ``[S]``): the head,
    whatever its shading."""
    y = row / base.shape[0]
    backdrop = portrait.BACKGROUND_TOP * (1.0 - y) + portrait.BACKGROUND_BOTTOM * y
    return np.abs(base[row] - backdrop).max(axis=1) > 20


def test_a_young_childs_head_is_broad_and_its_collar_near_the_chin(astronaut: np.ndarray) -> None:
    lm = astronaut
    size, skin = 512, np.array([200.0, 160.0, 140.0])
    width, cx, chin = float(lm[16, 0] - lm[0, 0]), float(lm[8, 0]), float(lm[8, 1])
    temples = int((float(lm[17:27, 1].mean()) + 0.1 * width) * size)
    heads, collars = {}, {}
    for group in ("0-2", "3-9", "30-39"):
        base = portrait.draw_base(size, lm, skin, geometry.face_hull(lm), age_group=group).astype(float)
        heads[group] = np.count_nonzero(_head_row(base, temples)) / (width * size)
        shoulder = base[:, int((cx + 0.6 * width) * size)]
        garment = np.nonzero(np.abs(shoulder - portrait.GARMENTS[0]).max(axis=1) < 30)[0]
        collars[group] = (garment.min() / size - chin) / width
    # Beside the temples the skull is wider than the face for a baby, less so for a child.
    assert heads["0-2"] > heads["3-9"] + 0.05 > heads["30-39"] + 0.1
    # The shoulders sit closer under a baby's chin than a child's, and a child's than an adult's.
    assert collars["0-2"] < collars["3-9"] - 0.03 < collars["30-39"] - 0.06


def test_the_skull_sits_between_the_ears_when_the_nose_is_off_the_faces_middle(astronaut: np.ndarray) -> None:
    lm = astronaut.copy()
    width = float(lm[16, 0] - lm[0, 0])
    # The nose (and the inner face with it) off the outline's middle, as mixed parents can give.
    lm[17:68, 0] += 0.08 * width
    size, skin = 512, np.array([200.0, 160.0, 140.0])
    base = portrait.draw_base(size, lm, skin, geometry.face_hull(lm), age_group="3-9").astype(float)
    row = _head_row(base, int((float(lm[17:27, 1].mean()) + 0.1 * width) * size))
    left, right = np.nonzero(row)[0][[0, -1]] / size
    # The bare head reaches as far past one jaw end as past the other (a plate showed beside one ear).
    assert abs((lm[0, 0] - left) - (right - lm[16, 0])) < 0.01


def test_a_babys_hair_is_a_fine_fuzz_not_combed_lines(astronaut: np.ndarray) -> None:
    lm = astronaut
    size = 512
    canvas = np.full((size, size, 3), 200, dtype=np.uint8)
    style = portrait.HairStyle(length="sparse", volume=1.0, fringe=0.5, part=0.0, seed=3)
    image = portrait.draw_hair(
        canvas, lm, np.array([40.0, 30.0, 20.0]), style, age_group="0-2", hull=geometry.face_hull(lm), layer="front"
    ).astype(float)[..., 1]
    (cx, cy), (ax, ay) = portrait._skull(lm, "0-2")
    patch = image[
        int((cy - 0.75 * ay) * size) : int((cy - 0.45 * ay) * size),
        int((cx - 0.3 * ax) * size) : int((cx + 0.3 * ax) * size),
    ]
    across, down = np.diff(patch, axis=1).std(), np.diff(patch, axis=0).std()
    # Streaks from the crown change little down their length; a fuzz changes in every direction.
    assert down > 0.6 * across > 0.5


def test_the_head_is_lit_from_the_front_and_a_babys_is_round(astronaut: np.ndarray) -> None:
    lm = astronaut
    size, skin = 512, np.array([200.0, 160.0, 140.0])
    width, brow = float(lm[16, 0] - lm[0, 0]), float(lm[17:27, 1].mean())
    base = portrait.draw_base(size, lm, skin, geometry.face_hull(lm), age_group="0-2").astype(float)
    (cx, _), (ax, _) = portrait._skull(lm, "0-2")
    row = int((brow - 0.3 * width) * size)
    middle, side = base[row, int(cx * size)].mean(), base[row, int((cx + 0.85 * ax) * size)].mean()
    assert middle > side + 10
    # A baby's braincase is widest above the brows, not level with the cheekbones (an egg).
    above = np.count_nonzero(_head_row(base, int((brow - 0.1 * width) * size)))
    below = np.count_nonzero(_head_row(base, int((brow + 0.25 * width) * size)))
    assert above > below


def test_the_neck_runs_into_the_collar_without_a_gap(astronaut: np.ndarray) -> None:
    lm = astronaut
    size, skin = 512, np.array([200.0, 160.0, 140.0])
    width, cx, chin = float(lm[16, 0] - lm[0, 0]), float(lm[8, 0]), float(lm[8, 1])
    for group in ("0-2", "3-9", "30-39"):
        base = portrait.draw_base(size, lm, skin, geometry.face_hull(lm), age_group=group).astype(float)
        for x in (cx - 0.28 * width, cx + 0.28 * width):
            column = np.array(
                [_head_row(base, r)[int(x * size)] for r in range(int((chin + 0.25 * width) * size), size)]
            )
            # Below the neck's flare there is skin or shirt down to the frame's foot, no backdrop.
            assert column.all(), (group, x)


def test_drawn_skin_takes_the_colour_of_the_faces_edge_beside_it(astronaut: np.ndarray) -> None:
    lm = astronaut
    size = 256
    hull = geometry.face_hull(lm)
    face = np.zeros((size, size, 3), dtype=np.uint8)
    face[:, : int(lm[30, 0] * size)] = (120, 80, 60)
    face[:, int(lm[30, 0] * size) :] = (230, 190, 170)
    field = portrait.skin_field(face, lm, hull)
    width = float(lm[16, 0] - lm[0, 0])
    y = int(lm[2, 1] * size)
    left, right = field[y, int((lm[2, 0] - 0.05 * width) * size)], field[y, int((lm[14, 0] + 0.05 * width) * size)]
    # Each ear and the head beside each cheek match that cheek's edge, not one median colour.
    assert np.abs(left - (120, 80, 60)).max() < 15
    assert np.abs(right - (230, 190, 170)).max() < 15
    # Far from the face (over the skull) the field fades smoothly to the cheeks' colour: no step.
    far = field[: int((float(lm[17:27, 1].mean()) - 0.2 * width) * size)]
    steps = max(np.abs(np.diff(far, axis=0)).max(), np.abs(np.diff(far, axis=1)).max())
    assert steps < 3.0


def test_long_hair_falls_against_the_neck_without_a_gap(astronaut: np.ndarray) -> None:
    lm = astronaut
    size, skin = 512, np.array([200.0, 160.0, 140.0])
    width, cx, chin = float(lm[16, 0] - lm[0, 0]), float(lm[8, 0]), float(lm[8, 1])
    base = portrait.draw_base(size, lm, skin, geometry.face_hull(lm), age_group="20-29")
    style = portrait.HairStyle(length="long", volume=1.0, fringe=0.5, part=0.0, seed=2)
    image = portrait.draw_hair(
        base, lm, np.array([60.0, 45.0, 30.0]), style, age_group="20-29", hull=geometry.face_hull(lm), layer="back"
    ).astype(float)
    row = int((chin + 0.04 * width) * size)
    for side in (-1.0, 1.0):
        columns = [int((cx + side * f * width) * size) for f in np.linspace(0.0, 0.45, 200)]
        # From the neck out to the hair's outer locks: skin or hair, never the backdrop.
        assert _head_row(image, row)[columns].all(), side


def test_a_babys_hair_grows_in_patches_not_in_streaks_from_the_crown(astronaut: np.ndarray) -> None:
    # Past the fine grain (blurred away here), a baby's hair varies alike in every direction:
    # with streaks radiating from the crown it changed more across them than down them
    # (1.25-1.5 times on these seeds) and read as a knitted cap.
    lm = astronaut
    size = 512
    (cx, cy), (ax, ay) = portrait._skull(lm, "0-2")
    for seed in (1, 3, 5):
        canvas = np.full((size, size, 3), 200, dtype=np.uint8)
        style = portrait.HairStyle(length="sparse", volume=1.0, fringe=0.5, part=0.0, seed=seed)
        image = portrait.draw_hair(
            canvas, lm, np.array([40.0, 30.0, 20.0]), style, age_group="0-2", hull=geometry.face_hull(lm), layer="front"
        )
        grey = image.astype(np.float32).mean(axis=2)
        patch = grey[
            int((cy - 0.75 * ay) * size) : int((cy - 0.35 * ay) * size),
            int((cx - 0.4 * ax) * size) : int((cx + 0.4 * ax) * size),
        ]
        smooth = cv2.GaussianBlur(patch, (0, 0), 1.5)
        across, down = np.diff(smooth, axis=1).std(), np.diff(smooth, axis=0).std()
        assert across < 1.15 * down, (seed, across, down)
        assert (200.0 - patch).mean() > 20.0


def _mans_hair(lm: np.ndarray, length: str, part: float = 0.0, size: int = 512) -> tuple[np.ndarray, np.ndarray]:
    """A man's cap (front layer) on a grey canvas: the hair's cover ``[S, S]`` (0 bare, 1 the
    hair's colour) and where it shows at all, bool ``[S, S]``."""
    style = portrait.HairStyle(length=length, volume=1.0, fringe=0.3, part=part, seed=1)
    image = _front_layer(lm, style, size, "20-29").astype(float).mean(axis=2)
    cover = (FRONT_CANVAS - image) / (FRONT_CANVAS - FRONT_HAIR.mean())
    return cover, cover > 0.125


def test_a_crew_cut_is_cropped_close_and_lets_the_scalp_through(astronaut: np.ndarray) -> None:
    lm = astronaut
    size = 512
    middle = int(float(lm[27, 0]) * size)
    short_cover, short = _mans_hair(lm, "short")
    crew_cover, crew = _mans_hair(lm, "crew")
    # Over the crown the crew cut stands about a third as high above the skull as the short cut
    # (each with its soft outline).
    (_, cy), (_, ay) = portrait._skull(lm, "20-29")
    skull_top = (cy - ay) * size
    crown = lambda hair: skull_top - np.nonzero(hair[:, middle])[0].min()  # noqa: E731
    assert crown(crew) < 0.6 * crown(short), (crown(crew), crown(short))
    # Inside the cap, away from its edges, the short cut is solid; the crew cut lets a tenth of
    # the scalp through, in a fine grain.
    inside = scipy.ndimage.binary_erosion(short & crew, iterations=12)
    assert short_cover[inside].mean() > 0.97
    assert 0.8 < crew_cover[inside].mean() < 0.95
    assert crew_cover[inside].std() > 0.02


@pytest.mark.parametrize("part", [-0.6, 0.6])
def test_a_swept_cut_is_fuller_on_its_partings_side_and_covers_the_far_temple(
    astronaut: np.ndarray, part: float
) -> None:
    lm = astronaut
    size = 512
    width = float(lm[16, 0] - lm[0, 0])
    near, far = (lm[16, 0], lm[0, 0]) if part > 0 else (lm[0, 0], lm[16, 0])
    _, swept = _mans_hair(lm, "swept", part)
    _, short = _mans_hair(lm, "short", part)

    def top(hair: np.ndarray, x: float) -> float:
        return float(np.nonzero(hair[:, int(x * size)])[0].min()) / size

    def hairline(hair: np.ndarray, x: float) -> float:
        # The lowest hair above the brows in that column: the hairline over the forehead.
        column = hair[: int(float(lm[17:27, 1].mean()) * size), int(x * size)]
        return float(np.nonzero(column)[0].max()) / size

    centre = float(lm[27, 0])
    near_crown, far_crown = centre + 0.25 * (near - centre), centre + 0.25 * (far - centre)
    # Taller over the parting's side of the crown than over the other (the short cut is level).
    assert top(swept, near_crown) < top(swept, far_crown) - 0.01 * width
    assert abs(top(short, near_crown) - top(short, far_crown)) < 0.005 * width
    # Swept across the forehead, the hair comes lower at the far temple than a short cut's.
    temple_far, temple_near = centre + 0.7 * (far - centre), centre + 0.7 * (near - centre)
    assert hairline(swept, temple_far) > hairline(short, temple_far) + 0.02 * width
    assert abs(hairline(swept, temple_near) - hairline(short, temple_near)) < 0.01 * width


@pytest.mark.parametrize("length", portrait.MEN_CUTS)
@pytest.mark.parametrize("part", [-0.6, 0.6])
def test_a_mans_bare_forehead_stays_inside_the_skulls_outline(astronaut: np.ndarray, length: str, part: float) -> None:
    lm = astronaut
    size = 512
    width = float(lm[16, 0] - lm[0, 0])
    cover, _ = _mans_hair(lm, length, part)
    hair = cover > 0.05
    face = portrait._fill(size, geometry.face_hull(lm)) > 0.5
    # The skin drawn between the face and his hairline: enclosed by the cap, not the face.
    bare = scipy.ndimage.binary_fill_holes(hair | face) & ~hair & ~face
    assert bare.sum() > 0.002 * size * size
    # It stays clear of the skull's outline, where the drawn head's skin ends: a hairline raised
    # past it at a temple let the backdrop show through the cap's soft edge as a pale sliver.
    (cx, cy), (ax, ay) = portrait._skull(lm, "20-29")
    skull = portrait._ellipse(size, (cx, cy), (ax - 0.025 * width, ay)) > 0.5
    assert int((bare & ~skull).sum()) == 0
