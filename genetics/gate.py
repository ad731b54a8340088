"""The input gate both engines share: take a face from a real family photo, or say why not.

Genealogists' photos are small, old, turned and shared with other people. The gate accepts:

- **small faces** from :data:`~genetics.faces.MIN_FACE_SIDE` (36 px) across: the face is cropped
  with its surroundings and enlarged so dlib's landmarks and the FFHQ alignment work on
  :data:`WORK_SIDE`-pixel faces; below :data:`LOW_RESOLUTION_SIDE` the result carries
  ``low_resolution`` (the app shows a note: detail in the candidates is invented, not inherited);
- **three-quarter views** up to :data:`~genetics.faces.MAX_YAW` (about 45°): the aligned face is
  warped to a left/right-symmetric shape and its far half replaced by the mirrored near half
  (:func:`frontalise`);
- **black-and-white and sepia photos** (:func:`photo_tone`): flagged so the candidates are rendered
  in the same tone;
- **paintings and scans**: nothing special, as long as dlib finds the face;
- **faces half hidden** by sunglasses, a hat's brim or a beard, which dlib's HOG detector scores
  low: accepted nearly frontal when its CNN detector finds them too (:mod:`genetics.weak_faces`);
- **group photos**: the caller passes the chosen face's box; the gate works on a crop around it.

It refuses only what cannot work, with a :mod:`genetics.errors` exception whose message says why:
no face (:class:`~genetics.errors.NoFaceFound`), several faces and no box
(:class:`~genetics.errors.MultipleFacesFound`), a face under 36 px
(:class:`~genetics.errors.FaceTooSmall`), a face cut by the border
(:class:`~genetics.errors.FaceCutOff`) and a profile (:class:`~genetics.errors.FaceNotFrontal`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import cv2
import numpy as np

from genetics.engine import FaceBox
from genetics.faces import (
    MAX_YAW,
    DetectedFace,
    align_ffhq,
    align_landmarks,
    check_image,
    choose_face,
    detect_faces,
    face_yaw,
    landmarks_in_box,
)
from genetics.weak_faces import WEAK_MAX_YAW, confirmed_weak_faces

LOW_RESOLUTION_SIDE = 64
"""Faces narrower than this (pixels, in the photo) are accepted but flagged ``low_resolution``."""

WORK_SIDE = 256
"""Smaller faces are enlarged (bicubic) so the face box is about this wide before landmarks."""

CONTEXT = 1.0
"""Crop margin around the face box, in box sides: the FFHQ square spans about 1.6 box sides."""

FRONTALISE_FROM = 0.22
"""|yaw| above which :func:`frontalise` starts mixing in the mirrored near half."""

FRONTALISE_FULL = 0.45
"""|yaw| from which the far half is entirely the mirrored near half."""

MONOCHROME_SPREAD = 1.5
"""Largest RMS spread (CIE Lab a*/b* units) of a monochrome photo's colours around the mean colour
of its pixels of the same lightness, across that colour's hue (:func:`photo_tone`)."""

TONE_BIN = 3.0
"""Width (CIE Lab lightness units) of the bands of equal lightness :func:`photo_tone` compares in."""

NEUTRAL_TINT = 3.0
"""A monochrome photo whose mean tint (a*, b*) is within this of grey counts as black-and-white."""

MIRROR = np.array(
    list(range(16, -1, -1))
    + list(range(26, 16, -1))
    + [27, 28, 29, 30]
    + [35, 34, 33, 32, 31]
    + [45, 44, 43, 42, 47, 46, 39, 38, 37, 36, 41, 40]
    + [54, 53, 52, 51, 50, 49, 48, 59, 58, 57, 56, 55]
    + [64, 63, 62, 61, 60, 67, 66, 65]
)
"""iBUG 68-point index of each point's mirror partner (left and right swapped)."""


@dataclass(frozen=True)
class PhotoTone:
    """Whether a photo is monochrome, and its tint: ``kind`` is ``colour``, ``grey`` or ``sepia``.

    ``tint`` is the mean CIE Lab (a*, b*) of the photo (0, 0 for neutral grey); ``spread`` the RMS
    distance of its pixels' (a*, b*) from the mean of the pixels as light as they are, across that
    mean's hue when it has one.
    """

    kind: str
    tint: tuple[float, float] = (0.0, 0.0)
    spread: float = 0.0

    @property
    def monochrome(self) -> bool:
        return self.kind != "colour"


@dataclass(frozen=True)
class GatedFace:
    """A face that passed the gate, ready for alignment.

    ``image`` is the working picture (the photo, or an enlarged crop around the face) and ``face``
    the detection in it; ``box`` is the face box in the original photo and ``side`` its width there.
    """

    image: np.ndarray
    face: DetectedFace
    box: FaceBox
    side: int
    scale: float
    tone: PhotoTone
    notes: tuple[str, ...] = field(default=())
    photo_landmarks: np.ndarray | None = None
    """The face's 68 landmarks as found in the photo itself (photo pixels), before any enlarging."""

    @property
    def low_resolution(self) -> bool:
        return self.side < LOW_RESOLUTION_SIDE

    @property
    def yaw(self) -> float:
        return self.face.yaw

    @property
    def monochrome(self) -> bool:
        return self.tone.monochrome

    def aligned(
        self, size: int, *, photo: np.ndarray | None = None, transform_size: int | None = None
    ) -> tuple[np.ndarray, np.ndarray, bool]:
        """Return the FFHQ-aligned face ``[size, size, 3]``, its landmarks ``[68, 2]`` (unit
        coordinates) and whether it was frontalised.

        ``photo`` is the image :func:`gate_face` read. When it is given and the face is not low
        resolution, the face is aligned from the photo with the landmarks found there, which is
        the FFHQ recipe exactly as StyleGene's official code runs it (its encoder was trained on
        such crops); a low-resolution face is aligned from the enlarged working picture, whose
        landmarks are better. ``transform_size`` is the recipe's intermediate square (default
        ``size``; the official code uses 1024).
        """
        image, points = self.image, self.face.landmarks
        if photo is not None and not self.low_resolution and self.photo_landmarks is not None:
            image, points = photo, self.photo_landmarks
        aligned = align_ffhq(image, points, output_size=size, transform_size=transform_size or size)
        landmarks = align_landmarks(points, size) / size
        if abs(self.yaw) <= FRONTALISE_FROM:
            return aligned, landmarks, False
        frontal, symmetric = frontalise(aligned, landmarks, self.yaw)
        return frontal, symmetric, True

    def meta(self) -> dict[str, Any]:
        """Return the JSON-safe facts the result and the audit log carry."""
        return {
            "face_box": self.box.as_list(),
            "face_side": self.side,
            "low_resolution": self.low_resolution,
            "enlarged": round(self.scale, 3),
            "yaw": self.yaw,
            "frontalised": abs(self.yaw) > FRONTALISE_FROM,
            "monochrome": self.monochrome,
            "tone": self.tone.kind,
            "tint": list(self.tone.tint),
            "detector_score": self.face.score,
            "notes": list(self.notes),
        }


def photo_tone(image: np.ndarray, box: FaceBox | None = None) -> PhotoTone:
    """Return whether the photo (around ``box``, when given) is colour, black-and-white or sepia.

    A monochrome print's colour is a function of its lightness: none for grey, one hue for sepia,
    whose chroma may grow and fade with the lightness. In a colour photo, lips, eyes, hair and
    clothes differ in hue from the skin as light as they are. So pixels are compared with the mean
    colour of their band of equal lightness (:data:`TONE_BIN`), across that colour's hue: JPEG's
    blurred chroma mixes neighbours of one hue, which moves a toned print's pixels along it only.
    Compared with the photo's one mean colour instead (until offline engine 0.1.11), 40 of 108 colour
    photos cropped tight round the face were called sepia: their skin filled them.
    """
    image = check_image(image)
    if box is not None:
        pad = box.width
        image = image[max(box.top - pad, 0) : box.bottom + pad, max(box.left - pad, 0) : box.right + pad]
    scale = min(1.0, 128.0 / max(image.shape[:2]))
    if scale < 1.0:
        image = cv2.resize(image, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    # Film grain and scanner noise are colour noise at the pixel scale; the tone is not.
    smooth = cv2.GaussianBlur(image.astype(np.float32) / 255.0, (0, 0), 1.5)
    lab = cv2.cvtColor(smooth, cv2.COLOR_RGB2LAB).reshape(-1, 3).astype(np.float64)
    # Near-black and near-white pixels carry no reliable chroma (JPEG noise, clipped highlights).
    keep = (lab[:, 0] > 8) & (lab[:, 0] < 97)
    if keep.sum() > 100:
        lab = lab[keep]
    tint = lab[:, 1:].mean(axis=0)
    strength = float(np.hypot(*tint))
    spread = _spread_at_equal_lightness(lab)
    tint_pair = (round(float(tint[0]), 2), round(float(tint[1]), 2))
    if spread > MONOCHROME_SPREAD:
        return PhotoTone("colour", tint_pair, spread)
    return PhotoTone("grey" if strength <= NEUTRAL_TINT else "sepia", tint_pair, spread)


def _spread_at_equal_lightness(lab: np.ndarray) -> float:
    """Return the RMS distance of pixels' (a*, b*) (``lab`` ``[N, 3]``) from their lightness band's
    mean, across that mean's hue where it has one (chroma over :data:`NEUTRAL_TINT`)."""
    band = np.floor(lab[:, 0] / TONE_BIN).astype(np.int64)
    band -= band.min()
    count = np.bincount(band)
    mean = np.stack([np.bincount(band, weights=lab[:, c]) for c in (1, 2)], axis=1) / np.maximum(count, 1)[:, None]
    # Bands of a few pixels are edges and specks, not the photo's tone.
    counted = count[band] >= 5
    if not counted.any():
        return 0.0
    centre = mean[band[counted]]
    deviation = lab[counted, 1:] - centre
    chroma = np.hypot(centre[:, 0], centre[:, 1])
    hued = chroma > NEUTRAL_TINT
    across = np.stack([-centre[:, 1], centre[:, 0]], axis=1) / np.maximum(chroma, 1e-9)[:, None]
    squared = np.where(hued, np.sum(deviation * across, axis=1) ** 2, np.sum(deviation**2, axis=1))
    return float(np.sqrt(squared.mean()))


def gate_face(image: np.ndarray, *, box: FaceBox | None = None) -> GatedFace:
    """Find the face the caller means in a photo and check it can feed generation.

    ``box`` (photo pixels) picks one face of a group photo; without it the photo must show one
    face. Raises the :mod:`genetics.errors` face errors listed in the module docstring.
    """
    image = check_image(image)
    found, max_yaw = _find(image, box), MAX_YAW
    if not found:
        # Sunglasses, a hat's brim or a beard lower the detector's score: a weaker face counts
        # when a second detector finds it too, and only nearly frontal (see genetics.weak_faces).
        found, max_yaw = confirmed_weak_faces(image), WEAK_MAX_YAW
    face = choose_face(found, box, max_yaw=max_yaw)
    notes = []
    side = face.box.width
    if side < LOW_RESOLUTION_SIDE:
        notes.append(
            f"The face is only {side} pixels across: it was enlarged, so fine detail in the "
            "candidates is invented rather than inherited."
        )
    if abs(face.yaw) > FRONTALISE_FROM:
        notes.append("The face is turned to one side: its far half was rebuilt from the near half.")
    tone = photo_tone(image, face.box)
    if tone.monochrome:
        notes.append(
            f"The photo is {'black-and-white' if tone.kind == 'grey' else 'sepia'}: candidates "
            "from it are rendered in the same tone."
        )
    crop, work, scale = _enlarged_crop(image, face)
    return GatedFace(
        image=crop,
        face=work,
        box=face.box,
        side=side,
        scale=scale,
        tone=tone,
        notes=tuple(notes),
        photo_landmarks=face.landmarks,
    )


def shared_tint(metas: list[dict[str, Any]]) -> tuple[float, float] | None:
    """Return the mean tint of the monochrome photos among prepared parents' ``meta`` (None: all colour).

    Candidates of a couple whose photos are black-and-white or sepia are rendered in that tone.
    """
    tints = [meta["tint"] for meta in metas if meta.get("monochrome") and meta.get("tint") is not None]
    if not tints:
        return None
    return float(np.mean([t[0] for t in tints])), float(np.mean([t[1] for t in tints]))


def _find(image: np.ndarray, box: FaceBox | None) -> list[DetectedFace]:
    """Return the faces to choose from; small faces get a second, finer look."""
    found = detect_faces(image, upsample=1)
    if box is not None and not any(_overlaps(f.box, box) for f in found):
        # A small face in a large group photo vanishes in the detector's downscaled copy: look
        # again in an enlarged crop around the chosen box, and map the faces back.
        found = found + _detect_in_crop(image, box)
    if not found and max(image.shape[:2]) <= 1024:
        found = detect_faces(image, upsample=2)
    return found


def _overlaps(a: FaceBox, b: FaceBox) -> bool:
    return min(a.right, b.right) > max(a.left, b.left) and min(a.bottom, b.bottom) > max(a.top, b.top)


def _detect_in_crop(image: np.ndarray, box: FaceBox) -> list[DetectedFace]:
    height, width = image.shape[:2]
    pad = max(box.width, box.height)
    left, top = max(box.left - pad, 0), max(box.top - pad, 0)
    right, bottom = min(box.right + pad, width), min(box.bottom + pad, height)
    crop = np.ascontiguousarray(image[top:bottom, left:right])
    scale = max(1.0, WORK_SIDE / max(box.width, 1))
    if scale > 1.0:
        crop = cv2.resize(crop, None, fx=scale, fy=scale, interpolation=cv2.INTER_CUBIC)
    faces = []
    for face in detect_faces(crop, upsample=1):
        fb = face.box
        mapped = FaceBox(
            left=round(fb.left / scale) + left,
            top=round(fb.top / scale) + top,
            right=round(fb.right / scale) + left,
            bottom=round(fb.bottom / scale) + top,
        )
        landmarks = face.landmarks / scale + np.array([left, top], dtype=np.float64)
        faces.append(
            DetectedFace(box=mapped, landmarks=landmarks, score=face.score, yaw=face.yaw, image_size=(height, width))
        )
    return faces


def _enlarged_crop(image: np.ndarray, face: DetectedFace) -> tuple[np.ndarray, DetectedFace, float]:
    """Return a crop around the face, enlarged so the face is about :data:`WORK_SIDE` wide, with
    the face's landmarks predicted again on the enlarged pixels."""
    height, width = image.shape[:2]
    box = face.box
    pad = round(CONTEXT * max(box.width, box.height))
    left, top = max(box.left - pad, 0), max(box.top - pad, 0)
    right, bottom = min(box.right + pad, width), min(box.bottom + pad, height)
    scale = max(1.0, WORK_SIDE / max(box.width, 1))
    crop = np.ascontiguousarray(image[top:bottom, left:right])
    if scale > 1.0:
        crop = cv2.resize(crop, None, fx=scale, fy=scale, interpolation=cv2.INTER_CUBIC)
    work_box = FaceBox(
        left=round((box.left - left) * scale),
        top=round((box.top - top) * scale),
        right=round((box.right - left) * scale),
        bottom=round((box.bottom - top) * scale),
    )
    landmarks = (
        landmarks_in_box(crop, work_box) if scale > 1.0 else (face.landmarks - np.array([left, top], dtype=np.float64))
    )
    work = DetectedFace(
        box=work_box,
        landmarks=landmarks,
        score=face.score,
        yaw=face_yaw(crop, work_box, landmarks),
        image_size=crop.shape[:2],
    )
    return crop, work, scale


def symmetric_shape(landmarks: np.ndarray) -> np.ndarray:
    """Return the left/right-symmetric ``[68, 2]`` shape closest to ``landmarks`` (aligned frame)."""
    lm = np.asarray(landmarks, dtype=np.float64)
    centre = float(np.mean(lm[[27, 28, 29, 30, 33, 51, 57, 8], 0]))
    mirrored = lm[MIRROR].copy()
    mirrored[:, 0] = 2.0 * centre - mirrored[:, 0]
    return (lm + mirrored) / 2.0


def frontalise(aligned: np.ndarray, landmarks: np.ndarray, yaw: float) -> tuple[np.ndarray, np.ndarray]:
    """Return a turned face made frontal, and its symmetric landmarks (unit coordinates).

    The aligned face is warped to the symmetric shape; then the far half, squeezed and partly
    hidden by the nose in the photo, is replaced by the mirrored near half, fully from
    :data:`FRONTALISE_FULL` of yaw and gradually from :data:`FRONTALISE_FROM`. ``yaw > 0`` means
    the nose points to the image's right, so the image's left half is the near one.
    """
    import genetics.offline.geometry as geometry

    size = aligned.shape[0]
    symmetric = symmetric_shape(landmarks)
    mesh_src = geometry.mesh_points(landmarks)
    mesh_dst = geometry.mesh_points(symmetric)
    warped = geometry.warp(aligned, mesh_src, mesh_dst, geometry.triangulate(mesh_dst))
    centre = float(np.mean(symmetric[[27, 30, 33, 51, 57, 8], 0])) * size
    xs = np.arange(size, dtype=np.float32)
    map_x = np.tile((2.0 * centre - xs).astype(np.float32), (size, 1))
    map_y = np.tile(np.arange(size, dtype=np.float32)[:, None], (1, size))
    mirrored = cv2.remap(warped, map_x, map_y, cv2.INTER_LINEAR, borderMode=cv2.BORDER_REFLECT)
    strength = float(np.clip((abs(yaw) - FRONTALISE_FROM) / (FRONTALISE_FULL - FRONTALISE_FROM), 0, 1))
    # A soft step across the midline, about a nose width wide, so no seam shows down the face.
    far_sign = 1.0 if yaw > 0 else -1.0
    ramp = np.clip((xs - centre) * far_sign / (0.03 * size) + 0.5, 0.0, 1.0)
    weight = (strength * (ramp * ramp * (3.0 - 2.0 * ramp)))[None, :, None]
    out = warped.astype(np.float32) * (1.0 - weight) + mirrored.astype(np.float32) * weight
    return np.clip(out + 0.5, 0, 255).astype(np.uint8), symmetric
