"""How far dlib's face descriptor lets a young face match its own adult face: the reach of the
own-parent share for child candidates (``python -m genetics evaluate``, genetics/README.md).

Input: age progressions of one person each, as animated GIFs whose frames run from a baby to an
old adult (``gifs/*.gif`` of github.com/royorel/Lifespan_Age_Transformation_Synthesis: synthetic
faces of a model trained on FFHQ-Aging, CC BY-NC-SA; research use only, nothing of them ships).
For each young frame, over every pair of a person and another person, the share where that
person's young face lies nearer (mean descriptor distance) to its own adult frames than to the
other person's: the own-parent share a child would reach if it were its parent's own younger
face, a bound no child of two parents exceeds by resemblance alone.

Usage: ``python benchmarks/identity_ceiling.py --gifs gifs/ [--young 0,25] [--adult 80,85,90,95,100]``
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np
from PIL import Image

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from genetics.errors import GeneticsError  # noqa: E402
from genetics.metrics import embed_image  # noqa: E402


def _frames(path: Path, wanted: set[int]) -> dict[int, np.ndarray]:
    """Return the descriptors of the ``wanted`` frames of one GIF in which a face is found."""
    found = {}
    with Image.open(path) as movie:
        for frame in sorted(wanted):
            if frame >= movie.n_frames:
                continue
            movie.seek(frame)
            try:
                found[frame] = embed_image(np.asarray(movie.convert("RGB")))
            except GeneticsError:
                continue
    return found


def own_share(people: list[dict[int, np.ndarray]], young: int, adult: list[int]) -> tuple[float, int]:
    """Return the share of (person, other person) pairs where the person's ``young`` frame is nearer
    its own ``adult`` frames than the other's, and the pairs' count."""
    wins = pairs = 0
    for index, person in enumerate(people):
        own = [person[a] for a in adult if a in person]
        if young not in person or not own:
            continue
        to_own = np.mean([np.linalg.norm(person[young] - e) for e in own])
        for other_index, other in enumerate(people):
            theirs = [other[a] for a in adult if a in other]
            if other_index == index or not theirs:
                continue
            wins += to_own < np.mean([np.linalg.norm(person[young] - e) for e in theirs])
            pairs += 1
    return wins / max(pairs, 1), pairs


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--gifs", type=Path, required=True, help="folder of age-progression GIFs")
    parser.add_argument("--young", default="0,25", help="young frames (LATS: 0 a baby, 25 a child of about 6)")
    parser.add_argument("--adult", default="80,85,90,95,100", help="adult frames to compare with")
    args = parser.parse_args()
    young = [int(v) for v in args.young.split(",")]
    adult = [int(v) for v in args.adult.split(",")]
    gifs = sorted(args.gifs.glob("*.gif"))
    people = [_frames(path, set(young) | set(adult)) for path in gifs]
    print(f"{len(gifs)} progressions; adult frames {adult}")
    for frame in young:
        share, pairs = own_share(people, frame, adult)
        print(f"frame {frame}: own share {share:.3f} over {pairs} pairs")
    return 0


if __name__ == "__main__":
    sys.exit(main())
