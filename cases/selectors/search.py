"""Finding persons as genealogists search: names in any order, partial words, Soundex, dates and places.

Only persons whose details the user may see can match a search (a living person never matches a
viewer's search, not even by a partial name), and scoped members only search their scope.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Mapping
from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from cases.access import TreeAccess
from cases.errors import InvalidInput
from cases.genealogy.names import surname_clean
from cases.genealogy.phonetic import soundex, soundex_words
from cases.models import Event, Person, PersonName

PHONETIC_LIMIT = 5000
"""At most this many phonetic matches are returned; a narrower search (a date or place) finds the rest."""

_WORDS = re.compile(r"[^\s,/]+")


@dataclass(frozen=True)
class PersonQuery:
    """What a search asks for; every field is optional and the criteria combine with AND."""

    name: str = ""
    phonetic: bool = False
    born_from: int | None = None
    born_to: int | None = None
    died_from: int | None = None
    died_to: int | None = None
    place: str = ""
    sex: str = ""
    surname: str = ""

    @property
    def is_empty(self) -> bool:
        return not (
            self.name.strip()
            or self.place.strip()
            or self.sex
            or self.surname
            or any(year is not None for year in (self.born_from, self.born_to, self.died_from, self.died_to))
        )


def person_query_parse(params: Mapping[str, str]) -> PersonQuery:
    """Return the search a page's or the API's query string asks for; InvalidInput for a year that is not one."""
    return PersonQuery(
        name=params.get("q", ""),
        phonetic=params.get("phonetic", "") in ("1", "true", "on"),
        born_from=year_param(params.get("born_from"), "“Born from”"),
        born_to=year_param(params.get("born_to"), "“Born until”"),
        died_from=year_param(params.get("died_from"), "“Died from”"),
        died_to=year_param(params.get("died_to"), "“Died until”"),
        place=params.get("place", ""),
        sex=params.get("sex", ""),
        surname=params.get("surname", ""),
    )


def person_find(*, access: TreeAccess, query: PersonQuery) -> QuerySet[Person]:
    """Return the persons matching ``query`` that the user may see, by name; all visible persons when empty."""
    persons = access.persons_queryset().select_related("portrait_face__photo")
    if query.is_empty:
        return persons
    persons = persons.filter(access.public_persons_q())
    for low, high, prefix in ((query.born_from, query.born_to, "birth"), (query.died_from, query.died_to, "death")):
        persons = _in_years(persons, low, high, prefix)
    if query.sex:
        persons = persons.filter(sex=query.sex)
    if query.surname:
        persons = persons.filter(surname__iexact=query.surname.strip())
    place = query.place.strip()
    if place:
        at_event = Event.objects.filter(person=OuterRef("pk"), place__icontains=place)
        persons = persons.filter(Q(birth_place__icontains=place) | Q(death_place__icontains=place) | Exists(at_event))
    words = _WORDS.findall(query.name)
    if words and query.phonetic:
        return persons.filter(pk__in=_phonetic_matches(persons, words))
    for word in words:
        # Each word may be in the given names or the surname, of the main name or of any alternate name.
        alternate = PersonName.objects.filter(
            Q(given_names__icontains=word) | Q(surname__icontains=word) | Q(nickname__icontains=word),
            person=OuterRef("pk"),
        )
        persons = persons.filter(Q(given_names__icontains=word) | Q(surname__icontains=word) | Exists(alternate))
    return persons


def surname_index(*, access: TreeAccess) -> list[tuple[str, int]]:
    """Return each surname the user may see with its number of persons, alphabetically (one query)."""
    rows = (
        access.persons_queryset()
        .filter(access.public_persons_q())
        .exclude(surname="")
        .values_list("surname")
        .annotate(count=Count("pk"))
        .order_by()
    )
    totals: dict[str, list] = {}
    for surname, count in rows:
        # "KENNEDY" and "Kennedy" are one family name, shown as the index shows names.
        entry = totals.setdefault(surname_clean(surname).casefold(), [surname_clean(surname), 0])
        entry[1] += count
    return sorted(((shown, count) for shown, count in totals.values()), key=lambda item: item[0].casefold())


def year_param(value: str | None, label: str) -> int | None:
    """Return a year typed into a search form, or None when left empty; a clear error otherwise."""
    value = (value or "").strip()
    if not value:
        return None
    if not value.isdigit() or not 1 <= int(value) <= 9999:
        raise InvalidInput(f"{label} must be a year such as 1850.")
    return int(value)


def _in_years(persons: QuerySet[Person], low: int | None, high: int | None, prefix: str) -> QuerySet[Person]:
    """Keep persons whose date can fall in [low, high]: "ABT 1850" and "AFT 1845" both match 1850."""
    start, end = f"{prefix}_date_start", f"{prefix}_date_end"
    if low is not None:
        persons = persons.filter(
            Q(**{f"{end}__gte": datetime.date(low, 1, 1)}) | Q(**{f"{end}__isnull": True, f"{start}__isnull": False})
        )
    if high is not None:
        persons = persons.filter(
            Q(**{f"{start}__lte": datetime.date(high, 12, 31)})
            | Q(**{f"{start}__isnull": True, f"{end}__isnull": False})
        )
    return persons


def _phonetic_matches(persons: QuerySet[Person], words: list[str]) -> list[int]:
    """Return ids of persons whose names sound like every word (two queries, names coded here)."""
    wanted = [code for code in map(soundex, words) if code]
    codes: dict[int, set[str]] = {}
    for pk, given, surname in persons.values_list("pk", "given_names", "surname"):
        codes[pk] = soundex_words(f"{given} {surname}")
    names = PersonName.objects.filter(person__in=persons.values("pk"))
    for pk, given, surname, nickname in names.values_list("person_id", "given_names", "surname", "nickname"):
        codes.setdefault(pk, set()).update(soundex_words(f"{given} {surname} {nickname}"))
    return [pk for pk, found in codes.items() if all(code in found for code in wanted)][:PHONETIC_LIMIT]
