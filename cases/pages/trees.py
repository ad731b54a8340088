"""Tree list, person, family and photo pages: thin views over selectors and services."""

from __future__ import annotations

import secrets

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from cases import selectors
from cases.access import Capability
from cases.errors import NotFound
from cases.models import Face
from cases.models.records import Pedigree, Sex
from cases.pages.feedback import action_reported, page_access, redirect_back
from cases.pages.generation_form import DEFAULTS, LIMITS, REGION_LABELS, REGION_MODES, RESOLUTIONS
from cases.services import photos as photo_services, trees as tree_services
from cases.services.generation.engines import ENGINE_LABELS, engine_availability


@login_required
def tree_list(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        with action_reported(request) as created:
            tree = tree_services.tree_create(
                name=request.POST.get("name", ""), owner=request.user, description=request.POST.get("description", "")
            )
        if created.ok:
            return redirect(tree)
    trees = selectors.tree_list_for_user(user=request.user)
    roles = selectors.membership_roles(user=request.user)
    return render(request, "cases/tree_list.html", {"trees": [(tree, roles.get(tree.pk, "owner")) for tree in trees]})


@login_required
def person_detail(request: HttpRequest, tree_id: int, person_id: int) -> HttpResponse:
    access = page_access(request, tree_id)
    page = selectors.person_page(access=access, person_id=person_id)
    return render(
        request,
        "cases/person_detail.html",
        {
            "access": access,
            "tree": access.tree,
            "page": page,
            "person": page.person,
            "can_edit": access.can(Capability.EDIT),
        },
    )


@login_required
def family_detail(request: HttpRequest, tree_id: int, family_id: int) -> HttpResponse:
    access = page_access(request, tree_id)
    page = selectors.family_page(access=access, family_id=family_id)
    from genetics.engine import AGE_GROUPS

    can_generate = access.can(Capability.GENERATE)
    return render(
        request,
        "cases/family_detail.html",
        {
            "access": access,
            "tree": access.tree,
            "page": page,
            "family": page.family,
            "can_generate": can_generate,
            "can_adopt": access.can(Capability.EDIT),
            "age_groups": AGE_GROUPS,
            "can_edit": access.can(Capability.EDIT),
            "pedigrees": Pedigree.choices,
            "sexes": Sex.choices,
            # Hypothetical children first: they are what candidates are meant to be adopted for; a real
            # child can adopt only with its name typed as confirmation (candidate_adopt checks it).
            "adoptable_children": sorted(
                (link.child for link in page.family.child_links.all()), key=lambda child: not child.is_hypothetical
            ),
            "real_children": [link.child for link in page.family.child_links.all() if not link.child.is_hypothetical],
            "parents": page.family.partners_father_first,
            "regions": REGION_LABELS.items(),
            "region_modes": REGION_MODES.items(),
            "limits": LIMITS,
            "resolutions": RESOLUTIONS,
            "engines": _engine_options() if can_generate else [],
            "defaults": DEFAULTS,
            "new_seed": secrets.randbelow(2**31) if can_generate else None,
        },
    )


def _engine_options() -> list[dict[str, str | None]]:
    """Return the dialog's engine choices, each with why it cannot run (None when it can)."""
    return [
        {"name": name, "label": ENGINE_LABELS[name], "problem": problem}
        for name, problem in engine_availability().items()
    ]


@login_required
@require_POST
def photo_consent_page(request: HttpRequest, tree_id: int, photo_id: int) -> HttpResponse:
    access = page_access(request, tree_id, require=Capability.EDIT)
    photo = selectors.photo_get(access=access, photo_id=photo_id)
    with action_reported(request, success="Consent recorded."):
        photo_services.photo_set_consent(
            access=access,
            photo=photo,
            consent=request.POST.get("consent") == "yes",
            given_by=request.POST.get("given_by", ""),
        )
    return redirect_back(request, photo.persons.first() or "tree-list")


@login_required
@require_POST
def photo_details_page(request: HttpRequest, tree_id: int, photo_id: int) -> HttpResponse:
    access = page_access(request, tree_id, require=Capability.EDIT)
    photo = selectors.photo_get(access=access, photo_id=photo_id)
    with action_reported(request, success="Photo details saved.", failure="The photo's details were not saved: "):
        photo_services.photo_update(
            access=access,
            photo=photo,
            title=request.POST.get("title", ""),
            date_taken=request.POST.get("date_taken", ""),
        )
    return redirect_back(request, photo.persons.first() or "tree-list")


@login_required
def photo_file(request: HttpRequest, tree_id: int, photo_id: int, variant: str) -> FileResponse:
    access = page_access(request, tree_id)
    photo = selectors.photo_get(access=access, photo_id=photo_id)
    field = photo.thumbnail if variant == "thumbnail" else photo.original
    if variant not in ("thumbnail", "original") or not field:
        raise NotFound("No such file.")
    content_type = "image/jpeg" if variant == "thumbnail" else f"image/{photo.image_format.lower()}"
    if photo.is_synthetic:
        # An adopted candidate is shown with the visible mark burnt in, like every synthetic image.
        from django.conf import settings as django_settings

        from cases.provenance import mark_keeping_provenance

        with field.open("rb") as handle:
            marked = mark_keeping_provenance(handle.read(), placement=django_settings.KINSHIP_SYNTHETIC_MARK_PLACEMENT)
        response = HttpResponse(marked, content_type=content_type)
        response["Cache-Control"] = "private, max-age=3600"
        response["X-Content-Type-Options"] = "nosniff"
        response["X-Kinship-Synthetic"] = "true"
        return response
    response = FileResponse(field.open("rb"), content_type=content_type)
    response["Cache-Control"] = "private, max-age=3600"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_POST
def person_photo_upload(request: HttpRequest, tree_id: int, person_id: int) -> HttpResponse:
    access = page_access(request, tree_id, require=Capability.EDIT)
    person = selectors.person_get(access=access, person_id=person_id)
    upload = request.FILES.get("file")
    if upload is None:
        messages.error(request, "Choose a photo to upload.")
        return redirect(person)
    with action_reported(
        request,
        success="Photo added. Faces are being detected; reload in a moment.",
        failure="The photo was not added: ",
    ):
        photo_services.photo_upload(
            access=access,
            data=upload.read(),
            original_name=upload.name or "",
            persons=[person],
            title=request.POST.get("title", ""),
            date_taken=request.POST.get("date_taken", ""),
        )
    return redirect(person)


@login_required
@require_POST
def person_portrait_choose(request: HttpRequest, tree_id: int, person_id: int) -> HttpResponse:
    access = page_access(request, tree_id, require=Capability.EDIT)
    person = selectors.person_get(access=access, person_id=person_id)
    face = (
        Face.objects.select_related("photo").filter(photo__tree=access.tree, pk=request.POST.get("face") or 0).first()
    )
    if face is None or selectors.photo_hidden(access=access, photo=face.photo):
        raise NotFound("No such face in this tree.")
    with action_reported(request, success="Portrait chosen."):
        photo_services.person_choose_portrait(access=access, person=person, face=face)
    return redirect(person)
