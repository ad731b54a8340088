"""Gene pool: region-level genes of reference faces keyed by ``{age}-{gender}-{race}``.

The official ``geneFactorPool.pkl`` maps each key to a list of ``(mu, logvar)`` pairs, each a
``[1, 18, 34, 512]`` float32 tensor (about 28 GB in all). It is opened memory-mapped through the
weights-only loader, so only the genes a query touches are ever paged in.

Query fallback rules (documented behaviour, applied per requested race, in this order):

1. the exact key ``{age}-{gender}-{race}``;
2. the same gender and race at the nearest age group (distance in bins; the younger bin wins a
   tie), e.g. ``30-39-female-Middle Eastern``, absent from the official pool, falls back to
   ``20-29-female-Middle Eastern``;
3. the same age group and race, the other gender;
4. nothing for this race.

Races are the couple's (deduplicated, father's first). With no race at all, every race of the
requested age and gender is used (in ``ANCESTRIES`` order). If the union is still empty the caller
uses the parents' own genes as the pool, as the official code does.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import torch

from genetics.engine import AGE_GROUPS, ANCESTRIES, GENDERS
from genetics.errors import CheckpointError, CheckpointMismatch, UnsafeCheckpoint
from genetics.stylegene.mappers import MapperConfig
from genetics.stylegene.serialization import safe_load

GeneTensors = tuple[torch.Tensor, torch.Tensor]  # (mu, logvar), each [1, N, R, D]

_KEY = re.compile(r"^(?P<age>[^-]+-[^-]+|70\+)-(?P<gender>male|female)-(?P<race>.+)$")
GENE_SHAPE = (1, 18, 34, 512)


def pool_key(age_group: str, gender: str, race: str) -> str:
    """Return the official key string, e.g. ``3-9-female-East Asian``."""
    return f"{age_group}-{gender}-{race}"


@dataclass(frozen=True)
class PoolQuery:
    """The genes a query returned and the keys they came from (for the audit trail)."""

    genes: list[GeneTensors]
    keys: list[str]
    fallbacks: list[str] = field(default_factory=list)


class GenePool:
    """Genes by key, each entry a list of ``(mu, logvar)``; tensors may be memory-mapped."""

    def __init__(self, entries: Mapping[str, Sequence[GeneTensors]]) -> None:
        self._entries = entries

    @classmethod
    def load_official(cls, path: Path, gene_shape: tuple[int, ...] = GENE_SHAPE) -> GenePool:
        """Open an official ``geneFactorPool.pkl`` memory-mapped (zip format) and verify its layout."""
        payload = safe_load(Path(path))
        problems = pool_problems(payload, gene_shape=gene_shape)
        if problems:
            raise CheckpointMismatch(f"{Path(path).name}: " + "; ".join(problems))
        return cls(payload)

    def keys(self) -> list[str]:
        return list(self._entries)

    def __len__(self) -> int:
        return sum(len(v) for v in self._entries.values())

    def entry(self, key: str) -> Sequence[GeneTensors]:
        return self._entries.get(key, ())

    def _resolve_race(self, age_group: str, gender: str, race: str) -> tuple[str | None, str | None]:
        exact = pool_key(age_group, gender, race)
        if self.entry(exact):
            return exact, None
        age_idx = AGE_GROUPS.index(age_group)
        by_distance = sorted(range(len(AGE_GROUPS)), key=lambda i: (abs(i - age_idx), i))
        for idx in by_distance[1:]:
            key = pool_key(AGE_GROUPS[idx], gender, race)
            if self.entry(key):
                return key, f"{exact} empty: used nearest age group {key}"
        other = GENDERS[1 - GENDERS.index(gender)]
        key = pool_key(age_group, other, race)
        if self.entry(key):
            return key, f"{exact} empty: used other gender {key}"
        return None, f"{exact} empty: no gene of race {race!r} in the pool"

    def query(self, age_group: str, gender: str, races: Iterable[str]) -> PoolQuery:
        """Return the pool genes for a child's age group and gender and the couple's races."""
        if age_group not in AGE_GROUPS or gender not in GENDERS:
            raise ValueError(f"unknown age group / gender {age_group!r} / {gender!r}")
        wanted = list(dict.fromkeys(races)) or list(ANCESTRIES)
        genes: list[GeneTensors] = []
        keys: list[str] = []
        notes: list[str] = []
        for race in wanted:
            key, note = self._resolve_race(age_group, gender, race)
            if note:
                notes.append(note)
            if key and key not in keys:
                keys.append(key)
                genes.extend(self.entry(key))
        return PoolQuery(genes, keys, notes)

    def save(self, path: Path) -> None:
        """Write the pool in the official layout (zip format, so it can be memory-mapped)."""
        torch.save(
            {k: [(mu.contiguous(), lv.contiguous()) for mu, lv in v] for k, v in self._entries.items()}, Path(path)
        )

    @classmethod
    def build(cls, records: Iterable[tuple[str, str, str, GeneTensors]], *, max_per_key: int = 300) -> GenePool:
        """Build a pool from ``(age_group, gender, race, (mu, logvar))`` records, capped per key."""
        entries: dict[str, list[GeneTensors]] = {}
        for age_group, gender, race, genes in records:
            if age_group not in AGE_GROUPS or gender not in GENDERS or race not in ANCESTRIES:
                raise ValueError(f"bad attributes {age_group!r}, {gender!r}, {race!r}")
            bucket = entries.setdefault(pool_key(age_group, gender, race), [])
            if len(bucket) < max_per_key:
                bucket.append((genes[0].detach().cpu().float(), genes[1].detach().cpu().float()))
        return cls(entries)


def read_attribute_table(path: Path) -> list[tuple[str, str, str, str]]:
    """Read a CSV with columns ``file,age_group,gender,race`` (header required) into tuples."""
    rows = []
    with Path(path).open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        missing = {"file", "age_group", "gender", "race"} - set(reader.fieldnames or ())
        if missing:
            raise ValueError(f"{path}: missing columns {sorted(missing)}")
        for line, row in enumerate(reader, start=2):
            values = (row["file"], row["age_group"], row["gender"], row["race"])
            if values[1] not in AGE_GROUPS or values[2] not in GENDERS or values[3] not in ANCESTRIES:
                raise ValueError(f"{path}:{line}: bad attributes {values[1:]}")
            rows.append(values)
    return rows


def build_pool_from_folder(
    folder: Path, table: Path, encode: Callable[[np.ndarray], GeneTensors], *, max_per_key: int = 300
) -> GenePool:
    """Encode every face listed in ``table`` (files relative to ``folder``) and build a pool.

    ``encode`` maps an RGB uint8 image to ``(mu, logvar)``; :meth:`StyleGeneEngine.encode_genes`
    does the official alignment + e4e + W2Sub chain.
    """
    from PIL import Image

    def records() -> Iterable[tuple[str, str, str, GeneTensors]]:
        for name, age_group, gender, race in read_attribute_table(table):
            with Image.open(Path(folder) / name) as img:
                image = np.asarray(img.convert("RGB"))
            yield age_group, gender, race, encode(image)

    return GenePool.build(records(), max_per_key=max_per_key)


def pool_problems(payload: object, *, gene_shape: tuple[int, ...] = GENE_SHAPE) -> list[str]:
    """Return layout problems of a loaded pool payload (empty when it has the official layout)."""
    if not isinstance(payload, Mapping):
        return [f"expected a dict of gene lists, found {type(payload).__name__}"]
    problems = []
    for key, value in payload.items():
        match = _KEY.match(key) if isinstance(key, str) else None
        if not match or match["age"] not in AGE_GROUPS or match["race"] not in ANCESTRIES:
            problems.append(f"unexpected key {key!r}")
            continue
        if not isinstance(value, (list, tuple)):
            problems.append(f"{key}: expected a list, found {type(value).__name__}")
            continue
        for idx, item in enumerate(value):
            ok = (
                isinstance(item, (list, tuple))
                and len(item) == 2
                and all(isinstance(t, torch.Tensor) and tuple(t.shape) == gene_shape for t in item)
            )
            if not ok:
                problems.append(f"{key}[{idx}]: expected (mu, logvar) tensors of shape {list(gene_shape)}")
                break
        if len(problems) > 20:
            problems.append("… (stopped after 20 problems)")
            break
    return problems


def verify_pool_file(path: Path, mapper: MapperConfig | None = None) -> tuple[list[str], bool]:
    """Return ``(problems, unsafe)`` for a gene-pool file, reading tensor data lazily."""
    try:
        payload = safe_load(path)
    except UnsafeCheckpoint as exc:
        return [str(exc)], True
    except CheckpointError as exc:
        return [str(exc)], False
    shape = GENE_SHAPE if mapper is None else (1, mapper.n_rows, mapper.n_regions, mapper.dim)
    return pool_problems(payload, gene_shape=shape), False
