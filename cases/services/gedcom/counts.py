"""What an import counts, defined once: the preview and the result both count with `RecordCounter`.

Counts describe what the file holds and the import keeps, however it is stored: a birth is an
event whether it lands on the person's own fields or in an `Event` row, and the primary name is a
name like the alternates. Links dropped because their target does not exist are warnings, not
subtracted here, so the preview and the result can never disagree.
"""

from __future__ import annotations

from typing import Any

from cases.genealogy.gedcom import (
    Family,
    GedcomNode,
    Individual,
    MediaObject,
    Note,
    Source,
)

COUNT_KEYS = (
    "persons",
    "families",
    "names",
    "events",
    "notes",
    "sources",
    "citations",
    "media",
    "photos",
    "children",
    "other_records",
)
"""Preview and result list exactly these keys, in this order; `photos` is filled from the media plan."""


class RecordCounter:
    """Count mapped GEDCOM records as they stream past."""

    def __init__(self) -> None:
        self.counts: dict[str, int] = dict.fromkeys(COUNT_KEYS, 0)

    def add(self, record: Any) -> None:
        """Count one record: an Individual, Family, Note, Source, MediaObject or raw GedcomNode."""
        counts = self.counts
        if isinstance(record, Individual):
            counts["persons"] += 1
            counts["names"] += len(record.names)
            counts["events"] += len(record.events)
            counts["notes"] += len(record.notes)
            counts["citations"] += len(record.citations) + sum(len(n.citations) for n in record.names)
            counts["citations"] += sum(len(e.citations) for e in record.events)
        elif isinstance(record, Family):
            counts["families"] += 1
            counts["events"] += len(record.events)
            counts["notes"] += len(record.notes)
            counts["citations"] += len(record.citations) + sum(len(e.citations) for e in record.events)
            counts["children"] += len(record.children)
        elif isinstance(record, Note):
            counts["notes"] += 1  # a shared note, counted once however many records point at it
        elif isinstance(record, Source):
            counts["sources"] += 1
        elif isinstance(record, MediaObject):
            counts["media"] += 1
        elif isinstance(record, GedcomNode):
            counts["other_records"] += 1
