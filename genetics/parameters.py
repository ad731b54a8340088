"""The generation knobs the app offers, their limits, and the face regions a user can choose for.

This is the one definition: :class:`genetics.engine.GenerationParams` checks its values against
these limits, and the app builds its generate dialog, API serializer and case settings from them.
The app names regions for people ("eyes", "nose"); each engine says which of them it has and which
of its own genes each one covers (:data:`ENGINE_REGION_GENES`), so the same request means the same
thing on both engines. Imports nothing heavier than the standard library: the web process reads it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TypeVar


@dataclass(frozen=True)
class Limit:
    """A number's allowed range and default; ``high`` is excluded when ``high_open`` is set."""

    low: float
    high: float
    default: float
    high_open: bool = False

    def contains(self, value: float) -> bool:
        """Return whether ``value`` lies in the range."""
        return self.low <= value and (value < self.high if self.high_open else value <= self.high)

    def describe(self) -> str:
        """Return the range as a reader writes it: ``[0, 1)`` or ``[1, 16]``."""
        return f"[{_plain(self.low)}, {_plain(self.high)}{')' if self.high_open else ']'}"


def _plain(number: float) -> str:
    return str(int(number)) if float(number).is_integer() else str(number)


GAMMA = Limit(0.0, 1.0, 0.47, high_open=True)
"""Share of every crossed gene drawn from the gene pool (StyleGene's ``gamma``)."""

ETA = Limit(0.0, 1.0, 0.4)
"""Fraction of genes replaced by a pool gene instead of crossed (StyleGene's ``eta``)."""

NUM_CANDIDATES = Limit(1, 16, 4)
"""Candidates per job: 16 keeps one job within a worker's time limit on CPU."""

RESOLUTIONS: tuple[int, ...] = (256, 512, 1024)
"""Output sizes the app offers (both engines render each of them)."""

DEFAULT_RESOLUTION = 512
DEFAULT_AGE_GROUP = "3-9"
DEFAULT_GENDER = "female"

REGION_MODES: dict[str, str] = {
    "default": "By chance",
    "father": "Like the first parent",
    "mother": "Like the second parent",
    "weight": "A blend (slider)",
    "mutate": "New, from the gene pool",
}
"""How a region may be inherited (:class:`genetics.engine.RegionChoice` modes), named for people."""

REGIONS: dict[str, str] = {
    "eyes": "Eyes",
    "brows": "Eyebrows",
    "nose": "Nose",
    "mouth": "Mouth",
    "outline": "Face shape",
    "skin": "Skin tone",
    "texture": "Skin detail",
    "hair": "Hair and background",
}
"""The app's face regions and their names for people, in the order the dialog shows them."""

HAIR_COLOURS: dict[str, str] = {
    "black": "Black",
    "dark_brown": "Dark brown",
    "brown": "Brown",
    "light_brown": "Light brown",
    "blond": "Blond",
    "red": "Red",
}
"""A parent's natural hair colour as the records or the family state it, named for people.

Stated, it is passed on instead of the colour read from the photo: a hat, greying, or a photo
cropped at the forehead hides it there. An engine that draws hair from its own latent code
(StyleGene) does not use it."""


def hair_colours_valid(colours: object) -> bool:
    """Return whether ``colours`` are the two parents' stated hair colours, first parent first:
    each a :data:`HAIR_COLOURS` key or ``""`` (read from that parent's photo)."""
    return (
        isinstance(colours, (list, tuple))
        and len(colours) == 2
        and all(isinstance(c, str) and (c == "" or c in HAIR_COLOURS) for c in colours)
    )


GREYING_AGE = 40
"""The age on a photo from which a parent's hair that reads white, grey or salt and pepper is
taken for greying (the offline engine's ``portrait.youthful_hair``). Younger, it is the parent's
natural colour: a 30-year-old's light ash blonde reads chroma under 15 and lightness over 55, as
white hair does."""

MAX_PARENT_AGE = 130
"""The oldest age on a photo a parent's record may give (older is a wrong date, not a person)."""


def parent_age(text: str) -> int | None:
    """Return a parent's age on their photo written as ``text`` (None when blank), or raise
    ValueError saying what an age is (the command line and the couples CSV read it so)."""
    text = text.strip()
    if not text:
        return None
    if not text.isdigit() or int(text) > MAX_PARENT_AGE:
        raise ValueError(f"an age is a whole number of years from 0 to {MAX_PARENT_AGE}, got {text!r}")
    return int(text)


def parent_ages_valid(ages: object) -> bool:
    """Return whether ``ages`` are the two parents' ages on their photos, first parent first:
    each a whole number of years from 0 to :data:`MAX_PARENT_AGE`, or None (unknown)."""
    return (
        isinstance(ages, (list, tuple))
        and len(ages) == 2
        and all(
            a is None or (isinstance(a, int) and not isinstance(a, bool) and 0 <= a <= MAX_PARENT_AGE) for a in ages
        )
    )


FAVOURED_REGIONS: tuple[str, ...] = ("outline", "brows", "eyes", "nose", "mouth")
"""The regions that follow a case's favoured parent: the face's shape and features, not skin or hair."""

ENGINE_REGION_GENES: dict[str, dict[str, tuple[str, ...]]] = {
    # The offline engine's genes are the app's regions themselves (genetics.offline.genes orders them).
    "offline": {name: (name,) for name in REGIONS},
    # StyleGene's 34 DatasetGAN part labels (genetics.stylegene.regions, short names). Every one but
    # the background, which the official code always takes from the father, belongs to one region.
    "stylegene": {
        "eyes": (
            "eye/botton lid",
            "eye/eyelashes",
            "eye/iris",
            "eye/pupil",
            "eye/sclera",
            "eye/tear duct",
            "eye/top lid",
        ),
        "brows": ("eyebrow", "frown"),
        "nose": ("nose", "nose/ala of nose", "nose/bridge", "nose/nose tip", "nose/nostril"),
        "mouth": ("mouth/inferior lip", "mouth/oral comisure", "mouth/superior lip", "mouth/teeth", "philtrum"),
        "outline": ("head", "chin", "jaw", "ear", "ear/helix", "ear/lobule"),
        "skin": ("forehead", "cheek", "temple", "neck"),
        "texture": ("wrinkles",),
        "hair": ("hair", "hair/sideburns", "moustache"),
    },
}
"""Per engine, the app regions it has and the engine's own genes each one covers."""

T = TypeVar("T")


def engine_regions(engine: str) -> tuple[str, ...]:
    """Return the app regions ``engine`` can be given choices for."""
    try:
        return tuple(ENGINE_REGION_GENES[engine])
    except KeyError:
        raise ValueError(f"unknown engine {engine!r}; expected one of {tuple(ENGINE_REGION_GENES)}") from None


def region_genes(engine: str, choices: Mapping[str, T]) -> dict[str, T]:
    """Return ``choices`` keyed by ``engine``'s own gene names.

    App regions expand onto every gene they cover; a name that is not an app region is passed on
    as one of the engine's own gene names (the CLI may use them), for the engine to check. A gene
    named directly wins over one reached through an app region.
    """
    mapping = ENGINE_REGION_GENES.get(engine, {})
    genes: dict[str, T] = {}
    for name, choice in choices.items():
        if name in REGIONS:
            if name not in mapping:
                raise ValueError(f"the {engine} engine has no {name!r} region; it has {engine_regions(engine)}")
            for gene in mapping[name]:
                genes.setdefault(gene, choice)
    for name, choice in choices.items():
        if name not in REGIONS:
            genes[name] = choice
    return genes
