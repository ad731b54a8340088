"""StyleGene on CUDA: candidates/s, peak GPU memory and share of peak FLOPs (run by gpu_check.sh).

Usage (repository root, a CUDA build of torch)::

    python benchmarks/stylegene_gpu_bench.py [--checkpoints DIR] [--peak-tflops-fp32 X --peak-tflops-half Y]

Both parents are prepared once (aligned public-domain portraits, e4e, FairFace), as the app does
before a job; then, for the generator in fp32 and in fp16, it times ``generate`` for 1 and 8
children at 1024² and 8 previews at 256² (median of ``--repeats`` after a warm-up, with
``torch.cuda.synchronize``) and prints candidates/s, peak GPU memory
(``torch.cuda.max_memory_allocated``) and the generator's arithmetic rate as a share of the
device's peak (analytic FLOPs of the synthesis network's convolutions; peaks from a table of
dense tensor-core figures by device name, or the flags). Weights are random unless
``--checkpoints`` is given (time does not depend on their values). Issue target: 8 children at
1024² in under 1 s after parents are prepared.
"""

from __future__ import annotations

import argparse
import copy
import dataclasses
import statistics
import sys
import time
from pathlib import Path

import torch

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from genetics.engine import GenerationParams
from genetics.faces import align_ffhq, choose_face, detect_faces
from genetics.samples import astronaut, grace_hopper
from genetics.stylegene.checkpoints import load_models
from genetics.stylegene.engine import StyleGeneEngine
from genetics.stylegene.stylegan2 import GeneratorConfig

# Dense peak TFLOP/s (fp32 without TF32, fp16/bf16 tensor cores) from the vendors' data sheets.
PEAK_TFLOPS = {
    "H200": (67.0, 989.0),
    "H100": (67.0, 989.0),
    "A100": (19.5, 312.0),
    "L40S": (91.6, 362.0),
    "L4": (30.3, 121.0),
    "A10": (31.2, 125.0),
    "4090": (82.6, 165.0),
    "V100": (15.7, 125.0),
    "T4": (8.1, 65.0),
}


def synthesis_flops(config: GeneratorConfig, stop: int) -> float:
    """Return multiply-adds x 2 of one image's synthesis convolutions up to ``stop`` resolution."""
    flops = 0.0
    c4 = config.channels(4)
    flops += 2 * c4 * c4 * 9 * 16 + 2 * c4 * 3 * 16  # conv1 and to_rgb1 at 4x4
    in_ch = c4
    res = 8
    while res <= stop:
        out = config.channels(res)
        flops += 2 * in_ch * out * 9 * (res // 2) ** 2  # transposed 3x3 conv on the input grid
        flops += 2 * out * out * 9 * res * res + 2 * out * 3 * res * res  # 3x3 conv, to_rgb
        flops += 2 * out * 16 * res * res  # the 4x4 blur after upsampling, depthwise
        in_ch = out
        res *= 2
    return flops


def prepared_parents(engine: StyleGeneEngine):
    parents = []
    for photo in (astronaut(), grace_hopper()):
        face = choose_face(detect_faces(photo))
        parents.append(engine.prepare_aligned(align_ffhq(photo, face.landmarks, output_size=256)))
    return parents


def random_models(device: str):
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from stylegene_bench import random_models as build

    return build(device)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--checkpoints", type=Path)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--peak-tflops-fp32", type=float)
    parser.add_argument("--peak-tflops-half", type=float)
    args = parser.parse_args()
    if not torch.cuda.is_available():
        raise SystemExit("needs a CUDA build of torch and a GPU")
    name = torch.cuda.get_device_name()
    table = next((v for k, v in PEAK_TFLOPS.items() if k in name), (None, None))
    peaks = {"fp32": args.peak_tflops_fp32 or table[0], "fp16": args.peak_tflops_half or table[1]}
    print(
        f"device {name}; torch {torch.__version__} CUDA {torch.version.cuda}; "
        f"cudnn.allow_tf32={torch.backends.cudnn.allow_tf32} "
        f"matmul.allow_tf32={torch.backends.cuda.matmul.allow_tf32}; "
        f"peak TFLOP/s fp32 {peaks['fp32']} half {peaks['fp16']}"
    )
    models = load_models(args.checkpoints, device="cuda") if args.checkpoints else random_models("cuda")
    variants = {"fp32": models, "fp16": dataclasses.replace(models, generator=copy.deepcopy(models.generator).half())}
    gene_pool = None
    if not args.checkpoints:
        sys.path.insert(0, str(Path(__file__).resolve().parent))
        from stylegene_bench import synthetic_pool

        gene_pool = synthetic_pool()
    print(
        f"{'precision':9s} {'flow':22s} {'median s':>9s} {'cand/s':>8s} {'peak GB':>8s} {'TFLOP/s':>8s} {'of peak':>8s}"
    )
    for label, variant in variants.items():
        engine = StyleGeneEngine(models=variant, gene_pool=gene_pool, device="cuda")
        father, mother = prepared_parents(engine)
        for k, resolution in ((1, 1024), (8, 1024), (8, 256)):
            params = GenerationParams(num_candidates=k, seed=7, resolution=resolution)
            engine.generate(father, mother, params)  # warm-up (cuDNN autotuning, allocator)
            torch.cuda.synchronize()
            torch.cuda.reset_peak_memory_stats()
            times = []
            for _ in range(args.repeats):
                started = time.perf_counter()
                engine.generate(father, mother, params)
                torch.cuda.synchronize()
                times.append(time.perf_counter() - started)
            seconds = statistics.median(times)
            rate = k * synthesis_flops(models.generator.config, resolution) / seconds / 1e12
            peak = peaks[label]
            share = f"{100 * rate / peak:7.1f}%" if peak else "    n/a"
            print(
                f"{label:9s} K={k} at {resolution:4d}²{'':8s} {seconds:9.3f} {k / seconds:8.2f} "
                f"{torch.cuda.max_memory_allocated() / 2**30:8.2f} {rate:8.1f} {share}",
                flush=True,
            )


if __name__ == "__main__":
    main()
