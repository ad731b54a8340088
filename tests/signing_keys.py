"""C2PA signing identities for tests: a throwaway CA and signer made by the package's local-key maker."""

from __future__ import annotations

from pathlib import Path

from cases.provenance import local_signing_key


def make_test_signing_key(directory: Path, *, algorithm: str = "es256") -> tuple[Path, Path]:
    """Write a test CA + signer chain and key under ``directory``; return (chain path, key path)."""
    return local_signing_key(directory, algorithm=algorithm, label="Kinship test")
