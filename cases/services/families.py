"""Families (unions of up to two partners) and the children linked to them."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from cases.access import Capability, TreeAccess
from cases.errors import Conflict, InvalidInput
from cases.family_graph import family_graph
from cases.models import ChildLink, Family, Person
from cases.models.records import FamilyType, Pedigree, Sex
from cases.services.dates import stored_date
from cases.services.persons import person_create, persons_refresh_estimated_birth


@transaction.atomic
def family_create(
    *,
    access: TreeAccess,
    partner1: Person | None = None,
    partner2: Person | None = None,
    family_type: str = FamilyType.UNKNOWN,
    start_date: str = "",
    end_date: str = "",
) -> Family:
    """Create a family of up to two partners."""
    access.require(Capability.EDIT)
    family = Family(tree=access.tree)
    _apply(
        access,
        family,
        {
            "partner1": partner1,
            "partner2": partner2,
            "family_type": family_type,
            "start_date": start_date,
            "end_date": end_date,
        },
    )
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
def family_child_add(*, access: TreeAccess, family: Family, child: Person, pedigree: str = Pedigree.BIRTH) -> ChildLink:
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
def family_child_create(
    *,
    access: TreeAccess,
    family: Family,
    given_names: str,
    surname: str = "",
    sex: str = Sex.UNKNOWN,
    pedigree: str = Pedigree.BIRTH,
) -> ChildLink:
    """Create a new person and link them to the family as a child, both or neither."""
    if not (given_names.strip() or surname.strip()):
        raise InvalidInput("Give the new child at least a given name or a surname.")
    child = person_create(access=access, given_names=given_names, surname=surname, sex=sex)
    return family_child_add(access=access, family=family, child=child, pedigree=pedigree)


def family_child_update(*, access: TreeAccess, link: ChildLink, pedigree: str) -> ChildLink:
    """Change how a child belongs to a family (birth, adopted, foster, step, unknown)."""
    access.require(Capability.EDIT)
    access.check_family(link.family)
    if pedigree not in Pedigree.values:
        raise InvalidInput(f"Unknown pedigree “{pedigree}”.")
    if link.pedigree != pedigree:
        link.pedigree = pedigree
        link.save(update_fields=["pedigree"])
    return link


@transaction.atomic
def family_child_move(*, access: TreeAccess, link: ChildLink, offset: int) -> list[ChildLink]:
    """Move a child ``offset`` places up (negative) or down the family's list; return the new order."""
    access.require(Capability.EDIT)
    access.check_family(link.family)
    links = list(ChildLink.objects.select_for_update().filter(family_id=link.family_id))
    index = next(i for i, row in enumerate(links) if row.pk == link.pk)
    target = max(0, min(len(links) - 1, index + offset))
    links.insert(target, links.pop(index))
    # Renumber all: imported links may share an order value, and 0..n-1 keeps "move up" meaningful.
    for order, row in enumerate(links):
        if row.order != order:
            row.order = order
            row.save(update_fields=["order"])
    return links


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
