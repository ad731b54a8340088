"""Rules shared by everything attached to a person or a family (events, notes)."""

from __future__ import annotations

from cases.access import Capability, TreeAccess
from cases.errors import InvalidInput, PermissionDenied
from cases.models import Family, Person


def record_subject_check(*, access: TreeAccess, person: Person | None, family: Family | None) -> None:
    """Raise unless the user may edit what is attached to exactly one visible person or family.

    A member who may not see living persons' details may not change them either: editing would
    show what the page hides.
    """
    access.require(Capability.EDIT)
    record_subject_readable(access=access, person=person, family=family)


def record_subject_readable(*, access: TreeAccess, person: Person | None, family: Family | None) -> None:
    """Raise unless the user may read what is attached to exactly one visible person or family.

    Out of scope is NotFound (the user may not know it exists); a presumed-living person, or a
    family with such a partner, is PermissionDenied for members who may not see living persons.
    """
    if (person is None) == (family is None):
        raise InvalidInput("Say which one person or family this is about.")
    if person is not None:
        access.check_person(person)
        if access.person_private(person):
            raise PermissionDenied("This person is presumed living and their details are hidden from you.")
    if family is not None:
        access.check_family(family)
        if access.family_dates_hidden(family):
            raise PermissionDenied("A partner in this family is presumed living; its details are hidden from you.")
