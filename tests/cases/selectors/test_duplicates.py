"""The duplicate finder: phonetic blocks, sexes and dates, reasons, and a fixed number of queries."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cases.access import tree_access_get
from cases.errors import PermissionDenied
from cases.models import PersonName, Role
from cases.selectors.duplicates import person_duplicates
from cases.services.persons import person_create
from cases.services.trees import tree_create
from tests.factories import MembershipFactory, UserFactory


@pytest.fixture
def owner(db):
    user = UserFactory(username="dup-owner")
    tree = tree_create(name="Duplicates", owner=user)
    return tree_access_get(user=user, tree_id=tree.pk)


def _pairs(access):
    return {frozenset((pair.first.pk, pair.second.pk)): pair for pair in person_duplicates(access=access)}


def test_same_name_in_other_capitals_with_overlapping_dates_is_found(owner):
    first = person_create(
        access=owner,
        given_names="Victoria",
        surname="Hanover",
        sex="F",
        birth_date="24 MAY 1819",
        death_date="22 JAN 1901",
    )
    second = person_create(
        access=owner, given_names="Victoria", surname="HANOVER", sex="F", birth_date="ABT 1819", death_date="1901"
    )
    person_create(access=owner, given_names="Albert", surname="Saxe-Coburg", sex="M", birth_date="1819")
    pairs = _pairs(owner)
    assert list(pairs) == [frozenset((first.pk, second.pk))]
    pair = pairs[frozenset((first.pk, second.pk))]
    assert pair.score >= 80
    assert pair.reasons[0] == "same name (Victoria Hanover)"
    assert "both recorded female" in pair.reasons
    assert "born 24 May 1819 in both records" in pair.reasons


def test_different_sexes_are_never_paired(owner):
    person_create(access=owner, given_names="Francis", surname="Drake", sex="M", birth_date="1540")
    person_create(access=owner, given_names="Francis", surname="Drake", sex="F", birth_date="1540")
    assert _pairs(owner) == {}


def test_births_years_apart_are_not_paired_but_near_ones_are(owner):
    a = person_create(access=owner, given_names="John", surname="Smith", sex="M", birth_date="1800")
    person_create(access=owner, given_names="John", surname="Smith", sex="M", birth_date="1850")
    c = person_create(access=owner, given_names="John", surname="Smyth", sex="M", birth_date="1801")
    pairs = _pairs(owner)
    assert list(pairs) == [frozenset((a.pk, c.pk))]
    assert any(reason.startswith("names sound alike") for reason in pairs[frozenset((a.pk, c.pk))].reasons)


def test_an_alternate_name_brings_a_pair_together(owner):
    married = person_create(access=owner, given_names="Mary", surname="Jones", sex="F", birth_date="1900")
    maiden = person_create(access=owner, given_names="Mary", surname="Evans", sex="F", birth_date="1900")
    PersonName.objects.create(person=married, name_type="birth", given_names="Mary", surname="Evans")
    assert frozenset((married.pk, maiden.pk)) in _pairs(owner)


def test_names_in_other_scripts_are_compared_too(owner):
    first = person_create(access=owner, given_names="小龍", surname="李", sex="M", birth_date="1940")
    second = person_create(access=owner, given_names="小龍", surname="李", sex="M", birth_date="ABT 1940")
    person_create(access=owner, given_names="振藩", surname="李", sex="M", birth_date="1940")
    assert list(_pairs(owner)) == [frozenset((first.pk, second.pk))]


def test_only_editors_and_owners_may_look(owner):
    viewer = UserFactory(username="dup-viewer")
    MembershipFactory(tree=owner.tree, user=viewer, role=Role.VIEWER)
    with pytest.raises(PermissionDenied):
        person_duplicates(access=tree_access_get(user=viewer, tree_id=owner.tree.pk))


def test_query_count_does_not_grow_with_the_tree(owner):
    counts = []
    for size in (10, 200):
        for index in range(size):
            # Every fifth person repeats one: a tree full of duplicates, spread over Smith and Smyth.
            person_create(
                access=owner,
                given_names=["Ann", "Bob", "Cid", "Dan", "Eve"][index % 5],
                surname=["Smith", "Smyth"][index % 2],
                sex="FMMMF"[index % 5],
                birth_date=str(1800 + index % 5),
            )
        access = tree_access_get(user=owner.user, tree_id=owner.tree.pk)
        with CaptureQueriesContext(connection) as queries:
            found = person_duplicates(access=access)
        assert found
        counts.append(len(queries))
    assert counts[0] == counts[1]
