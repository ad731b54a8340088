"""``python -m genetics check`` on StyleGene checkpoint folders."""

from __future__ import annotations

from genetics.cli import main


def test_check_reports_every_file_and_fails_on_tiny_files(tiny_folder, capsys):
    assert main(["check", str(tiny_folder), "--skip-gene-pool"]) == 1
    out = capsys.readouterr().out
    for name in (
        "stylegan2-ffhq-config-f.pt",
        "e4e_ffhq_encode.pt",
        "stylegene_N18.ckpt",
        "res34_fair_align_multi_7_20190809.pt",
    ):
        assert name in out
    assert "expected [1, 512, 512, 3, 3]" in out


def test_check_missing_folder(tmp_path, capsys):
    assert main(["check", str(tmp_path / "absent")]) == 1
    assert "does not exist" in capsys.readouterr().out


def _synthesize(tmp_path, monkeypatch, tiny_folder, tiny_configs, *extra: str):
    import json

    from genetics import registry
    from genetics.stylegene.engine import EngineOptions, StyleGeneEngine

    engine = StyleGeneEngine(tiny_folder, options=EngineOptions(mix_from_row=4), configs=tiny_configs)
    monkeypatch.setattr(registry, "get_engine", lambda *args, **kwargs: engine)
    out = tmp_path / "out"
    status = main(
        [
            "synthesize",
            "--engine",
            "stylegene",
            "--checkpoints",
            str(tiny_folder),
            "--father",
            "sample:astronaut",
            "--mother",
            "sample:grace_hopper",
            "-n",
            "2",
            "--resolution",
            "32",
            "--seed",
            "3",
            "--out",
            str(out),
            *extra,
        ]
    )
    assert status == 0
    assert sorted(p.name for p in out.glob("*.png")) == ["candidate_00.png", "candidate_01.png"]
    return json.loads((out / "synthesis.json").read_text()), engine


def test_synthesize_reports_children_dlib_cannot_score(tmp_path, monkeypatch, tiny_folder, tiny_configs, capsys):
    # Tiny random networks draw no face: the run still writes every image and the report.
    report, _ = _synthesize(tmp_path, monkeypatch, tiny_folder, tiny_configs)
    assert "2 without a face dlib could score" in capsys.readouterr().out
    for record in report["candidates"]:
        assert record["resemblance"] is None
        assert "No face" in record["resemblance_error"]
    assert report["diversity"] == 0.0
    assert report["params"]["infer_ancestry"] is False
    # Default: no race is inferred, so every ancestry of the child's age and gender is drawn from.
    assert report["candidates"][0]["meta"]["pool_keys"] == ["3-9-female-White", "3-9-female-Black"]


def test_synthesize_infers_ancestry_only_when_asked(tmp_path, monkeypatch, tiny_folder, tiny_configs):
    from genetics.samples import astronaut, grace_hopper

    report, engine = _synthesize(tmp_path, monkeypatch, tiny_folder, tiny_configs, "--infer-ancestry")
    assert report["params"]["infer_ancestry"] is True
    races = [engine.prepare_parent(image).meta["attributes"]["race"] for image in (astronaut(), grace_hopper())]
    expected = engine.gene_pool.query("3-9", "female", races)
    assert report["candidates"][0]["meta"]["pool_keys"] == expected.keys
    assert report["candidates"][0]["meta"]["pool_fallbacks"] == expected.fallbacks
