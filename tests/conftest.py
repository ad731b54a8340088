"""Fixtures shared by every test package."""

import pytest

from tests.images import jpeg_bytes


@pytest.fixture
def portrait_jpeg() -> bytes:
    """A real public-domain face (Grace Hopper, US Navy portrait, shipped with matplotlib)."""
    from genetics.samples import grace_hopper

    return jpeg_bytes(grace_hopper(), quality=90)
