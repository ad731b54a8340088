"""The permission matrix extended to generation jobs, candidates, consent and the audit trail."""

from __future__ import annotations

import io

import numpy as np
import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from PIL import Image

from cases.access import Capability
from cases.models import Candidate, GenerationJob, Person
from cases.services.photos import person_choose_portrait, photo_detect_faces, photo_set_consent, photo_upload
from tests.images import jpeg_bytes
from tests.permissions import EVERYONE, Endpoint, check_cell, matrix, may


@pytest.fixture
def ctx(small_tree):
    from genetics.samples import astronaut, grace_hopper

    access = small_tree.owner_access
    # Both parents public, so viewers may see the jobs (candidates of living parents are hidden from them).
    Person.objects.filter(pk=small_tree.mother.pk).update(living_override=False)
    small_tree.mother.refresh_from_db()
    for person, image in ((small_tree.father, grace_hopper()), (small_tree.mother, astronaut())):
        photo = photo_upload(access=access, data=jpeg_bytes(image), persons=[person])
        (face,) = photo_detect_faces(photo_id=photo.pk)
        person_choose_portrait(access=access, person=person, face=face)
        photo_set_consent(access=access, photo=photo, consent=True, given_by="test")
    small_tree.photo = small_tree.father.portrait_face.photo  # deceased: every role may see it
    small_tree.family = small_tree.child.parent_links.get().family
    small_tree.job = GenerationJob.objects.create(
        tree=small_tree.tree,
        family=small_tree.family,
        father_face=small_tree.father.portrait_face,
        mother_face=small_tree.mother.portrait_face,
        engine="offline",
        params={"num_candidates": 1, "seed": 1},
        seed=1,
        num_candidates=1,
    )
    png = io.BytesIO()
    Image.fromarray(np.zeros((32, 32, 3), np.uint8)).save(png, format="PNG")
    candidate = Candidate(job=small_tree.job, index=0, image_sha256="0" * 64, seed=1)
    candidate.image.save("x", ContentFile(png.getvalue()), save=False)
    candidate.genes.save("x", ContentFile(b""), save=False)
    candidate.save()
    small_tree.candidate = candidate
    return small_tree


def _tree(c):
    return {"tree_id": c.tree.pk}


GEN_PARAMS = {"num_candidates": 1, "seed": 3, "resolution": 256}
API = [
    Endpoint("job list", "get", lambda c: reverse("api-job-list", kwargs=_tree(c)), may(Capability.VIEW), 200),
    Endpoint(
        "job create",
        "post",
        lambda c: reverse("api-job-list", kwargs=_tree(c)),
        may(Capability.GENERATE),
        202,
        lambda c: {"family": c.family.pk, "params": GEN_PARAMS},
    ),
    Endpoint(
        "job detail",
        "get",
        lambda c: reverse("api-job-detail", kwargs={**_tree(c), "job_id": c.job.pk}),
        may(Capability.VIEW),
        200,
    ),
    Endpoint(
        "job cancel",
        "post",
        lambda c: reverse("api-job-cancel", kwargs={**_tree(c), "job_id": c.job.pk}),
        may(Capability.GENERATE),
        200,
    ),
    Endpoint(
        "job rerun",
        "post",
        lambda c: reverse("api-job-rerun", kwargs={**_tree(c), "job_id": c.job.pk}),
        may(Capability.GENERATE),
        202,
    ),
    Endpoint(
        "candidate adopt",
        "post",
        lambda c: reverse("api-candidate-adopt", kwargs={**_tree(c), "candidate_id": c.candidate.pk}),
        may(Capability.EDIT),
        200,
        lambda c: {"person": c.child.pk, "confirm_person_name": c.child.display_name},
    ),
    Endpoint(
        "photo consent",
        "post",
        lambda c: reverse("api-photo-consent", kwargs={**_tree(c), "photo_id": c.photo.pk}),
        may(Capability.EDIT),
        200,
        lambda c: {"consent_to_generation": True, "consent_given_by": "her"},
    ),
    Endpoint("audit", "get", lambda c: reverse("api-audit", kwargs=_tree(c)), may(Capability.VIEW_AUDIT), 200),
]
PAGES = [
    Endpoint(
        "generate page",
        "post",
        lambda c: reverse("family-generate", kwargs={**_tree(c), "family_id": c.family.pk}),
        may(Capability.GENERATE),
        302,
        lambda c: {"num_candidates": 1, "resolution": 256},
        "multipart",
    ),
    Endpoint(
        "rerun page",
        "post",
        lambda c: reverse("job-rerun", kwargs={**_tree(c), "job_id": c.job.pk}),
        may(Capability.GENERATE),
        302,
        lambda c: {},
        "multipart",
    ),
    Endpoint(
        "candidate image",
        "get",
        lambda c: reverse("candidate-image", kwargs={**_tree(c), "candidate_id": c.candidate.pk}),
        may(Capability.VIEW),
        200,
    ),
    Endpoint(
        "adopt page",
        "post",
        lambda c: reverse("candidate-adopt", kwargs={**_tree(c), "candidate_id": c.candidate.pk}),
        may(Capability.EDIT),
        302,
        lambda c: {"person": c.child.pk, "confirm_person_name": c.child.display_name},
        "multipart",
    ),
    Endpoint(
        "consent page",
        "post",
        lambda c: reverse("photo-consent", kwargs={**_tree(c), "photo_id": c.photo.pk}),
        may(Capability.EDIT),
        302,
        lambda c: {"consent": "yes", "given_by": "her"},
        "multipart",
    ),
    Endpoint(
        "photo details page",
        "post",
        lambda c: reverse("photo-details", kwargs={**_tree(c), "photo_id": c.photo.pk}),
        may(Capability.EDIT),
        302,
        lambda c: {"title": "At the seaside", "date_taken": "1985"},
        "multipart",
    ),
]


@pytest.fixture(autouse=True)
def _no_queue(monkeypatch):
    # Permission checks only: queued jobs are not run here.
    from cases.services import tasks

    enqueue = tasks.task_enqueue
    monkeypatch.setattr(
        tasks,
        "task_enqueue",
        lambda *, name, args: None if name == tasks.GENERATION_RUN else enqueue(name=name, args=args),
    )


@pytest.mark.parametrize(("endpoint", "who"), matrix(API, EVERYONE))
def test_generation_api_permissions(endpoint, who, ctx):
    check_cell(endpoint, who, ctx, api=True)


@pytest.mark.parametrize(("endpoint", "who"), matrix(PAGES, EVERYONE))
def test_generation_page_permissions(endpoint, who, ctx):
    check_cell(endpoint, who, ctx, api=False)
