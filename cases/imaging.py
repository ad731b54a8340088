"""Safe decoding of uploaded images with Pillow: sniffing, size caps, orientation and colour modes.

Used by the web process, so it imports no torch; the worker turns the downscaled RGB arrays it
returns into faces with ``genetics``.
"""

from __future__ import annotations

import hashlib
import io
import warnings
from dataclasses import dataclass

import numpy as np
from PIL import Image, ImageOps, UnidentifiedImageError

ACCEPTED_FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp", "TIFF": "tiff", "GIF": "gif", "BMP": "bmp"}
EXIF_ORIENTATION_TAG = 0x0112


class ImageRejected(ValueError):
    """The bytes are not an image Kinship accepts; the message says why in plain words."""


@dataclass(frozen=True)
class ImageInfo:
    """What an upload turned out to be."""

    image_format: str
    width: int
    height: int
    exif_orientation: int
    sha256: str
    byte_size: int


def image_inspect(data: bytes, *, max_bytes: int, max_pixels: int) -> ImageInfo:
    """Check uploaded bytes and return their facts; raise ImageRejected with a reason otherwise.

    The format is sniffed from the content (the file name and declared type are ignored), the
    pixel count is checked from the header before anything is decoded, and the whole image is
    then decoded once so a truncated or corrupt file is refused now rather than in a worker.
    """
    if not data:
        raise ImageRejected("The file is empty.")
    if len(data) > max_bytes:
        raise ImageRejected(f"The file is {len(data) / 1e6:.1f} MB; the limit is {max_bytes / 1e6:.0f} MB.")
    image = _open(data)
    with image:
        if image.format not in ACCEPTED_FORMATS:
            raise ImageRejected(f"{image.format} images are not accepted; use JPEG, PNG, WebP or TIFF.")
        width, height = image.size
        if width * height > max_pixels:
            raise ImageRejected(
                f"The image is {width}×{height} pixels ({width * height / 1e6:.0f} megapixels); "
                f"the limit is {max_pixels / 1e6:.0f} megapixels."
            )
        orientation = _exif_orientation(image)
        try:
            image.load()
        except (OSError, SyntaxError, ValueError) as error:
            raise ImageRejected("The image is damaged or incomplete and cannot be read.") from error
    if orientation in (5, 6, 7, 8):
        width, height = height, width
    return ImageInfo(
        image_format=image.format,
        width=width,
        height=height,
        exif_orientation=orientation,
        sha256=hashlib.sha256(data).hexdigest(),
        byte_size=len(data),
    )


def image_to_rgb(image: Image.Image) -> Image.Image:
    """Return an 8-bit RGB copy: CMYK and 16-bit converted, transparency flattened on white."""
    if image.mode in ("I;16", "I;16B", "I;16L", "I"):
        array = np.asarray(image, dtype=np.float64)
        peak = array.max() or 1.0
        scaled = (array / (65535.0 if peak > 255 else 255.0) * 255.0).clip(0, 255).astype(np.uint8)
        image = Image.fromarray(scaled, mode="L")
    if image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        background = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        image = Image.alpha_composite(background, rgba)
    return image.convert("RGB")


def image_decode_display(data: bytes, *, max_side: int | None = None) -> Image.Image:
    """Decode to upright 8-bit RGB, at most ``max_side`` pixels on the long side.

    JPEG decoding uses Pillow's draft mode, so a large scan is decoded at a reduced scale and
    memory stays bounded by the target size rather than the original.
    """
    image = _open(data)
    if max_side and image.format == "JPEG":
        image.draft("RGB", (max_side, max_side))
    image = ImageOps.exif_transpose(image)
    image = image_to_rgb(image)
    if max_side and max(image.size) > max_side:
        image.thumbnail((max_side, max_side), Image.Resampling.LANCZOS)
    return image


def image_thumbnail_jpeg(data: bytes, *, size: int) -> bytes:
    """Return an upright JPEG thumbnail of at most ``size`` pixels on the long side."""
    image = image_decode_display(data, max_side=size)
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=85)
    return buffer.getvalue()


def _open(data: bytes) -> Image.Image:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            return Image.open(io.BytesIO(data))
    except (UnidentifiedImageError, Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        if isinstance(error, (Image.DecompressionBombError, Image.DecompressionBombWarning)):
            raise ImageRejected("The image has far too many pixels to be processed safely.") from error
        raise ImageRejected("The file is not an image Kinship can read (JPEG, PNG, WebP or TIFF).") from error
    except OSError as error:
        raise ImageRejected("The image is damaged and cannot be read.") from error


def _exif_orientation(image: Image.Image) -> int:
    try:
        value = int(image.getexif().get(EXIF_ORIENTATION_TAG, 1))
    except (OSError, ValueError, TypeError):
        return 1
    return value if 1 <= value <= 8 else 1
