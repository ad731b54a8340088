"""Fixtures for the ``cases`` tests: a small tree and one user per role."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

import pytest

from cases.access import TreeAccess, tree_access_get
from cases.models import Person, Role, Tree
from cases.services.casework import case_create
from cases.services.families import family_child_add, family_create
from cases.services.persons import person_create
from cases.services.trees import tree_create
from tests.factories import MembershipFactory, UserFactory
from tests.permissions import ASSIGNED, ROLES, UNASSIGNED


@dataclass
class SmallTree:
    """Grandparents (dead), parents (one living), a living child; one user per role."""

    tree: Tree
    owner_access: TreeAccess
    users: dict
    grandfather: Person
    grandmother: Person
    father: Person
    mother: Person
    child: Person


@pytest.fixture
def small_tree(db) -> SmallTree:
    owner = UserFactory(username="owner")
    tree = tree_create(name="Small", owner=owner)
    access = tree_access_get(user=owner, tree_id=tree.pk)
    users = {Role.OWNER: owner}
    for role in ROLES[1:]:
        users[role] = UserFactory(username=role)
        MembershipFactory(tree=tree, user=users[role], role=role)
    users["outsider"] = UserFactory(username="outsider")
    grandfather = person_create(
        access=access, given_names="Albert", surname="Old", sex="M", birth_date="1890", death_date="1960"
    )
    grandmother = person_create(
        access=access, given_names="Beatrice", surname="Old", sex="F", birth_date="ABT 1895", death_date="1970"
    )
    father = person_create(
        access=access, given_names="Charles", surname="Old", sex="M", birth_date="1930", death_date="2000"
    )
    mother = person_create(access=access, given_names="Diana", surname="Young", sex="F", birth_date="1960")
    child = person_create(access=access, given_names="Eve", surname="Old", sex="F", birth_date="1990")
    grandparents = family_create(access=access, partner1=grandfather, partner2=grandmother)
    family_child_add(access=access, family=grandparents, child=father)
    parents = family_create(access=access, partner1=father, partner2=mother)
    family_child_add(access=access, family=parents, child=child)
    return SmallTree(tree, access, users, grandfather, grandmother, father, mother, child)


@pytest.fixture
def case_tree(small_tree):
    """The small tree with a case on the child, opened by the tree's caseworker."""
    worker = tree_access_get(user=small_tree.users[Role.CASEWORKER], tree_id=small_tree.tree.pk)
    small_tree.case = case_create(
        access=worker,
        organisation="Agency",
        number="2026-001",
        missing_person=small_tree.child,
        date_last_seen=datetime.date(1995, 5, 1),
        age_last_seen=5,
        public_description="Last seen in a red coat.",
        agency_references=[{"agency": "Police", "reference": "P-77"}],
        circumstances="Secret circumstances",
        notes="Secret note",
        favoured_parent=small_tree.mother,
    )
    small_tree.worker = worker
    return small_tree


@pytest.fixture
def case_matrix(case_tree):
    """The case tree with an assigned and an unassigned caseworker and a reminder, for the case matrices."""
    from cases.models import CaseReminder

    second = UserFactory(username="second-worker")
    MembershipFactory(tree=case_tree.tree, user=second, role=Role.CASEWORKER)
    case_tree.users[ASSIGNED] = case_tree.users[Role.CASEWORKER]
    case_tree.users[UNASSIGNED] = second
    case_tree.reminder = CaseReminder.objects.create(
        case=case_tree.case, due_on=datetime.date(2030, 1, 1), message="Age progression due again"
    )
    return case_tree


@pytest.fixture
def portraits(case_tree):
    """Portraits with consent: the father Grace Hopper, the mother the astronaut (both public domain)."""
    from cases.services.photos import person_choose_portrait, photo_detect_faces, photo_set_consent, photo_upload
    from genetics.samples import astronaut, grace_hopper
    from tests.images import jpeg_bytes

    access = case_tree.owner_access
    for person, image in ((case_tree.father, grace_hopper()), (case_tree.mother, astronaut())):
        photo = photo_upload(access=access, data=jpeg_bytes(image, quality=92), persons=[person])
        (face,) = photo_detect_faces(photo_id=photo.pk)
        person_choose_portrait(access=access, person=person, face=face)
        photo_set_consent(access=access, photo=photo, consent=True, given_by="the person, in writing")
    return case_tree
