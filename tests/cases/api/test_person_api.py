"""The persons API reads and writes a person's stated hair colour and ancestry, hidden like their other details."""

from __future__ import annotations

from django.urls import reverse
from rest_framework.test import APIClient

from cases.models import Person, Role
from cases.services.persons import person_update


def _api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def _url(tree, person) -> str:
    return reverse("api-person-detail", kwargs={"tree_id": tree.tree.pk, "person_id": person.pk})


def test_hair_colour_and_ancestry_show_only_where_the_persons_details_do(small_tree):
    for person in (small_tree.father, small_tree.mother):
        person_update(access=small_tree.owner_access, person=person, hair_colour="red", ancestry="Indian")
    viewer = _api(small_tree.users[Role.VIEWER])
    dead = viewer.get(_url(small_tree, small_tree.father)).json()
    assert (dead["private"], dead["hair_colour"], dead["ancestry"]) == (False, "red", "Indian")
    living = viewer.get(_url(small_tree, small_tree.mother)).json()
    assert (living["private"], living["hair_colour"], living["ancestry"]) == (True, None, None)
    shown = _api(small_tree.users[Role.EDITOR]).get(_url(small_tree, small_tree.mother)).json()
    assert (shown["hair_colour"], shown["ancestry"]) == ("red", "Indian")


def test_hair_colour_and_ancestry_are_written_and_unknown_ones_refused(small_tree):
    owner = _api(small_tree.users[Role.OWNER])
    url = _url(small_tree, small_tree.father)
    response = owner.patch(url, {"hair_colour": "light_brown", "ancestry": "Southeast Asian"}, format="json")
    assert response.status_code == 200, response.content
    assert (response.json()["hair_colour"], response.json()["ancestry"]) == ("light_brown", "Southeast Asian")
    for field, value in (("hair_colour", "purple"), ("ancestry", "Martian")):
        refused = owner.patch(url, {field: value}, format="json")
        assert refused.status_code == 400 and field in refused.json(), refused.content
    small_tree.father.refresh_from_db()
    assert (small_tree.father.hair_colour, small_tree.father.ancestry) == ("light_brown", "Southeast Asian")
    assert owner.patch(url, {"hair_colour": ""}, format="json").json()["hair_colour"] == ""
    created = owner.post(
        reverse("api-person-list", kwargs={"tree_id": small_tree.tree.pk}),
        {"given_names": "Flora", "hair_colour": "blond"},
        format="json",
    )
    assert created.status_code == 201 and Person.objects.get(pk=created.json()["id"]).hair_colour == "blond"
