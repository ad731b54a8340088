"""Merging two records of one person in a real browser, desktop and phone; viewers get no way in."""

from __future__ import annotations

from pathlib import Path

import pytest

from cases.access import tree_access_get
from cases.models import Event, Person
from cases.services.families import family_child_add, family_create
from cases.services.persons import person_create
from cases.services.trees import membership_set, tree_create
from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def twins():
    """Queen Victoria entered twice: once with her parents, once (as HANOVER) with a title and a birthplace."""
    owner, viewer = UserFactory(username="owner"), UserFactory(username="reader")
    tree = tree_create(name="Royals", owner=owner)
    access = tree_access_get(user=owner, tree_id=tree.pk)
    membership_set(access=access, user=viewer, role="viewer")
    edward = person_create(
        access=access, given_names="Edward", surname="Kent", sex="M", birth_date="1767", death_date="1820"
    )
    victoire = person_create(
        access=access, given_names="Victoire", surname="Saxe-Coburg", sex="F", birth_date="1786", death_date="1861"
    )
    victoria = person_create(
        access=access, given_names="Victoria", surname="Hanover", sex="F", birth_date="1819", death_date="1901"
    )
    copy = person_create(
        access=access,
        given_names="Victoria",
        surname="HANOVER",
        sex="F",
        birth_date="24 MAY 1819",
        death_date="22 JAN 1901",
        birth_place="Kensington Palace",
    )
    albert = person_create(
        access=access, given_names="Albert", surname="Saxe-Coburg", sex="M", birth_date="1819", death_date="1861"
    )
    family_child_add(
        access=access, family=family_create(access=access, partner1=edward, partner2=victoire), child=victoria
    )
    family_create(access=access, partner1=albert, partner2=copy, start_date="10 FEB 1840")
    Event.objects.create(tree=tree, person=copy, tag="TITL", value="Queen of the United Kingdom")
    return tree, victoria, copy


@pytest.mark.parametrize("width", [1280, 390])
def test_owner_merges_two_duplicates_through_the_review(log_in, live_server, twins, artifacts: Path, width):
    tree, victoria, copy = twins
    page = log_in("owner", width=width)
    page.goto(f"{live_server.url}/trees/{tree.pk}/persons/")
    page.get_by_role("link", name="Possible duplicates").click()
    row = page.locator("table.duplicates tbody tr")
    assert row.count() == 1
    assert "same name (Victoria Hanover)" in row.inner_text()
    page.screenshot(path=str(artifacts / f"merge-duplicates-owner-{width}.png"), full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    row.get_by_role("link", name="Review").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Merge two records of one person"
    removed = page.get_by_role("region", name="Removed record")
    assert "Title: Queen of the United Kingdom" in removed.inner_text() and "Albert Saxe-Coburg" in removed.inner_text()
    assert "Edward Kent" in page.get_by_role("region", name="Kept record").inner_text()
    page.get_by_label("Birth date: 24 May 1819 (removed record)").check()
    assert page.get_by_label("Birth place: Kensington Palace (removed record)").is_checked()  # only it has one
    page.screenshot(path=str(artifacts / f"merge-review-owner-{width}.png"), full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    page.get_by_role("button", name="Merge these two records").click()
    page.wait_for_url(f"**{victoria.get_absolute_url()}")
    assert "Merged: Victoria Hanover now holds both records." in page.get_by_role("status").inner_text()
    assert page.get_by_role("link", name="Albert Saxe-Coburg").count() >= 1  # the copy's marriage moved over
    page.screenshot(path=str(artifacts / f"merge-done-owner-{width}.png"), full_page=True)
    merged = Person.objects.get(pk=victoria.pk)
    assert not Person.objects.filter(pk=copy.pk).exists()
    assert (merged.birth_date, merged.birth_place) == ("24 MAY 1819", "Kensington Palace")


def test_merge_with_from_the_person_page(log_in, live_server, twins):
    tree, victoria, copy = twins
    page = log_in("owner", width=1280)
    page.goto(f"{live_server.url}{victoria.get_absolute_url()}")
    page.get_by_role("link", name="Merge with…").click()
    page.get_by_label("Find the other record by name").fill("Hanover")
    page.get_by_role("button", name="Search").click()
    page.get_by_role("link", name="Review merge with Victoria Hanover").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Merge two records of one person"
    page.get_by_role("link", name="Keep the other record instead").click()
    assert f"keep={copy.pk}" in page.url


@pytest.mark.parametrize("width", [1280, 390])
def test_viewers_see_no_way_to_merge(log_in, live_server, twins, artifacts: Path, width):
    tree, victoria, copy = twins
    page = log_in("reader", width=width)
    page.goto(f"{live_server.url}{victoria.get_absolute_url()}")
    assert page.get_by_role("link", name="Merge with…").count() == 0
    page.goto(f"{live_server.url}/trees/{tree.pk}/persons/")
    assert page.get_by_role("link", name="Possible duplicates").count() == 0
    response = page.goto(f"{live_server.url}/trees/{tree.pk}/duplicates/")
    assert response.status == 403
    page.screenshot(path=str(artifacts / f"merge-duplicates-viewer-{width}.png"), full_page=True)
    response = page.goto(f"{live_server.url}/trees/{tree.pk}/merge/?keep={victoria.pk}&remove={copy.pk}")
    assert response.status == 403
    assert "does not allow" in page.locator("main").inner_text()
    page.screenshot(path=str(artifacts / f"merge-review-viewer-{width}.png"), full_page=True)
