"""Fixtures of the GEDCOM reader and writer tests; the files themselves live in ``tests.gedcom_files``."""

from __future__ import annotations

import dataclasses

import pytest

from tests.gedcom_files import RICH_70, RICH_551, gedcom


def without_lines(value: object) -> object:
    """Return a dataclass tree as plain data with every `line` field removed (for equality)."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: without_lines(getattr(value, f.name)) for f in dataclasses.fields(value) if f.name != "line"}
    if isinstance(value, list):
        return [without_lines(item) for item in value]
    return value


@pytest.fixture
def rich_551() -> str:
    """Return the rich 5.5.1 test file as text."""
    return RICH_551


@pytest.fixture
def rich_70() -> str:
    """Return the rich 7.0 test file as text."""
    return RICH_70


@pytest.fixture
def plain():
    """Return `without_lines`."""
    return without_lines


@pytest.fixture
def make_gedcom():
    """Return `gedcom`, the minimal-file builder."""
    return gedcom
