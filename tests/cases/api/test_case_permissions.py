"""Every case endpoint × every role, an assigned and an unassigned caseworker, an outsider, anonymous.

Genealogist roles (owner, editor, viewer) and outsiders are told a case does not exist (404);
auditors read cases but change nothing (403); only caseworkers assigned to a case work on it.
"""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from rest_framework.test import APIClient

from cases.models import AuditEvent, Case, Role
from tests.images import jpeg_bytes
from tests.permissions import CASE_IDENTITIES, CASE_LIST, CASE_OPEN, CASE_READ, CASE_WORK, Endpoint, check_cell, matrix


def _case(c, name):
    return reverse(name, kwargs={"tree_id": c.tree.pk, "case_id": c.case.pk})


ENDPOINTS = [
    # An unassigned caseworker may list cases but sees none of the others' (checked below).
    Endpoint("case list", "get", lambda c: reverse("api-case-list", kwargs={"tree_id": c.tree.pk}), CASE_LIST, 200),
    Endpoint(
        "case create",
        "post",
        lambda c: reverse("api-case-list", kwargs={"tree_id": c.tree.pk}),
        CASE_OPEN,
        201,
        lambda c: {"organisation": "Agency", "number": "NEW-1", "missing_person": c.child.pk},
    ),
    Endpoint("case detail", "get", lambda c: _case(c, "api-case-detail"), CASE_READ, 200),
    Endpoint(
        "case update", "patch", lambda c: _case(c, "api-case-detail"), CASE_WORK, 200, lambda c: {"status": "on_hold"}
    ),
    Endpoint(
        "case assign",
        "post",
        lambda c: _case(c, "api-case-assign"),
        CASE_WORK,
        200,
        lambda c: {"caseworkers": ["caseworker", "second-worker"]},
    ),
    Endpoint("case release", "post", lambda c: _case(c, "api-case-release"), CASE_WORK, 200),
    Endpoint(
        "case attachment",
        "post",
        lambda c: _case(c, "api-case-attachments"),
        CASE_WORK,
        201,
        lambda c: {
            "file": SimpleUploadedFile("ref.jpg", jpeg_bytes(), content_type="image/jpeg"),
            "age_group": "30-39",
        },
        "multipart",
    ),
    Endpoint("case candidates", "get", lambda c: _case(c, "api-case-candidates"), CASE_READ, 200),
    # No portraits in this fixture: an allowed caller passes the permission check and meets the input gate.
    Endpoint(
        "case candidates request",
        "post",
        lambda c: _case(c, "api-case-candidates"),
        CASE_WORK,
        422,
        lambda c: {"age_groups": ["10-19"], "per_group": 1},
    ),
    Endpoint("case rankings", "get", lambda c: _case(c, "api-case-rankings"), CASE_READ, 200),
    # A photo with no face: an allowed caller gets past the permission check to the face check.
    Endpoint(
        "case ranking request",
        "post",
        lambda c: _case(c, "api-case-rankings"),
        CASE_WORK,
        422,
        lambda c: {"file": SimpleUploadedFile("found.jpg", jpeg_bytes(), content_type="image/jpeg")},
        "multipart",
    ),
    Endpoint("case report", "post", lambda c: _case(c, "api-case-report"), CASE_READ, 200),
    Endpoint(
        "case reminder done",
        "post",
        lambda c: reverse(
            "api-case-reminder-done", kwargs={"tree_id": c.tree.pk, "case_id": c.case.pk, "reminder_id": c.reminder.pk}
        ),
        CASE_WORK,
        200,
    ),
]


@pytest.fixture
def ctx(case_matrix):
    return case_matrix


@pytest.mark.parametrize(("endpoint", "who"), matrix(ENDPOINTS, CASE_IDENTITIES))
def test_case_permission_matrix(endpoint, who, ctx):
    check_cell(endpoint, who, ctx, api=True)


def test_detail_carries_restricted_fields_and_release_does_not(ctx):
    client = APIClient()
    client.force_authenticate(ctx.users["assigned"])
    detail = client.get(_case(ctx, "api-case-detail")).json()
    assert detail["notes"] == "Secret note"
    assert detail["agency_references"] == [{"agency": "Police", "reference": "P-77"}]
    release = client.post(_case(ctx, "api-case-release")).json()
    assert set(release) == {
        "organisation",
        "number",
        "status",
        "missing_person",
        "birth_date",
        "date_last_seen",
        "age_last_seen",
        "public_description",
    }
    assert "Secret" not in repr(release) and "P-77" not in repr(release)


def test_created_case_is_assigned_to_its_creator_only(ctx):
    client = APIClient()
    client.force_authenticate(ctx.users["unassigned"])
    response = client.post(
        reverse("api-case-list", kwargs={"tree_id": ctx.tree.pk}),
        data={"organisation": "Agency", "number": "2026-001", "missing_person": ctx.child.pk},
        format="json",
    )
    assert response.status_code == 409  # numbers are unique per organisation
    assert client.get(reverse("api-case-list", kwargs={"tree_id": ctx.tree.pk})).json() == []
    response = client.post(
        reverse("api-case-list", kwargs={"tree_id": ctx.tree.pk}),
        data={"organisation": "Agency", "number": "2026-002", "missing_person": ctx.child.pk},
        format="json",
    )
    assert response.json()["caseworkers"] == ["second-worker"]
    assert [c["number"] for c in client.get(reverse("api-case-list", kwargs={"tree_id": ctx.tree.pk})).json()] == [
        "2026-002"
    ]
    assert Case.objects.count() == 2 and AuditEvent.objects.filter(action="case.created").count() == 2


def test_report_download_is_a_pdf(ctx):
    client = APIClient()
    client.force_authenticate(ctx.users[Role.AUDITOR])
    response = client.post(_case(ctx, "api-case-report"))
    assert response["Content-Type"] == "application/pdf" and response.content.startswith(b"%PDF")


def test_report_is_never_produced_by_a_get(ctx, client):
    """Issue 13 leftover 2: a GET wrote a case.report audit row (a state-changing GET, open to prefetch and CSRF).

    The report is chain-of-custody material (its hash goes into the audit trail), so it is a POST on the page
    and the API; a GET is refused and writes nothing.
    """
    api = APIClient()
    api.force_authenticate(ctx.users[Role.AUDITOR])
    assert api.get(_case(ctx, "api-case-report")).status_code == 405
    client.force_login(ctx.users[Role.AUDITOR])
    assert client.get(_case(ctx, "case-report")).status_code == 405
    assert not AuditEvent.objects.filter(action="case.report").exists()
    page = client.get(_case(ctx, "case-detail")).content.decode()
    assert f'<form method="post" action="{_case(ctx, "case-report")}">' in page and "csrfmiddlewaretoken" in page
    response = client.post(_case(ctx, "case-report"))
    assert response.content.startswith(b"%PDF") and AuditEvent.objects.filter(action="case.report").count() == 1


def test_case_jobs_are_hidden_from_the_tree_job_list(portraits):
    from cases.services.casework import case_candidates_request

    (job,) = case_candidates_request(
        access=portraits.worker,
        case=portraits.case,
        include_age_today=False,
        age_groups=["10-19"],
        per_group=1,
        engines=["offline"],
    )
    url = reverse("api-job-list", kwargs={"tree_id": portraits.tree.pk})
    client = APIClient()
    for who, expected in ((Role.OWNER, []), (Role.EDITOR, []), (Role.CASEWORKER, [job.pk]), (Role.AUDITOR, [job.pk])):
        client.force_authenticate(portraits.users[who])
        assert [j["id"] for j in client.get(url).json()["results"]] == expected, who
    client.force_authenticate(portraits.users[Role.OWNER])
    assert (
        client.get(reverse("api-job-detail", kwargs={"tree_id": portraits.tree.pk, "job_id": job.pk})).status_code
        == 404
    )


def test_case_list_queries_do_not_grow_with_cases(ctx):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from cases.services.casework import case_attachment_add, case_create

    client = APIClient()
    client.force_authenticate(ctx.users["assigned"])
    url = reverse("api-case-list", kwargs={"tree_id": ctx.tree.pk})

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    one = count()
    for number in range(3):
        case = case_create(
            access=ctx.worker,
            organisation="Agency",
            number=f"Q-{number}",
            missing_person=ctx.child,
            favoured_parent=ctx.father,
        )
        case_attachment_add(access=ctx.worker, case=case, data=b"document", original_name="d.txt")
    assert len(client.get(url).json()) == 4
    assert count() == one


def test_case_audit_rows_are_hidden_from_owners_audit_list(portraits):
    from cases.services.casework import case_candidates_request

    (job,) = case_candidates_request(
        access=portraits.worker,
        case=portraits.case,
        include_age_today=False,
        age_groups=["10-19"],
        per_group=1,
        engines=["offline"],
    )
    url = reverse("api-audit", kwargs={"tree_id": portraits.tree.pk})
    client = APIClient()
    client.force_authenticate(portraits.users[Role.OWNER])
    owner_rows = client.get(url).json()["results"]
    assert not [
        r
        for r in owner_rows
        if r["object_type"] == "case" or (r["object_type"] == "generation_job" and r["object_id"] == job.pk)
    ]
    client.force_authenticate(portraits.users[Role.AUDITOR])
    auditor_rows = client.get(url).json()["results"]
    assert {"case.created", "case.candidates_requested", "generation.requested"} <= {r["action"] for r in auditor_rows}
