"""Find faces with dlib, pick the one the caller means, and align it the FFHQ way.

dlib's HOG frontal detector and 68-point shape predictor ship in the ``face_recognition_models``
wheel; they are located through ``importlib`` (importing that package needs the removed
``pkg_resources``) and loaded lazily, once per process. Unlike the official StyleGene code, nothing
here falls back silently to the raw image: every problem raises a :mod:`genetics.errors` exception
with a sentence a user can act on.
"""

from __future__ import annotations

import functools
import importlib.util
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import cv2
import numpy as np
import scipy.ndimage
from PIL import Image

from genetics.engine import FaceBox
from genetics.errors import (
    FaceCutOff,
    FaceNotFrontal,
    FaceTooSmall,
    InvalidImage,
    MultipleFacesFound,
    NoFaceFound,
)

LANDMARKS_MODEL = "shape_predictor_68_face_landmarks.dat"
EMBEDDING_MODEL = "dlib_face_recognition_resnet_model_v1.dat"

MIN_FACE_SIDE = 36
"""Smallest detector box side (pixels) accepted; :mod:`genetics.gate` enlarges faces below 64 px
and flags them ``low_resolution``. Under about 36 px the 68 landmarks no longer find the eyes."""

MIN_SCORE = 0.3
"""HOG detector score threshold; dlib's default 0 lets through hands and helmets (astronaut photo)."""

MAX_YAW = 0.65
"""Largest accepted |yaw| estimate (see :func:`estimate_yaw`), about 45° of head turn.

With the nose bridge about 0.64 jaw half-widths in front of the jaw ends, the estimate is
``0.64 · tan(turn)``: 0.3 at 25°, 0.64 at 45°; a profile (the nose past a jaw end) reads 1."""

CUT_OFF_MARGIN = 0.04
"""Fraction of the face width a landmark may lie outside the image before the face counts as cut."""


@dataclass(frozen=True)
class DetectedFace:
    """One detected face: its box and 68 landmarks in original-image pixels.

    ``landmarks`` is ``[68, 2]`` float64 (x, y) in the iBUG 300-W order; ``score`` is the HOG
    detector's confidence; ``yaw`` is :func:`estimate_yaw` of the landmarks (0 = frontal);
    ``image_size`` is the (height, width) of the image the face was found in.
    """

    box: FaceBox
    landmarks: np.ndarray
    score: float = 0.0
    yaw: float = 0.0
    image_size: tuple[int, int] = (0, 0)


def model_dir() -> Path:
    """Return the folder holding dlib's model files from the ``face_recognition_models`` wheel."""
    spec = importlib.util.find_spec("face_recognition_models")
    if spec is None or not spec.submodule_search_locations:
        raise FileNotFoundError("the face_recognition_models package is not installed; install requirements/ml.txt")
    return Path(list(spec.submodule_search_locations)[0]) / "models"


def model_path(name: str) -> Path:
    """Return the path of one dlib model file, checking that it exists."""
    path = model_dir() / name
    if not path.is_file():
        raise FileNotFoundError(f"dlib model file {name} is missing from {path.parent}")
    return path


@functools.lru_cache(maxsize=1)
def _detector() -> Any:
    import dlib

    return dlib.get_frontal_face_detector()


@functools.lru_cache(maxsize=1)
def _predictor() -> Any:
    import dlib

    return dlib.shape_predictor(str(model_path(LANDMARKS_MODEL)))


def check_image(image: Any) -> np.ndarray:
    """Return ``image`` as a C-contiguous RGB uint8 ``[H, W, 3]`` array or raise InvalidImage."""
    if not isinstance(image, np.ndarray):
        raise InvalidImage(f"expected a numpy array, got {type(image).__name__}")
    if image.dtype != np.uint8:
        raise InvalidImage(f"expected an 8-bit image (uint8), got {image.dtype}")
    if image.ndim != 3 or image.shape[2] != 3:
        raise InvalidImage(f"expected an RGB image of shape [H, W, 3], got {list(image.shape)}")
    if image.shape[0] < 8 or image.shape[1] < 8:
        raise InvalidImage(f"the image is too small ({image.shape[1]}x{image.shape[0]} pixels)")
    return np.ascontiguousarray(image)


def estimate_yaw(landmarks: np.ndarray) -> float:
    """Return a signed head-turn estimate in [-1, 1] from 68 landmarks (0 = frontal).

    It compares the nose bridge's distance to the left and right jaw ends, measured along the eye
    axis so that head roll does not count: a frontal face is symmetric (0), a profile puts the nose
    on one jaw end (±1). Positive means the nose sits towards the image's right.
    """
    lm = np.asarray(landmarks, dtype=np.float64)
    axis = lm[42:48].mean(axis=0) - lm[36:42].mean(axis=0)
    norm = float(np.hypot(*axis))
    if norm == 0.0:
        return 0.0
    axis /= norm
    nose = lm[27:31].mean(axis=0) @ axis
    left = nose - lm[0] @ axis
    right = lm[16] @ axis - nose
    total = abs(left) + abs(right)
    return 0.0 if total == 0.0 else float(np.clip((left - right) / total, -1.0, 1.0))


YAW_REMEASURE_FROM = 0.2
"""|yaw| from which :func:`face_yaw` measures the turn again on the face with its far half stretched."""

YAW_ROUNDS = 2
"""Stretch-and-measure rounds of :func:`face_yaw` (a squeeze to 0.15 of the width needs two)."""


def face_yaw(image: np.ndarray, box: FaceBox, landmarks: np.ndarray) -> float:
    """Return the face's head turn as :func:`estimate_yaw` reads it, also when the far half is
    squeezed more than the landmark predictor can follow.

    dlib's 68-point predictor starts from a mean face and cannot follow a far half squeezed to
    less than about half its width: its landmarks stall near a yaw of 0.4 however far the head is
    turned. So from :data:`YAW_REMEASURE_FROM` up to :data:`MAX_YAW` the far half is stretched
    along the eye axis by the squeeze the landmarks read (near/far widths of ``(1 ± yaw)``), the
    landmarks are predicted again in a box symmetric about the nose, and the squeezes of the
    rounds multiply. A real three-quarter view, stretched so, reads frontal and keeps its
    estimate; a face squeezed further reads the rest. Beyond ``MAX_YAW`` the landmarks already
    say profile and are taken as they are.
    """
    lm = np.asarray(landmarks, dtype=np.float64)
    yaw = estimate_yaw(lm)
    if not YAW_REMEASURE_FROM <= abs(yaw) <= MAX_YAW:
        return yaw
    axis = lm[42:48].mean(axis=0) - lm[36:42].mean(axis=0)
    axis /= max(float(np.hypot(*axis)), 1e-9)
    nose = lm[27:31].mean(axis=0)
    sign = 1.0 if yaw > 0 else -1.0  # yaw > 0: the nose points right, the image-right half is far
    near = max(float(nose[0] - box.left) if sign > 0 else float(box.right - nose[0]), 8.0)
    ratio = 1.0
    for _ in range(YAW_ROUNDS):
        ratio = max(ratio * _far_over_near(yaw, sign), 0.02)
        stretched, local_box = _stretch_far_half(image, nose, axis, sign, ratio, near, box)
        yaw = estimate_yaw(landmarks_in_box(stretched, local_box))
        if abs(yaw) < 0.05:
            break
    total = ratio * _far_over_near(yaw, sign)
    return float(np.clip(sign * (1.0 - total) / (1.0 + total), -1.0, 1.0))


def _far_over_near(yaw: float, sign: float) -> float:
    """Return the far half's width over the near half's that ``yaw`` means (turned towards ``sign``)."""
    turn = float(np.clip(sign * yaw, -0.95, 0.95))
    return (1.0 - turn) / (1.0 + turn)


def _stretch_far_half(
    image: np.ndarray, nose: np.ndarray, axis: np.ndarray, sign: float, ratio: float, near: float, box: FaceBox
) -> tuple[np.ndarray, FaceBox]:
    """Return a picture around the face with its far half stretched by ``1 / ratio`` along
    ``axis`` from the nose, and the face box there, symmetric about the nose."""
    margin = 0.5 * near
    left, top = int(np.floor(nose[0] - near - margin)), int(np.floor(box.top - margin))
    width, height = int(np.ceil(2 * (near + margin))), int(np.ceil(box.height + 2 * margin))
    ys, xs = np.mgrid[top : top + height, left : left + width].astype(np.float32)
    along = (xs - nose[0]) * axis[0] + (ys - nose[1]) * axis[1]
    # Each far-side pixel samples the photo ``ratio`` times as far from the nose line.
    shift = np.where(along * sign > 0, along * (ratio - 1.0), 0.0).astype(np.float32)
    stretched = cv2.remap(
        image,
        xs + shift * float(axis[0]),
        ys + shift * float(axis[1]),
        cv2.INTER_LINEAR,
        borderMode=cv2.BORDER_REPLICATE,
    )
    centre = nose[0] - left
    local = FaceBox(
        left=round(centre - near), top=round(box.top - top), right=round(centre + near), bottom=round(box.bottom - top)
    )
    return np.ascontiguousarray(stretched), local


REFINE_PIXELS = 2048 * 2048
"""Largest region (pixels) of a big photo that detection re-reads at full resolution: with one
upsampling dlib needs about 45 bytes and 0.7 ms of CPU per pixel, so about 190 MB and 3 s here."""


def detect_faces(
    image: np.ndarray,
    *,
    max_side: int = 1024,
    upsample: int = 1,
    min_score: float = MIN_SCORE,
    refine_pixels: int = REFINE_PIXELS,
) -> list[DetectedFace]:
    """Return every face dlib finds in an RGB uint8 ``[H, W, 3]`` image, best score first.

    Boxes and landmarks equal those of dlib run on the whole photo (what the official StyleGene
    code does) while memory stays bounded. A photo longer than ``max_side`` is first searched in
    a downscaled copy; the region from the photo's top-left corner to half a face width past the
    faces found is then searched again at full resolution. dlib's HOG pyramid and feature cells
    are anchored at the image origin, so a crop that starts there gives the very boxes the whole
    photo would, and the 68-point predictor, which starts from the box, the very landmarks (a box
    from the downscaled copy moves them by up to 38 px). When that region is larger than
    ``refine_pixels``, a crop centred on the faces is searched instead (boxes then agree to a few
    pixels, not exactly).
    """
    image = check_image(image)
    height, width = image.shape[:2]
    rects, offset = _detect(image, height, width, max_side, upsample, min_score, refine_pixels)
    import dlib

    faces = []
    for rect, score in rects:
        left, top, right, bottom = (int(v) for v in rect)
        box = FaceBox(left=left + offset[0], top=top + offset[1], right=right + offset[0], bottom=bottom + offset[1])
        shape = _predictor()(image, dlib.rectangle(box.left, box.top, box.right - 1, box.bottom - 1))
        landmarks = np.array([[p.x, p.y] for p in shape.parts()], dtype=np.float64)
        faces.append(
            DetectedFace(
                box=box,
                landmarks=landmarks,
                score=float(score),
                yaw=face_yaw(image, box, landmarks),
                image_size=(height, width),
            )
        )
    faces.sort(key=lambda face: -face.score)
    return faces


def _run_detector(
    image: np.ndarray, upsample: int, min_score: float, scale: float = 1.0
) -> list[tuple[tuple[float, float, float, float], float]]:
    """Return ``((left, top, right, bottom), score)`` per detection, right/bottom exclusive, / scale."""
    rects, scores, _ = _detector().run(image, upsample, min_score)
    return [
        (
            (
                round(r.left() / scale),
                round(r.top() / scale),
                round((r.right() + 1) / scale),
                round((r.bottom() + 1) / scale),
            ),
            float(score),
        )
        for r, score in zip(rects, scores)
    ]


def _detect(
    image: np.ndarray, height: int, width: int, max_side: int, upsample: int, min_score: float, refine_pixels: int
) -> tuple[list[tuple[tuple[float, float, float, float], float]], tuple[int, int]]:
    """Return detections and the offset of the region they were found in (see detect_faces)."""
    scale = min(1.0, max_side / max(height, width))
    if scale == 1.0:
        return _run_detector(image, upsample, min_score), (0, 0)
    small = cv2.resize(
        image, (max(1, round(width * scale)), max(1, round(height * scale))), interpolation=cv2.INTER_AREA
    )
    coarse = _run_detector(small, upsample, min_score, scale)
    if not coarse:
        return [], (0, 0)
    # Half a face of context past the faces is what the detector's window needs.
    margin = max(max(r - left, b - top) for (left, top, r, b), _ in coarse) // 2
    right = min(width, max(r for (_, _, r, _), _ in coarse) + margin)
    bottom = min(height, max(b for (_, _, _, b), _ in coarse) + margin)
    left = top = 0
    if right * bottom > refine_pixels:
        left = max(0, min(c[0][0] for c in coarse) - margin)
        top = max(0, min(c[0][1] for c in coarse) - margin)
        if (right - left) * (bottom - top) > refine_pixels:
            return coarse, (0, 0)  # many faces far apart: the downscaled boxes are all we afford
    found = _run_detector(np.ascontiguousarray(image[top:bottom, left:right]), upsample, min_score)
    # A face found only in the downscaled copy keeps its coarse box rather than being lost.
    return (found, (left, top)) if len(found) >= len(coarse) else (coarse, (0, 0))


def landmarks_in_box(image: np.ndarray, box: FaceBox) -> np.ndarray:
    """Return the 68 landmarks ``[68, 2]`` dlib predicts for the face inside ``box``."""
    import dlib

    shape = _predictor()(check_image(image), dlib.rectangle(box.left, box.top, box.right - 1, box.bottom - 1))
    return np.array([[p.x, p.y] for p in shape.parts()], dtype=np.float64)


def box_iou(a: FaceBox, b: FaceBox) -> float:
    """Return the intersection-over-union of two boxes (0 when they do not overlap)."""
    width = min(a.right, b.right) - max(a.left, b.left)
    height = min(a.bottom, b.bottom) - max(a.top, b.top)
    if width <= 0 or height <= 0:
        return 0.0
    inter = width * height
    return inter / float(a.width * a.height + b.width * b.height - inter)


def choose_face(
    faces: list[DetectedFace], box: FaceBox | None = None, *, min_side: int = MIN_FACE_SIDE, max_yaw: float = MAX_YAW
) -> DetectedFace:
    """Return the face the caller means, checking it is usable for alignment.

    With ``box`` the face overlapping it most is taken; without it the photo must hold exactly one
    face. Raises NoFaceFound, MultipleFacesFound (with every box), FaceTooSmall, FaceCutOff or
    FaceNotFrontal.
    """
    if not faces:
        # The detector cannot say why; these are what it missed on real photos (CC0 portraits).
        raise NoFaceFound(
            "No face was found in this photo. A face turned more than about 45° to the side, "
            "looking up or down, or hidden by sunglasses or a hat's brim cannot be read. Use a photo "
            "where the face is clearly visible, looking towards the camera."
        )
    if box is not None:
        overlaps = [box_iou(box, face.box) for face in faces]
        best = int(np.argmax(overlaps))
        if overlaps[best] <= 0.0:
            raise NoFaceFound(
                "No face was found inside the chosen area of the photo. Choose the rectangle around the face again."
            )
        face = faces[best]
    elif len(faces) > 1:
        raise MultipleFacesFound(
            f"This photo shows {len(faces)} faces. Choose which one to use.", [f.box for f in faces]
        )
    else:
        face = faces[0]
    _check_usable(face, min_side=min_side, max_yaw=max_yaw)
    return face


def _check_usable(face: DetectedFace, *, min_side: int, max_yaw: float) -> None:
    side = min(face.box.width, face.box.height)
    if side < min_side:
        raise FaceTooSmall(
            f"The face is too small ({side} pixels across; at least {min_side} are "
            "needed). Use a larger or sharper photo of this person."
        )
    height, width = face.image_size
    if height and width:
        margin = CUT_OFF_MARGIN * face.box.width
        lm = face.landmarks
        outside = (
            (lm[:, 0] < -margin)
            | (lm[:, 0] > width - 1 + margin)
            | (lm[:, 1] < -margin)
            | (lm[:, 1] > height - 1 + margin)
        )
        # The predictor pulls the outline back inside the photo, so the detector's box, which reaches
        # past the edge, tells a face cut at the side even when every landmark lands inside.
        box_margin = 2 * CUT_OFF_MARGIN * face.box.width
        box_outside = (
            face.box.left < -box_margin
            or face.box.right > width + box_margin
            or face.box.top < -box_margin
            or face.box.bottom > height + box_margin
        )
        if outside.any() or box_outside:
            raise FaceCutOff("The face is cut off by the edge of the photo. Use a photo that shows the whole face.")
    if abs(face.yaw) > max_yaw:
        raise FaceNotFrontal(
            "The face is turned too far to the side (a profile or nearly): both eyes "
            "and both sides of the mouth must show. Use a photo where the person "
            "looks more towards the camera."
        )


@dataclass(frozen=True)
class FfhqQuad:
    """The oriented square FFHQ crops: corners ``[4, 2]`` (top-left, bottom-left, bottom-right,
    top-right) in image pixels, and its side length ``qsize``."""

    corners: np.ndarray
    qsize: float


def ffhq_quad(landmarks: np.ndarray) -> FfhqQuad:
    """Return the FFHQ crop square for 68 landmarks (eyes and mouth corners fix it)."""
    lm = np.asarray(landmarks, dtype=np.float64)
    eye_left = lm[36:42].mean(axis=0)
    eye_right = lm[42:48].mean(axis=0)
    eye_avg = (eye_left + eye_right) * 0.5
    eye_to_eye = eye_right - eye_left
    mouth_avg = (lm[48] + lm[54]) * 0.5
    eye_to_mouth = mouth_avg - eye_avg
    # x points right along the eyes, tilted by the eye-to-mouth line rotated by 90°.
    x = eye_to_eye - np.flipud(eye_to_mouth) * np.array([-1.0, 1.0])
    x /= np.hypot(*x)
    x *= max(np.hypot(*eye_to_eye) * 2.0, np.hypot(*eye_to_mouth) * 1.8)
    y = np.flipud(x) * np.array([-1.0, 1.0])
    centre = eye_avg + eye_to_mouth * 0.1
    corners = np.stack([centre - x - y, centre - x + y, centre + x + y, centre + x - y])
    return FfhqQuad(corners=corners, qsize=float(np.hypot(*x) * 2.0))


def ffhq_affine(landmarks: np.ndarray, output_size: int) -> np.ndarray:
    """Return the ``[2, 3]`` affine map from image pixels to :func:`align_ffhq` output pixels."""
    quad = ffhq_quad(landmarks).corners
    # The quad's corners land on the output's outer pixel edges; pixel centres sit at index + 0.5.
    src = quad[[0, 1, 3]].astype(np.float32)
    dst = np.array([[0, 0], [0, output_size], [output_size, 0]], dtype=np.float32)
    affine = cv2.getAffineTransform(src, dst).astype(np.float64)
    affine[:, 2] -= 0.5
    return affine


def ffhq_coverage(image_shape: tuple[int, ...], landmarks: np.ndarray, output_size: int) -> np.ndarray:
    """Return float32 ``[output_size, output_size]``: 1 where :func:`align_ffhq`'s output shows
    the photo, 0 where it shows padding (the square past the photo's edge, filled by reflection
    and blur), ramping over 2 % of the square at the photo's edge."""
    inverse = cv2.invertAffineTransform(ffhq_affine(landmarks, output_size))
    xs = np.arange(output_size, dtype=np.float64)[None, :]
    ys = np.arange(output_size, dtype=np.float64)[:, None]
    px = inverse[0, 0] * xs + inverse[0, 1] * ys + inverse[0, 2]
    py = inverse[1, 0] * xs + inverse[1, 1] * ys + inverse[1, 2]
    height, width = image_shape[:2]
    inside = np.minimum(np.minimum(px + 0.5, width - 0.5 - px), np.minimum(py + 0.5, height - 0.5 - py))
    ramp = 0.02 * ffhq_quad(landmarks).qsize
    return np.clip(inside / max(ramp, 1.0), 0.0, 1.0).astype(np.float32)


def align_landmarks(landmarks: np.ndarray, output_size: int) -> np.ndarray:
    """Return the landmarks ``[68, 2]`` moved into the frame :func:`align_ffhq` produces."""
    lm = np.asarray(landmarks, dtype=np.float64)
    affine = ffhq_affine(lm, output_size)
    return lm @ affine[:, :2].T + affine[:, 2]


def align_ffhq(
    image: np.ndarray, landmarks: np.ndarray, *, output_size: int = 256, transform_size: int = 1024
) -> np.ndarray:
    """Return the FFHQ-aligned face crop, RGB uint8 ``[output_size, output_size, 3]``.

    Follows the FFHQ recipe StyleGene uses: oriented square from eyes and mouth, pre-shrink of very
    large faces, crop with a border, reflect padding blended into a blurred, median-coloured edge
    where the square leaves the photo, a bilinear QUAD transform to ``transform_size`` and a Lanczos
    resize to ``output_size``.
    """
    image = check_image(image)
    quad_info = ffhq_quad(landmarks)
    quad, qsize = quad_info.corners.copy(), quad_info.qsize
    img = Image.fromarray(image)

    shrink = int(np.floor(qsize / output_size * 0.5))
    if shrink > 1:
        size = (int(np.rint(img.size[0] / shrink)), int(np.rint(img.size[1] / shrink)))
        img = img.resize(size, Image.LANCZOS)
        quad /= shrink
        qsize /= shrink

    border = max(int(np.rint(qsize * 0.1)), 3)
    crop = (
        max(int(np.floor(quad[:, 0].min())) - border, 0),
        max(int(np.floor(quad[:, 1].min())) - border, 0),
        min(int(np.ceil(quad[:, 0].max())) + border, img.size[0]),
        min(int(np.ceil(quad[:, 1].max())) + border, img.size[1]),
    )
    if crop[2] - crop[0] < img.size[0] or crop[3] - crop[1] < img.size[1]:
        img = img.crop(crop)
        quad -= crop[:2]

    pad = (
        max(border - int(np.floor(quad[:, 0].min())), 0),
        max(border - int(np.floor(quad[:, 1].min())), 0),
        max(int(np.ceil(quad[:, 0].max())) - img.size[0] + border, 0),
        max(int(np.ceil(quad[:, 1].max())) - img.size[1] + border, 0),
    )
    if max(pad) > border - 4:
        img, quad = _pad_reflect(img, quad, qsize, pad)

    img = img.transform((transform_size, transform_size), Image.QUAD, (quad + 0.5).flatten(), Image.BILINEAR)
    if output_size < transform_size:
        img = img.resize((output_size, output_size), Image.LANCZOS)
    return np.asarray(img, dtype=np.uint8)


def _pad_reflect(
    img: Image.Image, quad: np.ndarray, qsize: float, pad: tuple[int, int, int, int]
) -> tuple[Image.Image, np.ndarray]:
    # Mirror the photo past its edges, then fade the mirrored band into a blur and then into the
    # median colour, so no mirrored face parts show in the aligned crop.
    left, top, right, bottom = np.maximum(pad, int(np.rint(qsize * 0.3)))
    arr = np.pad(np.asarray(img, dtype=np.float32), ((top, bottom), (left, right), (0, 0)), "reflect")
    height, width = arr.shape[:2]
    ys, xs = np.ogrid[:height, :width]
    xs = xs.astype(np.float32)
    ys = ys.astype(np.float32)
    mask = np.maximum(
        1.0 - np.minimum(xs / left, (width - 1 - xs) / right), 1.0 - np.minimum(ys / top, (height - 1 - ys) / bottom)
    )[..., None]
    sigma = qsize * 0.02
    arr += (scipy.ndimage.gaussian_filter(arr, [sigma, sigma, 0]) - arr) * np.clip(mask * 3.0 + 1.0, 0, 1)
    arr += (np.median(arr, axis=(0, 1)) - arr) * np.clip(mask, 0.0, 1.0)
    out = Image.fromarray(np.uint8(np.clip(np.rint(arr), 0, 255)), "RGB")
    return out, quad + np.array([left, top], dtype=np.float64)
