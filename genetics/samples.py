"""Public-domain portraits that ship inside installed packages, for tests, the default gene pool
and the evaluation CSV. Nothing is downloaded.

- ``astronaut``: Eileen Collins, NASA portrait, public domain; ``skimage.data.astronaut()``.
- ``grace_hopper``: Rear Admiral Grace Hopper, US Navy portrait, public domain; matplotlib's
  ``sample_data/grace_hopper.jpg``.

- ``obama``, ``obama2``, ``biden``: White House photographs (public domain), shipped in
  ``genetics/data/faces/`` with their sources in that folder's ``README.md``.

scikit-image's ``lfw_subset()`` is not used: its faces are 25×25 grey crops (too small for dlib)
and Labeled Faces in the Wild states no licence for its web-collected photos.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
from PIL import Image

SAMPLE_NAMES: tuple[str, ...] = ("astronaut", "grace_hopper", "obama", "obama2", "biden")

SHIPPED_FACES_DIR = Path(__file__).resolve().parent / "data" / "faces"
"""Public-domain portraits shipped in the repository (sources in its ``README.md``)."""


def astronaut() -> np.ndarray:
    """Return the scikit-image astronaut portrait, RGB uint8 ``[512, 512, 3]``."""
    from skimage import data

    return np.ascontiguousarray(data.astronaut())


def grace_hopper() -> np.ndarray:
    """Return matplotlib's Grace Hopper portrait, RGB uint8 ``[600, 512, 3]``."""
    import matplotlib.cbook

    path = matplotlib.cbook.get_sample_data("grace_hopper.jpg", asfileobj=False)
    with Image.open(path) as img:
        return np.asarray(img.convert("RGB"), dtype=np.uint8)


def shipped_face(name: str) -> np.ndarray:
    """Return one of the White House portraits in :data:`SHIPPED_FACES_DIR`, RGB uint8."""
    with Image.open(SHIPPED_FACES_DIR / f"{name}.jpg") as img:
        return np.asarray(img.convert("RGB"), dtype=np.uint8)


def sample(name: str) -> np.ndarray:
    """Return one shipped portrait by name (see :data:`SAMPLE_NAMES`)."""
    if name == "astronaut":
        return astronaut()
    if name == "grace_hopper":
        return grace_hopper()
    if name in SAMPLE_NAMES:
        return shipped_face(name)
    raise KeyError(f"unknown sample {name!r}; expected one of {SAMPLE_NAMES}")
