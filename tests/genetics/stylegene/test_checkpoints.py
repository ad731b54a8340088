"""Checkpoint folder verification and loading, with small files written here."""

from __future__ import annotations

import hashlib
import pickle
import zipfile
from pathlib import Path

import pytest
import torch

from genetics.errors import CheckpointError, CheckpointMismatch, UnsafeCheckpoint
from genetics.stylegene.checkpoints import (
    CONFIGS_FILE,
    ENCODER_FILE,
    FAIRFACE_FILE,
    GENE_POOL_FILE,
    GENERATOR_FILE,
    MAPPERS_FILE,
    ModelConfigs,
    clear_model_cache,
    configs_from_json,
    configs_to_json,
    folder_configs,
    load_models,
    verify_folder,
)
from genetics.stylegene.engine import StyleGeneEngine
from genetics.stylegene.serialization import safe_load


class _RunsCode:
    """Unpickling this would call ``Path.touch`` on a marker file."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self):
        return (Path.touch, (self.marker,))


def test_good_folder_verifies_with_checksums(tiny_folder, tiny_configs):
    report = verify_folder(tiny_folder, configs=tiny_configs)
    assert report.ok, report.message()
    expected = hashlib.sha256((tiny_folder / FAIRFACE_FILE).read_bytes()).hexdigest()
    assert report.files[FAIRFACE_FILE].sha256 == expected
    assert set(report.checksums()) == {GENERATOR_FILE, ENCODER_FILE, MAPPERS_FILE, FAIRFACE_FILE, GENE_POOL_FILE}
    report.raise_for_problems()


def test_official_sizes_reject_tiny_files_with_every_mismatch_listed(tiny_folder):
    report = verify_folder(tiny_folder, include_gene_pool=False, hash_files=False)
    assert not report.ok
    with pytest.raises(CheckpointMismatch) as info:
        report.raise_for_problems()
    message = str(info.value)
    for name in (GENERATOR_FILE, ENCODER_FILE, MAPPERS_FILE, FAIRFACE_FILE):
        assert f"{name}: " in message
    assert "conv1.conv.weight has shape [1, 16, 16, 3, 3], expected [1, 512, 512, 3, 3]" in message
    assert "sub2w" in message and "w2sub" in message


def test_missing_truncated_and_unsafe_files_all_reported_at_once(tmp_path, make_tiny_folder, tiny_configs):
    folder = make_tiny_folder(tmp_path / "ckpt")
    (folder / FAIRFACE_FILE).unlink()
    data = (folder / GENERATOR_FILE).read_bytes()
    (folder / GENERATOR_FILE).write_bytes(data[: len(data) // 2])
    marker = tmp_path / "pwned"
    torch.save({"state_dict": {}, "payload": _RunsCode(marker)}, folder / MAPPERS_FILE)

    report = verify_folder(folder, configs=tiny_configs)
    assert not marker.exists()
    assert report.files[FAIRFACE_FILE].problems == ["file is missing"]
    assert "truncated" in report.files[GENERATOR_FILE].problems[0]
    assert report.files[MAPPERS_FILE].unsafe
    assert report.files[ENCODER_FILE].ok and report.files[GENE_POOL_FILE].ok
    with pytest.raises(UnsafeCheckpoint) as info:
        report.raise_for_problems()
    message = str(info.value)
    assert FAIRFACE_FILE in message and GENERATOR_FILE in message and MAPPERS_FILE in message
    assert "pathlib.Path" in message  # the global the pickle asked for is named
    assert not marker.exists()


def test_plain_pickle_with_code_is_refused(tmp_path):
    marker = tmp_path / "pwned"
    path = tmp_path / "evil.pt"
    path.write_bytes(pickle.dumps({"state_dict": _RunsCode(marker)}))
    with pytest.raises(UnsafeCheckpoint):
        safe_load(path)
    assert not marker.exists()


def test_not_a_torch_file_is_a_checkpoint_error(tmp_path):
    path = tmp_path / "junk.pt"
    path.write_bytes(b"not a checkpoint at all")
    with pytest.raises(CheckpointError):
        safe_load(path)


def test_wrong_shape_and_missing_key_are_mismatches(tmp_path, make_tiny_folder, tiny_configs):
    folder = make_tiny_folder(tmp_path / "ckpt")
    state = torch.load(folder / FAIRFACE_FILE, weights_only=True)
    state["fc.weight"] = torch.zeros(7, 16)
    del state["bn1.running_mean"]
    state["extra.weight"] = torch.zeros(1)
    torch.save(state, folder / FAIRFACE_FILE)
    report = verify_folder(folder, configs=tiny_configs)
    problems = "\n".join(report.files[FAIRFACE_FILE].problems)
    assert "fc.weight has shape [7, 16], expected [18, 16]" in problems
    assert "missing keys: bn1.running_mean" in problems
    assert "unexpected keys: extra.weight" in problems
    with pytest.raises(CheckpointMismatch):
        report.raise_for_problems()


def test_bad_gene_pool_layout_is_reported(tmp_path, make_tiny_folder, tiny_configs):
    folder = make_tiny_folder(tmp_path / "ckpt")
    torch.save(
        {"3-9-female-White": [(torch.zeros(1, 8, 34, 15), torch.zeros(1, 8, 34, 15))], "weird-key": []},
        folder / GENE_POOL_FILE,
    )
    problems = verify_folder(folder, configs=tiny_configs).files[GENE_POOL_FILE].problems
    assert any("3-9-female-White[0]" in p for p in problems)
    assert any("'weird-key'" in p for p in problems)


def test_zip_files_load_memory_mapped_and_weights_only(tiny_folder, monkeypatch):
    calls = []
    real_load = torch.load

    def spy(*args, **kwargs):
        calls.append(kwargs)
        return real_load(*args, **kwargs)

    monkeypatch.setattr(torch, "load", spy)
    assert zipfile.is_zipfile(tiny_folder / GENERATOR_FILE)
    payload = safe_load(tiny_folder / GENERATOR_FILE)
    assert calls == [{"map_location": "cpu", "weights_only": True, "mmap": True}]
    assert payload["g_ema"]["input.input"].shape == (1, 16, 4, 4)


def test_load_models_is_cached_and_matches_files(tiny_folder, tiny_configs):
    clear_model_cache()
    first = load_models(tiny_folder, configs=tiny_configs)
    assert load_models(tiny_folder, configs=tiny_configs) is first
    state = torch.load(tiny_folder / MAPPERS_FILE, weights_only=True)["state_dict"]
    loaded = first.sub2w.state_dict()
    assert loaded and all(torch.equal(v, state["sub2w." + k]) for k, v in loaded.items())
    assert first.latent_avg.shape == (1, 8, 16)
    assert not any(p.requires_grad for p in first.generator.parameters())
    assert not first.encoder.training
    clear_model_cache()


def test_load_models_raises_one_error_for_a_bad_folder(tmp_path, tiny_configs):
    with pytest.raises(CheckpointError) as info:
        load_models(tmp_path / "nowhere", configs=tiny_configs)
    assert "does not exist" in str(info.value)


def test_folder_is_an_argument_never_an_environment_variable(monkeypatch, tiny_folder):
    # The app has one setting (KINSHIP_CHECKPOINT_DIR) and passes the folder in; genetics reads none.
    for name in ("KINSHIP_CHECKPOINT_DIR", "KINSHIP_STYLEGENE_CHECKPOINTS"):
        monkeypatch.setenv(name, str(tiny_folder))
    with pytest.raises(CheckpointError, match="no StyleGene checkpoint folder given"):
        StyleGeneEngine(None)
    with pytest.raises(CheckpointError):
        load_models(None)


def test_checkpoints_and_gene_pool_import_without_a_cycle():
    import ast
    import inspect

    from genetics.stylegene import gene_pool

    imported = {
        node.module for node in ast.walk(ast.parse(inspect.getsource(gene_pool))) if isinstance(node, ast.ImportFrom)
    }
    assert "genetics.stylegene.checkpoints" not in imported


def test_a_folder_declaring_its_sizes_verifies_and_loads_without_being_told(tmp_path, make_tiny_folder, tiny_configs):
    folder = make_tiny_folder(tmp_path / "declared", declare_configs=True)
    assert folder_configs(folder) == tiny_configs
    report = verify_folder(folder)  # no configs argument: what a worker or the web check does
    assert report.ok, report.message()
    # The declaration decides what the files mean, so it is hashed with them (audit, model key).
    assert report.checksums()[CONFIGS_FILE] == hashlib.sha256((folder / CONFIGS_FILE).read_bytes()).hexdigest()
    clear_model_cache()
    engine = StyleGeneEngine(folder)
    assert engine.configs == tiny_configs
    assert engine.models.generator.config.size == tiny_configs.generator.size
    assert CONFIGS_FILE in engine.model_checksums()
    clear_model_cache()


def test_a_folder_without_a_declaration_is_checked_against_the_release_sizes(tiny_folder):
    assert not (tiny_folder / CONFIGS_FILE).exists()
    assert folder_configs(tiny_folder) == ModelConfigs()  # the official folder has none
    report = verify_folder(tiny_folder, include_gene_pool=False, hash_files=False)
    assert not report.ok and CONFIGS_FILE not in report.files


def test_configs_round_trip_and_bad_declarations_are_refused(tmp_path, make_tiny_folder, tiny_configs):
    assert configs_from_json(configs_to_json(tiny_configs)) == tiny_configs
    assert configs_from_json('{"generator": {"size": 256}}').generator.size == 256
    with pytest.raises(CheckpointMismatch, match="generator.sise: unknown field") as info:
        configs_from_json('{"generator": {"sise": 256}, "decoder": {}, "mapper": {"n_rows": "8"}}')
    assert "unknown section 'decoder'" in str(info.value) and "mapper.n_rows: expected int" in str(info.value)
    folder = make_tiny_folder(tmp_path / "typo", declare_configs=True)
    (folder / CONFIGS_FILE).write_text("{not json", encoding="utf-8")
    report = verify_folder(folder, include_gene_pool=False)
    assert not report.ok and "not valid JSON" in report.files[CONFIGS_FILE].problems[0]
    with pytest.raises(CheckpointMismatch):
        load_models(folder)
