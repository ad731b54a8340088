"""Read a GEDCOM fully without writing anything: counts, warnings and possible duplicates."""

from __future__ import annotations

from collections.abc import Hashable
from pathlib import Path
from typing import Any, NamedTuple

from cases.genealogy.gedcom import (
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


class _Ref(NamedTuple):
    """A person (or child link) as the ancestry check reads it: small, unlike a full `Individual`."""

    xref: str
    line: int = 0

    @property
    def individual(self) -> str:
        return self.xref


class _Links(NamedTuple):
    """A family's links, kept per family while the file streams past (not the family itself)."""

    xref: str
    partner1: str
    partner2: str
    children: list[_Ref]
    line: int


def _name_key(given: str, surname: str) -> tuple[str, str]:
    return " ".join(given.casefold().split()), " ".join(surname.casefold().split())


def gedcom_scan(*, path: Path, tree: Tree | None = None) -> dict[str, Any]:
    """Parse the whole file and return the preview: counts, warnings with lines, duplicate candidates.

    Raises GedcomError (with a line number) for input that cannot be imported; writes nothing.
    Memory holds a few small tuples per record (xrefs, lines, links), never the records.
    """
    counter = RecordCounter()
    seen: dict[str, int] = {}
    famc: list[tuple[str, str, int]] = []  # (person, family, line) for every FAMC
    families: dict[str, _Links] = {}
    existing = _existing_names(tree) if tree is not None else {}
    duplicates: list[dict[str, Any]] = []
    issues: list[GedcomIssue] = []
    media_objects: dict[str, MediaObject] = {}
    person_media: dict[str, list[Hashable]] = {}
    other_media: set[str] = set()
    with gedcom_open(path) as source:
        for record in source.records:
            xref = record.xref
            if xref:
                if xref in seen:
                    raise GedcomStructureError(
                        f"duplicate xref {xref} (first defined on line {seen[xref]})", line=record.line
                    )
                seen[xref] = record.line
            counter.add(record)
            if isinstance(record, Individual):
                famc += [(xref, link.family, record.line) for link in record.child_of]
                if existing and record.names and len(duplicates) < MAX_LISTED:
                    duplicates += _duplicates_of(record, existing)
                for media_xref in record.media:
                    person_media.setdefault(media_xref, []).append(xref)
                for event in record.events:
                    other_media.update(event.media)
                    issue = date_issue(event)
                    if issue is not None:
                        issues.append(issue)
            elif isinstance(record, Family):
                families[xref] = _Links(
                    xref, record.partner1, record.partner2, [_Ref(c.individual) for c in record.children], record.line
                )
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
                issues.append(
                    GedcomIssue(
                        f"a person points at {media_xref}, which does not exist; link dropped",
                        line=seen.get(persons[0]),
                    )
                )
        plan = media_plan(
            media_objects=media_objects, person_links=person_media, other_links=other_media, source=source.media
        )
        media_check_planned(plan, source.media)
        counter.counts["photos"] = len(plan.photos)
        issues += plan.issues()
    _check_links(famc, families, seen, issues)
    return {
        "version": version,
        "counts": counter.counts,
        "media_included": len(plan.photos),
        "media_not_attached_count": len(plan.not_attached),
        "media_not_attached": plan.not_attached[:MAX_LISTED],
        "warning_count": len(issues),
        "warnings": [{"line": i.line, "message": i.message} for i in issues[:MAX_LISTED]],
        "duplicates": duplicates[:MAX_LISTED],
    }


def _check_links(
    famc: list[tuple[str, str, int]], families: dict[str, _Links], seen: dict[str, int], issues: list[GedcomIssue]
) -> None:
    for family in families.values():
        for pointer in (family.partner1, family.partner2, *(c.xref for c in family.children)):
            if pointer and pointer not in seen and pointer != "@VOID@":
                issues.append(
                    GedcomIssue(
                        f"{family.xref} points at {pointer}, which does not exist; link dropped", line=family.line
                    )
                )
    children = {xref: {c.xref for c in family.children} for xref, family in families.items()}
    for person, family_xref, line in famc:
        family = families.get(family_xref)
        if family is None:
            if family_xref != "@VOID@":
                issues.append(
                    GedcomIssue(f"{person} points at {family_xref}, which does not exist; link dropped", line=line)
                )
        elif person not in children[family_xref]:
            family.children.append(_Ref(person))  # a one-sided FAMC is linked by the import
            children[family_xref].add(person)
    document = GedcomDocument()
    document.families = [
        Family(
            xref=f.xref,
            partner1=f.partner1 if f.partner1 in seen else "",
            partner2=f.partner2 if f.partner2 in seen else "",
            children=[c for c in f.children if c.xref in seen],
        )  # type: ignore[misc]
        for f in families.values()
    ]
    document.individuals = [_Ref(xref, line) for xref, line in seen.items()]  # type: ignore[misc]
    check_no_own_ancestor(document)


def _existing_names(tree: Tree) -> dict[tuple[str, str], list[tuple[int, int | None, str]]]:
    """Return the tree's persons by normalized (given names, surname), for the duplicate check."""
    existing: dict[tuple[str, str], list[tuple[int, int | None, str]]] = {}
    rows = Person.objects.filter(tree=tree).values_list("pk", "given_names", "surname", "estimated_birth_year")
    for pk, given, surname, year in rows.iterator():
        existing.setdefault(_name_key(given, surname), []).append((pk, year, f"{given} {surname}".strip()))
    return existing


def _duplicates_of(
    person: Individual,
    existing: dict[tuple[str, str], list[tuple[int, int | None, str]]],
) -> list[dict[str, Any]]:
    """Return the tree's persons whose name and birth year match this person of the file."""
    first = person.names[0]
    birth = next((e for e in person.events if e.tag == "BIRT"), None)
    day = (birth.date.end or birth.date.start) if birth is not None else None
    year = day.year if day is not None else None
    found = []
    for pk, other_year, name in existing.get(_name_key(first.given, first.surname), ()):
        if year is None or other_year is None or abs(year - other_year) <= 1:
            found.append(
                {
                    "xref": person.xref,
                    "name": f"{first.given} {first.surname}".strip(),
                    "birth_year": year,
                    "person_id": pk,
                    "existing_name": name,
                    "existing_birth_year": other_year,
                }
            )
    return found
