"""Events and attributes of persons and families: create, change, reorder, delete; dates and ages checked."""

from __future__ import annotations

import datetime

import pytest

from cases.access import tree_access_get
from cases.errors import InvalidInput, NotFound, PermissionDenied
from cases.models import Event, Role
from cases.services.events import event_age, event_create, event_delete, event_description, event_move, event_update
from cases.services.families import family_create
from cases.services.gedcom.export import gedcom_export
from cases.services.persons import person_create


def test_person_event_keeps_date_range_place_age_and_value(small_tree):
    access = small_tree.owner_access
    event = event_create(
        access=access,
        person=small_tree.father,
        tag="OCCU",
        date="abt 1955",
        place="  Leeds,  Yorkshire ",
        age="25",
        description="Carpenter",
    )
    event.refresh_from_db()
    assert (event.tag, event.value, event.event_type, event.place) == ("OCCU", "Carpenter", "", "Leeds, Yorkshire")
    assert (event.date, event.date_start, event.date_end) == (
        "abt 1955",
        datetime.date(1955, 1, 1),
        datetime.date(1955, 12, 31),
    )
    assert event_age(event) == "25y"
    assert event.gedcom_data == {"extra": [{"tag": "AGE", "value": "25y"}]}
    assert event_description(event) == "Carpenter"


def test_a_plain_event_keeps_its_description_as_the_gedcom_type(small_tree):
    event = event_create(
        access=small_tree.owner_access,
        person=small_tree.father,
        tag="BAPM",
        date="1930",
        description="at home, privately",
    )
    assert (event.value, event.event_type) == ("", "at home, privately")
    assert event_description(event) == "at home, privately"
    other = event_create(
        access=small_tree.owner_access,
        person=small_tree.father,
        tag="EVEN",
        event_type="Military service",
        description="Royal Navy",
    )
    assert (other.event_type, other.value) == ("Military service", "Royal Navy")


def test_new_events_go_last_and_move_renumbers(small_tree):
    access = small_tree.owner_access
    first, second, third = (
        event_create(access=access, person=small_tree.father, tag=tag) for tag in ("EDUC", "OCCU", "RESI")
    )
    assert [first.order, second.order, third.order] == [0, 1, 2]
    event_move(access=access, event=third, offset=-1)
    assert list(Event.objects.filter(person=small_tree.father).values_list("tag", flat=True)) == [
        "EDUC",
        "RESI",
        "OCCU",
    ]
    event_move(access=access, event=first, offset=-1)  # already first: nothing moves
    event_move(access=access, event=first, offset=5)  # clamped to the end
    assert list(Event.objects.filter(person=small_tree.father).values_list("tag", flat=True)) == [
        "RESI",
        "OCCU",
        "EDUC",
    ]


def test_update_changes_fields_keeps_other_gedcom_data_and_drops_old_phrase(small_tree):
    access = small_tree.owner_access
    event = event_create(access=access, person=small_tree.father, tag="RESI", date="1950", age="20")
    event.gedcom_data = {**event.gedcom_data, "phrase": "the year after the war", "citations": [{"source": "@S1@"}]}
    event.save()
    event_update(access=access, event=event, date="BET 1950 AND 1952", place="York", age="", description="12 High St")
    event.refresh_from_db()
    assert event.gedcom_data == {"citations": [{"source": "@S1@"}]}
    assert (event.date_start, event.date_end, event.place, event.value) == (
        datetime.date(1950, 1, 1),
        datetime.date(1952, 12, 31),
        "York",
        "12 High St",
    )


def test_an_imported_odd_date_survives_an_edit_that_does_not_touch_it(small_tree):
    event = Event.objects.create(tree=small_tree.tree, person=small_tree.father, tag="RESI", date="31 FEB 1950")
    event_update(access=small_tree.owner_access, event=event, date="31 FEB 1950", place="Hull")
    event.refresh_from_db()
    assert (event.date, event.place) == ("31 FEB 1950", "Hull")


@pytest.mark.parametrize(
    "fields, field",
    [
        ({"date": "31 FEB 1950"}, "date"),
        ({"date": "1/2/1950"}, "date"),
        ({"age": "about thirty"}, "age"),
        ({"event_type": "Military"}, "event_type"),
    ],
)
def test_bad_input_is_refused_with_the_field_named(small_tree, fields, field):
    with pytest.raises(InvalidInput) as error:
        event_create(access=small_tree.owner_access, person=small_tree.father, tag="OCCU", **fields)
    assert error.value.extra["field"] == field
    assert not Event.objects.exists()


def test_tags_must_fit_the_subject(small_tree):
    access = small_tree.owner_access
    family = small_tree.father.families_as_partner1.get()
    with pytest.raises(InvalidInput, match="not an event of a person"):
        event_create(access=access, person=small_tree.father, tag="MARR")
    with pytest.raises(InvalidInput, match="not an event of a family"):
        event_create(access=access, family=family, tag="OCCU")
    with pytest.raises(InvalidInput, match="person's own form"):
        event_create(access=access, person=small_tree.father, tag="BIRT")
    with pytest.raises(InvalidInput, match="one person or family"):
        event_create(access=access, person=small_tree.father, family=family, tag="RESI")
    with pytest.raises(InvalidInput, match="belongs to one partner"):
        event_create(access=access, family=family, tag="MARR", age="30")
    marriage = event_create(access=access, family=family, tag="MARR", date="12 JUN 1958", place="York Minster")
    assert marriage.family == family and marriage.person is None


@pytest.mark.parametrize("role", [Role.VIEWER, Role.CASEWORKER, Role.AUDITOR])
def test_only_editors_and_owners_change_events(small_tree, role):
    event = event_create(access=small_tree.owner_access, person=small_tree.father, tag="OCCU")
    access = tree_access_get(user=small_tree.users[role], tree_id=small_tree.tree.pk)
    with pytest.raises(PermissionDenied):
        event_create(access=access, person=small_tree.father, tag="OCCU")
    with pytest.raises(PermissionDenied):
        event_update(access=access, event=event, date="1950")
    with pytest.raises(PermissionDenied):
        event_delete(access=access, event=event)
    editor = tree_access_get(user=small_tree.users[Role.EDITOR], tree_id=small_tree.tree.pk)
    event_delete(access=editor, event=event)
    assert not Event.objects.exists()


def test_editor_who_may_not_see_the_living_cannot_edit_them(small_tree):
    editor = small_tree.users[Role.EDITOR]
    small_tree.tree.memberships.filter(user=editor).update(can_see_living=False)
    access = tree_access_get(user=editor, tree_id=small_tree.tree.pk)
    with pytest.raises(PermissionDenied, match="presumed living"):
        event_create(access=access, person=small_tree.child, tag="OCCU")
    event_create(access=access, person=small_tree.grandfather, tag="OCCU")  # long dead: allowed


def test_another_trees_person_is_not_found(small_tree):
    other_access = tree_access_get(user=small_tree.users[Role.OWNER], tree_id=small_tree.tree.pk)
    from cases.services.trees import tree_create

    other = tree_create(name="Other", owner=small_tree.users[Role.OWNER])
    stranger = person_create(
        access=tree_access_get(user=small_tree.users[Role.OWNER], tree_id=other.pk), given_names="Stranger"
    )
    with pytest.raises(NotFound):
        event_create(access=other_access, person=stranger, tag="OCCU")


def test_edited_events_and_age_reach_the_gedcom_export(small_tree):
    access = small_tree.owner_access
    event_create(
        access=access,
        person=small_tree.father,
        tag="OCCU",
        date="ABT 1955",
        age="25",
        description="Carpenter",
        place="Leeds",
    )
    family = family_create(access=access, partner1=small_tree.grandfather, partner2=small_tree.mother)
    event_create(access=access, family=family, tag="ENGA", date="1957")
    text = gedcom_export(access=access).content.decode("utf-8-sig")
    assert "1 OCCU Carpenter\n2 DATE ABT 1955\n2 PLAC Leeds\n2 AGE 25y" in text.replace("\r\n", "\n")
    assert "1 ENGA\n2 DATE 1957" in text.replace("\r\n", "\n")
