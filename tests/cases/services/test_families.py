import pytest

from cases.access import tree_access_get
from cases.errors import Conflict, InvalidInput, NotFound
from cases.models import ChildLink
from cases.services.families import family_child_add, family_create, family_update
from cases.services.persons import person_create
from cases.services.trees import tree_create


def test_person_cannot_become_their_own_ancestor(small_tree):
    access = small_tree.owner_access
    family = family_create(access=access, partner1=small_tree.child)
    with pytest.raises(InvalidInput, match="own ancestor"):
        family_child_add(access=access, family=family, child=small_tree.grandfather)
    assert not ChildLink.objects.filter(family=family).exists()


def test_partner_cannot_be_a_descendant_of_a_child(small_tree):
    access = small_tree.owner_access
    family = family_create(access=access, partner1=small_tree.mother)
    family_child_add(access=access, family=family, child=small_tree.grandmother)
    with pytest.raises(InvalidInput):
        family_update(access=access, family=family, partner2=small_tree.child)


def test_duplicate_child_and_same_partners_rejected(small_tree):
    access = small_tree.owner_access
    family = small_tree.child.parent_links.get().family
    with pytest.raises(Conflict):
        family_child_add(access=access, family=family, child=small_tree.child)
    with pytest.raises(InvalidInput):
        family_create(access=access, partner1=small_tree.mother, partner2=small_tree.mother)


def test_pedigree_kept(small_tree):
    access = small_tree.owner_access
    adoptee = person_create(access=access, given_names="Ada")
    family = small_tree.child.parent_links.get().family
    link = family_child_add(access=access, family=family, child=adoptee, pedigree="adopted")
    assert link.pedigree == "adopted"
    with pytest.raises(InvalidInput):
        family_child_add(access=access, family=family, child=person_create(access=access), pedigree="cousin")


def test_person_from_another_tree_refused(small_tree):
    other_tree = tree_create(name="Other", owner=small_tree.users["owner"])
    other = tree_access_get(user=small_tree.users["owner"], tree_id=other_tree.pk)
    stranger = person_create(access=other, given_names="Stranger")
    with pytest.raises(NotFound):
        family_create(access=small_tree.owner_access, partner1=stranger)
