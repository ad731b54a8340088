"""Find what occludes a face, and fill it in from the face's own skin.

Hair falls in over a temple or down beside the cheeks, a tight crop's backdrop shows beside a
cheek or under the chin: inside the face's outline but not the face. Such a patch reaches the
outline's rim (the eye sockets' and nostrils' shade does not) and lies outside the features.
Reference babies are cleaned so (:func:`genetics.offline.prototypes.without_occlusions`, which
says what is odd). Parents' faces are not: filling in their hair beside the cheeks (anything
under 0.55 of the face's median skin reaching the rim) evened the sides of a few children's faces
but cost the CC0 3-9 girls 0.015 of the own-parent share (``genetics/README.md``, engine 0.1.30).

In front of the lower face, an object of a colour no skin has (a drinking straw, a flower) is
found on parents too (:func:`foreign_colours`) and filled in from their skin.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from genetics.images import cielab
from genetics.offline.blending import fill_from_skin, fill_polygon, region_masks
from genetics.offline.geometry import face_hull

SPECK = 5e-4
"""Patches smaller than this share of the frame are the face's own (a pore, a freckle, a highlight)."""


@dataclass(frozen=True)
class FaceZones:
    """Where on a face of given landmarks occlusions are looked for and filled (float or bool ``[S, S]``)."""

    kept: np.ndarray
    hull: np.ndarray
    rim: np.ndarray
    skin: np.ndarray

    @classmethod
    def of(cls, landmarks: np.ndarray, size: int) -> FaceZones:
        """Return the zones of a face with ``landmarks`` (unit coordinates) at ``size``: the
        features (kept as they are), the outline's hull, its rim (0.12 of the frame deep) and the
        skin between (the hull less the features grown by 0.035 of the frame)."""
        masks = region_masks(landmarks, size)
        kept = np.clip(sum(masks[name] for name in ("eyes", "brows", "nose", "mouth")), 0.0, 1.0).astype(np.float32)
        features = cv2.dilate((kept > 0.05).astype(np.uint8), disc(0.035 * size)) > 0
        hull = fill_polygon(size, face_hull(landmarks)) > 0
        rim = hull & ~(cv2.erode(hull.astype(np.uint8), disc(0.12 * size)) > 0)
        return cls(kept=kept, hull=hull, rim=rim, skin=hull & ~features)


def side_occlusion(odd: np.ndarray, zones: FaceZones) -> np.ndarray:
    """Return bool ``[S, S]``: the patches of ``odd`` skin pixels that reach the face's rim and are
    more than specks."""
    size = odd.shape[0]
    count, labels = cv2.connectedComponents((odd & zones.skin).astype(np.uint8))
    occluded = np.zeros(odd.shape, dtype=bool)
    for label in range(1, count):
        patch = labels == label
        if patch.sum() > SPECK * size * size and (patch & zones.rim).any():
            occluded |= patch
    return occluded


def fill_occlusion(image: np.ndarray, occluded: np.ndarray, zones: FaceZones) -> np.ndarray:
    """Return uint8 ``image`` (``[S, S, C]``) with ``occluded`` (grown a little, softly) filled in
    from the face's skin well clear of it, the features kept."""
    if not occluded.any():
        return image
    size = image.shape[0]
    grown = cv2.dilate(occluded.astype(np.uint8), disc(0.05 * size)).astype(np.float32)
    zone = np.clip(cv2.GaussianBlur(grown, (0, 0), 0.016 * size) * 1.5, 0.0, 1.0) * zones.hull
    # Trusted skin keeps well clear of the occlusion: its soft edge would tint the fill.
    clear = cv2.dilate(occluded.astype(np.uint8), disc(0.1 * size)) == 0
    return fill_from_skin(image, zone.astype(np.float32), zones.kept, (zones.hull & clear).astype(np.float32))


FOREIGN_CHROMA = 25.0
"""CIE Lab distance (a*, b*) from the cheeks' colour past which a lower-face pixel more saturated
than the cheeks is an object's, not skin (:func:`foreign_colours`). A CC0 mother drinking through a
red straw: the straw's pixels on her chin stand 40-60 from her cheeks, and her children had a red
line down the chin. On the other 78 CC0 portraits the gate accepts, pixels past it there are
flower petals at a jaw's edge, a strand of dyed hair, and lipstick just outside the lips' outline
(left alone: the lips, grown by :data:`LIPS_MARGIN`, are not looked at)."""

LIPS_MARGIN = 0.02
"""How far (share of the frame) round the lips' outline a lower-face pixel is taken for the lips'."""


def foreign_colours(image: np.ndarray, landmarks: np.ndarray) -> np.ndarray:
    """Return float32 ``[S, S]`` in 0-1: where, below the nose and inside the jaw, RGB uint8
    ``image`` (a face of ``landmarks`` in unit coordinates) shows a colour no skin has
    (:data:`FOREIGN_CHROMA`), grown a little and soft-edged; the lips and just round them left out."""
    size = image.shape[0]
    lm = np.asarray(landmarks, dtype=np.float64)
    lower = fill_polygon(size, np.concatenate([lm[2:15], lm[[35, 33, 31]]])) > 0
    lips = cv2.dilate(fill_polygon(size, lm[48:60]), disc(2 * LIPS_MARGIN * size)) > 0
    lab = cielab(image)
    cheeks = _cheeks(lm, size)
    if not cheeks.any():
        return np.zeros((size, size), dtype=np.float32)
    skin = np.median(lab[cheeks], axis=0)
    chroma = np.hypot(lab[..., 1], lab[..., 2])
    away = np.hypot(lab[..., 1] - skin[1], lab[..., 2] - skin[2])
    odd = lower & ~lips & (away > FOREIGN_CHROMA) & (chroma > float(np.hypot(skin[1], skin[2])))
    if not odd.any():
        return np.zeros((size, size), dtype=np.float32)
    grown = cv2.dilate(odd.astype(np.uint8), disc(0.012 * size)).astype(np.float32)
    return np.clip(cv2.GaussianBlur(grown, (0, 0), 0.004 * size) * 1.5, 0.0, 1.0)


SKIN_DARKNESS = (0.45, 0.65)
"""Lightness against the cheeks' median (CIE L* ratio) below the first of which a pixel inside a face is
not its skin (hair framing it, a beard, a shadowed backdrop), trusted fully from the second
(:func:`skin_trust`)."""


SKIN_RIM = 0.06
"""Depth (share of the frame) of the face's rim, where hair and backdrop reach in
(:func:`skin_trust`)."""


def skin_trust(image: np.ndarray, landmarks: np.ndarray) -> np.ndarray:
    """Return float32 ``[S, S]`` in 0-1: how far each pixel of RGB uint8 ``image`` (a face of
    ``landmarks``, unit coordinates) is its skin, for the skin's low band
    (:func:`~genetics.offline.blending.skin_low_band`). Inside the face's hull all of it, but in
    its rim (:data:`SKIN_RIM`) what is much darker than the cheeks (:data:`SKIN_DARKNESS`: hair
    framing the face, a beard, a dark backdrop) or of a colour no skin has
    (:data:`FOREIGN_CHROMA`). Outside the hull nothing is.

    Deeper in, the shading of eye sockets, nostrils and a smile's folds is the face's modelling
    and stays."""
    size = image.shape[0]
    lm = np.asarray(landmarks, dtype=np.float64)
    hull = fill_polygon(size, face_hull(lm)) > 0
    cheeks = _cheeks(lm, size)
    if not cheeks.any():
        return hull.astype(np.float32)
    lab = cielab(image)
    skin = np.median(lab[cheeks], axis=0)
    low, high = SKIN_DARKNESS
    bright_enough = np.clip((lab[..., 0] / max(float(skin[0]), 1.0) - low) / (high - low), 0.0, 1.0)
    away = np.hypot(lab[..., 1] - skin[1], lab[..., 2] - skin[2])
    skin_coloured = np.clip((FOREIGN_CHROMA - away) / (0.4 * FOREIGN_CHROMA), 0.0, 1.0)
    inner = cv2.erode(hull.astype(np.uint8), disc(2 * SKIN_RIM * size)) > 0
    return np.where(inner, 1.0, hull * bright_enough * skin_coloured).astype(np.float32)


def _cheeks(lm: np.ndarray, size: int) -> np.ndarray:
    """Return bool ``[S, S]``: the cheeks, below the eyes and beside the nose, on both sides."""
    return (fill_polygon(size, lm[[1, 2, 3, 31, 39, 40, 41, 36]]) > 0) | (
        fill_polygon(size, lm[[15, 14, 13, 35, 42, 47, 46, 45]]) > 0
    )


def disc(diameter: float) -> np.ndarray:
    """Return an elliptic structuring element about ``diameter`` pixels across (odd, at least 3)."""
    side = max(3, int(round(diameter)) | 1)
    return cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (side, side))
