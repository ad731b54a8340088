"""Tell whether an aligned face wears glasses, so their frames are not copied piecewise.

Glasses are not landmarks: a brow or eye region cut from a face with glasses carries pieces of the
frame. The test looks at the nose bridge between the eyes, where a frame's bridge makes a strong
horizontal edge that a bare nose does not have. It is a heuristic tuned on the shipped portraits
(bare face ≈ 1.6, Grace Hopper's glasses ≈ 10), not a trained classifier. Where a face wears
glasses, :func:`genetics.offline.blending.fill_from_skin` fills in where they lie (:func:`lens_zone`)
from its skin around.
"""

from __future__ import annotations

import cv2
import numpy as np

GLASSES_THRESHOLD = 4.0
"""Bridge edge ratio above which a face counts as wearing glasses."""


def glasses_score(aligned: np.ndarray, landmarks: np.ndarray) -> float:
    """Return the peak-to-median ratio of horizontal edges on the nose bridge.

    ``aligned`` is the RGB uint8 ``[S, S, 3]`` aligned face, ``landmarks`` ``[68, 2]`` in unit
    coordinates of that frame.
    """
    size = aligned.shape[0]
    grey = cv2.cvtColor(aligned, cv2.COLOR_RGB2GRAY).astype(np.float32)
    grey = cv2.GaussianBlur(grey, (0, 0), size / 512.0)
    edges = np.abs(cv2.Sobel(grey, cv2.CV_32F, 0, 1, ksize=3))
    lm = np.asarray(landmarks, dtype=np.float64) * size
    nose_length = lm[30, 1] - lm[27, 1]
    top = int(max(lm[27, 1] - 0.3 * nose_length, 0))
    bottom = int(min(lm[29, 1], size - 1))
    half_width = max(int(0.02 * size), 1)
    centre = int(lm[27, 0])
    band = edges[top:bottom, max(centre - half_width, 0) : centre + half_width]
    if band.size == 0:
        return 0.0
    profile = band.mean(axis=1)
    return float(profile.max() / (np.median(profile) + 1.0))


def wears_glasses(aligned: np.ndarray, landmarks: np.ndarray) -> bool:
    """Return whether :func:`glasses_score` passes :data:`GLASSES_THRESHOLD`."""
    return glasses_score(aligned, landmarks) > GLASSES_THRESHOLD


LENS_AXES = (0.5, 0.4)
"""A lens's half-width and half-height, as shares of the distance between the eyes' centres: an
ellipse a little below each eye that reaches the temple, the cheek's top and, meeting its pair,
the bridge; not the brows above."""

LENS_DROP = 0.12
"""How far below the eye's centre a lens's centre sits, as a share of the distance between the eyes."""


def lens_zone(landmarks: np.ndarray, size: int) -> np.ndarray:
    """Return float32 ``[S, S]`` in 0-1: where a pair of glasses lies on a face with these
    ``landmarks`` (unit coordinates), frames, lenses and bridge, with a soft edge."""
    lm = np.asarray(landmarks, dtype=np.float64)
    eyes = [lm[36:42].mean(axis=0), lm[42:48].mean(axis=0)]
    apart = float(np.linalg.norm(eyes[1] - eyes[0]))
    zone = np.zeros((size, size), dtype=np.uint8)
    for centre in eyes:
        x, y = centre * size
        axes = (round(LENS_AXES[0] * apart * size), round(LENS_AXES[1] * apart * size))
        cv2.ellipse(zone, (round(x), round(y + LENS_DROP * apart * size)), axes, 0, 0, 360, 255, -1)
    return cv2.GaussianBlur(zone.astype(np.float32) / 255.0, (0, 0), 0.04 * apart * size)
