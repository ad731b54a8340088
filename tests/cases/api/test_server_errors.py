"""Requests that raised server errors before (issue 13, item 6) now get a 4xx with a sentence.

Reproduced before the fix with the API client below: each of these answered 500.
"""

from __future__ import annotations

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from cases.models import GenerationJob, Membership, Person, Photo, Role
from tests.factories import MembershipFactory, UserFactory


@pytest.fixture
def owner(small_tree) -> APIClient:
    client = APIClient(raise_request_exception=False)
    client.force_authenticate(small_tree.users[Role.OWNER])
    return client


@pytest.mark.parametrize(
    "name, query",
    [
        ("api-audit", "object_id=abc"),
        ("api-audit", "object_id=" + "9" * 25),
        ("api-job-list", "family=abc"),
        ("api-job-list", "family=" + "1" * 22),
        ("api-job-list", "child=-1"),
    ],
)
def test_malformed_ids_in_queries_are_400(small_tree, owner, name, query):
    response = owner.get(reverse(name, kwargs={"tree_id": small_tree.tree.pk}) + "?" + query)
    assert response.status_code == 400, response.content
    assert "whole number" in response.json()["detail"]


def test_well_formed_id_filters_still_work(case_tree):
    from cases.models import AuditEvent

    small_tree = case_tree
    auditor = APIClient()
    auditor.force_authenticate(small_tree.users[Role.AUDITOR])
    event = AuditEvent.objects.filter(tree_id=small_tree.tree.pk).last()
    response = auditor.get(
        reverse("api-audit", kwargs={"tree_id": small_tree.tree.pk})
        + f"?object_id={event.object_id}&object_type={event.object_type}"
    )
    assert response.status_code == 200
    ids = {e["object_id"] for e in response.json()["results"]}
    assert ids == {event.object_id}


def test_photo_that_fed_a_job_is_409_and_kept(portraits, owner):
    father_face = portraits.father.portrait_face
    GenerationJob.objects.create(
        tree=portraits.tree,
        family=portraits.child.parent_links.get().family,
        father_face=father_face,
        mother_face=portraits.mother.portrait_face,
        engine="offline",
        params={},
        seed=1,
        num_candidates=1,
    )
    response = owner.delete(
        reverse("api-photo-detail", kwargs={"tree_id": portraits.tree.pk, "photo_id": father_face.photo_id})
    )
    assert response.status_code == 409, response.content
    assert "parent input of 1 generation job" in response.json()["detail"]
    assert Photo.objects.filter(pk=father_face.photo_id).exists()


def test_person_anchoring_a_scoped_membership_is_409_and_kept(small_tree, owner):
    member = MembershipFactory(
        tree=small_tree.tree, user=UserFactory(), role=Role.VIEWER, scope_person=small_tree.father, scope_depth=1
    )
    response = owner.delete(
        reverse("api-person-detail", kwargs={"tree_id": small_tree.tree.pk, "person_id": small_tree.father.pk})
    )
    assert response.status_code == 409, response.content
    assert "limited view" in response.json()["detail"]
    member.refresh_from_db()
    assert member.scope_person_id == small_tree.father.pk and member.scope_depth == 1
    assert Person.objects.filter(pk=small_tree.father.pk).exists()
    assert Membership.objects.filter(pk=member.pk).exists()


def test_missing_person_of_a_case_is_409(case_tree, owner):
    response = owner.delete(
        reverse("api-person-detail", kwargs={"tree_id": case_tree.tree.pk, "person_id": case_tree.child.pk})
    )
    assert response.status_code == 409, response.content
    # The owner's role does not see cases: it learns only that something depends on the person.
    assert "case" not in response.json()["detail"]
