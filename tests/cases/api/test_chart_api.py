"""The chart API serves the chart page's four kinds and lazy branches, in the page's JSON, with its privacy."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from cases.models import Role


def _names(person: dict | None) -> set[str]:
    if person is None:
        return set()
    names = {person["name"]}
    for parent in person["parents"] or []:
        names |= _names(parent)
    for family in person["families"] or []:
        names |= _names(family["partner"])
        for child in family["children"]:
            names |= _names(child)
    return names


def test_pedigree_is_the_pages_json(small_tree, api, client):
    tree = small_tree.tree.pk
    data = api(Role.OWNER).get(f"/api/trees/{tree}/chart/", {"focus": small_tree.child.pk, "kind": "pedigree"}).json()
    assert (data["kind"], data["up"], data["down"]) == ("pedigree", 3, 0)
    root = data["root"]
    assert root["name"] == "Eve Old" and root["focus"] and root["families"] is None
    assert _names(root) == {"Eve Old", "Charles Old", "Diana Young", "Albert Old", "Beatrice Old"}
    client.force_login(small_tree.users[Role.OWNER])
    page = client.get(
        reverse("tree-chart", kwargs={"tree_id": tree}), {"focus": small_tree.child.pk, "kind": "pedigree"}
    )
    assert page.status_code == 200
    page_data = json.loads(json.dumps(page.context["data"]))  # as the page embeds it
    assert page_data["root"] == root, "the page and the API draw the same branches"


def test_descendants_and_a_lazy_branch(small_tree, api):
    tree = small_tree.tree.pk
    data = (
        api(Role.OWNER)
        .get(f"/api/trees/{tree}/chart/", {"focus": small_tree.grandfather.pk, "kind": "descendants", "down": 1})
        .json()
    )
    root = data["root"]
    assert data["up"] == 0 and root["parents"] is None
    (family,) = root["families"]
    (son,) = family["children"]
    assert son["name"] == "Charles Old" and son["more_children"] is True and son["families"] is None
    branch = (
        api(Role.OWNER)
        .get(f"/api/trees/{tree}/chart/branch/", {"person": son["id"], "direction": "down"})
        .json()["person"]
    )
    assert [child["name"] for family in branch["families"] for child in family["children"]] == ["Eve Old"]


def test_viewers_get_living_persons_without_details(small_tree, api):
    data = api(Role.VIEWER).get(f"/api/trees/{small_tree.tree.pk}/chart/", {"focus": small_tree.father.pk}).json()
    assert "Eve Old" not in _names(data["root"]) and "Living person" in _names(data["root"])


@pytest.mark.parametrize("query", [{}, {"focus": "x"}, {"focus": "1", "kind": "tree"}, {"focus": "1", "up": "two"}])
def test_bad_chart_requests_are_400(small_tree, api, query):
    response = api(Role.OWNER).get(f"/api/trees/{small_tree.tree.pk}/chart/", query)
    assert response.status_code == 400 and response.json()["detail"]


@pytest.mark.parametrize("query", [{"person": "1"}, {"person": "1", "direction": "sideways"}, {"direction": "up"}])
def test_bad_branch_requests_are_400(small_tree, api, query):
    response = api(Role.OWNER).get(f"/api/trees/{small_tree.tree.pk}/chart/branch/", query)
    assert response.status_code == 400


def test_someone_elses_person_is_404(small_tree, api):
    from cases.access import tree_access_get
    from cases.services.persons import person_create
    from cases.services.trees import tree_create
    from tests.factories import UserFactory

    owner = UserFactory()
    other = tree_create(name="Elsewhere", owner=owner)
    stranger = person_create(access=tree_access_get(user=owner, tree_id=other.pk), given_names="Stranger")
    for url, query in (("chart", {"focus": stranger.pk}), ("chart/branch", {"person": stranger.pk, "direction": "up"})):
        response = api(Role.OWNER).get(f"/api/trees/{small_tree.tree.pk}/{url}/", query)
        assert response.status_code == 404
