"""Generation pages: start, re-run and cancel jobs; adopt and serve synthetic candidates."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from cases import selectors
from cases.access import Capability
from cases.errors import ApplicationError
from cases.models import AuditAction
from cases.pages.feedback import action_reported, page_access, redirect_back
from cases.pages.generation_form import GenerationFormError, generation_params_from_form
from cases.services import generation as generation_services
from cases.services.generation.approval import (
    candidate_approval_revoke,
    candidate_approve,
    candidate_marked_png,
    candidate_require_cleared,
)


@login_required
@require_POST
def family_generate(request: HttpRequest, tree_id: int, family_id: int) -> HttpResponse:
    access = page_access(request, tree_id, require=Capability.GENERATE)
    family = selectors.family_page(access=access, family_id=family_id).family
    with action_reported(
        request,
        success="Generation started; progress shows below.",
        failure="Nothing was generated: ",
        errors=(ApplicationError, GenerationFormError),
    ):
        params, engine = generation_params_from_form(request.POST)
        generation_services.generation_request(access=access, family=family, params=params, engine=engine)
    return redirect(family)


@login_required
@require_POST
def job_rerun_page(request: HttpRequest, tree_id: int, job_id: int) -> HttpResponse:
    access = page_access(request, tree_id, require=Capability.GENERATE)
    job = selectors.generation_job_get(access=access, job_id=job_id)
    with action_reported(
        request,
        success=f"Re-running job {job.pk} with the same seed ({job.seed}).",
        failure="The job was not re-run: ",
    ):
        generation_services.generation_rerun(access=access, job=job)
    return redirect(job.family) if job.family else redirect("tree-chart", tree_id=tree_id)


@login_required
@require_POST
def job_cancel_page(request: HttpRequest, tree_id: int, job_id: int) -> HttpResponse:
    access = page_access(request, tree_id, require=Capability.GENERATE)
    job = selectors.generation_job_get(access=access, job_id=job_id)
    with action_reported(request, success="Cancellation requested."):
        generation_services.generation_cancel(access=access, job=job)
    return redirect(job.family) if job.family else redirect("tree-chart", tree_id=tree_id)


@login_required
@require_POST
def candidate_adopt_page(request: HttpRequest, tree_id: int, candidate_id: int) -> HttpResponse:
    access = page_access(request, tree_id, require=Capability.EDIT)
    candidate = selectors.candidate_get(access=access, candidate_id=candidate_id)
    person = selectors.person_get(access=access, person_id=int(request.POST.get("person") or 0))
    with action_reported(request, success=f"The synthetic candidate is now the portrait of {person.display_name}."):
        generation_services.candidate_adopt(
            access=access,
            candidate=candidate,
            person=person,
            confirm_person_name=request.POST.get("confirm_person_name", ""),
        )
    return redirect(candidate.job.family or person)


@login_required
@require_POST
def person_adoption_undo_page(request: HttpRequest, tree_id: int, person_id: int) -> HttpResponse:
    access = page_access(request, tree_id)
    person = selectors.person_get(access=access, person_id=person_id)
    with action_reported(
        request, success=f"The adoption is undone; {person.display_name} has their previous portrait again (or none)."
    ):
        generation_services.candidate_adoption_undo(access=access, person=person)
    return redirect(person)


@login_required
@require_POST
def candidate_approve_page(request: HttpRequest, tree_id: int, candidate_id: int) -> HttpResponse:
    access = page_access(request, tree_id)
    candidate = selectors.candidate_get(access=access, candidate_id=candidate_id)
    revoke = request.POST.get("revoke") == "1"
    with action_reported(
        request,
        success=f"Candidate {candidate.index + 1} of job {candidate.job_id} "
        f"{'is no longer' if revoke else 'is now'} approved to leave Kinship.",
    ):
        if revoke:
            candidate_approval_revoke(access=access, candidate=candidate)
        else:
            candidate_approve(access=access, candidate=candidate, note=request.POST.get("note", ""))
    return redirect_back(request, candidate.job.family or "tree-list")


@login_required
def candidate_image(request: HttpRequest, tree_id: int, candidate_id: int) -> HttpResponse:
    """Serve a synthetic candidate; downloads carry the mark.

    Downloads and full-size views (``view=full``: the enlarge and compare viewer) go to the audit trail;
    the thumbnails pages embed go to the access log, so they do not bury the chain of custody.
    """
    access = page_access(request, tree_id)
    candidate = selectors.candidate_get(access=access, candidate_id=candidate_id)
    download = request.GET.get("download") == "1"
    if download:
        candidate_require_cleared(candidate=candidate)
        data = generation_services.candidate_download_bytes(candidate=candidate, marked=settings.KINSHIP_MARK_DOWNLOADS)
        generation_services.candidate_record_access(
            access=access, candidate=candidate, action=AuditAction.CANDIDATE_DOWNLOADED
        )
    else:
        # Shown inside the app with the visible mark too: a screenshot must still say "synthetic".
        data = candidate_marked_png(candidate=candidate)
        if request.GET.get("view") == "full":
            generation_services.candidate_record_access(
                access=access, candidate=candidate, action=AuditAction.CANDIDATE_VIEWED
            )
        else:
            generation_services.candidate_record_thumbnail_view(access=access, candidate=candidate)
    response = HttpResponse(data, content_type="image/png")
    response["Cache-Control"] = "private, no-store"
    response["X-Kinship-Synthetic"] = "true"
    if download:
        response["Content-Disposition"] = (
            f'attachment; filename="kinship-synthetic-job{candidate.job_id}-{candidate.index + 1}.png"'
        )
    return response
