"""Time Kinship's StyleGene engine against the official StyleGene code, alternately, in one run.

Nothing of the official code is committed here and no test needs it. Setup, once:

1. The official code in a folder outside the project, e.g. CVI-SZU/StyleGene at 32561a4 unpacked
   into ``/work/official`` (``git archive HEAD | tar x -C /work/official`` from a clone).
2. The official code's pure-Python dependencies the project lacks, beside it::

       pip install --target /work/official/deps --no-deps einops pandas python-dateutil pytz tzdata six

3. ``python benchmarks/stylegene_official_bench.py setup --official /work/official``:
   replaces the official CUDA ops (``models/stylegan2/op/fused_act.py``, ``upfirdn2d.py``) with
   plain-PyTorch CPU stand-ins (``leaky_relu(x + b, 0.2) * sqrt(2)``; zero insertion, padding and
   a one-channel convolution per feature map, as the reference formulation does), writes a
   minimal torchvision stand-in (``resnet34`` and the four transforms the code uses) under
   ``_standins/`` because torchvision is not installed, and builds ``checkpoints/`` in the
   official layout with the deterministic weights of ``fill.py`` (``--spec``, default
   ``/work/shared/specs/stylegene``): the four model files (e4e with its unused decoder), a
   gene pool of four individuals per race for a 3-9 year old girl, and dlib's 68-point model as
   the ``.bz2`` the official code unpacks at import.
4. ``python benchmarks/stylegene_official_bench.py run --official /work/official``

``run`` first measures model load and peak RSS of each side in a fresh process (official, then
ours), then loads both in one process and times, in alternating rounds, with the same photos and
threads: one child at 1024² through the official app call (``synthesize_descendant``) and
through ours (both parents aligned and encoded again each time); eight children of one couple
(official: its modules with the parents prepared once, then ``generate_child`` eight times;
ours: parents prepared once, ``generate`` with K=8); eight 256² previews (ours only; compared
with the official rate at full resolution, as it has no preview). It prints times and ratios.
"""

from __future__ import annotations

import argparse
import bz2
import importlib.util
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

DEFAULT_SPEC = Path("/work/shared/specs/stylegene")
ATTRIBUTES = {"age": "3-9", "gender": "female", "gamma": 0.47, "eta": 0.4}
RACES = ("White", "Black", "Latino_Hispanic", "East Asian", "Southeast Asian", "Indian", "Middle Eastern")

FUSED_ACT_STANDIN = '''"""CPU stand-in for the CUDA fused bias + leaky ReLU (Kinship benchmark; not official code)."""
import torch
import torch.nn.functional as F
from torch import nn


def fused_leaky_relu(input, bias, negative_slope=0.2, scale=2 ** 0.5):
    shape = (1, -1) + (1,) * (input.ndim - 2)
    return F.leaky_relu(input + bias.view(shape), negative_slope) * scale


class FusedLeakyReLU(nn.Module):
    def __init__(self, channel, negative_slope=0.2, scale=2 ** 0.5):
        super().__init__()
        self.bias = nn.Parameter(torch.zeros(channel))
        self.negative_slope = negative_slope
        self.scale = scale

    def forward(self, input):
        return fused_leaky_relu(input, self.bias, self.negative_slope, self.scale)
'''

UPFIRDN2D_STANDIN = '''"""CPU stand-in for the CUDA upfirdn2d (Kinship benchmark; not official code).

Zero-insert by ``up``, pad, correlate every feature map with the flipped kernel, keep every
``down``-th pixel: the op's definition, as a one-channel convolution per feature map.
"""
import torch
import torch.nn.functional as F


def upfirdn2d(input, kernel, up=1, down=1, pad=(0, 0)):
    batch, channels, height, width = input.shape
    x = input.reshape(batch * channels, 1, height, width)
    if up > 1:
        z = x.new_zeros(x.shape[0], 1, height * up, width * up)
        z[:, :, ::up, ::up] = x
        x = z
    x = F.pad(x, (pad[0], pad[1], pad[0], pad[1]))
    x = F.conv2d(x, torch.flip(kernel, [0, 1])[None, None].to(x.dtype))
    x = x[:, :, ::down, ::down]
    return x.reshape(batch, channels, x.shape[-2], x.shape[-1])
'''

TORCHVISION_INIT = '''"""Minimal torchvision stand-in for the official StyleGene code (Kinship benchmark)."""
from . import models, transforms  # noqa: F401
'''

TORCHVISION_MODELS = '''"""torchvision.models.resnet34 with torchvision's parameter names (Kinship stand-in)."""
from torch import nn


class BasicBlock(nn.Module):
    def __init__(self, inplanes, planes, stride=1, downsample=None):
        super().__init__()
        self.conv1 = nn.Conv2d(inplanes, planes, 3, stride, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(planes)
        self.relu = nn.ReLU(inplace=True)
        self.conv2 = nn.Conv2d(planes, planes, 3, 1, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(planes)
        self.downsample = downsample

    def forward(self, x):
        identity = x if self.downsample is None else self.downsample(x)
        out = self.relu(self.bn1(self.conv1(x)))
        return self.relu(self.bn2(self.conv2(out)) + identity)


class ResNet(nn.Module):
    def __init__(self, layers, num_classes=1000):
        super().__init__()
        self.inplanes = 64
        self.conv1 = nn.Conv2d(3, 64, 7, 2, 3, bias=False)
        self.bn1 = nn.BatchNorm2d(64)
        self.relu = nn.ReLU(inplace=True)
        self.maxpool = nn.MaxPool2d(3, 2, 1)
        self.layer1 = self._make_layer(64, layers[0], 1)
        self.layer2 = self._make_layer(128, layers[1], 2)
        self.layer3 = self._make_layer(256, layers[2], 2)
        self.layer4 = self._make_layer(512, layers[3], 2)
        self.avgpool = nn.AdaptiveAvgPool2d((1, 1))
        self.fc = nn.Linear(512, num_classes)

    def _make_layer(self, planes, blocks, stride):
        downsample = None
        if stride != 1 or self.inplanes != planes:
            downsample = nn.Sequential(nn.Conv2d(self.inplanes, planes, 1, stride, bias=False),
                                       nn.BatchNorm2d(planes))
        layers = [BasicBlock(self.inplanes, planes, stride, downsample)]
        self.inplanes = planes
        layers += [BasicBlock(planes, planes) for _ in range(1, blocks)]
        return nn.Sequential(*layers)

    def forward(self, x):
        x = self.maxpool(self.relu(self.bn1(self.conv1(x))))
        x = self.layer4(self.layer3(self.layer2(self.layer1(x))))
        return self.fc(self.avgpool(x).flatten(1))


def resnet34(pretrained=False, **kwargs):
    return ResNet([3, 4, 6, 3], **kwargs)
'''

TORCHVISION_TRANSFORMS = '''"""The four torchvision transforms the official code uses (Kinship benchmark stand-in)."""
import numpy as np
import torch
from PIL import Image


class Compose:
    def __init__(self, transforms):
        self.transforms = transforms

    def __call__(self, x):
        for t in self.transforms:
            x = t(x)
        return x


class Resize:
    """Resize((h, w)) of a PIL image: PIL's bilinear filter, as torchvision does."""

    def __init__(self, size):
        self.size = size

    def __call__(self, img):
        height, width = self.size
        return img.resize((width, height), Image.BILINEAR)


class ToTensor:
    def __call__(self, img):
        array = np.array(img, dtype=np.uint8)
        return torch.from_numpy(array).permute(2, 0, 1).contiguous().float().div(255)


class Normalize:
    def __init__(self, mean, std):
        self.mean, self.std = mean, std

    def __call__(self, x):
        mean = torch.as_tensor(self.mean, dtype=x.dtype, device=x.device).view(-1, 1, 1)
        std = torch.as_tensor(self.std, dtype=x.dtype, device=x.device).view(-1, 1, 1)
        return (x - mean) / std
'''


# -- setup ------------------------------------------------------------------------------------------
def _load_fill(spec: Path):
    module_spec = importlib.util.spec_from_file_location("stylegene_fill", spec / "fill.py")
    module = importlib.util.module_from_spec(module_spec)
    module_spec.loader.exec_module(module)
    return module


def build_checkpoints(folder: Path, spec: Path, pool_size: int = 4) -> None:
    """Write the official checkpoint files with fill.py's weights (manifest keys and shapes)."""
    import torch

    manifest = json.loads((spec / "manifest.json").read_text())
    fill = _load_fill(spec)

    def filled(entries: list[dict], prefix: str = "") -> dict:
        return fill.fill_state([(prefix + e["key"], e["shape"]) for e in entries])

    folder.mkdir(parents=True, exist_ok=True)
    g_ema = manifest["stylegan2-ffhq-config-f.pt"]["g_ema"]
    torch.save(
        {"g_ema": filled(g_ema), "latent_avg": fill.fill_state([("latent_avg", [512])])["latent_avg"]},
        folder / "stylegan2-ffhq-config-f.pt",
    )
    e4e = manifest["e4e_ffhq_encode.pt"]
    state = filled(e4e["state_dict_encoder"])
    state.update(filled(g_ema, "decoder."))  # unused by both sides, present in the released file
    torch.save(
        {"state_dict": state, "latent_avg": fill.fill_state([("latent_avg", [18, 512])])["latent_avg"]},
        folder / "e4e_ffhq_encode.pt",
    )
    mappers = manifest["stylegene_N18.ckpt"]
    state = filled(mappers["state_dict_w2sub34"])
    state.update(filled(mappers["state_dict_sub2w"]))
    torch.save({"state_dict": state, "epoch": 0, "global_step": 0}, folder / "stylegene_N18.ckpt")
    torch.save(
        filled(manifest["res34_fair_align_multi_7_20190809.pt"]["state_dict"]),
        folder / "res34_fair_align_multi_7_20190809.pt",
    )
    generator = torch.Generator().manual_seed(0)
    shape = (1, 18, 34, 512)
    pool = {
        f"{ATTRIBUTES['age']}-{ATTRIBUTES['gender']}-{race}": [
            (torch.randn(shape, generator=generator).tanh(), torch.randn(shape, generator=generator).tanh())
            for _ in range(pool_size)
        ]
        for race in RACES
    }
    torch.save(pool, folder / "geneFactorPool.pkl")
    from genetics.faces import LANDMARKS_MODEL, model_path

    (folder / (LANDMARKS_MODEL + ".bz2")).write_bytes(bz2.compress(model_path(LANDMARKS_MODEL).read_bytes()))


def run_setup(args: argparse.Namespace) -> None:
    official = args.official.resolve()
    ops = official / "models" / "stylegan2" / "op"
    (ops / "fused_act.py").write_text(FUSED_ACT_STANDIN)
    (ops / "upfirdn2d.py").write_text(UPFIRDN2D_STANDIN)
    vision = official / "_standins" / "torchvision"
    vision.mkdir(parents=True, exist_ok=True)
    (vision / "__init__.py").write_text(TORCHVISION_INIT)
    (vision / "models.py").write_text(TORCHVISION_MODELS)
    (vision / "transforms.py").write_text(TORCHVISION_TRANSFORMS)
    build_checkpoints(official / "checkpoints", args.spec)
    print(f"official code at {official} ready: CPU stand-ins, torchvision stand-in, filled checkpoints")


# -- the two sides ----------------------------------------------------------------------------------
def photos():
    from genetics.samples import astronaut, grace_hopper

    return astronaut(), grace_hopper()


class Official:
    """The official code, imported as its app does (models load at import, from ./checkpoints)."""

    def __init__(self, root: Path) -> None:
        for path in (root / "deps", root / "_standins", root):
            sys.path.insert(0, str(path))
        os.chdir(root)
        started = time.perf_counter()
        from models.stylegene import api

        self.load_seconds = time.perf_counter() - started
        self.api = api

    def one_child(self, father, mother):
        """The app call: align, classify and encode both parents, then one child at 1024²."""
        return self.api.synthesize_descendant(father, mother, dict(ATTRIBUTES))[2]

    def children(self, father, mother, count: int):
        """Its modules with the parents prepared once, then ``generate_child`` per child."""
        import torch.nn.functional as F

        api = self.api
        images = [api.load_img(api.align_face(p)).to(api.device) for p in (father, mother)]
        races = [api.predict_race(api.model_fair_7, img.clone(), img.device)[0] for img in images]
        codes = [api.encoder(F.interpolate(img, size=(256, 256))) + api.mean_latent for img in images]
        fakes = []
        for race in list(dict.fromkeys(races)):
            fakes = fakes + api.geneFactor(api.encoder, api.w2sub34, ATTRIBUTES["age"], ATTRIBUTES["gender"], race)
        return [
            api.tensor2rgb(
                api.generate_child(
                    codes[0].clone(), codes[1].clone(), fakes, gamma=ATTRIBUTES["gamma"], eta=ATTRIBUTES["eta"]
                )[0]
            )
            for _ in range(count)
        ]


class Ours:
    """Kinship's engine on the same checkpoint folder."""

    def __init__(self, folder: Path, threads: int | None) -> None:
        from genetics.stylegene.engine import EngineOptions, StyleGeneEngine

        started = time.perf_counter()
        self.engine = StyleGeneEngine(folder, options=EngineOptions(num_threads=threads))
        _ = self.engine.models, self.engine.gene_pool
        self.bf16 = StyleGeneEngine(folder, options=EngineOptions(num_threads=threads, preview_bfloat16=True))
        _ = self.bf16.models
        self.load_seconds = time.perf_counter() - started

    def children(self, father, mother, count: int, resolution: int = 1024, bf16: bool = False, cached: bool = False):
        """``count`` candidates; a couple new to the engine unless ``cached`` (parents prepared before)."""
        from genetics.engine import GenerationParams

        engine = self.bf16 if bf16 else self.engine
        if not cached:
            engine.forget_parents()
        parents = [engine.prepare_parent(p) for p in (father, mother)]
        params = GenerationParams(
            age_group=ATTRIBUTES["age"],
            gender=ATTRIBUTES["gender"],
            gamma=ATTRIBUTES["gamma"],
            eta=ATTRIBUTES["eta"],
            num_candidates=count,
            seed=len(parents) + count,
            resolution=resolution,
        )
        return engine.generate(*parents, params)


# -- measurement ------------------------------------------------------------------------------------
def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def run_probe(args: argparse.Namespace) -> None:
    """One side in a fresh process: load, one child, eight children; print JSON with peak RSS."""
    import torch

    torch.set_num_threads(args.threads)
    father, mother = photos()
    side = Official(args.official) if args.probe == "official" else Ours(args.official / "checkpoints", args.threads)
    after_load = _peak_rss_mb()
    if args.probe == "official":
        side.one_child(father, mother)
        side.children(father, mother, 8)
    else:
        side.children(father, mother, 1)
        side.children(father, mother, 8)
        side.children(father, mother, 8, resolution=256)
    print(json.dumps({"load_s": side.load_seconds, "rss_after_load_mb": after_load, "peak_rss_mb": _peak_rss_mb()}))


def _timed(fn) -> tuple[float, float]:
    """Return wall-clock and CPU seconds (all threads of this process) of ``fn()``."""
    started, cpu = time.perf_counter(), time.process_time()
    fn()
    return time.perf_counter() - started, time.process_time() - cpu


def run_bench(args: argparse.Namespace) -> None:
    import torch

    script = Path(__file__).resolve()
    probes = {}
    for side in () if args.skip_probes else ("official", "ours"):
        out = subprocess.run(
            [
                sys.executable,
                str(script),
                "probe",
                side,
                "--official",
                str(args.official),
                "--threads",
                str(args.threads),
            ],
            capture_output=True,
            text=True,
            check=True,
        )
        probes[side] = json.loads(out.stdout.strip().splitlines()[-1])
        print(f"probe {side}: {probes[side]}", flush=True)

    torch.set_num_threads(args.threads)
    father, mother = photos()
    official = Official(args.official)
    ours = Ours(args.official / "checkpoints", args.threads)
    print(
        f"threads={torch.get_num_threads()} torch={torch.__version__} load in this process: "
        f"official {official.load_seconds:.1f} s, ours {ours.load_seconds:.1f} s; os.getloadavg={os.getloadavg()}",
        flush=True,
    )
    flows = {
        "official 1 child (app call)": lambda: official.one_child(father, mother),
        "ours 1 child": lambda: ours.children(father, mother, 1),
        "ours 1 child, parents cached": lambda: ours.children(father, mother, 1, cached=True),
        "official 8 children (modules, parents once)": lambda: official.children(father, mother, 8),
        "ours 8 children": lambda: ours.children(father, mother, 8),
        "ours 8 children, parents cached": lambda: ours.children(father, mother, 8, cached=True),
        "ours 8 previews 256² fp32": lambda: ours.children(father, mother, 8, resolution=256),
        "ours 8 previews 256² fp32, parents cached": lambda: ours.children(
            father, mother, 8, resolution=256, cached=True
        ),
        "ours 8 previews 256² bf16, parents cached": lambda: ours.children(
            father, mother, 8, resolution=256, bf16=True, cached=True
        ),
    }
    official.one_child(father, mother)  # warm-up: oneDNN primitives, first-touch pages
    ours.children(father, mother, 1)
    ours.children(father, mother, 1, resolution=256, bf16=True)
    times: dict[str, list[tuple[float, float]]] = {name: [] for name in flows}
    for round_idx in range(args.rounds):
        for name, fn in flows.items():
            times[name].append(_timed(fn))
            wall, cpu = times[name][-1]
            print(
                f"round {round_idx}: {name:46s} {wall:7.2f} s wall {cpu:7.2f} s CPU  load {os.getloadavg()[0]:.2f}",
                flush=True,
            )

    def best(name: str, which: int) -> float:
        return min(t[which] for t in times[name])

    print("\nsummary: fastest round of each flow, wall-clock and CPU seconds")
    for name in flows:
        print(f"  {name:46s} {best(name, 0):7.2f} s wall {best(name, 1):7.2f} s CPU")
    print("ratios, official / ours, wall (CPU) (targets: 1 child >= 3x, 8 children >= 6x, 8 previews >= 15x):")
    one, eight = "official 1 child (app call)", "official 8 children (modules, parents once)"
    rows = [
        (one, "ours 1 child"),
        (one, "ours 1 child, parents cached"),
        (eight, "ours 8 children"),
        (eight, "ours 8 children, parents cached"),
    ]
    rows += [(eight, name) for name in flows if "previews" in name]
    for reference, name in rows:
        print(f"  {name:46s} {best(reference, 0) / best(name, 0):5.2f}x ({best(reference, 1) / best(name, 1):5.2f}x)")
    print(f"  8 official app calls (8 x one) vs ours 8 children: {8 * best(one, 0) / best('ours 8 children', 0):5.2f}x")
    if probes:
        print(
            f"  model load (fresh process): official {probes['official']['load_s']:.1f} s, ours "
            f"{probes['ours']['load_s']:.1f} s ({probes['official']['load_s'] / probes['ours']['load_s']:.2f}x)"
        )
        print(
            "  peak RSS (fresh process; official: load, 1 + 8 children; ours: the same + 8 previews): "
            f"official {probes['official']['peak_rss_mb']:.0f} MB, ours {probes['ours']['peak_rss_mb']:.0f} MB"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)
    setup = commands.add_parser("setup", help="stand-ins and filled checkpoints in the official folder")
    setup.add_argument("--official", type=Path, required=True)
    setup.add_argument("--spec", type=Path, default=DEFAULT_SPEC, help="folder with fill.py and manifest.json")
    for name in ("run", "probe"):
        sub = commands.add_parser(name)
        if name == "probe":
            sub.add_argument("probe", choices=("official", "ours"))
        sub.add_argument("--official", type=Path, required=True)
        sub.add_argument("--threads", type=int, default=2)
        sub.add_argument("--rounds", type=int, default=2)
        sub.add_argument("--skip-probes", action="store_true", help="no fresh-process load/RSS probes")
    args = parser.parse_args()
    args.official = args.official.resolve()
    if args.command == "setup":
        run_setup(args)
    elif args.command == "probe":
        run_probe(args)
    else:
        run_bench(args)


if __name__ == "__main__":
    main()
