"""Every tree API endpoint and page × every role × a user outside the tree × an anonymous client."""

from __future__ import annotations

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from cases.access import Capability
from cases.models import ChildLink, Citation, Event, Membership, Note, Person, PersonName, Repository, Role, Source
from cases.services.families import family_create
from cases.services.photos import photo_detect_faces, photo_upload
from tests.images import jpeg_bytes
from tests.permissions import EVERYONE, Endpoint, check_cell, deleted, matrix, may, stored


def _tree(ctx):
    return {"tree_id": ctx.tree.pk}


API = [
    Endpoint("tree detail", "get", lambda c: reverse("api-tree-detail", kwargs=_tree(c)), may(Capability.VIEW), 200),
    Endpoint(
        "member list", "get", lambda c: reverse("api-member-list", kwargs=_tree(c)), may(Capability.MANAGE_MEMBERS), 200
    ),
    Endpoint(
        "member set",
        "post",
        lambda c: reverse("api-member-list", kwargs=_tree(c)),
        may(Capability.MANAGE_MEMBERS),
        202,
        lambda c: {"username": "newcomer", "role": "viewer"},
    ),
    Endpoint(
        "member remove",
        "delete",
        lambda c: reverse(
            "api-member-detail",
            kwargs={**_tree(c), "membership_id": Membership.objects.get(tree=c.tree, user__username="viewer").pk},
        ),
        may(Capability.MANAGE_MEMBERS),
        204,
    ),
    Endpoint("person list", "get", lambda c: reverse("api-person-list", kwargs=_tree(c)), may(Capability.VIEW), 200),
    Endpoint(
        "person create",
        "post",
        lambda c: reverse("api-person-list", kwargs=_tree(c)),
        may(Capability.EDIT),
        201,
        lambda c: {"given_names": "New", "birth_date": "1901"},
    ),
    Endpoint(
        "person detail",
        "get",
        lambda c: reverse("api-person-detail", kwargs={**_tree(c), "person_id": c.father.pk}),
        may(Capability.VIEW),
        200,
    ),
    Endpoint(
        "person update",
        "patch",
        lambda c: reverse("api-person-detail", kwargs={**_tree(c), "person_id": c.father.pk}),
        may(Capability.EDIT),
        200,
        lambda c: {"birth_place": "York"},
    ),
    Endpoint(
        "person delete",
        "delete",
        lambda c: reverse("api-person-detail", kwargs={**_tree(c), "person_id": c.father.pk}),
        may(Capability.EDIT),
        204,
    ),
    Endpoint(
        "person portrait",
        "post",
        lambda c: reverse("api-person-portrait", kwargs={**_tree(c), "person_id": c.father.pk}),
        may(Capability.EDIT),
        200,
        lambda c: {"face": c.face.pk},
    ),
    Endpoint("family list", "get", lambda c: reverse("api-family-list", kwargs=_tree(c)), may(Capability.VIEW), 200),
    Endpoint(
        "family create",
        "post",
        lambda c: reverse("api-family-list", kwargs=_tree(c)),
        may(Capability.EDIT),
        201,
        lambda c: {"partner1": c.child.pk},
    ),
    Endpoint(
        "family detail",
        "get",
        lambda c: reverse("api-family-detail", kwargs={**_tree(c), "family_id": c.family.pk}),
        may(Capability.VIEW),
        200,
    ),
    Endpoint(
        "family update",
        "patch",
        lambda c: reverse("api-family-detail", kwargs={**_tree(c), "family_id": c.family.pk}),
        may(Capability.EDIT),
        200,
        lambda c: {"start_date": "ABT 1920"},
    ),
    Endpoint(
        "family delete",
        "delete",
        lambda c: reverse("api-family-detail", kwargs={**_tree(c), "family_id": c.family.pk}),
        may(Capability.EDIT),
        204,
    ),
    Endpoint(
        "child add",
        "post",
        lambda c: reverse("api-family-children", kwargs={**_tree(c), "family_id": c.spare_family.pk}),
        may(Capability.EDIT),
        201,
        lambda c: {"child": c.child.pk, "pedigree": "adopted"},
    ),
    Endpoint(
        "child remove",
        "delete",
        lambda c: reverse(
            "api-family-child-detail",
            kwargs={**_tree(c), "family_id": c.family.pk, "link_id": c.family.child_links.get().pk},
        ),
        may(Capability.EDIT),
        204,
    ),
    Endpoint("photo list", "get", lambda c: reverse("api-photo-list", kwargs=_tree(c)), may(Capability.VIEW), 200),
    Endpoint(
        "photo upload",
        "post",
        lambda c: reverse("api-photo-list", kwargs=_tree(c)),
        may(Capability.EDIT),
        201,
        lambda c: {"file": c.upload(), "title": "new"},
        "multipart",
    ),
    Endpoint(
        "photo detail",
        "get",
        lambda c: reverse("api-photo-detail", kwargs={**_tree(c), "photo_id": c.photo.pk}),
        may(Capability.VIEW),
        200,
    ),
    Endpoint(
        "photo update",
        "patch",
        lambda c: reverse("api-photo-detail", kwargs={**_tree(c), "photo_id": c.photo.pk}),
        may(Capability.EDIT),
        200,
        lambda c: {"title": "At the seaside", "date_taken": "ABT 1985"},
    ),
    Endpoint(
        "photo delete",
        "delete",
        lambda c: reverse("api-photo-detail", kwargs={**_tree(c), "photo_id": c.photo.pk}),
        may(Capability.EDIT),
        204,
    ),
    Endpoint(
        "photo face gate",
        "post",
        lambda c: reverse("api-photo-gate", kwargs={**_tree(c), "photo_id": c.photo.pk}),
        may(Capability.VIEW),
        200,
        lambda c: {"box": c.face.box},
    ),
    Endpoint(
        "person portrait by box",
        "post",
        lambda c: reverse("api-person-portrait", kwargs={**_tree(c), "person_id": c.father.pk}),
        may(Capability.EDIT),
        200,
        lambda c: {"photo": c.photo.pk, "box": c.face.box},
    ),
    Endpoint(
        "face assign",
        "patch",
        lambda c: reverse("api-face-detail", kwargs={**_tree(c), "face_id": c.face.pk}),
        may(Capability.EDIT),
        200,
        lambda c: {"person": c.father.pk},
    ),
    Endpoint(
        "chart",
        "get",
        lambda c: reverse("api-chart", kwargs=_tree(c)) + f"?focus={c.father.pk}",
        may(Capability.VIEW),
        200,
    ),
    Endpoint(
        "chart branch",
        "get",
        lambda c: reverse("api-chart-branch", kwargs=_tree(c)) + f"?person={c.father.pk}&direction=down",
        may(Capability.VIEW),
        200,
    ),
]

PAGES = [
    Endpoint(
        "chart page",
        "get",
        lambda c: reverse("tree-chart", kwargs=_tree(c)) + f"?focus={c.father.pk}",
        may(Capability.VIEW),
        200,
    ),
    Endpoint("person list page", "get", lambda c: reverse("person-list", kwargs=_tree(c)), may(Capability.VIEW), 200),
    Endpoint(
        "person page",
        "get",
        lambda c: reverse("person-detail", kwargs={**_tree(c), "person_id": c.father.pk}),
        may(Capability.VIEW),
        200,
    ),
    Endpoint(
        "family page",
        "get",
        lambda c: reverse("family-detail", kwargs={**_tree(c), "family_id": c.family.pk}),
        may(Capability.VIEW),
        200,
    ),
    Endpoint(
        "photo file",
        "get",
        lambda c: reverse("photo-file", kwargs={**_tree(c), "photo_id": c.photo.pk, "variant": "original"}),
        may(Capability.VIEW),
        200,
    ),
    Endpoint(
        "photo upload page",
        "post",
        lambda c: reverse("person-photo-upload", kwargs={**_tree(c), "person_id": c.father.pk}),
        may(Capability.EDIT),
        302,
        lambda c: {"file": c.upload()},
        "multipart",
    ),
    Endpoint(
        "portrait page",
        "post",
        lambda c: reverse("person-portrait", kwargs={**_tree(c), "person_id": c.father.pk}),
        may(Capability.EDIT),
        302,
        lambda c: {"face": c.face.pk},
        "multipart",
    ),
    Endpoint(
        "member list page",
        "get",
        lambda c: reverse("member-list", kwargs=_tree(c)),
        may(Capability.MANAGE_MEMBERS),
        200,
    ),
    Endpoint("audit page", "get", lambda c: reverse("audit", kwargs=_tree(c)), may(Capability.VIEW_AUDIT), 200),
    Endpoint(
        "audit export",
        "get",
        lambda c: reverse("audit", kwargs=_tree(c)) + "?export=csv",
        may(Capability.VIEW_AUDIT),
        200,
    ),
]


def _record(name, **kwargs):
    return lambda c: reverse(name, kwargs={**_tree(c), **{key: get(c) for key, get in kwargs.items()}})


def _first_child_moved(c, allowed):
    assert (c.family.child_links.order_by("order", "pk").last().pk == c.link.pk) == allowed


def _first_event_moved(c, allowed):
    assert (Event.objects.filter(person=c.father).last().pk == c.event.pk) == allowed


def _father(c):
    return {"person": c.father.pk}


RECORD_API = [
    Endpoint(
        "event list",
        "get",
        lambda c: _record("api-event-list")(c) + f"?person={c.father.pk}",
        may(Capability.VIEW),
        200,
    ),
    Endpoint(
        "event create",
        "post",
        _record("api-event-list"),
        may(Capability.EDIT),
        201,
        lambda c: {**_father(c), "tag": "RESI", "place": "Hull"},
        check=stored(Event, place="Hull"),
    ),
    Endpoint(
        "event detail", "get", _record("api-event-detail", event_id=lambda c: c.event.pk), may(Capability.VIEW), 200
    ),
    Endpoint(
        "event update",
        "patch",
        _record("api-event-detail", event_id=lambda c: c.event.pk),
        may(Capability.EDIT),
        200,
        lambda c: {"place": "York"},
        check=stored(Event, place="York"),
    ),
    Endpoint(
        "event delete",
        "delete",
        _record("api-event-detail", event_id=lambda c: c.event.pk),
        may(Capability.EDIT),
        204,
        check=deleted("event", Event),
    ),
    Endpoint(
        "event move",
        "post",
        _record("api-event-move", event_id=lambda c: c.event.pk),
        may(Capability.EDIT),
        200,
        lambda c: {"offset": 1},
        check=lambda c, response, allowed: _first_event_moved(c, allowed),
    ),
    Endpoint(
        "note list", "get", lambda c: _record("api-note-list")(c) + f"?person={c.father.pk}", may(Capability.VIEW), 200
    ),
    Endpoint(
        "note create",
        "post",
        _record("api-note-list"),
        may(Capability.EDIT),
        201,
        lambda c: {**_father(c), "text": "Added"},
        check=stored(Note, text="Added"),
    ),
    Endpoint("note detail", "get", _record("api-note-detail", note_id=lambda c: c.note.pk), may(Capability.VIEW), 200),
    Endpoint(
        "note update",
        "patch",
        _record("api-note-detail", note_id=lambda c: c.note.pk),
        may(Capability.EDIT),
        200,
        lambda c: {"text": "Changed"},
        check=stored(Note, text="Changed"),
    ),
    Endpoint(
        "note delete",
        "delete",
        _record("api-note-detail", note_id=lambda c: c.note.pk),
        may(Capability.EDIT),
        204,
        check=deleted("note", Note),
    ),
    Endpoint(
        "name list", "get", _record("api-person-names", person_id=lambda c: c.father.pk), may(Capability.VIEW), 200
    ),
    Endpoint(
        "name add",
        "post",
        _record("api-person-names", person_id=lambda c: c.father.pk),
        may(Capability.EDIT),
        201,
        lambda c: {"name_type": "aka", "given_names": "Chas"},
        check=stored(PersonName, given_names="Chas"),
    ),
    Endpoint(
        "name update",
        "patch",
        _record("api-person-name-detail", person_id=lambda c: c.father.pk, name_id=lambda c: c.name.pk),
        may(Capability.EDIT),
        200,
        lambda c: {"surname": "Olde"},
        check=stored(PersonName, surname="Olde"),
    ),
    Endpoint(
        "name delete",
        "delete",
        _record("api-person-name-detail", person_id=lambda c: c.father.pk, name_id=lambda c: c.name.pk),
        may(Capability.EDIT),
        204,
        check=deleted("name", PersonName),
    ),
    Endpoint(
        "child new",
        "post",
        _record("api-family-child-create", family_id=lambda c: c.family.pk),
        may(Capability.EDIT),
        201,
        lambda c: {"given_names": "Newborn"},
        check=stored(Person, given_names="Newborn"),
    ),
    Endpoint(
        "child pedigree",
        "patch",
        _record("api-family-child-pedigree", family_id=lambda c: c.family.pk, link_id=lambda c: c.link.pk),
        may(Capability.EDIT),
        200,
        lambda c: {"pedigree": "step"},
        check=stored(ChildLink, pedigree="step"),
    ),
    Endpoint(
        "child move",
        "post",
        _record("api-family-child-move", family_id=lambda c: c.family.pk, link_id=lambda c: c.link.pk),
        may(Capability.EDIT),
        200,
        lambda c: {"offset": 1},
        check=lambda c, response, allowed: _first_child_moved(c, allowed),
    ),
    Endpoint(
        "date understand",
        "get",
        lambda c: _record("api-date-understand")(c) + "?phrase=ABT+1925",
        may(Capability.EDIT),
        200,
    ),
    Endpoint("source list", "get", _record("api-source-list"), may(Capability.VIEW), 200),
    Endpoint(
        "source create",
        "post",
        _record("api-source-list"),
        may(Capability.EDIT),
        201,
        lambda c: {"title": "Census"},
        check=stored(Source, title="Census"),
    ),
    Endpoint(
        "source detail", "get", _record("api-source-detail", source_id=lambda c: c.source.pk), may(Capability.VIEW), 200
    ),
    Endpoint(
        "source update",
        "patch",
        _record("api-source-detail", source_id=lambda c: c.source.pk),
        may(Capability.EDIT),
        200,
        lambda c: {"author": "Clerk"},
        check=stored(Source, author="Clerk"),
    ),
    Endpoint(
        "source delete",
        "delete",
        _record("api-source-detail", source_id=lambda c: c.source.pk),
        may(Capability.EDIT),
        204,
        check=deleted("source", Source),
    ),
    Endpoint("repository list", "get", _record("api-repository-list"), may(Capability.VIEW), 200),
    Endpoint(
        "repository create",
        "post",
        _record("api-repository-list"),
        may(Capability.EDIT),
        201,
        lambda c: {"name": "Library"},
        check=stored(Repository, name="Library"),
    ),
    Endpoint(
        "repository detail",
        "get",
        _record("api-repository-detail", repository_id=lambda c: c.repository.pk),
        may(Capability.VIEW),
        200,
    ),
    Endpoint(
        "repository update",
        "patch",
        _record("api-repository-detail", repository_id=lambda c: c.repository.pk),
        may(Capability.EDIT),
        200,
        lambda c: {"address": "Leeds"},
        check=stored(Repository, address="Leeds"),
    ),
    Endpoint(
        "repository delete",
        "delete",
        _record("api-repository-detail", repository_id=lambda c: c.repository.pk),
        may(Capability.EDIT),
        204,
        check=deleted("repository", Repository),
    ),
    Endpoint(
        "citation list",
        "get",
        lambda c: _record("api-citation-list")(c) + f"?person={c.father.pk}",
        may(Capability.VIEW),
        200,
    ),
    Endpoint(
        "citation create",
        "post",
        _record("api-citation-list"),
        may(Capability.EDIT),
        201,
        lambda c: {"source": c.source.pk, "event": c.event.pk, "page": "p. 2"},
        check=stored(Citation, page="p. 2"),
    ),
    Endpoint(
        "citation detail",
        "get",
        _record("api-citation-detail", citation_id=lambda c: c.citation.pk),
        may(Capability.VIEW),
        200,
    ),
    Endpoint(
        "citation update",
        "patch",
        _record("api-citation-detail", citation_id=lambda c: c.citation.pk),
        may(Capability.EDIT),
        200,
        lambda c: {"quality": 2},
        check=stored(Citation, quality=2),
    ),
    Endpoint(
        "citation delete",
        "delete",
        _record("api-citation-detail", citation_id=lambda c: c.citation.pk),
        may(Capability.EDIT),
        204,
        check=deleted("citation", Citation),
    ),
]
"""The lineage-record endpoints, on the father (dead: every member may read his records)."""


@pytest.fixture
def records(small_tree):
    """The small tree with an event, a note, an alternate name and a cited source on the father."""
    from cases.services.events import event_create
    from cases.services.families import family_child_add
    from cases.services.notes import note_create
    from cases.services.persons import person_create, person_name_add
    from cases.services.repositories import repository_create
    from cases.services.sources import citation_create, source_create

    access, father = small_tree.owner_access, small_tree.father
    small_tree.event = event_create(access=access, person=father, tag="OCCU", description="Baker")
    event_create(access=access, person=father, tag="RESI", place="Leeds")
    small_tree.note = note_create(access=access, person=father, text="A note")
    small_tree.name = person_name_add(access=access, person=father, given_names="Charlie")
    small_tree.repository = repository_create(access=access, name="Archive")
    small_tree.source = source_create(access=access, title="Register", repository=small_tree.repository)
    small_tree.citation = citation_create(access=access, source=small_tree.source, person=father, fact="BIRT")
    small_tree.family = father.parent_links.get().family
    small_tree.link = small_tree.family.child_links.get(child=father)
    aunt = person_create(access=access, given_names="Agnes", surname="Old", birth_date="1932", death_date="2001")
    family_child_add(access=access, family=small_tree.family, child=aunt)  # a second child to move past
    return small_tree


@pytest.mark.parametrize(("endpoint", "who"), matrix(RECORD_API, EVERYONE))
def test_record_api_permission_matrix(endpoint, who, records):
    check_cell(endpoint, who, records, api=True)


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
