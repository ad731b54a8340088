"""The whites of a parent's eyes: a coloured light's cast on them is taken off before a child gets them.

A parent photographed against a blue wall has cyan whites of the eyes; cut into a child's face
they read, at the size of a thumbnail, as blue eyes (a CC0 mother's dark brown eyes gave her
daughter what looked like blue ones). The whites are the lightest pixels of each eye's opening; a
cast that takes them below neutral (:data:`WHITE_FLOOR`) is taken off them, fading out towards the
darker iris, whose colour stays the parent's. A window's or a sky's blue reflection on a brown
iris (:data:`IRIS_CAST_TOLERANCE`) is taken off too: on a lighter child it read as one blue eye.
"""

from __future__ import annotations

import cv2
import numpy as np

from genetics.images import cielab, luma, rgb_from_lab

EYES = (tuple(range(36, 42)), tuple(range(42, 48)))
"""The 68-point landmarks outlining each eye's opening."""

WHITE_SHARE = 0.10
"""The lightest share of an eye's opening read as its white (a blue or hazel iris is darker)."""

WHITE_FLOOR = (0.0, 0.0)
"""The least CIE a*, b* the whites of the eyes are given. Read off the 28 CC0 and shipped parents'
photos (each eye's lightest tenth), healthy whites lie at a* 1-12, b* 0-10; the blue-lit mother's
read -8.8, -10.6, and a blue-eyed mother's under a grey sky 4.8, -8.0."""


BLUE_IRIS = -2.0
"""CIE b* of an iris's colour (the median of its opening's darker half) under which it is a blue
iris, whose pixels no reflection floor (:data:`IRIS_CAST_TOLERANCE`) touches. The CC0 parents'
brown and dark irises read -1.2 to 23; the three blue-eyed mothers' -5.3 to -7.9."""

IRIS_CAST_TOLERANCE = 3.0
"""How far (CIE a*, b*) below its iris's own colour, or below neutral where that is warmer, a pixel
of an eye's opening may lie before it is taken for a coloured light's reflection and raised to
that floor. The iris's colour is the median of the opening's darker half (iris and pupil). A CC0
father lit by a window had a pale blue reflection over the upper half of his dark brown irises
(CIE b* -10 to -13 at lightness 30-70, his irises' median -0.1 to 3.3); his lighter-skinned sons
had one blue-grey eye. A blue iris's own median is blue, so its pixels lie above its floor."""


def eye_whites_balanced(image: np.ndarray, landmarks: np.ndarray) -> np.ndarray:
    """Return ``image`` (RGB uint8 ``[S, S, 3]``, a face with ``landmarks`` ``[68, 2]`` in its unit
    coordinates) with the whites of its eyes brought up to :data:`WHITE_FLOOR` and, in an iris
    that is not blue (:data:`BLUE_IRIS`), a coloured reflection brought up to the iris's floor
    (:data:`IRIS_CAST_TOLERANCE`); unchanged when neither is below its floor."""
    size = image.shape[0]
    points = np.asarray(landmarks, dtype=np.float64) * size
    out = image
    for eye in EYES:
        outline = points[list(eye)]
        pad = 2
        x0, y0 = np.floor(outline.min(axis=0)).astype(int) - pad
        x1, y1 = np.ceil(outline.max(axis=0)).astype(int) + pad + 1
        x0, y0, x1, y1 = max(x0, 0), max(y0, 0), min(x1, size), min(y1, size)
        if x1 - x0 < 4 or y1 - y0 < 3:
            continue
        opening = np.zeros((y1 - y0, x1 - x0), np.uint8)
        cv2.fillPoly(opening, [np.round(outline - (x0, y0)).astype(np.int32)], 1)
        lab = cielab(image[y0:y1, x0:x1])
        inside = lab[opening > 0]
        if len(inside) < 10:
            continue
        feather = cv2.GaussianBlur(opening.astype(np.float32), (0, 0), 1.0)
        middle = np.median(inside[:, 0])
        iris = np.median(inside[inside[:, 0] <= middle, 1:], axis=0)
        reflected = False
        if iris[1] >= BLUE_IRIS:
            floor = (np.minimum(iris, 0.0) - IRIS_CAST_TOLERANCE).astype(np.float32)
            raised = np.maximum(floor - lab[..., 1:], 0.0) * feather[..., None]
            reflected = bool(raised.any())
            lab[..., 1:] += raised
            inside = lab[opening > 0]
        light = np.percentile(inside[:, 0], 100.0 * (1.0 - WHITE_SHARE))
        white = np.median(inside[inside[:, 0] >= light, 1:], axis=0)
        shift = np.maximum(np.asarray(WHITE_FLOOR) - white, 0.0)
        if not shift.any() and not reflected:
            continue
        # Full on the whites, nothing on the iris and pupil (darker than the opening's median).
        weight = np.clip((lab[..., 0] - middle) / max(light - middle, 1.0), 0.0, 1.0) * feather
        lab[..., 1:] += weight[..., None] * shift.astype(np.float32)
        if out is image:
            out = image.copy()
        out[y0:y1, x0:x1] = np.clip(rgb_from_lab(lab) + 0.5, 0, 255).astype(np.uint8)
    return out


def whites_level(image: np.ndarray, landmarks: np.ndarray) -> float | None:
    """Return the luma of the whites of a face's eyes (the median of the lightest
    :data:`WHITE_SHARE` of both openings; RGB ``image`` ``[S, S, 3]``, ``landmarks`` ``[68, 2]`` in
    its unit coordinates), or None when the openings are too small to read. The whites are white
    on every face: their level follows the photo's exposure, not the skin's colour. Where little
    white shows (narrowed, hooded or shaded eyes) it reads low: of the 24 CC0 parents, 55-225,
    0.50-4.9 times their cheeks' luma."""
    size = image.shape[0]
    opening = np.zeros(image.shape[:2], np.uint8)
    for eye in EYES:
        cv2.fillPoly(opening, [np.round(np.asarray(landmarks, dtype=np.float64)[list(eye)] * size).astype(np.int32)], 1)
    pixels = image[opening > 0].astype(np.float64)
    if len(pixels) < 20:
        return None
    level = luma(pixels)
    return float(np.median(level[level >= np.percentile(level, 100.0 * (1.0 - WHITE_SHARE))]))
