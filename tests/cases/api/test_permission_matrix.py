"""Every tree API endpoint and page × every role × a user outside the tree × an anonymous client."""

from __future__ import annotations

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from cases.access import Capability
from cases.models import Membership, Role
from cases.services.families import family_create
from cases.services.photos import photo_detect_faces, photo_upload
from tests.images import jpeg_bytes
from tests.permissions import EVERYONE, Endpoint, check_cell, matrix, may


def _tree(ctx):
    return {"tree_id": ctx.tree.pk}


API = [
    Endpoint("tree detail", "get", lambda c: reverse("api-tree-detail", kwargs=_tree(c)), may(Capability.VIEW), 200),
    Endpoint("member list", "get", lambda c: reverse("api-member-list", kwargs=_tree(c)),
             may(Capability.MANAGE_MEMBERS), 200),
    Endpoint("member set", "post", lambda c: reverse("api-member-list", kwargs=_tree(c)),
             may(Capability.MANAGE_MEMBERS), 202, lambda c: {"username": "newcomer", "role": "viewer"}),
    Endpoint("member remove", "delete", lambda c: reverse("api-member-detail", kwargs={
        **_tree(c), "membership_id": Membership.objects.get(tree=c.tree, user__username="viewer").pk}),
        may(Capability.MANAGE_MEMBERS), 204),
    Endpoint("person list", "get", lambda c: reverse("api-person-list", kwargs=_tree(c)), may(Capability.VIEW), 200),
    Endpoint("person create", "post", lambda c: reverse("api-person-list", kwargs=_tree(c)), may(Capability.EDIT), 201,
             lambda c: {"given_names": "New", "birth_date": "1901"}),
    Endpoint("person detail", "get",
             lambda c: reverse("api-person-detail", kwargs={**_tree(c), "person_id": c.father.pk}),
             may(Capability.VIEW), 200),
    Endpoint("person update", "patch",
             lambda c: reverse("api-person-detail", kwargs={**_tree(c), "person_id": c.father.pk}),
             may(Capability.EDIT), 200, lambda c: {"birth_place": "York"}),
    Endpoint("person delete", "delete",
             lambda c: reverse("api-person-detail", kwargs={**_tree(c), "person_id": c.father.pk}),
             may(Capability.EDIT), 204),
    Endpoint("person portrait", "post",
             lambda c: reverse("api-person-portrait", kwargs={**_tree(c), "person_id": c.father.pk}),
             may(Capability.EDIT), 200, lambda c: {"face": c.face.pk}),
    Endpoint("family list", "get", lambda c: reverse("api-family-list", kwargs=_tree(c)), may(Capability.VIEW), 200),
    Endpoint("family create", "post", lambda c: reverse("api-family-list", kwargs=_tree(c)), may(Capability.EDIT), 201,
             lambda c: {"partner1": c.child.pk}),
    Endpoint("family detail", "get",
             lambda c: reverse("api-family-detail", kwargs={**_tree(c), "family_id": c.family.pk}),
             may(Capability.VIEW), 200),
    Endpoint("family update", "patch",
             lambda c: reverse("api-family-detail", kwargs={**_tree(c), "family_id": c.family.pk}),
             may(Capability.EDIT), 200, lambda c: {"start_date": "ABT 1920"}),
    Endpoint("family delete", "delete",
             lambda c: reverse("api-family-detail", kwargs={**_tree(c), "family_id": c.family.pk}),
             may(Capability.EDIT), 204),
    Endpoint("child add", "post",
             lambda c: reverse("api-family-children", kwargs={**_tree(c), "family_id": c.spare_family.pk}),
             may(Capability.EDIT), 201, lambda c: {"child": c.child.pk, "pedigree": "adopted"}),
    Endpoint("child remove", "delete", lambda c: reverse("api-family-child-detail", kwargs={
        **_tree(c), "family_id": c.family.pk, "link_id": c.family.child_links.get().pk}), may(Capability.EDIT), 204),
    Endpoint("photo list", "get", lambda c: reverse("api-photo-list", kwargs=_tree(c)), may(Capability.VIEW), 200),
    Endpoint("photo upload", "post", lambda c: reverse("api-photo-list", kwargs=_tree(c)), may(Capability.EDIT), 201,
             lambda c: {"file": c.upload(), "title": "new"}, "multipart"),
    Endpoint("photo detail", "get", lambda c: reverse("api-photo-detail", kwargs={**_tree(c), "photo_id": c.photo.pk}),
             may(Capability.VIEW), 200),
    Endpoint("photo delete", "delete",
             lambda c: reverse("api-photo-detail", kwargs={**_tree(c), "photo_id": c.photo.pk}),
             may(Capability.EDIT), 204),
    Endpoint("photo face gate", "post",
             lambda c: reverse("api-photo-gate", kwargs={**_tree(c), "photo_id": c.photo.pk}),
             may(Capability.VIEW), 200, lambda c: {"box": c.face.box}),
    Endpoint("person portrait by box", "post",
             lambda c: reverse("api-person-portrait", kwargs={**_tree(c), "person_id": c.father.pk}),
             may(Capability.EDIT), 200, lambda c: {"photo": c.photo.pk, "box": c.face.box}),
    Endpoint("face assign", "patch", lambda c: reverse("api-face-detail", kwargs={**_tree(c), "face_id": c.face.pk}),
             may(Capability.EDIT), 200, lambda c: {"person": c.father.pk}),
    Endpoint("chart", "get", lambda c: reverse("api-chart", kwargs=_tree(c)) + f"?focus={c.father.pk}",
             may(Capability.VIEW), 200),
    Endpoint("chart branch", "get",
             lambda c: reverse("api-chart-branch", kwargs=_tree(c)) + f"?person={c.father.pk}&direction=down",
             may(Capability.VIEW), 200),
]

PAGES = [
    Endpoint("chart page", "get", lambda c: reverse("tree-chart", kwargs=_tree(c)) + f"?focus={c.father.pk}",
             may(Capability.VIEW), 200),
    Endpoint("person list page", "get", lambda c: reverse("person-list", kwargs=_tree(c)), may(Capability.VIEW), 200),
    Endpoint("person page", "get", lambda c: reverse("person-detail", kwargs={**_tree(c), "person_id": c.father.pk}),
             may(Capability.VIEW), 200),
    Endpoint("family page", "get", lambda c: reverse("family-detail", kwargs={**_tree(c), "family_id": c.family.pk}),
             may(Capability.VIEW), 200),
    Endpoint("photo file", "get",
             lambda c: reverse("photo-file", kwargs={**_tree(c), "photo_id": c.photo.pk, "variant": "original"}),
             may(Capability.VIEW), 200),
    Endpoint("photo upload page", "post",
             lambda c: reverse("person-photo-upload", kwargs={**_tree(c), "person_id": c.father.pk}),
             may(Capability.EDIT), 302, lambda c: {"file": c.upload()}, "multipart"),
    Endpoint("portrait page", "post",
             lambda c: reverse("person-portrait", kwargs={**_tree(c), "person_id": c.father.pk}),
             may(Capability.EDIT), 302, lambda c: {"face": c.face.pk}, "multipart"),
    Endpoint("member list page", "get", lambda c: reverse("member-list", kwargs=_tree(c)),
             may(Capability.MANAGE_MEMBERS), 200),
    Endpoint("audit page", "get", lambda c: reverse("audit", kwargs=_tree(c)), may(Capability.VIEW_AUDIT), 200),
    Endpoint("audit export", "get", lambda c: reverse("audit", kwargs=_tree(c)) + "?export=csv",
             may(Capability.VIEW_AUDIT), 200),
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


@pytest.mark.parametrize(("endpoint", "who"), matrix(API, EVERYONE))
def test_api_permission_matrix(endpoint, who, ctx):
    check_cell(endpoint, who, ctx, api=True)


@pytest.mark.parametrize(("endpoint", "who"), matrix(PAGES, EVERYONE))
def test_page_permission_matrix(endpoint, who, ctx):
    check_cell(endpoint, who, ctx, api=False)


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
