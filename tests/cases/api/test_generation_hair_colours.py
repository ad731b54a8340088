"""``POST /jobs/`` takes the parents' hair colours as given, else as their records state them."""

from __future__ import annotations

from django.urls import reverse
from rest_framework.test import APIClient

from cases.models import GenerationJob, Role
from cases.services.persons import person_update

PARAMS = {"num_candidates": 1, "seed": 5, "resolution": 256, "age_group": "3-9", "gender": "female"}


def _post(tree, params):
    client = APIClient()
    client.force_authenticate(tree.users[Role.OWNER])
    family = tree.child.parent_links.get().family
    url = reverse("api-job-list", kwargs={"tree_id": tree.tree.pk})
    return client.post(url, {"family": family.pk, "params": params}, format="json")


def test_jobs_take_the_recorded_hair_colours_unless_the_request_gives_them(portraits):
    person_update(access=portraits.owner_access, person=portraits.father, hair_colour="dark_brown")
    recorded = _post(portraits, PARAMS)
    assert recorded.status_code == 202, recorded.content
    assert recorded.json()["params"]["hair_colours"] == ["dark_brown", ""]
    given = _post(portraits, {**PARAMS, "hair_colours": ["", "blond"]})
    assert given.status_code == 202, given.content
    assert GenerationJob.objects.get(pk=given.json()["id"]).params["hair_colours"] == ["", "blond"]


def test_jobs_refuse_hair_colours_that_are_not_two_known_ones(portraits):
    before = GenerationJob.objects.count()
    for wrong in (["purple", ""], ["black"], ["black", "red", "blond"]):
        response = _post(portraits, {**PARAMS, "hair_colours": wrong})
        assert response.status_code == 400, response.content
        message = str(response.json()["params"]["hair_colours"])
        assert "Give two hair colours, first parent first" in message and "dark_brown" in message
    assert GenerationJob.objects.count() == before


def test_jobs_take_parents_ages_as_given_and_refuse_impossible_ones(portraits):
    given = _post(portraits, {**PARAMS, "parent_ages": [None, 31]})
    assert given.status_code == 202, given.content
    assert GenerationJob.objects.get(pk=given.json()["id"]).params["parent_ages"] == [None, 31]
    before = GenerationJob.objects.count()
    for wrong in ([31], [31, -2], [31, 200], [31, "old"], [31, None, 40]):
        response = _post(portraits, {**PARAMS, "parent_ages": wrong})
        assert response.status_code == 400, (wrong, response.content)
        assert "parent_ages" in response.json()["params"], response.json()
    assert GenerationJob.objects.count() == before
