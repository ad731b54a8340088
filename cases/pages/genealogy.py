"""Reading pages for genealogists: search, surnames, places and relationships (thin views over selectors)."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from cases import selectors
from cases.access import Capability
from cases.errors import NotFound
from cases.models.records import Sex
from cases.pages.feedback import action_reported, page_access
from cases.selectors.places import PLACE_PAGE_LIMIT
from cases.selectors.relationship import PATH_NODE_HEIGHT, PATH_NODE_WIDTH
from cases.selectors.search import PersonQuery, person_query_parse


@login_required
def person_list(request: HttpRequest, tree_id: int) -> HttpResponse:
    access = page_access(request, tree_id)
    query = PersonQuery()
    with action_reported(request):  # a search that cannot be read is said so above the whole list
        query = person_query_parse(request.GET)
    persons = selectors.person_find(access=access, query=query)
    page = Paginator(persons, 50).get_page(request.GET.get("page"))
    rows = [(person, access.person_private(person)) for person in page]
    # Chart search: one match opens the chart on that person instead of a list of one.
    if request.GET.get("from") == "chart" and page.paginator.count == 1:
        return redirect(f"{access.tree.get_absolute_url()}?focus={rows[0][0].pk}")
    kept = {key: value for key, value in request.GET.items() if key not in ("page", "from") and value}
    return render(
        request,
        "cases/person_list.html",
        {
            "access": access,
            "tree": access.tree,
            "page": page,
            "rows": rows,
            "query": query,
            "params": request.GET,
            "querystring": urlencode(kept),
            "sexes": Sex.choices,
            "searching": not query.is_empty,
            "can_edit": access.can(Capability.EDIT),
            "advanced": any(
                kept.get(k)
                for k in ("phonetic", "born_from", "born_to", "died_from", "died_to", "place", "sex", "surname")
            ),
        },
    )


@login_required
def surname_list(request: HttpRequest, tree_id: int) -> HttpResponse:
    access = page_access(request, tree_id)
    surnames = selectors.surname_index(access=access)
    letters: dict[str, list[tuple[str, int]]] = {}
    for surname, count in surnames:
        letters.setdefault(surname[:1].upper(), []).append((surname, count))
    return render(
        request, "cases/surname_list.html", {"access": access, "tree": access.tree, "letters": sorted(letters.items())}
    )


@login_required
def place_list(request: HttpRequest, tree_id: int) -> HttpResponse:
    access = page_access(request, tree_id)
    places = selectors.place_list(access=access)
    groups: dict[str, list] = {}
    for place in places:
        groups.setdefault(place.country, []).append(place)
    return render(
        request,
        "cases/place_list.html",
        {
            "access": access,
            "tree": access.tree,
            "groups": sorted(groups.items(), key=lambda g: g[0].casefold()),
            "total": len(places),
        },
    )


@login_required
def place_detail(request: HttpRequest, tree_id: int) -> HttpResponse:
    access = page_access(request, tree_id)
    name = request.GET.get("name", "").strip()
    events = selectors.place_events(access=access, place=name)
    if not events:
        raise NotFound("Nothing you may see happened at that place.")
    parts = [part.strip() for part in name.split(",")]
    broader = [", ".join(parts[index:]) for index in range(1, len(parts))]
    return render(
        request,
        "cases/place_detail.html",
        {
            "access": access,
            "tree": access.tree,
            "place": name,
            "events": events,
            "broader": broader,
            "limited": len(events) >= PLACE_PAGE_LIMIT,
            "limit": PLACE_PAGE_LIMIT,
        },
    )


@login_required
def relationship(request: HttpRequest, tree_id: int) -> HttpResponse:
    access = page_access(request, tree_id)
    answer, error = None, ""
    chosen = {key: _person_or_none(access, request.GET.get(key)) for key in ("a", "b")}
    if chosen["a"] and chosen["b"]:
        answer = selectors.relationship_find(access=access, a_id=chosen["a"].pk, b_id=chosen["b"].pk)
    elif request.GET.get("b") and not chosen["b"]:
        error = "Choose the second person from the list."
    sides = [
        {
            "key": key,
            "label": label,
            "person": chosen[key],
            "query": request.GET.get(f"{key}_q", ""),
            "private": chosen[key] is not None and access.person_hidden(chosen[key]),
            "results": _choice_search(access, request.GET.get(f"{key}_q", "")),
        }
        for key, label in (("a", "First person"), ("b", "Second person"))
    ]
    return render(
        request,
        "cases/relationship.html",
        {
            "access": access,
            "tree": access.tree,
            "answer": answer,
            "sides": sides,
            "error": error,
            "node_width": PATH_NODE_WIDTH,
            "node_height": PATH_NODE_HEIGHT,
        },
    )


def _person_or_none(access, value: str | None):
    if not value or not value.isdigit():
        return None
    try:
        return selectors.person_get(access=access, person_id=int(value))
    except NotFound:
        return None


def _choice_search(access, text: str) -> list:
    if not text.strip():
        return []
    return list(selectors.person_find(access=access, query=PersonQuery(name=text))[:20])
