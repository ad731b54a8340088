"""The generation screens as owner, viewer and caseworker, at desktop and phone width.

The demo tree, a caseworker's case on Ellen (her birth family is Daniel and Helen) with case jobs run
after an ordinary job of the owner's on the same family: case material must not reach the owner's
chart, a viewer is told the truth about hidden candidates, a job's heading and bar agree, the case
page follows its jobs, and repeated controls name their candidate.
"""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest

from cases.access import tree_access_get
from cases.demo import demo_load
from cases.models import Family, GenerationJob, Person, Tree
from cases.services.casework import case_candidates_request, case_create
from cases.services.generation import generation_request

pytestmark = [pytest.mark.browser, pytest.mark.slow]

WIDTHS = {"desktop": 1280, "phone": 390}


@pytest.fixture
def demo_with_case_jobs(monkeypatch):
    """The demo tree, an owner's job on Daniel and Helen, then a caseworker's case jobs on the same family."""
    passwords = demo_load()
    tree = Tree.objects.get(name="Demo family")
    users = {m.user.username: m.user for m in tree.memberships.select_related("user")}
    owner = tree_access_get(user=users["demo"], tree_id=tree.pk)
    worker = tree_access_get(user=users["demo-caseworker"], tree_id=tree.pk)
    family = Family.objects.get(partner1__given_names="Daniel", partner2__given_names="Helen")
    params = {"num_candidates": 2, "resolution": 256, "seed": 3}
    owner_job = generation_request(access=owner, family=family, params=params, engine="offline")
    ellen = Person.objects.get(given_names="Ellen")
    case = case_create(
        access=worker,
        organisation="Agency",
        number="2026-7",
        missing_person=ellen,
        date_last_seen=datetime.date(1996, 5, 1),
        age_last_seen=6,
    )
    case_candidates_request(
        access=worker,
        case=case,
        age_groups=(),
        per_group=2,
        engines=("offline",),
        params={"resolution": 256, "seed": 4},
    )
    # One more job of each kind that no worker picks up, to watch the screens while a job waits and runs.
    monkeypatch.setattr("cases.services.tasks.task_enqueue", lambda *, name, args: None)
    waiting = generation_request(access=owner, family=family, params=params, engine="offline")
    case_waiting = case_candidates_request(
        access=worker,
        case=case,
        age_groups=("10-19",),
        include_age_today=False,
        per_group=2,
        engines=("offline",),
        params={"resolution": 256},
    )[0]
    return {
        "passwords": passwords,
        "family": family,
        "case": case,
        "owner_job": owner_job,
        "waiting": waiting,
        "case_waiting": case_waiting,
        "tree": tree,
    }


def _waited(page, expression: str, element) -> bool:
    try:
        page.wait_for_function(expression, arg=element.element_handle(), timeout=10000)
    except Exception:  # Playwright's TimeoutError: reported with the other problems below
        return False
    return True


def test_generation_screens_across_roles(log_in, live_server, artifacts: Path, demo_with_case_jobs):
    """Walk every screen first and report every problem together (each was seen failing before its fix)."""
    data = demo_with_case_jobs
    problems: list[str] = []

    def check(condition: bool, problem: str) -> None:
        if not condition:
            problems.append(problem)

    family, case, tree = data["family"], data["case"], data["tree"]
    case_jobs = set(GenerationJob.objects.filter(case_generation__case=case).values_list("pk", flat=True))
    assert GenerationJob.objects.filter(pk__in=case_jobs, state="succeeded").exists()

    # Owner: the chart shows only the owner's candidates, every thumbnail loads.
    page = log_in("demo", password=data["passwords"]["demo"])
    page.goto(f"{live_server.url}/trees/{tree.pk}/?focus={family.partner1_id}")
    page.locator("#chart-svg").wait_for()
    thumbs = page.locator("image.generated-thumb")
    check(thumbs.count() == 2, f"owner chart: {thumbs.count()} thumbnails, not the owner's own 2")
    for href in thumbs.evaluate_all("nodes => nodes.map(n => n.getAttribute('href'))"):
        status = page.request.get(f"{live_server.url}{href}").status
        check(status == 200, f"owner chart: broken thumbnail {href} ({status})")
    check("2 synthetic candidates" in page.locator("#chart-svg").inner_html(), "owner chart: label is not the owner's")
    page.screenshot(path=str(artifacts / "roles-owner-chart-desktop.png"), full_page=True)

    # Owner's family page: the waiting job's heading follows the job's state, like its bar.
    page.goto(f"{live_server.url}{family.get_absolute_url()}")
    waiting = page.locator(f"article.job[data-job-id='{data['waiting'].pk}']")
    assert "Queued" in waiting.locator("h3").inner_text()
    GenerationJob.objects.filter(pk=data["waiting"].pk).update(state="running", progress=0.4, stage="Generating")
    check(_waited(page, "el => el.value > 0.3", waiting.locator("progress")), "family page: the bar did not move")
    check(
        "Running" in waiting.locator("h3").inner_text(),
        f"family page: heading says {waiting.locator('h3').inner_text()!r} while the bar shows running",
    )
    # Repeated controls say which candidate they act on; the disabled Compare button looks disabled.
    page.locator("details.history > summary").click()  # the earlier, finished job is folded away
    done = page.locator(f"article.job[data-job-id='{data['owner_job'].pk}']")
    job_pk = data["owner_job"].pk
    check(
        done.get_by_role("link", name=f"Download candidate 1 of job {job_pk} (marked)", exact=True).count() == 1,
        "family page: Download does not name its candidate",
    )
    check(
        done.get_by_role("checkbox", name=f"Compare candidate 2 of job {job_pk}", exact=True).count() == 1,
        "family page: Compare does not name its candidate",
    )
    check(
        done.get_by_label(f"Adopt candidate 1 of job {job_pk} as portrait of", exact=True).count() == 1,
        "family page: Adopt does not name its candidate",
    )
    compare = page.get_by_role("button", name="Compare the two ticked candidates")
    assert compare.is_disabled()
    style = compare.evaluate("b => { const s = getComputedStyle(b); return [s.cursor, s.opacity]; }")
    check(style[0] == "not-allowed" and float(style[1]) < 1, f"family page: disabled Compare looks enabled {style}")
    for name, width in WIDTHS.items():
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=str(artifacts / f"roles-owner-family-{name}.png"), full_page=True)

    # Viewer: the parents are living, so their candidates are hidden; the page says so instead of "none yet".
    page = log_in("demo-viewer", password=data["passwords"]["demo-viewer"])
    page.goto(f"{live_server.url}{family.get_absolute_url()}")
    section = page.locator("section[aria-labelledby='generated-heading']")
    text = section.inner_text()
    check(
        "No candidates generated" not in text and "hidden from you" in text and "living" in text,
        f"viewer family page says {text.splitlines()[-1]!r} while jobs exist",
    )
    assert page.locator("img[src*='/candidates/']").count() == 0
    for name, width in WIDTHS.items():
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=str(artifacts / f"roles-viewer-family-{name}.png"), full_page=True)

    # Caseworker: the case page follows a waiting job without being reloaded by hand.
    page = log_in("demo-caseworker", password=data["passwords"]["demo-caseworker"])
    page.goto(f"{live_server.url}/trees/{tree.pk}/cases/{case.pk}/")
    job = page.locator(f"[data-job-id='{data['case_waiting'].pk}']")
    check(job.count() == 1 and "Queued" in job.inner_text(), "case page: the waiting job is not shown as queued")
    GenerationJob.objects.filter(pk=data["case_waiting"].pk).update(state="running", progress=0.5, stage="Generating")
    check(
        job.count() == 1
        and _waited(page, "el => el.dataset.state === 'running'", job)
        and "Running" in job.inner_text(),
        "case page: does not follow its job (never refreshes)",
    )
    for name, width in WIDTHS.items():
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=str(artifacts / f"roles-caseworker-case-{name}.png"), full_page=True)
    page.goto(f"{live_server.url}/trees/{tree.pk}/?focus={family.partner1_id}")
    page.locator("#chart-svg").wait_for()
    page.screenshot(path=str(artifacts / "roles-caseworker-chart-desktop.png"), full_page=True)
    assert not problems, "\n".join(problems)
