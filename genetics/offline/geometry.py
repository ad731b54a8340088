"""Landmark geometry of the offline engine: regions, mesh, growth toward a target age, warping.

All shapes live in the FFHQ-aligned frame in unit coordinates (``[68, 2]``, x and y in [0, 1] of
the aligned square), so parents photographed at different sizes mix directly.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import cv2
import numpy as np
from scipy.spatial import Delaunay

REGION_POINTS: dict[str, tuple[int, ...]] = {
    "outline": tuple(range(0, 17)),
    "brows": tuple(range(17, 27)),
    "nose": tuple(range(27, 36)),
    "eyes": tuple(range(36, 48)),
    "mouth": tuple(range(48, 68)),
}
"""The iBUG 68-point indices that make each region's geometry gene."""

FOREHEAD_LIFT = 0.5
"""Forehead points sit above each brow point by this fraction of the eye-line-to-nose-tip height."""

NECK_DROP = 0.06
"""Neck points sit this far (unit coordinates) below the lower jaw points; they carry the band
under the chin along with the jaw, so a smaller child's jaw does not stretch the hair source's own
chin and jaw shadow into a beard-like smear."""

NECK_POINTS = tuple(range(4, 13))
"""Jaw points that get a neck point below them."""

BORDER_STEPS = 4
"""Fixed mesh points per side of the frame (corners included once)."""


@dataclass(frozen=True)
class Growth:
    """Child-to-adult ratios of facial measurements for one age group (1.0 = adult).

    Approximate values read off published craniofacial growth curves (Farkas' anthropometry of the
    head and face: eyes reach near-adult width early, the nose and the lower face grow most), rounded
    and tuned for a plausible look; they are not a clinical reference.
    """

    eye_width: float  # ex–ex, biocular width
    face_width: float  # go–go / zy–zy, jaw and cheek width
    nose_height: float  # n–sn
    nose_width: float  # al–al
    mouth_width: float  # ch–ch
    lower_face: float  # sn–gn
    skin_detail: float  # gain on the skin's fine texture (wrinkles, pores): smoother when young


ADULT = Growth(1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0)

GROWTH: dict[str, Growth] = {
    # Toddlers are drawn a little less extreme than the curves (lower face ≈ 0.6) suggest: beyond
    # this dlib's detector, trained mostly on older faces, stops finding the render.
    "0-2": Growth(
        eye_width=0.82,
        face_width=0.80,
        nose_height=0.68,
        nose_width=0.76,
        mouth_width=0.74,
        lower_face=0.66,
        skin_detail=0.45,
    ),
    "3-9": Growth(
        eye_width=0.90,
        face_width=0.85,
        nose_height=0.76,
        nose_width=0.82,
        mouth_width=0.80,
        lower_face=0.74,
        skin_detail=0.55,
    ),
    "10-19": Growth(
        eye_width=0.97,
        face_width=0.95,
        nose_height=0.92,
        nose_width=0.94,
        mouth_width=0.94,
        lower_face=0.91,
        skin_detail=0.8,
    ),
    "20-29": Growth(1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 0.9),
}
"""Growth per age group; groups not listed (30-39 and older) are :data:`ADULT`."""


CHIN_RESTORE = 0.6
"""Share of the chin's lost height that :func:`toward_age` gives back by scaling the whole face."""


def growth_for(age_group: str) -> Growth:
    """Return the growth ratios of an age group."""
    return GROWTH.get(age_group, ADULT)


def _eye_anchor(lm: np.ndarray) -> tuple[float, float]:
    centre = (lm[36:42].mean(axis=0) + lm[42:48].mean(axis=0)) / 2.0
    return float(centre[0]), float(centre[1])


def _scale_growth(lm: np.ndarray, growth: Growth, inverse: bool) -> np.ndarray:
    # Measurements are relative to the eyes, which fix the aligned frame: a ratio below the eye
    # width's shrinks that feature relative to the eyes, as in a child's face.
    def rel(value: float) -> float:
        ratio = value / growth.eye_width
        return 1.0 / ratio if inverse else ratio

    out = lm.copy()
    ex, ey = _eye_anchor(lm)
    subnasale = float(lm[33, 1])
    new_subnasale = ey + (subnasale - ey) * rel(growth.nose_height)
    below = [i for i in range(68) if not 36 <= i < 48 and not 17 <= i < 27]
    for i in below:
        y = lm[i, 1]
        if y <= ey:
            continue
        if y <= subnasale:
            out[i, 1] = ey + (y - ey) * rel(growth.nose_height)
        else:
            out[i, 1] = new_subnasale + (y - subnasale) * rel(growth.lower_face)
    for indices, key in ((range(0, 17), "face_width"), (range(31, 36), "nose_width")):
        idx = list(indices)
        centre_x = ex if key == "face_width" else float(lm[idx, 0].mean())
        out[idx, 0] = centre_x + (lm[idx, 0] - centre_x) * rel(getattr(growth, key))
    mouth = list(range(48, 68))
    mouth_x = float(lm[mouth, 0].mean())
    out[mouth, 0] = mouth_x + (out[mouth, 0] - mouth_x) * rel(growth.mouth_width)
    return out


def to_adult(landmarks: np.ndarray, age_group: str) -> np.ndarray:
    """Return ``[68, 2]`` landmarks of a face of ``age_group`` grown to adult proportions.

    Undoes the growth ratios only; the overall scale does not matter to pool genes, which are
    mixed in the eye-fixed aligned frame.
    """
    return _scale_growth(np.asarray(landmarks, dtype=np.float64), growth_for(age_group), inverse=True)


def toward_age(landmarks: np.ndarray, age_group: str) -> np.ndarray:
    """Return adult ``[68, 2]`` landmarks moved to the proportions of ``age_group``.

    After the growth ratios shrink the lower face relative to the eyes, the whole face is scaled
    about the eyes so the chin moves back :data:`CHIN_RESTORE` of the way to the adult's height:
    the frame then shows a child's face near the size of the hair source's head (large eyes, round
    face) instead of a small face whose missing chin would have to be filled by stretching the
    source's neck. Restoring it fully made toddlers' faces so wide the detector lost them.
    """
    adult = np.asarray(landmarks, dtype=np.float64)
    child = _scale_growth(adult, growth_for(age_group), inverse=False)
    ex, ey = _eye_anchor(adult)
    span = child[8, 1] - ey
    if span <= 0:
        return child
    factor = 1.0 + CHIN_RESTORE * ((adult[8, 1] - ey) / span - 1.0)
    return np.array([ex, ey]) + (child - np.array([ex, ey])) * factor


INNER_LIPS = ((61, 67), (62, 66), (63, 65))
"""Upper and lower inner-lip landmarks that face each other across the mouth's opening."""

OUTER_LIPS = ((50, 58), (51, 57), (52, 56))
"""The outer-lip landmarks above and below each of :data:`INNER_LIPS`."""

LIP_PARTING = 0.003
"""Opening (unit coordinates, about 1.5 px at 512²) left between closed lips: a flat destination
triangle has no affine map."""


JAW_DROP_PARTING = 0.2
"""Lips parted up to this share of the mouth's width part by themselves (a smile showing teeth:
the CC0 parents 0.23 at most, bar one); past it the jaw has dropped (a laugh), and closing the lips
raises the lower lip and the chin by that drop (:func:`close_mouth`). With the chin left down, a
CC0 father laughing 0.41 wide gave his babies a long chin under a pout, the skin below their lips
stretched grey; raised by half the drop (0.1.34-0.1.42), his 3-9 daughters' faces below the nose
were still 0.53-0.57 of their width long (other couples' daughters 0.40-0.47)."""


def lip_gap(landmarks: np.ndarray) -> float:
    """Return the widest gap between facing inner-lip points (:data:`INNER_LIPS`) of a face with
    ``landmarks`` (``[68, 2]``), in their units."""
    lm = np.asarray(landmarks, dtype=np.float64)
    return max(float(lm[lower, 1] - lm[upper, 1]) for upper, lower in INNER_LIPS)


def _mouth_width(lm: np.ndarray) -> float:
    # Corner to corner, kept above 0 so a degenerate mouth gives no division by zero.
    return max(float(lm[54, 0] - lm[48, 0]), 1e-9)


def lip_parting(landmarks: np.ndarray) -> float:
    """Return how far the lips of a face with ``landmarks`` (``[68, 2]``) part: :func:`lip_gap`
    over the mouth's width (corner to corner)."""
    lm = np.asarray(landmarks, dtype=np.float64)
    return lip_gap(lm) / _mouth_width(lm)


def parted_as_widest(landmarks: np.ndarray, faces: Sequence[np.ndarray]) -> np.ndarray:
    """Return ``[68, 2]`` landmarks with each inner-lip pair (:data:`INNER_LIPS`) parted, about its
    middle, as wide as the widest of ``faces``' (each ``[68, 2]``), as a share of the mouth's width;
    a pair already parted wider stays."""
    out = np.asarray(landmarks, dtype=np.float64).copy()
    width = _mouth_width(out)
    for upper, lower in INNER_LIPS:
        widest = max(float(face[lower, 1] - face[upper, 1]) / _mouth_width(face) for face in faces)
        gap = max(widest * width, float(out[lower, 1] - out[upper, 1]))
        middle = (out[upper, 1] + out[lower, 1]) / 2.0
        out[upper, 1], out[lower, 1] = middle - gap / 2.0, middle + gap / 2.0
    return out


def smile_lift(landmarks: np.ndarray) -> float:
    """Return how far the mouth's corners of a face with ``landmarks`` (``[68, 2]``) sit above the
    middle of its inner lips, over the mouth's width: above about 0.08 a smile (below 0 the corners
    turn down)."""
    lm = np.asarray(landmarks, dtype=np.float64)
    middle = (lm[62, 1] + lm[66, 1]) / 2.0
    return float(middle - (lm[48, 1] + lm[54, 1]) / 2.0) / _mouth_width(lm)


def close_mouth(landmarks: np.ndarray, widest: float = 0.0) -> np.ndarray:
    """Return ``[68, 2]`` landmarks with the lips closed: each inner-lip pair meets (to within
    :data:`LIP_PARTING`) about its middle and the outer lips follow by half the opening, so the
    lips fill part of it. The opening's pixels (a parent's teeth) are squeezed out of the warp.
    What opens past :data:`JAW_DROP_PARTING` is the jaw's drop: the lower lip and the chin rise
    by all of it, the upper lip stays (closed about the middle, a laugh's mouth sat half its
    drop too low, on a chin still half dropped).

    With ``widest`` above 0 the lips part by at most that share of the mouth's width (corner to
    corner): a wider opening (a laugh) narrows to it, its teeth squeezed, a smaller one stays."""
    out = np.asarray(landmarks, dtype=np.float64).copy()
    width = float(out[54, 0] - out[48, 0])
    parting = max(LIP_PARTING, widest * width)
    opened = lip_gap(out)
    drop = max(0.0, opened - max(parting, JAW_DROP_PARTING * width))
    for (upper, lower), (outer_upper, outer_lower), beside in zip(INNER_LIPS, OUTER_LIPS, (59, None, 55)):
        gap = float(out[lower, 1] - out[upper, 1]) - parting
        if gap <= 0.0:
            continue
        jaw = min(drop, gap)
        lips = gap - jaw
        out[upper, 1] += lips / 2.0
        out[lower, 1] -= lips / 2.0 + jaw
        out[outer_upper, 1] += lips / 4.0
        out[outer_lower, 1] -= lips / 4.0 + jaw
        if beside is not None:
            # The lower lip's outline nearer the corner, which stay, rises by half as much.
            out[beside, 1] -= jaw / 2.0
    if drop > 0.0:
        # The chin rises with the lower lip, most at its point (landmark 8), none from the jaw's
        # angles up.
        taper = np.clip(1.0 - np.abs(np.arange(17) - 8) / 5.0, 0.0, 1.0)
        out[:17, 1] -= drop * taper
    return out


def fit_mouth(
    landmarks: np.ndarray, template: np.ndarray, share: float = 1.0, *, widest: float | None = None
) -> np.ndarray:
    """Return ``[68, 2]`` landmarks whose mouth (points 48-67) moves ``share`` of the way to
    ``template``'s, placed at the mouth's middle and scaled to its width: at 1 the lips' shape
    without the expression. Given ``widest``, the width is at most that share of the outer eye
    corners' distance: a laugh's stretch is the expression too.

    A smile is an expression, not a gene: a parent's wide smile, closed for a baby, kept its
    corners raised and its inner lips on the teeth's edges, and the lips warped onto it read as an
    open mouth with the teeth between.
    """
    out = np.asarray(landmarks, dtype=np.float64).copy()
    mouth = np.asarray(template, dtype=np.float64)[48:68]
    width = float(out[54, 0] - out[48, 0])
    if widest is not None:
        width = min(width, widest * float(out[45, 0] - out[36, 0]))
    scale = width / max(float(mouth[6, 0] - mouth[0, 0]), 1e-6)
    fitted = out[48:68].mean(axis=0) + (mouth - mouth.mean(axis=0)) * scale
    out[48:68] += share * (fitted - out[48:68])
    return out


def mesh_points(landmarks: np.ndarray) -> np.ndarray:
    """Return the warp mesh ``[68 + 10 + 9 + border, 2]``: landmarks, forehead, neck, border.

    The forehead points follow the brows so the forehead moves with the face, the neck points follow
    the jaw; the border points are fixed so the frame's edges never move.
    """
    lm = np.asarray(landmarks, dtype=np.float64)
    _, eye_y = _eye_anchor(lm)
    lift = FOREHEAD_LIFT * max(float(lm[30, 1]) - eye_y, 1e-3)
    forehead = lm[17:27] - np.array([0.0, lift])
    neck = lm[list(NECK_POINTS)] + np.array([0.0, NECK_DROP])
    neck[:, 1] = np.minimum(neck[:, 1], 0.98)
    ticks = np.linspace(0.0, 1.0, BORDER_STEPS + 1)
    border = [(t, 0.0) for t in ticks[:-1]] + [(1.0, t) for t in ticks[:-1]]
    border += [(1.0 - t, 1.0) for t in ticks[:-1]] + [(0.0, 1.0 - t) for t in ticks[:-1]]
    return np.concatenate([lm, forehead, neck, np.array(border)], axis=0)


def face_hull(landmarks: np.ndarray) -> np.ndarray:
    """Return the polygon ``[27, 2]`` around jaw and forehead, in unit coordinates."""
    mesh = mesh_points(landmarks)
    return np.concatenate([mesh[0:17], mesh[68:78][::-1]], axis=0)


WARP_SMOOTHING = 0.008
"""Gaussian sigma (fraction of the frame) by which :func:`warp_maps` smooths a piecewise-affine
warp's displacement."""

MESH_LIP_OPENING = 0.4
"""Least opening between the inner lips, as a share of the lips' outer height at that pair, in
the copy of a face mesh that :func:`triangulate` triangulates."""


MIDLINE_POINTS = (27, 28, 29, 30, 33, 51, 57, 8)
"""Landmarks on a face's midline: the nose's bridge and tip, the philtrum's top, the lips' middle
and the chin."""


def mirror_maps(landmarks: np.ndarray, size: int) -> tuple[np.ndarray, np.ndarray]:
    """Return ``cv2.remap`` maps (float32 ``[S, S]`` each) that mirror an image of ``size``
    about the vertical line through the mean of the face's :data:`MIDLINE_POINTS` (``landmarks``
    in unit coordinates): side lighting is evened by averaging a face with its mirror image."""
    centre = float(np.mean(np.asarray(landmarks)[list(MIDLINE_POINTS), 0])) * size
    xs = np.arange(size, dtype=np.float32)
    return np.tile((2.0 * centre - xs).astype(np.float32), (size, 1)), np.tile(xs[:, None], (1, size))


def triangulate(points: np.ndarray) -> np.ndarray:
    """Return Delaunay triangles ``[T, 3]`` (indices into ``points``).

    A face mesh (:func:`mesh_points`: its first 68 points are landmarks) is triangulated with its
    lips parted by at least :data:`MESH_LIP_OPENING`, whatever its own mouth does: on closed lips
    (:func:`close_mouth`) each upper inner-lip point nearly meets its lower one, and Delaunay joined
    upper outer-lip points to lower inner ones; warping an open mouth onto such a mesh squeezed the
    lower lip into wedges across the upper lip, which showed as vertical seams through babies' lips.
    """
    points = np.asarray(points, dtype=np.float64)
    if len(points) >= 68:
        points = points.copy()
        for (upper, lower), (outer_upper, outer_lower) in zip(INNER_LIPS, OUTER_LIPS):
            middle = (points[upper, 1] + points[lower, 1]) / 2.0
            least = MESH_LIP_OPENING * (points[outer_lower, 1] - points[outer_upper, 1])
            half = max(points[lower, 1] - points[upper, 1], least) / 2.0
            points[upper, 1], points[lower, 1] = middle - half, middle + half
    return np.asarray(Delaunay(points).simplices, dtype=np.int32)


def warp_maps(
    src_points: np.ndarray, dst_points: np.ndarray, triangles: np.ndarray, size: int
) -> tuple[np.ndarray, np.ndarray]:
    """Return ``cv2.remap`` maps ``([S, S], [S, S])`` of the piecewise-affine warp src → dst.

    Points are in unit coordinates; each destination pixel reads the source position the affine
    map of its destination triangle gives.
    """
    src = np.asarray(src_points, dtype=np.float64) * size
    dst = np.asarray(dst_points, dtype=np.float64) * size
    labels = np.zeros((size, size), dtype=np.int32)
    affines = np.zeros((len(triangles) + 1, 2, 3), dtype=np.float64)
    affines[0] = [[1, 0, 0], [0, 1, 0]]
    # Each pixel may read only near its source triangle: a flipped or nearly flat destination
    # triangle (a mouth's inner lips crossing its outer ones) has a wild affine map that would
    # fetch pixels from far away (backdrop colour patches inside the face).
    limits = np.zeros((len(triangles) + 1, 4), dtype=np.float32)
    limits[0] = [-1e9, -1e9, 1e9, 1e9]
    margin = 2.0
    for t, tri in enumerate(triangles, start=1):
        affines[t] = cv2.getAffineTransform(dst[tri].astype(np.float32), src[tri].astype(np.float32))
        cv2.fillConvexPoly(labels, np.round(dst[tri]).astype(np.int32), t)
        limits[t, :2] = src[tri].min(axis=0) - margin
        limits[t, 2:] = src[tri].max(axis=0) + margin
    ys, xs = np.mgrid[0:size, 0:size].astype(np.float32)
    per_pixel = affines.astype(np.float32)[labels]
    map_x = per_pixel[..., 0, 0] * xs + per_pixel[..., 0, 1] * ys + per_pixel[..., 0, 2]
    map_y = per_pixel[..., 1, 0] * xs + per_pixel[..., 1, 1] * ys + per_pixel[..., 1, 2]
    box = limits[labels]
    np.clip(map_x, box[..., 0], box[..., 2], out=map_x)
    np.clip(map_y, box[..., 1], box[..., 3], out=map_y)
    # Piecewise, the map bends along every triangle's edge, and where neighbouring triangles
    # stretch unlike each other (a baby's large eyes on an adult's mesh) the bend shows as a
    # straight crease, as from an eye's outer corner to the face's side. The displacement smoothed
    # keeps its points within a pixel or two of where they land.
    sigma = WARP_SMOOTHING * size
    map_x = xs + cv2.GaussianBlur(map_x - xs, (0, 0), sigma, borderType=cv2.BORDER_REPLICATE)
    map_y = ys + cv2.GaussianBlur(map_y - ys, (0, 0), sigma, borderType=cv2.BORDER_REPLICATE)
    return map_x, map_y


def warp(image: np.ndarray, src_points: np.ndarray, dst_points: np.ndarray, triangles: np.ndarray) -> np.ndarray:
    """Return ``image`` (square ``[S, S, C]``) warped so ``src_points`` land on ``dst_points``."""
    size = image.shape[0]
    map_x, map_y = warp_maps(src_points, dst_points, triangles, size)
    return cv2.remap(image, map_x, map_y, cv2.INTER_LINEAR, borderMode=cv2.BORDER_REFLECT)
