"""Creating trees and managing who belongs to them."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from cases.access import Capability, TreeAccess
from cases.errors import Conflict, InvalidInput
from cases.models import Membership, Person, Role, Tree


@transaction.atomic
def tree_create(*, name: str, owner: AbstractBaseUser, description: str = "") -> Tree:
    """Create a tree with ``owner`` as its first owner."""
    name = name.strip()
    if not name:
        raise InvalidInput("A tree needs a name.")
    if Tree.objects.filter(name=name).exists():
        raise Conflict(f"A tree called “{name}” already exists.")
    tree = Tree.objects.create(name=name, description=description, created_by=owner)
    Membership.objects.create(tree=tree, user=owner, role=Role.OWNER)
    return tree


@transaction.atomic
def membership_set(
    *, access: TreeAccess, user: AbstractBaseUser, role: str, can_see_living: bool | None = None,
    scope_person: Person | None = None, scope_depth: int | None = None,
) -> Membership:
    """Give ``user`` a role in the tree (or change it), optionally scoped to a person's relatives."""
    access.require(Capability.MANAGE_MEMBERS)
    if role not in Role.values:
        raise InvalidInput(f"Unknown role “{role}”.")
    if (scope_person is None) != (scope_depth is None):
        raise InvalidInput("A relatives scope needs both a person and a number of steps.")
    if scope_person is not None and scope_person.tree_id != access.tree.pk:
        raise InvalidInput("The scope person must belong to this tree.")
    membership = Membership.objects.select_for_update().filter(tree=access.tree, user=user).first()
    if membership and membership.role == Role.OWNER and role != Role.OWNER:
        _ensure_another_owner(access.tree, membership)
    membership, _ = Membership.objects.update_or_create(
        tree=access.tree, user=user,
        defaults={"role": role, "can_see_living": can_see_living, "scope_person": scope_person,
                  "scope_depth": scope_depth},
    )
    return membership


def membership_invite(
    *, access: TreeAccess, username: str, role: str, can_see_living: bool | None = None,
    scope_person: Person | None = None, scope_depth: int | None = None,
) -> Membership:
    """Give the user called ``username`` a role; only members who manage members learn if the name exists."""
    access.require(Capability.MANAGE_MEMBERS)  # before the lookup: nobody else may probe usernames
    user = get_user_model().objects.filter(username=username.strip(), is_active=True).first()
    if user is None:
        raise InvalidInput("No user with that username.")
    return membership_set(access=access, user=user, role=role, can_see_living=can_see_living,
                          scope_person=scope_person, scope_depth=scope_depth)


@transaction.atomic
def membership_remove(*, access: TreeAccess, membership: Membership) -> None:
    """Remove a member; the last owner cannot be removed."""
    access.require(Capability.MANAGE_MEMBERS)
    if membership.tree_id != access.tree.pk:
        raise InvalidInput("That membership belongs to another tree.")
    if membership.role == Role.OWNER:
        _ensure_another_owner(access.tree, membership)
    membership.delete()


def _ensure_another_owner(tree: Tree, membership: Membership) -> None:
    others = Membership.objects.filter(tree=tree, role=Role.OWNER).exclude(pk=membership.pk)
    if not others.exists():
        raise Conflict("A tree must keep at least one owner.")
