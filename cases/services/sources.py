"""Notes, sources and citations: the evidence behind the lineage records."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from cases.access import Capability, TreeAccess
from cases.errors import InvalidInput, NotFound
from cases.models import Citation, Event, Family, Person, Repository, Source
from cases.models.records import CitedFact


def source_create(
    *, access: TreeAccess, title: str, author: str = "", publication: str = "", repository: Repository | None = None
) -> Source:
    """Record a source of evidence, kept at ``repository`` when given."""
    access.require(Capability.EDIT)
    source = Source(tree=access.tree)
    _source_apply(access, source, title=title, author=author, publication=publication, repository=repository)
    source.save()
    return source


@transaction.atomic
def source_update(
    *,
    access: TreeAccess,
    source: Source,
    title: str,
    author: str = "",
    publication: str = "",
    repository: Repository | None = None,
) -> Source:
    """Change a source's title, author, publication and repository."""
    access.require(Capability.EDIT)
    _check_source(access, source)
    changed = _source_apply(access, source, title=title, author=author, publication=publication, repository=repository)
    if changed:
        source.save(update_fields=changed)
    return source


@transaction.atomic
def source_delete(*, access: TreeAccess, source: Source) -> int:
    """Delete a source and the citations of it; return how many citations went with it."""
    access.require(Capability.EDIT)
    _check_source(access, source)
    cited = source.citations.count()
    source.delete()
    return cited


@transaction.atomic
def citation_create(
    *,
    access: TreeAccess,
    source: Source,
    person: Person | None = None,
    family: Family | None = None,
    event: Event | None = None,
    fact: str = "",
    page: str = "",
    quality: int | None = None,
    text: str = "",
) -> Citation:
    """Cite a source for a person or a family, or for one of their events or facts."""
    access.require(Capability.EDIT)
    if event is not None:
        # The event's owner is the citation's owner, so every list of a person's citations finds it.
        if event.tree_id != access.tree.pk or (person, family) not in ((None, None), (event.person, event.family)):
            raise InvalidInput("That event belongs to someone else.")
        person, family = event.person, event.family
    _check_target(access, person, family)
    citation = Citation(person=person, family=family, event=event)
    _citation_apply(access, citation, source=source, fact=fact, page=page, quality=quality, text=text)
    citation.save()
    return citation


@transaction.atomic
def citation_update(
    *,
    access: TreeAccess,
    citation: Citation,
    source: Source,
    fact: str = "",
    page: str = "",
    quality: int | None = None,
    text: str = "",
) -> Citation:
    """Change what a citation cites and where (its owner and event stay)."""
    access.require(Capability.EDIT)
    _check_target(access, citation.person, citation.family)
    changed = _citation_apply(access, citation, source=source, fact=fact, page=page, quality=quality, text=text)
    extra = (citation.gedcom_data or {}).get("extra", ())
    if "quality" in changed and any(node.get("tag") == "QUAY" for node in extra):
        # The imported QUAY would otherwise come back on export when the quality is cleared.
        citation.gedcom_data["extra"] = [node for node in extra if node.get("tag") != "QUAY"]
        changed.append("gedcom_data")
    if changed:
        citation.save(update_fields=changed)
    return citation


def citation_delete(*, access: TreeAccess, citation: Citation) -> None:
    """Remove a citation; the source stays."""
    access.require(Capability.EDIT)
    _check_target(access, citation.person, citation.family)
    citation.delete()


def _source_apply(access: TreeAccess, source: Source, **fields: Any) -> list[str]:
    fields["title"] = fields["title"].strip()
    if not fields["title"]:
        raise InvalidInput("A source needs a title.")
    for name, limit in (("title", 300), ("author", 200), ("publication", 300)):
        fields[name] = fields[name].strip()
        if len(fields[name]) > limit:
            raise InvalidInput(f"The {name} is too long: at most {limit} characters.")
    repository = fields["repository"]
    if repository is not None and repository.tree_id != access.tree.pk:
        raise InvalidInput("That repository belongs to another tree.")
    return _assign(source, fields, ids={"repository"})


def _citation_apply(access: TreeAccess, citation: Citation, **fields: Any) -> list[str]:
    if fields["source"].tree_id != access.tree.pk:
        raise InvalidInput("That source belongs to another tree.")
    quality = fields["quality"]
    if quality is not None and not 0 <= quality <= 3:
        raise InvalidInput("Quality must be between 0 and 3.")
    if fields["fact"] not in CitedFact.values:
        raise InvalidInput(f"Unknown fact “{fields['fact']}”.")
    if fields["fact"] and citation.event_id:
        raise InvalidInput("A citation of an event cannot also name another fact.")
    fields["page"] = fields["page"].strip()
    if len(fields["page"]) > 300:
        raise InvalidInput("The page is too long: at most 300 characters.")
    return _assign(citation, fields, ids={"source"})


def _assign(row: Source | Citation, fields: dict[str, Any], *, ids: set[str]) -> list[str]:
    changed = []
    for name, value in fields.items():
        if name in ids:
            if getattr(row, name + "_id") != (value.pk if value else None):
                setattr(row, name, value)
                changed.append(name)
        elif getattr(row, name) != value:
            setattr(row, name, value)
            changed.append(name)
    return changed


def _check_source(access: TreeAccess, source: Source) -> None:
    if source.tree_id != access.tree.pk:
        raise NotFound("No such source in this tree.")


def _check_target(access: TreeAccess, person: Person | None, family: Family | None) -> None:
    if person is None and family is None:
        raise InvalidInput("Say which person or family this is about.")
    if person is not None:
        access.check_person(person)
    if family is not None:
        access.check_family(family)
