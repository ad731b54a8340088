"""The warning an event's date gets, worded once for the preview and the import."""

from __future__ import annotations

from cases.genealogy.gedcom import Event, GedcomIssue


def date_issue(event: Event) -> GedcomIssue | None:
    """Return the warning for a date that was not understood or looks wrong, or None when it is fine."""
    date = event.date
    if not date.original or not date.warning:
        return None
    if not date.is_valid:
        return GedcomIssue(
            f"{event.tag} date “{date.original}” was not understood ({date.warning}); kept as written", line=event.line
        )
    return GedcomIssue(f"{event.tag} date “{date.original}”: {date.warning}; kept as written", line=event.line)
