"""Write the twelve real-photo couples the offline engine's figures are also measured on.

The research couples (``research_references.py``) are 128-px tiles, blurred and cropped tight;
these are real photographs of adults, 500 px square, faces 150-270 px across, of several
ancestries. They come from github.com/cjdowner/interfaces (release 1.4, 2018): 100 avatars from
Pexels, released there under CC0 1.0 (its README; its CREDITS.md links each file to its Pexels
page). CC0 would allow shipping them, but nothing here ships: they are strangers' faces, paired
at random, used only to measure. Fetch that repository yourself and point this script at its
``500 x 500`` folder; it writes ``couples.csv`` (``family,father,mother``, absolute paths) for
``python -m genetics evaluate``.

The couples pair men and women the gate accepts, looking towards the camera without sunglasses
or a hat, picked by eye from the 78 of 100 photos it accepts; the pairs are arbitrary (no real
couples).

Usage: ``python benchmarks/cc0_couples.py --photos "interfaces/500 x 500" --out DIR``
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np
from PIL import Image

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from genetics.gate import gate_face  # noqa: E402

COUPLES = (
    ("006", "057"),
    ("014", "001"),
    ("022", "007"),
    ("033", "009"),
    ("047", "039"),
    ("061", "080"),
    ("071", "088"),
    ("072", "011"),
    ("074", "031"),
    ("084", "096"),
    ("089", "035"),
    ("097", "083"),
)
"""(father, mother) file numbers in the ``500 x 500`` folder, couple ``k01`` first. 061 is a bald
man; 014 wears his hair cropped short; 057, 080 and 088 are Black women, 039 an East Asian woman."""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--photos", type=Path, required=True, help="the '500 x 500' folder of cjdowner/interfaces")
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    lines = ["family,father,mother"]
    for number, pair in enumerate(COUPLES, start=1):
        paths = [(args.photos / f"{name}.jpg").resolve() for name in pair]
        for path in paths:
            # Checked here so a changed or missing file is named before an evaluation starts.
            gate_face(np.asarray(Image.open(path).convert("RGB")))
        lines.append(f"k{number:02d},{paths[0]},{paths[1]}")
    (args.out / "couples.csv").write_text("\n".join(lines) + "\n")
    print(f"{len(COUPLES)} couples in {args.out / 'couples.csv'} (CC0 photos, measured only; never ship them)")


if __name__ == "__main__":
    main()
