"""How fast can any faithful StyleGene run on this machine? Counts the work, measures the ceiling.

The speed targets of issue 15 are ratios against the official pipeline on the same CPU. A faithful
engine must do the arithmetic of the released networks (e4e on each parent, FairFace, the gene
mappers, StyleGAN2 per child); only how fast it does it is ours to choose. This script

1. counts the floating-point operations of each network at the released sizes
   (``torch.utils.flop_counter``: convolutions, transposed convolutions and matrix products;
   one multiply-add = 2 FLOPs), for one parent, one child at 1024² and one 256² preview;
2. measures the rate this machine sustains on the generator's own dominant shapes (3×3 convolutions
   of 512 channels at 64², 256 at 128², 128 at 256², batch 8) and on a large matrix product, with
   the threads torch uses;
3. prints, for the three flows of the targets, the FLOPs, the shortest possible time at that rate
   (a lower bound: every other cost is ignored), our engine's measured time, and so the best ratio
   any faithful implementation could reach against the official times given (``--official-*``,
   seconds; defaults: the issue's figures on this 2-core machine).

Random full-size weights: the operation count does not depend on the weights' values.

Usage::

    python benchmarks/stylegene_roofline.py [--threads N] [--skip-ours]
        [--official-one 5.8 --official-eight 41.1]
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path

import torch
import torch.nn.functional as F
from torch.utils.flop_counter import FlopCounterMode

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.stylegene_bench import random_models, synthetic_pool  # noqa: E402
from genetics.engine import GenerationParams  # noqa: E402
from genetics.samples import astronaut, grace_hopper  # noqa: E402
from genetics.stylegene.engine import EngineOptions, StyleGeneEngine  # noqa: E402
from genetics.stylegene.fairface import preprocess_for_fairface  # noqa: E402

TARGETS = {"1 child at 1024²": 3.0, "8 children at 1024²": 6.0, "8 previews at 256²": 15.0}


def count_flops(fn: Callable[[], object]) -> int:
    with torch.inference_mode(), FlopCounterMode(display=False) as counter:
        fn()
    return int(counter.get_total_flops())


def best_seconds(fn: Callable[[], object], repeats: int) -> float:
    fn()  # warm-up: oneDNN picks and caches its kernels on the first call
    best = float("inf")
    for _ in range(repeats):
        started = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - started)
    return best


def sustained_rates(repeats: int) -> dict[str, float]:
    """GFLOP/s of the generator's heaviest convolution shapes (batch 8) and of a 4096² matmul."""
    rates = {}
    with torch.inference_mode():
        for channels_in, channels_out, side in ((512, 512, 64), (512, 256, 128), (256, 128, 256)):
            x = torch.randn(8, channels_in, side, side)
            w = torch.randn(channels_out, channels_in, 3, 3)
            flops = 2 * 8 * channels_out * channels_in * 9 * side * side
            seconds = best_seconds(lambda x=x, w=w: F.conv2d(x, w, padding=1), repeats)
            rates[f"conv3x3 {channels_in}->{channels_out} at {side}², batch 8"] = flops / seconds / 1e9
        a, b = torch.randn(4096, 4096), torch.randn(4096, 4096)
        rates["matmul 4096²"] = 2 * 4096**3 / best_seconds(lambda: a @ b, repeats) / 1e9
    return rates


def network_flops() -> dict[str, int]:
    models = random_models("cpu")
    x = torch.zeros(1, 3, 256, 256)
    wplus = torch.zeros(1, 18, 512)
    noise = models.generator.make_noise(1, generator=torch.Generator().manual_seed(0))
    mu, _ = models.w2sub(wplus)
    face = preprocess_for_fairface(x, models.fairface.config.input_size)
    return {
        "e4e encoder, one parent": count_flops(lambda: models.encoder(x)),
        "FairFace, one parent": count_flops(lambda: models.fairface(face)),
        "W2Sub, one parent": count_flops(lambda: models.w2sub(wplus)),
        "Sub2W, one child": count_flops(lambda: models.sub2w(mu)),
        "StyleGAN2 to 1024², one child": count_flops(lambda: models.generator(wplus, noise, stop_resolution=1024)),
        "StyleGAN2 to 256², one child": count_flops(lambda: models.generator(wplus, noise, stop_resolution=256)),
    }


def ours_seconds(threads: int) -> dict[tuple[str, str], float]:
    """Our engine's best of 2 for each flow and reading (random weights, the two sample photos).

    "new": the engine forgets its prepared parents first, so detection, alignment (not counted in
    the FLOPs), encoding, FairFace and W2Sub are timed; "cached": parents prepared by a previous call.
    """
    engine = StyleGeneEngine(
        options=EngineOptions(num_threads=threads), models=random_models("cpu"), gene_pool=synthetic_pool()
    )
    father_photo, mother_photo = grace_hopper(), astronaut()

    def flow(count: int, resolution: int, forget: bool) -> Callable[[], object]:
        params = GenerationParams(age_group="3-9", gender="female", seed=1, num_candidates=count, resolution=resolution)

        def run() -> object:
            if forget:
                engine.forget_parents()
            return engine.generate(engine.prepare_parent(father_photo), engine.prepare_parent(mother_photo), params)

        return run

    flows = {"1 child at 1024²": (1, 1024), "8 children at 1024²": (8, 1024), "8 previews at 256²": (8, 256)}
    return {
        (name, reading): best_seconds(flow(count, resolution, forget=reading == "new"), 2)
        for name, (count, resolution) in flows.items()
        for reading in ("new", "cached")
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--threads", type=int, default=torch.get_num_threads())
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--official-one", type=float, default=5.8, help="official seconds, 1 child (app call)")
    parser.add_argument("--official-eight", type=float, default=41.1, help="official seconds, 8 children")
    parser.add_argument("--skip-ours", action="store_true", help="do not time our engine")
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    print(f"torch {torch.__version__}, {torch.get_num_threads()} threads, load average {os.getloadavg()[0]:.2f}")

    flops = network_flops()
    print("\nwork per network (GFLOP, 1 multiply-add = 2 FLOPs):")
    for name, value in flops.items():
        print(f"  {name:34s} {value / 1e9:8.1f}")
    parent = flops["e4e encoder, one parent"] + flops["FairFace, one parent"] + flops["W2Sub, one parent"]
    child_full = flops["Sub2W, one child"] + flops["StyleGAN2 to 1024², one child"]
    child_preview = flops["Sub2W, one child"] + flops["StyleGAN2 to 256², one child"]
    # Two readings of each flow, as stylegene_official_bench.py times them: a couple new to the
    # engine (both parents encoded, classified and mapped to genes inside the timing), and parents
    # prepared by an earlier job (ours caches them; the official code has no such cache).
    work = {
        "1 child at 1024²": (2 * parent + child_full, child_full),
        "8 children at 1024²": (2 * parent + 8 * child_full, 8 * child_full),
        "8 previews at 256²": (2 * parent + 8 * child_preview, 8 * child_preview),
    }

    rates = sustained_rates(args.repeats)
    print("\nsustained rate on this machine (GFLOP/s, best of repeats):")
    for name, value in rates.items():
        print(f"  {name:42s} {value:7.1f}")
    ceiling = max(rates.values())

    official = {
        "1 child at 1024²": args.official_one,
        "8 children at 1024²": args.official_eight,
        # The target compares previews with the official rate at full resolution (it has none).
        "8 previews at 256²": args.official_eight,
    }
    ours = {} if args.skip_ours else ours_seconds(args.threads)
    print(f"\nper flow, at the best sustained rate ({ceiling:.0f} GFLOP/s):")
    header = f"  {'flow':22s} {'parents':8s} {'GFLOP':>6s} {'floor s':>8s} {'ours s':>7s} {'of peak':>7s}"
    print(header + f" {'official s':>10s} {'best ratio':>10s} {'target':>6s}")
    for name, (new_couple, cached) in work.items():
        for reading, value in (("new", new_couple), ("cached", cached)):
            floor = value / 1e9 / ceiling
            mine = ours.get((name, reading))
            mine_text = f"{mine:7.2f} {floor / mine:7.0%}" if mine else f"{'-':>7s} {'-':>7s}"
            print(
                f"  {name:22s} {reading:8s} {value / 1e9:6.0f} {floor:8.2f} {mine_text} {official[name]:10.1f} "
                f"{official[name] / floor:9.1f}x {TARGETS[name]:5.0f}x"
            )
    print(
        "\n'best ratio' is official seconds / floor: no implementation doing the released networks'\n"
        "arithmetic at this machine's sustained rate can beat it; a target above it cannot be met here."
    )


if __name__ == "__main__":
    main()
