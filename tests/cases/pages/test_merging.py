"""The possible-duplicates list and the side-by-side merge review: editors and owners only."""

from __future__ import annotations

import pytest
from django.urls import reverse

from cases.models import Person, Role
from cases.services.persons import person_create

ALLOWED = {Role.OWNER, Role.EDITOR}
WHO = [Role.OWNER, Role.EDITOR, Role.VIEWER, Role.CASEWORKER, Role.AUDITOR, "outsider"]


@pytest.fixture
def twin(small_tree):
    """A second record of the (dead) grandfather, written as another program would."""
    small_tree.copy = person_create(
        access=small_tree.owner_access,
        given_names="Albert",
        surname="OLD",
        sex="M",
        birth_date="ABT 1890",
        death_date="1960",
        birth_place="Leeds",
    )
    return small_tree


@pytest.mark.parametrize("who", WHO)
def test_duplicates_page_for_editors_and_owners_only(twin, client, who):
    client.force_login(twin.users[who])
    response = client.get(reverse("duplicate-list", kwargs={"tree_id": twin.tree.pk}))
    expected = 200 if who in ALLOWED else 404 if who == "outsider" else 403
    assert response.status_code == expected
    if expected == 200:
        text = response.content.decode()
        assert "Albert Old" in text and "same name (Albert Old)" in text
        assert f"?keep={twin.grandfather.pk}&amp;remove={twin.copy.pk}" in text


@pytest.mark.parametrize("who", [Role.OWNER, Role.EDITOR, Role.VIEWER, Role.AUDITOR])
def test_links_only_where_a_merge_is_allowed(twin, client, who):
    client.force_login(twin.users[who])
    person_page = client.get(twin.grandfather.get_absolute_url()).content.decode()
    person_list = client.get(reverse("person-list", kwargs={"tree_id": twin.tree.pk})).content.decode()
    assert ("Merge with…" in person_page) == (who in ALLOWED)
    assert ("Possible duplicates" in person_list) == (who in ALLOWED)


def test_merge_with_a_picked_person(twin, client):
    client.force_login(twin.users[Role.EDITOR])
    url = reverse("duplicate-list", kwargs={"tree_id": twin.tree.pk})
    text = client.get(url, {"person": twin.grandfather.pk, "q": "Old"}).content.decode()
    assert "Merge Albert Old with…" in text
    assert "Review merge with Charles Old" in text  # any person can be picked, not only likely duplicates
    assert "Review merge with Albert Old" in text


def test_review_shows_both_records_and_merges_as_chosen(twin, client):
    client.force_login(twin.users[Role.EDITOR])
    url = reverse("merge-review", kwargs={"tree_id": twin.tree.pk})
    ids = {"keep": twin.grandfather.pk, "remove": twin.copy.pk}
    text = client.get(url, ids).content.decode()
    assert 'name="choice_birth_date" value="remove"' in text
    assert 'name="choice_birth_place" value="remove" checked' in text  # only the copy records a birthplace
    assert "Beatrice Old" in text  # the kept record's partner, in its column
    response = client.post(url, {**ids, "choice_birth_date": "remove", "choice_name": "keep"})
    assert response.status_code == 302 and response.url == twin.grandfather.get_absolute_url()
    merged = Person.objects.get(pk=twin.grandfather.pk)
    assert not Person.objects.filter(pk=twin.copy.pk).exists()
    assert (merged.birth_date, merged.birth_place, merged.surname) == ("ABT 1890", "Leeds", "Old")


def test_a_refused_merge_says_why_and_changes_nothing(twin, client):
    client.force_login(twin.users[Role.OWNER])
    url = reverse("merge-review", kwargs={"tree_id": twin.tree.pk})
    response = client.post(url, {"keep": twin.grandfather.pk, "remove": twin.father.pk}, follow=True)
    assert "own parent or child" in response.content.decode()
    assert Person.objects.filter(pk=twin.father.pk).exists()


@pytest.mark.parametrize("who", [Role.VIEWER, Role.CASEWORKER, Role.AUDITOR])
def test_review_refused_to_other_roles(twin, client, who):
    client.force_login(twin.users[who])
    url = reverse("merge-review", kwargs={"tree_id": twin.tree.pk})
    ids = {"keep": twin.grandfather.pk, "remove": twin.copy.pk}
    assert client.get(url, ids).status_code == 403
    assert client.post(url, ids).status_code == 403
    assert Person.objects.filter(pk=twin.copy.pk).exists()


def test_the_merge_shows_in_the_kept_persons_audit_history(twin, client):
    client.force_login(twin.users[Role.OWNER])
    client.post(
        reverse("merge-review", kwargs={"tree_id": twin.tree.pk}), {"keep": twin.grandfather.pk, "remove": twin.copy.pk}
    )
    response = client.get(reverse("audit", kwargs={"tree_id": twin.tree.pk}), {"person": twin.grandfather.pk})
    assert response.status_code == 200
    assert "Two records of one person merged" in response.content.decode()


def test_duplicates_page_query_count_does_not_grow(twin, client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(twin.users[Role.EDITOR])
    url = reverse("duplicate-list", kwargs={"tree_id": twin.tree.pk})
    counts = []
    for extra in (2, 40):
        for index in range(extra):
            person_create(
                access=twin.owner_access,
                given_names=f"Twin{index % 3}",
                surname="Pair",
                sex="F",
                birth_date="1850",
                death_date="1900",
            )
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_a_pedigree_conflict_is_a_choice_on_the_review(twin, client):
    from cases.models import ChildLink
    from cases.services.families import family_child_add

    owner = twin.owner_access
    parents = ChildLink.objects.get(child=twin.father).family
    adopted = person_create(access=owner, given_names="Charles", surname="Old", sex="M", birth_date="1930")
    family_child_add(access=owner, family=parents, child=adopted, pedigree="adopted")
    client.force_login(twin.users[Role.EDITOR])
    url = reverse("merge-review", kwargs={"tree_id": twin.tree.pk})
    ids = {"keep": twin.father.pk, "remove": adopted.pk}
    text = client.get(url, ids).content.decode()
    assert f'name="pedigree_{parents.pk}" value="remove"' in text and "Pedigree as a child of" in text
    response = client.post(url, {**ids, f"pedigree_{parents.pk}": "remove"})
    assert response.status_code == 302
    assert ChildLink.objects.get(child=twin.father, family=parents).pedigree == "adopted"
    assert not Person.objects.filter(pk=adopted.pk).exists()


def test_review_query_count_does_not_grow_with_the_records(twin, client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from cases.models import Event, PersonName
    from cases.services.families import family_child_add, family_create

    client.force_login(twin.users[Role.OWNER])
    url = reverse("merge-review", kwargs={"tree_id": twin.tree.pk})
    family = family_create(access=twin.owner_access, partner1=twin.copy)
    counts = []
    for extra in (1, 8):
        for index in range(extra):
            child = person_create(access=twin.owner_access, given_names=f"Kid{index}", surname="Old")
            family_child_add(access=twin.owner_access, family=family, child=child)
            Event.objects.create(tree=twin.tree, person=twin.copy, tag="RESI", place=f"Town {index}")
            PersonName.objects.create(person=twin.grandfather, given_names=f"Bert{index}")
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url, {"keep": twin.grandfather.pk, "remove": twin.copy.pk}).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]
