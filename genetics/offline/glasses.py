"""Tell whether an aligned face wears glasses, so their frames are not copied piecewise.

Glasses are not landmarks: a brow or eye region cut from a face with glasses carries pieces of the
frame. The test looks at the nose bridge between the eyes, where a frame's bridge makes a strong
horizontal edge that a bare nose does not have. It is a heuristic tuned on the shipped portraits
(bare face ≈ 1.6, Grace Hopper's glasses ≈ 10), not a trained classifier.
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
