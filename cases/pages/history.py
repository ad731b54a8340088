"""History pages: what changed in the tree's lineage records, by whom, and reverting a change."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_POST

from cases import selectors
from cases.access import Capability
from cases.errors import Conflict, InvalidInput
from cases.history import MODEL_OF_TYPE
from cases.models import RecordType
from cases.pages.audit import _id
from cases.pages.feedback import action_reported, page_access, redirect_back
from cases.selectors.history import change_get, change_rows, history_family, record_changes
from cases.services.history import change_revert

PAGE_SIZE = 30


@login_required
def tree_history_page(request: HttpRequest, tree_id: int) -> HttpResponse:
    """List the tree's changes, newest first, filtered by record type and person."""
    access = page_access(request, tree_id)
    return _render(request, access, person=None, person_id=_id(request, "person"))


@login_required
def person_history_page(request: HttpRequest, tree_id: int, person_id: int) -> HttpResponse:
    """List the changes concerning one person (their record, names, families, links, evidence)."""
    access = page_access(request, tree_id)
    person = selectors.person_get(access=access, person_id=person_id)
    return _render(request, access, person=person, person_id=person.pk)


@login_required
@require_POST
def change_revert_page(request: HttpRequest, tree_id: int, change_id: int) -> HttpResponse:
    """Revert one change and go back to the list; a refusal is shown as a message there."""
    access = page_access(request, tree_id, require=Capability.EDIT)
    change = change_get(access=access, change_id=change_id)
    # A refusal the user can act on (revert the newer change first) is shown above the list; any
    # other domain error (a change gone meanwhile) is an error page, as before.
    with action_reported(request, errors=(Conflict, InvalidInput)) as reverted:
        revert = change_revert(access=access, change=change)
        reverted.success = f"Change #{change.pk} reverted (recorded as change #{revert.pk})."
    return redirect_back(request, reverse("tree-history", kwargs={"tree_id": tree_id}))


def _render(request: HttpRequest, access, *, person, person_id: int | None) -> HttpResponse:
    record_type = request.GET.get("record_type", "")
    family = history_family(access=access, family_id=_id(request, "family"))
    changes = record_changes(
        access=access, record_type=record_type, person_id=person_id, family_id=family.family.pk if family else None
    )
    page = Paginator(changes, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "cases/history.html",
        {
            "access": access,
            "tree": access.tree,
            "page": page,
            "person": person,
            "person_private": person is not None and access.person_hidden(person),
            "rows": change_rows(access=access, changes=list(page.object_list)),
            "can_revert": access.can(Capability.EDIT),
            "revertible": set(MODEL_OF_TYPE),
            "record_types": RecordType.choices,
            "filters": {"record_type": record_type, "person": person_id},
            "family": family,
            "query": query.urlencode(),
        },
    )
