"""Tiny StyleGene configurations and a checkpoint folder in the official layout built from them."""

from __future__ import annotations

import argparse
from pathlib import Path

import pytest
import torch

from genetics.stylegene.checkpoints import (
    CONFIGS_FILE,
    ENCODER_FILE,
    FAIRFACE_FILE,
    GENE_POOL_FILE,
    GENERATOR_FILE,
    MAPPERS_FILE,
    ModelConfigs,
    configs_to_json,
)
from genetics.stylegene.e4e import Encoder4Editing, EncoderConfig
from genetics.stylegene.fairface import FairFaceConfig, FairFaceResNet
from genetics.stylegene.mappers import MapperConfig, MappingSub2W, MappingW2Sub
from genetics.stylegene.stylegan2 import Generator, GeneratorConfig

TINY = ModelConfigs(
    generator=GeneratorConfig(size=32, style_dim=16, n_mlp=2, max_channels=16),
    encoder=EncoderConfig(
        stage_depths=(8, 8, 16, 16),
        stage_units=(1, 1, 1, 1),
        n_latent=8,
        style_dim=16,
        se_reduction=4,
        coarse_rows=3,
        middle_rows=5,
    ),
    mapper=MapperConfig(n_rows=8, dim=16, channel_hidden=8, encoder_depth=1, head_depth=1, decoder_depth=1),
    fairface=FairFaceConfig(widths=(8, 8, 16, 16), blocks=(1, 1, 1, 1)),
)


def tiny_networks(seed: int = 0) -> dict[str, torch.nn.Module]:
    """Build every tiny network with seeded random weights (BatchNorm stats made non-trivial)."""
    torch.manual_seed(seed)
    nets = {
        "generator": Generator(TINY.generator),
        "encoder": Encoder4Editing(TINY.encoder),
        "w2sub": MappingW2Sub(TINY.mapper),
        "sub2w": MappingSub2W(TINY.mapper),
        "fairface": FairFaceResNet(TINY.fairface),
    }
    with torch.no_grad():
        for net in nets.values():
            for name, buffer in net.named_buffers():
                if name.endswith("running_var"):
                    buffer.uniform_(0.5, 1.5)
            for name, param in net.named_parameters():
                if name.endswith("noise.weight"):  # zero at init; make the noise matter
                    param.fill_(0.1)
            net.eval()
    return nets


def write_tiny_folder(folder: Path, *, seed: int = 0, pool_entries: int = 2, declare_configs: bool = False) -> Path:
    """Write a checkpoint folder shaped like the official release, from tiny networks.

    With ``declare_configs`` the folder also says its sizes in ``model_configs.json``, so that a
    process given only the folder (a worker) loads it; without, like the release, it has none.
    """
    folder.mkdir(parents=True, exist_ok=True)
    if declare_configs:
        (folder / CONFIGS_FILE).write_text(configs_to_json(TINY), encoding="utf-8")
    nets = tiny_networks(seed)
    torch.save({"g_ema": nets["generator"].state_dict(), "latent_avg": torch.zeros(16)}, folder / GENERATOR_FILE)
    encoder_state = {"encoder." + k: v for k, v in nets["encoder"].state_dict().items()}
    encoder_state["decoder.style.1.weight"] = torch.zeros(2, 2)  # present in the real file, never read
    torch.save(
        {
            "state_dict": encoder_state,
            "latent_avg": 0.1 * torch.randn(8, 16),
            "opts": argparse.Namespace(encoder_type="Encoder4Editing"),
        },
        folder / ENCODER_FILE,
    )
    mapper_state = {"w2sub34." + k: v for k, v in nets["w2sub"].state_dict().items()}
    mapper_state.update({"sub2w." + k: v for k, v in nets["sub2w"].state_dict().items()})
    mapper_state["region_encoder.weight"] = torch.zeros(3)  # training-only module, filtered out
    torch.save({"state_dict": mapper_state, "epoch": 7, "optimizer_states": [{"lr": 1e-4}]}, folder / MAPPERS_FILE)
    torch.save(nets["fairface"].state_dict(), folder / FAIRFACE_FILE)
    generator = torch.Generator().manual_seed(seed + 1)
    shape = (1, 8, 34, 16)
    pool = {
        key: [
            (torch.randn(shape, generator=generator).tanh(), torch.randn(shape, generator=generator).tanh() - 2)
            for _ in range(pool_entries)
        ]
        for key in ("3-9-female-White", "3-9-female-Black", "20-29-male-White", "30-39-male-East Asian")
    }
    torch.save(pool, folder / GENE_POOL_FILE)
    return folder


@pytest.fixture(scope="session")
def tiny_folder(tmp_path_factory) -> Path:
    return write_tiny_folder(tmp_path_factory.mktemp("tiny_checkpoints"))


@pytest.fixture(scope="session")
def tiny_configs() -> ModelConfigs:
    return TINY


@pytest.fixture(scope="session")
def make_tiny_folder():
    """Return :func:`write_tiny_folder` so tests can write (and then damage) their own copies."""
    return write_tiny_folder


@pytest.fixture(scope="session")
def make_tiny_networks():
    return tiny_networks
