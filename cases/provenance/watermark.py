"""An invisible, key-seeded DWT-DCT spread-spectrum watermark for generated candidates.

The method is the classic transform-domain spread spectrum of Cox, Kilian, Leighton and Shamoon,
"Secure spread spectrum watermarking for multimedia" (IEEE Trans. Image Processing 6(12), 1997),
placed in the DCT of the wavelet approximation band as in the DWT-DCT schemes (e.g. Al-Haj,
"Combined DWT-DCT digital image watermarking", J. Computer Science 3(9), 2007):

1. the luminance is resized to a canonical ``CANONICAL``² square, so the mark does not depend on
   the image's size (a resized copy maps onto the same grid);
2. one Haar DWT level gives the approximation band LL (``CANONICAL/2``²), cut into 8×8 blocks, each
   transformed by an orthonormal 2-D DCT;
3. a ±1 pseudo-random sequence seeded from the key is added, times ``strength``, to the mid-band
   coefficients ``MID_BAND`` of every block (low enough to survive JPEG and halving, high enough
   to stay invisible);
4. the change is mapped back to the image's own size and added equally to R, G and B.

Detection is blind (no original needed): the same coefficients of a suspect image are correlated
with the key's sequence, z = Σ c·s / √Σ c², which is about N(0, 1) for an unmarked image. A crop
moves the grid, so the detector also tries the image as a crop of up to ``MAX_CROP`` of each side
(a small grid of scales and positions) and keeps the best score; the threshold accounts for the
number of tries. Pure numpy/scipy/PyWavelets/Pillow: the web process may use it (never torch).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

import numpy as np
import pywt
from PIL import Image
from scipy.fft import dctn, idctn

from genetics.images import luma

CANONICAL = 256
BLOCK = 8
MID_BAND: tuple[tuple[int, int], ...] = ((0, 2), (2, 0), (1, 2), (2, 1), (1, 3), (3, 1), (2, 2), (0, 3), (3, 0))
STEP = 16.0
"""Quantisation step of the mid-band coefficients (DCT of the Haar LL band, 0–255 luminance scale)."""
DETECTION_THRESHOLD = 6.0
"""Best z over all tries; see docs/provenance.md for the measured false-positive and survival rates."""
CROP_SCALES = (0.95, 0.9, 0.85)
CROP_POSITIONS = (0.0, 0.5, 1.0)


@dataclass(frozen=True)
class WatermarkReading:
    """What the detector found: the best correlation score and the crop hypothesis that gave it."""

    score: float
    scale: float
    offset: tuple[float, float]
    threshold: float = DETECTION_THRESHOLD

    @property
    def detected(self) -> bool:
        return self.score >= self.threshold


def watermark_embed(image: np.ndarray, *, key: str, step: float = STEP) -> np.ndarray:
    """Return a copy of an RGB uint8 image ``[H, W, 3]`` carrying the key's watermark."""
    rgb = _check_rgb(image)
    height, width = rgb.shape[:2]
    canonical = _resize(luma(rgb), CANONICAL, CANONICAL)
    low, details = pywt.dwt2(canonical, "haar")
    blocks = _blocks(low)
    coefficients = dctn(blocks, axes=(-2, -1), norm="ortho")
    rows, cols = zip(*MID_BAND, strict=True)
    dither = step * _dither(key)
    picked = coefficients[:, :, rows, cols]
    coefficients[:, :, rows, cols] = step * np.round((picked - dither) / step) + dither
    marked_low = _unblocks(idctn(coefficients, axes=(-2, -1), norm="ortho"))
    delta = pywt.idwt2((marked_low, details), "haar") - canonical
    delta = _resize(delta.astype(np.float32), width, height)
    return np.clip(np.rint(rgb.astype(np.float32) + delta[:, :, None]), 0, 255).astype(np.uint8)


def watermark_detect(
    image: np.ndarray, *, key: str, step: float = STEP, threshold: float = DETECTION_THRESHOLD
) -> WatermarkReading:
    """Return the best score of the key's watermark in an RGB image, trying crops of up to 15% a side."""
    rgb = _check_rgb(image)
    brightness = luma(rgb)
    best = WatermarkReading(
        score=_score(brightness, key, step, 1.0, (0.0, 0.0)), scale=1.0, offset=(0.0, 0.0), threshold=threshold
    )
    for scale in CROP_SCALES:
        for oy in CROP_POSITIONS:
            for ox in CROP_POSITIONS:
                score = _score(brightness, key, step, scale, (ox, oy))
                if score > best.score:
                    best = WatermarkReading(score=score, scale=scale, offset=(ox, oy), threshold=threshold)
    return best


def _score(brightness: np.ndarray, key: str, step: float, scale: float, offset: tuple[float, float]) -> float:
    """Correlate the region a crop of ``scale`` at ``offset`` would occupy in the canonical square."""
    side = round(CANONICAL * scale)
    left = round(offset[0] * (CANONICAL - side))
    top = round(offset[1] * (CANONICAL - side))
    region = _resize(brightness, side, side)
    canvas = np.full((CANONICAL, CANONICAL), float(region.mean()), dtype=np.float64)
    canvas[top : top + side, left : left + side] = region
    low, _ = pywt.dwt2(canvas, "haar")
    coefficients = dctn(_blocks(low), axes=(-2, -1), norm="ortho")
    rows, cols = zip(*MID_BAND, strict=True)
    picked = coefficients[:, :, rows, cols]
    # Distance of each coefficient to the key's dithered lattice, in steps: near 0 when marked,
    # uniform on [-0.5, 0.5) otherwise, so cos(2πe) has mean 0 and variance 1/2 on unmarked images.
    steps = (picked - step * _dither(key)) / step
    agreement = np.cos(2 * np.pi * (steps - np.round(steps)))
    # Only blocks wholly inside the region carry the mark; the padding would only add noise.
    size = BLOCK * 2
    first_row, last_row = -(-top // size), (top + side) // size
    first_col, last_col = -(-left // size), (left + side) // size
    agreement = agreement[first_row:last_row, first_col:last_col]
    return float(agreement.sum() / np.sqrt(agreement.size / 2)) if agreement.size else 0.0


def _dither(key: str) -> np.ndarray:
    """Return the key's dither, uniform in [0, 1) steps, one per mid-band coefficient of each block."""
    count = CANONICAL // 2 // BLOCK
    seed = int.from_bytes(hashlib.sha256(("kinship-watermark:" + key).encode()).digest()[:8], "big")
    return np.random.default_rng(seed).random((count, count, len(MID_BAND)))


def _check_rgb(image: np.ndarray) -> np.ndarray:
    if image.ndim != 3 or image.shape[2] != 3 or image.dtype != np.uint8:
        raise ValueError(f"Expected an RGB uint8 image [H, W, 3], got {image.dtype} {image.shape}.")
    if min(image.shape[:2]) < 32:
        raise ValueError("The image is too small to carry a watermark (under 32 pixels a side).")
    return image


def _resize(plane: np.ndarray, width: int, height: int) -> np.ndarray:
    if plane.shape == (height, width):
        return plane.astype(np.float64)
    return np.asarray(
        Image.fromarray(plane.astype(np.float32), mode="F").resize((width, height), Image.BICUBIC), dtype=np.float64
    )


def _blocks(plane: np.ndarray) -> np.ndarray:
    rows, cols = plane.shape[0] // BLOCK, plane.shape[1] // BLOCK
    return plane[: rows * BLOCK, : cols * BLOCK].reshape(rows, BLOCK, cols, BLOCK).transpose(0, 2, 1, 3).copy()


def _unblocks(blocks: np.ndarray) -> np.ndarray:
    rows, cols = blocks.shape[:2]
    return blocks.transpose(0, 2, 1, 3).reshape(rows * BLOCK, cols * BLOCK)
