"""Nothing about one user's trees or the site's accounts shows through to another (issue 13, item 5).

Reproduced before the fix: a second user could not name a tree "Smith" once anyone had one
(Conflict naming it), and adding a member answered 400 "No user with that username" for an
unknown name but 200 for an existing account.
"""

from __future__ import annotations

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from cases.errors import Conflict
from cases.models import AuditEvent, Membership, Role, Tree
from cases.services.trees import tree_create
from tests.factories import UserFactory


def test_tree_names_are_unique_per_owner_only(db):
    alice, bob = UserFactory(username="alice"), UserFactory(username="bob")
    tree_create(name="Smith", owner=alice)
    tree_create(name="Smith", owner=bob)
    assert Tree.objects.filter(name="Smith").count() == 2
    with pytest.raises(Conflict, match="You already have"):
        tree_create(name="Smith", owner=alice)


def test_adding_a_member_says_the_same_for_unknown_and_existing_accounts(small_tree):
    UserFactory(username="existing")
    client = APIClient()
    client.force_authenticate(small_tree.users[Role.OWNER])
    url = reverse("api-member-list", kwargs={"tree_id": small_tree.tree.pk})
    known = client.post(url, {"username": "existing", "role": "viewer"}, format="json")
    unknown = client.post(url, {"username": "nobody00", "role": "viewer"}, format="json")
    assert known.status_code == unknown.status_code == 202
    assert known.json()["detail"].replace("existing", "X") == unknown.json()["detail"].replace("nobody00", "X")
    assert Membership.objects.filter(tree=small_tree.tree, user__username="existing", role="viewer").exists()
    # Malformed requests fail the same way whatever the name.
    bad = [
        client.post(url, {"username": name, "role": "viewer", "scope_depth": 1}, format="json").json()
        for name in ("existing", "nobody00")
    ]
    assert bad[0] == bad[1]


def test_role_changes_and_removals_are_audited(small_tree):
    client = APIClient()
    client.force_authenticate(small_tree.users[Role.OWNER])
    url = reverse("api-member-list", kwargs={"tree_id": small_tree.tree.pk})
    assert client.post(url, {"username": "viewer", "role": "editor"}, format="json").status_code == 202
    member = Membership.objects.get(tree=small_tree.tree, user__username="viewer")
    changed = AuditEvent.objects.get(action="membership.set", object_id=member.pk)
    assert changed.payload["before"]["role"] == "viewer" and changed.payload["after"]["role"] == "editor"
    assert changed.actor_username == "owner"
    detail = reverse("api-member-detail", kwargs={"tree_id": small_tree.tree.pk, "membership_id": member.pk})
    assert client.delete(detail).status_code == 204
    removed = AuditEvent.objects.get(action="membership.removed", object_id=member.pk)
    assert removed.payload["username"] == "viewer" and removed.payload["before"]["role"] == "editor"
