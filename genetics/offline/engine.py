"""The offline engine: candidate children from landmarks and textures, with no network weights.

Method (after "Face Synthesis from Facial Identity Features": landmarks and texture decomposed,
warped and recomposed), with StyleGene's region genes, crossover, mutation and gene pool:

1. Each parent is detected, FFHQ-aligned at 1024² and described by its 68 landmarks (unit
   coordinates) and its aligned texture.
2. All sources (parents and the pool faces a candidate draws) are warped piecewise-affinely onto
   one reference shape (the parents' mean), where their features coincide.
3. Genes (:mod:`genetics.offline.genes`) mix each region's landmarks and, in the reference frame,
   the low band (colour, shading) by weight; each region's fine detail comes from its dominant
   source. With reference faces of the target age band (:mod:`genetics.offline.prototypes`) the
   child is an average of some of that band's faces (each candidate its own mixture; a baby's or a
   3-9 child's favours the faces that resemble the parents,
   :data:`~genetics.offline.prototypes.RESEMBLANCE`, and a baby's leaves out the smiling ones,
   :data:`~genetics.offline.prototypes.SMILE_LIFT`) plus part of the parents' difference from the
   adults' prototype (:data:`REFERENCE_IDENTITY`, more in some features: :data:`FEATURE_IDENTITY`;
   a teenager whose band pools both sexes gains part of its sex's adult look,
   :data:`POOLED_SEX_TRANSFORM`); an adult, or a teenager without references of its age, keeps
   the parents' whole face plus the asked sex's difference from both sexes' adults
   (:data:`SEX_TRANSFORM`); without references the mixed geometry is moved to the target age's
   proportions and the skin's fine detail is damped (:mod:`genetics.offline.geometry`).
4. The child texture is warped to the child's shape in a fixed portrait frame and laid, inner
   face only, on a drawn head, neck, shirt and hair in the hair gene's colour
   (:mod:`genetics.offline.portrait`); nothing else of the parents' photos is used.
5. Every candidate must be found again by dlib's detector; otherwise the candidate is redrawn with
   a derived seed, and :class:`~genetics.errors.SynthesisFailed` is raised after a few tries.
"""

from __future__ import annotations

import functools
import hashlib
import time
from dataclasses import dataclass, field

import cv2
import numpy as np

import genetics.offline.blending as blending
import genetics.offline.geometry as geometry
import genetics.offline.portrait as portrait
from genetics.engine import Candidate, FaceBox, GenerationParams, GenerationResult, PreparedParent
from genetics.errors import FaceError, SynthesisFailed
from genetics.faces import (
    EMBEDDING_MODEL,
    LANDMARKS_MODEL,
    DetectedFace,
    align_ffhq,
    align_landmarks,
    check_image,
    choose_face,
    detect_faces,
    ffhq_coverage,
    model_path,
)
from genetics.gate import shared_tint
from genetics.images import luma
from genetics.offline.closed_lips import without_teeth
from genetics.offline.eye_whites import eye_whites_balanced, whites_level
from genetics.offline.facial_hair import facial_hair_shares, facial_hair_zone, lips_mask, wears_facial_hair
from genetics.offline.genes import (
    FATHER,
    GENES,
    MOTHER,
    POOL_START,
    ChildGenes,
    Gene,
    child_geometry,
    draw_genes,
)
from genetics.offline.glasses import GlassesReading, lens_zone, read_glasses
from genetics.offline.makeup import without_lipstick
from genetics.offline.occlusion import foreign_colours, skin_trust
from genetics.offline.pool import SHIPPED_FACES, GenePool, PoolFace, PoolSelection, landmarks_of
from genetics.offline.prototypes import ADULT_GROUPS, VARIETY_FACES, AgeTransform, ReferenceSet, mixture_weights
from genetics.weak_faces import CNN_DETECTOR_MODEL

ENGINE_NAME = "offline"
ENGINE_VERSION = "0.1.65"  # 0.1.65: teenage boys wear the men's cuts, their hair starting above the face

ALIGNED_SIZE = 1024
"""Side of the stored aligned parent texture; renders at 512² or 1024² read from it."""

MIN_RESOLUTION, MAX_RESOLUTION = 128, 1024

REFERENCE_IDENTITY = {"0-2": 0.45, "3-9": 0.3, "10-19": 0.5}
"""Share of the parents' own texture (its difference from the adult prototype) that a child of
each age band keeps when reference faces give its age look; the rest is the band's prototype.
Burt & Perrett's transform keeps all of it (adult blend + child prototype − adult prototype):
the parents' adult skin and feature detail then still read as adults (face_attrs, with a
reference set: 2 of 16 girls asked as 3-9 in band, 0 of 16 boys, 5 of 16 babies; keeping 0.3 and
0.35: 6, 7 and 12 of 16, see genetics/README.md). 10-19 keeps more: teenagers are near adult;
at 0.7 (until 0.1.9) five research teenage girls gave daughters too little of a girl's look (24
of 32 read as girls; 0.5: 29; 0.4: 31, own-parent share 0.96 → 0.91 → 0.87).
Babies keep 0.45 since 0.1.9, with their mixtures of fewer faces (:data:`~genetics.offline.
prototypes.VARIETY_FACES`): at 0.35 those pulled them toward single reference babies (seed 0,
own-parent share 0.80 / 0.83, against couples sharing no parent 0.91 for boys / girls), at 0.45
back to 0.82 / 0.87 and 0.94 / 0.97, still read as babies (0.94 both)."""

BROAD_IDENTITY = {"0-2": 0.65, "3-9": 0.7}
"""Share of the parents' difference from the adult prototype that a child of each band keeps in
its broad structure (the difference blurred by :data:`BROAD_DETAIL`: the shading that models the
cheeks, brow ridge, eye sockets and jaw), where :data:`REFERENCE_IDENTITY` and
:data:`FEATURE_IDENTITY` keep less. The age shows in the finer detail. 0.1.14's twelve
research couples, 3-9, 8 per couple (in band / own-parent share / diversity): girls, seed 0,
0.875 / 0.668 / 0.388 → 0.865 / 0.723 / 0.398; boys, seed 0, 0.917 / 0.681 / 0.397 → 0.854 /
0.741 / 0.406; girls, seed 1, 0.875 / 0.693 / 0.384 → 0.833 / 0.754 / 0.391. At 0.8 boys gained
a little more likeness (0.756) for more age (in band 0.833); at 1.0 girls read in band 0.802.
Kept at 0.6 in finer detail instead (0.005-0.02 of the frame, or under 0.005), girls, seed 0:
0.833 / 0.697 and 0.885 / 0.678, against 0.854 / 0.712 for the broad structure at 0.6.
Babies keep 0.65 (0.1.23; the twelve couples of ``research_references.py``'s ``couples.csv``):
girls, seed 0, 0.885 / 0.664 / 0.369 → 0.896 / 0.703 / 0.376; boys, seed 0, 0.896 / 0.659 /
0.388 (0.1.21) → 0.917 / 0.675 / 0.391. At 0.8 girls gained a little more (0.709) but read in
band 0.833; a wider blur (0.03 of the frame) gave 0.885 / 0.691."""

BROAD_DETAIL = 0.02
"""Gaussian sigma (fraction of the frame) above which the parents' difference counts as broad
structure (:data:`BROAD_IDENTITY`)."""

FEATURE_IDENTITY = {
    "0-2": {"eyes": 0.7, "nose": 0.5, "mouth": 0.1},
    "3-9": {"eyes": 0.7, "nose": 0.5, "mouth": 0.5},
}
"""Share of the parents' texture a feature keeps, by band, where it differs from the band's
:data:`REFERENCE_IDENTITY` (which the rest of the face keeps). The prototype's eyes, an average of
many, were blurred and alike in every child; the parents' eyes (0.1.4), nose and mouth (0.1.5) stay
visibly theirs (face_attrs, 8 per couple, with the research references, 3-9 and 0-2: own-parent
share against couples sharing no parent 0.81-0.97 → 0.91-0.97, in band 0.91-0.97 → 0.88-0.94,
within a candidate or two). A baby's mouth keeps less (0.1.7): with half of a smiling parent's
mouth babies showed a row of teeth and read as 9-year-olds, and even with the band's share the
teeth of a wide smile showed between closed lips (:data:`CLOSED_MOUTH_AGES`)."""

SEX_TRANSFORM = {"female": 2.0, "male": 1.5}
"""How many times the reference prototypes' difference (the asked sex's adults against adults of
both sexes) an adult candidate gains, in shape and texture, outside the mouth: Burt & Perrett's
sex transform, exaggerated as Perrett et al. (1998) exaggerate sexual dimorphism. A daughter of
Biden and Hopper kept her father's features and read as a man (face_attrs, 20-29 asked as women,
8 per couple, research references: 14 of 32 read as women with no transform, 21 with the plain
difference, 25 at 1.5 times, 29 at 2). Sons read as men at every gain tried, and the lower the
gain the more they look like their parents (engine 0.1.59, 20-29 men, 8 per couple, seed 0, in
band / own-parent share / gender: CC0 couples 0.958 / 0.912 / 1.0 at 2, 0.917 / 0.941 / 1.0 at
1.5, 0.865 / 0.958 / 1.0 at 1; research couples 0.979 / 0.787 / 1.0, 0.938 / 0.815 / 1.0,
0.875 / 0.843 / 0.979); at 1 more of them read under 18. The mouth keeps the parents' own: the
reference women's smiles added twice over opened and tore closed lips. Only brightness is
multiplied; the colour difference is added once (doubled, it turned brows blue)."""

POOLED_SEX_TRANSFORM = (1.0, 0.5)
"""How many times the difference of the asked sex's adults from adults of both sexes a teenager
gains, in shape and in texture (outside the mouth, as :data:`SEX_TRANSFORM`), where its band's
prototype pools both sexes (:data:`~genetics.offline.prototypes.SEXED_YOUNG_GROUPS`): teenage
girls pooled with the boys read as boys half the time, and with the women's whole look as women.
CC0 couples, 10-19 girls, research references, 8 per couple, seed 0 (in band / read as girls;
the own-parent share 0.90-0.91 throughout): no sex look 0.510 / 0.562; shape only, once 0.417 /
0.688, twice 0.292 / 0.802; shape and texture once 0.208 / 0.979, twice 0.062 / 1.0; shape twice
and texture 0.5 or 0.25 times 0.229 / 0.969 and 0.229 / 0.896; shape 1.5 and texture 0.25 times
0.281 / 0.844; shape 0.5 and texture 0.5 times 0.323 / 0.854; shape once and texture half 0.271
/ 0.885 (0.1.62). The women's texture makes a girl read both older and more as a girl than their
shape does. Boys (0.1.63, with :data:`~genetics.offline.prototypes.RESEMBLANCE`; in band / own-
parent / read as boys): no men's look 0.510 / 0.929 / 0.875, shape and texture half and a
quarter 0.625 / 0.936 / 0.969, once and half 0.729 / 0.934 / 1.0: the men's look makes boys
read as teenagers, not men, where it is added to the teenagers' and not to their parents' adult
faces."""

SKIN_DETAIL_FEATURES = ("nose", "mouth")
"""Features whose fine detail (the high band) a child, teenager included, takes as the skin's
(:func:`~genetics.offline.blending.limit_detail` with the band's ``skin_detail`` gain), not as it
is in the parent's photo: a parent's nose kept its pores, specks and sharp highlights and showed on
a baby's smooth skin as a pasted adult nose, and lip lines aged a child's mouth (research couples,
seed 0, 8 per couple, face_attrs, in band / own-parent share: 0-2 girls 0.781 / 0.609 → 0.833 /
0.600, 0-2 boys 0.875 / 0.632 → 0.885 / 0.622, 3-9 girls 0.844 / 0.685 → 0.906 / 0.659; the nose
alone 0.885 / 0.673; 10-19 girls own-parent 0.861 → 0.868, all read as girls). The brows keep
theirs (taken too, 0-2 girls' own-parent share 0.572), and the eyes theirs (lashes and the iris's
edge). Adults keep every feature's detail."""

BROW_FILL = 1.5
"""The brows' region filled in from the skin around it (:meth:`_Renderer._without_brows`) is their
feathered mask times this, capped at 1: the mask's soft edge, where the brow's blur still darkens
the skin, is filled too."""

BROW_SYMMETRY_BLUR = 0.01
"""Gaussian sigma (fraction of the frame) over which a brow's darkness is compared with its mirror
image's (:meth:`_Renderer._brow_darkness`): where the mirror image is less dark, the brow darkens
the skin only as much. Blurred, a brow a little higher or longer than its twin keeps its shape."""

FEATURE_SKIN_SPREAD = 0.04
"""Gaussian sigma (fraction of the frame) over which the skin around a feature is levelled from side
to side (:func:`_spread`): each side's own level, as side light leaves it. A patch scaled by the
ring's one mean kept a side-lit parent's bright side and showed as a pale outline round a child's
brow."""

CLOSED_MOUTH_AGES = ("0-2",)
"""Age bands drawn with closed lips (:func:`~genetics.offline.geometry.close_mouth`). Babies of
Obama and the astronaut, both smiling with their teeth, showed a row of adult teeth and read as 4
to 10 years old (face_attrs, 0.1.6)."""

WIDEST_OPENING = {"3-9": 0.2, "10-19": 0.2}
"""Widest parting of the lips (share of the mouth's width) that a child of these bands keeps from
its parents' mouths (:func:`~genetics.offline.geometry.close_mouth`); babies' lips close
(:data:`CLOSED_MOUTH_AGES`). A laugh is an expression, not a gene: a real CC0 father laughing
with his mouth open 0.41 of its width gave his 3-9 daughters a gaping mouth of adult teeth. The
research references' children part their lips 0.14 of its width (median; 0.4 at most)."""

MOUTH_INSIDE_HEIGHT = 1.15
"""How much taller than the opening between the inner lips (points 60-67) the mouth's inside
(:meth:`_Renderer._mouth_inside`) is taken: the lips' landmarks sit on their inner edge, and the
teeth's rim under them is the mouth's too."""

MOUTH_INSIDE_FEATHER = 0.003
"""Gaussian sigma (fraction of the frame) over which the mouth's inside meets the lips."""

LAUGH_PARTING = 0.3
"""Lips parted wider than this share of the mouth's width (:func:`~genetics.offline.geometry.
lip_parting`) are a laugh, whose pixels a child's mouth takes only when no source's lips part
less (:meth:`_Renderer._appearance_source`). The CC0 parents' toothy smiles part 0.23 at most; a
laughing CC0 father 0.41."""

LAUGH_WIDTH = 0.7
"""Widest a laughing source's mouth (:data:`LAUGH_PARTING`) stays in a child's geometry, as a share of
its outer eye corners' distance (:func:`~genetics.offline.geometry.fit_mouth`). Of the 24 CC0
parents and the 5 shipped faces, the 17 whose mouth corners do not rise (:func:`~genetics.offline.
geometry.smile_lift` at most 0.05) have mouths 0.54-0.66 as wide as that, the 11 smiling ones
(lift over 0.09) 0.70-0.85: a smile stretches the mouth. A CC0 father laughing at 0.79 gave his
3-9 daughters whose mouth gene was his that width with his wife's closed lips: wide flat lips.
Obama's laugh, its corners level (0.67), keeps its width."""

MOUTH_TEMPLATE_SHARE = 0.5
"""How far a closed mouth (:data:`CLOSED_MOUTH_AGES`) moves from the parents' mouth shape to the
band prototype's (:func:`~genetics.offline.geometry.fit_mouth`). All the way (engine 0.1.14 before
its release), babies' lips were cleanly closed but lost a parent's smile, which the face
descriptor reads: own-parent share of the shipped couples' baby boys 0.865 → 0.750, diversity
0.363 → 0.347 (face_attrs, research references, 8 per couple, seed 0). Half way it was 0.833 and
0.357, a baby's smile without the grimace of a wide adult smile closed shut."""

SKIN_COLOURED_FEATURES = ("nose",)
"""Features that are the face's skin: every pixel takes the child's skin colour, at the brightness
it has against the skin around it in the parent's photo (a shine as light added,
:func:`_lit_skin`), and the fine detail only as brightness. The colour a nose shows against its cheeks is the
photo's light: a dark CC0 father lit by a warm key light and a cool fill had an orange tip and
side, not brighter than his skin (so kept as the nose's own colour before 0.1.42), and orange fine
detail (its colour 5.8 RMS, his wife's 2.9); his sons whose nose gene was his had glowing orange
noses. Their noses now lie 1.8 from their cheeks in CIE a*-b* on average (6.1 before; at most 3.9,
8.5 before). Its shading against that skin is averaged with its mirror image, as the skin's is
(:meth:`_Renderer._mirrored_shading`)."""

OPENING_GROWTH = (1.05, 1.2)
"""How much wider and taller than their landmarks' outline the eyes' openings are taken
(:meth:`_Renderer.eye_openings`): the landmarks sit on the lids' inner edge, and the lash line
along it is the eye's too, not skin."""

WHITE_CEILING = 240.0
"""Luma to which the whites of a child's eyes may be brightened at most when its skin is lighter
than its eyes' source's (:meth:`_Renderer._child_texture`). The whites are white on every face:
brightened past white, the skin's difference is its colour, not the light's, and the eyes keep
their own brightness. A CC0 father's dark skin (cheeks' luma 40, whites 198) scaled his eyes 2.5
times on his paler sons (half his wife's skin): his near-black irises read grey-blue, one of them
lit by a window's reflection blue (:data:`~genetics.offline.eye_whites.IRIS_CAST_TOLERANCE`).
A photo exposed darker lowers the whites too, and its eyes still brighten with its skin."""

LIPS_FEATHER = 0.004
"""Gaussian sigma (fraction of the frame) of the lips' edge, feathered inwards from their outline
(:attr:`_Renderer.lips`), where a parent's facial hair (or an object before the mouth) is filled
in around them: cut at their landmarks' polygon, a bearded CC0 father's lips were a jagged
diamond outlined in his beard's dark on his sons."""

COOL_CAST = 0.1
"""How much bluer than the skin's typical colour (blue over red, :func:`_without_cool_casts`) a
pixel of a source's skin low band is taken wholly for a cool cast and given the skin's colour at
its own brightness; less bluer, in proportion. A dark-skinned CC0 father's shiny forehead and
cheekbones reflected a cool daylight: mixed into his children's skin it was a grey-lavender veil
over their cheeks, under their eyes and on their foreheads. Pulled only from 0.03 bluer on (fully
at 0.13), some of that veil stayed; from the skin's own colour on, every face's skin is a little
more even in hue (the astronaut's cheekbones 0.05 less blue against red: 0.775 → 0.722)."""

RING_WIDTH = 0.03
"""Gaussian sigma (fraction of the frame) of the skin ring around a feature that sets its level."""

MAX_ATTEMPTS = 16
"""Draws per candidate before giving up when the detector does not find exactly one face. Some
couples' babies are hard for dlib's detector (brown skin under brown baby hair, the face's outline
faint): of 96 research baby girls (12 couples, seed 1), 31 needed a second draw or more and one its
eighth, on a couple whose rejected renders were plain baby faces to the eye. With 8 draws the
whole generation fails on such a candidate; a draw costs about 0.3 s at 512², and only when it is
refused."""

DETECT_SIDE = 512
"""Side a render is searched at: a larger one is searched in a copy this size only (searched
again at full size with one upsampling, as :func:`~genetics.faces.detect_faces` refines a box, a
1024² candidate took 0.4 s more)."""


@functools.lru_cache(maxsize=None)
def file_sha256(path: str) -> str:
    """Return a file's sha256 hex digest (cached per process: the model files never change)."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def prepare_face(image: np.ndarray, *, face_box: FaceBox | None = None, model_key: str = "") -> PreparedParent:
    """Gate (:func:`genetics.gate.gate_face`), FFHQ-align and embed a face; return it as an offline
    PreparedParent; ``meta`` carries the gate's facts (``low_resolution``, ``monochrome``, ``tone``…).

    ``arrays``: ``aligned`` uint8 ``[1024, 1024, 3]``, ``landmarks`` float64 ``[68, 2]`` in unit
    coordinates of the aligned frame, ``embedding`` float64 ``[128]``.
    """
    from genetics.gate import gate_face
    from genetics.metrics import embed_face

    image = check_image(image)
    gated = gate_face(image, box=face_box)
    aligned, landmarks, _ = gated.aligned(ALIGNED_SIZE)
    # Only hair in the photo counts, not the padding past its edge (a headshot cropped at the brow).
    shown = ffhq_coverage(gated.image.shape, gated.face.landmarks, ALIGNED_SIZE)
    glasses = read_glasses(aligned, landmarks)
    meta = dict(
        gated.meta(),
        image_sha256=hashlib.sha256(image.tobytes()).hexdigest(),
        image_shape=list(image.shape),
        glasses=glasses.as_meta(),
        facial_hair=facial_hair_shares(aligned, landmarks),
        hair_colour=_listed(portrait.hair_colour(aligned, landmarks, shown)),
    )
    if glasses.note:
        meta["engine_notes"] = [glasses.note]
    return PreparedParent(
        engine=ENGINE_NAME,
        model_key=model_key,
        arrays={"aligned": aligned, "landmarks": landmarks, "embedding": embed_face(gated.image, gated.face)},
        meta=meta,
    )


def _listed(colour: np.ndarray | None) -> list[float] | None:
    """Return an RGB colour as JSON-safe floats for ``PreparedParent.meta`` (None stays None)."""
    return None if colour is None else [round(float(v), 2) for v in colour]


def build_pool(entries: list[tuple[np.ndarray | PreparedParent, str, str, str | None]]) -> GenePool:
    """Return a gene pool from ``(image or PreparedParent, age_group, gender, ancestry)`` entries.

    Images are prepared here (so they must each show one usable face); prepared faces must come
    from the offline engine.
    """
    faces = []
    for source, age_group, gender, ancestry in entries:
        prepared = source if isinstance(source, PreparedParent) else prepare_face(source)
        if prepared.engine != ENGINE_NAME:
            raise ValueError(f"pool faces must be prepared by the offline engine, not {prepared.engine}")
        faces.append(PoolFace(face=prepared, age_group=age_group, gender=gender, ancestry=ancestry))
    return GenePool(faces)


@functools.lru_cache(maxsize=1)
def default_pool() -> GenePool:
    """Return the pool of public-domain portraits shipped in installed packages (built once)."""
    from genetics.samples import sample

    return build_pool([(sample(name), age, gender, ancestry) for name, age, gender, ancestry in SHIPPED_FACES])


@dataclass
class _Source:
    """One texture source at render size, warped to the reference shape, split into bands."""

    texture: np.ndarray
    shape: np.ndarray
    adult_shape: np.ndarray
    low: np.ndarray | None = None
    high: np.ndarray | None = None
    skin_low: np.ndarray | None = None
    glasses: bool = False
    dark_glasses: bool = False
    facial_hair: tuple[str, ...] = ()
    hair_colour: np.ndarray | None = None
    whites: float | None = None
    """The luma of the whites of its eyes (:func:`~genetics.offline.eye_whites.whites_level`)."""
    feature_skin: dict[str, np.ndarray] = field(default_factory=dict)
    feature_contrast: dict[str, np.ndarray] = field(default_factory=dict)
    feature_level: dict[str, np.ndarray] = field(default_factory=dict)
    """Per feature, the photo's skin around it as it lies in the photo, side light and all, from
    side to side (float32 ``[1, S, 3]``, low band: :func:`_spread`)."""
    mirrored: dict[str, np.ndarray] = field(default_factory=dict)
    """Per skin-coloured feature, the low band with its shading mirror-averaged
    (:meth:`_Renderer._mirrored_shading`), made when first needed."""
    brow_darkness: np.ndarray | None = None
    """How far the brows darken the skin, float32 ``[S, S]`` in 0-1 (:meth:`_Renderer._brow_darkness`),
    made when first needed."""


def _mean_under(weight: np.ndarray, image: np.ndarray) -> np.ndarray:
    """Mean colour ``[3]`` of ``image`` ``[S, S, 3]`` under a soft mask ``weight`` ``[S, S, 1]``."""
    # As one matrix product: a twentieth of the time of summing the weighted image.
    return (weight.reshape(1, -1) @ image.reshape(-1, 3))[0] / max(float(weight.sum()), 1e-6)


class OfflineEngine:
    """Landmark-and-texture engine implementing :class:`genetics.engine.Engine`."""

    name = ENGINE_NAME
    version = ENGINE_VERSION

    def __init__(self, pool: GenePool | None = None, references: ReferenceSet | None = None) -> None:
        """``references``: faces of known age and sex whose prototypes give candidates their
        age appearance (:mod:`genetics.offline.prototypes`); without them, or with too few for
        the asked age band, proportion rules alone apply and each candidate says so."""
        self._pool = pool
        self.references = references if references is not None else ReferenceSet([])

    @property
    def pool(self) -> GenePool:
        """Return the gene pool: the one given, else empty (the parents act as the pool).

        The shipped two-portrait pool (:func:`default_pool`) is no longer the default: two adult
        women drawn into three of seven genes pulled every couple's children towards them.
        """
        if self._pool is None:
            self._pool = GenePool()
        return self._pool

    def model_checksums(self) -> dict[str, str]:
        """Return the sha256 of the dlib model files the engine uses (the CNN detector's too: the
        gate accepts a face it confirms, :mod:`genetics.weak_faces`)."""
        names = (LANDMARKS_MODEL, EMBEDDING_MODEL, CNN_DETECTOR_MODEL)
        return {name: file_sha256(str(model_path(name))) for name in names}

    def model_key(self) -> str:
        """Return ``offline-<version>-<digest of the model checksums>``."""
        joined = "".join(f"{k}={v};" for k, v in sorted(self.model_checksums().items()))
        return f"{ENGINE_NAME}-{ENGINE_VERSION}-{hashlib.sha256(joined.encode()).hexdigest()[:12]}"

    def prepare_parent(self, image: np.ndarray, *, face_box: FaceBox | None = None) -> PreparedParent:
        """Detect, align and encode a parent face from an RGB uint8 ``[H, W, 3]`` image."""
        return prepare_face(image, face_box=face_box, model_key=self.model_key())

    def candidate_as_parent(self, candidate: Candidate) -> PreparedParent:
        """Return a generated child as a parent for a further generation, without re-detecting it.

        A candidate is rendered in the aligned frame with known landmarks (``genes["landmarks"]``,
        unit coordinates), so it only needs resampling to the aligned size and an embedding.
        """
        from genetics.metrics import embed_face

        image = check_image(candidate.image)
        size = image.shape[0]
        # The candidate is a portrait with known landmarks (``genes["landmarks"]``, unit
        # coordinates of its frame): align it as a photo would be, without detecting it again.
        placed = np.asarray(candidate.genes["landmarks"], dtype=np.float64) * size
        aligned = align_ffhq(image, placed, output_size=ALIGNED_SIZE, transform_size=ALIGNED_SIZE)
        landmarks = align_landmarks(placed, ALIGNED_SIZE) / ALIGNED_SIZE
        face = DetectedFace(
            box=FaceBox(*candidate.meta["face_box"]),
            landmarks=placed,
            score=float(candidate.meta.get("detector_score", 0.0)),
            image_size=(size, size),
        )
        meta = {
            "face_box": face.box.as_list(),
            "image_sha256": hashlib.sha256(image.tobytes()).hexdigest(),
            "image_shape": list(image.shape),
            "detector_score": face.score,
            "yaw": 0.0,
            "glasses": read_glasses(aligned, landmarks).as_meta(),
            "facial_hair": facial_hair_shares(aligned, landmarks),
            "hair_colour": _listed(portrait.hair_colour(aligned, landmarks)),
            "from_candidate": True,
            "monochrome": bool(candidate.meta.get("monochrome", False)),
            "tint": candidate.meta.get("tint", [0.0, 0.0]),
        }
        return PreparedParent(
            engine=ENGINE_NAME,
            model_key=self.model_key(),
            arrays={"aligned": aligned, "landmarks": landmarks, "embedding": embed_face(image, face)},
            meta=meta,
        )

    def generate(self, father: PreparedParent, mother: PreparedParent, params: GenerationParams) -> GenerationResult:
        """Generate ``params.num_candidates`` children; same inputs + seed → identical images."""
        for role, parent in (("father", father), ("mother", mother)):
            if parent.engine != ENGINE_NAME:
                raise ValueError(
                    f"the {role} was prepared by the {parent.engine!r} engine; prepare it again with the offline engine"
                )
        size = params.resolution
        if not MIN_RESOLUTION <= size <= MAX_RESOLUTION:
            raise ValueError(f"resolution must be between {MIN_RESOLUTION} and {MAX_RESOLUTION}")
        started = time.perf_counter()
        selection = self.pool.select(params.age_group, params.gender, params.ancestry)
        renderer = _Renderer(
            size,
            [father, mother] + [f.face for f in selection.faces],
            [None, None] + [f.age_group for f in selection.faces],
            params.age_group,
            age_transform=self.references.transform(params.age_group, params.gender),
            stated_hair=params.hair_colours,
            parent_ages=params.parent_ages,
        )
        renderer.age_status = dict(
            self.references.status(params.age_group, params.gender), fingerprint=self.references.fingerprint()
        )
        transform = renderer.age_transform
        if transform is not None:
            parents = [father.arrays["embedding"], mother.arrays["embedding"]]
            closed_lips = params.age_group in CLOSED_MOUTH_AGES
            renderer.expected_mixture = transform.expected_mixture(params.age_group, parents, closed_lips=closed_lips)
            if transform.resemblance(params.age_group, parents) is not None:
                renderer.age_status["favours_resemblance"] = True
                renderer.age_status["message"] = (
                    f"{renderer.age_status['message']} Each candidate's mix of those faces favours the ones "
                    "that most resemble the parents, as the face descriptor measures it (no ancestry or "
                    "other trait is inferred)."
                )
            smiling = int(transform.left_out(closed_lips=closed_lips).sum())
            if smiling:
                renderer.age_status["smiling_left_out"] = smiling
                renderer.age_status["message"] = (
                    f"{renderer.age_status['message']} The {smiling} smiling "
                    f"{'face is' if smiling == 1 else 'faces are'} left out of the mix: a baby's lips are drawn "
                    "closed, and a smile pressed shut looks like a grimace."
                )
        set_up = time.perf_counter() - started

        candidates = [self._candidate(renderer, params, index, selection) for index in range(params.num_candidates)]
        total = time.perf_counter() - started
        return GenerationResult(
            engine=ENGINE_NAME,
            engine_version=ENGINE_VERSION,
            model_checksums=self.model_checksums(),
            params=params,
            candidates=candidates,
            timings={"setup_s": set_up, "total_s": total, "per_candidate_s": (total - set_up) / params.num_candidates},
        )

    def _candidate(
        self, renderer: "_Renderer", params: GenerationParams, index: int, selection: PoolSelection
    ) -> Candidate:
        """Return candidate ``index``: genes, render and detector check, redrawn on failure.

        ``genes``: ``landmarks`` ``[68, 2]`` (unit coordinates), ``weights`` ``[7, 3]`` father /
        mother / pool per gene (:data:`~genetics.offline.genes.GENES` order) and
        ``dominant_sources`` ``[8]`` (each gene's strongest source, then the hair source; 0 father,
        1 mother, 2+ pool face).
        """
        for attempt in range(MAX_ATTEMPTS):
            rng = np.random.default_rng(np.random.SeedSequence([params.seed, index, attempt]))
            genes = draw_genes(
                rng,
                gamma=params.gamma,
                eta=params.eta,
                pool_size=len(selection.faces),
                regions=params.regions,
                age_group=params.age_group,
            )
            # The hairstyle and the clothes have streams of their own, so they never shift the
            # genes' draws (nor the clothes, added in 0.1.10, the hairstyle's).
            style = portrait.draw_style(
                np.random.default_rng(np.random.SeedSequence([params.seed, index, attempt, 1])),
                age_group=params.age_group,
                gender=params.gender,
            )
            garment = portrait.draw_garment(
                np.random.default_rng(np.random.SeedSequence([params.seed, index, attempt, 3]))
            )
            # The age look's mixture of reference faces has a stream of its own too.
            mixture = None
            if renderer.age_transform is not None and renderer.age_transform.sex_only:
                # An adult keeps all of the parents' faces: only the sex's mean look is added, not
                # some reference adults' own features on top of the parents'.
                count = renderer.age_transform.target.count
                mixture = np.full(count, 1.0 / count)
            elif renderer.age_transform is not None:
                mixture = mixture_weights(
                    np.random.default_rng(np.random.SeedSequence([params.seed, index, attempt, 2])),
                    renderer.age_transform.target.count,
                    VARIETY_FACES[params.age_group],
                    renderer.expected_mixture,
                )
            hair, hair_from, hair_stated = renderer.hair_colour(genes.hair)
            image, shape = renderer.render(genes, style, mixture, garment, hair)
            # Kept only when dlib, as a reader of the portrait runs it (one upsampling, the
            # default), finds exactly one face: accepted when either pyramid level found one,
            # 6 of 96 babies of research couples were faces no default detector saw (washed-out
            # features, ghost brows), and evaluate counted them out of one_face_share. That face
            # must pass the checks a photo of it would (:func:`~genetics.faces.choose_face`): a
            # baby whose mouth came out askew read as turned to a profile, and embedding it (to
            # rank a found photo, or in evaluate) was refused.
            scale = max(1.0, image.shape[0] / DETECT_SIDE)
            searched = image
            if scale > 1.0:
                searched = cv2.resize(image, (DETECT_SIDE, DETECT_SIDE), interpolation=cv2.INTER_AREA)
            found = detect_faces(searched, upsample=1)
            if len(found) == 1 and _usable(found[0]):
                best = found[0]
                return Candidate(
                    index=index,
                    image=image,
                    genes={
                        "landmarks": shape,
                        "weights": genes.weight_table(),
                        "dominant_sources": np.array(
                            [genes.genes[g].dominant() for g in GENES] + [genes.hair], dtype=np.int64
                        ),
                    },
                    meta={
                        "attempt": attempt,
                        "face_box": [round(v * scale) for v in best.box.as_list()],
                        "detector_score": best.score,
                        "crossed": list(genes.crossed),
                        "hair_source": _source_name(genes.hair),
                        "hair_colour_from": hair_from,
                        "hair_colour_stated": hair_stated,
                        "hair_style": style.length,
                        "monochrome": renderer.tint is not None,
                        "tint": list(renderer.tint or (0.0, 0.0)),
                        "pool_level": selection.level,
                        "age_reference": renderer.age_status,
                        "pool": self.pool.fingerprint(),
                    },
                )
        raise SynthesisFailed(
            f"candidate {index}: the detector did not find exactly one usable face in {MAX_ATTEMPTS} renders; "
            "try other photos or another seed"
        )


def _usable(face: DetectedFace) -> bool:
    """Return whether a render's one detected face passes the checks a photo's face would."""
    try:
        choose_face([face])
    except FaceError:
        return False
    return True


def _without_cool_casts(skin_low: np.ndarray, face: np.ndarray) -> np.ndarray:
    """Return a source's skin low band (float32 ``[S, S, 3]``) with what is bluer than its skin's
    typical colour (the median chromaticity over ``face``, bool ``[S, S]``; blue against red) pulled
    to that colour at its own brightness, fully from :data:`COOL_CAST` bluer: a cool light's or a
    shine's cast is the photo's, not the skin's."""
    pixels = skin_low + 1.0
    level = luma(pixels)[..., None]
    chroma = pixels / level
    typical = np.median(chroma[face], axis=0)
    cool = chroma[..., 2] / chroma[..., 0] - typical[2] / typical[0]
    share = np.clip(cool / COOL_CAST, 0.0, 1.0)[..., None]
    return ((chroma + share * (typical - chroma)) * level - 1.0).astype(np.float32)


def _spread(weight: np.ndarray, image: np.ndarray) -> np.ndarray:
    """Return the level of ``image`` (``[S, S, 3]``) under ``weight`` (``[S, S, 1]``) column by
    column, smoothed across columns over :data:`FEATURE_SKIN_SPREAD` (float32 ``[1, S, 3]``, one
    row that stands for every row): how the skin around a feature changes from side to side, as
    side light makes it. Not up and down: under the brows the ring lies in the eye socket's shade,
    and the forehead above, levelled to it, turned grey."""
    size = image.shape[0]
    sigma = FEATURE_SKIN_SPREAD * size
    column_weight = cv2.GaussianBlur(weight[..., 0].sum(axis=0)[None, :], (0, 0), sigma, sigmaY=0.1)
    column_sum = cv2.GaussianBlur((image * weight).sum(axis=0)[None, :, :], (0, 0), sigma, sigmaY=0.1)
    return (column_sum / np.maximum(column_weight[..., None], 1e-6)).astype(np.float32)


def _lit_skin(pixels: np.ndarray, skin: np.ndarray, child_skin: np.ndarray) -> np.ndarray:
    """Return what ``pixels`` of a parent's nose (float ``[S, S, 3]``, offset by 1) become on the
    child: ``child_skin`` (``[1, S, 3]`` or ``[3]``, offset by 1) as bright against it as each pixel
    is against the parent's ``skin`` around it (same shape), in the child's skin colour
    (:data:`SKIN_COLOURED_FEATURES`).

    Brighter than that skin, a pixel is lit more. The shine is light added to the skin's, not the
    skin's colour times more light: on a lighter child it stands out less (its brightness over the
    skin's, less 1, times the parent's skin's luma over the child's, when the child's is lighter).
    """
    brightness = (luma(pixels) / luma(skin))[..., None]
    darker = np.minimum(luma(skin) / luma(child_skin), 1.0)[..., None]
    return child_skin * np.where(brightness > 1.0, 1.0 + (brightness - 1.0) * darker, brightness)


def _parting_kept(offset: np.ndarray) -> np.ndarray:
    """Return a landmark offset ``[68, 2]`` whose inner lips (points 60-67) move with the outer
    lips' mean offset: the lips' outline takes the offset, their parting stays the parents'."""
    kept = np.array(offset, dtype=np.float64)
    kept[60:68] = kept[48:60].mean(axis=0)
    return kept


def _unlaughed(laughing: np.ndarray, lips: np.ndarray) -> np.ndarray:
    """Return a laughing face's landmarks (``[68, 2]``) with its jaw closed (the lower lip and
    chin risen by the drop, :func:`~genetics.offline.geometry.close_mouth`) and ``lips``' mouth
    in its place, at its width up to :data:`LAUGH_WIDTH` (:func:`~genetics.offline.geometry.fit_mouth`)."""
    return geometry.fit_mouth(geometry.close_mouth(laughing), lips, widest=LAUGH_WIDTH)


def _source_name(source: int) -> str:
    return {FATHER: "father", MOTHER: "mother"}.get(source, f"pool[{source - POOL_START}]")


class _Renderer:
    """Per-generation state: sources at render size, the reference shape, its mesh and masks."""

    def __init__(
        self,
        size: int,
        faces: list[PreparedParent],
        age_groups: list[str | None],
        target_age: str,
        *,
        age_transform: AgeTransform | None = None,
        stated_hair: tuple[str, str] = ("", ""),
        parent_ages: tuple[int | None, int | None] = (None, None),
    ) -> None:
        self.size = size
        # The parents' natural hair colours as their records state them; a hat, greying or a crop
        # at the forehead hides the colour in a photo.
        self.stated_hair = {
            source: portrait.STATED_HAIR[name] for source, name in zip((FATHER, MOTHER), stated_hair) if name
        }
        # Their ages on their photos, where the records give them: a young parent's hair is not greying.
        self.parent_ages = dict(zip((FATHER, MOTHER), parent_ages))
        self.faces = faces
        self.age_groups = age_groups
        self.target_age = target_age
        self.growth = geometry.growth_for(target_age)
        self.sources: dict[int, _Source] = {}
        self.age_transform = age_transform
        father, mother = (landmarks_of(f) for f in faces[:2])
        if self._narrows_laughs:
            # The frame the textures are mixed in has no laugh in it either: half of a laugh's
            # dropped jaw and open mouth in it stretched the other parent's closed lips into a
            # pout, which the child's mouth took when its lips were that parent's.
            laughs = [self._wears(s, "laugh") for s in (FATHER, MOTHER)]
            if laughs == [True, False]:
                father = _unlaughed(father, mother)
            elif laughs == [False, True]:
                mother = _unlaughed(mother, father)
        # Closed in the frame the textures are mixed in too: the reference faces' closed lips
        # stretched over a parent's open smile, then squeezed shut again, smeared around the mouth.
        mean = (father + mother) / 2.0
        if self._keeps_parting:
            # Parted as the wider-parted parent's: a parent's teeth squeezed into the mean's
            # narrower opening, then stretched back to that parent's opening in the child, were a
            # blur of lip colour. The reference faces' lips stretched over that opening do not
            # show: between the lips the child's texture is the parents' own (_mouth_inside).
            mean = geometry.parted_as_widest(mean, (father, mother))
        self.reference = self._closed_mouth(mean)
        self.reference_mesh = geometry.mesh_points(self.reference)
        self.triangles = geometry.triangulate(self.reference_mesh)
        self.masks = blending.region_masks(self.reference, size)
        self.face_mask = sum(self.masks.values())
        # Where a child's lips keep their parents' parting, what shows between them is theirs.
        self.mouth_inside = self._mouth_inside() if self._keeps_parting else None
        # Each feature's rectangle, where its pixels are computed: 6-10 % of the frame (the
        # demo couple's child), whose rest, where the mask is zero, took the same arithmetic.
        self.boxes = {name: blending.mask_box(self.masks[name]) or np.s_[:, :] for name in blending.FEATURES}
        # The skin just around each feature (its ring in the outline region), where a feature's
        # level is matched to the skin it sits on. Only the ring's lower half: above the brows a
        # parent's fringe may cover the forehead, and hair read as skin paled the brows' region.
        self.rings = {}
        rows = np.arange(size, dtype=np.float32)[:, None]
        for name in blending.FEATURES:
            mask = self.masks[name]
            middle = float((mask * rows).sum() / max(mask.sum(), 1e-6))
            near = cv2.GaussianBlur(mask, (0, 0), RING_WIDTH * size) * (rows >= middle)
            self.rings[name] = (self.masks["outline"] * near)[..., None]
        self.mirror_x, self.mirror_y = geometry.mirror_maps(self.reference, size)
        # Where the mirror image falls inside the face: a face turned a little is wider on one
        # side, whose jaw edge mirrored lands past the other's, on the photo's backdrop (the flag
        # behind Biden came back as a blue patch on his children's jaw).
        self.mirror_inside = cv2.remap(
            self.face_mask.astype(np.float32), self.mirror_x, self.mirror_y, cv2.INTER_LINEAR, borderValue=0.0
        )[..., None]
        self.age_status: dict[str, object] = {}
        # Expected weights of each candidate's mixture of the band's faces (None: evenly).
        self.expected_mixture: np.ndarray | None = None
        self.adult_prototype: tuple[np.ndarray, np.ndarray] | None = None
        self.target_maps: tuple[np.ndarray, np.ndarray] | None = None
        self.identity: np.ndarray | None = None
        # How much more of the parents' broad structure than of their finer detail a child keeps.
        self.broad_gain: np.ndarray | None = None
        self.transfer: np.ndarray | None = None
        # How many times the sex's shape difference an adult (or a teenager without references,
        # or one whose band pools both sexes) gains.
        self.sex_gain = 0.0
        # The asked sex's adult prototype whose look a pooled band gains, as _in_reference gives it.
        self.sex_prototype: tuple[np.ndarray, np.ndarray] | None = None
        if age_transform is not None:
            adult, target = age_transform.adult, age_transform.target
            adult_maps = geometry.warp_maps(
                geometry.mesh_points(adult.shape), self.reference_mesh, self.triangles, size
            )
            self.adult_prototype = self._in_reference(adult.texture, adult_maps)
            # Each candidate mixes the band's faces anew; their common shape's warp is made once.
            self.target_maps = geometry.warp_maps(
                geometry.mesh_points(target.shape), self.reference_mesh, self.triangles, size
            )
            # (shape, texture) gains of the sex's difference: the sex transform's, else a pooled
            # band's part of the asked sex's adult look.
            gains: tuple[float, float] | None = None
            if age_transform.sex_only:
                gains = (SEX_TRANSFORM[age_transform.sex],) * 2
            elif age_transform.sex_look is not None:
                look = age_transform.sex_look
                look_maps = geometry.warp_maps(
                    geometry.mesh_points(look.shape), self.reference_mesh, self.triangles, size
                )
                self.sex_prototype = self._in_reference(look.texture, look_maps)
                gains = POOLED_SEX_TRANSFORM
            if gains is not None:
                self.sex_gain, texture_gain = gains
                self.transfer = (texture_gain * (1.0 - self.masks["mouth"]))[..., None]
            if not age_transform.sex_only:
                # The parents' share kept per pixel: the band's, and more in some features.
                identity = np.full((size, size), REFERENCE_IDENTITY[target_age], dtype=np.float32)
                for name, kept in FEATURE_IDENTITY.get(target_age, {}).items():
                    mask = self.masks[name]
                    if name == "nose":
                        mask = mask * self._below_nose_bridge()
                    identity = identity * (1.0 - mask) + kept * mask
                self.identity = identity[..., None]
                broad = BROAD_IDENTITY.get(target_age)
                if broad is not None:
                    self.broad_gain = np.maximum(broad - self.identity, 0.0)
        # A monochrome parent photo makes a monochrome portrait, in the mean tint of those photos.
        self.tint: tuple[float, float] | None = shared_tint([face.meta for face in faces[:2]])

    def _closed_mouth(self, landmarks: np.ndarray) -> np.ndarray:
        """Return ``landmarks`` with the lips parted no wider than the target age band allows
        (:data:`WIDEST_OPENING`), or closed when it is drawn so (:data:`CLOSED_MOUTH_AGES`), then
        part of the way to the band's prototype's mouth shape when there is one
        (:data:`MOUTH_TEMPLATE_SHARE`: a parent's wide smile is not inherited whole)."""
        if self._keeps_parting:
            return geometry.close_mouth(landmarks, WIDEST_OPENING[self.target_age])
        if self.target_age not in CLOSED_MOUTH_AGES:
            return landmarks
        if self.age_transform is not None and not self.age_transform.sex_only:
            landmarks = geometry.fit_mouth(landmarks, self.age_transform.target.shape, MOUTH_TEMPLATE_SHARE)
        return geometry.close_mouth(landmarks)

    def _mouth_inside(self) -> np.ndarray:
        """Return float32 ``[S, S, 1]``: what shows between the reference shape's parted lips (teeth,
        the mouth's dark), :data:`MOUTH_INSIDE_HEIGHT` times the opening's height, feathered by
        :data:`MOUTH_INSIDE_FEATHER`."""
        return self._soft_openings([self.reference[60:68]], (1.0, MOUTH_INSIDE_HEIGHT))

    def _soft_openings(self, outlines: list[np.ndarray], growth: tuple[float, float]) -> np.ndarray:
        """Return float32 ``[S, S, 1]``: the ``outlines`` (unit coordinates on the reference shape)
        grown about their middles by ``growth`` (width, height), filled and feathered by
        :data:`MOUTH_INSIDE_FEATHER`."""
        filled = blending.fill_grown(self.size, outlines, growth)
        return cv2.GaussianBlur(filled, (0, 0), MOUTH_INSIDE_FEATHER * self.size)[..., None]

    @functools.cached_property
    def eye_openings(self) -> np.ndarray:
        """Return float32 ``[S, S, 1]``: the eyes' openings on the reference shape (points 36-41,
        42-47, grown by :data:`OPENING_GROWTH`; the whites, iris and pupil), feathered as the
        mouth's inside is (:data:`MOUTH_INSIDE_FEATHER`)."""
        return self._soft_openings([self.reference[36:42], self.reference[42:48]], OPENING_GROWTH)

    def _mirrored_shading(self, source: _Source, name: str) -> np.ndarray:
        """Return ``source``'s low band (float32 ``[S, S, 3]``) with its shading against the skin
        around feature ``name`` (:attr:`_Source.feature_level`) averaged with its mirror image
        about the face's midline, as the skin's is: a side light's shadow down one side of a
        father's nose showed on his sons as a dark smudge beside their nose."""
        if name not in source.mirrored:
            level = source.feature_level[name] + 1.0
            source.mirrored[name] = self._mirror_averaged((source.low + 1.0) / level) * level - 1.0
        return source.mirrored[name]

    def _mirrored(self, image: np.ndarray) -> np.ndarray:
        """Return float32 ``image`` (reference shape) mirrored about the face's midline (the
        landmarks' mirror, :func:`~genetics.offline.geometry.mirror_maps`)."""
        return cv2.remap(image, self.mirror_x, self.mirror_y, cv2.INTER_LINEAR, borderMode=cv2.BORDER_REFLECT)

    def _mirror_averaged(self, image: np.ndarray) -> np.ndarray:
        """Return float32 ``image`` (``[S, S, C]``, reference shape) averaged with its mirror image
        about the face's midline, inside the face: side light is the photo's, not the face's."""
        return (image + self.mirror_inside * self._mirrored(image)) / (1.0 + self.mirror_inside)

    def _without_brows(self, image: np.ndarray) -> np.ndarray:
        """Return float32 ``image`` (a low band, ``[S, S, 3]``) with the brows' region filled in
        from the skin around it (:data:`BROW_FILL`)."""
        zone = np.clip(self.masks["brows"] * BROW_FILL, 0.0, 1.0)
        offset = np.clip(image + 0.5, 0, 255).astype(np.uint8)
        filled = blending.fill_from_skin(offset, zone, np.zeros_like(zone), self.masks["outline"])
        return filled.astype(np.float32)

    def _brows_on_skin(
        self, source: _Source, contrast: np.ndarray, skin_low: np.ndarray, box: tuple[slice, slice]
    ) -> np.ndarray:
        """Return a candidate's brow patch (float32, the reference shape's ``box``, fine detail
        included): the candidate's own skin there (``skin_low``, as round the patch), darkened pixel
        by pixel as ``source``'s brow darkens its own skin (:meth:`_brow_darkness`), that darkness
        deepened or lightened to the gene's ``contrast``.

        Taken as the photo's patch, rescaled from the skin round it (as the eyes and mouth are), a
        parent's brighter forehead in the patch stood out as a pale rim round the brow, and black
        brows moved in colour onto paler skin turned blue-grey (children until 0.1.16, adults until
        0.1.57). Here nothing paler than the parent's skin passes (grey hair at the temple, a
        highlight), and the brow takes the candidate's skin colour, darker.
        """
        darkness = self._brow_darkness(source)[box]
        # How dark the gene's brows are against the source's: a brow barely darker than its skin
        # (fair brows) keeps its own darkness, as no depth can be read from it.
        own = 1.0 - float(luma(source.feature_contrast["brows"]))
        depth = float(np.clip((1.0 - float(luma(contrast))) / own, 0.0, 3.0)) if own > 0.05 else 1.0
        ratio = np.clip(1.0 - darkness * depth, 0.0, 1.0)[..., None]
        return (skin_low[box] + 1.0) * ratio - 1.0

    def _brow_darkness(self, source: _Source) -> np.ndarray:
        """Return float32 ``[S, S]`` in 0-1: how far ``source``'s brows darken its skin (against its
        low band with the brows filled in from the skin round them), kept where its mirror image
        about the face's midline is as dark (:data:`BROW_SYMMETRY_BLUR`). A lock of hair at one
        temple lay inside the brow's region and came out as a dark tangle over a candidate's brow
        end (CC0 couple k09's daughters); brows have a twin on the other side, a lock has not."""
        if source.brow_darkness is None:
            darkness = self._darkness_against_skin(source)
            sigma = BROW_SYMMETRY_BLUR * self.size
            own, twin = (cv2.GaussianBlur(d, (0, 0), sigma) for d in (darkness, self._mirrored(darkness)))
            source.brow_darkness = darkness * np.clip(twin / np.maximum(own, 1e-3), 0.0, 1.0)
        return source.brow_darkness

    def _darkness_against_skin(self, source: _Source) -> np.ndarray:
        """Return float32 ``[S, S]`` in 0-1: how far ``source``'s face darkens its skin, read against
        its low band with the brows filled in from the skin round them (:meth:`_without_brows`)."""
        skin = self._without_brows(source.low)
        darkness = 1.0 - np.minimum(luma(source.low + source.high + 1.0) / luma(skin + 1.0), 1.0)
        return darkness.astype(np.float32)

    @functools.cached_property
    def lens_zone(self) -> np.ndarray:
        """Where glasses would lie on the reference shape (:func:`~genetics.offline.glasses.
        lens_zone`), made only when some source wears them."""
        return lens_zone(self.reference, self.size)

    @functools.cached_property
    def lips(self) -> np.ndarray:
        """The lips on the reference shape (:func:`~genetics.offline.facial_hair.lips_mask`), kept
        where a source's facial hair or an object before its mouth is filled in, feathered by
        :data:`LIPS_FEATHER`."""
        # Feathered inwards, from nothing at the outline: feathered across it, half of a beard
        # beside the lips was kept as a dark rim.
        soft = cv2.GaussianBlur(lips_mask(self.reference, self.size), (0, 0), LIPS_FEATHER * self.size)
        return np.clip(2.0 * soft - 1.0, 0.0, 1.0)

    def _below_nose_bridge(self) -> np.ndarray:
        """Return float32 ``[S, 1]`` (one value per row): 0 above the nose's middle (landmark 29), rising to 1 at its
        tip (30). More of a parent's bridge, between the eyes, showed as a grey smudge on a
        child's paler skin; the tip and nostrils carry the likeness."""
        rows = np.arange(self.size, dtype=np.float32)[:, None] / self.size
        middle, tip = float(self.reference[29, 1]), float(self.reference[30, 1])
        return np.clip((rows - middle) / max(tip - middle, 1e-6), 0.0, 1.0)

    def _in_reference(self, texture: np.ndarray, maps: tuple[np.ndarray, np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
        """Return a prototype texture (float32 ``[P, P, 3]``) as ``(texture + 1, skin + 1)``: warped
        by ``maps`` to the reference shape (the frame the parents' textures are mixed in), and its
        mean skin colour ``[3]``, offset by 1 as the colour ratios need."""
        texture = cv2.resize(texture, (self.size, self.size), interpolation=cv2.INTER_LINEAR)
        texture = cv2.remap(texture, *maps, cv2.INTER_LINEAR, borderMode=cv2.BORDER_REFLECT)
        return texture + 1.0, _mean_under(self.masks["outline"][..., None], texture) + 1.0

    def _aged_texture(self, texture: np.ndarray, skin_low: np.ndarray, mixture: np.ndarray) -> np.ndarray:
        """Return the child's texture (float, reference shape) from the parents' mix ``texture``:
        the band's references averaged with ``mixture`` (:func:`~genetics.offline.prototypes.mixture_weights`)
        plus :data:`REFERENCE_IDENTITY` (some features :data:`FEATURE_IDENTITY`, its broad
        structure :data:`BROAD_IDENTITY`) of the mix's difference from the adult prototype, both
        prototypes first scaled to the child's skin colour (the references' own skin colours are
        not the parents'). The eyes keep the mix's colour (its difference from grey)."""
        skin = _mean_under(self.masks["outline"][..., None], skin_low) + 1.0

        def on_skin(prototype: tuple[np.ndarray, np.ndarray]) -> np.ndarray:
            shifted, prototype_skin = prototype
            return shifted * (skin / prototype_skin) - 1.0

        band = self._in_reference(self.age_transform.target.mixed_texture(mixture), self.target_maps)
        target, adult = on_skin(band), on_skin(self.adult_prototype)
        if self.age_transform.sex_only:
            # An adult keeps all of the parents' face and gains the sex's difference.
            return self._with_sex_look(texture, target - adult)
        difference = texture - adult
        child = target + self.identity * difference
        if self.sex_prototype is not None:
            child = self._with_sex_look(child, on_skin(self.sex_prototype) - adult)
        if self.broad_gain is not None:
            child += self.broad_gain * blending.wide_blur(difference, BROAD_DETAIL * self.size)
        if self.mouth_inside is not None:
            # Between the lips the parents' mouth shows as it is: a parent's parting is an
            # expression, as the references' are, and the band's faces' teeth (children's, some
            # missing), averaged into a closed-lipped parent's opening, were a row of grey,
            # gapped teeth.
            box = self.boxes["mouth"]
            child[box] += self.mouth_inside[box] * (texture[box] - child[box])
        # The eyes' colour is the parents' whole (their brightness and form take the band's
        # share): at the band's share blue-eyed reference babies gave brown-eyed couples'
        # babies blue-grey irises.
        box = self.boxes["eyes"]
        eyes, mix, aged = self.masks["eyes"][box][..., None], texture[box], child[box]
        aged += eyes * ((mix - luma(mix)[..., None]) - (aged - luma(aged)[..., None]))
        return child

    def _with_sex_look(self, texture: np.ndarray, difference: np.ndarray) -> np.ndarray:
        """Return ``texture`` plus a sex's ``difference`` from the adults of both sexes: its
        brightness by :attr:`transfer`, its colour once (colour doubled turned brows blue)."""
        brightness = luma(difference)[..., None]
        return texture + self.transfer * brightness + (difference - brightness) * np.minimum(self.transfer, 1.0)

    def source(self, index: int, *, bands: bool = True) -> _Source:
        """Return source ``index`` (0 father, 1 mother, 2+ pool), warping and splitting it once."""
        if index not in self.sources:
            face = self.faces[index]
            texture = face.arrays["aligned"]
            if texture.shape[0] != self.size:
                texture = cv2.resize(texture, (self.size, self.size), interpolation=cv2.INTER_AREA)
            shape = landmarks_of(face)
            # A coloured light on the whites of the eyes would read as the child's eye colour.
            texture = eye_whites_balanced(texture, shape)
            group = self.age_groups[index]
            adult = geometry.to_adult(shape, group) if group else shape
            # Faces prepared before 0.1.30 carry the bridge's reading alone.
            glasses = (
                GlassesReading.from_meta(face.meta["glasses"])
                if "glasses" in face.meta
                else read_glasses(face.arrays["aligned"], shape)
            )
            # Faces prepared before 0.1.12 (an adopted candidate's stored genes) carry no readings.
            hair = face.meta["hair_colour"] if "hair_colour" in face.meta else portrait.hair_colour(texture, shape)
            shares = face.meta.get("facial_hair")
            if not shares or "chin_redness" not in shares:  # read before 0.1.29, without the stubble's colour
                shares = facial_hair_shares(face.arrays["aligned"], shape)
            self.sources[index] = _Source(
                texture=texture,
                shape=shape,
                adult_shape=adult,
                glasses=glasses.wears,
                dark_glasses=glasses.dark,
                facial_hair=wears_facial_hair(shares),
                hair_colour=None if hair is None else np.asarray(hair, dtype=np.float64),
                whites=whites_level(texture, shape),
            )
        src = self.sources[index]
        if bands and src.low is None:
            texture = src.texture
            if self.target_age in CLOSED_MOUTH_AGES:
                # Closed lips show none of a parent's teeth (genetics.offline.closed_lips).
                texture = without_teeth(texture, src.shape)
            normalised = geometry.warp(texture, geometry.mesh_points(src.shape), self.reference_mesh, self.triangles)
            filled = None
            # What glasses, facial hair and objects are filled in from: the face's skin and nose.
            skin = self.masks["outline"] + self.masks["nose"]
            if src.glasses:
                # The skin, nose bridge and cheeks this source gives are taken with its glasses
                # filled in (lens edges, frame and glare showed on a child's temple and cheeks);
                # its eyes and brows, used only when no source without glasses has any, stay.
                keep = ((self.masks["eyes"] + self.masks["brows"]) > 0.5).astype(np.float32)
                normalised = blending.fill_from_skin(normalised, self.lens_zone, keep, skin)
                filled = np.clip(self.lens_zone - keep, 0.0, 1.0)[..., None]
            if src.facial_hair:
                # A moustache or beard is grooming, not a gene: filled in from the skin around
                # (a father's moustache showed on his daughters and his babies), the lips kept.
                zone = facial_hair_zone(self.reference, self.size, src.facial_hair)
                normalised = blending.fill_from_skin(normalised, zone, self.lips, skin)
            objects = foreign_colours(normalised, self.reference)
            if objects.any():
                # Something held in front of the lower face (a straw: a red line down a mother's
                # chin passed to her children) is not the face: filled in from its skin.
                normalised = blending.fill_from_skin(normalised, objects, self.lips, skin)
            normalised = without_lipstick(normalised, self.reference)
            src.low, src.high = blending.split_bands(normalised)
            if filled is not None:
                # The skin's fine detail there is a parent's without glasses (filled alone, the
                # lenses' shapes showed as patches of no texture), or none.
                donor = next((s for s in (FATHER, MOTHER) if not self._wears(s, "glasses")), None)
                detail = self.source(donor).high if donor is not None else 0.0
                src.high = src.high * (1.0 - filled) + detail * filled
            # Only the skin is averaged: hair framing a face darkened its edge (a black-haired
            # mother's children had dark temples round a pale mask).
            skin_low = blending.skin_low_band(
                normalised, 1.0 / self.growth.skin_detail, trusted=skin_trust(normalised, self.reference)
            )
            # Side lighting (one cheek in shadow) is the photo's, not the face's: average the
            # skin's shading with its mirror image about the face's midline.
            src.skin_low = _without_cool_casts(self._mirror_averaged(skin_low), self.masks["outline"] > 0.5)
            for name in blending.FEATURES:
                # The skin around a feature, and how the feature's colour relates to it (brows
                # darker, lips redder): that ratio, not the parent's skin, is what a child inherits.
                mask, ring = self.masks[name][..., None], self.rings[name]
                src.feature_skin[name] = _mean_under(ring, src.skin_low)
                src.feature_contrast[name] = (_mean_under(mask, src.low) + 1.0) / (src.feature_skin[name] + 1.0)
                src.feature_level[name] = _spread(ring, src.low)
        return src

    def render(
        self,
        genes: ChildGenes,
        style: portrait.HairStyle,
        mixture: np.ndarray | None,
        garment: np.ndarray,
        hair: np.ndarray,
    ) -> tuple[np.ndarray, np.ndarray]:
        """Return the candidate portrait uint8 ``[S, S, 3]`` and its landmarks ``[68, 2]`` (unit
        coordinates of the portrait frame). ``mixture`` weighs the band's reference faces; it is
        None exactly when there is no age transform; ``garment`` is the crew neck's colour and
        ``hair`` the hair's (:meth:`hair_colour`).

        Only the inner face (jaw and forehead hull) comes from the sources; head, ears, neck,
        shoulders, backdrop and hair are drawn (:mod:`genetics.offline.portrait`).
        """
        mouth = self._appearance_source("mouth", genes.genes["mouth"])
        shapes = {s: self.source(s, bands=False).adult_shape for s in genes.sources() | {mouth}}
        if self._narrows_laughs and not self._wears(mouth, "laugh"):
            # A laugh's lips, stretched and parted, are its expression: a laughing source gives
            # the mouth its width and place, the lips' shape is the one its pixels come from.
            for s in shapes:
                if self._wears(s, "laugh"):
                    shapes[s] = _unlaughed(shapes[s], shapes[mouth])
        adult = child_geometry(genes, shapes, mouth_pixels=mouth)
        if self.age_transform is not None and not self.age_transform.sex_only:
            # Burt & Perrett: add the age band's prototype shape difference to the adult blend.
            offset = self.age_transform.shape_offset
            if self._keeps_parting:
                # The band's faces part their lips more than the adults' (research references,
                # 3-9: 0.117 and 0.148 of the mouth's width, girls' and boys', against 0.099):
                # their smiles opened every child's mouth, by 0.05-0.07 on a CC0 couple's sons.
                offset = _parting_kept(offset)
            child = adult + offset
        else:
            child = geometry.toward_age(adult, self.target_age)
        sex_offset = None if self.age_transform is None else self.age_transform.sex_offset
        if sex_offset is not None:
            # The lips' outline takes the sex's shape, but their parting keeps the parents'
            # (moved with the lips): the reference women's smiles, twice over, opened and
            # crossed the inner lips (a torn centre).
            child = child + _parting_kept(self.sex_gain * sex_offset)
        child = self._closed_mouth(child)
        texture = self._child_texture(genes, self.growth.skin_detail, mixture)
        placed = portrait.to_portrait(child)
        face = geometry.warp(texture, self.reference_mesh, geometry.mesh_points(placed), self.triangles)
        hull = geometry.face_hull(placed)
        field = portrait.skin_field(face, placed, hull)
        image = portrait.draw_base(self.size, placed, field, hull, age_group=self.target_age, garment=garment)
        for layer in ("back", "front"):
            if layer == "front":
                image = portrait.paste_face(face, image, hull)
            image = portrait.draw_hair(image, placed, hair, style, age_group=self.target_age, hull=hull, layer=layer)
        if self.tint is not None:
            image = portrait.apply_tone(image, self.tint)
        return image, placed

    def hair_colour(self, source: int) -> tuple[np.ndarray, str, bool]:
        """Return the hair colour the hair gene's ``source`` gives the child, whose it is
        (``father``, ``mother``, ``pool[i]``, or ``unread``: :data:`portrait.DEFAULT_HAIR`), and
        whether it is a colour the records state rather than one read off a photo.

        A parent whose hair cannot be read gives the other parent's. Greying is the parent's age,
        not a gene: anyone younger than 40 gets the colour back (:func:`portrait.youthful_hair`),
        unless the parent was younger than that on the photo too (:func:`portrait.is_greyed`).
        A stated colour is the parent's natural one and is used as it is.
        """
        other = MOTHER if source == FATHER else FATHER
        young = self.target_age in ("0-2", "3-9", "10-19", "20-29", "30-39")
        for origin in (source, other):
            if origin in self.stated_hair:
                return self.stated_hair[origin].copy(), _source_name(origin), True
            colour = self.source(origin, bands=False).hair_colour
            age = self.parent_ages.get(origin)
            if colour is None or (young and portrait.is_greyed(colour, age)):
                continue
            return (
                (portrait.youthful_hair(colour, age=age) if young else np.asarray(colour, dtype=np.float64)),
                _source_name(origin),
                False,
            )
        return portrait.DEFAULT_HAIR.copy(), "unread", False

    def _appearance_source(self, name: str, gene: Gene) -> int:
        """Return the source whose pixels a feature shows: its dominant one, avoiding glasses,
        moustaches and laughs.

        Brows and eyes cut from a face with glasses show pieces of the frame, and lips cut from a
        face with a moustache its lower edge (it hangs over the lips' outline), so they come from
        the gene's strongest source without them, else from a parent without them; the geometry
        and the colour still follow the gene's weights. When every source wears glasses, clear
        lenses come before dark ones, behind which the eyes do not show (a father's sunglasses
        and a mother's clear glasses gave half their children dim, dark-ringed eyes). Lips
        parted in a laugh (:data:`LAUGH_PARTING`) come after any that are not, where the band
        closes or narrows the lips (:attr:`_narrows_laughs`): closed or narrowed to a child's, a
        laughing father's stretched lips and teeth were a grimace on his children. An adult
        keeps a laugh as it is.
        """
        lenses = [("glasses",), ("dark_glasses",)]
        lips = [("moustache", "laugh"), ("moustache",), ("laugh",)] if self._narrows_laughs else [("moustache",)]
        avoided = {"brows": lenses, "eyes": lenses, "mouth": lips}
        ranked = sorted(gene.weights, key=lambda s: (-gene.weights[s], s)) + [FATHER, MOTHER]
        for covering in avoided.get(name, ()):
            found = next((s for s in ranked if not any(self._wears(s, what) for what in covering)), None)
            if found is not None:
                return found
        return gene.dominant()

    @property
    def _keeps_parting(self) -> bool:
        """Whether the target band's lips keep their parents' parting, narrowed to a child's
        (:data:`WIDEST_OPENING`)."""
        return self.target_age in WIDEST_OPENING

    @property
    def _narrows_laughs(self) -> bool:
        """Whether the target band closes the lips or narrows their parting (a child's)."""
        return self.target_age in CLOSED_MOUTH_AGES or self._keeps_parting

    def _wears(self, source: int, what: str) -> bool:
        """Return whether source ``source`` wears ``glasses``, ``dark_glasses``, a ``moustache`` or
        a ``beard``, or its lips part in a ``laugh``."""
        found = self.source(source, bands=False)
        if what in ("glasses", "dark_glasses"):
            return bool(getattr(found, what))
        if what == "laugh":
            return geometry.lip_parting(found.shape) > LAUGH_PARTING
        return what in found.facial_hair

    def _child_texture(self, genes: ChildGenes, skin_detail: float, mixture: np.ndarray | None) -> np.ndarray:
        low = np.zeros((self.size, self.size, 3), dtype=np.float32)
        high = np.zeros_like(low)
        # Outside the face hull nothing shows (the composite takes the hair source there), but the
        # Poisson solve reads gradients up to the hull's edge, so the skin genes extend there.
        skin = self.masks["outline"] + (1.0 - self.face_mask)
        weight = skin[..., None]
        skin_low = sum(share * self.source(source).skin_low for source, share in genes.genes["skin"].weights.items())
        low += weight * skin_low
        texture = self.source(genes.genes["texture"].dominant()).high
        high += weight * blending.limit_detail(texture, skin_detail)
        young = self.target_age not in ADULT_GROUPS
        # A feature's pixels come from its dominant source only (blending two mouths pixel by
        # pixel, one open and one closed, would show both), taken off that parent's skin and laid
        # on the child's, with the colour contrast of all its sources by weight. Pasted with the
        # parent's own skin, a pale mother's brows on a darker child showed as pale patches.
        for name in blending.FEATURES:
            gene = genes.genes[name]
            box = self.boxes[name]
            weight = self.masks[name][box][..., None]
            dominant = self.source(self._appearance_source(name, gene))
            contrast = sum(share * self.source(s).feature_contrast[name] for s, share in gene.weights.items())
            if name == "brows":
                low[box] += weight * self._brows_on_skin(dominant, contrast, skin_low, box)
                continue
            # The dominant source's eyes or mouth as they are, scaled from the skin around them in
            # that photo to the skin around them in the child (light and albedo multiply: lips half
            # as bright as their skin stay so). Skin-bright pixels take the skin's colour change
            # channel by channel; dark ones (lashes, pupils) only its brightness change (with the
            # colour change dark hair moved onto paler skin turned blue-grey) and the change to the
            # gene's mean contrast. With the contrast change on skin-bright pixels too (until
            # 0.1.10), the skin in a feature's patch was brighter or darker than the skin around
            # it: a rim round the feature. The skin levels compared are each side's (:func:`_spread`,
            # since 0.1.15): with the ring's one mean, a side-lit parent's brighter side kept its
            # brightness and showed as a pale outline on the child.
            child_skin = _spread(self.rings[name], skin_low)[:, box[1]]
            source_skin = dominant.feature_level[name][:, box[1]]
            feature_low, feature_high = dominant.low[box], dominant.high[box]
            if name in SKIN_DETAIL_FEATURES and young:
                limited = blending.limit_detail(feature_high, skin_detail)
                if name == "mouth" and self.mouth_inside is not None:
                    # Teeth are not skin: levelled as skin, a parent's teeth were a flat mauve slab.
                    limited += self.mouth_inside[box] * (feature_high - limited)
                feature_high = limited
            if name in SKIN_COLOURED_FEATURES:
                feature_low = self._mirrored_shading(dominant, name)[box]
                shaded = _lit_skin(feature_low + 1.0, source_skin + 1.0, child_skin + 1.0)
                low[box] += weight * (shaded - 1.0)
                high[box] += (
                    weight * luma(feature_high)[..., None] * (child_skin + 1.0) / luma(child_skin + 1.0)[..., None]
                )
                continue
            colour_gain = (child_skin + 1.0) / (source_skin + 1.0)
            contrast_gain = contrast / dominant.feature_contrast[name]
            scaled_skin = colour_gain * contrast_gain * (source_skin + 1.0)
            brightness_gain = (luma(scaled_skin) / luma(source_skin + 1.0))[..., None]
            ring_level = luma(dominant.feature_skin[name] + 1.0)
            skin_like = np.clip(luma(feature_low + 1.0) / ring_level, 0.0, 1.0)[..., None]
            if name == "eyes" and dominant.whites is not None:
                # The whites, iris and pupil are not skin: they take no colour change from it, and
                # no more brightening than takes the whites to white (:data:`WHITE_CEILING`).
                inside = self.eye_openings[box]
                skin_like = skin_like * (1.0 - inside)
                held = np.minimum(brightness_gain, WHITE_CEILING / max(dominant.whites, 1.0))
                brightness_gain = inside * held + (1.0 - inside) * brightness_gain
            gain = skin_like * colour_gain + (1.0 - skin_like) * brightness_gain
            low[box] += weight * ((feature_low + 1.0) * gain - 1.0)
            high[box] += weight * feature_high
        texture = low + high
        if mixture is not None:
            texture = self._aged_texture(texture, skin_low, mixture)
        return np.clip(texture + 0.5, 0, 255).astype(np.uint8)
