"""Suite-wide set-up: real services are mandatory in CI, media goes to a temporary folder."""

from __future__ import annotations

import os

import pytest


def pytest_configure(config: pytest.Config) -> None:
    if os.environ.get("CI") == "true":
        missing = []
        if not os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")):
            missing.append("DATABASE_URL (PostgreSQL)")
        if not os.environ.get("REDIS_URL"):
            missing.append("REDIS_URL")
        if missing:
            raise pytest.UsageError(f"CI=true but {', '.join(missing)} not set: the suite must run on real services.")


@pytest.fixture(autouse=True)
def _media_in_tmp(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> None:
    if "settings" not in request.fixturenames and not _uses_django(request):
        return
    settings = request.getfixturevalue("settings")
    settings.MEDIA_ROOT = tmp_path_factory.mktemp("media")


def _uses_django(request: pytest.FixtureRequest) -> bool:
    return request.node.get_closest_marker("django_db") is not None or "db" in request.fixturenames
