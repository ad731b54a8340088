"""Auditors see, filter and export the trail; nobody can change it through the API or the admin."""

import csv
import io

from django.urls import reverse
from rest_framework.test import APIClient

from cases.models import AuditEvent
from cases.services.audit import audit_record


def _events(tree, user):
    audit_record(
        action="generation.requested",
        actor=user,
        tree_id=tree.pk,
        object_type="generation_job",
        object_id=1,
        payload={"seed": 1},
    )
    audit_record(action="candidate.viewed", actor=user, tree_id=tree.pk, object_type="candidate", object_id=7)
    audit_record(action="candidate.viewed", actor=user, tree_id=tree.pk + 1000, object_type="candidate", object_id=8)


def test_auditor_filters_and_exports(small_tree):
    _events(small_tree.tree, small_tree.users["owner"])
    client = APIClient()
    client.force_authenticate(small_tree.users["auditor"])
    url = reverse("api-audit", kwargs={"tree_id": small_tree.tree.pk})
    everything = client.get(url).json()
    assert everything["count"] == 2  # the other tree's event is not shown
    viewed = client.get(url, {"action": "candidate.viewed"}).json()["results"]
    assert [e["object_id"] for e in viewed] == [7]
    assert client.get(url, {"since": "not a date"}).status_code == 400
    response = client.get(url, {"export": "csv"})
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][:5] == ["id", "created_at", "actor_username", "tree_id", "action"]
    assert [r[4] for r in rows[1:]] == ["generation.requested", "candidate.viewed"]


def test_no_write_path_in_api_or_admin(small_tree, admin_client):
    _events(small_tree.tree, small_tree.users["owner"])
    client = APIClient()
    client.force_authenticate(small_tree.users["owner"])
    url = reverse("api-audit", kwargs={"tree_id": small_tree.tree.pk})
    for method in ("post", "put", "patch", "delete"):
        assert getattr(client, method)(url, {}, format="json").status_code == 405
    event = AuditEvent.objects.first()
    assert admin_client.get(reverse("admin:cases_auditevent_change", args=[event.pk])).status_code == 200
    assert (
        admin_client.post(reverse("admin:cases_auditevent_delete", args=[event.pk]), {"post": "yes"}).status_code == 403
    )
    assert admin_client.get(reverse("admin:cases_auditevent_add")).status_code == 403
    assert AuditEvent.objects.count() == 3
