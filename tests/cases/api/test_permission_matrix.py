"""Every API endpoint and page × every role × a user outside the tree × an anonymous client."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from cases.access import ROLE_CAPABILITIES, Capability
from cases.models import Membership, Role
from cases.services.families import family_create
from cases.services.photos import photo_detect_faces, photo_upload
from tests.images import jpeg_bytes

ALL_USERS = [Role.OWNER, Role.EDITOR, Role.VIEWER, Role.CASEWORKER, Role.AUDITOR, "outsider", "anonymous"]


@dataclass
class Endpoint:
    name: str
    method: str
    url: Callable
    capability: Capability
    ok: int
    data: Callable | None = None
    fmt: str = "json"


def _tree(ctx):
    return {"tree_id": ctx.tree.pk}


API = [
    Endpoint("tree detail", "get", lambda c: reverse("api-tree-detail", kwargs=_tree(c)), Capability.VIEW, 200),
    Endpoint("member list", "get", lambda c: reverse("api-member-list", kwargs=_tree(c)),
             Capability.MANAGE_MEMBERS, 200),
    Endpoint("member set", "post", lambda c: reverse("api-member-list", kwargs=_tree(c)),
             Capability.MANAGE_MEMBERS, 202, lambda c: {"username": "newcomer", "role": "viewer"}),
    Endpoint("member remove", "delete", lambda c: reverse("api-member-detail", kwargs={
        **_tree(c), "membership_id": Membership.objects.get(tree=c.tree, user__username="viewer").pk}),
        Capability.MANAGE_MEMBERS, 204),
    Endpoint("person list", "get", lambda c: reverse("api-person-list", kwargs=_tree(c)), Capability.VIEW, 200),
    Endpoint("person create", "post", lambda c: reverse("api-person-list", kwargs=_tree(c)), Capability.EDIT, 201,
             lambda c: {"given_names": "New", "birth_date": "1901"}),
    Endpoint("person detail", "get",
             lambda c: reverse("api-person-detail", kwargs={**_tree(c), "person_id": c.father.pk}),
             Capability.VIEW, 200),
    Endpoint("person update", "patch",
             lambda c: reverse("api-person-detail", kwargs={**_tree(c), "person_id": c.father.pk}),
             Capability.EDIT, 200, lambda c: {"birth_place": "York"}),
    Endpoint("person delete", "delete",
             lambda c: reverse("api-person-detail", kwargs={**_tree(c), "person_id": c.father.pk}),
             Capability.EDIT, 204),
    Endpoint("person portrait", "post",
             lambda c: reverse("api-person-portrait", kwargs={**_tree(c), "person_id": c.father.pk}),
             Capability.EDIT, 200, lambda c: {"face": c.face.pk}),
    Endpoint("family list", "get", lambda c: reverse("api-family-list", kwargs=_tree(c)), Capability.VIEW, 200),
    Endpoint("family create", "post", lambda c: reverse("api-family-list", kwargs=_tree(c)), Capability.EDIT, 201,
             lambda c: {"partner1": c.child.pk}),
    Endpoint("family detail", "get",
             lambda c: reverse("api-family-detail", kwargs={**_tree(c), "family_id": c.family.pk}),
             Capability.VIEW, 200),
    Endpoint("family update", "patch",
             lambda c: reverse("api-family-detail", kwargs={**_tree(c), "family_id": c.family.pk}),
             Capability.EDIT, 200, lambda c: {"start_date": "ABT 1920"}),
    Endpoint("family delete", "delete",
             lambda c: reverse("api-family-detail", kwargs={**_tree(c), "family_id": c.family.pk}),
             Capability.EDIT, 204),
    Endpoint("child add", "post",
             lambda c: reverse("api-family-children", kwargs={**_tree(c), "family_id": c.spare_family.pk}),
             Capability.EDIT, 201, lambda c: {"child": c.child.pk, "pedigree": "adopted"}),
    Endpoint("child remove", "delete", lambda c: reverse("api-family-child-detail", kwargs={
        **_tree(c), "family_id": c.family.pk, "link_id": c.family.child_links.get().pk}), Capability.EDIT, 204),
    Endpoint("photo list", "get", lambda c: reverse("api-photo-list", kwargs=_tree(c)), Capability.VIEW, 200),
    Endpoint("photo upload", "post", lambda c: reverse("api-photo-list", kwargs=_tree(c)), Capability.EDIT, 201,
             lambda c: {"file": c.upload(), "title": "new"}, "multipart"),
    Endpoint("photo detail", "get", lambda c: reverse("api-photo-detail", kwargs={**_tree(c), "photo_id": c.photo.pk}),
             Capability.VIEW, 200),
    Endpoint("photo delete", "delete",
             lambda c: reverse("api-photo-detail", kwargs={**_tree(c), "photo_id": c.photo.pk}),
             Capability.EDIT, 204),
    Endpoint("photo face gate", "post",
             lambda c: reverse("api-photo-gate", kwargs={**_tree(c), "photo_id": c.photo.pk}),
             Capability.VIEW, 200, lambda c: {"box": c.face.box}),
    Endpoint("person portrait by box", "post",
             lambda c: reverse("api-person-portrait", kwargs={**_tree(c), "person_id": c.father.pk}),
             Capability.EDIT, 200, lambda c: {"photo": c.photo.pk, "box": c.face.box}),
    Endpoint("face assign", "patch", lambda c: reverse("api-face-detail", kwargs={**_tree(c), "face_id": c.face.pk}),
             Capability.EDIT, 200, lambda c: {"person": c.father.pk}),
    Endpoint("chart", "get", lambda c: reverse("api-chart", kwargs=_tree(c)) + f"?focus={c.father.pk}",
             Capability.VIEW, 200),
]

PAGES = [
    Endpoint("chart page", "get", lambda c: reverse("tree-chart", kwargs=_tree(c)) + f"?focus={c.father.pk}",
             Capability.VIEW, 200),
    Endpoint("person list page", "get", lambda c: reverse("person-list", kwargs=_tree(c)), Capability.VIEW, 200),
    Endpoint("person page", "get", lambda c: reverse("person-detail", kwargs={**_tree(c), "person_id": c.father.pk}),
             Capability.VIEW, 200),
    Endpoint("family page", "get", lambda c: reverse("family-detail", kwargs={**_tree(c), "family_id": c.family.pk}),
             Capability.VIEW, 200),
    Endpoint("photo file", "get",
             lambda c: reverse("photo-file", kwargs={**_tree(c), "photo_id": c.photo.pk, "variant": "original"}),
             Capability.VIEW, 200),
    Endpoint("photo upload page", "post",
             lambda c: reverse("person-photo-upload", kwargs={**_tree(c), "person_id": c.father.pk}),
             Capability.EDIT, 302, lambda c: {"file": c.upload()}, "multipart"),
    Endpoint("portrait page", "post",
             lambda c: reverse("person-portrait", kwargs={**_tree(c), "person_id": c.father.pk}),
             Capability.EDIT, 302, lambda c: {"face": c.face.pk}, "multipart"),
]


@pytest.fixture
def ctx(small_tree, portrait_jpeg):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.factories import UserFactory

    UserFactory(username="newcomer")
    small_tree.family = small_tree.father.parent_links.get().family  # the grandparents' family
    small_tree.spare_family = family_create(access=small_tree.owner_access, partner1=small_tree.grandfather)
    small_tree.photo = photo_upload(access=small_tree.owner_access, data=portrait_jpeg, persons=[small_tree.father])
    small_tree.face = photo_detect_faces(photo_id=small_tree.photo.pk)[0]
    small_tree.upload = lambda: SimpleUploadedFile("new.jpg", jpeg_bytes(), content_type="image/jpeg")
    return small_tree


def _expected(endpoint: Endpoint, who: str, *, api: bool) -> int:
    if who == "anonymous":
        return 401 if api else 302
    if who == "outsider":
        return 404
    return endpoint.ok if endpoint.capability in ROLE_CAPABILITIES[who] else 403


def _call(client, endpoint: Endpoint, ctx):
    data = endpoint.data(ctx) if endpoint.data else None
    method = getattr(client, endpoint.method)
    if endpoint.fmt == "multipart":
        return method(endpoint.url(ctx), data=data, format="multipart") if isinstance(client, APIClient) \
            else method(endpoint.url(ctx), data=data)
    return method(endpoint.url(ctx), data=data, format="json")


@pytest.mark.parametrize("who", ALL_USERS)
@pytest.mark.parametrize("endpoint", API, ids=lambda e: e.name)
def test_api_permission_matrix(endpoint, who, ctx):
    client = APIClient()
    if who != "anonymous":
        client.force_authenticate(ctx.users[who])
    response = _call(client, endpoint, ctx)
    assert response.status_code == _expected(endpoint, who, api=True), response.content[:300]


@pytest.mark.parametrize("who", ALL_USERS)
@pytest.mark.parametrize("endpoint", PAGES, ids=lambda e: e.name)
def test_page_permission_matrix(endpoint, who, ctx, client):
    if who != "anonymous":
        client.force_login(ctx.users[who])
    response = _call(client, endpoint, ctx) if endpoint.fmt != "json" else client.get(endpoint.url(ctx))
    expected = _expected(endpoint, who, api=False)
    assert response.status_code == expected, response.content[:300]
    if who == "anonymous":
        assert response["Location"].startswith(reverse("login"))


def test_tree_list_shows_only_own_trees(ctx):
    client = APIClient()
    client.force_authenticate(ctx.users["outsider"])
    assert client.get(reverse("api-tree-list")).json() == []
    client.force_authenticate(ctx.users[Role.VIEWER])
    assert [t["name"] for t in client.get(reverse("api-tree-list")).json()] == ["Small"]


def test_token_auth(ctx):
    client = APIClient()
    response = client.post(reverse("api-token"), {"username": "viewer", "password": "correct horse battery"})
    token = response.json()["token"]
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert client.get(reverse("api-tree-detail", kwargs=_tree(ctx))).status_code == 200
    client.credentials(HTTP_AUTHORIZATION="Token wrong")
    assert client.get(reverse("api-tree-detail", kwargs=_tree(ctx))).status_code == 401
