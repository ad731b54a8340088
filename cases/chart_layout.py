"""The tree chart's geometry: node sizes, the chart's dataclasses and where each row's slots go.

Pure: no database, no Django. :func:`cases.selectors.chart.tree_chart` chooses who is on the chart
and in which row; :func:`rows_layout` turns those rows into coordinates.
"""

from __future__ import annotations

from dataclasses import dataclass, field

NODE_WIDTH = 180
NODE_HEIGHT = 64
H_GAP = 24
V_GAP = 70
GENERATED_THUMBNAILS = 3  # thumbnails that fit in one node's width; the rest are counted


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
    synthetic_portrait: bool = False  # the portrait is an adopted generated candidate, never a photograph
    is_focus: bool = False


@dataclass
class ChartEdge:
    parent_id: int
    child_id: int
    kind: str = "child"  # "child" or "partner"


@dataclass
class ChartGenerated:
    """The latest generated candidates of one family, drawn beside its real children."""

    family_id: int
    parent_ids: list[int]
    x: float = 0.0
    y: float = 0.0
    job_id: int | None = None
    candidate_ids: list[int] = field(default_factory=list)
    total: int = 0


@dataclass
class Chart:
    focus_id: int
    nodes: list[ChartNode] = field(default_factory=list)
    edges: list[ChartEdge] = field(default_factory=list)
    generated: list[ChartGenerated] = field(default_factory=list)
    width: float = 0.0
    height: float = 0.0


@dataclass(frozen=True)
class RowsLayout:
    """Where each slot of the rows goes (top-left corner), and the size of the whole chart."""

    positions: dict[int, tuple[float, float]]
    width: float
    height: float


def rows_layout(rows: dict[int, list[int]]) -> RowsLayout:
    """Return each slot's position: rows top to bottom by level, each row centred in the widest one.

    ``rows`` maps a level (negative above the focus, positive below) to the slot keys in that row.
    """
    widest = max(len(r) for r in rows.values())
    width = widest * (NODE_WIDTH + H_GAP) + H_GAP
    top = min(rows)
    positions: dict[int, tuple[float, float]] = {}
    for level, ids in sorted(rows.items()):
        offset = (width - len(ids) * (NODE_WIDTH + H_GAP) + H_GAP) / 2
        for index, key in enumerate(ids):
            positions[key] = (offset + index * (NODE_WIDTH + H_GAP), H_GAP + (level - top) * (NODE_HEIGHT + V_GAP))
    return RowsLayout(positions=positions, width=width, height=(max(rows) - top + 1) * (NODE_HEIGHT + V_GAP))
