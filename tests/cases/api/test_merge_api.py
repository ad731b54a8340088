"""POST /api/trees/<t>/persons/merge/ and the duplicates list: roles, refusals with sentences, conflicts."""

from __future__ import annotations

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from cases.models import AuditEvent, ChildLink, Person, Role
from cases.services.families import family_child_add
from cases.services.persons import person_create

WHO = [Role.OWNER, Role.EDITOR, Role.VIEWER, Role.CASEWORKER, Role.AUDITOR, "outsider"]


@pytest.fixture
def twin(small_tree):
    small_tree.copy = person_create(
        access=small_tree.owner_access,
        given_names="Albert",
        surname="OLD",
        sex="M",
        birth_date="ABT 1890",
        death_date="1960",
    )
    return small_tree


def _client(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.mark.parametrize("who", WHO)
def test_merge_for_editors_and_owners_only(twin, who):
    url = reverse("api-person-merge", kwargs={"tree_id": twin.tree.pk})
    response = _client(twin.users[who]).post(
        url, {"keep": twin.grandfather.pk, "remove": twin.copy.pk, "choices": {"birth_date": "remove"}}, format="json"
    )
    expected = 200 if who in (Role.OWNER, Role.EDITOR) else 404 if who == "outsider" else 403
    assert response.status_code == expected, response.content
    assert Person.objects.filter(pk=twin.copy.pk).exists() == (expected != 200)
    if expected == 200:
        assert response.json()["id"] == twin.grandfather.pk and response.json()["birth_date"] == "ABT 1890"
        assert AuditEvent.objects.filter(action="person.merged", object_id=twin.grandfather.pk).count() == 1


@pytest.mark.parametrize(
    "body, status, sentence",
    [
        ({"keep": "self", "remove": "self"}, 400, "themself"),
        ({"keep": "grandfather", "remove": "father"}, 400, "own parent or child"),
        ({"keep": "grandfather", "remove": "copy", "choices": {"name": "both"}}, 400, ""),
        ({"keep": "grandfather", "remove": "copy", "choices": {"eye_colour": "keep"}}, 400, "Unknown merge choice"),
        ({"keep": "grandfather", "remove": 999999}, 404, "No such person"),
    ],
)
def test_refusals_say_why(twin, body, status, sentence):
    ids = {"self": twin.copy.pk, "grandfather": twin.grandfather.pk, "father": twin.father.pk, "copy": twin.copy.pk}
    data = {**body, **{key: ids.get(body[key], body[key]) for key in ("keep", "remove")}}
    url = reverse("api-person-merge", kwargs={"tree_id": twin.tree.pk})
    response = _client(twin.users[Role.OWNER]).post(url, data, format="json")
    assert response.status_code == status, response.content
    assert sentence in response.content.decode()
    assert Person.objects.filter(pk=twin.copy.pk).exists()


def test_conflicting_pedigrees_are_a_409_until_chosen(twin):
    owner = twin.owner_access
    parents = ChildLink.objects.get(child=twin.father).family
    twin_father = person_create(access=owner, given_names="Charles", surname="Old", sex="M", birth_date="1930")
    family_child_add(access=owner, family=parents, child=twin_father, pedigree="adopted")
    url = reverse("api-person-merge", kwargs={"tree_id": twin.tree.pk})
    client = _client(twin.users[Role.EDITOR])
    body = {"keep": twin.father.pk, "remove": twin_father.pk}
    response = client.post(url, body, format="json")
    assert response.status_code == 409 and "choose which pedigree" in response.json()["detail"]
    response = client.post(url, {**body, "choices": {f"pedigree_{parents.pk}": "keep"}}, format="json")
    assert response.status_code == 200
    assert ChildLink.objects.get(child=twin.father, family=parents).pedigree == "birth"


@pytest.mark.parametrize("who", WHO)
def test_duplicates_list(twin, who):
    url = reverse("api-person-duplicates", kwargs={"tree_id": twin.tree.pk})
    response = _client(twin.users[who]).get(url)
    expected = 200 if who in (Role.OWNER, Role.EDITOR) else 404 if who == "outsider" else 403
    assert response.status_code == expected
    if expected == 200:
        (pair,) = response.json()
        assert {pair["first"]["id"], pair["second"]["id"]} == {twin.grandfather.pk, twin.copy.pk}
        assert pair["score"] >= 50 and pair["reasons"][0] == "same name (Albert Old)"
