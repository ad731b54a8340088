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


def test_new_child_is_created_and_linked_together(small_tree):
    from cases.services.families import family_child_create

    access = small_tree.owner_access
    family = small_tree.child.parent_links.get().family
    link = family_child_create(
        access=access, family=family, given_names="Finn", surname="Old", sex="M", pedigree="foster"
    )
    assert (link.child.given_names, link.child.sex, link.pedigree, link.order) == ("Finn", "M", "foster", 1)
    count = ChildLink.objects.count()
    with pytest.raises(InvalidInput):
        family_child_create(access=access, family=family, given_names="Gus", pedigree="grand")
    with pytest.raises(InvalidInput, match="given name or a surname"):
        family_child_create(access=access, family=family, given_names=" ")
    # Neither the person nor the link stays when the link is refused.
    assert ChildLink.objects.count() == count and not small_tree.tree.persons.filter(given_names="Gus").exists()


def test_children_reorder_change_pedigree_and_unlink(small_tree):
    from cases.services.families import family_child_move, family_child_remove, family_child_update

    access = small_tree.owner_access
    family = small_tree.child.parent_links.get().family
    names = ["Gil", "Hal"]
    links = [
        family_child_add(access=access, family=family, child=person_create(access=access, given_names=n)) for n in names
    ]
    order = family_child_move(access=access, link=links[1], offset=-5)
    assert [link.child.given_names for link in order] == ["Hal", "Eve", "Gil"]
    assert [link.child.given_names for link in family.child_links.all()] == ["Hal", "Eve", "Gil"]
    family_child_move(access=access, link=links[1], offset=1)
    assert [link.child.given_names for link in family.child_links.all()] == ["Eve", "Hal", "Gil"]
    family_child_update(access=access, link=links[0], pedigree="step")
    links[0].refresh_from_db()
    assert links[0].pedigree == "step"
    with pytest.raises(InvalidInput):
        family_child_update(access=access, link=links[0], pedigree="grand")
    family_child_remove(access=access, link=links[0])
    assert [link.child.given_names for link in family.child_links.all()] == ["Eve", "Hal"]


@pytest.mark.parametrize("role", ["viewer", "caseworker", "auditor"])
def test_only_editors_change_children(small_tree, role):
    from cases.errors import PermissionDenied
    from cases.services.families import (
        family_child_create,
        family_child_move,
        family_child_remove,
        family_child_update,
        family_delete,
    )

    access = tree_access_get(user=small_tree.users[role], tree_id=small_tree.tree.pk)
    link = small_tree.child.parent_links.get()
    for attempt in (
        lambda: family_child_create(access=access, family=link.family, given_names="X"),
        lambda: family_child_update(access=access, link=link, pedigree="step"),
        lambda: family_child_move(access=access, link=link, offset=1),
        lambda: family_child_remove(access=access, link=link),
        lambda: family_delete(access=access, family=link.family),
    ):
        with pytest.raises(PermissionDenied):
            attempt()
    link.refresh_from_db()
    assert link.pedigree == "birth"
