"""Face detection, choice and FFHQ alignment on public-domain and generated images."""

from __future__ import annotations

import subprocess
import sys

import cv2
import numpy as np
import pytest

from genetics import faces
from genetics.engine import FaceBox
from genetics.errors import (
    FaceCutOff,
    FaceNotFrontal,
    FaceTooSmall,
    InvalidImage,
    MultipleFacesFound,
    NoFaceFound,
)


def test_genetics_imports_without_django() -> None:
    code = (
        "import sys, genetics, genetics.faces, genetics.samples, genetics.metrics, "
        "genetics.offline, genetics.registry, genetics.cli, genetics.evaluation; "
        "assert 'django' not in sys.modules, 'django imported'"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_astronaut_has_one_frontal_face(astronaut_image: np.ndarray) -> None:
    found = faces.detect_faces(astronaut_image)
    assert len(found) == 1
    face = faces.choose_face(found)
    # The face sits in the upper middle of the 512² portrait.
    assert 150 < face.box.left < 200 and 50 < face.box.top < 100
    assert 80 < face.box.width < 110
    assert face.landmarks.shape == (68, 2)
    assert abs(face.yaw) < 0.1
    # Eyes above the nose tip, nose tip above the mouth.
    eyes_y = face.landmarks[36:48, 1].mean()
    assert eyes_y < face.landmarks[30, 1] < face.landmarks[48:68, 1].mean()


def test_detection_on_downscaled_copy_maps_back_to_original_pixels(hopper_image: np.ndarray) -> None:
    full = faces.detect_faces(hopper_image)[0]
    small = faces.detect_faces(hopper_image, max_side=300)[0]
    assert faces.box_iou(full.box, small.box) > 0.7
    # Landmarks are predicted on the original pixels in both cases.
    assert np.abs(full.landmarks - small.landmarks).mean() < 4.0


def test_align_ffhq_puts_the_eyes_where_ffhq_does(hopper_image: np.ndarray) -> None:
    face = faces.choose_face(faces.detect_faces(hopper_image))
    aligned = faces.align_ffhq(hopper_image, face.landmarks, output_size=256)
    assert aligned.shape == (256, 256, 3) and aligned.dtype == np.uint8
    moved = faces.align_landmarks(face.landmarks, 256)
    # In FFHQ crops the eyes are level, about 0.25 of the side apart, 0.4 from the top.
    left, right = moved[36:42].mean(axis=0), moved[42:48].mean(axis=0)
    assert abs(left[1] - right[1]) < 2.0
    assert 0.2 < (right[0] - left[0]) / 256 < 0.3
    assert 0.35 < (left[1] + right[1]) / 2 / 256 < 0.5
    # The detector finds the face again, with landmarks where the transform put them.
    again = faces.detect_faces(aligned)
    assert len(again) == 1
    assert np.abs(again[0].landmarks - moved).mean() < 3.0


def test_align_ffhq_pads_when_the_square_leaves_the_photo(astronaut_image: np.ndarray) -> None:
    face = faces.choose_face(faces.detect_faces(astronaut_image))
    # Crop tight around the face: the FFHQ square (about 2.5 face widths) must be padded.
    crop = np.ascontiguousarray(astronaut_image[40:220, 140:300])
    shifted = face.landmarks - np.array([140.0, 40.0])
    aligned = faces.align_ffhq(crop, shifted, output_size=128, transform_size=256)
    assert aligned.shape == (128, 128, 3)
    # The padded corner is a blurred, median-coloured fill: nearly flat, not a mirrored face.
    assert aligned[:12, :12].std() < 20


def test_blank_image_has_no_face() -> None:
    blank = np.full((200, 200, 3), 128, dtype=np.uint8)
    assert faces.detect_faces(blank) == []
    with pytest.raises(NoFaceFound, match="No face") as info:
        faces.choose_face(faces.detect_faces(blank))
    # What the user can change: the face's turn, sunglasses, a hat.
    assert all(word in str(info.value) for word in ("turned", "sunglasses", "hat"))


@pytest.mark.parametrize(
    "bad",
    [
        np.zeros((64, 64), dtype=np.uint8),
        np.zeros((64, 64, 4), dtype=np.uint8),
        np.zeros((64, 64, 3), dtype=np.float32),
        np.zeros((4, 4, 3), dtype=np.uint8),
        [[1, 2, 3]],
    ],
)
def test_bad_arrays_are_invalid_images(bad: object) -> None:
    with pytest.raises(InvalidImage):
        faces.detect_faces(bad)  # type: ignore[arg-type]


def _two_faces(astronaut_image: np.ndarray, hopper_image: np.ndarray) -> np.ndarray:
    left = cv2.resize(astronaut_image[40:300, 110:330], (220, 260))
    right = cv2.resize(hopper_image[80:400, 120:420], (220, 260))
    return np.ascontiguousarray(np.concatenate([left, right], axis=1))


def test_two_faces_need_a_choice(astronaut_image: np.ndarray, hopper_image: np.ndarray) -> None:
    pair = _two_faces(astronaut_image, hopper_image)
    found = faces.detect_faces(pair)
    assert len(found) == 2
    with pytest.raises(MultipleFacesFound) as info:
        faces.choose_face(found)
    assert len(info.value.boxes) == 2
    assert "2 faces" in str(info.value)
    # Choosing a box picks the face that overlaps it most.
    right_box = FaceBox(left=260, top=40, right=420, bottom=220)
    chosen = faces.choose_face(found, right_box)
    assert chosen.box.left >= 220
    nowhere = FaceBox(left=0, top=240, right=20, bottom=259)
    with pytest.raises(NoFaceFound, match="chosen area"):
        faces.choose_face(found, nowhere)


def test_tiny_face_is_too_small(astronaut_image: np.ndarray) -> None:
    # The astronaut's face scaled to 30% (about 27 px): below the gate's 36 px minimum.
    face = faces.detect_faces(astronaut_image)[0]
    box = face.box
    tiny = faces.DetectedFace(
        box=faces.FaceBox(int(box.left * 0.3), int(box.top * 0.3), int(box.right * 0.3), int(box.bottom * 0.3)),
        landmarks=face.landmarks * 0.3,
        yaw=face.yaw,
        image_size=(154, 154),
    )
    assert tiny.box.width < faces.MIN_FACE_SIDE
    with pytest.raises(FaceTooSmall, match="too small"):
        faces.choose_face([tiny])


def test_face_cut_by_the_border(astronaut_image: np.ndarray) -> None:
    # Cut the photo through the left cheek: dlib still finds the face, landmarks run off the edge.
    crop = np.ascontiguousarray(astronaut_image[:, 190:])
    found = faces.detect_faces(crop)
    assert len(found) == 1
    with pytest.raises(FaceCutOff, match="cut off"):
        faces.choose_face(found)


def test_turned_face_is_not_frontal(astronaut_image: np.ndarray) -> None:
    # A three-quarter view (the image's left half of the face squeezed to 40%, a 2-D stand-in for
    # a turn) is accepted; a near-profile (nose bridge 85% of the way to a jaw end) is not.
    height, width = astronaut_image.shape[:2]
    centre = 220.0
    xs = np.arange(width, dtype=np.float32)
    source_x = np.where(xs < centre, centre - (centre - xs) / 0.4, xs).astype(np.float32)
    map_x = np.tile(source_x, (height, 1))
    map_y = np.tile(np.arange(height, dtype=np.float32)[:, None], (1, width))
    turned = cv2.remap(astronaut_image, map_x, map_y, cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE)
    found = faces.detect_faces(turned)
    assert len(found) == 1 and 0.2 < abs(found[0].yaw) < faces.MAX_YAW
    assert faces.choose_face(found) is found[0]
    face = faces.detect_faces(astronaut_image)[0]
    lm = face.landmarks.copy()
    lm[27:31, 0] += 0.85 * (lm[16, 0] - lm[27:31, 0])
    profile = faces.DetectedFace(box=face.box, landmarks=lm, yaw=faces.estimate_yaw(lm), image_size=face.image_size)
    assert abs(profile.yaw) > faces.MAX_YAW
    with pytest.raises(FaceNotFrontal, match="turned"):
        faces.choose_face([profile])


def test_yaw_estimate_is_symmetric_and_ignores_roll(astronaut_image: np.ndarray) -> None:
    face = faces.detect_faces(astronaut_image)[0]
    lm = face.landmarks
    mirrored = faces.detect_faces(np.ascontiguousarray(astronaut_image[:, ::-1]))[0]
    assert mirrored.yaw == pytest.approx(-face.yaw, abs=0.02)
    angle = np.deg2rad(30)
    rotation = np.array([[np.cos(angle), -np.sin(angle)], [np.sin(angle), np.cos(angle)]])
    assert faces.estimate_yaw(lm @ rotation.T) == pytest.approx(faces.estimate_yaw(lm), abs=1e-9)
    # Nose moved onto the right jaw end: a full profile.
    profile = lm.copy()
    profile[27:31, 0] = lm[16, 0]
    assert faces.estimate_yaw(profile) == pytest.approx(1.0)


def test_model_files_are_found_without_importing_the_package() -> None:
    assert faces.model_path(faces.LANDMARKS_MODEL).stat().st_size > 1_000_000
    with pytest.raises(FileNotFoundError):
        faces.model_path("missing.dat")


def test_large_photo_gives_the_landmarks_of_whole_photo_detection(hopper_image: np.ndarray) -> None:
    # Grace Hopper enlarged 2x (1200x1024) is longer than max_side, so it is searched downscaled
    # first; the official code runs dlib on the whole photo. A box from the downscaled copy alone
    # moved the landmarks by 18 px here.
    large = cv2.resize(hopper_image, None, fx=2, fy=2, interpolation=cv2.INTER_CUBIC)
    official = faces._detector()(large, 1)[0]
    expected = np.array([[p.x, p.y] for p in faces._predictor()(large, official).parts()], dtype=np.float64)
    (face,) = faces.detect_faces(large)
    assert face.box.as_list() == [official.left(), official.top(), official.right() + 1, official.bottom() + 1]
    assert np.abs(face.landmarks - expected).max() <= 1.0
    assert np.array_equal(faces.align_ffhq(large, face.landmarks), faces.align_ffhq(large, expected))
    # With no budget for a full-resolution pass the downscaled boxes are used: still one face.
    (coarse,) = faces.detect_faces(large, refine_pixels=0)
    assert abs(coarse.box.left - face.box.left) < face.box.width // 4
