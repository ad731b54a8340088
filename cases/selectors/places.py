"""Places as a genealogist browses them: every place named in the tree, and who was there.

Places are the recorded text ("Lyon, Rhône, France"); a place page also lists what happened in the
places under it, so "France" gathers Lyon and Paris. Only persons whose details the user may see
count: a living person's birthplace never shows to a viewer, not even as a number.
"""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass

from django.db.models import F, Q, QuerySet

from cases.access import TreeAccess
from cases.genealogy.dates import date_display
from cases.models import Event, Family, Person
from cases.selectors.timeline import EVENT_LABELS

PLACE_PAGE_LIMIT = 500
"""A place page lists at most this many events, the oldest first; the page says when it stops there."""


@dataclass(frozen=True)
class PlaceSummary:
    name: str
    count: int

    @property
    def country(self) -> str:
        """Return the last part of the place (usually the country), the list's grouping."""
        return self.name.rsplit(",", 1)[-1].strip()


@dataclass
class PlaceEvent:
    """Something that happened at a place: who, what, when (as read)."""

    label: str
    date: str
    place: str
    person: Person | None = None
    family: Family | None = None


def place_list(*, access: TreeAccess) -> list[PlaceSummary]:
    """Return every place the user may see with the number of events there, by name (five queries)."""
    persons = _open_persons(access)
    counts: Counter[str] = Counter()
    for column in ("birth_place", "death_place"):
        counts.update(place for place in persons.exclude(**{column: ""}).values_list(column, flat=True))
    counts.update(_open_events(access, persons).exclude(place="").values_list("place", flat=True))
    counts.update(
        place
        for place in _open_families(access, persons).values_list("gedcom_data__MARR__place", flat=True)
        if isinstance(place, str) and place
    )
    return sorted((PlaceSummary(name, count) for name, count in counts.items()), key=lambda p: p.name.casefold())


def place_events(*, access: TreeAccess, place: str) -> list[PlaceEvent]:
    """Return what happened at ``place`` or in the places under it, oldest first, at most PLACE_PAGE_LIMIT."""
    place = place.strip()
    if not place:
        return []
    persons = _open_persons(access)
    here = Q(place__iexact=place) | Q(place__iendswith=f", {place}")
    rows: list[tuple[datetime.date | None, PlaceEvent]] = []
    for column, prefix, tag in (("birth_place", "birth", "BIRT"), ("death_place", "death", "DEAT")):
        matching = persons.filter(Q(**{f"{column}__iexact": place}) | Q(**{f"{column}__iendswith": f", {place}"}))
        for person in matching.order_by(F(f"{prefix}_date_start").asc(nulls_last=True), "pk")[:PLACE_PAGE_LIMIT]:
            rows.append(
                (
                    getattr(person, f"{prefix}_date_start"),
                    PlaceEvent(
                        label=EVENT_LABELS[tag],
                        date=date_display(getattr(person, f"{prefix}_date")),
                        place=getattr(person, column),
                        person=person,
                    ),
                )
            )
    events = _open_events(access, persons).filter(here).select_related("person", "family__partner1", "family__partner2")
    for event in events.order_by(F("date_start").asc(nulls_last=True), "pk")[:PLACE_PAGE_LIMIT]:
        label = (
            event.event_type
            if event.tag in ("EVEN", "FACT") and event.event_type
            else EVENT_LABELS.get(event.tag, event.tag.title())
        )
        rows.append(
            (
                event.date_start,
                PlaceEvent(
                    label=label,
                    date=date_display(event.date),
                    place=event.place,
                    person=event.person,
                    family=event.family,
                ),
            )
        )
    marriages = (
        _open_families(access, persons)
        .filter(
            Q(gedcom_data__MARR__place__iexact=place) | Q(gedcom_data__MARR__place__iendswith=f", {place}"),
        )
        .select_related("partner1", "partner2")
    )
    for family in marriages.order_by(F("start_date_start").asc(nulls_last=True), "pk")[:PLACE_PAGE_LIMIT]:
        rows.append(
            (
                family.start_date_start,
                PlaceEvent(
                    label="Marriage",
                    date=date_display(family.start_date),
                    place=family.gedcom_data["MARR"]["place"],
                    family=family,
                ),
            )
        )
    rows.sort(key=lambda row: (row[0] is None, row[0] or datetime.date.min, row[1].label))
    return [event for _, event in rows[:PLACE_PAGE_LIMIT]]


def _open_persons(access: TreeAccess) -> QuerySet[Person]:
    return access.persons_queryset().filter(access.public_persons_q())


def _open_events(access: TreeAccess, persons: QuerySet[Person]) -> QuerySet[Event]:
    families = _open_families(access, persons)
    return Event.objects.filter(tree=access.tree).filter(Q(person__in=persons) | Q(family__in=families))


def _open_families(access: TreeAccess, persons: QuerySet[Person]) -> QuerySet[Family]:
    """Return families whose every recorded partner the user may see (their events are shared facts)."""
    return (
        Family.objects.filter(tree=access.tree)
        .filter(
            Q(partner1__isnull=True) | Q(partner1__in=persons),
            Q(partner2__isnull=True) | Q(partner2__in=persons),
        )
        .exclude(partner1__isnull=True, partner2__isnull=True)
    )
