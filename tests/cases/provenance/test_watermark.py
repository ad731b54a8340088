"""The invisible watermark and the perceptual hash on public-domain faces (issue 13 item 8)."""

from __future__ import annotations

import io

import numpy as np
import pytest
from PIL import Image

from cases.provenance.fingerprint import PHASH_NEAR, hamming_distances, perceptual_hash
from cases.provenance.watermark import watermark_detect, watermark_embed

KEY = "test-key"


def _faces() -> list[np.ndarray]:
    from pathlib import Path

    from genetics.samples import astronaut, grace_hopper

    shared = sorted(Path("/work/shared/faces").glob("*.jpg"))
    return [astronaut(), grace_hopper()] + [np.asarray(Image.open(p).convert("RGB")) for p in shared]


def _jpeg(array: np.ndarray, quality: int) -> np.ndarray:
    buffer = io.BytesIO()
    Image.fromarray(array).save(buffer, format="JPEG", quality=quality)
    return np.asarray(Image.open(io.BytesIO(buffer.getvalue())).convert("RGB"))


@pytest.fixture(scope="module")
def face() -> np.ndarray:
    from genetics.samples import astronaut

    return np.asarray(Image.fromarray(astronaut()).resize((384, 384)))


def test_mark_is_invisible_and_survives_jpeg_halving_and_cropping(face):
    marked = watermark_embed(face, key=KEY)
    psnr = 10 * np.log10(255**2 / np.mean((marked.astype(float) - face) ** 2))
    assert psnr > 42
    height, width = marked.shape[:2]
    half = np.asarray(Image.fromarray(marked).resize((width // 2, height // 2), Image.LANCZOS))
    cropped = marked[height // 20 : height - height // 20, width // 20 : width - width // 20]
    for copy in (marked, _jpeg(marked, 75), half, cropped):
        assert watermark_detect(copy, key=KEY).detected
    assert not watermark_detect(face, key=KEY).detected
    assert not watermark_detect(marked, key="another key").detected


def test_unmarked_real_photos_are_not_detected():
    for photo in _faces():
        assert watermark_detect(photo, key=KEY).score < 4


def test_different_real_faces_are_not_perceptually_near():
    hashes = [perceptual_hash(photo) for photo in _faces()]
    for index, value in enumerate(hashes):
        others = np.array(hashes[:index] + hashes[index + 1 :], dtype=np.int64)
        assert hamming_distances(value, others).min() > PHASH_NEAR


def test_re_encoded_copy_is_perceptually_near(face):
    assert hamming_distances(perceptual_hash(_jpeg(face, 75)), np.array([perceptual_hash(face)]))[0] <= PHASH_NEAR


def test_rejects_what_is_not_an_rgb_image():
    with pytest.raises(ValueError, match="RGB uint8"):
        watermark_embed(np.zeros((64, 64), dtype=np.uint8), key=KEY)
