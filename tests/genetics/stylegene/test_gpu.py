"""StyleGene on CUDA: fp32 against the official reference, fp16/bf16 against fp32 (``pytest -m gpu``).

Skipped without CUDA; ``benchmarks/gpu_check.sh`` runs them on a lent GPU machine. Stated
tolerances (images in ``[-1, 1]``): fp32 on CUDA keeps the reference tolerances (1e-3 for images,
1e-4 for the mappers) with TF32 off; the fp16 generator differs from fp32 by at most 0.05 and
0.002 on average; bf16 (8 mantissa bits against fp16's 11) by at most 0.15 and 0.01 on average.
Half precision is used only for the generator, never for the encoders or mappers.
"""

from __future__ import annotations

import importlib.util
import os
from pathlib import Path

import numpy as np
import pytest
import torch

from genetics.stylegene.mappers import MappingSub2W, MappingW2Sub
from genetics.stylegene.stylegan2 import Generator, GeneratorConfig

pytestmark = [pytest.mark.gpu, pytest.mark.skipif(not torch.cuda.is_available(), reason="needs CUDA")]

SPEC_DIR = Path(__file__).resolve().parents[3] / ".." / "shared" / "specs" / "stylegene"
HALF_TOLERANCES = {torch.float16: (0.05, 0.002), torch.bfloat16: (0.15, 0.01)}  # (max, mean) abs


@pytest.fixture(scope="module", autouse=True)
def no_tf32():
    previous = torch.backends.cuda.matmul.allow_tf32, torch.backends.cudnn.allow_tf32
    torch.backends.cuda.matmul.allow_tf32 = torch.backends.cudnn.allow_tf32 = False
    yield
    torch.backends.cuda.matmul.allow_tf32, torch.backends.cudnn.allow_tf32 = previous


def _spec(env_var: str, name: str) -> Path:
    path = Path(os.environ.get(env_var) or SPEC_DIR / name)
    if not path.is_file():
        pytest.skip(f"{env_var}: {path} not found")
    return path


@pytest.fixture(scope="module")
def reference() -> dict[str, np.ndarray]:
    with np.load(_spec("STYLEGENE_REFERENCE", "reference.npz")) as archive:
        return {k: archive[k] for k in archive.files}


@pytest.fixture(scope="module")
def fill():
    spec = importlib.util.spec_from_file_location("stylegene_fill", _spec("STYLEGENE_FILL", "fill.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _filled(module: torch.nn.Module, fill, prefix: str = "") -> torch.nn.Module:
    state = fill.fill_state([(prefix + k, list(v.shape)) for k, v in module.state_dict().items()])
    module.load_state_dict({k[len(prefix) :]: v for k, v in state.items()}, strict=True)
    return module.eval().cuda()


@torch.inference_mode()
def test_cuda_fp32_matches_the_reference(reference, fill):
    generator = _filled(Generator(GeneratorConfig(size=256)), fill)
    image = generator(torch.from_numpy(reference["gen256_in_wplus"]).cuda()).cpu().double()
    assert float((image - torch.from_numpy(reference["gen256_out_image"])).abs().max()) <= 1e-3
    w2sub = _filled(MappingW2Sub(), fill, "w2sub34.")
    mu, logvar = w2sub(torch.from_numpy(reference["w2sub_in_wplus"]).cuda())
    assert float((mu.cpu() - torch.from_numpy(reference["w2sub_out_mu"])).abs().max()) <= 1e-4
    assert float((logvar.cpu() - torch.from_numpy(reference["w2sub_out_logvar"])).abs().max()) <= 1e-4
    sub2w = _filled(MappingSub2W(), fill, "sub2w.")
    wplus = sub2w(torch.from_numpy(reference["sub2w_in_sub34"]).cuda())
    assert float((wplus.cpu() - torch.from_numpy(reference["sub2w_out_wplus"])).abs().max()) <= 1e-4


@pytest.mark.parametrize("dtype", [torch.float16, torch.bfloat16])
@torch.inference_mode()
def test_half_generator_1024_close_to_fp32(reference, fill, dtype):
    generator = _filled(Generator(GeneratorConfig()), fill)
    latents = torch.from_numpy(reference["gen1024_in_wplus"]).cuda()
    noise = generator.make_noise(latents.shape[0], generator=torch.Generator().manual_seed(0), device="cpu")
    noise = [n.cuda() for n in noise]
    full = generator(latents, noise)
    half = generator.to(dtype)(latents.to(dtype), [n.to(dtype) for n in noise]).float()
    diff = (full - half).abs()
    max_tol, mean_tol = HALF_TOLERANCES[dtype]
    assert float(diff.max()) <= max_tol and float(diff.mean()) <= mean_tol
