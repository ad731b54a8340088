"""The chart page for each kind and the lazy branch endpoint: fixed query counts, clear errors, nothing hidden leaks."""

from __future__ import annotations

import json
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cases.models import Role
from tests.cases.test_query_counts import _build


def _chart_data(response) -> dict:
    pattern = r'<script id="chart-data" type="application/json">(.*?)</script>'
    match = re.search(pattern, response.content.decode(), re.S)
    return json.loads(match.group(1))


def _persons(person: dict | None) -> list[dict]:
    if not person:
        return []
    found = [person]
    for parent in person["parents"] or []:
        found += _persons(parent)
    for family in person["families"] or []:
        found += _persons(family["partner"])
        for child in family["children"]:
            found += _persons(child)
    return found


URLS = {  # default generations: hourglass 3 up / 2 down, pedigree 3, descendants 3, fan 4
    "hourglass": lambda tree, root: reverse("tree-chart", kwargs={"tree_id": tree.pk}) + f"?focus={root.pk}",
    "pedigree": lambda tree, root: (
        reverse("tree-chart", kwargs={"tree_id": tree.pk}) + f"?kind=pedigree&focus={root.pk}"
    ),
    "descendants": lambda tree, root: (
        reverse("tree-chart", kwargs={"tree_id": tree.pk}) + f"?kind=descendants&focus={root.pk}"
    ),
    "fan": lambda tree, root: reverse("tree-chart", kwargs={"tree_id": tree.pk}) + f"?kind=fan&focus={root.pk}",
    "branch-up": lambda tree, root: (
        reverse("tree-chart-branch", kwargs={"tree_id": tree.pk}) + f"?person={root.pk}&direction=up&generations=3"
    ),
    "branch-down": lambda tree, root: (
        reverse("tree-chart-branch", kwargs={"tree_id": tree.pk}) + f"?person={root.pk}&direction=down"
    ),
}


@pytest.mark.parametrize("view", list(URLS))
def test_query_count_does_not_grow_with_the_tree(view, db, client):
    counts, sizes = [], []
    # Both trees are deeper than any chart's first paint: 31 and 127 persons above the focus.
    for generations in (4, 6):
        user, tree, root = _build(generations)
        client.force_login(user)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(URLS[view](tree, root))
        assert response.status_code == 200
        counts.append(len(queries))
        data = response.json()["person"] if view.startswith("branch") else _chart_data(response)["root"]
        sizes.append(len(_persons(data)))
    assert counts[0] == counts[1], f"{view}: {counts[0]} queries on the small tree, {counts[1]} on the big one"
    assert sizes[0] == sizes[1], f"{view}: the page carries only the generations asked for, not the tree"
    if view in ("fan", "branch-up"):
        assert sizes[0] == {"fan": 31, "branch-up": 15}[view]


def test_each_kind_carries_its_directions(small_tree, client):
    client.force_login(small_tree.users[Role.OWNER])
    base = reverse("tree-chart", kwargs={"tree_id": small_tree.tree.pk}) + f"?focus={small_tree.father.pk}"
    for kind, parents, families in (
        ("hourglass", True, True),
        ("pedigree", True, False),
        ("descendants", False, True),
        ("fan", True, False),
    ):
        response = client.get(f"{base}&kind={kind}")
        data = _chart_data(response)
        assert data["kind"] == kind and data["root"]["focus"] and data["root"]["name"] == "Charles Old"
        assert (data["root"]["parents"] is not None, data["root"]["families"] is not None) == (parents, families), kind
        assert f'href="{base.split("?")[0]}?kind={kind}&amp;focus={small_tree.father.pk}" aria-current="page"' in (
            response.content.decode()
        )
    assert client.get(f"{base}&kind=circle").status_code == 404


def test_branch_endpoint_errors_are_clear(small_tree, client):
    client.force_login(small_tree.users[Role.OWNER])
    url = reverse("tree-chart-branch", kwargs={"tree_id": small_tree.tree.pk})
    assert client.get(url, {"person": small_tree.child.pk, "direction": "sideways"}).json() == {
        "detail": "direction must be up or down."
    }
    assert client.get(url, {"person": "x", "direction": "up"}).status_code == 400
    missing = client.get(url, {"person": 999999, "direction": "up"})
    assert missing.status_code == 404 and missing.json()["detail"] == "No such person in this tree."
    client.force_login(small_tree.users["outsider"])
    assert client.get(url, {"person": small_tree.child.pk, "direction": "up"}).status_code == 404


def test_living_persons_never_reach_a_viewer(small_tree, client):
    client.force_login(small_tree.users[Role.VIEWER])
    page = client.get(
        reverse("tree-chart", kwargs={"tree_id": small_tree.tree.pk}) + f"?focus={small_tree.grandfather.pk}&down=3"
    )
    names = {p["name"] for p in _persons(_chart_data(page)["root"])}
    assert names == {"Albert Old", "Beatrice Old", "Charles Old", "Living person"}
    # Names as whole words: the page's random 64-character CSRF token can hold "Eve" by chance.
    assert not re.findall(r"\b(?:Diana|Eve)\b|b\. 19[69]0", page.content.decode()), "no living name or birth year"
    branch = client.get(
        reverse("tree-chart-branch", kwargs={"tree_id": small_tree.tree.pk}),
        {"person": small_tree.father.pk, "direction": "down"},
    )
    assert "Diana" not in branch.content.decode() and "Eve" not in branch.content.decode()
    private = [p for p in _persons(branch.json()["person"]) if p["private"]]
    assert len(private) == 2 and all(p["years"] == "" and p["thumb"] == "" for p in private)
