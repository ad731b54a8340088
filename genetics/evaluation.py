"""Evaluate an engine on families with real children (``python -m genetics evaluate``).

For each family (father, mother, one or more real children) the engine generates candidates; all
faces are embedded with dlib (:mod:`genetics.metrics`). Figures per engine:

- ``own_parent_share``: share of candidates whose mean distance to their own two parents is below
  their mean distance to every other family's couple (needs at least two families);
- ``child_to_own``/``child_to_other``: mean distance of each real child to its own parents'
  candidates and to the other couples' candidates (lower own than other is good);
- ``diversity``: mean over families of the candidates' mean pairwise distance.

CSV columns: ``family,father,mother,children`` with ``children`` separated by ``;``; image paths are
relative to the CSV's folder, or ``sample:NAME[:mirror]`` for the shipped public-domain portraits.
"""

from __future__ import annotations

import csv
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np

from genetics import metrics
from genetics.engine import Engine, GenerationParams
from genetics.images import load_image


@dataclass(frozen=True)
class Family:
    """One CSV row: a couple and their real children's photos (paths or sample references)."""

    name: str
    father: str
    mother: str
    children: tuple[str, ...]
    base: Path


@dataclass(frozen=True)
class EngineReport:
    """The evaluation figures of one engine (NaN where a figure needs more families)."""

    engine: str
    families: int
    candidates: int
    own_parent_share: float
    child_to_own: float
    child_to_other: float
    diversity: float

    def as_dict(self) -> dict[str, object]:
        """Return the figures as a dict."""
        return asdict(self)


def read_families(path: Path) -> list[Family]:
    """Return the families of a CSV (see the module docstring for its columns)."""
    with path.open(newline="") as handle:
        reader = csv.DictReader(handle)
        missing = {"family", "father", "mother", "children"} - set(reader.fieldnames or ())
        if missing:
            raise ValueError(f"{path}: missing columns {sorted(missing)}")
        families = [Family(name=row["family"], father=row["father"].strip(),
                           mother=row["mother"].strip(),
                           children=tuple(c.strip() for c in row["children"].split(";") if c.strip()),
                           base=path.parent)
                    for row in reader]
    if not families:
        raise ValueError(f"{path}: no families")
    return families


def evaluate(engine: Engine, families: list[Family], params: GenerationParams) -> EngineReport:
    """Generate candidates for every family with ``engine`` and return its figures."""
    couples, candidates, children = [], [], []
    for family in families:
        father_image, _ = load_image(family.father, base=family.base)
        mother_image, _ = load_image(family.mother, base=family.base)
        couples.append((metrics.embed_image(father_image), metrics.embed_image(mother_image)))
        result = engine.generate(engine.prepare_parent(father_image),
                                 engine.prepare_parent(mother_image), params)
        candidates.append([metrics.embed_image(c.image) for c in result.candidates])
        children.append([metrics.embed_image(load_image(c, base=family.base)[0])
                         for c in family.children])

    def to_couple(embedding: np.ndarray, couple: tuple[np.ndarray, np.ndarray]) -> float:
        return (metrics.face_distance(embedding, couple[0])
                + metrics.face_distance(embedding, couple[1])) / 2.0

    wins, own, other = [], [], []
    for f, family_candidates in enumerate(candidates):
        others = [c for g, c in enumerate(couples) if g != f]
        for embedding in family_candidates:
            if others:
                wins.append(to_couple(embedding, couples[f])
                            < min(to_couple(embedding, c) for c in others))
        for child in children[f]:
            own.extend(metrics.face_distance(child, e) for e in family_candidates)
            other.extend(metrics.face_distance(child, e)
                         for g, group in enumerate(candidates) if g != f for e in group)

    def mean(values: list) -> float:  # type: ignore[type-arg]
        return float(np.mean(values)) if values else float("nan")

    return EngineReport(
        engine=engine.name, families=len(families),
        candidates=sum(len(c) for c in candidates),
        own_parent_share=mean([float(w) for w in wins]), child_to_own=mean(own),
        child_to_other=mean(other),
        diversity=mean([metrics.diversity(c) for c in candidates]))


def format_report(reports: list[EngineReport]) -> str:
    """Return the reports as a fixed-width table."""
    header = (f"{'engine':<10} {'families':>8} {'cands':>6} {'own_parent_share':>16} "
              f"{'child_to_own':>12} {'child_to_other':>14} {'diversity':>9}")
    rows = [header]
    for r in reports:
        rows.append(f"{r.engine:<10} {r.families:>8} {r.candidates:>6} {r.own_parent_share:>16.3f} "
                    f"{r.child_to_own:>12.3f} {r.child_to_other:>14.3f} {r.diversity:>9.3f}")
    return "\n".join(rows)
