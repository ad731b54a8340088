"""Server-rendered pages for missing-person cases: thin views over the casework services."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from cases import selectors
from cases.access import Capability, TreeAccess
from cases.errors import InvalidInput
from cases.models import Case, CaseStatus
from cases.pages.feedback import action_reported, page_access
from cases.pages.generation_form import LIMITS
from cases.services import casework
from cases.services.case_report import case_report_pdf
from cases.services.found_photos import RANKING_WARNING, found_photo_rank, found_photo_rankings_labelled
from cases.services.generation.approval import APPROVER_ROLES
from cases.services.generation.engines import engine_availability


@login_required
def case_list_page(request: HttpRequest, tree_id: int) -> HttpResponse:
    access = page_access(request, tree_id)
    cases = selectors.case_list(access=access)
    if request.method == "POST":
        access.require(Capability.WORK_CASES)
        form = request.POST
        with action_reported(request) as outcome:
            case = casework.case_create(
                access=access,
                organisation=form.get("organisation", ""),
                number=form.get("number", ""),
                missing_person=selectors.person_get(access=access, person_id=_int(form.get("missing_person"))),
                date_last_seen=_date(form.get("date_last_seen")),
                age_last_seen=_int(form.get("age_last_seen"), None),
                public_description=form.get("public_description", ""),
                notes=form.get("notes", ""),
            )
        if outcome.ok:
            return redirect(_case_url(case))
    return render(
        request,
        "cases/case_list.html",
        {
            "access": access,
            "tree": access.tree,
            "cases": cases,
            "can_open": access.can(Capability.WORK_CASES),
            "persons": selectors.person_queryset(access=access).order_by("surname", "given_names")
            if access.can(Capability.WORK_CASES)
            else [],
        },
    )


@login_required
def case_detail_page(request: HttpRequest, tree_id: int, case_id: int) -> HttpResponse:
    from genetics.engine import AGE_GROUPS

    access, case = _case_page(request, tree_id, case_id)
    generations = list(selectors.case_generations(case=case))
    by_group: dict[str, list] = {}
    for generation in generations:
        by_group.setdefault(generation.age_group, []).append(generation)
    parents = casework.case_birth_parents(case)
    # Case material follows the living-person rule: an auditor without the right sees "Living person".
    shown = [
        case.missing_person,
        case.favoured_parent,
        *parents,
        *(a.relative for a in case.attachments.all() if a.relative_id),
    ]
    private_ids = {p.pk for p in shown if p is not None and access.person_hidden(p)}
    age_today = None if case.missing_person_id in private_ids else casework.case_age_today(case=case)
    return render(
        request,
        "cases/case_detail.html",
        {
            "access": access,
            "tree": access.tree,
            "case": case,
            "by_group": sorted(by_group.items()),
            "rankings": found_photo_rankings_labelled(access=access, rankings=selectors.case_rankings(case=case)),
            "age_groups": AGE_GROUPS,
            "private_ids": private_ids,
            "age_today": age_today,
            "parents": parents,
            "can_work": access.can(Capability.WORK_CASES),
            "statuses": CaseStatus.choices,
            "warning": RANKING_WARNING,
            "tree_caseworkers": selectors.tree_caseworkers(access=access),
            "assigned": set(case.caseworkers.values_list("pk", flat=True)),
            "can_approve": access.role in APPROVER_ROLES,
            "stylegene_problem": engine_availability()["stylegene"] if access.can(Capability.WORK_CASES) else None,
            "limits": LIMITS,
        },
    )


@login_required
@require_POST
def case_candidates_page(request: HttpRequest, tree_id: int, case_id: int) -> HttpResponse:
    access, case = _case_page(request, tree_id, case_id, work=True)
    form = request.POST
    with action_reported(request) as outcome:
        jobs = casework.case_candidates_request(
            access=access,
            case=case,
            age_groups=form.getlist("age_groups"),
            include_age_today=form.get("include_age_today") == "on",
            per_group=_int(form.get("per_group"), 4),
            engines=form.getlist("engines") or [""],
        )
        outcome.success = f"{len(jobs)} generation job(s) queued; candidates appear below when done."
    return redirect(_case_url(case))


@login_required
@require_POST
def case_rank_page(request: HttpRequest, tree_id: int, case_id: int) -> HttpResponse:
    access, case = _case_page(request, tree_id, case_id, work=True)
    upload = request.FILES.get("file")
    with action_reported(request, success=RANKING_WARNING, level=messages.WARNING):
        if upload is None:
            raise InvalidInput("Choose a found photo to compare.")
        found_photo_rank(
            access=access,
            case=case,
            data=upload.read(),
            original_name=upload.name or "",
            include_tree_persons=request.POST.get("include_tree_persons") == "on",
        )
    return redirect(_case_url(case))


@login_required
@require_POST
def case_status_page(request: HttpRequest, tree_id: int, case_id: int) -> HttpResponse:
    access, case = _case_page(request, tree_id, case_id, work=True)
    with action_reported(request):
        casework.case_update(access=access, case=case, data={"status": request.POST.get("status", "")})
    return redirect(_case_url(case))


@login_required
@require_POST
def case_assign_page(request: HttpRequest, tree_id: int, case_id: int) -> HttpResponse:
    access, case = _case_page(request, tree_id, case_id, work=True)
    with action_reported(request, success="Caseworkers updated."):
        users = casework.caseworkers_by_username(access=access, usernames=request.POST.getlist("caseworkers"))
        casework.case_assign(access=access, case=case, caseworkers=users)
    return redirect(_case_url(case))


@login_required
@require_POST
def case_release_page(request: HttpRequest, tree_id: int, case_id: int) -> HttpResponse:
    """Download the release copy: public fields only (the service audits the release)."""
    import json

    from django.core.serializers.json import DjangoJSONEncoder

    access, case = _case_page(request, tree_id, case_id)
    copy = casework.case_release_copy(access=access, case=case)
    response = HttpResponse(json.dumps(copy, cls=DjangoJSONEncoder, indent=2), content_type="application/json")
    response["Content-Disposition"] = f'attachment; filename="case-{case.pk}-release.json"'
    return response


@login_required
@require_POST
def case_attachment_page(request: HttpRequest, tree_id: int, case_id: int) -> HttpResponse:
    access, case = _case_page(request, tree_id, case_id, work=True)
    upload = request.FILES.get("file")
    form = request.POST
    with action_reported(request):
        if upload is None:
            raise InvalidInput("Choose a file to attach.")
        relative_id = _int(form.get("relative"), None)
        casework.case_attachment_add(
            access=access,
            case=case,
            data=upload.read(),
            original_name=upload.name or "",
            content_type=upload.content_type or "",
            description=form.get("description", ""),
            relative=selectors.person_get(access=access, person_id=relative_id) if relative_id else None,
            age_group=form.get("age_group", ""),
        )
    return redirect(_case_url(case))


@login_required
@require_POST
def case_reminder_done_page(request: HttpRequest, tree_id: int, case_id: int, reminder_id: int) -> HttpResponse:
    access, case = _case_page(request, tree_id, case_id, work=True)
    casework.case_reminder_done(access=access, reminder=selectors.case_reminder_get(case=case, reminder_id=reminder_id))
    return redirect(_case_url(case))


@login_required
@require_POST
def case_report_page(request: HttpRequest, tree_id: int, case_id: int) -> HttpResponse:
    """Produce and download the report: a POST, since each report is audited with its hash (chain of custody)."""
    access, case = _case_page(request, tree_id, case_id)
    response = HttpResponse(case_report_pdf(access=access, case=case), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="case-{case.pk}-report.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response


def _case_page(request: HttpRequest, tree_id: int, case_id: int, *, work: bool = False) -> tuple[TreeAccess, Case]:
    """Return the access and the case (404 unless the user may read it); ``work``: refuse unless they work on it."""
    access = page_access(request, tree_id)
    case = selectors.case_get(access=access, case_id=case_id)
    if work:
        access.require_case_work(case)
    return access, case


def _case_url(case) -> str:
    return reverse("case-detail", kwargs={"tree_id": case.tree_id, "case_id": case.pk})


def _int(value: str | None, default: int | None = 0) -> int | None:
    if value in (None, ""):
        return default
    try:
        return int(value)
    except ValueError as error:
        raise InvalidInput("Numbers are expected here.") from error


def _date(value: str | None) -> datetime.date | None:
    if not value:
        return None
    try:
        return datetime.date.fromisoformat(value)
    except ValueError as error:
        raise InvalidInput("Dates are written YYYY-MM-DD.") from error
