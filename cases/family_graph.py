"""The tree's relationship graph (partners, parents, children), read in two narrow queries.

One builder serves the relatives scope, the birth-year estimates, the own-ancestor check and the
chart, so the query count of each stays fixed whatever the size of the tree.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field

from cases.models import ChildLink, Family


@dataclass
class FamilyGraph:
    """Person ids mapped to their partners, parents and children (children in recorded order)."""

    partners: dict[int, list[int]] = field(default_factory=dict)
    parents: dict[int, list[int]] = field(default_factory=dict)
    children: dict[int, list[int]] = field(default_factory=dict)
    families: dict[int, list[int]] = field(default_factory=dict)  # person -> families they are a partner in
    family_partners: dict[int, list[int]] = field(default_factory=dict)  # family -> its partners
    birth_family: dict[int, int] = field(default_factory=dict)  # child -> the first family listing them

    def neighbours(self, person_id: int) -> list[int]:
        return self.partners.get(person_id, []) + self.parents.get(person_id, []) + self.children.get(person_id, [])

    def within(self, person_id: int, depth: int) -> set[int]:
        """Return the persons at most ``depth`` parent/child/partner steps away (the person included)."""
        seen = {person_id}
        frontier = deque([(person_id, 0)])
        while frontier:
            current, distance = frontier.popleft()
            if distance == depth:
                continue
            for other in self.neighbours(current):
                if other not in seen:
                    seen.add(other)
                    frontier.append((other, distance + 1))
        return seen

    def descendants(self, person_id: int) -> set[int]:
        """Return everyone descended from ``person_id``, and the person."""
        seen = {person_id}
        stack = [person_id]
        while stack:
            for child in self.children.get(stack.pop(), []):
                if child not in seen:
                    seen.add(child)
                    stack.append(child)
        return seen


def family_graph(tree_id: int) -> FamilyGraph:
    """Return the tree's relationship graph."""
    graph = FamilyGraph()
    partners = graph.family_partners
    for fid, p1, p2 in Family.objects.filter(tree_id=tree_id).values_list("pk", "partner1_id", "partner2_id"):
        partners[fid] = [p for p in (p1, p2) if p]
        for partner in partners[fid]:
            graph.families.setdefault(partner, []).append(fid)
        if p1 and p2:
            _add(graph.partners, p1, p2)
            _add(graph.partners, p2, p1)
    links = ChildLink.objects.filter(family__tree_id=tree_id).order_by("family_id", "order", "pk")
    for fid, child in links.values_list("family_id", "child_id"):
        graph.birth_family.setdefault(child, fid)
        for parent in partners.get(fid, []):
            _add(graph.parents, child, parent)
            _add(graph.children, parent, child)
    return graph


def _add(mapping: dict[int, list[int]], key: int, value: int) -> None:
    values = mapping.setdefault(key, [])
    if value not in values:
        values.append(value)
