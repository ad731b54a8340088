"""Members in the UI: owners invite, change roles and scopes, remove; nobody else may probe usernames."""

from __future__ import annotations

import pytest
from django.urls import reverse

from cases.access import Capability
from cases.models import Membership, Role
from tests.factories import UserFactory
from tests.pages import without_csrf_tokens
from tests.permissions import ROLES, holders


def _url(tree, name="member-list", **kwargs):
    return reverse(name, kwargs={"tree_id": tree.pk, **kwargs})


def test_owner_invites_sets_role_and_scope_then_removes(small_tree, client):
    newcomer = UserFactory(username="newcomer")
    client.force_login(small_tree.users[Role.OWNER])
    page = client.get(_url(small_tree.tree))
    assert page.status_code == 200 and b"Invite a member" in page.content
    response = client.post(
        _url(small_tree.tree, "member-save"), {"username": "newcomer", "role": "viewer", "can_see_living": "yes"}
    )
    assert response.status_code == 302
    membership = Membership.objects.get(tree=small_tree.tree, user=newcomer)
    assert (membership.role, membership.can_see_living, membership.scope_person) == ("viewer", True, None)
    client.post(
        _url(small_tree.tree, "member-save"),
        {
            "username": "newcomer",
            "role": "editor",
            "can_see_living": "",
            "scope_person": small_tree.child.pk,
            "scope_depth": "2",
        },
    )
    membership.refresh_from_db()
    assert (membership.role, membership.can_see_living, membership.scope_person, membership.scope_depth) == (
        "editor",
        None,
        small_tree.child,
        2,
    )
    client.post(_url(small_tree.tree, "member-remove", membership_id=membership.pk))
    assert not Membership.objects.filter(pk=membership.pk).exists()


def test_owner_is_told_about_a_bad_scope_but_not_whether_a_username_exists(small_tree, client):
    client.force_login(small_tree.users[Role.OWNER])
    unknown = client.post(_url(small_tree.tree, "member-save"), {"username": "nobody", "role": "viewer"}, follow=True)
    known = client.post(_url(small_tree.tree, "member-save"), {"username": "viewer", "role": "viewer"}, follow=True)
    assert "If an account called “nobody” exists" in unknown.content.decode()
    assert "If an account called “viewer” exists" in known.content.decode()
    assert "No user" not in unknown.content.decode()
    response = client.post(
        _url(small_tree.tree, "member-save"),
        {"username": "viewer", "role": "viewer", "scope_person": small_tree.child.pk, "scope_depth": "many"},
        follow=True,
    )
    assert "number of steps" in response.content.decode()


def test_the_last_owner_cannot_be_removed(small_tree, client):
    client.force_login(small_tree.users[Role.OWNER])
    owner = Membership.objects.get(tree=small_tree.tree, role=Role.OWNER)
    response = client.post(_url(small_tree.tree, "member-remove", membership_id=owner.pk), follow=True)
    assert "at least one owner" in response.content.decode()
    assert Membership.objects.filter(pk=owner.pk).exists()


@pytest.mark.parametrize("role", sorted(set(ROLES) - holders(Capability.MANAGE_MEMBERS)))
def test_non_owners_cannot_see_members_nor_learn_whether_a_username_exists(small_tree, client, role):
    client.force_login(small_tree.users[role])
    assert client.get(_url(small_tree.tree)).status_code == 403
    answers = [
        client.post(_url(small_tree.tree, "member-save"), {"username": name, "role": "owner"})
        for name in ("outsider", "no-such-user")
    ]
    assert [a.status_code for a in answers] == [403, 403]
    pages = [without_csrf_tokens(a.content.decode()) for a in answers]
    assert pages[0] == pages[1]
    assert not Membership.objects.filter(tree=small_tree.tree, user__username="outsider").exists()
    assert (
        b'href="/trees/%d/members/"' % small_tree.tree.pk
        not in client.get(reverse("person-list", kwargs={"tree_id": small_tree.tree.pk})).content
    )
