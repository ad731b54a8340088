"""Small test images: generated ones, and a public-domain portrait shipped with matplotlib."""

from __future__ import annotations

import io

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
