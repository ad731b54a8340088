"""Routine thumbnail views go to the access log; downloads and full-size views stay in the audit trail."""

from __future__ import annotations

import pytest
from django.urls import reverse

from cases.models import AccessLog, AuditEvent, Role
from tests.cases.api.test_generation_permissions import ctx  # noqa: F401  (the fixture with a candidate)


def _image(c, **query):
    return reverse("candidate-image", kwargs={"tree_id": c.tree.pk, "candidate_id": c.candidate.pk}), query


def _trail(c):
    return list(
        AuditEvent.objects.filter(object_type="candidate", object_id=c.candidate.pk).values_list("action", flat=True)
    )


def test_thumbnails_are_logged_apart_from_the_trail(ctx, client):  # noqa: F811
    client.force_login(ctx.users[Role.EDITOR])
    url, _ = _image(ctx)
    for _ in range(3):
        assert client.get(url).status_code == 200
    assert _trail(ctx) == []
    entries = AccessLog.objects.filter(tree_id=ctx.tree.pk)
    assert [(e.actor_username, e.object_type, e.object_id) for e in entries] == [
        ("editor", "candidate", ctx.candidate.pk)
    ] * 3
    assert client.get(url, {"view": "full"}).status_code == 200
    assert client.get(url, {"download": "1"}).status_code == 200
    assert _trail(ctx) == ["candidate.viewed", "candidate.downloaded"]
    assert entries.count() == 3


def test_access_log_rows_are_never_changed(ctx, client):  # noqa: F811
    client.force_login(ctx.users[Role.EDITOR])
    client.get(_image(ctx)[0])
    entry = AccessLog.objects.get()
    entry.actor_username = "someone else"
    with pytest.raises(ValueError):
        entry.save()


def test_the_audit_page_shows_the_access_log(ctx, client):  # noqa: F811
    client.force_login(ctx.users[Role.EDITOR])
    client.get(_image(ctx)[0])
    client.force_login(ctx.users[Role.AUDITOR])
    page = client.get(reverse("audit", kwargs={"tree_id": ctx.tree.pk}), {"log": "access"})
    assert page.status_code == 200
    assert [e.actor_username for e in page.context["page"]] == ["editor"]
    assert f"candidate #{ctx.candidate.pk}" in page.content.decode()
    assert (
        list(
            client.get(reverse("audit", kwargs={"tree_id": ctx.tree.pk}), {"log": "access", "actor": "owner"}).context[
                "page"
            ]
        )
        == []
    )
    client.force_login(ctx.users[Role.VIEWER])
    assert client.get(reverse("audit", kwargs={"tree_id": ctx.tree.pk}), {"log": "access"}).status_code == 403
