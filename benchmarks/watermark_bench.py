"""Survival of the candidates' watermark and perceptual hash, and their false positives on real photos.

Run: ``python benchmarks/watermark_bench.py [--resolution 512] [--seeds 3]``. Candidates come from
the offline engine on the public-domain parents (astronaut, Grace Hopper, /work/shared/faces),
are watermarked as the worker stores them, then re-encoded (JPEG q75), halved, cropped by 10%
(5% off each side, or 10% off the right and bottom) and halved then JPEG q75. Real photos
(the same public-domain faces, their crops and resizes, and other images from ``skimage.data``)
give the false-positive rates of the watermark detector and of the pHash match. Figures go into
docs/provenance.md.
"""

from __future__ import annotations

import argparse
import io
import itertools
import os
import sys
import time
from pathlib import Path

for variable in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[variable] = "1"
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy as np  # noqa: E402
from PIL import Image  # noqa: E402

from cases.provenance.fingerprint import PHASH_NEAR, hamming_distances, perceptual_hash  # noqa: E402
from cases.provenance.watermark import DETECTION_THRESHOLD, watermark_detect, watermark_embed  # noqa: E402

KEY = "benchmark-key"
SKIMAGE_IMAGES = (
    "astronaut",
    "camera",
    "coffee",
    "chelsea",
    "rocket",
    "coins",
    "moon",
    "page",
    "text",
    "clock",
    "horse",
    "hubble_deep_field",
    "immunohistochemistry",
    "logo",
    "cat",
    "retina",
    "brick",
    "grass",
    "gravel",
    "colorwheel",
    "checkerboard",
)


def _jpeg(array: np.ndarray, quality: int = 75) -> np.ndarray:
    buffer = io.BytesIO()
    Image.fromarray(array).save(buffer, format="JPEG", quality=quality)
    return np.asarray(Image.open(io.BytesIO(buffer.getvalue())).convert("RGB"))


def _half(array: np.ndarray) -> np.ndarray:
    height, width = array.shape[:2]
    return np.asarray(Image.fromarray(array).resize((width // 2, height // 2), Image.LANCZOS))


def _crop_sides(array: np.ndarray) -> np.ndarray:
    height, width = array.shape[:2]
    return array[height // 20 : height - height // 20, width // 20 : width - width // 20]


def _crop_corner(array: np.ndarray) -> np.ndarray:
    height, width = array.shape[:2]
    return array[: height - height // 10, : width - width // 10]


ATTACKS = {
    "as stored": lambda a: a,
    "JPEG q75": _jpeg,
    "resized to half": _half,
    "crop 10% (5% a side)": _crop_sides,
    "crop 10% (right+bottom)": _crop_corner,
    "half + JPEG q75": lambda a: _jpeg(_half(a)),
}


def _rgb(array: np.ndarray) -> np.ndarray:
    if array.ndim == 2:
        array = np.stack([array] * 3, axis=-1)
    if array.dtype != np.uint8:
        array = (np.clip(array, 0, 1) * 255).astype(np.uint8) if array.max() <= 1 else array.astype(np.uint8)
    return np.ascontiguousarray(array[:, :, :3])


def real_faces() -> dict[str, np.ndarray]:
    from genetics.samples import astronaut, grace_hopper

    faces = {"astronaut": astronaut(), "grace_hopper": grace_hopper()}
    for path in sorted(Path("/work/shared/faces").glob("*.jpg")):
        faces[path.stem] = np.asarray(Image.open(path).convert("RGB"))
    return faces


def real_photos() -> dict[str, np.ndarray]:
    """Real photos and their everyday variants: crops of 10–30%, halves, JPEG q75."""
    from skimage import data

    photos: dict[str, np.ndarray] = {}
    for name, face in real_faces().items():
        height, width = face.shape[:2]
        photos[name] = face
        photos[f"{name} crop 20%"] = face[height // 10 : height - height // 10, width // 10 : width - width // 10]
        photos[f"{name} face crop"] = face[height // 6 : height * 2 // 3, width // 5 : width * 4 // 5]
        photos[f"{name} half"] = _half(face)
        photos[f"{name} jpeg75"] = _jpeg(face)
    for name in SKIMAGE_IMAGES:
        try:
            photos[f"skimage.{name}"] = _rgb(getattr(data, name)())
        except Exception as error:  # images that need a download are skipped, not fatal
            print(f"  (skipped skimage.{name}: {type(error).__name__})")
    return {k: v for k, v in photos.items() if min(v.shape[:2]) >= 32}


def candidates(resolution: int, seeds: int) -> list[np.ndarray]:
    from genetics.engine import GenerationParams
    from genetics.offline import OfflineEngine

    engine = OfflineEngine()
    faces = real_faces()
    from genetics.errors import FaceError

    parents = {}
    for name, image in faces.items():
        try:
            parents[name] = engine.prepare_parent(image)
        except FaceError as error:
            print(f"  (parent {name} skipped: {error})")
    fathers = [name for name in ("obama", "biden", "obama2") if name in parents]
    pairs = [(father, ("astronaut", "grace_hopper")[index % 2]) for index, father in enumerate(fathers)]
    images = []
    for (father, mother), seed, (group, gender) in itertools.product(
        pairs, range(seeds), (("3-9", "female"), ("20-29", "male"))
    ):
        params = GenerationParams(num_candidates=2, seed=seed, resolution=resolution, age_group=group, gender=gender)
        images += [c.image for c in engine.generate(parents[father], parents[mother], params).candidates]
    return images


def main() -> None:
    """Print survival and false-positive figures for the watermark and the pHash."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--resolution", type=int, default=512)
    parser.add_argument("--seeds", type=int, default=2)
    args = parser.parse_args()

    started = time.perf_counter()
    raw = candidates(args.resolution, args.seeds)
    print(
        f"{len(raw)} candidates at {args.resolution}² from the offline engine in {time.perf_counter() - started:.0f} s"
    )
    embed_times, psnrs, marked = [], [], []
    for image in raw:
        t0 = time.perf_counter()
        out = watermark_embed(np.ascontiguousarray(image, dtype=np.uint8), key=KEY)
        embed_times.append(time.perf_counter() - t0)
        psnrs.append(10 * np.log10(255**2 / np.mean((out.astype(float) - image) ** 2)))
        marked.append(out)
    print(
        f"embedding: median {np.median(embed_times) * 1000:.0f} ms; PSNR min {min(psnrs):.1f} dB, "
        f"median {np.median(psnrs):.1f} dB"
    )
    stored_hashes = np.array([perceptual_hash(m) for m in marked], dtype=np.int64)

    print(
        f"\nWatermark (threshold z >= {DETECTION_THRESHOLD}) and pHash (<= {PHASH_NEAR} bits) on copies "
        "of the candidates:"
    )
    print(f"{'copy':28} {'watermark':>10} {'min z':>7} {'median z':>9} {'pHash':>7} {'median bits':>12} {'either':>7}")
    detect_times = []
    for name, attack in ATTACKS.items():
        scores, bits = [], []
        for index, image in enumerate(marked):
            copy = attack(image)
            t0 = time.perf_counter()
            scores.append(watermark_detect(copy, key=KEY).score)
            detect_times.append(time.perf_counter() - t0)
            bits.append(int(hamming_distances(perceptual_hash(copy), stored_hashes[index : index + 1])[0]))
        scores_a, bits_a = np.array(scores), np.array(bits)
        either = ((scores_a >= DETECTION_THRESHOLD) | (bits_a <= PHASH_NEAR)).mean()
        print(
            f"{name:28} {(scores_a >= DETECTION_THRESHOLD).mean():>10.0%} {scores_a.min():>7.1f} "
            f"{np.median(scores_a):>9.1f} {(bits_a <= PHASH_NEAR).mean():>7.0%} {np.median(bits_a):>12.0f} "
            f"{either:>7.0%}"
        )
    print(f"detection: median {np.median(detect_times) * 1000:.0f} ms per image (28 crop hypotheses)")

    photos = real_photos()
    print(
        f"\nFalse positives on {len(photos)} real photos (public-domain faces and their crops, halves and "
        f"JPEG copies; skimage.data):"
    )
    scores = {name: watermark_detect(image, key=KEY).score for name, image in photos.items()}
    worst = max(scores, key=scores.get)
    print(
        f"watermark: {sum(s >= DETECTION_THRESHOLD for s in scores.values())}/{len(scores)} detected; "
        f"highest z {scores[worst]:.2f} ({worst}); unmarked candidates' highest z "
        f"{max(watermark_detect(np.ascontiguousarray(r, dtype=np.uint8), key=KEY).score for r in raw):.2f}"
    )
    photo_hashes = {name: perceptual_hash(image) for name, image in photos.items()}
    to_candidates = {name: int(hamming_distances(h, stored_hashes).min()) for name, h in photo_hashes.items()}
    closest = min(to_candidates, key=to_candidates.get)
    print(
        f"pHash vs the {len(marked)} stored candidates: {sum(d <= PHASH_NEAR for d in to_candidates.values())}"
        f"/{len(to_candidates)} refused; closest {to_candidates[closest]} bits ({closest})"
    )
    faces = {name: perceptual_hash(image) for name, image in real_faces().items()}
    pairs = [int(hamming_distances(faces[a], np.array([faces[b]]))[0]) for a, b in itertools.combinations(faces, 2)]
    print(
        f"pHash between different real faces: min {min(pairs)} bits, median {np.median(pairs):.0f} ({len(pairs)} pairs)"
    )
    siblings = [int(hamming_distances(a, np.array([b]))[0]) for a, b in itertools.combinations(stored_hashes, 2)]
    print(
        f"pHash between different candidates: min {min(siblings)} bits, 1st percentile "
        f"{np.percentile(siblings, 1):.0f}, median {np.median(siblings):.0f} ({len(siblings)} pairs)"
    )


if __name__ == "__main__":
    main()
