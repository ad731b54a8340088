"""Contact sheets: one row per couple (father, mother, candidates), for people to look at."""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw

from genetics.provenance import png_set_xmp

TILE = 192
"""Side of each face tile (pixels)."""

LABEL = 18
"""Height of the text strip under each tile."""


def write_contact_sheet(
    path: Path,
    rows: list[tuple[str, list[np.ndarray]]],
    candidates: list[list[np.ndarray]],
    ages: dict[str, list[float | None]],
    *,
    title: str = "",
    xmp: bytes | None = None,
) -> None:
    """Write a PNG: per row the parents' aligned faces, then the candidates, each labelled synthetic,
    with their apparent ages; ``xmp`` (a packet, :func:`genetics.provenance.xmp.xmp_packet`) goes
    into the file's metadata."""
    columns = max(len(parents) + len(group) for (_, parents), group in zip(rows, candidates))
    height = LABEL + len(rows) * (TILE + LABEL)
    sheet = Image.new("RGB", (columns * TILE, height), (255, 255, 255))
    draw = ImageDraw.Draw(sheet)
    draw.text((4, 3), title, fill=(0, 0, 0))
    for r, ((name, parents), group) in enumerate(zip(rows, candidates)):
        top = LABEL + r * (TILE + LABEL)
        labels = [f"{name}: father", "mother"]
        row_ages = ages.get(name) or [None] * len(group)
        labels += [f"#{k} synthetic, age {'?' if a is None else f'{a:.0f}'}" for k, a in enumerate(row_ages)]
        for c, image in enumerate(list(parents) + list(group)):
            tile = Image.fromarray(np.asarray(image, dtype=np.uint8)).resize((TILE, TILE), Image.LANCZOS)
            sheet.paste(tile, (c * TILE, top))
            draw.text((c * TILE + 4, top + TILE + 3), labels[c], fill=(0, 0, 0))
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    buffer = io.BytesIO()
    sheet.save(buffer, format="PNG")
    Path(path).write_bytes(buffer.getvalue() if xmp is None else png_set_xmp(buffer.getvalue(), xmp))
