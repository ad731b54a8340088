"""Issue 13 item 10: a case's synthetic candidate leaves Kinship only after a second person approved it."""

from __future__ import annotations

import base64
import io
import zipfile

import numpy as np
import pytest
from django.urls import reverse
from PIL import Image
from pypdf import PdfReader
from rest_framework.test import APIClient

from cases.access import tree_access_get
from cases.errors import Conflict, PermissionDenied
from cases.models import AuditEvent, CandidateApproval, GenerationJob
from cases.provenance import read_provenance
from cases.services.case_report import case_report_pdf
from cases.services.casework import case_candidates_request, case_release_copy
from cases.services.gedcom.export import gedcom_export
from cases.services.generation import candidate_adopt, generation_run
from cases.services.generation.approval import candidate_approval_revoke, candidate_approve
from genetics.provenance import TRAINED_ALGORITHMIC_MEDIA


@pytest.fixture
def case_candidate(portraits):
    jobs = case_candidates_request(
        access=portraits.worker,
        case=portraits.case,
        include_age_today=False,
        age_groups=["10-19"],
        per_group=1,
        engines=["offline"],
        params={"seed": 99, "resolution": 256},
    )
    generation_run(job_id=jobs[0].pk)
    portraits.candidate = jobs[0].candidates.get()
    portraits.auditor = tree_access_get(user=portraits.users["auditor"], tree_id=portraits.tree.pk)
    return portraits


def _report_text(ctx) -> str:
    reader = PdfReader(io.BytesIO(case_report_pdf(access=ctx.auditor, case=ctx.case)))
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


def _zip_media(ctx) -> dict[str, bytes]:
    export = gedcom_export(access=ctx.owner_access, as_zip=True)
    with zipfile.ZipFile(io.BytesIO(export.content)) as archive:
        return {
            name: archive.read(name)
            for name in archive.namelist()
            if name.startswith("media/") and name.endswith(".png")
        }


def test_who_may_approve(case_candidate):
    ctx, candidate = case_candidate, case_candidate.candidate
    with pytest.raises(PermissionDenied, match="owner or auditor"):
        candidate_approve(access=ctx.worker, candidate=candidate)
    GenerationJob.objects.filter(pk=candidate.job_id).update(requested_by=ctx.users["owner"])
    candidate.refresh_from_db()
    with pytest.raises(PermissionDenied, match="second person"):
        candidate_approve(access=ctx.owner_access, candidate=candidate)
    approval = candidate_approve(access=ctx.auditor, candidate=candidate, note="checked against the file")
    assert approval.approved_by == ctx.users["auditor"] and approval.approver_role == "auditor"
    with pytest.raises(Conflict, match="already approved"):
        candidate_approve(access=ctx.auditor, candidate=candidate)
    event = AuditEvent.objects.get(action="candidate.approved")
    assert event.object_id == candidate.pk and event.payload["note"] == "checked against the file"
    candidate_approval_revoke(access=ctx.auditor, candidate=candidate)
    assert not CandidateApproval.objects.exists()
    assert AuditEvent.objects.filter(action="candidate.approval_revoked").exists()


def test_every_exit_needs_the_approval_and_carries_the_mark(case_candidate, client):
    ctx, candidate = case_candidate, case_candidate.candidate
    candidate_adopt(access=ctx.owner_access, candidate=candidate, person=ctx.child, confirm_person_name="Eve Old")
    download = reverse("candidate-image", kwargs={"tree_id": ctx.tree.pk, "candidate_id": candidate.pk})
    client.force_login(ctx.users["caseworker"])

    # Without approval: no download, no image in the report, nothing in the release copy or the export.
    assert client.get(download + "?download=1").status_code == 403
    text = _report_text(ctx)
    assert "awaiting approval" in text and "candidate 0 seed" not in text
    assert case_release_copy(access=ctx.worker, case=ctx.case)["age_candidates"] == []
    assert _zip_media(ctx) == {}
    # Shown inside the app, the image carries the visible mark (the bottom band is darkened).
    with candidate.image.open("rb") as handle:
        stored = np.asarray(Image.open(handle).convert("RGB"), dtype=float)
    shown_png = client.get(download).content
    shown = np.asarray(Image.open(io.BytesIO(shown_png)).convert("RGB"), dtype=float)
    assert shown[-5:].mean() < stored[-5:].mean() - 20
    # A copy saved from the app's own view still says "synthetic" in its metadata, job and seed
    # included (burning the mark in had dropped it).
    read = read_provenance(shown_png)
    assert read.digital_source_type == TRAINED_ALGORITHMIC_MEDIA
    assert read.info is not None and read.info.seed == candidate.job.seed

    api = APIClient()
    api.force_authenticate(ctx.users["auditor"])
    approval_url = reverse("api-candidate-approval", kwargs={"tree_id": ctx.tree.pk, "candidate_id": candidate.pk})
    response = api.post(approval_url, {"note": "ok"}, format="json")
    assert response.status_code == 201 and response.json()["approved_by_username"] == "auditor"

    response = client.get(download + "?download=1")
    assert response.status_code == 200
    assert (
        np.asarray(Image.open(io.BytesIO(response.content)).convert("RGB"), dtype=float)[-5:].mean()
        < stored[-5:].mean() - 20
    )
    text = _report_text(ctx)
    assert "candidate 0 seed" in text and "approved to leave Kinship by auditor" in text
    released = case_release_copy(access=ctx.worker, case=ctx.case)["age_candidates"]
    assert [c["candidate_id"] for c in released] == [candidate.pk] and released[0]["approved_by"] == "auditor"
    png = Image.open(io.BytesIO(base64.b64decode(released[0]["image_png_base64"]))).convert("RGB")
    assert np.asarray(png, dtype=float)[-5:].mean() < stored[-5:].mean() - 20
    (media,) = _zip_media(ctx).values()
    assert np.asarray(Image.open(io.BytesIO(media)).convert("RGB"), dtype=float)[-5:].mean() < stored[-5:].mean() - 20

    assert api.delete(approval_url).status_code == 204
    assert client.get(download + "?download=1").status_code == 403
    assert _zip_media(ctx) == {}
