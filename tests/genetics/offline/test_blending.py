"""Region masks, frequency bands and the gradient-domain composite."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from genetics import faces
from genetics.offline import blending, geometry


@pytest.fixture(scope="module")
def aligned(hopper_image: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    face = faces.detect_faces(hopper_image)[0]
    image = faces.align_ffhq(hopper_image, face.landmarks, output_size=256)
    return image, faces.align_landmarks(face.landmarks, 256) / 256


def test_region_masks_partition_the_face(aligned: tuple[np.ndarray, np.ndarray]) -> None:
    _, lm = aligned
    masks = blending.region_masks(lm, 256)
    assert set(masks) == {"outline", *blending.FEATURES}
    total = sum(masks.values())
    assert all(m.min() >= 0.0 and m.max() <= 1.0 for m in masks.values())
    assert total.max() <= 1.0 + 1e-5
    # Each feature mask covers its landmarks; the face is fully covered at the nose tip.
    centres = {"brows": lm[19], "eyes": lm[36:42].mean(axis=0), "nose": lm[30], "mouth": lm[48:60].mean(axis=0)}
    for name, centre in centres.items():
        x, y = (centre * 256).astype(int)
        assert masks[name][y, x] > 0.5, name
    assert total[int(lm[30, 1] * 256), int(lm[30, 0] * 256)] > 0.99
    assert total[2, 2] == 0.0


def test_a_wide_blur_run_smaller_is_the_full_size_gaussian_within_a_grey_level(
    aligned: tuple[np.ndarray, np.ndarray],
) -> None:
    image = aligned[0].astype(np.float32)
    sigma = 0.02 * image.shape[0]
    full = cv2.GaussianBlur(image, (0, 0), sigma)
    wide = blending.wide_blur(image, sigma)
    assert wide.shape == image.shape and wide.dtype == np.float32
    inner = (slice(16, -16), slice(16, -16))
    assert np.abs(wide - full)[inner].mean() < 0.2
    assert np.abs(wide - full)[inner].max() < 3.0
    # Narrow blurs are run as they are.
    assert np.array_equal(blending.wide_blur(image, 2.0), cv2.GaussianBlur(image, (0, 0), 2.0))


def test_bands_add_up_and_detail_is_limited(aligned: tuple[np.ndarray, np.ndarray]) -> None:
    image, _ = aligned
    low, high = blending.split_bands(image)
    assert np.allclose(low + high, image.astype(np.float32), atol=1e-3)
    limited = blending.limit_detail(high, 0.5)
    assert np.abs(limited).max() <= 0.5 * 0.43 * blending.SKIN_DETAIL_LIMIT
    # Small detail (pores) passes nearly unchanged, a frame's strong edge is dropped.
    assert blending.limit_detail(np.float32([1.0]), 1.0)[0] == pytest.approx(1.0, abs=0.01)
    assert abs(blending.limit_detail(np.float32([-80.0]), 1.0)[0]) < 0.01
    skin = blending.skin_low_band(image)
    assert skin.shape == low.shape and skin.dtype == np.float32


def test_thin_dark_line_is_removed_from_the_skin_low_band() -> None:
    image = np.full((512, 512, 3), 180, dtype=np.uint8)
    image[240:244, :] = 20  # a glasses frame, 4 pixels thick at 512²
    low, _ = blending.split_bands(image)
    skin = blending.skin_low_band(image)
    assert low[242].mean() < 170  # the Gaussian low band smears it into a ghost
    assert skin[242].mean() == pytest.approx(180, abs=1)


def test_composite_works_in_the_gradient_domain(aligned: tuple[np.ndarray, np.ndarray]) -> None:
    base, lm = aligned
    brighter = np.clip(base.astype(int) + 40, 0, 255).astype(np.uint8)
    out = blending.composite(brighter, base, lm)
    # Same gradients, different level: Poisson blending returns the base, not a bright patch.
    inside = blending.fill_polygon(256, geometry.face_hull(lm)) > 0
    unclipped = inside & (base.max(axis=2) < 200)
    assert np.abs(out[unclipped].astype(int) - base[unclipped].astype(int)).mean() < 4
    assert np.array_equal(out[~inside][:100], base[~inside][:100])
