"""Genealogy flows in a real browser: read a person, search, relationship calculator, members — desktop and phone."""

from __future__ import annotations

from pathlib import Path

import pytest

from cases.access import tree_access_get
from cases.models import Event, Membership
from cases.services.families import family_child_add, family_create
from cases.services.persons import person_create
from cases.services.trees import membership_set, tree_create
from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def family():
    """Queen Victoria's line, enough for every flow: parents, children, a cousin, a living great-grandchild."""
    owner, viewer = UserFactory(username="owner"), UserFactory(username="reader")
    UserFactory(username="newcomer")
    tree = tree_create(name="Royals", owner=owner)
    access = tree_access_get(user=owner, tree_id=tree.pk)
    membership_set(access=access, user=viewer, role="viewer")
    people = {}
    for key, given, surname, sex, born, died in [
        ("edward", "Edward", "Kent", "M", "2 NOV 1767", "23 JAN 1820"),
        ("victoire", "Victoire", "Saxe-Coburg", "F", "17 AUG 1786", "16 MAR 1861"),
        ("victoria", "Alexandrina Victoria", "HANOVER", "F", "24 MAY 1819", "22 JAN 1901"),
        ("albert", "Albert", "Saxe-Coburg", "M", "26 AUG 1819", "14 DEC 1861"),
        ("vicky", "Victoria", "Saxe-Coburg", "F", "21 NOV 1840", "5 AUG 1901"),
        ("bertie", "Albert Edward", "Saxe-Coburg", "M", "9 NOV 1841", "6 MAY 1910"),
        ("wilhelm", "Wilhelm", "Hohenzollern", "M", "27 JAN 1859", "4 JUN 1941"),
        ("george", "George", "Windsor", "M", "3 JUN 1865", "20 JAN 1936"),
        ("heir", "Young", "Windsor", "M", "2001", ""),
    ]:
        people[key] = person_create(
            access=access, given_names=given, surname=surname, sex=sex, birth_date=born, death_date=died
        )
    kent = family_create(access=access, partner1=people["edward"], partner2=people["victoire"], start_date="1818")
    family_child_add(access=access, family=kent, child=people["victoria"])
    royal = family_create(
        access=access, partner1=people["albert"], partner2=people["victoria"], start_date="10 FEB 1840"
    )
    for child in ("vicky", "bertie"):
        family_child_add(access=access, family=royal, child=people[child])
    family_child_add(
        access=access, family=family_create(access=access, partner2=people["vicky"]), child=people["wilhelm"]
    )
    family_child_add(
        access=access, family=family_create(access=access, partner1=people["bertie"]), child=people["george"]
    )
    family_child_add(
        access=access, family=family_create(access=access, partner1=people["george"]), child=people["heir"]
    )
    Event.objects.create(
        tree=tree, person=people["victoria"], tag="TITL", value="Queen of the United Kingdom", date="20 JUN 1837"
    )
    Event.objects.create(
        tree=tree, person=people["victoria"], tag="BURI", date="4 FEB 1901", place="Frogmore, Windsor, England"
    )
    return tree, people


@pytest.mark.parametrize("width", [1280, 390])
def test_person_page_reads_like_a_genealogists(log_in, live_server, family, artifacts: Path, width):
    tree, people = family
    page = log_in("owner", width=width)
    page.goto(f"{live_server.url}{people['victoria'].get_absolute_url()}")
    assert page.get_by_role("heading", level=1).inner_text() == "Alexandrina Victoria Hanover"
    timeline = page.locator("table.timeline")
    text = timeline.inner_text()
    for expected in (
        "24 May 1819",
        "Title",
        "Queen of the United Kingdom",
        "Burial",
        "Marriage",
        "10 February 1840",
        "Frogmore, Windsor, England",
    ):
        assert expected in text
    marriage = timeline.locator("tr", has_text="Marriage")
    assert "20" in marriage.locator("td[data-label=Age]").inner_text()
    relatives = page.locator("#relatives ~ *")
    assert relatives.get_by_role("link", name="Edward Kent").count() >= 1
    assert page.get_by_role("link", name="Victoria Saxe-Coburg").count() >= 1
    page.screenshot(path=str(artifacts / f"person-timeline-{width}.png"), full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= width  # nothing runs off a phone screen
    page.get_by_role("link", name="Frogmore, Windsor, England").first.click()
    assert page.get_by_role("heading", level=1).inner_text() == "Frogmore, Windsor, England"
    page.get_by_role("link", name="England", exact=True).click()
    assert page.get_by_role("cell", name="Burial").is_visible()
    page.screenshot(path=str(artifacts / f"place-{width}.png"), full_page=True)


def test_search_any_order_phonetic_and_chart_focus(log_in, live_server, family, artifacts: Path):
    tree, people = family
    page = log_in("owner", width=1280)
    page.goto(f"{live_server.url}/trees/{tree.pk}/persons/")
    page.get_by_label("Names").fill("Victoria Hanover")
    page.get_by_role("button", name="Search").first.click()
    assert page.get_by_role("status").inner_text().startswith("1 match")
    assert page.get_by_role("link", name="Alexandrina Victoria Hanover").is_visible()
    page.get_by_label("Names").fill("Wilhelm Hohenzolern")
    page.get_by_label("sounds like (Soundex)").check()
    page.get_by_role("button", name="Search").first.click()
    assert page.get_by_role("link", name="Wilhelm Hohenzollern").is_visible()
    page.screenshot(path=str(artifacts / "search-phonetic-1280.png"), full_page=True)
    # From the chart: one match focuses the chart on that person instead of opening the person list.
    page.goto(f"{live_server.url}/trees/{tree.pk}/")
    page.get_by_label("Find a person").fill("hanover victoria")
    page.get_by_role("button", name="Search", exact=True).first.click()
    page.wait_for_url(f"**/trees/{tree.pk}/?focus={people['victoria'].pk}")
    page.goto(f"{live_server.url}/trees/{tree.pk}/surnames/")
    assert page.get_by_role("link", name="Saxe-Coburg").is_visible()
    assert page.get_by_role("link", name="Hanover").is_visible()  # HANOVER as a reader writes it


def test_viewers_search_never_finds_the_living(log_in, live_server, family):
    tree, _ = family
    page = log_in("reader", width=390)
    page.goto(f"{live_server.url}/trees/{tree.pk}/persons/?q=Young")
    assert page.get_by_role("status").inner_text().startswith("0 matches")
    page.goto(f"{live_server.url}/trees/{tree.pk}/surnames/")
    assert "Windsor (1)" in page.locator("main").inner_text()  # George counted, the living heir not


@pytest.mark.parametrize("width", [1280, 390])
def test_relationship_calculator_draws_the_path(log_in, live_server, family, artifacts: Path, width):
    tree, people = family
    page = log_in("owner", width=width)
    page.goto(f"{live_server.url}{people['wilhelm'].get_absolute_url()}")
    page.get_by_role("link", name="How is someone related to Wilhelm Hohenzollern?").click()
    page.get_by_label("Search a name").nth(1).fill("George")
    page.get_by_role("button", name="Search names").click()
    page.get_by_label("Choose the second person").select_option(label="George Windsor (1865)")
    page.get_by_role("button", name="Show relationship").click()
    answer = page.locator("p.answer")
    assert answer.inner_text() == "George Windsor is Wilhelm Hohenzollern’s first cousin."
    path = page.get_by_role("group", name="Relationship path")
    for name in (
        "Wilhelm Hohenzollern",
        "Victoria Saxe-Coburg",
        "Alexandrina Victoria Hanover",
        "Albert Saxe-Coburg",
        "Albert Edward Saxe-Coburg",
        "George Windsor",
    ):
        assert path.get_by_role("link", name=name, exact=True).count() == 1
    ancestors = page.locator("p.muted", has_text="nearest common ancestors")
    assert ancestors.get_by_role("link", name="Albert Saxe-Coburg", exact=True).is_visible()
    page.screenshot(path=str(artifacts / f"relationship-{width}.png"), full_page=True)
    path.get_by_role("link", name="George Windsor").click()
    assert page.get_by_role("heading", level=1).inner_text() == "George Windsor"


@pytest.mark.parametrize("width", [1280, 390])
def test_owner_manages_members_viewer_sees_no_controls(log_in, live_server, family, artifacts: Path, width):
    tree, people = family
    page = log_in("owner", width=width)
    page.get_by_role("link", name="Royals").click()
    page.get_by_role("link", name="Members").click()
    invite = page.get_by_role("form", name="Invite a member")
    invite.get_by_label("Username").fill("newcomer")
    invite.get_by_label("Role").select_option("editor")
    invite.get_by_role("button", name="Invite").click()
    assert page.get_by_role("heading", name="newcomer").is_visible()
    page.get_by_label("Find a person for a relatives scope").fill("George")
    page.get_by_role("button", name="Find").click()
    card = page.locator("section.member", has_text="newcomer")
    card.get_by_label("Relatives of").select_option(label="George Windsor")
    card.get_by_label("Within steps").fill("2")
    card.get_by_role("button", name="Save newcomer").click()
    membership = Membership.objects.get(tree=tree, user__username="newcomer")
    assert (membership.role, membership.scope_person_id, membership.scope_depth) == ("editor", people["george"].pk, 2)
    page.screenshot(path=str(artifacts / f"members-{width}.png"), full_page=True)
    page.locator("section.member", has_text="newcomer").get_by_role("button", name="Remove newcomer").click()
    assert "newcomer was removed" in page.get_by_role("status").first.inner_text() or page.locator(
        ".messages"
    ).inner_text().startswith("newcomer was removed")
    assert not Membership.objects.filter(tree=tree, user__username="newcomer").exists()
    reader = log_in("reader", width=width)
    reader.get_by_role("link", name="Royals").click()
    assert reader.get_by_role("link", name="Members").count() == 0
    reader.goto(f"{live_server.url}/trees/{tree.pk}/members/")
    assert reader.get_by_role("form", name="Invite a member").count() == 0
    reader.screenshot(path=str(artifacts / f"members-viewer-{width}.png"), full_page=True)
