"""Reference faces of known age for the offline engine: the configured CSV and the tree's own dated photos.

Each family's library teaches the engine what its children looked like: a face chosen on a photo
(assigned to a person) whose photo has a date, whose person has a birth date and a recorded sex,
and whose photo carries consent to generation, is a reference face of the age the person had on
that photo. The same consent that lets a photo feed generation lets it feed the age prototypes;
without it a photo is never read.

Gating a face (detection, landmarks, alignment) costs about a second, so each worker process keeps
the aligned reference of a face (by photo content and box) and the CSV's set (by path and mtime).
"""

from __future__ import annotations

import hashlib
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings

from cases.errors import ApplicationError
from cases.models import Face, Tree
from cases.selectors import age_range_on_photo

SEXES = {"M": "male", "F": "female"}
"""Recorded sexes a reference can have: the prototypes are per sex, so unknown sexes are left out."""

_lock = threading.Lock()
_face_cache: dict[tuple[str, tuple[int, ...], str, str], Any] = {}
_csv_cache: dict[tuple[str, float], Any] = {}


class ReferencesUnavailable(ApplicationError):
    """The configured references CSV cannot be read: a set-up fault, so the job fails saying so."""

    code = "references_unavailable"


@dataclass(frozen=True)
class TreeReference:
    """A chosen face on one of the tree's photos, with the person's age on it."""

    face: Face
    age: float
    sex: str


def generation_tree_references(*, tree: Tree) -> list[TreeReference]:
    """Return the tree's faces usable as references: dated, with a birth date, a sex and consent.

    A face whose age range on the photo spans two age groups is left out: it cannot say which
    group's prototype it belongs to.
    """
    from genetics.offline.prototypes import age_group_of

    faces = (
        Face.objects.filter(
            photo__tree=tree,
            photo__consent_to_generation=True,
            photo__is_synthetic=False,
            photo__date_taken_start__isnull=False,
            photo__date_taken_end__isnull=False,
            person__isnull=False,
            person__sex__in=tuple(SEXES),
            person__birth_date_start__isnull=False,
            person__birth_date_end__isnull=False,
        )
        .select_related("photo", "person")
        .order_by("photo__sha256", "left", "top", "pk")
    )
    references = []
    for face in faces:
        ages = age_range_on_photo(person=face.person, photo=face.photo)
        if ages is None or age_group_of(ages[0]) != age_group_of(ages[1]):
            continue
        references.append(TreeReference(face=face, age=(ages[0] + ages[1]) / 2, sex=SEXES[face.person.sex]))
    return references


def generation_references(*, tree: Tree):
    """Return the reference set for a tree's jobs (the setting's CSV plus the tree's photos) and its record.

    The record, stored in the job's audit payload, names every reference by content so a job can
    be reproduced: the CSV by path and sha256, each tree photo by sha256, face box, age and sex,
    and the photos left out with the reason. Returns ``(None, record)`` when there is no reference.
    """
    from genetics.offline.prototypes import MIN_REFERENCES, ReferenceSet, age_group_of

    record: dict[str, Any] = {"csv": None, "tree_photos": [], "skipped": []}
    faces: list[Any] = []
    digest = hashlib.sha256()
    csv_path = settings.KINSHIP_REFERENCES_CSV
    if csv_path:
        csv_set, csv_sha256 = _csv_references(Path(csv_path))
        faces.extend(csv_set.faces)
        digest.update(csv_set.digest.encode())
        record["csv"] = {"path": str(csv_path), "sha256": csv_sha256, "faces": len(csv_set)}
    for reference in generation_tree_references(tree=tree):
        face = reference.face
        entry = {
            "photo_sha256": face.photo.sha256,
            "face_box": list(face.box),
            "age": reference.age,
            "sex": reference.sex,
            "age_group": age_group_of(reference.age),
        }
        aligned = _tree_face(reference)
        if isinstance(aligned, str):
            record["skipped"].append({**entry, "reason": aligned})
            continue
        faces.append(aligned)
        digest.update(f"{face.photo.sha256}|{face.box}|{reference.age}|{reference.sex};".encode())
        record["tree_photos"].append(entry)
    if not faces:
        record["fingerprint"] = None
        return None, record
    references = ReferenceSet(faces, min_references=MIN_REFERENCES, digest=digest.hexdigest())
    record["fingerprint"] = references.fingerprint()
    return references, record


def _csv_references(path: Path):
    from genetics.offline.prototypes import load_references

    try:
        key = (str(path.resolve()), path.stat().st_mtime)
    except OSError as error:
        raise ReferencesUnavailable(f"The reference faces in KINSHIP_REFERENCES_CSV cannot be read: {error}") from error
    with _lock:
        cached = _csv_cache.get(key)
    if cached is None:
        try:
            cached = (load_references(path), hashlib.sha256(path.read_bytes()).hexdigest())
        except (OSError, ValueError) as error:
            raise ReferencesUnavailable(
                f"The reference faces in KINSHIP_REFERENCES_CSV cannot be used: {error}"
            ) from error
        with _lock:
            _csv_cache[key] = cached
    return cached


def _tree_face(reference: TreeReference):
    """Return one face as a reference entry (:data:`~genetics.offline.prototypes.ReferenceFace`), or
    why it cannot be one."""
    import numpy as np

    from cases.imaging import image_decode_display
    from genetics.errors import FaceError
    from genetics.offline.prototypes import build_references

    face = reference.face
    key = (face.photo.sha256, tuple(face.box), str(reference.age), reference.sex)
    with _lock:
        cached = _face_cache.get(key)
    if cached is not None:
        return cached
    with face.photo.original.open("rb") as handle:
        image = np.asarray(image_decode_display(handle.read()))
    # build_references gates a whole picture that must show one face: hand it the chosen face with
    # one face side of surroundings (what the gate itself crops), so a group photo's other faces stay out.
    side = max(face.right - face.left, face.bottom - face.top)
    crop = image[max(face.top - side, 0) : face.bottom + side, max(face.left - side, 0) : face.right + side]
    try:
        result = build_references([(np.ascontiguousarray(crop), reference.age, reference.sex)]).faces[0]
    except FaceError as error:
        result = str(error)
    with _lock:
        _face_cache[key] = result
    return result
