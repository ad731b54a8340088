"""Tone a parent's lipstick down to the colour natural lips have, so no child inherits it.

Lipstick is make-up, like a moustache is grooming (:mod:`genetics.offline.facial_hair`), not a
gene: a mother's red lips on her sons, or on any child, read as a pasted mouth. Natural lips are
a little redder than the cheeks; lipstick is far redder or more purple. The test is the distance,
in the CIE Lab a*-b* plane, between the lips' median colour and the cheeks'. Measured on the
public-domain portraits and the CC0 photos of ``benchmarks/cc0_couples.py`` (29 adults): bare lips
of men and women lay 7-16 from their cheeks (a rosy-lipped man 16.0), lipstick 18.5-35 (dark
red 22, bright red 35). Lips farther than :data:`NATURAL_LIPS` wear lipstick: their colour's
distance from the cheeks is scaled down to :data:`TONED_LIPS` and, where darker than
:data:`DARKEST_LIPS`, their lightness raised to it; their shading, gloss and shape stay. Only
toned down to the largest natural distance, a son's lips still read as painted (a dark red
lipstick's lips were 38 darker than the cheeks; bare lips of pale faces 7-24).
"""

from __future__ import annotations

import cv2
import numpy as np

from genetics.images import cielab, rgb_from_lab
from genetics.offline.blending import fill_polygon
from genetics.offline.facial_hair import lips_mask
from genetics.offline.portrait import cheek_pixels

NATURAL_LIPS = 16.0
"""Farthest (CIE Lab a*-b* distance) bare lips' median colour lies from the cheeks'."""

TONED_LIPS = 11.0
"""The a*-b* distance from the cheeks lipstick is toned down to: the middle of bare lips'."""

DARKEST_LIPS = -20.0
"""Lightness (CIE Lab L*) below the cheeks' that lips wearing lipstick are raised to, if darker."""


def _bare_lips(landmarks: np.ndarray, size: int) -> np.ndarray:
    """Return bool ``[S, S]``: the lips, without what shows between them (teeth, the mouth's dark)."""
    return (lips_mask(landmarks, size) > 0) & (fill_polygon(size, landmarks[60:68]) == 0)


def lips_colour_distance(image: np.ndarray, landmarks: np.ndarray) -> tuple[float, np.ndarray, np.ndarray]:
    """Return how far (a*-b* plane) the lips' median colour lies from the cheeks', and the two
    colours' L*, a*, b* (``[3]`` each): RGB uint8 ``[S, S, 3]`` ``image``, ``landmarks``
    ``[68, 2]`` in its unit coordinates."""
    lips = _bare_lips(np.asarray(landmarks, dtype=np.float64), image.shape[0])
    cheeks = cheek_pixels(image, landmarks)
    if not lips.any() or not len(cheeks):
        return 0.0, np.zeros(3), np.zeros(3)
    lips_lab = np.median(cielab(image[lips]), axis=0)
    cheek_lab = np.median(cielab(cheeks), axis=0)
    return float(np.linalg.norm(lips_lab[1:] - cheek_lab[1:])), lips_lab, cheek_lab


def without_lipstick(image: np.ndarray, landmarks: np.ndarray) -> np.ndarray:
    """Return RGB uint8 ``image`` (``[S, S, 3]``, a face with ``landmarks`` ``[68, 2]`` in its
    unit coordinates) with lips redder than natural ones (:data:`NATURAL_LIPS`) toned down: each
    lip pixel's a*, b* moved toward the cheeks' by the share that brings the lips' median to
    :data:`TONED_LIPS`, and its L* raised as far as the median needs to reach :data:`DARKEST_LIPS`,
    feathered at the lips' edge. Other images are returned as they are."""
    distance, lips_lab, cheek_lab = lips_colour_distance(image, landmarks)
    if distance <= NATURAL_LIPS:
        return image
    size = image.shape[0]
    lm = np.asarray(landmarks, dtype=np.float64)
    width = float(np.linalg.norm(lm[54] - lm[48]))
    # The lips only (teeth between parted lips keep their colour), whole up to their outline and
    # feathered past it: feathered inside, thin lips kept half their lipstick.
    lips = _bare_lips(lm, size).astype(np.float32)
    feather = max(0.04 * width * size, 0.5)
    disc = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (2 * round(feather) + 1,) * 2)
    mask = np.maximum(cv2.GaussianBlur(cv2.dilate(lips, disc), (0, 0), feather), lips)[..., None]
    lab = cielab(image)
    keep = 1.0 - mask * (1.0 - TONED_LIPS / distance)
    lab[..., 1:] = cheek_lab[1:] + (lab[..., 1:] - cheek_lab[1:]) * keep
    lab[..., :1] += mask * max(DARKEST_LIPS - (lips_lab[0] - cheek_lab[0]), 0.0)
    rgb = np.clip(rgb_from_lab(lab) + 0.5, 0, 255).astype(np.uint8)
    # Past the feather's last hundredth the photo stays exactly as it was (a round trip through
    # Lab moves a pixel by a level).
    return np.where(mask > 0.01, rgb, image)
