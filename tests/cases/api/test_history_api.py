"""History API: every member reads the changes they may see; editors and owners revert."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from cases.models import Person, RecordChange, RecordType, Role


def _client(user) -> APIClient:
    # A real token, so the acting user is seen only after DRF's authentication inside the view.
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
    return client


def test_api_edit_is_attributed_to_the_token_user_and_revert_restores(small_tree):
    editor = _client(small_tree.users[Role.EDITOR])
    person_url = reverse("api-person-detail", kwargs={"tree_id": small_tree.tree.pk, "person_id": small_tree.child.pk})
    assert editor.patch(person_url, {"given_names": "Evie"}, format="json").status_code == 200
    change = RecordChange.objects.order_by("-pk").first()
    assert (change.username, change.user, change.after["given_names"]) == (
        "editor",
        small_tree.users[Role.EDITOR],
        "Evie",
    )
    listing = editor.get(
        reverse("api-history", kwargs={"tree_id": small_tree.tree.pk}),
        {"person": small_tree.child.pk, "record_type": "person"},
    ).json()
    first = listing["results"][0]
    assert first["id"] == change.pk and first["user"] == "editor" and first["hidden"] is False
    assert first["diffs"] == [{"key": "given_names", "label": "Given names", "before": "Eve", "after": "Evie"}]
    revert_url = reverse("api-history-revert", kwargs={"tree_id": small_tree.tree.pk, "change_id": change.pk})
    answer = editor.post(revert_url)
    assert answer.status_code == 201, answer.json()
    assert answer.json()["reverts"] == change.pk and answer.json()["action"] == "revert"
    assert Person.objects.get(pk=small_tree.child.pk).given_names == "Eve"
    again = editor.post(revert_url)
    assert again.status_code == 409 and "already reverted" in again.json()["detail"]


@pytest.mark.parametrize(
    ("role", "list_status", "revert_status"),
    [
        (Role.OWNER, 200, 201),
        (Role.EDITOR, 200, 201),
        (Role.VIEWER, 200, 403),
        (Role.CASEWORKER, 200, 403),
        (Role.AUDITOR, 200, 403),
        ("outsider", 404, 404),
    ],
)
def test_permissions_by_role(small_tree, role, list_status, revert_status):
    from cases.services.persons import person_update

    person_update(access=small_tree.owner_access, person=small_tree.grandfather, given_names="Al")
    change = RecordChange.objects.order_by("-pk").first()
    client = _client(small_tree.users[role])
    assert client.get(reverse("api-history", kwargs={"tree_id": small_tree.tree.pk})).status_code == list_status
    url = reverse("api-history-revert", kwargs={"tree_id": small_tree.tree.pk, "change_id": change.pk})
    assert client.post(url).status_code == revert_status
    assert Person.objects.get(pk=small_tree.grandfather.pk).given_names == ("Albert" if revert_status == 201 else "Al")


def test_viewer_gets_no_values_of_living_persons(small_tree):
    from cases.services.persons import person_update

    person_update(access=small_tree.owner_access, person=small_tree.child, given_names="Secretname")
    response = _client(small_tree.users[Role.VIEWER]).get(
        reverse("api-history", kwargs={"tree_id": small_tree.tree.pk}), {"record_type": RecordType.PERSON}
    )
    assert response.status_code == 200
    assert "Secretname" not in response.content.decode() and "Young" not in response.content.decode()
    hidden = [row for row in response.json()["results"] if row["object_id"] == small_tree.child.pk]
    assert hidden and all(row["hidden"] and row["before"] is None and row["diffs"] == [] for row in hidden)


def test_bad_filters_are_400(small_tree):
    client = _client(small_tree.users[Role.OWNER])
    url = reverse("api-history", kwargs={"tree_id": small_tree.tree.pk})
    assert client.get(url, {"record_type": "planet"}).status_code == 400
    assert client.get(url, {"person": "x"}).status_code == 400


def test_history_is_in_the_openapi_schema(small_tree):
    client = _client(small_tree.users[Role.OWNER])
    schema = client.get(reverse("api-schema"), {"format": "json"}).json()
    assert "/api/trees/{tree_id}/history/" in schema["paths"]
    revert = schema["paths"]["/api/trees/{tree_id}/history/{change_id}/revert/"]["post"]
    assert "201" in revert["responses"]


def test_history_list_query_count_does_not_grow(small_tree):
    from cases.services.persons import person_update

    client = _client(small_tree.users[Role.VIEWER])
    url = reverse("api-history", kwargs={"tree_id": small_tree.tree.pk})
    counts = []
    for batch in range(2):
        for index in range(10):
            person_update(
                access=small_tree.owner_access, person=small_tree.grandfather, given_names=f"Name {batch} {index}"
            )
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1], counts
