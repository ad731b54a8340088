"""The case report PDF, read back as text: facts, candidates, rankings, audit trail, notices."""

from __future__ import annotations

import hashlib
import io

import numpy as np
import pytest
from pypdf import PdfReader

from cases.access import tree_access_get
from cases.models import AuditEvent
from cases.services.case_report import SYNTHETIC_NOTICE, case_report_pdf
from cases.services.casework import case_candidates_request
from cases.services.found_photos import found_photo_rank
from cases.services.generation import generation_run
from tests.images import jpeg_bytes


def _pages(data: bytes) -> list[tuple[str, int]]:
    reader = PdfReader(io.BytesIO(data))
    return [(" ".join(page.extract_text().split()), len(page.images)) for page in reader.pages]


def test_report_without_candidates_carries_the_facts(case_tree):
    data = case_report_pdf(access=case_tree.worker, case=case_tree.case)
    assert data.startswith(b"%PDF")
    text = " ".join(t for t, _ in _pages(data))
    for expected in (
        "Agency 2026-001",
        "Eve Old",
        "Last seen in a red coat.",
        "Police: P-77",
        "Secret note",
        "No candidates have been generated",
        "No found photo has been ranked",
        "Case opened",
    ):
        assert expected in text, expected
    event = AuditEvent.objects.get(action="case.report")
    assert event.payload["sha256"] == hashlib.sha256(data).hexdigest()


@pytest.mark.slow
def test_report_with_candidates_rankings_and_notice_on_every_image_page(portraits):
    from PIL import Image

    from genetics.samples import astronaut

    jobs = case_candidates_request(
        access=portraits.worker,
        case=portraits.case,
        include_age_today=False,
        age_groups=["10-19"],
        per_group=2,
        engines=["offline"],
        params={"seed": 1234, "resolution": 256},
    )
    generation_run(job_id=jobs[0].pk)
    from cases.services.generation.approval import candidate_approve

    auditor = tree_access_get(user=portraits.users["auditor"], tree_id=portraits.tree.pk)
    for candidate in jobs[0].candidates.all():  # the report carries only approved candidates (issue 13 item 10)
        candidate_approve(access=auditor, candidate=candidate)
    found = np.asarray(Image.fromarray(astronaut()[20:400, 60:440]).resize((300, 300)))
    found_photo_rank(access=portraits.worker, case=portraits.case, data=jpeg_bytes(found, quality=90))
    # The assigned caseworker's report: living relatives named (an auditor's says "Living person").
    pages = _pages(case_report_pdf(access=portraits.worker, case=portraits.case))
    text = " ".join(t for t, _ in pages)
    for expected in (
        "Parents' photos",
        "Diana Young",
        "Charles Old",
        "consent recorded",
        "age group 10-19",
        f"job {jobs[0].pk} seed 1234",
        "candidate 0 seed",
        "candidate 1 seed",
        "engine offline",
        "a lead, not an identification",
        "parent: Diana Young",
        "Age candidates requested",
        "Generation succeeded",
        "Found photo ranked against a case",
    ):
        assert expected in text, expected
    notice_start = " ".join(SYNTHETIC_NOTICE.split()[:8])
    image_pages = [t for t, images in pages if images]
    assert image_pages and all(notice_start in t for t in image_pages)
    assert all(notice_start not in t for t, images in pages if not images)
