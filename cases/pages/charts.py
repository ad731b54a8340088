"""The chart pages: pedigree, descendants, hourglass and fan around a focus person, and their lazy branches.

The page carries the first few generations as JSON; static/js/chart.js lays them out, draws each
person as a link and fetches a collapsed branch from :func:`tree_chart_branch` when it is opened.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse

from cases import selectors
from cases.access import Capability
from cases.errors import NotFound
from cases.pages.feedback import page_access
from cases.selectors.chart_branches import (
    MAX_GENERATIONS,
    ChartKind,
    chart_branch,
    chart_generations,
    chart_tree,
)
from cases.selectors.chart_json import chart_person_json

KIND_LABELS = {
    ChartKind.HOURGLASS: "Hourglass",
    ChartKind.PEDIGREE: "Ancestors (pedigree)",
    ChartKind.DESCENDANTS: "Descendants",
    ChartKind.FAN: "Fan",
}


@login_required
def tree_chart_page(request: HttpRequest, tree_id: int) -> HttpResponse:
    access = page_access(request, tree_id)
    focus_id = request.GET.get("focus")
    if not focus_id:
        first = selectors.person_queryset(access=access).filter(access.public_persons_q()).order_by("pk").first()
        first = first or selectors.person_queryset(access=access).order_by("pk").first()
        if first is None:
            return render(
                request,
                "cases/tree_empty.html",
                {"access": access, "tree": access.tree, "can_edit": access.can(Capability.EDIT)},
            )
        focus_id = first.pk
    try:
        kind = ChartKind(request.GET.get("kind") or ChartKind.HOURGLASS)
    except ValueError as error:
        raise NotFound("No such chart: choose hourglass, pedigree, descendants or fan.") from error
    try:
        focus = int(focus_id)
        up, down = (int(request.GET[key]) if request.GET.get(key) else None for key in ("up", "down"))
    except ValueError as error:
        raise NotFound("No such person in this tree.") from error
    up, down = chart_generations(kind=kind, up=up, down=down)
    root = chart_tree(access=access, focus_id=focus, up=up, down=down)
    tree_url = reverse("tree-chart", kwargs={"tree_id": tree_id})
    data = {
        "kind": kind.value,
        "up": up,
        "down": down,
        "chart_url": tree_url,
        "branch_url": reverse("tree-chart-branch", kwargs={"tree_id": tree_id}),
        "root": chart_person_json(tree_id=tree_id, branch=root),
    }
    return render(
        request,
        "cases/tree_chart.html",
        {
            "access": access,
            "tree": access.tree,
            "focus": root.node,
            "data": data,
            "kind": kind.value,
            "kinds": [(k.value, label) for k, label in KIND_LABELS.items()],
            "up": up,
            "down": down,
            "max_generations": MAX_GENERATIONS,
            "can_edit": access.can(Capability.EDIT),
        },
    )


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
    return JsonResponse({"person": chart_person_json(tree_id=tree_id, branch=branch)})
