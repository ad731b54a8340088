"""Faces dlib's HOG detector is unsure of, confirmed by its CNN face detector.

The HOG detector scores a face hidden by sunglasses, a hat's brim or a beard under
:data:`~genetics.faces.MIN_SCORE` (the threshold that keeps hands and helmets out): a frontal CC0
portrait of a bearded man in a hat and sunglasses scored 0.14 and was refused as "no face". When no
face reaches that score, the gate (:func:`genetics.gate.gate_face`) takes the weaker detections
(down to :data:`WEAK_SCORE`) that dlib's CNN detector (``mmod_human_face_detector.dat``, shipped in
``face_recognition_models``) also finds in a crop around them. The CNN is slow on a whole photo
(about 6 s for 500 px on two cores), so it reads only those crops, scaled small. The HOG box and
its landmarks are kept: alignment stays the same for every face.

Such a face is accepted only while nearly frontal (:data:`WEAK_MAX_YAW`): the landmarks of a face
the detector hardly sees are unreliable when turned too (a CC0 man turned about 60° read yaw 0.47,
inside :data:`~genetics.faces.MAX_YAW`), so a turned one is refused as turned.
"""

from __future__ import annotations

import functools
from typing import Any

import cv2
import numpy as np

from genetics.engine import FaceBox
from genetics.faces import DetectedFace, box_iou, detect_faces, model_path

CNN_DETECTOR_MODEL = "mmod_human_face_detector.dat"

WEAK_SCORE = -0.5
"""Lowest HOG score looked at again. Refused CC0 portraits scored 0.14 (a hat, sunglasses and a
beard, frontal), 0.11, 0.05 and -0.05 (turned 40-60°) and -0.39 (sunglasses, turned and tilted)."""

WEAK_MAX_YAW = 0.3
"""Largest |yaw| (:func:`~genetics.faces.estimate_yaw`, about 25°) of a confirmed weak face."""

CNN_FACE_SIDE = 120
"""Face width (pixels) a weak face's crop is scaled to for the CNN, whose window is 80 px."""

CNN_MIN_IOU = 0.3
"""Overlap (intersection over union) of the CNN's box with the HOG box that confirms a face: the
CNN frames a face tighter and lower than HOG (0.45-0.7 on the CC0 portraits)."""


@functools.lru_cache(maxsize=1)
def _cnn_detector() -> Any:
    import dlib

    return dlib.cnn_face_detection_model_v1(str(model_path(CNN_DETECTOR_MODEL)))


def confirmed_weak_faces(image: np.ndarray) -> list[DetectedFace]:
    """Return the faces of RGB uint8 ``image`` that HOG scores from :data:`WEAK_SCORE` and the CNN
    detector also finds, best HOG score first."""
    return [face for face in detect_faces(image, upsample=1, min_score=WEAK_SCORE) if _cnn_finds(image, face.box)]


def _cnn_finds(image: np.ndarray, box: FaceBox) -> bool:
    height, width = image.shape[:2]
    pad = max(box.width, box.height) // 2
    left, top = max(box.left - pad, 0), max(box.top - pad, 0)
    right, bottom = min(box.right + pad, width), min(box.bottom + pad, height)
    if right <= left or bottom <= top:
        return False
    scale = CNN_FACE_SIDE / max(box.width, 1)
    crop = np.ascontiguousarray(image[top:bottom, left:right])
    interpolation = cv2.INTER_AREA if scale < 1.0 else cv2.INTER_CUBIC
    crop = cv2.resize(crop, None, fx=scale, fy=scale, interpolation=interpolation)
    for found in _cnn_detector()(crop, 0):
        rect = found.rect
        mapped = FaceBox(
            left=round(rect.left() / scale) + left,
            top=round(rect.top() / scale) + top,
            right=round((rect.right() + 1) / scale) + left,
            bottom=round((rect.bottom() + 1) / scale) + top,
        )
        if box_iou(mapped, box) >= CNN_MIN_IOU:
            return True
    return False
