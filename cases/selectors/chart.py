"""The tree chart around a focus person: who is on it (ancestors above, descendants below), by row.

The rows are placed on the page by :func:`cases.chart_layout.rows_layout`, a pure function.

The relationship graph of the whole tree is read as two narrow value lists, then only the
persons on the chart are fetched, so the query count does not grow with the tree. A family with
generated candidates gets one extra slot in its children's row, beside the real children, holding
thumbnails of its latest finished job (two more narrow queries, whatever the tree size).
"""

from __future__ import annotations

from cases.access import TreeAccess
from cases.chart_layout import GENERATED_THUMBNAILS, Chart, ChartEdge, ChartGenerated, ChartNode, rows_layout
from cases.family_graph import family_graph
from cases.genealogy.dates import date_display_year
from cases.models import Candidate, Person
from cases.models.generation import JobState
from cases.selectors.generation import generation_jobs
from cases.selectors.trees import PRIVATE_NAME, person_get, person_queryset


def tree_chart(*, access: TreeAccess, focus_id: int, up: int = 3, down: int = 3) -> Chart:
    """Return the laid-out chart of ``up`` ancestor and ``down`` descendant generations."""
    focus = person_get(access=access, person_id=focus_id)
    graph = family_graph(access.tree.pk)
    visible = access.visible_person_ids
    rows: dict[int, list[int]] = {0: [focus.pk]}
    placed = {focus.pk}
    edges: list[ChartEdge] = []

    def keep(pid: int) -> bool:
        return (visible is None or pid in visible) and pid not in placed

    def generated_slot(family_id: int | None) -> list[int]:
        # Families are keyed by their negated id in the rows, so a slot never collides with a person.
        partners = graph.family_partners.get(family_id or 0, [])
        if family_id not in generated or -family_id in placed or not all(keep(p) or p in placed for p in partners):
            return []
        placed.add(-family_id)
        return [-family_id]

    generated = chart_families_with_candidates(access)
    pending: dict[int, list[int]] = {}
    generation = [focus.pk]
    for level in range(1, up + 1):
        nxt = []
        for child in generation:
            pending.setdefault(1 - level, []).extend(generated_slot(graph.birth_family.get(child)))
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
    for level, slots in pending.items():
        rows[level].extend(slots)
    generation = [pid for pid in rows[0] if pid > 0]
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
            for family_id in graph.families.get(parent, []):
                nxt.extend(generated_slot(family_id))
        if not nxt:
            break
        rows[level] = nxt
        generation = [pid for pid in nxt if pid > 0]

    persons = {p.pk: p for p in person_queryset(access=access).filter(pk__in=placed)}
    # A synthetic face carries its parents' likeness: no group where this user may not see a parent's details.
    rows = {level: [pid for pid in ids if pid > 0 or not any(
        p not in persons or access.person_private(persons[p]) for p in graph.family_partners[-pid])]
        for level, ids in rows.items()}
    layout = rows_layout(rows)
    chart = Chart(focus_id=focus.pk, width=layout.width, height=layout.height)
    for level, ids in sorted(rows.items()):
        for pid in ids:
            x, y = layout.positions[pid]
            if pid < 0:
                chart.generated.append(ChartGenerated(family_id=-pid, parent_ids=graph.family_partners[-pid], x=x, y=y))
                continue
            person = persons.get(pid)
            if person is None:
                continue
            chart.nodes.append(chart_node(access, person, level, x, y, pid == focus.pk))
    on_chart = {n.person_id for n in chart.nodes}
    chart.edges = [e for e in edges if e.parent_id in on_chart and e.child_id in on_chart]
    for group in chart.generated:
        group.parent_ids = [p for p in group.parent_ids if p in on_chart]
    chart_generated_fill(access, chart.generated)
    return chart


def chart_node(access: TreeAccess, person: Person, level: int, x: float, y: float, is_focus: bool) -> ChartNode:
    """Return one person's chart box: readable years and portrait, or only "Living person" when private."""
    node = ChartNode(person_id=person.pk, generation=level, x=x, y=y, is_focus=is_focus,
                     hypothetical=person.is_hypothetical)
    if access.person_private(person):
        node.name, node.private = PRIVATE_NAME, True
        return node
    node.name = person.display_name
    node.sex = person.sex
    # The same reading as the person page: "AFT 1985" is "aft. 1985", never the first day it allows.
    born, died = date_display_year(person.birth_date), date_display_year(person.death_date)
    # "1850–1901", but "c. 1850 – aft. 1901": a spaced dash where either side is already a phrase or range.
    dash = " – " if " " in born + died or "–" in born + died else "–"
    node.years = f"{born}{dash}{died}" if born and died else f"b. {born}" if born else f"d. {died}" if died else ""
    if person.portrait_face_id:
        node.thumbnail_photo_id = person.portrait_face.photo_id
        node.synthetic_portrait = person.portrait_face.photo.is_synthetic
    return node


def _visible_succeeded_jobs(access: TreeAccess):
    # The jobs this user may see (case jobs only for those who may see the case), as the family page does.
    return generation_jobs(access=access).filter(state=JobState.SUCCEEDED, family__isnull=False)


def chart_families_with_candidates(access: TreeAccess) -> set[int]:
    """Return the families with a succeeded job this user may see that produced candidates."""
    return set(_visible_succeeded_jobs(access).filter(candidates__isnull=False).order_by()
               .values_list("family_id", flat=True).distinct())


def chart_generated_fill(access: TreeAccess, groups: list[ChartGenerated]) -> None:
    """Give each group the latest succeeded job's candidates that the user may see, in one query."""
    by_family = {group.family_id: group for group in groups}
    if not by_family:
        return
    jobs = _visible_succeeded_jobs(access).filter(family_id__in=by_family).order_by().values("pk")
    rows = Candidate.objects.filter(job__in=jobs).order_by("job__family_id", "-job__created_at", "-job_id", "index"
                                               ).values_list("job__family_id", "job_id", "pk")
    for family_id, job_id, candidate_id in rows:
        group = by_family[family_id]
        if group.job_id is None:
            group.job_id = job_id
        if group.job_id != job_id:
            continue
        group.total += 1
        if len(group.candidate_ids) < GENERATED_THUMBNAILS:
            group.candidate_ids.append(candidate_id)
