"""The apparent-age rules and the estimator wrapper of the evaluation."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from genetics.evaluation import AgeJudge, in_band


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
