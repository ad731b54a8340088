"""Images for the command line and the evaluation (files or shipped public-domain samples), and
the brightness and colour measures the library and the app share."""

from __future__ import annotations

import hashlib
import io
from pathlib import Path

import cv2
import numpy as np

SAMPLE_PREFIX = "sample:"

LUMA_WEIGHTS = np.array([0.299, 0.587, 0.114], dtype=np.float32)
"""Rec. 601 weights of R, G and B in brightness."""


def luma(rgb: np.ndarray) -> np.ndarray:
    """Return the Rec. 601 brightness (float32 ``[...]``) of RGB values ``[..., 3]``."""
    return np.asarray(rgb, dtype=np.float32) @ LUMA_WEIGHTS


def cielab(rgb: np.ndarray) -> np.ndarray:
    """Return the CIE Lab colours (float32 ``[..., 3]``: L* 0-100, a*, b*) of RGB values ``[..., 3]``
    in 0-255 (an image, a list of pixels or one colour)."""
    values = np.asarray(rgb, dtype=np.float32)
    flat = values.reshape(-1, 1, 3) / 255.0
    return cv2.cvtColor(flat, cv2.COLOR_RGB2LAB).reshape(values.shape)


def rgb_from_lab(lab: np.ndarray) -> np.ndarray:
    """Return the RGB values (float32 ``[..., 3]``, 0-255, not clipped nor rounded) of CIE Lab
    colours ``[..., 3]``: the inverse of :func:`cielab`."""
    values = np.asarray(lab, dtype=np.float32)
    # An image is converted as it is: reshaped to one column, OpenCV gave some pixels a level apart.
    shaped = values if values.ndim == 3 else values.reshape(-1, 1, 3)
    return (cv2.cvtColor(shaped, cv2.COLOR_LAB2RGB) * 255.0).reshape(values.shape)


def load_image(reference: str, *, base: Path | None = None) -> tuple[np.ndarray, str]:
    """Return an RGB uint8 image and the sha256 of its source bytes (file or shipped sample)."""
    if reference.startswith(SAMPLE_PREFIX):
        from genetics.samples import sample

        name, _, variant = reference[len(SAMPLE_PREFIX) :].partition(":")
        image = sample(name)
        if variant == "mirror":
            image = np.ascontiguousarray(image[:, ::-1])
        elif variant:
            raise ValueError(f"unknown sample variant {variant!r} in {reference!r}; only 'mirror'")
        return image, hashlib.sha256(image.tobytes()).hexdigest()
    from PIL import Image, ImageOps

    path = Path(reference)
    if base is not None and not path.is_absolute():
        path = base / path
    data = path.read_bytes()
    with Image.open(io.BytesIO(data)) as img:
        image = np.asarray(ImageOps.exif_transpose(img).convert("RGB"), dtype=np.uint8)
    return image, hashlib.sha256(data).hexdigest()
