"""The apparent-age rules and the estimator wrapper of the evaluation."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import numpy as np
import pytest

from genetics.engine import GenerationParams
from genetics.evaluation import AgeJudge, EngineReport, in_band


def test_band_rules_follow_the_issue_targets() -> None:
    child = {"age": 8.0, "age_bands": {"0-2": 0.1, "3-12": 0.5}}
    assert in_band(child, "3-9") is True
    assert in_band(dict(child, age_bands={"0-2": 0.1, "3-12": 0.3}), "3-9") is False
    assert in_band({"age": 4.0}, "0-2") is True and in_band({"age": 9.0}, "0-2") is False
    assert in_band({"age": 29.0}, "20-29") is True and in_band({"age": 16.0}, "20-29") is False
    assert in_band({"faces": 0, "age": None}, "3-9") is False
    assert in_band({}, "3-9") is None


def test_a_missing_estimator_is_said_not_guessed(tmp_path: Path) -> None:
    assert "no face_attrs script" in AgeJudge(None).problem
    assert "not found" in AgeJudge(tmp_path / "x.js").problem
    assert AgeJudge(None).judge([tmp_path / "a.png"]) == [{}]


SCRIPT = os.environ.get("FACE_ATTRS_SCRIPT", "")


@pytest.mark.skipif(
    not SCRIPT or AgeJudge(Path(SCRIPT)).problem != "" or shutil.which("node") is None,
    reason="the face_attrs estimator is not installed here",
)
def test_the_estimator_reads_an_adult_as_an_adult(tmp_path: Path) -> None:
    from PIL import Image

    from genetics.samples import sample

    Image.fromarray(sample("astronaut")).save(tmp_path / "a.png")
    (record,) = AgeJudge(Path(SCRIPT)).judge([tmp_path / "a.png"])
    assert record["faces"] == 1 and in_band(record, "30-39")


def _evaluated(tmp_path: Path, rows: str, *, gender: str, candidates: int, seed: int) -> EngineReport:
    """Return the offline engine's figures at 20-29, 128², on a couples CSV of ``rows`` (its header
    first)."""
    from genetics.evaluation import evaluate, read_families
    from genetics.offline import OfflineEngine

    couples = tmp_path / "couples.csv"
    couples.write_text(rows)
    params = GenerationParams(age_group="20-29", gender=gender, num_candidates=candidates, seed=seed, resolution=128)
    return evaluate(OfflineEngine(), read_families(couples), params)


def test_a_couples_plain_blend_is_measured_beside_the_candidates(tmp_path: Path) -> None:
    from genetics.evaluation import format_report

    rows = "family,father,mother\na,sample:obama,sample:astronaut\nb,sample:biden,sample:grace_hopper\n"
    report = _evaluated(tmp_path, rows, gender="male", candidates=1, seed=3)
    # Two couples with no parent in common: a mean of each couple's faces sits nearest its own.
    assert report.blend_own_parent_share == 1.0
    # Nor does any pair involve a shared parent: every pair is among strangers.
    assert report.unrelated_own_parent_share == report.own_parent_share
    assert (
        f"(parents' plain blend: 1.000; against couples sharing no parent: {report.own_parent_share:.3f})"
        in format_report([report])
    )


def test_a_blend_is_of_the_couples_own_parents() -> None:
    from genetics import metrics
    from genetics.evaluation import _plain_blend
    from genetics.offline import OfflineEngine
    from genetics.samples import sample

    engine = OfflineEngine()
    blend = _plain_blend([engine.prepare_parent(sample("obama")), engine.prepare_parent(sample("astronaut"))])
    own = metrics.face_distance(blend, metrics.embed_image(sample("obama")))
    other = metrics.face_distance(blend, metrics.embed_image(sample("biden")))
    assert own < other


def test_resemblance_is_counted_over_each_other_couple_as_the_issue_does() -> None:
    from genetics.evaluation import _kinship

    def at(x: float) -> np.ndarray:
        return np.array([x, 0.0])

    couples = [(at(0.0), at(0.0)), (at(1.0), at(1.0)), (at(-0.2), at(-0.2))]
    # The first candidate is nearest its own couple; the second is nearer couple 2 than its own,
    # yet nearer its own than couple 1: one pair of two is still won.
    candidates = [[at(0.15), at(-0.15)], [at(0.9)], [at(-0.3)]]
    children = [[at(0.1)], [], []]
    kin = _kinship(couples, candidates, children)
    assert kin.wins == [1.0, 1.0, 1.0, 0.0, 1.0, 1.0, 1.0, 1.0]
    # Couples 0 and 2 are 0.2 apart, under SAME_PERSON: they count as sharing a parent, so only
    # the pairs with couple 1 are among strangers (both candidates of couple 0, couple 1's
    # candidate twice, couple 2's candidate once).
    assert kin.unrelated_wins == [1.0, 1.0, 1.0, 1.0, 1.0]
    # The child's mean distance to its couple's candidates (0.15) is below couple 1's (0.8) and
    # couple 2's (0.4); at -0.25 it is nearer couple 2's candidate (0.05) than its own (0.25).
    assert kin.child_wins == [1.0, 1.0]
    assert _kinship(couples, candidates, [[at(-0.25)], [], []]).child_wins == [1.0, 0.0]
    assert np.allclose(kin.child_to_own, [0.05, 0.25]) and np.allclose(sorted(kin.child_to_other), [0.4, 0.8])


def test_a_candidate_whose_face_cannot_be_read_loses_its_pairs_and_does_not_stop_the_run() -> None:
    from genetics.evaluation import _candidate_embedding, _kinship

    # A blank render has no face: no embedding, and no exception that would end the evaluation.
    assert _candidate_embedding(np.full((128, 128, 3), 128, dtype=np.uint8)) is None

    def at(x: float) -> np.ndarray:
        return np.array([x, 0.0])

    couples = [(at(0.0), at(0.0)), (at(1.0), at(1.0))]
    kin = _kinship(couples, [[at(0.1), None], [at(0.9)]], [[at(0.0)], []])
    assert kin.wins == [1.0, 0.0, 1.0]
    # The child is compared with its couple's readable candidate only.
    assert np.allclose(kin.child_to_own, [0.1]) and kin.child_wins == [1.0]


def test_a_figures_interval_comes_from_resampling_couples_not_candidates() -> None:
    from genetics.evaluation import couple_interval

    # Two couples, one whose candidates all win and one whose all lose: the share is 0.5 over 16
    # pairs, but another pick of two couples could as well give 0 or 1.
    split = [[1.0] * 8, [0.0] * 8]
    low, high = couple_interval(split)
    assert low == 0.0 and high == 1.0
    # The same share from couples that agree: the interval closes round it.
    assert couple_interval([[1.0, 0.0] * 4, [0.0, 1.0] * 4]) == (0.5, 0.5)
    # Couples of unequal size weigh by their pairs, as the figure itself does.
    low, high = couple_interval([[1.0] * 6, [0.0] * 2] * 4)
    assert 0.0 < low < 0.75 < high < 1.0
    # One couple alone has no spread between couples to show; empty couples are left out.
    assert np.isnan(couple_interval([[1.0, 0.0, 1.0], []])).all()
    # The same figures give the same interval (a fixed generator).
    assert couple_interval(split) == couple_interval(split)


def test_a_report_prints_its_intervals_over_couples(tmp_path: Path) -> None:
    from genetics.evaluation import format_report

    rows = (
        "family,father,mother\n"
        "a,sample:obama,sample:astronaut\nb,sample:biden,sample:grace_hopper\nc,sample:obama2,sample:grace_hopper\n"
    )
    report = _evaluated(tmp_path, rows, gender="female", candidates=2, seed=1)
    low, high = report.intervals["own_parent_share"]
    assert low <= report.own_parent_share <= high
    low, high = report.intervals["diversity"]
    assert low <= report.diversity <= high
    # No estimator here, so no in-band figure and no interval for it; no children, none either.
    assert "in_band" not in report.intervals and "child_own_share" not in report.intervals
    assert f"own_parent_share {report.intervals['own_parent_share'][0]:.3f}-" in format_report([report])
    # Each couple's own share, whose mean over the couples (two pairs each) is the whole figure.
    assert list(report.own_parent_by_family) == ["a", "b", "c"]
    assert np.mean(list(report.own_parent_by_family.values())) == pytest.approx(report.own_parent_share)
    assert f"own_parent_share by couple: a {report.own_parent_by_family['a']:.2f}, b " in format_report([report])


def test_a_couples_stated_hair_colours_and_ages_reach_the_engine(tmp_path: Path) -> None:
    from genetics.evaluation import evaluate, read_families
    from genetics.offline import OfflineEngine

    class Recording(OfflineEngine):
        def __init__(self) -> None:
            super().__init__()
            self.asked: list[tuple[tuple[str, str], tuple[int | None, int | None]]] = []

        def generate(self, father, mother, params):  # type: ignore[no-untyped-def]
            self.asked.append((params.hair_colours, params.parent_ages))
            return super().generate(father, mother, params)

    couples = tmp_path / "couples.csv"
    couples.write_text(
        "family,father,mother,father_hair,mother_hair,father_age\n"
        "a,sample:obama,sample:astronaut,,,47\nb,sample:biden,sample:grace_hopper,,red,\n"
    )
    engine = Recording()
    params = GenerationParams(age_group="20-29", gender="male", num_candidates=1, seed=3, resolution=128)
    evaluate(engine, read_families(couples), params)
    # Grace Hopper's cap hides her hair: the CSV says what it was, for her couple only.
    assert engine.asked == [(("", ""), (47, None)), (("", "red"), (None, None))]
    couples.write_text("family,father,mother,mother_hair\na,sample:obama,sample:astronaut,auburn\n")
    with pytest.raises(ValueError, match="line 2: mother_hair 'auburn'"):
        read_families(couples)


def test_a_couples_ages_on_their_photos_are_read_from_the_csv(tmp_path: Path) -> None:
    from genetics.evaluation import read_families

    couples = tmp_path / "couples.csv"
    couples.write_text(
        "family,father,mother,father_age,mother_age\n"
        "a,sample:obama,sample:astronaut,47,\nb,sample:biden,x.png, 70 ,38\n"
    )
    assert [f.parent_ages for f in read_families(couples)] == [(47, None), (70, 38)]
    for wrong in ("-4", "4.5", "200", "old"):
        couples.write_text(f"family,father,mother,mother_age\na,sample:obama,sample:astronaut,{wrong}\n")
        with pytest.raises(ValueError, match=f"line 2: mother_age '{wrong}'"):
            read_families(couples)


def test_a_real_childs_photo_with_two_faces_is_left_out_and_named_not_the_end_of_the_run(tmp_path: Path) -> None:
    import cv2
    from PIL import Image

    from genetics.evaluation import format_report
    from genetics.samples import sample

    # A crop of a group photo that still holds a neighbour's face, and one that holds the child's.
    left, right = (cv2.resize(sample(name), (256, 256)) for name in ("astronaut", "grace_hopper"))
    Image.fromarray(np.hstack([left, right])).save(tmp_path / "two.png")
    Image.fromarray(left[:, ::-1].copy()).save(tmp_path / "one.png")
    rows = "family,father,mother,children\na,sample:obama,sample:astronaut,one.png\n"
    rows += "b,sample:biden,sample:grace_hopper,two.png\n"
    report = _evaluated(tmp_path, rows, gender="female", candidates=1, seed=3)
    assert report.accepted == 1.0
    assert list(report.unread_children) == ["b: two.png"]
    assert "2 faces" in report.unread_children["b: two.png"]
    assert "child not counted, b: two.png: " in format_report([report])
    # Family a's child is still counted: against couple b's one candidate.
    assert np.isfinite(report.child_own_share) and np.isfinite(report.child_to_own)
