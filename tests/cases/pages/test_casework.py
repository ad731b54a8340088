"""Case pages × every role, an assigned and an unassigned caseworker, an outsider, anonymous."""

from __future__ import annotations

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from cases.models import Case, CaseAttachment, CaseReminder, Role
from tests.factories import MembershipFactory, UserFactory
from tests.images import jpeg_bytes

WHO = [Role.OWNER, Role.EDITOR, Role.VIEWER, "assigned", "unassigned", Role.AUDITOR, "outsider", "anonymous"]
READ = {"assigned", Role.AUDITOR}
WORK = {"assigned"}


def _case(c, name):
    return reverse(name, kwargs={"tree_id": c.tree.pk, "case_id": c.case.pk})


PAGES = [
    ("case list", "get", lambda c: reverse("case-list", kwargs={"tree_id": c.tree.pk}), None, 200,
     READ | {"unassigned"}),
    ("case open", "post", lambda c: reverse("case-list", kwargs={"tree_id": c.tree.pk}),
     lambda c: {"organisation": "Agency", "number": "P-1", "missing_person": c.child.pk}, 302,
     {"assigned", "unassigned"}),
    ("case detail", "get", lambda c: _case(c, "case-detail"), None, 200, READ),
    ("case candidates", "post", lambda c: _case(c, "case-candidates"), lambda c: {"age_groups": ["3-9"]}, 302, WORK),
    ("case rank", "post", lambda c: _case(c, "case-rank"),
     lambda c: {"file": SimpleUploadedFile("found.jpg", jpeg_bytes(), content_type="image/jpeg")}, 302, WORK),
    ("case status", "post", lambda c: _case(c, "case-status"), lambda c: {"status": "resolved"}, 302, WORK),
    ("case report", "post", lambda c: _case(c, "case-report"), None, 200, READ),
    ("case assign", "post", lambda c: _case(c, "case-assign"),
     lambda c: {"caseworkers": [c.users["assigned"].username, "second-worker"]}, 302, WORK),
    ("case release", "post", lambda c: _case(c, "case-release"), None, 200, WORK),
    ("case attachment", "post", lambda c: _case(c, "case-attachment"),
     lambda c: {"file": SimpleUploadedFile("mother-at-9.jpg", jpeg_bytes(), content_type="image/jpeg"),
                "relative": c.mother.pk, "age_group": "3-9"}, 302, WORK),
    ("case reminder done", "post", lambda c: reverse("case-reminder-done", kwargs={
        "tree_id": c.tree.pk, "case_id": c.case.pk, "reminder_id": c.reminder.pk}), None, 302, WORK),
]


@pytest.fixture
def ctx(case_tree):
    second = UserFactory(username="second-worker")
    MembershipFactory(tree=case_tree.tree, user=second, role=Role.CASEWORKER)
    case_tree.users["assigned"] = case_tree.users[Role.CASEWORKER]
    case_tree.users["unassigned"] = second
    case_tree.reminder = CaseReminder.objects.create(case=case_tree.case, due_on=datetime.date(2030, 1, 1),
                                                     message="Age progression due again")
    return case_tree


@pytest.mark.parametrize("who", WHO)
@pytest.mark.parametrize("page", PAGES, ids=lambda p: p[0])
def test_case_page_matrix(page, who, ctx, client):
    name, method, url, data, ok, allowed = page
    if who != "anonymous":
        client.force_login(ctx.users[who])
    response = getattr(client, method)(url(ctx), data=data(ctx) if data else None)
    if who == "anonymous":
        assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
        return
    expected = ok if who in allowed else (403 if who == Role.AUDITOR else 404)
    assert response.status_code == expected, response.content[:300]
    if name == "case detail" and expected == 200:
        page_text = response.content.decode()
        assert "Secret note" in page_text and "a lead, not an identification" in page_text
    if name == "case status" and expected == 302:
        assert Case.objects.get(pk=ctx.case.pk).status == "resolved"
    if name == "case attachment":
        assert CaseAttachment.objects.filter(relative=ctx.mother, age_group="3-9").exists() is (expected == 302)
    if name == "case assign":
        assigned = set(ctx.case.caseworkers.values_list("username", flat=True))
        assert ("second-worker" in assigned) is (expected == 302)
    if name == "case release" and expected == 200:
        assert response["Content-Type"] == "application/json" and "Secret note" not in response.content.decode()
    if name == "case reminder done":
        ctx.reminder.refresh_from_db()
        assert (ctx.reminder.done_at is not None) is (expected == 302)


@pytest.mark.parametrize(("who", "shown"), [(Role.OWNER, False), (Role.VIEWER, False), (Role.CASEWORKER, True),
                                            (Role.AUDITOR, True)])
def test_cases_link_only_for_case_roles(who, shown, ctx, client):
    client.force_login(ctx.users[who])
    page = client.get(reverse("person-list", kwargs={"tree_id": ctx.tree.pk})).content.decode()
    assert (reverse("case-list", kwargs={"tree_id": ctx.tree.pk}) in page) is shown
