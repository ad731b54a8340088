"""Build the research-only reference set the offline engine's figures in genetics/README.md were measured with.

Nothing here ships: the faces are UTKFace reconstructions (non-commercial research licence) and
synthetic faces of a model trained on FFHQ-Aging (CC BY-NC-SA). Fetch the two repositories
yourself, then point this script at their files; it writes PNG tiles and ``references.csv``
(``path,age,sex``) into ``--out``, for ``python -m genetics evaluate --references``, and
``couples.csv``, the research couples the figures are measured on (``evaluate``'s families):

- ``demo/sample.png`` of github.com/ZZUTK/Face-Aging-CAAE: 10 x 10 tight tiles of 128 px; ages
  and sexes below were read by eye (babies, children) and by face_attrs (adults); tiles the gate
  refuses (turned away, no face, face cut off by the tile's edge) are left out.
- ``gifs/*.gif`` of github.com/royorel/Lifespan_Age_Transformation_Synthesis: frame 0 of each
  age progression as a baby (age 1), frame 25 as a child (age 6), frame 60 (the model's 15-19
  class) as a teenager (age 16).

Usage: ``python benchmarks/research_references.py --caae demo/sample.png --lats gifs/ --out DIR``
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np
from PIL import Image, ImageOps

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from genetics.errors import GeneticsError  # noqa: E402
from genetics.gate import gate_face  # noqa: E402

CAAE_LABELS = (
    "00:29m 01:29f 02:29f 03:39f 04:1f 05:28f 06:29f 07:28f 08:28m 10:29f 11:23m 12:29m 13:1f 14:39f "
    "16:29m 17:30f 18:29f 19:29f 20:1f 21:29m 22:39m 23:29f 24:29f 25:49f 27:6f 28:1f 29:1f 30:29m "
    "31:29f 33:28m 34:6f 37:29f 38:6f 39:29f 40:6f 41:39m 42:29m 43:29f 44:29m 45:29m 46:29f 47:1f "
    "48:29f 49:29f 50:69m 51:29m 53:1f 55:30f 57:69m 58:39m 59:1m 60:29m 61:29f 62:29m 63:29m 64:69m "
    "65:39m 66:29m 67:29f 68:39m 69:29m 70:69f 71:29m 72:39m 73:29f 74:49f 75:29f 77:69f 78:6f 80:29m "
    "82:39f 83:29m 84:29f 86:34m 87:29f 88:39f 89:69m 90:29f 91:29m 92:29m 94:29f 96:29m 97:24m 98:29f "
    "99:29f"
)
"""Tile (row, column) of the CAAE grid: age in years and sex (m/f)."""

LATS_SEXES = "mmfmffmfmf"
"""Sex of each LATS progression, in the sorted order of the GIF file names."""

COUPLES = 12
"""How many research couples ``couples.csv`` pairs: the first CAAE men and women aged 20-39,
in tile order, the n-th man with the n-th woman."""


def _caae(sample: Path, out: Path) -> list[str]:
    grid = np.asarray(Image.open(sample).convert("RGB"))
    rows, refused = [], []
    for label in CAAE_LABELS.split():
        tile, value = label.split(":")
        r, c = int(tile[0]), int(tile[1])
        # Saved as the tight crops they are: the engine leaves what lies past a photo's edge out
        # of its averages. Edge-padded (until 0.1.9), the padding's streaks were pixels of the
        # file and showed as bands across the cheeks of candidates weighing those faces.
        crop = np.ascontiguousarray(grid[r * 128 : (r + 1) * 128, c * 128 : (c + 1) * 128])
        try:
            gate_face(crop)
        except GeneticsError as error:
            refused.append(f"{tile} ({type(error).__name__})")
            continue
        name = f"caae_{tile}.png"
        Image.fromarray(crop).save(out / name)
        rows.append(f"{name},{int(value[:-1])},{'male' if value[-1] == 'm' else 'female'}")
    if refused:
        print(f"CAAE tiles the gate refuses, left out: {', '.join(refused)}")
    return rows


def _lats(folder: Path, out: Path) -> list[str]:
    rows = []
    for index, gif in enumerate(sorted(folder.glob("*.gif"))):
        sex = "male" if LATS_SEXES[index] == "m" else "female"
        movie = Image.open(gif)
        for frame, age in ((0, 1), (25, 6), (60, 16)):
            movie.seek(frame)
            still = ImageOps.fit(movie.convert("RGB"), (384, 384), Image.Resampling.LANCZOS)
            name = f"lats_{gif.stem}_{frame}.png"
            still.save(out / name)
            rows.append(f"{name},{age},{sex}")
    return rows


def _couples(rows: list[str]) -> str:
    fields = (row.split(",") for row in rows)
    adults = [(name, sex) for name, age, sex in fields if name.startswith("caae_") and 20 <= int(age) <= 39]
    men = [name for name, sex in adults if sex == "male"][:COUPLES]
    women = [name for name, sex in adults if sex == "female"][:COUPLES]
    lines = [f"c{n:02d},{man},{woman}" for n, (man, woman) in enumerate(zip(men, women, strict=False), start=1)]
    return "family,father,mother\n" + "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--caae", type=Path, required=True, help="demo/sample.png of Face-Aging-CAAE")
    parser.add_argument("--lats", type=Path, help="gifs/ folder of Lifespan_Age_Transformation_Synthesis")
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    rows = _caae(args.caae, args.out) + (_lats(args.lats, args.out) if args.lats else [])
    (args.out / "references.csv").write_text("path,age,sex\n" + "\n".join(rows) + "\n")
    (args.out / "couples.csv").write_text(_couples(rows))
    print(
        f"{len(rows)} references in {args.out / 'references.csv'}, {COUPLES} couples in "
        f"{args.out / 'couples.csv'} (research use only; never ship them)"
    )


if __name__ == "__main__":
    main()
