"""The input gate's facts and the age references, wired into generation jobs (offline engine, real faces)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from cases.errors import UnprocessableInput
from cases.models import AuditEvent, GenerationJob
from cases.services.generation import generation_request, generation_rerun, generation_run
from cases.services.generation.references import generation_references, generation_tree_references
from cases.services.persons import person_create
from cases.services.photos import (
    face_assign,
    person_choose_portrait,
    photo_detect_faces,
    photo_set_consent,
    photo_upload,
)
from tests.images import jpeg_bytes

PARAMS = {"age_group": "3-9", "gender": "female", "num_candidates": 2, "seed": 5, "resolution": 256}


def _shrunk(image: np.ndarray, factor: float) -> np.ndarray:
    height, width = image.shape[:2]
    return np.asarray(
        Image.fromarray(image).resize((round(width * factor), round(height * factor)), Image.Resampling.LANCZOS)
    )


def _portrait(tree, person, image, *, date_taken: str = "", consent: bool = True):
    access = tree.owner_access
    photo = photo_upload(access=access, data=jpeg_bytes(image, quality=92), persons=[person], date_taken=date_taken)
    faces = photo_detect_faces(photo_id=photo.pk)
    if consent:
        photo_set_consent(access=access, photo=photo, consent=True, given_by="the family, in writing")
    return photo, faces


@pytest.fixture
def small_couple(small_tree):
    """Parents whose portraits are small: Grace Hopper's face about 50 px across, the astronaut's full size."""
    from genetics.samples import astronaut, grace_hopper

    _, (face,) = _portrait(small_tree, small_tree.father, _shrunk(grace_hopper(), 0.28))
    person_choose_portrait(access=small_tree.owner_access, person=small_tree.father, face=face)
    _, (face,) = _portrait(small_tree, small_tree.mother, astronaut())
    person_choose_portrait(access=small_tree.owner_access, person=small_tree.mother, face=face)
    small_tree.family = small_tree.child.parent_links.get().family
    return small_tree


def test_web_side_gate_does_not_import_torch():
    # A fresh interpreter: earlier tests in this process may have imported torch already.
    probe = "import sys, genetics.gate; print('torch' in sys.modules)"
    result = subprocess.run(
        [sys.executable, "-c", probe],
        capture_output=True,
        text=True,
        check=True,
        cwd=Path(__file__).resolve().parents[4],
    )
    assert result.stdout.strip() == "False"


def test_low_resolution_parent_is_accepted_with_a_note_carried_into_the_job(small_couple):
    side = small_couple.father.portrait_face.right - small_couple.father.portrait_face.left
    assert 36 <= side < 64
    job = generation_request(
        access=small_couple.owner_access, family=small_couple.family, params=PARAMS, engine="offline"
    )
    assert any(note.startswith("First parent:") and "pixels across" in note for note in job.input_quality["notes"])
    generation_run(job_id=job.pk)
    job.refresh_from_db()
    assert job.state == "succeeded", job.error
    father, mother = job.input_quality["father"], job.input_quality["mother"]
    assert father["low_resolution"] is True and father["enlarged"] > 1
    assert mother["low_resolution"] is False and mother["tone"] == "colour"
    assert any(note.startswith("First parent:") and "enlarged" in note for note in job.input_quality["notes"])
    assert not any("Charles" in note for note in job.input_quality["notes"])
    # The offline engine's note on Grace Hopper's glasses reaches the job beside the gate's.
    assert any(note.startswith("First parent: Glasses were found") for note in job.input_quality["notes"])
    assert father["engine_notes"] and "engine_notes" not in mother
    # No references configured or dated in the tree: every candidate says so plainly.
    for candidate in job.candidates.all():
        reference = candidate.meta["age_reference"]
        assert reference["used"] is False and reference["needed"] == 8
        assert "No reference faces were given" in reference["message"]
        assert candidate.meta["hair_style"] and candidate.meta["monochrome"] is False
        # Both photos show hair: its colour is read off one of them, and the job keeps whose.
        assert candidate.meta["hair_colour_from"] in ("father", "mother")
    payload = AuditEvent.objects.get(action="generation.succeeded", object_id=job.pk).payload
    assert payload["input_quality"]["father"]["face_side"] == father["face_side"]
    assert payload["input_quality"]["references"] == {
        "csv": None,
        "tree_photos": [],
        "skipped": [],
        "fingerprint": None,
    }


def test_face_under_the_gate_minimum_is_refused_saying_why(small_tree):
    from genetics.samples import grace_hopper

    _, (face,) = _portrait(small_tree, small_tree.father, _shrunk(grace_hopper(), 0.28))
    face.right = face.left + 30  # a 30 px box: as if the detector had found a face that small
    face.save(update_fields=["right"])
    person_choose_portrait(access=small_tree.owner_access, person=small_tree.father, face=face)
    family = small_tree.child.parent_links.get().family
    with pytest.raises(UnprocessableInput) as error:
        generation_request(access=small_tree.owner_access, family=family, params=PARAMS)
    assert any("only 30 pixels wide" in p and "at least 36" in p for p in error.value.extra["problems"])


def test_tree_photos_become_age_references_under_the_consent_rules(small_couple):
    """Dated photos of children born in 1990 taken in 1996 (age 5-6) teach the 3-9 group; others do not."""
    from genetics.samples import shipped_face

    tree, access = small_couple, small_couple.owner_access
    kids = [
        person_create(access=access, given_names=name, surname="Old", sex=sex, birth_date="1990")
        for name, sex in (("Fay", "F"), ("Gus", "M"), ("Hal", "M"), ("Ida", "F"))
    ]
    faces = {}
    for kid, name in zip(kids[:2], ("obama", "biden")):
        _, (face,) = _portrait(tree, kid, shipped_face(name), date_taken="1996")
        faces[kid.given_names] = face_assign(access=access, face=face, person=kid)
    # No consent to generation: never read.
    _, (face,) = _portrait(tree, kids[2], shipped_face("obama2"), date_taken="1996", consent=False)
    face_assign(access=access, face=face, person=kids[2])
    # No date on the photo: the age on it is unknown.
    _, (face,) = _portrait(tree, kids[3], _shrunk(shipped_face("obama"), 0.9))
    face_assign(access=access, face=face, person=kids[3])

    found = generation_tree_references(tree=tree.tree)
    assert sorted(r.face.person.given_names for r in found) == ["Fay", "Gus"]
    assert {r.sex for r in found} == {"female", "male"} and all(r.age == 5.5 for r in found)

    references, record = generation_references(tree=tree.tree)
    assert len(references) == 2 and record["fingerprint"] == references.fingerprint()
    assert sorted(p["photo_sha256"] for p in record["tree_photos"]) == sorted(f.photo.sha256 for f in faces.values())
    assert all(p["age"] == 5.5 and p["age_group"] == "3-9" for p in record["tree_photos"])

    job = generation_request(access=access, family=tree.family, params=PARAMS, engine="offline")
    generation_run(job_id=job.pk)
    job.refresh_from_db()
    assert job.state == "succeeded", job.error
    assert job.input_quality["references"]["fingerprint"] == references.fingerprint()
    for candidate in job.candidates.all():
        reference = candidate.meta["age_reference"]
        assert reference["used"] is False and reference["references"] == 2
        assert reference["fingerprint"] == references.fingerprint()
        assert "Only 2 reference faces aged 3-9" in reference["message"]
    payload = AuditEvent.objects.get(action="generation.succeeded", object_id=job.pk).payload
    assert len(payload["input_quality"]["references"]["tree_photos"]) == 2
    assert not any("age references have changed" in note for note in job.input_quality["notes"])

    # A third dated child photo changes the references: a re-run says its candidates may differ.
    _, (face,) = _portrait(tree, kids[3], _shrunk(shipped_face("obama2"), 0.8), date_taken="1997")
    face_assign(access=access, face=face, person=kids[3])
    again = generation_rerun(access=access, job=job)
    generation_run(job_id=again.pk)
    again.refresh_from_db()
    assert again.state == "succeeded", again.error
    assert len(again.input_quality["references"]["tree_photos"]) == 3
    assert any(f"age references have changed since job {job.pk}" in note for note in again.input_quality["notes"])


def test_chosen_face_of_a_group_photo_is_the_reference(small_tree):
    """Two people on one dated photo: each assigned face is its own reference, cropped apart."""
    from genetics.samples import shipped_face

    access = small_tree.owner_access
    group = np.concatenate([shipped_face("obama"), shipped_face("biden")[: shipped_face("obama").shape[0]]], axis=1)
    kid = person_create(access=access, given_names="Jo", surname="Old", sex="M", birth_date="1990")
    _, faces = _portrait(small_tree, kid, group, date_taken="1996")
    assert len(faces) == 2
    face_assign(access=access, face=faces[1], person=kid)
    references, record = generation_references(tree=small_tree.tree)
    assert len(references) == 1 and not record["skipped"]
    assert record["tree_photos"][0]["face_box"] == faces[1].box


def test_unreadable_references_csv_fails_the_job_saying_so(small_couple, settings, tmp_path):
    settings.KINSHIP_REFERENCES_CSV = str(tmp_path / "missing.csv")
    job = generation_request(
        access=small_couple.owner_access, family=small_couple.family, params=PARAMS, engine="offline"
    )
    generation_run(job_id=job.pk)
    job.refresh_from_db()
    assert job.state == "failed" and "KINSHIP_REFERENCES_CSV" in job.error
    assert GenerationJob.objects.get(pk=job.pk).candidates.count() == 0


def test_a_references_csv_row_without_a_face_fails_the_job_naming_the_row(small_couple, settings, tmp_path):
    # The reason is the reference's, not the parents' photos': the error says which row it is.
    Image.fromarray(np.full((120, 120, 3), 90, dtype=np.uint8)).save(tmp_path / "wall.png")
    (tmp_path / "refs.csv").write_text("path,age,sex\nwall.png,5,female\n")
    settings.KINSHIP_REFERENCES_CSV = str(tmp_path / "refs.csv")
    job = generation_request(
        access=small_couple.owner_access, family=small_couple.family, params=PARAMS, engine="offline"
    )
    generation_run(job_id=job.pk)
    job.refresh_from_db()
    assert job.state == "failed"
    assert "KINSHIP_REFERENCES_CSV" in job.error and "line 2 (" in job.error and "wall.png" in job.error
    assert job.candidates.count() == 0
