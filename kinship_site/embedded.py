"""The embedded default's data folder and its per-installation secret key.

Importing the settings writes nothing: they only read the key file. ``manage.py`` (the entry point
of the embedded default: ``migrate``, ``load_demo``, ``serve``) calls :func:`embedded_data_prepare`
before Django starts, which makes the data folder and, once, the key file. Production passes
``DJANGO_SECRET_KEY`` and never uses the file. Standard library only: the settings import this.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
SECRET_KEY_FILE = "secret_key"


def data_dir() -> Path:
    """Return the embedded default's data folder: ``KINSHIP_DATA_DIR``, else ``var/`` in the checkout."""
    return Path(os.environ.get("KINSHIP_DATA_DIR", "").strip() or BASE_DIR / "var").resolve()


def secret_key_read(directory: Path) -> str:
    """Return the key kept in ``directory``, or ``""`` when none was made yet."""
    try:
        return (directory / SECRET_KEY_FILE).read_text().strip()
    except FileNotFoundError:
        return ""


def embedded_data_prepare() -> Path | None:
    """Make the data folder and its private random secret key unless production or a given key makes them moot.

    Return the key file, or None when nothing was needed. A key once made is never replaced:
    sessions, tokens and signed links depend on it.
    """
    if os.environ.get("KINSHIP_MODE", "").strip() == "production" or os.environ.get("DJANGO_SECRET_KEY", "").strip():
        return None
    directory = data_dir()
    directory.mkdir(parents=True, exist_ok=True)
    key_file = directory / SECRET_KEY_FILE
    try:
        # Created private (0600) in one step, never readable by others in between; O_EXCL lets a
        # second process starting at the same moment keep the first one's key.
        descriptor = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return key_file
    with os.fdopen(descriptor, "w") as handle:
        handle.write(secrets.token_urlsafe(50))
    return key_file
