"""The genealogy pages and APIs issue a fixed number of queries whatever the tree size."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cases.models import Event
from tests.cases.test_query_counts import _build


def _count(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, response.content[:300]
    return len(queries)


PAGES = {
    "person-page": ("person-detail", "{person}"),
    "timeline-api": ("api-person-timeline", "{person}"),
    "search-page": ("person-list", "?q=F1+M&born_from=1700&place=Paris"),
    "search-phonetic-page": ("person-list", "?q=Rut&phonetic=1"),
    "search-api": ("api-person-list", "?q=root&born_to=1950"),
    "surnames-page": ("surname-list", ""),
    "surnames-api": ("api-surname-list", ""),
    "places-page": ("place-list", ""),
    "places-api": ("api-place-list", ""),
    "place-page": ("place-detail", "?name=France"),
    "place-api": ("api-place-events", "?name=France"),
    "relationship-page": ("relationship", "?a={person}&b={ancestor}"),
    "relationship-api": ("api-relationship", "?a={person}&b={ancestor}"),
    "members-page": ("member-list", ""),
}


@pytest.mark.parametrize("view", PAGES)
def test_query_count_does_not_grow(view, db, client):
    counts = []
    for generations in (2, 5):
        user, tree, root = _build(generations)
        persons = list(tree.persons.order_by("pk"))
        for person in persons:  # every person born and buried somewhere, with one more event
            person.birth_place = "Lyon, France"
            person.save(update_fields=["birth_place"])
            Event.objects.create(tree=tree, person=person, tag="BURI", date="ABT 1900", place="Paris, France")
        ancestor = persons[-1]
        client.force_login(user)
        name, tail = PAGES[view]
        if name in ("person-detail", "api-person-timeline"):
            url = reverse(name, kwargs={"tree_id": tree.pk, "person_id": root.pk})
        else:
            url = reverse(name, kwargs={"tree_id": tree.pk}) + tail.format(person=root.pk, ancestor=ancestor.pk)
        counts.append(_count(client, url))
    assert counts[0] == counts[1], f"{view}: {counts[0]} queries for 7 persons, {counts[1]} for 63"
