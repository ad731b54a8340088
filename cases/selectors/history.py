"""Reading the change history of lineage records, with scope and living-person privacy applied."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.db.models import Q, QuerySet

from cases.access import TreeAccess
from cases.errors import InvalidInput, NotFound
from cases.history import MODEL_OF_TYPE, field_label, shown_keys
from cases.models import Family, Person, RecordChange, RecordChangePerson, RecordType
from cases.selectors.trees import PRIVATE_NAME

HIDDEN_SUMMARY = "A change to the record of a living person (details hidden from your role)."


@dataclass
class FieldDiff:
    key: str
    label: str
    before: str
    after: str


@dataclass
class ChangeRow:
    """One change as a reader may see it: ``hidden`` rows carry no summary and no values."""

    change: RecordChange
    hidden: bool
    summary: str
    diffs: list[FieldDiff] = field(default_factory=list)
    person_ids: list[int] = field(default_factory=list)


@dataclass
class HistoryFamily:
    """The family a history list is narrowed to, with which of its partners the reader may not name."""

    family: Family
    private_ids: set[int]


def history_family(*, access: TreeAccess, family_id: int | None) -> HistoryFamily | None:
    """Return the family to narrow the history to (None without one); NotFound outside the user's scope."""
    if family_id is None:
        return None
    family = Family.objects.filter(tree=access.tree, pk=family_id).select_related("partner1", "partner2").first()
    if family is None:
        raise NotFound("No such family in this tree.")
    access.check_family(family)
    partners = [p for p in (family.partner1, family.partner2) if p is not None]
    return HistoryFamily(family=family, private_ids={p.pk for p in partners if access.person_hidden(p)})


def record_changes(
    *, access: TreeAccess, record_type: str = "", person_id: int | None = None, family_id: int | None = None
) -> QuerySet[RecordChange]:
    """Return the tree's changes, newest first; a scoped member never learns of changes outside the scope.

    ``family_id`` keeps the changes of the family record and of what hangs on it: its child links,
    events, notes and citations (those of its events too), deleted ones included.
    """
    if record_type and record_type not in RecordType.values:
        raise InvalidInput(f"Unknown record type “{record_type[:40]}”.")
    changes = (
        RecordChange.objects.filter(tree=access.tree)
        .select_related("user", "reverts")
        .prefetch_related("persons", "reverted_by")
        .order_by("-at", "-pk")
    )
    if access.visible_person_ids is not None:
        outside = RecordChangePerson.objects.exclude(person_id__in=access.visible_person_ids)
        changes = changes.exclude(pk__in=outside.values("change_id"))
    if record_type:
        changes = changes.filter(record_type=record_type)
    if person_id is not None:
        changes = changes.filter(persons__person_id=person_id)
    if family_id is not None:
        changes = changes.filter(_family_changes_q(family_id))
    return changes


def _family_changes_q(family_id: int) -> Q:
    # Citations of a family's events carry the family too (citation_create), so one key finds them all.
    attached = (RecordType.CHILD_LINK, RecordType.EVENT, RecordType.NOTE, RecordType.CITATION)
    return Q(record_type=RecordType.FAMILY, object_id=family_id) | Q(record_type__in=attached) & (
        Q(after__family_id=family_id) | Q(before__family_id=family_id)
    )


def change_get(*, access: TreeAccess, change_id: int) -> RecordChange:
    """Return one change of the tree the user may know of; NotFound otherwise."""
    change = record_changes(access=access).filter(pk=change_id).first()
    if change is None:
        raise NotFound("No such change in this tree.")
    return change


def change_hidden(*, access: TreeAccess, change: RecordChange) -> bool:
    """Return whether the change's values must be hidden from this user (it concerns a hidden person)."""
    return change_rows(access=access, changes=[change])[0].hidden


def change_rows(*, access: TreeAccess, changes: list[RecordChange]) -> list[ChangeRow]:
    """Return the changes as rows with readable diffs; two queries whatever the number of changes."""
    ids = {link.person_id for change in changes for link in change.persons.all()}
    for change in changes:
        for snap in (change.before, change.after):
            ids.update(value for key, value in (snap or {}).items() if key in PERSON_KEYS and value)
    persons = {p.pk: p for p in Person.objects.filter(tree=access.tree, pk__in=ids)}
    missing = ids - set(persons)
    if missing:
        # Deleted persons are judged by their last recorded values, not assumed visible.
        for change in RecordChange.objects.filter(
            tree=access.tree, record_type=RecordType.PERSON, object_id__in=missing, after__isnull=True
        ).order_by("pk"):
            persons[change.object_id] = _person_from(change.before, change.object_id, access)
    sees_all = access.can_see_living and access.visible_person_ids is None
    hidden_ids = set() if sees_all else {pk for pk in ids if pk not in persons or _hidden(access, persons[pk])}
    rows = []
    for change in changes:
        subjects = sorted(link.person_id for link in change.persons.all())
        if hidden_ids & set(subjects):
            rows.append(ChangeRow(change=change, hidden=True, summary=HIDDEN_SUMMARY, person_ids=subjects))
            continue
        rows.append(
            ChangeRow(
                change=change,
                hidden=False,
                summary=change.summary,
                person_ids=subjects,
                diffs=_diffs(change, persons, hidden_ids),
            )
        )
    return rows


PERSON_KEYS = frozenset({"person_id", "partner1_id", "partner2_id", "child_id"})


def _person_from(values: dict[str, Any] | None, pk: int, access: TreeAccess) -> Person:
    person = Person(pk=pk, tree=access.tree)
    for key, value in (values or {}).items():
        try:
            setattr(person, key, Person._meta.get_field(key).to_python(value))
        except FieldDoesNotExist:  # an old field says nothing about privacy
            continue
    if person.birth_date_end or person.birth_date_start:
        person.estimated_birth_year = (person.birth_date_end or person.birth_date_start).year
    return person


def _hidden(access: TreeAccess, person: Person) -> bool:
    return access.person_hidden(person)


def _diffs(change: RecordChange, persons: dict[int, Person], hidden_ids: set[int]) -> list[FieldDiff]:
    model = MODEL_OF_TYPE.get(change.record_type)
    if model is None:
        return []
    before, after = change.before or {}, change.after or {}
    # The tree never changes; a creation or deletion lists only the fields that held something.
    keys = [
        key
        for key in shown_keys(model, before, after)
        if key != "tree_id"
        and (change.before is not None and change.after is not None or before.get(key) or after.get(key))
    ]
    return [
        FieldDiff(
            key=key,
            label=field_label(model, key),
            before=_display(model, key, before.get(key), persons, hidden_ids) if change.before is not None else "",
            after=_display(model, key, after.get(key), persons, hidden_ids) if change.after is not None else "",
        )
        for key in keys
    ]


def _display(model, key: str, value: Any, persons: dict[int, Person], hidden_ids: set[int]) -> str:
    if value is None or value == "":
        return "—"
    if key in PERSON_KEYS:
        if value in hidden_ids:
            return PRIVATE_NAME
        person = persons.get(value)
        name = person.display_name if person is not None else "a deleted person"
        return f"{name} (#{value})"
    model_field = model._meta.get_field(key)
    if model_field.is_relation:
        return f"{model_field.related_model._meta.verbose_name} #{value}"
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False)[:300]
    return str(value)
