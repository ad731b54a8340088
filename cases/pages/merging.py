"""Possible duplicates of a tree and the side-by-side review that merges two of them (editors and owners)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from cases import selectors
from cases.access import Capability
from cases.errors import InvalidInput
from cases.pages.feedback import action_reported, page_access
from cases.selectors.duplicates import merge_review, person_duplicates
from cases.selectors.search import PersonQuery
from cases.services.merge import MERGE_FIELDS, PEDIGREE_CHOICE, persons_merge

SEARCH_LIMIT = 20
PAIR_LIMIT = 200
"""The likeliest pairs shown at once; merging them brings the next ones up."""


@login_required
def duplicate_list(request: HttpRequest, tree_id: int) -> HttpResponse:
    """List likely duplicate pairs; with ``?person=`` those of one person and a search to pick any other."""
    access = page_access(request, tree_id, require=Capability.EDIT)
    person = None
    matches = []
    person_id = _id(request.GET.get("person"))
    if person_id is not None:
        person = selectors.person_get(access=access, person_id=person_id)
        query = request.GET.get("q", "").strip()
        if query:
            found = selectors.person_find(access=access, query=PersonQuery(name=query)).exclude(pk=person.pk)
            matches = list(found[:SEARCH_LIMIT])
    pairs = person_duplicates(access=access, person_id=person_id, limit=PAIR_LIMIT)
    return render(
        request,
        "cases/duplicates.html",
        {
            "access": access,
            "tree": access.tree,
            "pairs": pairs,
            "person": person,
            "matches": matches,
            "q": request.GET.get("q", ""),
            "more": len(pairs) == PAIR_LIMIT,
            "limit": PAIR_LIMIT,
        },
    )


@login_required
def merge_review_page(request: HttpRequest, tree_id: int) -> HttpResponse:
    """Show two persons side by side (GET ``?keep=&remove=``); merge them as chosen (POST)."""
    access = page_access(request, tree_id, require=Capability.EDIT)
    source = request.POST if request.method == "POST" else request.GET
    keep_id, remove_id = _id(source.get("keep")), _id(source.get("remove"))
    if keep_id is None or remove_id is None:
        raise InvalidInput("Choose the two persons to merge.")
    review = merge_review(access=access, keep_id=keep_id, remove_id=remove_id)
    if request.method == "POST":
        choices = {name: request.POST[f"choice_{name}"] for name in MERGE_FIELDS if f"choice_{name}" in request.POST}
        for conflict in review.pedigree_conflicts:
            key = PEDIGREE_CHOICE.format(family_id=conflict["family"].pk)
            if key in request.POST:
                choices[key] = request.POST[key]
        with action_reported(request, failure="The persons were not merged: ") as merged:
            kept = persons_merge(access=access, keep=review.keep.person, remove=review.remove.person, choices=choices)
            merged.success = f"Merged: {kept.display_name} now holds both records."
        if merged.ok:
            return redirect(kept)
    return render(
        request,
        "cases/merge_review.html",
        {
            "access": access,
            "tree": access.tree,
            "review": review,
            "keep": review.keep,
            "remove": review.remove,
            "swap_url": reverse("merge-review", kwargs={"tree_id": tree_id}) + f"?keep={remove_id}&remove={keep_id}",
        },
    )


def _id(value: str | None) -> int | None:
    if not value:
        return None
    if not value.isascii() or not value.isdigit() or len(value) > 18:
        raise InvalidInput("That is not a person's id.")
    return int(value)
