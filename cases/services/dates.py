"""Turn a genealogical date phrase into the three stored fields (text, earliest, latest)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from cases.genealogy.dates import parse_genealogical_date


@dataclass(frozen=True)
class StoredDate:
    """A date as the models keep it: the original phrase and the range of days it allows."""

    text: str
    start: datetime.date | None
    end: datetime.date | None
    warning: str = ""


def stored_date(text: str | None) -> StoredDate:
    """Parse ``text``; unparseable input is kept verbatim as a phrase with a warning, never lost."""
    text = (text or "").strip()
    if not text:
        return StoredDate("", None, None)
    parsed = parse_genealogical_date(text)
    return StoredDate(text, parsed.start, parsed.end, parsed.warning if not parsed.is_valid else "")
