"""The tree chart around a focus person: ancestors above, descendants below, laid out in rows.

The relationship graph of the whole tree is read as two narrow value lists, then only the
persons on the chart are fetched, so the query count does not grow with the tree.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from cases.access import TreeAccess
from cases.models import ChildLink, Family, Person
from cases.selectors import PRIVATE_NAME, person_get, person_queryset

NODE_WIDTH = 180
NODE_HEIGHT = 64
H_GAP = 24
V_GAP = 70


@dataclass
class ChartNode:
    person_id: int
    generation: int
    x: float = 0.0
    y: float = 0.0
    name: str = ""
    years: str = ""
    sex: str = "U"
    private: bool = False
    hypothetical: bool = False
    thumbnail_photo_id: int | None = None
    is_focus: bool = False


@dataclass
class ChartEdge:
    parent_id: int
    child_id: int
    kind: str = "child"  # "child" or "partner"


@dataclass
class Chart:
    focus_id: int
    nodes: list[ChartNode] = field(default_factory=list)
    edges: list[ChartEdge] = field(default_factory=list)
    width: float = 0.0
    height: float = 0.0


@dataclass
class _Graph:
    parents: dict[int, list[int]] = field(default_factory=dict)
    children: dict[int, list[int]] = field(default_factory=dict)
    partners: dict[int, list[int]] = field(default_factory=dict)


def tree_chart(access: TreeAccess, *, focus_id: int, up: int = 3, down: int = 3) -> Chart:
    """Return the laid-out chart of ``up`` ancestor and ``down`` descendant generations."""
    focus = person_get(access, focus_id)
    graph = _graph(access.tree.pk)
    visible = access.visible_person_ids
    rows: dict[int, list[int]] = {0: [focus.pk]}
    placed = {focus.pk}
    edges: list[ChartEdge] = []

    def keep(pid: int) -> bool:
        return (visible is None or pid in visible) and pid not in placed

    generation = [focus.pk]
    for level in range(1, up + 1):
        nxt = []
        for child in generation:
            for parent in graph.parents.get(child, []):
                edges.append(ChartEdge(parent, child))
                if keep(parent):
                    placed.add(parent)
                    nxt.append(parent)
        if not nxt:
            break
        rows[-level] = nxt
        generation = nxt
    for partner in graph.partners.get(focus.pk, []):
        if keep(partner):
            placed.add(partner)
            rows[0].append(partner)
            edges.append(ChartEdge(focus.pk, partner, "partner"))
    generation = list(rows[0])
    for level in range(1, down + 1):
        nxt = []
        for parent in generation:
            for child in graph.children.get(parent, []):
                edges.append(ChartEdge(parent, child))
                if keep(child):
                    placed.add(child)
                    nxt.append(child)
                    for partner in graph.partners.get(child, []):
                        if keep(partner):
                            placed.add(partner)
                            nxt.append(partner)
                            edges.append(ChartEdge(child, partner, "partner"))
        if not nxt:
            break
        rows[level] = nxt
        generation = nxt

    persons = {p.pk: p for p in person_queryset(access).filter(pk__in=placed)}
    chart = Chart(focus_id=focus.pk)
    widest = max(len(r) for r in rows.values())
    chart.width = widest * (NODE_WIDTH + H_GAP) + H_GAP
    top = min(rows)
    for level, ids in sorted(rows.items()):
        offset = (chart.width - len(ids) * (NODE_WIDTH + H_GAP) + H_GAP) / 2
        for index, pid in enumerate(ids):
            person = persons.get(pid)
            if person is None:
                continue
            chart.nodes.append(_node(access, person, level, offset + index * (NODE_WIDTH + H_GAP),
                                     H_GAP + (level - top) * (NODE_HEIGHT + V_GAP), pid == focus.pk))
    chart.height = (max(rows) - top + 1) * (NODE_HEIGHT + V_GAP)
    on_chart = {n.person_id for n in chart.nodes}
    chart.edges = [e for e in edges if e.parent_id in on_chart and e.child_id in on_chart]
    return chart


def _node(access: TreeAccess, person: Person, level: int, x: float, y: float, is_focus: bool) -> ChartNode:
    node = ChartNode(person_id=person.pk, generation=level, x=x, y=y, is_focus=is_focus,
                     hypothetical=person.is_hypothetical)
    if access.person_private(person):
        node.name, node.private = PRIVATE_NAME, True
        return node
    node.name = person.display_name
    node.sex = person.sex
    years = [str(d.year) if d else "" for d in (person.birth_date_start or person.birth_date_end,
                                                 person.death_date_start or person.death_date_end)]
    node.years = "–".join(years) if any(years) else ""
    if person.portrait_face_id:
        node.thumbnail_photo_id = person.portrait_face.photo_id
    return node


def _graph(tree_id: int) -> _Graph:
    graph = _Graph()
    partners = {}
    for fid, p1, p2 in Family.objects.filter(tree_id=tree_id).values_list("pk", "partner1_id", "partner2_id"):
        partners[fid] = [p for p in (p1, p2) if p]
        if p1 and p2:
            graph.partners.setdefault(p1, []).append(p2)
            graph.partners.setdefault(p2, []).append(p1)
    for fid, child in ChildLink.objects.filter(family__tree_id=tree_id).order_by("family_id", "order").values_list(
            "family_id", "child_id"):
        for parent in partners.get(fid, []):
            graph.parents.setdefault(child, []).append(parent)
            graph.children.setdefault(parent, []).append(child)
    return graph
