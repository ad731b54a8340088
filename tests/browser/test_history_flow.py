"""Change history in a real browser: an edit shows up with who and what, and Revert puts the old value back."""

from __future__ import annotations

from pathlib import Path

import pytest

from cases.access import tree_access_get
from cases.history import acting_as
from cases.models import Person
from cases.services.families import family_child_add, family_create
from cases.services.persons import person_create, person_update
from cases.services.trees import membership_set, tree_create
from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def edited():
    """A couple long dead and their living grandchild; the owner has renamed the wife and the grandchild."""
    owner, viewer = UserFactory(username="owner"), UserFactory(username="reader")
    tree = tree_create(name="Gales", owner=owner)
    access = tree_access_get(user=owner, tree_id=tree.pk)
    membership_set(access=access, user=viewer, role="viewer")
    with acting_as(owner):
        ann = person_create(
            access=access,
            given_names="Ann",
            surname="Gale",
            sex="F",
            birth_date="1850",
            death_date="1920",
            birth_place="Bristol",
        )
        bob = person_create(
            access=access, given_names="Bob", surname="Gale", sex="M", birth_date="1848", death_date="1910"
        )
        family = family_create(access=access, partner1=bob, partner2=ann, start_date="1872")
        kid = person_create(access=access, given_names="Kit", surname="Gale", sex="M", birth_date="2001")
        family_child_add(access=access, family=family, child=kid)
        person_update(access=access, person=ann, given_names="Annie", birth_place="Bristol, England")
        person_update(access=access, person=kid, given_names="Christopher")
    return tree, ann, kid


@pytest.mark.parametrize("width", [1280, 390])
def test_owner_reverts_an_edit_from_the_person_history(log_in, live_server, edited, artifacts: Path, width):
    tree, ann, _ = edited
    page = log_in("owner", width=width)
    page.goto(f"{live_server.url}{ann.get_absolute_url()}")
    page.get_by_role("link", name="Change history").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Change history of Annie Gale"
    change = page.locator("li.change").first
    assert "Changed person “Annie Gale”: Given names, Birth place" in change.inner_text()
    assert "by owner" in change.inner_text()
    rows = change.locator("table.diff tbody tr")
    assert [rows.nth(i).inner_text().split("\t") for i in range(rows.count())] == [
        ["Given names", "Ann", "Annie"],
        ["Birth place", "Bristol", "Bristol, England"],
    ]
    page.screenshot(path=str(artifacts / f"history-person-owner-{width}.png"), full_page=True)
    change.get_by_role("button", name="Revert").click()
    assert "reverted (recorded as change" in page.locator(".messages").inner_text()
    newest = page.locator("li.change").first
    assert "Reverted change" in newest.inner_text() and "Annie" in newest.inner_text()
    page.screenshot(path=str(artifacts / f"history-person-reverted-{width}.png"), full_page=True)
    page.goto(f"{live_server.url}{ann.get_absolute_url()}")
    assert page.get_by_role("heading", level=1).inner_text() == "Ann Gale"
    assert Person.objects.get(pk=ann.pk).birth_place == "Bristol"


@pytest.mark.parametrize("width", [1280, 390])
def test_viewer_reads_history_without_living_details_or_revert(log_in, live_server, edited, artifacts: Path, width):
    tree, ann, kid = edited
    page = log_in("reader", width=width)
    page.goto(f"{live_server.url}/trees/{tree.pk}/")
    page.get_by_role("link", name="History").first.click()
    assert page.get_by_role("heading", level=1).inner_text() == "Change history of Gales"
    text = page.locator("ol.changes").inner_text()
    assert "Annie" in text and "Christopher" not in text and "Kit" not in text
    assert "details hidden from your role" in text
    assert page.get_by_role("button", name="Revert").count() == 0
    page.screenshot(path=str(artifacts / f"history-tree-viewer-{width}.png"), full_page=True)
