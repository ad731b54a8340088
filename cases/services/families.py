"""Families (unions of up to two partners) and the children linked to them."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from cases.access import Capability, TreeAccess
from cases.errors import Conflict, InvalidInput
from cases.family_graph import family_graph
from cases.models import ChildLink, Family, Person
from cases.models.records import FamilyType, Pedigree
from cases.services.dates import stored_date
from cases.services.persons import persons_refresh_estimated_birth


@transaction.atomic
def family_create(
    *, access: TreeAccess, partner1: Person | None = None, partner2: Person | None = None,
    family_type: str = FamilyType.UNKNOWN, start_date: str = "", end_date: str = "",
) -> Family:
    """Create a family of up to two partners."""
    access.require(Capability.EDIT)
    family = Family(tree=access.tree)
    _apply(access, family, {"partner1": partner1, "partner2": partner2, "family_type": family_type,
                            "start_date": start_date, "end_date": end_date})
    family.save()
    _refresh(access, family)
    return family


@transaction.atomic
def family_update(*, access: TreeAccess, family: Family, **fields: Any) -> Family:
    """Change partners, type or dates of a family."""
    access.require(Capability.EDIT)
    access.check_family(family)
    changed = _apply(access, family, fields)
    if changed:
        family.save(update_fields=changed)
        _refresh(access, family)
    return family


@transaction.atomic
def family_delete(*, access: TreeAccess, family: Family) -> None:
    """Delete a family and its child links (the persons stay)."""
    access.require(Capability.EDIT)
    access.check_family(family)
    members = _member_ids(family)
    family.delete()
    persons_refresh_estimated_birth(tree_id=access.tree.pk, person_ids=members)


@transaction.atomic
def family_child_add(*, access: TreeAccess, family: Family, child: Person,
                     pedigree: str = Pedigree.BIRTH) -> ChildLink:
    """Link a child to a family; refuses links that would make someone their own ancestor."""
    access.require(Capability.EDIT)
    access.check_family(family)
    access.check_person(child)
    if pedigree not in Pedigree.values:
        raise InvalidInput(f"Unknown pedigree “{pedigree}”.")
    if child.pk in (family.partner1_id, family.partner2_id):
        raise InvalidInput("A partner cannot also be a child of the same family.")
    if ChildLink.objects.filter(family=family, child=child).exists():
        raise Conflict(f"{child.display_name} is already a child of this family.")
    partners = {p for p in (family.partner1_id, family.partner2_id) if p}
    if partners & descendant_ids(tree_id=access.tree.pk, person_id=child.pk):
        raise InvalidInput(f"{child.display_name} cannot be a child here: they would become their own ancestor.")
    order = ChildLink.objects.filter(family=family).count()
    link = ChildLink.objects.create(family=family, child=child, pedigree=pedigree, order=order)
    _refresh(access, family)
    return link


@transaction.atomic
def family_child_remove(*, access: TreeAccess, link: ChildLink) -> None:
    """Unlink a child from a family."""
    access.require(Capability.EDIT)
    access.check_family(link.family)
    family = link.family
    link.delete()
    persons_refresh_estimated_birth(tree_id=access.tree.pk, person_ids=_member_ids(family) | {link.child_id})


def descendant_ids(*, tree_id: int, person_id: int) -> set[int]:
    """Return the ids of everyone descended from ``person_id`` (and the person)."""
    return family_graph(tree_id).descendants(person_id)


def _apply(access: TreeAccess, family: Family, fields: dict[str, Any]) -> list[str]:
    allowed = {"partner1", "partner2", "family_type", "start_date", "end_date"}
    unknown = set(fields) - allowed
    if unknown:
        raise InvalidInput(f"Unknown family fields: {', '.join(sorted(unknown))}.")
    changed: list[str] = []
    for name, value in fields.items():
        if name in ("partner1", "partner2"):
            if value is not None:
                access.check_person(value)
            if getattr(family, name + "_id") != (value.pk if value else None):
                setattr(family, name, value)
                changed.append(name)
        elif name == "family_type":
            if value not in FamilyType.values:
                raise InvalidInput(f"Unknown family type “{value}”.")
            if family.family_type != value:
                family.family_type = value
                changed.append(name)
        else:
            date = stored_date(value)
            for suffix, part in (("", date.text), ("_start", date.start), ("_end", date.end)):
                if getattr(family, name + suffix) != part:
                    setattr(family, name + suffix, part)
                    changed.append(name + suffix)
    if family.partner1_id and family.partner1_id == family.partner2_id:
        raise InvalidInput("The two partners must be different persons.")
    partners = {p for p in (family.partner1_id, family.partner2_id) if p}
    if family.pk and partners:
        children = set(ChildLink.objects.filter(family=family).values_list("child_id", flat=True))
        for child in children:
            if partners & descendant_ids(tree_id=access.tree.pk, person_id=child):
                raise InvalidInput("That partner is a descendant of a child of this family.")
    return changed


def _member_ids(family: Family) -> set[int]:
    ids = {p for p in (family.partner1_id, family.partner2_id) if p}
    ids.update(ChildLink.objects.filter(family=family).values_list("child_id", flat=True))
    return ids


def _refresh(access: TreeAccess, family: Family) -> None:
    persons_refresh_estimated_birth(tree_id=access.tree.pk, person_ids=_member_ids(family))
