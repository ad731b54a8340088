"""StyleGene's parents pass the shared input gate: the same photos accepted and refused as by the
offline engine, with the same sentences, and the official alignment kept for ordinary photos."""

from __future__ import annotations

import functools

import cv2
import numpy as np
import pytest

from genetics import faces, gate
from genetics.engine import FaceBox, GenerationParams
from genetics.errors import FaceError
from genetics.offline import prepare_face
from genetics.samples import sample
from genetics.stylegene.checkpoints import clear_model_cache
from genetics.stylegene.engine import EngineOptions, StyleGeneEngine


@pytest.fixture(scope="module")
def engine(tiny_folder, tiny_configs) -> StyleGeneEngine:
    clear_model_cache()
    return StyleGeneEngine(tiny_folder, options=EngineOptions(mix_from_row=4), configs=tiny_configs)


def _shrunk(image: np.ndarray, side: int) -> np.ndarray:
    box = gate.gate_face(image).box
    factor = side / box.width
    return cv2.resize(image, None, fx=factor, fy=factor, interpolation=cv2.INTER_AREA)


def _grey(image: np.ndarray) -> np.ndarray:
    return np.repeat(cv2.cvtColor(image, cv2.COLOR_RGB2GRAY)[..., None], 3, axis=2)


def _sepia(image: np.ndarray) -> np.ndarray:
    matrix = np.array([[0.393, 0.769, 0.189], [0.349, 0.686, 0.168], [0.272, 0.534, 0.131]])
    return np.clip(image.astype(np.float64) @ matrix.T, 0, 255).astype(np.uint8)


def _pair() -> np.ndarray:
    left, right = sample("obama"), sample("biden")
    height = min(left.shape[0], right.shape[0])
    return np.ascontiguousarray(np.concatenate([left[:height], right[:height]], axis=1))


@functools.lru_cache(maxsize=1)
def _photos() -> dict[str, tuple[np.ndarray, FaceBox | None]]:
    obama = sample("obama")
    box = gate.gate_face(obama).box
    return {
        "small": (_shrunk(sample("grace_hopper"), 42), None),
        "too small": (_shrunk(obama, 24), None),
        "grey": (_grey(sample("astronaut")), None),
        "sepia": (_sepia(sample("biden")), None),
        "three-quarter": (sample("obama2"), None),
        "group without a box": (_pair(), None),
        "group with a box": (_pair(), gate.gate_face(_pair(), box=box).box),
        "cut off": (np.ascontiguousarray(obama[:, box.left + box.width // 6 :]), None),
        "no face": (np.full((200, 200, 3), 127, dtype=np.uint8), None),
    }


@pytest.mark.parametrize("case", list(_photos()))
def test_both_engines_accept_and_refuse_the_same_photos_saying_the_same(engine, case: str) -> None:
    image, box = _photos()[case]
    outcomes = []
    for prepare in (engine.prepare_parent, prepare_face):
        try:
            meta = prepare(image, face_box=box).meta
        except FaceError as error:
            outcomes.append((type(error).__name__, str(error)))
        else:
            outcomes.append({key: meta[key] for key in ("face_box", "low_resolution", "frontalised", "tone", "notes")})
    assert outcomes[0] == outcomes[1]
    expected = {
        "small": "low_resolution",
        "too small": "FaceTooSmall",
        "grey": "grey",
        "sepia": "sepia",
        "three-quarter": "frontalised",
        "group without a box": "MultipleFacesFound",
        "group with a box": "colour",
        "cut off": "FaceCutOff",
        "no face": "NoFaceFound",
    }[case]
    outcome = outcomes[0]
    if isinstance(outcome, tuple):
        assert outcome[0] == expected
    elif expected in ("low_resolution", "frontalised"):
        assert outcome[expected] is True and outcome["notes"]
    else:
        assert outcome["tone"] == expected


def test_an_ordinary_frontal_photo_is_aligned_exactly_as_the_official_code_does(engine) -> None:
    for name in ("astronaut", "grace_hopper"):
        image = sample(name)
        (face,) = faces.detect_faces(image)
        official = faces.align_ffhq(image, face.landmarks, output_size=256)  # transform_size 1024, as released
        parent = engine.prepare_parent(image)
        assert not parent.meta["frontalised"] and not parent.meta["low_resolution"]
        assert np.array_equal(parent.arrays["aligned"], official), name


def test_a_three_quarter_view_is_frontalised_before_encoding(engine) -> None:
    image = sample("obama2")
    parent = engine.prepare_parent(image)
    assert parent.meta["frontalised"] and abs(parent.meta["yaw"]) > gate.FRONTALISE_FROM
    (face,) = faces.detect_faces(image)
    plain = faces.align_ffhq(image, face.landmarks, output_size=256)
    assert np.abs(parent.arrays["aligned"].astype(int) - plain).mean() > 2.0
    again = faces.detect_faces(parent.arrays["aligned"])
    assert len(again) == 1 and abs(again[0].yaw) < abs(parent.meta["yaw"])


def _chroma(image: np.ndarray) -> np.ndarray:
    lab = cv2.cvtColor(image.astype(np.float32) / 255.0, cv2.COLOR_RGB2LAB)
    return lab[..., 1:]


def test_candidates_of_grey_or_sepia_parents_take_their_tone(engine) -> None:
    params = GenerationParams(num_candidates=2, seed=5, resolution=32, ancestry=("White",))
    colour = engine.generate(
        engine.prepare_parent(sample("grace_hopper")), engine.prepare_parent(sample("astronaut")), params
    )
    grey = engine.generate(
        engine.prepare_parent(_grey(sample("grace_hopper"))), engine.prepare_parent(_grey(sample("astronaut"))), params
    )
    sepia_father = engine.prepare_parent(_sepia(sample("grace_hopper")))
    sepia = engine.generate(sepia_father, engine.prepare_parent(sample("astronaut")), params)
    for candidate in colour.candidates:
        assert candidate.meta["monochrome"] is False and "tint" not in candidate.meta
        assert np.abs(_chroma(candidate.image)).max() > 10.0  # the tiny random generator paints in colour
    for candidate in grey.candidates:
        assert candidate.meta["monochrome"] is True
        assert np.abs(_chroma(candidate.image)).max() < 2.0
    # One sepia parent: the candidates are printed in its tint.
    tint = np.array(sepia_father.meta["tint"])
    assert tint[1] > 5.0
    for candidate in sepia.candidates:
        assert np.allclose(candidate.meta["tint"], tint)
        chroma = _chroma(candidate.image).reshape(-1, 2)
        lit = cv2.cvtColor(candidate.image, cv2.COLOR_RGB2GRAY).reshape(-1)
        mid = (lit > 40) & (lit < 215)  # away from black and white, where a print has no chroma
        assert np.allclose(chroma[mid].mean(axis=0), tint, atol=2.5)
    assert engine.candidate_as_parent(grey.candidates[0]).meta["monochrome"] is True
