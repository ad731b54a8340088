"""A person's age on a photo, from the person's birth date and the photo's date (both may be ranges)."""

from __future__ import annotations

from cases.models import Person, Photo
from cases.progression import age_on


def age_on_photo(*, person: Person, photo: Photo) -> str:
    """Return the person's age when the photo was taken ("34" or "33–35"), or "" when unknown."""
    ages = age_range_on_photo(person=person, photo=photo)
    if ages is None:
        return ""
    youngest, oldest = ages
    return str(youngest) if youngest == oldest else f"{youngest}–{oldest}"


def age_range_on_photo(*, person: Person, photo: Photo) -> tuple[int, int] | None:
    """Return the youngest and oldest whole-year age the person can have on the photo, or None when unknown."""
    born = (person.birth_date_start, person.birth_date_end)
    taken = (photo.date_taken_start, photo.date_taken_end)
    if None in born or None in taken:
        return None
    youngest = age_on(born[1], taken[0])
    oldest = age_on(born[0], taken[1])
    if oldest < 0:
        return None
    return max(youngest, 0), oldest
