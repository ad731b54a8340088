"""Editing records in a browser: a family with a new child, a cited birth, tagged faces; viewers see no controls."""

from __future__ import annotations

from pathlib import Path

import pytest

from cases.access import tree_access_get
from cases.models import Citation, Face, Family, Person, Photo
from cases.services.persons import person_create
from cases.services.trees import membership_set, tree_create
from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def couple():
    """Two unconnected persons in a tree with an owner and a viewer."""
    owner, viewer = UserFactory(username="owner"), UserFactory(username="reader")
    tree = tree_create(name="Dents", owner=owner)
    access = tree_access_get(user=owner, tree_id=tree.pk)
    membership_set(access=access, user=viewer, role="viewer")
    arthur = person_create(
        access=access, given_names="Arthur", surname="Dent", sex="M", birth_date="1950", death_date="2020"
    )
    trillian = person_create(
        access=access, given_names="Tricia", surname="McMillan", sex="F", birth_date="1952", death_date="2021"
    )
    return tree, arthur, trillian


def _fits(page, width: int) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= width, "the page runs off the screen"


@pytest.mark.parametrize("width", [1280, 390])
def test_family_with_two_partners_a_new_child_and_a_cited_birth(log_in, live_server, couple, artifacts: Path, width):
    tree, arthur, tricia = couple
    page = log_in("owner", width=width)
    page.goto(f"{live_server.url}{arthur.get_absolute_url()}")
    page.get_by_role("link", name="Add a partner or family").click()
    assert page.get_by_label("First partner").input_value() == f"Arthur Dent (1950–2020) #{arthur.pk}"
    partner = page.get_by_label("Second partner")
    partner.press_sequentially("McMil", delay=30)
    # The suggestions come from the lookup; pick the one offered.
    page.wait_for_function("document.querySelectorAll('#partner2-options option').length > 0")
    offered = page.locator("#partner2-options option").first.get_attribute("value")
    assert offered == f"Tricia McMillan (1952–2021) #{tricia.pk}"
    partner.fill(offered)
    page.get_by_label("Type of union").select_option(label="Married")
    page.get_by_label("From").fill("about spring 1980")
    page.get_by_role("button", name="Create family").click()
    assert "is not a date Kinship can read" in page.get_by_role("alert").inner_text()
    page.screenshot(path=str(artifacts / f"edit-family-form-error-{width}.png"), full_page=True)
    _fits(page, width)
    page.get_by_label("From").fill("ABT 1980")
    page.get_by_role("button", name="Create family").click()
    page.wait_for_url("**/families/*/")
    family = Family.objects.get(partner1=arthur, partner2=tricia)
    assert (family.family_type, family.start_date) == ("married", "ABT 1980")

    new_child = page.locator("form", has=page.get_by_role("button", name="Create and add the new child"))
    new_child.get_by_label("Given names").fill("Random")
    new_child.get_by_label("Sex").select_option(label="Female")
    new_child.get_by_role("button", name="Create and add the new child").click()
    assert page.get_by_text("Child added.").is_visible()
    child = Person.objects.get(given_names="Random")
    assert (child.surname, child.sex, child.parent_links.get().family) == ("Dent", "F", family)
    page.screenshot(path=str(artifacts / f"edit-family-children-{width}.png"), full_page=True)
    _fits(page, width)

    page.get_by_role("link", name="Sources", exact=True).click()
    page.get_by_role("link", name="Add a repository").click()
    page.get_by_label("Name").fill("Magrathea Record Office")
    page.get_by_label("Address or web address").fill("1 Planet Way")
    page.screenshot(path=str(artifacts / f"edit-repository-form-{width}.png"), full_page=True)
    page.get_by_role("button", name="Add repository").click()
    page.get_by_role("link", name="Add a source").click()
    page.get_by_label("Title").fill("Register of births, Islington")
    page.get_by_label("Kept at (repository)").select_option(label="Magrathea Record Office")
    page.screenshot(path=str(artifacts / f"edit-source-form-{width}.png"), full_page=True)
    _fits(page, width)
    page.get_by_role("button", name="Add source").click()
    assert page.get_by_role("cell", name="Magrathea Record Office").is_visible()
    page.screenshot(path=str(artifacts / f"edit-source-list-{width}.png"), full_page=True)
    _fits(page, width)

    page.goto(f"{live_server.url}{child.get_absolute_url()}")
    page.get_by_role("link", name="Cite a source for Random Dent").click()
    page.get_by_label("Which fact does it support?").select_option(label="Birth")
    page.get_by_label("Source", exact=True).select_option(label="Register of births, Islington")
    page.get_by_label("Where in the source").fill("entry 42")
    page.get_by_label("Quality of the evidence").select_option("3")
    page.screenshot(path=str(artifacts / f"edit-citation-form-{width}.png"), full_page=True)
    _fits(page, width)
    page.get_by_role("button", name="Add citation").click()
    citation = Citation.objects.get()
    assert (citation.person, citation.fact, citation.page, citation.quality) == (child, "BIRT", "entry 42", 3)
    birth = page.locator("table.timeline tr", has_text="Birth")
    assert "Register of births, Islington, entry 42" in birth.inner_text()
    assert "quality 3 of 3" in birth.inner_text()
    page.screenshot(path=str(artifacts / f"edit-cited-birth-{width}.png"), full_page=True)
    _fits(page, width)


def test_tag_a_face_and_choose_the_portrait(log_in, live_server, couple, artifacts: Path):
    from cases.services.photos import photo_detect_faces
    from genetics.samples import grace_hopper
    from tests.images import jpeg_bytes

    tree, arthur, tricia = couple
    page = log_in("owner", width=1280)
    page.goto(f"{live_server.url}{arthur.get_absolute_url()}")
    page.get_by_label("Photo (JPEG, PNG, WebP or TIFF)").set_input_files(
        {"name": "hopper.jpg", "mimeType": "image/jpeg", "buffer": jpeg_bytes(grace_hopper(), quality=92)}
    )
    page.get_by_label("Title").fill("Group photo")
    page.get_by_role("button", name="Upload").click()
    photo = Photo.objects.get()
    photo_detect_faces(photo_id=photo.pk)  # what the worker does after the upload
    page.reload()
    page.get_by_text("Who is in this photo? Tag the faces").click()
    tag = page.get_by_label("Face 1 is")
    tag.fill("Tricia")
    page.get_by_role("button", name="Tag face 1").click()
    assert page.get_by_text("Face tagged as Tricia McMillan.").is_visible()
    assert Face.objects.get().person == tricia
    page.screenshot(path=str(artifacts / "edit-face-tagged-1280.png"), full_page=True)
    page.goto(f"{live_server.url}{tricia.get_absolute_url()}")
    page.get_by_label("Which face is Tricia McMillan?").select_option(label="Face 1 (Tricia McMillan)")
    page.get_by_role("button", name="Use as portrait").click()
    assert page.get_by_text("Portrait chosen.").is_visible()
    tricia.refresh_from_db()
    assert tricia.portrait_face == Face.objects.get()
    page.get_by_text("Who is in this photo? Tag the faces").click()
    page.screenshot(path=str(artifacts / "edit-portrait-chosen-1280.png"), full_page=True)


@pytest.mark.parametrize("width", [1280, 390])
def test_viewer_sees_no_editing_controls(log_in, live_server, couple, artifacts: Path, width):
    from cases.services.families import family_create
    from cases.services.sources import citation_create, source_create

    tree, arthur, tricia = couple
    access = tree_access_get(user=tree.created_by, tree_id=tree.pk)
    family = family_create(access=access, partner1=arthur, partner2=tricia, start_date="1980")
    source = source_create(access=access, title="Marriage register")
    citation_create(access=access, source=source, family=family, fact="MARR", page="p. 7")
    page = log_in("reader", width=width)
    for url, name in (
        (arthur.get_absolute_url(), "person"),
        (family.get_absolute_url(), "family"),
        (f"/trees/{tree.pk}/sources/", "sources"),
    ):
        page.goto(f"{live_server.url}{url}")
        main = page.locator("main")
        for label in (
            "Add a partner or family",
            "Cite a source",
            "Edit partners, type and dates",
            "Add a source",
            "Add a repository",
            "edit family",
            "Delete this family…",
        ):
            assert main.get_by_role("link", name=label).count() == 0, (name, label)
        assert main.locator("form[method=post]").count() == 0, name
        if name == "family":  # the evidence is shown, only the controls are not
            assert "Source: Marriage register, p. 7" in main.inner_text()
        page.screenshot(path=str(artifacts / f"edit-viewer-{name}-{width}.png"), full_page=True)
        _fits(page, width)
