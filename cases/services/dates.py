"""Turn a genealogical date phrase into the three stored fields (text, earliest, latest)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from cases.errors import InvalidInput
from cases.genealogy.dates import date_display, parse_genealogical_date


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


@dataclass(frozen=True)
class DateReading:
    """How Kinship reads a date phrase, for a form to show before saving."""

    text: str
    shown: str  # "about 1925"; empty when the phrase is empty or not understood
    start: datetime.date | None
    end: datetime.date | None
    error: str = ""  # why the phrase is refused; empty when it can be saved

    def as_json(self) -> dict[str, str | None]:
        return {
            "text": self.text,
            "shown": self.shown,
            "error": self.error,
            "earliest": self.start.isoformat() if self.start else None,
            "latest": self.end.isoformat() if self.end else None,
        }


def date_understand(text: str | None) -> DateReading:
    """Return how a typed date reads, or why it cannot be saved from a form.

    Imports keep any text as a phrase; a person typing in a form is told instead, because a typo
    ("31 FEB 1900") would otherwise silently become an undated phrase. A phrase meant as words
    goes in parentheses ("(in the spring of the flood)").
    """
    text = " ".join((text or "").split())
    if not text:
        return DateReading("", "", None, None)
    parsed = parse_genealogical_date(text)
    if not parsed.is_valid:
        reason = "" if parsed.warning.startswith("cannot read") else f": {parsed.warning}"
        return DateReading(
            text,
            "",
            None,
            None,
            error=(
                f"Kinship cannot read “{text}” as a date{reason}. Write it like 12 MAR 1901, ABT 1925, "
                "BET 1850 AND 1855, or put words in parentheses to keep them as a phrase: (in the spring)."
            ),
        )
    return DateReading(text, date_display(text), parsed.start, parsed.end)


def stored_date_checked(text: str | None, *, field: str) -> StoredDate:
    """Return the stored form of a date typed by a person; raise InvalidInput naming ``field`` if unreadable."""
    reading = date_understand(text)
    if reading.error:
        raise InvalidInput(reading.error, extra={"field": field})
    return StoredDate(reading.text, reading.start, reading.end)
