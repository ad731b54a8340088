"""Evaluate an engine on couples (``python -m genetics evaluate``).

For each couple the engine prepares both parents (through the input gate) and generates
candidates. Figures per engine:

- ``accepted``: share of couples whose two photos pass the gate (the reasons for the others);
- apparent age of every candidate through the ``face_attrs`` tool (``node face_attrs.js``, see
  :class:`AgeJudge`), when installed, and ``in_band``: share read as the requested age band
  (:data:`BAND_RULES`); ``gender_share`` for 10-19 and adults;
- ``own_parent_share``: over every pair of a candidate and another couple, the share where the
  candidate's mean embedding distance to its own parents is below that to the other couple's
  (needs two couples; chance 0.5);
- ``unrelated_own_parent_share``: the same over the pairs whose other couple shares no parent
  with the candidate's (two parents' photos under :data:`SAME_PERSON` apart count as one person):
  the issue's couples are unrelated families, while sample sets often reuse a parent;
- ``blend_own_parent_share``: the same for each couple's plain blend (the mean of the two aligned
  parents' faces), the reach of that figure on these couples (couples that share a parent or
  look alike hold it down);
- ``child_own_share``: over every pair of a real child and another couple, the share where the
  child's mean distance to its own parents' candidates is below that to the other couple's
  candidates (when the CSV gives children; chance 0.5); ``child_to_own``/``child_to_other``:
  those mean distances; a child's photo showing no face or several is left out, named with its
  reason in ``unread_children``;
- ``diversity``: mean over couples of the candidates' mean pairwise distance (real siblings: about
  0.63 with dlib's descriptor);
- ``one_face_share``: share of candidates in which dlib finds exactly one face;
- ``seconds_per_candidate``: generation time per candidate;
- ``own_parent_by_family``: each accepted couple's own-parent share (which couples a change
  wins or loses);
- ``intervals``: for the shares and the diversity, a 95 % interval from resampling the couples
  (:func:`couple_interval`): candidates of one couple are not independent draws, so the spread
  between couples, not the candidates' count, says how far a figure may move on other couples.

A contact sheet (one row per couple: father, mother, candidates with their apparent age) is
written as a PNG.

CSV columns: ``family,father,mother`` and optionally ``children`` (``;``-separated),
``father_box`` and ``mother_box`` (``LEFT,TOP,RIGHT,BOTTOM`` for group photos), ``father_hair`` and
``mother_hair`` (a parent's natural hair colour where the photo hides it: a
:data:`genetics.parameters.HAIR_COLOURS` key, empty to read it from the photo), ``father_age`` and
``mother_age`` (a parent's age on the photo, empty when unknown: white or ash hair is taken for
greying only from :data:`genetics.parameters.GREYING_AGE`). Image paths are
relative to the CSV's folder, or ``sample:NAME[:mirror]`` for the shipped public-domain portraits.
"""

from __future__ import annotations

import csv
import datetime
import json
import os
import shutil
import subprocess
import tempfile
import time
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path

import cv2
import numpy as np

from genetics import metrics
from genetics.engine import Engine, FaceBox, GenerationParams, GenerationResult, PreparedParent
from genetics.errors import FaceError, GeneticsError
from genetics.faces import detect_faces
from genetics.images import load_image
from genetics.parameters import HAIR_COLOURS, parent_age
from genetics.provenance import COMPOSITE_WITH_TRAINED_ALGORITHMIC_MEDIA, ParentIngredient, ProvenanceInfo, xmp_packet

BAND_RULES: dict[str, str] = {
    "0-2": "age <= 5",
    "3-9": "age <= 12 and P(0-2) + P(3-12) >= 0.5",
    "10-19": "10 <= age < 20",
    "adult": "age >= 18",
}
"""When a candidate counts as read in its requested band (the issue's targets; the estimator
clusters ages on a few values, so bands are wide)."""


@dataclass(frozen=True)
class Family:
    """One CSV row: a couple, optional face boxes and their real children's photos."""

    name: str
    father: str
    mother: str
    children: tuple[str, ...]
    base: Path
    father_box: FaceBox | None = None
    mother_box: FaceBox | None = None
    hair_colours: tuple[str, str] = ("", "")
    """The parents' natural hair colours as the CSV states them (``""``: read from the photo)."""
    parent_ages: tuple[int | None, int | None] = (None, None)
    """The parents' ages on their photos as the CSV states them (None: unknown)."""


@dataclass
class EngineReport:
    """The evaluation figures of one engine (NaN where a figure cannot be computed)."""

    engine: str
    families: int
    accepted: float
    candidates: int
    own_parent_share: float
    unrelated_own_parent_share: float
    blend_own_parent_share: float
    child_own_share: float
    child_to_own: float
    child_to_other: float
    diversity: float
    one_face_share: float
    seconds_per_candidate: float
    in_band: float = float("nan")
    gender_share: float = float("nan")
    intervals: dict[str, list[float]] = field(default_factory=dict)
    own_parent_by_family: dict[str, float] = field(default_factory=dict)
    apparent_ages: dict[str, list[float | None]] = field(default_factory=dict)
    refused: dict[str, str] = field(default_factory=dict)
    unread_children: dict[str, str] = field(default_factory=dict)
    """Per ``family: photo``, why a real child's photo was not counted (no face, or several)."""
    age_note: str = ""
    sheet: str = ""

    def as_dict(self) -> dict[str, object]:
        """Return the figures as a dict."""
        return asdict(self)


def _box(text: str | None) -> FaceBox | None:
    if not text or not text.strip():
        return None
    parts = [int(p) for p in text.split(",")]
    if len(parts) != 4:
        raise ValueError(f"a face box is LEFT,TOP,RIGHT,BOTTOM, got {text!r}")
    return FaceBox(*parts)


def _hair(row: dict[str, str], column: str, line: int) -> str:
    colour = (row.get(column) or "").strip()
    if colour and colour not in HAIR_COLOURS:
        raise ValueError(f"line {line}: {column} {colour!r} is not one of {', '.join(HAIR_COLOURS)} (or empty)")
    return colour


def _age(row: dict[str, str], column: str, line: int) -> int | None:
    text = row.get(column) or ""
    try:
        return parent_age(text)
    except ValueError as error:
        raise ValueError(f"line {line}: {column} {text.strip()!r}: {error} (or empty)") from None


def read_families(path: Path) -> list[Family]:
    """Return the couples of a CSV (see the module docstring for its columns)."""
    with path.open(newline="") as handle:
        reader = csv.DictReader(handle)
        missing = {"family", "father", "mother"} - set(reader.fieldnames or ())
        if missing:
            raise ValueError(f"{path}: missing columns {sorted(missing)}")
        families = [
            Family(
                name=row["family"],
                father=row["father"].strip(),
                mother=row["mother"].strip(),
                children=tuple(c.strip() for c in (row.get("children") or "").split(";") if c.strip()),
                base=path.parent,
                father_box=_box(row.get("father_box")),
                mother_box=_box(row.get("mother_box")),
                hair_colours=(_hair(row, "father_hair", line), _hair(row, "mother_hair", line)),
                parent_ages=(_age(row, "father_age", line), _age(row, "mother_age", line)),
            )
            for line, row in enumerate(reader, start=2)
        ]
    if not families:
        raise ValueError(f"{path}: no families")
    return families


class AgeJudge:
    """The apparent-age estimator ``face_attrs`` (a Node.js tool), run on image files in batches.

    ``script`` is ``face_attrs.js``; its packages live in ``$FACE_ATTRS_ENV`` (see the tool's
    README). :attr:`problem` says why it cannot run (then ages are not measured).
    """

    def __init__(self, script: Path | None) -> None:
        self.script = script
        self.problem = ""
        if script is None:
            self.problem = "no face_attrs script given (--face-attrs or $FACE_ATTRS_SCRIPT)"
        elif not Path(script).is_file():
            self.problem = f"face_attrs script {script} not found"
        elif shutil.which("node") is None:
            self.problem = "node is not installed"
        else:
            env = Path(os.environ.get("FACE_ATTRS_ENV", Path(tempfile.gettempdir()) / "face_attrs_env"))
            if not (env / "node_modules").is_dir():
                self.problem = f"face_attrs is not installed in {env} (see its README for the setup)"

    def judge(self, paths: list[Path]) -> list[dict]:
        """Return the tool's JSON record per image (``age``, ``age_bands``, ``p_male``…)."""
        if self.problem or not paths:
            return [{} for _ in paths]
        done = subprocess.run(
            ["node", str(self.script), *map(str, paths)],
            capture_output=True,
            text=True,
            timeout=60 + 10 * len(paths),
            check=False,
        )
        records = {}
        for line in done.stdout.splitlines():
            if line.startswith("{"):
                record = json.loads(line)
                records[record.get("path")] = record
        return [records.get(str(p), {}) for p in paths]


def in_band(record: dict, age_group: str) -> bool | None:
    """Return whether a face_attrs record reads as ``age_group`` (:data:`BAND_RULES`)."""
    age = record.get("age")
    if age is None:
        return None if not record else False
    bands = record.get("age_bands") or {}
    if age_group == "0-2":
        return age <= 5
    if age_group == "3-9":
        return age <= 12 and bands.get("0-2", 0) + bands.get("3-12", 0) >= 0.5
    if age_group == "10-19":
        return 10 <= age < 20
    return age >= 18


def evaluate(
    engine: Engine,
    families: list[Family],
    params: GenerationParams,
    *,
    judge: AgeJudge | None = None,
    sheet: Path | None = None,
) -> EngineReport:
    """Generate candidates for every couple with ``engine`` and return its figures."""
    judge = judge or AgeJudge(None)
    rows, refused, couples, candidates, children, images, blends = [], {}, [], [], [], [], []
    unread_children: dict[str, str] = {}
    seconds, count, photos, last_result = 0.0, 0, [], None
    for family in families:
        parents, digests = [], []
        try:
            for reference, box in ((family.father, family.father_box), (family.mother, family.mother_box)):
                image, digest = load_image(reference, base=family.base)
                parents.append((image, engine.prepare_parent(image, face_box=box)))
                digests.append(digest)
        except GeneticsError as exc:
            refused[family.name] = str(exc)
            continue
        started = time.perf_counter()
        stated = replace(params, hair_colours=family.hair_colours, parent_ages=family.parent_ages)
        result = engine.generate(parents[0][1], parents[1][1], stated)
        seconds += time.perf_counter() - started
        last_result = result
        photos += [
            (f"{family.name} {role}: {reference}", digest)
            for role, reference, digest in zip(("father", "mother"), (family.father, family.mother), digests)
        ]
        count += len(result.candidates)
        couples.append(tuple(_embedding(image, prepared) for image, prepared in parents))
        blends.append([_plain_blend([prepared for _, prepared in parents])])
        candidates.append([_candidate_embedding(c.image) for c in result.candidates])
        images.append([c.image for c in result.candidates])
        children.append(_children_embeddings(family, unread_children))
        rows.append((family.name, [p.arrays.get("aligned", image) for image, p in parents]))

    ages, band_hits, gender_hits = {}, [], []
    with tempfile.TemporaryDirectory() as folder:
        paths = []
        from PIL import Image

        for (name, _), group in zip(rows, images):
            for k, image in enumerate(group):
                paths.append(Path(folder) / f"{name}_{k}.png")
                Image.fromarray(image).save(paths[-1])
        records = judge.judge(paths)
    cursor = 0
    for (name, _), group in zip(rows, images):
        batch = records[cursor : cursor + len(group)]
        cursor += len(group)
        ages[name] = [r.get("age") for r in batch]
        band_hits.append([])
        for record in batch:
            hit = in_band(record, params.age_group)
            if hit is not None:
                band_hits[-1].append(float(hit))
            if record.get("p_male") is not None and params.age_group not in ("0-2", "3-9"):
                gender_hits.append((record["p_male"] > 0.5) == (params.gender == "male"))

    one_face = [len(detect_faces(image)) == 1 for group in images for image in group]
    kin = _kinship(couples, candidates, children)
    blend_wins = _kinship(couples, blends, [[] for _ in blends]).wins
    diversities = [metrics.diversity([e for e in c if e is not None]) for c in candidates]
    per_couple = {
        "own_parent_share": kin.couple_wins,
        "unrelated_own_parent_share": kin.couple_unrelated_wins,
        "child_own_share": kin.couple_child_wins,
        "diversity": [[d] for d in diversities],
        "in_band": band_hits,
    }
    intervals = {name: list(couple_interval(groups)) for name, groups in per_couple.items()}
    report = EngineReport(
        engine=engine.name,
        families=len(families),
        accepted=len(rows) / len(families),
        candidates=count,
        own_parent_share=_mean(kin.wins),
        unrelated_own_parent_share=_mean(kin.unrelated_wins),
        blend_own_parent_share=_mean(blend_wins),
        child_own_share=_mean(kin.child_wins),
        child_to_own=_mean(kin.child_to_own),
        child_to_other=_mean(kin.child_to_other),
        diversity=_mean(diversities),
        one_face_share=_mean(one_face),
        seconds_per_candidate=seconds / count if count else float("nan"),
        in_band=_mean([hit for hits in band_hits for hit in hits]),
        gender_share=_mean(gender_hits),
        intervals={name: bounds for name, bounds in intervals.items() if np.isfinite(bounds).all()},
        own_parent_by_family={name: _mean(wins) for (name, _), wins in zip(rows, kin.couple_wins)},
        apparent_ages=ages,
        refused=refused,
        unread_children=unread_children,
        age_note=judge.problem and f"apparent age not measured: {judge.problem}",
    )
    if sheet is not None and rows:
        from genetics.contact_sheet import write_contact_sheet

        title = f"{engine.name} · {params.age_group} {params.gender} · seed {params.seed}"
        write_contact_sheet(
            sheet,
            rows,
            images,
            ages,
            title=f"{title} · the candidates are synthetic, not photographs",
            xmp=_sheet_provenance(last_result, params, photos) if last_result is not None else None,
        )
        report.sheet = str(sheet)
    return report


def _sheet_provenance(result: GenerationResult, params: GenerationParams, photos: list[tuple[str, str]]) -> bytes:
    """Return the contact sheet's XMP packet: generated candidates beside the parents' photos
    (``photos``: title and sha256 of each), with what made the candidates."""
    info = ProvenanceInfo(
        engine_name=result.engine,
        engine_version=result.engine_version,
        model_checksums=result.model_checksums,
        job_reference="python -m genetics evaluate: contact sheet",
        seed=params.seed,
        parameters=params.to_dict(),
        created_at=datetime.datetime.now(datetime.timezone.utc),
        parents=[ParentIngredient(title, digest) for title, digest in photos],
        statement="Contact sheet: parents' photographs beside synthetic candidates generated by Kinship",
    )
    return xmp_packet(info, source_type=COMPOSITE_WITH_TRAINED_ALGORITHMIC_MEDIA)


def _embedding(image: np.ndarray, prepared) -> np.ndarray:  # type: ignore[no-untyped-def]
    stored = prepared.arrays.get("embedding")
    return np.asarray(stored) if stored is not None else metrics.embed_image(image)


BLEND_SIZE = 256
"""Side of the aligned parents' faces averaged into a couple's plain blend."""


def _plain_blend(parents: list[PreparedParent]) -> np.ndarray:
    """Return the embedding of the mean of the two prepared parents' FFHQ-aligned faces."""
    aligned = [
        cv2.resize(p.arrays["aligned"], (BLEND_SIZE, BLEND_SIZE), interpolation=cv2.INTER_AREA).astype(np.float32)
        for p in parents
    ]
    blend = (aligned[0] + aligned[1]) / 2.0
    return metrics.embed_image(np.clip(blend + 0.5, 0, 255).astype(np.uint8))


SAME_PERSON = 0.6
"""dlib descriptor distance under which two parents' photos are taken for one person (dlib's
own threshold; Obama's two sample portraits are 0.38 apart, different people 0.68-0.88)."""


@dataclass
class _Kinship:
    """Pairwise wins (1.0 or 0.0), per couple, of its candidates against other couples, of
    those against couples sharing no parent and of its real children; and the children's
    distances to candidates."""

    couple_wins: list[list[float]]
    couple_unrelated_wins: list[list[float]]
    couple_child_wins: list[list[float]]
    child_to_own: list[float]
    child_to_other: list[float]

    @property
    def wins(self) -> list[float]:
        return [w for group in self.couple_wins for w in group]

    @property
    def unrelated_wins(self) -> list[float]:
        return [w for group in self.couple_unrelated_wins for w in group]

    @property
    def child_wins(self) -> list[float]:
        return [w for group in self.couple_child_wins for w in group]


def _children_embeddings(family: Family, unread: dict[str, str]) -> list[np.ndarray]:
    """Return the embeddings of a family's real children's photos; a photo that cannot be read
    (no face, several, not an image) is left out and its reason put in ``unread``, and the other
    families' children are still counted."""
    embeddings = []
    for child in family.children:
        try:
            embeddings.append(metrics.embed_image(load_image(child, base=family.base)[0]))
        except GeneticsError as exc:
            unread[f"{family.name}: {child}"] = str(exc)
    return embeddings


def _candidate_embedding(image: np.ndarray) -> np.ndarray | None:
    """Return a candidate's embedding, or None when no usable face can be read from it (it then
    loses every resemblance pair, and a run of many candidates does not stop at one)."""
    try:
        return metrics.embed_image(image)
    except FaceError:
        return None


def _kinship(couples: list, candidates: list, children: list) -> _Kinship:  # type: ignore[type-arg]
    """Return the pairwise wins of candidates and of real children, and the children's distances
    to their own couple's candidates and to the others' (the issue's measures: "closer to its own
    parents than to another couple", counted over every other couple, chance 0.5)."""

    def to_couple(embedding: np.ndarray, couple: tuple[np.ndarray, np.ndarray]) -> float:
        return (metrics.face_distance(embedding, couple[0]) + metrics.face_distance(embedding, couple[1])) / 2.0

    def to_group(embedding: np.ndarray, group: list[np.ndarray]) -> float:
        return float(np.mean([metrics.face_distance(embedding, e) for e in group]))

    def related(f: int, g: int) -> bool:
        return any(metrics.face_distance(a, b) < SAME_PERSON for a in couples[f] for b in couples[g])

    kin = _Kinship([], [], [], [], [])
    read = [[e for e in group if e is not None] for group in candidates]
    for f, group in enumerate(candidates):
        others = [g for g in range(len(couples)) if g != f]
        strangers = [g for g in others if not related(f, g)]
        wins, unrelated_wins, child_wins = [], [], []
        family_candidates = read[f]
        for embedding in group:
            if embedding is None:
                # A candidate whose face cannot be read resembles no one: it loses every pair.
                won = dict.fromkeys(others, 0.0)
            else:
                mine = to_couple(embedding, couples[f])
                won = {g: float(mine < to_couple(embedding, couples[g])) for g in others}
            wins.extend(won.values())
            unrelated_wins.extend(won[g] for g in strangers)
        for child in children[f]:
            kin.child_to_own.extend(metrics.face_distance(child, e) for e in family_candidates)
            kin.child_to_other.extend(metrics.face_distance(child, e) for g in others for e in read[g])
            if family_candidates:
                mine = to_group(child, family_candidates)
                child_wins.extend(float(mine < to_group(child, read[g])) for g in others if read[g])
        kin.couple_wins.append(wins)
        kin.couple_unrelated_wins.append(unrelated_wins)
        kin.couple_child_wins.append(child_wins)
    return kin


INTERVAL_LEVEL = 0.95
"""Coverage of the intervals :func:`couple_interval` prints."""

RESAMPLES = 2000
"""Bootstrap draws per interval (a fixed generator: the same figures give the same interval)."""


def couple_interval(groups: list[list[float]]) -> tuple[float, float]:
    """Return the :data:`INTERVAL_LEVEL` interval of the mean of all values in ``groups`` (one
    list per couple) when the couples are resampled with replacement: a cluster bootstrap, since
    one couple's candidates share its parents and are not independent draws. NaNs with fewer
    than two couples that have values (no spread between couples to resample).

    The pairs stay as measured against the other couples of this run; the interval shows how
    much the figure depends on which couples were tried, which is what a reader comparing two
    runs or engines needs (two runs 0.03 apart on four couples are often the same).
    """
    groups = [[float(v) for v in group] for group in groups if len(group)]
    if len(groups) < 2:
        return float("nan"), float("nan")
    sums = np.array([sum(group) for group in groups])
    counts = np.array([len(group) for group in groups], dtype=np.float64)
    picks = np.random.default_rng(0).integers(len(groups), size=(RESAMPLES, len(groups)))
    means = sums[picks].sum(axis=1) / counts[picks].sum(axis=1)
    tail = (1.0 - INTERVAL_LEVEL) / 2.0
    low, high = np.quantile(means, [tail, 1.0 - tail])
    return float(low), float(high)


def _mean(values: list) -> float:  # type: ignore[type-arg]
    return float(np.mean([float(v) for v in values])) if values else float("nan")


def format_report(reports: list[EngineReport]) -> str:
    """Return the reports as lines a person reads: one block per engine."""
    lines = []
    for r in reports:
        lines += [
            f"engine {r.engine}: {r.families} couples, accepted {r.accepted:.2f}, {r.candidates} candidates",
            (
                f"  own_parent_share {r.own_parent_share:.3f} (parents' plain blend: "
                f"{r.blend_own_parent_share:.3f}; against couples sharing no parent: "
                f"{r.unrelated_own_parent_share:.3f})  child_own_share {r.child_own_share:.3f}  "
                f"child_to_own {r.child_to_own:.3f}  child_to_other {r.child_to_other:.3f}  "
                f"diversity {r.diversity:.3f}"
            ),
            f"  one_face_share {r.one_face_share:.3f}  seconds_per_candidate {r.seconds_per_candidate:.3f}",
            f"  {r.age_note}" if r.age_note else f"  in_band {r.in_band:.3f}  gender_share {r.gender_share:.3f}",
        ]
        if r.intervals:
            shown = ", ".join(f"{name} {low:.3f}-{high:.3f}" for name, (low, high) in r.intervals.items())
            lines.append(f"  {INTERVAL_LEVEL:.0%} intervals, couples resampled: {shown}")
        if r.own_parent_by_family:
            shown = ", ".join(f"{name} {share:.2f}" for name, share in r.own_parent_by_family.items())
            lines.append(f"  own_parent_share by couple: {shown}")
        if not r.age_note:
            for name, ages in r.apparent_ages.items():
                shown = ", ".join("none" if a is None else f"{a:.0f}" for a in ages)
                lines.append(f"  apparent age {name}: {shown}")
        for name, reason in r.refused.items():
            lines.append(f"  refused {name}: {reason}")
        for name, reason in r.unread_children.items():
            lines.append(f"  child not counted, {name}: {reason}")
        if r.sheet:
            lines.append(f"  contact sheet: {r.sheet}")
    return "\n".join(lines)
