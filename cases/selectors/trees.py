"""Reads of a tree's records: tree lists, persons, person and family pages, photos.

Every function takes a :class:`~cases.access.TreeAccess` so scope and living-person privacy are
applied in one place, and issues a fixed number of queries whatever the size of the tree.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Prefetch, Q, QuerySet

from cases.access import Capability, TreeAccess
from cases.errors import NotFound
from cases.models import ChildLink, Citation, Face, Family, GenerationJob, Membership, Person, Photo, Tree
from cases.selectors.ages import age_on_photo
from cases.selectors.generation import ParentHairColour, generation_jobs, generation_parent_hair_colours
from cases.selectors.timeline import MediaReference, TimelineEvent, person_media_references, person_timeline

PRIVATE_NAME = "Living person"


def tree_list_for_user(*, user: AbstractBaseUser) -> QuerySet[Tree]:
    """Return the trees a user belongs to (all trees for a superuser)."""
    if user.is_superuser:
        return Tree.objects.all()
    return Tree.objects.filter(memberships__user=user).distinct()


def membership_roles(*, user: AbstractBaseUser) -> dict[int, str]:
    """Return the user's role per tree id."""
    return dict(Membership.objects.filter(user=user).values_list("tree_id", "role"))


def membership_list(*, access: TreeAccess) -> QuerySet[Membership]:
    """Return the tree's members with their users and scope persons (for those who manage members)."""
    access.require(Capability.MANAGE_MEMBERS)
    return Membership.objects.filter(tree=access.tree).select_related("user", "scope_person").order_by("user__username")


def person_queryset(*, access: TreeAccess) -> QuerySet[Person]:
    """Return the persons a user may know of, with what their cards need joined in."""
    return access.persons_queryset().select_related("portrait_face__photo")


def person_get(*, access: TreeAccess, person_id: int) -> Person:
    """Return one visible person or raise NotFound."""
    person = person_queryset(access=access).filter(pk=person_id).first()
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
    timeline: list[TimelineEvent] = field(default_factory=list)
    media_references: list[MediaReference] = field(default_factory=list)

    @property
    def siblings(self) -> list[Person]:
        """Return the other children of the person's parents' families, in recorded order."""
        seen: dict[int, Person] = {}
        for family in self.parents_families:
            for link in family.child_links.all():
                if link.child_id != self.person.pk:
                    seen.setdefault(link.child_id, link.child)
        return list(seen.values())


def person_page(*, access: TreeAccess, person_id: int) -> PersonPage:
    """Return a person with their parents' and own families, photos with faces, notes and sources."""
    person = person_get(access=access, person_id=person_id)
    private = access.person_private(person)
    family_qs = _family_queryset(access)
    parents_families = list(family_qs.filter(child_links__child=person).distinct())
    own_families = list(family_qs.filter(Q(partner1=person) | Q(partner2=person)))
    relatives = {p for f in parents_families + own_families for p in _family_persons(f)}
    page = PersonPage(person=person, private=private, parents_families=parents_families, own_families=own_families)
    page.private_ids = {p.pk for p in relatives | {person} if access.person_hidden(p)}
    for family in parents_families + own_families:
        family.dates_hidden = access.family_dates_hidden(family)
    if not private:
        page.photos = list(
            Photo.objects.filter(Q(persons=person) | Q(faces__person=person))
            .distinct()
            .prefetch_related(Prefetch("faces", queryset=Face.objects.select_related("person")))
        )
        for photo in page.photos:
            photo.age_of_person = age_on_photo(person=person, photo=photo)
        # Citations of one event or fact are shown beside it on the timeline; here only the whole record's.
        whole_record = Citation.objects.filter(event=None, fact="").select_related("source")
        person = (
            Person.objects.prefetch_related(
                "alternate_names",
                "notes",
                Prefetch("citations", queryset=whole_record),
            )
            .select_related("portrait_face__photo")
            .get(pk=person.pk)
        )
        page.person = person
        # A family event belongs to both partners: hide it when the other partner is hidden.
        open_families = [
            f for f in own_families if not ({f.partner1_id, f.partner2_id} - {person.pk, None}) & page.private_ids
        ]
        page.timeline = person_timeline(person=person, families=open_families)
        page.media_references = person_media_references(person=person)
    return page


@dataclass
class FamilyPage:
    family: Family
    private_ids: set[int]
    jobs: list[GenerationJob] = field(default_factory=list)
    dates_hidden: bool = False
    hidden_jobs: int = 0
    """Jobs on the family the user may not see because a parent's details are private (never case jobs)."""
    hair_colours: list[ParentHairColour] = field(default_factory=list)
    """Where generated children's hair colour comes from, per parent (first parent first)."""

    @property
    def hair_read_from_photo(self) -> bool:
        """Whether a parent's hair colour the user may see is read from their photo, not stated."""
        return any(not (parent.hidden or parent.stated) for parent in self.hair_colours)


def family_page(*, access: TreeAccess, family_id: int) -> FamilyPage:
    """Return a family with its partners and children, noting which of them are private."""
    citations = Prefetch("citations", queryset=Citation.objects.select_related("source", "event"))
    family = _family_queryset(access).prefetch_related("notes", citations).filter(pk=family_id).first()
    if family is None:
        raise NotFound("No such family in this tree.")
    access.check_family(family)
    persons = _family_persons(family)
    jobs = list(generation_jobs(access=access, family_id=family.pk)[:20])
    hidden_jobs = 0
    if not jobs:
        # Say what is true ("hidden from you"), not "none yet"; case jobs are not counted, so a page never
        # reveals a case to someone who may not see it.
        hidden_jobs = GenerationJob.objects.filter(
            tree=access.tree, family=family, case_generation__isnull=True
        ).count()
    return FamilyPage(
        family=family,
        private_ids={p.pk for p in persons if access.person_hidden(p)},
        jobs=jobs,
        hidden_jobs=hidden_jobs,
        dates_hidden=access.family_dates_hidden(family),
        hair_colours=generation_parent_hair_colours(access=access, family=family),
    )


def photo_get(*, access: TreeAccess, photo_id: int) -> Photo:
    """Return a photo the user may see; photos showing a private person are hidden too."""
    photo = (
        Photo.objects.filter(tree=access.tree, pk=photo_id)
        .prefetch_related("persons", Prefetch("faces", queryset=Face.objects.select_related("person")))
        .first()
    )
    if photo is None or photo_hidden(access=access, photo=photo):
        raise NotFound("No such photo in this tree.")
    return photo


def photo_hidden(*, access: TreeAccess, photo: Photo) -> bool:
    """Return True when a photo shows a person the user may not see or whose details are private."""
    shown = {p.pk: p for p in photo.persons.all()}
    shown.update({f.person.pk: f.person for f in photo.faces.all() if f.person is not None})
    return any(access.person_hidden(p) for p in shown.values())


def photo_list(*, access: TreeAccess) -> list[Photo]:
    """Return the tree's photos the user may see."""
    photos = Photo.objects.filter(tree=access.tree).prefetch_related(
        "persons", Prefetch("faces", queryset=Face.objects.select_related("person"))
    )
    return [photo for photo in photos if not photo_hidden(access=access, photo=photo)]


def _family_queryset(access: TreeAccess) -> QuerySet[Family]:
    return (
        Family.objects.filter(tree=access.tree)
        .select_related(
            "partner1__portrait_face__photo",
            "partner2__portrait_face__photo",
        )
        .prefetch_related(
            Prefetch("child_links", queryset=ChildLink.objects.select_related("child__portrait_face__photo"))
        )
    )


def _family_persons(family: Family) -> set[Person]:
    persons = {p for p in (family.partner1, family.partner2) if p is not None}
    persons.update(link.child for link in family.child_links.all())
    return persons
