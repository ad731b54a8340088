"""``python -m genetics`` synthesize / check / evaluate."""

from __future__ import annotations

import hashlib
import io
import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from genetics import faces, weak_faces
from genetics.cli import main
from genetics.images import load_image
from genetics.provenance import COMPOSITE_WITH_TRAINED_ALGORITHMIC_MEDIA
from genetics.provenance.info import is_synthetic_source_type
from genetics.provenance.xmp import NS_IPTC_EXT, xmp_info, xmp_parse, xmp_text, xmp_value

FAMILIES = Path(__file__).resolve().parents[2] / "genetics" / "data" / "families_public_domain.csv"
SYNTH = [
    "synthesize",
    "--engine",
    "offline",
    "--father",
    "sample:astronaut",
    "--mother",
    "sample:grace_hopper",
    "--age",
    "3-9",
    "--gender",
    "female",
    "--gamma",
    "0.47",
    "--eta",
    "0.4",
    "--seed",
    "7",
    "-n",
    "2",
    "--resolution",
    "256",
    "--region",
    "hair=mother",
    "--region",
    "eyes=weight:0.7",
]


def test_synthesize_writes_reproducible_pngs_and_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main([*SYNTH, "--out", str(tmp_path / "a")]) == 0
    # Grace Hopper's glasses: the user is told whose eyes and brows the children take.
    assert "mother: Glasses were found on this face: the candidates' eyes and brows" in capsys.readouterr().out
    assert main([*SYNTH, "--out", str(tmp_path / "b")]) == 0
    report = json.loads((tmp_path / "a" / "synthesis.json").read_text())
    again = json.loads((tmp_path / "b" / "synthesis.json").read_text())
    assert report["engine"] == "offline" and report["engine_version"]
    dlib_models = {faces.LANDMARKS_MODEL, faces.EMBEDDING_MODEL, weak_faces.CNN_DETECTOR_MODEL}
    assert set(report["model_checksums"]) == dlib_models
    assert report["params"]["seed"] == 7 and report["params"]["regions"]["eyes"] == {"mode": "weight", "weight": 0.7}
    assert len(report["inputs"]["father"]["sha256"]) == 64
    assert len(report["inputs"]["mother"]["face_box"]) == 4
    assert report["inputs"]["mother"]["engine_notes"] and not report["inputs"]["father"]["engine_notes"]
    pixels = [c["pixels_sha256"] for c in report["candidates"]]
    assert pixels == [c["pixels_sha256"] for c in again["candidates"]] and len(set(pixels)) == len(pixels)
    for record in report["candidates"]:
        data = (tmp_path / "a" / record["file"]).read_bytes()
        assert hashlib.sha256(data).hexdigest() == record["sha256"]
        with Image.open(io.BytesIO(data)) as img:
            assert img.size == (256, 256)
            assert hashlib.sha256(np.asarray(img.convert("RGB")).tobytes()).hexdigest() == record["pixels_sha256"]
            # The file says it is synthetic, and how it was made, wherever it is copied.
            xmp = img.info["XML:com.adobe.xmp"]
        assert "digitalsourcetype/trainedAlgorithmicMedia" in xmp and 'kinship:Seed="7"' in xmp
        assert f'kinship:EngineVersion="{report["engine_version"]}"' in xmp and record["file"] in xmp
        assert report["inputs"]["father"]["sha256"] in xmp and report["inputs"]["mother"]["sha256"] in xmp
        assert record["meta"]["hair_source"] == "mother"
        assert 0.0 <= record["resemblance"]["score"] <= 1.0
    assert report["diversity"] > 0.0
    # Grace Hopper's cap hides her hair: the colour the user states is the one drawn, and recorded.
    assert report["params"]["hair_colours"] == ["", ""]
    assert main([*SYNTH, "--mother-hair", "red", "--out", str(tmp_path / "c")]) == 0
    stated = json.loads((tmp_path / "c" / "synthesis.json").read_text())
    assert stated["params"]["hair_colours"] == ["", "red"]
    assert all(c["meta"]["hair_colour_stated"] for c in stated["candidates"])
    assert not any(c["meta"]["hair_colour_stated"] for c in report["candidates"])
    assert report["params"]["parent_ages"] == [None, None]


def test_synthesize_records_the_parents_ages_it_is_given(capsys: pytest.CaptureFixture[str]) -> None:
    from genetics.cli import build_parser, params_from_args

    parser = build_parser()
    args = parser.parse_args([*SYNTH, "--mother-age", "34", "--out", "x"])
    assert params_from_args(args).parent_ages == (None, 34)
    for wrong in ("-3", "131", "thirty"):
        with pytest.raises(SystemExit):
            parser.parse_args([*SYNTH, "--father-age", wrong, "--out", "x"])
        assert "an age is" in capsys.readouterr().err


def test_synthesize_reports_a_photo_without_a_face(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    blank = tmp_path / "blank.png"
    Image.new("RGB", (200, 200), (120, 120, 120)).save(blank)
    args = [*SYNTH, "--out", str(tmp_path / "out")]
    args[args.index("sample:astronaut")] = str(blank)
    assert main(args) == 2
    # Which of the two photos was refused, and why.
    assert f"the father's photo ({blank}): No face was found" in capsys.readouterr().err


def test_check_refuses_an_empty_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # Exit 1 with a per-file report when genetics.stylegene is installed, 2 with a clear error if not.
    status = main(["check", str(tmp_path)])
    output = capsys.readouterr()
    assert status in (1, 2)
    assert ("missing" in output.out) if status == 1 else ("StyleGene engine is not installed" in output.err)


def test_evaluate_on_the_public_domain_families(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "figures.json"
    sheet = tmp_path / "sheet.png"
    assert (
        main(
            [
                "evaluate",
                str(FAMILIES),
                "--engine",
                "offline",
                "-n",
                "2",
                "--resolution",
                "256",
                "--json",
                str(out),
                "--sheet",
                str(sheet),
                "--face-attrs",
                str(tmp_path / "missing.js"),
            ]
        )
        == 0
    )
    table = capsys.readouterr().out
    assert "own_parent_share" in table and "offline" in table
    assert "apparent age not measured" in table
    (figures,) = json.loads(out.read_text())
    assert figures["families"] == 2 and figures["candidates"] == 4 and figures["accepted"] == 1.0
    assert 0.0 <= figures["own_parent_share"] <= 1.0 and 0.0 <= figures["child_own_share"] <= 1.0
    assert figures["child_to_own"] > 0 and figures["child_to_other"] > 0 and figures["diversity"] > 0
    assert figures["one_face_share"] == 1.0 and figures["seconds_per_candidate"] > 0
    # One row per couple: father, mother and two candidates, with a title strip and labels.
    from PIL import Image

    with Image.open(tmp_path / "sheet_offline.png") as image:
        assert image.size == (4 * 192, 18 + 2 * (192 + 18))
        packet = xmp_text(image)
    # The sheet says in its metadata that it shows generated candidates beside the parents' photos.
    assert packet is not None
    root = xmp_parse(packet)
    assert xmp_value(root, NS_IPTC_EXT, "DigitalSourceType") == COMPOSITE_WITH_TRAINED_ALGORITHMIC_MEDIA
    assert is_synthetic_source_type(xmp_value(root, NS_IPTC_EXT, "DigitalSourceType"))
    info = xmp_info(root)
    assert info is not None and info.engine_name == "offline" and info.parameters["num_candidates"] == 2
    photos = [(f"{family} {role}: {ref}", load_image(ref)[1]) for family, role, ref in _couples(FAMILIES)]
    assert [(title, digest) for title, digest, _ in info.parents] == photos


def _couples(path: Path) -> list[tuple[str, str, str]]:
    """Return (family, role, reference) for each parent listed in a couples CSV."""
    rows = [line.split(",") for line in path.read_text().splitlines()[1:] if line.strip()]
    return [(row[0], role, ref) for row in rows for role, ref in (("father", row[1]), ("mother", row[2]))]


def test_evaluate_counts_refused_couples_with_their_reason(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from PIL import Image

    Image.new("RGB", (200, 200), (90, 90, 90)).save(tmp_path / "blank.png")
    couples = tmp_path / "couples.csv"
    couples.write_text("family,father,mother\nreal,sample:obama,sample:astronaut\nblank,blank.png,sample:astronaut\n")
    out = tmp_path / "figures.json"
    assert (
        main(
            [
                "evaluate",
                str(couples),
                "--engine",
                "offline",
                "-n",
                "1",
                "--resolution",
                "256",
                "--json",
                str(out),
                "--sheet",
                str(tmp_path / "s.png"),
                "--face-attrs",
                str(tmp_path / "missing.js"),
            ]
        )
        == 0
    )
    (figures,) = json.loads(out.read_text())
    assert figures["accepted"] == 0.5 and "No face was found" in figures["refused"]["blank"]
    assert "refused blank" in capsys.readouterr().out


def test_module_entry_point_runs() -> None:
    result = subprocess.run([sys.executable, "-m", "genetics", "--help"], capture_output=True, text=True, check=True)
    assert "synthesize" in result.stdout and "evaluate" in result.stdout
