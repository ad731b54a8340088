"""The pedigree, descendants, hourglass and fan charts: a focus person's branches, a few generations at a time.

Only the generations asked for are read, one narrow query per generation and direction, so a chart
of a 10,000-person tree costs what a chart of a 50-person tree costs. Each branch end says whether
there is more beyond it; the page fetches that branch later through :func:`chart_branch`.

Who may be seen follows the person pages: persons outside the user's scope are left out, private
persons are drawn as "Living person" with nothing else, and a family's generated candidates sit
beside its real children, never where this user may not see a parent.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from django.db.models import Q

from cases.access import TreeAccess
from cases.models import ChildLink, Family
from cases.selectors.chart import (
    ChartGenerated,
    ChartNode,
    chart_families_with_candidates,
    chart_generated_fill,
    chart_node,
)
from cases.selectors.trees import person_get, person_queryset

MAX_GENERATIONS = 6  # per direction on first paint: 2**6 ancestors is the most a fan chart can still label
MAX_BRANCH_GENERATIONS = 3  # per lazy fetch


class ChartKind(StrEnum):
    PEDIGREE = "pedigree"
    DESCENDANTS = "descendants"
    HOURGLASS = "hourglass"
    FAN = "fan"


# Generations drawn on first paint, (ancestors, descendants), when the address does not say.
DEFAULT_GENERATIONS = {
    ChartKind.PEDIGREE: (3, 0),
    ChartKind.DESCENDANTS: (0, 3),
    ChartKind.HOURGLASS: (3, 2),
    ChartKind.FAN: (4, 0),
}


@dataclass
class BranchFamily:
    """One family of a person on the descendants side: the other partner, the children, the candidates."""

    family_id: int
    partner: BranchPerson | None
    children: list[BranchPerson] = field(default_factory=list)
    generated: ChartGenerated | None = None


@dataclass
class BranchPerson:
    """A person on the chart; ``parents`` / ``families`` are None where the branch is not loaded yet."""

    node: ChartNode
    parents: list[BranchPerson] | None = None
    families: list[BranchFamily] | None = None
    more_parents: bool = False
    more_children: bool = False
    # The candidates generated for this person's parents: they stand beside the person, as siblings would.
    sibling_generated: ChartGenerated | None = None


def chart_generations(*, kind: ChartKind, up: int | None, down: int | None) -> tuple[int, int]:
    """Return the (ancestor, descendant) generations a chart of ``kind`` draws first: asked for, or its default."""
    default_up, default_down = DEFAULT_GENERATIONS[kind]
    up = (default_up if up is None else up) if kind != ChartKind.DESCENDANTS else 0
    down = (default_down if down is None else down) if kind in (ChartKind.DESCENDANTS, ChartKind.HOURGLASS) else 0
    return _clamp(up, MAX_GENERATIONS), _clamp(down, MAX_GENERATIONS)


def chart_tree(*, access: TreeAccess, focus_id: int, up: int, down: int) -> BranchPerson:
    """Return the focus person with ``up`` generations of ancestors and ``down`` of descendants."""
    focus = person_get(access=access, person_id=focus_id)
    return _Reader(access).build(
        focus.pk, up=_clamp(up, MAX_GENERATIONS), down=_clamp(down, MAX_GENERATIONS), is_focus=True
    )


def chart_branch(*, access: TreeAccess, person_id: int, direction: str, generations: int) -> BranchPerson:
    """Return one person with the next ``generations`` of their ancestors (``up``) or descendants (``down``)."""
    person = person_get(access=access, person_id=person_id)
    depth = max(1, _clamp(generations, MAX_BRANCH_GENERATIONS))
    if direction == "up":
        return _Reader(access).build(person.pk, up=depth, down=-1)
    return _Reader(access).build(person.pk, up=-1, down=depth)


def _clamp(value: int, most: int) -> int:
    return max(0, min(value, most))


class _Reader:
    """Reads the relations generation by generation and assembles the branches."""

    def __init__(self, access: TreeAccess) -> None:
        self.access = access
        self.visible = access.visible_person_ids
        self.birth: dict[int, tuple[int, list[int]]] = {}  # child -> (birth family, its visible partners)
        self.families: dict[int, list[tuple[int, int | None]]] = {}  # person -> [(family, other partner)]
        self.children: dict[int, list[int]] = {}  # family -> visible children in recorded order
        self.partners: dict[int, list[int]] = {}  # family -> its partners

    def seen(self, person_id: int | None) -> bool:
        return person_id is not None and (self.visible is None or person_id in self.visible)

    def read_parents(self, ids: set[int]) -> set[int]:
        """Read each person's birth family (the first listing them, as the family graph does); return the parents."""
        ids = ids - self.birth.keys()
        links = (
            ChildLink.objects.filter(child_id__in=ids)
            .order_by("child_id", "family_id", "order", "pk")
            .values_list("child_id", "family_id", "family__partner1_id", "family__partner2_id")
        )
        for child, family_id, first, second in links:
            if child not in self.birth:
                self.partners[family_id] = [p for p in (first, second) if p]
                self.birth[child] = (family_id, [p for p in (first, second) if self.seen(p)])
        return {p for child in ids if child in self.birth for p in self.birth[child][1]}

    def read_families(self, ids: set[int]) -> set[int]:
        """Read the families each person is a partner in and their children; return the children."""
        ids = ids - self.families.keys()
        rows = (
            Family.objects.filter(Q(partner1_id__in=ids) | Q(partner2_id__in=ids))
            .order_by("pk")
            .values_list("pk", "partner1_id", "partner2_id")
        )
        new = []
        for family_id, first, second in rows:
            self.partners[family_id] = [p for p in (first, second) if p]
            new.append(family_id)
            for person, other in ((first, second), (second, first)):
                if person in ids:
                    self.families.setdefault(person, []).append((family_id, other if self.seen(other) else None))
        for person in ids:
            self.families.setdefault(person, [])
        links = ChildLink.objects.filter(family_id__in=new).order_by("family_id", "order", "pk")
        for family_id, child in links.values_list("family_id", "child_id"):
            if self.seen(child):
                self.children.setdefault(family_id, []).append(child)
        return {c for f in new for c in self.children.get(f, [])}

    def build(self, root: int, *, up: int, down: int, is_focus: bool = False) -> BranchPerson:
        # One more generation is read than drawn in each direction: it tells whether a branch end has more.
        frontier = {root}
        for _ in range(up + 1):
            frontier = self.read_parents(frontier)
        frontier, partners = {root}, set()
        for level in range(down + 1):
            children = self.read_families(frontier)
            if level < down:
                partners |= {other for pid in frontier for _, other in self.families[pid] if other}
            frontier = children
        wanted = self._drawn(root, up, down) | partners
        self.persons = {p.pk: p for p in person_queryset(access=self.access).filter(pk__in=wanted)}
        self.generated_families = chart_families_with_candidates(self.access)
        self.groups: list[ChartGenerated] = []
        branch = self._person(root, up=up, down=down, level=0, path=frozenset(), is_focus=is_focus)
        chart_generated_fill(self.access, self.groups)
        return branch

    def _drawn(self, root: int, up: int, down: int) -> set[int]:
        ids, frontier = {root}, {root}
        for _ in range(up):
            frontier = {p for c in frontier if c in self.birth for p in self.birth[c][1]}
            ids |= frontier
        frontier = {root}
        for _ in range(down):
            frontier = {c for p in frontier for f, _ in self.families.get(p, []) for c in self.children.get(f, [])}
            ids |= frontier
        return ids

    def _person(
        self, pid: int, *, up: int, down: int, level: int, path: frozenset[int], is_focus: bool = False
    ) -> BranchPerson | None:
        person = self.persons.get(pid)
        if person is None or pid in path:  # out of scope, or a loop in bad data
            return None
        path = path | {pid}
        branch = BranchPerson(node=chart_node(self.access, person, level, is_focus))
        family_id, parents = self.birth.get(pid, (None, []))
        branch.more_parents = up == 0 and bool(parents)
        if up > 0:
            branch.parents = [
                b for p in parents if (b := self._person(p, up=up - 1, down=-1, level=level - 1, path=path))
            ]
            branch.sibling_generated = self._generated(family_id)
        owned = self.families.get(pid, [])
        branch.more_children = down == 0 and any(self.children.get(f) for f, _ in owned)
        if down > 0:
            branch.families = []
            for family_id, other in owned:
                partner = self._person(other, up=-1, down=-1, level=level, path=path) if other else None
                children = [
                    b
                    for c in self.children.get(family_id, [])
                    if (b := self._person(c, up=-1, down=down - 1, level=level + 1, path=path))
                ]
                branch.families.append(
                    BranchFamily(
                        family_id=family_id, partner=partner, children=children, generated=self._generated(family_id)
                    )
                )
        return branch

    def _generated(self, family_id: int | None) -> ChartGenerated | None:
        if family_id not in self.generated_families:
            return None
        partners = self.partners.get(family_id, [])
        # A synthetic face carries its parents' likeness: none where this user may not see a parent's details.
        if any(p not in self.persons or self.access.person_private(self.persons[p]) for p in partners):
            return None
        group = ChartGenerated(family_id=family_id, parent_ids=partners)
        self.groups.append(group)
        return group
