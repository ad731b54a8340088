"""Seconds per candidate of the offline engine at 512² and 1024² on one CPU core.

Run: ``python benchmarks/offline_bench.py [--candidates 8] [--repeats 3] [--age 3-9]
[--references CSV]``. Parents are the public-domain portraits shipped in packages; preparation is
timed separately. With ``--references`` (a ``path,age,sex[,ancestry]`` CSV, as ``genetics
synthesize --references`` takes) candidates get their band's age look from those faces, as a
caseworker's setting does, and loading them is timed separately too. Threads are pinned to one
(OpenCV, torch when installed, BLAS through the environment) before the engine is imported.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import time
from pathlib import Path

for variable in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[variable] = "1"
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import cv2  # noqa: E402

cv2.setNumThreads(1)
try:
    import torch  # noqa: E402

    torch.set_num_threads(1)
except ImportError:
    torch = None

from genetics.engine import AGE_GROUPS, GenerationParams  # noqa: E402
from genetics.offline import OfflineEngine, default_pool  # noqa: E402
from genetics.offline.prototypes import load_references  # noqa: E402
from genetics.parameters import DEFAULT_AGE_GROUP  # noqa: E402
from genetics.samples import astronaut, grace_hopper  # noqa: E402


def main() -> None:
    """Print setup time and seconds per candidate for each resolution."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--candidates", type=int, default=8)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--age", choices=AGE_GROUPS, default=DEFAULT_AGE_GROUP)
    parser.add_argument("--references", type=Path, help="path,age,sex[,ancestry] CSV of reference faces")
    args = parser.parse_args()

    references = None
    if args.references is not None:
        started = time.perf_counter()
        references = load_references(args.references)
        print(f"references: {len(references.faces)} faces loaded in {time.perf_counter() - started:.3f} s")
    engine = OfflineEngine(references=references)
    started = time.perf_counter()
    father = engine.prepare_parent(astronaut())
    mother = engine.prepare_parent(grace_hopper())
    prepare = (time.perf_counter() - started) / 2
    started = time.perf_counter()
    default_pool()
    pool = time.perf_counter() - started
    print(
        f"python {platform.python_version()}, opencv {cv2.__version__}, "
        f"{platform.processor() or platform.machine()}, 1 thread"
    )
    print(f"prepare_parent: {prepare:.3f} s per parent; default pool built in {pool:.3f} s")
    for resolution in (512, 1024):
        per_candidate = []
        for repeat in range(args.repeats):
            params = GenerationParams(
                age_group=args.age, num_candidates=args.candidates, seed=repeat, resolution=resolution
            )
            started = time.perf_counter()
            engine.generate(father, mother, params)
            per_candidate.append((time.perf_counter() - started) / args.candidates)
        print(
            f"{resolution}², {args.age}: {statistics.median(per_candidate):.3f} s per candidate "
            f"(median of {args.repeats} batches of {args.candidates}; "
            f"min {min(per_candidate):.3f}, max {max(per_candidate):.3f}; "
            f"includes per-batch warping of parents and pool and the re-detection check)"
        )


if __name__ == "__main__":
    main()
