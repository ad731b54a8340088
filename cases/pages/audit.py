"""The audit page: the tree's chain-of-custody trail, filtered, paginated and exportable."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from cases import selectors
from cases.access import Capability
from cases.api.base import MAX_ID
from cases.audit_csv import audit_csv_response
from cases.errors import InvalidInput
from cases.models import AuditAction
from cases.pages.feedback import page_access

PAGE_SIZE = 50
ID_FILTERS = ("person", "family", "case")


@login_required
def audit_page(request: HttpRequest, tree_id: int) -> HttpResponse:
    """List the audit trail for owners and auditors; ``export=csv`` downloads the filtered list."""
    access = page_access(request, tree_id, require=Capability.VIEW_AUDIT)
    if request.GET.get("log") == "access":
        return _access_log(request, access)
    ids = {name: _id(request, name) for name in ID_FILTERS}
    texts = {name: request.GET.get(name, "").strip() for name in ("action", "actor", "since", "until")}
    events = selectors.audit_events(
        access=access, person_id=ids["person"], family_id=ids["family"], case_id=ids["case"], **texts
    )
    if request.GET.get("export") == "csv":
        return audit_csv_response(events, access=access)
    page = Paginator(events.order_by("-pk"), PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    query.pop("export", None)
    return render(
        request,
        "cases/audit.html",
        {
            "access": access,
            "tree": access.tree,
            "page": page,
            "rows": selectors.audit_payload_rows(access=access, events=list(page.object_list)),
            "filters": {**texts, **ids},
            "actions": AuditAction.choices,
            "query": query.urlencode(),
        },
    )


def _access_log(request: HttpRequest, access) -> HttpResponse:
    """Render the routine-view log (thumbnails shown in pages), which is kept apart from the trail."""
    actor = request.GET.get("actor", "").strip()
    entries = selectors.access_log_entries(access=access, actor=actor)
    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "cases/audit_access_log.html",
        {
            "access": access,
            "tree": access.tree,
            "page": page,
            "actor": actor,
            "query": query.urlencode(),
        },
    )


def _id(request: HttpRequest, name: str) -> int | None:
    value = request.GET.get(name, "").strip()
    if value == "":
        return None
    if not value.isascii() or not value.isdigit() or int(value) > MAX_ID:
        raise InvalidInput(f"“{name}” must be a whole number (an id), not “{value[:40]}”.")
    return int(value)
