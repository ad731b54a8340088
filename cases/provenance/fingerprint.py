"""Fingerprints of decoded pixels: an exact pixel hash and a 64-bit DCT perceptual hash (pHash).

The pixel hash catches a candidate saved again under another container or metadata (same pixels,
new file). The perceptual hash catches near copies (re-encoded, resized, lightly edited): the
classic DCT pHash (Zauner, "Implementation and benchmarking of perceptual image hash functions",
2010): grey levels resized to 32×32, 2-D DCT, the 8×8 lowest frequencies compared with their
median. Hashes are stored as signed 64-bit integers, the width of a database ``bigint``.
"""

from __future__ import annotations

import hashlib

import numpy as np
from PIL import Image
from scipy.fft import dctn

PHASH_BITS = 64
PHASH_NEAR = 8
"""Hamming distance at or under which an upload counts as a copy of a candidate (docs/provenance.md)."""


def pixels_sha256(rgb: np.ndarray) -> str:
    """Return the sha256 of an RGB uint8 array's raw bytes (what Candidate.pixels_sha256 stores)."""
    return hashlib.sha256(np.ascontiguousarray(rgb, dtype=np.uint8).tobytes()).hexdigest()


def perceptual_hash(rgb: np.ndarray) -> int:
    """Return the 64-bit DCT perceptual hash of an RGB uint8 image as a signed 64-bit integer."""
    grey = Image.fromarray(np.ascontiguousarray(rgb, dtype=np.uint8)).convert("L").resize((32, 32), Image.LANCZOS)
    low = dctn(np.asarray(grey, dtype=np.float64), norm="ortho")[:8, :8].ravel()
    # The DC term is the mean brightness: left out of the median so it cannot skew the split.
    bits = low > np.median(low[1:])
    unsigned = int("".join("1" if bit else "0" for bit in bits), 2)
    return unsigned - (1 << 64) if unsigned >= 1 << 63 else unsigned


def hamming_distances(value: int, others: np.ndarray) -> np.ndarray:
    """Return the Hamming distance between one hash and an int64 array of hashes."""
    xor = np.bitwise_xor(np.asarray(others, dtype=np.int64).reshape(-1), np.int64(value))
    # unpackbits rather than np.bitwise_count, which needs numpy 2 (base.txt allows 1.26).
    return np.unpackbits(xor.view(np.uint8).reshape(-1, 8), axis=1).sum(axis=1).astype(np.int64)
