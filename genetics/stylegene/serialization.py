"""Safe reading of torch files: weights only, an explicit allow-list, memory-mapped when possible.

Shared by the checkpoint loader and the gene pool; it knows nothing of either's layout.
"""

from __future__ import annotations

import argparse
import pickle
import re
import zipfile
from pathlib import Path
from typing import Any

import torch

from genetics.errors import CheckpointError, UnsafeCheckpoint


class _AttributeDict(dict):
    """Stand-in for Lightning's ``AttributeDict`` (a plain dict subclass) in training checkpoints."""


# The only globals a checkpoint may name beyond torch's weights-only defaults (tensors, dicts,
# lists, tuples, numbers, strings, OrderedDict). Each is a plain data container; none executes code.
SAFE_GLOBALS: list[Any] = [
    argparse.Namespace,  # training options stored by some e4e/pSp versions
    (_AttributeDict, "pytorch_lightning.utilities.parsing.AttributeDict"),
    (_AttributeDict, "lightning_fabric.utilities.data.AttributeDict"),
    (_AttributeDict, "lightning.fabric.utilities.data.AttributeDict"),
]


def safe_load(path: Path) -> Any:
    """Load a torch file on CPU with weights_only and the allow-list, memory-mapped when possible.

    Raises :class:`UnsafeCheckpoint` when the pickle names a global outside the allow-list and
    :class:`CheckpointError` when the file is unreadable (truncated, not a torch file).
    """
    use_mmap = zipfile.is_zipfile(path)  # mmap needs the zip format of torch >= 1.6
    try:
        with torch.serialization.safe_globals(SAFE_GLOBALS):
            return torch.load(path, map_location="cpu", weights_only=True, mmap=use_mmap)
    except pickle.UnpicklingError as exc:
        text = str(exc)
        if "Weights only load failed" in text or "Unsupported global" in text or "not an allowed global" in text:
            raise UnsafeCheckpoint(
                f"refusing to unpickle {path.name}: it names globals outside the allow-list "
                f"({_unsafe_globals(path) or _first_line(text)})"
            ) from exc
        raise CheckpointError(f"cannot read {path.name}: {_first_line(text) or repr(exc)}") from exc
    except (RuntimeError, EOFError, OSError, ValueError, zipfile.BadZipFile) as exc:
        first = _first_line(str(exc)) or repr(exc)
        raise CheckpointError(f"cannot read {path.name} (truncated or not a torch file?): {first}") from exc


def _first_line(text: str) -> str:
    return re.sub(r"\x1b\[[0-9;]*m", "", text).strip().split("\n", 1)[0]


def _unsafe_globals(path: Path) -> str:
    try:
        return ", ".join(torch.serialization.get_unsafe_globals_in_checkpoint(path))
    except Exception:  # noqa: BLE001 - best-effort detail for an error message only
        return ""
