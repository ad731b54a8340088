"""A candidate is a new portrait: the synthesised face on a generic head, neck and shoulders.

Nothing of the parents' photos outside their inner faces reaches a candidate: no clothes, hats,
glasses arms, jewellery or backdrops. Every candidate is drawn in one fixed frame (eyes at
:data:`EYES_AT`, the aligned face shrunk by :data:`FRAME_ZOOM` so head and shoulders fit) on a
neutral background; the head, neck and ears take the skin colour of the face's edge beside them
(:func:`skin_field`), the garment is a plain crew neck in a muted colour (:func:`draw_garment`),
and the hair is a parametric shape (:class:`HairStyle`, drawn per candidate from its seed and
suited to the age group and sex) coloured from the hair gene's source (:func:`hair_colour`). When
a parent's photo is monochrome the portrait is toned to match (:func:`apply_tone`).

Coordinates are unit coordinates of the square frame, as everywhere in the offline engine.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import cv2
import numpy as np

from genetics.images import cielab, rgb_from_lab
from genetics.offline.blending import mask_box
from genetics.offline.prototypes import ADULT_GROUPS
from genetics.parameters import GREYING_AGE

FRAME_ZOOM = 1.3
"""The aligned (FFHQ) face is shown this many times smaller, leaving room for hair and shoulders."""

ALIGNED_EYES = np.array([0.5, 0.47])
"""Where FFHQ alignment puts the eyes' midpoint (unit coordinates)."""

EYES_AT = np.array([0.5, 0.44])
"""Where the portrait frame puts the eyes' midpoint."""

BACKGROUND_TOP = np.array([214.0, 211.0, 206.0])
BACKGROUND_BOTTOM = np.array([172.0, 170.0, 166.0])
"""A studio-grey backdrop, the same behind every candidate."""

GARMENTS = (
    np.array([88.0, 94.0, 104.0]),  # slate
    np.array([52.0, 62.0, 92.0]),  # navy
    np.array([62.0, 88.0, 70.0]),  # forest green
    np.array([112.0, 52.0, 60.0]),  # burgundy
    np.array([158.0, 126.0, 64.0]),  # ochre
    np.array([124.0, 124.0, 122.0]),  # heather grey
    np.array([52.0, 102.0, 108.0]),  # teal
    np.array([84.0, 108.0, 148.0]),  # denim
)
"""Colours of the plain crew neck, one drawn per candidate (:func:`draw_garment`): muted, darker than
the backdrop and unlike skin, none a colour read as a boy's or a girl's. Nothing of a parent's
uniform or suit carries over; in one colour for all, siblings looked like one picture repeated."""

NECK_LENGTH = {"0-2": 0.45, "3-9": 0.7, "10-19": 0.9}
"""How far below the chin the shoulders sit, as a share of an adult's (whose collar is 0.17 of the
face's width below the chin)."""

SKULL_WIDTH = {"0-2": 0.64, "3-9": 0.59, "10-19": 0.56}
"""Half the skull's width over the face's width at the ears, by age group (adults 0.54): a young
child's braincase is broad for its face; at the adults' width a baby's head rose to a cone."""

HAIR_EDGE = 1.0 / 120.0
"""Blur (fraction of the frame) of the hair's outline. Sharper (:data:`SPARSE_HAIR_EDGE` until
0.1.9), locks, fringe and silhouette read as paper cut out; this soft, they read as photographed
hair a little out of focus."""

SPARSE_HAIR_EDGE = 1.0 / 300.0
"""Blur of a baby's sparse hair's outline: that hair has its own, longer fade towards its edges."""

HAIRLINE_RISE = 0.14
"""How far (fraction of the face's width, less by 0.2 times a man's fringe) a man's (an adult
group's; boys keep the fringe over the forehead's top) hairline sits
above the top of the face taken from the parents' photos, at the forehead's middle; 0.6 of that at
the temples. Higher reads more as a man's haircut but costs likeness: sons of 20-29 (face_attrs,
research references, 8 per couple, seeds 0-3) sat nearer their own parents than another couple
in 0.969, 0.948, 0.927, 0.896 of pairs with the cap down on the face's top (a bowl cut on every
man), 0.969, 0.917, 0.885, 0.896 at 0.14, 0.958, 0.885, 0.885, 0.865 at 0.22."""

VOLUME = (0.85, 1.2)
"""Range of a hairstyle's ``volume`` (its thickness; a baby's cover, :data:`BABY_HAIR_COVER`)."""

MEN_CUTS = ("short", "crew", "swept")
"""A man's cuts, drawn evenly: ``short`` (a cap of even thickness), ``crew`` (cropped close, the
scalp showing faintly through) and ``swept`` (fuller over the parting's side, swept across the
forehead to the other temple). With the one short cap every man wore the same helmet, brothers and
the sons of every couple alike."""

CUT_GROUPS: tuple[str, ...] = ("10-19",) + ADULT_GROUPS
"""Age bands whose boys and men wear one of :data:`MEN_CUTS`, their hair starting at a hairline
above the face (:func:`draw_hair`); younger boys wear the ``short`` cap over the face's top.
Teenagers since 0.1.65: in the one cap every teenage boy wore the same helmet, its fringe on his
brows."""

TEEN_HAIRLINE = 0.5
"""Share of a man's hairline rise (:data:`HAIRLINE_RISE`) a teenage boy's has. CC0 couples,
research references, seed 0, 8 per couple (in band / own-parent / diversity, read as boys): the
short cap 0.729 / 0.934 / 0.477, 1.0; the men's cuts on the cap's line 0.698 / 0.933 / 0.475, 1.0
(a crew cut sat on the brows like a knitted cap); with a man's hairline 0.646 / 0.926 / 0.484,
0.979 (read 20-29 more often: more of the parents' adult forehead shows); half of it 0.729 /
0.924 / 0.479, 0.979."""

CUT_THICKNESS = {"sparse": 0.01, "crew": 0.012, "short": 0.035, "swept": 0.045}
"""A cap's thickness over the skull (fraction of the face's width, times the style's ``volume``);
longer styles 0.06."""

CREW_COVER = 0.9
"""A crew cut's cover at its fullest: the scalp shows a little through hair cropped this short."""

CREW_GRAIN = 0.04
"""Spread of a crew cut's fine grain in its cover (half of it in its shade)."""

HAIRLINE_INSET = 0.04
"""How far (fraction of the face's width) inside the skull's outline a man's bare forehead ends at
the temples. Where his raised hairline passed the outline, the backdrop beyond the drawn head's
skin showed through the cap's soft edge as a pale sliver."""

SWEEP_LIFT = 0.07
"""How much higher (fraction of the face's width) a swept cut rises over the parting's side of its
crown than over the other, and how much lower than a short cut's its hairline comes at the temple
away from the parting (the hair swept across the forehead's far corner)."""

TIED_STYLES = ("bunches", "ponytail", "topknot")
"""A girl of 3-9's styles, drawn evenly: a crop with its hair tied up, the face's sides left free.
Bunches alone (0.1.7-0.1.10) made sisters look like one picture repeated; a side ponytail and a
topknot kept them as young (face_attrs, research references, 8 per couple, seeds 0 and 1: in band
32 of 32 both, own-parent share unchanged)."""

TAIL_POINTS = 24
"""Points along each side of a tied tail's outline (:func:`_tied_hair`)."""

TAIL_GATHER = 0.12
"""Where along a half sine a tied tail's width starts at its tie (0: a point, 0.5: full): its
width is ``sin(pi * (TAIL_GATHER + (1 - TAIL_GATHER) * t)) ** 0.6`` of its fullest, ``t`` from
the tie (0) to the tips (1), so it is gathered at the tie and tapers to the tips. Drawn as an oval
as wide at the tie as below it, and straight, a 3-9 girl's bunches read as paddles or wings."""

TAIL_BEND = 0.5
"""Share of a tied tail's angle from the vertical that it loses by its tips: it hangs."""

TAIL_FULLNESS = 1.2
"""A tied tail's greatest half-width over its style's thickness (a tapered tail covers less than
the oval it replaced)."""

BABY_HAIR_GRAIN = 0.04
"""Spread of a baby's hair's fine grain in its cover (a third of it in its shade). At 0.15
(0.1.8-0.1.10) it showed as pale specks, a felt cap; at 0.06 it read as soft fuzz (face_attrs,
research references, 8 per couple, 0-2 seeds 0/1: in band and own-parent share within a candidate
or two) until the fuller cover of 0.1.17 (:data:`BABY_HAIR_COVER`) made it speckled again."""

BABY_HAIR_PATCHES = 0.15
"""Spread of a baby's hair's cover between thicker and thinner patches (:func:`_patches`)."""

BABY_HAIR_COVER = (0.8, 1.3)
"""A baby's hair's cover at the crown (before its patches and grain, clipped at 1), from the
style's lowest to its highest ``volume``: siblings differ in how much hair they have. At 0.7 for
all (0.1.7-0.1.16), faded from every edge of the cap over 0.09 of the face's width, the crown
showed 0.3-0.4 of the hair's colour: every baby's hair was the skin's light brown whatever the
parents' (Obama's children had light brown hair)."""

BABY_HAIRLINE = 0.18
"""How far (fraction of the face's width) a baby's hair thins out above its hairline and towards
its temples; at the head's outline it ends within a third of that. At 0.09 a dark hairline above
the bare forehead (:data:`BABY_FOREHEAD`) read as an older child's: research baby girls (face_attrs,
research references, 8 per couple, seed 1) read as babies 82 of 96 times, 92 at 0.18 (93 on
0.1.16, before the forehead)."""

BABY_FOREHEAD = 0.1
"""How far (fraction of the face's width) a baby's hairline sits above the top of the face taken
from the photos: a baby's forehead is high, and with the hair starting at the face's top, dlib's
detector refused many babies of some couples (research baby girls, seed 1: 61 of 96 renders
passed at the first draw and one couple's needed up to 11; at 0.1: 89, none more than 3)."""

LIT_SKIN_CHROMA = 10.0
"""Distance (CIE Lab a*, b*) from the cheeks' colour within which a pixel brighter than them, read
where a parent's hair should be, is taken for skin lit from above (:func:`hair_colour`). A bald
man's crown (Lab 70, 15, 12 over cheeks of 44, 19, 15) and a cropped man's lit forehead and ears
(73, 26, 35 over 54, 28, 41) differ from the cheeks by 26 and 19 in lightness, past the 18 that
told skin apart, and their children got pink and orange hair. White hair (Biden: 75, 8, 9 over
46, 21, 17) lies 15 away and is still read."""

DARK_BACKDROP_LIGHTNESS = 30.0
"""CIE Lab lightness of the frame's top corners under which the backdrop is as dark as black or
dark brown hair (:func:`hair_colour`). There, pixels above the forehead like the backdrop are read
as hair: dropped as backdrop, black hair on a black or dark studio backdrop left only the hairline's
half-skin pixels and the ears (a black-haired CC0 father read Lab 43, 18, 24, reddish brown; a
black-haired man in front of a dark wall and white window read 57, 11, 9, as white-haired), or
nothing (two of 78 CC0 faces: no colour at all). Beside the temples the backdrop is still left out:
a short crop leaves it showing there, and a brown-haired man on black read nearly black with it
(Lab 26, 11, 16 → 11, 7, 10)."""

HAIR_HUE_SPREAD = 3.0
"""Distance of a pixel's colour (CIE Lab a*, b*) from the cheeks', in the cheeks' own spread of colour
(a Mahalanobis distance), past which a pixel within 18 of the skin in Lab, the distance that
otherwise tells skin apart, is still not skin (:func:`hair_colour`). Blond and auburn hair is as
light as skin and differs from it in hue: left out, only its darker strands and shadows were read
(a blonde CC0 mother Lab 44, 9, 22, light brown, now 50, 7, 21; an ash-blonde 55, 5, 7, now 60, 5,
7; an auburn one 29, 12, 9, now 33, 13, 11). The cheeks' colour spreads 1.3-10.8 in a* and b*
(standard deviation) on the 24 CC0 parents and the 4 shipped faces; were it spread normally, one
pixel of skin in ninety would lie three spreads away. At two, some forehead of a CC0 father, in
columns where no hairline was found (:data:`HAIRLINE_STEP`), counted as hair."""

HAIRLINE_STEP = 20.0
"""CIE Lab distance between a pixel of the forehead's column and the pixel :data:`HAIRLINE_SPAN` below
it (both smoothed, Gaussian sigma 0.006 of the frame) from which the column is taken to cross a
hairline (:func:`hair_colour`): what lies below the lowest such step, down to the brows, is
forehead. A forehead's skin darkens and warms smoothly toward the hair (that father's: 1.9 in Lab
per span at the median, 4.9 at the 90th percentile); a hairline or a fringe's edge is a step. A CC0
father's high forehead, shaded toward his hairline (CIE Lab 59, 14, 27, 12 darker and 14 yellower
than his cheeks, so not lit skin), was read as his hair and his children were drawn blond (Lab 56,
14, 29 read; his dark brown hair now reads 22, 5, 11). Read at 14, 20 or 28, the other 23 CC0
parents and the five shipped faces moved by at most 7 in lightness; the 66 research adults' reads
stayed within 3."""

HAIRLINE_SPAN = 0.02
"""Distance (fraction of the frame) over which a hairline's step is measured (:data:`HAIRLINE_STEP`)."""

DEFAULT_HAIR = np.array([70.0, 52.0, 38.0])
"""Mid brown, used when neither parent's hair colour can be read off their photos (bald heads, crops)."""

STATED_HAIR: dict[str, np.ndarray] = {
    "black": np.array([28.0, 24.0, 22.0]),
    "dark_brown": np.array([50.0, 36.0, 28.0]),
    "brown": np.array([78.0, 56.0, 40.0]),
    "light_brown": np.array([120.0, 90.0, 62.0]),
    "blond": np.array([176.0, 142.0, 96.0]),
    "red": np.array([138.0, 68.0, 38.0]),
}
"""The colour drawn for each natural hair colour a record may state
(:data:`genetics.parameters.HAIR_COLOURS`), about the median that :func:`hair_colour` reads off
photographed hair of that colour."""


def to_portrait(points: np.ndarray) -> np.ndarray:
    """Return aligned-frame points ``[N, 2]`` moved into the portrait frame (unit coordinates)."""
    return (np.asarray(points, dtype=np.float64) - ALIGNED_EYES) / FRAME_ZOOM + EYES_AT


@dataclass(frozen=True)
class HairStyle:
    """A parametric hairstyle: ``length`` is ``sparse`` (babies), ``short`` (boys; a teenager's or
    man's is one of :data:`MEN_CUTS`), ``crop`` (a full cap to the ears, no hair beside the face),
    one of :data:`TIED_STYLES` (a crop with its hair tied up), ``bob`` or ``long``; ``volume``
    scales its thickness, ``fringe`` (0-1) how far it comes down the forehead, ``part`` (-1..1)
    where the crown sits, ``seed`` its strands."""

    length: str
    volume: float
    fringe: float
    part: float
    seed: int


def draw_style(rng: np.random.Generator, *, age_group: str, gender: str) -> HairStyle:
    """Return a hairstyle that suits the age group and sex, varied by ``rng``."""
    if age_group == "0-2":
        length = "sparse"
    elif gender == "male":
        length = "short"
    elif age_group == "3-9":
        # Drawn hair hanging beside a small face made it read as an adult's (face_attrs, 0.1.6
        # with the research references, 8 per couple: 14 and 15 of 32 in band with a bob or long
        # hair, against 31 and 30 with a crop). Bunches tied above the ears leave the face's sides
        # free as the crop does (29 and 30 of 32), and the crop alone read as a boy's bowl cut.
        # Which of the tied styles (or a man's cut) is drawn last, so the draws before it keep their
        # values.
        length = ""
    else:
        length = "bob" if rng.random() < 0.5 else "long"
    volume = float(rng.uniform(*VOLUME))
    fringe = float(rng.uniform(0.0, 1.0) if gender == "female" else rng.uniform(0.0, 0.5))
    part = float(rng.uniform(-1.0, 1.0))
    seed = int(rng.integers(1 << 31))
    if not length:
        length = TIED_STYLES[int(rng.integers(len(TIED_STYLES)))]
    elif length == "short" and age_group in CUT_GROUPS:
        length = MEN_CUTS[int(rng.integers(len(MEN_CUTS)))]
    return HairStyle(length=length, volume=volume, fringe=fringe, part=part, seed=seed)


def draw_garment(rng: np.random.Generator) -> np.ndarray:
    """Return the colour (RGB float ``[3]``) of a candidate's crew neck, one of :data:`GARMENTS`."""
    return GARMENTS[int(rng.integers(len(GARMENTS)))].copy()


def hair_colour(aligned: np.ndarray, landmarks: np.ndarray, shown: np.ndarray | None = None) -> np.ndarray | None:
    """Return a parent's hair colour (RGB float ``[3]``) read above and beside the forehead, or None
    when too little hair shows there (a bald head, a photo cropped at the forehead).

    Pixels like the skin (cheeks; one as light but of another hue is hair, :data:`HAIR_HUE_SPREAD`)
    or the backdrop (the frame's top corners; above the forehead only when the backdrop is lighter
    than hair, :data:`DARK_BACKDROP_LIGHTNESS`) are dropped, and so are
    saturated colours no hair has (blue, green: caps, flags) and, given ``shown`` (float ``[S, S]``,
    :func:`genetics.faces.ffhq_coverage`), the frame's padding past the photo's edge; the rest gives
    the colour (:func:`_coloured_hair`). The padding mirrors and blurs the forehead: read there, a dark-haired
    man's headshot cropped at his brows gave his children pale blond hair. Above the forehead,
    what lies below a hairline found in its column (:func:`_below_hairline`) is forehead, however
    shaded.
    """
    size = aligned.shape[0]
    lm = np.asarray(landmarks, dtype=np.float64)
    brow = float(lm[17:27, 1].mean())
    left, right = float(lm[0, 0]), float(lm[16, 0])
    boxes = [
        (left + 0.05, right - 0.05, brow - 0.33, brow - 0.12),
        (left - 0.07, left - 0.01, brow - 0.15, brow + 0.02),
        (right + 0.01, right + 0.07, brow - 0.15, brow + 0.02),
    ]
    patches, inside, above, forehead = [], [], [], []
    for index, (x0, x1, y0, y1) in enumerate(boxes):
        x0, x1 = (int(np.clip(v, 0.0, 1.0) * size) for v in (x0, x1))
        y0, y1 = (int(np.clip(v, 0.0, 1.0) * size) for v in (y0, y1))
        if x1 > x0 and y1 > y0:
            patches.append(aligned[y0:y1, x0:x1].reshape(-1, 3))
            inside.append(np.ones(len(patches[-1]), bool) if shown is None else shown[y0:y1, x0:x1].reshape(-1) > 0.99)
            above.append(np.full(len(patches[-1]), index == 0))
            if index == 0:
                bottom = int(np.clip(brow - 0.03, 0.0, 1.0) * size)
                forehead.append(_below_hairline(aligned[y0:bottom, x0:x1], size)[: y1 - y0].reshape(-1))
            else:
                forehead.append(np.zeros(len(patches[-1]), bool))
    if not patches:
        return None
    pixels = np.concatenate(patches).astype(np.float64)
    lab = cielab(pixels)
    cheek = aligned[
        int(lm[29, 1] * size) : int(lm[33, 1] * size), int(lm[2, 0] * size) : int(lm[31, 0] * size)
    ].reshape(-1, 3)
    corner = np.concatenate(
        [aligned[: size // 10, : size // 10].reshape(-1, 3), aligned[: size // 10, -size // 10 :].reshape(-1, 3)]
    )
    cheek_lab = cielab(cheek)
    skin = np.median(cheek_lab, axis=0) if len(cheek) else np.array([60.0, 15.0, 20.0])
    # The +1 keeps the spread invertible where the cheeks have one colour (a monochrome photo).
    spread = (np.cov(cheek_lab[:, 1:].T) if len(cheek) > 2 else np.eye(2) * 25.0) + np.eye(2)
    offset = lab[:, 1:] - skin[1:]
    unlike_skin_hue = np.einsum("ni,ij,nj->n", offset, np.linalg.inv(spread), offset) > HAIR_HUE_SPREAD**2
    backdrop = np.median(cielab(corner), axis=0)
    unlike_backdrop = np.linalg.norm(lab - backdrop, axis=1) > 15.0
    if backdrop[0] < DARK_BACKDROP_LIGHTNESS:
        unlike_backdrop |= np.concatenate(above)
    chroma = np.hypot(lab[:, 1], lab[:, 2])
    hue = np.degrees(np.arctan2(lab[:, 2], lab[:, 1]))
    # Skin lit more brightly than the cheeks (a bald crown, a high forehead, the ears) differs
    # from them in lightness only: a bald father's scalp gave his children pink hair.
    lit_skin = (lab[:, 0] > skin[0]) & (np.linalg.norm(offset, axis=1) < LIT_SKIN_CHROMA)
    keep = (
        ((np.linalg.norm(lab - skin, axis=1) > 18.0) | unlike_skin_hue)
        & ~lit_skin
        & unlike_backdrop
        & ((chroma < 12.0) | ((hue > 15.0) & (hue < 110.0)))
        & np.concatenate(inside)
        & ~np.concatenate(forehead)
    )
    if keep.sum() < 0.05 * len(pixels):
        return None
    return _coloured_hair(np.median(pixels[keep], axis=0), lab[keep])


HAIR_CHROMA_PERCENTILE = 75.0
"""Percentile of the hair pixels' CIE Lab chroma that coloured hair (brown, auburn, blond, red) is
drawn at, in the hue of its more colourful half (:func:`_coloured_hair`). The median pixel mixes the
hair's colour with its shadows, the pale sky or wall seen through its ends and the skin of a parting:
a copper bob read Lab 33, 13, 11 (hue 40, a mauve brown) and a golden light brown 40, 7, 11, whose
daughters had taupe, greyish hair."""


def _coloured_hair(median: np.ndarray, kept: np.ndarray) -> np.ndarray:
    """Return the hair colour (RGB float ``[3]``) for the median of its pixels (RGB) and their CIE
    Lab values ``kept`` (``[N, 3]``): coloured hair (three quarters of its pixels at chroma
    :data:`GREYING_CHROMA` or more) at its median lightness, with the chroma and hue of its
    colourful pixels (:data:`HAIR_CHROMA_PERCENTILE`); the rest as the median: in black, grey,
    salt-and-pepper and white hair (:func:`is_white_hair`) the colourful pixels are skin showing
    through or the light's cast. Mid-light hair (lightness over :data:`SALT_AND_PEPPER_LIGHTNESS`)
    with a quarter of its pixels under that chroma is grey-flecked: it takes that quarter's chroma,
    so :func:`youthful_hair` knows it for salt and pepper. A greying CC0 father's short hair read
    a median chroma of 11.4 off the scalp showing through, and his sons had light grey-brown hair.
    """
    read = cielab(median)
    read_chroma = float(np.hypot(read[1], read[2]))
    chroma = np.hypot(kept[:, 1], kept[:, 2])
    neutral = float(np.percentile(chroma, 25.0))
    if is_white_hair(median):
        return median
    if neutral < GREYING_CHROMA:
        if read[0] <= SALT_AND_PEPPER_LIGHTNESS or read_chroma < GREYING_CHROMA:
            return median
        return _rgb(np.array([read[0], read[1] * neutral / read_chroma, read[2] * neutral / read_chroma]))
    colourful = kept[chroma >= np.median(chroma)]
    hue = np.arctan2(np.median(colourful[:, 2]), np.median(colourful[:, 1]))
    target = max(float(np.percentile(chroma, HAIR_CHROMA_PERCENTILE)), read_chroma)
    return _rgb(np.array([read[0], target * np.cos(hue), target * np.sin(hue)]))


def _rgb(lab: np.ndarray) -> np.ndarray:
    """Return a hair colour given in CIE Lab as RGB float ``[3]``, clipped to 0-255."""
    return np.clip(rgb_from_lab(lab), 0.0, 255.0).astype(np.float64)


def _below_hairline(region: np.ndarray, size: int) -> np.ndarray:
    """Return bool ``[H, W]``: the pixels of ``region`` (RGB uint8, a strip of an aligned frame of
    side ``size``, from above the forehead down to just above the brows) that lie below the lowest
    hairline step of their column (:data:`HAIRLINE_STEP`); a column with no step has none."""
    span = max(1, int(HAIRLINE_SPAN * size))
    height = region.shape[0]
    if height <= span or region.shape[1] == 0:
        return np.zeros(region.shape[:2], dtype=bool)
    lab = cielab(cv2.GaussianBlur(region.astype(np.float32), (0, 0), 0.006 * size))
    steps = np.linalg.norm(lab[:-span] - lab[span:], axis=2) > HAIRLINE_STEP
    found = steps.any(axis=0)
    # The lowest step of each column: the last row where it steps, going down.
    lowest = steps.shape[0] - 1 - np.argmax(steps[::-1], axis=0)
    rows = np.arange(height)[:, None]
    return found[None, :] & (rows >= lowest[None, :] + span // 2)


BLACK_HAIR_CHROMA = 6.0
"""CIE Lab chroma under which dark hair, its cast taken off, is black (black and near-black readings
of real photos: 0.8-5.1 with the cast; the darkest brown read, an ash brown, 6.0)."""

BLACK_HAIR_LIGHTNESS = 10.0
"""The lightness black hair is drawn at most: about that of :data:`STATED_HAIR`'s black (8.6)."""


GREYING_CHROMA = 8.0
"""CIE Lab chroma under which mid-light hair (lightness 25-55) is taken for salt and pepper, greying
dark hair, and darkened in a child (:func:`youthful_hair`). At 15 (until engine 0.1.45) light ash
and light brown hair was darkened too: two young CC0 mothers' light brown (Lab 37, 6, 10 and 37,
10, 6; chroma 12) gave all their children dark brown hair, and so would eight of the research
adults aged 28-39 (chroma 9.7-14.7). Obama's salt and pepper reads chroma 6.8; a greying CC0 father
11.4 off the scalp through his short hair, so since 0.1.50 grey-flecked hair is read at the chroma
of its most neutral quarter (:func:`_coloured_hair`): 7.2."""


SALT_AND_PEPPER_LIGHTNESS = 25.0
"""CIE Lab lightness over which hair of low chroma (:data:`GREYING_CHROMA`) is salt and pepper, not
black hair (:func:`youthful_hair`)."""


def may_be_greying(age: int | None) -> bool:
    """Return whether a parent of this age on their photo (None: unknown) may have greying hair."""
    return age is None or age >= GREYING_AGE


def is_greyed(colour: np.ndarray, age: int | None) -> bool:
    """Return whether a parent's hair colour is greying, no colour to pass on: white or grey hair
    (:func:`is_white_hair`) on a parent who may be :data:`GREYING_AGE` or older on the photo."""
    return may_be_greying(age) and is_white_hair(colour)


ASH_BLONDE = (15.0, 70.0)
"""The CIE Lab chroma and hue (degrees) at which hair that reads white on a parent younger than
:data:`GREYING_AGE` is drawn, at the lightness read: it is blond hair greyed by the light (a
young CC0 mother's golden ash blonde read Lab 59.5, 4.8, 7.1, and drawn as read her daughter's
hair looked an old woman's grey). Chroma 15 is just past :func:`is_white_hair`; hue 70 that of the
golden blonde read off another CC0 mother (72), a little short of :data:`STATED_HAIR`'s blond (77)."""


def is_white_hair(colour: np.ndarray) -> bool:
    """Return whether a hair colour is white or grey (CIE Lab chroma under 15, lightness over 55)."""
    lab = cielab(colour)
    return bool(np.hypot(lab[1], lab[2]) < 15.0 and lab[0] > 55.0)


def youthful_hair(colour: np.ndarray | None, other: np.ndarray | None = None, *, age: int | None = None) -> np.ndarray:
    """Return the hair colour a child of this parent shows: greying is age, not the gene.

    White or grey hair (:func:`is_white_hair`) carries no colour, nor does hair that could not be
    read (None): the other parent's is used when it has one, else :data:`DEFAULT_HAIR`.
    A blue or green cast is the photo's light, not the hair's (no hair is blue): it is taken off.
    Hair still nearly neutral then (chroma under :data:`BLACK_HAIR_CHROMA`) is black hair whose
    sheen lifted its median (a glossy black-haired mother read lightness 23 with a blue cast and
    her daughters had charcoal-blue hair): it is drawn at most :data:`BLACK_HAIR_LIGHTNESS`.
    Salt-and-pepper hair (chroma under :data:`GREYING_CHROMA`, lightness 25-55) was dark: it is
    darkened to lightness 22. Brown, ash, blond and red pass unchanged. Both greying rules apply
    only when the parent's ``age`` on the photo may be ``GREYING_AGE`` (40) or more (None: unknown);
    a younger parent's salt and pepper is ash brown, and white-looking hair ash blonde
    (:data:`ASH_BLONDE`).
    """
    if colour is None or is_greyed(colour, age):
        if other is not None and not is_white_hair(other):
            return youthful_hair(other)
        return DEFAULT_HAIR.copy()
    read = cielab(colour)
    lab = read.copy()
    lab[1:] = np.maximum(lab[1:], 0.0)
    chroma = float(np.hypot(lab[1], lab[2]))
    if is_white_hair(colour):
        chroma, hue = ASH_BLONDE
        lab[1:] = chroma * np.cos(np.radians(hue)), chroma * np.sin(np.radians(hue))
    elif chroma < BLACK_HAIR_CHROMA:
        lab[0] = min(lab[0], BLACK_HAIR_LIGHTNESS)
    elif may_be_greying(age) and chroma < GREYING_CHROMA and lab[0] > SALT_AND_PEPPER_LIGHTNESS:
        lab[0] = 22.0
    if np.array_equal(lab, read):
        return np.asarray(colour, dtype=np.float64)
    return _rgb(lab)


def cheek_pixels(texture: np.ndarray, landmarks: np.ndarray) -> np.ndarray:
    """Return the pixels ``[N, C]`` of the cheeks of a face drawn in ``texture`` (``[S, S, C]``,
    ``landmarks`` ``[68, 2]`` in its unit coordinates): between the nose's bridge and its base,
    from the jaw's side to the nostril, on both sides. ``N`` is 0 for a face too small."""
    size = texture.shape[0]
    lm = np.asarray(landmarks, dtype=np.float64) * size
    patches = [
        texture[int(lm[29, 1]) : int(lm[33, 1]), int(lm[2, 0]) : int(lm[31, 0])],
        texture[int(lm[29, 1]) : int(lm[33, 1]), int(lm[35, 0]) : int(lm[14, 0])],
    ]
    return np.concatenate([p.reshape(-1, texture.shape[2]) for p in patches])


def skin_colour(texture: np.ndarray, landmarks: np.ndarray) -> np.ndarray:
    """Return the median colour (RGB float ``[3]``) of the cheeks of a face drawn in ``texture``."""
    pixels = cheek_pixels(texture, landmarks)
    return np.median(pixels, axis=0).astype(np.float64) if len(pixels) else np.array([200.0, 160.0, 140.0])


def skin_field(face: np.ndarray, landmarks: np.ndarray, hull: np.ndarray) -> np.ndarray:
    """Return float32 ``[S, S, 3]``: the skin colour around the face, carried out from its edge.

    The face's pixels in a ring just inside its ``hull``, up to the lower forehead (higher up a
    parent's hairline may show), are spread outwards by normalised convolution: beside the face
    the field has the colour of the face's edge there, further off the mean of the ring, and far
    off (the skull's top) the cheeks' median colour. Drawn skin (skull, ears, neck) in the
    cheeks' one colour showed the face's outline as a seam where the face's edge was shaded.
    """
    full = face.shape[0]
    size = max(full // 4, 32)
    small = cv2.resize(face, (size, size), interpolation=cv2.INTER_AREA).astype(np.float32)
    inside = _fill(size, hull)
    kernel = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (3, 3))
    depth = max(round(0.02 * size), 1)
    outer = cv2.erode(inside, kernel, iterations=depth)
    ring = outer - cv2.erode(outer, kernel, iterations=2 * depth)
    lm = np.asarray(landmarks, dtype=np.float64)
    ring[: int((float(lm[17:27, 1].mean()) - 0.1 * float(lm[16, 0] - lm[0, 0])) * size)] = 0.0
    sigma = 0.06 * size
    weight = cv2.GaussianBlur(ring, (0, 0), sigma)[..., None]
    spread = cv2.GaussianBlur(small * ring[..., None], (0, 0), sigma)
    # Far from the ring its weight fades to nothing: there the cheeks' median takes over smoothly
    # (a cut-off left a stepped edge across the skull).
    floor = 0.02 * float(weight.max()) + 1e-6
    field = (spread + floor * skin_colour(face, landmarks).astype(np.float32)) / (weight + floor)
    return cv2.resize(field.astype(np.float32), (full, full), interpolation=cv2.INTER_LINEAR)


def _fill(size: int, polygon: np.ndarray) -> np.ndarray:
    mask = np.zeros((size, size), dtype=np.uint8)
    # Anti-aliased at sub-pixel precision: the base is drawn at half size and enlarged, where a
    # hard edge showed as steps along the shoulders.
    points = np.round(np.asarray(polygon) * size * 16.0 - 8.0).astype(np.int32)
    cv2.fillPoly(mask, [points], 255, lineType=cv2.LINE_AA, shift=4)
    return mask.astype(np.float32) / 255.0


def _ellipse(size: int, centre: tuple[float, float], axes: tuple[float, float], angle: float = 0.0) -> np.ndarray:
    """Return float32 ``[S, S]``, 1 inside the ellipse (unit coordinates, ``angle`` in degrees)."""
    mask = np.zeros((size, size), dtype=np.uint8)
    cv2.ellipse(
        mask,
        (round(centre[0] * size), round(centre[1] * size)),
        (max(round(axes[0] * size), 1), max(round(axes[1] * size), 1)),
        angle,
        0,
        360,
        255,
        -1,
    )
    return mask.astype(np.float32) / 255.0


def _soft(mask: np.ndarray, sigma: float) -> np.ndarray:
    return cv2.GaussianBlur(mask, (0, 0), max(sigma, 0.5))


def _neck(size: int, lm: np.ndarray, shoulders: float) -> np.ndarray:
    """Return the neck's mask ``[S, S]``: its top hidden behind the jaw, slightly waisted under the
    chin, widening into the shoulders at row ``shoulders`` and on into the chest that a collar
    opening shows (a straight-sided block's corners showed beside the jaw)."""
    width = float(lm[16, 0] - lm[0, 0])
    cx, chin = float(lm[8, 0]), float(lm[8, 1])
    top = float(lm[4, 1] + lm[12, 1]) / 2.0
    rows = np.linspace(top, shoulders + 0.2 * width, 32)
    flare = np.clip((rows - chin) / max(shoulders - chin, 1e-6), 0.0, 1.0) ** 2
    half = (0.24 - 0.02 * np.clip((rows - top) / max(chin - top, 1e-6), 0.0, 1.0) + 0.2 * flare) * width
    outline = np.concatenate([np.stack([cx - half, rows], 1), np.stack([cx + half, rows], 1)[::-1]])
    return _fill(size, outline)


def draw_base(
    size: int,
    landmarks: np.ndarray,
    skin: np.ndarray,
    head: np.ndarray,
    *,
    age_group: str,
    garment: np.ndarray = GARMENTS[0],
) -> np.ndarray:
    """Return the uint8 ``[S, S, 3]`` canvas under the face: backdrop, shoulders, neck, ears, head.

    ``landmarks`` are the child's, in the portrait frame; ``skin`` is one RGB colour ``[3]`` or a
    field ``[S, S, 3]`` (:func:`skin_field`); ``head`` is a polygon ``[N, 2]`` (the face hull)
    filled with skin so the face's feathered edge meets skin; ``garment`` the crew neck's colour
    (:func:`draw_garment`).
    """
    # Everything here is smooth: draw at half size and enlarge (about 4x faster).
    full, size = size, max(size // 2, 64)
    lm = np.asarray(landmarks, dtype=np.float64)
    width = float(lm[16, 0] - lm[0, 0])
    cx, chin = float(lm[8, 0]), float(lm[8, 1])
    ys = np.linspace(0.0, 1.0, size, dtype=np.float64)[:, None, None]
    canvas = BACKGROUND_TOP * (1.0 - ys) + BACKGROUND_BOTTOM * ys
    canvas = np.broadcast_to(canvas, (size, size, 3)).astype(np.float32).copy()

    def paint(mask: np.ndarray, colour: np.ndarray) -> None:
        # Blend only inside the mask's bounding box: most masks cover a small part of the frame.
        box = mask_box(mask)
        if box is None:
            return
        alpha = mask[box][..., None]
        colour = colour[box] if colour.ndim == 3 else colour
        canvas[box] = canvas[box] * (1.0 - alpha) + colour.astype(np.float32) * alpha

    sigma = size / 400.0
    ys, xs = np.mgrid[0:size, 0:size].astype(np.float32) / size
    skin = np.asarray(skin, dtype=np.float32)
    if skin.ndim == 3:
        skin = cv2.resize(skin, (size, size), interpolation=cv2.INTER_AREA)
    # A small child's chin sits nearly on its collar; an adult shows a neck.
    neck_length = NECK_LENGTH.get(age_group, 1.0) * width
    shoulder_y = chin + 0.17 * neck_length
    neck_area = _soft(_neck(size, lm, shoulder_y), sigma)
    paint(neck_area, skin)
    # The neck is in the jaw's shadow, deepest just under the jaw line and following its curve (a
    # level band read as a drawn block), and rounds away at its sides.
    jaw = np.interp(xs[0], lm[3:14, 0], lm[3:14, 1]).astype(np.float32)[None, :]
    below = np.clip((ys - jaw) / (0.16 * width), 0.0, 1.0)
    rounding = 1.0 - 0.18 * np.clip(np.abs(xs - cx) / (0.3 * width), 0.0, 1.0) ** 2
    shade = (0.64 + 0.26 * below * below * (3.0 - 2.0 * below)) * rounding
    canvas *= (1.0 + (shade - 1.0) * neck_area)[..., None]

    # Shoulders slope away from the neck in a curve and drop at the frame's sides.
    reach = np.linspace(0.0, 1.0, 16)
    side = np.stack([(0.33 + 0.92 * reach) * width, shoulder_y + 0.27 * width * reach**1.7], axis=1)
    side = np.concatenate([side, [[1.35 * width, 1.2]]])
    torso = np.concatenate([side[::-1] * [-1.0, 1.0], side]) + [cx, 0.0]
    front = ys > shoulder_y - 0.03 * width
    opening = _ellipse(size, (cx, shoulder_y), (0.33 * width, 0.12 * width)) * front
    body = _soft(np.clip(_fill(size, torso) - opening, 0.0, 1.0), sigma)
    paint(body, garment)
    # A crew neck's ribbed band round the opening, and the neck's shadow on the chest below it.
    band = _ellipse(size, (cx, shoulder_y), (0.37 * width, 0.155 * width)) * front - opening
    paint(_soft(np.clip(band, 0.0, 1.0), sigma) * body, np.minimum(garment * 1.1, 255.0))
    seam = np.exp(-(((xs - cx) / (0.3 * width)) ** 2) - ((ys - shoulder_y - 0.17 * width) / (0.05 * width)) ** 2)
    # Lit from the front: the shoulders fall away into shadow at the sides.
    light = (1.05 - 0.25 * np.abs(2.0 * xs - 1.0)) * (1.0 - 0.12 * seam)
    canvas *= (1.0 + (light - 1.0) * body)[..., None]

    # The braincase comes down behind the ears to the cheekbones (cut at the skull's middle, a
    # child's broad skull stood on the face like a cap).
    centre, axes = _skull(lm, age_group)
    fade = np.clip((float(lm[17:27, 1].mean()) + 0.32 * width - ys) / (0.1 * width), 0.0, 1.0)
    skull = _soft(_ellipse(size, centre, axes), sigma) * fade
    paint(skull, skin)
    # Lit from the front, the round head darkens towards its sides as the face's texture does (at
    # the cheeks' flat colour the temples showed as pale strips beside the face).
    turn = np.clip(np.abs(xs - centre[0]) / axes[0], 0.0, 1.0) ** 2
    head_area = _soft(_fill(size, head), sigma)
    # The shade fades in from the face's edge, and the skin filled in under the face's feathered
    # edge takes it too: filled unshaded, it showed as a pale arc round babies' foreheads.
    away = 1.0 - _soft(head_area, 0.03 * width * size)
    shade = (1.0 - 0.2 * turn * skull * away)[..., None]
    canvas *= shade
    for jaw, top, side in ((0, 2, -1.0), (16, 14, 1.0)):
        centre = (float(lm[jaw, 0]) + side * 0.025 * width, float(lm[jaw, 1] + lm[top, 1]) / 2.0)
        paint(_soft(_ellipse(size, centre, (0.075 * width, 0.16 * width)), sigma), skin * 0.95)
        inner = (centre[0] + side * 0.01 * width, centre[1])
        paint(_soft(_ellipse(size, inner, (0.035 * width, 0.10 * width)), sigma * 3) * 0.5, skin * 0.75)
    paint(head_area, skin * shade)
    canvas = cv2.resize(canvas, (full, full), interpolation=cv2.INTER_LINEAR)
    return np.clip(canvas + 0.5, 0, 255).astype(np.uint8)


@functools.lru_cache(maxsize=2)
def _strands(size: int, crown: tuple[float, float], seed: int) -> np.ndarray:
    """Return a float32 ``[S, S]`` strand pattern around 1: streaks radiating from the crown."""
    rng = np.random.default_rng(seed)
    bins = 2880
    noise = rng.normal(0.0, 1.0, bins)
    noise = np.convolve(np.concatenate([noise[-3:], noise, noise[:3]]), np.ones(3) / 3, "same")[3:-3]
    coarse = np.repeat(rng.normal(0.0, 1.0, bins // 48), 48)
    coarse = np.convolve(np.concatenate([coarse[-48:], coarse, coarse[:48]]), np.ones(48) / 48, "same")[48:-48]
    ys, xs = np.mgrid[0:size, 0:size].astype(np.float32) / size
    theta = (np.arctan2(ys - crown[1], xs - crown[0]) + np.pi) / (2 * np.pi) * bins
    index = np.clip(theta.astype(np.int32), 0, bins - 1)
    pattern = (1.0 + 0.09 * noise[index] + 0.05 * coarse[index]).astype(np.float32)
    return cv2.GaussianBlur(pattern, (0, 0), size / 512.0)


@functools.lru_cache(maxsize=2)
def _patches(size: int, seed: int) -> np.ndarray:
    """Return a float32 ``[S, S]`` smooth field of unit spread: where a baby's hair grows thicker."""
    # A stream apart from the fine grain's (:func:`_fuzz`, the same seed).
    noise = np.random.default_rng(seed + 7).normal(0.0, 1.0, (64, 64)).astype(np.float32)
    field = cv2.resize(cv2.GaussianBlur(noise, (0, 0), 3.5), (size, size), interpolation=cv2.INTER_CUBIC)
    return field / max(float(field.std()), 1e-6)


@functools.lru_cache(maxsize=2)
def _fuzz(size: int, seed: int) -> np.ndarray:
    """Return a float32 ``[S, S]`` fine grain of unit spread: a baby's short hair."""
    noise = np.random.default_rng(seed).normal(0.0, 1.0, (size, size)).astype(np.float32)
    grain = cv2.GaussianBlur(noise, (0, 0), size / 600.0)
    return grain / max(float(grain.std()), 1e-6)


def _skull(lm: np.ndarray, age_group: str) -> tuple[tuple[float, float], tuple[float, float]]:
    """Return the skull ellipse's centre and semi-axes (unit coordinates) for a face."""
    width = float(lm[16, 0] - lm[0, 0])
    brow = float(lm[17:27, 1].mean())
    # Children's skulls are large for their faces: the vault rises higher above the brows.
    vault = {"0-2": 0.78, "3-9": 0.72, "10-19": 0.66}.get(age_group, 0.62) * width
    # Centred between the ears (drawn at the jaw's ends), not on the nose: a face whose nose sits
    # off its outline's middle pushed one side of the skull out past that ear as a bare plate.
    centre = (float(lm[0, 0] + lm[16, 0]) / 2.0, brow + (-0.05 if age_group == "0-2" else 0.10) * width)
    return centre, (SKULL_WIDTH.get(age_group, 0.54) * width, centre[1] - (brow - vault))


def draw_hair(
    image: np.ndarray,
    landmarks: np.ndarray,
    colour: np.ndarray,
    style: HairStyle,
    *,
    age_group: str,
    hull: np.ndarray,
    layer: str,
) -> np.ndarray:
    """Return ``image`` (uint8 ``[S, S, 3]``, portrait frame) with one layer of the hair drawn.

    ``layer="back"`` is the hair falling beside the face and neck (drawn before the face, so it
    never leaves a gap at the jaw); ``layer="front"`` is the cap over the skull, which covers the
    top strip of the face ``hull`` (lower with a fringe), so nothing of a parent's own hairline or
    hat shows.
    """
    size = image.shape[0]
    lm = np.asarray(landmarks, dtype=np.float64)
    width = float(lm[16, 0] - lm[0, 0])
    brow = float(lm[17:27, 1].mean())
    chin = float(lm[8, 1])
    (cx, cy), (ax, ay) = _skull(lm, age_group)
    thickness = CUT_THICKNESS.get(style.length, 0.06) * width * style.volume
    outer = _ellipse(size, (cx, cy), (ax + thickness, ay + thickness))
    parting = 1.0 if style.part >= 0.0 else -1.0
    if style.length == "swept":
        # Fuller over the parting's side of the crown: the cap leans that way, a little taller.
        lift = SWEEP_LIFT * width
        leaning = _ellipse(
            size, (cx + parting * 0.3 * lift, cy), (ax + thickness, ay + thickness + lift), parting * 8.0
        )
        outer = np.maximum(outer, leaning)
    ys, xs = np.mgrid[0:size, 0:size].astype(np.float32) / size
    offset = (xs - cx) / (0.5 * width)
    if style.length in MEN_CUTS + ("crop", "sparse"):
        sides = np.zeros_like(ys, dtype=bool)
    elif style.length in TIED_STYLES:
        sides = _tied_hair(size, (cx, cy), (ax, ay), width, style) > 0.5
    else:
        bottom = chin - 0.08 * width if style.length == "bob" else chin + 0.45 * width
        reach = 1.05 + 0.2 * style.volume
        # Long hair falls beside the face and in front of the shoulders, tapering at its ends.
        spread = reach - 0.15 * np.clip((ys - cy) / (bottom - cy), 0.0, 1.0)
        ends = bottom - 0.05 * width * _locks(size, width, style.seed + 1)[None, :]
        sides = (np.abs(offset) < spread) & (ys > cy - 0.15 * width) & (ys < ends)
        # Under the cap's rounded rim the hair behind the head shows, not the panels' corners.
        sides |= outer > 0.5
    hull = np.asarray(hull, dtype=np.float64)
    bare = None
    blur = (SPARSE_HAIR_EDGE if style.length == "sparse" else HAIR_EDGE) * size
    if layer == "back":
        # Clear of the neck (:func:`_neck`, half as wide as the face at most under the jaw):
        # wider, the backdrop showed in a gap between the hair and the neck.
        neck = (np.abs(offset) < 0.48) & (ys > chin - 0.1 * width)
        # Soft outside, but cut sharp where the face will lie over it: a soft edge there let
        # the drawn skin show as a pale seam beside the cheeks.
        mask = _soft((sides & ~neck).astype(np.float32), blur) * (1.0 - _fill(size, hull))
    else:
        drop = (0.02 + 0.06 * style.fringe) * width if style.length != "sparse" else -0.05 * width
        # The cap overlaps the face's edge a little, hiding the last pixels of the parents' photos.
        inner = hull.mean(axis=0) + (hull - hull.mean(axis=0)) * np.array([0.96, 1.0])
        core = _fill(size, inner)
        if style.length in MEN_CUTS and age_group in CUT_GROUPS:
            # A man's (or teenage boy's) hair starts at his hairline, above the face taken from the
            # photos (its forehead ends halfway up); the drawn skull's skin shows between. With the
            # cap down on that edge, every man wore a bowl cut. The hairline recedes a little at the
            # temples.
            top = inner[17:]
            across = np.clip((top[:, 0] - cx) / (0.5 * width), -1.0, 1.0)
            middle = 1.0 - across**2
            fringe = 0.0 if style.length == "crew" else style.fringe
            share = 1.0 if age_group in ADULT_GROUPS else TEEN_HAIRLINE
            rise = share * (HAIRLINE_RISE - 0.2 * fringe) * width * (0.6 + 0.4 * middle)
            if style.length == "swept":
                # Swept across the forehead to the far temple; raised at the parting's temple instead,
                # the hairline left a gap there past the drawn head's skin.
                rise = rise - SWEEP_LIFT * width * np.clip(-parting * across, 0.0, 1.0)
            raised = inner.copy()
            raised[17:, 1] -= rise
            # The forehead drawn above the face is the skull's skin (:func:`draw_base`).
            skull = _ellipse(size, (cx, cy), (ax - HAIRLINE_INSET * width, ay))
            core = np.minimum(_fill(size, raised), np.maximum(core, skull))
            drop = 0.0
        face = core * (ys > _fringe_line(core, style, width, drop)[None, :])
        face = np.maximum(face, core * (ys > brow - 0.02 * width))
        # Hair covers the temples down to the top of the ears (else a strip of drawn skin shows
        # between the cap and the ears) and runs on as sideburns beside the face; its outer
        # corners round up over the ears instead of ending in a bowl's level rim.
        side = np.clip((np.abs(offset) - 0.9) / 0.3, 0.0, 1.0)
        rim = cy + (0.14 * (1.0 - side) - 0.10 * side**2) * width
        mask = _soft(np.clip(outer * (ys <= rim) - face, 0.0, 1.0), blur)
        if style.length == "sparse":
            # A baby's hair thins out only where it meets skin: the forehead above the face, the
            # face and, below the rim, the temples.
            forehead = ys > _fringe_line(face, style, width, -BABY_FOREHEAD * width)[None, :]
            bare = np.maximum(face, (forehead | (ys > rim)).astype(np.float32))
    rows, cols = np.nonzero(mask.max(axis=1) > 0.01)[0], np.nonzero(mask.max(axis=0) > 0.01)[0]
    if not len(rows):
        return image
    box = np.s_[rows[0] : rows[-1] + 1, cols[0] : cols[-1] + 1]
    # Strands fan out from a point high above the crown: nearly vertical, parted at ``part``. A
    # swept cut's run from its parting across the crown.
    if style.length == "swept":
        crown = (cx + parting * 0.45 * width, cy - 1.2 * ay)
    else:
        crown = (cx + 0.2 * width * style.part, cy - 2.2 * ay)
    strands = _strands(size, (round(crown[0], 4), round(crown[1], 4)), style.seed)[box]
    mask, ys = mask[box], ys[box]
    alpha = mask * (_baby_cover(style) if style.length == "sparse" else 1.0)
    # Streaky edges: the strand pattern thins the soft border, so the hair does not look cut out.
    edge = np.clip(mask * 2.0 - 1.0, 0.0, 1.0)
    alpha = alpha * (edge + (1.0 - edge) * np.clip(strands - 0.8, 0.0, 1.0) * 2.5)
    depth = cv2.distanceTransform((mask > 0.5).astype(np.uint8), cv2.DIST_L2, 3) / (0.06 * width * size)
    grain = strands
    if style.length == "sparse":
        # A baby's hair thins out towards its hairline and temples, the scalp showing through:
        # at one level of cover it read as a cap. It grows in uneven patches, not in strands
        # from the crown: with the strands' streaks and an even cover it read as a knitted cap.
        patches = _patches(size, style.seed)[box]
        # ``depth`` is in units of 0.06 of the face's width.
        fade = np.clip(0.06 * depth / (BABY_HAIRLINE / 3.0), 0.0, 1.0)
        if bare is not None:
            hairline = cv2.distanceTransform((bare[box] < 0.5).astype(np.uint8), cv2.DIST_L2, 3)
            fade = fade * np.clip(hairline / (BABY_HAIRLINE * width * size), 0.0, 1.0)
        alpha = alpha * fade * np.clip(0.75 + BABY_HAIR_PATCHES * patches, 0.0, 1.0)
        # Short fine hair is a fuzz, not combed lines: a fine grain breaks the cover up.
        fuzz = BABY_HAIR_GRAIN * _fuzz(size, style.seed)[box]
        alpha = alpha * np.clip(0.85 + fuzz, 0.0, 1.0)
        # A baby's hair is shaded by its grain, not by the strands' streaks.
        grain = 1.0 + fuzz / 3.0
    elif style.length == "crew":
        # Cropped hair is a dense grain with the scalp a little through it, no combed streaks.
        fuzz = CREW_GRAIN * _fuzz(size, style.seed)[box]
        alpha = alpha * np.clip(CREW_COVER + fuzz, 0.0, 1.0)
        grain = 1.0 + fuzz / 2.0
    shading = (0.75 + 0.25 * np.clip(depth, 0.0, 1.0)) * grain
    shading = shading + 0.15 * np.exp(-(((ys - (cy - 0.7 * ay)) / (0.10 * width)) ** 2))
    hair = np.asarray(colour, dtype=np.float32)[None, None, :] * shading[..., None]
    out = image.copy()
    blended = image[box].astype(np.float32) * (1.0 - alpha[..., None]) + hair * alpha[..., None]
    out[box] = np.clip(blended + 0.5, 0, 255).astype(np.uint8)
    return out


def _baby_cover(style: HairStyle) -> float:
    """Return a baby's hair's cover at the crown (:data:`BABY_HAIR_COVER`) for its style's volume."""
    low, high = BABY_HAIR_COVER
    share = (style.volume - VOLUME[0]) / (VOLUME[1] - VOLUME[0])
    return min(low + (high - low) * share, 1.0)


def _tied_hair(
    size: int, centre: tuple[float, float], axes: tuple[float, float], width: float, style: HairStyle
) -> np.ndarray:
    """Return float32 ``[S, S]``: the hair a young girl's style ties up, leaving the face and neck
    free: ``bunches`` (two, tied at the skull's sides above the ears, hanging outwards and down),
    a ``ponytail`` (one, tied higher on the parting's side) or a ``topknot`` (a bun on the crown,
    leaning to the parting's side)."""
    side = 1.0 if style.part >= 0.0 else -1.0

    def tail(side: float, height: float, length: float, angle: float, thickness: float) -> np.ndarray:
        # On the skull's outline (a little inside it) at that height, so the tie never floats.
        tie = np.array([centre[0] + side * 0.92 * axes[0] * np.sqrt(1.0 - height**2), centre[1] - height * axes[1]])
        # Gathered at the tie, full below it, tapering to the tips, bending toward the vertical as
        # it hangs (:data:`TAIL_GATHER`, :data:`TAIL_BEND`); ``length`` is half its length.
        along = np.linspace(0.0, 1.0, TAIL_POINTS)
        bend = angle * (1.0 - TAIL_BEND * along)
        heading = np.stack([side * np.sin(bend), np.cos(bend)], axis=1)
        steps = heading[:-1] * (2.0 * length / (TAIL_POINTS - 1))
        line = tie + np.concatenate([[[0.0, 0.0]], np.cumsum(steps, axis=0)])
        half = TAIL_FULLNESS * thickness * np.sin(np.pi * (TAIL_GATHER + (1.0 - TAIL_GATHER) * along)) ** 0.6
        normal = np.stack([heading[:, 1], -heading[:, 0]], axis=1) * half[:, None]
        return _fill(size, np.concatenate([line + normal, (line - normal)[::-1]]))

    thickness = width * style.volume
    if style.length == "bunches":
        # Tied high, a bunch swings out from hanging straight down, more the higher it is tied.
        height = 0.2 + 0.3 * abs(style.part)
        angle = np.deg2rad(25.0 + 40.0 * height)
        length = (0.20 + 0.08 * style.volume) * width
        return np.maximum(*(tail(s, height, length, angle, 0.11 * thickness) for s in (-1.0, 1.0)))
    if style.length == "ponytail":
        height = 0.45 + 0.3 * abs(style.part)
        angle = np.deg2rad(40.0 + 15.0 * height)
        return tail(side, height, (0.22 + 0.06 * style.volume) * width, angle, 0.12 * thickness)
    radius = (0.11 + 0.03 * style.volume) * width
    # Leaning further to the side as far as it must for the frame's top not to cut it off (cut,
    # it showed as a pointed tuft over a large head; sunk into the skull, the cap hid it).
    for lean in np.deg2rad(np.arange(30.0 * abs(style.part), 90.0, 5.0)):
        bun = (
            centre[0] + side * np.sin(lean) * (axes[0] + 0.3 * radius),
            centre[1] - np.cos(lean) * (axes[1] + 0.3 * radius),
        )
        if bun[1] - radius >= 0.015:
            break
    return _ellipse(size, bun, (1.15 * radius, radius))


def _fringe_line(face: np.ndarray, style: HairStyle, width: float, drop: float) -> np.ndarray:
    """Return, per column, the row (unit coordinates) where the fringe ends over the face mask:
    its top edge lowered by ``drop``, in locks whose tips hang lower than the gaps between them
    (one straight cut read as a helmet)."""
    size = face.shape[0]
    inside = face > 0.5
    top = np.where(inside.any(axis=0), inside.argmax(axis=0), size).astype(np.float64) / size
    if style.length == "sparse":
        return top + drop
    return top + drop + (0.015 + 0.035 * style.fringe) * width * (_locks(size, width, style.seed) - 0.5)


def _locks(size: int, width: float, seed: int) -> np.ndarray:
    """Return, per column of the frame, float ``[S]`` in 0-1: how far a lock of hair hangs there.
    Locks are 0.06-0.13 of the face's ``width`` wide and of uneven length, tips rounded."""
    rng = np.random.default_rng(seed)
    widths = width * rng.uniform(0.06, 0.13, size=int(1.0 / (0.06 * width)) + 2)
    edges = np.cumsum(np.concatenate([[-rng.uniform(0.0, widths[0])], widths]))
    lengths = rng.uniform(0.4, 1.0, size=len(widths))
    xs = np.arange(size, dtype=np.float64) / size
    which = np.clip(np.searchsorted(edges, xs) - 1, 0, len(widths) - 1)
    phase = (xs - edges[which]) / widths[which]
    return lengths[which] * (1.0 - (2.0 * phase - 1.0) ** 2)


def paste_face(face: np.ndarray, base: np.ndarray, hull: np.ndarray) -> np.ndarray:
    """Return ``face`` laid over ``base`` inside the face ``hull``, its edge feathered inwards.

    Alpha blending rather than a Poisson solve: the base around the face is flat skin, and a
    Poisson solve would shift the whole face's brightness to meet it (shadowed jaw edges washed
    the faces out). The feather lies inside the hull, so no pixel of a parent's photo beyond the
    jaw line (collar, backdrop) shows.
    """
    size = base.shape[0]
    mask = _fill(size, hull)
    radius = max(round(0.012 * size), 1)
    mask = cv2.erode(mask, cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (2 * radius + 1, 2 * radius + 1)))
    alpha = _soft(mask, radius * 0.7)[..., None]
    out = face.astype(np.float32) * alpha + base.astype(np.float32) * (1.0 - alpha)
    return np.clip(out + 0.5, 0, 255).astype(np.uint8)


def apply_tone(image: np.ndarray, tint: tuple[float, float]) -> np.ndarray:
    """Return ``image`` as a monochrome print: its lightness with one CIE Lab tint (a*, b*)."""
    lab = cielab(image)
    lab[..., 1] = tint[0]
    lab[..., 2] = tint[1]
    return np.clip(rgb_from_lab(lab) + 0.5, 0, 255).astype(np.uint8)
