"""The relationship calculator: blood relations with cousin degrees, half relations, in-laws, privacy, scope."""

from __future__ import annotations

import pytest

from cases.access import tree_access_get
from cases.errors import NotFound
from cases.models import Role
from cases.selectors import PRIVATE_NAME, relationship_find
from cases.services.families import family_child_add, family_create
from cases.services.persons import person_create
from cases.services.trees import membership_set


@pytest.fixture
def cousins(small_tree):
    """Adds Frank (Charles's brother), his daughter Gina, and Albert's son Hugo by a second wife."""
    access = small_tree.owner_access
    frank = person_create(
        access=access, given_names="Frank", surname="Old", sex="M", birth_date="1932", death_date="2010"
    )
    gina = person_create(
        access=access, given_names="Gina", surname="Old", sex="F", birth_date="1958", death_date="2015"
    )
    second_wife = person_create(
        access=access, given_names="Iris", surname="Other", sex="F", birth_date="1900", death_date="1980"
    )
    hugo = person_create(
        access=access, given_names="Hugo", surname="Old", sex="M", birth_date="1940", death_date="2001"
    )
    grandparents = small_tree.father.parent_links.get().family
    family_child_add(access=access, family=grandparents, child=frank)
    family_child_add(access=access, family=family_create(access=access, partner1=frank), child=gina)
    family_child_add(
        access=access,
        family=family_create(access=access, partner1=small_tree.grandfather, partner2=second_wife),
        child=hugo,
    )
    small_tree.frank, small_tree.gina, small_tree.hugo = frank, gina, hugo
    return small_tree


def _find(access, a, b):
    return relationship_find(access=access, a_id=a.pk, b_id=b.pk)


def test_direct_lines_and_siblings(cousins):
    access = cousins.owner_access
    answer = _find(access, cousins.child, cousins.grandfather)
    assert answer.sentence == "Albert Old is Eve Old’s grandfather."
    assert (answer.generations_up, answer.generations_down) == (2, 0)
    assert [n.name for n in answer.common_ancestors] == ["Albert Old"]
    assert _find(access, cousins.grandfather, cousins.child).name == "granddaughter"
    assert _find(access, cousins.father, cousins.frank).name == "brother"


def test_cousins_removals_and_half_relations(cousins):
    access = cousins.owner_access
    assert _find(access, cousins.child, cousins.frank).name == "uncle"
    assert _find(access, cousins.child, cousins.gina).name == "first cousin"
    assert _find(access, cousins.gina, cousins.child).sentence == "Eve Old is Gina Old’s first cousin."
    assert _find(access, cousins.father, cousins.hugo).name == "half-brother"
    assert _find(access, cousins.child, cousins.hugo).name == "half-uncle"


def test_in_laws_through_a_partner(cousins):
    access = cousins.owner_access
    assert _find(access, cousins.mother, cousins.grandfather).name == "father-in-law"
    assert _find(access, cousins.grandmother, cousins.mother).name == "daughter-in-law"
    assert _find(access, cousins.mother, cousins.frank).name == "brother-in-law"
    assert _find(access, cousins.father, cousins.mother).name == "wife"
    answer = _find(access, cousins.gina, cousins.mother)
    assert answer.sentence == "Diana Young is the wife of Gina Old’s uncle, Charles Old."
    assert answer.name == "wife of uncle" and answer.generations_up is None
    assert _find(access, cousins.mother, cousins.gina).sentence == (
        "Gina Old is the niece of Diana Young’s husband, Charles Old."
    )


def test_the_path_links_every_person_once(cousins):
    answer = _find(cousins.owner_access, cousins.child, cousins.gina)
    ids = [n.person_id for n in answer.nodes]
    assert set(ids) == {
        cousins.child.pk,
        cousins.father.pk,
        cousins.grandfather.pk,
        cousins.grandmother.pk,
        cousins.frank.pk,
        cousins.gina.pk,
    }  # both grandparents: the common ancestors, side by side
    assert len(ids) == len(set(ids)) and [line["kind"] for line in answer.lines].count("child") == 4
    assert [line["kind"] for line in answer.lines].count("partner") == 1
    assert {n.role for n in answer.nodes if n.person_id in (cousins.child.pk, cousins.gina.pk)} == {"end"}


def test_unrelated_persons(cousins):
    stranger = person_create(access=cousins.owner_access, given_names="Stranger", birth_date="1900", death_date="1990")
    answer = _find(cousins.owner_access, cousins.gina, stranger)
    assert not answer.related and "No relationship" in answer.sentence and answer.nodes == []


def test_private_persons_are_named_living_person_without_their_sex(cousins):
    viewer = tree_access_get(user=cousins.users[Role.VIEWER], tree_id=cousins.tree.pk)
    answer = _find(viewer, cousins.grandfather, cousins.child)
    assert answer.name == "grandchild"  # not "granddaughter": sex is a detail of a private person
    assert answer.sentence == f"{PRIVATE_NAME} is Albert Old’s grandchild."
    assert "Eve" not in str([n.name for n in answer.nodes])


def test_a_scoped_member_walks_only_their_scope(cousins):
    member = cousins.users[Role.EDITOR]
    membership_set(
        access=cousins.owner_access, user=member, role=Role.EDITOR, scope_person=cousins.child, scope_depth=1
    )
    scoped = tree_access_get(user=member, tree_id=cousins.tree.pk)
    assert _find(scoped, cousins.child, cousins.father).name == "father"
    with pytest.raises(NotFound):
        _find(scoped, cousins.child, cousins.grandfather)
