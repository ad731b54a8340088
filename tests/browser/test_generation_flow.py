"""The whole flow in a real browser: log in, generate, adopt, and see the synthetic child on the chart."""

from __future__ import annotations

from pathlib import Path

import pytest

from cases.demo import demo_load
from cases.models import Family, Person

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _log_in(context, live_server, username: str, password: str):
    page = context.new_page()
    page.goto(f"{live_server.url}/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(f"{live_server.url}/")
    return page


def test_owner_generates_adopts_and_sees_the_synthetic_child_on_the_chart(browser, live_server, artifacts: Path):
    passwords = demo_load()
    family = Family.objects.get(partner1__given_names="Helen", partner2__given_names="Grace")
    child = Person.objects.get(is_hypothetical=True, surname="Hale-Brandt")
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = _log_in(context, live_server, "demo", passwords["demo"])

    page.get_by_role("link", name="Demo family").click()
    page.locator("#chart-svg").wait_for()
    page.goto(f"{live_server.url}{family.get_absolute_url()}")
    assert page.get_by_role("heading", name="Generate candidates").is_visible()
    page.get_by_label("Image size").select_option("256")
    page.get_by_label("Number of candidates").fill("2")
    page.get_by_role("button", name="Generate", exact=True).click()

    job = page.locator("article.job").first
    job.wait_for()
    assert job.get_attribute("data-state") == "succeeded", job.inner_text()
    candidates = job.locator("figure.candidate")
    assert candidates.count() == 2
    for index in range(2):
        figure = candidates.nth(index)
        assert figure.locator(".badge.synthetic").inner_text() == "synthetic"
        image = figure.locator("img")
        image.scroll_into_view_if_needed()
        page.wait_for_function("img => img.complete && img.naturalWidth === 256", arg=image.element_handle())
    page.screenshot(path=str(artifacts / "family-candidates.png"), full_page=True)

    first = candidates.nth(0)
    first.get_by_label("Adopt as portrait of").select_option(str(child.pk))
    first.get_by_role("button", name="Adopt").click()
    assert page.get_by_role("status").get_by_text("is now the portrait of").is_visible()
    child.refresh_from_db()
    assert child.portrait_face.photo.is_synthetic

    page.goto(f"{live_server.url}/trees/{family.tree_id}/?focus={family.partner1_id}&up=0&down=2")
    node = page.locator(f"a.node[data-person-id='{child.pk}']")
    assert "synthetic-portrait" in node.get_attribute("class")
    assert node.locator(".synthetic-badge text").text_content() == "synthetic"
    portrait = node.locator("image")
    assert f"/photos/{child.portrait_face.photo_id}/thumbnail/" in portrait.get_attribute("href")
    real = page.locator("a.node:not(.synthetic-portrait) image").first
    assert real.count() == 1, "the real parents' photos are on the chart too, without the synthetic frame"
    group = page.locator(f"g.generated-group[data-family-id='{family.pk}']")
    thumbnails = group.locator("image.generated-thumb")
    assert thumbnails.count() == 2, "the job's candidates sit beside the family's real children"
    assert group.locator(".synthetic-badge text").text_content() == "synthetic"
    page.screenshot(path=str(artifacts / "chart-synthetic-child.png"), full_page=True)

    toggle = page.get_by_role("button", name="Hide generated candidates")
    toggle.focus()
    page.keyboard.press("Enter")
    assert not thumbnails.first.is_visible()
    assert group.get_by_text("2 generated").is_visible()
    page.get_by_role("button", name="Show generated candidates").click()
    assert thumbnails.first.is_visible()
    context.close()


def test_viewer_cannot_see_the_generate_button(browser, live_server, artifacts: Path):
    passwords = demo_load()
    family = Family.objects.get(partner1__given_names="Helen", partner2__given_names="Grace")
    context = browser.new_context(viewport={"width": 820, "height": 1180})  # a tablet held upright
    page = _log_in(context, live_server, "demo-viewer", passwords["demo-viewer"])
    page.goto(f"{live_server.url}{family.get_absolute_url()}")
    assert page.get_by_role("heading", name="Generated candidates").is_visible()
    assert page.get_by_role("button", name="Generate", exact=True).count() == 0
    assert page.get_by_label("Number of candidates").count() == 0
    page.screenshot(path=str(artifacts / "family-viewer-tablet.png"), full_page=True)
    context.close()
