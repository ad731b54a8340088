"""Read a GEDCOM fully without writing anything: counts, warnings and possible duplicates."""

from __future__ import annotations

from collections.abc import Hashable
from pathlib import Path
from typing import Any

from cases.genealogy.gedcom import (
    ChildLink,
    Family,
    GedcomDocument,
    GedcomIssue,
    GedcomStructureError,
    Individual,
    MediaObject,
    check_no_own_ancestor,
)
from cases.models import Person, Tree
from cases.services.gedcom.counts import RecordCounter
from cases.services.gedcom.dates import date_issue
from cases.services.gedcom.inputs import gedcom_open
from cases.services.gedcom.media import media_check_planned, media_plan

MAX_LISTED = 200
"""Warnings and duplicate candidates listed in a preview; the counts give the full numbers."""


def _name_key(given: str, surname: str) -> tuple[str, str]:
    return " ".join(given.casefold().split()), " ".join(surname.casefold().split())


def gedcom_scan(*, path: Path, tree: Tree | None = None) -> dict[str, Any]:
    """Parse the whole file and return the preview: counts, warnings with lines, duplicate candidates.

    Raises GedcomError (with a line number) for input that cannot be imported; writes nothing.
    """
    counter = RecordCounter()
    seen: dict[str, int] = {}
    links = GedcomDocument()
    people: list[tuple[str, str, int | None, str]] = []
    issues: list[GedcomIssue] = []
    media_objects: dict[str, MediaObject] = {}
    person_media: dict[str, list[Hashable]] = {}
    other_media: set[str] = set()
    with gedcom_open(path) as source:
        for record in source.records:
            xref = record.xref
            if xref:
                if xref in seen:
                    raise GedcomStructureError(f"duplicate xref {xref} (first defined on line {seen[xref]})",
                                               line=record.line)
                seen[xref] = record.line
            counter.add(record)
            if isinstance(record, Individual):
                links.individuals.append(Individual(xref=xref, line=record.line, child_of=record.child_of))
                first = record.names[0] if record.names else None
                birth = next((e for e in record.events if e.tag == "BIRT"), None)
                year = (birth.date.end or birth.date.start).year if birth and (birth.date.end or birth.date.start) \
                    else None
                if first is not None:
                    people.append((first.given, first.surname, year, xref))
                for media_xref in record.media:
                    person_media.setdefault(media_xref, []).append(xref)
                for event in record.events:
                    other_media.update(event.media)
                    issue = date_issue(event)
                    if issue is not None:
                        issues.append(issue)
            elif isinstance(record, Family):
                links.families.append(Family(xref=xref, partner1=record.partner1, partner2=record.partner2,
                                             children=record.children, line=record.line))
                other_media.update(record.media)
                for event in record.events:
                    other_media.update(event.media)
                    issue = date_issue(event)
                    if issue is not None:
                        issues.append(issue)
            elif isinstance(record, MediaObject):
                media_objects[xref] = record
        version, _, read_issues = source.header()
        issues = list(read_issues) + issues
        for media_xref, persons in person_media.items():
            if media_xref not in media_objects:
                issues.append(GedcomIssue(f"a person points at {media_xref}, which does not exist; link dropped",
                                          line=seen.get(persons[0])))
        plan = media_plan(media_objects=media_objects, person_links=person_media, other_links=other_media,
                          source=source.media)
        media_check_planned(plan, source.media)
        counter.counts["photos"] = len(plan.photos)
        issues += plan.issues()
    _check_links(links, seen, issues)
    return {
        "version": version, "counts": counter.counts, "media_included": len(plan.photos),
        "media_not_attached_count": len(plan.not_attached), "media_not_attached": plan.not_attached[:MAX_LISTED],
        "warning_count": len(issues),
        "warnings": [{"line": i.line, "message": i.message} for i in issues[:MAX_LISTED]],
        "duplicates": _duplicates(tree, people) if tree is not None else [],
    }


def _check_links(links: GedcomDocument, seen: dict[str, int], issues: list[GedcomIssue]) -> None:
    for family in links.families:
        for pointer in (family.partner1, family.partner2, *(c.individual for c in family.children)):
            if pointer and pointer not in seen and pointer != "@VOID@":
                issues.append(GedcomIssue(f"{family.xref} points at {pointer}, which does not exist; link dropped",
                                          line=family.line))
    families = {family.xref: family for family in links.families}
    for person in links.individuals:
        for link in person.child_of:
            family = families.get(link.family)
            if family is None:
                if link.family != "@VOID@":
                    issues.append(GedcomIssue(f"{person.xref} points at {link.family}, which does not exist; "
                                              "link dropped", line=person.line))
            elif not any(c.individual == person.xref for c in family.children):
                family.children.append(ChildLink(individual=person.xref))
    for family in links.families:
        family.partner1 = family.partner1 if family.partner1 in seen else ""
        family.partner2 = family.partner2 if family.partner2 in seen else ""
        family.children = [c for c in family.children if c.individual in seen]
    check_no_own_ancestor(links)


def _duplicates(tree: Tree, people: list[tuple[str, str, int | None, str]]) -> list[dict[str, Any]]:
    """Return persons of the file whose name and birth year match an existing person of the tree."""
    existing: dict[tuple[str, str], list[tuple[int, int | None, str]]] = {}
    rows = Person.objects.filter(tree=tree).values_list("pk", "given_names", "surname", "estimated_birth_year")
    for pk, given, surname, year in rows.iterator():
        existing.setdefault(_name_key(given, surname), []).append((pk, year, f"{given} {surname}".strip()))
    found = []
    for given, surname, year, xref in people:
        for pk, other_year, name in existing.get(_name_key(given, surname), ()):
            if year is None or other_year is None or abs(year - other_year) <= 1:
                found.append({"xref": xref, "name": f"{given} {surname}".strip(), "birth_year": year,
                              "person_id": pk, "existing_name": name, "existing_birth_year": other_year})
                if len(found) >= MAX_LISTED:
                    return found
    return found
