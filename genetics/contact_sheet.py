"""Contact sheets: one row per couple (father, mother, candidates), for people to look at."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw

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
) -> None:
    """Write a PNG: per row the parents' aligned faces, then the candidates with apparent ages."""
    columns = max(len(parents) + len(group) for (_, parents), group in zip(rows, candidates))
    height = LABEL + len(rows) * (TILE + LABEL)
    sheet = Image.new("RGB", (columns * TILE, height), (255, 255, 255))
    draw = ImageDraw.Draw(sheet)
    draw.text((4, 3), title, fill=(0, 0, 0))
    for r, ((name, parents), group) in enumerate(zip(rows, candidates)):
        top = LABEL + r * (TILE + LABEL)
        labels = [f"{name}: father", "mother"]
        row_ages = ages.get(name) or [None] * len(group)
        labels += [f"#{k} age {a:.0f}" if a is not None else f"#{k} age ?" for k, a in enumerate(row_ages)]
        for c, image in enumerate(list(parents) + list(group)):
            tile = Image.fromarray(np.asarray(image, dtype=np.uint8)).resize((TILE, TILE), Image.LANCZOS)
            sheet.paste(tile, (c * TILE, top))
            draw.text((c * TILE + 4, top + TILE + 3), labels[c], fill=(0, 0, 0))
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    sheet.save(path)
