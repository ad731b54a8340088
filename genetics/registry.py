"""Pick and build an engine: StyleGene when its checkpoints are configured, else the offline one.

Engines are built once per process and argument set. ``genetics.stylegene`` (and torch) is
imported only when StyleGene is asked for or a checkpoint folder is given.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

from genetics.engine import Engine
from genetics.errors import CheckpointError, EngineUnavailable

ENGINE_NAMES: tuple[str, ...] = ("stylegene", "offline")

_cache: dict[tuple[str, str, str], Engine] = {}
_lock = threading.Lock()


def stylegene_module(name: str) -> Any:
    """Import ``genetics.stylegene.<name>`` or raise EngineUnavailable saying it is missing."""
    import importlib

    try:
        return importlib.import_module(f"genetics.stylegene.{name}")
    except ImportError as exc:
        raise EngineUnavailable(
            f"the StyleGene engine is not installed in this build ({exc}); use the offline engine "
            "or install the genetics.stylegene package"
        ) from exc


def checkpoint_problems(checkpoint_dir: Path) -> str | None:
    """Return why a StyleGene checkpoint folder cannot be used, or None when it verifies."""
    if not Path(checkpoint_dir).is_dir():
        return f"checkpoint folder {checkpoint_dir} does not exist"
    checkpoints = stylegene_module("checkpoints")
    try:
        report = checkpoints.verify_folder(checkpoint_dir)
    except CheckpointError as exc:
        return str(exc)
    return None if report.ok else report.message()


def _build(name: str, checkpoint_dir: Path | None, device: str) -> Engine:
    if name == "offline":
        from genetics.offline import OfflineEngine

        return OfflineEngine()
    engine_module = stylegene_module("engine")
    return engine_module.StyleGeneEngine(checkpoint_dir, device=device)


def get_engine(name: str | None = None, *, checkpoint_dir: Path | None = None, device: str = "cpu") -> Engine:
    """Return the engine called ``name`` (cached per process).

    With ``name=None`` this is StyleGene when ``checkpoint_dir`` is a folder that verifies, else the
    offline engine. Raises EngineUnavailable for an unknown name, a missing StyleGene package or,
    when StyleGene is asked for by name, a checkpoint folder that does not verify.
    """
    if name is not None and name not in ENGINE_NAMES:
        raise EngineUnavailable(f"unknown engine {name!r}; expected one of {ENGINE_NAMES}")
    # Verifying a checkpoint folder reads gigabytes: do it once per process and argument set.
    key = (name or "auto", str(checkpoint_dir) if checkpoint_dir else "", device)
    with _lock:
        if key in _cache:
            return _cache[key]
    if name is None:
        name = "offline"
        if checkpoint_dir is not None and Path(checkpoint_dir).is_dir():
            try:
                if checkpoint_problems(Path(checkpoint_dir)) is None:
                    name = "stylegene"
            except EngineUnavailable:
                name = "offline"
    elif name == "stylegene" and checkpoint_dir is not None:
        problems = checkpoint_problems(Path(checkpoint_dir))
        if problems:
            raise EngineUnavailable(f"the StyleGene checkpoints cannot be used: {problems}")
    built = (name, str(checkpoint_dir) if checkpoint_dir else "", device)
    with _lock:
        if built not in _cache:
            _cache[built] = _build(name, Path(checkpoint_dir) if checkpoint_dir else None, device)
        _cache[key] = _cache[built]
        return _cache[key]


def available_engines(checkpoint_dir: Path | None = None) -> dict[str, str | None]:
    """Return every engine name with None when it can run, else the reason it cannot."""
    status: dict[str, str | None] = {"offline": None}
    if checkpoint_dir is None:
        status["stylegene"] = "no checkpoint folder configured"
    else:
        try:
            status["stylegene"] = checkpoint_problems(Path(checkpoint_dir))
        except EngineUnavailable as exc:
            status["stylegene"] = str(exc)
    return status


def clear_cache() -> None:
    """Forget every built engine (tests; a changed checkpoint folder)."""
    with _lock:
        _cache.clear()
