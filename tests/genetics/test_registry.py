"""Engine choice: StyleGene only with a verified checkpoint folder, else the offline engine."""

from __future__ import annotations

from pathlib import Path

import pytest

from genetics import registry
from genetics.errors import EngineUnavailable
from genetics.offline import OfflineEngine


def test_default_is_the_offline_engine_and_is_cached() -> None:
    engine = registry.get_engine()
    assert isinstance(engine, OfflineEngine) and engine.name == "offline"
    assert registry.get_engine() is engine
    assert registry.get_engine("offline") is engine


def test_an_unusable_checkpoint_folder_falls_back_to_offline(tmp_path: Path) -> None:
    assert registry.get_engine(checkpoint_dir=tmp_path).name == "offline"
    assert registry.get_engine(checkpoint_dir=tmp_path / "missing").name == "offline"


def test_stylegene_by_name_needs_valid_checkpoints(tmp_path: Path) -> None:
    # Either the package is absent from this build or the empty folder fails verification.
    with pytest.raises(EngineUnavailable):
        registry.get_engine("stylegene", checkpoint_dir=tmp_path)


def test_unknown_engine() -> None:
    with pytest.raises(EngineUnavailable, match="unknown engine"):
        registry.get_engine("deepdream")


def test_available_engines_say_why(tmp_path: Path) -> None:
    status = registry.available_engines()
    assert status["offline"] is None
    assert "no checkpoint folder" in status["stylegene"]
    assert registry.available_engines(tmp_path)["stylegene"]


def test_a_verified_folder_selects_stylegene_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    checks: list[Path] = []

    def verified(folder: Path) -> None:
        checks.append(folder)

    class FakeStyleGene:
        name = "stylegene"

    monkeypatch.setattr(registry, "checkpoint_problems", verified)
    monkeypatch.setattr(
        registry, "_build", lambda name, folder, device: FakeStyleGene() if name == "stylegene" else OfflineEngine()
    )
    registry.clear_cache()
    try:
        engine = registry.get_engine(checkpoint_dir=tmp_path)
        assert engine.name == "stylegene"
        assert registry.get_engine(checkpoint_dir=tmp_path) is engine
        assert registry.get_engine("stylegene", checkpoint_dir=tmp_path) is engine
        # The folder is verified once per process, however the engine is asked for.
        assert len(checks) == 1
    finally:
        registry.clear_cache()
