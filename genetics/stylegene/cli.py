"""Command-line entry points of the StyleGene engine: ``check`` and ``synthesize``.

The shared ``python -m genetics`` CLI registers them with :func:`add_subcommands`; this module also
runs alone: ``python -m genetics.stylegene.cli check DIR``.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np

from genetics.engine import AGE_GROUPS, ANCESTRIES, GENDERS, GenerationParams
from genetics.errors import GeneticsError


def run_check(args: argparse.Namespace) -> int:
    """Verify a checkpoint folder; print the per-file report; exit 0 only when every file is fine."""
    from genetics.stylegene.checkpoints import verify_folder

    report = verify_folder(args.checkpoints, include_gene_pool=not args.skip_gene_pool)
    sys.stdout.write(report.message() + "\n")
    return 0 if report.ok else 1


def _read_rgb(path: Path) -> np.ndarray:
    from PIL import Image, ImageOps

    with Image.open(path) as img:
        return np.asarray(ImageOps.exif_transpose(img).convert("RGB"))


def run_synthesize(args: argparse.Namespace) -> int:
    """Generate candidates for one couple; write PNGs and a JSON that reproduces them."""
    import torch
    from PIL import Image

    from genetics.stylegene.engine import EngineOptions, StyleGeneEngine

    if args.threads:
        torch.set_num_threads(args.threads)
    params = GenerationParams(age_group=args.age, gender=args.gender, gamma=args.gamma, eta=args.eta,
                              num_candidates=args.n, seed=args.seed, resolution=args.resolution,
                              ancestry=tuple(args.ancestry or ()))
    engine = StyleGeneEngine(args.checkpoints, device=args.device,
                             options=EngineOptions(crossover=args.crossover, half=args.half))
    try:
        father = engine.prepare_parent(_read_rgb(args.father))
        mother = engine.prepare_parent(_read_rgb(args.mother))
        result = engine.generate(father, mother, params)
    except GeneticsError as exc:
        sys.stderr.write(f"error: {exc}\n")
        return 2
    args.out.mkdir(parents=True, exist_ok=True)
    files = []
    for candidate in result.candidates:
        name = f"child_{candidate.index:02d}.png"
        Image.fromarray(candidate.image).save(args.out / name)
        files.append({"file": name, "index": candidate.index, "seed": candidate.meta["seed"],
                      "pool_keys": candidate.meta["pool_keys"],
                      "region_mode": candidate.genes["region_mode"].tolist()})
    record = {
        "engine": result.engine, "engine_version": result.engine_version,
        "model_checksums": result.model_checksums, "params": params.to_dict(),
        "crossover": args.crossover, "device": args.device, "half": args.half,
        "father": {"path": str(args.father), **father.meta}, "mother": {"path": str(args.mother), **mother.meta},
        "candidates": files, "timings": result.timings,
    }
    (args.out / "generation.json").write_text(json.dumps(record, indent=2, default=float))
    sys.stdout.write(f"wrote {len(files)} candidates and generation.json to {args.out}\n")
    return 0


def add_subcommands(subparsers: argparse._SubParsersAction) -> None:
    """Register ``check`` and ``synthesize`` on a parent parser's subparsers."""
    check = subparsers.add_parser("check", help="verify a StyleGene checkpoint folder")
    check.add_argument("checkpoints", type=Path, help="folder laid out as the official release")
    check.add_argument("--skip-gene-pool", action="store_true", help="do not open geneFactorPool.pkl")
    check.set_defaults(func=run_check)

    syn = subparsers.add_parser("synthesize", help="generate candidate children of a couple")
    syn.add_argument("--checkpoints", type=Path, default=None,
                     help="checkpoint folder (default: $KINSHIP_STYLEGENE_CHECKPOINTS)")
    syn.add_argument("--father", type=Path, required=True)
    syn.add_argument("--mother", type=Path, required=True)
    syn.add_argument("--age", choices=AGE_GROUPS, default="3-9")
    syn.add_argument("--gender", choices=GENDERS, default="female")
    syn.add_argument("--gamma", type=float, default=0.47)
    syn.add_argument("--eta", type=float, default=0.4)
    syn.add_argument("--seed", type=int, default=0)
    syn.add_argument("-n", type=int, default=4, help="number of candidates")
    syn.add_argument("--resolution", type=int, default=1024, help="256 = preview (early stop)")
    syn.add_argument("--ancestry", nargs="*", choices=ANCESTRIES,
                     help="gene-pool races (default: FairFace's prediction for each parent)")
    syn.add_argument("--crossover", choices=("official", "paper"), default="official")
    syn.add_argument("--device", default="cpu")
    syn.add_argument("--half", action="store_true", help="fp16 generator (CUDA only)")
    syn.add_argument("--threads", type=int, default=0)
    syn.add_argument("--out", type=Path, required=True)
    syn.set_defaults(func=run_synthesize)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m genetics.stylegene.cli")
    add_subcommands(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    raise SystemExit(main())
