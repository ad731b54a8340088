"""Reads that cross relations: tree lists, person and family pages, the tree chart.

Every function takes a :class:`~cases.access.TreeAccess` so scope and living-person privacy are
applied in one place, and issues a fixed number of queries whatever the size of the tree.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Prefetch, Q, QuerySet

from cases.access import Capability, TreeAccess
from cases.errors import NotFound
from cases.models import AuditEvent, Candidate, ChildLink, Face, Family, GenerationJob, Membership, Person, Photo, Tree

PRIVATE_NAME = "Living person"


def tree_list_for_user(*, user: AbstractBaseUser) -> QuerySet[Tree]:
    """Return the trees a user belongs to (all trees for a superuser)."""
    if user.is_superuser:
        return Tree.objects.all()
    return Tree.objects.filter(memberships__user=user).distinct()


def membership_roles(*, user: AbstractBaseUser) -> dict[int, str]:
    """Return the user's role per tree id."""
    return dict(Membership.objects.filter(user=user).values_list("tree_id", "role"))


def person_queryset(access: TreeAccess) -> QuerySet[Person]:
    """Return the persons a user may know of, with what their cards need joined in."""
    return access.persons_queryset().select_related("portrait_face__photo")


def person_search(access: TreeAccess, *, query: str = "", sex: str = "", surname: str = "") -> QuerySet[Person]:
    """Return persons matching a name search and filters; hidden living persons never match."""
    persons = person_queryset(access)
    if sex or surname:
        persons = persons.filter(access.public_persons_q())
        if sex:
            persons = persons.filter(sex=sex)
        if surname:
            persons = persons.filter(surname__iexact=surname)
    query = query.strip()
    if query:
        persons = persons.filter(access.public_persons_q()).filter(
            Q(given_names__icontains=query) | Q(surname__icontains=query)
            | Q(alternate_names__given_names__icontains=query) | Q(alternate_names__surname__icontains=query)
        ).distinct()
    return persons


def person_get(access: TreeAccess, person_id: int) -> Person:
    """Return one visible person or raise NotFound."""
    person = person_queryset(access).filter(pk=person_id).first()
    if person is None:
        raise NotFound("No such person in this tree.")
    return person


@dataclass
class PersonPage:
    """A person with the records shown around them."""

    person: Person
    private: bool
    parents_families: list[Family] = field(default_factory=list)
    own_families: list[Family] = field(default_factory=list)
    photos: list[Photo] = field(default_factory=list)
    private_ids: set[int] = field(default_factory=set)


def person_page(access: TreeAccess, person_id: int) -> PersonPage:
    """Return a person with their parents' and own families, photos with faces, notes and sources."""
    person = person_get(access, person_id)
    private = access.person_private(person)
    family_qs = _family_queryset(access)
    parents_families = list(family_qs.filter(child_links__child=person).distinct())
    own_families = list(family_qs.filter(Q(partner1=person) | Q(partner2=person)))
    relatives = {p for f in parents_families + own_families for p in _family_persons(f)}
    page = PersonPage(person=person, private=private, parents_families=parents_families,
                      own_families=own_families)
    page.private_ids = {p.pk for p in relatives | {person} if access.person_hidden(p)}
    if not private:
        page.photos = list(
            Photo.objects.filter(Q(persons=person) | Q(faces__person=person)).distinct()
            .prefetch_related(Prefetch("faces", queryset=Face.objects.select_related("person")))
        )
        for photo in page.photos:
            photo.age_of_person = age_on_photo(person, photo)
        person = Person.objects.prefetch_related(
            "alternate_names", "notes", "citations__source").select_related("portrait_face__photo").get(pk=person.pk)
        page.person = person
    return page


@dataclass
class FamilyPage:
    family: Family
    private_ids: set[int]
    jobs: list[GenerationJob] = field(default_factory=list)


def family_page(access: TreeAccess, family_id: int) -> FamilyPage:
    """Return a family with its partners and children, noting which of them are private."""
    family = _family_queryset(access).prefetch_related("notes", "citations__source").filter(pk=family_id).first()
    if family is None:
        raise NotFound("No such family in this tree.")
    access.check_family(family)
    persons = _family_persons(family)
    jobs = list(generation_jobs(access, family_id=family.pk)[:20])
    return FamilyPage(family=family, private_ids={p.pk for p in persons if access.person_hidden(p)}, jobs=jobs)


def photo_get(access: TreeAccess, photo_id: int) -> Photo:
    """Return a photo the user may see; photos showing a private person are hidden too."""
    photo = Photo.objects.filter(tree=access.tree, pk=photo_id).prefetch_related(
        "persons", Prefetch("faces", queryset=Face.objects.select_related("person"))).first()
    if photo is None or photo_hidden(access, photo):
        raise NotFound("No such photo in this tree.")
    return photo


def photo_hidden(access: TreeAccess, photo: Photo) -> bool:
    """Return True when a photo shows a person the user may not see or whose details are private."""
    shown = {p.pk: p for p in photo.persons.all()}
    shown.update({f.person.pk: f.person for f in photo.faces.all() if f.person is not None})
    return any(access.person_hidden(p) for p in shown.values())


def photo_list(access: TreeAccess) -> list[Photo]:
    """Return the tree's photos the user may see."""
    photos = Photo.objects.filter(tree=access.tree).prefetch_related(
        "persons", Prefetch("faces", queryset=Face.objects.select_related("person")))
    return [photo for photo in photos if not photo_hidden(access, photo)]


def age_on_photo(person: Person, photo: Photo) -> str:
    """Return the person's age when the photo was taken ("34" or "33–35"), or "" when unknown."""
    born = (person.birth_date_start, person.birth_date_end)
    taken = (photo.date_taken_start, photo.date_taken_end)
    if None in born or None in taken:
        return ""
    youngest = _years_between(born[1], taken[0])
    oldest = _years_between(born[0], taken[1])
    if oldest < 0:
        return ""
    youngest = max(youngest, 0)
    return str(youngest) if youngest == oldest else f"{youngest}–{oldest}"


def _years_between(start, end) -> int:
    return end.year - start.year - ((end.month, end.day) < (start.month, start.day))


def _family_queryset(access: TreeAccess) -> QuerySet[Family]:
    return Family.objects.filter(tree=access.tree).select_related(
        "partner1__portrait_face__photo", "partner2__portrait_face__photo",
    ).prefetch_related(Prefetch("child_links", queryset=ChildLink.objects.select_related(
        "child__portrait_face__photo")))


def _family_persons(family: Family) -> set[Person]:
    persons = {p for p in (family.partner1, family.partner2) if p is not None}
    persons.update(link.child for link in family.child_links.all())
    return persons


def generation_jobs(access: TreeAccess, *, family_id: str | int | None = None,
                    child_id: str | int | None = None) -> QuerySet[GenerationJob]:
    """Return the tree's generation jobs (newest first) with their candidates."""
    jobs = GenerationJob.objects.filter(tree=access.tree).prefetch_related(
        Prefetch("candidates", queryset=Candidate.objects.select_related("job")))
    # A missing-person case's jobs are case material: only those who may see the case see them.
    jobs = jobs.filter(Q(case_generation__isnull=True) | Q(case_generation__case__in=access.cases_queryset()))
    if family_id:
        jobs = jobs.filter(family_id=int(family_id))
    if child_id:
        jobs = jobs.filter(child_id=int(child_id))
    if access.visible_person_ids is not None:
        ids = access.visible_person_ids
        jobs = jobs.filter(Q(family__partner1__in=ids) | Q(family__partner2__in=ids) | Q(child__in=ids)).distinct()
    if not access.can_see_living:
        # A synthetic child carries its parents' likeness: hidden wherever a parent's details are.
        # Case jobs are governed by case access instead (an auditor of a case sees its material).
        private = Person.objects.filter(tree=access.tree).exclude(access.public_persons_q()).values("pk")
        jobs = jobs.exclude(Q(case_generation__isnull=True)
                            & (Q(family__partner1__in=private) | Q(family__partner2__in=private)))
    return jobs


def generation_job_get(access: TreeAccess, job_id: int) -> GenerationJob:
    """Return one job of the tree the user may see, or raise NotFound."""
    job = generation_jobs(access).filter(pk=job_id).first()
    if job is None:
        raise NotFound("No such generation job.")
    return job


def candidate_get(access: TreeAccess, candidate_id: int) -> Candidate:
    """Return one candidate of a job the user may see, or raise NotFound."""
    candidate = Candidate.objects.select_related("job").filter(job__tree=access.tree, pk=candidate_id).first()
    if candidate is None:
        raise NotFound("No such candidate.")
    generation_job_get(access, candidate.job_id)
    return candidate


def audit_events(access: TreeAccess, *, action: str = "", actor: str = "", object_type: str = "",
                 object_id: str = "", since: str = "", until: str = "") -> QuerySet[AuditEvent]:
    """Return the tree's audit events, filtered; raises InvalidInput for malformed dates."""
    from django.utils.dateparse import parse_date, parse_datetime

    from cases.errors import InvalidInput

    events = AuditEvent.objects.filter(tree_id=access.tree.pk).order_by("pk")
    if not access.can(Capability.VIEW_CASES):
        events = events.exclude(_case_events_q(access))
    if action:
        events = events.filter(action=action)
    if actor:
        events = events.filter(actor_username=actor)
    if object_type:
        events = events.filter(object_type=object_type)
    if object_id:
        events = events.filter(object_id=int(object_id))
    for value, lookup in ((since, "created_at__gte"), (until, "created_at__lte")):
        if value:
            moment = parse_datetime(value) or parse_date(value)
            if moment is None:
                raise InvalidInput(f"“{value}” is not a date (use YYYY-MM-DD).")
            events = events.filter(**{lookup: moment})
    return events


def _case_events_q(access: TreeAccess) -> Q:
    """Return a filter for the audit rows about the tree's missing-person cases, their jobs and candidates."""
    from cases.models import CaseGeneration

    job_ids = CaseGeneration.objects.filter(case__tree=access.tree).values("job_id")
    candidate_ids = Candidate.objects.filter(job__case_generation__case__tree=access.tree).values("pk")
    return (Q(object_type="case") | Q(object_type="generation_job", object_id__in=job_ids)
            | Q(object_type="candidate", object_id__in=candidate_ids))
