"""Candidates look like both parents: per-region choices show in the pixels, identity follows the
genes, and one couple's candidates differ as siblings do (dlib embeddings, real portraits)."""

from __future__ import annotations

import dataclasses

import cv2
import numpy as np
import pytest

import genetics.offline.engine as offline_engine
from genetics.engine import GenerationParams, PreparedParent, RegionChoice
from genetics.faces import detect_faces
from genetics.images import luma
from genetics.metrics import embed_image, face_distance
from genetics.offline import OfflineEngine, geometry
from genetics.offline.engine import _lit_skin, _Renderer
from genetics.offline.facial_hair import facial_hair_shares, wears_facial_hair
from genetics.offline.genes import FATHER, GENES, MOTHER, ChildGenes, Gene
from genetics.offline.prototypes import build_references
from genetics.parameters import REGIONS
from genetics.samples import sample

LOWER_FACE = [2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 35, 34, 33, 32, 31]
"""Where a beard grows: the jaw below the nose's base, the upper lip and the chin."""

# The nose patch is the tip and nostrils: the bridge is skin (glasses rest there), mixed as skin.
FEATURES = {"eyes": range(36, 48), "brows": range(17, 27), "nose": range(30, 36), "mouth": range(48, 68)}


@pytest.fixture(scope="module")
def engine() -> OfflineEngine:
    return OfflineEngine()


@pytest.fixture(scope="module")
def couple(engine: OfflineEngine) -> tuple[PreparedParent, PreparedParent]:
    return engine.prepare_parent(sample("obama")), engine.prepare_parent(sample("astronaut"))


def _patch(image: np.ndarray, landmarks: np.ndarray, points: range) -> np.ndarray:
    """The feature's bounding box (grown downwards by a quarter), grey, resized to 48x32, zero-mean.

    Beside and above the brows a candidate has drawn hair (the portrait's fringe and sides) and a
    parent may have a fringe too: growing the box sideways or upwards would compare hair, not brows.
    """
    size = image.shape[0]
    lm = np.asarray(landmarks)[list(points)] * size
    (x0, y0), (x1, y1) = lm.min(axis=0), lm.max(axis=0)
    pad_y = (y1 - y0) * 0.25 + 2
    box = image[int(y0) : int(y1 + pad_y), int(x0) : int(x1)]
    grey = cv2.resize(cv2.cvtColor(box, cv2.COLOR_RGB2GRAY), (48, 32), interpolation=cv2.INTER_AREA)
    grey = grey.astype(np.float64)
    return (grey - grey.mean()) / (grey.std() + 1e-6)


@pytest.mark.parametrize("region", sorted(FEATURES))
def test_each_region_choice_shows_that_parents_feature(
    region: str, engine: OfflineEngine, couple: tuple[PreparedParent, PreparedParent]
) -> None:
    father, mother = couple
    parents = {
        name: _patch(p.arrays["aligned"], p.arrays["landmarks"], FEATURES[region])
        for name, p in (("father", father), ("mother", mother))
    }
    for chosen, other in (("father", "mother"), ("mother", "father")):
        regions = {name: RegionChoice("weight", 0.5) for name in REGIONS}
        regions[region] = RegionChoice(chosen)
        params = GenerationParams(age_group="20-29", num_candidates=1, seed=5, resolution=512, regions=regions)
        candidate = engine.generate(father, mother, params).candidates[0]
        patch = _patch(candidate.image, candidate.genes["landmarks"], FEATURES[region])
        assert np.mean((patch - parents[chosen]) ** 2) < np.mean((patch - parents[other]) ** 2), (region, chosen)


def test_identity_follows_the_genes(engine: OfflineEngine, couple: tuple[PreparedParent, PreparedParent]) -> None:
    father, mother = couple
    for chosen, other in ((father, mother), (mother, father)):
        side = "father" if chosen is father else "mother"
        regions = {name: RegionChoice(side) for name in REGIONS}
        params = GenerationParams(age_group="30-39", num_candidates=1, seed=1, regions=regions)
        embedding = embed_image(engine.generate(father, mother, params).candidates[0].image)
        assert face_distance(embedding, chosen.arrays["embedding"]) < face_distance(
            embedding, other.arrays["embedding"]
        )


def test_candidates_sit_closer_to_their_own_couple_and_differ_as_siblings(
    engine: OfflineEngine, couple: tuple[PreparedParent, PreparedParent]
) -> None:
    father, mother = couple
    strangers = [engine.prepare_parent(sample(n)).arrays["embedding"] for n in ("biden", "grace_hopper")]
    result = engine.generate(father, mother, GenerationParams(age_group="3-9", num_candidates=6, seed=11))
    embeddings = [embed_image(c.image) for c in result.candidates]
    own = [
        (face_distance(e, father.arrays["embedding"]) + face_distance(e, mother.arrays["embedding"])) / 2
        for e in embeddings
    ]
    other = [(face_distance(e, strangers[0]) + face_distance(e, strangers[1])) / 2 for e in embeddings]
    assert np.mean(np.array(own) < np.array(other)) >= 5 / 6
    pairwise = [face_distance(a, b) for i, a in enumerate(embeddings) for b in embeddings[i + 1 :]]
    # Real siblings are about 0.63 apart; the issue asks for at least 0.6 of that.
    assert np.mean(pairwise) >= 0.6 * 0.63


def test_a_feature_from_a_darker_photo_sits_on_the_childs_skin(engine: OfflineEngine) -> None:
    """Features are inherited relative to the skin around them, not with the parent's skin.

    The same face, once as photographed and once 40 % darker: skin from the first and eyes, brows,
    nose and mouth from the second must look like the first. Pasted with their own skin, they
    showed as dark patches (0.64-0.79 of the brightness; pale patches the other way round).
    """
    light = sample("astronaut")
    dark = (light.astype(np.float32) * 0.6).astype(np.uint8)
    father, mother = engine.prepare_parent(light), engine.prepare_parent(dark)

    def brightness(features_from: str) -> dict[str, float]:
        regions = {name: RegionChoice("father") for name in REGIONS}
        regions.update({name: RegionChoice(features_from) for name in FEATURES})
        params = GenerationParams(age_group="20-29", num_candidates=1, seed=5, resolution=512, regions=regions)
        candidate = engine.generate(father, mother, params).candidates[0]
        grey = cv2.cvtColor(candidate.image, cv2.COLOR_RGB2GRAY).astype(np.float64)
        points = np.asarray(candidate.genes["landmarks"]) * grey.shape[0]
        means = {}
        for name, indices in FEATURES.items():
            (x0, y0), (x1, y1) = points[list(indices)].min(axis=0), points[list(indices)].max(axis=0)
            means[name] = float(grey[int(y0) : int(y1) + 1, int(x0) : int(x1) + 1].mean())
        return means

    own, borrowed = brightness("father"), brightness("mother")
    ratios = {name: borrowed[name] / own[name] for name in FEATURES}
    assert all(abs(ratio - 1.0) < 0.05 for ratio in ratios.values()), ratios


def _iris_luma(image: np.ndarray, landmarks: np.ndarray) -> float:
    """The median luma of the darker half of both eyes' openings (the irises and pupils)."""
    opening = np.zeros(image.shape[:2], np.uint8)
    for eye in (range(36, 42), range(42, 48)):
        cv2.fillPoly(opening, [np.round(np.asarray(landmarks)[list(eye)] * image.shape[0]).astype(np.int32)], 1)
    level = luma(image[opening > 0].astype(np.float64))
    return float(np.median(level[level <= np.median(level)]))


def test_a_dark_skinned_parents_dark_irises_stay_dark_on_a_paler_child(engine: OfflineEngine) -> None:
    """The eyes' openings take no more brightening from a paler child's skin than takes their
    whites to white (:data:`~genetics.offline.engine.WHITE_CEILING`).

    The astronaut's skin darkened to 0.45 of its brightness around her eyes as they are (a darker
    skin in the same light): her son with her eyes and her own paler skin must have irises nearly
    as dark as her son with her photo as it is (1.24 times as bright). Scaled as skin (until
    0.1.51), they came out 2.34 times as bright, and a CC0 father's near-black irises read
    grey-blue on his sons."""
    astronaut = engine.prepare_parent(sample("astronaut"))
    aligned, landmarks = astronaut.arrays["aligned"], astronaut.arrays["landmarks"]
    eyes = np.zeros(aligned.shape[:2], np.float32)
    for eye in (range(36, 42), range(42, 48)):
        cv2.fillPoly(eyes, [np.round(landmarks[list(eye)] * aligned.shape[0]).astype(np.int32)], 1.0)
    eyes = cv2.GaussianBlur(cv2.dilate(eyes, np.ones((9, 9), np.uint8)), (0, 0), 3.0)[..., None]
    darker = np.clip(aligned * (0.45 + 0.55 * eyes) + 0.5, 0, 255).astype(np.uint8)
    dark_skinned = dataclasses.replace(astronaut, arrays={**astronaut.arrays, "aligned": darker})
    regions = {"eyes": RegionChoice("father"), "skin": RegionChoice("mother")}
    params = GenerationParams(
        age_group="20-29", gender="male", num_candidates=1, seed=3, resolution=512, regions=regions
    )
    irises = []
    for father in (astronaut, dark_skinned):
        son = engine.generate(father, astronaut, params).candidates[0]
        irises.append(_iris_luma(son.image, np.asarray(son.genes["landmarks"])))
    # Her whites (luma 206) may brighten 240 / 206 = 1.17 times, the lids' edges beside them more.
    assert irises[1] / irises[0] < 1.3, irises


def _tint_at_tip(image: np.ndarray, landmarks: np.ndarray) -> np.ndarray:
    """The mean colour of a square around the nose's tip over its mean (its tint)."""
    size = image.shape[0]
    x, y = (np.asarray(landmarks)[30] * size).astype(int)
    reach = int(0.03 * size)
    colour = image[y - reach : y + reach, x - reach : x + reach].reshape(-1, 3).astype(np.float64).mean(axis=0)
    return colour / colour.mean()


def _nose_tints(engine: OfflineEngine, light: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """How much a light on Obama's nose tip (``light``: each channel's gain less 1 at the spot's
    middle) changes his tip's tint, and his son's whose nose gene is his (with Biden's skin):
    ``(painted, inherited)``, each channel's change as a share of the tint without it."""
    plain = sample("obama2")
    (face,) = detect_faces(plain)
    rows, cols = np.mgrid[0 : plain.shape[0], 0 : plain.shape[1]]
    width = float(np.linalg.norm(face.landmarks[16] - face.landmarks[0]))
    tip = face.landmarks[30]
    spot = np.exp(-((cols - tip[0]) ** 2 + (rows - tip[1]) ** 2) / (2 * (0.06 * width) ** 2))[..., None]
    lit = np.clip(plain * (1.0 + spot * light), 0, 255).astype(np.uint8)
    mother = engine.prepare_parent(sample("biden"))
    regions = {"nose": RegionChoice("father"), "skin": RegionChoice("mother")}
    params = GenerationParams(age_group="20-29", gender="male", num_candidates=1, resolution=256, regions=regions)
    fathers, sons = [], []
    for photo in (plain, lit):
        father = engine.prepare_parent(photo)
        fathers.append(_tint_at_tip(father.arrays["aligned"], father.arrays["landmarks"]))
        son = engine.generate(father, mother, params).candidates[0]
        sons.append(_tint_at_tip(son.image, son.genes["landmarks"]))
    return np.abs(fathers[1] / fathers[0] - 1.0), np.abs(sons[1] / sons[0] - 1.0)


def test_a_warm_light_on_a_fathers_nose_tip_does_not_tint_his_sons(engine: OfflineEngine) -> None:
    """A key light's colour on a nose tip is the photo's, not the nose's: the son's tip takes his
    skin's colour at the brightness the father's tip has against its skin. With the colour taken
    too, a dark father's warm-lit nose glowed orange on his lighter sons (real CC0 couple)."""
    painted, inherited = _nose_tints(engine, np.array([0.45, 0.1, -0.25]))
    # The light turned the father's tip a fifth less blue; the son keeps under 0.4 of that (0.84
    # before 0.1.27).
    assert painted[2] > 0.15
    assert inherited[2] < 0.4 * painted[2], (painted, inherited)


def test_a_warm_tint_on_a_fathers_nose_as_bright_as_his_skin_does_not_reach_his_sons(engine: OfflineEngine) -> None:
    """A warm light's colour on a nose no brighter than its skin (a side of the nose, a shaded tip)
    is the photo's too: the son's nose takes his skin's colour. Kept as the nose's own colour
    against the skin (before 0.1.42), a dark father's orange nose side glowed on his sons."""
    # Orange at the same brightness: more red, less blue, the luma kept.
    warm = np.array([0.3, -0.05, -0.45])
    painted, inherited = _nose_tints(engine, warm - luma(warm) / luma(np.ones(3)))
    # The tint took 0.3 of the father's tip's blue; his son kept 0.24 of that before 0.1.42.
    assert painted[2] > 0.2
    assert inherited[2] < 0.15 * painted[2], (painted, inherited)


def test_a_noses_pixel_takes_the_childs_skin_colour_and_its_shine_is_light_added() -> None:
    """The rule behind the test above, on single pixels: a dark parent's warm-lit nose tip on a
    child's skin three times as bright, and on a darker one; a shade and a redder dark pixel."""
    skin = np.array([[[60.0, 45.0, 40.0]]])
    lighter, darker = skin * 3.0, skin * 0.5
    tip = skin * np.array([1.6, 1.35, 1.1])
    over = float(luma(tip)[0, 0] / luma(skin)[0, 0])
    # The child's colour; the shine (over - 1) a third as strong against skin three times as
    # bright (scaled with the skin until 0.1.28: the full 1.4 times, in the light's orange).
    for child, shine in ((lighter, (over - 1.0) / 3.0), (darker, over - 1.0)):
        assert np.allclose(_lit_skin(tip, skin, child), child * (1.0 + shine))
    # At the skin's brightness or darker a pixel is the child's skin colour at its brightness
    # against the parent's skin: the red of a shade in a photo's light is not passed on.
    for pixel in (skin * 0.8, skin * np.array([0.9, 0.7, 0.7])):
        brightness = float(luma(pixel)[0, 0] / luma(skin)[0, 0])
        assert np.allclose(_lit_skin(pixel, skin, lighter), lighter * brightness)


def test_a_turned_faces_backdrop_does_not_come_back_on_its_childs_jaw(engine: OfflineEngine) -> None:
    # Biden turns a little: his wider side's jaw, mirrored to even out the lighting, once landed
    # on the blue flag behind his narrower side and came back as a blue patch on the jaw.
    biden, astronaut = engine.prepare_parent(sample("biden")), engine.prepare_parent(sample("astronaut"))
    regions = {name: RegionChoice("father") for name in REGIONS}
    params = GenerationParams(age_group="20-29", gender="male", num_candidates=1, resolution=256, regions=regions)
    candidate = engine.generate(biden, astronaut, params).candidates[0]
    size = candidate.image.shape[0]
    lm = candidate.genes["landmarks"]
    mask = np.zeros((size, size), dtype=np.uint8)
    cv2.fillPoly(mask, [np.round(lm[0:17] * size).astype(np.int32)], 1)
    # The lower face only: his eyes are blue.
    mask[: int(lm[33, 1] * size)] = 0
    lab = cv2.cvtColor(candidate.image.astype(np.float32) / 255.0, cv2.COLOR_RGB2LAB)
    # Skin is yellowish (b* > 0) however lit; the flag's blue is not.
    blue = (lab[..., 2] < 5.0) & (mask > 0)
    # (Before, a tenth of the lower face was blue; a grey trace of the jaw line stays.)
    assert blue.sum() < 0.03 * mask.sum(), blue.sum()


def test_a_brows_patch_takes_no_pale_hair_or_highlight_beside_the_brow(
    couple: tuple[PreparedParent, PreparedParent],
) -> None:
    _, astronaut = couple
    genes = ChildGenes(genes={name: Gene(weights={FATHER: 1.0}) for name in GENES}, hair=FATHER)
    textures, brows, skin = [], None, np.zeros(0)
    for strand in (False, True):
        aligned = astronaut.arrays["aligned"].copy()
        size = aligned.shape[0]
        if strand:
            # Pale hair over the outer end of the right brow, as Biden's white temple is in his
            # photo: a thin strand (a thick patch would be in the skin's low band too, as any hair).
            ends = (astronaut.arrays["landmarks"][[24, 26]] * size).round().astype(int)
            cv2.line(aligned, tuple(ends[0]), tuple(ends[1]), (250, 250, 250), round(0.012 * size))
        arrays = dict(astronaut.arrays, aligned=aligned)
        parent = PreparedParent(astronaut.engine, astronaut.model_key, arrays, astronaut.meta)
        renderer = _Renderer(256, [parent, parent], [None, None], "20-29")
        textures.append(luma(renderer._child_texture(genes, 1.0, None).astype(np.float32)))
        brows = renderer.masks["brows"] > 0.9
        skin = luma(renderer.source(FATHER).skin_low)
    # Brow hair is darker than its skin: nothing in a brow's patch is paler than the candidate's
    # skin there, strand or not (as drawn, the strand is ~90 grey levels above the skin beside the
    # brow; until 0.1.57 an adult's patch let it through up to 1.15 times the skin round the brow).
    excess = textures[1] - np.maximum(textures[0], skin)
    assert float(excess[brows].max()) < 3, float(excess[brows].max())


def test_a_brows_patch_keeps_the_childs_skin_when_the_genes_contrast_differs_from_its_sources(
    couple: tuple[PreparedParent, PreparedParent],
) -> None:
    # Obama's brows are darker than the skin round them (the astronaut's read no darker than the
    # eye socket's shade below them: a contrast no depth can be read from, which stays as it is).
    obama, _ = couple
    size = obama.arrays["aligned"].shape[0]
    # A second parent whose brows are far darker, so a gene mixing both asks for more contrast
    # than the first parent's brows, whose pixels the child shows.
    darker = obama.arrays["aligned"].copy()
    for side in (slice(17, 22), slice(22, 27)):
        arc = (obama.arrays["landmarks"][side] * size).round().astype(np.int32)
        cv2.polylines(darker, [arc], False, (25, 20, 15), round(0.02 * size))
    second = PreparedParent(obama.engine, obama.model_key, dict(obama.arrays, aligned=darker), obama.meta)
    renderer = _Renderer(256, [obama, second], [None, None], "20-29")
    textures = []
    for brows in ({FATHER: 1.0}, {FATHER: 0.6, MOTHER: 0.4}):
        genes = {name: Gene(weights={FATHER: 1.0}) for name in GENES}
        genes["brows"] = Gene(weights=brows)
        textures.append(
            luma(renderer._child_texture(ChildGenes(genes=genes, hair=FATHER), 1.0, None).astype(np.float32))
        )
    patch = renderer.masks["brows"] > 0.9
    father = renderer.source(FATHER)
    source = luma(father.low + father.high + 1.0)
    # Skin: where his brows do not darken his skin.
    skin = renderer._brow_darkness(father) <= 0.0
    hair = source < np.percentile(source[patch], 10)
    # The brow hair darkens with the gene's contrast; the skin beside it in the patch does not
    # (scaled whole, it darkened by 15 grey levels, more than the hair: a dark rim round the brows).
    assert (textures[1] - textures[0])[patch & hair].mean() < -1.5
    assert np.abs(textures[1] - textures[0])[patch & skin].mean() < 1


def test_a_side_lit_parents_brows_sit_on_the_childs_skin_without_a_pale_outline(
    couple: tuple[PreparedParent, PreparedParent],
) -> None:
    _, astronaut = couple
    aligned = astronaut.arrays["aligned"]
    size = aligned.shape[0]
    # The same face lit from its right (the image's left): up to 35 % brighter there, fading out
    # at the nose. A brow patch scaled by its rings' one mean kept that side's brightness and
    # showed as a pale outline round the child's brow.
    middle = float(astronaut.arrays["landmarks"][27:31, 0].mean()) * size
    light = 1.0 + 0.35 * np.clip((middle - np.arange(size, dtype=np.float32)) / (0.2 * size), 0.0, 1.0)
    lit = np.clip(aligned.astype(np.float32) * light[None, :, None], 0, 255).astype(np.uint8)
    side_lit = PreparedParent(
        astronaut.engine, astronaut.model_key, dict(astronaut.arrays, aligned=lit), astronaut.meta
    )
    renderer = _Renderer(256, [astronaut, side_lit], [None, None], "20-29")
    textures = []
    for brows in (FATHER, MOTHER):
        genes = {name: Gene(weights={FATHER: 1.0}) for name in GENES}
        genes["brows"] = Gene(weights={brows: 1.0})
        textures.append(
            luma(renderer._child_texture(ChildGenes(genes=genes, hair=FATHER), 1.0, None).astype(np.float32))
        )
    patch = renderer.masks["brows"] > 0.5
    lit_side = np.arange(256)[None, :] < renderer.reference[27, 0] * 256
    # The lit brow's patch on the child's skin matches the unlit one's (2.2 grey levels paler on
    # the lit side on average; 5.6 with the rings' one mean, paler still where the patch meets
    # the child's skin).
    difference = (textures[1] - textures[0])[patch & lit_side]
    assert abs(float(difference.mean())) < 3, float(difference.mean())


@pytest.mark.parametrize(("age_group", "low", "high"), [("0-2", 0.15, 0.6), ("3-9", 0.15, 0.6), ("20-29", 0.9, 1.1)])
def test_a_childs_nose_and_lips_take_the_skins_fine_detail_not_the_parents(
    couple: tuple[PreparedParent, PreparedParent], age_group: str, low: float, high: float
) -> None:
    obama, _ = couple
    aligned = obama.arrays["aligned"]
    # A fine speckle (pores, specks) of 12 grey levels over the father's whole photo: a child's
    # nose and lips keep only the skin's share of it; an adult's keep it all.
    speckle = np.random.default_rng(0).normal(0.0, 12.0, aligned.shape[:2]).astype(np.float32)
    speckled = np.clip(aligned.astype(np.float32) + speckle[..., None], 0, 255).astype(np.uint8)
    twin = PreparedParent(obama.engine, obama.model_key, dict(obama.arrays, aligned=speckled), obama.meta)
    # Source 0 the plain photo, 1 the speckled one: the child's nose and lips from either.
    renderer = _Renderer(256, [obama, twin], [None, None], age_group)
    detail = renderer.growth.skin_detail
    textures = []
    for source in (FATHER, MOTHER):
        genes = {name: Gene(weights={FATHER: 1.0}) for name in GENES}
        for name in ("nose", "mouth"):
            genes[name] = Gene(weights={source: 1.0})
        texture = renderer._child_texture(ChildGenes(genes=genes, hair=FATHER), detail, None)
        textures.append(luma(texture.astype(np.float32)))
    # The speckle's own strength in those patches, as the sources' high band carries it. Kept:
    # 0.33 and 0.27 (nose, lips) of it at 0-2, 0.40 and 0.35 at 3-9 (0.29 until 0.1.51, when the
    # inside of the mouth took the skin's share too), all of it (1.0) at 20-29; before 0.1.16 all
    # of it at every age.
    carried = luma(renderer.source(MOTHER).high - renderer.source(FATHER).high)

    def kept(patch: np.ndarray) -> float:
        return float(np.std((textures[1] - textures[0])[patch]) / np.std(carried[patch]))

    # His lips part over his teeth. What shows between a child's parted lips is not skin: it
    # keeps all its detail (since 0.1.51), the lips around it the skin's share.
    if renderer.mouth_inside is not None:
        inside = renderer.mouth_inside[..., 0] > 0.99
        assert inside.sum() > 100 and kept(inside) == pytest.approx(1.0, abs=0.05), kept(inside)
    for name in ("nose", "mouth"):
        outside = renderer.mouth_inside is None or renderer.mouth_inside[..., 0] < 0.01
        share = kept((renderer.masks[name] > 0.9) & outside)
        assert low <= share <= high, (name, share)


@pytest.mark.parametrize("age_group", ["0-2", "20-29"])
def test_brows_lie_on_the_candidates_own_skin_without_a_pale_rim_or_a_colour_of_their_own(
    couple: tuple[PreparedParent, PreparedParent], age_group: str
) -> None:
    obama, astronaut = couple
    # Obama's forehead above his brows is far brighter than the eye socket's shade below them;
    # his black brows on the astronaut's paler skin.
    renderer = _Renderer(256, [obama, astronaut], [None, None], age_group)
    genes = {name: Gene(weights={MOTHER: 1.0}) for name in GENES}
    genes["brows"] = Gene(weights={FATHER: 1.0})
    detail = renderer.growth.skin_detail
    image = renderer._child_texture(ChildGenes(genes=genes, hair=FATHER), detail, None).astype(np.float32)
    skin_low = renderer.source(MOTHER).skin_low
    patch = renderer.masks["brows"] > 0.9
    # Nothing in the brow's patch is paler than the child's skin there: 0.4 grey levels at the
    # 99th percentile now (uint8 rounding); 28.1 with the patch scaled by the skin below the brow
    # (a baby's before 0.1.16; an adult's before 0.1.57, 26.4), a pale rim along the brow's edge.
    excess = luma(image)[patch] - luma(skin_low)[patch]
    assert float(np.percentile(excess, 99)) < 3, float(np.percentile(excess, 99))
    # The brow itself stays dark on that skin.
    assert float(np.percentile(excess, 10)) < -40, float(np.percentile(excess, 10))
    # And it is the skin's colour, darker: his near-black brows, brightened onto her skin in their
    # own colour, turned blue-grey (an adult's until 0.1.57: blue over red 1.25 times the skin's;
    # 1.00 now).
    darkest = patch & (luma(image) < np.percentile(luma(image)[patch], 10))
    tone = image[darkest].mean(axis=0) / skin_low[darkest].mean(axis=0)
    assert float(tone[2] / tone[0]) < 1.05, tone


def test_a_dark_mark_by_one_brow_only_is_not_taken_for_brow(couple: tuple[PreparedParent, PreparedParent]) -> None:
    obama, astronaut = couple
    renderer = _Renderer(256, [obama, astronaut], [None, None], "20-29")
    source = renderer.source(FATHER)
    darkness = renderer._brow_darkness(source).copy()
    patch = renderer.masks["brows"] > 0.5
    # A dark mark (a lock of hair at the temple, as a CC0 father's lay by his brow's end) on his
    # skin inside one brow's patch, where neither that brow nor its mirror image, the other brow,
    # darkens the skin.
    right = np.arange(256)[None, :] > renderer.reference[27, 0] * 256
    mirrored = renderer._mirrored(darkness)
    bare = patch & right & (darkness < 0.02) & (mirrored < 0.02)
    assert bare.any()
    y, x = (int(v[0]) for v in np.nonzero(bare))
    mark = np.zeros((256, 256), dtype=np.float32)
    cv2.circle(mark, (x, y), 3, 1.0, -1)
    source.high = source.high - 60.0 * mark[..., None]
    source.brow_darkness = None
    marked = renderer._brow_darkness(source)
    # Read against the skin alone, the mark would darken it by a third or more; its twin, the
    # other side's bare skin, keeps it out.
    plain = renderer._darkness_against_skin(source)
    on_mark = mark > 0.5
    assert float(plain[on_mark].mean()) > 0.3, float(plain[on_mark].mean())
    assert float(marked[on_mark].mean()) < 0.1, float(marked[on_mark].mean())
    # His brows themselves, which have their twins, keep their darkness.
    brow = patch & (darkness > 0.2)
    assert float(marked[brow].mean()) > 0.8 * float(plain[brow].mean())


def _teeth_share(image: np.ndarray, landmarks: np.ndarray) -> float:
    """Share of the pixels inside the lips' outer outline that are white (teeth): bright, and
    less saturated than lips."""
    size = image.shape[0]
    mask = np.zeros((size, size), dtype=np.uint8)
    cv2.fillPoly(mask, [np.round(landmarks[48:60] * size).astype(np.int32)], 1)
    hsv = cv2.cvtColor(image, cv2.COLOR_RGB2HSV)[mask > 0].astype(float)
    return float(((hsv[:, 2] > 150) & (hsv[:, 1] < 80)).mean())


def _sharpness_between_the_lips(image: np.ndarray, landmarks: np.ndarray) -> float:
    """Mean absolute Laplacian of the brightness inside the inner lips' outline (teeth's edges)."""
    size = image.shape[0]
    mask = np.zeros((size, size), dtype=np.uint8)
    cv2.fillPoly(mask, [np.round(landmarks[60:68] * size).astype(np.int32)], 1)
    return float(np.abs(cv2.Laplacian(luma(image.astype(np.float32)), cv2.CV_32F))[mask > 0].mean())


@pytest.mark.parametrize("age_group", ["3-9", "10-19"])
def test_a_smiling_parents_teeth_stay_teeth_between_a_childs_parted_lips(engine: OfflineEngine, age_group: str) -> None:
    # Obama smiles with his teeth (lips parted 0.20 of the mouth's width), Grace Hopper's lips are
    # closed; the child's mouth is his. Levelled as skin, and squeezed into the two parents' mean
    # opening before being stretched back to his, his teeth were a blurred slab: 3.7-3.9 of the
    # sharpness they have in his photo (27.0), 24-27 now.
    father, mother = engine.prepare_parent(sample("obama")), engine.prepare_parent(sample("grace_hopper"))
    regions = {name: RegionChoice("father") for name in REGIONS}
    params = GenerationParams(age_group=age_group, gender="male", num_candidates=1, resolution=256, regions=regions)
    (child,) = engine.generate(father, mother, params).candidates
    landmarks = child.genes["landmarks"]
    assert geometry.lip_parting(landmarks) > 0.15
    photo = cv2.resize(father.arrays["aligned"], (256, 256), interpolation=cv2.INTER_AREA)
    own = _sharpness_between_the_lips(photo, father.arrays["landmarks"])
    assert _sharpness_between_the_lips(child.image, landmarks) > own / 2, own
    assert _teeth_share(child.image, landmarks) > 0.2


def test_a_smiling_parents_teeth_do_not_show_between_a_babys_closed_lips(engine: OfflineEngine) -> None:
    # Obama smiles with his teeth and gives every gene; a baby's lips are drawn closed. Squeezed
    # shut by the warp alone, his teeth still showed along the line where the lips meet: 0.34 of
    # the lips' area was teeth (the app's demo babies' pale grin); 0.009 now.
    father, mother = engine.prepare_parent(sample("obama")), engine.prepare_parent(sample("astronaut"))
    regions = {name: RegionChoice("father") for name in REGIONS}
    params = GenerationParams(age_group="0-2", gender="male", num_candidates=1, resolution=256, regions=regions)
    (child,) = engine.generate(father, mother, params).candidates
    landmarks = child.genes["landmarks"]
    assert geometry.lip_parting(landmarks) < 0.03
    assert _teeth_share(child.image, landmarks) < 0.05, _teeth_share(child.image, landmarks)


def test_a_childs_lips_part_as_its_parents_do_not_as_the_reference_childrens(engine: OfflineEngine) -> None:
    # Obama and the astronaut, both smiling with their teeth, stand in for the 3-9 band; Grace
    # Hopper and Biden, lips closed, for the adults and as the parents. The band's faces part their
    # lips wider than the adults' (a smile, not an age), and their teeth averaged into a closed
    # mouth were a row of grey, gapped teeth.
    faces = [("obama", 5, "male"), ("astronaut", 6, "female"), ("grace_hopper", 40, "female"), ("biden", 70, "male")]
    references = build_references([(sample(name), age, sex) for name, age, sex in faces], min_references=2)
    band = references.transform("3-9", "female")
    assert geometry.lip_parting(band.target.shape) > geometry.lip_parting(band.adult.shape) + 0.1
    smiling = OfflineEngine(references=references)
    father, mother = smiling.prepare_parent(sample("biden")), smiling.prepare_parent(sample("grace_hopper"))
    params = GenerationParams(age_group="3-9", gender="female", num_candidates=2, resolution=256)
    for child in smiling.generate(father, mother, params).candidates:
        landmarks = child.genes["landmarks"]
        # Parted 0.17-0.18 of the mouth's width before, 0.001 at most now.
        assert geometry.lip_parting(landmarks) < 0.03, geometry.lip_parting(landmarks)
        # 0.13-0.27 of the lips' area was teeth before; 0-0.011 now (pale highlights on her lips).
        assert _teeth_share(child.image, landmarks) < 0.03, _teeth_share(child.image, landmarks)


def test_a_laughing_parents_lips_and_teeth_never_make_a_childs_mouth(
    engine: OfflineEngine, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Obama's second portrait laughs (lips parted 0.35 of the mouth's width); Grace Hopper's lips
    # are closed. Every gene is his: the mouth's place and width stay his, its lips are hers.
    father, mother = engine.prepare_parent(sample("obama2")), engine.prepare_parent(sample("grace_hopper"))
    assert geometry.lip_parting(father.arrays["landmarks"]) > offline_engine.LAUGH_PARTING
    assert geometry.lip_parting(mother.arrays["landmarks"]) < offline_engine.LAUGH_PARTING
    regions = {name: RegionChoice("father") for name in REGIONS}
    params = GenerationParams(age_group="3-9", gender="female", num_candidates=1, resolution=256, regions=regions)
    (child,) = engine.generate(father, mother, params).candidates
    monkeypatch.setattr(offline_engine, "LAUGH_PARTING", 1.0)
    (laughing,) = engine.generate(father, mother, params).candidates
    # Taken as it is, his laugh narrowed to a child's parting still showed his teeth.
    assert _teeth_share(laughing.image, laughing.genes["landmarks"]) > 0.03
    assert _teeth_share(child.image, child.genes["landmarks"]) < 0.005
    assert geometry.lip_parting(child.genes["landmarks"]) < 0.05
    widths = [float(np.ptp(c.genes["landmarks"][48:60, 0])) for c in (child, laughing)]
    assert widths[0] == pytest.approx(widths[1], rel=0.05)

    def height(lm: np.ndarray) -> float:
        """The lips' outer height (top of the upper lip to the bottom of the lower) over their width."""
        return float(lm[57, 1] - lm[51, 1]) / float(lm[54, 0] - lm[48, 0])

    # His laugh's lips, stretched open, stood 0.68 of their width tall (closed, still 0.63); hers 0.25.
    assert height(child.genes["landmarks"]) == pytest.approx(height(mother.arrays["landmarks"]), abs=0.05)
    # An adult keeps his laugh as it is.
    monkeypatch.undo()
    (adult,) = engine.generate(father, mother, dataclasses.replace(params, age_group="20-29")).candidates
    assert geometry.lip_parting(adult.genes["landmarks"]) > offline_engine.LAUGH_PARTING


def _lower_face(landmarks: np.ndarray) -> float:
    """The nose's tip to the chin over the outer eye corners' distance."""
    return float(landmarks[8, 1] - landmarks[33, 1]) / float(landmarks[45, 0] - landmarks[36, 0])


@pytest.mark.parametrize("age_group", ["0-2", "3-9"])
def test_a_laughs_dropped_jaw_closes_for_a_child(engine: OfflineEngine, age_group: str) -> None:
    # Obama's two portraits: in one he smiles (lips parted 0.20), in the other he laughs (0.35),
    # his jaw dropped. A child with every gene his has the same face below the nose from either:
    # 0.76 of its eyes' width from the smile, 0.74-0.76 from the laugh (0.82-0.84 with the chin
    # raised by half the drop, as until 0.1.43: a long chin under the child's closed lips).
    mother = engine.prepare_parent(sample("grace_hopper"))
    regions = {name: RegionChoice("father") for name in REGIONS}
    params = GenerationParams(age_group=age_group, gender="female", num_candidates=1, resolution=256, regions=regions)
    fathers = [engine.prepare_parent(sample(name)) for name in ("obama", "obama2")]
    lower = []
    for father in fathers:
        (child,) = engine.generate(father, mother, params).candidates
        lower.append(_lower_face(child.genes["landmarks"]))
    assert geometry.lip_parting(fathers[1].arrays["landmarks"]) > offline_engine.LAUGH_PARTING
    assert lower[1] == pytest.approx(lower[0], abs=0.03), lower


def _mouth_over_eyes(landmarks: np.ndarray) -> float:
    """The mouth's width over the outer eye corners' distance."""
    return float(landmarks[54, 0] - landmarks[48, 0]) / float(landmarks[45, 0] - landmarks[36, 0])


def test_a_laughs_stretch_does_not_widen_a_childs_closed_lips(
    engine: OfflineEngine, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Obama's laugh stretched to 0.8 of his eyes' width, as a real father's laugh was (0.79): his
    # daughters whose mouth gene was his had his wife's closed lips that wide, flat and wide.
    father, mother = engine.prepare_parent(sample("obama2")), engine.prepare_parent(sample("grace_hopper"))
    landmarks = father.arrays["landmarks"].astype(np.float64)
    centre = landmarks[48:68].mean(axis=0)
    landmarks[48:68] = centre + (landmarks[48:68] - centre) * 0.8 / _mouth_over_eyes(landmarks)
    stretched = dataclasses.replace(father, arrays=dict(father.arrays, landmarks=landmarks))
    assert _mouth_over_eyes(landmarks) == pytest.approx(0.8)
    assert geometry.lip_parting(landmarks) > offline_engine.LAUGH_PARTING
    regions = {name: RegionChoice("father") for name in REGIONS}
    params = GenerationParams(age_group="3-9", gender="female", num_candidates=1, resolution=256, regions=regions)
    (child,) = engine.generate(stretched, mother, params).candidates
    monkeypatch.setattr(offline_engine, "LAUGH_WIDTH", 10.0)
    (wide,) = engine.generate(stretched, mother, params).candidates
    # A child's mouth is narrower for its eyes than an adult's (the band's shape): 0.71 uncapped,
    # 0.62 with the laugh's width capped.
    assert _mouth_over_eyes(wide.genes["landmarks"]) > 0.69
    assert _mouth_over_eyes(child.genes["landmarks"]) < 0.64
    # His own laugh, 0.67 as wide as his eyes, keeps its width (the test above).
    assert _mouth_over_eyes(father.arrays["landmarks"]) < offline_engine.LAUGH_WIDTH


def _nose_sides(texture: np.ndarray, renderer: _Renderer) -> float:
    """The log ratio of the mean luma of the nose's left half to its right half in a texture."""
    grey = luma(texture.astype(np.float32))
    nose = renderer.masks["nose"] > 0.9
    left = np.arange(grey.shape[1])[None, :] < renderer.reference[30, 0] * grey.shape[1]
    return float(np.log(grey[nose & left].mean() / grey[nose & ~left].mean()))


def test_a_side_lights_shadow_down_one_side_of_a_fathers_nose_is_not_his_sons(
    couple: tuple[PreparedParent, PreparedParent],
) -> None:
    """The nose's shading against its skin is averaged with its mirror image, as the skin's is: a
    side light's shadow down one side of a dark-skinned CC0 father's nose showed on his paler sons
    as a dark smudge beside their nose. The astronaut's nose with its left half darkened to 0.6
    (a soft shadow) must give her son a nose nearly as even from side to side as her own does."""
    _, astronaut = couple
    aligned, landmarks = astronaut.arrays["aligned"], astronaut.arrays["landmarks"]
    size = aligned.shape[0]
    nose = np.zeros(aligned.shape[:2], np.float32)
    cv2.fillPoly(nose, [np.round(landmarks[[27, 31, 32, 33, 34, 35]] * size).astype(np.int32)], 1.0)
    nose = cv2.GaussianBlur(cv2.dilate(nose, np.ones((15, 15), np.uint8)), (0, 0), 12.0)
    left = (np.arange(size)[None, :] < landmarks[30, 0] * size).astype(np.float32)
    shadow = 1.0 - 0.4 * nose * cv2.GaussianBlur(left, (0, 0), 12.0)
    shaded = np.clip(aligned * shadow[..., None] + 0.5, 0, 255).astype(np.uint8)
    side_lit = PreparedParent(
        astronaut.engine, astronaut.model_key, dict(astronaut.arrays, aligned=shaded), astronaut.meta
    )
    genes = ChildGenes(genes={name: Gene(weights={FATHER: 1.0}) for name in GENES}, hair=FATHER)
    sides = []
    for parent in (astronaut, side_lit):
        renderer = _Renderer(256, [parent, parent], [None, None], "20-29")
        sides.append(_nose_sides(renderer._child_texture(genes, 1.0, None), renderer))
    # The log ratio of the nose's left half to its right half: 0.023 with her nose as it is,
    # -0.045 with the shadow (-0.27 until 0.1.52, the shadow's 0.6 at half strength); the shadow's
    # fine edge is in the detail, which stays the parent's.
    assert abs(sides[1] - sides[0]) < 0.1, sides


def test_lips_kept_where_a_beard_is_filled_in_keep_none_of_it_round_their_edge(
    couple: tuple[PreparedParent, PreparedParent],
) -> None:
    """Where a parent's beard is filled in from the skin, the lips are kept with an edge feathered
    inwards (:data:`~genetics.offline.engine.LIPS_FEATHER`): cut at their landmarks' polygon, a
    bearded CC0 father's lips were a jagged diamond outlined in his beard's dark on his sons. The
    astronaut with a dark beard painted up to her lips must keep no more dark round her lips'
    outline than her own photo has there (the mouth's corners)."""
    _, astronaut = couple
    aligned, landmarks = astronaut.arrays["aligned"], astronaut.arrays["landmarks"]
    size = aligned.shape[0]
    beard = np.zeros(aligned.shape[:2], np.uint8)
    cv2.fillPoly(beard, [np.round(landmarks[LOWER_FACE] * size).astype(np.int32)], 1)
    cv2.fillPoly(beard, [np.round(landmarks[48:60] * size).astype(np.int32)], 0)
    grain = np.random.default_rng(0).normal(0.0, 8.0, aligned.shape)
    painted = aligned.copy()
    painted[beard > 0] = np.clip(np.array([45.0, 32.0, 24.0]) + grain, 0, 255).astype(np.uint8)[beard > 0]
    meta = dict(astronaut.meta, facial_hair=facial_hair_shares(painted, landmarks))
    bearded = PreparedParent(astronaut.engine, astronaut.model_key, dict(astronaut.arrays, aligned=painted), meta)
    dark = []
    for parent in (astronaut, bearded):
        renderer = _Renderer(512, [parent, parent], [None, None], "20-29")
        source = renderer.source(FATHER)
        grey = luma(source.low + source.high)
        outline = np.zeros((512, 512), np.uint8)
        cv2.polylines(outline, [np.round(renderer.reference[48:60] * 512).astype(np.int32)], True, 1, 3)
        dark.append(float((grey[outline > 0] < 90.0).mean()))
    assert "beard" in wears_facial_hair(meta["facial_hair"])
    # The share of the outline darker than 90 grey levels: 0.039 in her photo, 0.037 with the
    # beard (0.078 cut at the polygon, until 0.1.52).
    assert dark[1] < 1.25 * dark[0], dark


def test_a_cool_shine_on_a_parents_cheekbones_does_not_grey_the_childs_cheeks(
    couple: tuple[PreparedParent, PreparedParent],
) -> None:
    """A cool light's shine on a parent's skin is the photo's, not the skin's: the skin's low band
    takes the skin's own colour where it is bluer (:data:`~genetics.offline.engine.COOL_CAST`).
    A dark-skinned CC0 father's shiny cheekbones and forehead reflected a cool daylight, a grey-
    lavender veil on his children's faces. The astronaut with a bluish shine painted on her
    cheekbones must give her son cheeks of her own skin's hue there, brighter if need be."""
    _, astronaut = couple
    aligned, landmarks = astronaut.arrays["aligned"], astronaut.arrays["landmarks"]
    size = aligned.shape[0]
    rows, cols = np.mgrid[0:size, 0:size].astype(np.float32)
    shine = np.zeros((size, size), np.float32)
    for points in ((41, 2, 31), (46, 14, 35)):
        x, y = landmarks[list(points)].mean(axis=0) * size
        shine += np.exp(-((cols - x) ** 2 + (rows - y) ** 2) / (2 * (0.04 * size) ** 2))
    light = np.array([30.0, 40.0, 60.0], np.float32)  # a cool daylight's reflection
    shiny = np.clip(aligned + shine[..., None] * light + 0.5, 0, 255).astype(np.uint8)
    shone = PreparedParent(astronaut.engine, astronaut.model_key, dict(astronaut.arrays, aligned=shiny), astronaut.meta)
    genes = ChildGenes(genes={name: Gene(weights={FATHER: 1.0}) for name in GENES}, hair=FATHER)
    hues = []
    for parent in (astronaut, shone):
        renderer = _Renderer(256, [parent, parent], [None, None], "20-29")
        texture = renderer._child_texture(genes, 1.0, None).astype(np.float32) + 1.0
        spots = np.zeros((256, 256), bool)
        for points in ((41, 2, 31), (46, 14, 35)):
            x, y = renderer.reference[list(points)].mean(axis=0) * 256
            spots |= (cols[:256, :256] - x) ** 2 + (rows[:256, :256] - y) ** 2 < (0.03 * 256) ** 2
        hues.append(float(np.median(texture[spots][:, 2] / texture[spots][:, 0])))
    # Blue over red at the shine: 0.722 without it, 0.777 with it (0.775 and 0.910 until 0.1.53).
    assert hues[1] - hues[0] < 0.07, hues
