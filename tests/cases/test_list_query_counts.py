"""The family page, the job list, the case list and the audit list issue as many queries for many rows as for few."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cases.access import tree_access_get
from cases.models import Face, GenerationJob, Role
from cases.services.casework import case_create
from cases.services.families import family_child_add, family_create
from cases.services.persons import person_create
from cases.services.photos import photo_upload
from cases.services.trees import tree_create
from genetics.engine import GenerationParams
from genetics.samples import astronaut
from tests.factories import MembershipFactory, UserFactory
from tests.images import jpeg_bytes


def _tree(rows: int):
    """A tree with one family of ``rows`` children, ``rows`` jobs and ``rows`` cases (and their audit rows)."""
    owner = UserFactory(username=f"owner{rows}")
    tree = tree_create(name=f"Tree {rows}", owner=owner)
    caseworker = UserFactory(username=f"caseworker{rows}")
    MembershipFactory(tree=tree, user=caseworker, role=Role.CASEWORKER)
    access = tree_access_get(user=owner, tree_id=tree.pk)
    work = tree_access_get(user=caseworker, tree_id=tree.pk)
    father = person_create(access=access, given_names="Father", sex="M", birth_date="1900", death_date="1980")
    mother = person_create(access=access, given_names="Mother", sex="F", birth_date="1905", death_date="1985")
    family = family_create(access=access, partner1=father, partner2=mother)
    photo = photo_upload(access=access, data=jpeg_bytes(astronaut(), quality=70))
    faces = [Face.objects.create(photo=photo, left=x, top=0, right=x + 100, bottom=100) for x in (0, 200)]
    for index in range(rows):
        child = person_create(access=access, given_names=f"Child {index}", birth_date="1930", death_date="1990")
        family_child_add(access=access, family=family, child=child)
        GenerationJob.objects.create(
            tree=tree,
            family=family,
            engine="offline",
            params=GenerationParams().to_dict(),
            seed=index,
            num_candidates=1,
            requested_by=owner,
            father_face=faces[0],
            mother_face=faces[1],
        )
        case_create(access=work, organisation="Agency", number=f"C-{rows}-{index}", missing_person=child)
    return owner, caseworker, tree, family


def _count(client, user, url: str) -> int:
    client.force_login(user)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, response.content[:300]
    return len(queries)


@pytest.mark.parametrize("view", ["family-page", "job-list-api", "case-list-page", "case-list-api", "audit-list-api"])
def test_query_count_does_not_grow(view, db, client):
    counts = []
    for rows in (2, 6):
        owner, caseworker, tree, family = _tree(rows)
        user, url = {
            "family-page": (owner, reverse("family-detail", kwargs={"tree_id": tree.pk, "family_id": family.pk})),
            "job-list-api": (owner, reverse("api-job-list", kwargs={"tree_id": tree.pk})),
            "case-list-page": (caseworker, reverse("case-list", kwargs={"tree_id": tree.pk})),
            "case-list-api": (caseworker, reverse("api-case-list", kwargs={"tree_id": tree.pk})),
            "audit-list-api": (owner, reverse("api-audit", kwargs={"tree_id": tree.pk})),
        }[view]
        counts.append(_count(client, user, url))
    assert counts[0] == counts[1], f"{view}: {counts[0]} queries for 2 rows, {counts[1]} for 6"
