"""Exceptions and warnings of the GEDCOM layer; every one names the line it concerns when known."""

from __future__ import annotations

from dataclasses import dataclass


class GedcomError(Exception):
    """Base of every GEDCOM reading, writing or archive error."""

    def __init__(self, message: str, *, line: int | None = None) -> None:
        self.message = message
        self.line = line
        super().__init__(f"line {line}: {message}" if line is not None else message)


class GedcomEncodingError(GedcomError):
    """Raised when the bytes cannot be decoded in the detected or declared encoding."""


class GedcomSyntaxError(GedcomError):
    """Raised for a line that is not GEDCOM: bad level, garbage, absurd length, missing HEAD or TRLR."""


class GedcomStructureError(GedcomError):
    """Raised for records that cannot be trusted: duplicate xrefs, a person their own ancestor."""


class GedcomArchiveError(GedcomError):
    """Raised for an unsafe or unusable .zip/.gdz: path traversal, symlinks, zip bombs, no .ged."""


@dataclass(frozen=True)
class GedcomIssue:
    """A problem that still leaves the data usable (a dangling pointer, a missing media file)."""

    message: str
    line: int | None = None

    def __str__(self) -> str:
        return f"line {self.line}: {self.message}" if self.line is not None else self.message
