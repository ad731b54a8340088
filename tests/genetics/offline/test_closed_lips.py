"""Tests for filling a parent's parted lips for a child whose lips are drawn closed."""

from __future__ import annotations

import cv2
import numpy as np

from genetics.images import luma
from genetics.offline import OfflineEngine
from genetics.offline.blending import fill_polygon
from genetics.offline.closed_lips import without_teeth
from genetics.offline.facial_hair import lips_mask
from genetics.samples import sample


def test_the_teeth_take_the_lips_colour_a_little_darker_and_the_rest_of_the_face_stays() -> None:
    # Obama smiles with his teeth.
    face = OfflineEngine().prepare_parent(sample("obama"))
    image, landmarks = face.arrays["aligned"], face.arrays["landmarks"]
    size = image.shape[0]
    opening = fill_polygon(size, landmarks[60:68]) > 0
    lips = (lips_mask(landmarks, size) > 0) & ~opening
    filled = without_teeth(image, landmarks)
    teeth_before = float(luma(image[opening].astype(np.float32)).mean())
    lips_level = float(luma(image[lips].astype(np.float32)).mean())
    teeth_after = float(luma(filled[opening].astype(np.float32)).mean())
    assert teeth_before > lips_level + 60, (teeth_before, lips_level)
    # Where the teeth were, the lips' level, shaded as where closed lips meet.
    assert lips_level * 0.6 < teeth_after < lips_level, (teeth_after, lips_level)
    # Nothing changes beyond the lips (and the opening's feathered corners, 5 pixels of 1024).
    beyond = cv2.dilate(lips_mask(landmarks, size), np.ones((11, 11), np.uint8)) == 0
    assert np.array_equal(filled[beyond], image[beyond])
