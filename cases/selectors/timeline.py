"""What a genealogist reads on a person page: every event in date order with ages, and the evidence.

Events come from three places: birth and death on the person row, :class:`~cases.models.Event` rows
for the person and for their families, and GEDCOM tags Kinship does not model (``_MILT``) kept raw
in ``gedcom_data``. Citations and notes on an event are kept in the event's ``gedcom_data`` as
pointers; they are resolved here in one query each, so the page costs the same for any tree.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q

from cases.genealogy.dates import date_display, parse_genealogical_date
from cases.genealogy.events import EVENT_LABELS, event_label
from cases.models import Citation, Event, Family, GedcomRecord, Note, Person, Source


@dataclass
class CitationView:
    source_title: str
    page: str = ""
    text: str = ""
    quality: int | None = None
    pk: int | None = None  # a Citation row (editable); None for one kept inside imported GEDCOM data


@dataclass
class TimelineEvent:
    """One row of the timeline: what happened, when (as read), where, the age then and the evidence."""

    label: str
    date: str = ""  # as a reader expects it ("about 1925")
    date_recorded: str = ""  # the phrase as recorded, for the title attribute
    place: str = ""
    description: str = ""
    age: str = ""
    sort_key: datetime.date | None = None
    family: Family | None = None  # the family a family event belongs to
    cite_target: str = ""  # what a new citation of this row attaches to: "fact:BIRT", "event:7", "family:3:MARR"
    citations: list[CitationView] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


@dataclass
class MediaReference:
    """A GEDCOM multimedia link whose file is not a photo in the tree (missing from the import)."""

    title: str
    path: str


def person_timeline(*, person: Person, families: list[Family]) -> list[TimelineEvent]:
    """Return the person's events and their families' events, oldest first, with the person's age at each."""
    events = list(Event.objects.filter(person=person))
    family_ids = [f.pk for f in families]
    family_events = list(Event.objects.filter(family_id__in=family_ids)) if family_ids else []
    families_by_id = {f.pk: f for f in families}
    data = person.gedcom_data or {}
    pending: list[tuple[TimelineEvent, dict[str, Any]]] = []
    if person.birth_date or person.birth_place or "BIRT" in data:
        pending.append(
            (_row("BIRT", person.birth_date, person.birth_place, target="fact:BIRT"), data.get("BIRT") or {})
        )
    if person.death_date or person.death_place or person.is_deceased or "DEAT" in data:
        pending.append(
            (_row("DEAT", person.death_date, person.death_place, target="fact:DEAT"), data.get("DEAT") or {})
        )
    for event in events + family_events:
        row = _row(
            event.tag,
            event.date,
            event.place,
            event_type=event.event_type,
            value=event.value,
            target=f"event:{event.pk}",
        )
        row.family = families_by_id.get(event.family_id)
        pending.append((row, event.gedcom_data or {}))
    for family in families:
        stored = family.gedcom_data or {}
        if family.start_date or "MARR" in stored:
            row = _row(
                "MARR",
                family.start_date,
                (stored.get("MARR") or {}).get("place", ""),
                target=f"family:{family.pk}:MARR",
            )
            row.family = family
            pending.append((row, stored.get("MARR") or {}))
        if family.end_date or "DIV" in stored:
            row = _row(
                "DIV", family.end_date, (stored.get("DIV") or {}).get("place", ""), target=f"family:{family.pk}:DIV"
            )
            row.family = family
            pending.append((row, stored.get("DIV") or {}))
    for node in data.get("extra", ()):
        if node.get("tag", "").startswith("_") and node.get("tag") in EVENT_LABELS:
            children = {child.get("tag"): child.get("value", "") for child in node.get("children", ())}
            pending.append(
                (_row(node["tag"], children.get("DATE", ""), children.get("PLAC", ""), value=node.get("value", "")), {})
            )
    _attach_evidence(person.tree_id, pending)
    for row, data in pending:
        # An age the record states is evidence; the computed one is only arithmetic on the dates.
        row.age = (_recorded_age(data) if row.family is None else "") or _age(person, row)
    rows = [row for row, _ in pending]
    _attach_citations(person, families_by_id, [e.pk for e in events + family_events], rows)
    # Undated events keep their recorded order after the dated ones (webtrees does the same).
    undated = datetime.date.max
    return sorted(rows, key=lambda row: (row.sort_key or undated, row.label != "Birth"))


def person_media_references(*, person: Person) -> list[MediaReference]:
    """Return the GEDCOM media the person links to, as titles and paths (one query)."""
    pointers = [p for p in (person.gedcom_data or {}).get("media", ()) if isinstance(p, str)]
    if not pointers:
        return []
    records = GedcomRecord.objects.filter(tree_id=person.tree_id, tag="OBJE", xref__in=pointers)
    references = []
    for record in records:
        for item in record.data.get("files", ()):
            references.append(
                MediaReference(title=item.get("title") or record.data.get("title", ""), path=item.get("path", ""))
            )
    return references


def _row(tag: str, date: str, place: str, *, event_type: str = "", value: str = "", target: str = "") -> TimelineEvent:
    label = event_label(tag, event_type)
    parsed = parse_genealogical_date(date) if date else None
    description = value if value and value != "Y" else ""
    if event_type and tag not in ("EVEN", "FACT"):
        description = f"{event_type}: {description}" if description else event_type
    return TimelineEvent(
        label=label,
        date=date_display(date),
        date_recorded=date,
        place=place,
        description=description,
        sort_key=parsed.sort_date if parsed else None,
        cite_target=target,
    )


def _attach_citations(
    person: Person, families: dict[int, Family], event_ids: list[int], rows: list[TimelineEvent]
) -> None:
    """Put the Citation rows of one event or fact beside that row (one query).

    A cited birth, death, marriage or divorce with nothing else recorded still gets its row, so the
    evidence is never out of sight.
    """
    query = Q(person=person, fact__in=("BIRT", "DEAT")) | Q(family_id__in=list(families), fact__in=("MARR", "DIV"))
    if event_ids:
        query |= Q(event_id__in=event_ids)
    by_target = {row.cite_target: row for row in rows if row.cite_target}
    for citation in Citation.objects.filter(query).select_related("source").order_by("pk"):
        if citation.event_id:
            target = f"event:{citation.event_id}"
        elif citation.family_id:
            target = f"family:{citation.family_id}:{citation.fact}"
        else:
            target = f"fact:{citation.fact}"
        row = by_target.get(target)
        if row is None and not citation.event_id:
            row = by_target[target] = _row(citation.fact, "", "", target=target)
            row.family = families.get(citation.family_id) if citation.family_id else None
            rows.append(row)
        if row is not None:
            row.citations.append(
                CitationView(
                    source_title=citation.source.title,
                    page=citation.page,
                    text=citation.text,
                    quality=citation.quality,
                    pk=citation.pk,
                )
            )


def _attach_evidence(tree_id: int, pending: list[tuple[TimelineEvent, dict[str, Any]]]) -> None:
    """Resolve the source and shared-note pointers of every event in one query each."""
    source_xrefs = {c.get("source") for _, data in pending for c in data.get("citations", ()) if c.get("source")}
    note_xrefs = {n.get("pointer") for _, data in pending for n in data.get("notes", ()) if n.get("pointer")}
    sources = (
        dict(Source.objects.filter(tree_id=tree_id, gedcom_xref__in=source_xrefs).values_list("gedcom_xref", "title"))
        if source_xrefs
        else {}
    )
    notes = (
        dict(Note.objects.filter(tree_id=tree_id, gedcom_xref__in=note_xrefs).values_list("gedcom_xref", "text"))
        if note_xrefs
        else {}
    )
    for row, data in pending:
        for citation in data.get("citations", ()):
            pointer = citation.get("source", "")
            quality = next(
                (
                    int(n["value"])
                    for n in citation.get("extra", ())
                    if n.get("tag") == "QUAY" and str(n.get("value", "")).isdigit()
                ),
                None,
            )
            row.citations.append(
                CitationView(
                    source_title=sources.get(pointer, pointer or "Source"),
                    page=citation.get("page", ""),
                    text=citation.get("text", ""),
                    quality=quality,
                )
            )
        for note in data.get("notes", ()):
            text = note.get("text") or notes.get(note.get("pointer", ""), "")
            if text:
                row.notes.append(text)


def _recorded_age(data: dict[str, Any]) -> str:
    age = next((node.get("value", "") for node in data.get("extra", ()) if node.get("tag") == "AGE"), "")
    return age[:-1] if age[:-1].isdigit() and age.endswith("y") else age


def _age(person: Person, row: TimelineEvent) -> str:
    """Return the age at an event as a genealogist writes it ("34", "about 34", "33–35"), or ""."""
    if row.label == "Birth" or not person.birth_date:
        return ""
    born = parse_genealogical_date(person.birth_date)
    happened = parse_genealogical_date(row.date_recorded) if row.date_recorded else None
    if happened is None or None in (born.start, born.end, happened.start, happened.end):
        return ""
    youngest = _years_between(born.end, happened.start)
    oldest = _years_between(born.start, happened.end)
    if oldest < 0:
        return ""
    youngest = max(youngest, 0)
    return str(youngest) if youngest == oldest else f"{youngest}–{oldest}"


def _years_between(start: datetime.date, end: datetime.date) -> int:
    return end.year - start.year - ((end.month, end.day) < (start.month, start.day))
