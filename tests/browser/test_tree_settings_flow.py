"""Tree settings in a real browser: the owner picks a name format and pages, the chart and history follow it."""

from __future__ import annotations

from pathlib import Path

import pytest

from cases.access import tree_access_get
from cases.history import acting_as
from cases.services.families import family_create
from cases.services.persons import person_create
from cases.services.trees import membership_set, tree_create
from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def couple():
    """A couple long dead, recorded by the owner; a viewer belongs to the tree."""
    owner, viewer = UserFactory(username="owner"), UserFactory(username="reader")
    tree = tree_create(name="Gales", owner=owner)
    access = tree_access_get(user=owner, tree_id=tree.pk)
    membership_set(access=access, user=viewer, role="viewer")
    with acting_as(owner):
        ann = person_create(
            access=access, given_names="Ann", surname="GALE", sex="F", birth_date="1850", death_date="1920"
        )
        bob = person_create(
            access=access, given_names="Bob", surname="Gale", sex="M", birth_date="1848", death_date="1910"
        )
        family = family_create(access=access, partner1=bob, partner2=ann, start_date="1872")
    return tree, ann, family


@pytest.mark.parametrize("width", [1280, 390])
def test_owner_sets_the_name_format_and_every_page_follows(log_in, live_server, couple, artifacts: Path, width):
    tree, ann, family = couple
    page = log_in("owner", width=width)
    page.goto(f"{live_server.url}{ann.get_absolute_url()}")
    assert page.get_by_role("heading", level=1).inner_text() == "Ann Gale"
    page.get_by_role("link", name="Settings").click()
    page.get_by_label("Surname, Given — Kennedy, John Fitzgerald", exact=True).check()
    page.get_by_role("button", name="Save settings").click()
    assert "settings were saved" in page.locator(".messages").inner_text()
    assert page.get_by_label("Surname, Given — Kennedy, John Fitzgerald", exact=True).is_checked()
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    page.screenshot(path=str(artifacts / f"tree-settings-{width}.png"), full_page=True)
    page.goto(f"{live_server.url}{ann.get_absolute_url()}")
    assert page.get_by_role("heading", level=1).inner_text() == "Gale, Ann"
    page.goto(f"{live_server.url}{family.get_absolute_url()}")
    assert page.get_by_role("link", name="Gale, Bob").first.is_visible()
    page.get_by_role("link", name="Change history").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Change history of the family of Gale, Bob & Gale, Ann"
    page.screenshot(path=str(artifacts / f"family-history-{width}.png"), full_page=True)
    page.goto(f"{live_server.url}/trees/{tree.pk}/?focus={ann.pk}")
    page.locator("#chart-svg").wait_for()
    assert page.get_by_role("link", name="Gale, Ann", exact=False).count() >= 1


def test_viewer_has_no_settings(log_in, live_server, couple):
    tree, ann, _ = couple
    page = log_in("reader", width=390)
    page.goto(f"{live_server.url}{ann.get_absolute_url()}")
    assert page.get_by_role("link", name="Settings").count() == 0
    response = page.goto(f"{live_server.url}/trees/{tree.pk}/settings/")
    assert response.status == 403
