"""A tree's settings, for its owners: how persons' names are shown."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from cases.access import Capability
from cases.genealogy.names import NAME_FORMATS, name_display
from cases.pages.feedback import action_reported, page_access
from cases.services import trees as tree_services

SAMPLE_NAME = ("John Fitzgerald", "Kennedy")
"""The name each format is shown with, so the owner sees what each choice looks like."""


@login_required
def tree_settings(request: HttpRequest, tree_id: int) -> HttpResponse:
    access = page_access(request, tree_id, require=Capability.MANAGE_MEMBERS)
    if request.method == "POST":
        with action_reported(request, success="The tree's settings were saved.", failure="Nothing was changed: "):
            tree_services.tree_set_name_format(access=access, name_format=request.POST.get("name_format", ""))
        return redirect("tree-settings", tree_id=tree_id)
    site_default = NAME_FORMATS[settings.KINSHIP_NAME_FORMAT]
    choices = [
        ("", f"Site default ({site_default})", name_display(*SAMPLE_NAME, name_format=settings.KINSHIP_NAME_FORMAT))
    ]
    choices += [(key, label, name_display(*SAMPLE_NAME, name_format=key)) for key, label in NAME_FORMATS.items()]
    return render(
        request,
        "cases/tree_settings.html",
        {
            "access": access,
            "tree": access.tree,
            "name_format_choices": choices,
        },
    )
