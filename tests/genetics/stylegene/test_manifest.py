"""Full-size networks have exactly the state-dict keys, shapes, dtypes and kinds of ``manifest.json``.

Networks are built on the ``meta`` device, so no weights are allocated.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
import torch
from torch import nn

from genetics.stylegene.checkpoints import (
    ENCODER_FILE,
    FAIRFACE_FILE,
    GENERATOR_FILE,
    MAPPERS_FILE,
    ModelConfigs,
    _components,
    expected_state,
)

MANIFEST = Path(__file__).resolve().parents[3] / ".." / "shared" / "specs" / "stylegene" / "manifest.json"


@pytest.fixture(scope="module")
def manifest() -> dict:
    if not MANIFEST.is_file():
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"manifest {MANIFEST} not found")
        pytest.skip(f"manifest {MANIFEST} not found")
    return json.loads(MANIFEST.read_text())


def _entries(module: nn.Module, prefix: str) -> list[tuple[str, list[int], str, str]]:
    params = {name for name, _ in module.named_parameters()}
    return [
        (
            prefix + key,
            list(value.shape),
            str(value.dtype).removeprefix("torch."),
            "parameter" if key in params else "buffer",
        )
        for key, value in module.state_dict().items()
    ]


def _manifest_entries(rows: list[dict]) -> list[tuple[str, list[int], str, str]]:
    return [(row["key"], row["shape"], row["dtype"], row["kind"]) for row in rows]


@pytest.mark.parametrize(
    ("file_name", "component", "section"),
    [
        (GENERATOR_FILE, "generator", "g_ema"),
        (ENCODER_FILE, "encoder", "state_dict_encoder"),
        (MAPPERS_FILE, "w2sub", "state_dict_w2sub34"),
        (MAPPERS_FILE, "sub2w", "state_dict_sub2w"),
        (FAIRFACE_FILE, "fairface", "state_dict"),
    ],
)
def test_state_dict_matches_manifest(manifest, file_name, component, section):
    spec = next(c for c in _components(ModelConfigs())[file_name] if c.name == component)
    with torch.device("meta"):
        module = spec.build()
    assert _entries(module, spec.prefix) == _manifest_entries(manifest[file_name][section])
    assert len(expected_state(spec)) == len(manifest[file_name][section])


def test_parameter_counts_match_summary(manifest):
    table = manifest["summary_table"]
    names = {
        "generator": "Generator1024 (g_ema)",
        "encoder": "Encoder4Editing",
        "w2sub": "MappingW2Sub N=18",
        "sub2w": "MappingSub2W N=18",
        "fairface": "FairFace resnet34 fc18",
    }
    for specs in _components(ModelConfigs()).values():
        for spec in specs:
            with torch.device("meta"):
                module = spec.build()
            assert sum(p.numel() for p in module.parameters()) == table[names[spec.name]]["parameters"]
