"""Editing in a real browser: add a person with another name and an event, see dates read before saving,
edit, delete; a viewer sees no edit controls. Desktop and phone width, screenshots of every form."""

from __future__ import annotations

from pathlib import Path

import pytest

from cases.access import tree_access_get
from cases.models import Event, Person, PersonName
from cases.services.persons import person_create
from cases.services.trees import membership_set, tree_create
from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def tree():
    owner, viewer = UserFactory(username="owner"), UserFactory(username="reader")
    tree = tree_create(name="Olds", owner=owner)
    access = tree_access_get(user=owner, tree_id=tree.pk)
    membership_set(access=access, user=viewer, role="viewer")
    person_create(access=access, given_names="Albert", surname="Old", sex="M", birth_date="1890", death_date="1960")
    return tree


def _no_sideways_scroll(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


@pytest.mark.parametrize("width", [1280, 390])
def test_owner_adds_edits_and_deletes_a_person_with_a_name_and_an_event(
    log_in, live_server, tree, artifacts: Path, width
):
    page = log_in("owner", width=width)
    page.goto(f"{live_server.url}/trees/{tree.pk}/persons/")
    page.get_by_role("link", name="Add a person").click()
    page.get_by_label("Given names", exact=True).first.fill("Frank")
    page.locator("#id_surname").fill("Old")
    page.get_by_label("Sex").select_option("M")
    page.locator("#id_names-0-name_type").select_option("birth")
    page.locator("#id_names-0-given_names").fill("Francis")
    page.locator("#id_names-0-surname").fill("Olde")
    page.get_by_label("Birth date", exact=True).fill("ABT 1925")
    reading = page.locator("#id_birth_date_reading")
    reading.get_by_text("about 1925").wait_for()
    assert "1925-01-01" in reading.inner_text() and "1925-12-31" in reading.inner_text()
    page.get_by_label("Death date", exact=True).fill("31 FEB 1990")
    page.locator("#id_death_date_reading").get_by_text("day 31 does not exist").wait_for()
    _no_sideways_scroll(page)
    page.screenshot(path=str(artifacts / f"edit-person-form-{width}.png"), full_page=True)
    page.get_by_role("button", name="Add person").click()
    # The server checks again: the bad death date comes back next to its field, nothing is saved.
    page.locator("#error-summary").wait_for()
    assert "day 31 does not exist" in page.locator("#id_death_date_error").inner_text()
    assert not Person.objects.filter(given_names="Frank").exists()
    page.screenshot(path=str(artifacts / f"edit-person-errors-{width}.png"), full_page=True)
    page.get_by_label("Death date", exact=True).fill("")
    page.get_by_role("button", name="Add person").click()
    page.get_by_role("heading", level=1, name="Frank Old").wait_for()
    person = Person.objects.get(given_names="Frank")
    assert PersonName.objects.get(person=person).surname == "Olde"
    assert "Birth name" in page.locator("dl.facts").inner_text()

    page.get_by_role("link", name="Add an event").click()
    page.get_by_label("Event", exact=True).select_option("EVEN")
    assert page.locator("#id_event_type").is_visible()  # TYPE says what an "Other event" was
    page.get_by_label("Event", exact=True).select_option("OCCU")
    assert not page.locator("#id_event_type").is_visible()
    page.get_by_label("Date", exact=True).fill("ABT 1925")
    page.locator("#id_date_reading").get_by_text("about 1925").wait_for()
    page.get_by_label("Place", exact=True).fill("Leeds, Yorkshire, England")
    page.get_by_label("Age at the event").fill("25")
    page.get_by_label("Description or value").fill("Carpenter")
    _no_sideways_scroll(page)
    page.screenshot(path=str(artifacts / f"edit-event-form-{width}.png"), full_page=True)
    page.get_by_role("button", name="Add event").click()
    page.get_by_role("heading", name="Events and notes: Frank Old").wait_for()
    assert "Carpenter" in page.locator("table.records").inner_text()
    page.get_by_role("link", name="Add a note").click()
    page.get_by_label("Note", exact=True).fill("Worked on the cathedral roof.")
    page.screenshot(path=str(artifacts / f"edit-note-form-{width}.png"), full_page=True)
    page.get_by_role("button", name="Add note").click()
    page.screenshot(path=str(artifacts / f"edit-records-{width}.png"), full_page=True)
    event = Event.objects.get(person=person)
    assert (event.tag, event.date, event.value, event.place) == (
        "OCCU",
        "ABT 1925",
        "Carpenter",
        "Leeds, Yorkshire, England",
    )

    page.goto(f"{live_server.url}{person.get_absolute_url()}")
    timeline = page.locator("table.timeline").inner_text()
    assert "Occupation" in timeline and "about 1925" in timeline and "Carpenter" in timeline
    assert "Worked on the cathedral roof." in page.locator("blockquote.note").inner_text()
    page.screenshot(path=str(artifacts / f"edit-person-page-owner-{width}.png"), full_page=True)
    page.get_by_role("link", name="Edit person").click()
    page.get_by_label("Given names", exact=True).first.fill("Franklin")
    page.locator("#id_names-0-DELETE").check()
    page.get_by_role("button", name="Add another name").click()  # a third row, after the blank one
    page.locator("#id_names-2-name_type").select_option("married")
    page.locator("#id_names-2-surname").fill("Smith")
    page.get_by_role("button", name="Save changes").click()
    page.get_by_role("heading", level=1, name="Franklin Old").wait_for()
    assert list(PersonName.objects.filter(person=person).values_list("name_type", "surname")) == [("married", "Smith")]

    page.get_by_role("link", name="Delete person…").click()
    page.screenshot(path=str(artifacts / f"edit-person-delete-{width}.png"), full_page=True)
    page.get_by_role("button", name="Delete Franklin Old").click()
    page.get_by_role("heading", name="Persons in Olds").wait_for()
    assert not Person.objects.filter(pk=person.pk).exists()


@pytest.mark.parametrize("width", [1280, 390])
def test_viewer_sees_no_edit_controls_and_is_refused_the_forms(log_in, live_server, tree, artifacts: Path, width):
    albert = Person.objects.get(given_names="Albert")
    page = log_in("reader", width=width)
    for url in (albert.get_absolute_url(), f"/trees/{tree.pk}/persons/", f"/trees/{tree.pk}/"):
        page.goto(f"{live_server.url}{url}")
        for name in (
            "Edit person",
            "Add a person",
            "Edit events and notes",
            "Add an event",
            "Add a note",
            "Delete person…",
        ):
            assert page.get_by_role("link", name=name).count() == 0, (url, name)
    page.goto(f"{live_server.url}{albert.get_absolute_url()}")
    page.screenshot(path=str(artifacts / f"edit-person-page-viewer-{width}.png"), full_page=True)
    response = page.goto(f"{live_server.url}/trees/{tree.pk}/persons/{albert.pk}/edit/")
    assert response.status == 403
    page.screenshot(path=str(artifacts / f"edit-person-form-viewer-{width}.png"), full_page=True)


def test_empty_tree_offers_the_first_person_to_its_owner(log_in, live_server, artifacts: Path):
    owner = UserFactory(username="founder")
    empty = tree_create(name="Empty", owner=owner)
    page = log_in("founder", width=390)
    page.goto(f"{live_server.url}/trees/{empty.pk}/")
    page.get_by_role("link", name="Add the first person").click()
    page.get_by_role("heading", name="Add a person to Empty").wait_for()


@pytest.mark.parametrize("width", [1280, 390])
def test_owner_records_a_marriage_and_a_note_on_a_family(log_in, live_server, tree, artifacts: Path, width):
    from cases.services.families import family_create

    access = tree_access_get(user=tree.memberships.get(role="owner").user, tree_id=tree.pk)
    albert = Person.objects.get(given_names="Albert")
    wife = person_create(
        access=access, given_names="Beatrice", surname="Old", sex="F", birth_date="1895", death_date="1970"
    )
    family = family_create(access=access, partner1=albert, partner2=wife)
    page = log_in("owner", width=width)
    page.goto(f"{live_server.url}{family.get_absolute_url()}")
    page.get_by_role("link", name="Edit events and notes of this family").click()
    page.get_by_role("link", name="Add an event").click()
    assert page.get_by_label("Age at the event").count() == 0
    page.get_by_label("Event", exact=True).select_option("MARR")
    page.get_by_label("Date", exact=True).fill("bet 1915 and 1916")
    page.locator("#id_date_reading").get_by_text("between 1915 and 1916").wait_for()
    page.get_by_label("Place", exact=True).fill("St Mary's, Whitby")
    _no_sideways_scroll(page)
    page.screenshot(path=str(artifacts / f"edit-family-event-form-{width}.png"), full_page=True)
    page.get_by_role("button", name="Add event").click()
    page.get_by_role("link", name="Add a note").click()
    page.get_by_label("Note", exact=True).fill("Banns read three Sundays running.")
    page.get_by_role("button", name="Add note").click()
    page.get_by_role("link", name="Delete this note").wait_for()
    _no_sideways_scroll(page)
    page.screenshot(path=str(artifacts / f"edit-family-records-{width}.png"), full_page=True)
    assert Event.objects.get(family=family).place == "St Mary's, Whitby"
    page.get_by_role("link", name="Delete", exact=False).first.click()
    page.screenshot(path=str(artifacts / f"edit-event-delete-{width}.png"), full_page=True)
    assert "Marriage between 1915 and 1916, St Mary's, Whitby." in page.locator("main").inner_text()
    page.get_by_role("button", name="Delete marriage").click()
    page.get_by_text("Marriage deleted.").wait_for()
    assert not Event.objects.filter(family=family).exists()
    page.goto(f"{live_server.url}{albert.get_absolute_url()}")
    assert "Banns read" not in page.content()  # family notes stay on the family page
    page.goto(f"{live_server.url}{family.get_absolute_url()}")
    assert "Banns read three Sundays running." in page.content()
