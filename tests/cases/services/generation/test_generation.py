"""Generation jobs end to end in process, on the offline engine and two public-domain portraits."""

from __future__ import annotations

import io

import numpy as np
import pytest
from django.utils import timezone
from PIL import Image

from cases.access import tree_access_get
from cases.errors import PermissionDenied, RejectedUpload, UnprocessableInput
from cases.models import AuditEvent, Candidate, FaceEncoding, GenerationJob, Photo
from cases.services.families import family_child_add, family_create
from cases.services.generation import (
    QuotaExceeded,
    candidate_adopt,
    candidate_download_bytes,
    generation_cancel,
    generation_request,
    generation_rerun,
    generation_rerun_from_audit,
    generation_run,
)
from cases.services.persons import person_create
from cases.services.photos import person_choose_portrait, photo_detect_faces, photo_set_consent, photo_upload
from tests.images import jpeg_bytes

PARAMS = {"age_group": "3-9", "gender": "female", "num_candidates": 2, "seed": 11, "resolution": 256}


def _run(job: GenerationJob) -> GenerationJob:
    generation_run(job_id=job.pk)
    job.refresh_from_db()
    return job


def test_gate_says_what_to_fix(small_tree):
    family = small_tree.child.parent_links.get().family
    with pytest.raises(UnprocessableInput) as error:
        generation_request(access=small_tree.owner_access, family=family, params=PARAMS)
    problems = error.value.extra["problems"]
    assert len(problems) == 2 and all("Choose a portrait face" in p for p in problems)
    assert not GenerationJob.objects.exists()


def test_gate_requires_consent(couple):
    photo = couple.mother.portrait_face.photo
    photo_set_consent(access=couple.owner_access, photo=photo, consent=False)
    with pytest.raises(UnprocessableInput, match="Record consent"):
        generation_request(access=couple.owner_access, family=couple.family, params=PARAMS)


def test_viewer_may_not_generate(couple):
    viewer = tree_access_get(user=couple.users["viewer"], tree_id=couple.tree.pk)
    with pytest.raises(PermissionDenied):
        generation_request(access=viewer, family=couple.family, params=PARAMS)


def test_job_runs_and_records_everything(couple):
    job = generation_request(access=couple.owner_access, family=couple.family, params=PARAMS, engine="offline")
    assert job.state == "queued" and job.seed == 11
    job = _run(job)
    assert job.state == "succeeded", job.error
    assert job.progress == 1.0 and job.engine == "offline" and job.model_checksums
    candidates = list(job.candidates.all())
    assert [c.index for c in candidates] == [0, 1]
    from cases.provenance import is_marked_synthetic

    for candidate in candidates:
        data = candidate.image.open("rb").read()
        assert Image.open(io.BytesIO(data)).size == (256, 256)
        assert is_marked_synthetic(data)
        assert candidate.detected_again and candidate.resemblance_father is not None
    succeeded = AuditEvent.objects.get(action="generation.succeeded", object_id=job.pk)
    payload = succeeded.payload
    assert payload["seed"] == 11 and payload["engine"] == "offline" and payload["model_checksums"]
    assert payload["father"]["photo_sha256"] == couple.father.portrait_face.photo.sha256
    assert payload["father"]["face_box"] == couple.father.portrait_face.box
    assert [o["sha256"] for o in payload["outputs"]] == [c.image_sha256 for c in candidates]
    assert FaceEncoding.objects.count() == 2


def test_same_seed_gives_identical_images_and_reuses_encodings(couple, monkeypatch):
    first = _run(generation_request(access=couple.owner_access, family=couple.family, params=PARAMS))
    from genetics.offline.engine import OfflineEngine

    def no_encoding(*args, **kwargs):
        raise AssertionError("parents must come from the encoding cache")

    monkeypatch.setattr(OfflineEngine, "prepare_parent", no_encoding)
    again = _run(generation_rerun(access=couple.owner_access, job=first))
    assert again.state == "succeeded", again.error
    # Same pixels, bit for bit; the PNG files differ only in their provenance (job, time).
    assert [c.pixels_sha256 for c in again.candidates.all()] == [c.pixels_sha256 for c in first.candidates.all()]


def test_rerun_from_audit_row_reproduces_bit_identical(couple):
    first = _run(generation_request(access=couple.owner_access, family=couple.family, params=PARAMS))
    event = AuditEvent.objects.get(action="generation.succeeded", object_id=first.pk)
    again = _run(generation_rerun_from_audit(access=couple.owner_access, event=event))
    assert [c.pixels_sha256 for c in again.candidates.all()] == [o["pixels_sha256"] for o in event.payload["outputs"]]


def test_worker_dying_while_storing_then_rerun_completes_once(couple, monkeypatch, settings):
    job = generation_request(access=couple.owner_access, family=couple.family, params=PARAMS)
    real_save = Candidate.save

    def dies_after_files(self, *args, **kwargs):
        raise SystemExit("worker killed")  # files are in storage, the transaction never commits

    monkeypatch.setattr(Candidate, "save", dies_after_files)
    with pytest.raises(SystemExit):
        generation_run(job_id=job.pk)
    job.refresh_from_db()
    assert job.state == "running" and not Candidate.objects.filter(job=job).exists()
    leftovers = sorted(p.name for p in (settings.MEDIA_ROOT).rglob("candidate-*"))
    assert leftovers  # what the dead attempt wrote
    monkeypatch.setattr(Candidate, "save", real_save)
    assert _run(job).state == "succeeded"  # the redelivered task
    assert sorted(Candidate.objects.filter(job=job).values_list("index", flat=True)) == [0, 1]
    stored = sorted(p.name for p in settings.MEDIA_ROOT.rglob("candidate-*"))
    assert stored == ["candidate-00.npz", "candidate-00.png", "candidate-01.npz", "candidate-01.png"]
    assert set(leftovers) <= set(stored)  # the dead attempt's files were replaced, not duplicated
    assert AuditEvent.objects.filter(action="generation.succeeded", object_id=job.pk).count() == 1
    assert _run(job).state == "succeeded"  # a duplicate delivery after success changes nothing
    assert Candidate.objects.filter(job=job).count() == 2
    assert AuditEvent.objects.filter(action="generation.succeeded", object_id=job.pk).count() == 1


def test_cancel_queued_and_running(couple):
    queued = generation_request(access=couple.owner_access, family=couple.family, params=PARAMS)
    generation_cancel(access=couple.owner_access, job=queued)
    assert _run(queued).state == "cancelled" and not queued.candidates.exists()
    running = generation_request(access=couple.owner_access, family=couple.family, params=PARAMS)
    # A live worker holds it (a fresh heartbeat): the cancel is a request the worker acts on.
    GenerationJob.objects.filter(pk=running.pk).update(state="running", heartbeat_at=timezone.now())
    running.refresh_from_db()
    generation_cancel(access=couple.owner_access, job=running)
    assert GenerationJob.objects.get(pk=running.pk).cancel_requested
    GenerationJob.objects.filter(pk=running.pk).update(state="queued")
    assert _run(running).state == "cancelled" and not running.candidates.exists()


def test_quota_per_tree(couple, settings):
    settings.KINSHIP_GENERATION_QUEUE_QUOTA = 1
    generation_request(access=couple.owner_access, family=couple.family, params=PARAMS)
    with pytest.raises(QuotaExceeded):
        generation_request(access=couple.owner_access, family=couple.family, params=PARAMS)
    assert GenerationJob.objects.count() == 1


def test_adopt_then_next_generation_uses_stored_genes(couple):
    access = couple.owner_access
    job = _run(generation_request(access=access, family=couple.family, params=PARAMS))
    candidate = job.candidates.first()
    photo = candidate_adopt(access=access, candidate=candidate, person=couple.child, confirm_person_name="Eve Old")
    couple.child.refresh_from_db()
    assert photo.is_synthetic and photo.source_candidate == candidate
    assert couple.child.portrait_face.photo == photo
    assert AuditEvent.objects.filter(action="candidate.adopted", object_id=candidate.pk).exists()
    # The adopted child becomes a parent: the job uses the candidate's genes, not its image.
    partner = person_create(access=access, given_names="Partner", sex="M", birth_date="1988")
    from genetics.samples import grace_hopper

    partner_photo = photo_upload(access=access, data=jpeg_bytes(grace_hopper()[:, ::-1].copy()), persons=[partner])
    (face,) = photo_detect_faces(photo_id=partner_photo.pk)
    person_choose_portrait(access=access, person=partner, face=face)
    photo_set_consent(access=access, photo=partner_photo, consent=True, given_by="partner")
    family = family_create(access=access, partner1=partner, partner2=couple.child)
    family_child_add(access=access, family=family, child=person_create(access=access, is_hypothetical=True))
    next_job = generation_request(access=access, family=family, params=PARAMS)
    assert next_job.mother_candidate == candidate and next_job.mother_face is None
    assert _run(next_job).state == "succeeded", next_job.error


def test_generated_image_cannot_be_uploaded_as_a_photo(couple):
    job = _run(generation_request(access=couple.owner_access, family=couple.family, params=PARAMS))
    data = job.candidates.first().image.open("rb").read()
    with pytest.raises(RejectedUpload, match="generated by Kinship"):
        photo_upload(access=couple.owner_access, data=data)
    assert Photo.objects.filter(is_synthetic=False).count() == 2


def test_download_is_visibly_marked_and_keeps_provenance(couple):
    job = _run(generation_request(access=couple.owner_access, family=couple.family, params=PARAMS))
    candidate = job.candidates.first()
    original = Image.open(candidate.image.open("rb")).convert("RGB")
    data = candidate_download_bytes(candidate=candidate)
    marked = Image.open(io.BytesIO(data)).convert("RGB")
    assert marked.size == original.size and not np.array_equal(np.asarray(marked), np.asarray(original))
    from cases.provenance import is_marked_synthetic

    assert is_marked_synthetic(data)


def test_content_credentials_name_the_parents_and_engine(couple, settings, tmp_path):
    from cases.provenance import read_provenance
    from tests.signing_keys import make_test_signing_key

    settings.KINSHIP_C2PA_CERT, settings.KINSHIP_C2PA_KEY = map(str, make_test_signing_key(tmp_path))
    job = _run(generation_request(access=couple.owner_access, family=couple.family, params=PARAMS))
    read = read_provenance(job.candidates.first().image.open("rb").read())
    assert read.digital_source_type.endswith("trainedAlgorithmicMedia")
    assert read.c2pa_signature_valid and not read.c2pa_failures
    assert [a["action"] for a in read.c2pa_actions] == ["c2pa.created"]
    manifest = read.c2pa_active_manifest
    hashes = {i.get("metadata", {}).get("org.kinship.sha256") for i in manifest["ingredients"]}
    assert hashes == {couple.father.portrait_face.photo.sha256, couple.mother.portrait_face.photo.sha256}
    assert read.info.engine_name == "offline" and read.info.seed == job.seed
