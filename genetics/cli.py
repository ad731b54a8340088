"""``python -m genetics``: synthesise candidates, check StyleGene checkpoints, evaluate engines.

- ``synthesize``: candidates for one couple, written as PNGs that say they are synthetic (XMP:
  IPTC ``trainedAlgorithmicMedia``, engine, seed, parameters, model checksums, the parents'
  sha256s; :mod:`genetics.provenance`) plus ``synthesis.json`` holding everything needed to
  reproduce them (parameters, engine, version, model checksums, input sha256s, face boxes) and
  their resemblance figures.
- ``check DIR``: verify a StyleGene checkpoint folder.
- ``evaluate FAMILIES.csv``: per engine, how well candidates resemble their own parents (see
  :mod:`genetics.evaluation`).

Image arguments are file paths or ``sample:NAME[:mirror]`` for the public-domain portraits that
ship in installed packages (:mod:`genetics.samples`).
"""

from __future__ import annotations

import argparse
import datetime
import hashlib
import io
import json
import os
import sys
from pathlib import Path
from typing import Any

import numpy as np

from genetics.engine import (
    AGE_GROUPS,
    ANCESTRIES,
    GENDERS,
    Engine,
    FaceBox,
    GenerationParams,
    GenerationResult,
    RegionChoice,
)
from genetics.errors import FaceError, GeneticsError
from genetics.images import load_image
from genetics.parameters import GREYING_AGE, HAIR_COLOURS, parent_age
from genetics.provenance import ParentIngredient, ProvenanceInfo, png_set_xmp, xmp_packet


def _age(text: str) -> int | None:
    """Parse a parent's age on their photo for argparse (:func:`genetics.parameters.parent_age`)."""
    try:
        return parent_age(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def _box(text: str | None) -> FaceBox | None:
    if not text:
        return None
    parts = [int(p) for p in text.split(",")]
    if len(parts) != 4:
        raise argparse.ArgumentTypeError("a face box is LEFT,TOP,RIGHT,BOTTOM")
    return FaceBox(*parts)


def _region(text: str) -> tuple[str, RegionChoice]:
    name, _, rest = text.partition("=")
    mode, _, weight = rest.partition(":")
    if mode not in ("father", "mother", "weight", "mutate", "default"):
        raise argparse.ArgumentTypeError(f"region mode must be father/mother/weight/mutate/default: {text}")
    return name, RegionChoice(mode=mode, weight=float(weight) if weight else 0.5)  # type: ignore[arg-type]


def _json_safe(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _json_safe(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_json_safe(v) for v in value]
    if isinstance(value, np.ndarray):
        return value.tolist()
    if isinstance(value, np.generic):
        return value.item()
    return value


def params_from_args(args: argparse.Namespace) -> GenerationParams:
    """Build generation parameters from parsed ``synthesize``/``evaluate`` arguments."""
    return GenerationParams(
        age_group=args.age,
        gender=args.gender,
        gamma=args.gamma,
        eta=args.eta,
        num_candidates=args.n,
        seed=args.seed,
        resolution=args.resolution,
        regions=dict(getattr(args, "region", None) or []),
        ancestry=tuple(getattr(args, "ancestry", None) or ()),
        infer_ancestry=bool(getattr(args, "infer_ancestry", False)),
        hair_colours=(getattr(args, "father_hair", None) or "", getattr(args, "mother_hair", None) or ""),
        parent_ages=(getattr(args, "father_age", None), getattr(args, "mother_age", None)),
    )


GATE_FIELDS = ("low_resolution", "face_side", "yaw", "frontalised", "monochrome", "tone", "notes")
"""Facts the input gate (:mod:`genetics.gate`) records about each parent photo."""


def engine_from_args(args: argparse.Namespace, name: str | None) -> Engine:
    """Return the engine the arguments ask for; ``--references`` builds an offline engine with them."""
    from genetics.registry import get_engine

    engine = get_engine(name, checkpoint_dir=args.checkpoints, device=args.device)
    if not getattr(args, "references", None):
        return engine
    if engine.name != "offline":
        raise ValueError(f"--references is only used by the offline engine, not {engine.name}")
    from genetics.offline import OfflineEngine
    from genetics.offline.prototypes import load_references

    return OfflineEngine(references=load_references(args.references, min_references=args.min_references))


def run_synthesize(args: argparse.Namespace) -> int:
    """Generate candidates for one couple; write PNGs and a JSON that reproduces them."""
    from PIL import Image

    from genetics import metrics

    engine = engine_from_args(args, args.engine)
    params = params_from_args(args)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    inputs, prepared, embeddings = {}, {}, {}
    for role, reference, box in (
        ("father", args.father, _box(args.father_box)),
        ("mother", args.mother, _box(args.mother_box)),
    ):
        image, digest = load_image(reference)
        try:
            prepared[role] = engine.prepare_parent(image, face_box=box)
        except FaceError as exc:
            # With two photos in, the message says which one the gate refused.
            raise GeneticsError(f"the {role}'s photo ({reference}): {exc}") from exc
        stored = prepared[role].arrays.get("embedding")
        embeddings[role] = stored if stored is not None else metrics.embed_image(image, box)
        meta = prepared[role].meta
        inputs[role] = {
            "path": reference,
            "sha256": digest,
            "face_box": meta.get("face_box"),
            **{k: meta[k] for k in GATE_FIELDS if k in meta},
            "engine_notes": meta.get("engine_notes", []),
        }
        for note in prepared[role].user_notes:
            sys.stdout.write(f"{role}: {note}\n")
    result = engine.generate(prepared["father"], prepared["mother"], params)
    created = datetime.datetime.now(datetime.timezone.utc)
    records, child_embeddings = [], []
    for candidate in result.candidates:
        name = f"candidate_{candidate.index:02d}.png"
        buffer = io.BytesIO()
        Image.fromarray(candidate.image).save(buffer, format="PNG")
        png = png_set_xmp(buffer.getvalue(), xmp_packet(_provenance(result, params, inputs, name, created)))
        (out / name).write_bytes(png)
        record = {
            "file": name,
            "sha256": hashlib.sha256(png).hexdigest(),
            # The file's hash changes with the creation time its metadata states; the pixels' does not.
            "pixels_sha256": hashlib.sha256(np.ascontiguousarray(candidate.image).tobytes()).hexdigest(),
            "meta": candidate.meta,
        }
        try:
            embedding = metrics.embed_image(candidate.image)
        except FaceError as exc:
            # A child dlib cannot score is a finding about that candidate, not a failed run.
            record.update(resemblance=None, resemblance_error=str(exc))
        else:
            child_embeddings.append(embedding)
            record["resemblance"] = metrics.resemblance(embedding, embeddings["father"], embeddings["mother"]).as_dict()
        records.append(record)
    report = {
        "engine": result.engine,
        "engine_version": result.engine_version,
        "model_checksums": result.model_checksums,
        "params": params.to_dict(),
        "inputs": inputs,
        "candidates": records,
        "diversity": metrics.diversity(child_embeddings),
        "timings": result.timings,
    }
    (out / "synthesis.json").write_text(json.dumps(_json_safe(report), indent=2, sort_keys=True))
    age_reference = result.candidates[0].meta.get("age_reference") if result.candidates else None
    if age_reference:
        sys.stdout.write(f"age look: {age_reference['message']}\n")
    unscored = sum(record["resemblance"] is None for record in records)
    note = f" ({unscored} without a face dlib could score; see synthesis.json)" if unscored else ""
    sys.stdout.write(f"{len(records)} candidates from the {result.engine} engine written to {out}{note}\n")
    return 0


def _provenance(
    result: GenerationResult,
    params: GenerationParams,
    inputs: dict[str, dict[str, Any]],
    name: str,
    created: datetime.datetime,
) -> ProvenanceInfo:
    """Return what a candidate written by ``synthesize`` says of itself: synthetic, and how it was made."""
    return ProvenanceInfo(
        engine_name=result.engine,
        engine_version=result.engine_version,
        model_checksums=result.model_checksums,
        job_reference=f"python -m genetics synthesize: {name}",
        seed=params.seed,
        parameters=params.to_dict(),
        created_at=created,
        parents=[ParentIngredient(f"{role}: {inputs[role]['path']}", inputs[role]["sha256"]) for role in inputs],
    )


def run_check(args: argparse.Namespace) -> int:
    """Verify a StyleGene checkpoint folder; exit 0 only when every file is fine."""
    from genetics.registry import stylegene_module

    checkpoints = stylegene_module("checkpoints")
    if not args.folder.is_dir():
        sys.stdout.write(f"checkpoint folder {args.folder} does not exist\n")
        return 1
    report = checkpoints.verify_folder(args.folder, include_gene_pool=not args.skip_gene_pool)
    sys.stdout.write(report.message() + "\n")
    return 0 if report.ok else 1


def run_evaluate(args: argparse.Namespace) -> int:
    """Evaluate engines on a couples CSV; print the figures and write a contact sheet per engine."""
    from genetics.evaluation import AgeJudge, evaluate, format_report, read_families
    from genetics.registry import available_engines

    families = read_families(Path(args.families))
    names = args.engine or [n for n, problem in available_engines(args.checkpoints).items() if problem is None]
    params = params_from_args(args)
    script = args.face_attrs or os.environ.get("FACE_ATTRS_SCRIPT")
    judge = AgeJudge(Path(script) if script else None)
    sheet = Path(args.sheet)
    reports = [
        evaluate(
            engine_from_args(args, name),
            families,
            params,
            judge=judge,
            sheet=sheet.with_name(f"{sheet.stem}_{name}{sheet.suffix}"),
        )
        for name in names
    ]
    sys.stdout.write(format_report(reports) + "\n")
    if args.json:
        Path(args.json).write_text(json.dumps(_json_safe([r.as_dict() for r in reports]), indent=2))
    return 0


def _add_generation_options(parser: argparse.ArgumentParser, *, candidates: int, resolution: int) -> None:
    # The app's one setting for the folder; only the command line reads it, genetics never does.
    env_folder = os.environ.get("KINSHIP_CHECKPOINT_DIR")
    parser.add_argument(
        "--checkpoints",
        type=Path,
        default=Path(env_folder) if env_folder else None,
        help="StyleGene checkpoint folder (default: $KINSHIP_CHECKPOINT_DIR)",
    )
    parser.add_argument("--device", default="cpu")
    parser.add_argument("--age", choices=AGE_GROUPS, default="3-9")
    parser.add_argument("--gender", choices=GENDERS, default="female")
    parser.add_argument("--gamma", type=float, default=0.47, help="pool share in crossed genes")
    parser.add_argument("--eta", type=float, default=0.4, help="share of genes replaced by the pool")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("-n", type=int, default=candidates, help="candidates per couple")
    parser.add_argument("--resolution", type=int, default=resolution)
    parser.add_argument(
        "--ancestry",
        action="append",
        choices=ANCESTRIES,
        help="gene-pool ancestry key (repeatable; default: every ancestry)",
    )
    parser.add_argument(
        "--infer-ancestry",
        action="store_true",
        help="StyleGene: without --ancestry, draw pool genes of the parents' races "
        "as FairFace predicts them (the official behaviour; off by default)",
    )
    parser.add_argument(
        "--region",
        action="append",
        type=_region,
        metavar="NAME=MODE[:WEIGHT]",
        help="inherit one region: father, mother, weight:W, mutate or default",
    )
    parser.add_argument(
        "--references",
        type=Path,
        default=None,
        help="CSV path,age,sex[,ancestry] of reference faces for the age look (offline)",
    )
    parser.add_argument(
        "--min-references", type=int, default=8, help="fewest faces per age band that make a prototype (default 8)"
    )


def build_parser() -> argparse.ArgumentParser:
    """Return the ``python -m genetics`` argument parser."""
    parser = argparse.ArgumentParser(prog="python -m genetics", description=__doc__.split("\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)

    synth = commands.add_parser("synthesize", help="generate candidate children for one couple")
    synth.add_argument(
        "--engine",
        choices=("offline", "stylegene"),
        default=None,
        help="default: stylegene when --checkpoints verifies, else offline",
    )
    synth.add_argument("--father", required=True, help="image path or sample:NAME[:mirror]")
    synth.add_argument("--mother", required=True, help="image path or sample:NAME[:mirror]")
    synth.add_argument("--father-box", help="LEFT,TOP,RIGHT,BOTTOM of the father's face")
    synth.add_argument("--mother-box", help="LEFT,TOP,RIGHT,BOTTOM of the mother's face")
    for role in ("father", "mother"):
        synth.add_argument(
            f"--{role}-hair",
            choices=tuple(HAIR_COLOURS),
            help=f"the {role}'s natural hair colour, when the photo hides it (a hat, grey hair, a crop)",
        )
        synth.add_argument(
            f"--{role}-age",
            type=_age,
            help=f"the {role}'s age on the photo: white or ash hair is taken for greying only from {GREYING_AGE}",
        )
    synth.add_argument("--out", required=True, type=Path)
    _add_generation_options(synth, candidates=8, resolution=512)
    synth.set_defaults(handler=run_synthesize)

    check = commands.add_parser("check", help="verify a StyleGene checkpoint folder")
    check.add_argument("folder", type=Path)
    check.add_argument(
        "--skip-gene-pool",
        action="store_true",
        help="do not read geneFactorPool.pkl (about 28 GB; its first hash takes minutes)",
    )
    check.set_defaults(handler=run_check)

    evaluate = commands.add_parser("evaluate", help="evaluate engines on a families CSV")
    evaluate.add_argument(
        "families",
        help="CSV: family,father,mother[,children,father_box,mother_box,father_hair,mother_hair,father_age,mother_age]",
    )
    evaluate.add_argument(
        "--engine",
        action="append",
        choices=("offline", "stylegene"),
        help="engine to evaluate (repeatable; default: every available one)",
    )
    evaluate.add_argument("--json", type=Path, help="also write the figures to this JSON file")
    evaluate.add_argument(
        "--sheet", default="contact_sheet.png", help="contact sheet PNG (the engine's name is added before the suffix)"
    )
    evaluate.add_argument(
        "--face-attrs",
        type=Path,
        default=None,
        help="face_attrs.js of the apparent-age tool (default: $FACE_ATTRS_SCRIPT)",
    )
    _add_generation_options(evaluate, candidates=4, resolution=512)
    evaluate.set_defaults(handler=run_evaluate)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the CLI; return the exit status (2 for a genetics error, with its message on stderr)."""
    args = build_parser().parse_args(argv)
    try:
        return int(args.handler(args))
    except (GeneticsError, ValueError, FileNotFoundError) as exc:
        sys.stderr.write(f"error: {exc}\n")
        return 2
