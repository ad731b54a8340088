"""Creating trees and managing who belongs to them."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from cases.access import Capability, TreeAccess
from cases.errors import Conflict, InvalidInput
from cases.genealogy.names import NAME_FORMATS
from cases.models import AuditAction, Membership, Person, Role, Tree
from cases.services.audit import audit_record


@transaction.atomic
def tree_create(*, name: str, owner: AbstractBaseUser, description: str = "") -> Tree:
    """Create a tree with ``owner`` as its first owner."""
    name = name.strip()
    if not name:
        raise InvalidInput("A tree needs a name.")
    # Unique per owner only: a global rule would tell anyone which names other users' trees have.
    if Tree.objects.filter(name=name, created_by=owner).exists():
        raise Conflict(f"You already have a tree called “{name}”.")
    tree = Tree.objects.create(name=name, description=description, created_by=owner)
    Membership.objects.create(tree=tree, user=owner, role=Role.OWNER)
    return tree


@transaction.atomic
def tree_set_name_format(*, access: TreeAccess, name_format: str) -> Tree:
    """Choose how the tree shows persons' names ("" follows the site default); owners only, audited."""
    access.require(Capability.MANAGE_MEMBERS)
    if name_format and name_format not in NAME_FORMATS:
        raise InvalidInput(f"Unknown name format “{name_format}”.")
    tree = Tree.objects.select_for_update().get(pk=access.tree.pk)
    before = tree.name_format
    if name_format != before:
        tree.name_format = name_format
        tree.save(update_fields=["name_format"])
        audit_record(
            action=AuditAction.TREE_SETTINGS_CHANGED,
            actor=access.user,
            tree_id=tree.pk,
            object_type="tree",
            object_id=tree.pk,
            payload={"before": {"name_format": before}, "after": {"name_format": name_format}},
        )
    # The request goes on showing names with the access's tree object: keep it in step.
    access.tree.name_format = name_format
    return tree


@transaction.atomic
def membership_set(
    *,
    access: TreeAccess,
    user: AbstractBaseUser,
    role: str,
    can_see_living: bool | None = None,
    scope_person: Person | None = None,
    scope_depth: int | None = None,
) -> Membership:
    """Give ``user`` a role in the tree (or change it), optionally scoped to a person's relatives; audited."""
    _check_membership(access, role=role, scope_person=scope_person, scope_depth=scope_depth)
    membership = Membership.objects.select_for_update().filter(tree=access.tree, user=user).first()
    before = _membership_facts(membership) if membership else None
    if membership and membership.role == Role.OWNER and role != Role.OWNER:
        _ensure_another_owner(access.tree, membership)
    membership, _ = Membership.objects.update_or_create(
        tree=access.tree,
        user=user,
        defaults={
            "role": role,
            "can_see_living": can_see_living,
            "scope_person": scope_person,
            "scope_depth": scope_depth,
        },
    )
    after = _membership_facts(membership)
    if after != before:
        audit_record(
            action=AuditAction.MEMBERSHIP_SET,
            actor=access.user,
            tree_id=access.tree.pk,
            object_type="membership",
            object_id=membership.pk,
            payload={"username": user.get_username(), "before": before, "after": after},
        )
    return membership


def membership_add_by_username(
    *,
    access: TreeAccess,
    username: str,
    role: str,
    can_see_living: bool | None = None,
    scope_person: Person | None = None,
    scope_depth: int | None = None,
) -> None:
    """Give the account called ``username`` a role, answering the same whether or not it exists.

    The caller learns nothing about accounts outside the tree: an unknown name is accepted
    silently (after the same checks), so trying names does not list the site's users. The owner
    sees who belongs in the member list, as before.
    """
    _check_membership(access, role=role, scope_person=scope_person, scope_depth=scope_depth)
    user = get_user_model().objects.filter(username=username).first()
    if user is None:
        return
    membership_set(
        access=access,
        user=user,
        role=role,
        can_see_living=can_see_living,
        scope_person=scope_person,
        scope_depth=scope_depth,
    )


@transaction.atomic
def membership_remove(*, access: TreeAccess, membership: Membership) -> None:
    """Remove a member (audited); the last owner cannot be removed."""
    access.require(Capability.MANAGE_MEMBERS)
    if membership.tree_id != access.tree.pk:
        raise InvalidInput("That membership belongs to another tree.")
    if membership.role == Role.OWNER:
        _ensure_another_owner(access.tree, membership)
    audit_record(
        action=AuditAction.MEMBERSHIP_REMOVED,
        actor=access.user,
        tree_id=access.tree.pk,
        object_type="membership",
        object_id=membership.pk,
        payload={"username": membership.user.get_username(), "before": _membership_facts(membership)},
    )
    membership.delete()


def _check_membership(access: TreeAccess, *, role: str, scope_person: Person | None, scope_depth: int | None) -> None:
    access.require(Capability.MANAGE_MEMBERS)
    if role not in Role.values:
        raise InvalidInput(f"Unknown role “{role}”.")
    if (scope_person is None) != (scope_depth is None):
        raise InvalidInput("A relatives scope needs both a person and a number of steps.")
    if scope_person is not None and scope_person.tree_id != access.tree.pk:
        raise InvalidInput("The scope person must belong to this tree.")


def _membership_facts(membership: Membership) -> dict:
    return {
        "role": membership.role,
        "can_see_living": membership.can_see_living,
        "scope_person_id": membership.scope_person_id,
        "scope_depth": membership.scope_depth,
    }


def _ensure_another_owner(tree: Tree, membership: Membership) -> None:
    others = Membership.objects.filter(tree=tree, role=Role.OWNER).exclude(pk=membership.pk)
    if not others.exists():
        raise Conflict("A tree must keep at least one owner.")
