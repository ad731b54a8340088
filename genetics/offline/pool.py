"""The offline engine's gene pool: prepared faces grouped by age group, sex and ancestry.

Mutation draws region genes from pool faces of the child's target age group and sex and, where the
records give it, the parents' ancestry, as StyleGene's pool does. When that group is empty the pool
falls back, one step at a time, and reports which step it used:

1. ``exact``: same age group, sex and (when given) one of the ancestries;
2. ``any_ancestry``: same age group and sex;
3. ``any_sex``: same age group;
4. ``nearest_age``: the nearest age group holding faces of the same sex, else of any sex;
5. ``parents``: the pool is empty, the parents' own genes act as the pool (as StyleGene does).

Pool geometry is stored grown to adult proportions (:func:`genetics.offline.geometry.to_adult`),
so a child's face in the pool does not make candidates doubly young.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

from genetics.engine import AGE_GROUPS, ANCESTRIES, GENDERS, PreparedParent

FALLBACK_LEVELS: tuple[str, ...] = ("exact", "any_ancestry", "any_sex", "nearest_age", "parents")

SHIPPED_FACES: tuple[tuple[str, str, str, str], ...] = (
    ("astronaut", "30-39", "female", "White"),
    ("grace_hopper", "70+", "female", "White"),
)
"""(sample name, age group, sex, ancestry) of the public-domain portraits in the default pool."""


@dataclass(frozen=True, eq=False)
class PoolFace:
    """One pool face: a prepared face plus the group it belongs to."""

    face: PreparedParent
    age_group: str
    gender: str
    ancestry: str | None = None

    def __post_init__(self) -> None:
        if self.age_group not in AGE_GROUPS:
            raise ValueError(f"age_group must be one of {AGE_GROUPS}, got {self.age_group!r}")
        if self.gender not in GENDERS:
            raise ValueError(f"gender must be one of {GENDERS}, got {self.gender!r}")
        if self.ancestry is not None and self.ancestry not in ANCESTRIES:
            raise ValueError(f"ancestry must be one of {ANCESTRIES} or None, got {self.ancestry!r}")


@dataclass(frozen=True)
class PoolSelection:
    """The pool faces a generation draws from and the fallback level that found them."""

    faces: tuple[PoolFace, ...]
    level: str


class GenePool:
    """An immutable collection of :class:`PoolFace` with group lookup and fallback."""

    def __init__(self, faces: Iterable[PoolFace] = ()) -> None:
        self.faces: tuple[PoolFace, ...] = tuple(faces)

    def __len__(self) -> int:
        return len(self.faces)

    def select(self, age_group: str, gender: str, ancestry: Iterable[str] = ()) -> PoolSelection:
        """Return the faces for a child's group, falling back as the module docstring describes."""
        wanted = set(ancestry)

        def pick(level: str, keep) -> PoolSelection | None:  # type: ignore[no-untyped-def]
            chosen = tuple(f for f in self.faces if keep(f))
            return PoolSelection(chosen, level) if chosen else None

        steps = [
            pick(
                "exact",
                lambda f: f.age_group == age_group and f.gender == gender and (not wanted or f.ancestry in wanted),
            ),
            pick("any_ancestry", lambda f: f.age_group == age_group and f.gender == gender),
            pick("any_sex", lambda f: f.age_group == age_group),
        ]
        for step in steps:
            if step is not None:
                return step
        if self.faces:
            target = AGE_GROUPS.index(age_group)
            same_sex = [f for f in self.faces if f.gender == gender] or list(self.faces)
            best = min(abs(AGE_GROUPS.index(f.age_group) - target) for f in same_sex)
            return PoolSelection(
                tuple(f for f in same_sex if abs(AGE_GROUPS.index(f.age_group) - target) == best), "nearest_age"
            )
        return PoolSelection((), "parents")

    def fingerprint(self) -> str:
        """Return a short string naming the pool's faces (for reproduction records)."""
        digest = hashlib.sha256()
        for face in self.faces:
            digest.update(str(face.face.meta.get("image_sha256", "")).encode())
            digest.update(f"{face.age_group}|{face.gender}|{face.ancestry}".encode())
        return digest.hexdigest()[:16]


def landmarks_of(face: PreparedParent) -> np.ndarray:
    """Return a prepared face's aligned landmarks ``[68, 2]`` in unit coordinates."""
    return np.asarray(face.arrays["landmarks"], dtype=np.float64)
