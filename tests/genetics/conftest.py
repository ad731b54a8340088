"""Public-domain test faces shipped inside installed packages (nothing is downloaded)."""

from __future__ import annotations

import numpy as np
import pytest

from genetics.samples import astronaut, grace_hopper


@pytest.fixture(scope="session")
def astronaut_image() -> np.ndarray:
    """Eileen Collins, NASA portrait (public domain), from scikit-image."""
    return astronaut()


@pytest.fixture(scope="session")
def hopper_image() -> np.ndarray:
    """Grace Hopper, US Navy portrait (public domain), from matplotlib's sample data."""
    return grace_hopper()
