"""Age appearance from real reference faces: Burt & Perrett's prototype transformation.

Burt, D. M. & Perrett, D. I. (1995), "Perception of age in adult Caucasian male faces: computer
graphic manipulation of shape and colour information", Proc. R. Soc. B 259: a *prototype* is the
average shape (landmarks) and the average texture (each face warped to that shape, then averaged)
of faces of one age band and sex. The difference between two prototypes, here the child's band's
and the adults', added to a face's shape moves its apparent age while keeping its identity. For
texture that is not enough: a parents' blend plus the prototypes' difference keeps their adult skin
and feature detail and still reads as an adult, so the offline engine starts from the band's
prototype and adds only part of the parents' difference from the adult prototype
(:data:`genetics.offline.engine.REFERENCE_IDENTITY`).

References come from the caller: a CSV ``path,age,sex[,ancestry]`` (:func:`read_references`), or
images with ages (the tree's own dated photos, from the app). Nothing of children ships with
Kinship: no licensed photos of children were found. A band with fewer than
:data:`MIN_REFERENCES` faces gets no prototype, and every candidate says so
(:meth:`ReferenceSet.status`), rather than pretending its age look was learnt.
"""

from __future__ import annotations

import csv
import functools
import hashlib
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

import cv2
import numpy as np

from genetics.engine import AGE_GROUPS, GENDERS
from genetics.offline.blending import fill_from_skin, fill_polygon, wide_blur
from genetics.offline.occlusion import FaceZones, fill_occlusion, side_occlusion

MIN_REFERENCES = 8
"""Fewest faces of one age band (and sex, else both pooled) that make a prototype; with fewer the
average still shows individual faces rather than what the age has in common."""

VARIETY_FACES = {"0-2": 2.0, "3-9": 6.0, "10-19": 6.0}
"""About how many of a band's faces each candidate's age look averages (the effective count
``1 / sum(w**2)`` of Dirichlet weights over all of them, :func:`mixture_weights`). With the plain
mean of every reference, one couple's candidates shared the same child-like part and differed
only in what they kept of the parents (diversity 0.31-0.37 where real siblings give 0.38 and up,
``genetics/README.md``); averages of about six faces still show no one face (the band look held).
Babies average three (0.1.9): their faces differ less, six gave siblings a diversity of 0.32-0.35,
three 0.36-0.38 and still read as babies; 3-9 at three lost the age look (in band 0.59 on one
seed). Babies average two since 0.1.18: their mixtures favour the faces that resemble the parents
(:data:`RESEMBLANCE`), so siblings drew the same few faces more often (diversity 0.355-0.366 at
three, 0.377-0.395 at two)."""

LARGEST_SHARE = 0.5
"""Most weight one reference face may take in a candidate's mixture (:func:`mixture_weights`),
unless fewer than two faces are drawn: every candidate's age look averages at least two real
children, and shows neither as theirs. Drawn at two faces (:data:`VARIETY_FACES`), 7 in 10 of
ten babies' mixtures gave one face over half (4 in 10 over 0.65), and that child's own marks came
with it: one research baby (dark hair beside her cheek, a blurred photo) took 0.93 of a CC0
couple's daughter's mixture, whose cheek and mouth then wore a grey smudge (``/tmp/s52/k09w.png``:
faint at 0.5). A reference set may be a family's own photos, and a candidate a caseworker
circulates must not be one real child's face. What the heaviest face has over the cap goes to
the next heaviest, so a mixture of one face becomes one of two. Research references, CC0
couples, 0-2 girls, seed 0, 8 per couple (in band / own-parent / diversity): 0.938 / 0.851 /
0.358 uncapped, 0.927 / 0.847 / 0.350 at 0.5; with the excess spread over all the others in
proportion 0.927 / 0.858 / 0.345, at 0.65 0.938 / 0.855 / 0.349. The mixtures of about six faces
of older bands rarely reach it: 3-9 girls 0.958 / 0.902 / 0.400 either way."""

MIXTURE_DETAIL = 0.06
"""Gaussian sigma (fraction of the frame) below which a candidate's mixture of a band's faces
(:func:`mixture_weights`) shows; broader than that its band look is the band's plain mean. A
baby's mixture is mostly one or two faces, and their broad colour came with it: one research
baby's rosy cheeks and another's food round her mouth gave one candidate of every couple a red
muzzle. A sharp edge, finer than this, still comes with its face (a baby's hair over her temple).
Research couples, 0-2 boys, seed 0: in band 0.854 -> 0.875, own-parent 0.606 -> 0.632, diversity
0.387 -> 0.380 (0.364 at 0.03)."""

CLEANED_BANDS: tuple[str, ...] = ("0-2",)
"""Bands whose reference faces have what occludes the face from its side (hair over a temple, a
tight crop's backdrop beside a cheek or under the chin) filled in from their own skin before they
are averaged (:func:`without_occlusions`), and their side lighting evened (0.1.19,
:func:`with_even_lighting`). A research baby's hair over her temple showed as a dark patch by
the eye of the babies whose mixtures weighed her most (in up to four of eight per couple once
mixtures favoured resemblance). Older children keep their references as they are: filling in
whatever is not skin made 3-9 girls read older (0.1.15, in band 0.79 → 0.45), as their hair
beside the cheeks is part of their look."""

OCCLUSION_CONTRAST = 0.8
"""A reference pixel may count as occluded (:func:`without_occlusions`) when its brightness, relative
to its face's median skin, is below this share of the band's faces' median there, or above its
inverse."""

LIGHT_SPREAD = 0.04
"""Gaussian sigma (fraction of the frame) of the broad shading that a cleaned reference face's
lighting is read from and evened with its mirror image (:func:`with_even_lighting`)."""

RESEMBLANCE = {"0-2": 0.02, "3-9": 0.04, "10-19": 0.04}
"""Per band, how strongly a candidate's mixture of the band's faces (:func:`mixture_weights`)
favours the references that resemble its parents (:func:`resemblance_weights`): the temperature,
in dlib descriptor distance, of the softmax that gives each face its expected weight. Bands not
listed mix their faces evenly on average. Twelve research couples, 8 babies each, face_attrs
(in band / own-parent share / diversity), before :data:`VARIETY_FACES` and :data:`CLEANED_BANDS`
changed with it: girls, seed 0, 0.875 / 0.639 / 0.370 evenly, 0.927 / 0.694 / 0.356 at 0.02,
0.927 / 0.659 / 0.362 at 0.04; girls, seed 1, 0.958 / 0.648 / 0.391 and 0.938 / 0.694 / 0.366
at 0.02 (0.1.18 as released: 0.906 / 0.688 / 0.380 and 0.948 / 0.705 / 0.395,
``genetics/README.md``). 3-9 children since 0.1.47, at 0.04 (research references, 8 per couple,
evenly → 0.04): CC0 couples, girls, seed 0, 0.990 / 0.881 / 0.400 → 0.969 / 0.897 / 0.404;
seed 1, 0.969 / 0.900 / 0.394 → 0.969 / 0.897 / 0.396; boys, seed 0, 0.979 / 0.872 / 0.413 →
0.969 / 0.893 / 0.402; seed 1, 0.958 / 0.879 / 0.415 → 0.969 / 0.887 / 0.405; research couples,
girls, seed 0, 0.854 / 0.741 / 0.400 → 0.875 / 0.770 / 0.404; seed 1, 0.875 / 0.708 / 0.403 →
0.854 / 0.724 / 0.399; the shipped couples, girls, seed 0, 0.875 / 0.833 / 0.371 → 0.844 / 0.885 /
0.380. At 0.02 the CC0 girls (seed 0) read 0.969 / 0.902 / 0.394; on engine 0.1.23 it cost the
shipped couples' girls their age (in band 0.938 → 0.719 at 0.02, 0.844 at 0.04) for no likeness.
Teenagers since 0.1.63, at 0.04 (CC0 couples, girls, seed 0, with the women's look,
:data:`SEXED_YOUNG_GROUPS`): 0.271 / 0.911 / 0.498 evenly → 0.375 / 0.928 / 0.484, read as girls
0.885 → 0.865; research couples 0.250 / 0.794 / 0.521 → 0.333 / 0.842 / 0.502, 0.906 → 0.875.
Boys, pooled with no men's look, lost it (CC0 0.958 → 0.875 read as boys, research 0.927 →
0.802); with it they read as boys and teenagers more often (``genetics/README.md``)."""

SMILE_LIFT = 0.08
"""Corner lift (:func:`~genetics.offline.geometry.smile_lift`) above which a reference face
smiles. Where a band's lips are drawn closed (a baby's), a candidate's mixture leaves the smiling
faces out (:meth:`AgeTransform.expected_mixture`): a smile squeezed shut in the child's closed
mouth was a grimace, with the smile's cheeks bunched under the eyes and creased round the mouth
(research references: two of twelve baby girls smile, 0.11 and 0.12, the others 0.04 or less;
their descriptors lie nearest a laughing father's, so up to half of his babies grimaced)."""

PROTOTYPE_SIZE = 256
"""Side of the stored prototype textures (aligned frame); differences between prototypes are
smooth, so they lose nothing at render sizes up to 1024."""

ADULT_GROUPS: tuple[str, ...] = AGE_GROUPS[3:]
"""Bands pooled into the adult prototype that the parents' faces are taken to show."""

SEXED_YOUNG_GROUPS: tuple[str, ...] = ("10-19",)
"""Child bands that show their sex: a teenager's prototype pooled over both sexes (too few of the
asked one) also gains the look of that sex's adults (:attr:`AgeTransform.sex_look`, by
:data:`~genetics.offline.engine.POOLED_SEX_TRANSFORM`), and with too few of either sex to make
one the band takes the adults' sex transform. Younger children's faces hardly show their sex (nor
can the estimator tell). Ten research teenagers pooled (five of each sex) gave teenage girls a
man's look (face_attrs, CC0 couples, 8 per couple, seed 0: 54 of 96 read as girls), and their own
sex only (0.1.9-0.1.61: too few girls, so the women's sex transform) made women of them (7 of 96
read 10-19); pooled with part of the women's look (0.1.62) 26 read 10-19 and 85 as girls.
Teenage boys took the men's sex transform until 0.1.60 and read as men (5 of 96 read 10-19),
pooled with no men's look (0.1.61) 50 read 10-19 and 92 as boys, with part of the men's look
and :data:`RESEMBLANCE` (0.1.63) 70 and 96; girls with :data:`RESEMBLANCE` 36 and 83
(``genetics/README.md``)."""

_LOWER_BOUNDS = (0, 3, 10, 20, 30, 40, 50, 60, 70)


class ReferenceFace(NamedTuple):
    """One reference face."""

    aligned: np.ndarray
    """RGB uint8 ``[P, P, 3]``, or RGBA ``[P, P, 4]`` with its photo's coverage as alpha."""
    landmarks: np.ndarray
    """``[68, 2]``, unit coordinates of the aligned frame."""
    group: str
    """Age band (:data:`genetics.engine.AGE_GROUPS`)."""
    sex: str
    embedding: np.ndarray
    """dlib face descriptor ``[128]``."""


def age_group_of(age: float) -> str:
    """Return the age group (:data:`genetics.engine.AGE_GROUPS`) an age in years falls in."""
    if age < 0:
        raise ValueError(f"an age cannot be negative, got {age}")
    index = max(i for i, bound in enumerate(_LOWER_BOUNDS) if age >= bound)
    return AGE_GROUPS[index]


@dataclass(frozen=True)
class Reference:
    """One row of a references CSV: an image reference, the age on the photo and the sex."""

    image: str
    age: float
    sex: str
    ancestry: str | None = None


def read_references(path: Path) -> list[Reference]:
    """Return the rows of a ``path,age,sex[,ancestry]`` CSV; image paths relative to the CSV.

    ``sample:NAME`` names a shipped public-domain portrait (:mod:`genetics.samples`).
    """
    rows = []
    with Path(path).open(newline="") as handle:
        reader = csv.DictReader(handle)
        missing = {"path", "age", "sex"} - set(reader.fieldnames or ())
        if missing:
            raise ValueError(f"{path}: missing columns {sorted(missing)} (expected path,age,sex[,ancestry])")
        for line, row in enumerate(reader, start=2):
            sex = {"m": "male", "f": "female"}.get(row["sex"].strip().lower(), row["sex"].strip().lower())
            if sex not in GENDERS:
                raise ValueError(f"{path}, line {line}: sex must be male or female, got {row['sex']!r}")
            try:
                age = float(row["age"])
            except ValueError:
                raise ValueError(f"{path}, line {line}: age must be a number of years") from None
            image = row["path"].strip()
            if not image.startswith("sample:") and not Path(image).is_absolute():
                image = str(Path(path).parent / image)
            rows.append(Reference(image=image, age=age, sex=sex, ancestry=(row.get("ancestry") or "").strip() or None))
    if not rows:
        raise ValueError(f"{path}: no references")
    return rows


@dataclass(frozen=True)
class Prototype:
    """The average face of a group: ``shape`` ``[68, 2]`` (unit coordinates of the aligned
    frame) and ``members`` uint8 ``[count, P, P, 3]``, each face warped to that shape, what its
    photo did not show filled (:func:`_filled`)."""

    shape: np.ndarray
    members: np.ndarray
    embeddings: np.ndarray
    """float64 ``[count, 128]``: each member's face descriptor."""
    lifts: np.ndarray | None = None
    """float64 ``[count]``: how far each member's mouth corners rise (:func:`~genetics.offline.
    geometry.smile_lift`); None: not known."""

    @functools.cached_property
    def texture(self) -> np.ndarray:
        """Return float32 ``[P, P, 3]`` (0-255): the members' mean (made once, when first read)."""
        return self.members.mean(axis=0, dtype=np.float32)

    @property
    def count(self) -> int:
        """Return how many faces the prototype averages."""
        return len(self.members)

    def mixed_texture(self, weights: np.ndarray) -> np.ndarray:
        """Return float32 ``[P, P, 3]``: the members' textures averaged with ``weights`` (sum 1) in
        their finer structure, the plain mean (:attr:`texture`) in what is broader than
        :data:`MIXTURE_DETAIL` (since 0.1.15)."""
        mixed = np.tensordot(np.asarray(weights, dtype=np.float32), self.members, axes=1).astype(np.float32, copy=False)
        sigma = MIXTURE_DETAIL * mixed.shape[0]
        return mixed - wide_blur(mixed - self.texture, sigma)


def _filled(member: np.ndarray) -> np.ndarray:
    """Return a warped member RGB uint8 ``[P, P, 3]``: an RGBA one's pixels past its photo's edge
    (alpha under 255: FFHQ padding, smeared rows of its border) replaced, by their alpha, with its
    photo's colours nearby (:func:`~genetics.offline.blending.fill_from_skin`).

    Averaged over only the members whose photo showed each pixel (0.1.6-0.1.11), tight crops
    ending along one line gave the prototype a step there: a square round the adults' prototype,
    which showed as a line across a child's forehead."""
    rgb = np.ascontiguousarray(member[..., :3])
    if member.shape[2] == 3 or member[..., 3].min() == 255:
        return rgb
    shown = member[..., 3].astype(np.float32) / 255.0
    return fill_from_skin(rgb, 1.0 - shown, np.zeros_like(shown), np.ones_like(shown))


def mixture_weights(
    rng: np.random.Generator, count: int, faces: float, expected: np.ndarray | None = None
) -> np.ndarray:
    """Return ``[count]`` weights summing to 1 that average about ``faces`` of ``count`` faces
    (:data:`VARIETY_FACES` gives each band's), ``expected`` on average (default: evenly).

    Dirichlet weights with concentration ``(faces - 1) / (count - faces)`` per face have an
    expected effective count near ``faces``; ``expected`` shares that total out unevenly
    (:func:`resemblance_weights`; summing to 1), and a face it gives exactly 0 is left out
    (weight 0, the count those drawn). With no more faces drawn than ``faces`` each weighs the
    same (the plain prototype of those), since fewer faces cannot average more. No face weighs
    more than :data:`LARGEST_SHARE` (unless fewer than two are drawn).
    """
    drawn = np.ones(count, dtype=bool) if expected is None else np.asarray(expected) > 0.0
    kept = int(drawn.sum())
    weights = np.zeros(count)
    if kept <= faces:
        weights[drawn] = 1.0 / kept
    elif expected is None:
        weights[:] = rng.dirichlet(np.full(count, (faces - 1.0) / (count - faces)))
    else:
        total = kept * (faces - 1.0) / (kept - faces)
        # A face given almost no weight would make the Dirichlet degenerate; a floor keeps it drawable.
        weights[drawn] = rng.dirichlet(np.maximum(np.asarray(expected, dtype=np.float64)[drawn] * total, 1e-3))
    return _capped(weights, drawn, max(LARGEST_SHARE, 1.0 / kept))


def _capped(weights: np.ndarray, drawn: np.ndarray, cap: float) -> np.ndarray:
    """Return ``weights`` (summing to 1) with none above ``cap``: what the heaviest face has over
    it goes to the next heaviest ``drawn`` faces in turn, each filled up to ``cap``, so a mixture
    of one face becomes one of two (spread over all the others in proportion, babies' mixtures
    averaged about three faces, not two, and siblings were more alike)."""
    weights = weights.copy()
    order = [int(i) for i in np.argsort(-weights, kind="stable") if drawn[i]]
    excess = 0.0
    for i in order:
        if weights[i] > cap:
            excess += float(weights[i]) - cap
            weights[i] = cap
        else:
            given = min(excess, cap - float(weights[i]))
            weights[i] += given
            excess -= given
    return weights


def resemblance_weights(
    members: np.ndarray, adults: np.ndarray, parents: Sequence[np.ndarray], temperature: float
) -> np.ndarray:
    """Return ``[count]`` expected mixture weights (sum 1) favouring the band's faces that resemble
    the parents: a softmax, at ``temperature``, of each member's mean descriptor distance to the
    parents less its mean distance to the adult references ``adults`` ``[n, 128]``.

    Taken plainly, the distance favoured the same few references for every couple: some faces
    (a younger-looking, rounder one) lie near every adult. Against the adults' mean it favours
    the faces that lie nearer these parents than adults in general.
    """
    members = np.asarray(members, dtype=np.float64)
    to_parents = np.mean([np.linalg.norm(members - parent, axis=1) for parent in parents], axis=0)
    to_adults = np.linalg.norm(members[:, None, :] - np.asarray(adults, dtype=np.float64)[None], axis=2).mean(axis=1)
    closeness = -(to_parents - to_adults) / temperature
    weights = np.exp(closeness - closeness.max())
    return weights / weights.sum()


@dataclass(frozen=True)
class AgeTransform:
    """What a candidate of one age band gains over the adult prototype: a landmark offset
    ``[68, 2]`` and the two prototypes whose texture difference is added. ``sex_only``: the
    target is the adults of one ``sex`` (:meth:`ReferenceSet.transform`), so the transform gives
    the asked sex's look but not the band's age."""

    shape_offset: np.ndarray
    target: Prototype
    adult: Prototype
    sex_only: bool = False
    sex: str = ""
    sex_look: Prototype | None = None
    """The adults of ``sex`` whose difference from :attr:`adult` a band prototype pooled over both
    sexes gains (:data:`SEXED_YOUNG_GROUPS`); None: the band's own look alone."""

    @property
    def sex_offset(self) -> np.ndarray | None:
        """Return the landmark offset ``[68, 2]`` of the asked sex's adults from adults of both
        sexes that a candidate gains (times its gain): the whole offset of the sex transform, the
        :attr:`sex_look`'s for a pooled band; None when the transform carries no sex look."""
        if self.sex_only:
            return self.shape_offset
        if self.sex_look is not None:
            return self.sex_look.shape - self.adult.shape
        return None

    def resemblance(self, age_group: str, parents: Sequence[np.ndarray]) -> np.ndarray | None:
        """Return the expected weights of a candidate's mixture of the target's faces, favouring
        those that resemble ``parents`` (descriptors ``[128]``; :data:`RESEMBLANCE`), or None
        (evenly): for bands not listed and the sex transform."""
        temperature = RESEMBLANCE.get(age_group)
        if temperature is None or self.sex_only:
            return None
        return resemblance_weights(self.target.embeddings, self.adult.embeddings, parents, temperature)

    def left_out(self, *, closed_lips: bool) -> np.ndarray:
        """Return bool ``[count]``: the target's faces a candidate's mixture leaves out, the smiling
        ones (:data:`SMILE_LIFT`) when the child's lips are drawn closed, unless every face smiles;
        none for the sex transform or when the faces' lifts are not known."""
        none = np.zeros(self.target.count, dtype=bool)
        if not closed_lips or self.sex_only or self.target.lifts is None:
            return none
        smiling = self.target.lifts > SMILE_LIFT
        return none if smiling.all() else smiling

    def expected_mixture(
        self, age_group: str, parents: Sequence[np.ndarray], *, closed_lips: bool
    ) -> np.ndarray | None:
        """Return the expected weights of a candidate's mixture of the target's faces
        (:func:`mixture_weights`), or None (evenly): :meth:`resemblance`'s, with the faces
        :meth:`left_out` at 0."""
        expected = self.resemblance(age_group, parents)
        left_out = self.left_out(closed_lips=closed_lips)
        if not left_out.any():
            return expected
        if expected is None:
            expected = np.full(self.target.count, 1.0 / self.target.count)
        kept = np.where(left_out, 0.0, expected)
        return kept / kept.sum()


def without_occlusions(members: np.ndarray, landmarks: np.ndarray) -> np.ndarray:
    """Return reference faces (RGB uint8 ``[N, P, P, 3]``, warped to ``landmarks``, unit
    coordinates) with what occludes each face from its side filled in from its own skin.

    Occluded (:mod:`genetics.offline.occlusion`): a patch reaching the face's outer rim, outside
    the features, whose brightness relative to its face's median skin is below
    :data:`OCCLUSION_CONTRAST` of the faces' median there, or above its inverse (compared with
    the faces' median, a face's shaded sides are not taken for hair).
    """
    from genetics.images import luma

    zones = FaceZones.of(landmarks, members.shape[1])
    brightness = luma(members)
    relative = brightness / np.maximum(np.median(brightness[:, zones.skin], axis=1), 1.0)[:, None, None]
    typical = np.median(relative, axis=0)
    cleaned = []
    for member, ratio in zip(members, relative / np.maximum(typical, 1e-3), strict=True):
        odd = (ratio < OCCLUSION_CONTRAST) | (ratio > 1.0 / OCCLUSION_CONTRAST)
        cleaned.append(fill_occlusion(member, side_occlusion(odd, zones), zones))
    return np.stack(cleaned)


def with_even_lighting(members: np.ndarray, landmarks: np.ndarray) -> np.ndarray:
    """Return reference faces (RGB uint8 ``[N, P, P, 3]``, warped to ``landmarks``, unit
    coordinates) with their side lighting evened: each face's broad shading
    (:data:`LIGHT_SPREAD`) becomes the mean of its own and its mirror image about the face's
    midline, where the mirror image falls inside the face, by a brightness gain (colour and
    features kept).

    Side lighting is the photo's, not the face's, as for a parent (:class:`~genetics.offline.
    engine._Renderer`); a baby's mixture is mostly one or two faces, so one side-lit reference
    baby showed as a pale band down one cheek of the babies that drew her.
    """
    from genetics.images import luma
    from genetics.offline.geometry import face_hull, mirror_maps

    size = members.shape[1]
    mirror_x, mirror_y = mirror_maps(landmarks, size)
    hull = cv2.GaussianBlur(fill_polygon(size, face_hull(landmarks)).astype(np.float32) / 255.0, (0, 0), 0.02 * size)
    inside = cv2.remap(hull, mirror_x, mirror_y, cv2.INTER_LINEAR, borderValue=0.0) * hull
    evened = []
    for member in members:
        light = cv2.GaussianBlur(luma(member), (0, 0), LIGHT_SPREAD * size) + 1.0
        mirrored = cv2.remap(light, mirror_x, mirror_y, cv2.INTER_LINEAR, borderMode=cv2.BORDER_REFLECT)
        gain = (light + inside * mirrored) / (1.0 + inside) / light
        evened.append(np.clip(member * gain[..., None] + 0.5, 0, 255).astype(np.uint8))
    return np.stack(evened)


def _prototype(faces: list[ReferenceFace], *, clean: bool = False) -> Prototype:
    import genetics.offline.geometry as geometry

    shape = np.mean([face.landmarks for face in faces], axis=0)
    mesh = geometry.mesh_points(shape)
    triangles = geometry.triangulate(mesh)
    warped = np.stack(
        [
            geometry.warp(_with_coverage(face.aligned), geometry.mesh_points(face.landmarks), mesh, triangles)
            for face in faces
        ]
    )
    members = np.stack([_filled(member) for member in warped])
    return Prototype(
        shape=shape,
        members=with_even_lighting(without_occlusions(members, shape), shape) if clean else members,
        embeddings=np.stack([face.embedding for face in faces]),
        lifts=np.array([geometry.smile_lift(face.landmarks) for face in faces]),
    )


def _with_coverage(aligned: np.ndarray) -> np.ndarray:
    """Return an aligned face as RGBA: its own alpha (coverage) if it has one, else opaque."""
    if aligned.shape[2] == 4:
        return aligned
    return np.dstack([aligned, np.full(aligned.shape[:2], 255, dtype=np.uint8)])


class ReferenceSet:
    """Reference faces grouped by age band and sex, with prototypes made on demand."""

    def __init__(
        self,
        faces: Iterable[ReferenceFace],
        *,
        min_references: int = MIN_REFERENCES,
        digest: str = "",
    ) -> None:
        """``faces``: :class:`ReferenceFace`; an RGBA aligned face's alpha marks the pixels its
        photo shows (:func:`~genetics.faces.ffhq_coverage`; the rest is padding, filled by
        :func:`_filled`)."""
        self.faces = [
            face._replace(
                aligned=cv2.resize(face.aligned, (PROTOTYPE_SIZE, PROTOTYPE_SIZE), interpolation=cv2.INTER_AREA)
                if face.aligned.shape[0] != PROTOTYPE_SIZE
                else face.aligned,
                landmarks=np.asarray(face.landmarks, dtype=np.float64),
            )
            for face in faces
        ]
        self.min_references = min_references
        self.digest = digest
        self._cache: dict[tuple[tuple[str, ...], str | None], Prototype | None] = {}

    def __len__(self) -> int:
        return len(self.faces)

    def _group(
        self, groups: tuple[str, ...], sex: str | None, *, pooled: bool = True
    ) -> tuple[Prototype | None, int, str | None]:
        """Return the prototype of some bands (one sex, else both unless ``pooled`` is false), its
        face count and its sex."""
        for wanted in (sex, None) if sex and pooled else (sex,):
            members = [f for f in self.faces if f.group in groups and (wanted is None or f.sex == wanted)]
            if len(members) >= self.min_references:
                key = (groups, wanted)
                if key not in self._cache:
                    self._cache[key] = _prototype(members, clean=groups[0] in CLEANED_BANDS and len(groups) == 1)
                return self._cache[key], len(members), wanted
        count = sum(1 for f in self.faces if f.group in groups and (pooled or sex is None or f.sex == sex))
        return None, count, None

    def _band(self, age_group: str, sex: str) -> tuple[Prototype | None, int, str | None]:
        """Return :meth:`_group` for one child band, both sexes pooled when one has too few."""
        return self._group((age_group,), sex)

    def _sex_prototype(self, age_group: str, sex: str) -> Prototype | None:
        """Return the prototype of one sex's adults: of ``age_group`` when it has enough faces,
        else of every adult band; never both sexes pooled (that carries no sex look)."""
        for groups in ((age_group,), ADULT_GROUPS):
            target, _, _ = self._group(groups, sex, pooled=False)
            if target is not None:
                return target
        return None

    def transform(self, age_group: str, sex: str) -> AgeTransform | None:
        """Return the prototype transformation to ``age_group``, or None without enough faces.

        For a child band the target is the band's prototype of ``sex``, both sexes pooled when
        too few (for :data:`SEXED_YOUNG_GROUPS` with that sex's adult look, :attr:`AgeTransform.
        sex_look`); the adult prototype pools both sexes, as the parents' mix it is compared with
        does (against the adult men's prototype, a boy's candidates kept a woman's traits and read
        as adults). For an adult band, and a teenage one without enough faces of its own
        (:data:`SEXED_YOUNG_GROUPS`), the target is the prototype of that sex's adults
        (:meth:`_sex_prototype`, ``sex_only``): Burt & Perrett's sex transform, which gives a
        daughter of a man's features a woman's look and a son of a woman's a man's.
        """
        adult, _, _ = self._group(ADULT_GROUPS, None)
        if adult is None:
            return None
        target, _, target_sex = (None, 0, None) if age_group in ADULT_GROUPS else self._band(age_group, sex)
        if target is not None:
            sex_look = None
            if target_sex != sex and age_group in SEXED_YOUNG_GROUPS:
                sex_look = self._sex_prototype(age_group, sex)
            return AgeTransform(
                shape_offset=target.shape - adult.shape, target=target, adult=adult, sex=sex, sex_look=sex_look
            )
        if age_group in ADULT_GROUPS or age_group in SEXED_YOUNG_GROUPS:
            target = self._sex_prototype(age_group, sex)
        if target is None:
            return None
        return AgeTransform(shape_offset=target.shape - adult.shape, target=target, adult=adult, sex_only=True, sex=sex)

    def status(self, age_group: str, sex: str) -> dict[str, object]:
        """Return what a candidate's record says about its age look: counts, ``used`` and a sentence."""
        needed = self.min_references
        if age_group in ADULT_GROUPS:
            return self._adult_status(age_group, sex)
        target, count, target_sex = self._band(age_group, sex)
        adult, adult_count, _ = self._group(ADULT_GROUPS, None)
        if target is None:
            message = (
                f"Only {count} reference face{'s' if count != 1 else ''} aged {age_group} "
                f"{'were' if count != 1 else 'was'} given (at least {needed} are needed): the "
                "candidates' age look comes from proportion rules alone, not from real faces "
                "of that age, and may read older than asked."
            )
            if self.faces and all(f.group != age_group for f in self.faces):
                message = (
                    f"None of the {len(self.faces)} reference faces is aged {age_group} (at least "
                    f"{needed} are needed): the candidates' age look comes from proportion "
                    "rules alone, not from real faces of that age, and may read older than asked."
                )
            if not self.faces:
                message = (
                    "No reference faces were given: the candidates' age look comes from "
                    "proportion rules alone, not from real faces of that age, and may read "
                    "older than asked."
                )
            sexed = self.transform(age_group, sex)
            if sexed is not None:
                people = _people(sex)
                message += (
                    f" Their look as {people} comes from {sexed.target.count} adult reference {people} "
                    f"against {sexed.adult.count} adults of both sexes."
                )
            return {"age_group": age_group, "used": False, "references": count, "needed": needed, "message": message}
        if adult is None:
            return {
                "age_group": age_group,
                "used": False,
                "references": count,
                "needed": needed,
                "message": f"Only {adult_count} adult reference faces were given (at least {needed} "
                "are needed to compare the age band with): the age look comes from "
                "proportion rules alone.",
            }
        pooled = "" if target_sex == sex else " (both sexes pooled)"
        sex_look = self.transform(age_group, sex).sex_look
        if sex_look is not None:
            pooled = f" (both sexes pooled, with the look of {sex_look.count} adult {_people(sex)})"
        return {
            "age_group": age_group,
            "used": True,
            "references": target.count,
            "adult_references": adult.count,
            "needed": needed,
            "message": f"Age appearance transferred from {target.count} reference faces aged "
            f"{age_group}{pooled} against {adult.count} adults (prototype transformation).",
        }

    def _adult_status(self, age_group: str, sex: str) -> dict[str, object]:
        needed = self.min_references
        people = _people(sex)
        target = self._sex_prototype(age_group, sex)
        adult, adult_count, _ = self._group(ADULT_GROUPS, None)
        status: dict[str, object] = {"age_group": age_group, "needed": needed}
        if target is not None and adult is not None:
            return {
                **status,
                "used": True,
                "references": target.count,
                "adult_references": adult.count,
                "message": f"Adult candidates keep the parents' age; their look as {people} comes from "
                f"{target.count} reference {people} against {adult.count} adults of both sexes "
                "(prototype transformation).",
            }
        count = sum(1 for f in self.faces if f.group in ADULT_GROUPS and f.sex == sex)
        if not self.faces:
            message = "Adult candidates keep the parents' adult appearance; no reference faces were given."
        else:
            message = (
                f"Adult candidates keep the parents' adult appearance: only {count} adult reference "
                f"{people} {'were' if count != 1 else 'was'} given (at least {needed} are needed, and "
                f"{needed} adults of both sexes), so their look as {people} comes from the parents alone."
            )
        return {**status, "used": False, "references": count, "message": message}

    def fingerprint(self) -> str:
        """Return a short digest of the references (for reproduction records)."""
        digest = hashlib.sha256(self.digest.encode())
        for face in self.faces:
            digest.update(np.ascontiguousarray(face.landmarks).tobytes())
            digest.update(f"{face.group}|{face.sex}".encode())
        return digest.hexdigest()[:16]


def _people(sex: str) -> str:
    """Return how a status sentence names adults of ``sex`` ("men", "women")."""
    return {"male": "men", "female": "women"}.get(sex, sex)


def _reference_face(image: np.ndarray, age: float, sex: str) -> ReferenceFace:
    from genetics.faces import ffhq_coverage
    from genetics.gate import gate_face
    from genetics.metrics import embed_face

    gated = gate_face(image)
    aligned, landmarks, frontalised = gated.aligned(PROTOTYPE_SIZE)
    coverage = ffhq_coverage(gated.image.shape, gated.face.landmarks, PROTOTYPE_SIZE)
    if frontalised:
        # A frontalised face mirrors its nearer half: a pixel is real only if both halves are.
        coverage = np.minimum(coverage, coverage[:, ::-1])
    alpha = np.clip(coverage * 255.0 + 0.5, 0, 255).astype(np.uint8)
    return ReferenceFace(
        np.dstack([aligned, alpha]), landmarks, age_group_of(age), sex, embed_face(gated.image, gated.face)
    )


def _reference_set(faces: Iterable[tuple[ReferenceFace, np.ndarray]], min_references: int) -> ReferenceSet:
    """Return a reference set from ``(reference face, source image)`` pairs; the images' digests
    make its fingerprint."""
    kept = []
    digest = hashlib.sha256()
    for face, image in faces:
        kept.append(face)
        digest.update(hashlib.sha256(np.ascontiguousarray(image).tobytes()).digest())
    return ReferenceSet(kept, min_references=min_references, digest=digest.hexdigest())


def build_references(
    entries: Iterable[tuple[np.ndarray, float, str]], *, min_references: int = MIN_REFERENCES
) -> ReferenceSet:
    """Return a reference set from ``(RGB image, age in years, sex)``; each image must pass the gate."""
    return _reference_set(((_reference_face(image, age, sex), image) for image, age, sex in entries), min_references)


def load_references(path: Path, *, min_references: int = MIN_REFERENCES) -> ReferenceSet:
    """Return the reference set a ``path,age,sex[,ancestry]`` CSV describes.

    A row whose image cannot be read or shows no usable face raises ``ValueError`` naming the
    row: its reason (no face, turned away) is about that reference, not the parents' photos.
    """
    from genetics.errors import GeneticsError
    from genetics.images import load_image

    def faces() -> Iterator[tuple[ReferenceFace, np.ndarray]]:
        for line, row in enumerate(read_references(path), start=2):
            try:
                image = load_image(row.image)[0]
                yield _reference_face(image, row.age, row.sex), image
            except (GeneticsError, OSError) as error:
                raise ValueError(f"{path}, line {line} ({row.image}): {error}") from error

    return _reference_set(faces(), min_references)
