"""Adding, changing, reordering and deleting the events and attributes of persons and families."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import Max

from cases.access import TreeAccess
from cases.errors import InvalidInput
from cases.genealogy.events import (
    ATTRIBUTE_TAGS,
    FAMILY_EVENT_TAGS,
    GENERIC_TAGS,
    PERSON_EVENT_TAGS,
    PERSON_ROW_TAGS,
    age_clean,
)
from cases.models import Event, Family, Person
from cases.services.dates import stored_date_checked
from cases.services.records import record_subject_check

PERSON_TAGS = frozenset(tag for tag, _ in PERSON_EVENT_TAGS) - PERSON_ROW_TAGS
FAMILY_TAGS = frozenset(tag for tag, _ in FAMILY_EVENT_TAGS)


@transaction.atomic
def event_create(
    *,
    access: TreeAccess,
    tag: str,
    person: Person | None = None,
    family: Family | None = None,
    date: str = "",
    place: str = "",
    age: str = "",
    description: str = "",
    event_type: str = "",
) -> Event:
    """Record an event or attribute of a person or a family, after the ones it already has."""
    record_subject_check(access=access, person=person, family=family)
    _check_tag(tag, family is not None)
    siblings = Event.objects.filter(person=person) if person is not None else Event.objects.filter(family=family)
    last = siblings.aggregate(last=Max("order"))["last"]
    event = Event(
        tree=access.tree, person=person, family=family, tag=tag, gedcom_data={}, order=0 if last is None else last + 1
    )
    _apply(event, date=date, place=place, age=age, description=description, event_type=event_type)
    event.save()
    return event


@transaction.atomic
def event_update(
    *,
    access: TreeAccess,
    event: Event,
    date: str,
    place: str = "",
    age: str = "",
    description: str = "",
    event_type: str = "",
    tag: str | None = None,
) -> Event:
    """Change an event's tag, date, place, age, description or TYPE."""
    _check_event(access, event)
    if tag is not None and tag != event.tag:
        _check_tag(tag, event.family_id is not None)
        event.tag = tag
    _apply(event, date=date, place=place, age=age, description=description, event_type=event_type)
    event.save()
    return event


def event_delete(*, access: TreeAccess, event: Event) -> None:
    """Delete an event with its notes and citations (kept inside the event)."""
    _check_event(access, event)
    event.delete()


@transaction.atomic
def event_move(*, access: TreeAccess, event: Event, offset: int) -> Event:
    """Move an event ``offset`` places earlier (negative) or later among its subject's events."""
    _check_event(access, event)
    subject = {"person_id": event.person_id} if event.person_id else {"family_id": event.family_id}
    events = list(Event.objects.select_for_update().filter(**subject).order_by("order", "pk"))
    index = next(i for i, row in enumerate(events) if row.pk == event.pk)
    target = max(0, min(len(events) - 1, index + offset))
    events.insert(target, events.pop(index))
    # Imports number events per subject but may leave gaps or ties; renumbering keeps the order total.
    for order, row in enumerate(events):
        row.order = order
    Event.objects.bulk_update(events, ["order"])
    return events[target]


def event_description(event: Event) -> str:
    """Return what the form shows as the description: the value of attributes, the TYPE of plain events."""
    if event.tag in ATTRIBUTE_TAGS or event.tag == "EVEN":
        return "" if event.value == "Y" else event.value
    return event.event_type


def event_age(event: Event) -> str:
    """Return the GEDCOM AGE recorded on the event, or ""."""
    for node in (event.gedcom_data or {}).get("extra", ()):
        if node.get("tag") == "AGE":
            return node.get("value", "")
    return ""


def _check_event(access: TreeAccess, event: Event) -> None:
    if event.tree_id != access.tree.pk:
        raise InvalidInput("That event belongs to another tree.")
    record_subject_check(access=access, person=event.person, family=event.family)


def _check_tag(tag: str, for_family: bool) -> None:
    if tag in PERSON_ROW_TAGS and not for_family:
        raise InvalidInput("Birth and death are recorded on the person's own form, not as separate events.")
    allowed = FAMILY_TAGS if for_family else PERSON_TAGS
    if tag not in allowed:
        raise InvalidInput(
            f"“{tag}” is not an event of a {'family' if for_family else 'person'}.", extra={"field": "tag"}
        )


def _apply(event: Event, *, date: str, place: str, age: str, description: str, event_type: str) -> None:
    description, event_type, place = description.strip(), event_type.strip(), " ".join(place.split())
    if age.strip() and event.family_id is not None:
        raise InvalidInput(
            "An age at a family event belongs to one partner; record it on that person.", extra={"field": "age"}
        )
    if event_type and event.tag not in GENERIC_TAGS:
        raise InvalidInput("Only “Other event” and “Other fact” take a type.", extra={"field": "event_type"})
    takes_value = event.tag in ATTRIBUTE_TAGS or event.tag == "EVEN"
    if len(event_type) > 200 or (not takes_value and len(description) > 200):
        raise InvalidInput("Keep the type and description under 200 characters.", extra={"field": "description"})
    data: dict[str, Any] = dict(event.gedcom_data or {})
    if " ".join(date.split()) != event.date:
        # An unchanged date is kept as imported (even an odd phrase); a typed one must be readable.
        stored = stored_date_checked(date, field="date")
        event.date, event.date_start, event.date_end = stored.text, stored.start, stored.end
        data.pop("phrase", None)  # a GEDCOM 7.0 PHRASE described the old date
    try:
        age = age_clean(age)
    except ValueError as error:
        raise InvalidInput(str(error), extra={"field": "age"}) from error
    extra = [node for node in data.get("extra", ()) if node.get("tag") != "AGE"]
    if age:
        extra.insert(0, {"tag": "AGE", "value": age})
    if extra:
        data["extra"] = extra
    else:
        data.pop("extra", None)
    event.gedcom_data = data
    event.place = place
    if takes_value:
        event.value, event.event_type = description, event_type
    else:
        event.value, event.event_type = "", description
