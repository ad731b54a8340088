"""Editing pages: owners and editors add, change and delete persons, names, events and notes; others are refused."""

from __future__ import annotations

import pytest
from django.urls import reverse

from cases.models import Case, Event, Note, Person, PersonName, Role
from cases.services.events import event_create
from cases.services.notes import note_create


def _person_post(**overrides):
    data = {
        "given_names": "Frank",
        "surname": "Old",
        "sex": "M",
        "birth_date": "ABT 1925",
        "birth_place": "Leeds",
        "death_date": "",
        "death_place": "",
        "living": "",
        "names-TOTAL_FORMS": "1",
        "names-INITIAL_FORMS": "0",
        "names-MIN_NUM_FORMS": "0",
        "names-MAX_NUM_FORMS": "1000",
        "names-0-id": "",
        "names-0-name_type": "birth",
        "names-0-given_names": "Francis",
        "names-0-surname": "Olde",
    }
    data.update(overrides)
    return data


def _urls(small_tree):
    tree, person = small_tree.tree.pk, small_tree.father.pk
    family = small_tree.father.families_as_partner1.get().pk
    event = event_create(access=small_tree.owner_access, person=small_tree.father, tag="OCCU").pk
    note = note_create(access=small_tree.owner_access, person=small_tree.father, text="A note").pk
    return [
        reverse("person-create", args=[tree]),
        reverse("person-edit", args=[tree, person]),
        reverse("person-delete", args=[tree, person]),
        reverse("person-records", args=[tree, person]),
        reverse("person-event-add", args=[tree, person]),
        reverse("person-note-add", args=[tree, person]),
        reverse("family-records", args=[tree, family]),
        reverse("family-event-add", args=[tree, family]),
        reverse("family-note-add", args=[tree, family]),
        reverse("event-edit", args=[tree, event]),
        reverse("event-delete", args=[tree, event]),
        reverse("note-edit", args=[tree, note]),
        reverse("note-delete", args=[tree, note]),
        reverse("date-understand", args=[tree]) + "?phrase=1900",
    ], reverse("event-move", args=[tree, event])


@pytest.mark.parametrize(
    "who, status",
    [
        (Role.OWNER, 200),
        (Role.EDITOR, 200),
        (Role.VIEWER, 403),
        (Role.CASEWORKER, 403),
        (Role.AUDITOR, 403),
        ("outsider", 404),
    ],
)
def test_every_editing_page_is_for_owners_and_editors_only(small_tree, client, who, status):
    urls, move = _urls(small_tree)
    client.force_login(small_tree.users[who])
    for url in urls:
        assert client.get(url).status_code == status, url
    expected_post = 302 if status == 200 else status
    assert client.post(move, {"direction": "up"}).status_code == expected_post
    if status != 200:
        for url in urls[:3]:
            assert client.post(url, _person_post()).status_code == status, url
        assert Person.objects.count() == 5 and Event.objects.count() == 1 and Note.objects.count() == 1


def test_anonymous_visitors_are_sent_to_log_in(small_tree, client):
    urls, move = _urls(small_tree)
    for url in [*urls, move]:
        response = client.get(url)
        assert response.status_code == 302 and "/login/" in response["Location"], url


@pytest.mark.parametrize("role", [Role.VIEWER, Role.CASEWORKER, Role.AUDITOR])
def test_other_roles_see_no_edit_links(small_tree, client, role):
    client.force_login(small_tree.users[role])
    pages = [
        small_tree.father.get_absolute_url(),
        reverse("person-list", args=[small_tree.tree.pk]),
        reverse("tree-chart", args=[small_tree.tree.pk]),
        reverse("family-detail", args=[small_tree.tree.pk, small_tree.father.families_as_partner1.get().pk]),
    ]
    for url in pages:
        html = client.get(url).content.decode()
        for words in ("Edit person", "Add a person", "Edit events and notes", "Add an event", "Add a note"):
            assert words not in html, (url, words)
    client.force_login(small_tree.users[Role.EDITOR])
    html = client.get(small_tree.father.get_absolute_url()).content.decode()
    assert "Edit person" in html and "Add an event" in html and "Add a note" in html


def test_owner_adds_a_person_with_an_alternate_name_then_edits_and_deletes(small_tree, client):
    client.force_login(small_tree.users[Role.OWNER])
    response = client.post(reverse("person-create", args=[small_tree.tree.pk]), _person_post())
    person = Person.objects.get(given_names="Frank")
    assert response.status_code == 302 and response["Location"] == person.get_absolute_url()
    assert (person.birth_date, person.birth_date_start.year, person.estimated_birth_year) == ("ABT 1925", 1925, 1925)
    name = PersonName.objects.get(person=person)
    assert (name.name_type, name.given_names, name.surname) == ("birth", "Francis", "Olde")
    edit = reverse("person-edit", args=[small_tree.tree.pk, person.pk])
    form = client.get(edit).content.decode()
    assert 'value="ABT 1925"' in form and 'value="Francis"' in form
    response = client.post(
        edit,
        _person_post(
            **{
                "given_names": "Franklin",
                "living": "no",
                "is_deceased": "on",
                "names-TOTAL_FORMS": "2",
                "names-INITIAL_FORMS": "1",
                "names-0-id": str(name.pk),
                "names-0-DELETE": "on",
                "names-1-id": "",
                "names-1-name_type": "married",
                "names-1-given_names": "",
                "names-1-surname": "Smith",
            }
        ),
    )
    assert response.status_code == 302
    person.refresh_from_db()
    assert (person.given_names, person.living_override, person.is_deceased) == ("Franklin", False, True)
    assert list(PersonName.objects.filter(person=person).values_list("name_type", "surname")) == [("married", "Smith")]
    delete = reverse("person-delete", args=[small_tree.tree.pk, person.pk])
    assert "Delete Franklin Old?" in client.get(delete).content.decode()
    assert client.post(delete).status_code == 302
    assert not Person.objects.filter(pk=person.pk).exists()


def test_a_date_the_server_cannot_read_is_shown_next_to_its_field_and_nothing_is_saved(small_tree, client):
    client.force_login(small_tree.users[Role.OWNER])
    response = client.post(
        reverse("person-create", args=[small_tree.tree.pk]),
        _person_post(birth_date="31 FEB 1925", given_names="Nobody"),
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert 'id="id_birth_date_error"' in html and "day 31 does not exist in FEB 1925" in html
    assert 'href="#id_birth_date"' in html  # the error summary links to the field
    assert 'aria-describedby="id_birth_date_helptext id_birth_date_error"' in html
    assert not Person.objects.filter(given_names="Nobody").exists()
    assert not PersonName.objects.filter(given_names="Francis").exists()


def test_an_imported_odd_date_does_not_block_saving_other_changes(small_tree, client):
    small_tree.father.birth_date = "the year of the flood"
    small_tree.father.save()
    client.force_login(small_tree.users[Role.OWNER])
    response = client.post(
        reverse("person-edit", args=[small_tree.tree.pk, small_tree.father.pk]),
        _person_post(birth_date="the year of the flood", given_names="Charlie", death_date="2000"),
    )
    assert response.status_code == 302
    small_tree.father.refresh_from_db()
    assert (small_tree.father.given_names, small_tree.father.birth_date) == ("Charlie", "the year of the flood")


def test_delete_refused_when_a_case_depends_on_the_person_shows_the_reason(case_tree, client):
    client.force_login(case_tree.users[Role.OWNER])
    response = client.post(reverse("person-delete", args=[case_tree.tree.pk, case_tree.child.pk]))
    assert response.status_code == 409
    assert "is needed by other records and cannot be deleted" in response.content.decode()
    assert Case.objects.filter(missing_person=case_tree.child).exists()


def test_events_and_notes_are_added_edited_moved_and_deleted(small_tree, client):
    client.force_login(small_tree.users[Role.EDITOR])
    tree, father = small_tree.tree.pk, small_tree.father
    add = reverse("person-event-add", args=[tree, father.pk])
    assert (
        client.post(
            add,
            {
                "tag": "OCCU",
                "date": "ABT 1955",
                "place": "Leeds",
                "age": "25",
                "description": "Carpenter",
                "event_type": "",
            },
        ).status_code
        == 302
    )
    assert (
        client.post(
            add, {"tag": "EVEN", "event_type": "Military service", "date": "1948", "description": "Royal Navy"}
        ).status_code
        == 302
    )
    bad = client.post(add, {"tag": "RESI", "date": "1950", "age": "thirty"})
    assert bad.status_code == 400 and "is not an age" in bad.content.decode()
    occupation, service = Event.objects.filter(person=father)
    records = client.get(reverse("person-records", args=[tree, father.pk])).content.decode()
    assert "Carpenter" in records and "about 1955" in records and "25y" in records and "Military service" in records
    timeline = client.get(father.get_absolute_url()).content.decode()
    assert '<td data-label="Age">25</td>' in timeline  # the recorded AGE, not 1955 − 1930 computed
    client.post(reverse("event-move", args=[tree, service.pk]), {"direction": "up"})
    assert list(Event.objects.filter(person=father)) == [service, occupation]
    edit = reverse("event-edit", args=[tree, occupation.pk])
    assert 'value="ABT 1955"' in client.get(edit).content.decode()
    client.post(edit, {"tag": "OCCU", "date": "BET 1955 AND 1960", "place": "York", "age": "", "description": "Joiner"})
    occupation.refresh_from_db()
    assert (occupation.value, occupation.place, occupation.date_end.year) == ("Joiner", "York", 1960)
    client.post(reverse("event-delete", args=[tree, occupation.pk]))
    assert list(Event.objects.filter(person=father)) == [service]
    family = father.families_as_partner1.get()
    assert (
        client.post(
            reverse("family-event-add", args=[tree, family.pk]),
            {"tag": "MARR", "date": "12 JUN 1958", "place": "York Minster"},
        ).status_code
        == 302
    )
    assert Event.objects.get(family=family).tag == "MARR"
    assert client.post(reverse("family-note-add", args=[tree, family.pk]), {"text": "Eloped."}).status_code == 302
    note = Note.objects.get(family=family)
    client.post(reverse("note-edit", args=[tree, note.pk]), {"text": "Eloped to Gretna Green."})
    note.refresh_from_db()
    assert note.text == "Eloped to Gretna Green."
    client.post(reverse("note-delete", args=[tree, note.pk]))
    assert not Note.objects.filter(pk=note.pk).exists()


def test_date_endpoint_explains_a_phrase(small_tree, client):
    client.force_login(small_tree.users[Role.EDITOR])
    url = reverse("date-understand", args=[small_tree.tree.pk])
    assert client.get(url, {"phrase": "ABT 1925"}).json() == {
        "text": "ABT 1925",
        "shown": "about 1925",
        "error": "",
        "earliest": "1925-01-01",
        "latest": "1925-12-31",
    }
    assert "day 31 does not exist" in client.get(url, {"phrase": "31 FEB 1900"}).json()["error"]


def test_an_imported_event_of_a_tag_the_form_does_not_offer_can_still_be_edited(small_tree, client):
    second_birth = Event.objects.create(tree=small_tree.tree, person=small_tree.father, tag="BIRT", date="1931")
    client.force_login(small_tree.users[Role.OWNER])
    url = reverse("event-edit", args=[small_tree.tree.pk, second_birth.pk])
    assert '<option value="BIRT" selected>Birth</option>' in client.get(url).content.decode()
    assert client.post(url, {"tag": "BIRT", "date": "1931", "place": "Hull"}).status_code == 302
    second_birth.refresh_from_db()
    assert second_birth.place == "Hull"
    refused = client.post(
        reverse("person-event-add", args=[small_tree.tree.pk, small_tree.father.pk]), {"tag": "BIRT", "date": "1931"}
    )
    assert refused.status_code == 400 and Event.objects.count() == 1


def test_records_page_costs_the_same_for_few_and_many_events(small_tree, client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(small_tree.users[Role.EDITOR])
    url = reverse("person-records", args=[small_tree.tree.pk, small_tree.father.pk])
    counts = []
    for extra in (1, 12):
        for _ in range(extra):
            event_create(access=small_tree.owner_access, person=small_tree.father, tag="RESI", date="1950", age="20")
            note_create(access=small_tree.owner_access, person=small_tree.father, text="More")
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_person_form_saves_and_shows_hair_colour_and_ancestry(small_tree, client):
    from cases.models import RecordChange

    tree, father = small_tree.tree.pk, small_tree.father
    client.force_login(small_tree.users[Role.OWNER])
    edit = reverse("person-edit", args=[tree, father.pk])
    form = client.get(edit).content.decode()
    assert "Not stated: read from the photo" in form and "only as the gene-pool key" in form
    response = client.post(
        edit, _person_post(given_names="Charles", hair_colour="dark_brown", ancestry="East Asian", death_date="2000")
    )
    assert response.status_code == 302
    father.refresh_from_db()
    assert (father.hair_colour, father.ancestry) == ("dark_brown", "East Asian")
    form = client.get(edit).content.decode()
    assert '<option value="dark_brown" selected>' in form and '<option value="East Asian" selected>' in form
    change = RecordChange.objects.filter(record_type="person", object_id=father.pk).first()
    assert (change.after["hair_colour"], change.after["ancestry"]) == ("dark_brown", "East Asian")
    assert "hair colour" in change.summary.lower() and "ancestry" in change.summary.lower()
    client.force_login(small_tree.users[Role.VIEWER])  # the father is dead: his details are open to viewers
    page = client.get(father.get_absolute_url()).content.decode()
    assert "Natural hair colour</dt><dd>Dark brown" in page and "East Asian" in page

    client.force_login(small_tree.users[Role.OWNER])
    response = client.post(reverse("person-create", args=[tree]), _person_post(hair_colour="red", ancestry=""))
    assert response.status_code == 302
    assert Person.objects.values_list("hair_colour", "ancestry").get(given_names="Frank") == ("red", "")
    refused = client.post(edit, _person_post(given_names="Charles", hair_colour="purple"))
    assert refused.status_code == 400 and "purple is not one of the available choices" in refused.content.decode()


def test_living_persons_hair_colour_and_ancestry_are_hidden_like_their_other_details(small_tree, client):
    from cases.services.persons import person_update

    person_update(
        access=small_tree.owner_access, person=small_tree.mother, hair_colour="blond", ancestry="Middle Eastern"
    )
    client.force_login(small_tree.users[Role.VIEWER])
    page = client.get(small_tree.mother.get_absolute_url()).content.decode()
    assert "Blond" not in page and "Middle Eastern" not in page
    client.force_login(small_tree.users[Role.EDITOR])
    page = client.get(small_tree.mother.get_absolute_url()).content.decode()
    assert "Blond" in page and "Middle Eastern" in page


def test_a_photos_date_given_on_the_person_page_gives_the_age_on_it(small_tree, client):
    from cases.services.photos import photo_upload
    from tests.images import jpeg_bytes

    photo = photo_upload(access=small_tree.owner_access, data=jpeg_bytes(), persons=[small_tree.mother])
    page = reverse("person-detail", args=[small_tree.tree.pk, small_tree.mother.pk])
    url = reverse("photo-details", args=[small_tree.tree.pk, photo.pk])
    client.force_login(small_tree.users[Role.OWNER])
    html = client.get(page).content.decode()
    assert f'action="{url}"' in html and "(no date yet: the age on it is unknown)" in html
    # Back to the top of the page, where the message saying what happened is shown.
    form = html[html.index(f'action="{url}"') :]
    assert f'<input type="hidden" name="next" value="{page}">' in form[: form.index("</form>")]
    given = {"title": "Graduation", "date_taken": "12 JUN 1984", "next": page}
    response = client.post(url, given, follow=True)
    html = response.content.decode()
    assert response.redirect_chain[-1][0] == page
    assert "Photo details saved." in html and "Graduation" in html and "age 23–24" in html
    refused = client.post(url, {"title": "Graduation", "date_taken": "31 FEB 1984", "next": page}, follow=True)
    assert "The photo&#x27;s details were not saved: " in refused.content.decode()
    assert "day 31 does not exist in FEB 1984" in refused.content.decode()
    photo.refresh_from_db()
    assert photo.date_taken == "12 JUN 1984"
    client.force_login(small_tree.users[Role.VIEWER])
    assert f'action="{url}"' not in client.get(page).content.decode()
