"""The family page and the jobs API show what the input gate and the age references said of a job."""

from __future__ import annotations

import io

import numpy as np
import pytest
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import reverse
from PIL import Image
from rest_framework.test import APIClient

from cases.models import Candidate, GenerationJob, Membership, Person
from cases.services.persons import person_update
from cases.services.photos import (
    person_choose_portrait,
    photo_detect_faces,
    photo_set_consent,
    photo_update,
    photo_upload,
)
from tests.images import jpeg_bytes

SHORTFALL = (
    "Only 2 reference faces aged 3-9 were given (at least 8 are needed): the candidates' age look comes "
    "from proportion rules alone, not from real faces of that age, and may read older than asked."
)
LOW_RESOLUTION = (
    "First parent: The face is only 50 pixels across: it was enlarged, so fine detail in the "
    "candidates is invented rather than inherited."
)


def _job(
    tree, *, age_group: str, used: bool, hair_colour_from: str = "mother", hair_colour_stated: bool = False
) -> GenerationJob:
    job = GenerationJob.objects.create(
        tree=tree.tree,
        family=tree.family,
        father_face=tree.father.portrait_face,
        mother_face=tree.mother.portrait_face,
        engine="offline",
        state="succeeded",
        params={"num_candidates": 1, "seed": 1, "age_group": age_group},
        seed=1,
        num_candidates=1,
        input_quality={
            "notes": [LOW_RESOLUTION],
            "father": {"low_resolution": True, "face_side": 50},
            "references": {
                "csv": None,
                "fingerprint": "abc",
                "skipped": [],
                "tree_photos": [{"photo_sha256": "1" * 64, "age": 5.5, "sex": "female"}],
            },
        },
    )
    png = io.BytesIO()
    Image.fromarray(np.zeros((32, 32, 3), np.uint8)).save(png, format="PNG")
    candidate = Candidate(
        job=job,
        index=0,
        image_sha256="0" * 64,
        seed=1,
        meta={
            "age_reference": {
                "age_group": age_group,
                "used": used,
                "references": 2,
                "needed": 8,
                "message": SHORTFALL if not used else "Age appearance transferred from 9 faces.",
                "fingerprint": "abc",
            },
            "monochrome": True,
            "tint": [0.0, 0.0],
            "hair_style": "short",
            "hair_colour_from": hair_colour_from,
            "hair_colour_stated": hair_colour_stated,
        },
    )
    candidate.image.save("x", ContentFile(png.getvalue()), save=False)
    candidate.genes.save("x", ContentFile(b""), save=False)
    candidate.save()
    return job


@pytest.fixture
def tree(small_tree):
    from genetics.samples import astronaut, grace_hopper

    access = small_tree.owner_access
    Person.objects.filter(pk=small_tree.mother.pk).update(living_override=False)
    for person, image in ((small_tree.father, grace_hopper()), (small_tree.mother, astronaut())):
        photo = photo_upload(access=access, data=jpeg_bytes(image), persons=[person])
        (face,) = photo_detect_faces(photo_id=photo.pk)
        person_choose_portrait(access=access, person=person, face=face)
        photo_set_consent(access=access, photo=photo, consent=True, given_by="test")
        person.refresh_from_db()
    small_tree.family = small_tree.child.parent_links.get().family
    return small_tree


@pytest.mark.parametrize("who", ["owner", "viewer"])
def test_family_page_shows_notes_and_the_reference_shortfall(tree, who):
    _job(tree, age_group="3-9", used=False)
    client = Client()
    client.force_login(tree.users[who])
    html = client.get(reverse("family-detail", kwargs={"tree_id": tree.tree.pk, "family_id": tree.family.pk}))
    text = html.content.decode()
    assert html.status_code == 200
    assert "About the parents' photos" in text and "only 50 pixels across" in text
    assert "Age look not learnt from real faces." in text and "Only 2 reference faces aged 3-9" in text
    assert "monochrome, like the parents' photos" in text and "hair: short" in text


def test_no_shortfall_shown_when_references_were_used_or_for_adults(tree):
    _job(tree, age_group="3-9", used=True)
    _job(tree, age_group="30-39", used=False)
    client = Client()
    client.force_login(tree.users["owner"])
    text = client.get(
        reverse("family-detail", kwargs={"tree_id": tree.tree.pk, "family_id": tree.family.pk})
    ).content.decode()
    assert "Age look not learnt" not in text and "Age appearance transferred from 9 faces." in text


@pytest.mark.parametrize("who", ["owner", "viewer"])
def test_family_page_says_when_no_parent_photo_showed_hair_to_inherit(tree, who):
    url = reverse("family-detail", kwargs={"tree_id": tree.tree.pk, "family_id": tree.family.pk})
    client = Client()
    client.force_login(tree.users[who])
    note = "Neither parent's photo shows their hair"
    _job(tree, age_group="3-9", used=True, hair_colour_from="father")
    assert note not in client.get(url).content.decode()
    _job(tree, age_group="3-9", used=True, hair_colour_from="unread")
    assert client.get(url).content.decode().count(note) == 1


@pytest.mark.parametrize("who", ["owner", "caseworker"])
def test_generate_dialog_says_where_each_parents_hair_colour_comes_from(tree, who):
    url = reverse("family-detail", kwargs={"tree_id": tree.tree.pk, "family_id": tree.family.pk})
    person_update(access=tree.owner_access, person=tree.father, hair_colour="dark_brown")
    client = Client()
    client.force_login(tree.users[who])
    text = client.get(url).content.decode()
    assert "Hair colour — first parent: Dark brown, as recorded" in text
    assert "; second parent: read from the photo" in text
    edit = reverse("person-edit", kwargs={"tree_id": tree.tree.pk, "person_id": tree.father.pk})
    assert (f'(<a href="{edit}">change' in text) is (who == "owner")  # only those who may edit get the link


def test_generate_dialog_gives_the_age_on_the_photo_a_hair_colour_is_read_from(tree):
    url = reverse("family-detail", kwargs={"tree_id": tree.tree.pk, "family_id": tree.family.pk})
    client = Client()
    client.force_login(tree.users["owner"])
    greying = "Hair that looks grey or white is read as greying, and not passed on, only where a parent may be 40"
    text = client.get(url).content.decode()
    assert "second parent: read from the photo (" in text and "aged" not in text and greying in text
    # Born in 1960 (the small tree's mother), photographed in 1985: 24 or 25 on it.
    photo_update(access=tree.owner_access, photo=tree.mother.portrait_face.photo, date_taken="1985")
    assert "second parent: read from the photo, aged 24–25 on it (" in client.get(url).content.decode()
    for parent, colour in ((tree.father, "black"), (tree.mother, "red")):
        person_update(access=tree.owner_access, person=parent, hair_colour=colour)
    text = client.get(url).content.decode()
    assert "second parent: Red, as recorded" in text and "aged 24–25" not in text and greying not in text


def test_generate_dialog_does_not_say_a_hidden_parents_recorded_hair_colour(tree):
    person_update(access=tree.owner_access, person=tree.mother, hair_colour="blond", living_override=True)
    Membership.objects.filter(user=tree.users["caseworker"]).update(can_see_living=False)
    client = Client()
    client.force_login(tree.users["caseworker"])
    url = reverse("family-detail", kwargs={"tree_id": tree.tree.pk, "family_id": tree.family.pk})
    text = client.get(url).content.decode()
    assert "second parent: not shown (their details are hidden from you)" in text and "Blond" not in text


def test_a_candidate_with_a_recorded_hair_colour_says_so_and_no_unread_note(tree):
    url = reverse("family-detail", kwargs={"tree_id": tree.tree.pk, "family_id": tree.family.pk})
    client = Client()
    client.force_login(tree.users["viewer"])
    _job(tree, age_group="3-9", used=True, hair_colour_from="mother", hair_colour_stated=True)
    text = client.get(url).content.decode()
    assert "hair colour as recorded" in text and "Neither parent's photo shows their hair" not in text
    _job(tree, age_group="3-9", used=True, hair_colour_from="father")
    assert client.get(url).content.decode().count("hair colour as recorded") == 1


def test_jobs_api_carries_input_quality_and_candidate_meta(tree):
    job = _job(tree, age_group="3-9", used=False)
    client = APIClient()
    client.force_authenticate(tree.users["owner"])
    body = client.get(reverse("api-job-detail", kwargs={"tree_id": tree.tree.pk, "job_id": job.pk})).json()
    assert body["input_quality"]["father"]["low_resolution"] is True
    assert body["input_quality"]["notes"] == [LOW_RESOLUTION]
    # Which photo showed whom at what age stays in the audit log; the job says how many.
    assert body["input_quality"]["references"] == {"csv": None, "fingerprint": "abc", "tree_photos": 1, "skipped": 0}
    reference = body["candidates"][0]["meta"]["age_reference"]
    assert reference["used"] is False and reference["message"] == SHORTFALL
    assert body["candidates"][0]["meta"]["hair_colour_from"] == "mother"
