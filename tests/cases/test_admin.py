"""Staff cannot change trees' records in the admin, where no check or audit row applies (issue 14).

Reproduced before the fix: a superuser's POST to the person change page renamed the person
(302) and no audit row was written; memberships, families and cases likewise.
"""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.urls import reverse

from cases.models import Case, Family, Membership, Person


def _objects(tree):
    return {
        "person": (tree.child, {"given_names": "Renamed", "surname": "Old", "tree": tree.tree.pk, "sex": "F"}),
        "family": (tree.child.parent_links.get().family, {"tree": tree.tree.pk, "family_type": "married"}),
        "membership": (
            Membership.objects.get(tree=tree.tree, user__username="viewer"),
            {"tree": tree.tree.pk, "user": tree.users["viewer"].pk, "role": "owner"},
        ),
        "case": (tree.case, {"tree": tree.tree.pk, "organisation": "Changed", "number": "X"}),
    }


@pytest.mark.parametrize("model", ["person", "family", "membership", "case"])
def test_admin_cannot_add_change_or_delete(case_tree, admin_client, model):
    obj, data = _objects(case_tree)[model]
    before = type(obj).objects.filter(pk=obj.pk).values().get()
    change = reverse(f"admin:cases_{model}_change", args=[obj.pk])
    assert admin_client.get(change).status_code == 200  # looking things up still works
    assert admin_client.post(change, data).status_code == 403
    assert admin_client.post(reverse(f"admin:cases_{model}_delete", args=[obj.pk]), {"post": "yes"}).status_code == 403
    assert admin_client.get(reverse(f"admin:cases_{model}_add")).status_code == 403
    assert type(obj).objects.filter(pk=obj.pk).values().get() == before


def test_every_cases_admin_is_read_only(rf, admin_user):
    request = rf.get("/")
    request.user = admin_user
    for model, model_admin in admin.site._registry.items():
        if model._meta.app_label != "cases":
            continue
        assert not model_admin.has_add_permission(request), model
        assert not model_admin.has_change_permission(request), model
        assert not model_admin.has_delete_permission(request), model
        for inline in model_admin.get_inline_instances(request):
            assert not inline.has_change_permission(request), (model, inline)
    assert {Person, Family, Membership, Case} <= set(admin.site._registry)
