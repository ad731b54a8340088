"""List pages, the chart and the person API issue a fixed number of queries whatever the tree size."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cases.access import tree_access_get
from cases.services.families import family_child_add, family_create
from cases.services.persons import person_create
from cases.services.trees import tree_create
from tests.factories import UserFactory


def _build(generations: int):
    """A pedigree: each person has two parents, `generations` deep, plus spouses' families."""
    user = UserFactory(username=f"builder{generations}")
    tree = tree_create(name=f"Pedigree {generations}", owner=user)
    access = tree_access_get(user=user, tree_id=tree.pk)
    root = person_create(access=access, given_names="Root", birth_date="1900")
    layer = [root]
    for gen in range(generations):
        nxt = []
        for person in layer:
            father = person_create(access=access, given_names=f"F{gen}", birth_date="1800", death_date="1850")
            mother = person_create(access=access, given_names=f"M{gen}", birth_date="1805", death_date="1860")
            family = family_create(access=access, partner1=father, partner2=mother)
            family_child_add(access=access, family=family, child=person)
            nxt += [father, mother]
        layer = nxt
    return user, tree, root


def _count(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("view", ["chart-page", "chart-api", "person-list-api", "person-list-page", "person-page"])
def test_query_count_does_not_grow(view, db, client):
    counts = []
    for generations in (2, 5):
        user, tree, root = _build(generations)
        client.force_login(user)
        url = {
            # The chart reads one query per generation drawn: both trees must be deeper than the chart.
            "chart-page": reverse("tree-chart", kwargs={"tree_id": tree.pk}) + f"?focus={root.pk}&up=2",
            "chart-api": reverse("api-chart", kwargs={"tree_id": tree.pk}) + f"?focus={root.pk}&up=2",
            "person-list-api": reverse("api-person-list", kwargs={"tree_id": tree.pk}),
            "person-list-page": reverse("person-list", kwargs={"tree_id": tree.pk}),
            "person-page": reverse("person-detail", kwargs={"tree_id": tree.pk, "person_id": root.pk}),
        }[view]
        counts.append(_count(client, url))
    assert counts[0] == counts[1], f"{view}: {counts[0]} queries for 7 persons, {counts[1]} for 63"
