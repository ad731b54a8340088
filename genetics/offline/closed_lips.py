"""Fill what shows between a parent's parted lips (teeth, the mouth's dark) with the lips' own
colour, for a child whose lips are drawn closed (a baby's).

Closing the lips (:func:`~genetics.offline.geometry.close_mouth`) squeezes the opening out of
the warp, but the warp's displacement is smoothed (:data:`~genetics.offline.geometry.WARP_SMOOTHING`),
so what lay between the lips still showed along the line where they meet: the app's demo babies,
of two parents smiling with their teeth, wore a pale grin of blurred teeth behind closed lips.
"""

from __future__ import annotations

import cv2
import numpy as np

from genetics.offline.blending import fill_from_skin, fill_grown
from genetics.offline.facial_hair import lips_mask

OPENING_GROWTH = (1.05, 1.2)
"""Width and height by which the inner lips' outline (landmarks 60-67) grows about its middle to
cover the teeth: dlib places the inner lips on the teeth's edge, and a smile's teeth reach a
little past it. At 1.4 the fill took in the lips' inner edge and the closed mouth was a wide
dark band."""

CLOSURE_SHADE = 0.85
"""Brightness of the filled opening against the lips around it: squeezed, it is the darker line
where closed lips meet. Filled with the lips' colour alone (1.0) the demo babies' mouths were a
wide pink band; at 0.7 a dark one, read as open."""

OPENING_FEATHER = 0.003
"""Gaussian sigma (fraction of the frame) of the filled opening's edge."""


def without_teeth(image: np.ndarray, landmarks: np.ndarray) -> np.ndarray:
    """Return RGB uint8 ``image`` (``[S, S, 3]``, a face with ``landmarks`` ``[68, 2]`` in its unit
    coordinates) with the lips' opening (:data:`OPENING_GROWTH`) filled, smooth, from the colour
    of the lips around it, shaded by :data:`CLOSURE_SHADE`."""
    size = image.shape[0]
    lm = np.asarray(landmarks, dtype=np.float64)
    opening = fill_grown(size, [lm[60:68]], OPENING_GROWTH)
    lips = lips_mask(lm, size) * (1.0 - opening)
    zone = cv2.GaussianBlur(opening, (0, 0), OPENING_FEATHER * size)
    filled = fill_from_skin(image, zone, np.zeros_like(zone), lips).astype(np.float32)
    filled *= 1.0 - (1.0 - CLOSURE_SHADE) * zone[..., None]
    return np.clip(filled + 0.5, 0, 255).astype(np.uint8)
