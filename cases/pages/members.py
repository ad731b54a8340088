"""Members of a tree, for its owners: invite by username, change roles and scopes, remove."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from cases import selectors
from cases.access import Capability
from cases.errors import InvalidInput, NotFound
from cases.models import Membership, Role
from cases.pages.feedback import action_reported, page_access
from cases.selectors.search import PersonQuery
from cases.services import trees as tree_services

LIVING_CHOICES = (("", "as the role allows"), ("yes", "yes"), ("no", "no"))


@login_required
def member_list(request: HttpRequest, tree_id: int) -> HttpResponse:
    access = page_access(request, tree_id)
    members = list(selectors.membership_list(access=access))
    scope_query = request.GET.get("scope_q", "")
    found = (
        list(selectors.person_find(access=access, query=PersonQuery(name=scope_query))[:20])
        if scope_query.strip()
        else []
    )
    return render(
        request,
        "cases/member_list.html",
        {
            "access": access,
            "tree": access.tree,
            "members": members,
            "roles": Role.choices,
            "living_choices": LIVING_CHOICES,
            "scope_query": scope_query,
            "scope_choices": found,
        },
    )


@login_required
@require_POST
def member_save(request: HttpRequest, tree_id: int) -> HttpResponse:
    access = page_access(request, tree_id, require=Capability.MANAGE_MEMBERS)
    with action_reported(request, failure="Nothing was changed: "):
        scope_person, scope_depth = _scope(access, request.POST)
        username = request.POST.get("username", "").strip()
        tree_services.membership_add_by_username(
            access=access,
            username=username,
            role=request.POST.get("role", ""),
            can_see_living={"yes": True, "no": False}.get(request.POST.get("can_see_living", "")),
            scope_person=scope_person,
            scope_depth=scope_depth,
        )
        # The same words whether or not the account exists: trying names must not list the site's users.
        messages.info(
            request,
            f"If an account called “{username}” exists, it now has this role; the list below shows who belongs.",
        )
    return redirect("member-list", tree_id=tree_id)


@login_required
@require_POST
def member_remove(request: HttpRequest, tree_id: int, membership_id: int) -> HttpResponse:
    access = page_access(request, tree_id, require=Capability.MANAGE_MEMBERS)
    membership = Membership.objects.filter(tree=access.tree, pk=membership_id).select_related("user").first()
    if membership is None:
        raise NotFound("No such member.")
    with action_reported(
        request, success=f"{membership.user.username} was removed from the tree.", failure="Not removed: "
    ):
        tree_services.membership_remove(access=access, membership=membership)
    return redirect("member-list", tree_id=tree_id)


def _scope(access, data) -> tuple:
    """Return the scope person and depth from the form; both empty means the whole tree."""
    person_id, depth = data.get("scope_person", "").strip(), data.get("scope_depth", "").strip()
    if not person_id:
        return None, None
    if not person_id.isdigit() or not depth.isdigit() or not 0 <= int(depth) <= 20:
        raise InvalidInput("A relatives scope needs a person and a number of steps from 0 to 20.")
    return selectors.person_get(access=access, person_id=int(person_id)), int(depth)
