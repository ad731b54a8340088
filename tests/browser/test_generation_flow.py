"""The whole flow in a real browser: log in, generate, adopt, and see the synthetic child on the chart."""

from __future__ import annotations

from pathlib import Path

import pytest

from cases.demo import demo_load
from cases.models import Family, GenerationJob, Person

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_owner_generates_adopts_and_sees_the_synthetic_child_on_the_chart(log_in, live_server, artifacts: Path):
    passwords = demo_load()
    family = Family.objects.get(partner1__given_names="Daniel", partner2__given_names="Helen")
    child = Person.objects.get(is_hypothetical=True, surname="Hale-Brandt")
    page = log_in("demo", password=passwords["demo"])

    page.get_by_role("link", name="Demo family").click()
    page.locator("#chart-svg").wait_for()
    page.goto(f"{live_server.url}{family.get_absolute_url()}")
    page.get_by_role("button", name="Generate candidates…").focus()
    page.keyboard.press("Enter")  # by keyboard: the dialog opens and takes the focus
    dialog = page.get_by_role("dialog", name="Generate candidates")
    assert dialog.is_visible()
    assert page.evaluate("document.activeElement.closest('dialog') !== null")
    assert dialog.get_by_role("img", name="Portrait of Helen Hale").is_visible()
    assert dialog.get_by_role("img", name="Portrait of Daniel Brandt").is_visible()
    seed = dialog.get_by_label("Seed")
    first_seed = seed.input_value()
    dialog.get_by_role("button", name="New seed").click()
    assert seed.input_value() != first_seed
    seed.fill("20261123")
    dialog.get_by_label("Variation").fill("0.3")
    assert dialog.locator("output[for=gen-gamma]").text_content() == "0.3"
    dialog.get_by_label("Eyes", exact=True).select_option("father")
    nose = dialog.get_by_label("Nose: first parent to second parent")
    assert nose.is_disabled()
    dialog.get_by_label("Nose", exact=True).select_option("weight")
    assert nose.is_enabled()
    dialog.get_by_label("Hair and background", exact=True).select_option("mutate")
    dialog.get_by_label("Image size").select_option("256")
    dialog.get_by_label("Number of candidates").fill("2")
    dialog.get_by_label("Engine").select_option("offline")
    page.screenshot(path=str(artifacts / "generate-dialog.png"), full_page=True)
    dialog.get_by_role("button", name="Generate", exact=True).click()

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
    assert "seed 20261123" in job.locator(".job-params").inner_text()
    stored = GenerationJob.objects.get(pk=job.get_attribute("data-job-id"))
    assert (stored.seed, stored.engine) == (20261123, "offline")
    assert (stored.params["gamma"], stored.params["resolution"]) == (0.3, 256)
    assert stored.params["regions"]["eyes"]["mode"] == "father"
    assert stored.params["regions"]["nose"] == {"mode": "weight", "weight": 0.5}
    assert stored.params["regions"]["hair"]["mode"] == "mutate" and "mouth" not in stored.params["regions"]
    assert candidates.nth(0).locator("meter").count() == 2, "resemblance bars to each parent"
    page.screenshot(path=str(artifacts / "family-candidates.png"), full_page=True)

    candidates.nth(1).get_by_role("button", name="Enlarge synthetic candidate 2").click()
    viewer = page.get_by_role("dialog", name="Synthetic candidates")
    assert viewer.locator("img").count() == 1 and viewer.is_visible()
    viewer.get_by_role("button", name="Close").click()
    candidates.nth(0).get_by_label("Compare").check()
    candidates.nth(1).get_by_label("Compare").check()
    page.get_by_role("button", name="Compare the two ticked candidates").click()
    assert viewer.locator("img").count() == 2
    page.screenshot(path=str(artifacts / "compare-two.png"))
    page.keyboard.press("Escape")
    assert not viewer.is_visible()

    first = candidates.nth(0)
    first.get_by_label(f"Adopt candidate 1 of job {stored.pk} as portrait of").select_option(str(child.pk))
    first.get_by_role("button", name="Adopt candidate 1").click()
    assert page.get_by_role("status").get_by_text("is now the portrait of").is_visible()
    child.refresh_from_db()
    assert child.portrait_face.photo.is_synthetic
    page.goto(f"{live_server.url}{child.get_absolute_url()}")
    synthetic = page.locator("figure.photo.synthetic")
    assert synthetic.count() == 1
    assert "not a photograph" in synthetic.inner_text()

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

    page.goto(f"{live_server.url}{family.get_absolute_url()}")
    page.get_by_role("button", name="Re-run with the same seed").click()
    rerun = page.locator("article.job").first
    assert rerun.get_attribute("data-state") == "succeeded", rerun.inner_text()
    assert f"re-run of job {stored.pk}" in rerun.locator("h3").inner_text()
    assert "seed 20261123" in rerun.locator(".job-params").inner_text()
    again = GenerationJob.objects.get(pk=rerun.get_attribute("data-job-id"))
    assert [c.pixels_sha256 for c in again.candidates.all()] == [c.pixels_sha256 for c in stored.candidates.all()]
    history = page.locator("details.history")
    assert not history.locator(f"article[data-job-id='{stored.pk}']").is_visible()
    history.locator(":scope > summary").click()
    assert history.locator(f"article[data-job-id='{stored.pk}']").is_visible()
    page.screenshot(path=str(artifacts / "family-rerun-history.png"), full_page=True)

    page.set_viewport_size({"width": 820, "height": 1180})  # a tablet held upright: nothing runs off the side
    assert page.evaluate("document.documentElement.scrollWidth") <= 820
    page.get_by_role("button", name="Generate candidates…").click()
    assert page.evaluate("document.documentElement.scrollWidth") <= 820
    page.screenshot(path=str(artifacts / "generate-dialog-tablet.png"))
    page.keyboard.press("Escape")
    page.screenshot(path=str(artifacts / "family-gallery-tablet.png"), full_page=True)

    page.set_viewport_size({"width": 390, "height": 844})  # a phone: parents, then candidates, two abreast
    gallery = page.locator("article.job").first.locator(".gallery")
    boxes = [figure.bounding_box() for figure in gallery.locator("figure").all()[:4]]
    width = gallery.bounding_box()["width"]
    assert boxes[0]["y"] == boxes[1]["y"] and boxes[2]["y"] == boxes[3]["y"] > boxes[0]["y"], boxes
    assert all(0.4 * width < box["width"] < 0.55 * width for box in boxes), (width, boxes)
    page.screenshot(path=str(artifacts / "family-gallery-phone.png"), full_page=True)


def test_viewer_cannot_see_the_generate_button(log_in, live_server, artifacts: Path):
    passwords = demo_load()
    family = Family.objects.get(partner1__given_names="Daniel", partner2__given_names="Helen")
    page = log_in("demo-viewer", password=passwords["demo-viewer"], width=820, height=1180)  # a tablet held upright
    page.goto(f"{live_server.url}{family.get_absolute_url()}")
    assert page.get_by_role("heading", name="Generated candidates").is_visible()
    assert page.get_by_role("button", name="Generate candidates…").count() == 0
    assert page.get_by_role("button", name="Generate", exact=True).count() == 0
    assert page.get_by_label("Number of candidates").count() == 0
    page.screenshot(path=str(artifacts / "family-viewer-tablet.png"), full_page=True)


def test_progress_bar_follows_a_job_run_by_a_worker(log_in, live_server, artifacts: Path, monkeypatch):
    from cases.access import tree_access_get
    from cases.services import generation as generation_services

    passwords = demo_load()
    family = Family.objects.get(partner1__given_names="Daniel", partner2__given_names="Helen")
    # No eager run inside the request: this test plays the worker itself, so the page sees the job waiting.
    from cases.services import tasks

    enqueue = tasks.task_enqueue
    monkeypatch.setattr(
        tasks,
        "task_enqueue",
        lambda *, name, args: None if name == tasks.GENERATION_RUN else enqueue(name=name, args=args),
    )
    owner = family.tree.memberships.get(user__username="demo").user
    job = generation_services.generation_request(
        access=tree_access_get(user=owner, tree_id=family.tree_id),
        family=family,
        params={"num_candidates": 2, "resolution": 256, "seed": 5},
        engine="offline",
    )
    page = log_in("demo", password=passwords["demo"], width=1024, height=768)
    page.goto(f"{live_server.url}{family.get_absolute_url()}")
    article = page.locator(f"article.job[data-job-id='{job.pk}']")
    assert article.get_attribute("data-state") == "queued"
    assert article.locator(".stage").inner_text() == "Waiting for a worker"
    progress = article.get_by_label(f"Progress of job {job.pk}")

    GenerationJob.objects.filter(pk=job.pk).update(progress=0.5, stage="Drawing candidates")
    page.wait_for_function("bar => bar.value === 0.5", arg=progress.element_handle(), timeout=10_000)
    assert article.locator(".stage").inner_text().startswith("Drawing candidates")
    page.screenshot(path=str(artifacts / "job-progress.png"))

    generation_services.generation_run(job_id=job.pk)
    page.wait_for_selector(f"article.job[data-job-id='{job.pk}'][data-state='succeeded']", timeout=15_000)
    assert page.locator(f"article.job[data-job-id='{job.pk}'] figure.candidate").count() == 2
