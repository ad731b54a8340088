"""The one interface both engines (``stylegene`` and ``offline``) implement.

An engine prepares each parent once (detect, align, encode) into a :class:`PreparedParent` that
callers may cache as bytes, then generates K candidates for a couple from :class:`GenerationParams`
and a seed. Nothing here knows about Django models.
"""

from __future__ import annotations

import io
import json
from dataclasses import asdict, dataclass, field
from typing import Any, Literal, Protocol

import numpy as np

from genetics import parameters as limits

AGE_GROUPS: tuple[str, ...] = (
    "0-2",
    "3-9",
    "10-19",
    "20-29",
    "30-39",
    "40-49",
    "50-59",
    "60-69",
    "70+",
)
"""FairFace age bins, also the keys of StyleGene's gene pool."""

GENDERS: tuple[str, ...] = ("male", "female")

ANCESTRIES: tuple[str, ...] = (
    "White",
    "Black",
    "Latino_Hispanic",
    "East Asian",
    "Southeast Asian",
    "Indian",
    "Middle Eastern",
)
"""FairFace race labels as spelled in StyleGene's gene-pool keys."""

RegionMode = Literal["father", "mother", "weight", "mutate", "default"]


@dataclass(frozen=True)
class FaceBox:
    """A face rectangle in pixel coordinates of the original image (right/bottom exclusive)."""

    left: int
    top: int
    right: int
    bottom: int

    @property
    def width(self) -> int:
        return self.right - self.left

    @property
    def height(self) -> int:
        return self.bottom - self.top

    def as_list(self) -> list[int]:
        return [self.left, self.top, self.right, self.bottom]


@dataclass(frozen=True)
class RegionChoice:
    """How one region's gene is inherited.

    ``default`` follows the engine's stochastic crossover; ``father``/``mother`` copy that parent's
    gene; ``weight`` mixes ``weight``·father + (1-weight)·mother; ``mutate`` draws from the pool.
    """

    mode: RegionMode = "default"
    weight: float = 0.5


@dataclass(frozen=True)
class GenerationParams:
    """Everything that, with the parents and the engine's models, determines the output."""

    age_group: str = limits.DEFAULT_AGE_GROUP
    gender: str = limits.DEFAULT_GENDER
    gamma: float = limits.GAMMA.default
    eta: float = limits.ETA.default
    num_candidates: int = int(limits.NUM_CANDIDATES.default)
    seed: int = 0
    resolution: int = limits.DEFAULT_RESOLUTION
    regions: dict[str, RegionChoice] = field(default_factory=dict)
    ancestry: tuple[str, ...] = ()
    """Gene-pool ancestry keys taken from the records; empty = unknown (the pool's documented fallback)."""
    infer_ancestry: bool = False
    """Opt-in: an engine that can predict ancestry (StyleGene's FairFace) may use it when ``ancestry``
    is empty. Never on by default: ancestry is sensitive personal data."""
    hair_colours: tuple[str, str] = ("", "")
    """The first and second parent's natural hair colours as the records state them
    (:data:`genetics.parameters.HAIR_COLOURS` keys); ``""`` = read from that parent's photo."""
    parent_ages: tuple[int | None, int | None] = (None, None)
    """The first and second parent's age on their photos as the records give it (the oldest their
    birth and photo dates allow); None = unknown. Greying is age: the offline engine takes white or
    salt-and-pepper hair for greying only on a parent who may be 40 or older (or of unknown age)."""

    def __post_init__(self) -> None:
        if self.age_group not in AGE_GROUPS:
            raise ValueError(f"age_group must be one of {AGE_GROUPS}, got {self.age_group!r}")
        if self.gender not in GENDERS:
            raise ValueError(f"gender must be one of {GENDERS}, got {self.gender!r}")
        for name, limit in (("gamma", limits.GAMMA), ("eta", limits.ETA), ("num_candidates", limits.NUM_CANDIDATES)):
            if not limit.contains(getattr(self, name)):
                raise ValueError(f"{name} must be in {limit.describe()}, got {getattr(self, name)!r}")
        unknown = [a for a in self.ancestry if a not in ANCESTRIES]
        if unknown:
            raise ValueError(f"unknown ancestry {unknown}; expected some of {ANCESTRIES}")
        if not limits.hair_colours_valid(self.hair_colours):
            raise ValueError(
                f"hair_colours must be two of {tuple(limits.HAIR_COLOURS)} or '' (read from the photo), "
                f"got {self.hair_colours!r}"
            )
        if not limits.parent_ages_valid(self.parent_ages):
            raise ValueError(
                f"parent_ages must be two whole ages from 0 to {limits.MAX_PARENT_AGE} or None (unknown), "
                f"got {self.parent_ages!r}"
            )

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-safe dict (for audit rows and reproduction files)."""
        data = asdict(self)
        data["ancestry"] = list(self.ancestry)
        data["hair_colours"] = list(self.hair_colours)
        data["parent_ages"] = list(self.parent_ages)
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "GenerationParams":
        """Rebuild parameters from :meth:`to_dict` output."""
        data = dict(data)
        data["regions"] = {k: RegionChoice(**v) for k, v in data.get("regions", {}).items()}
        data["ancestry"] = tuple(data.get("ancestry", ()))
        data["hair_colours"] = tuple(data.get("hair_colours", ("", "")))
        data["parent_ages"] = tuple(data.get("parent_ages", (None, None)))
        return cls(**data)


@dataclass(frozen=True)
class PreparedParent:
    """A parent face encoded once by one engine: cacheable as bytes (no pickle).

    ``arrays`` holds the engine's encoding (a W+ latent, landmarks, textures…); ``meta`` holds small
    JSON-safe facts (face box, image sha256, predicted attributes when inference was opted into):
    ``notes`` are the input gate's, the same from every engine, and ``engine_notes`` what this
    engine will make of the photo that a user should know (the offline engine's glasses).
    """

    engine: str
    model_key: str
    arrays: dict[str, np.ndarray]
    meta: dict[str, Any] = field(default_factory=dict)

    @property
    def user_notes(self) -> list[str]:
        """Return every note a user is shown about this photo: the gate's, then the engine's."""
        return [*self.meta.get("notes", []), *self.meta.get("engine_notes", [])]

    def to_bytes(self) -> bytes:
        """Serialise as an ``.npz`` archive with a JSON header; safe to load (no pickle)."""
        buffer = io.BytesIO()
        header = json.dumps({"engine": self.engine, "model_key": self.model_key, "meta": self.meta})
        np.savez(buffer, __header__=np.frombuffer(header.encode(), dtype=np.uint8), **self.arrays)
        return buffer.getvalue()

    @classmethod
    def from_bytes(cls, blob: bytes) -> "PreparedParent":
        """Load what :meth:`to_bytes` wrote; refuses pickled object arrays."""
        with np.load(io.BytesIO(blob), allow_pickle=False) as archive:
            header = json.loads(archive["__header__"].tobytes().decode())
            arrays = {k: archive[k] for k in archive.files if k != "__header__"}
        return cls(engine=header["engine"], model_key=header["model_key"], arrays=arrays, meta=header["meta"])


@dataclass(frozen=True)
class Candidate:
    """One synthetic child: an RGB image ``[H, W, 3]`` uint8 and the genes that made it."""

    index: int
    image: np.ndarray
    genes: dict[str, np.ndarray]
    meta: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class GenerationResult:
    """Candidates plus everything needed to reproduce them."""

    engine: str
    engine_version: str
    model_checksums: dict[str, str]
    params: GenerationParams
    candidates: list[Candidate]
    timings: dict[str, float] = field(default_factory=dict)


class Engine(Protocol):
    """What the app needs from an engine."""

    name: str
    version: str

    def model_checksums(self) -> dict[str, str]:
        """Return sha256 of every model file the engine uses, by file name."""

    def model_key(self) -> str:
        """Return one short string identifying engine + models (part of parent cache keys)."""

    def prepare_parent(self, image: np.ndarray, *, face_box: FaceBox | None = None) -> PreparedParent:
        """Detect, align and encode a parent face from an RGB uint8 ``[H, W, 3]`` image."""

    def generate(self, father: PreparedParent, mother: PreparedParent, params: GenerationParams) -> GenerationResult:
        """Generate ``params.num_candidates`` children; same inputs + seed → identical images."""

    def candidate_as_parent(self, candidate: Candidate) -> PreparedParent:
        """Return a generated child as a parent for a further generation, from its genes (no re-encoding)."""
