"""Who may do what in a tree: roles, capabilities, living-person privacy and relative scopes."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from enum import Enum
from functools import cached_property

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Q
from django.utils import timezone

from cases.errors import NotFound, PermissionDenied
from cases.models import Case, ChildLink, Family, Membership, Person, Role, Tree
from cases.models.trees import tree_in_use_add


class Capability(str, Enum):
    VIEW = "view"
    EDIT = "edit"
    MANAGE_MEMBERS = "manage_members"
    GENERATE = "generate"
    VIEW_CASES = "view_cases"
    VIEW_AUDIT = "view_audit"
    WORK_CASES = "work_cases"


ROLE_CAPABILITIES: dict[str, frozenset[Capability]] = {
    Role.OWNER: frozenset(
        {Capability.VIEW, Capability.EDIT, Capability.MANAGE_MEMBERS, Capability.GENERATE, Capability.VIEW_AUDIT}
    ),
    Role.EDITOR: frozenset({Capability.VIEW, Capability.EDIT, Capability.GENERATE}),
    Role.VIEWER: frozenset({Capability.VIEW}),
    Role.CASEWORKER: frozenset({Capability.VIEW, Capability.GENERATE, Capability.VIEW_CASES, Capability.WORK_CASES}),
    Role.AUDITOR: frozenset({Capability.VIEW, Capability.VIEW_CASES, Capability.VIEW_AUDIT}),
}

ROLE_SEES_LIVING: dict[str, bool] = {
    Role.OWNER: True,
    Role.EDITOR: True,
    Role.CASEWORKER: True,
    Role.VIEWER: False,
    Role.AUDITOR: False,
}
"""Default for :attr:`Membership.can_see_living` when the membership leaves it empty."""


def living_q(*, age_limit: int, today: datetime.date | None = None) -> Q:
    """Return a filter matching persons presumed living (the SQL form of :func:`person_is_living`)."""
    today = today or timezone.localdate()
    automatic = (
        Q(living_override__isnull=True)
        & Q(is_deceased=False)
        & Q(death_date="")
        & Q(death_date_start__isnull=True)
        & (Q(estimated_birth_year__isnull=True) | Q(estimated_birth_year__gte=today.year - age_limit))
    )
    return Q(living_override=True) | automatic


def person_is_living(person: Person, *, age_limit: int, today: datetime.date | None = None) -> bool:
    """Return whether a person is presumed living: no death recorded and not too old to be alive."""
    if person.living_override is not None:
        return person.living_override
    if person.is_deceased or person.death_date or person.death_date_start:
        return False
    if person.estimated_birth_year is None:
        return True
    today = today or timezone.localdate()
    return today.year - person.estimated_birth_year <= age_limit


@dataclass
class TreeAccess:
    """One user's rights in one tree, computed once per request."""

    tree: Tree
    user: AbstractBaseUser
    role: str
    capabilities: frozenset[Capability]
    can_see_living: bool
    scope_person_id: int | None = None
    scope_depth: int | None = None
    _today: datetime.date = field(default_factory=timezone.localdate)

    def __post_init__(self) -> None:
        # Persons shown under this access name themselves in the tree's format without loading it again.
        tree_in_use_add(self.tree)

    def can(self, capability: Capability) -> bool:
        return capability in self.capabilities

    def require(self, capability: Capability) -> None:
        """Raise PermissionDenied unless the user has ``capability`` in this tree."""
        if not self.can(capability):
            raise PermissionDenied("Your role in this tree does not allow that.")

    @cached_property
    def visible_person_ids(self) -> frozenset[int] | None:
        """Return the persons a scoped membership may see, or None when it sees the whole tree."""
        if self.scope_person_id is None:
            return None
        return frozenset(relatives_within(self.tree.pk, self.scope_person_id, self.scope_depth or 0))

    def person_visible(self, person_id: int) -> bool:
        ids = self.visible_person_ids
        return ids is None or person_id in ids

    def check_person(self, person: Person) -> None:
        """Raise NotFound unless the person is in this tree and within the user's scope."""
        if person.tree_id != self.tree.pk or not self.person_visible(person.pk):
            raise NotFound("No such person in this tree.")

    def check_family(self, family: Family) -> None:
        """Raise NotFound unless the family is in this tree and touches the user's scope."""
        if family.tree_id != self.tree.pk:
            raise NotFound("No such family in this tree.")
        if self.visible_person_ids is None:
            return
        members = {family.partner1_id, family.partner2_id}
        members.update(ChildLink.objects.filter(family=family).values_list("child_id", flat=True))
        if not members & self.visible_person_ids:
            raise NotFound("No such family in this tree.")

    def person_private(self, person: Person) -> bool:
        """Return True when the person's details and photos must be hidden from this user."""
        if self.can_see_living:
            return False
        return person_is_living(person, age_limit=self.tree.effective_living_age_limit, today=self._today)

    def person_hidden(self, person: Person) -> bool:
        """Return True when the user may not see this person's details (out of scope or private)."""
        return not self.person_visible(person.pk) or self.person_private(person)

    def family_dates_hidden(self, family: Family) -> bool:
        """Return True when a family's union dates must be hidden: a partner is shown as "Living person".

        A union date dates the living partners' lives (and often their ages), so it is theirs to hide.
        """
        return any(
            partner is not None and self.person_hidden(partner) for partner in (family.partner1, family.partner2)
        )

    def persons_queryset(self):
        """Return the tree's persons this user may know exist (details may still be private)."""
        queryset = Person.objects.filter(tree=self.tree)
        if self.visible_person_ids is not None:
            queryset = queryset.filter(pk__in=self.visible_person_ids)
        return queryset

    def cases_queryset(self):
        """Return the cases this user may see: auditors see the tree's, caseworkers those assigned to them."""
        queryset = Case.objects.filter(tree=self.tree)
        if self.role == Role.AUDITOR:
            return queryset
        if self.can(Capability.WORK_CASES):
            return queryset.filter(caseworkers=self.user)
        return queryset.none()

    def check_case(self, case: Case) -> None:
        """Raise NotFound unless the user may see this case (genealogist roles never learn it exists)."""
        if case.tree_id != self.tree.pk or not self.can(Capability.VIEW_CASES):
            raise NotFound("No such case in this tree.")
        if self.role != Role.AUDITOR and not case.caseworkers.filter(pk=self.user.pk).exists():
            raise NotFound("No such case in this tree.")

    def require_case_work(self, case: Case) -> None:
        """Raise NotFound when the case is hidden, PermissionDenied unless the user is assigned to it."""
        self.check_case(case)
        if not self.can(Capability.WORK_CASES):
            raise PermissionDenied("Only caseworkers assigned to this case may change it.")

    def public_persons_q(self) -> Q:
        """Return a filter for persons whose details this user may see (for search)."""
        if self.can_see_living:
            return Q()
        return ~living_q(age_limit=self.tree.effective_living_age_limit, today=self._today)


def tree_access_get(*, user: AbstractBaseUser | AnonymousUser, tree_id: int) -> TreeAccess:
    """Return the user's access to a tree; NotFound when they are not a member (no existence leak)."""
    if not user.is_authenticated:
        raise NotFound("No such tree.")
    tree = Tree.objects.filter(pk=tree_id).first()
    if tree is None:
        raise NotFound("No such tree.")
    if user.is_superuser:
        return TreeAccess(
            tree=tree, user=user, role=Role.OWNER, capabilities=ROLE_CAPABILITIES[Role.OWNER], can_see_living=True
        )
    membership = Membership.objects.filter(tree=tree, user=user).first()
    if membership is None:
        raise NotFound("No such tree.")
    sees_living = membership.can_see_living
    if sees_living is None:
        sees_living = ROLE_SEES_LIVING[membership.role]
    return TreeAccess(
        tree=tree,
        user=user,
        role=membership.role,
        capabilities=ROLE_CAPABILITIES[membership.role],
        can_see_living=sees_living,
        scope_person_id=membership.scope_person_id,
        scope_depth=membership.scope_depth,
    )


def relatives_within(tree_id: int, person_id: int, depth: int) -> set[int]:
    """Return ids of persons at most ``depth`` parent/child/partner steps from ``person_id``."""
    from cases.family_graph import family_graph

    return family_graph(tree_id).within(person_id, depth)
