"""Record API: events, notes, alternate names, children and date readings through the pages' services."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from cases.models import ChildLink, Event, Membership, Note, Person, PersonName, RecordChange, RecordType, Role
from cases.services.events import event_create
from cases.services.notes import note_create
from cases.services.persons import person_create
from cases.services.trees import tree_create
from tests.factories import UserFactory


def _client(user) -> APIClient:
    # A real token: the history must see the user DRF authenticates inside the view.
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
    return client


def _url(name: str, tree, **kwargs) -> str:
    return reverse(name, kwargs={"tree_id": tree.pk, **kwargs})


def _last_change(record_type: str) -> RecordChange:
    return RecordChange.objects.filter(record_type=record_type).order_by("-pk").first()


def test_event_lifecycle_records_history(small_tree):
    editor, tree, father = _client(small_tree.users[Role.EDITOR]), small_tree.tree, small_tree.father
    created = editor.post(
        _url("api-event-list", tree),
        {
            "person": father.pk,
            "tag": "OCCU",
            "date": "ABT 1925",
            "place": "  Leeds ",
            "age": "25y",
            "description": "Baker",
        },
        format="json",
    )
    assert created.status_code == 201, created.json()
    event = Event.objects.get(pk=created.json()["id"])
    assert (event.person, event.tag, event.value, event.place, event.date) == (
        father,
        "OCCU",
        "Baker",
        "Leeds",
        "ABT 1925",
    )
    assert (event.date_start, event.date_end) == (datetime.date(1925, 1, 1), datetime.date(1925, 12, 31))
    change = _last_change(RecordType.EVENT)
    assert (change.action, change.username, change.object_id) == ("create", "editor", event.pk)

    listed = editor.get(_url("api-event-list", tree), {"person": father.pk}).json()
    assert [(e["id"], e["date_shown"], e["age"], e["label"]) for e in listed] == [
        (event.pk, "about 1925", "25y", "Occupation")
    ]

    patched = editor.patch(_url("api-event-detail", tree, event_id=event.pk), {"place": "York"}, format="json")
    assert patched.status_code == 200, patched.json()
    event.refresh_from_db()
    # Only the place changed: date, age and description kept their values.
    assert (event.place, event.date, event.value, patched.json()["age"]) == ("York", "ABT 1925", "Baker", "25y")
    change = _last_change(RecordType.EVENT)
    assert change.action == "update" and (change.before["place"], change.after["place"]) == ("Leeds", "York")

    second = editor.post(
        _url("api-event-list", tree), {"person": father.pk, "tag": "RESI", "place": "Hull"}, format="json"
    ).json()
    moved = editor.post(_url("api-event-move", tree, event_id=second["id"]), {"offset": -1}, format="json")
    assert moved.status_code == 200
    assert [e["id"] for e in moved.json()] == [second["id"], event.pk]
    assert list(Event.objects.filter(person=father).values_list("pk", flat=True)) == [second["id"], event.pk]

    assert editor.delete(_url("api-event-detail", tree, event_id=event.pk)).status_code == 204
    assert not Event.objects.filter(pk=event.pk).exists()
    assert _last_change(RecordType.EVENT).action == "delete"


def test_family_event(small_tree):
    family = small_tree.father.parent_links.get().family  # the grandparents, both dead
    editor, tree = _client(small_tree.users[Role.EDITOR]), small_tree.tree
    answer = editor.post(
        _url("api-event-list", tree), {"family": family.pk, "tag": "MARR", "date": "1920"}, format="json"
    )
    assert answer.status_code == 201
    assert Event.objects.get(pk=answer.json()["id"]).family == family
    assert [e["tag"] for e in editor.get(_url("api-event-list", tree), {"family": family.pk}).json()] == ["MARR"]
    refused = editor.post(
        _url("api-event-list", tree), {"family": family.pk, "tag": "MARR", "age": "30y"}, format="json"
    )
    assert refused.status_code == 400 and refused.json()["field"] == "age"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"tag": "OCCU", "date": "31 FEB 1900"}, "date"),
        ({"tag": "BIRT"}, None),  # birth is the person's own field
        ({"tag": "MARR"}, "tag"),  # a family's event, not a person's
        ({"tag": "OCCU", "event_type": "Odd"}, "event_type"),
        ({"tag": "OCCU", "age": "old"}, "age"),
    ],
)
def test_event_refusals_name_the_field_and_store_nothing(small_tree, body, field):
    editor = _client(small_tree.users[Role.EDITOR])
    answer = editor.post(
        _url("api-event-list", small_tree.tree), {"person": small_tree.father.pk, **body}, format="json"
    )
    assert answer.status_code == 400, answer.json()
    assert answer.json().get("field") == field and answer.json()["detail"]
    assert not Event.objects.exists()


def test_event_input_errors_are_field_errors(small_tree):
    editor, tree = _client(small_tree.users[Role.EDITOR]), small_tree.tree
    answer = editor.post(_url("api-event-list", tree), {"person": small_tree.father.pk, "tag": "NOPE"}, format="json")
    assert answer.status_code == 400 and "tag" in answer.json()
    both = editor.post(_url("api-event-list", tree), {"tag": "OCCU"}, format="json")
    assert both.status_code == 400 and both.json()["field"] == "person"
    assert editor.get(_url("api-event-list", tree)).status_code == 400
    assert editor.get(_url("api-event-list", tree), {"person": "x"}).status_code == 400
    event = event_create(access=small_tree.owner_access, person=small_tree.father, tag="OCCU")
    moved = editor.patch(
        _url("api-event-detail", tree, event_id=event.pk), {"person": small_tree.mother.pk}, format="json"
    )
    assert moved.status_code == 400 and Event.objects.get(pk=event.pk).person == small_tree.father


def test_viewer_reads_the_dead_not_the_living_and_writes_nothing(small_tree):
    owner = small_tree.owner_access
    dead = event_create(access=owner, person=small_tree.father, tag="OCCU", description="Baker")
    living = event_create(access=owner, person=small_tree.mother, tag="OCCU", description="Pilot")
    viewer, tree = _client(small_tree.users[Role.VIEWER]), small_tree.tree
    assert viewer.get(_url("api-event-list", tree), {"person": small_tree.father.pk}).status_code == 200
    assert viewer.get(_url("api-event-detail", tree, event_id=dead.pk)).json()["description"] == "Baker"
    for answer in (
        viewer.get(_url("api-event-list", tree), {"person": small_tree.mother.pk}),
        viewer.get(_url("api-event-detail", tree, event_id=living.pk)),
        viewer.get(_url("api-note-list", tree), {"person": small_tree.mother.pk}),
        viewer.get(_url("api-person-names", tree, person_id=small_tree.mother.pk)),
    ):
        assert answer.status_code == 403 and "Pilot" not in answer.content.decode()
    answer = viewer.patch(_url("api-event-detail", tree, event_id=dead.pk), {"place": "Rome"}, format="json")
    assert answer.status_code == 403 and Event.objects.get(pk=dead.pk).place == ""
    assert (
        viewer.post(
            _url("api-note-list", tree), {"person": small_tree.father.pk, "text": "x"}, format="json"
        ).status_code
        == 403
    )
    assert not Note.objects.exists()


def test_other_trees_and_scopes_are_not_found(small_tree):
    other_owner = UserFactory(username="elsewhere")
    other = tree_create(name="Other", owner=other_owner)
    from cases.access import tree_access_get

    stranger = person_create(
        access=tree_access_get(user=other_owner, tree_id=other.pk), given_names="Zed", death_date="1900"
    )
    foreign = event_create(access=tree_access_get(user=other_owner, tree_id=other.pk), person=stranger, tag="OCCU")
    owner, tree = _client(small_tree.users[Role.OWNER]), small_tree.tree
    assert owner.get(_url("api-event-detail", tree, event_id=foreign.pk)).status_code == 404
    assert (
        owner.patch(_url("api-event-detail", tree, event_id=foreign.pk), {"place": "x"}, format="json").status_code
        == 404
    )
    assert (
        owner.post(_url("api-event-list", tree), {"person": stranger.pk, "tag": "OCCU"}, format="json").status_code
        == 404
    )
    assert owner.get(_url("api-event-list", other)).status_code == 404

    # An editor who sees the grandfather's relatives within one step does not see the mother at all.
    scoped = UserFactory(username="scoped")
    Membership.objects.create(
        tree=tree, user=scoped, role=Role.EDITOR, scope_person=small_tree.grandfather, scope_depth=1
    )
    note = note_create(access=small_tree.owner_access, person=small_tree.mother, text="Hidden")
    client = _client(scoped)
    assert client.get(_url("api-note-detail", tree, note_id=note.pk)).status_code == 404
    assert client.get(_url("api-note-list", tree), {"person": small_tree.mother.pk}).status_code == 404
    assert client.get(_url("api-note-list", tree), {"person": small_tree.father.pk}).status_code == 200


def test_notes(small_tree):
    editor, tree = _client(small_tree.users[Role.EDITOR]), small_tree.tree
    created = editor.post(
        _url("api-note-list", tree), {"person": small_tree.child.pk, "text": " Met at school. "}, format="json"
    )
    assert created.status_code == 201
    note = Note.objects.get(pk=created.json()["id"])
    assert (note.person, note.text) == (small_tree.child, "Met at school.")
    assert _last_change(RecordType.NOTE).action == "create"
    empty = editor.patch(_url("api-note-detail", tree, note_id=note.pk), {"text": "  "}, format="json")
    assert empty.status_code == 400 and empty.json()["field"] == "text"
    assert (
        editor.patch(_url("api-note-detail", tree, note_id=note.pk), {"text": "Met at work."}, format="json").json()[
            "text"
        ]
        == "Met at work."
    )
    assert Note.objects.get(pk=note.pk).text == "Met at work."
    assert [n["id"] for n in editor.get(_url("api-note-list", tree), {"person": small_tree.child.pk}).json()] == [
        note.pk
    ]
    assert editor.delete(_url("api-note-detail", tree, note_id=note.pk)).status_code == 204
    assert not Note.objects.exists() and _last_change(RecordType.NOTE).action == "delete"


def test_alternate_names(small_tree):
    editor, tree, person = _client(small_tree.users[Role.EDITOR]), small_tree.tree, small_tree.father
    created = editor.post(
        _url("api-person-names", tree, person_id=person.pk),
        {"name_type": "birth", "given_names": "Charlie", "surname": "Olde"},
        format="json",
    )
    assert created.status_code == 201, created.json()
    name = PersonName.objects.get(pk=created.json()["id"])
    assert (name.person, name.name_type, name.surname) == (person, "birth", "Olde")
    assert _last_change(RecordType.ALTERNATE_NAME).action == "create"
    url = _url("api-person-name-detail", tree, person_id=person.pk, name_id=name.pk)
    assert editor.patch(url, {"surname": "Old"}, format="json").status_code == 200
    name.refresh_from_db()
    assert (name.name_type, name.given_names, name.surname) == ("birth", "Charlie", "Old")
    assert editor.patch(url, {"name_type": "nonsense"}, format="json").status_code == 400
    # A name reached through another person's URL does not exist.
    wrong = _url("api-person-name-detail", tree, person_id=small_tree.grandfather.pk, name_id=name.pk)
    assert editor.delete(wrong).status_code == 404
    assert [n["id"] for n in editor.get(_url("api-person-names", tree, person_id=person.pk)).json()] == [name.pk]
    assert editor.delete(url).status_code == 204 and not PersonName.objects.exists()


def test_children_new_pedigree_and_order(small_tree):
    editor, tree = _client(small_tree.users[Role.EDITOR]), small_tree.tree
    family = small_tree.child.parent_links.get().family
    created = editor.post(
        _url("api-family-child-create", tree, family_id=family.pk),
        {"given_names": "Fred", "surname": "Old", "sex": "M", "pedigree": "adopted"},
        format="json",
    )
    assert created.status_code == 201, created.json()
    link = ChildLink.objects.get(pk=created.json()["id"])
    assert (link.child.given_names, link.pedigree, link.family) == ("Fred", "adopted", family)
    assert _last_change(RecordType.PERSON).action == "create"
    nameless = editor.post(_url("api-family-child-create", tree, family_id=family.pk), {}, format="json")
    assert nameless.status_code == 400 and Person.objects.filter(given_names="").count() == 0

    url = _url("api-family-child-pedigree", tree, family_id=family.pk, link_id=link.pk)
    assert editor.patch(url, {"pedigree": "foster"}, format="json").json()["pedigree"] == "foster"
    assert ChildLink.objects.get(pk=link.pk).pedigree == "foster"
    assert _last_change(RecordType.CHILD_LINK).action == "update"
    moved = editor.post(
        _url("api-family-child-move", tree, family_id=family.pk, link_id=link.pk), {"offset": -1}, format="json"
    )
    assert [row["child"] for row in moved.json()] == [link.child_id, small_tree.child.pk]


def test_date_understand_reads_like_the_page(small_tree):
    editor, tree = _client(small_tree.users[Role.EDITOR]), small_tree.tree
    url = _url("api-date-understand", tree)
    assert editor.get(url, {"phrase": "ABT 1925"}).json() == {
        "text": "ABT 1925",
        "shown": "about 1925",
        "error": "",
        "earliest": "1925-01-01",
        "latest": "1925-12-31",
    }
    client = APIClient()
    client.force_login(small_tree.users[Role.EDITOR])
    page = client.get(reverse("date-understand", kwargs={"tree_id": tree.pk}), {"phrase": "31 FEB 1900"}).json()
    assert editor.get(url, {"phrase": "31 FEB 1900"}).json() == page and page["error"]
    assert _client(small_tree.users[Role.VIEWER]).get(url, {"phrase": "1900"}).status_code == 403


def test_list_queries_do_not_grow_with_the_rows(small_tree):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from cases.services.sources import citation_create, source_create

    owner, tree, father = small_tree.owner_access, small_tree.tree, small_tree.father
    client = _client(small_tree.users[Role.VIEWER])
    of_father = {"person": father.pk}
    lists = [
        (_url("api-event-list", tree), of_father),
        (_url("api-note-list", tree), of_father),
        (_url("api-citation-list", tree), of_father),
        (_url("api-source-list", tree), {}),
        (_url("api-repository-list", tree), {}),
        (_url("api-person-names", tree, person_id=father.pk), {}),
    ]

    def add(count: int) -> None:
        from cases.services.persons import person_name_add
        from cases.services.repositories import repository_create

        for index in range(count):
            event = event_create(access=owner, person=father, tag="RESI", place=f"Place {index}")
            note_create(access=owner, person=father, text=f"Note {index}")
            person_name_add(access=owner, person=father, given_names=f"Name {index}")
            source = source_create(
                access=owner,
                title=f"Source {index}",
                repository=repository_create(access=owner, name=f"Archive {index}"),
            )
            citation_create(access=owner, source=source, event=event)

    def queries() -> list[int]:
        counts = []
        for url, params in lists:
            with CaptureQueriesContext(connection) as captured:
                assert client.get(url, params).status_code == 200
            counts.append(len(captured))
        return counts

    add(2)
    few = queries()
    add(10)
    assert queries() == few
