"""Notes, sources and citations: the evidence behind the lineage records."""

from __future__ import annotations

from django.db import transaction

from cases.access import Capability, TreeAccess
from cases.errors import InvalidInput
from cases.models import Citation, Family, Person, Source


def source_create(*, access: TreeAccess, title: str, author: str = "", publication: str = "",
                  repository: str = "") -> Source:
    """Record a source of evidence."""
    access.require(Capability.EDIT)
    if not title.strip():
        raise InvalidInput("A source needs a title.")
    return Source.objects.create(tree=access.tree, title=title.strip(), author=author,
                                 publication=publication, repository=repository)


@transaction.atomic
def citation_create(*, access: TreeAccess, source: Source, person: Person | None = None,
                    family: Family | None = None, page: str = "", quality: int | None = None,
                    text: str = "") -> Citation:
    """Cite a source for a person or a family."""
    access.require(Capability.EDIT)
    _check_target(access, person, family)
    if source.tree_id != access.tree.pk:
        raise InvalidInput("That source belongs to another tree.")
    if quality is not None and not 0 <= quality <= 3:
        raise InvalidInput("Quality must be between 0 and 3.")
    return Citation.objects.create(source=source, person=person, family=family, page=page,
                                   quality=quality, text=text)


def _check_target(access: TreeAccess, person: Person | None, family: Family | None) -> None:
    if person is None and family is None:
        raise InvalidInput("Say which person or family this is about.")
    if person is not None:
        access.check_person(person)
    if family is not None:
        access.check_family(family)
