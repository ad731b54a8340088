"""Faces prepared once for the offline engine's tests."""

from __future__ import annotations

import numpy as np
import pytest

from genetics.engine import PreparedParent


@pytest.fixture(scope="session")
def prepared_pair(astronaut_image: np.ndarray, hopper_image: np.ndarray) -> tuple[PreparedParent, PreparedParent]:
    """The astronaut and Grace Hopper prepared by the offline engine."""
    from genetics.offline import OfflineEngine

    engine = OfflineEngine()
    return engine.prepare_parent(astronaut_image), engine.prepare_parent(hopper_image)
