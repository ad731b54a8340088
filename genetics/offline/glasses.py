"""Tell whether an aligned face wears glasses, so their frames are not copied piecewise.

Glasses are not landmarks: a brow or eye region cut from a face with glasses carries pieces of the
frame. Two readings, heuristics rather than a trained classifier:

- the **bridge**: between the eyes a frame's bridge makes a strong horizontal edge that a bare nose
  does not have (peak-to-median ratio of horizontal edges down the bridge; bare shipped faces ≈ 1.6,
  Grace Hopper's glasses ≈ 10). A frown line or a shaded bridge reads up to about 7 on bare faces;
- the **rims**: under each eye a frame's lower rim (or a dark lens's edge) is an edge across the
  cheek's top at almost every angle round the eye; on a bare face only the brows above are;
- **dark lenses**: round a bare eye its white and lids are nearly as light as the cheeks; behind
  sunglasses all of it is dark, whatever their bridge or rims show.

Where a face wears glasses, :func:`genetics.offline.blending.fill_from_skin` fills in where they lie
(:func:`lens_zone`) from its skin around.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields
from typing import Any

import cv2
import numpy as np

from genetics.images import luma
from genetics.offline.blending import region_masks

BRIDGE_ALONE = 8.0
"""Bridge ratio above which a face counts as wearing glasses whatever its rims read (thin metal
frames: 25-29 on real photos; bare faces of 78 CC0 portraits and 65 research adults at most 7.4,
but one with a straight fringe low on the brow, 13.8)."""

BRIDGE_WITH_RIMS = 4.0
"""Bridge ratio above which rims under the eyes confirm glasses (a tinted or thin bridge: 4.3-6.7;
bare faces up to 7.4, whose rims read at most 3.3)."""

RIM_WITH_BRIDGE = 3.8
"""Lower-rim edge (grey levels per pixel at 1024²) that confirms a bridge above ``BRIDGE_WITH_RIMS``."""

RIM_SHARE_WITH_BRIDGE = 0.6
"""Or the lower rims at this share of the brows' edges above the eyes (plus one level): a soft,
enlarged photo reads weaker edges everywhere (bare faces 0.07-0.51, a soft research face's frame
0.78)."""

RIM_ALONE = 10.0
"""Lower-rim edge above which a face counts as wearing glasses whatever its bridge reads (frames
12-24 on real photos; bare faces at most 5.3)."""

DARK_LENSES = 0.45
"""Eye light (the eye regions' 90th percentile of brightness over the cheeks' median) below which
the eyes are behind dark lenses (sunglasses on the CC0 portraits: 0.27-0.41; bare eyes of 78 CC0
portraits and 65 research adults at least 0.60)."""

RIM_RADII = (0.25, 0.65)
"""Where a lens's rim is looked for round each eye's centre, as shares of the eyes' distance apart:
past the lids and the eye's own edges, short of the nostrils."""

_BELOW = np.radians(np.arange(25, 156, 5))  # image y points down: these angles sweep under the eye
_ABOVE = -_BELOW


@dataclass(frozen=True)
class GlassesReading:
    """What :func:`read_glasses` measured on one aligned face."""

    bridge: float
    lower_rim: float
    upper_rim: float
    eye_light: float

    @property
    def wears(self) -> bool:
        """Return whether these readings count as glasses (see the thresholds above)."""
        rims = self.lower_rim >= RIM_WITH_BRIDGE or self.lower_rim >= RIM_SHARE_WITH_BRIDGE * (self.upper_rim + 1.0)
        framed = self.bridge > BRIDGE_ALONE or self.lower_rim > RIM_ALONE or (self.bridge > BRIDGE_WITH_RIMS and rims)
        return framed or self.dark

    @property
    def dark(self) -> bool:
        """Return whether the lenses hide the eyes (:data:`DARK_LENSES`)."""
        return self.eye_light < DARK_LENSES

    def as_meta(self) -> dict[str, float]:
        """Return the readings as JSON-safe floats, as a prepared face's ``meta["glasses"]``."""
        return {key: float(value) for key, value in asdict(self).items()}

    @property
    def note(self) -> str | None:
        """Return what a user is told of a parent's photo when it wears glasses, else None."""
        if not self.wears:
            return None
        found = "Dark glasses hide the eyes" if self.dark else "Glasses were found on this face"
        return (
            f"{found}: the candidates' eyes and brows take their pixels from the other parent's "
            "photo unless both wear glasses, and where the glasses lay is filled in from the skin."
        )

    @classmethod
    def from_meta(cls, meta: dict[str, Any]) -> GlassesReading:
        """Return the readings :meth:`as_meta` stored."""
        return cls(**{f.name: float(meta[f.name]) for f in fields(cls)})


def read_glasses(aligned: np.ndarray, landmarks: np.ndarray) -> GlassesReading:
    """Return the bridge, rim and eye-light readings of an aligned face.

    ``aligned`` is the RGB uint8 ``[S, S, 3]`` aligned face, ``landmarks`` ``[68, 2]`` in unit
    coordinates of that frame.
    """
    size = aligned.shape[0]
    grey = cv2.cvtColor(aligned, cv2.COLOR_RGB2GRAY).astype(np.float32)
    grey = cv2.GaussianBlur(grey, (0, 0), size / 512.0)
    sobel_x = cv2.Sobel(grey, cv2.CV_32F, 1, 0, ksize=3)
    sobel_y = cv2.Sobel(grey, cv2.CV_32F, 0, 1, ksize=3)
    lm = np.asarray(landmarks, dtype=np.float64) * size
    return GlassesReading(
        bridge=_bridge_edges(np.abs(sobel_y), lm),
        lower_rim=_rim_edges(sobel_x, sobel_y, lm, _BELOW),
        upper_rim=_rim_edges(sobel_x, sobel_y, lm, _ABOVE),
        eye_light=_eye_light(aligned, landmarks),
    )


def _eye_light(aligned: np.ndarray, landmarks: np.ndarray) -> float:
    """Return the eye regions' 90th percentile of brightness over the cheeks' median brightness."""
    masks = region_masks(landmarks, aligned.shape[0])
    brightness = luma(aligned.astype(np.float32))
    skin = float(np.median(brightness[masks["outline"] > 0.9]))
    return float(np.percentile(brightness[masks["eyes"] > 0.5], 90) / max(skin, 1.0))


def _bridge_edges(edges: np.ndarray, lm: np.ndarray) -> float:
    """Return the peak-to-median ratio of horizontal edges (``edges``: the vertical gradient's
    size) down the nose bridge."""
    size = edges.shape[0]
    nose_length = lm[30, 1] - lm[27, 1]
    top = int(max(lm[27, 1] - 0.3 * nose_length, 0))
    bottom = int(min(lm[29, 1], size - 1))
    half_width = max(int(0.02 * size), 1)
    centre = int(lm[27, 0])
    band = edges[top:bottom, max(centre - half_width, 0) : centre + half_width]
    if band.size == 0:
        return 0.0
    profile = band.mean(axis=1)
    return float(profile.max() / (np.median(profile) + 1.0))


def _rim_edges(sobel_x: np.ndarray, sobel_y: np.ndarray, lm: np.ndarray, angles: np.ndarray) -> float:
    """Return the median, over rays from both eyes' centres at ``angles``, of the strongest edge
    across each ray within :data:`RIM_RADII`, in grey levels per pixel of a 1024² frame."""
    size = sobel_x.shape[0]
    gx, gy = sobel_x / 8.0, sobel_y / 8.0  # a 3×3 Sobel sums 8 times the gradient
    eyes = np.stack([lm[36:42].mean(axis=0), lm[42:48].mean(axis=0)])
    apart = float(np.linalg.norm(eyes[1] - eyes[0]))
    radii = np.arange(RIM_RADII[0] * apart, RIM_RADII[1] * apart, 1.0)
    directions = np.stack([np.cos(angles), np.sin(angles)], axis=-1)  # [A, 2]
    points = eyes[:, None, None, :] + directions[None, :, None, :] * radii[None, None, :, None]  # [2, A, R, 2]
    cols = np.clip(points[..., 0].astype(int), 0, size - 1)
    rows = np.clip(points[..., 1].astype(int), 0, size - 1)
    across = np.abs(gx[rows, cols] * directions[None, :, None, 0] + gy[rows, cols] * directions[None, :, None, 1])
    return float(np.median(across.max(axis=-1)) * size / 1024.0)


LENS_AXES = (0.5, 0.4)
"""A lens's half-width and half-height, as shares of the distance between the eyes' centres: an
ellipse a little below each eye that reaches the temple, the cheek's top and, meeting its pair,
the bridge; not the brows above."""

LENS_DROP = 0.12
"""How far below the eye's centre a lens's centre sits, as a share of the distance between the eyes."""


def lens_zone(landmarks: np.ndarray, size: int) -> np.ndarray:
    """Return float32 ``[S, S]`` in 0-1: where a pair of glasses lies on a face with these
    ``landmarks`` (unit coordinates), frames, lenses and bridge, with a soft edge."""
    lm = np.asarray(landmarks, dtype=np.float64)
    eyes = [lm[36:42].mean(axis=0), lm[42:48].mean(axis=0)]
    apart = float(np.linalg.norm(eyes[1] - eyes[0]))
    zone = np.zeros((size, size), dtype=np.uint8)
    for centre in eyes:
        x, y = centre * size
        axes = (round(LENS_AXES[0] * apart * size), round(LENS_AXES[1] * apart * size))
        cv2.ellipse(zone, (round(x), round(y + LENS_DROP * apart * size)), axes, 0, 0, 360, 255, -1)
    return cv2.GaussianBlur(zone.astype(np.float32) / 255.0, (0, 0), 0.04 * apart * size)
