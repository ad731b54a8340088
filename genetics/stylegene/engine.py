"""The StyleGene engine: parents' photos -> K candidate children, as the official code does it but
seeded, batched and cacheable.

Flow: align (``genetics.faces``) -> e4e + ``latent_avg`` = W+ and FairFace attributes, once per
parent (:meth:`StyleGeneEngine.prepare_parent`, cacheable) -> W2Sub genes of both parents in one
batch -> gene-pool query -> crossover/mutation per candidate -> Sub2W -> official row mix ->
StyleGAN2 for all K candidates in batches, stopping early for previews.

Reproducibility: ``params.seed`` seeds a ``random.Random`` that draws one 63-bit seed per
candidate; candidate ``k`` takes all its randomness (crossover, pool picks, gene sampling,
generator noise) from ``random.Random(seed_k)`` and ``torch.Generator().manual_seed(seed_k)``.
So candidate ``k`` is the same whatever K is, and :meth:`StyleGeneEngine.render_candidate`
re-renders one at full resolution on demand; no global RNG state is read or changed.
"""

from __future__ import annotations

import copy
import functools
import hashlib
import random
import time
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F

from genetics.engine import (
    Candidate,
    FaceBox,
    GenerationParams,
    GenerationResult,
    PreparedParent,
)
from genetics.errors import EngineUnavailable, InvalidImage, StaleParent
from genetics.gate import shared_tint
from genetics.parameters import region_genes
from genetics.stylegene.checkpoints import (
    GENE_POOL_FILE,
    ModelConfigs,
    StyleGeneModels,
    file_sha256,
    folder_configs,
    load_models,
    resolve_folder,
)
from genetics.stylegene.crossover import (
    CrossoverMethod,
    GeneTensors,
    cross_genes,
    mix_parent_rows,
)
from genetics.stylegene.fairface import decode_attributes, preprocess_for_fairface
from genetics.stylegene.gene_pool import GenePool
from genetics.stylegene.regions import region_index

ENGINE_NAME = "stylegene"
ENGINE_VERSION = "1.1.1"  # 1.1.1: colour headshots cropped tight stay colour (gate)
ALIGNED_SIZE = 256  # the official pipeline aligns and encodes at 256²
OFFICIAL_TRANSFORM_SIZE = 1024  # the official FFHQ alignment's intermediate square
GENE_CACHE_SIZE = 8  # parents whose genes (2 x 1.25 MB each) stay cached per engine
PARENT_CACHE_SIZE = 16  # prepared parents (W+, aligned 256² face: ~0.25 MB each) kept per engine


@dataclass(frozen=True)
class EngineOptions:
    """Behaviour switches of :class:`StyleGeneEngine` (defaults: the official behaviour)."""

    crossover: CrossoverMethod = "official"  # or "paper" (see genetics.stylegene.crossover)
    mix_from_row: int | None = 8  # W+ rows from here on = parents' average; None disables
    batch_size: int = 8  # candidates per generator forward
    half: bool = False  # fp16 generator (CUDA only)
    # CPU previews (below full size) in bfloat16: ~2x faster, ~1e-2 off, where the CPU computes
    # bfloat16 natively (cpu_computes_bfloat16); elsewhere the previews stay fp32.
    preview_bfloat16: bool = False
    num_threads: int | None = None  # torch intra-op threads (process-wide); None leaves torch's setting


def cpu_computes_bfloat16(cpuinfo: str | None = None) -> bool:
    """Whether this CPU has bfloat16 arithmetic (AVX512-BF16, AMX-BF16 or Arm's BF16).

    Without it torch emulates bfloat16, and a preview measured 25-45x SLOWER than fp32 on an
    AVX2-only EPYC (1 sample: 1.5 s fp32, 43 s bf16), so the option must not apply there.
    ``cpuinfo`` is the text of /proc/cpuinfo (read when None; unreadable means no).
    """
    if cpuinfo is None:
        cpuinfo = _cpuinfo()
    flags = set()
    for line in cpuinfo.splitlines():
        key, _, value = line.partition(":")
        if key.strip().lower() in ("flags", "features"):
            flags.update(value.split())
    return bool(flags & {"avx512_bf16", "amx_bf16", "bf16"})


@functools.cache
def _cpuinfo() -> str:
    # Read once per process: every preview asks, and the CPU does not change under it.
    try:
        return Path("/proc/cpuinfo").read_text(errors="replace")
    except OSError:
        return ""


def tensor_to_rgb(images: torch.Tensor) -> np.ndarray:
    """Convert ``[B, 3, H, W]`` in ``[-1, 1]`` to uint8 ``[B, H, W, 3]`` as the official code does.

    ``(x * 0.5 + 0.5) * 255`` clipped to ``[0, 255]`` and truncated (not rounded).
    """
    x = ((images.float() * 0.5 + 0.5) * 255.0).clamp(0.0, 255.0)
    return x.to(torch.uint8).permute(0, 2, 3, 1).cpu().numpy()


def rgb_to_tensor(image: np.ndarray, size: int = ALIGNED_SIZE) -> torch.Tensor:
    """Convert an RGB uint8 ``[H, W, 3]`` face to ``[1, 3, size, size]`` in ``[-1, 1]``.

    Other sizes are resized as the official ``load_img`` does (PIL's bilinear filter through
    torchvision's ``Resize``, aspect ratio not kept): an antialiased bilinear resize whose result
    is rounded to 8-bit levels, within one level of PIL's (``tests/.../test_engine.py``).
    """
    if not isinstance(image, np.ndarray) or image.ndim != 3 or image.shape[2] != 3 or image.dtype != np.uint8:
        raise InvalidImage("expected an RGB uint8 array [H, W, 3]")
    x = torch.from_numpy(np.array(image, dtype=np.uint8)).permute(2, 0, 1)[None].float()
    if x.shape[-2:] != (size, size):
        # PIL widens the bilinear kernel when shrinking (antialias) and stores 8-bit pixels.
        x = F.interpolate(x, size=(size, size), mode="bilinear", align_corners=False, antialias=True)
        x = x.round_().clamp_(0.0, 255.0)
    return x / 255.0 * 2.0 - 1.0  # ToTensor then Normalize(0.5, 0.5), in the same float steps


def candidate_seeds(seed: int, count: int) -> list[int]:
    """Return the per-candidate seeds derived from one generation seed (prefix-stable in count)."""
    master = random.Random(seed)
    return [master.getrandbits(63) for _ in range(count)]


class StyleGeneEngine:
    """Implements :class:`genetics.engine.Engine` with the released StyleGene models.

    Models load on first use, once per process (see :func:`~genetics.stylegene.checkpoints.load_models`).
    ``models``/``gene_pool`` may be passed in directly (tests, tiny configurations).
    """

    name = ENGINE_NAME
    version = ENGINE_VERSION

    def __init__(
        self,
        checkpoint_dir: Path | str | None = None,
        device: str = "cpu",
        *,
        options: EngineOptions = EngineOptions(),
        configs: ModelConfigs | None = None,
        models: StyleGeneModels | None = None,
        gene_pool: GenePool | None = None,
        gene_pool_path: Path | str | None = None,
    ) -> None:
        if options.half and not str(device).startswith("cuda"):
            raise EngineUnavailable("half precision is only supported on CUDA devices")
        self.device = torch.device(device)
        if options.num_threads is not None:
            # Process-wide in torch; set deliberately (a worker shares its cores with others).
            torch.set_num_threads(options.num_threads)
        self.options = options
        self._folder = None if models is not None else resolve_folder(checkpoint_dir)
        # Sizes: as given, else as the folder declares (model_configs.json), else the release's.
        self.configs = configs or (folder_configs(self._folder) if self._folder else ModelConfigs())
        self._models = models
        self._gene_pool = gene_pool
        self._preview_generator: torch.nn.Module | None = None
        # W2Sub output per parent latent: regenerating for the same couple skips the gene encoder.
        self._gene_cache: OrderedDict[str, GeneTensors] = OrderedDict()
        # Prepared parents by (image sha256, face box): a photo is detected, aligned, encoded and
        # classified once per engine, whatever number of jobs uses it (callers may also keep
        # PreparedParent.to_bytes() across processes, as the app does).
        self._parent_cache: OrderedDict[tuple[str, tuple[int, ...] | None], PreparedParent] = OrderedDict()
        self._gene_pool_path = (
            Path(gene_pool_path) if gene_pool_path else (self._folder / GENE_POOL_FILE if self._folder else None)
        )

    # -- lazy resources -------------------------------------------------------------------------
    @property
    def models(self) -> StyleGeneModels:
        if self._models is None:
            dtype = torch.float16 if self.options.half else torch.float32
            self._models = load_models(self._folder, device=str(self.device), dtype=dtype, configs=self.configs)
        return self._models

    @property
    def gene_pool(self) -> GenePool:
        if self._gene_pool is None:
            if self._gene_pool_path is None or not self._gene_pool_path.is_file():
                self._gene_pool = GenePool({})  # documented: parents' own genes act as the pool
            else:
                mapper = self.configs.mapper
                self._gene_pool = GenePool.load_official(
                    self._gene_pool_path, (1, mapper.n_rows, mapper.n_regions, mapper.dim)
                )
        return self._gene_pool

    def model_checksums(self) -> dict[str, str]:
        """Return sha256 of every model file in use, by file name (gene pool included when present)."""
        sums = dict(self.models.checksums)
        if self._gene_pool_path is not None and self._gene_pool_path.is_file():
            sums[self._gene_pool_path.name] = file_sha256(self._gene_pool_path)
        return sums

    def model_key(self) -> str:
        """Return a short id of engine version + the files that shape a prepared parent."""
        sums = self.models.checksums
        text = ENGINE_VERSION + "|" + "|".join(f"{k}={sums[k]}" for k in sorted(sums))
        return "stylegene-" + hashlib.sha256(text.encode()).hexdigest()[:16]

    def forget_parents(self) -> None:
        """Drop the cached prepared parents and their genes (benchmarks; memory pressure)."""
        self._gene_cache.clear()
        self._parent_cache.clear()

    # -- parents --------------------------------------------------------------------------------
    def prepare_parent(self, image: np.ndarray, *, face_box: FaceBox | None = None) -> PreparedParent:
        """Gate, align (FFHQ, 256²) and encode a parent face from an RGB uint8 ``[H, W, 3]`` image.

        The shared input gate (:func:`genetics.gate.gate_face`) finds the face (``face_box`` picks
        one in a group photo) and accepts or refuses it with the same sentences as the offline
        engine: faces from 36 px are enlarged (``low_resolution``), three-quarter views
        frontalised, grey and sepia photos noted so the candidates take their tone. An ordinary
        frontal face is aligned from the photo exactly as the official code does. ``meta`` holds
        the gate's facts and each stage's seconds (detect, align, encode, attributes); the result
        is cached per engine by the image's sha256 and ``face_box``.
        """
        from genetics.faces import check_image
        from genetics.gate import gate_face

        image = check_image(image)
        digest = hashlib.sha256(image.tobytes()).hexdigest()
        key = (digest, tuple(face_box.as_list()) if face_box else None)
        if key in self._parent_cache:
            self._parent_cache.move_to_end(key)
            return self._parent_cache[key]
        started = time.perf_counter()
        gated = gate_face(image, box=face_box)
        detected = time.perf_counter()
        aligned, _, _ = gated.aligned(ALIGNED_SIZE, photo=image, transform_size=OFFICIAL_TRANSFORM_SIZE)
        seconds_align = time.perf_counter() - detected
        parent = self.prepare_aligned(aligned)
        meta = dict(
            parent.meta,
            **gated.meta(),
            image_sha256=digest,
            seconds_detect=detected - started,
            seconds_align=seconds_align,
            seconds_total=time.perf_counter() - started,
        )
        prepared = PreparedParent(parent.engine, parent.model_key, parent.arrays, meta)
        self._parent_cache[key] = prepared
        while len(self._parent_cache) > PARENT_CACHE_SIZE:
            self._parent_cache.popitem(last=False)
        return prepared

    @torch.inference_mode()
    def prepare_aligned(self, aligned: np.ndarray) -> PreparedParent:
        """Encode an already aligned face (RGB uint8, resized to 256² if needed) into W+.

        The returned parent keeps the aligned face as given, for display next to the candidates.
        """
        models = self.models
        started = time.perf_counter()
        x = rgb_to_tensor(aligned).to(self.device)
        size = models.encoder.config.input_size
        if x.shape[-1] != size:
            x = F.interpolate(x, size=(size, size), mode="bilinear", align_corners=False)
        wplus = models.encoder(x) + models.latent_avg
        encoded = time.perf_counter()
        logits = models.fairface(preprocess_for_fairface(x, models.fairface.config.input_size))
        attributes = decode_attributes(logits)[0]
        meta = {
            "attributes": {"race": attributes.race, "gender": attributes.gender, "age_group": attributes.age_group},
            "seconds_encode": encoded - started,
            "seconds_attributes": time.perf_counter() - encoded,
        }
        arrays = {"wplus": wplus[0].float().cpu().numpy(), "aligned": np.array(aligned, dtype=np.uint8)}
        return PreparedParent(ENGINE_NAME, self.model_key(), arrays, meta)

    @torch.inference_mode()
    def encode_genes(self, image: np.ndarray) -> tuple[torch.Tensor, torch.Tensor]:
        """Return a photo's gene distribution ``(mu, logvar)``, each ``[1, N, 34, 512]`` on the CPU.

        The encoder for :func:`genetics.stylegene.gene_pool.build_pool_from_folder`.
        """
        wplus = self._parent_wplus(self.prepare_parent(image), "pool face")
        mu, logvar = self.models.w2sub(wplus)
        return mu.float().cpu(), logvar.float().cpu()

    def _parent_wplus(self, parent: PreparedParent, role: str) -> torch.Tensor:
        if parent.engine != ENGINE_NAME or parent.model_key != self.model_key():
            raise StaleParent(
                f"the {role}'s prepared face was made by {parent.engine}/{parent.model_key}, "
                f"not {self.model_key()}; prepare it again"
            )
        wplus = torch.from_numpy(np.asarray(parent.arrays["wplus"], dtype=np.float32))
        expected = (self.models.sub2w.config.n_rows, self.models.sub2w.config.dim)
        if tuple(wplus.shape) != expected:
            raise StaleParent(f"the {role}'s latent has shape {tuple(wplus.shape)}, expected {expected}")
        return wplus[None].to(self.device)

    def candidate_as_parent(self, candidate: Candidate) -> PreparedParent:
        """Return a generated child as a parent: its W+ latent as stored, no re-encoding.

        The latent is the one the generator rendered (after the official row mixing), so the
        next generation starts exactly from this child. FairFace is not run on it.
        """
        wplus = np.asarray(candidate.genes["wplus"], dtype=np.float32)
        image = np.asarray(candidate.image, dtype=np.uint8)
        if image.shape[0] != ALIGNED_SIZE:
            from PIL import Image

            image = np.asarray(Image.fromarray(image).resize((ALIGNED_SIZE, ALIGNED_SIZE), Image.Resampling.LANCZOS))
        # A toned child keeps its tone as a parent, so its own children are toned alike.
        tone = {key: candidate.meta[key] for key in ("monochrome", "tint") if key in candidate.meta}
        return PreparedParent(
            ENGINE_NAME, self.model_key(), {"wplus": wplus, "aligned": image}, {"from_candidate": True, **tone}
        )

    # -- children -------------------------------------------------------------------------------
    def generate(self, father: PreparedParent, mother: PreparedParent, params: GenerationParams) -> GenerationResult:
        """Generate ``params.num_candidates`` children at ``params.resolution``; seeded and batched."""
        indices = list(range(params.num_candidates))
        return self._run(father, mother, params, indices, params.resolution)

    def render_candidate(
        self,
        father: PreparedParent,
        mother: PreparedParent,
        params: GenerationParams,
        index: int,
        resolution: int | None = None,
    ) -> Candidate:
        """Re-render candidate ``index`` of a previous generation (e.g. a preview) at ``resolution``."""
        size = resolution or self.models.generator.config.size
        return self._run(father, mother, params, [index], size).candidates[0]

    def _stop_resolution(self, resolution: int) -> int:
        size = self.models.generator.config.size
        if not 1 <= resolution <= size:
            raise ValueError(f"resolution must be between 1 and {size}, got {resolution}")
        return max(4, 1 << (resolution - 1).bit_length())

    def _parent_genes(self, w_f: torch.Tensor, w_m: torch.Tensor) -> tuple[GeneTensors, GeneTensors]:
        """Return both parents' ``(mu, logvar)``, from a small per-engine cache keyed by the latent."""
        keys = [hashlib.sha256(w.float().cpu().numpy().tobytes()).hexdigest() for w in (w_f, w_m)]
        for key, w in zip(keys, (w_f, w_m)):
            if key not in self._gene_cache:
                # One parent per call: a batched matmul may round differently, and the result must
                # not depend on which parents happened to be cached already.
                self._gene_cache[key] = self.models.w2sub(w)
        genes = [self._gene_cache[key] for key in keys]
        for key in keys:  # most recently used last; the oldest go first
            self._gene_cache.move_to_end(key)
        while len(self._gene_cache) > GENE_CACHE_SIZE:
            self._gene_cache.popitem(last=False)
        return genes[0], genes[1]

    def _render(self, wplus: torch.Tensor, noises: list[list[torch.Tensor]], stop: int, resolution: int) -> np.ndarray:
        """Render W+ ``[K, N, D]`` in batches of ``options.batch_size``; return uint8 ``[K, R, R, 3]``."""
        images = []
        generator = self._generator_for(stop)
        gen_dtype = next(generator.parameters()).dtype
        for start in range(0, wplus.shape[0], self.options.batch_size):
            chunk = slice(start, start + self.options.batch_size)
            noise = [torch.cat(layer).to(self.device, gen_dtype) for layer in zip(*noises[chunk])]
            out = generator(wplus[chunk].to(gen_dtype), noise, stop_resolution=stop).float()
            if out.shape[-1] != resolution:
                out = F.interpolate(out, size=(resolution, resolution), mode="area")
            images.append(tensor_to_rgb(out))
        return np.concatenate(images)

    def _generator_for(self, stop: int) -> torch.nn.Module:
        generator = self.models.generator
        if not (
            self.options.preview_bfloat16
            and self.device.type == "cpu"
            and stop < generator.config.size
            and cpu_computes_bfloat16()
        ):
            return generator
        if self._preview_generator is None:
            # A bfloat16 copy (half the memory of the fp32 one); oneDNN runs it on AVX512-BF16/AMX.
            self._preview_generator = copy.deepcopy(generator).to(torch.bfloat16)
        return self._preview_generator

    def _pool_races(self, father: PreparedParent, mother: PreparedParent, params: GenerationParams) -> list[str]:
        if params.ancestry:
            return list(params.ancestry)
        if not params.infer_ancestry:
            # Ancestry is sensitive: without records or an explicit opt-in, no race key is used
            # and the pool falls back to every race for the child's age and gender.
            return []
        # Opt-in (the official behaviour): the races FairFace predicted for the parents.
        return [p.meta["attributes"]["race"] for p in (father, mother) if "attributes" in p.meta]

    @torch.inference_mode()
    def _run(
        self,
        father: PreparedParent,
        mother: PreparedParent,
        params: GenerationParams,
        indices: Sequence[int],
        resolution: int,
    ) -> GenerationResult:
        models = self.models
        timings: dict[str, float] = {}
        clock = time.perf_counter()

        def lap(stage: str) -> None:
            nonlocal clock
            now = time.perf_counter()
            timings[stage] = timings.get(stage, 0.0) + now - clock
            clock = now

        w_f, w_m = self._parent_wplus(father, "father"), self._parent_wplus(mother, "mother")
        father_genes, mother_genes = self._parent_genes(w_f, w_m)
        lap("genes")
        query = self.gene_pool.query(params.age_group, params.gender, self._pool_races(father, mother, params))
        pool = query.genes
        lap("pool")

        regions = {region_index(gene): choice for gene, choice in region_genes(ENGINE_NAME, params.regions).items()}
        stop = self._stop_resolution(resolution)
        seeds = candidate_seeds(params.seed, max(indices) + 1)
        child_genes, traces, noises = [], [], []
        for idx in indices:
            rng = random.Random(seeds[idx])
            gen = torch.Generator().manual_seed(seeds[idx])
            genes, trace = cross_genes(
                father_genes,
                mother_genes,
                pool,
                gamma=params.gamma,
                eta=params.eta,
                regions=regions,
                rng=rng,
                generator=gen,
                method=self.options.crossover,
            )
            child_genes.append(genes)
            traces.append(trace)
            # Noise comes from the candidate's generator on the CPU, so every device sees the same values.
            noises.append(models.generator.make_noise(1, generator=gen, device="cpu", stop_resolution=stop))
        lap("crossover")

        wplus = models.sub2w(torch.cat(child_genes))
        wplus = mix_parent_rows(wplus, w_f, w_m, self.options.mix_from_row)
        lap("decode")

        rgb = self._render(wplus, noises, stop, resolution)
        precision = str(next(self._generator_for(stop).parameters()).dtype).removeprefix("torch.")
        # Parents from black-and-white or sepia photos: the candidates are printed in their tone
        # (the genes and the latent stay in colour; only the rendered pixels are toned).
        tint = shared_tint([father.meta, mother.meta])
        if tint is not None:
            from genetics.offline.portrait import apply_tone  # the offline engine's print toning

            rgb = np.stack([apply_tone(image, tint) for image in rgb])
        tone = {"monochrome": tint is not None, **({"tint": list(tint)} if tint is not None else {})}
        lap("generate")

        candidates = [
            Candidate(
                index=idx,
                image=rgb[pos],
                genes={
                    "wplus": wplus[pos].float().cpu().numpy(),
                    "region_mode": traces[pos].mode,
                    "father_weight": traces[pos].father_weight,
                    "pool_index": traces[pos].pool_index,
                },
                meta={
                    "seed": seeds[idx],
                    "resolution": resolution,
                    "pool_keys": query.keys,
                    "pool_fallbacks": query.fallbacks,
                    "crossover": self.options.crossover,
                    "precision": precision,
                    **tone,
                },
            )
            for pos, idx in enumerate(indices)
        ]
        return GenerationResult(
            engine=ENGINE_NAME,
            engine_version=ENGINE_VERSION,
            model_checksums=self.model_checksums(),
            params=params,
            candidates=candidates,
            timings=timings,
        )
