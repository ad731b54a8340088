"""Issue 13 item 9: a synthetic face becomes a real person's portrait only deliberately, and can be undone."""

from __future__ import annotations

import io

import numpy as np
import pytest
from django.urls import reverse
from PIL import Image
from rest_framework.test import APIClient

from cases.errors import Conflict, InvalidInput
from cases.models import AuditEvent
from cases.provenance import read_provenance
from cases.services.generation import candidate_adopt, candidate_adoption_undo, generation_request, generation_run
from cases.services.persons import person_create
from cases.services.photos import person_choose_portrait, photo_detect_faces, photo_upload
from genetics.provenance import TRAINED_ALGORITHMIC_MEDIA
from tests.cases.services.generation.test_generation import PARAMS
from tests.images import jpeg_bytes


@pytest.fixture
def candidate(couple):  # noqa: F811
    job = generation_request(access=couple.owner_access, family=couple.family, params=PARAMS, engine="offline")
    generation_run(job_id=job.pk)
    return job.candidates.first()


@pytest.fixture
def child_portrait(couple):  # noqa: F811
    """A real photo portrait of the (real) child Eve, the one an adoption would replace."""
    from genetics.samples import astronaut

    photo = photo_upload(
        access=couple.owner_access, data=jpeg_bytes(astronaut()[:, ::-1].copy()), persons=[couple.child]
    )
    (face,) = photo_detect_faces(photo_id=photo.pk)
    person_choose_portrait(access=couple.owner_access, person=couple.child, face=face)
    return face


def test_real_person_needs_their_name_confirmed_then_undo_restores(couple, candidate, child_portrait):  # noqa: F811
    access, eve = couple.owner_access, couple.child
    # The one-click adoption that issue 13 found: now refused, and nothing changes.
    for typed in ("", "Eve", "Diana Young"):
        with pytest.raises(InvalidInput, match="Eve Old is a real person"):
            candidate_adopt(access=access, candidate=candidate, person=eve, confirm_person_name=typed)
    eve.refresh_from_db()
    assert eve.portrait_face == child_portrait
    assert not AuditEvent.objects.filter(action="candidate.adopted").exists()

    photo = candidate_adopt(access=access, candidate=candidate, person=eve, confirm_person_name=" eve  old ")
    eve.refresh_from_db()
    assert eve.portrait_face.photo == photo and photo.is_synthetic
    event = AuditEvent.objects.get(action="candidate.adopted")
    assert event.payload["confirmed_name"] == "eve old" and event.payload["hypothetical"] is False
    assert event.payload["previous_portrait_face_id"] == child_portrait.pk and event.actor == couple.users["owner"]

    candidate_adoption_undo(access=access, person=eve)
    eve.refresh_from_db()
    assert eve.portrait_face == child_portrait
    assert not photo.persons.filter(pk=eve.pk).exists()
    undone = AuditEvent.objects.get(action="candidate.adoption_undone")
    assert undone.payload["restored_portrait_face_id"] == child_portrait.pk
    assert undone.payload["adoption_event_id"] == event.pk
    with pytest.raises(Conflict, match="not an adopted synthetic candidate"):
        candidate_adoption_undo(access=access, person=eve)


def test_hypothetical_child_adopts_without_confirmation_and_undo_leaves_no_portrait(couple, candidate):  # noqa: F811
    from cases.services.families import family_child_add

    access = couple.owner_access
    placeholder = person_create(access=access, is_hypothetical=True)
    family_child_add(access=access, family=couple.family, child=placeholder)
    candidate_adopt(access=access, candidate=candidate, person=placeholder)
    placeholder.refresh_from_db()
    assert placeholder.portrait_face.photo.is_synthetic
    candidate_adoption_undo(access=access, person=placeholder)
    placeholder.refresh_from_db()
    assert placeholder.portrait_face is None


def test_api_and_page_require_the_confirmation_and_offer_undo(couple, candidate, client):  # noqa: F811
    api = APIClient()
    api.force_authenticate(couple.users["owner"])
    url = reverse("api-candidate-adopt", kwargs={"tree_id": couple.tree.pk, "candidate_id": candidate.pk})
    refused = api.post(url, {"person": couple.child.pk}, format="json")
    assert refused.status_code == 400 and "Eve Old" in str(refused.json())
    assert (
        api.post(url, {"person": couple.child.pk, "confirm_person_name": "Eve Old"}, format="json").status_code == 200
    )
    client.force_login(couple.users["owner"])
    page = client.get(reverse("person-detail", kwargs={"tree_id": couple.tree.pk, "person_id": couple.child.pk}))
    assert b"Undo adoption" in page.content
    # The adopted portrait is served inside the app with the visible mark (issue 13 item 10).
    from cases.models import Photo

    photo = Photo.objects.get(is_synthetic=True)
    shown = client.get(
        reverse("photo-file", kwargs={"tree_id": couple.tree.pk, "photo_id": photo.pk, "variant": "original"})
    )
    assert shown["X-Kinship-Synthetic"] == "true"
    with photo.original.open("rb") as handle:
        stored = np.asarray(Image.open(handle).convert("RGB"), dtype=float)
    marked = np.asarray(Image.open(io.BytesIO(shown.content)).convert("RGB"), dtype=float)
    assert marked[-5:].mean() < stored[-5:].mean() - 20
    assert read_provenance(shown.content).digital_source_type == TRAINED_ALGORITHMIC_MEDIA
    family = client.get(reverse("family-detail", kwargs={"tree_id": couple.tree.pk, "family_id": couple.family.pk}))
    text = family.content.decode()
    assert 'name="confirm_person_name"' in text and "“Eve Old”" in text, text[text.find("Generated candidates") :][
        :3000
    ]
    undo = api.post(
        reverse("api-person-adoption-undo", kwargs={"tree_id": couple.tree.pk, "person_id": couple.child.pk})
    )
    assert undo.status_code == 200
    couple.child.refresh_from_db()
    assert couple.child.portrait_face is None
    viewer = APIClient()
    viewer.force_authenticate(couple.users["viewer"])
    assert (
        viewer.post(
            reverse("api-person-adoption-undo", kwargs={"tree_id": couple.tree.pk, "person_id": couple.child.pk})
        ).status_code
        == 403
    )
