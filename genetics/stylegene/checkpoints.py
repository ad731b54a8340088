"""Verified, lazy loading of a StyleGene checkpoint folder laid out as the official release.

Layout (file names as released)::

    <dir>/stylegan2-ffhq-config-f.pt            ['g_ema'] StyleGAN2 1024 generator
    <dir>/e4e_ffhq_encode.pt                    ['state_dict'] 'encoder.*' + ['latent_avg']
    <dir>/stylegene_N18.ckpt                    ['state_dict'] 'w2sub34.*' and 'sub2w.*'
    <dir>/res34_fair_align_multi_7_20190809.pt  plain FairFace ResNet-34 state dict
    <dir>/geneFactorPool.pkl                    gene pool (optional for verification of models)
    <dir>/model_configs.json                    optional: the networks' sizes, when not the release's

The released folder has no ``model_configs.json``: its networks have the default (official) sizes.
A folder of other sizes (the tests' tiny checkpoints) declares them there, so that any process
given only the folder (a worker, the web process's verification child) builds matching networks.

Every file is opened by :func:`genetics.stylegene.serialization.safe_load` (weights only, an
explicit allow-list of extra globals, memory-mapped; never a plain unpickle); networks are built on the
``meta`` device and take the memory-mapped tensors with ``load_state_dict(strict=True,
assign=True)``, so unused parts of a file (e4e's ``decoder.*``, optimizer state) are never read.
:func:`verify_folder` collects every problem of every file; :func:`load_models` raises them in
one message and caches the result once per process.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import torch
from torch import nn

from genetics.errors import CheckpointError, CheckpointMismatch, UnsafeCheckpoint
from genetics.stylegene.e4e import Encoder4Editing, EncoderConfig
from genetics.stylegene.fairface import FairFaceConfig, FairFaceResNet
from genetics.stylegene.gene_pool import verify_pool_file
from genetics.stylegene.mappers import MapperConfig, MappingSub2W, MappingW2Sub
from genetics.stylegene.serialization import safe_load
from genetics.stylegene.stylegan2 import Generator, GeneratorConfig

GENERATOR_FILE = "stylegan2-ffhq-config-f.pt"
ENCODER_FILE = "e4e_ffhq_encode.pt"
MAPPERS_FILE = "stylegene_N18.ckpt"
FAIRFACE_FILE = "res34_fair_align_multi_7_20190809.pt"
GENE_POOL_FILE = "geneFactorPool.pkl"
CONFIGS_FILE = "model_configs.json"
MODEL_FILES = (GENERATOR_FILE, ENCODER_FILE, MAPPERS_FILE, FAIRFACE_FILE)


@dataclass(frozen=True)
class Component:
    """One network read from a checkpoint file: where its state dict lives and how to build it."""

    name: str
    container: str | None  # top-level key holding the state dict; None = the file is the state dict
    prefix: str  # key prefix in the file, stripped before loading
    build: Callable[[], nn.Module]


@dataclass(frozen=True)
class ModelConfigs:
    """Configurations of the four networks (defaults: the released models; tests use tiny ones)."""

    generator: GeneratorConfig = field(default_factory=GeneratorConfig)
    encoder: EncoderConfig = field(default_factory=EncoderConfig)
    mapper: MapperConfig = field(default_factory=MapperConfig)
    fairface: FairFaceConfig = field(default_factory=FairFaceConfig)


def configs_to_json(configs: ModelConfigs) -> str:
    """Return ``configs`` as the text of a folder's ``model_configs.json``."""
    return json.dumps(dataclasses.asdict(configs), indent=2, sort_keys=True) + "\n"


def configs_from_json(text: str) -> ModelConfigs:
    """Return the configurations a ``model_configs.json`` declares (unnamed fields keep their defaults).

    Raises CheckpointMismatch naming every unknown section or field and every value of the wrong
    type: a typo must not silently fall back to the official sizes.
    """
    try:
        data = json.loads(text)
    except ValueError as exc:
        raise CheckpointMismatch(f"{CONFIGS_FILE} is not valid JSON ({exc})") from None
    if not isinstance(data, dict):
        raise CheckpointMismatch(f"{CONFIGS_FILE} must hold an object, found {type(data).__name__}")
    defaults = ModelConfigs()
    problems, sections = [], {}
    for name, values in data.items():
        if name not in {f.name for f in dataclasses.fields(ModelConfigs)}:
            problems.append(f"unknown section {name!r}")
        elif not isinstance(values, dict):
            problems.append(f"{name} must be an object")
        else:
            section, section_problems = _config_section(getattr(defaults, name), values)
            sections[name] = section
            problems.extend(f"{name}.{p}" for p in section_problems)
    if problems:
        raise CheckpointMismatch(f"{CONFIGS_FILE}: " + "; ".join(problems))
    return dataclasses.replace(defaults, **sections)


def _config_section(default: Any, values: dict[str, Any]) -> tuple[Any, list[str]]:
    """Return ``default`` with ``values`` applied, checked against each default value's type."""
    known = {f.name: getattr(default, f.name) for f in dataclasses.fields(default)}
    problems, changes = [], {}
    for key, value in values.items():
        if key not in known:
            problems.append(f"{key}: unknown field")
            continue
        expected = known[key]
        if isinstance(expected, tuple):
            ok = isinstance(value, list) and all(isinstance(v, int) and not isinstance(v, bool) for v in value)
            value = tuple(value) if ok else value
        elif isinstance(expected, float):
            ok = isinstance(value, (int, float)) and not isinstance(value, bool)
            value = float(value) if ok else value
        else:
            ok = isinstance(value, int) and not isinstance(value, bool)
        if ok:
            changes[key] = value
        else:
            problems.append(f"{key}: expected {type(expected).__name__}, found {value!r}")
    return dataclasses.replace(default, **changes), problems


def folder_configs(path: str | os.PathLike[str]) -> ModelConfigs:
    """Return the configurations the folder declares in ``model_configs.json``, else the release's.

    Raises CheckpointMismatch when the file exists but cannot be read as configurations.
    """
    declared = resolve_folder(path) / CONFIGS_FILE
    if not declared.is_file():
        return ModelConfigs()
    return configs_from_json(declared.read_text(encoding="utf-8"))


def _components(configs: ModelConfigs) -> dict[str, list[Component]]:
    return {
        GENERATOR_FILE: [Component("generator", "g_ema", "", lambda: Generator(configs.generator))],
        ENCODER_FILE: [Component("encoder", "state_dict", "encoder.", lambda: Encoder4Editing(configs.encoder))],
        MAPPERS_FILE: [
            Component("w2sub", "state_dict", "w2sub34.", lambda: MappingW2Sub(configs.mapper)),
            Component("sub2w", "state_dict", "sub2w.", lambda: MappingSub2W(configs.mapper)),
        ],
        FAIRFACE_FILE: [Component("fairface", None, "", lambda: FairFaceResNet(configs.fairface))],
    }


@dataclass
class FileReport:
    """What verification found for one file."""

    name: str
    path: Path
    size: int | None = None
    sha256: str | None = None
    problems: list[str] = field(default_factory=list)
    unsafe: bool = False
    mismatch: bool = False

    @property
    def ok(self) -> bool:
        return not self.problems


@dataclass
class VerificationReport:
    """Per-file results of :func:`verify_folder`."""

    folder: Path
    files: dict[str, FileReport]

    @property
    def ok(self) -> bool:
        return all(report.ok for report in self.files.values())

    def checksums(self) -> dict[str, str]:
        """Return sha256 by file name for the files that could be read."""
        return {name: r.sha256 for name, r in self.files.items() if r.sha256}

    def message(self) -> str:
        """Return one human-readable summary listing every problem by file."""
        lines = [f"StyleGene checkpoint folder {self.folder}:"]
        for name, report in self.files.items():
            if report.ok:
                lines.append(f"  {name}: OK (sha256 {report.sha256})")
            else:
                lines.extend(f"  {name}: {problem}" for problem in report.problems)
        return "\n".join(lines)

    def raise_for_problems(self) -> None:
        """Raise one error naming every problem; the class says the most serious kind."""
        if self.ok:
            return
        reports = self.files.values()
        if any(r.unsafe for r in reports):
            raise UnsafeCheckpoint(self.message())
        if all(r.mismatch for r in reports if not r.ok):
            raise CheckpointMismatch(self.message())
        raise CheckpointError(self.message())


def resolve_folder(path: str | os.PathLike[str]) -> Path:
    """Return the checkpoint folder as an absolute path; the caller always names it."""
    if path is None:
        raise CheckpointError("no StyleGene checkpoint folder given")
    return Path(path).expanduser().resolve()


_SHA_CACHE: dict[tuple[str, int, int], str] = {}
_SHA_LOCK = threading.Lock()


def file_sha256(path: Path) -> str:
    """Return the file's sha256, computed once per process per (path, size, mtime)."""
    stat = path.stat()
    key = (str(path), stat.st_size, stat.st_mtime_ns)
    with _SHA_LOCK:
        if key in _SHA_CACHE:
            return _SHA_CACHE[key]
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 22), b""):
            digest.update(chunk)
    with _SHA_LOCK:
        _SHA_CACHE[key] = digest.hexdigest()
    return _SHA_CACHE[key]


def expected_state(component: Component) -> dict[str, tuple[tuple[int, ...], torch.dtype]]:
    """Return key -> (shape, dtype) the component's network expects (built on the meta device)."""
    with torch.device("meta"):
        module = component.build()
    return {k: (tuple(v.shape), v.dtype) for k, v in module.state_dict().items()}


def extract_state(payload: Any, component: Component) -> dict[str, torch.Tensor]:
    """Return the component's state dict (prefix stripped) from a loaded checkpoint payload."""
    source = payload
    if component.container is not None:
        if not isinstance(payload, Mapping) or component.container not in payload:
            top = sorted(payload) if isinstance(payload, Mapping) else type(payload).__name__
            raise CheckpointMismatch(f"missing top-level key {component.container!r} (found {top})")
        source = payload[component.container]
    if not isinstance(source, Mapping):
        raise CheckpointMismatch(f"expected a state dict, found {type(source).__name__}")
    return {
        k[len(component.prefix) :]: v
        for k, v in source.items()
        if isinstance(k, str) and k.startswith(component.prefix)
    }


def compare_state(
    state: Mapping[str, Any], expected: Mapping[str, tuple[tuple[int, ...], torch.dtype]], label: str
) -> list[str]:
    """Return one line per missing, unexpected or mis-shaped key (empty when they match)."""
    problems = []
    missing = [k for k in expected if k not in state]
    unexpected = [k for k in state if k not in expected]
    if missing:
        problems.append(f"{label}: {len(missing)} missing keys: {_preview(missing)}")
    if unexpected:
        problems.append(f"{label}: {len(unexpected)} unexpected keys: {_preview(unexpected)}")
    for key, (shape, _dtype) in expected.items():
        value = state.get(key)
        if value is None:
            continue
        if not isinstance(value, torch.Tensor):
            problems.append(f"{label}: {key} is a {type(value).__name__}, not a tensor")
        elif tuple(value.shape) != shape:
            problems.append(f"{label}: {key} has shape {list(value.shape)}, expected {list(shape)}")
    return problems


def _preview(keys: list[str], limit: int = 6) -> str:
    shown = ", ".join(keys[:limit])
    return shown + (f" … (+{len(keys) - limit})" if len(keys) > limit else "")


def _check_latent_avg(payload: Any, n_latent: int, dim: int) -> list[str]:
    value = payload.get("latent_avg") if isinstance(payload, Mapping) else None
    if not isinstance(value, torch.Tensor):
        return ["missing tensor 'latent_avg'"]
    if tuple(value.shape) not in {(n_latent, dim), (dim,), (1, n_latent, dim)}:
        return [f"latent_avg has shape {list(value.shape)}, expected [{n_latent}, {dim}] or [{dim}]"]
    return []


def _verify_model_file(report: FileReport, components: list[Component], encoder: EncoderConfig) -> None:
    try:
        payload = safe_load(report.path)
    except UnsafeCheckpoint as exc:
        report.unsafe = True
        report.problems.append(str(exc))
        return
    except CheckpointError as exc:
        report.problems.append(str(exc))
        return
    for component in components:
        try:
            state = extract_state(payload, component)
        except CheckpointMismatch as exc:
            report.mismatch = True
            report.problems.append(f"{component.name}: {exc}")
            continue
        problems = compare_state(state, expected_state(component), component.name)
        if problems:
            report.mismatch = True
            report.problems.extend(problems)
    if report.name == ENCODER_FILE:
        problems = _check_latent_avg(payload, encoder.n_latent, encoder.style_dim)
        report.mismatch = report.mismatch or bool(problems)
        report.problems.extend(problems)


def verify_folder(
    path: str | os.PathLike[str],
    *,
    include_gene_pool: bool = True,
    hash_files: bool = True,
    configs: ModelConfigs | None = None,
) -> VerificationReport:
    """Check every file of a checkpoint folder and return a report (raises nothing for bad files).

    Each model file must exist, load under the weights-only allow-list and hold exactly the keys
    and shapes the networks expect; the gene pool (when included) must have the official layout.
    The expected sizes are ``configs`` when given, else the folder's ``model_configs.json`` when
    present (then verified and hashed too: it decides what the files mean), else the release's.
    """
    folder = resolve_folder(path)
    files: dict[str, FileReport] = {}
    declared = folder / CONFIGS_FILE
    if declared.is_file():
        files[CONFIGS_FILE] = report = FileReport(CONFIGS_FILE, declared, size=declared.stat().st_size)
        if hash_files:
            report.sha256 = file_sha256(declared)
        try:
            found = folder_configs(folder)
        except CheckpointMismatch as exc:
            report.mismatch = True
            report.problems.append(str(exc))
            found = ModelConfigs()
        configs = configs or found
    configs = configs or ModelConfigs()
    names = list(MODEL_FILES) + ([GENE_POOL_FILE] if include_gene_pool else [])
    files.update({name: FileReport(name, folder / name) for name in names})
    components = _components(configs)
    for name, report in files.items():
        if name == CONFIGS_FILE:
            continue
        if not report.path.is_file():
            report.problems.append("file is missing" if folder.is_dir() else f"folder {folder} does not exist")
            continue
        report.size = report.path.stat().st_size
        if hash_files:
            report.sha256 = file_sha256(report.path)
        if name == GENE_POOL_FILE:
            problems, unsafe = verify_pool_file(report.path, configs.mapper)
            report.problems.extend(problems)
            report.unsafe = unsafe
            report.mismatch = bool(problems) and not unsafe
        else:
            _verify_model_file(report, components[name], configs.encoder)
    return VerificationReport(folder, files)


@dataclass
class StyleGeneModels:
    """The networks StyleGene inference uses, in eval mode with gradients off."""

    generator: Generator
    encoder: Encoder4Editing
    latent_avg: torch.Tensor  # [1, n_latent, 512]
    w2sub: MappingW2Sub
    sub2w: MappingSub2W
    fairface: FairFaceResNet
    checksums: dict[str, str]
    folder: Path


def _load_component(payload: Any, component: Component) -> nn.Module:
    with torch.device("meta"):
        module = component.build()
    state = extract_state(payload, component)
    # assign=True keeps the memory-mapped tensors instead of copying into fresh parameters.
    module.load_state_dict(state, strict=True, assign=True)
    module.eval().requires_grad_(False)
    return module


def _load_uncached(folder: Path, device: str, dtype: torch.dtype, configs: ModelConfigs) -> StyleGeneModels:
    report = verify_folder(folder, include_gene_pool=False, configs=configs)
    report.raise_for_problems()
    components = _components(configs)
    modules: dict[str, nn.Module] = {}
    latent_avg: torch.Tensor | None = None
    for name in MODEL_FILES:
        payload = safe_load(folder / name)
        for component in components[name]:
            modules[component.name] = _load_component(payload, component)
        if name == ENCODER_FILE:
            cfg = configs.encoder
            latent_avg = payload["latent_avg"].float().reshape(-1, cfg.style_dim)
            latent_avg = latent_avg.expand(cfg.n_latent, -1).reshape(1, cfg.n_latent, cfg.style_dim).clone()
        del payload
    for name, module in modules.items():
        # Half precision only for the generator: the mappers and encoders are cheap next to it and
        # their LayerNorm/BatchNorm statistics are safer in fp32.
        module.to(device=device, dtype=dtype if name == "generator" else torch.float32)
    assert latent_avg is not None
    return StyleGeneModels(
        generator=modules["generator"],
        encoder=modules["encoder"],
        latent_avg=latent_avg.to(device),
        w2sub=modules["w2sub"],
        sub2w=modules["sub2w"],
        fairface=modules["fairface"],
        checksums=report.checksums(),
        folder=folder,
    )


_MODEL_CACHE: dict[tuple[str, str, torch.dtype, ModelConfigs], StyleGeneModels] = {}
_MODEL_LOCK = threading.Lock()


def load_models(
    path: str | os.PathLike[str],
    *,
    device: str = "cpu",
    dtype: torch.dtype = torch.float32,
    configs: ModelConfigs | None = None,
) -> StyleGeneModels:
    """Verify and load the folder's networks once per process (keyed by folder, device, dtype).

    ``configs`` defaults to what the folder declares (:func:`folder_configs`).
    """
    folder = resolve_folder(path)
    configs = configs or folder_configs(folder)
    key = (str(folder), str(device), dtype, configs)
    with _MODEL_LOCK:
        if key not in _MODEL_CACHE:
            _MODEL_CACHE[key] = _load_uncached(folder, device, dtype, configs)
        return _MODEL_CACHE[key]


def clear_model_cache() -> None:
    """Forget loaded models (tests; a worker that swaps checkpoints)."""
    with _MODEL_LOCK:
        _MODEL_CACHE.clear()
