"""The chart pages: pedigree, descendants, hourglass and fan around a focus person, and their lazy branches.

The page carries the first few generations as JSON; static/js/chart.js lays them out, draws each
person as a link and fetches a collapsed branch from :func:`tree_chart_branch` when it is opened.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse

from cases import selectors
from cases.access import Capability
from cases.chart_layout import ChartGenerated
from cases.errors import NotFound
from cases.pages.feedback import page_access
from cases.selectors.chart_branches import (
    DEFAULT_GENERATIONS,
    MAX_GENERATIONS,
    BranchPerson,
    ChartKind,
    chart_branch,
    chart_tree,
)

KIND_LABELS = {ChartKind.HOURGLASS: "Hourglass", ChartKind.PEDIGREE: "Ancestors (pedigree)",
               ChartKind.DESCENDANTS: "Descendants", ChartKind.FAN: "Fan"}


@login_required
def tree_chart_page(request: HttpRequest, tree_id: int) -> HttpResponse:
    access = page_access(request, tree_id)
    focus_id = request.GET.get("focus")
    if not focus_id:
        first = selectors.person_queryset(access=access).filter(access.public_persons_q()).order_by("pk").first()
        first = first or selectors.person_queryset(access=access).order_by("pk").first()
        if first is None:
            return render(request, "cases/tree_empty.html", {"access": access, "tree": access.tree,
                                                             "can_edit": access.can(Capability.EDIT)})
        focus_id = first.pk
    try:
        kind = ChartKind(request.GET.get("kind") or ChartKind.HOURGLASS)
    except ValueError as error:
        raise NotFound("No such chart: choose hourglass, pedigree, descendants or fan.") from error
    default_up, default_down = DEFAULT_GENERATIONS[kind]
    try:
        focus = int(focus_id)
        up = int(request.GET.get("up", default_up)) if kind != ChartKind.DESCENDANTS else 0
        down = int(request.GET.get("down", default_down)) if kind in (ChartKind.DESCENDANTS, ChartKind.HOURGLASS) else 0
    except ValueError as error:
        raise NotFound("No such person in this tree.") from error
    up, down = max(0, min(up, MAX_GENERATIONS)), max(0, min(down, MAX_GENERATIONS))
    root = chart_tree(access=access, focus_id=focus, up=up, down=down)
    tree_url = reverse("tree-chart", kwargs={"tree_id": tree_id})
    data = {
        "kind": kind.value, "up": up, "down": down, "chart_url": tree_url,
        "branch_url": reverse("tree-chart-branch", kwargs={"tree_id": tree_id}),
        "root": _person_json(tree_id, root),
    }
    return render(request, "cases/tree_chart.html", {
        "access": access, "tree": access.tree, "focus": root.node, "data": data, "kind": kind.value,
        "kinds": [(k.value, label) for k, label in KIND_LABELS.items()], "up": up, "down": down,
        "max_generations": MAX_GENERATIONS, "can_edit": access.can(Capability.EDIT),
    })


@login_required
def tree_chart_branch(request: HttpRequest, tree_id: int) -> JsonResponse:
    """Return one collapsed branch of the chart: a person's next generations up or down, as JSON."""
    access = page_access(request, tree_id)
    direction = request.GET.get("direction", "")
    if direction not in ("up", "down"):
        return JsonResponse({"detail": "direction must be up or down."}, status=400)
    try:
        person_id = int(request.GET.get("person", ""))
        generations = int(request.GET.get("generations", 2))
    except ValueError:
        return JsonResponse({"detail": "person and generations must be whole numbers."}, status=400)
    try:
        branch = chart_branch(access=access, person_id=person_id, direction=direction, generations=generations)
    except NotFound as error:
        return JsonResponse({"detail": error.message}, status=404)
    return JsonResponse({"person": _person_json(tree_id, branch)})


def _person_json(tree_id: int, branch: BranchPerson | None) -> dict[str, Any] | None:
    if branch is None:
        return None
    node = branch.node
    return {
        "id": node.person_id, "name": node.name, "years": node.years, "sex": node.sex, "private": node.private,
        "hypothetical": node.hypothetical, "focus": node.is_focus, "synthetic_portrait": node.synthetic_portrait,
        "page": reverse("person-detail", kwargs={"tree_id": tree_id, "person_id": node.person_id}),
        "thumb": reverse("photo-file", kwargs={"tree_id": tree_id, "photo_id": node.thumbnail_photo_id,
                                               "variant": "thumbnail"}) if node.thumbnail_photo_id else "",
        "more_parents": branch.more_parents, "more_children": branch.more_children,
        "parents": None if branch.parents is None else [_person_json(tree_id, p) for p in branch.parents],
        "families": None if branch.families is None else [{
            "id": family.family_id, "partner": _person_json(tree_id, family.partner),
            "children": [_person_json(tree_id, child) for child in family.children],
            "generated": _generated_json(tree_id, family.generated),
        } for family in branch.families],
        "sibling_generated": _generated_json(tree_id, branch.sibling_generated),
    }


def _generated_json(tree_id: int, group: ChartGenerated | None) -> dict[str, Any] | None:
    if group is None or not group.total:
        return None
    return {
        "family": group.family_id, "job": group.job_id, "total": group.total,
        "href": reverse("family-detail", kwargs={"tree_id": tree_id, "family_id": group.family_id})
        + "#generated-heading",
        "thumbs": [reverse("candidate-image", kwargs={"tree_id": tree_id, "candidate_id": candidate_id})
                   for candidate_id in group.candidate_ids],
    }
