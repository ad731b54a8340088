"""The 34 face regions of StyleGene's region-level facial genes, in gene-tensor order.

Official names (``head***eye***botton lid``, spelling kept) come from the DatasetGAN part labels the
released models were trained on; short names (``eye/botton lid``) are accepted everywhere too.
"""

from __future__ import annotations

OFFICIAL_REGION_NAMES: tuple[str, ...] = (
    "background",
    "head",
    "head***cheek",
    "head***chin",
    "head***ear",
    "head***ear***helix",
    "head***ear***lobule",
    "head***eye***botton lid",
    "head***eye***eyelashes",
    "head***eye***iris",
    "head***eye***pupil",
    "head***eye***sclera",
    "head***eye***tear duct",
    "head***eye***top lid",
    "head***eyebrow",
    "head***forehead",
    "head***frown",
    "head***hair",
    "head***hair***sideburns",
    "head***jaw",
    "head***moustache",
    "head***mouth***inferior lip",
    "head***mouth***oral comisure",
    "head***mouth***superior lip",
    "head***mouth***teeth",
    "head***neck",
    "head***nose",
    "head***nose***ala of nose",
    "head***nose***bridge",
    "head***nose***nose tip",
    "head***nose***nostril",
    "head***philtrum",
    "head***temple",
    "head***wrinkles",
)


def short_name(official: str) -> str:
    """Return ``eye/top lid`` for ``head***eye***top lid`` (``head`` and ``background`` unchanged)."""
    if official.startswith("head***"):
        official = official[len("head***") :]
    return official.replace("***", "/")


REGION_NAMES: tuple[str, ...] = tuple(short_name(name) for name in OFFICIAL_REGION_NAMES)
BACKGROUND = 0  # the official code always gives the child the father's background gene

_INDEX = {name: idx for idx, name in enumerate(OFFICIAL_REGION_NAMES)}
_INDEX.update({name: idx for idx, name in enumerate(REGION_NAMES)})


def region_index(name: str) -> int:
    """Return the gene-tensor index of a region given its official or short name."""
    try:
        return _INDEX[name]
    except KeyError:
        raise ValueError(f"unknown face region {name!r}; expected one of {REGION_NAMES}") from None
