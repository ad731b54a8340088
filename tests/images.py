"""Small test images: generated ones, a public-domain portrait shipped with matplotlib, and a face
half hidden."""

from __future__ import annotations

import io

import cv2
import numpy as np
from PIL import Image


def jpeg_bytes(image: np.ndarray | None = None, **save_args) -> bytes:
    """Return JPEG bytes of an image (a small generated gradient by default)."""
    if image is None:
        y, x = np.mgrid[0:48, 0:64]
        image = np.stack([x * 4, y * 5, (x + y) * 2], axis=-1).astype(np.uint8)
    buffer = io.BytesIO()
    Image.fromarray(image).save(buffer, format="JPEG", **save_args)
    return buffer.getvalue()


def in_hat_and_sunglasses(image: np.ndarray) -> np.ndarray:
    """Return a copy of RGB ``image`` with dark round lenses and their bridge painted over the
    eyes, and a hat's pale crown over the head down to just above the brows."""
    from genetics.faces import detect_faces

    out = image.copy()
    lm = detect_faces(image)[0].landmarks
    width = float(np.ptp(lm[:, 0]))
    for eye in (lm[36:42], lm[42:48]):
        centre, side = eye.mean(axis=0), float(np.ptp(eye[:, 0]))
        axes = (int(side * 1.1), int(side * 0.77))
        cv2.ellipse(out, (int(centre[0]), int(centre[1])), axes, 0, 0, 360, (15, 15, 18), -1)
    cv2.line(out, tuple(int(v) for v in lm[39]), tuple(int(v) for v in lm[42]), (15, 15, 18), max(2, int(width * 0.03)))
    top = int(lm[17:27, 1].min() - 0.02 * width)
    cv2.rectangle(out, (int(lm[0, 0] - 0.4 * width), 0), (int(lm[16, 0] + 0.4 * width), top), (200, 190, 170), -1)
    return out
