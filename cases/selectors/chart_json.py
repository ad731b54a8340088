"""A chart as JSON: the one shape the chart page's script and the API both read.

Each person carries their page's address, their portrait's thumbnail address, whether their
parents or children lie beyond the loaded branch, and their families with children and the
family's generated candidates (always marked synthetic by where they sit: ``generated``).
"""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from cases.selectors.chart import ChartGenerated
from cases.selectors.chart_branches import BranchPerson


def chart_person_json(*, tree_id: int, branch: BranchPerson | None) -> dict[str, Any] | None:
    """Return a loaded branch, its person first, as nested JSON-ready dictionaries."""
    if branch is None:
        return None
    node = branch.node
    return {
        "id": node.person_id,
        "name": node.name,
        "years": node.years,
        "sex": node.sex,
        "private": node.private,
        "hypothetical": node.hypothetical,
        "focus": node.is_focus,
        "synthetic_portrait": node.synthetic_portrait,
        "page": reverse("person-detail", kwargs={"tree_id": tree_id, "person_id": node.person_id}),
        "thumb": reverse(
            "photo-file", kwargs={"tree_id": tree_id, "photo_id": node.thumbnail_photo_id, "variant": "thumbnail"}
        )
        if node.thumbnail_photo_id
        else "",
        "more_parents": branch.more_parents,
        "more_children": branch.more_children,
        "parents": None
        if branch.parents is None
        else [chart_person_json(tree_id=tree_id, branch=p) for p in branch.parents],
        "families": None
        if branch.families is None
        else [
            {
                "id": family.family_id,
                "partner": chart_person_json(tree_id=tree_id, branch=family.partner),
                "children": [chart_person_json(tree_id=tree_id, branch=child) for child in family.children],
                "generated": _generated_json(tree_id, family.generated),
            }
            for family in branch.families
        ],
        "sibling_generated": _generated_json(tree_id, branch.sibling_generated),
    }


def _generated_json(tree_id: int, group: ChartGenerated | None) -> dict[str, Any] | None:
    if group is None or not group.total:
        return None
    return {
        "family": group.family_id,
        "job": group.job_id,
        "total": group.total,
        "synthetic": True,
        "href": reverse("family-detail", kwargs={"tree_id": tree_id, "family_id": group.family_id})
        + "#generated-heading",
        "thumbs": [
            reverse("candidate-image", kwargs={"tree_id": tree_id, "candidate_id": candidate_id})
            for candidate_id in group.candidate_ids
        ],
    }
