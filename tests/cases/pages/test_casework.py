"""Case pages × every role, an assigned and an unassigned caseworker, an outsider, anonymous."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from cases.access import Capability
from cases.models import Case, CaseAttachment, Role
from tests.images import jpeg_bytes
from tests.permissions import (
    CASE_IDENTITIES,
    CASE_LIST,
    CASE_OPEN,
    CASE_READ,
    CASE_WORK,
    Endpoint,
    check_cell,
    holders,
    matrix,
)


def _case(c, name):
    return reverse(name, kwargs={"tree_id": c.tree.pk, "case_id": c.case.pk})


def _detail_shows_notes(ctx, response, allowed):
    if allowed:
        page_text = response.content.decode()
        assert "Secret note" in page_text and "a lead, not an identification" in page_text


def _status_changed(ctx, response, allowed):
    if allowed:
        assert Case.objects.get(pk=ctx.case.pk).status == "resolved"


def _attachment_added(ctx, response, allowed):
    assert CaseAttachment.objects.filter(relative=ctx.mother, age_group="3-9").exists() is allowed


def _second_worker_assigned(ctx, response, allowed):
    assert ("second-worker" in set(ctx.case.caseworkers.values_list("username", flat=True))) is allowed


def _release_is_public(ctx, response, allowed):
    if allowed:
        assert response["Content-Type"] == "application/json" and "Secret note" not in response.content.decode()


def _reminder_done(ctx, response, allowed):
    ctx.reminder.refresh_from_db()
    assert (ctx.reminder.done_at is not None) is allowed


PAGES = [
    Endpoint("case list", "get", lambda c: reverse("case-list", kwargs={"tree_id": c.tree.pk}), CASE_LIST, 200),
    Endpoint(
        "case open",
        "post",
        lambda c: reverse("case-list", kwargs={"tree_id": c.tree.pk}),
        CASE_OPEN,
        302,
        lambda c: {"organisation": "Agency", "number": "P-1", "missing_person": c.child.pk},
    ),
    Endpoint("case detail", "get", lambda c: _case(c, "case-detail"), CASE_READ, 200, check=_detail_shows_notes),
    Endpoint(
        "case candidates",
        "post",
        lambda c: _case(c, "case-candidates"),
        CASE_WORK,
        302,
        lambda c: {"age_groups": ["3-9"]},
    ),
    Endpoint(
        "case rank",
        "post",
        lambda c: _case(c, "case-rank"),
        CASE_WORK,
        302,
        lambda c: {"file": SimpleUploadedFile("found.jpg", jpeg_bytes(), content_type="image/jpeg")},
    ),
    Endpoint(
        "case status",
        "post",
        lambda c: _case(c, "case-status"),
        CASE_WORK,
        302,
        lambda c: {"status": "resolved"},
        check=_status_changed,
    ),
    Endpoint("case report", "post", lambda c: _case(c, "case-report"), CASE_READ, 200),
    Endpoint(
        "case assign",
        "post",
        lambda c: _case(c, "case-assign"),
        CASE_WORK,
        302,
        lambda c: {"caseworkers": [c.users["assigned"].username, "second-worker"]},
        check=_second_worker_assigned,
    ),
    Endpoint("case release", "post", lambda c: _case(c, "case-release"), CASE_WORK, 200, check=_release_is_public),
    Endpoint(
        "case attachment",
        "post",
        lambda c: _case(c, "case-attachment"),
        CASE_WORK,
        302,
        lambda c: {
            "file": SimpleUploadedFile("mother-at-9.jpg", jpeg_bytes(), content_type="image/jpeg"),
            "relative": c.mother.pk,
            "age_group": "3-9",
        },
        check=_attachment_added,
    ),
    Endpoint(
        "case reminder done",
        "post",
        lambda c: reverse(
            "case-reminder-done", kwargs={"tree_id": c.tree.pk, "case_id": c.case.pk, "reminder_id": c.reminder.pk}
        ),
        CASE_WORK,
        302,
        check=_reminder_done,
    ),
]


@pytest.mark.parametrize(("endpoint", "who"), matrix(PAGES, CASE_IDENTITIES))
def test_case_page_matrix(endpoint, who, case_matrix):
    check_cell(endpoint, who, case_matrix, api=False)


@pytest.mark.parametrize("who", [Role.OWNER, Role.VIEWER, Role.CASEWORKER, Role.AUDITOR])
def test_cases_link_only_for_case_roles(who, case_matrix, client):
    client.force_login(case_matrix.users[who])
    page = client.get(reverse("person-list", kwargs={"tree_id": case_matrix.tree.pk})).content.decode()
    shown = who in holders(Capability.VIEW_CASES)
    assert (reverse("case-list", kwargs={"tree_id": case_matrix.tree.pk}) in page) is shown
