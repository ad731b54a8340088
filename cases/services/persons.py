"""Creating, changing and deleting persons; keeping the derived birth-year estimate current."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import transaction

from cases.access import Capability, TreeAccess
from cases.errors import Conflict, InvalidInput
from cases.family_graph import family_graph
from cases.models import Case, ChildLink, Family, Membership, Person, PersonName
from cases.models.records import Ancestry, NameType, Sex
from cases.services.dates import stored_date
from genetics import parameters

GENERATION_YEARS = 25
"""Typical parent–child age gap, used only to estimate a missing birth year from relatives'."""

PERSON_TEXT_FIELDS = ("given_names", "surname", "birth_place", "death_place")
PERSON_FLAG_FIELDS = ("is_deceased", "living_override", "is_hypothetical")
PERSON_DATE_FIELDS = ("birth_date", "death_date")
PERSON_CHOICE_FIELDS: dict[str, tuple[str, ...]] = {
    "sex": tuple(Sex.values),
    "ancestry": ("", *Ancestry.values),
    "hair_colour": ("", *parameters.HAIR_COLOURS),
}
"""Fields that take one of a few values; an empty ancestry or hair colour means "not stated"."""


@transaction.atomic
def person_create(*, access: TreeAccess, alternate_names: Iterable[dict[str, str]] = (), **fields: Any) -> Person:
    """Create a person in the tree from name, sex, dates, places and flags."""
    access.require(Capability.EDIT)
    person = Person(tree=access.tree)
    _apply_fields(person, fields)
    person.save()
    for name in alternate_names:
        person_name_add(access=access, person=person, **name)
    persons_refresh_estimated_birth(tree_id=access.tree.pk, person_ids=[person.pk])
    person.refresh_from_db(fields=["estimated_birth_year"])
    return person


@transaction.atomic
def person_update(*, access: TreeAccess, person: Person, **fields: Any) -> Person:
    """Change the given fields of a person and refresh the estimates that depend on them."""
    access.require(Capability.EDIT)
    access.check_person(person)
    changed = _apply_fields(person, fields)
    if changed:
        person.save(update_fields=[*changed, "updated_at"])
    if {"birth_date_start", "birth_date_end"} & set(changed):
        persons_refresh_estimated_birth(tree_id=access.tree.pk, person_ids=_with_relatives([person.pk]))
        person.refresh_from_db(fields=["estimated_birth_year"])
    return person


@transaction.atomic
def person_delete(*, access: TreeAccess, person: Person) -> None:
    """Delete a person with their names and links; their photos stay in the tree."""
    access.require(Capability.EDIT)
    access.check_person(person)
    anchored = Membership.objects.filter(scope_person=person).count()
    if anchored:
        # Deleting the anchor would leave the membership without a scope, i.e. the whole tree.
        raise Conflict(
            f"{person.display_name} is the centre of {anchored} member{'s' if anchored != 1 else ''}' "
            "limited view of the tree; the tree's owner must change those memberships first."
        )
    if Case.objects.filter(missing_person=person).exists():
        # Roles that may not know of cases hear only that something depends on the person.
        reason = "the missing person of a case" if access.can(Capability.VIEW_CASES) else "needed by other records"
        raise Conflict(f"{person.display_name} is {reason} and cannot be deleted.")
    relatives = _with_relatives([person.pk]) - {person.pk}
    person.delete()
    persons_refresh_estimated_birth(tree_id=access.tree.pk, person_ids=relatives)


def person_name_add(*, access: TreeAccess, person: Person, name_type: str = NameType.AKA, **parts: str) -> PersonName:
    """Add an alternate name to a person."""
    access.require(Capability.EDIT)
    access.check_person(person)
    _check_name(name_type, parts)
    return PersonName.objects.create(person=person, name_type=name_type, **parts)


def _check_name(name_type: str, parts: dict[str, str]) -> None:
    if name_type not in NameType.values:
        raise InvalidInput(f"Unknown name type “{name_type}”.")
    allowed = {"prefix", "given_names", "nickname", "surname_prefix", "surname", "suffix"}
    unknown = set(parts) - allowed
    if unknown:
        raise InvalidInput(f"Unknown name parts: {', '.join(sorted(unknown))}.")


def person_name_update(*, access: TreeAccess, name: PersonName, name_type: str, **parts: str) -> PersonName:
    """Change an alternate name's type and parts."""
    access.require(Capability.EDIT)
    access.check_person(name.person)
    _check_name(name_type, parts)
    name.name_type = name_type
    for part, value in parts.items():
        setattr(name, part, value.strip())
    name.save(update_fields=["name_type", *parts])
    return name


def person_name_delete(*, access: TreeAccess, name: PersonName) -> None:
    """Remove an alternate name from a person."""
    access.require(Capability.EDIT)
    access.check_person(name.person)
    name.delete()


@transaction.atomic
def person_names_sync(*, access: TreeAccess, person: Person, names: Iterable[dict[str, Any]]) -> None:
    """Apply a form's rows of alternate names: change those with an ``id``, add new ones, drop ``delete``d ones."""
    existing = {name.pk: name for name in person.alternate_names.all()}
    for row in names:
        row = dict(row)
        name_id, delete = row.pop("id", None), row.pop("delete", False)
        if name_id is not None and name_id not in existing:
            raise InvalidInput("That alternate name belongs to someone else.")
        if name_id is None:
            if not delete:
                person_name_add(access=access, person=person, **row)
        elif delete:
            person_name_delete(access=access, name=existing[name_id])
        else:
            person_name_update(access=access, name=existing[name_id], **row)


def persons_refresh_estimated_birth(*, tree_id: int, person_ids: Iterable[int] | None = None) -> int:
    """Recompute ``estimated_birth_year`` for some persons (all of the tree when None); return the count.

    A recorded birth gives the (latest possible) year. Without one, relatives' recorded births
    give an estimate: a partner's year, a parent's plus a generation, a child's minus one. Only
    recorded births are used, never other estimates, so the result does not depend on order.
    """
    persons = Person.objects.filter(tree_id=tree_id)
    if person_ids is not None:
        persons = persons.filter(pk__in=list(person_ids))
    targets = list(persons.only("pk", "birth_date_start", "birth_date_end", "estimated_birth_year"))
    if not targets:
        return 0
    recorded = dict(
        (pk, (end or start).year)
        for pk, start, end in Person.objects.filter(tree_id=tree_id)
        .exclude(birth_date_start__isnull=True, birth_date_end__isnull=True)
        .values_list("pk", "birth_date_start", "birth_date_end")
    )
    graph = family_graph(tree_id)
    changed = []
    for person in targets:
        estimate = recorded.get(person.pk)
        if estimate is None:
            candidates = (
                [recorded[p] for p in graph.partners.get(person.pk, ()) if p in recorded]
                + [recorded[p] + GENERATION_YEARS for p in graph.parents.get(person.pk, ()) if p in recorded]
                + [recorded[c] - GENERATION_YEARS for c in graph.children.get(person.pk, ()) if c in recorded]
            )
            # The latest estimate keeps the person "living" longest: privacy errs on the safe side.
            estimate = max(candidates) if candidates else None
        if estimate != person.estimated_birth_year:
            person.estimated_birth_year = estimate
            changed.append(person)
    Person.objects.bulk_update(changed, ["estimated_birth_year"], batch_size=1000)
    return len(changed)


def _with_relatives(person_ids: Iterable[int]) -> set[int]:
    ids = set(person_ids)
    families = Family.objects.filter(partner1_id__in=ids) | Family.objects.filter(partner2_id__in=ids)
    family_rows = list(families.values_list("pk", "partner1_id", "partner2_id"))
    result = set(ids)
    for _, p1, p2 in family_rows:
        result.update(p for p in (p1, p2) if p)
    children = ChildLink.objects.filter(family_id__in=[f[0] for f in family_rows])
    result.update(children.values_list("child_id", flat=True))
    parent_families = ChildLink.objects.filter(child_id__in=ids).values_list(
        "family__partner1_id", "family__partner2_id"
    )
    for p1, p2 in parent_families:
        result.update(p for p in (p1, p2) if p)
    return result


def _apply_fields(person: Person, fields: dict[str, Any]) -> list[str]:
    allowed = {*PERSON_TEXT_FIELDS, *PERSON_FLAG_FIELDS, *PERSON_DATE_FIELDS, *PERSON_CHOICE_FIELDS}
    unknown = set(fields) - allowed
    if unknown:
        raise InvalidInput(f"Unknown person fields: {', '.join(sorted(unknown))}.")
    changed: list[str] = []
    for name, value in fields.items():
        if name in PERSON_CHOICE_FIELDS and value not in PERSON_CHOICE_FIELDS[name]:
            choices = ", ".join(c for c in PERSON_CHOICE_FIELDS[name] if c)
            raise InvalidInput(f"{Person._meta.get_field(name).verbose_name.capitalize()} must be one of {choices}.")
        if name in PERSON_TEXT_FIELDS:
            value = (value or "").strip()
        if name in PERSON_DATE_FIELDS:
            date = stored_date(value)
            for suffix, part in (("", date.text), ("_start", date.start), ("_end", date.end)):
                if getattr(person, name + suffix) != part:
                    setattr(person, name + suffix, part)
                    changed.append(name + suffix)
            continue
        if getattr(person, name) != value:
            setattr(person, name, value)
            changed.append(name)
    return changed
