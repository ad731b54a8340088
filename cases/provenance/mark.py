"""The visible "SYNTHETIC" label burnt into a generated image's pixels."""

from __future__ import annotations

import io
from typing import Literal, get_args, overload

from PIL import Image, ImageDraw, ImageFont, ImageOps

from genetics.provenance.info import ProvenanceError, sniff_format

Placement = Literal["bottom-right", "bottom-left", "top-right", "top-left", "band-bottom"]
PLACEMENTS: tuple[str, ...] = get_args(Placement)


@overload
def apply_visible_mark(image: bytes, *, text: str = ..., placement: Placement = ...) -> bytes: ...
@overload
def apply_visible_mark(image: Image.Image, *, text: str = ..., placement: Placement = ...) -> Image.Image: ...
def apply_visible_mark(
    image: Image.Image | bytes, *, text: str = "SYNTHETIC", placement: Placement = "bottom-right"
) -> Image.Image | bytes:
    """Return the image with a legible label: white text on a semi-opaque dark box, scaled to the image.

    An Image gives back an RGB (or RGBA) Image; bytes give back bytes in the same format (PNG stays
    PNG, anything else becomes JPEG), upright per their EXIF orientation. Metadata is not carried
    over: embed provenance afterwards.
    """
    if placement not in PLACEMENTS:
        raise ProvenanceError(f"Unknown mark placement {placement!r}; use one of {PLACEMENTS}.")
    if not text.strip():
        raise ProvenanceError("The visible mark needs some text.")
    if isinstance(image, bytes):
        image_format = sniff_format(image)
        with Image.open(io.BytesIO(image)) as source:
            # The label must land in the corner a viewer sees, and the EXIF turn is not kept.
            marked = _draw_mark(ImageOps.exif_transpose(source), text, placement)
        out = io.BytesIO()
        if image_format == "PNG":
            marked.save(out, "PNG")
        else:
            marked.convert("RGB").save(out, "JPEG", quality=95)
        return out.getvalue()
    return _draw_mark(image, text, placement)


def _draw_mark(image: Image.Image, text: str, placement: str) -> Image.Image:
    base = image.convert("RGBA" if "A" in image.getbands() else "RGB")
    width, height = base.size
    font_size = max(8, round(min(width, height) * 0.06))
    while True:
        font = ImageFont.load_default(size=font_size)
        left, top, right, bottom = ImageDraw.Draw(base).textbbox((0, 0), text, font=font)
        padding = max(2, font_size // 3)
        box_width, box_height = right - left + 2 * padding, bottom - top + 2 * padding
        if (box_width <= width * 0.9 and box_height <= height * 0.3) or font_size <= 6:
            break
        font_size -= 1
    margin = max(1, round(min(width, height) * 0.02))
    if placement == "band-bottom":
        box = (0, height - box_height, width, height)
    else:
        x0 = margin if placement.endswith("left") else width - margin - box_width
        y0 = margin if placement.startswith("top") else height - margin - box_height
        box = (x0, y0, x0 + box_width, y0 + box_height)
    overlay = Image.new("RGBA", base.size, (0, 0, 0, 0))
    draw = ImageDraw.Draw(overlay)
    draw.rectangle(box, fill=(0, 0, 0, 170))
    text_x = (box[0] + box[2] - (right - left)) // 2 - left
    text_y = (box[1] + box[3] - (bottom - top)) // 2 - top
    draw.text((text_x, text_y), text, font=font, fill=(255, 255, 255, 255))
    marked = Image.alpha_composite(base.convert("RGBA"), overlay)
    return marked if base.mode == "RGBA" else marked.convert("RGB")
