"""Tell whether a face wears a moustache or a beard, and where they lie, so no child inherits them.

Facial hair is grooming, like glasses or a hat, not a gene: a father's moustache on his daughter
or on a baby is the plainest sign of a pasted face. The test is the share of a zone much darker
than the face's cheeks (:data:`DARK`): the upper lip between the nose and the lips for a
moustache, the chin and jaw below the mouth for a beard. It is a heuristic, not a trained
classifier. On the research faces (CAAE tiles, 36 men, 36 women) moustaches darkened 0.61-0.93
of the upper lip and bare lips at most 0.47 (a smile's shadow; Biden 0.33); beards and goatees
0.79-1.0 of the chin, bare chins at most 0.58 (stubble's shadow; Biden 0.46). Stubble on fair
skin is hardly darker than it but greyer: it counts as a beard by its colour
(:data:`STUBBLE_REDNESS`). Where a face wears them, :func:`genetics.offline.blending.fill_from_skin`
fills the zone from its skin around: a moustache's upper lip; a beard's whole lower face below
the nose, since a beard found on the chin grows over the upper lip and beside the mouth too.
"""

from __future__ import annotations

import cv2
import numpy as np

from genetics.images import cielab
from genetics.offline.blending import fill_polygon
from genetics.offline.portrait import cheek_pixels

DARK = 0.7
"""A pixel darker than this share of the cheeks' median grey counts as facial hair (or shadow)."""

MOUSTACHE_SHARE = 0.55
"""Share of the upper lip that must be dark for a face to count as wearing a moustache."""

BEARD_SHARE = 0.7
"""Share of the chin and jaw below the mouth that must be dark for a face to count as bearded."""

STUBBLE_REDNESS = -5.0
"""CIELAB a* (redness) of the chin and jaw below the mouth less the cheeks', at or below which a face
counts as bearded whatever its darkness: short stubble on fair skin. A real CC0 father's stubble
read -8.4 and was no darker than his cheeks (beard share 0.02); his children wore it as a grey
muzzle round the mouth. Bare chins: the five shipped samples -3.0 to 0.6, twelve CC0 women -3.0
to -1.1, 33 research women (CAAE tiles) -4 at least."""

_UPPER_LIP = [31, 32, 33, 34, 35, 54, 53, 52, 51, 50, 49, 48]
_CHIN = [3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 54, 55, 56, 57, 58, 59, 48]
_LOWER_FACE = [2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 35, 34, 33, 32, 31]
"""Where a beard is filled in: the jaw below the nose's base, upper lip and chin. Filled over the
chin alone (:data:`_CHIN`), a CC0 father's stubble stayed over his upper lip and beside his mouth
in the texture his children draw from (stubble painted there left daughters' upper lips 9-11 CIE
a* greyer than their cheeks)."""


def facial_hair_shares(aligned: np.ndarray, landmarks: np.ndarray) -> dict[str, float]:
    """Return ``{"moustache": share, "beard": share, "chin_redness": difference}``: how much of the
    upper lip, and of the chin and jaw below the mouth, is darker than :data:`DARK` times the
    cheeks (lips left out), and the chin's median CIELAB a* less the cheeks' (:data:`STUBBLE_REDNESS`).

    ``aligned`` is the RGB uint8 ``[S, S, 3]`` aligned face, ``landmarks`` ``[68, 2]`` in unit
    coordinates of that frame.
    """
    size = aligned.shape[0]
    lm = np.asarray(landmarks, dtype=np.float64)
    grey = cv2.cvtColor(aligned, cv2.COLOR_RGB2GRAY).astype(np.float32)
    redness = cielab(aligned)[..., 1]
    cheeks = cheek_pixels(np.dstack([grey, redness]), lm)
    if not len(cheeks):
        return {"moustache": 0.0, "beard": 0.0, "chin_redness": 0.0}
    dark = grey < DARK * float(np.median(cheeks[:, 0]))
    lips = lips_mask(lm, size).astype(np.uint8)
    zones = {
        name: (fill_polygon(size, lm[points]) // 255 & (1 - lips)) > 0
        for name, points in (("moustache", _UPPER_LIP), ("beard", _CHIN))
    }
    shares = {name: round(float(dark[zone].mean()), 3) if zone.any() else 0.0 for name, zone in zones.items()}
    chin = zones["beard"]
    redness_change = float(np.median(redness[chin]) - np.median(cheeks[:, 1])) if chin.any() else 0.0
    shares["chin_redness"] = round(redness_change, 2)
    return shares


def wears_facial_hair(shares: dict[str, float]) -> tuple[str, ...]:
    """Return which of ``moustache`` and ``beard`` the :func:`facial_hair_shares` pass."""
    limits = {"moustache": MOUSTACHE_SHARE, "beard": BEARD_SHARE}
    worn = [name for name, limit in limits.items() if shares.get(name, 0.0) > limit]
    if "beard" not in worn and shares.get("chin_redness", 0.0) <= STUBBLE_REDNESS:
        worn.append("beard")
    return tuple(worn)


def facial_hair_zone(landmarks: np.ndarray, size: int, worn: tuple[str, ...]) -> np.ndarray:
    """Return float32 ``[S, S]`` in 0-1: where the ``worn`` facial hair lies on a face with these
    ``landmarks`` (unit coordinates), a little wider than its zone, soft-edged, lips left out."""
    lm = np.asarray(landmarks, dtype=np.float64)
    zone = np.zeros((size, size), dtype=np.float32)
    for name, points in (("moustache", _UPPER_LIP), ("beard", _LOWER_FACE)):
        if name in worn:
            polygon = lm[points]
            centre = polygon.mean(axis=0)
            zone = np.maximum(zone, fill_polygon(size, centre + (polygon - centre) * 1.1) / np.float32(255.0))
    zone = zone * (1.0 - lips_mask(lm, size))
    width = float(np.linalg.norm(lm[16] - lm[0]))
    return cv2.GaussianBlur(zone, (0, 0), 0.015 * width * size)


def lips_mask(landmarks: np.ndarray, size: int) -> np.ndarray:
    """Return float32 ``[S, S]``: 1 on the lips (inside their outer outline), else 0."""
    return fill_polygon(size, np.asarray(landmarks, dtype=np.float64)[48:60]) / np.float32(255.0)
