"""The script that writes real families (TSKinFace group photos) for ``evaluate``."""

from __future__ import annotations

import csv
import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import numpy as np
from PIL import Image

from genetics.evaluation import read_families


def _script() -> ModuleType:
    path = Path(__file__).resolve().parents[2] / "benchmarks" / "tskinface_families.py"
    spec = importlib.util.spec_from_file_location("tskinface_families", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    # Its dataclass resolves its annotations through the module's entry in sys.modules.
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def test_families_are_written_with_parents_boxes_in_the_photo_and_the_child_cropped(tmp_path: Path) -> None:
    script = _script()
    source = tmp_path / "source"
    (source / "FMD").mkdir(parents=True)
    (source / "FMD_information").mkdir()
    for name in ("FMD-1.jpg", "FMD-2.jpg", "FMD-10.jpg", "FMD-3.jpg"):
        Image.fromarray(np.full((200, 300, 3), 90, dtype=np.uint8)).save(source / "FMD" / name)
    (source / "FMD_information" / "FMD_FaceList_Last_combine.txt").write_text(
        # FMD-1: a father near the left edge; FMD-2: no daughter marked; FMD-3: a face too small.
        "FMD\\FMD-10.jpg F 150 60 30\nFMD\\FMD-10.jpg M 220 60 30\nFMD\\FMD-10.jpg D 180 140 25\n\n"
        "FMD\\FMD-1.jpg F 20 50 30\nFMD\\FMD-1.jpg M 150 50 30\nFMD\\FMD-1.jpg D 100 170 25\n\n"
        "FMD\\FMD-2.jpg F 50 50 30\nFMD\\FMD-2.jpg M 150 50 30\n\n"
        "FMD\\FMD-3.jpg F 50 50 30\nFMD\\FMD-3.jpg M 150 50 15\nFMD\\FMD-3.jpg D 100 150 25\n"
    )
    out = tmp_path / "out"
    assert script.write_relation(source, out, "FMD", "D", count=5, min_side=40) == 2
    rows = list(csv.DictReader((out / "daughters.csv").open()))
    # In the dataset's numbering (1 before 10), skipping the family with no daughter and the small face.
    assert [r["family"] for r in rows] == ["FMD-1", "FMD-10"]
    first = rows[0]
    assert first["father"] == first["mother"] == str((source / "FMD" / "FMD-1.jpg").resolve())
    # 1.4 radii each side, clipped to the photo.
    assert first["father_box"] == "0,8,62,92" and first["mother_box"] == "108,8,192,92"
    with Image.open(out / first["children"]) as crop:
        assert crop.size == (100, 80)  # 2 radii each side, cut at the photo's bottom edge
    families = read_families(out / "daughters.csv")
    assert families[0].father_box is not None and families[0].children == ("children/FMD-1-D.png",)
    assert script.write_relation(source, out, "FMD", "D", count=1, min_side=40) == 1
