"""Region masks, frequency bands and gradient-domain compositing for the offline engine.

Textures are blended in a shape-normalised frame, where every source face has been warped onto the
same landmarks, so features coincide and a weighted mean cannot double them. Only the low band
(shading and colour) is mixed by weight; each region's fine detail comes from a single source, so
edges that landmarks do not pin down (lashes, wrinkles, glasses) are never doubled either.
"""

from __future__ import annotations

from collections.abc import Sequence

import cv2
import numpy as np

from genetics.offline.geometry import face_hull

FEATURES: tuple[str, ...] = ("brows", "eyes", "nose", "mouth")
"""Regions with their own mask; the rest of the face hull is the ``outline`` (skin) region."""

LOW_BAND_SIGMA = 1.0 / 96.0
"""Gaussian sigma (fraction of the frame) that splits shading/colour from fine detail (adults)."""

FEATHER = 1.0 / 64.0
"""Gaussian sigma (fraction of the frame) that feathers every region mask."""


def fill_polygon(size: int, polygon: np.ndarray) -> np.ndarray:
    """Return uint8 ``[S, S]``: 255 inside ``polygon`` (``[N, 2]``, unit coordinates), else 0."""
    mask = np.zeros((size, size), dtype=np.uint8)
    cv2.fillPoly(mask, [np.round(polygon * size).astype(np.int32)], 255)
    return mask


def fill_grown(size: int, outlines: Sequence[np.ndarray], growth: tuple[float, float]) -> np.ndarray:
    """Return float32 ``[S, S]``: 1 inside the ``outlines`` (``[N, 2]`` each, unit coordinates)
    grown about their middles by ``growth`` (width, height), else 0."""
    filled = np.zeros((size, size), dtype=np.float32)
    for outline in outlines:
        middle = outline.mean(axis=0)
        grown = middle + (outline - middle) * np.array(growth)
        filled = np.maximum(filled, fill_polygon(size, grown) / np.float32(255.0))
    return filled


def _grown_hull(points: np.ndarray, factor: float) -> np.ndarray:
    hull = cv2.convexHull(points.astype(np.float32)).reshape(-1, 2).astype(np.float64)
    centre = hull.mean(axis=0)
    return centre + (hull - centre) * factor


def _feature_polygons(lm: np.ndarray) -> dict[str, list[np.ndarray]]:
    eye_gap = float(np.linalg.norm(lm[36:42].mean(axis=0) - lm[42:48].mean(axis=0)))
    brow_drop = np.array([0.0, 0.06 * eye_gap])
    brows = []
    for side in (slice(17, 22), slice(22, 27)):
        arc = lm[side]
        brows.append(_grown_hull(np.concatenate([arc - brow_drop * 1.2, arc + brow_drop]), 1.1))
    return {
        "brows": brows,
        "eyes": [_grown_hull(lm[36:42], 1.7), _grown_hull(lm[42:48], 1.7)],
        # The nose mask starts below the bridge (point 28), where glasses rest: the bridge is skin.
        "nose": [_grown_hull(lm[28:36], 1.25)],
        "mouth": [_grown_hull(lm[48:60], 1.3)],
    }


def region_masks(landmarks: np.ndarray, size: int) -> dict[str, np.ndarray]:
    """Return feathered float32 ``[S, S]`` masks per region that sum to the face mask.

    Keys are ``outline`` plus :data:`FEATURES`; each value is in [0, 1]. Feature masks are feathered
    and capped so they never exceed the face; ``outline`` takes what is left.
    """
    lm = np.asarray(landmarks, dtype=np.float64)
    sigma = FEATHER * size
    face = cv2.GaussianBlur(fill_polygon(size, face_hull(lm)).astype(np.float32) / 255.0, (0, 0), sigma)
    masks: dict[str, np.ndarray] = {}
    total = np.zeros((size, size), dtype=np.float32)
    for name, polygons in _feature_polygons(lm).items():
        raw = np.zeros((size, size), dtype=np.uint8)
        for polygon in polygons:
            raw = np.maximum(raw, fill_polygon(size, polygon))
        soft = cv2.GaussianBlur(raw.astype(np.float32) / 255.0, (0, 0), sigma * 0.6)
        soft = np.minimum(soft, np.maximum(face - total, 0.0))
        masks[name] = soft
        total += soft
    masks["outline"] = np.maximum(face - total, 0.0)
    return masks


SKIN_MEDIAN = 1.0 / 48.0
"""Median filter width (fraction of the frame) run before the skin's low band: it removes thin
dark lines (glasses frames, deep wrinkles) that a Gaussian would only smear into a ghost."""

TRUSTED_SUPPORT = 0.05
"""Blurred share of trusted pixels (:func:`skin_low_band`) from which the skin's low band is
theirs alone; below it the plain blur takes over, in proportion."""

SKIN_DETAIL_LIMIT = 15.0
"""Scale (grey levels) of the skin detail's redescending weight: detail well below it (pores, fine
shading) passes, strong edges far above it (glasses frames, deep wrinkles) are dropped."""


def mask_box(mask: np.ndarray) -> tuple[slice, slice] | None:
    """Return the rows and columns of the smallest rectangle holding every non-zero pixel of
    ``mask`` (``[S, S]``), or None when it has none: work on a small mask's pixels is done there."""
    rows, cols = np.nonzero(mask.any(axis=1))[0], np.nonzero(mask.any(axis=0))[0]
    if not len(rows):
        return None
    return slice(int(rows[0]), int(rows[-1]) + 1), slice(int(cols[0]), int(cols[-1]) + 1)


def _shrink(sigma: float) -> int:
    """Return how many times smaller a Gaussian of ``sigma`` pixels may be run: a wide blur is
    smooth at a fraction of the size (at 3 pixels' sigma or more there)."""
    return max(1, int(sigma / 3))


def wide_blur(image: np.ndarray, sigma: float) -> np.ndarray:
    """Return float32 ``image`` (``[S, S]`` or ``[S, S, C]``) blurred by a Gaussian of ``sigma``
    pixels, run at a fraction of the size and upsampled (:func:`_shrink`): within about 0.1 of
    a grey level on average of the full-size Gaussian (a few levels at most, at the frame's
    edge), in a tenth of its time at 512² (sigma 10 pixels)."""
    size = image.shape[0]
    factor = _shrink(sigma)
    if factor == 1:
        return cv2.GaussianBlur(image, (0, 0), sigma)
    small = cv2.resize(image, (size // factor, size // factor), interpolation=cv2.INTER_AREA)
    blurred = cv2.GaussianBlur(small, (0, 0), sigma / factor)
    return cv2.resize(blurred, (size, size), interpolation=cv2.INTER_LINEAR)


def _low_pass(
    image: np.ndarray, sigma: float, *, median: bool = False, trusted: np.ndarray | None = None
) -> np.ndarray:
    # Filtered at a fraction of the size, as :func:`wide_blur` (several times faster at 1024²
    # than a full-size Gaussian), with the median and the trusted pixels' average there too.
    size = image.shape[0]
    factor = _shrink(sigma * size)
    small = cv2.resize(image, (size // factor, size // factor), interpolation=cv2.INTER_AREA)
    if median:
        small = cv2.medianBlur(small, max(3, int(round(SKIN_MEDIAN * size / factor)) | 1))
    small = small.astype(np.float32)
    blurred = cv2.GaussianBlur(small, (0, 0), sigma * size / factor)
    if trusted is not None:
        # Normalised convolution: only trusted pixels are averaged; where none lie near, the
        # plain blur stands.
        weight = cv2.resize(trusted.astype(np.float32), (size // factor, size // factor), interpolation=cv2.INTER_AREA)
        spread = cv2.GaussianBlur(small * weight[..., None], (0, 0), sigma * size / factor)
        total = cv2.GaussianBlur(weight, (0, 0), sigma * size / factor)[..., None]
        confident = np.clip(total / TRUSTED_SUPPORT, 0.0, 1.0)
        blurred = confident * spread / np.maximum(total, 1e-6) + (1.0 - confident) * blurred
    return cv2.resize(blurred, (size, size), interpolation=cv2.INTER_LINEAR)


def split_bands(image: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Return ``(low, high)`` float32 bands of a uint8 ``[S, S, 3]`` image; low + high == image."""
    low = _low_pass(image, LOW_BAND_SIGMA)
    return low, image.astype(np.float32) - low


def skin_low_band(image: np.ndarray, smoothing: float = 1.0, trusted: np.ndarray | None = None) -> np.ndarray:
    """Return the skin's float32 low band: a median filter, then a Gaussian.

    The Gaussian's sigma is :data:`LOW_BAND_SIGMA` times ``smoothing`` (≥ 1): children's skin is
    drawn with a wider blur, which drops the parents' wrinkle shading with their detail. With
    ``trusted`` (float ``[S, S]``, 0-1: where the image shows skin), only those pixels are
    averaged, so hair framing a face does not darken its edge.
    """
    return _low_pass(image, LOW_BAND_SIGMA * max(smoothing, 1.0), median=True, trusted=trusted)


def limit_detail(high: np.ndarray, gain: float) -> np.ndarray:
    """Return skin detail times ``gain``, with strong edges faded out (Welsch weighting).

    ``high · exp(-(high / L)²)`` keeps small detail nearly unchanged, peaks at ``0.43 L`` and falls
    to zero for edges several ``L`` strong, so a frame does not survive as a faint line the way a
    clipped edge would.
    """
    return gain * high * np.exp(-np.square(high * (1.0 / SKIN_DETAIL_LIMIT)))


def composite(face: np.ndarray, base: np.ndarray, landmarks: np.ndarray) -> np.ndarray:
    """Return ``face`` pasted onto ``base`` inside the face hull, solved in the gradient domain.

    ``cv2.seamlessClone`` (Poisson blending) keeps the face's gradients and takes its boundary
    values from ``base``, so no seam shows where the two meet; both are uint8 ``[S, S, 3]``.
    """
    size = base.shape[0]
    mask = fill_polygon(size, face_hull(np.asarray(landmarks, dtype=np.float64)))
    # Keep the mask off the frame edge: seamlessClone needs a border of base pixels around it.
    mask[:2, :] = 0
    mask[-2:, :] = 0
    mask[:, :2] = 0
    mask[:, -2:] = 0
    x, y, w, h = cv2.boundingRect(mask)
    if w == 0 or h == 0:
        return base.copy()
    # seamlessClone centres the mask's bounding box on `center`; this keeps every pixel in place.
    centre = (x + w // 2, y + h // 2)
    return cv2.seamlessClone(face, base, mask, centre, cv2.NORMAL_CLONE)


def fill_from_skin(image: np.ndarray, zone: np.ndarray, keep: np.ndarray, skin: np.ndarray) -> np.ndarray:
    """Return uint8 ``image`` (``[S, S, 3]``) with what lies under ``zone`` (``[S, S]``, 0-1) filled
    in, smooth, from the ``skin`` (``[S, S]``, 0-1: the pixels to trust) around it; where ``keep``
    (``[S, S]``, 0-1) is set, the image stays as it is. The zones: where a parent's glasses lie
    (:func:`~genetics.offline.glasses.lens_zone`, eyes and brows kept), a moustache or beard
    (:func:`~genetics.offline.facial_hair.facial_hair_zone`, lips kept), and a reference face's
    padding past its photo's edge (the photo trusted).

    The fill is a normalised convolution (the trusted colours spread into the zone), at a small
    size: it carries no fine detail anyway. Inpainting from the zone's border took in the hair at
    the temples and the brows, and filled the lenses dark.
    """
    size = image.shape[0]
    small = 128
    shrunk = cv2.resize(image, (small, small), interpolation=cv2.INTER_AREA).astype(np.float32)
    zone_small = cv2.resize(zone, (small, small), interpolation=cv2.INTER_AREA)
    trusted = cv2.resize(skin, (small, small), interpolation=cv2.INTER_AREA) * (zone_small < 0.05)
    sigma = 0.06 * small
    spread = cv2.GaussianBlur(shrunk * trusted[..., None], (0, 0), sigma)
    weight = cv2.GaussianBlur(trusted, (0, 0), sigma)[..., None]
    mean = (shrunk * trusted[..., None]).sum(axis=(0, 1)) / max(float(trusted.sum()), 1e-6)
    filled = (spread + 1e-3 * mean) / (weight + 1e-3)
    filled = cv2.resize(filled, (size, size), interpolation=cv2.INTER_CUBIC)
    blend = np.clip(zone - keep, 0.0, 1.0)[..., None]
    out = image.astype(np.float32) * (1.0 - blend) + filled * blend
    return np.clip(out + 0.5, 0, 255).astype(np.uint8)
