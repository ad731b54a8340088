"""GEDCOM pages: upload → preview → confirm → progress, and export; thin views over the GEDCOM services."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from cases.access import Capability, TreeAccess
from cases.errors import InvalidInput, NotFound
from cases.models import GedcomImport, ImportState
from cases.pages.feedback import action_reported, page_access
from cases.services import gedcom as gedcom_services


@login_required
def gedcom_page(request: HttpRequest, tree_id: int) -> HttpResponse:
    access = page_access(request, tree_id)
    if request.method == "POST":
        upload = request.FILES.get("file")
        with action_reported(request) as outcome:
            if upload is None:
                raise InvalidInput("Choose a GEDCOM file to upload.")
            job = gedcom_services.gedcom_upload(
                access=access, upload=upload, original_name=upload.name or "", force=request.POST.get("force") == "on"
            )
        if outcome.ok:
            return redirect("gedcom-import", tree_id=tree_id, import_id=job.pk)
    can_edit = access.can(Capability.EDIT)
    imports = GedcomImport.objects.filter(tree=access.tree)[:20] if can_edit else []
    return render(
        request, "cases/gedcom.html", {"access": access, "tree": access.tree, "can_edit": can_edit, "imports": imports}
    )


@login_required
def gedcom_import_page(request: HttpRequest, tree_id: int, import_id: int) -> HttpResponse:
    access = page_access(request, tree_id)
    job = _import(access, import_id)
    progress = gedcom_services.gedcom_import_progress(gedcom_import=job)
    waiting = job.state in (ImportState.UPLOADED, ImportState.IMPORTING)
    return render(
        request,
        "cases/gedcom_import.html",
        {
            "access": access,
            "tree": access.tree,
            "job": job,
            "progress": progress,
            "waiting": waiting,
            "preview": job.preview or {},
            "result": job.result or {},
        },
    )


@login_required
@require_POST
def gedcom_import_confirm_page(request: HttpRequest, tree_id: int, import_id: int) -> HttpResponse:
    access = page_access(request, tree_id)
    with action_reported(request):
        gedcom_services.gedcom_import_confirm(access=access, gedcom_import=_import(access, import_id))
    return redirect("gedcom-import", tree_id=tree_id, import_id=import_id)


@login_required
def gedcom_export_page(request: HttpRequest, tree_id: int) -> HttpResponse:
    access = page_access(request, tree_id)
    with action_reported(request) as outcome:
        result = gedcom_services.gedcom_export(
            access=access, version=request.GET.get("version", "5.5.1"), as_zip=request.GET.get("zip") == "on"
        )
    if not outcome.ok:
        return redirect("tree-gedcom", tree_id=tree_id)
    response = HttpResponse(result.content, content_type=result.content_type)
    response["Content-Disposition"] = f'attachment; filename="{result.filename}"'
    return response


def _import(access: TreeAccess, import_id: int) -> GedcomImport:
    """Return the tree's import ``import_id``; only editors see imports."""
    access.require(Capability.EDIT)
    job = GedcomImport.objects.filter(tree=access.tree, pk=import_id).first()
    if job is None:
        raise NotFound("No such import in this tree.")
    return job
