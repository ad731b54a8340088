"""Benchmark the StyleGene engine against a naive re-creation of the official flow; prints figures.

Against the real official code (fetched outside the project), see stylegene_official_bench.py;
the "naive flow" below is written here and only approximates it.

Usage (from the repository root)::

    python benchmarks/stylegene_bench.py                 # CPU fp32, random full-size weights
    python benchmarks/stylegene_bench.py --device cuda --half
    python benchmarks/stylegene_bench.py --checkpoints DIR   # the released files instead

Per-stage latency (align, encode, attributes, genes, pool, crossover, decode, generate) and
candidates/s for K=1 and K=8 of one couple, full resolution and 256² preview.

The *naive official flow* makes one child per call and re-aligns, re-encodes and re-classifies
both parents every time, runs W2Sub once per parent, and renders at 1024² with the reference
code's formulation of StyleGAN2 (per-sample weights in a grouped convolution, FIR up/down-sampling
by zero insertion, padding and a one-channel convolution per feature map, out-of-place
epilogues). That generator is re-implemented here from the same weights and checked against ours.
Weights are random (timing does not depend on their values) unless ``--checkpoints`` is given.
On a shared machine wall-clock timings vary several-fold between runs: the flows are timed in
interleaved rounds and the fastest round of each is shown, and the speed-up is also given in CPU
seconds (``time.process_time``), which other processes disturb much less.
"""

from __future__ import annotations

import argparse
import math
import random
import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from genetics.engine import GenerationParams  # noqa: E402
from genetics.faces import align_ffhq, choose_face, detect_faces  # noqa: E402
from genetics.samples import astronaut, grace_hopper  # noqa: E402
from genetics.stylegene.checkpoints import StyleGeneModels, load_models  # noqa: E402
from genetics.stylegene.crossover import cross_genes, mix_parent_rows  # noqa: E402
from genetics.stylegene.e4e import Encoder4Editing  # noqa: E402
from genetics.stylegene.engine import EngineOptions, StyleGeneEngine, rgb_to_tensor, tensor_to_rgb  # noqa: E402
from genetics.stylegene.fairface import FairFaceResNet, decode_attributes, preprocess_for_fairface  # noqa: E402
from genetics.stylegene.gene_pool import GenePool  # noqa: E402
from genetics.stylegene.mappers import MappingSub2W, MappingW2Sub  # noqa: E402
from genetics.stylegene.stylegan2 import LRELU_GAIN, LRELU_SLOPE, Generator, ModulatedConv2d  # noqa: E402


# -- the reference formulation of StyleGAN2's ops ------------------------------------------------
def upfirdn2d_naive(x: torch.Tensor, kernel: torch.Tensor, up: int, pad: tuple[int, int]) -> torch.Tensor:
    """Zero-insert, pad and filter each feature map as a separate one-channel image."""
    batch, channels, height, width = x.shape
    x = x.reshape(-1, 1, height, width)
    if up > 1:
        z = x.new_zeros(x.shape[0], 1, height * up, width * up)
        z[:, :, ::up, ::up] = x
        x = z
    x = F.pad(x, (pad[0], pad[1], pad[0], pad[1]))
    out = F.conv2d(x, kernel.flip(0, 1)[None, None])
    return out.reshape(batch, channels, out.shape[-2], out.shape[-1])


def modconv_naive(conv: ModulatedConv2d, x: torch.Tensor, style: torch.Tensor) -> torch.Tensor:
    batch, in_ch, height, width = x.shape
    s = conv.modulation(style).view(batch, 1, in_ch, 1, 1)
    weight = conv.scale * conv.weight * s
    if conv.demodulate:
        weight = weight * torch.rsqrt(weight.pow(2).sum([2, 3, 4]) + 1e-8).view(batch, -1, 1, 1, 1)
    k = conv.kernel_size
    x = x.reshape(1, batch * in_ch, height, width)
    if conv.upsample:
        weight = weight.transpose(1, 2).reshape(batch * in_ch, conv.out_channel, k, k)
        out = F.conv_transpose2d(x, weight, stride=2, groups=batch)
        out = out.reshape(batch, conv.out_channel, out.shape[-2], out.shape[-1])
        return upfirdn2d_naive(out, conv.blur.kernel, 1, conv.blur.pad)
    out = F.conv2d(x, weight.reshape(batch * conv.out_channel, in_ch, k, k), padding=k // 2, groups=batch)
    return out.reshape(batch, conv.out_channel, height, width)


def synthesis_naive(g: Generator, latents: torch.Tensor, noise: list[torch.Tensor]) -> torch.Tensor:
    def styled(layer, x, w, n):
        out = modconv_naive(layer.conv, x, w)
        out = out + layer.noise.weight * n
        return F.leaky_relu(out + layer.activate.bias.view(1, -1, 1, 1), LRELU_SLOPE) * LRELU_GAIN

    def to_rgb(layer, x, w, skip):
        out = modconv_naive(layer.conv, x, w) + layer.bias
        if skip is not None:
            out = out + upfirdn2d_naive(skip, layer.upsample.kernel, 2, (2, 1))
        return out

    out = g.input.input.repeat(latents.shape[0], 1, 1, 1)
    out = styled(g.conv1, out, latents[:, 0], noise[0])
    skip = to_rgb(g.to_rgb1, out, latents[:, 1], None)
    row = 1
    for stage, rgb in enumerate(g.to_rgbs):
        out = styled(g.convs[2 * stage], out, latents[:, row], noise[2 * stage + 1])
        out = styled(g.convs[2 * stage + 1], out, latents[:, row + 1], noise[2 * stage + 2])
        skip = to_rgb(rgb, out, latents[:, row + 2], skip)
        row += 2
    return skip


# -- helpers ----------------------------------------------------------------------------------------
def random_models(device: str) -> StyleGeneModels:
    """Full-size networks with their default random initialisation."""
    torch.manual_seed(0)
    nets = [Generator(), Encoder4Editing(), MappingW2Sub(), MappingSub2W(), FairFaceResNet()]
    for net in nets:
        net.eval().requires_grad_(False).to(device)
    return StyleGeneModels(
        generator=nets[0],
        encoder=nets[1],
        latent_avg=torch.zeros(1, 18, 512, device=device),
        w2sub=nets[2],
        sub2w=nets[3],
        fairface=nets[4],
        checksums={},
        folder=Path("."),
    )


def synthetic_pool(size: int = 16) -> GenePool:
    g = torch.Generator().manual_seed(1)
    shape = (1, 18, 34, 512)
    genes = [(torch.randn(shape, generator=g).tanh(), torch.randn(shape, generator=g).tanh()) for _ in range(size)]
    return GenePool({"3-9-female-White": genes, "3-9-female-Black": genes})


def sync(device: str) -> None:
    if device.startswith("cuda"):
        torch.cuda.synchronize()


def timed(fn: Callable[[], object], device: str) -> tuple[float, object]:
    sync(device)
    start = time.perf_counter()
    result = fn()
    sync(device)
    return time.perf_counter() - start, result


def align(image: np.ndarray) -> np.ndarray:
    face = choose_face(detect_faces(image))
    return align_ffhq(image, face.landmarks, output_size=256)


# -- flows ------------------------------------------------------------------------------------------
def our_flow(
    engine: StyleGeneEngine, photos: list[np.ndarray], k: int, resolution: int, device: str
) -> dict[str, float]:
    """Prepare both parents once, then generate K candidates in one call (a couple new to the engine)."""
    engine.forget_parents()
    stages: dict[str, float] = {}
    cpu_start = time.process_time()
    parents = []
    for photo in photos:
        seconds, aligned = timed(lambda: align(photo), device)
        stages["align"] = stages.get("align", 0.0) + seconds
        parent = engine.prepare_aligned(aligned)
        stages["encode"] = stages.get("encode", 0.0) + parent.meta["seconds_encode"]
        stages["attributes"] = stages.get("attributes", 0.0) + parent.meta["seconds_attributes"]
        parents.append(parent)
    params = GenerationParams(num_candidates=k, seed=7, resolution=resolution, ancestry=("White", "Black"))
    seconds, result = timed(lambda: engine.generate(parents[0], parents[1], params), device)
    stages.update(result.timings)
    stages["total"] = sum(stages.values())
    stages["cpu"] = time.process_time() - cpu_start
    return stages


@torch.inference_mode()
def naive_child(
    models: StyleGeneModels, pool: GenePool, photos: list[np.ndarray], seed: int, device: str
) -> dict[str, float]:
    """One child the way the official app makes it (everything recomputed, 1024² grouped-conv G)."""
    stages: dict[str, float] = {}
    cpu_start = time.process_time()

    def lap(name: str, fn: Callable[[], object]) -> object:
        seconds, out = timed(fn, device)
        stages[name] = stages.get(name, 0.0) + seconds
        return out

    codes, races = [], []
    for photo in photos:
        aligned = lap("align", lambda: align(photo))
        x = rgb_to_tensor(aligned).to(device)
        codes.append(lap("encode", lambda: models.encoder(x) + models.latent_avg))
        logits = lap("attributes", lambda: models.fairface(preprocess_for_fairface(x)))
        races.append(decode_attributes(logits)[0].race)
    genes = [lap("genes", lambda: models.w2sub(w)) for w in codes]
    query = lap("pool", lambda: pool.query("3-9", "female", ["White", "Black"]))
    rng, gen = random.Random(seed), torch.Generator().manual_seed(seed)
    child, _ = lap(
        "crossover",
        lambda: cross_genes(genes[0], genes[1], query.genes, gamma=0.47, eta=0.4, regions={}, rng=rng, generator=gen),
    )
    wplus = lap("decode", lambda: mix_parent_rows(models.sub2w(child), codes[0], codes[1], 8))
    g = models.generator
    noise = [n.to(device) for n in g.make_noise(1, generator=gen, device="cpu")]
    image = lap("generate", lambda: synthesis_naive(g, wplus, noise))
    tensor_to_rgb(image)
    stages["total"] = sum(stages.values())
    stages["cpu"] = time.process_time() - cpu_start
    return stages


def fmt_stages(stages: dict[str, float]) -> str:
    order = ["align", "encode", "attributes", "genes", "pool", "crossover", "decode", "generate", "total"]
    return "  ".join(f"{name} {stages[name] * 1000:8.1f}" for name in order if name in stages)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--device", default="cpu")
    parser.add_argument("--half", action="store_true", help="fp16 generator (CUDA only)")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--checkpoints", type=Path, help="released checkpoint folder (default: random weights)")
    parser.add_argument("--ks", type=int, nargs="+", default=[1, 8])
    parser.add_argument(
        "--repeats",
        type=int,
        default=2,
        help="interleaved timed rounds of every flow (the fastest is shown: the machine is shared)",
    )
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    device = args.device

    models = load_models(args.checkpoints, device=device) if args.checkpoints else random_models(device)
    pool = synthetic_pool()
    photos = [astronaut(), grace_hopper()]
    print(
        f"device={device} threads={torch.get_num_threads()} half={args.half} torch={torch.__version__} "
        f"weights={'released' if args.checkpoints else 'random'}"
    )

    # Same weights through both formulations of the generator.
    with torch.inference_mode():
        latents = torch.randn(1, 18, 512, device=device)
        noise = models.generator.make_noise(1, generator=torch.Generator().manual_seed(0), device="cpu")
        noise = [n.to(device) for n in noise]
        diff = (models.generator(latents, noise) - synthesis_naive(models.generator, latents, noise)).abs().max()
    print(f"check: max |ours - naive formulation| at 1024² = {float(diff):.2e}")

    if args.half:
        models.generator.half()
    engine = StyleGeneEngine(
        models=models, gene_pool=pool, device=device, options=EngineOptions(half=args.half, batch_size=8)
    )
    variants = [(engine, 1024, "full 1024²"), (engine, 256, "preview 256²")]
    if device == "cpu" and not args.half:
        engine_bf16 = StyleGeneEngine(
            models=models, gene_pool=pool, device=device, options=EngineOptions(batch_size=8, preview_bfloat16=True)
        )
        variants.append((engine_bf16, 256, "preview bf16"))

    # Warm-up: first calls pay for oneDNN primitive creation and first-touch page faults.
    naive_child(models, pool, photos, 99, device)
    for variant_engine, resolution, _ in variants:
        our_flow(variant_engine, photos, 1, resolution, device)

    # Rounds interleave every flow, so load from other jobs hits them alike; the fastest round of
    # each flow is reported.
    naive_runs: list[dict[str, float]] = []
    our_runs: dict[tuple[str, int], list[dict[str, float]]] = {}
    for round_idx in range(args.repeats):
        naive_runs.append(naive_child(models, pool, photos, round_idx, device))
        for variant_engine, resolution, label in variants:
            for k in args.ks:
                our_runs.setdefault((label, k), []).append(our_flow(variant_engine, photos, k, resolution, device))

    naive = min(naive_runs, key=lambda run: run["total"])
    naive_rate = 1.0 / naive["total"]
    print(f"\nnaive official flow, per child (fastest of {len(naive_runs)}), ms:\n  {fmt_stages(naive)}")
    print(
        f"  -> {naive_rate:.3f} candidates/s at 1024² (any K: it is one child per call); "
        f"{naive['cpu']:.1f} CPU-s per child"
    )
    rows = []
    for (label, k), runs in our_runs.items():
        stages = min(runs, key=lambda run: run["total"])
        rate = k / stages["total"]
        # A cached couple skips preparation and, through the engine's gene cache, W2Sub.
        prepare = sum(stages[name] for name in ("align", "encode", "attributes", "genes"))
        cached = k / (stages["total"] - prepare)
        cpu_speedup = naive["cpu"] / (stages["cpu"] / k)
        rows.append((label, k, rate, rate / naive_rate, cached, cached / naive_rate, cpu_speedup))
        print(f"\nours, {label}, K={k} (one couple, parents prepared once), ms:\n  {fmt_stages(stages)}")
        print(
            f"  -> {rate:.3f} candidates/s, {rate / naive_rate:.1f}x the naive flow; with both parents "
            f"already cached: {cached:.3f}/s, {cached / naive_rate:.1f}x; "
            f"{stages['cpu'] / k:.1f} CPU-s per candidate ({cpu_speedup:.1f}x less)"
        )
    print(
        "\nsummary: mode, K, candidates/s and speed-up over naive "
        "(parents prepared | parents cached | by CPU time, parents prepared)"
    )
    for label, k, rate, speedup, cached, cached_speedup, cpu_speedup in rows:
        print(
            f"  {label:13s} K={k}  {rate:7.3f}/s {speedup:5.1f}x | {cached:7.3f}/s {cached_speedup:5.1f}x"
            f" | {cpu_speedup:5.1f}x"
        )
    if not math.isfinite(naive_rate):
        raise SystemExit("naive flow failed")


if __name__ == "__main__":
    main()
