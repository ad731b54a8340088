"""Write real families (father, mother and their child in one group photo) to measure with.

The issue asks that a real child sit closer to its own parents' candidates than to another
couple's; that needs families whose children are known. TSKinFace (Qin, Tan & Chen, "Tri-Subject
Kinship Verification: Understanding the Core of a Family", IEEE TMM 2015) gives 787 family group
photos from the web with each face's role, centre and radius. Its terms: non-commercial research
only, no redistribution. So nothing of it ships; this script only reads a copy you fetch yourself
(it was committed, then deleted, in github.com/urielsinger/familyGan at 7715c05,
``data/TSKinFace_Data``) and writes, outside the repository:

- ``daughters.csv`` and ``sons.csv`` for ``python -m genetics evaluate``
  (``family,father,mother,children,father_box,mother_box``): the parents picked by box out of the
  whole group photo, as a user picks them, and the child as a crop of it;
- ``children/``: those crops.

The families are the first ``--count`` of each relation (FM-D, FM-S) in the dataset's numbering
whose three faces are at least ``--min-side`` pixels across (the gate enlarges faces from 40 px).

Usage: ``python benchmarks/tskinface_families.py --source TSKinFace_Data/TSKinFace_source --out DIR``
"""

from __future__ import annotations

import argparse
import csv
from dataclasses import dataclass
from pathlib import Path

from PIL import Image

PARENT_BOX = 1.4
"""Half-side of a parent's box, in face radii: the dataset's radius reaches about the cheeks,
and the box must hold the whole face for the gate to pick it."""

CHILD_CROP = 2.0
"""Half-side of a child's crop, in face radii: the whole head with room for alignment, little of
its neighbours (at 2.5 one daughter's crop held her father's face too, and dlib found two)."""


@dataclass(frozen=True)
class Face:
    """One face of a family photo: its centre and radius in photo pixels."""

    x: int
    y: int
    radius: int

    def box(self, half: float, width: int, height: int) -> tuple[int, int, int, int]:
        """Return ``LEFT, TOP, RIGHT, BOTTOM``: a square of ``half`` radii each side, inside the photo."""
        reach = round(half * self.radius)
        return (
            max(self.x - reach, 0),
            max(self.y - reach, 0),
            min(self.x + reach, width),
            min(self.y + reach, height),
        )


def read_faces(face_list: Path) -> dict[str, dict[str, Face]]:
    """Return, per photo name, each role's face (``F``, ``M``, ``D``, ``S``) from a FaceList file."""
    photos: dict[str, dict[str, Face]] = {}
    for line in face_list.read_text().splitlines():
        parts = line.split()
        if len(parts) != 5:
            continue
        name, role = parts[0].replace("\\", "/").split("/")[-1], parts[1]
        photos.setdefault(name, {})[role] = Face(*(int(p) for p in parts[2:]))
    return photos


def _number(name: str) -> int:
    return int(name.rsplit("-", 1)[-1].split(".")[0])


def write_relation(source: Path, out: Path, relation: str, child: str, count: int, min_side: int) -> int:
    """Write ``out/<daughters|sons>.csv`` for up to ``count`` families of ``relation``; return how many."""
    photos = read_faces(source / f"{relation}_information" / f"{relation}_FaceList_Last_combine.txt")
    (out / "children").mkdir(parents=True, exist_ok=True)
    rows = []
    for name in sorted(photos, key=_number):
        faces = photos[name]
        if not {"F", "M", child} <= faces.keys() or min(2 * f.radius for f in faces.values()) < min_side:
            continue
        path = (source / relation / name).resolve()
        with Image.open(path) as photo:
            image = photo.convert("RGB")
        width, height = image.size
        family = f"{relation}-{_number(name)}"
        crop = out / "children" / f"{family}-{child}.png"
        image.crop(faces[child].box(CHILD_CROP, width, height)).save(crop)
        father, mother = (",".join(map(str, faces[r].box(PARENT_BOX, width, height))) for r in "FM")
        rows.append([family, str(path), str(path), f"children/{crop.name}", father, mother])
        if len(rows) == count:
            break
    label = {"D": "daughters", "S": "sons"}[child]
    with (out / f"{label}.csv").open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["family", "father", "mother", "children", "father_box", "mother_box"])
        writer.writerows(rows)
    return len(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--source", type=Path, required=True, help="TSKinFace_Data/TSKinFace_source")
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--count", type=int, default=12, help="families per relation")
    parser.add_argument("--min-side", type=int, default=40, help="smallest face side, pixels")
    args = parser.parse_args()
    for relation, child in (("FMD", "D"), ("FMS", "S")):
        written = write_relation(args.source, args.out, relation, child, args.count, args.min_side)
        print(f"{written} {relation} families in {args.out} (TSKinFace: research only; never ship them)")


if __name__ == "__main__":
    main()
