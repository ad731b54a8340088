"""Finding persons recorded twice in a tree, and laying two of them side by side before a merge.

The finder never compares every person with every other: persons are put in blocks by the Soundex
codes of their surname and of each given name (primary and alternate names), and only persons
sharing a block are compared, and inside a block only those born near each other (a sweep over
the birth dates), so a tree of 10,000 persons with common names stays fast. Two queries read the
whole tree, whatever its size.
"""

from __future__ import annotations

import datetime
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache

from django.db.models import Prefetch, Q

from cases.access import Capability, TreeAccess
from cases.errors import InvalidInput, NotFound
from cases.genealogy.dates import date_display
from cases.genealogy.names import name_part_clean
from cases.genealogy.phonetic import soundex
from cases.models import ChildLink, Event, Face, Family, Person, PersonName, Photo
from cases.models.records import Sex
from cases.selectors.timeline import EVENT_LABELS
from cases.selectors.trees import person_queryset

MIN_SCORE = 50
"""Pairs scoring below this are not shown: a shared surname and sex alone are not a duplicate."""

DATE_SLACK_YEARS = 2
"""Recorded dates this many years apart still count as close: records of one life often disagree."""

UNDATED_LIMIT = 200
"""A person with no birth date is compared with at most this many others of their block."""


@dataclass(frozen=True)
class DuplicatePair:
    """Two persons that may be one, with a score (higher is likelier) and the reasons for it."""

    first: Person
    second: Person
    score: int
    reasons: tuple[str, ...]


def person_duplicates(*, access: TreeAccess, limit: int = 200, person_id: int | None = None) -> list[DuplicatePair]:
    """Return the likeliest duplicate pairs of the tree, best first (only persons the user may see).

    ``person_id`` keeps only the pairs involving that person. Persons whose details are hidden from
    the user are left out, since merging needs every detail on the table.
    """
    access.require(Capability.EDIT)
    # Plain rows, not model instances: building 10,000 models costs more than all the comparisons.
    persons = [
        _Row(*row)
        for row in access.persons_queryset()
        .filter(access.public_persons_q())
        .order_by("pk")
        .values_list(*_Row.__slots__)
    ]
    alternates: dict[int, list[tuple[str, str]]] = defaultdict(list)
    for pk, given, surname in PersonName.objects.filter(person__tree=access.tree).values_list(
        "person_id", "given_names", "surname"
    ):
        alternates[pk].append((given, surname))
    names = {
        person.pk: _names([(person.given_names, person.surname), *alternates.get(person.pk, ())]) for person in persons
    }
    blocks: dict[tuple[str, str], list[_Row]] = defaultdict(list)
    for person in persons:
        for key in {key for name in names[person.pk] for key in name.block_keys}:
            blocks[key].append(person)
    seen: set[tuple[int, int]] = set()
    scored_pairs: list[DuplicatePair] = []
    for members in blocks.values():
        if person_id is not None and person_id not in {p.pk for p in members}:
            continue
        for a, b in _candidate_pairs(members):
            first, second = (a, b) if a.pk < b.pk else (b, a)
            key = (first.pk, second.pk)
            if key in seen or (person_id is not None and person_id not in key):
                continue
            seen.add(key)
            scored = _score(first, second, names[first.pk], names[second.pk])
            if scored is not None and scored.score >= MIN_SCORE:
                scored_pairs.append(scored)
    scored_pairs.sort(key=lambda pair: (-pair.score, pair.first.pk, pair.second.pk))
    scored_pairs = scored_pairs[:limit]
    shown = {p.pk for pair in scored_pairs for p in (pair.first, pair.second)}
    rows = person_queryset(access=access).in_bulk(list(shown))  # only the persons shown become models
    return [
        DuplicatePair(first=rows[pair.first.pk], second=rows[pair.second.pk], score=pair.score, reasons=pair.reasons)
        for pair in scored_pairs
        if pair.first.pk in rows and pair.second.pk in rows
    ]


@dataclass(slots=True)
class _Row:
    """What the finder reads of a person (the columns, in order)."""

    pk: int
    given_names: str
    surname: str
    sex: str
    birth_date: str
    birth_date_start: datetime.date | None
    birth_date_end: datetime.date | None
    birth_place: str
    death_date: str
    death_date_start: datetime.date | None
    death_date_end: datetime.date | None
    death_place: str


def pair_score(a: Person, b: Person) -> DuplicatePair | None:
    """Return how likely two persons are one, with reasons; None when something rules it out.

    Different recorded sexes (male and female) or births or deaths years apart rule a pair out.
    Alternate names count when they are prefetched (``alternate_names``).
    """
    return _score(a, b, _names(_person_names(a)), _names(_person_names(b)))


@dataclass(frozen=True)
class _Name:
    """One name of a person, folded once for all comparisons."""

    shown: str
    words: tuple[str, ...]
    codes: frozenset[str]
    surname: str
    surname_code: str

    @property
    def block_keys(self) -> set[tuple[str, str]]:
        if not self.words:
            return {(self.surname_code, "")} if self.surname_code else set()
        return {(self.surname_code, code) for code in self.codes}


def _names(pairs: Iterable[tuple[str, str]]) -> list[_Name]:
    result = []
    for given, surname in pairs:
        words = tuple(_normal(given).replace("-", " ").split())
        folded = _normal(surname)
        result.append(
            _Name(
                shown=name_part_clean(f"{given} {surname}"),
                words=words,
                # Soundex codes Latin letters only: other scripts block on the folded word itself.
                codes=frozenset(_soundex(word) or word for word in words),
                surname=folded,
                surname_code=(_soundex(folded.replace(" ", "")) or folded) if folded else "",
            )
        )
    return result


def _person_names(person: Person) -> list[tuple[str, str]]:
    alternates = []
    if "alternate_names" in getattr(person, "_prefetched_objects_cache", {}):
        alternates = [(n.given_names, n.surname) for n in person.alternate_names.all()]
    return [(person.given_names, person.surname), *alternates]


def _score(a: Person | _Row, b: Person | _Row, names_a: list[_Name], names_b: list[_Name]) -> DuplicatePair | None:
    if {a.sex, b.sex} == {"M", "F"}:
        return None
    verdicts = {prefix: _dates_verdict(a, b, prefix) for prefix in ("birth", "death")}
    if "apart" in verdicts.values():
        return None
    name_points, name_reason = _name_score(names_a, names_b)
    if not name_points:
        return None
    score, reasons = name_points, [name_reason]
    if a.sex == b.sex and a.sex in ("M", "F", "X"):
        score += 10
        reasons.append(f"both recorded {Sex(a.sex).label.lower()}")
    for label, prefix, points in (("born", "birth", 25), ("died", "death", 15)):
        verdict = verdicts[prefix]
        if verdict:
            score += points if verdict == "overlap" else points // 2
            reasons.append(
                f"{label} {_year_text(a, prefix)}"
                + (" in both records" if verdict == "overlap" else f" and {_year_text(b, prefix)}")
            )
    for label, place in (("born", "birth_place"), ("died", "death_place")):
        if getattr(a, place) and _normal(getattr(a, place)) == _normal(getattr(b, place)):
            score += 10
            reasons.append(f"{label} in {getattr(a, place)}")
    return DuplicatePair(first=a, second=b, score=min(score, 100), reasons=tuple(reasons))


def _candidate_pairs(members: list[_Row]) -> Iterable[tuple[_Row, _Row]]:
    """Yield the pairs of a block worth scoring: births near each other, and the undated with a few others.

    Sorting by birth and stopping at the first person born too late keeps a large block of common
    names (every John Smith of two centuries) from being compared all against all.
    """
    dated = sorted((p for p in members if p.birth_date_start or p.birth_date_end), key=_birth_low)
    undated = [p for p in members if not (p.birth_date_start or p.birth_date_end)]
    slack = datetime.timedelta(days=366 * DATE_SLACK_YEARS)
    for index, person in enumerate(dated):
        high = _birth_high(person) + slack
        for later in range(index + 1, len(dated)):
            if _birth_low(dated[later]) > high:
                break
            yield person, dated[later]
    for index, person in enumerate(undated):
        others = undated[index + 1 : index + 1 + UNDATED_LIMIT]
        yield from ((person, other) for other in others + dated[: UNDATED_LIMIT - len(others)])


def _birth_low(person: _Row) -> datetime.date:
    return person.birth_date_start or person.birth_date_end


def _birth_high(person: _Row) -> datetime.date:
    return person.birth_date_end or person.birth_date_start


def _name_score(names_a: list[_Name], names_b: list[_Name]) -> tuple[int, str]:
    """Return the best points any name of one earns against any name of the other, and why."""
    best = (0, "")
    for a in names_a:
        for b in names_b:
            surname_same = a.surname == b.surname
            if not (surname_same or (a.surname_code and a.surname_code == b.surname_code)):
                continue
            if a.words and b.words and not set(a.words) & set(b.words) and not a.codes & b.codes:
                continue
            if surname_same and a.words == b.words:
                candidate = (45, f"same name ({a.shown})")
            elif (
                surname_same and a.words and b.words and (set(a.words) <= set(b.words) or set(b.words) <= set(a.words))
            ):
                candidate = (35, f"given names agree ({' '.join(a.words)} / {' '.join(b.words)})")
            elif surname_same and a.words and b.words and set(a.words) & set(b.words):
                candidate = (30, "a given name in common")
            elif a.words and b.words:
                candidate = (35 if a.words == b.words else 25, f"names sound alike ({a.shown} / {b.shown})")
            else:
                candidate = (15, "same surname, a given name missing")
            best = max(best, candidate)
    return best


def _dates_verdict(a: Person, b: Person, prefix: str) -> str:
    """Return "overlap", "near" (within the slack), "apart", or "" when either date is missing."""
    start_a, end_a = getattr(a, f"{prefix}_date_start"), getattr(a, f"{prefix}_date_end")
    start_b, end_b = getattr(b, f"{prefix}_date_start"), getattr(b, f"{prefix}_date_end")
    if not (start_a or end_a) or not (start_b or end_b):
        return ""
    low_a, high_a = start_a or datetime.date.min, end_a or datetime.date.max
    low_b, high_b = start_b or datetime.date.min, end_b or datetime.date.max
    if low_a <= high_b and low_b <= high_a:
        return "overlap"
    gap = (low_b - high_a) if high_a < low_b else (low_a - high_b)
    return "near" if gap.days <= 366 * DATE_SLACK_YEARS else "apart"


def _year_text(person: Person | _Row, prefix: str) -> str:
    return date_display(getattr(person, f"{prefix}_date")) or "?"


@lru_cache(maxsize=65536)
def _soundex(word: str) -> str:
    # Names repeat a great deal in a tree: code each distinct word once.
    return soundex(word)


@lru_cache(maxsize=65536)
def _normal(text: str) -> str:
    """Return a name or place folded for comparison: no accents, case, GEDCOM slashes or doubled spaces."""
    decomposed = unicodedata.normalize("NFKD", name_part_clean(text or ""))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold().replace("ß", "ss")


# The side-by-side review ------------------------------------------------------------------------------


@dataclass
class MergeSide:
    """One of the two persons with everything attached to them, for the review page."""

    person: Person
    alternate_names: list[PersonName] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    parents_families: list[Family] = field(default_factory=list)
    own_families: list[Family] = field(default_factory=list)
    photos: list[Photo] = field(default_factory=list)
    faces: list[Face] = field(default_factory=list)
    notes: int = 0
    citations: int = 0


@dataclass
class MergeReview:
    """Two persons side by side: each differing field with both values, and what is attached to each."""

    keep: MergeSide
    remove: MergeSide
    fields: list[dict] = field(default_factory=list)
    pedigree_conflicts: list[dict] = field(default_factory=list)
    pair: DuplicatePair | None = None
    private_ids: set[int] = field(default_factory=set)
    """Relatives whose details are hidden from the user (shown as "Living person")."""


REVIEW_FIELDS = (
    ("name", "Name"),
    ("sex", "Sex"),
    ("birth_date", "Birth date"),
    ("birth_place", "Birth place"),
    ("death_date", "Death date"),
    ("death_place", "Death place"),
    ("is_deceased", "Known to have died"),
    ("living_override", "Living (override)"),
    ("is_hypothetical", "Hypothetical"),
    ("ancestry", "Ancestry"),
    ("hair_colour", "Hair colour"),
    ("portrait", "Portrait"),
)


def merge_review(*, access: TreeAccess, keep_id: int, remove_id: int) -> MergeReview:
    """Return two persons side by side for a merge (a fixed number of queries)."""
    access.require(Capability.EDIT)
    if keep_id == remove_id:
        raise InvalidInput("Choose two different persons to merge.")
    rows = {
        p.pk: p
        for p in access.persons_queryset()
        .filter(pk__in=[keep_id, remove_id])
        .select_related("portrait_face__photo")
        .prefetch_related("alternate_names", "events")
    }
    if len(rows) != 2 or any(access.person_hidden(p) for p in rows.values()):
        raise NotFound("No such person in this tree.")
    families = list(
        Family.objects.filter(tree=access.tree)
        .filter(Q(partner1_id__in=rows) | Q(partner2_id__in=rows) | Q(child_links__child_id__in=rows))
        .distinct()
        .select_related("partner1", "partner2")
        .prefetch_related(Prefetch("child_links", queryset=ChildLink.objects.select_related("child")))
    )
    photos = list(
        Photo.objects.filter(Q(persons__in=list(rows)) | Q(faces__person_id__in=list(rows)))
        .distinct()
        .prefetch_related("persons", "faces")
    )
    note_counts = _counts(Person.objects.filter(pk__in=list(rows)), "notes")
    citation_counts = _counts(Person.objects.filter(pk__in=list(rows)), "citations")
    sides = {}
    for pk, person in rows.items():
        events = list(person.events.all())
        for event in events:
            # The timeline's rule: a generic EVEN/FACT is named by its TYPE.
            event.label = (
                event.event_type
                if event.tag in ("EVEN", "FACT") and event.event_type
                else EVENT_LABELS.get(event.tag, event.tag.title())
            )
        side = MergeSide(
            person=person,
            alternate_names=list(person.alternate_names.all()),
            events=events,
            notes=note_counts.get(pk, 0),
            citations=citation_counts.get(pk, 0),
        )
        for family in families:
            if pk in (family.partner1_id, family.partner2_id):
                side.own_families.append(family)
            links = [link for link in family.child_links.all() if link.child_id == pk]
            if links:
                family.pedigree_of = {**getattr(family, "pedigree_of", {}), pk: links[0].pedigree}
                side.parents_families.append(family)
        side.photos = [
            photo
            for photo in photos
            if pk in {p.pk for p in photo.persons.all()} or any(face.person_id == pk for face in photo.faces.all())
        ]
        side.faces = [face for photo in side.photos for face in photo.faces.all() if face.person_id == pk]
        sides[pk] = side
    keep, remove = sides[keep_id], sides[remove_id]
    review = MergeReview(keep=keep, remove=remove, pair=pair_score(keep.person, remove.person))
    relatives = {
        p
        for f in families
        for p in (f.partner1, f.partner2, *(link.child for link in f.child_links.all()))
        if p is not None
    }
    review.private_ids = {p.pk for p in relatives if access.person_hidden(p)}
    defaults = merge_default_choices(keep=keep.person, remove=remove.person)
    for name, label in REVIEW_FIELDS:
        values = (_field_value(keep.person, name), _field_value(remove.person, name))
        review.fields.append(
            {
                "name": name,
                "label": label,
                "keep": values[0],
                "remove": values[1],
                "differs": values[0] != values[1],
                "default": defaults[name],
            }
        )
    for family in keep.parents_families:
        pedigrees = getattr(family, "pedigree_of", {})
        if remove_id in pedigrees and pedigrees[remove_id] != pedigrees[keep_id]:
            review.pedigree_conflicts.append(
                {"family": family, "keep": pedigrees[keep_id], "remove": pedigrees[remove_id]}
            )
    return review


def merge_default_choices(*, keep: Person, remove: Person) -> dict[str, str]:
    """Return, per merge field, "keep" unless only the removed person has it recorded (nothing is lost)."""
    return {name: "remove" if _blank(keep, name) and not _blank(remove, name) else "keep" for name, _ in REVIEW_FIELDS}


def _blank(person: Person, name: str) -> bool:
    if name == "name":
        return not (person.given_names or person.surname)
    if name == "sex":
        return person.sex == "U"
    if name == "portrait":
        return person.portrait_face_id is None
    return getattr(person, name) in ("", None, False)


def _field_value(person: Person, name: str) -> str:
    if name == "name":
        return person.display_name if (person.given_names or person.surname) else ""
    if name == "sex":
        return person.get_sex_display()
    if name in ("is_deceased", "is_hypothetical"):
        return "Yes" if getattr(person, name) else "No"
    if name == "living_override":
        return {None: "Automatic", True: "Living", False: "Not living"}[person.living_override]
    if name in ("ancestry", "hair_colour"):
        return getattr(person, f"get_{name}_display")() if getattr(person, name) else ""
    if name == "portrait":
        return f"Face on “{person.portrait_face.photo}”" if person.portrait_face_id else ""
    if name in ("birth_date", "death_date"):
        return date_display(getattr(person, name))
    return getattr(person, name)


def _counts(persons, relation: str) -> dict[int, int]:
    from django.db.models import Count

    return dict(persons.annotate(n=Count(relation)).values_list("pk", "n"))
