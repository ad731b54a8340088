"""Merging two records of one person: the kept person takes the chosen fields and everything attached.

Explicit steps handle what needs care (a child linked twice to one family, a partner slot that makes
two families identical, photos linked to both, the portrait); then every other reference to the
removed person, whatever model holds it, is pointed at the kept one, so a record added later by
another feature is never deleted with the removed person.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from typing import Any

from django.db import models, transaction

from cases.access import Capability, TreeAccess
from cases.errors import Conflict, InvalidInput, PermissionDenied
from cases.family_graph import family_graph
from cases.genealogy.names import name_part_clean
from cases.models import ChildLink, Family, Person, PersonName, Photo
from cases.models.audit import AuditAction
from cases.models.records import NameType
from cases.selectors.duplicates import REVIEW_FIELDS, merge_default_choices
from cases.services.audit import audit_record
from cases.services.persons import _with_relatives, persons_refresh_estimated_birth

MERGE_FIELDS = tuple(name for name, _ in REVIEW_FIELDS)
"""What a merge chooses between, each "keep" or "remove" (whose value the merged person takes)."""

FIELD_COLUMNS: dict[str, tuple[str, ...]] = {
    "name": ("given_names", "surname"),
    "sex": ("sex",),
    "birth_date": ("birth_date", "birth_date_start", "birth_date_end"),
    "birth_place": ("birth_place",),
    "death_date": ("death_date", "death_date_start", "death_date_end"),
    "death_place": ("death_place",),
    "is_deceased": ("is_deceased",),
    "living_override": ("living_override",),
    "is_hypothetical": ("is_hypothetical",),
    "ancestry": ("ancestry",),
    "hair_colour": ("hair_colour",),
    "portrait": ("portrait_face",),
}

PEDIGREE_CHOICE = "pedigree_{family_id}"
"""The choice key that settles a child's two different pedigrees in one family ("keep" or "remove")."""


@transaction.atomic
def persons_merge(
    *, access: TreeAccess, keep: Person, remove: Person, choices: Mapping[str, str] | None = None
) -> Person:
    """Merge ``remove`` into ``keep`` and delete ``remove``; return the kept person.

    ``choices`` maps each field of :data:`MERGE_FIELDS` (and ``pedigree_<family id>`` for a child
    linked to one family with two pedigrees) to "keep" or "remove"; a field left out keeps the kept
    person's value unless only the removed person has one. The name not chosen becomes an alternate
    name. All in one transaction: on any error nothing has changed.
    """
    access.require(Capability.EDIT)
    choices = dict(choices or {})
    _check_pair(access, keep, remove, choices)
    keep = Person.objects.select_for_update().get(pk=keep.pk)
    remove = Person.objects.select_for_update().get(pk=remove.pk)
    removed_id, removed_xref = remove.pk, remove.gedcom_xref
    relatives = _with_relatives([keep.pk, remove.pk]) - {remove.pk}
    chosen = {**merge_default_choices(keep=keep, remove=remove), **choices}
    moved: dict[str, int] = defaultdict(int)

    other_name = _take_fields(keep, remove, chosen)
    moved["child links"] += _move_child_links(keep, remove, chosen)
    families = list(Family.objects.filter(models.Q(partner1=remove) | models.Q(partner2=remove)))
    for family in families:
        slot = "partner1" if family.partner1_id == remove.pk else "partner2"
        setattr(family, slot, keep)
        family.save(update_fields=[slot])
        moved["partner slots"] += 1
    moved["families merged"] += _merge_identical_families(keep, {f.pk for f in families})
    for photo in Photo.objects.filter(persons=remove).exclude(persons=keep):
        photo.persons.add(keep)
        moved["photos"] += 1
    Photo.persons.through.objects.filter(person=remove).delete()
    for relation, count in _repoint_references(keep, remove).items():
        moved[relation] += count
    if _keep_name(keep, *other_name):
        moved["alternate names"] += 1
    keep.gedcom_data = _merged_gedcom_data(keep, remove)
    if not keep.gedcom_xref:
        keep.gedcom_xref = remove.gedcom_xref
    keep.save()
    remove.delete()
    persons_refresh_estimated_birth(tree_id=access.tree.pk, person_ids=relatives | {keep.pk})
    keep.refresh_from_db()
    # Ids and choices only: the append-only trail never stores names or dates of persons (they may be living).
    audit_record(
        action=AuditAction.PERSON_MERGED,
        actor=access.user,
        tree_id=access.tree.pk,
        object_type="person",
        object_id=keep.pk,
        payload={
            "person_id": keep.pk,
            "removed_person_id": removed_id,
            "removed_gedcom_xref": removed_xref,
            "choices": {k: chosen[k] for k in sorted(chosen)},
            "moved": dict(sorted(moved.items())),
        },
    )
    return keep


def _check_pair(access: TreeAccess, keep: Person, remove: Person, choices: dict[str, str]) -> None:
    if keep.pk == remove.pk:
        raise InvalidInput("A person cannot be merged with themself; choose two different persons.")
    if keep.tree_id != remove.tree_id:
        raise InvalidInput("Only persons of the same tree can be merged.")
    for person in (keep, remove):
        access.check_person(person)
        if access.person_hidden(person):
            raise PermissionDenied(
                "One of these persons is presumed living and their details are hidden from you, "
                "so you cannot merge them."
            )
    for key, value in choices.items():
        if key not in MERGE_FIELDS and not key.startswith("pedigree_"):
            raise InvalidInput(f"Unknown merge choice “{key}”; choose among {', '.join(MERGE_FIELDS)}.")
        if value not in ("keep", "remove"):
            raise InvalidInput(f"The choice for “{key}” must be “keep” or “remove”.")
    graph = family_graph(access.tree.pk)
    if remove.pk in graph.descendants(keep.pk) or keep.pk in graph.descendants(remove.pk):
        raise InvalidInput(
            f"{keep.display_name} and {remove.display_name} are parent and child (or ancestor "
            "and descendant); a person cannot be merged with their own parent or child."
        )
    if remove.pk in graph.partners.get(keep.pk, ()):
        raise InvalidInput(
            f"{keep.display_name} and {remove.display_name} are recorded as partners of one "
            "family; a person cannot be merged with their partner."
        )


def _take_fields(keep: Person, remove: Person, chosen: dict[str, str]) -> tuple[str, str]:
    """Give ``keep`` the chosen values; return the name not chosen (it becomes an alternate name)."""
    other_name = (remove.given_names, remove.surname)
    if chosen["name"] == "remove":
        other_name = (keep.given_names, keep.surname)
    for field, columns in FIELD_COLUMNS.items():
        if chosen[field] == "remove":
            for column in columns:
                setattr(keep, column, getattr(remove, column))
    return other_name


def _keep_name(keep: Person, given: str, surname: str) -> bool:
    """Record a name as an alternate name of ``keep`` unless it is already one of its names; return whether added."""

    def folded(g: str, s: str) -> tuple[str, str]:
        return name_part_clean(g).casefold(), name_part_clean(s).casefold()

    wanted = folded(given, surname)
    known = {folded(n.given_names, n.surname) for n in PersonName.objects.filter(person=keep)}
    if not (given or surname) or wanted in known or wanted == folded(keep.given_names, keep.surname):
        return False
    PersonName.objects.create(person=keep, name_type=NameType.AKA, given_names=given, surname=surname)
    return True


def _move_child_links(keep: Person, remove: Person, chosen: dict[str, str]) -> int:
    """Point the removed person's child links at ``keep``; one link per family, pedigrees reconciled."""
    mine = {link.family_id: link for link in ChildLink.objects.filter(child=keep)}
    moved = 0
    for link in ChildLink.objects.filter(child=remove).select_related("family"):
        existing = mine.get(link.family_id)
        if existing is None:
            link.child = keep
            link.save(update_fields=["child"])
            moved += 1
            continue
        if existing.pedigree != link.pedigree:
            choice = chosen.get(PEDIGREE_CHOICE.format(family_id=link.family_id))
            if choice is None:
                raise Conflict(
                    f"{keep.display_name} is a child of {link.family} as “{existing.get_pedigree_display()}” "
                    f"and {remove.display_name} as “{link.get_pedigree_display()}”; choose which pedigree to keep.",
                    extra={"family": link.family_id},
                )
            if choice == "remove":
                existing.pedigree = link.pedigree
                existing.save(update_fields=["pedigree"])
        link.delete()
    return moved


def _merge_identical_families(keep: Person, touched: set[int]) -> int:
    """Fold together families of ``keep`` that now have the same partners (one of them was the removed person's)."""
    groups: dict[frozenset[int], list[Family]] = defaultdict(list)
    for family in Family.objects.filter(models.Q(partner1=keep) | models.Q(partner2=keep)).order_by("pk"):
        groups[frozenset(p for p in (family.partner1_id, family.partner2_id) if p)].append(family)
    merged = 0
    for families in groups.values():
        if len(families) < 2 or not touched & {f.pk for f in families}:
            continue
        survivor, *others = families
        for other in others:
            _family_fold(survivor, other)
            merged += 1
    return merged


def _family_fold(survivor: Family, other: Family) -> None:
    children = {link.child_id: link for link in ChildLink.objects.filter(family=survivor)}
    order = len(children)
    for link in ChildLink.objects.filter(family=other).select_related("child"):
        existing = children.get(link.child_id)
        if existing is None:
            link.family, link.order = survivor, order
            link.save(update_fields=["family", "order"])
            order += 1
        elif existing.pedigree != link.pedigree:
            raise Conflict(
                f"{link.child.display_name} is a child of both families of {survivor} with different "
                "pedigrees; change one of them before merging."
            )
        else:
            link.delete()
    changed = []
    for column in (
        "start_date",
        "start_date_start",
        "start_date_end",
        "end_date",
        "end_date_start",
        "end_date_end",
        "gedcom_xref",
    ):
        if not getattr(survivor, column) and getattr(other, column):
            setattr(survivor, column, getattr(other, column))
            changed.append(column)
    if survivor.family_type == "unknown" and other.family_type != "unknown":
        survivor.family_type = other.family_type
        changed.append("family_type")
    survivor.gedcom_data = _merged_dict(survivor.gedcom_data, other.gedcom_data, other.gedcom_xref)
    survivor.save(update_fields=[*changed, "gedcom_data"])
    _repoint_references(survivor, other, model=Family)
    other.delete()


def _repoint_references(
    target: models.Model,
    source: models.Model,
    *,
    model: type[models.Model] = Person,
) -> dict[str, int]:
    """Point every foreign key and one-to-one that refers to ``source`` at ``target``; return counts."""
    counts = {}
    for relation in model._meta.get_fields(include_hidden=True):
        if not (relation.auto_created and not relation.concrete and (relation.one_to_many or relation.one_to_one)):
            continue
        related_model, column = relation.related_model, relation.field.name
        updated = related_model._default_manager.filter(**{column: source}).update(**{column: target})
        if updated:
            counts[related_model._meta.verbose_name_plural + ("" if column == "person" else f" ({column})")] = updated
    return counts


def _merged_gedcom_data(keep: Person, remove: Person) -> dict[str, Any]:
    return _merged_dict(keep.gedcom_data, remove.gedcom_data, remove.gedcom_xref)


def _merged_dict(kept: dict[str, Any], removed: dict[str, Any], removed_xref: str) -> dict[str, Any]:
    """Combine two GEDCOM leftovers: the kept one wins a clash, maps and lists are joined, the xref is kept."""
    data = dict(kept or {})
    for key, value in (removed or {}).items():
        if key not in data:
            data[key] = value
        elif isinstance(data[key], dict) and isinstance(value, dict):
            data[key] = {**value, **data[key]}
        elif isinstance(data[key], list) and isinstance(value, list):
            data[key] = data[key] + [item for item in value if item not in data[key]]
    if removed_xref:
        data["merged_xrefs"] = [*data.get("merged_xrefs", []), removed_xref]
    return data
